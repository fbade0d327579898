package main

// #include "peers.h"
import "C"

import (
	"fmt"
	"math"

	"github.com/simdsigmoid/sigmoid/internal/accuracy"
	"github.com/simdsigmoid/sigmoid/kernels"
)

// function is one of the functions besides the sigmoid that the peers
// compute too (float32): Tanh, Softplus, LogSigmoid.
type function struct {
	name, dnnl string                  // this package's name, oneDNN's eltwise algorithm
	ref        func(x float32) float64 // the float64 reference
	ours       func(k kernels.Kernel) func(dst, src []float32)
}

var functions = []function{
	{"Tanh", "tanh", accuracy.TanhWide, func(k kernels.Kernel) func(dst, src []float32) { return k.Tanh }},
	{"Softplus", "soft_relu", accuracy.SoftplusWide, func(k kernels.Kernel) func(dst, src []float32) { return k.Softplus }},
	{"LogSigmoid", "logsigmoid", func(x float32) float64 { return -accuracy.SoftplusWide(-x) },
		func(k kernels.Kernel) func(dst, src []float32) { return k.LogSigmoid }},
}

// functionImpls are oneDNN's, SLEEF's (each ISA this CPU runs) and this
// package's (each kernel) implementations of functions[fi], and copy(),
// with notes on what was left out.
func functionImpls(fi int) ([]*impl, []string) {
	f := functions[fi]
	var out []*impl
	var notes []string
	if d, why := dnnlImpl(fi, f.dnnl); d != nil {
		out = append(out, d)
	} else {
		notes = append(notes, why)
	}
	sleef := func(name, isa string, run func(fn C.int, dst *C.float, src *C.float, n C.size_t, reps C.long)) {
		r := func(dst, src []float32, reps int) {
			run(C.int(fi), f32p(dst), f32p(src), C.size_t(len(src)), C.long(reps))
		}
		out = append(out, &impl{name: name, isa: isa, kind: peer, f32: func(dst, src []float32) { r(dst, src, 1) }, run32: r})
	}
	if C.peers_cpu_avx512f() != 0 {
		sleef("SLEEF AVX-512", "avx512", func(fn C.int, d, s *C.float, n C.size_t, reps C.long) { C.peers_sleef_fn_f32_avx512(fn, d, s, n, reps) })
	}
	if C.peers_cpu_avx2fma() != 0 {
		sleef("SLEEF AVX2", "avx2", func(fn C.int, d, s *C.float, n C.size_t, reps C.long) { C.peers_sleef_fn_f32_avx2(fn, d, s, n, reps) })
	}
	for _, k := range kernels.Kernels() {
		g := f.ours(k)
		isa := ""
		if k.Name() == "avx512" || k.Name() == "avx2" {
			isa = k.Name()
		}
		out = append(out, &impl{name: f.name + " " + k.Name(), isa: isa, kind: own, f32: g,
			run32: func(dst, src []float32, reps int) {
				for range reps {
					g(dst, src)
				}
			}})
	}
	out = append(out, &impl{name: "copy()", kind: baseline, run32: func(dst, src []float32, reps int) {
		for range reps {
			copy(dst, src)
		}
	}})
	for _, m := range out {
		m.ref = f.ref
	}
	return out, notes
}

// printFunctions times and checks Tanh, Softplus and LogSigmoid of every
// implementation at n = headN, x in ranges[0], and prints a table each:
// ns/element, its ratio to oneDNN's, and the largest error on the timed
// inputs and on every 4099th float32 bit pattern (where subnormal results
// flushed to 0 show).
func printFunctions(in [][]float32) {
	fmt.Printf("## Tanh, Softplus and LogSigmoid (float32, n = %d, x in %s)\n\n", headN, ranges[0])
	fmt.Println("SLEEF's softplus is max(x, 0) + log1p(exp(-|x|)) from its u10 exp and log1p, its log-sigmoid min(x, 0) - the same; " +
		"oneDNN's are its eltwise tanh, soft_relu and logsigmoid, forward inference, on one thread. " +
		"Errors are in float32 ULPs against float64 references (accuracy.TanhWide, accuracy.SoftplusWide).")
	fmt.Println()
	var sweep []float32
	for b := uint64(0); b < 1<<32; b += 4099 {
		if x := math.Float32frombits(uint32(b)); x == x && !math.IsInf(float64(x), 0) {
			sweep = append(sweep, x)
		}
	}
	for fi, f := range functions {
		impls, notes := functionImpls(fi)
		for _, n := range notes {
			fmt.Printf("- Note: %s\n", n)
		}
		res := measure(impls, in[:1], []int{headN}, func(m *impl) func([]float32, []float32, int) { return m.run32 })
		fmt.Printf("| %s: implementation | ns/element | spread | vs oneDNN | max ULP, x in %s | max ULP, every 4099th float32 |\n", f.name, ranges[0])
		fmt.Println("| --- | ---: | ---: | ---: | ---: | ---: |")
		row := res.by[[2]int{0, 0}]
		dnnl := 0.0
		for i, m := range impls {
			if row[i] != nil && m.kind == peer && m.isa == "" {
				dnnl = row[i].med
			}
		}
		for i, m := range impls {
			s := row[i]
			if s == nil {
				continue
			}
			vs := ""
			if dnnl > 0 {
				vs = fmt.Sprintf("%.2f×", s.med/dnnl)
			}
			timed, all := "", ""
			if m.f32 != nil {
				timed = fmt.Sprintf("%.3g", maxULP(m.f32, f.ref, in[0][:headN]))
				all = fmt.Sprintf("%.3g", maxULP(m.f32, f.ref, sweep))
			}
			fmt.Printf("| %s | %s | %.0f%% | %s | %s | %s |\n", m.name, nsFmt(s.med), s.spread(), vs, timed, all)
		}
		fmt.Println()
	}
}

// maxULP is f's largest error on xs against ref, in float32 ULPs.
func maxULP(f func(dst, src []float32), ref func(x float32) float64, xs []float32) float64 {
	got := make([]float32, len(xs))
	f(got, xs)
	worst := 0.0
	for i, x := range xs {
		worst = max(worst, accuracy.ULP(got[i], ref(x)))
	}
	return worst
}
