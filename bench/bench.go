// Package bench holds the sigmoid benchmarks and the baselines they are
// measured against, shared with the commands under bench/cmd.
//
// The benchmarks (bench_test.go) are, for float32 and (with the suffix 64)
// for float64:
//
//   - BenchmarkSigmoid, BenchmarkSigmoid64: every kernel this CPU runs
//     (kernels.Kernels()), the naive Go loop (kernel=naive) and copy()
//     (kernel=copy), at sizes from 16 to 1<<24 elements, named
//     kernel=<name>/n=<size>. All of them are in one benchmark function so
//     that ratios come from one run.
//   - BenchmarkSigmoidBackward, BenchmarkSigmoidBackward64: the backward
//     pass dx = dy·y·(1-y) of every kernel, a naive Go loop and copy(), at
//     n = 4096, 1<<20 and 1<<24, named the same way.
//   - BenchmarkSigmoidSubnormal, BenchmarkSigmoidSubnormal64: every kernel
//     at n=4096 on inputs whose results are subnormal (range=subnormal: x in
//     [-100, -88] for float32, [-740, -710] for float64) and on ordinary
//     inputs (range=normal, x in [-10, 10]), in one function so the ratio,
//     which must stay at or under 2x, comes from one run.
//   - BenchmarkDispatched, BenchmarkDispatched64: the public kernels.Sigmoid
//     (kernels.Sigmoid64) at n=16 and n=4096, for the per-call overhead of
//     the checks and the dispatch.
//
// Each reports ns/elem besides ns/op, and MB/s counts the input bytes of
// each element (4 or 8; for the backward pass the 3 streams it moves, 2 for
// copy).
//
// Install benchstat once, outside the module so that go.mod is untouched:
//
//	(cd /tmp && go install golang.org/x/perf/cmd/benchstat@latest)
//
// Compare kernels within one run (one column per kernel, naive and copy
// included):
//
//	go test -run XXX -bench 'Sigmoid$' -count 10 ./bench/ | tee new.txt
//	benchstat -col /kernel new.txt
//
// and the same for float64 with -bench 'Sigmoid64$'. Compare two commits
// (run the same command on each, then):
//
//	benchstat old.txt new.txt
//
// The largest size (1<<24 elements, 64 MiB per float32 slice, 128 MiB per
// float64 one) is slow; a quicker look at small sizes only:
//
//	go test -run XXX -bench 'Sigmoid(64)?$/.*/n=(16|4096)$' -count 10 ./bench/
//
// For a Markdown summary with speed-ups, bandwidth and accuracy, use
// go -C bench/report run . (add -quick for a quicker run).
package bench

import (
	"math"
	"math/rand/v2"
	"unsafe"

	"github.com/simdsigmoid/sigmoid/kernels"
)

// Float is the element types of the kernels.
type Float interface{ float32 | float64 }

// Sizes are the slice lengths the benchmarks and the report measure: from
// one that fits in a few vector registers to one far beyond the last-level
// cache.
var Sizes = []int{16, 256, 1024, 4096, 65536, 1 << 20, 1 << 24}

// Seed is the fixed seed of the benchmark inputs.
const Seed = 0x5167_6d01

// Naive is the baseline a Go programmer writes first: one float64 math.Exp
// per element.
func Naive[F Float](dst, src []F) {
	dst = dst[:len(src)]
	for i, x := range src {
		dst[i] = F(1 / (1 + math.Exp(-float64(x))))
	}
}

// Copy is the memory-bandwidth baseline: copy(dst, src). A kernel that
// streams at Copy's speed is limited by memory, not arithmetic.
func Copy[F Float](dst, src []F) {
	copy(dst, src)
}

// Uniform returns n values uniform in [lo, hi), from a generator seeded
// with seed. The same arguments give the same values, and a shorter slice
// is a prefix of a longer one; for float32 and float64 they are the same
// draws, rounded to each.
func Uniform[F Float](n int, lo, hi float64, seed uint64) []F {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	xs := make([]F, n)
	for i := range xs {
		x := F(lo + (hi-lo)*r.Float64())
		// Rounding can reach hi itself; keep the range half-open.
		if float64(x) >= hi {
			x = below(F(hi))
		}
		xs[i] = x
	}
	return xs
}

// below is the largest F below x.
func below[F Float](x F) F {
	var y any = x
	switch y := y.(type) {
	case float32:
		return F(math.Nextafter32(y, float32(math.Inf(-1))))
	case float64:
		return F(math.Nextafter(y, math.Inf(-1)))
	}
	panic("unreachable")
}

// NaiveBackward is the plain Go sigmoid backward pass the kernels are
// compared against: dx[i] = dy[i]*y[i]*(1-y[i]).
func NaiveBackward[F Float](dx, dy, y []F) {
	for i := range y {
		dx[i] = dy[i] * y[i] * (1 - y[i])
	}
}

// ElemSize is the size of an F in bytes.
func ElemSize[F Float]() int {
	var x F
	return int(unsafe.Sizeof(x))
}

// KernelFuncs returns k's functions of element type F: Sigmoid and
// SigmoidBackward for float32, Sigmoid64 and SigmoidBackward64 for float64.
func KernelFuncs[F Float](k kernels.Kernel) (sigmoid func(dst, src []F), backward func(dx, dy, y []F)) {
	var s, b any = k.Sigmoid, k.SigmoidBackward
	if ElemSize[F]() == 8 {
		s, b = k.Sigmoid64, k.SigmoidBackward64
	}
	return s.(func(dst, src []F)), b.(func(dx, dy, y []F))
}

// SiLUFuncs returns k's SiLU and SiLUBackward of element type F.
func SiLUFuncs[F Float](k kernels.Kernel) (silu func(dst, src []F), backward func(dx, dy, x []F)) {
	var s, b any = k.SiLU, k.SiLUBackward
	if ElemSize[F]() == 8 {
		s, b = k.SiLU64, k.SiLUBackward64
	}
	return s.(func(dst, src []F)), b.(func(dx, dy, x []F))
}

// NaiveSiLU is SiLU as a plain Go loop would write it: x/(1+exp(-x)) in
// float64 through math.Exp (NaN for x = -Inf).
func NaiveSiLU[F Float](dst, src []F) {
	dst = dst[:len(src)]
	for i, x := range src {
		dst[i] = F(float64(x) / (1 + math.Exp(-float64(x))))
	}
}

// NaiveSiLUBackward is dy·σ·(1 + x·(1-σ)) as a plain Go loop.
func NaiveSiLUBackward[F Float](dx, dy, x []F) {
	for i, v := range x {
		s := 1 / (1 + math.Exp(-float64(v)))
		dx[i] = F(float64(dy[i]) * s * (1 + float64(v)*(1-s)))
	}
}

// FuncName is "Sigmoid" for float32 and "Sigmoid64" for float64.
func FuncName[F Float]() string {
	if ElemSize[F]() == 8 {
		return "Sigmoid64"
	}
	return "Sigmoid"
}
