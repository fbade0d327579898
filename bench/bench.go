// Package bench holds the sigmoid benchmarks and the baselines they are
// measured against, shared with the commands under bench/cmd.
//
// The benchmarks (bench_test.go) are:
//
//   - BenchmarkSigmoid: every kernel this CPU runs (kernels.Kernels()), the
//     naive Go loop (kernel=naive) and copy() (kernel=copy), at sizes from 16
//     to 1<<24 elements, named kernel=<name>/n=<size>. All of them are in one
//     benchmark function so that ratios come from one run.
//   - BenchmarkSigmoidSubnormal: every kernel at n=4096 on inputs whose
//     results are subnormal (range=subnormal, x in [-100, -88]) and on
//     ordinary inputs (range=normal, x in [-10, 10]), in one function so the
//     ratio, which must stay at or under 2x, comes from one run.
//   - BenchmarkDispatched: the public kernels.Sigmoid at n=16 and n=4096, for
//     the per-call overhead of the checks and the dispatch.
//
// Each reports ns/elem besides ns/op, and MB/s counts the 4 input bytes of
// each element.
//
// Install benchstat once, outside the module so that go.mod is untouched:
//
//	(cd /tmp && go install golang.org/x/perf/cmd/benchstat@latest)
//
// Compare kernels within one run (one column per kernel, naive and copy
// included):
//
//	go test -run XXX -bench Sigmoid -count 10 ./bench/ | tee new.txt
//	benchstat -col /kernel new.txt
//
// Compare two commits (run the same command on each, then):
//
//	benchstat old.txt new.txt
//
// The largest size (1<<24 floats, 64 MiB per slice) is slow; a quicker look
// at small sizes only:
//
//	go test -run XXX -bench 'Sigmoid$/.*/n=(16|4096)$' -count 10 ./bench/
//
// For a Markdown summary with speed-ups, bandwidth and accuracy, use
// go run ./bench/cmd/report (add -quick for a run under 30 seconds).
package bench

import (
	"math"
	"math/rand/v2"
)

// Sizes are the slice lengths the benchmarks and the report measure: from
// one that fits in a few vector registers to one far beyond the last-level
// cache.
var Sizes = []int{16, 256, 1024, 4096, 65536, 1 << 20, 1 << 24}

// Seed is the fixed seed of the benchmark inputs.
const Seed = 0x5167_6d01

// Naive is the baseline a Go programmer writes first: one float64 math.Exp
// per element.
func Naive(dst, src []float32) {
	dst = dst[:len(src)]
	for i, x := range src {
		dst[i] = float32(1 / (1 + math.Exp(-float64(x))))
	}
}

// Copy is the memory-bandwidth baseline: copy(dst, src). A kernel that
// streams at Copy's speed is limited by memory, not arithmetic.
func Copy(dst, src []float32) {
	copy(dst, src)
}

// Uniform returns n float32 values uniform in [lo, hi), from a generator
// seeded with seed. The same arguments give the same values, and a shorter
// slice is a prefix of a longer one.
func Uniform(n int, lo, hi float64, seed uint64) []float32 {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	xs := make([]float32, n)
	for i := range xs {
		x := float32(lo + (hi-lo)*r.Float64())
		// Rounding to float32 can reach hi itself; keep the range half-open.
		if float64(x) >= hi {
			x = math.Nextafter32(float32(hi), float32(math.Inf(-1)))
		}
		xs[i] = x
	}
	return xs
}

// NaiveBackward is the plain Go sigmoid backward pass the kernels are
// compared against: dx[i] = dy[i]*y[i]*(1-y[i]).
func NaiveBackward(dx, dy, y []float32) {
	for i := range y {
		dx[i] = dy[i] * y[i] * (1 - y[i])
	}
}
