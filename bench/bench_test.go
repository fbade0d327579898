package bench

import (
	"fmt"
	"math"
	"testing"

	"github.com/simdsigmoid/sigmoid/fallback"
	"github.com/simdsigmoid/sigmoid/kernels"
)

// Input ranges: normal covers the whole curve short of saturation;
// subnormal makes every result a subnormal float32 (sigmoid(x) < 2^-126
// for x below about -87.34).
const (
	normalLo, normalHi       = -10, 10
	subnormalLo, subnormalHi = -100, -88
)

type namedFunc struct {
	name string
	f    func(dst, src []float32)
}

// benchKernels is every kernel this CPU runs, best first, then the two
// baselines.
func benchKernels() []namedFunc {
	var fs []namedFunc
	for _, k := range kernels.Kernels() {
		fs = append(fs, namedFunc{k.Name, k.Sigmoid})
	}
	return append(fs, namedFunc{"naive", Naive}, namedFunc{"copy", Copy})
}

// buffers hands out src and dst slices of a given length, generating inputs
// once and growing only when a larger size is asked for, so that every
// sub-benchmark of a run shares at most one 64 MiB src and one dst.
type buffers struct {
	lo, hi   float64
	src, dst []float32
}

func (bu *buffers) get(n int) (dst, src []float32) {
	if n > len(bu.src) {
		bu.src = nil
		bu.dst = nil
		bu.src = Uniform(n, bu.lo, bu.hi, Seed)
		bu.dst = make([]float32, n)
		// Touch every page of dst now, not inside the first timed call.
		copy(bu.dst, bu.src)
	}
	return bu.dst[:n], bu.src[:n]
}

func run(b *testing.B, f func(dst, src []float32), dst, src []float32) {
	n := len(src)
	b.SetBytes(int64(4 * n))
	for b.Loop() {
		f(dst, src)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
}

func BenchmarkSigmoid(b *testing.B) {
	bu := &buffers{lo: normalLo, hi: normalHi}
	for _, k := range benchKernels() {
		b.Run("kernel="+k.name, func(b *testing.B) {
			for _, n := range Sizes {
				b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
					dst, src := bu.get(n)
					run(b, k.f, dst, src)
				})
			}
		})
	}
}

func BenchmarkSigmoidSubnormal(b *testing.B) {
	const n = 4096
	ranges := []struct {
		name string
		bu   *buffers
	}{
		{"subnormal", &buffers{lo: subnormalLo, hi: subnormalHi}},
		{"normal", &buffers{lo: normalLo, hi: normalHi}},
	}
	for _, k := range kernels.Kernels() {
		b.Run("kernel="+k.Name, func(b *testing.B) {
			for _, r := range ranges {
				b.Run("range="+r.name+fmt.Sprintf("/n=%d", n), func(b *testing.B) {
					dst, src := r.bu.get(n)
					run(b, k.Sigmoid, dst, src)
				})
			}
		})
	}
}

func BenchmarkDispatched(b *testing.B) {
	bu := &buffers{lo: normalLo, hi: normalHi}
	for _, n := range []int{16, 4096} {
		b.Run(fmt.Sprintf("kernel=%s/n=%d", kernels.Active(), n), func(b *testing.B) {
			dst, src := bu.get(n)
			run(b, kernels.Sigmoid, dst, src)
		})
	}
}

func TestHelpers(t *testing.T) {
	const n = 1003 // not a multiple of any vector width
	src := Uniform(n, normalLo, normalHi, Seed)
	if again := Uniform(n, normalLo, normalHi, Seed); !equalBits(src, again) {
		t.Fatal("Uniform: same seed gave different inputs")
	}
	if prefix := Uniform(10, normalLo, normalHi, Seed); !equalBits(prefix, src[:10]) {
		t.Fatal("Uniform: a shorter slice is not a prefix of a longer one")
	}
	var neg, pos int
	for _, x := range src {
		if !(x >= normalLo && x < normalHi) {
			t.Fatalf("Uniform: %v outside [%v, %v)", x, normalLo, normalHi)
		}
		if x < 0 {
			neg++
		} else {
			pos++
		}
	}
	if neg < n/4 || pos < n/4 {
		t.Fatalf("Uniform: %d negative and %d non-negative of %d: not uniform", neg, pos, n)
	}
	for _, x := range Uniform(n, subnormalLo, subnormalHi, Seed) {
		want := float32(fallback.Sigmoid64(float64(x)))
		if want == 0 || want >= 0x1p-126 {
			t.Fatalf("subnormal range: sigmoid(%v) = %v is not subnormal", x, want)
		}
	}

	dst := make([]float32, n)
	Copy(dst, src)
	if !equalBits(dst, src) {
		t.Fatal("Copy: dst != src")
	}

	Naive(dst, src)
	for i, x := range src {
		// Naive rounds twice (exp, then the division), so allow one ulp.
		exact := fallback.Sigmoid64(float64(x))
		ulp := float64(math.Nextafter32(float32(exact), 2)) - float64(float32(exact))
		if d := math.Abs(float64(dst[i]) - exact); d > ulp {
			t.Fatalf("Naive(%v) = %v, want %v (off by %.3g ulp)", x, dst[i], exact, d/ulp)
		}
	}
	Naive(dst[:4], []float32{0, float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN())})
	if dst[0] != 0.5 || dst[1] != 1 || dst[2] != 0 || !math.IsNaN(float64(dst[3])) {
		t.Fatalf("Naive(0, +Inf, -Inf, NaN) = %v, want [0.5 1 0 NaN]", dst[:4])
	}
}

func equalBits(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return false
		}
	}
	return true
}

// BenchmarkSigmoidBackward times dx = dy·y·(1-y) for every kernel, a naive
// Go loop and copy() in one run. SetBytes counts the bytes each moves
// (three streams for the backward pass, two for copy), so MB/s compares
// them per byte moved.
func BenchmarkSigmoidBackward(b *testing.B) {
	type backward struct {
		name string
		f    func(dx, dy, y []float32)
	}
	var fs []backward
	for _, k := range kernels.Kernels() {
		fs = append(fs, backward{k.Name, k.SigmoidBackward})
	}
	fs = append(fs, backward{"naive", NaiveBackward})
	for _, n := range []int{4096, 1 << 20, 1 << 24} {
		y := Uniform(n, 0, 1, Seed)
		dy := Uniform(n, -1, 1, Seed+1)
		dx := make([]float32, n)
		copy(dx, dy)
		for _, k := range fs {
			b.Run(fmt.Sprintf("kernel=%s/n=%d", k.name, n), func(b *testing.B) {
				b.SetBytes(int64(12 * n))
				for b.Loop() {
					k.f(dx, dy, y)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
			})
		}
		b.Run(fmt.Sprintf("kernel=copy/n=%d", n), func(b *testing.B) {
			b.SetBytes(int64(8 * n))
			for b.Loop() {
				Copy(dx, dy)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
		})
	}
}
