package accuracy

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestExp checks exp within 0.52 ULP of e^t (expDD, within about 2^-100
// relative) over [-708, 708]: uniform, near 0 at every scale, and near
// the points where n, the multiple of ln2/64, changes; and that it is
// math.Exp outside that range.
func TestExp(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var ts []float64
	for range 1_000_000 {
		ts = append(ts, -708+1416*r.Float64())
	}
	for range 200_000 {
		ts = append(ts, math.Copysign(math.Ldexp(1+r.Float64(), -r.IntN(1075)), r.Float64()-0.5))
	}
	for range 200_000 {
		n := float64(r.IntN(2*65000) - 65000)
		ts = append(ts, (n+0.5)*math.Ln2/64*(1+(r.Float64()-0.5)*0x1p-40))
	}
	ts = append(ts, 0, math.Copysign(0, -1), 708, -708, 1, -1, math.Ln2, 0x1p-1074)
	worst, at := 0.0, 0.0
	for _, x := range ts {
		// Below 1, scaled by 2^200 (exact: the results are normal) out
		// of the range where ULP64 reads lo in units of 2^-1074.
		s := 0
		if x < 0 {
			s = 200
		}
		m, k := expDD(x)
		if u := ULP64(math.Ldexp(exp(x), s), ldexp(m.hi, k+s), ldexp(m.lo, k+s)); u > worst {
			worst, at = u, x
		}
	}
	t.Logf("%d inputs in [-708, 708]: worst %.4f ULP at %v", len(ts), worst, at)
	if worst > 0.52 {
		t.Errorf("exp(%v) is %.4f ULP from e^t, want at most 0.52", at, worst)
	}
	for _, x := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), 708.0000001, -708.0000001, 709.7, 710, 710.0000001, 800, -745, -745.2, -746, -746.0000001, -800, 1e300, -1e300} {
		if got, want := exp(x), math.Exp(x); math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("exp(%v) = %v, want math.Exp's %v", x, got, want)
		}
	}
}
