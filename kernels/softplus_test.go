package kernels_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/simdsigmoid/sigmoid/internal/accuracy"
	"github.com/simdsigmoid/sigmoid/kernels"
)

// softplusFunc is one kernel's Softplus and LogSigmoid of element type F.
type softplusFunc[F float] struct {
	name                 string
	softplus, logSigmoid func(dst, src []F)
}

// softplusFuncs are every kernel's, the generic kernel first (the sweeps
// check its accuracy and the others' bits against it).
func softplusFuncs[F float]() []softplusFunc[F] {
	var fs []softplusFunc[F]
	for _, k := range kernels.Kernels() {
		var sp, ls any = k.Softplus, k.LogSigmoid
		if is64[F]() {
			sp, ls = k.Softplus64, k.LogSigmoid64
		}
		fs = append(fs, softplusFunc[F]{k.Name(), sp.(func(dst, src []F)), ls.(func(dst, src []F))})
	}
	return genericFirst(fs)
}

// softplusWhy is "" if got is a correct Softplus result for x, else what is
// wrong.
func softplusWhy[F float](x, got F) string {
	if is64[F]() {
		_, why := accuracy.CheckSoftplus64(float64(x), float64(got), bound)
		return why
	}
	return accuracy.CheckSoftplus(float32(x), float32(got), bound)
}

// softplusInputs are n inputs over softplus's range: the specials, random
// bit patterns, the subnormal-result and underflow ranges, both sides of
// the fast code's limits and of where the result becomes x, tiny x and
// ordinary values.
func softplusInputs[F float](n int, seed uint64) []F {
	r := rand.New(rand.NewPCG(seed, 0x5f1))
	specials := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), 32, -32, 512, -512,
		16.6, 37, -87.34, -103.97, -104, -708.4, -745.13, -746, 1e-45, -1e-45, 5e-324}
	lo, hi := -115.0, 40.0
	if is64[F]() {
		lo, hi = -760, 60
	}
	xs := make([]F, n)
	for i := range xs {
		var v float64
		switch i % 6 {
		case 0:
			v = specials[r.IntN(len(specials))]
			if i%12 == 0 {
				v = math.Nextafter(v, math.Inf(r.IntN(2)*2-1))
			}
		case 1:
			if is64[F]() {
				v = math.Float64frombits(r.Uint64())
			} else {
				v = float64(math.Float32frombits(r.Uint32()))
			}
		case 2:
			v = lo + (hi-lo)*r.Float64()
		case 3:
			v = math.Ldexp(2*r.Float64()-1, -r.IntN(140))
		default:
			v = (2*r.Float64() - 1) * 8
		}
		xs[i] = F(v)
	}
	return xs
}

// TestSoftplus checks every kernel's Softplus, both element types, on
// softplusInputs against the references and rules of package accuracy, in
// place too, and that LogSigmoid(x) is -Softplus(-x) bit for bit.
func TestSoftplus(t *testing.T) {
	bothTypes(t, testSoftplus[float32], testSoftplus[float64])
}

func testSoftplus[F float](t *testing.T) {
	n := 1 << 16
	if slow() {
		n = 1 << 12
	}
	xs := softplusInputs[F](n, 1)
	for _, f := range softplusFuncs[F]() {
		t.Run(f.name, func(t *testing.T) {
			checkMirrored(t, xs, f.softplus, f.logSigmoid, "LogSigmoid(-x)", softplusWhy[F])
		})
	}
}

// TestSoftplusSpecials checks the documented values on every kernel.
func TestSoftplusSpecials(t *testing.T) {
	bothTypes(t, testSoftplusSpecials[float32], testSoftplusSpecials[float64])
}

func testSoftplusSpecials[F float](t *testing.T) {
	inf := F(math.Inf(1))
	ln2 := F(math.Ln2)
	// Where the result is x, as documented: float32 from 14.556091 (e^-x
	// below half an ulp of x), float64 from 33.28.
	large := F(14.556091)
	if is64[F]() {
		large = 33.28
	}
	nan := F(math.NaN()) // the accuracy rules decide (TestSoftplus)
	cases := []struct{ x, softplus, logSigmoid F }{
		{inf, inf, F(math.Copysign(0, -1))},
		{-inf, 0, -inf},
		{0, ln2, -ln2},
		{F(math.Copysign(0, -1)), ln2, -ln2},
		{large, large, nan},
		{-large, nan, -large},
		{1000, 1000, F(math.Copysign(0, -1))},
		{-1000, 0, -1000},
	}
	for _, f := range softplusFuncs[F]() {
		if !is64[F]() {
			below := []F{F(math.Nextafter32(14.556091, 0))}
			got := make([]F, 1)
			if f.softplus(got, below); got[0] == below[0] {
				t.Errorf("%s: Softplus(%v) = x: 14.556091 is not the first such x", f.name, below[0])
			}
		}
		// From large up, x itself: uniform up to 2·large, then
		// every binade up to the largest float.
		r := rand.New(rand.NewPCG(5, 6))
		xs := make([]F, 4096)
		for i := range xs {
			xs[i] = large + large*F(r.Float64())
			if i%2 == 1 {
				xs[i] = F(math.Ldexp(1+r.Float64(), 6+r.IntN(120)))
			}
		}
		got, ls := make([]F, len(xs)), make([]F, len(xs))
		neg := make([]F, len(xs))
		for i, x := range xs {
			neg[i] = -x
		}
		f.softplus(got, xs)
		f.logSigmoid(ls, neg)
		for i, x := range xs {
			if got[i] != x || ls[i] != -x {
				t.Errorf("%s: x=%v: Softplus %v, LogSigmoid(-x) %v, want x and -x", f.name, x, got[i], ls[i])
				break
			}
		}
		for _, c := range cases {
			sp, ls := make([]F, 1), make([]F, 1)
			f.softplus(sp, []F{c.x})
			f.logSigmoid(ls, []F{c.x})
			if c.softplus == c.softplus && !sameBits(sp[0], c.softplus) {
				t.Errorf("%s: Softplus(%v) = %s, want %s", f.name, c.x, hex(sp[0]), hex(c.softplus))
			}
			if c.logSigmoid == c.logSigmoid && !sameBits(ls[0], c.logSigmoid) {
				t.Errorf("%s: LogSigmoid(%v) = %s, want %s", f.name, c.x, hex(ls[0]), hex(c.logSigmoid))
			}
		}
	}
}

// TestSoftplusExhaustive checks the generic kernel's Softplus on all 2^32
// float32 inputs against accuracy.SoftplusWide under its rules, and every
// other kernel's Softplus, and every SIMD kernel's LogSigmoid as
// -LogSigmoid(-x), against its bits, in one pass. (The generic kernel is
// the slow part of a sweep: TestSameBitsSweep compares its LogSigmoid
// with the others' on every run.) It runs only with SIGMOID_EXHAUSTIVE=1
// or -exhaustive.
func TestSoftplusExhaustive(t *testing.T) {
	if !exhaustiveRun() {
		t.Skip("set SIGMOID_EXHAUSTIVE=1 or pass -exhaustive to check all 2^32 inputs")
	}
	var fs []accuracy.Func
	for _, f := range softplusFuncs[float32]() {
		fs = append(fs, accuracy.Func{Name: f.name, F: f.softplus, Same: len(fs) > 0})
	}
	for _, f := range softplusFuncs[float32]()[1:] {
		fs = append(fs, accuracy.Func{Name: f.name + " LogSigmoid", F: negated(f.logSigmoid), Same: true})
	}
	for _, st := range accuracy.SweepAllSoftplus(fs, 1, bound) {
		t.Log(st)
		if st.Violations != 0 {
			t.Errorf("%s: %d violations, first: %s", st.Kernel, st.Violations, st.FirstViolation)
		}
	}
}

// negated is x → -f(-x): src is negated in place for the call and
// restored.
func negated(f func(dst, src []float32)) func(dst, src []float32) {
	return func(dst, src []float32) {
		for i := range src {
			src[i] = -src[i]
		}
		f(dst, src)
		for i := range src {
			src[i], dst[i] = -src[i], -dst[i]
		}
	}
}

// TestSoftplusExhaustive64 checks the generic kernel's Softplus64 on 10^8
// inputs (half accuracy.Inputs64, a quarter over [-40, 40], a quarter
// over the subnormal-result range [-746, -700]) against
// accuracy.SoftplusExact64; TestSameBitsSweep checks the other kernels'
// bits, and LogSigmoid64's, against it. It runs only with
// SIGMOID_EXHAUSTIVE=1 or -exhaustive.
func TestSoftplusExhaustive64(t *testing.T) {
	if !exhaustiveRun() {
		t.Skip("set SIGMOID_EXHAUSTIVE=1 or pass -exhaustive to check 10^8 float64 inputs")
	}
	xs := accuracy.Inputs64(exhaustive64Inputs/2, 67)
	r := rand.New(rand.NewPCG(11, 12))
	for range exhaustive64Inputs / 4 {
		xs = append(xs, -40+80*r.Float64())
	}
	for len(xs) < exhaustive64Inputs {
		xs = append(xs, -746+46*r.Float64())
	}
	f := softplusFuncs[float64]()[0]
	got, ls := make([]float64, len(xs)), make([]float64, len(xs))
	f.softplus(got, xs)
	neg := make([]float64, len(xs))
	for i, x := range xs {
		neg[i] = -x
	}
	f.logSigmoid(ls, neg)
	worst, worstX, bad, first := parallelWorst(len(xs), func(i int) (float64, string) {
		if !sameBits(ls[i], -got[i]) {
			return 0, sprintf("x=%s: LogSigmoid64(-x) = %s, -Softplus64(x) = %s", hex(xs[i]), hex(ls[i]), hex(-got[i]))
		}
		return accuracy.CheckSoftplus64(xs[i], got[i], bound)
	}, xs)
	t.Logf("%s Softplus64: %d inputs, max %.4f ULP at x=%v; LogSigmoid64 is -Softplus64(-x) on each; %d violations", f.name, len(xs), worst, worstX, bad)
	if bad != 0 {
		t.Errorf("%d violations, first: %s", bad, first)
	}
}
