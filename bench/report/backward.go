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
// targets t (bceTargets) as long as the largest of sizes.
func bceCandidates[F workload.Float](cands []candidate[F], sizes []int) []candidate[F] {
	return binaryCandidates(cands, bceTargets[F](sizes), func(k kernels.Kernel) func(loss, t, z []F) { return swapInputs(workload.BCEWithLogitsFunc[F](k)) },
		swapInputs(workload.NaiveBCEWithLogits[F]))
}

// bceBackwardCandidates are BCEWithLogitsBackward (or its float64
// version) of the kernels in cands (in the same order), the naive Go loop
// and copy(), each as func(dst, src) computing dz = dy·(σ(z) - t) for z =
// src, with the backward passes' dy and BCEWithLogits's t.
func bceBackwardCandidates[F workload.Float](cands []candidate[F], sizes []int) []candidate[F] {
	dy, ts := uniformDy[F](sizes), bceTargets[F](sizes)
	bind := func(f func(dz, dy, z, t []F)) func(dst, src []F) {
		return func(dst, src []F) { f(dst, dy[:len(src)], src, ts[:len(src)]) }
	}
	return kernelCandidates(cands, func(k kernels.Kernel) func(dst, src []F) { return bind(workload.BCEWithLogitsBackwardFunc[F](k)) },
		bind(workload.NaiveBCEWithLogitsBackward[F]))
}

// bceBothCandidates are BCEWithLogitsAndBackward (or its float64 version)
// of the kernels in cands (in the same order), the naive Go loops and
// copy(), each as func(dst, src) computing the loss of z = src into dst
// and dz = dy·(σ(z) - t) into a buffer of their own, with the backward
// passes' dy and BCEWithLogits's t.
func bceBothCandidates[F workload.Float](cands []candidate[F], sizes []int) []candidate[F] {
	dy, ts, dz := uniformDy[F](sizes), bceTargets[F](sizes), make([]F, slices.Max(sizes))
	bind := func(f func(loss, dz, dy, z, t []F)) func(dst, src []F) {
		return func(dst, src []F) { m := len(src); f(dst, dz[:m], dy[:m], src, ts[:m]) }
	}
	return kernelCandidates(cands, func(k kernels.Kernel) func(dst, src []F) { return bind(workload.BCEWithLogitsAndBackwardFunc[F](k)) },
		bind(workload.NaiveBCEWithLogitsAndBackward[F]))
}

// bceMeanCandidates are BCEWithLogitsMean (or its float64 version) of the
// kernels in cands (in the same order), the naive Go loop and copy(), each
// as func(dst, src) computing the mean loss of z = src, kept in meanSink,
// and its gradient dz into dst, with BCEWithLogits's t.
func bceMeanCandidates[F workload.Float](cands []candidate[F], sizes []int) []candidate[F] {
	ts := bceTargets[F](sizes)
	bind := func(f func(dz, z, t []F) float64) func(dst, src []F) {
		return func(dst, src []F) { meanSink = f(dst, src, ts[:len(src)]) }
	}
	return kernelCandidates(cands, func(k kernels.Kernel) func(dst, src []F) { return bind(workload.BCEWithLogitsMeanFunc[F](k)) },
		bind(workload.NaiveBCEWithLogitsMean[F]))
}

// meanSink keeps the last mean of BCEWithLogitsMean's candidates.
var meanSink float64

// gluBackwardCandidates are GLUBackward (or its float64 version) of the
// kernels in cands (in the same order), the naive Go loop and copy(), each
// as func(dst, src) computing da = dy·σ(b) into dst and db =
// dy·a·σ(b)·σ(-b) into a buffer of their own for b = src
// (gatedBackwardCandidates).
func gluBackwardCandidates[F workload.Float](cands []candidate[F], sizes []int) []candidate[F] {
	return gatedBackwardCandidates(cands, sizes, workload.GLUBackwardFunc[F], workload.NaiveGLUBackward[F])
}

// swigluBackwardCandidates are SwiGLUBackward (or its float64 version) of
// the kernels in cands (in the same order), the naive Go loop and copy(),
// each as func(dst, src) computing dgate = dy·up·silu'(gate) into dst and
// dup = dy·silu(gate) into a buffer of their own for gate = src
// (gatedBackwardCandidates).
func swigluBackwardCandidates[F workload.Float](cands []candidate[F], sizes []int) []candidate[F] {
	of := func(k kernels.Kernel) func(dgate, dup, dy, up, gate []F) {
		return swapGatedInputs(workload.SwiGLUBackwardFunc[F](k))
	}
	return gatedBackwardCandidates(cands, sizes, of, swapGatedInputs(workload.NaiveSwiGLUBackward[F]))
}

// gatedBackwardCandidates are of(k) for the kernels k in cands (in the
// same order), naiveOf and copy(), each as func(dst, src) computing the
// gradients of GLU or SwiGLU: the first output into dst, the second into
// a buffer of their own, from the backward passes' dy, a fixed other
// input (GLU's a, SwiGLU's up), uniform in [-1, 1) from its own seed, each
// cut to len(src), and src.
func gatedBackwardCandidates[F workload.Float](cands []candidate[F], sizes []int, of func(k kernels.Kernel) func(out1, out2, dy, other, src []F), naiveOf func(out1, out2, dy, other, src []F)) []candidate[F] {
	n := slices.Max(sizes)
	dy, other, out2 := uniformDy[F](sizes), workload.Uniform[F](n, -1, 1, workload.Seed+3), make([]F, n)
	bind := func(f func(out1, out2, dy, other, src []F)) func(dst, src []F) {
		return func(dst, src []F) { m := len(src); f(dst, out2[:m], dy[:m], other[:m], src) }
	}
	return kernelCandidates(cands, func(k kernels.Kernel) func(dst, src []F) { return bind(of(k)) }, bind(naiveOf))
}

// swapGatedInputs is f with its last two inputs swapped, for
// gatedBackwardCandidates, which passes src last, for SwiGLUBackward,
// which takes gate before up.
func swapGatedInputs[F workload.Float](f func(out1, out2, dy, a, b []F)) func(out1, out2, dy, b, a []F) {
	return func(out1, out2, dy, b, a []F) { f(out1, out2, dy, a, b) }
}

// swapInputs is f with its two inputs swapped, for binaryCandidates,
// which passes the fixed slice first, for a function that takes it
// second (SwiGLU's up, BCEWithLogits's t).
func swapInputs[F workload.Float](f func(dst, a, b []F)) func(dst, b, a []F) {
	return func(dst, b, a []F) { f(dst, a, b) }
}

// multiCandidates are the candidates of fn, one of multiFunctions
// (gluCandidates, …, bceMeanCandidates), and, where multis[fn].versus
// names a function, that function of each kernel after the kernel
// (withVersus).
func multiCandidates[F workload.Float](fn string, cands []candidate[F], sizes []int) []candidate[F] {
	var cs []candidate[F]
	switch fn {
	case "GLU":
		cs = gluCandidates(cands, sizes)
	case "GLUBackward":
		cs = gluBackwardCandidates(cands, sizes)
	case "SwiGLU":
		cs = swigluCandidates(cands, sizes)
	case "SwiGLUBackward":
		cs = swigluBackwardCandidates(cands, sizes)
	case "BCEWithLogits":
		cs = bceCandidates(cands, sizes)
	case "BCEWithLogitsBackward":
		cs = bceBackwardCandidates(cands, sizes)
	case "BCEWithLogitsAndBackward":
		cs = bceBothCandidates(cands, sizes)
	case "BCEWithLogitsMean":
		cs = bceMeanCandidates(cands, sizes)
	default:
		panic("report: no candidates for " + fn)
	}
	if vs := multis[fn].versus; vs != "" {
		cs = withVersus(cs, vs, cands, sizes)
	}
	return cs
}

// withVersus is cs with, after each kernel's candidate, the same kernel's
// vs ("SiLUBackward", as backwardCandidates times it, on the same dy, or
// "Softplus") on the same src, named versusName(kernel, vs) and not
// marked as a kernel: measured in the same rounds, so that the tables can
// give each kernel's time against it.
func withVersus[F workload.Float](cs []candidate[F], vs string, cands []candidate[F], sizes []int) []candidate[F] {
	var refs []candidate[F]
	switch vs {
	case "SiLUBackward":
		refs = backwardCandidates(cands, sizes, "SiLU")
	case "Softplus":
		refs = unaryCandidates("Softplus", cands)
	default:
		panic("report: no candidates for " + vs)
	}
	var out []candidate[F]
	for _, c := range cs {
		out = append(out, c)
		for _, r := range refs {
			if c.kernel && r.kernel && r.name == c.name {
				out = append(out, candidate[F]{versusName(c.name, vs), r.f, false})
			}
		}
	}
	return out
}

// versusName names the result of kernel's vs measured beside another
// function (withVersus).
func versusName(kernel, vs string) string { return kernel + "/" + vs }

// isVersus reports whether name is that of a result of versusName.
func isVersus(name string) bool { return strings.Contains(name, "/") }

// bceTargets are BCEWithLogits's fixed targets t (workload.Targets: half
// labels 0 or 1, half uniform in [0, 1)) as long as the largest of sizes.
func bceTargets[F workload.Float](sizes []int) []F {
	return workload.Targets[F](slices.Max(sizes), workload.Seed+2)
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
	bind := func(f func(dst, a, b []F)) func(dst, src []F) {
		return func(dst, src []F) { f(dst, fixed[:len(src)], src) }
	}
	return kernelCandidates(cands, func(k kernels.Kernel) func(dst, src []F) { return bind(of(k)) }, bind(naiveOf))
}

// kernelCandidates are of(k) for the kernels k in cands (in the same
// order), then naiveF and copy().
func kernelCandidates[F workload.Float](cands []candidate[F], of func(k kernels.Kernel) func(dst, src []F), naiveF func(dst, src []F)) []candidate[F] {
	var cs []candidate[F]
	for _, c := range cands {
		if k, ok := kernelNamed(c.name); ok {
			cs = append(cs, candidate[F]{c.name, of(k), true})
		}
	}
	return append(cs, candidate[F]{naive, naiveF, false}, candidate[F]{cpy, workload.Copy[F], false})
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
	noisy = printStreams[F](w, sizes, results, 3, "")
	fmt.Fprintf(w, "\nThe backward pass reads dy and %s and writes dx: %g bytes an element, against copy()'s %g; "+
		"from L3/16 elements (2^21 with 32 MiB of L3) the sigmoid's kernels write with non-temporal stores, as copy() does. "+
		"Speed-up is naive time / kernel time, naive being `%s` in a loop, with dy uniform in [-1, 1).\n\n",
		backwardInputs[fn], 3*e, 2*e, naiveBackwardExprs[fn])
	noiseWarning(w, noisy)
	return noisy
}

// printMulti prints the table of fn, one of multiFunctions (GLU,
// GLUBackward, …, BCEWithLogitsMean), under "## GLU" or, float64's,
// "## GLU64", as printBackward does a backward pass's, with a column of
// each kernel's time against its own multis[fn].versus where that names a
// function, and returns the number of rows whose spread is above
// noisySpread.
func printMulti[F workload.Float](w io.Writer, fn string, sizes []int, results []result) (noisy int) {
	b := multis[fn]
	e := float64(workload.ElemSize[F]())
	name := workload.FuncName[F](fn)
	outputs, streams := b.outputs, len(b.params)
	fmt.Fprintf(w, "%s\n\n%s(%s), %s\n\n", speedHeading(fn, e == 8), name, strings.Join(b.params, ", "),
		fmt.Sprintf(b.about, workload.FuncName[F](b.related)))
	noisy = printStreams[F](w, sizes, results, streams, b.versus)
	fmt.Fprintf(w, "\n%s reads %s and writes %s: %g bytes an element, against copy()'s %g. ",
		name, andList(b.params[outputs:]), andList(b.params[:outputs]), float64(streams)*e, 2*e)
	if b.versus != "" {
		vs := workload.FuncName[F](b.versus)
		vsStreams := 2
		if strings.HasSuffix(b.versus, "Backward") {
			vsStreams = 3
		}
		fmt.Fprintf(w, "Time / %s's is the kernel's time over its own %s's, on %s (%g bytes an element), timed in the same rounds. ",
			vs, vs, b.versusOn, float64(vsStreams)*e)
	}
	fmt.Fprintf(w, "Speed-up is naive time / kernel time, naive being `%s` in a loop.\n\n", b.naive)
	noiseWarning(w, noisy)
	return noisy
}

// andList joins words as "a", "a and b", "a, b and c".
func andList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// printStreams prints the rows of a function that reads and writes
// streams slices in all (a backward pass, GLU, SwiGLU, BCEWithLogits: 3;
// BCEWithLogitsBackward: 4; GLUBackward and SwiGLUBackward: 5): ns per
// element and its bandwidth against copy()'s per byte moved (streams
// elements, 2 for copy), and, if versus names a function, each kernel's
// time over that of its own versus, the result named versusName(kernel,
// versus) (withVersus); and returns the number of rows whose spread is
// above noisySpread.
func printStreams[F workload.Float](w io.Writer, sizes []int, results []result, streams int, versus string) (noisy int) {
	active := kernels.Active()
	e := float64(workload.ElemSize[F]())
	moved := float64(streams) * e
	var vsHead, vsRule, vsBlank string
	if versus != "" {
		vsHead, vsRule, vsBlank = fmt.Sprintf(" time / %s's |", workload.FuncName[F](versus)), " ---: |", " |"
	}
	fmt.Fprintf(w, "| kernel | n | ns/element | GB/s moved | speed-up over naive Go | copy() time / its time, per byte moved |%s spread: IQR (min–max) |\n", vsHead)
	fmt.Fprintf(w, "| --- | ---: | ---: | ---: | ---: | ---: |%s ---: |\n", vsRule)
	for _, n := range sizes {
		naiveNs, copyNs := baselines(results, n)
		var copyResult result
		versusNs := map[string]float64{}
		for _, r := range results {
			if r.n == n {
				versusNs[r.name] = r.ns
			}
		}
		for _, r := range results {
			if r.n == n && r.name == cpy {
				copyResult = r
			}
			if r.n != n || r.name == cpy || isVersus(r.name) {
				continue
			}
			name := r.name
			if name == active {
				name += " (active)"
			}
			vsCell := vsBlank
			if v := versusNs[versusName(r.name, versus)]; versus != "" && v > 0 {
				vsCell = fmt.Sprintf(" %.2f |", r.ns/v)
			}
			perElem := r.ns / float64(n)
			fmt.Fprintf(w, "| %s | %d | %.3f | %.1f | %.1f× | %.2f |%s %s |\n",
				name, n, perElem, moved/perElem, naiveNs/r.ns, (copyNs/(2*e))/(r.ns/moved), vsCell, spreadCell(r, &noisy))
		}
		fmt.Fprintf(w, "| copy | %d | %.3f | %.1f | | 1.00 |%s %s |\n", n, copyNs/float64(n), 2*e/(copyNs/float64(n)), vsBlank, spreadCell(copyResult, &noisy))
	}
	return noisy
}

// unaryCandidates are fn ("SiLU", "Tanh", "Softplus", "LogSigmoid", or
// their float64 versions) of the kernels in cands, in the same order, the
// naive Go loop and copy().
func unaryCandidates[F workload.Float](fn string, cands []candidate[F]) []candidate[F] {
	naiveOf := map[string]func(dst, src []F){"SiLU": workload.NaiveSiLU[F], "Tanh": workload.NaiveTanh[F],
		"Softplus": workload.NaiveSoftplus[F], "LogSigmoid": workload.NaiveLogSigmoid[F]}[fn]
	return kernelCandidates(cands, func(k kernels.Kernel) func(dst, src []F) { return unaryOf[F](k, fn) }, naiveOf)
}

// unaryOf is k's fn ("SiLU", "Tanh", "Softplus", "LogSigmoid") of element
// type F.
func unaryOf[F workload.Float](k kernels.Kernel, fn string) func(dst, src []F) {
	silu, _ := workload.SiLUFuncs[F](k)
	tanh, _ := workload.TanhFuncs[F](k)
	softplus, logSigmoid := workload.SoftplusFuncs[F](k)
	return map[string]func(dst, src []F){"SiLU": silu, "Tanh": tanh, "Softplus": softplus, "LogSigmoid": logSigmoid}[fn]
}
