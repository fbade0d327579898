package kernels_test

import (
	"math"
	"runtime"
	"testing"

	"github.com/simdsigmoid/sigmoid/fallback"
	"github.com/simdsigmoid/sigmoid/kernels"
)

// nanInputs returns NaNs of F's width: signalling and quiet, positive and
// negative, with payloads in the low bits, the high bits and all of them.
func nanInputs[F float]() []F {
	var bs []uint64
	if is64[F]() {
		bs = []uint64{
			0x7ff0000000000001, 0xfff0000000000001, 0x7ff0000000000456, 0x7ff4000000000000,
			0x7ff7ffffffffffff, 0xfff7ffffffffffff, 0x7ff8000000000000, 0xfff8000000000000,
			0x7ff8000000000001, 0xfff8000000000123, 0x7fffffffffffffff, 0xffffffffffffffff,
		}
	} else {
		bs = []uint64{
			0x7f800001, 0xff800001, 0x7f800456, 0x7fa00000, 0x7fbfffff, 0xffbfffff,
			0x7fc00000, 0xffc00000, 0x7fc00001, 0xffc00123, 0x7fffffff, 0xffffffff,
		}
	}
	var xs []F
	for _, b := range bs {
		xs = append(xs, fromBits[F](b))
	}
	return xs
}

// quietOf is the NaN x with its quiet bit set, sign and payload kept.
func quietOf[F float](x F) uint64 {
	if is64[F]() {
		return bitsOf(x) | 1<<51
	}
	return bitsOf(x) | 1<<22
}

// TestNaNRule checks the one NaN rule on every kernel and the package-level
// functions, float32 and float64: Sigmoid of a NaN is that NaN quieted
// (sign and payload kept, quiet bit set); SigmoidBackward returns dy's NaN
// quieted if dy is NaN, else y's NaN quieted if y is. Each NaN is tried at
// every position of slices long enough for the kernels' main loops and
// tails, and fallback's scalar functions must agree.
func TestNaNRule(t *testing.T) {
	bothTypes(t, testNaNRule[float32], testNaNRule[float64])
}

func testNaNRule[F float](t *testing.T) {
	nans := nanInputs[F]()
	for _, x := range nans {
		var got uint64
		if is64[F]() {
			got = bitsOf(F(fallback.SigmoidScalar64(float64(x))))
			if k := bitsOf(F(kernels.SigmoidScalar64(float64(x)))); k != got {
				t.Errorf("kernels.SigmoidScalar64(%s) = %#x, fallback's %#x", hex(x), k, got)
			}
		} else {
			got = bitsOf(F(fallback.SigmoidScalar(float32(x))))
			if k := bitsOf(F(kernels.SigmoidScalar(float32(x)))); k != got {
				t.Errorf("kernels.SigmoidScalar(%s) = %#x, fallback's %#x", hex(x), k, got)
			}
		}
		if want := quietOf(x); got != want {
			t.Errorf("fallback scalar sigmoid of %s = %#x, want %#x", hex(x), got, want)
		}
	}
	const n = 67 // a main loop, single vectors and a tail for every kernel
	finite := []F{0.25, -3, 0.5, 1, 0}
	for _, im := range impls[F]() {
		// qemu-x86_64 does not emulate which NaN x86 vector arithmetic
		// returns when both operands are NaN (it picks another), so there
		// a SIMD kernel's backward pass with a NaN dy and a NaN or
		// infinite y (y - y·y is then NaN too) need only give a NaN.
		relaxed := runtime.GOARCH == "amd64" && underQEMU() && im.name != "generic" &&
			!(im.name == sigmoidName[F]() && kernels.Active() == "generic")
		bad := 0
		for _, x := range nans {
			for pos := range n {
				src := make([]F, n)
				for i := range src {
					src[i] = F(i%9) - 4
				}
				src[pos] = x
				dst := make([]F, n)
				im.sigmoid(dst, src)
				if got, want := bitsOf(dst[pos]), quietOf(x); got != want && bad < maxReports {
					bad++
					t.Errorf("%s: NaN %s at [%d] of %d gives %#x, want %#x (quieted)", im.name, hex(x), pos, n, got, want)
				}
			}
		}
		// The backward pass: NaN dy, NaN y and both, against finite and
		// infinite partners.
		type pair struct{ dy, y F }
		var pairs []pair
		inf := F(math.Inf(1))
		for _, a := range nans {
			for _, f := range append(finite, inf, -inf) {
				pairs = append(pairs, pair{a, f}, pair{f, a})
			}
			for _, b := range nans {
				pairs = append(pairs, pair{a, b})
			}
		}
		for start := 0; start < len(pairs); start += n {
			m := min(n, len(pairs)-start)
			for rot := range 3 {
				dy, y, dx := make([]F, m), make([]F, m), make([]F, m)
				for i := range m {
					p := pairs[start+(i+rot)%m]
					dy[i], y[i] = p.dy, p.y
				}
				im.backward(dx, dy, y)
				for i := range m {
					want := quietOf(dy[i])
					if dy[i] == dy[i] {
						want = quietOf(y[i])
					}
					if relaxed && dy[i] != dy[i] && (y[i] != y[i] || math.IsInf(float64(y[i]), 0)) && dx[i] != dx[i] {
						continue
					}
					if got := bitsOf(dx[i]); got != want && bad < maxReports {
						bad++
						t.Errorf("%s: dy = %s, y = %s at [%d] of %d: dx = %#x, want %#x", im.name, hex(dy[i]), hex(y[i]), i, m, got, want)
					}
				}
			}
		}
	}
}
