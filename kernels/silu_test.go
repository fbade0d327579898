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

// The SiLU tests: every kernel's SiLU within 1 ULP of x/(1+e^-x) with the
// special values exact, and SiLUBackward within 2 ULP of dy·silu'(x), or
// within 2^-25·|dy| (float32) or 2^-54·|dy| (float64) next to the zero of
// silu' (x ≈ -1.2785), where no relative bound is reasonable.

// siluBackwardAbs is the absolute part of SiLUBackward's bound, times |dy|.
func siluBackwardAbs[F float]() float64 {
	if is64[F]() {
		return 0x1p-54
	}
	return 0x1p-25
}

// siluSpecialWhy checks the rules for NaN, ±Inf and ±0, which hold exactly:
// ok reports whether x is one of them.
func siluSpecialWhy[F float](x, got F) (why string, ok bool) {
	switch {
	case x != x:
		want := fromBits[F](bitsOf(x) | quietBit[F]())
		if !sameBits(got, want) {
			return fmt.Sprintf("NaN %s gave %s, want %s", hex(x), hex(got), hex(want)), true
		}
	case math.IsInf(float64(x), 1):
		if !math.IsInf(float64(got), 1) {
			return fmt.Sprintf("+Inf gave %v, want +Inf", got), true
		}
	case math.IsInf(float64(x), -1), x == 0:
		want := x * 0 // -0 for -Inf and -0, +0 for +0
		if math.IsInf(float64(x), -1) {
			want = F(math.Copysign(0, -1))
		}
		if !sameBits(got, want) {
			return fmt.Sprintf("%v gave %s, want %s", x, hex(got), hex(want)), true
		}
	default:
		return "", false
	}
	return "", true
}

// quietBit is the quiet bit of F's NaNs.
func quietBit[F float]() uint64 {
	if is64[F]() {
		return 1 << 51
	}
	return 1 << 22
}

// siluWhy returns "" if got is a correct SiLU result for x, else what is
// wrong.
func siluWhy[F float](x, got F) string {
	if !is64[F]() {
		return accuracy.CheckSiLU(float32(x), float32(got), bound)
	}
	if why, ok := siluSpecialWhy(x, got); ok {
		return why
	}
	if math.Signbit(float64(got)) != math.Signbit(float64(x)) {
		return fmt.Sprintf("x=%v gave %v: the sign differs", x, got)
	}
	hi, lo := accuracy.SiLUExact64(float64(x))
	if u := accuracy.ULP64(float64(got), hi, lo); !(u <= bound) {
		return fmt.Sprintf("x=%v (%s) gave %v (%s): error %.4g ULP > %v", x, hex(x), got, hex(got), u, bound)
	}
	return ""
}

// siluBackwardWhy returns "" if got is a correct SiLUBackward result for dy
// and x, else what is wrong.
func siluBackwardWhy[F float](dy, x, got F) string {
	_, why := siluBackwardCheck(dy, x, got)
	return why
}

// siluBackwardCheck is siluBackwardWhy that also returns the error in ULPs
// where it is outside the absolute allowance (0 inside it, and for NaN
// and infinite inputs).
func siluBackwardCheck[F float](dy, x, got F) (float64, string) {
	switch {
	case dy != dy:
		if want := fromBits[F](bitsOf(dy) | quietBit[F]()); !sameBits(got, want) {
			return 0, fmt.Sprintf("NaN dy %s gave %s, want %s", hex(dy), hex(got), hex(want))
		}
		return 0, ""
	case x != x:
		if want := fromBits[F](bitsOf(x) | quietBit[F]()); !sameBits(got, want) {
			return 0, fmt.Sprintf("NaN x %s gave %s, want %s", hex(x), hex(got), hex(want))
		}
		return 0, ""
	case math.IsInf(float64(x), 0) || math.IsInf(float64(dy), 0):
		return 0, "" // dy times the derivative's limit, IEEE's way: not checked here
	}
	var hi, lo float64
	if is64[F]() {
		hi, lo = accuracy.SiLUBackwardExact64(float64(dy), float64(x))
	} else {
		hi = float64(dy) * accuracy.SiLUDerivWide(float32(x))
	}
	err := math.Abs((float64(got) - hi) - lo)
	if err <= siluBackwardAbs[F]()*math.Abs(float64(dy)) {
		return 0, ""
	}
	var u float64
	if is64[F]() {
		u = accuracy.ULP64(float64(got), hi, lo)
	} else {
		u = accuracy.ULP(float32(got), hi)
	}
	if !(u <= 2) {
		return u, fmt.Sprintf("dy=%v x=%v (%s) gave %v, exact %.17g: error %.4g ULP > 2 and above %g·|dy|", dy, x, hex(x), got, hi+lo, u, siluBackwardAbs[F]())
	}
	return u, ""
}

// siluFuncs is one kernel's SiLU functions of element type F, or the
// package-level ones.
type siluFuncs[F float] struct {
	name     string
	silu     func(dst, src []F)
	backward func(dx, dy, x []F)
}

func siluImpls[F float]() []siluFuncs[F] {
	pick := func(name string, s32 func(dst, src []float32), b32 func(dx, dy, x []float32), s64 func(dst, src []float64), b64 func(dx, dy, x []float64)) siluFuncs[F] {
		var s, b any = s32, b32
		if is64[F]() {
			s, b = s64, b64
		}
		return siluFuncs[F]{name, s.(func(dst, src []F)), b.(func(dx, dy, x []F))}
	}
	fs := []siluFuncs[F]{pick("package", kernels.SiLU, kernels.SiLUBackward, kernels.SiLU64, kernels.SiLUBackward64)}
	for _, k := range kernels.Kernels() {
		fs = append(fs, pick(k.Name(), k.SiLU, k.SiLUBackward, k.SiLU64, k.SiLUBackward64))
	}
	return fs
}

// genericOnly is the generic kernel's entry of fs, the last: the
// exhaustive float64 accuracy tests check it alone, since
// TestSameBitsSweep checks that every other kernel returns its bits.
func genericOnly[T any](fs []T) []T { return fs[len(fs)-1:] }

// genericFirst is fs, kernels, with the generic kernel (the last) moved
// first: the exhaustive float32 sweeps check its accuracy and every other
// kernel's bits against it, in one pass.
func genericFirst[T any](fs []T) []T {
	return append(fs[len(fs)-1:len(fs):len(fs)], fs[:len(fs)-1]...)
}

// siluInputs returns n inputs over SiLU's interesting range: the specials,
// random bit patterns, the subnormal-result and underflow range, around
// the zero of silu' and the fast code's limits, and ordinary values.
func siluInputs[F float](n int, seed uint64) []F {
	r := rand.New(rand.NewPCG(seed, 0x5111))
	specials := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), -1.2784645, 32, -32, 512, -512, 110, -110, -752, 752, 17, 1e-30, -1e-30}
	lo, hi := -115.0, 40.0
	if is64[F]() {
		lo, hi = -760, 520
	}
	out := make([]F, n)
	for i := range out {
		switch r.IntN(8) {
		case 0:
			out[i] = fromBits[F](r.Uint64())
		case 1:
			out[i] = F(specials[r.IntN(len(specials))])
		case 2:
			out[i] = F(lo + (hi-lo)*r.Float64())
		case 3:
			out[i] = F(-1.2784645 + 1e-3*(r.Float64()-0.5))
		case 4:
			out[i] = F(lo + 30*r.Float64()) // subnormal results and underflow
		default:
			out[i] = F(-40 + 80*r.Float64())
		}
	}
	return out
}

func TestSiLU(t *testing.T) {
	t.Run("SiLU", testSiLU[float32])
	t.Run("SiLU64", testSiLU[float64])
}

func testSiLU[F float](t *testing.T) {
	n := 1 << 18
	if slow() {
		n = 1 << 14
	}
	xs := siluInputs[F](n, 1)
	dys := siluInputs[F](n, 2)
	for i := range dys {
		if i%4 != 0 { // mostly ordinary gradients
			dys[i] = F(rand.NormFloat64())
		}
	}
	for _, f := range siluImpls[F]() {
		t.Run(f.name, func(t *testing.T) {
			// Lengths that leave every kind of tail, then in place.
			for lo := 0; lo < n; {
				m := min(n-lo, 1+(lo*7919)%301)
				src := append([]F(nil), xs[lo:lo+m]...)
				dst := make([]F, m+1)
				dst[m] = 42
				f.silu(dst[:m], src)
				if dst[m] != 42 {
					t.Fatalf("n=%d: wrote past the end", m)
				}
				for i, x := range src {
					if why := siluWhy(x, dst[i]); why != "" {
						t.Fatalf("n=%d, element %d: %s", m, i, why)
					}
				}
				f.silu(src, src)
				for i := range src {
					if !sameBits(src[i], dst[i]) {
						t.Fatalf("in place, n=%d, element %d: %s, out of place %s", m, i, hex(src[i]), hex(dst[i]))
					}
				}
				lo += m
			}
			dx := make([]F, n)
			f.backward(dx, dys, xs)
			bad := 0
			for i := range xs {
				if why := siluBackwardWhy(dys[i], xs[i], dx[i]); why != "" {
					t.Errorf("SiLUBackward: %s", why)
					if bad++; bad == maxReports {
						return
					}
				}
			}
			// In place on dy and on x.
			d := append([]F(nil), dys...)
			f.backward(d, d, xs)
			x := append([]F(nil), xs...)
			f.backward(x, dys, x)
			for i := range dx {
				if !sameBits(d[i], dx[i]) || !sameBits(x[i], dx[i]) {
					t.Fatalf("SiLUBackward in place, element %d: %s on dy, %s on x, out of place %s", i, hex(d[i]), hex(x[i]), hex(dx[i]))
				}
			}
		})
	}
}

// Next to the zero of silu' the bound is absolute; elsewhere 2 ULP: a dense
// check of both sides.
func TestSiLUBackwardNearZero(t *testing.T) {
	t.Run("SiLUBackward", testSiLUBackwardNearZero[float32])
	t.Run("SiLUBackward64", testSiLUBackwardNearZero[float64])
}

func testSiLUBackwardNearZero[F float](t *testing.T) {
	const n = 1 << 16
	xs := make([]F, n)
	dys := make([]F, n)
	for i := range xs {
		xs[i] = F(-1.2784645 + 0.02*(float64(i)/n-0.5))
		dys[i] = 1
		if i%2 == 1 {
			dys[i] = F(rand.NormFloat64() * 1e3)
		}
	}
	for _, f := range siluImpls[F]() {
		dx := make([]F, n)
		f.backward(dx, dys, xs)
		for i := range xs {
			if why := siluBackwardWhy(dys[i], xs[i], dx[i]); why != "" {
				t.Fatalf("%s: %s", f.name, why)
			}
		}
	}
}

func TestSiLUPanics(t *testing.T) {
	a, b := make([]float32, 4), make([]float32, 3)
	for _, c := range []struct {
		want string
		call func()
	}{
		{"kernels: SiLU: len(dst) = 4, len(src) = 3: lengths differ", func() { kernels.SiLU(a, b) }},
		{"kernels: SiLU: dst and src (len 3) partially overlap: dst must be src itself or disjoint from it", func() { kernels.SiLU(a[1:], a[:3]) }},
		{"kernels: SiLUBackward: len(dx) = 4, len(dy) = 4, len(x) = 3: lengths differ", func() { kernels.SiLUBackward(a, a, b) }},
		{"kernels: SiLUBackward: dx and x (len 3) partially overlap: dx must be x itself or disjoint from it", func() { kernels.SiLUBackward(a[1:], b, a[:3]) }},
	} {
		msg, panicked := panicOf(c.call)
		if !panicked || msg != c.want {
			t.Errorf("got panic %v %q, want %q", panicked, msg, c.want)
		}
	}
}

// TestSiLUExhaustive checks the generic kernel's SiLU on all 2^32 float32
// inputs, and that every other kernel returns its bits there.
func TestSiLUExhaustive(t *testing.T) {
	if !exhaustiveRun() {
		t.Skip("set SIGMOID_EXHAUSTIVE=1 or pass -exhaustive to check all 2^32 inputs")
	}
	var fs []accuracy.Func
	for _, f := range genericFirst(siluImpls[float32]()[1:]) {
		fs = append(fs, accuracy.Func{Name: f.name, F: f.silu, Same: len(fs) > 0})
	}
	for k, st := range accuracy.SweepAllSiLU(fs, 1, bound) {
		t.Run(st.Kernel, func(t *testing.T) {
			if fs[k].Same {
				t.Logf("%s: %d results differ from %s's", st.Kernel, st.Violations, fs[0].Name)
			} else {
				t.Logf("%s: all 2^32 inputs: max %.4f ULP at x=%v (%s); %d not correctly rounded; %d subnormal results; %d violations",
					st.Kernel, st.MaxULP, st.Worst, hex(st.Worst), st.NotCorrectlyRounded, st.SubnormalResults, st.Violations)
			}
			if st.Inputs != 1<<32 {
				t.Errorf("checked %d inputs, want 2^32", st.Inputs)
			}
			if st.Violations != 0 {
				t.Errorf("%d violations, first: %s", st.Violations, st.FirstViolation)
			}
		})
	}
}

// TestSiLUExhaustive64 checks every kernel's SiLU64 on 10^8 inputs: those
// of the sigmoid's sweep and as many over SiLU's subnormal-result range.
func TestSiLUExhaustive64(t *testing.T) {
	if !exhaustiveRun() {
		t.Skip("set SIGMOID_EXHAUSTIVE=1 or pass -exhaustive to check 10^8 float64 inputs")
	}
	inputs := accuracy.Inputs64(exhaustive64Inputs/2, 64)
	r := rand.New(rand.NewPCG(3, 4))
	for range exhaustive64Inputs / 2 {
		inputs = append(inputs, -752+52*r.Float64())
	}
	fs := genericOnly(siluImpls[float64]())
	outs := make([][]float64, len(fs))
	for k, f := range fs {
		outs[k] = make([]float64, len(inputs))
		f.silu(outs[k], inputs)
	}
	workers := runtime.NumCPU()
	worst := make([][]float64, workers)
	bads := make([][]string, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			worst[w] = make([]float64, len(fs))
			bads[w] = make([]string, len(fs))
			for i := w; i < len(inputs); i += workers {
				x := inputs[i]
				hi, lo := accuracy.SiLUExact64(x)
				for k := range fs {
					got := outs[k][i]
					if why, ok := siluSpecialWhy(x, got); ok {
						if why != "" && bads[w][k] == "" {
							bads[w][k] = why
						}
						continue
					}
					u := accuracy.ULP64(got, hi, lo)
					worst[w][k] = max(worst[w][k], u)
					if !(u <= bound) && bads[w][k] == "" {
						bads[w][k] = fmt.Sprintf("x=%v gave %v: %.4g ULP", x, got, u)
					}
				}
			}
		}()
	}
	wg.Wait()
	for k, f := range fs {
		m, first := 0.0, ""
		for w := range workers {
			m = max(m, worst[w][k])
			if first == "" {
				first = bads[w][k]
			}
		}
		t.Logf("%s: %d inputs: max %.4f ULP", f.name, len(inputs), m)
		if first != "" {
			t.Errorf("%s: %s", f.name, first)
		}
	}
}

// TestSiLUBackwardExhaustive checks the generic kernel's SiLUBackward on
// all 2^32 float32 x, and that every other kernel returns its bits there,
// each x with its own dy uniform in [-1, 1) (a hash of x's bits, so that
// every run checks the same pairs), against the bound:
// within 2 ULP of dy·silu'(x), or 2^-25·|dy| next to the derivative's
// zero. It runs only with SIGMOID_EXHAUSTIVE=1 or -exhaustive.
func TestSiLUBackwardExhaustive(t *testing.T) {
	sweepBackward(t, backwardSweep{"SiLUBackward", "x",
		func(k kernels.Kernel) func(dx, dy, x []float32) { return k.SiLUBackward },
		siluBackwardCheck[float32]})
}

// hashedDy is a dy uniform in [-1, 1) drawn from a hash of v (SplitMix64's
// output function), the same every run.
func hashedDy(v uint64) float64 {
	v += 0x9e3779b97f4a7c15
	v = (v ^ v>>30) * 0xbf58476d1ce4e5b9
	v = (v ^ v>>27) * 0x94d049bb133111eb
	v ^= v >> 31
	return 2*float64(v>>11)/(1<<53) - 1
}

// TestSiLUBackwardExhaustive64 checks every kernel's SiLUBackward64 on 10^8
// x: half from accuracy.Inputs64, a quarter over the whole fast range
// [-512, 512], a quarter within 2^-10 of the derivative's zero, each with
// a dy uniform in [-1, 1) from a hash of x, against the double-double
// reference and the bound of siluBackwardWhy. It runs only with
// SIGMOID_EXHAUSTIVE=1 or -exhaustive.
func TestSiLUBackwardExhaustive64(t *testing.T) {
	if !exhaustiveRun() {
		t.Skip("set SIGMOID_EXHAUSTIVE=1 or pass -exhaustive to check 10^8 float64 inputs")
	}
	xs := accuracy.Inputs64(exhaustive64Inputs/2, 64)
	r := rand.New(rand.NewPCG(5, 6))
	for range exhaustive64Inputs / 4 {
		xs = append(xs, -512+1024*r.Float64())
	}
	for len(xs) < exhaustive64Inputs {
		xs = append(xs, -1.2784645+0x1p-10*(2*r.Float64()-1))
	}
	dys := make([]float64, len(xs))
	for i, x := range xs {
		dys[i] = hashedDy(math.Float64bits(x))
	}
	for _, f := range genericOnly(siluImpls[float64]()) {
		dx := make([]float64, len(xs))
		f.backward(dx, dys, xs)
		workers := runtime.NumCPU()
		worst := make([]float64, workers)
		bad := make([]int, workers)
		first := make([]string, workers)
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				for i := w; i < len(xs); i += workers {
					if why := siluBackwardWhy(dys[i], xs[i], dx[i]); why != "" {
						if bad[w]++; first[w] == "" {
							first[w] = why
						}
						continue
					}
					if xs[i] != xs[i] || math.IsInf(xs[i], 0) {
						continue
					}
					hi, lo := accuracy.SiLUBackwardExact64(dys[i], xs[i])
					if math.Abs((dx[i]-hi)-lo) > siluBackwardAbs[float64]()*math.Abs(dys[i]) {
						worst[w] = max(worst[w], accuracy.ULP64(dx[i], hi, lo))
					}
				}
			})
		}
		wg.Wait()
		m, n, why := 0.0, 0, ""
		for w := range workers {
			m, n = max(m, worst[w]), n+bad[w]
			if why == "" {
				why = first[w]
			}
		}
		t.Logf("%s: %d inputs, dy uniform in [-1, 1): max %.4f ULP outside the absolute allowance; %d violations", f.name, len(xs), m, n)
		if n != 0 {
			t.Errorf("%s: %d violations, first: %s", f.name, n, why)
		}
	}
}
