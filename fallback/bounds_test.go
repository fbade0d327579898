package fallback_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/simdsigmoid/sigmoid/fallback"
)

// mustPanicWith runs f and fails unless it panics with exactly msg.
func mustPanicWith(t *testing.T, what, msg string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Errorf("%s: no panic, want %q", what, msg)
			return
		}
		if s := fmt.Sprint(r); s != msg {
			t.Errorf("%s: panic %q, want %q", what, s, msg)
		}
	}()
	f()
}

// TestPanicMessages checks that the slice functions check their arguments
// as package kernels does, with messages that name package fallback.
func TestPanicMessages(t *testing.T) {
	buf := []float32{9, 9, 9, 9}
	mustPanicWith(t, "short dst", "fallback: Sigmoid: len(dst) = 2, len(src) = 4: lengths differ",
		func() { fallback.Sigmoid(buf[:2], make([]float32, 4)) })
	if buf[2] != 9 || buf[3] != 9 {
		t.Errorf("Sigmoid with a short dst wrote past its length: %v", buf)
	}
	mustPanicWith(t, "long dst", "fallback: Sigmoid: len(dst) = 5, len(src) = 4: lengths differ",
		func() { fallback.Sigmoid(make([]float32, 5), make([]float32, 4)) })
	mustPanicWith(t, "overlap", "fallback: Sigmoid: dst and src (len 3) partially overlap: dst must be src itself or disjoint from it",
		func() { fallback.Sigmoid(buf[1:4], buf[0:3]) })
	mustPanicWith(t, "short dy", "fallback: SigmoidBackward: len(dx) = 4, len(dy) = 2, len(y) = 4: lengths differ",
		func() { fallback.SigmoidBackward(make([]float32, 4), buf[:2], make([]float32, 4)) })
	mustPanicWith(t, "overlap dy", "fallback: SigmoidBackward: dx and dy (len 3) partially overlap: dx must be dy itself or disjoint from it",
		func() { fallback.SigmoidBackward(buf[0:3], buf[1:4], make([]float32, 3)) })
	mustPanicWith(t, "overlap y", "fallback: SigmoidBackward: dx and y (len 3) partially overlap: dx must be y itself or disjoint from it",
		func() { fallback.SigmoidBackward(buf[1:4], make([]float32, 3), buf[0:3]) })
	b64 := make([]float64, 4)
	mustPanicWith(t, "short dst 64", "fallback: Sigmoid64: len(dst) = 3, len(src) = 4: lengths differ",
		func() { fallback.Sigmoid64(b64[:3], make([]float64, 4)) })
	mustPanicWith(t, "overlap 64", "fallback: Sigmoid64: dst and src (len 2) partially overlap: dst must be src itself or disjoint from it",
		func() { fallback.Sigmoid64(b64[0:2], b64[1:3]) })
	mustPanicWith(t, "short y 64", "fallback: SigmoidBackward64: len(dx) = 4, len(dy) = 4, len(y) = 1: lengths differ",
		func() { fallback.SigmoidBackward64(make([]float64, 4), make([]float64, 4), b64[:1]) })
	mustPanicWith(t, "overlap 64 backward", "fallback: SigmoidBackward64: dx and dy (len 3) partially overlap: dx must be dy itself or disjoint from it",
		func() { fallback.SigmoidBackward64(b64[1:4], b64[0:3], make([]float64, 3)) })

	// In place and inputs that overlap each other are allowed.
	x := []float32{1, 2, 3}
	fallback.Sigmoid(x, x)
	fallback.SigmoidBackward(x, x, x)
	fallback.SigmoidBackward(make([]float32, 3), buf[0:3], buf[1:4])
	x64 := []float64{1, 2, 3}
	fallback.Sigmoid64(x64, x64)
	fallback.SigmoidBackward64(x64, x64, x64)
}

// TestSpareCapacity checks that the slice functions leave the spare
// capacity beyond an output's length untouched, for every length 0..70,
// out of place and in place.
func TestSpareCapacity(t *testing.T) {
	const spare = 9
	const canary32 = float32(-1234.5)
	const canary64 = -1234.5
	for n := range 71 {
		for _, inPlace := range []bool{false, true} {
			buf := make([]float32, n+spare)
			buf64 := make([]float64, n+spare)
			for i := range buf {
				buf[i], buf64[i] = canary32, canary64
			}
			src, dy, y := make([]float32, n), make([]float32, n), make([]float32, n)
			src64, dy64, y64 := make([]float64, n), make([]float64, n), make([]float64, n)
			for i := range src {
				src[i], dy[i], y[i] = float32(i)-30, 1, 0.5
				src64[i], dy64[i], y64[i] = float64(i)-30, 1, 0.5
			}
			dst, dst64 := buf[:n], buf64[:n]
			for _, f := range []func(){
				func() {
					if inPlace {
						copy(dst, src)
						fallback.Sigmoid(dst, dst)
					} else {
						fallback.Sigmoid(dst, src)
					}
				},
				func() {
					if inPlace {
						copy(dst, dy)
						fallback.SigmoidBackward(dst, dst, y)
					} else {
						fallback.SigmoidBackward(dst, dy, y)
					}
				},
				func() {
					if inPlace {
						copy(dst64, src64)
						fallback.Sigmoid64(dst64, dst64)
					} else {
						fallback.Sigmoid64(dst64, src64)
					}
				},
				func() {
					if inPlace {
						copy(dst64, y64)
						fallback.SigmoidBackward64(dst64, dy64, dst64)
					} else {
						fallback.SigmoidBackward64(dst64, dy64, y64)
					}
				},
			} {
				f()
			}
			for i := n; i < n+spare; i++ {
				if buf[i] != canary32 || buf64[i] != canary64 {
					t.Fatalf("n = %d, in place %v: spare capacity written at [%d]: %v, %v", n, inPlace, i, buf[i], buf64[i])
				}
			}
		}
	}
}

// quietBits is the NaN x quieted: its bits with the quiet bit set.
func quietBits(x float64) uint64 { return math.Float64bits(x) | 1<<51 }

// TestNaN checks the NaN rule of the scalar and slice functions: a NaN
// input gives that NaN quieted, sign and payload kept; in the backward
// pass a NaN dy wins over a NaN y.
func TestNaN(t *testing.T) {
	for _, b := range []uint64{0x7ff0000000000001, 0xfff0000000000001, 0x7ff4000000000abc, 0x7ff8000000000001, 0xfff8000000000123} {
		x := math.Float64frombits(b)
		if got := math.Float64bits(fallback.SigmoidScalar64(x)); got != quietBits(x) {
			t.Errorf("SigmoidScalar64(%#x) = %#x, want %#x", b, got, quietBits(x))
		}
		dx := make([]float64, 1)
		fallback.SigmoidBackward64(dx, []float64{x}, []float64{math.Float64frombits(0x7ff0000000000777)})
		if got := math.Float64bits(dx[0]); got != quietBits(x) {
			t.Errorf("SigmoidBackward64(dy %#x, y NaN) = %#x, want dy's %#x", b, got, quietBits(x))
		}
		fallback.SigmoidBackward64(dx, []float64{0.5}, []float64{x})
		if got := math.Float64bits(dx[0]); got != quietBits(x) {
			t.Errorf("SigmoidBackward64(dy 0.5, y %#x) = %#x, want %#x", b, got, quietBits(x))
		}
	}
	for _, b := range []uint32{0x7f800001, 0xff800001, 0x7fa00abc, 0x7fc00001, 0xffc00123} {
		x := math.Float32frombits(b)
		want := b | 1<<22
		if got := math.Float32bits(fallback.SigmoidScalar(x)); got != want {
			t.Errorf("SigmoidScalar(%#x) = %#x, want %#x", b, got, want)
		}
		dx := make([]float32, 1)
		fallback.SigmoidBackward(dx, []float32{x}, []float32{math.Float32frombits(0xff800777)})
		if got := math.Float32bits(dx[0]); got != want {
			t.Errorf("SigmoidBackward(dy %#x, y NaN) = %#x, want dy's %#x", b, got, want)
		}
		fallback.SigmoidBackward(dx, []float32{0.5}, []float32{x})
		if got := math.Float32bits(dx[0]); got != want {
			t.Errorf("SigmoidBackward(dy 0.5, y %#x) = %#x, want %#x", b, got, want)
		}
	}
}
