package kernels_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/simdsigmoid/sigmoid/internal/accuracy"
	"github.com/simdsigmoid/sigmoid/kernels"
)

// backwardBound is the spec's bound for SigmoidBackward against
// dy·y·(1-y) evaluated exactly; the kernels reach 1.
const backwardBound = 1.5

// backwardExact is dy·y·(1-y) in float64: 1-y and y·(1-y) are exact there
// (48 significant bits), the product with dy is off by 2^-53 at most.
func backwardExact(dy, y float32) float64 {
	return float64(dy) * (float64(y) * (1 - float64(y)))
}

func backwardInputs(n int, r *rand.Rand) (dy, y []float32) {
	dy, y = make([]float32, n), make([]float32, n)
	for i := range y {
		switch r.IntN(8) {
		case 0: // any bit pattern
			y[i] = math.Float32frombits(r.Uint32())
			dy[i] = math.Float32frombits(r.Uint32())
		case 1: // tiny y, tiny dy: subnormal products
			y[i] = math.Float32frombits(r.Uint32N(0x00ffffff))
			dy[i] = float32(r.NormFloat64()) * 1e-30
		default: // what a sigmoid layer produces
			y[i] = r.Float32()
			dy[i] = float32(r.NormFloat64())
		}
	}
	return dy, y
}

func checkBackward(t *testing.T, name string, dx, dy, y []float32) bool {
	t.Helper()
	for i := range dx {
		want := backwardExact(dy[i], y[i])
		got := dx[i]
		if g := float64(y[i]) * (1 - float64(y[i])); math.IsInf(float64(y[i]), 0) {
			// y - y·y: NaN for +Inf (Inf - Inf), -Inf for -Inf.
			want = float64(dy[i]) * math.FMA(-float64(y[i]), float64(y[i]), float64(y[i]))
		} else if math.Abs(g) > math.MaxFloat32 {
			// y - y·y overflows float32 (only for |y| > 2^64, never a
			// sigmoid's output): IEEE gives dy·(-Inf).
			want = float64(dy[i]) * math.Inf(-1)
		}
		if math.IsNaN(want) {
			if !math.IsNaN(float64(got)) {
				t.Errorf("%s: dy=%v y=%v: got %v, want NaN", name, dy[i], y[i], got)
				return false
			}
			continue
		}
		if math.IsInf(want, 0) || math.Abs(want) > math.MaxFloat32 {
			if float64(got) != float64(float32(want)) {
				t.Errorf("%s: dy=%v y=%v: got %v, want %v", name, dy[i], y[i], got, float32(want))
				return false
			}
			continue
		}
		if e := accuracy.ULP(got, want); e > backwardBound {
			t.Errorf("%s: dy=%v y=%v: got %v, want %v (%.2f ULP)", name, dy[i], y[i], got, want, e)
			return false
		}
	}
	return true
}

func TestSigmoidBackwardLengthsAndOffsets(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, k := range kernels.Kernels() {
		for n := 0; n <= 300; n++ {
			for off := 0; off < 16; off += 5 {
				dy, y := backwardInputs(n+off, r)
				big := make([]float32, n+off+32)
				fillCanaryValue(big)
				dx := big[off+16 : off+16+n]
				k.SigmoidBackward(dx, dy[off:], y[off:])
				if !checkBackward(t, k.Name, dx, dy[off:], y[off:]) {
					return
				}
				for i, v := range big {
					if (i < off+16 || i >= off+16+n) && math.Float32bits(v) != canaryBits {
						t.Fatalf("%s: n=%d off=%d: element %d outside dx written", k.Name, n, off, i)
					}
				}
			}
		}
		// In place, on dy and on y.
		for _, n := range []int{1, 17, 1000, 4097} {
			dy, y := backwardInputs(n, r)
			want := make([]float32, n)
			k.SigmoidBackward(want, dy, y)
			d := append([]float32(nil), dy...)
			k.SigmoidBackward(d, d, y)
			yy := append([]float32(nil), y...)
			k.SigmoidBackward(yy, dy, yy)
			for i := range want {
				if math.Float32bits(d[i]) != math.Float32bits(want[i]) || math.Float32bits(yy[i]) != math.Float32bits(want[i]) {
					t.Fatalf("%s: n=%d: in-place result differs at %d", k.Name, n, i)
				}
			}
		}
	}
}

const canaryBits = 0x7fa5a5a5 // a signalling NaN no kernel writes

func fillCanaryValue(s []float32) {
	for i := range s {
		s[i] = math.Float32frombits(canaryBits)
	}
}

func TestSigmoidBackwardSpecials(t *testing.T) {
	vals := []float32{0, float32(math.Copysign(0, -1)), 1, 0.5, 1e-45, 1e-38, 0.99999994,
		float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), math.MaxFloat32, -2}
	var dy, y []float32
	for _, a := range vals {
		for _, b := range vals {
			dy, y = append(dy, a), append(y, b)
		}
	}
	for _, k := range kernels.Kernels() {
		dx := make([]float32, len(y))
		k.SigmoidBackward(dx, dy, y)
		checkBackward(t, k.Name, dx, dy, y)
	}
}

func TestSigmoidBackwardPanics(t *testing.T) {
	buf := make([]float32, 40)
	cases := []struct {
		name      string
		dx, dy, y []float32
		want      string
	}{
		{"len dy", buf[:10], buf[10:19], buf[20:30], "len(dy) = 9"},
		{"len y", buf[:10], buf[10:20], buf[20:31], "len(y) = 11"},
		{"dx overlaps dy", buf[0:10], buf[5:15], buf[20:30], "dx and dy"},
		{"dx overlaps y", buf[10:20], buf[0:10:10], buf[19:29], "dx and y"},
	}
	for _, k := range append(kernels.Kernels(), kernels.Kernel{Name: "package", SigmoidBackward: kernels.SigmoidBackward}) {
		for _, c := range cases {
			func() {
				defer func() {
					msg, _ := recover().(string)
					if !strings.HasPrefix(msg, "kernels: SigmoidBackward:") || !strings.Contains(msg, c.want) {
						t.Errorf("%s: %s: panic %q, want one starting kernels: SigmoidBackward: naming %q", k.Name, c.name, msg, c.want)
					}
				}()
				k.SigmoidBackward(c.dx, c.dy, c.y)
			}()
		}
		// Same slices and overlapping inputs are fine; nil is a no-op.
		k.SigmoidBackward(buf[:10], buf[:10], buf[:10])
		k.SigmoidBackward(buf[20:30], buf[0:10], buf[5:15])
		k.SigmoidBackward(nil, nil, nil)
	}
}

func TestSigmoidBackwardAllocs(t *testing.T) {
	dy, y := backwardInputs(1000, rand.New(rand.NewPCG(3, 4)))
	dx := make([]float32, len(y))
	for _, k := range kernels.Kernels() {
		if a := testing.AllocsPerRun(50, func() { k.SigmoidBackward(dx, dy, y) }); a != 0 {
			t.Errorf("%s: %v allocations per call", k.Name, a)
		}
	}
	if a := testing.AllocsPerRun(50, func() { kernels.SigmoidBackward(dx, dy, y) }); a != 0 {
		t.Errorf("SigmoidBackward: %v allocations per call", a)
	}
}

func FuzzSigmoidBackward(f *testing.F) {
	f.Add([]byte{0, 0, 0x80, 0x3f, 0, 0, 0, 0x3f})
	f.Add([]byte{1, 0, 0, 0, 0xff, 0xff, 0x7f, 0x3f, 0, 0, 0xc0, 0x7f, 0, 0, 0x80, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		n := len(b) / 8
		dy, y := make([]float32, n), make([]float32, n)
		for i := range n {
			dy[i] = math.Float32frombits(uint32(b[8*i]) | uint32(b[8*i+1])<<8 | uint32(b[8*i+2])<<16 | uint32(b[8*i+3])<<24)
			y[i] = math.Float32frombits(uint32(b[8*i+4]) | uint32(b[8*i+5])<<8 | uint32(b[8*i+6])<<16 | uint32(b[8*i+7])<<24)
		}
		for _, k := range kernels.Kernels() {
			dx := make([]float32, n)
			k.SigmoidBackward(dx, dy, y)
			checkBackward(t, k.Name, dx, dy, y)
		}
	})
}
