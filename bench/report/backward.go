package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/simdsigmoid/sigmoid/bench/internal/workload"
	"github.com/simdsigmoid/sigmoid/kernels"
)

// backwardCandidates are the backward pass of base ("Sigmoid", "SiLU",
// "Tanh", "Softplus" or "LogSigmoid": SigmoidBackward, …, or their float64
// versions) of the kernels in cands (in the same order), the naive Go loop
// and copy(), each as func(dst, src) with src standing for y (or x) and a
// fixed dy as long as the largest of sizes.
func backwardCandidates[F workload.Float](cands []candidate[F], sizes []int, base string) []candidate[F] {
	naiveOf := map[string]func(dx, dy, y []F){"Sigmoid": workload.NaiveBackward[F], "SiLU": workload.NaiveSiLUBackward[F], "Tanh": workload.NaiveTanhBackward[F],
		"Softplus": workload.NaiveSoftplusBackward[F], "LogSigmoid": naiveLogSigmoidBackward[F]}[base]
	return binaryCandidates(cands, uniformDy[F](sizes), func(k kernels.Kernel) func(dx, dy, y []F) { return backwardOf[F](k, base) }, naiveOf)
}

// gluCandidates are GLU (or GLU64) of the kernels in cands (in the same
// order), the naive Go loop and copy(), each as func(dst, src) computing
// a·σ(src), with a fixed a, uniform in [-1, 1) as the backward passes' dy,
// as long as the largest of sizes.
func gluCandidates[F workload.Float](cands []candidate[F], sizes []int) []candidate[F] {
	return binaryCandidates(cands, uniformDy[F](sizes), workload.GLUFunc[F], workload.NaiveGLU[F])
}

// swigluCandidates are SwiGLU (or SwiGLU64) of the kernels in cands (in
// the same order), the naive Go loop and copy(), each as func(dst, src)
// computing silu(gate)·up for gate = src, with a fixed up, the same as
// GLU's a, as long as the largest of sizes.
func swigluCandidates[F workload.Float](cands []candidate[F], sizes []int) []candidate[F] {
	return binaryCandidates(cands, uniformDy[F](sizes), func(k kernels.Kernel) func(dst, up, gate []F) { return swapInputs(workload.SwiGLUFunc[F](k)) },
		swapInputs(workload.NaiveSwiGLU[F]))
}

// bceCandidates are BCEWithLogits (or BCEWithLogits64) of the kernels in
// cands (in the same order), the naive Go loop and copy(), each as
// func(dst, src) computing log(1+exp(z)) - t·z for z = src, with fixed
// targets t (workload.Targets: half labels 0 or 1, half uniform in
// [0, 1)) as long as the largest of sizes.
func bceCandidates[F workload.Float](cands []candidate[F], sizes []int) []candidate[F] {
	ts := workload.Targets[F](slices.Max(sizes), workload.Seed+2)
	return binaryCandidates(cands, ts, func(k kernels.Kernel) func(loss, t, z []F) { return swapInputs(workload.BCEWithLogitsFunc[F](k)) },
		swapInputs(workload.NaiveBCEWithLogits[F]))
}

// swapInputs is f with its two inputs swapped, for binaryCandidates,
// which passes the fixed slice first, for a function that takes it
// second (SwiGLU's up, BCEWithLogits's t).
func swapInputs[F workload.Float](f func(dst, a, b []F)) func(dst, b, a []F) {
	return func(dst, b, a []F) { f(dst, a, b) }
}

// binaryFunctionCandidates are the candidates of fn, one of
// binaryFunctions: gluCandidates, swigluCandidates or bceCandidates.
func binaryFunctionCandidates[F workload.Float](fn string, cands []candidate[F], sizes []int) []candidate[F] {
	switch fn {
	case "GLU":
		return gluCandidates(cands, sizes)
	case "SwiGLU":
		return swigluCandidates(cands, sizes)
	case "BCEWithLogits":
		return bceCandidates(cands, sizes)
	}
	panic("report: no candidates for " + fn)
}

// uniformDy is the fixed dy of the backward passes (and GLU's a and
// SwiGLU's up), uniform in [-1, 1), as long as the largest of sizes.
func uniformDy[F workload.Float](sizes []int) []F {
	return workload.Uniform[F](slices.Max(sizes), -1, 1, workload.Seed+1)
}

// binaryCandidates are of(k) for the kernels k in cands (in the same
// order), naiveOf and copy(), each as func(dst, src) with fixed (dy, GLU's
// a, SwiGLU's up, BCEWithLogits's t) as the first input, cut to len(src), and src as
// the second.
func binaryCandidates[F workload.Float](cands []candidate[F], fixed []F, of func(k kernels.Kernel) func(dst, a, b []F), naiveOf func(dst, a, b []F)) []candidate[F] {
	var bs []candidate[F]
	for _, c := range cands {
		if k, ok := kernelNamed(c.name); ok {
			f := of(k)
			bs = append(bs, candidate[F]{c.name, func(dst, src []F) { f(dst, fixed[:len(src)], src) }, true})
		}
	}
	naiveF := func(dst, src []F) { naiveOf(dst, fixed[:len(src)], src) }
	return append(bs, candidate[F]{naive, naiveF, false}, candidate[F]{cpy, workload.Copy[F], false})
}

// backwardOf is k's backward pass of base, of element type F.
func backwardOf[F workload.Float](k kernels.Kernel, base string) func(dx, dy, y []F) {
	_, sigmoid := workload.KernelFuncs[F](k)
	_, silu := workload.SiLUFuncs[F](k)
	_, tanh := workload.TanhFuncs[F](k)
	softplus, logSigmoid := workload.SoftplusBackwardFuncs[F](k)
	return map[string]func(dx, dy, y []F){"Sigmoid": sigmoid, "SiLU": silu, "Tanh": tanh, "Softplus": softplus, "LogSigmoid": logSigmoid}[base]
}

// naiveLogSigmoidBackward is dy·σ(-x) as a plain Go loop:
// dy/(1+exp(x)) in float64 through math.Exp, the mirror of
// workload.NaiveSoftplusBackward.
func naiveLogSigmoidBackward[F workload.Float](dx, dy, x []F) {
	dx = dx[:len(x)]
	dy = dy[:len(x)]
	for i, v := range x {
		dx[i] = F(float64(dy[i]) / (1 + math.Exp(float64(v))))
	}
}

// kernelNamed is the kernel of that name, if this CPU runs it.
func kernelNamed(name string) (kernels.Kernel, bool) {
	for _, k := range kernels.Kernels() {
		if k.Name() == name {
			return k, true
		}
	}
	return kernels.Kernel{}, false
}

// curveSizes are the lengths the functions besides the sigmoid are timed
// at, for their figures: the powers of 2^step among sizes (4 or, with
// -quick, 16), and the tables' sizes.
func curveSizes(sizes, tables []int, step int) []int {
	var cs []int
	for _, n := range sizes {
		if n&(n-1) == 0 && bitsLen(n)%step == 0 || slices.Contains(tables, n) {
			cs = append(cs, n)
		}
	}
	for _, n := range tables {
		if !slices.Contains(cs, n) {
			cs = append(cs, n)
		}
	}
	slices.Sort(cs)
	return cs
}

// bitsLen is log2 of n, a power of 2.
func bitsLen(n int) int {
	b := 0
	for n > 1 {
		n >>= 1
		b++
	}
	return b
}

// backwardSizes are the lengths the tables of the functions besides the
// sigmoid show: one in the caches and the largest of the run's sizes.
func backwardSizes(sizes []int) []int {
	bs := []int{4096}
	if m := slices.Max(sizes); m > 4096 {
		bs = append(bs, m)
	}
	return bs
}

// backwardHeading is the heading of the backward pass's table of base
// ("Sigmoid", "SiLU", "Tanh", "Softplus", "LogSigmoid"), float64's with
// is64.
func backwardHeading(base string, is64 bool) string {
	switch {
	case base == "Sigmoid" && is64:
		return "## float64 backward pass (SigmoidBackward64)"
	case base == "Sigmoid":
		return "## Backward pass (SigmoidBackward)"
	case is64:
		return fmt.Sprintf("## %s64 backward pass (%sBackward64)", base, base)
	}
	return fmt.Sprintf("## %s backward pass (%sBackward)", base, base)
}

// printBackward prints the table of the backward pass of fn ("Sigmoid",
// "SiLU", "Tanh", "Softplus", "LogSigmoid"), float32 or float64: ns per
// element and its bandwidth against copy()'s per byte moved (3 elements
// for dx = dy·g(y) or dy·g(x), 2 for copy), and returns the number of
// rows whose spread is above noisySpread.
func printBackward[F workload.Float](w io.Writer, fn string, sizes []int, results []result) (noisy int) {
	e := float64(workload.ElemSize[F]())
	fmt.Fprintf(w, "%s\n\n", backwardHeading(fn, e == 8))
	noisy = printThreeStreams[F](w, sizes, results)
	fmt.Fprintf(w, "\nThe backward pass reads dy and %s and writes dx: %g bytes an element, against copy()'s %g; "+
		"from L3/16 elements (2^21 with 32 MiB of L3) the sigmoid's kernels write with non-temporal stores, as copy() does. "+
		"Speed-up is naive time / kernel time, naive being `%s` in a loop, with dy uniform in [-1, 1).\n\n",
		backwardInputs[fn], 3*e, 2*e, naiveBackwardExprs[fn])
	noiseWarning(w, noisy)
	return noisy
}

// printBinary prints the table of fn, one of binaryFunctions (GLU,
// SwiGLU, BCEWithLogits), under "## GLU" or, float64's, "## GLU64", as
// printBackward does a backward pass's, and returns the number of rows
// whose spread is above noisySpread.
func printBinary[F workload.Float](w io.Writer, fn string, sizes []int, results []result) (noisy int) {
	b := binaries[fn]
	e := float64(workload.ElemSize[F]())
	name := workload.FuncName[F](fn)
	fmt.Fprintf(w, "%s\n\n%s(%s), %s\n\n", speedHeading(fn, e == 8), name, strings.Join(b.params[:], ", "),
		fmt.Sprintf(b.about, workload.FuncName[F](b.related)))
	noisy = printThreeStreams[F](w, sizes, results)
	fmt.Fprintf(w, "\n%s reads %s and %s and writes %s: %g bytes an element, against copy()'s %g. "+
		"Speed-up is naive time / kernel time, naive being `%s` in a loop.\n\n", name, b.params[1], b.params[2], b.params[0], 3*e, 2*e, b.naive)
	noiseWarning(w, noisy)
	return noisy
}

// printThreeStreams prints the rows of a function that reads two slices
// and writes a third (a backward pass, GLU, SwiGLU, BCEWithLogits): ns per
// element and its bandwidth against copy()'s per byte moved (3 elements,
// 2 for copy), and returns the number of rows whose spread is above
// noisySpread.
func printThreeStreams[F workload.Float](w io.Writer, sizes []int, results []result) (noisy int) {
	active := kernels.Active()
	e := float64(workload.ElemSize[F]())
	fmt.Fprintf(w, "| kernel | n | ns/element | GB/s moved | speed-up over naive Go | copy() time / its time, per byte moved | spread: IQR (min–max) |\n")
	fmt.Fprintf(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, n := range sizes {
		naiveNs, copyNs := baselines(results, n)
		var copyResult result
		for _, r := range results {
			if r.n == n && r.name == cpy {
				copyResult = r
			}
			if r.n != n || r.name == cpy {
				continue
			}
			name := r.name
			if name == active {
				name += " (active)"
			}
			perElem := r.ns / float64(n)
			fmt.Fprintf(w, "| %s | %d | %.3f | %.1f | %.1f× | %.2f | %s |\n",
				name, n, perElem, 3*e/perElem, naiveNs/r.ns, (copyNs/(2*e))/(r.ns/(3*e)), spreadCell(r, &noisy))
		}
		fmt.Fprintf(w, "| copy | %d | %.3f | %.1f | | 1.00 | %s |\n", n, copyNs/float64(n), 2*e/(copyNs/float64(n)), spreadCell(copyResult, &noisy))
	}
	return noisy
}

// unaryCandidates are fn ("SiLU", "Tanh", "Softplus", "LogSigmoid", or
// their float64 versions) of the kernels in cands, in the same order, the
// naive Go loop and copy().
func unaryCandidates[F workload.Float](fn string, cands []candidate[F]) []candidate[F] {
	var cs []candidate[F]
	for _, c := range cands {
		if k, ok := kernelNamed(c.name); ok {
			cs = append(cs, candidate[F]{c.name, unaryOf[F](k, fn), true})
		}
	}
	naiveOf := map[string]func(dst, src []F){"SiLU": workload.NaiveSiLU[F], "Tanh": workload.NaiveTanh[F],
		"Softplus": workload.NaiveSoftplus[F], "LogSigmoid": workload.NaiveLogSigmoid[F]}[fn]
	return append(cs, candidate[F]{naive, naiveOf, false}, candidate[F]{cpy, workload.Copy[F], false})
}

// unaryOf is k's fn ("SiLU", "Tanh", "Softplus", "LogSigmoid") of element
// type F.
func unaryOf[F workload.Float](k kernels.Kernel, fn string) func(dst, src []F) {
	silu, _ := workload.SiLUFuncs[F](k)
	tanh, _ := workload.TanhFuncs[F](k)
	softplus, logSigmoid := workload.SoftplusFuncs[F](k)
	return map[string]func(dst, src []F){"SiLU": silu, "Tanh": tanh, "Softplus": softplus, "LogSigmoid": logSigmoid}[fn]
}
