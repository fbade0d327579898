package main

import (
	"fmt"
	"io"
	"slices"

	"github.com/simdsigmoid/sigmoid/bench/internal/workload"
	"github.com/simdsigmoid/sigmoid/kernels"
)

// backwardCandidates are the SigmoidBackward (or SigmoidBackward64), or
// with silu the SiLUBackward, of the kernels in cands (in the same order),
// the naive Go loop and copy(), each as func(dst, src) with src standing for
// y (or x) and a fixed dy as long as the largest of sizes.
func backwardCandidates[F workload.Float](cands []candidate[F], sizes []int, silu bool) []candidate[F] {
	dy := workload.Uniform[F](slices.Max(sizes), -1, 1, workload.Seed+1)
	byName := map[string]kernels.Kernel{}
	for _, k := range kernels.Kernels() {
		byName[k.Name()] = k
	}
	var bs []candidate[F]
	for _, c := range cands {
		if k, ok := byName[c.name]; ok {
			_, backward := workload.KernelFuncs[F](k)
			if silu {
				_, backward = workload.SiLUFuncs[F](k)
			}
			bs = append(bs, candidate[F]{c.name, func(dst, src []F) { backward(dst, dy[:len(src)], src) }, true})
		}
	}
	naiveBackward := func(dst, src []F) { workload.NaiveBackward(dst, dy[:len(src)], src) }
	if silu {
		naiveBackward = func(dst, src []F) { workload.NaiveSiLUBackward(dst, dy[:len(src)], src) }
	}
	return append(bs, candidate[F]{naive, naiveBackward, false}, candidate[F]{cpy, workload.Copy[F], false})
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

// printBackward prints the backward pass's table, of SigmoidBackward or
// SigmoidBackward64: ns per element and its bandwidth against copy()'s per
// byte moved (3 elements for dx = dy·y·(1-y), 2 for copy), and returns the
// number of rows whose spread is above noisySpread.
func printBackward[F workload.Float](w io.Writer, fn string, sizes []int, results []result) (noisy int) {
	active := kernels.Active()
	e := float64(workload.ElemSize[F]())
	switch {
	case fn == "SiLU" && e == 8:
		fmt.Fprintf(w, "## SiLU64 backward pass (SiLUBackward64)\n\n")
	case fn == "SiLU":
		fmt.Fprintf(w, "## SiLU backward pass (SiLUBackward)\n\n")
	case e == 8:
		fmt.Fprintf(w, "## float64 backward pass (SigmoidBackward64)\n\n")
	default:
		fmt.Fprintf(w, "## Backward pass (SigmoidBackward)\n\n")
	}
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
	fmt.Fprintf(w, "\nThe backward pass reads dy and y (SiLU's: x) and writes dx: %g bytes an element, against copy()'s %g; "+
		"from L3/16 elements (2^21 with 32 MiB of L3) the sigmoid's kernels write with non-temporal stores, as copy() does.\n\n", 3*e, 2*e)
	noiseWarning(w, noisy)
	return noisy
}

// siluCandidates are the SiLU (or SiLU64) of the kernels in cands, in the
// same order, the naive Go loop and copy().
func siluCandidates[F workload.Float](cands []candidate[F]) []candidate[F] {
	byName := map[string]kernels.Kernel{}
	for _, k := range kernels.Kernels() {
		byName[k.Name()] = k
	}
	var cs []candidate[F]
	for _, c := range cands {
		if k, ok := byName[c.name]; ok {
			silu, _ := workload.SiLUFuncs[F](k)
			cs = append(cs, candidate[F]{c.name, silu, true})
		}
	}
	return append(cs, candidate[F]{naive, workload.NaiveSiLU[F], false}, candidate[F]{cpy, workload.Copy[F], false})
}
