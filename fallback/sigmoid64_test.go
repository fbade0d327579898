package fallback_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/simdsigmoid/sigmoid/fallback"
	"github.com/simdsigmoid/sigmoid/internal/accuracy"
)

// scalar64 is SigmoidScalar64 as a slice function.
func scalar64(dst, src []float64) {
	for i, x := range src {
		dst[i] = fallback.SigmoidScalar64(x)
	}
}

// TestSigmoid64Accuracy checks Sigmoid64 and SigmoidScalar64 against the
// double-double reference on 2^20 inputs of accuracy.Inputs64 (specials,
// random bit patterns, dense around 0, the saturation, subnormal and
// underflow edges): no spec violation with a bound of 1 ULP. The 10^8-input run is TestFallbackSigmoid64 in
// internal/accuracy.
func TestSigmoid64Accuracy(t *testing.T) {
	n := 1 << 20
	if testing.Short() {
		n = 1 << 17
	}
	inputs := accuracy.Inputs64(n, 64)
	stats := accuracy.CheckAll64([]accuracy.Func64{
		{Name: "Sigmoid64", F: fallback.Sigmoid64},
		{Name: "SigmoidScalar64", F: scalar64},
	}, inputs, 1)
	for _, st := range stats {
		t.Log(st)
		if st.Violations != 0 {
			t.Errorf("%s: %d violations, first: %s", st.Kernel, st.Violations, st.FirstViolation)
		}
		if st.MaxULP > 1 {
			t.Errorf("%s: max error %.4f ULP > 1 at x=%v", st.Kernel, st.MaxULP, st.Worst)
		}
		if st.SubnormalResults < uint64(n/16) {
			t.Errorf("%s: only %d subnormal results", st.Kernel, st.SubnormalResults)
		}
	}
	// Sigmoid64 is SigmoidScalar64, bit for bit.
	dst := make([]float64, len(inputs))
	fallback.Sigmoid64(dst, inputs)
	for i, x := range inputs {
		if want := fallback.SigmoidScalar64(x); math.Float64bits(dst[i]) != math.Float64bits(want) {
			t.Fatalf("Sigmoid64(%v) = %v, SigmoidScalar64 gives %v", x, dst[i], want)
		}
	}
}

func TestSigmoid64Special(t *testing.T) {
	inf := math.Inf(1)
	for _, c := range []struct{ x, want float64 }{
		{inf, 1}, {-inf, 0}, {0, 0.5}, {math.Copysign(0, -1), 0.5},
		{math.MaxFloat64, 1}, {-math.MaxFloat64, 0}, {1e300, 1}, {-1e300, 0},
		{0x1p-1074, 0.5}, {-0x1p-1074, 0.5}, {0x1p-53, 0.5}, {-0x1p-54, 0.5},
		{accuracy.UnderflowEdge64, 0x1p-1074},
		{math.Nextafter(accuracy.UnderflowEdge64, -inf), 0},
		{accuracy.SaturationEdge64, 1},
		{math.Nextafter(accuracy.SaturationEdge64, 0), 1 - 0x1p-53},
		{accuracy.NearOneEdge64, 1 - 0x1p-53},
		{math.Nextafter(accuracy.NearOneEdge64, 0), 1 - 0x1p-52},
	} {
		if got := fallback.SigmoidScalar64(c.x); got != c.want {
			t.Errorf("SigmoidScalar64(%v) = %v, want %v", c.x, got, c.want)
		}
	}
	for _, b := range []uint64{0x7ff8000000000000, 0xfff8000000000000, 0x7ff0000000000001, 0xffffffffffffffff} {
		if got := fallback.SigmoidScalar64(math.Float64frombits(b)); !math.IsNaN(got) {
			t.Errorf("SigmoidScalar64(NaN %#x) = %v", b, got)
		}
	}
	// Exactly 1 from the saturation edge up, and the smallest subnormal
	// and 0 at the underflow edge.
	x := accuracy.SaturationEdge64
	for range 100000 {
		if got := fallback.SigmoidScalar64(x); got != 1 {
			t.Fatalf("SigmoidScalar64(%v) = %v, want 1", x, got)
		}
		x = math.Nextafter(x, inf)
	}
	r := rand.New(rand.NewPCG(64, 4))
	for range 100000 {
		x := accuracy.SaturationEdge64 + r.ExpFloat64()*100
		if got := fallback.SigmoidScalar64(x); got != 1 {
			t.Fatalf("SigmoidScalar64(%v) = %v, want 1", x, got)
		}
	}
}

// edges64 are inputs around every path boundary of Sigmoid64, to mix into
// slices.
func edges64() []float64 {
	var xs []float64
	for _, c := range []float64{0, 20, 36.7, 37.43, 354.8913, 708, 709.79, 745.14, 746, 1e300} {
		for _, x := range []float64{c, -c} {
			xs = append(xs, x)
			for i := 1; i < 4; i++ {
				xs = append(xs, math.Nextafter(x, math.Inf(1)), math.Nextafter(x, math.Inf(-1)))
			}
		}
	}
	return append(xs, math.NaN(), math.Inf(1), math.Inf(-1))
}

func TestSigmoid64Slice(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 64))
	edges := edges64()
	for n := range 101 {
		src := make([]float64, n)
		for i := range src {
			if i%3 == 0 {
				src[i] = edges[rng.IntN(len(edges))]
			} else {
				src[i] = rng.Float64()*60 - 30
			}
		}
		dst := make([]float64, n+1)
		dst[n] = 42
		fallback.Sigmoid64(dst[:n], src)
		in := append([]float64(nil), src...)
		fallback.Sigmoid64(in, in)
		for i, x := range src {
			want := fallback.SigmoidScalar64(x)
			if math.Float64bits(dst[i]) != math.Float64bits(want) || math.Float64bits(in[i]) != math.Float64bits(want) {
				t.Fatalf("n=%d: Sigmoid64(%v)[%d] = %v, in place %v, want %v", n, x, i, dst[i], in[i], want)
			}
		}
		if dst[n] != 42 {
			t.Fatalf("n=%d: wrote past len(src)", n)
		}
	}
	fallback.Sigmoid64(nil, nil)
	mustPanic(t, "Sigmoid64 with short dst", func() { fallback.Sigmoid64(make([]float64, 3), make([]float64, 4)) })
}

func mustPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s did not panic", what)
		}
	}()
	f()
}

// TestSigmoidBackward64 checks dx = dy·y·(1-y) within 1.5 ULP of the exact
// value (accuracy.BackwardExact64), for outputs y of the sigmoid and
// gradients dy over many binades, subnormal products included.
func TestSigmoidBackward64(t *testing.T) {
	r := rand.New(rand.NewPCG(64, 5))
	const n = 1 << 18
	dy, y := make([]float64, n), make([]float64, n)
	for i := range y {
		switch i % 4 {
		case 0: // sigmoid outputs of ordinary inputs
			y[i] = fallback.SigmoidScalar64(r.Float64()*80 - 40)
		case 1: // y near 0 (subnormal included) and near 1
			y[i] = fallback.SigmoidScalar64(r.Float64()*1500 - 750)
		case 2: // any y in [0, 1]
			y[i] = r.Float64()
		case 3: // tiny y, tiny dy: subnormal products
			y[i] = math.Ldexp(r.Float64(), -900-r.IntN(174))
		}
		dy[i] = math.Ldexp(r.NormFloat64(), r.IntN(400)-200)
	}
	dx := make([]float64, n+1)
	dx[n] = 42
	fallback.SigmoidBackward64(dx[:n], dy, y)
	var worst, worstY, worstDy float64
	for i := range y {
		hi, lo := accuracy.BackwardExact64(dy[i], y[i])
		if u := accuracy.ULP64(dx[i], hi, lo); u > worst {
			worst, worstY, worstDy = u, y[i], dy[i]
		}
	}
	t.Logf("%d inputs: worst %.4f ULP at dy=%v, y=%v", n, worst, worstDy, worstY)
	if worst > 1.5 {
		t.Errorf("worst error %.4f ULP > 1.5", worst)
	}
	if dx[n] != 42 {
		t.Error("wrote past len(y)")
	}
	// Specials: zeros, NaN and Inf propagate as in dy*(y - y*y).
	for _, c := range [][3]float64{{1, 0, 0}, {1, 1, 0}, {2, 0.5, 0.5}, {0, 0.5, 0}, {math.Inf(1), 0.5, math.Inf(1)}} {
		got := make([]float64, 1)
		fallback.SigmoidBackward64(got, []float64{c[0]}, []float64{c[1]})
		if got[0] != c[2] {
			t.Errorf("SigmoidBackward64(dy=%v, y=%v) = %v, want %v", c[0], c[1], got[0], c[2])
		}
	}
	got := make([]float64, 1)
	fallback.SigmoidBackward64(got, []float64{1}, []float64{math.NaN()})
	if !math.IsNaN(got[0]) {
		t.Errorf("SigmoidBackward64(dy=1, y=NaN) = %v", got[0])
	}
	// In place over y, and the length rules of SigmoidBackward.
	in := append([]float64(nil), y...)
	fallback.SigmoidBackward64(in, dy, in)
	for i := range y {
		if math.Float64bits(in[i]) != math.Float64bits(dx[i]) {
			t.Fatalf("in place: element %d is %v, want %v", i, in[i], dx[i])
		}
	}
	fallback.SigmoidBackward64(nil, nil, nil)
	mustPanic(t, "SigmoidBackward64 with short dx", func() {
		fallback.SigmoidBackward64(make([]float64, 3), make([]float64, 4), make([]float64, 4))
	})
	mustPanic(t, "SigmoidBackward64 with short dy", func() {
		fallback.SigmoidBackward64(make([]float64, 4), make([]float64, 3), make([]float64, 4))
	})
}

func TestSigmoid64Allocs(t *testing.T) {
	src := accuracy.Inputs64(4099, 1)
	dst := make([]float64, len(src))
	dy := make([]float64, len(src))
	for name, f := range map[string]func(){
		"Sigmoid64":         func() { fallback.Sigmoid64(dst, src) },
		"Sigmoid64 inplace": func() { fallback.Sigmoid64(dst, dst) },
		"SigmoidBackward64": func() { fallback.SigmoidBackward64(dst, dy, src) },
		"SigmoidScalar64":   func() { dst[0] = fallback.SigmoidScalar64(src[7]) },
	} {
		if a := testing.AllocsPerRun(100, f); a != 0 {
			t.Errorf("%s: %v allocations per run", name, a)
		}
	}
}

func bench64Input(n int) []float64 {
	rng := rand.New(rand.NewPCG(5, 6))
	src := make([]float64, n)
	for i := range src {
		src[i] = rng.Float64()*32 - 16
	}
	return src
}

// bench64 runs f at the sizes of the float32 benchmarks, on inputs in
// [-16, 16] (those of BenchmarkSigmoid).
func bench64(b *testing.B, f func(dst, src []float64)) {
	for _, n := range []int{16, 4096, 65536} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			src := bench64Input(n)
			dst := make([]float64, n)
			b.SetBytes(int64(8 * n))
			for b.Loop() {
				f(dst, src)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
		})
	}
}

func BenchmarkSigmoid64(b *testing.B) { bench64(b, fallback.Sigmoid64) }

// BenchmarkNaive64 is the obvious math.Exp loop, for comparison.
func BenchmarkNaive64(b *testing.B) {
	bench64(b, func(dst, src []float64) {
		dst = dst[:len(src)]
		for i, x := range src {
			dst[i] = 1 / (1 + math.Exp(-x))
		}
	})
}

func BenchmarkSigmoidBackward64(b *testing.B) {
	y := bench64Input(65536)
	fallback.Sigmoid64(y, y)
	dy := bench64Input(65536)
	bench64(b, func(dst, src []float64) { fallback.SigmoidBackward64(dst, dy[:len(src)], src) })
	_ = y
}
