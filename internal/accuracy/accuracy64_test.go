package accuracy

import (
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/simdsigmoid/sigmoid/fallback"
)

const bigPrec64 = 300

// pairPrec holds any sum of two float64s exactly.
const pairPrec = 2200

// bigExp64 returns e^x to about bigPrec64-30 bits: Taylor series on
// |x|/2^s < 2^-10, then s squarings (each loses at most a bit), then the
// reciprocal for x < 0.
func bigExp64(x float64) *big.Float {
	a := new(big.Float).SetPrec(bigPrec64).SetFloat64(math.Abs(x))
	s := 0
	if a.Sign() != 0 {
		if e := a.MantExp(nil); e > -10 {
			s = e + 10
		}
	}
	a.SetMantExp(a, -s)
	sum := new(big.Float).SetPrec(bigPrec64).SetInt64(1)
	term := new(big.Float).SetPrec(bigPrec64).SetInt64(1)
	eps := new(big.Float).SetPrec(bigPrec64).SetInt64(1)
	eps.SetMantExp(eps, -bigPrec64-10)
	for k := int64(1); ; k++ {
		term.Mul(term, a)
		term.Quo(term, new(big.Float).SetInt64(k))
		sum.Add(sum, term)
		if term.Cmp(eps) < 0 {
			break
		}
	}
	for range s {
		sum.Mul(sum, sum)
	}
	if x < 0 {
		sum.Quo(new(big.Float).SetPrec(bigPrec64).SetInt64(1), sum)
	}
	return sum
}

// bigSigmoid64 is 1/(1+e^-x) to about 270 bits, for finite x.
func bigSigmoid64(x float64) *big.Float {
	d := bigExp64(-x)
	d.Add(d, big.NewFloat(1))
	return d.Quo(new(big.Float).SetPrec(bigPrec64).SetInt64(1), d)
}

// bigPair is the value of a pair from Exact64 or BackwardExact64.
func bigPair(hi, lo float64) *big.Float {
	v := new(big.Float).SetPrec(pairPrec).SetFloat64(hi)
	l := new(big.Float).SetPrec(pairPrec).SetFloat64(lo)
	if math.Abs(hi) < Tiny64 {
		l.SetMantExp(l, -1074)
	}
	return v.Add(v, l)
}

// bigULPs is |v - exact| in float64 ULPs of exact.
func bigULPs(v, exact *big.Float) float64 {
	e := -1022
	if exact.Sign() != 0 {
		e = max(exact.MantExp(nil)-1, -1022)
	}
	d := new(big.Float).SetPrec(pairPrec).Sub(v, exact)
	d.SetMantExp(d, 52-e)
	f, _ := d.Float64()
	return math.Abs(f)
}

// bigRel is |v - exact|/|exact|.
func bigRel(v, exact *big.Float) float64 {
	d := new(big.Float).SetPrec(bigPrec64).Sub(v, exact)
	d.Quo(d, exact)
	f, _ := d.Float64()
	return math.Abs(f)
}

// exactInputs are the inputs TestExact64Big checks: the finite specials and
// a few thousand random values over [-1500, 800], weighted towards the
// scaled and subnormal results, 0 and the saturation.
func exactInputs() []float64 {
	r := rand.New(rand.NewPCG(64, 1))
	var xs []float64
	for _, x := range Specials64() {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			xs = append(xs, x)
		}
	}
	for range 1500 {
		xs = append(xs, -1500+2300*r.Float64())
	}
	for range 1500 { // scaled and subnormal results
		xs = append(xs, -760+100*r.Float64())
	}
	for range 500 {
		xs = append(xs, -40+80*r.Float64())
	}
	for range 500 { // every binade below 1
		xs = append(xs, math.Ldexp(r.Float64()-0.5, -r.IntN(1074)))
	}
	return xs
}

// TestExact64Big checks Exact64 against math/big at 300 bits: relative
// error at most 2^-100 where the result is at least Tiny64, and below
// 2^-50 ULP everywhere; hi is the correctly rounded result, lo within half
// an ULP.
func TestExact64Big(t *testing.T) { checkPairsBig(t, "Exact64", Exact64, bigSigmoid64) }

// checkPairsBig checks a reference in the form of Exact64 against its
// value from math/big on exactInputs: hi correctly rounded, |lo| within
// half an ulp of hi, the pair within 2^-100 relative where it is at least
// Tiny64 and within 2^-50 ULP everywhere.
func checkPairsBig(t *testing.T, name string, pair func(x float64) (hi, lo float64), exactOf func(x float64) *big.Float) {
	xs := exactInputs()
	if testing.Short() {
		xs = xs[:len(xs)/4]
	}
	var worstRel, worstRelX, worstULP, worstULPX float64
	for _, x := range xs {
		hi, lo := pair(x)
		exact := exactOf(x)
		v := bigPair(hi, lo)
		if want, _ := exact.Float64(); hi != want {
			t.Errorf("%s(%v): hi = %v, want %v (correctly rounded)", name, x, hi, want)
		}
		if math.Abs(hi) >= Tiny64 {
			if lo != 0 && math.Abs(lo) > math.Abs(math.Nextafter(hi, 2)-hi)/2 {
				t.Errorf("%s(%v) = %v, %v: |lo| > ulp(hi)/2", name, x, hi, lo)
			}
			if rel := bigRel(v, exact); rel > worstRel {
				worstRel, worstRelX = rel, x
			}
		}
		if u := bigULPs(v, exact); u > worstULP {
			worstULP, worstULPX = u, x
		}
	}
	t.Logf("%s: %d inputs: worst relative error 2^%.1f at x=%v (results >= Tiny64), worst 2^%.1f ULP at x=%v",
		name, len(xs), math.Log2(worstRel), worstRelX, math.Log2(worstULP), worstULPX)
	if worstRel > 0x1p-100 {
		t.Errorf("%s: relative error %g > 2^-100 at x=%v", name, worstRel, worstRelX)
	}
	if worstULP > 0x1p-50 {
		t.Errorf("%s: error %g ULP > 2^-50 at x=%v", name, worstULP, worstULPX)
	}
}

func TestExact64Specials(t *testing.T) {
	for _, c := range []struct{ x, hi, lo float64 }{
		{0, 0.5, 0}, {math.Copysign(0, -1), 0.5, 0}, {math.Inf(1), 1, 0}, {math.Inf(-1), 0, 0},
		{1000, 1, 0}, {-2000, 0, 0}, {math.MaxFloat64, 1, 0}, {-math.MaxFloat64, 0, 0},
	} {
		if hi, lo := Exact64(c.x); hi != c.hi || lo != c.lo {
			t.Errorf("Exact64(%v) = %v, %v; want %v, %v", c.x, hi, lo, c.hi, c.lo)
		}
	}
	if hi, _ := Exact64(math.NaN()); !math.IsNaN(hi) {
		t.Errorf("Exact64(NaN) = %v", hi)
	}
	// sigmoid(x) = 0.5 + x/4 - x^3/48 + ...: for tiny x, lo is x/4.
	if hi, lo := Exact64(0x1p-600); hi != 0.5 || lo != 0x1p-602 {
		t.Errorf("Exact64(2^-600) = %v, %v", hi, lo)
	}
}

func TestBackwardExact64Big(t *testing.T) {
	r := rand.New(rand.NewPCG(64, 2))
	var worst float64
	for i := range 4000 {
		var dy, y float64
		switch i % 4 {
		case 0: // ordinary
			dy, y = r.NormFloat64(), r.Float64()
		case 1: // y near 1, dy over many binades
			dy, y = math.Ldexp(r.Float64()-0.5, r.IntN(600)-300), 1-math.Ldexp(r.Float64(), -r.IntN(60))
		case 2: // tiny products: scaled and subnormal results
			dy, y = math.Ldexp(r.Float64()+0.5, -r.IntN(200)), math.Ldexp(r.Float64(), -900-r.IntN(174))
		case 3: // anything
			dy, y = math.Float64frombits(r.Uint64()>>2), math.Float64frombits(r.Uint64()>>2)
		}
		hi, lo := BackwardExact64(dy, y)
		exact := new(big.Float).SetPrec(bigPrec64).SetFloat64(1)
		exact.Sub(exact, big.NewFloat(y))
		exact.Mul(exact, big.NewFloat(y))
		exact.Mul(exact, big.NewFloat(dy))
		if math.IsInf(hi, 0) {
			if f, _ := exact.Float64(); !math.IsInf(f, 0) {
				t.Errorf("BackwardExact64(%v, %v) = %v, exact %v", dy, y, hi, f)
			}
			continue
		}
		if want, _ := exact.Float64(); hi != want {
			t.Errorf("BackwardExact64(%v, %v): hi = %v, want %v", dy, y, hi, want)
		}
		v := bigPair(hi, lo)
		if exact.Sign() == 0 {
			if hi != 0 || lo != 0 {
				t.Errorf("BackwardExact64(%v, %v) = %v, %v; want 0", dy, y, hi, lo)
			}
			continue
		}
		e := bigULPs(v, exact)
		if math.Abs(hi) >= Tiny64 {
			e = bigRel(v, exact) * 0x1p52 // in ULPs, at most
		}
		worst = max(worst, e)
	}
	t.Logf("worst error 2^%.1f ULP", math.Log2(worst))
	if worst > 0x1p-48 {
		t.Errorf("worst error %g ULP", worst)
	}
	for _, c := range [][2]float64{{0, 0.5}, {1, 0}, {1, 1}, {math.Inf(1), 0.5}, {math.NaN(), 0.5}} {
		hi, lo := BackwardExact64(c[0], c[1])
		want := c[0] * c[1] * (1 - c[1])
		if !(hi == want || hi != hi && want != want) || lo != 0 {
			t.Errorf("BackwardExact64(%v, %v) = %v, %v; want %v, 0", c[0], c[1], hi, lo, want)
		}
	}
}

func TestULP64PowersOfTwo(t *testing.T) {
	for e := -1022; e <= 1023; e++ {
		p := math.Ldexp(1, e)
		ulp := math.Ldexp(1, e-52)
		below := 0.5 // below 2^e the ulp halves, except at 2^-1022
		if e == -1022 {
			below = 1
		}
		up, down := math.Nextafter(p, math.Inf(1)), math.Nextafter(p, 0)
		lo := func(k float64) float64 { // k ulps of p, as lo in the pair's units
			if p < Tiny64 {
				return k * math.Ldexp(1, e-52+1074)
			}
			return k * ulp
		}
		cases := []struct{ got, hi, lo, want float64 }{
			{p, p, 0, 0},
			{up, p, 0, 1},
			{down, p, 0, below},
			{-p, -p, 0, 0},
			{-up, -p, 0, 1},
			{-down, -p, 0, below},
		}
		cases = append(cases,
			struct{ got, hi, lo, want float64 }{p, p, lo(0.25), 0.25},
			struct{ got, hi, lo, want float64 }{up, p, lo(0.25), 0.75},
			struct{ got, hi, lo, want float64 }{p, p, lo(-0.125), 0.125 / below}, // exact below 2^e
			struct{ got, hi, lo, want float64 }{-p, -p, lo(0.125), 0.125 / below},
		)
		for _, c := range cases {
			if got := ULP64(c.got, c.hi, c.lo); got != c.want {
				t.Errorf("e=%d: ULP64(%g, %g, %g) = %g, want %g", e, c.got, c.hi, c.lo, got, c.want)
			}
		}
	}
}

func TestULP64Special(t *testing.T) {
	const tiny = 0x1p-1074
	inf, nan := math.Inf(1), math.NaN()
	for _, c := range []struct{ got, hi, lo, want float64 }{
		// Subnormal and scaled results: lo in units of 2^-1074.
		{tiny, tiny, 0.25, 0.25},
		{2 * tiny, tiny, 0.25, 0.75},
		{0, tiny, -0.4, 0.6},
		{0, 0, 0.4, 0.4},
		{tiny, 0, 0.4, 0.6},
		{0, 0, 0, 0},
		{math.Copysign(0, -1), 0, 0, 0},
		{3 * tiny, 0, 0, 3},
		{0x1p-1022, 0x1p-1022, -0.25, 0.25}, // exact just below 2^-1022: ulp 2^-1074
		{0x1p-1000, 0x1p-1000, 0x1p21, 0.5}, // ulp(2^-1000) = 2^22 units
		{math.Nextafter(0x1p-1000, 1), 0x1p-1000, 0x1p21, 0.5},
		{0x1p-1000, 0x1p-1000, -0x1p20, 0.5}, // below 2^-1000, the ulp is 2^21 units
		{0x1p-1020, tiny, 0, 0x1p54 - 1},     // far off
		{0x1p-990, 0x1p-1000, 1, 0x1p62 - 0x1p52},
		{0.5, tiny, 0, inf}, // 2^1073 ULPs: beyond the float64 range
		{-0x1p-1000, 0x1p-1000, 0, 0x1p53},
		// NaN and Inf.
		{nan, nan, 0, 0},
		{nan, 1, 0, inf},
		{1, nan, 0, inf},
		{inf, inf, 0, 0},
		{-inf, -inf, 0, 0},
		{inf, -inf, 0, inf},
		{math.MaxFloat64, inf, 0, inf},
		{inf, 1, 0, inf},
		{1, 0, 0, inf}, // 2^1074 ULPs: beyond the float64 range
	} {
		if got := ULP64(c.got, c.hi, c.lo); got != c.want {
			t.Errorf("ULP64(%g, %g, %g) = %g, want %g", c.got, c.hi, c.lo, got, c.want)
		}
	}
}

// TestULP64Random compares ULP64 with the same measure in math/big, on
// pairs from Exact64 and BackwardExact64 and results a few ULPs off.
func TestULP64Random(t *testing.T) {
	r := rand.New(rand.NewPCG(64, 3))
	xs := Inputs64(20000, 3)
	for i, x := range xs {
		if math.IsNaN(x) {
			continue
		}
		hi, lo := Exact64(x)
		if i%3 == 0 {
			hi, lo = BackwardExact64(math.Ldexp(r.Float64()+0.5, r.IntN(100)-50), math.Abs(x)/(1+math.Abs(x)))
		}
		if math.IsInf(hi, 0) {
			continue
		}
		got := step64(hi, r.IntN(9)-4)
		if math.IsInf(got, 0) || math.IsNaN(got) {
			continue
		}
		u := ULP64(got, hi, lo)
		want := bigULPs(big.NewFloat(got), bigPair(hi, lo))
		if math.Abs(u-want) > 1e-9*want {
			t.Fatalf("ULP64(%v, %v, %v) = %v, math/big says %v (x=%v)", got, hi, lo, u, want, x)
		}
	}
}

func TestEdges64(t *testing.T) {
	first := []struct {
		name string
		x    float64
		is   func(hi, lo float64) bool
	}{
		{"SaturationEdge64", SaturationEdge64, func(hi, lo float64) bool { return hi == 1 }},
		{"NearOneEdge64", NearOneEdge64, func(hi, lo float64) bool { return hi >= 1-0x1p-53 }},
		{"SubnormalEdge64", SubnormalEdge64, func(hi, lo float64) bool { return !subnormal64(hi, lo) }},
		{"UnderflowEdge64", UnderflowEdge64, func(hi, lo float64) bool { return hi > 0 }},
	}
	for _, c := range first {
		hi, lo := Exact64(c.x)
		bhi, blo := Exact64(math.Nextafter(c.x, math.Inf(-1)))
		if !c.is(hi, lo) || c.is(bhi, blo) {
			t.Errorf("%s = %v is not the first input where the result changes", c.name, c.x)
		}
	}
	if f, _ := bigSigmoid64(SaturationEdge64).Float64(); f != 1 {
		t.Errorf("math/big: sigmoid(SaturationEdge64) rounds to %v", f)
	}
	if f, _ := bigSigmoid64(UnderflowEdge64).Float64(); f != 0x1p-1074 {
		t.Errorf("math/big: sigmoid(UnderflowEdge64) rounds to %v", f)
	}
}

func TestSpecials64(t *testing.T) {
	s := Specials64()
	bits := make(map[uint64]int)
	for i, x := range s {
		b := math.Float64bits(x)
		if j, dup := bits[b]; dup {
			t.Errorf("Specials64()[%d] = %#016x duplicates [%d]", i, b, j)
		}
		bits[b] = i
	}
	if len(s) < 2000 || len(s) > 20000 {
		t.Errorf("len(Specials64()) = %d, want a few thousand", len(s))
	}
	want := []uint64{
		0, 1 << 63, // ±0
		0x7ff0000000000000, 0xfff0000000000000, // ±Inf
		0x7ff8000000000000, 0xfff8000000000000, 0x7ff0000000000001, 0xfff0000000000001, // NaNs
		0x0000000000000001, 0x8000000000000001, 0x000fffffffffffff, 0x800fffffffffffff, // subnormals
		0x0010000000000000, 0x8010000000000000, 0x7fefffffffffffff, 0xffefffffffffffff, // normals
	}
	for _, x := range []float64{0x1p-60, -0x1p-60, 0x1p-1022, -0x1p-1022, 36.7368005696771, 708.3964185322641, 709.782712893384} {
		want = append(want, math.Float64bits(x))
	}
	for _, e := range []float64{0, 0x1p-52, -0x1p-53, NearOneEdge64, SaturationEdge64, SubnormalEdge64, UnderflowEdge64} {
		up, down := e, e
		want = append(want, math.Float64bits(e))
		for range WalkSteps64 {
			up, down = math.Nextafter(up, math.Inf(1)), math.Nextafter(down, math.Inf(-1))
			want = append(want, math.Float64bits(up), math.Float64bits(down))
		}
	}
	for _, b := range want {
		if _, ok := bits[b]; !ok && math.Float64frombits(b) == math.Float64frombits(b) {
			// Decimal constants above are within a step of the edge.
			x := math.Float64frombits(b)
			if _, ok1 := bits[math.Float64bits(math.Nextafter(x, 0))]; !ok1 {
				t.Errorf("Specials64() lacks %v (%#016x)", x, b)
			}
		} else if !ok {
			t.Errorf("Specials64() lacks NaN %#016x", b)
		}
	}
	var kinds [2][2]int // [sign][quiet]
	for b := range bits {
		if b&0x7ff0000000000000 == 0x7ff0000000000000 && b&(1<<52-1) != 0 {
			kinds[b>>63][b>>51&1]++
		}
	}
	for sign := range 2 {
		for quiet := range 2 {
			if kinds[sign][quiet] < 2 {
				t.Errorf("Specials64() has %d NaNs with sign %d, quiet bit %d; want several", kinds[sign][quiet], sign, quiet)
			}
		}
	}
	s[0] = 42
	if s2 := Specials64(); s2[0] == 42 || len(s2) != len(s) {
		t.Error("Specials64() returned a shared slice, or its length changed")
	}
}

func TestInputs64(t *testing.T) {
	const n = 200000
	a, b, c := Inputs64(n, 7), Inputs64(n, 7), Inputs64(n, 8)
	if len(a) != n || len(c) != n {
		t.Fatalf("len = %d, %d; want %d", len(a), len(c), n)
	}
	specials := Specials64()
	same := 0
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			t.Fatalf("Inputs64 differs between calls at %d", i)
		}
		if i < len(specials) && math.Float64bits(a[i]) != math.Float64bits(specials[i]) {
			t.Fatalf("Inputs64[%d] = %v, want Specials64()[%d] = %v", i, a[i], i, specials[i])
		}
		if math.Float64bits(a[i]) == math.Float64bits(c[i]) {
			same++
		}
	}
	if same > len(specials)+n/100 {
		t.Errorf("seeds 7 and 8 share %d inputs", same)
	}
	if short := Inputs64(10, 7); len(short) != 10 || math.Float64bits(short[9]) != math.Float64bits(specials[9]) {
		t.Errorf("Inputs64(10, 7) = %v", short)
	}
	// Every category is there, in about its share.
	rest := a[len(specials):]
	count := func(f func(x float64) bool) int {
		k := 0
		for _, x := range rest {
			if f(x) {
				k++
			}
		}
		return k
	}
	m := len(rest)
	for _, c := range []struct {
		name string
		f    func(x float64) bool
		min  int
	}{
		{"NaN or Inf (bit patterns)", func(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) }, m / 8 / 4096},
		{"|x| >= 1e10 (bit patterns)", func(x float64) bool { return math.Abs(x) >= 1e10 }, m / 8 * 4 / 10},
		{"|x| < 1", func(x float64) bool { return math.Abs(x) < 1 }, m * 4 / 16},
		{"|x| < 2^-500", func(x float64) bool { return math.Abs(x) < 0x1p-500 }, m / 16 / 3},
		{"subnormal inputs", func(x float64) bool { return x != 0 && math.Abs(x) < 0x1p-1022 }, m / 16 / 200},
		{"(1, 40)", func(x float64) bool { return math.Abs(x) > 1 && math.Abs(x) < 40 }, m * 3 / 2 / 16},
		{"[36, 38.5]", func(x float64) bool { return x >= 36 && x <= 38.5 }, m / 16},
		{"[-709, -707.8]", func(x float64) bool { return x >= -709 && x <= -707.8 }, m / 16},
		{"[-745.5, -744.8]", func(x float64) bool { return x >= -745.5 && x <= -744.8 }, m / 16},
		{"subnormal results", func(x float64) bool { return x >= -745.2 && x < SubnormalEdge64 }, m * 2 / 16},
		{"[-708, -40]", func(x float64) bool { return x >= -708 && x <= -40 }, m / 16 * 9 / 10},
		{"(38.5, 800]", func(x float64) bool { return x > 38.5 && x <= 800 }, m / 16 / 3},
		{"near an edge", func(x float64) bool {
			for _, e := range edges64 {
				if e != 0 && math.Abs(x-e) <= math.Abs(e)*0x1p-35 {
					return true
				}
			}
			return false
		}, m * 2 / 16 * 9 / 10},
	} {
		if k := count(c.f); k < c.min {
			t.Errorf("%s: %d of %d inputs, want at least %d", c.name, k, m, c.min)
		}
	}
}

func TestCheck64(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	hi1, _ := Exact64(1) // 0.7310585786300049 - 1.68e-17: the ulp is 1.11e-16
	below1, above1 := math.Nextafter(hi1, 0), math.Nextafter(hi1, 1)
	good := []struct{ x, y float64 }{
		{nan, nan}, {-nan, nan}, {inf, 1}, {-inf, 0}, {0, 0.5}, {math.Copysign(0, -1), 0.5},
		{SaturationEdge64, 1}, {1e300, 1}, {-1e300, 0}, {-800, 0},
		{1, hi1}, {1, below1}, // 0.85 ULP
		{-745, 0x1p-1074}, {-745, 0}, // exact 0.57*2^-1074
		{UnderflowEdge64, 0x1p-1074},
	}
	for _, c := range good {
		if why := Check64(c.x, c.y, 1); why != "" {
			t.Errorf("Check64(%v, %v): %s", c.x, c.y, why)
		}
	}
	bad := []struct {
		x, y   float64
		reason string
	}{
		{nan, 0.5, "NaN input must give NaN"},
		{inf, math.Nextafter(1, 0), "+Inf must give exactly 1"},
		{-inf, 0x1p-1074, "-Inf must give exactly 0"},
		{0, math.Nextafter(0.5, 0), "±0 must give exactly 0.5"},
		{1, nan, "not finite"},
		{1, inf, "not finite"},
		{-1e300, -0x1p-1074, "outside [0, 1]"},
		{40, math.Nextafter(1, 2), "outside [0, 1]"},
		{1, 0.75, "ULP > 1"},
		{1, above1, "ULP > 1"}, // 1.15 ULP
		{-745, 0x1p-1073, "ULP > 1"},
		{-1000, 0x1p-1073, "ULP > 1"}, // exact 2^-1442.7: 2^-1074 is within 1 ULP
	}
	for _, c := range bad {
		if why := Check64(c.x, c.y, 1); !strings.Contains(why, c.reason) {
			t.Errorf("Check64(%v, %v) = %q, want %q", c.x, c.y, why, c.reason)
		}
	}
	if why := Check64(1, 0.75, 0x1p60); why != "" {
		t.Errorf("Check64(1, 0.75, 2^60): %s", why)
	}
}

// TestCheckAll64 feeds CheckAll64 kernels that each break one rule, and
// checks that kernels run together get the Stats64 each gets alone.
func TestCheckAll64(t *testing.T) {
	broken := func(change func(x, y float64) float64) func(dst, src []float64) {
		return func(dst, src []float64) {
			fallback.Sigmoid64(dst, src)
			for i, x := range src {
				dst[i] = change(x, dst[i])
			}
		}
	}
	inf, nan := math.Inf(1), math.NaN()
	cases := []struct {
		name   string
		f      func(dst, src []float64)
		reason string
	}{
		{"NaN to 0", broken(func(x, y float64) float64 {
			if x != x {
				return 0
			}
			return y
		}), "NaN input must give NaN"},
		{"+Inf to 1-2^-53", broken(func(x, y float64) float64 {
			if x == inf {
				return math.Nextafter(1, 0)
			}
			return y
		}), "+Inf must give exactly 1"},
		{"0 to next 0.5", broken(func(x, y float64) float64 {
			if x == 0 {
				return math.Nextafter(0.5, 1)
			}
			return y
		}), "±0 must give exactly 0.5"},
		{"NaN for finite", broken(func(x, y float64) float64 {
			if x == -3 {
				return nan
			}
			return y
		}), "result is not finite"},
		{"negative", broken(func(x, y float64) float64 {
			if x < -800 && x > -inf {
				return -0x1p-1074
			}
			return y
		}), "outside [0, 1]"},
		{"2 ULP", broken(func(x, y float64) float64 {
			if x > 0.3 && x < 0.4 {
				return math.Nextafter(math.Nextafter(y, 2), 2)
			}
			return y
		}), "ULP > 1"},
		{"subnormal 2 ULP", broken(func(x, y float64) float64 {
			if x > -740 && x < -720 {
				return y + 0x1p-1073
			}
			return y
		}), "ULP > 1"},
		{"flushes subnormals", broken(func(x, y float64) float64 {
			if y < 0x1p-1022 {
				return 0
			}
			return y
		}), "ULP > 1"},
		{"skips the last", func(dst, src []float64) {
			fallback.Sigmoid64(dst[:len(dst)-1], src[:len(src)-1])
		}, "outside [0, 1]"},
		{"writes src", func(dst, src []float64) {
			fallback.Sigmoid64(dst, src)
			src[len(src)-1] = 7
		}, "changed"},
	}
	inputs := append(Inputs64(50000, 9), -3, 0.35, -1e305, -730)
	var fs []Func64
	for _, c := range cases {
		fs = append(fs, Func64{c.name, c.f})
	}
	fs = append(fs, Func64{"fallback", fallback.Sigmoid64})
	all := CheckAll64(fs, inputs, 1)
	for k, c := range cases {
		st := all[k]
		if st.Violations == 0 || !strings.Contains(st.FirstViolation, c.reason) {
			t.Errorf("%s: %d violations, first %q; want one saying %q", c.name, st.Violations, st.FirstViolation, c.reason)
		}
	}
	good := all[len(cases)]
	t.Log(good)
	if good.Violations != 0 || good.Inputs != uint64(len(inputs)) || good.SubnormalResults == 0 || good.MaxULP > 1 {
		t.Errorf("fallback: %v", good)
	}
	for k := range fs {
		alone := CheckAll64(fs[k:k+1], inputs, 1)[0]
		got := all[k]
		got.Duration, alone.Duration = 0, 0
		if got != alone && !(math.IsNaN(got.Worst) && math.IsNaN(alone.Worst)) {
			t.Errorf("%s: together %+v, alone %+v", fs[k].Name, got, alone)
		}
	}
	// The 2-ULP kernel: the first violation is the earliest in the list.
	st := CheckAll64(fs[5:6], []float64{1, 0.35, 0.36, 0.35}, 1)[0]
	if st.MaxULP < 1.5 || st.Worst != 0.36 || st.Violations != 3 || !strings.Contains(st.FirstViolation, "x=0.35 ") {
		t.Errorf("2 ULP: %v", st)
	}
	if st := CheckAll64(fs, nil, 1); len(st) != len(fs) || st[0].Inputs != 0 {
		t.Errorf("no inputs: %v", st)
	}
}

// TestFallbackSigmoid64 checks fallback.Sigmoid64 against the spec with a
// bound of 1 ULP on Inputs64: 10^6 inputs, 10^8 with SIGMOID_EXHAUSTIVE=1
// (in batches of 10^7, seeds 1 to 10):
//
//	SIGMOID_EXHAUSTIVE=1 go test -run 'TestFallbackSigmoid64$' -v -timeout 30m ./internal/accuracy/
func TestFallbackSigmoid64(t *testing.T) {
	batches, size := 1, 1_000_000
	if os.Getenv("SIGMOID_EXHAUSTIVE") == "1" {
		batches, size = 10, 10_000_000
	}
	fs := []Func64{{"fallback.Sigmoid64", fallback.Sigmoid64}}
	var total Stats64
	for b := range batches {
		st := CheckAll64(fs, Inputs64(size, uint64(b+1)), 1)[0]
		if b == 0 || st.MaxULP > total.MaxULP {
			total.MaxULP, total.Worst = st.MaxULP, st.Worst
		}
		if total.Violations == 0 {
			total.FirstViolation = st.FirstViolation
		}
		total.Kernel = st.Kernel
		total.Inputs += st.Inputs
		total.NotCorrectlyRounded += st.NotCorrectlyRounded
		total.Violations += st.Violations
		total.SubnormalResults += st.SubnormalResults
		total.Duration += st.Duration
	}
	t.Log(total)
	if total.Violations != 0 {
		t.Errorf("%d violations, first: %s", total.Violations, total.FirstViolation)
	}
}

func BenchmarkExact64(b *testing.B) {
	xs := Inputs64(1<<16, 1)
	i := 0
	for b.Loop() {
		hi, _ := Exact64(xs[i&(1<<16-1)])
		sink += hi
		i++
	}
}

// bigSoftplus64 is max(x, 0) + log(1 + e^-|x|) to about 270 bits, for
// finite x: log(1 + E) = 2 atanh z, z = E/(2 + E) ≤ 1/3, by its series.
func bigSoftplus64(x float64) *big.Float {
	e := bigExp64(-math.Abs(x))
	w := new(big.Float).SetPrec(bigPrec64).Add(e, big.NewFloat(2))
	z := new(big.Float).SetPrec(bigPrec64).Quo(e, w)
	z2 := new(big.Float).SetPrec(bigPrec64).Mul(z, z)
	sum := new(big.Float).SetPrec(bigPrec64)
	pow := new(big.Float).SetPrec(bigPrec64).Set(z)
	for k := int64(0); pow.Sign() != 0; k++ {
		t := new(big.Float).SetPrec(bigPrec64).Quo(pow, new(big.Float).SetInt64(2*k+1))
		sum.Add(sum, t)
		if t.MantExp(nil) < sum.MantExp(nil)-bigPrec64-10 {
			break
		}
		pow.Mul(pow, z2)
	}
	sum.Mul(sum, big.NewFloat(2))
	if x > 0 {
		sum.Add(sum, new(big.Float).SetPrec(bigPrec64).SetFloat64(x))
	}
	return sum
}

// TestSoftplusExact64Big checks SoftplusExact64 against math/big as
// TestExact64Big checks Exact64.
func TestSoftplusExact64Big(t *testing.T) {
	checkPairsBig(t, "SoftplusExact64", SoftplusExact64, bigSoftplus64)
}
