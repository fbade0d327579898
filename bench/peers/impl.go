package main

import (
	"fmt"

	"github.com/simdsigmoid/sigmoid/kernels"
)

type kind int

const (
	peer     kind = iota // XNNPACK, SLEEF
	own                  // this package's kernels
	baseline             // copy()
)

// impl is one implementation under test. f32/f64 are single calls (nil if
// the implementation has no such element type); run32/run64 call it reps
// times over the same slices, in C for the C libraries so that no cgo call
// is timed per repetition.
type impl struct {
	name  string
	isa   string // "avx512", "avx2" for the SIMD ones: which SLEEF row to compare with
	kind  kind
	f32   func(dst, src []float32)
	run32 func(dst, src []float32, reps int)
	f64   func(dst, src []float64)
	run64 func(dst, src []float64, reps int)
	ref   func(x float32) float64 // what it computes, if not the sigmoid
}

// implementations lists XNNPACK, SLEEF (AVX-512, AVX2), this package's
// kernels (each that this CPU runs, by name) and copy(), in that order,
// with notes on what was left out.
func implementations() ([]*impl, []string) {
	var out []*impl
	var notes []string
	if x, why := xnnpackImpl(); x != nil {
		out = append(out, x)
	} else {
		notes = append(notes, why)
	}
	sl := sleefImpls()
	if len(sl) < 2 {
		notes = append(notes, fmt.Sprintf("SLEEF: %d of the AVX-512 and AVX2 variants run on this CPU", len(sl)))
	}
	out = append(out, sl...)
	for _, k := range kernels.Kernels() {
		k := k
		isa := ""
		if k.Name() == "avx512" || k.Name() == "avx2" {
			isa = k.Name()
		}
		out = append(out, &impl{
			name: "sigmoid " + k.Name(), isa: isa, kind: own,
			f32: k.Sigmoid,
			run32: func(dst, src []float32, reps int) {
				for range reps {
					k.Sigmoid(dst, src)
				}
			},
			f64: k.Sigmoid64,
			run64: func(dst, src []float64, reps int) {
				for range reps {
					k.Sigmoid64(dst, src)
				}
			},
		})
	}
	out = append(out, &impl{
		name: "copy()", kind: baseline,
		run32: func(dst, src []float32, reps int) {
			for range reps {
				copy(dst, src)
			}
		},
		run64: func(dst, src []float64, reps int) {
			for range reps {
				copy(dst, src)
			}
		},
	})
	return out, notes
}
