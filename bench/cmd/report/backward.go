package main

import (
	"fmt"
	"io"
	"slices"

	"github.com/simdsigmoid/sigmoid/bench"
	"github.com/simdsigmoid/sigmoid/kernels"
)

// backwardCandidates are the SigmoidBackward of the kernels in cands (in
// the same order), the naive Go loop and copy(), each as func(dst, src)
// with src standing for y and a fixed dy: the timing does not depend on
// the values.
func backwardCandidates(cands []candidate, dy []float32) []candidate {
	byName := map[string]kernels.Kernel{}
	for _, k := range kernels.Kernels() {
		byName[k.Name] = k
	}
	var bs []candidate
	for _, c := range cands {
		if k, ok := byName[c.name]; ok {
			bs = append(bs, candidate{c.name, func(dst, src []float32) { k.SigmoidBackward(dst, dy[:len(src)], src) }, true})
		}
	}
	naiveBackward := func(dst, src []float32) { bench.NaiveBackward(dst, dy[:len(src)], src) }
	return append(bs, candidate{naive, naiveBackward, false}, candidate{cpy, bench.Copy, false})
}

// backwardSizes are the lengths the backward pass is timed at: one in the
// caches and the largest of the run's sizes.
func backwardSizes(sizes []int) []int {
	bs := []int{4096}
	if m := slices.Max(sizes); m > 4096 {
		bs = append(bs, m)
	}
	return bs
}

// printBackward prints the backward pass's table: ns per element and its
// bandwidth against copy()'s per byte moved (12 bytes an element for dx =
// dy·y·(1-y), 8 for copy).
func printBackward(w io.Writer, cands []candidate, sizes []int, results []result) {
	active := kernels.Active()
	fmt.Fprintf(w, "## Backward pass (SigmoidBackward)\n\n")
	fmt.Fprintf(w, "| kernel | n | ns/element | GB/s moved | speed-up over naive Go | copy() time / its time, per byte moved | spread |\n")
	fmt.Fprintf(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, n := range sizes {
		naiveNs, copyNs := baselines(results, n)
		for _, r := range results {
			if r.n != n || r.name == cpy {
				continue
			}
			name := r.name
			if name == active {
				name += " (active)"
			}
			perElem := r.ns / float64(n)
			fmt.Fprintf(w, "| %s | %d | %.3f | %.1f | %.1f× | %.2f | %.0f%% |\n",
				name, n, perElem, 12/perElem, naiveNs/r.ns, (copyNs/8)/(r.ns/12), 100*r.spread)
		}
		fmt.Fprintf(w, "| copy | %d | %.3f | %.1f | | 1.00 | |\n", n, copyNs/float64(n), 8/(copyNs/float64(n)))
	}
	fmt.Fprintf(w, "\nThe backward pass reads dy and y and writes dx: 12 bytes an element, against copy()'s 8; "+
		"from 2^21 elements the kernels write with non-temporal stores, as copy() does.\n\n")
}
