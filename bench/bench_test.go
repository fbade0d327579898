package bench

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/simdsigmoid/sigmoid/bench/internal/workload"
	"github.com/simdsigmoid/sigmoid/fallback"
	"github.com/simdsigmoid/sigmoid/internal/accuracy"
	"github.com/simdsigmoid/sigmoid/kernels"
)

// Input ranges: normal covers the whole curve short of saturation;
// subnormal makes every result subnormal: sigmoid(x) < 2^-126 for x below
// about -87.34 in float32, < 2^-1022 below about -708.40 in float64.
const (
	normalLo, normalHi           = -10, 10
	subnormalLo, subnormalHi     = -100, -88
	subnormalLo64, subnormalHi64 = -740, -710
)

type namedFunc[F workload.Float] struct {
	name string
	f    func(dst, src []F)
}

// benchKernels is every kernel this CPU runs, best first, then the two
// baselines.
func benchKernels[F workload.Float]() []namedFunc[F] {
	var fs []namedFunc[F]
	for _, k := range kernels.Kernels() {
		sigmoid, _ := workload.KernelFuncs[F](k)
		fs = append(fs, namedFunc[F]{k.Name(), sigmoid})
	}
	return append(fs, namedFunc[F]{"naive", workload.Naive[F]}, namedFunc[F]{"copy", workload.Copy[F]})
}

// buffers hands out src and dst slices of a given length, generating inputs
// once and growing only when a larger size is asked for, so that every
// sub-benchmark of a run shares at most one src and one dst of the largest
// size.
type buffers[F workload.Float] struct {
	lo, hi   float64
	src, dst []F
}

func (bu *buffers[F]) get(n int) (dst, src []F) {
	if n > len(bu.src) {
		bu.src = nil
		bu.dst = nil
		bu.src = workload.Uniform[F](n, bu.lo, bu.hi, workload.Seed)
		bu.dst = make([]F, n)
		// Touch every page of dst now, not inside the first timed call.
		copy(bu.dst, bu.src)
	}
	return bu.dst[:n], bu.src[:n]
}

// loop times call, which handles n elements moving bytes bytes, and reports
// ns/elem.
func loop(b *testing.B, n, bytes int, call func()) {
	b.SetBytes(int64(bytes))
	for b.Loop() {
		call()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
}

func run[F workload.Float](b *testing.B, f func(dst, src []F), dst, src []F) {
	loop(b, len(src), workload.ElemSize[F]()*len(src), func() { f(dst, src) })
}

func BenchmarkSigmoid(b *testing.B)   { benchSigmoid[float32](b) }
func BenchmarkSigmoid64(b *testing.B) { benchSigmoid[float64](b) }

func benchSigmoid[F workload.Float](b *testing.B) {
	bu := &buffers[F]{lo: normalLo, hi: normalHi}
	for _, k := range benchKernels[F]() {
		b.Run("kernel="+k.name, func(b *testing.B) {
			for _, n := range workload.Sizes {
				b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
					dst, src := bu.get(n)
					run(b, k.f, dst, src)
				})
			}
		})
	}
}

func BenchmarkSigmoidSubnormal(b *testing.B) {
	benchSubnormal[float32](b, subnormalLo, subnormalHi)
}

func BenchmarkSigmoidSubnormal64(b *testing.B) {
	benchSubnormal[float64](b, subnormalLo64, subnormalHi64)
}

func benchSubnormal[F workload.Float](b *testing.B, lo, hi float64) {
	const n = 4096
	ranges := []struct {
		name string
		bu   *buffers[F]
	}{
		{"subnormal", &buffers[F]{lo: lo, hi: hi}},
		{"normal", &buffers[F]{lo: normalLo, hi: normalHi}},
	}
	for _, k := range kernels.Kernels() {
		sigmoid, _ := workload.KernelFuncs[F](k)
		b.Run("kernel="+k.Name(), func(b *testing.B) {
			for _, r := range ranges {
				b.Run("range="+r.name+fmt.Sprintf("/n=%d", n), func(b *testing.B) {
					dst, src := r.bu.get(n)
					run(b, sigmoid, dst, src)
				})
			}
		})
	}
}

func BenchmarkDispatched(b *testing.B)   { benchDispatched(b, kernels.Sigmoid) }
func BenchmarkDispatched64(b *testing.B) { benchDispatched(b, kernels.Sigmoid64) }

func benchDispatched[F workload.Float](b *testing.B, sigmoid func(dst, src []F)) {
	bu := &buffers[F]{lo: normalLo, hi: normalHi}
	for _, n := range []int{16, 4096} {
		b.Run(fmt.Sprintf("kernel=%s/n=%d", kernels.Active(), n), func(b *testing.B) {
			dst, src := bu.get(n)
			run(b, sigmoid, dst, src)
		})
	}
}

// BenchmarkSigmoidBackward times dx = dy·y·(1-y) for every kernel, a naive
// Go loop and copy() in one run. SetBytes counts the bytes each moves
// (three streams for the backward pass, two for copy), so MB/s compares
// them per byte moved.
func BenchmarkSigmoidBackward(b *testing.B)   { benchBackward[float32](b) }
func BenchmarkSigmoidBackward64(b *testing.B) { benchBackward[float64](b) }

func benchBackward[F workload.Float](b *testing.B) {
	type backward struct {
		name string
		f    func(dx, dy, y []F)
	}
	var fs []backward
	for _, k := range kernels.Kernels() {
		_, f := workload.KernelFuncs[F](k)
		fs = append(fs, backward{k.Name(), f})
	}
	fs = append(fs, backward{"naive", workload.NaiveBackward[F]})
	w := workload.ElemSize[F]()
	for _, n := range []int{4096, 1 << 20, 1 << 24} {
		y := workload.Uniform[F](n, 0, 1, workload.Seed)
		dy := workload.Uniform[F](n, -1, 1, workload.Seed+1)
		dx := make([]F, n)
		copy(dx, dy)
		for _, k := range fs {
			b.Run(fmt.Sprintf("kernel=%s/n=%d", k.name, n), func(b *testing.B) {
				loop(b, n, 3*w*n, func() { k.f(dx, dy, y) })
			})
		}
		b.Run(fmt.Sprintf("kernel=copy/n=%d", n), func(b *testing.B) {
			loop(b, n, 2*w*n, func() { workload.Copy(dx, dy) })
		})
	}
}

// BenchmarkSiLU times SiLU for every kernel, the naive Go loop and copy()
// in one run, as BenchmarkSigmoid does the sigmoid.
func BenchmarkSiLU(b *testing.B)   { benchSiLU[float32](b) }
func BenchmarkSiLU64(b *testing.B) { benchSiLU[float64](b) }

func benchSiLU[F workload.Float](b *testing.B) {
	bu := &buffers[F]{lo: normalLo, hi: normalHi}
	fs := []namedFunc[F]{}
	for _, k := range kernels.Kernels() {
		silu, _ := workload.SiLUFuncs[F](k)
		fs = append(fs, namedFunc[F]{k.Name(), silu})
	}
	fs = append(fs, namedFunc[F]{"naive", workload.NaiveSiLU[F]}, namedFunc[F]{"copy", workload.Copy[F]})
	for _, k := range fs {
		b.Run("kernel="+k.name, func(b *testing.B) {
			for _, n := range workload.Sizes {
				b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
					dst, src := bu.get(n)
					run(b, k.f, dst, src)
				})
			}
		})
	}
}

// BenchmarkTanh times Tanh for every kernel next to Sigmoid of the same
// kernel, the naive Go loop (math.Tanh) and copy(), in one run; n = 4096
// and 2^20.
func BenchmarkTanh(b *testing.B)   { benchTanh[float32](b) }
func BenchmarkTanh64(b *testing.B) { benchTanh[float64](b) }

func benchTanh[F workload.Float](b *testing.B) {
	benchBesideSigmoid(b, func(k kernels.Kernel) []namedFunc[F] {
		tanh, _ := workload.TanhFuncs[F](k)
		return []namedFunc[F]{{k.Name(), tanh}}
	}, workload.NaiveTanh[F])
}

// benchBesideSigmoid times, at n = 4096 and 2^20, the functions of every
// kernel that of gives, each kernel's Sigmoid after them, then naive and
// copy().
func benchBesideSigmoid[F workload.Float](b *testing.B, of func(k kernels.Kernel) []namedFunc[F], naive func(dst, src []F)) {
	bu := &buffers[F]{lo: normalLo, hi: normalHi}
	var fs []namedFunc[F]
	for _, k := range kernels.Kernels() {
		sigmoid, _ := workload.KernelFuncs[F](k)
		fs = append(append(fs, of(k)...), namedFunc[F]{k.Name() + "-sigmoid", sigmoid})
	}
	fs = append(fs, namedFunc[F]{"naive", naive}, namedFunc[F]{"copy", workload.Copy[F]})
	for _, n := range []int{4096, 1 << 20} {
		for _, k := range fs {
			b.Run(fmt.Sprintf("kernel=%s/n=%d", k.name, n), func(b *testing.B) {
				dst, src := bu.get(n)
				run(b, k.f, dst, src)
			})
		}
	}
}

// BenchmarkInputMix times the float32 forward functions of every kernel,
// with the naive Go loop of each and copy(), at n = 4096 on three kinds of
// input: normal (uniform in [-10, 10)), saturated (|x| uniform in
// [32, 1000), either sign) and bits (uniformly random bit patterns, as an
// exhaustive sweep meets them).
func BenchmarkInputMix(b *testing.B) {
	const n = 4096
	inputs := []struct {
		name string
		src  []float32
	}{
		{"normal", workload.Uniform[float32](n, normalLo, normalHi, workload.Seed)},
		{"saturated", workload.Saturated[float32](n, 32, 1000, workload.Seed)},
		{"bits", workload.BitPatterns(n, workload.Seed)},
	}
	type fn struct {
		name  string
		of    func(k kernels.Kernel) func(dst, src []float32)
		naive func(dst, src []float32)
	}
	fns := []fn{
		{"Sigmoid", func(k kernels.Kernel) func(dst, src []float32) { return k.Sigmoid }, workload.Naive[float32]},
		{"SiLU", func(k kernels.Kernel) func(dst, src []float32) { return k.SiLU }, workload.NaiveSiLU[float32]},
		{"Tanh", func(k kernels.Kernel) func(dst, src []float32) { return k.Tanh }, workload.NaiveTanh[float32]},
		{"Softplus", func(k kernels.Kernel) func(dst, src []float32) { return k.Softplus }, workload.NaiveSoftplus[float32]},
		{"LogSigmoid", func(k kernels.Kernel) func(dst, src []float32) { return k.LogSigmoid }, workload.NaiveLogSigmoid[float32]},
	}
	dst := make([]float32, n)
	for _, in := range inputs {
		for _, f := range fns {
			var ks []namedFunc[float32]
			for _, k := range kernels.Kernels() {
				ks = append(ks, namedFunc[float32]{k.Name(), f.of(k)})
			}
			ks = append(ks, namedFunc[float32]{"naive", f.naive}, namedFunc[float32]{"copy", workload.Copy[float32]})
			for _, k := range ks {
				b.Run(fmt.Sprintf("input=%s/func=%s/kernel=%s", in.name, f.name, k.name), func(b *testing.B) {
					run(b, k.f, dst, in.src)
				})
			}
		}
	}
}

// BenchmarkSoftplus times Softplus and LogSigmoid for every kernel next
// to Sigmoid of the same kernel, the naive Go loop of softplus
// (math.Log1p and math.Exp) and copy(), in one run; n = 4096 and 2^20.
func BenchmarkSoftplus(b *testing.B)   { benchSoftplus[float32](b) }
func BenchmarkSoftplus64(b *testing.B) { benchSoftplus[float64](b) }

func benchSoftplus[F workload.Float](b *testing.B) {
	benchBesideSigmoid(b, func(k kernels.Kernel) []namedFunc[F] {
		softplus, logSigmoid := workload.SoftplusFuncs[F](k)
		return []namedFunc[F]{{k.Name(), softplus}, {k.Name() + "-logsigmoid", logSigmoid}}
	}, workload.NaiveSoftplus[F])
}

// BenchmarkTanhBackward times dx = dy·(1 - y·y) for every kernel next to
// SigmoidBackward, the naive loop and copy().
func BenchmarkTanhBackward(b *testing.B)   { benchTanhBackward[float32](b) }
func BenchmarkTanhBackward64(b *testing.B) { benchTanhBackward[float64](b) }

func benchTanhBackward[F workload.Float](b *testing.B) {
	type backward struct {
		name string
		f    func(dx, dy, y []F)
	}
	var fs []backward
	for _, k := range kernels.Kernels() {
		_, tb := workload.TanhFuncs[F](k)
		_, sb := workload.KernelFuncs[F](k)
		fs = append(fs, backward{k.Name(), tb}, backward{k.Name() + "-sigmoid", sb})
	}
	fs = append(fs, backward{"naive", workload.NaiveTanhBackward[F]})
	w := workload.ElemSize[F]()
	n := 4096
	y := workload.Uniform[F](n, -1, 1, workload.Seed)
	dy := workload.Uniform[F](n, -1, 1, workload.Seed+1)
	dx := make([]F, n)
	for _, k := range fs {
		b.Run(fmt.Sprintf("kernel=%s/n=%d", k.name, n), func(b *testing.B) {
			loop(b, n, 3*w*n, func() { k.f(dx, dy, y) })
		})
	}
	b.Run(fmt.Sprintf("kernel=copy/n=%d", n), func(b *testing.B) {
		loop(b, n, 2*w*n, func() { workload.Copy(dx, dy) })
	})
}

// BenchmarkSoftplusBackward times dx = dy·σ(x) (SoftplusBackward) and
// dy·σ(-x) (LogSigmoidBackward) for every kernel next to SigmoidBackward
// and Sigmoid of the same kernel, the naive Go loop and copy(), in one
// run; n = 4096, x uniform in [-10, 10), dy in [-1, 1).
func BenchmarkSoftplusBackward(b *testing.B)   { benchSoftplusBackward[float32](b) }
func BenchmarkSoftplusBackward64(b *testing.B) { benchSoftplusBackward[float64](b) }

func benchSoftplusBackward[F workload.Float](b *testing.B) {
	type backward struct {
		name string
		f    func(dx, dy, x []F)
	}
	var fs []backward
	n := 4096
	src := workload.Uniform[F](n, normalLo, normalHi, workload.Seed)
	dy := workload.Uniform[F](n, -1, 1, workload.Seed+1)
	dx := make([]F, n)
	for _, k := range kernels.Kernels() {
		sp, ls := workload.SoftplusBackwardFuncs[F](k)
		sig, sb := workload.KernelFuncs[F](k)
		fs = append(fs, backward{k.Name(), sp}, backward{k.Name() + "-logsigmoid", ls}, backward{k.Name() + "-sigmoidbackward", sb},
			backward{k.Name() + "-sigmoid", func(dx, _, x []F) { sig(dx, x) }})
	}
	fs = append(fs, backward{"naive", workload.NaiveSoftplusBackward[F]})
	w := workload.ElemSize[F]()
	for _, k := range fs {
		b.Run(fmt.Sprintf("kernel=%s/n=%d", k.name, n), func(b *testing.B) {
			loop(b, n, 3*w*n, func() { k.f(dx, dy, src) })
		})
	}
	b.Run(fmt.Sprintf("kernel=copy/n=%d", n), func(b *testing.B) {
		loop(b, n, 2*w*n, func() { workload.Copy(dx, dy) })
	})
}

// BenchmarkGLU times dst = a·σ(b) (GLU) for every kernel next to SiLU of
// the same kernel on b, the naive Go loop and copy(), in one run; n =
// 4096, b uniform in [-10, 10), a in [-1, 1). GLU moves 3 streams (a and
// b read, dst written), SiLU and copy() 2.
func BenchmarkGLU(b *testing.B)   { benchGLU[float32](b) }
func BenchmarkGLU64(b *testing.B) { benchGLU[float64](b) }

func benchGLU[F workload.Float](b *testing.B) {
	n := 4096
	x := workload.Uniform[F](n, normalLo, normalHi, workload.Seed)
	a := workload.Uniform[F](n, -1, 1, workload.Seed+1)
	benchNextToUnary(b, a, x, workload.GLUFunc[F], "silu",
		func(k kernels.Kernel) func(dst, src []F) { f, _ := workload.SiLUFuncs[F](k); return f }, x, workload.NaiveGLU[F])
}

// BenchmarkSwiGLU times dst = silu(gate)·up (SwiGLU) for every kernel next
// to SiLU of the same kernel on gate, the naive Go loop and copy(), in one
// run; n = 4096, gate uniform in [-10, 10), up in [-1, 1). SwiGLU moves 3
// streams (gate and up read, dst written), SiLU and copy() 2.
func BenchmarkSwiGLU(b *testing.B)   { benchSwiGLU[float32](b) }
func BenchmarkSwiGLU64(b *testing.B) { benchSwiGLU[float64](b) }

func benchSwiGLU[F workload.Float](b *testing.B) {
	n := 4096
	gate := workload.Uniform[F](n, normalLo, normalHi, workload.Seed)
	up := workload.Uniform[F](n, -1, 1, workload.Seed+1)
	benchNextToUnary(b, gate, up, workload.SwiGLUFunc[F], "silu",
		func(k kernels.Kernel) func(dst, src []F) { f, _ := workload.SiLUFuncs[F](k); return f }, gate, workload.NaiveSwiGLU[F])
}

// BenchmarkBCEWithLogits times loss = log(1+exp(z)) - t·z (BCEWithLogits)
// for every kernel next to Softplus of the same kernel on z, the naive Go
// loop and copy(), in one run; n = 4096, z uniform in [-10, 10), t half
// labels (0 or 1), half uniform in [0, 1) (smoothed labels), as
// workload.Targets makes them. BCEWithLogits moves 3 streams (z and t
// read, loss written), Softplus and copy() 2.
func BenchmarkBCEWithLogits(b *testing.B)   { benchBCEWithLogits[float32](b) }
func BenchmarkBCEWithLogits64(b *testing.B) { benchBCEWithLogits[float64](b) }

func benchBCEWithLogits[F workload.Float](b *testing.B) {
	n := 4096
	z, _, t := bceInputs[F](n)
	benchNextToUnary(b, z, t, workload.BCEWithLogitsFunc[F], "softplus",
		softplusOf[F], z, workload.NaiveBCEWithLogits[F])
}

// bceInputs are the BCE benchmarks' logits z, uniform in [-10, 10), weights
// dy, uniform in [-1, 1), and targets t as workload.Targets makes them: n
// of each.
func bceInputs[F workload.Float](n int) (z, dy, t []F) {
	return workload.Uniform[F](n, normalLo, normalHi, workload.Seed), workload.Uniform[F](n, -1, 1, workload.Seed+1), workload.Targets[F](n, workload.Seed+2)
}

// softplusOf is k's Softplus of element type F.
func softplusOf[F workload.Float](k kernels.Kernel) func(dst, src []F) {
	f, _ := workload.SoftplusFuncs[F](k)
	return f
}

// benchNextToUnary times out = f(in0, in1) for every kernel, each next to
// the same kernel's function of one input named ref on refIn, then naive
// and copy(), at len(in0) elements: f and naive move 3 streams, ref and
// copy() 2.
func benchNextToUnary[F workload.Float](b *testing.B, in0, in1 []F, f func(kernels.Kernel) func(out, in0, in1 []F),
	ref string, unary func(kernels.Kernel) func(dst, src []F), refIn []F, naive func(out, in0, in1 []F)) {
	type run struct {
		name  string
		f     func()
		bytes int
	}
	n, w := len(in0), workload.ElemSize[F]()
	out := make([]F, n)
	var fs []run
	for _, k := range kernels.Kernels() {
		fk, uk := f(k), unary(k)
		fs = append(fs, run{k.Name(), func() { fk(out, in0, in1) }, 3 * w * n},
			run{k.Name() + "-" + ref, func() { uk(out, refIn) }, 2 * w * n})
	}
	fs = append(fs, run{"naive", func() { naive(out, in0, in1) }, 3 * w * n},
		run{"copy", func() { workload.Copy(out, in0) }, 2 * w * n})
	for _, r := range fs {
		b.Run(fmt.Sprintf("kernel=%s/n=%d", r.name, n), func(b *testing.B) {
			loop(b, n, r.bytes, r.f)
		})
	}
}

// BenchmarkSiLUBackward times dx = dy·silu'(x), with MB/s per byte moved
// next to copy(), as BenchmarkSigmoidBackward does.
func BenchmarkSiLUBackward(b *testing.B)   { benchSiLUBackward[float32](b) }
func BenchmarkSiLUBackward64(b *testing.B) { benchSiLUBackward[float64](b) }

func benchSiLUBackward[F workload.Float](b *testing.B) {
	type backward struct {
		name string
		f    func(dx, dy, x []F)
	}
	var fs []backward
	for _, k := range kernels.Kernels() {
		_, f := workload.SiLUFuncs[F](k)
		fs = append(fs, backward{k.Name(), f})
	}
	fs = append(fs, backward{"naive", workload.NaiveSiLUBackward[F]})
	w := workload.ElemSize[F]()
	for _, n := range []int{4096, 1 << 20, 1 << 24} {
		x := workload.Uniform[F](n, normalLo, normalHi, workload.Seed)
		dy := workload.Uniform[F](n, -1, 1, workload.Seed+1)
		dx := make([]F, n)
		copy(dx, dy)
		for _, k := range fs {
			b.Run(fmt.Sprintf("kernel=%s/n=%d", k.name, n), func(b *testing.B) {
				loop(b, n, 3*w*n, func() { k.f(dx, dy, x) })
			})
		}
		b.Run(fmt.Sprintf("kernel=copy/n=%d", n), func(b *testing.B) {
			loop(b, n, 2*w*n, func() { workload.Copy(dx, dy) })
		})
	}
}

func TestHelpers(t *testing.T) {
	const n = 1003 // not a multiple of any vector width
	t.Run("float32", func(t *testing.T) {
		testHelpers[float32](t, n)
		for _, x := range workload.Uniform[float32](n, subnormalLo, subnormalHi, workload.Seed) {
			want := fallback.SigmoidScalar(x)
			if want == 0 || want >= 0x1p-126 {
				t.Fatalf("subnormal range: sigmoid(%v) = %v is not subnormal", x, want)
			}
		}
		var neg int
		for _, x := range workload.Saturated[float32](n, 32, 1000, workload.Seed) {
			if a := math.Abs(float64(x)); a < 32 || a >= 1000 {
				t.Fatalf("Saturated: |%v| outside [32, 1000)", x)
			}
			if x < 0 {
				neg++
			}
		}
		if neg < n/3 || neg > 2*n/3 {
			t.Errorf("Saturated: %d negative of %d", neg, n)
		}
		var nans, big, tiny int
		for _, x := range workload.BitPatterns(n, workload.Seed) {
			switch a := math.Abs(float64(x)); {
			case x != x:
				nans++
			case a > 32:
				big++
			case a < 0x1p-25:
				tiny++
			}
		}
		if big < n/3 || tiny < n/4 || nans > n/50 {
			t.Errorf("BitPatterns: %d of %d above 32, %d below 2^-25, %d NaN: not uniform bit patterns", big, n, tiny, nans)
		}
		src := workload.Uniform[float32](n, normalLo, normalHi, workload.Seed)
		dst := make([]float32, n)
		workload.Naive(dst, src)
		for i, x := range src {
			// Naive rounds twice (exp, then the division), so allow one ulp.
			if why := accuracy.Check(x, dst[i], 1); why != "" {
				t.Fatalf("Naive: %s", why)
			}
		}
	})
	t.Run("float64", func(t *testing.T) {
		testHelpers[float64](t, n)
		for _, x := range workload.Uniform[float64](n, subnormalLo64, subnormalHi64, workload.Seed) {
			if want, _ := accuracy.Exact64(x); want == 0 || want >= 0x1p-1022 {
				t.Fatalf("subnormal range: sigmoid(%v) = %v is not subnormal", x, want)
			}
		}
		src := workload.Uniform[float64](n, normalLo, normalHi, workload.Seed)
		dst := make([]float64, n)
		workload.Naive(dst, src)
		for i, x := range src {
			// exp, the addition and the division each round: a few ulp.
			if hi, lo := accuracy.Exact64(x); accuracy.ULP64(dst[i], hi, lo) > 4 {
				t.Fatalf("Naive(%v) = %v, want %v (off by %.3g ulp)", x, dst[i], hi, accuracy.ULP64(dst[i], hi, lo))
			}
		}
	})
}

// testHelpers checks Uniform, Copy, Naive on the special values,
// NaiveBackward, NaiveGLU, NaiveSwiGLU, Targets and NaiveBCEWithLogits
// for F.
func testHelpers[F workload.Float](t *testing.T, n int) {
	src := workload.Uniform[F](n, normalLo, normalHi, workload.Seed)
	if again := workload.Uniform[F](n, normalLo, normalHi, workload.Seed); !equalBits(src, again) {
		t.Fatal("Uniform: same seed gave different inputs")
	}
	if prefix := workload.Uniform[F](10, normalLo, normalHi, workload.Seed); !equalBits(prefix, src[:10]) {
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
	// A range so narrow that rounding reaches hi.
	for _, x := range workload.Uniform[F](1000, 1, math.Nextafter(1, 2), workload.Seed) {
		if x != 1 {
			t.Fatalf("Uniform in [1, next after 1): %v", x)
		}
	}

	dst := make([]F, n)
	workload.Copy(dst, src)
	if !equalBits(dst, src) {
		t.Fatal("Copy: dst != src")
	}
	workload.Naive(dst[:4], []F{0, F(math.Inf(1)), F(math.Inf(-1)), F(math.NaN())})
	if dst[0] != 0.5 || dst[1] != 1 || dst[2] != 0 || !math.IsNaN(float64(dst[3])) {
		t.Fatalf("Naive(0, +Inf, -Inf, NaN) = %v, want [0.5 1 0 NaN]", dst[:4])
	}
	workload.NaiveBackward(dst[:3], []F{2, -1, 4}, []F{0.5, 0.25, 1})
	if dst[0] != 0.5 || dst[1] != -0.1875 || dst[2] != 0 {
		t.Fatalf("NaiveBackward(dy = [2 -1 4], y = [0.5 0.25 1]) = %v, want [0.5 -0.1875 0]", dst[:3])
	}
	a := workload.Uniform[F](n, -1, 1, workload.Seed+1)
	want := make([]F, n)
	workload.NaiveSoftplusBackward(want, a, src)
	workload.NaiveGLU(dst, a, src)
	if !equalBits(dst, want) {
		t.Fatal("NaiveGLU(a, b) differs from NaiveSoftplusBackward(dy = a, x = b)")
	}
	workload.NaiveSwiGLU(dst[:3], []F{0, 100, -100}, []F{5, 2, 3})
	if dst[0] != 0 || dst[1] != 200 || !(dst[2] < 0 && dst[2] > -1e-40) {
		t.Fatalf("NaiveSwiGLU(gate = [0 100 -100], up = [5 2 3]) = %v, want [0 200 -1.1e-41]", dst[:3])
	}

	ts := workload.Targets[F](n, workload.Seed+2)
	if prefix := workload.Targets[F](10, workload.Seed+2); !equalBits(prefix, ts[:10]) {
		t.Fatal("Targets: a shorter slice is not a prefix of a longer one")
	}
	var zeros, ones, smoothed int
	for i, v := range ts {
		switch {
		case i%2 == 0 && v == 0:
			zeros++
		case i%2 == 0 && v == 1:
			ones++
		case i%2 == 1 && v >= 0 && v < 1:
			smoothed++
		default:
			t.Fatalf("Targets: t[%d] = %v, want 0 or 1 at even indices, in [0, 1) at odd ones", i, v)
		}
	}
	if zeros < n/8 || ones < n/8 {
		t.Fatalf("Targets: %d zeros and %d ones among %d labels", zeros, ones, (n+1)/2)
	}
	// Softplus's naive loop on z and on -z.
	negZ := make([]F, n)
	for i, x := range src {
		negZ[i] = -x
	}
	for _, c := range []struct {
		t    F
		z    []F
		name string
	}{{0, src, "NaiveSoftplus(z)"}, {1, negZ, "NaiveSoftplus(-z)"}} {
		fill := make([]F, n)
		for i := range fill {
			fill[i] = c.t
		}
		workload.NaiveSoftplus(want, c.z)
		workload.NaiveBCEWithLogits(dst, src, fill)
		if !equalBits(dst, want) {
			t.Fatalf("NaiveBCEWithLogits(z, t = %v) differs from %s", c.t, c.name)
		}
	}
	workload.NaiveBCEWithLogits(dst, src, ts)
	for i, x := range src {
		z, tv := float64(x), float64(ts[i])
		if e := math.Log(1+math.Exp(z)) - tv*z; math.Abs(float64(dst[i])-e) > 1e-6*math.Max(math.Abs(e), 1e-3) {
			t.Fatalf("NaiveBCEWithLogits(z = %v, t = %v) = %v, want %v", x, ts[i], dst[i], e)
		}
	}
}

func equalBits[F workload.Float](a, b []F) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(float64(a[i])) != math.Float64bits(float64(b[i])) {
			return false
		}
	}
	return true
}

// BenchmarkSmall times one call on short slices, n = 1..64, through each
// kernel's checked entry point, next to the naive loop and copy(): what a
// caller pays per call when it cannot batch. It reports ns/call.
func BenchmarkSmall(b *testing.B) {
	bu := &buffers[float32]{lo: normalLo, hi: normalHi}
	for _, k := range benchKernels[float32]() {
		b.Run("kernel="+k.name, func(b *testing.B) {
			for n := 1; n <= 64; n++ {
				b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
					dst, src := bu.get(n)
					for b.Loop() {
						k.f(dst, src)
					}
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/call")
				})
			}
		})
	}
}

// TestNoExports checks that package bench exports nothing a program could
// import by mistake: its helpers are in bench/internal/workload.
func TestNoExports(t *testing.T) {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Skipf("no source: %v", err)
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Name.IsExported() {
					t.Errorf("%s exports func %s", name, d.Name)
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if s.Name.IsExported() {
							t.Errorf("%s exports type %s", name, s.Name)
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if n.IsExported() {
								t.Errorf("%s exports %s", name, n)
							}
						}
					}
				}
			}
		}
	}
}

// BenchmarkBCEWithLogitsBackward times dz = dy·(σ(z) - t) for every kernel
// next to SiLUBackward of the same kernel, the naive Go loop and copy(),
// in one run; n = 4096, z uniform in [-10, 10), dy in [-1, 1), t as
// workload.Targets makes them. It moves 4 streams, SiLUBackward 3, copy()
// 2.
func BenchmarkBCEWithLogitsBackward(b *testing.B)   { benchBCEWithLogitsBackward[float32](b) }
func BenchmarkBCEWithLogitsBackward64(b *testing.B) { benchBCEWithLogitsBackward[float64](b) }

func benchBCEWithLogitsBackward[F workload.Float](b *testing.B) {
	n, w := 4096, workload.ElemSize[F]()
	z, dy, t := bceInputs[F](n)
	dz := make([]F, n)
	benchBesideSiLUBackward(b, z, dy, func(k kernels.Kernel) benchRun {
		f := workload.BCEWithLogitsBackwardFunc[F](k)
		return benchRun{k.Name(), func() { f(dz, dy, z, t) }, 4 * w * n}
	}, benchRun{"naive", func() { workload.NaiveBCEWithLogitsBackward(dz, dy, z, t) }, 4 * w * n})
}

// BenchmarkBCEWithLogitsAndBackward times the loss and its gradient in
// one pass (BCEWithLogitsAndBackward) for every kernel next to
// BCEWithLogits then BCEWithLogitsBackward of the same kernel, the same
// results in two passes, and its Softplus on z, the naive Go loops and
// copy(), in one run; n = 4096, z uniform in [-10, 10), dy in [-1, 1), t
// as workload.Targets makes them. It moves 5 streams, Softplus and copy()
// 2.
func BenchmarkBCEWithLogitsAndBackward(b *testing.B)   { benchBCEWithLogitsAndBackward[float32](b) }
func BenchmarkBCEWithLogitsAndBackward64(b *testing.B) { benchBCEWithLogitsAndBackward[float64](b) }

func benchBCEWithLogitsAndBackward[F workload.Float](b *testing.B) {
	n, w := 4096, workload.ElemSize[F]()
	z, dy, t := bceInputs[F](n)
	loss, dz := make([]F, n), make([]F, n)
	var rs []benchRun
	for _, k := range kernels.Kernels() {
		both, fwd, bwd := workload.BCEWithLogitsAndBackwardFunc[F](k), workload.BCEWithLogitsFunc[F](k), workload.BCEWithLogitsBackwardFunc[F](k)
		softplus, _ := workload.SoftplusFuncs[F](k)
		rs = append(rs, benchRun{k.Name(), func() { both(loss, dz, dy, z, t) }, 5 * w * n},
			benchRun{k.Name() + "-two-passes", func() { fwd(loss, z, t); bwd(dz, dy, z, t) }, 5 * w * n},
			benchRun{k.Name() + "-softplus", func() { softplus(loss, z) }, 2 * w * n})
	}
	rs = append(rs, benchRun{"naive", func() { workload.NaiveBCEWithLogitsAndBackward(loss, dz, dy, z, t) }, 5 * w * n},
		benchRun{"copy", func() { workload.Copy(loss, z) }, 2 * w * n})
	for _, r := range rs {
		b.Run(fmt.Sprintf("kernel=%s/n=%d", r.name, n), func(b *testing.B) { loop(b, n, r.bytes, r.f) })
	}
}

// BenchmarkBCEWithLogitsMean times the mean loss and its gradient
// (BCEWithLogitsMean) for every kernel next to Softplus of the same
// kernel, the naive Go loop and copy(), in one run; n = 4096, z uniform in
// [-10, 10), t as workload.Targets makes them. It moves 3 streams,
// Softplus and copy() 2.
func BenchmarkBCEWithLogitsMean(b *testing.B)   { benchBCEWithLogitsMean[float32](b) }
func BenchmarkBCEWithLogitsMean64(b *testing.B) { benchBCEWithLogitsMean[float64](b) }

func benchBCEWithLogitsMean[F workload.Float](b *testing.B) {
	n := 4096
	z, _, t := bceInputs[F](n)
	var sink float64
	benchNextToUnary(b, z, t, func(k kernels.Kernel) func(dz, z, t []F) {
		f := workload.BCEWithLogitsMeanFunc[F](k)
		return func(dz, z, t []F) { sink += f(dz, z, t) }
	}, "softplus", softplusOf[F], z,
		func(dz, z, t []F) { sink += workload.NaiveBCEWithLogitsMean(dz, z, t) })
	_ = sink
}

// BenchmarkGLUBackward times da = dy·σ(b), db = dy·a·σ'(b) for every
// kernel next to SiLUBackward of the same kernel, the naive Go loop and
// copy(), in one run; n = 4096, b uniform in [-10, 10), a and dy in [-1,
// 1). It moves 5 streams, SiLUBackward 3, copy() 2.
func BenchmarkGLUBackward(b *testing.B)   { benchGLUBackward[float32](b) }
func BenchmarkGLUBackward64(b *testing.B) { benchGLUBackward[float64](b) }

func benchGLUBackward[F workload.Float](b *testing.B) {
	n, w := 4096, workload.ElemSize[F]()
	x := workload.Uniform[F](n, normalLo, normalHi, workload.Seed)
	dy := workload.Uniform[F](n, -1, 1, workload.Seed+1)
	a := workload.Uniform[F](n, -1, 1, workload.Seed+3)
	da, db := make([]F, n), make([]F, n)
	benchBesideSiLUBackward(b, x, dy, func(k kernels.Kernel) benchRun {
		f := workload.GLUBackwardFunc[F](k)
		return benchRun{k.Name(), func() { f(da, db, dy, a, x) }, 5 * w * n}
	}, benchRun{"naive", func() { workload.NaiveGLUBackward(da, db, dy, a, x) }, 5 * w * n})
}

// BenchmarkSwiGLUBackward times dgate = dy·up·silu'(gate), dup =
// dy·silu(gate) for every kernel next to SiLUBackward of the same kernel,
// the naive Go loop and copy(), in one run; n = 4096, gate uniform in
// [-10, 10), up and dy in [-1, 1). It moves 5 streams, SiLUBackward 3,
// copy() 2.
func BenchmarkSwiGLUBackward(b *testing.B)   { benchSwiGLUBackward[float32](b) }
func BenchmarkSwiGLUBackward64(b *testing.B) { benchSwiGLUBackward[float64](b) }

func benchSwiGLUBackward[F workload.Float](b *testing.B) {
	n, w := 4096, workload.ElemSize[F]()
	gate := workload.Uniform[F](n, normalLo, normalHi, workload.Seed)
	dy := workload.Uniform[F](n, -1, 1, workload.Seed+1)
	up := workload.Uniform[F](n, -1, 1, workload.Seed+3)
	dgate, dup := make([]F, n), make([]F, n)
	benchBesideSiLUBackward(b, gate, dy, func(k kernels.Kernel) benchRun {
		f := workload.SwiGLUBackwardFunc[F](k)
		return benchRun{k.Name(), func() { f(dgate, dup, dy, gate, up) }, 5 * w * n}
	}, benchRun{"naive", func() { workload.NaiveSwiGLUBackward(dgate, dup, dy, gate, up) }, 5 * w * n})
}

// benchRun is one timed call and the bytes it moves.
type benchRun struct {
	name  string
	f     func()
	bytes int
}

// benchBesideSiLUBackward times fn's run for every kernel, each next to
// the same kernel's SiLUBackward on x and dy, then naive and copy(), at
// len(x) elements.
func benchBesideSiLUBackward[F workload.Float](b *testing.B, x, dy []F, fn func(kernels.Kernel) benchRun, naive benchRun) {
	n, w := len(x), workload.ElemSize[F]()
	dx := make([]F, n)
	var rs []benchRun
	for _, k := range kernels.Kernels() {
		_, sb := workload.SiLUFuncs[F](k)
		rs = append(rs, fn(k), benchRun{k.Name() + "-silubackward", func() { sb(dx, dy, x) }, 3 * w * n})
	}
	rs = append(rs, naive, benchRun{"copy", func() { workload.Copy(dx, dy) }, 2 * w * n})
	for _, r := range rs {
		b.Run(fmt.Sprintf("kernel=%s/n=%d", r.name, n), func(b *testing.B) {
			loop(b, n, r.bytes, r.f)
		})
	}
}
