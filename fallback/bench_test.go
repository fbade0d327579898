package fallback_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/simdsigmoid/sigmoid/fallback"
)

// The benchmarks run every slice function at n = 4096 on inputs uniform in
// [-10, 10) (dy uniform in [-1, 1)), next to a naive loop of the formula
// in float64, and report the time per element.

const benchN = 4096

func benchData(seed uint64, lo, hi float64) []float64 {
	r := rand.New(rand.NewPCG(seed, 1))
	xs := make([]float64, benchN)
	for i := range xs {
		xs[i] = lo + (hi-lo)*r.Float64()
	}
	return xs
}

func to32(xs []float64) []float32 {
	out := make([]float32, len(xs))
	for i, x := range xs {
		out[i] = float32(x)
	}
	return out
}

// benchUnary32 times f over the inputs, reporting ns per element.
func benchUnary32(b *testing.B, f func(dst, src []float32)) {
	src := to32(benchData(1, -10, 10))
	dst := make([]float32, benchN)
	b.SetBytes(4 * benchN)
	b.ResetTimer()
	for b.Loop() {
		f(dst, src)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchN, "ns/elem")
}

func benchUnary64(b *testing.B, f func(dst, src []float64)) {
	src := benchData(1, -10, 10)
	dst := make([]float64, benchN)
	b.SetBytes(8 * benchN)
	b.ResetTimer()
	for b.Loop() {
		f(dst, src)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchN, "ns/elem")
}

func benchBackward32(b *testing.B, f func(dx, dy, x []float32), y bool) {
	x := to32(benchData(1, -10, 10))
	if y {
		// SigmoidBackward's second input is a sigmoid output.
		for i, v := range x {
			x[i] = float32(1 / (1 + math.Exp(-float64(v))))
		}
	}
	dy := to32(benchData(2, -1, 1))
	dx := make([]float32, benchN)
	b.SetBytes(4 * benchN)
	b.ResetTimer()
	for b.Loop() {
		f(dx, dy, x)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchN, "ns/elem")
}

func benchBackward64(b *testing.B, f func(dx, dy, x []float64), y bool) {
	x := benchData(1, -10, 10)
	if y {
		for i, v := range x {
			x[i] = 1 / (1 + math.Exp(-v))
		}
	}
	dy := benchData(2, -1, 1)
	dx := make([]float64, benchN)
	b.SetBytes(8 * benchN)
	b.ResetTimer()
	for b.Loop() {
		f(dx, dy, x)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchN, "ns/elem")
}

func BenchmarkSliceSigmoid(b *testing.B) { benchUnary32(b, fallback.Sigmoid) }
func BenchmarkSliceSigmoidNaive(b *testing.B) {
	benchUnary32(b, func(dst, src []float32) {
		dst = dst[:len(src)]
		for i, x := range src {
			dst[i] = float32(1 / (1 + math.Exp(-float64(x))))
		}
	})
}

func BenchmarkSliceSigmoid64(b *testing.B) { benchUnary64(b, fallback.Sigmoid64) }
func BenchmarkSliceSigmoid64Naive(b *testing.B) {
	benchUnary64(b, func(dst, src []float64) {
		dst = dst[:len(src)]
		for i, x := range src {
			dst[i] = 1 / (1 + math.Exp(-x))
		}
	})
}

func BenchmarkSliceSiLU(b *testing.B) { benchUnary32(b, fallback.SiLU) }
func BenchmarkSliceSiLUNaive(b *testing.B) {
	benchUnary32(b, func(dst, src []float32) {
		dst = dst[:len(src)]
		for i, x := range src {
			v := float64(x)
			dst[i] = float32(v / (1 + math.Exp(-v)))
		}
	})
}

func BenchmarkSliceSiLU64(b *testing.B) { benchUnary64(b, fallback.SiLU64) }
func BenchmarkSliceSiLU64Naive(b *testing.B) {
	benchUnary64(b, func(dst, src []float64) {
		dst = dst[:len(src)]
		for i, x := range src {
			dst[i] = x / (1 + math.Exp(-x))
		}
	})
}

func BenchmarkSliceSigmoidBackward(b *testing.B) { benchBackward32(b, fallback.SigmoidBackward, true) }
func BenchmarkSliceSigmoidBackwardNaive(b *testing.B) {
	benchBackward32(b, func(dx, dy, y []float32) {
		dx = dx[:len(y)]
		dy = dy[:len(y)]
		for i, v := range y {
			dx[i] = dy[i] * v * (1 - v)
		}
	}, true)
}

func BenchmarkSliceSigmoidBackward64(b *testing.B) {
	benchBackward64(b, fallback.SigmoidBackward64, true)
}
func BenchmarkSliceSigmoidBackward64Naive(b *testing.B) {
	benchBackward64(b, func(dx, dy, y []float64) {
		dx = dx[:len(y)]
		dy = dy[:len(y)]
		for i, v := range y {
			dx[i] = dy[i] * v * (1 - v)
		}
	}, true)
}

func BenchmarkSliceSiLUBackward(b *testing.B) { benchBackward32(b, fallback.SiLUBackward, false) }
func BenchmarkSliceSiLUBackwardNaive(b *testing.B) {
	benchBackward32(b, func(dx, dy, x []float32) {
		dx = dx[:len(x)]
		dy = dy[:len(x)]
		for i, v := range x {
			w := float64(v)
			s := 1 / (1 + math.Exp(-w))
			dx[i] = float32(s * (1 + w*(1-s)) * float64(dy[i]))
		}
	}, false)
}

func BenchmarkSliceSiLUBackward64(b *testing.B) { benchBackward64(b, fallback.SiLUBackward64, false) }
func BenchmarkSliceSiLUBackward64Naive(b *testing.B) {
	benchBackward64(b, func(dx, dy, x []float64) {
		dx = dx[:len(x)]
		dy = dy[:len(x)]
		for i, w := range x {
			s := 1 / (1 + math.Exp(-w))
			dx[i] = s * (1 + w*(1-s)) * dy[i]
		}
	}, false)
}
