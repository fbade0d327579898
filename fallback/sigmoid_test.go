package fallback_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/simdsigmoid/sigmoid/fallback"
	"github.com/simdsigmoid/sigmoid/internal/accuracy"
)

// The float32 functions against the double-double references of package
// accuracy, on sampled inputs: every result within the bound (1 ULP for
// Sigmoid and SiLU, 1.5 for SigmoidBackward, 2 for SiLUBackward or
// 2^-25·|dy| absolute, 2^-54·|dy| for float64, as in package kernels), and the
// slice functions giving, element by element, what they give for that
// element alone (a block that leaves the fast code goes element by
// element). The sweeps over every float32 are in internal/accuracy and
// bench/cmd/verify.

// ulp32 is |got - exact| in float32 ULPs of exact: 2^(e-23) for |exact|
// in [2^e, 2^(e+1)), 2^-149 below 2^-126.
func ulp32(got float32, exact float64) float64 {
	e := math.Ilogb(exact)
	if exact == 0 || e < -126 {
		e = -126
	}
	return math.Abs(float64(got)-exact) / math.Ldexp(1, e-23)
}

// inputs32 are the edges (around 0, the fast code's limit ±32, the
// subnormal results, the saturation, the clamp, huge values, ±Inf) with
// their neighbours, random values in [-120, 120], and bit patterns at a
// stride.
func inputs32(n int) []float32 {
	centres := []float32{
		0, 0x1p-149, 0x1p-126, 1e-30, 1e-8, 0.5, 1, 1.2785, 2, 8, 16, 16.635532, 17.33,
		31.99, 32, 32.01, 36.7, 87.34, 88.72, 103.97, 104, 110, 111, 1000, 1e30,
		math.MaxFloat32, float32(math.Inf(1)),
	}
	var xs []float32
	for _, c := range centres {
		for _, x := range []float32{c, -c} {
			xs = append(xs, x)
			up, down := x, x
			for range 4 {
				up = math.Nextafter32(up, float32(math.Inf(1)))
				down = math.Nextafter32(down, float32(math.Inf(-1)))
				xs = append(xs, up, down)
			}
		}
	}
	r := rand.New(rand.NewPCG(5, 6))
	for range n {
		xs = append(xs, float32(r.Float64()*240-120))
	}
	for b := uint64(0); b < 1<<32; b += 1<<32/uint64(n) + 7 {
		xs = append(xs, math.Float32frombits(uint32(b)))
	}
	return append(xs, float32(math.NaN()))
}

func sampleSize() int {
	if testing.Short() {
		return 1 << 14
	}
	return 1 << 17
}

func bits32(x float32) uint32 { return math.Float32bits(x) }

func TestSigmoidAccuracy(t *testing.T) {
	testUnary32(t, "Sigmoid", fallback.Sigmoid, fallback.SigmoidScalar, func(x float64) float64 {
		hi, _ := accuracy.Exact64(x)
		return hi
	})
}

func TestSiLUAccuracy(t *testing.T) {
	testUnary32(t, "SiLU", fallback.SiLU, fallback.SiLUScalar, func(x float64) float64 {
		hi, _ := accuracy.SiLUExact64(x)
		return hi
	})
}

func testUnary32(t *testing.T, name string, f func(dst, src []float32), scalar func(float32) float32, exact func(float64) float64) {
	xs := inputs32(sampleSize())
	dst := make([]float32, len(xs))
	f(dst, xs)
	worst, worstX := 0.0, float32(0)
	for i, x := range xs {
		got := scalar(x)
		if bits32(got) != bits32(dst[i]) {
			t.Fatalf("%s: element %d (%v) = %v, %sScalar gives %v", name, i, x, dst[i], name, got)
		}
		if x != x {
			continue
		}
		if u := ulp32(got, exact(float64(x))); u > worst {
			worst, worstX = u, x
		}
	}
	t.Logf("%s: %d inputs, worst %.4f ULP at x=%v", name, len(xs), worst, worstX)
	if worst > 1 {
		t.Errorf("%s: worst %.4f ULP > 1 at x=%v", name, worst, worstX)
	}
}

func TestSigmoidBackwardAccuracy(t *testing.T) {
	xs := inputs32(sampleSize())
	// y: sigmoid outputs, and values of [0, 1] and beyond.
	y := make([]float32, len(xs))
	fallback.Sigmoid(y, xs)
	r := rand.New(rand.NewPCG(7, 8))
	for i := range y {
		if i%3 == 0 {
			y[i] = float32(r.Float64())
		}
	}
	testBackward32(t, "SigmoidBackward", fallback.SigmoidBackward, y, r, 1.5, 0, accuracy.BackwardExact64)
}

func TestSiLUBackwardAccuracy(t *testing.T) {
	testBackward32(t, "SiLUBackward", fallback.SiLUBackward, inputs32(sampleSize()), rand.New(rand.NewPCG(9, 10)), 2, 0x1p-25, accuracy.SiLUBackwardExact64)
}

func testBackward32(t *testing.T, name string, f func(dx, dy, y []float32), y []float32, r *rand.Rand, bound, abs float64, exact func(dy, y float64) (float64, float64)) {
	dy := make([]float32, len(y))
	for i := range dy {
		dy[i] = float32(r.Float64()*2 - 1)
		if i%7 == 0 {
			dy[i] = float32(math.Ldexp(r.Float64()-0.5, r.IntN(200)-100))
		}
	}
	dx := make([]float32, len(y))
	f(dx, dy, y)
	one := make([]float32, 1)
	worst, worstDy, worstY := 0.0, float32(0), float32(0)
	for i := range y {
		f(one, dy[i:i+1], y[i:i+1])
		if bits32(one[0]) != bits32(dx[i]) {
			t.Fatalf("%s: element %d (dy %v, %v) = %v, alone %v", name, i, dy[i], y[i], dx[i], one[0])
		}
		if y[i] != y[i] || math.IsInf(float64(y[i]), 0) {
			continue
		}
		hi, _ := exact(float64(dy[i]), float64(y[i]))
		if math.Abs(hi) > math.MaxFloat32 {
			continue
		}
		if math.Abs(float64(dx[i])-hi) <= abs*math.Abs(float64(dy[i])) {
			continue // within the absolute allowance (next to the zero of silu')
		}
		if u := ulp32(dx[i], hi); u > worst {
			worst, worstDy, worstY = u, dy[i], y[i]
		}
	}
	t.Logf("%s: %d inputs, worst %.4f ULP at dy=%v, %v", name, len(y), worst, worstDy, worstY)
	if worst > bound {
		t.Errorf("%s: worst %.4f ULP > %g at dy=%v, %v", name, worst, bound, worstDy, worstY)
	}
}

// The float64 SiLU functions against accuracy's references on
// accuracy.Inputs64 (Sigmoid64 and SigmoidBackward64: sigmoid64_test.go).
func TestSiLU64Accuracy(t *testing.T) {
	xs := accuracy.Inputs64(sampleSize(), 3)
	dst := make([]float64, len(xs))
	fallback.SiLU64(dst, xs)
	dy := make([]float64, len(xs))
	r := rand.New(rand.NewPCG(11, 12))
	for i := range dy {
		dy[i] = r.Float64()*2 - 1
	}
	dx := make([]float64, len(xs))
	fallback.SiLUBackward64(dx, dy, xs)
	one := make([]float64, 1)
	var worst, worstB float64
	for i, x := range xs {
		if math.Float64bits(fallback.SiLUScalar64(x)) != math.Float64bits(dst[i]) {
			t.Fatalf("SiLU64: element %d (%v) = %v, SiLUScalar64 gives %v", i, x, dst[i], fallback.SiLUScalar64(x))
		}
		fallback.SiLUBackward64(one, dy[i:i+1], xs[i:i+1])
		if math.Float64bits(one[0]) != math.Float64bits(dx[i]) {
			t.Fatalf("SiLUBackward64: element %d (dy %v, x %v) = %v, alone %v", i, dy[i], x, dx[i], one[0])
		}
		if x != x {
			continue
		}
		hi, lo := accuracy.SiLUExact64(x)
		worst = max(worst, accuracy.ULP64(dst[i], hi, lo))
		if !math.IsInf(x, 0) && math.Abs(x) < 600 {
			hi, lo = accuracy.SiLUBackwardExact64(dy[i], x)
			if math.Abs(dx[i]-hi) > 0x1p-54*math.Abs(dy[i]) {
				worstB = max(worstB, accuracy.ULP64(dx[i], hi, lo))
			}
		}
	}
	t.Logf("SiLU64: worst %.4f ULP; SiLUBackward64: worst %.4f ULP (%d inputs)", worst, worstB, len(xs))
	if worst > 1 || worstB > 2 {
		t.Errorf("SiLU64 worst %.4f ULP (bound 1), SiLUBackward64 worst %.4f ULP (bound 2)", worst, worstB)
	}
}

func TestSpecial(t *testing.T) {
	inf := float32(math.Inf(1))
	nz := float32(math.Copysign(0, -1))
	for _, tc := range []struct {
		name    string
		f       func(float32) float32
		x, want float32
	}{
		{"SigmoidScalar", fallback.SigmoidScalar, inf, 1}, {"SigmoidScalar", fallback.SigmoidScalar, -inf, 0},
		{"SigmoidScalar", fallback.SigmoidScalar, 0, 0.5}, {"SigmoidScalar", fallback.SigmoidScalar, nz, 0.5},
		{"SigmoidScalar", fallback.SigmoidScalar, math.MaxFloat32, 1}, {"SigmoidScalar", fallback.SigmoidScalar, -math.MaxFloat32, 0},
		{"SigmoidScalar", fallback.SigmoidScalar, 40, 1}, {"SigmoidScalar", fallback.SigmoidScalar, -120, 0},
		{"SiLUScalar", fallback.SiLUScalar, inf, inf}, {"SiLUScalar", fallback.SiLUScalar, -inf, nz},
		{"SiLUScalar", fallback.SiLUScalar, 0, 0}, {"SiLUScalar", fallback.SiLUScalar, nz, nz},
		{"SiLUScalar", fallback.SiLUScalar, math.MaxFloat32, math.MaxFloat32}, {"SiLUScalar", fallback.SiLUScalar, -math.MaxFloat32, nz},
		{"SiLUScalar", fallback.SiLUScalar, 40, 40}, {"SiLUScalar", fallback.SiLUScalar, -120, nz},
	} {
		if got := tc.f(tc.x); bits32(got) != bits32(tc.want) {
			t.Errorf("%s(%v) = %v, want %v", tc.name, tc.x, got, tc.want)
		}
	}
	ninf := math.Inf(-1)
	for _, tc := range []struct {
		name    string
		f       func(float64) float64
		x, want float64
	}{
		{"SigmoidScalar64", fallback.SigmoidScalar64, math.Inf(1), 1}, {"SigmoidScalar64", fallback.SigmoidScalar64, ninf, 0},
		{"SigmoidScalar64", fallback.SigmoidScalar64, 0, 0.5}, {"SigmoidScalar64", fallback.SigmoidScalar64, math.Copysign(0, -1), 0.5},
		{"SigmoidScalar64", fallback.SigmoidScalar64, math.MaxFloat64, 1}, {"SigmoidScalar64", fallback.SigmoidScalar64, -math.MaxFloat64, 0},
		{"SiLUScalar64", fallback.SiLUScalar64, math.Inf(1), math.Inf(1)}, {"SiLUScalar64", fallback.SiLUScalar64, ninf, math.Copysign(0, -1)},
		{"SiLUScalar64", fallback.SiLUScalar64, 0, 0}, {"SiLUScalar64", fallback.SiLUScalar64, math.Copysign(0, -1), math.Copysign(0, -1)},
		{"SiLUScalar64", fallback.SiLUScalar64, 1000, 1000}, {"SiLUScalar64", fallback.SiLUScalar64, -1000, math.Copysign(0, -1)},
	} {
		if got := tc.f(tc.x); math.Float64bits(got) != math.Float64bits(tc.want) {
			t.Errorf("%s(%v) = %v, want %v", tc.name, tc.x, got, tc.want)
		}
	}
}

// TestInPlace runs every slice function on lengths 0 to 40 (blocks of 4
// and the remainder; blocks with an edge input leave the fast code) with
// the output an input itself.
func TestInPlace(t *testing.T) {
	xs := inputs32(64)
	r := rand.New(rand.NewPCG(13, 14))
	for n := range 41 {
		src := make([]float32, n)
		dy := make([]float32, n)
		for i := range src {
			src[i] = float32(r.Float64()*20 - 10)
			if r.IntN(5) == 0 {
				src[i] = xs[r.IntN(len(xs))]
			}
			dy[i] = float32(r.Float64()*2 - 1)
		}
		for _, f := range []struct {
			name string
			f    func(dst, src []float32)
		}{{"Sigmoid", fallback.Sigmoid}, {"SiLU", fallback.SiLU}} {
			want := make([]float32, n)
			f.f(want, src)
			in := append([]float32(nil), src...)
			f.f(in, in)
			for i := range in {
				if bits32(in[i]) != bits32(want[i]) {
					t.Fatalf("%s n=%d: in place [%d] = %v, want %v", f.name, n, i, in[i], want[i])
				}
			}
		}
		for _, f := range []struct {
			name string
			f    func(dx, dy, y []float32)
		}{{"SigmoidBackward", fallback.SigmoidBackward}, {"SiLUBackward", fallback.SiLUBackward}} {
			want := make([]float32, n)
			f.f(want, dy, src)
			a, b := append([]float32(nil), dy...), append([]float32(nil), src...)
			f.f(a, a, src)
			f.f(b, dy, b)
			for i := range a {
				if bits32(a[i]) != bits32(want[i]) || bits32(b[i]) != bits32(want[i]) {
					t.Fatalf("%s n=%d: in place [%d] = %v, %v, want %v", f.name, n, i, a[i], b[i], want[i])
				}
			}
		}
	}
}
