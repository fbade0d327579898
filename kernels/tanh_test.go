package kernels_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"

	"github.com/simdsigmoid/sigmoid/internal/accuracy"
	"github.com/simdsigmoid/sigmoid/kernels"
)

// tanhFuncs are Tanh and TanhBackward of every kernel, the generic kernel
// first (the sweeps check its accuracy and the others' bits against it).
type tanhFunc[F float] struct {
	name     string
	tanh     func(dst, src []F)
	backward func(dx, dy, y []F)
}

func tanhFuncs[F float]() []tanhFunc[F] {
	var fs []tanhFunc[F]
	for _, k := range kernels.Kernels() {
		f := tanhFunc[F]{name: k.Name()}
		if is64[F]() {
			f.tanh = any(k.Tanh64).(func(dst, src []F))
			f.backward = any(k.TanhBackward64).(func(dx, dy, y []F))
		} else {
			f.tanh = any(k.Tanh).(func(dst, src []F))
			f.backward = any(k.TanhBackward).(func(dx, dy, y []F))
		}
		fs = append(fs, f)
	}
	return genericFirst(fs)
}

// tanhWhy is "" if got is a correct Tanh result for x, else what is wrong.
func tanhWhy[F float](x, got F) string {
	if is64[F]() {
		_, why := accuracy.CheckTanh64(float64(x), float64(got), bound)
		return why
	}
	return accuracy.CheckTanh(float32(x), float32(got), bound)
}

// tanhInputs are n inputs over tanh's range: the specials, random bit
// patterns, tiny and subnormal x, both sides of the polynomial's bound
// (1/8, float64 1/2) and of saturation, and ordinary values.
func tanhInputs[F float](n int, seed uint64) []F {
	r := rand.New(rand.NewPCG(seed, 0x7a4))
	small := 0.125
	if is64[F]() {
		small = 0.5
	}
	specials := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), small, -small,
		float64(accuracy.TanhSaturation32), -float64(accuracy.TanhSaturation32), accuracy.TanhSaturation64, -accuracy.TanhSaturation64,
		5e-324, -5e-324, 1e-45, -1e-45, 1e-40, 10, 20, -20, 40}
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
			v = math.Ldexp(2*r.Float64()-1, -r.IntN(140))
		case 3:
			v = small + (2*r.Float64()-1)*0x1p-12
		case 4:
			v = (2*r.Float64() - 1) * 22
		default:
			v = (2*r.Float64() - 1) * 3
		}
		xs[i] = F(v)
	}
	return xs
}

// TestTanh checks every kernel's Tanh, both element types, on tanhInputs
// against the references and rules of package accuracy, in place too, and
// that it is odd bit for bit.
func TestTanh(t *testing.T) {
	bothTypes(t, testTanh[float32], testTanh[float64])
}

func testTanh[F float](t *testing.T) {
	n := 1 << 16
	if slow() {
		n = 1 << 12
	}
	// tanh x = x where x³/3 is below half an ulp of x: float32 below
	// about 2^-12, as documented (2^-13 here), float64 below 2^-27;
	// subnormals included.
	tiny := 0x1p-13
	if is64[F]() {
		tiny = 0x1p-27
	}
	xs := tanhInputs[F](n, 1)
	for _, f := range tanhFuncs[F]() {
		t.Run(f.name, func(t *testing.T) {
			checkMirrored(t, xs, f.tanh, f.tanh, "tanh(-x)", func(x, got F) string {
				if why := tanhWhy(x, got); why != "" {
					return why
				}
				if math.Abs(float64(x)) <= tiny && !sameBits(got, x) {
					return sprintf("x=%s: got %s, want x itself", hex(x), hex(got))
				}
				return ""
			})
		})
	}
}

// tanhBackwardWhy is "" if got is dy·(1-y·y) within backwardBound, with the
// NaN rule, else what is wrong.
func tanhBackwardWhy[F float](dy, y, got F) string {
	_, why := tanhBackwardCheck(dy, y, got)
	return why
}

// tanhBackwardCheck is tanhBackwardWhy that also returns the error in
// ULPs of a finite result (0 for the IEEE cases).
func tanhBackwardCheck[F float](dy, y, got F) (float64, string) {
	describe := func(want string) string {
		return fmt.Sprintf("dy=%s y=%s: got %s, want %s", hex(dy), hex(y), hex(got), want)
	}
	switch {
	case dy != dy:
		if want := fromBits[F](quietOf(dy)); !sameBits(got, want) {
			return 0, describe(hex(want))
		}
		return 0, ""
	case y != y:
		if want := fromBits[F](quietOf(y)); !sameBits(got, want) {
			return 0, describe(hex(want))
		}
		return 0, ""
	}
	// 1 - y·y rounded once, as the kernels compute it, for the IEEE cases.
	g := F(math.FMA(-float64(y), float64(y), 1))
	if !is64[F]() {
		g = F(float32(math.FMA(-float64(y), float64(y), 1)))
	}
	if math.IsInf(float64(g), 0) || math.IsInf(float64(dy), 0) {
		want := dy * g
		if want != want {
			if !sameBits(got, canonNaN[F]()) {
				return 0, describe("the default NaN " + hex(canonNaN[F]()))
			}
			return 0, ""
		}
		if !sameBits(got, want) {
			return 0, describe(hex(want))
		}
		return 0, ""
	}
	if w := float64(dy) * float64(g); is64[F]() && math.IsInf(w, 0) || !is64[F]() && math.Abs(w) > math.MaxFloat32 {
		// dy·(1 - y·y) overflows: IEEE gives ±Inf (for float64 the
		// float64 product is then infinite too, or within an ulp of it).
		if want := F(math.Inf(int(math.Copysign(1, w)))); !sameBits(got, want) {
			return 0, describe(hex(want))
		}
		return 0, ""
	}
	if is64[F]() {
		hi, lo := accuracy.TanhBackwardExact64(float64(dy), float64(y))
		e := accuracy.ULP64(float64(got), hi, lo)
		if e > backwardBound {
			return e, describe(fmt.Sprintf("%v (%.2f ULP)", hi, e))
		}
		return e, ""
	}
	want := accuracy.TanhBackwardWide(float32(dy), float32(y))
	e := accuracy.ULP(float32(got), want)
	if e > backwardBound {
		return e, describe(fmt.Sprintf("%v (%.2f ULP)", want, e))
	}
	return e, ""
}

// canonNaN is the NaN the arithmetic makes: negative, quiet, no payload.
func canonNaN[F float]() F {
	if is64[F]() {
		return fromBits[F](0xfff8000000000000)
	}
	return fromBits[F](0xffc00000)
}

// TestTanhBackward checks every kernel's TanhBackward, both element types,
// on tanh outputs, on tanhInputs as y (any value) and with gradients from
// hashedGradients (zeros, infinities and NaNs included).
func TestTanhBackward(t *testing.T) {
	bothTypes(t, testTanhBackward[float32], testTanhBackward[float64])
}

func testTanhBackward[F float](t *testing.T) {
	n := 1 << 16
	if slow() {
		n = 1 << 12
	}
	ys := tanhInputs[F](n, 2)
	half := make([]F, n/2)
	for i := range half {
		half[i] = F(math.Tanh(float64(ys[i])))
	}
	copy(ys, half)
	dy := hashedGradients(ys)
	for _, f := range tanhFuncs[F]() {
		t.Run(f.name, func(t *testing.T) {
			rep := &reporter{t: t}
			dx := make([]F, n)
			f.backward(dx, dy, ys)
			for i := range ys {
				if why := tanhBackwardWhy(dy[i], ys[i], dx[i]); why != "" && !rep.fail("%s", why) {
					return
				}
			}
		})
	}
}

// TestTanhExhaustive checks the generic kernel's Tanh on all 2^32 float32
// inputs against accuracy.TanhWide under accuracy.CheckTanh's rules, and
// every other kernel's bits against it, in one pass. It runs only with
// SIGMOID_EXHAUSTIVE=1 or -exhaustive.
func TestTanhExhaustive(t *testing.T) {
	if !exhaustiveRun() {
		t.Skip("set SIGMOID_EXHAUSTIVE=1 or pass -exhaustive to check all 2^32 inputs")
	}
	var fs []accuracy.Func
	for _, f := range tanhFuncs[float32]() {
		fs = append(fs, accuracy.Func{Name: f.name, F: f.tanh, Same: len(fs) > 0})
	}
	for _, st := range accuracy.SweepAllTanh(fs, 1, bound) {
		t.Log(st)
		if st.Violations != 0 {
			t.Errorf("%s: %d violations, first: %s", st.Kernel, st.Violations, st.FirstViolation)
		}
	}
}

// TestTanhExhaustive64 checks the generic kernel's Tanh64 on 10^8 inputs
// (half accuracy.Inputs64, a quarter over [-20, 20], a quarter over
// [-1/2, 1/2]) against accuracy.TanhExact64, and every other kernel's bits
// against it. It runs only with SIGMOID_EXHAUSTIVE=1 or -exhaustive.
func TestTanhExhaustive64(t *testing.T) {
	if !exhaustiveRun() {
		t.Skip("set SIGMOID_EXHAUSTIVE=1 or pass -exhaustive to check 10^8 float64 inputs")
	}
	xs := accuracy.Inputs64(exhaustive64Inputs/2, 65)
	r := rand.New(rand.NewPCG(7, 8))
	for range exhaustive64Inputs / 4 {
		xs = append(xs, -20+40*r.Float64())
	}
	for len(xs) < exhaustive64Inputs {
		xs = append(xs, r.Float64()-0.5)
	}
	fs := tanhFuncs[float64]()
	want := make([]float64, len(xs))
	fs[0].tanh(want, xs)
	got := make([]float64, len(xs))
	for _, f := range fs[1:] {
		f.tanh(got, xs)
		for i := range xs {
			if !sameBits(got[i], want[i]) {
				t.Fatalf("%s: x=%s gave %s, %s %s", f.name, hex(xs[i]), hex(got[i]), fs[0].name, hex(want[i]))
			}
		}
	}
	worst, worstX, bad, first := parallelWorst(len(xs), func(i int) (float64, string) {
		return accuracy.CheckTanh64(xs[i], want[i], bound)
	}, xs)
	t.Logf("%s Tanh64: %d inputs, max %.4f ULP at x=%v; %d other kernels bit for bit; %d violations", fs[0].name, len(xs), worst, worstX, len(fs)-1, bad)
	if bad != 0 {
		t.Errorf("%d violations, first: %s", bad, first)
	}
}

// parallelWorst runs check on every index with GOMAXPROCS goroutines and
// returns the largest error, its input, the number of failures and the
// first one's description.
func parallelWorst(n int, check func(i int) (float64, string), xs []float64) (worst, worstX float64, bad int, first string) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Go(func() {
			var myWorst, myX float64
			myBad, myFirst := 0, ""
			for i := w; i < n; i += workers {
				u, why := check(i)
				if why != "" {
					if myBad++; myFirst == "" {
						myFirst = why
					}
				}
				if u > myWorst && !math.IsInf(u, 0) {
					myWorst, myX = u, xs[i]
				}
			}
			mu.Lock()
			defer mu.Unlock()
			if myWorst > worst {
				worst, worstX = myWorst, myX
			}
			if bad += myBad; first == "" {
				first = myFirst
			}
		})
	}
	wg.Wait()
	return worst, worstX, bad, first
}

// TestTanhBackwardExhaustive checks the generic kernel's TanhBackward on
// all 2^32 y, each with a dy from hashedDy, and every other kernel's bits
// against it; TestTanhBackwardExhaustive64 on 10^8 float64 y (half
// accuracy.Inputs64, half tanh outputs). They run only with
// SIGMOID_EXHAUSTIVE=1 or -exhaustive.
func TestTanhBackwardExhaustive(t *testing.T) {
	sweepBackward(t, backwardSweep{"TanhBackward", "y",
		func(k kernels.Kernel) func(dx, dy, y []float32) { return k.TanhBackward },
		tanhBackwardCheck[float32]})
}

func TestTanhBackwardExhaustive64(t *testing.T) {
	if !exhaustiveRun() {
		t.Skip("set SIGMOID_EXHAUSTIVE=1 or pass -exhaustive to check 10^8 float64 y")
	}
	ys := accuracy.Inputs64(exhaustive64Inputs/2, 66)
	r := rand.New(rand.NewPCG(9, 10))
	for len(ys) < exhaustive64Inputs {
		ys = append(ys, math.Tanh(-20+40*r.Float64()))
	}
	dys := make([]float64, len(ys))
	for i, y := range ys {
		dys[i] = hashedDy(math.Float64bits(y))
	}
	fs := tanhFuncs[float64]()
	want := make([]float64, len(ys))
	fs[0].backward(want, dys, ys)
	got := make([]float64, len(ys))
	for _, f := range fs[1:] {
		f.backward(got, dys, ys)
		for i := range ys {
			if !sameBits(got[i], want[i]) {
				t.Fatalf("%s: y=%s dy=%s gave %s, %s %s", f.name, hex(ys[i]), hex(dys[i]), hex(got[i]), fs[0].name, hex(want[i]))
			}
		}
	}
	_, _, bad, first := parallelWorst(len(ys), func(i int) (float64, string) {
		return 0, tanhBackwardWhy(dys[i], ys[i], want[i])
	}, ys)
	t.Logf("TanhBackward64: %d y; %d other kernels bit for bit; %d violations", len(ys), len(fs)-1, bad)
	if bad != 0 {
		t.Errorf("%d violations, first: %s", bad, first)
	}
}
