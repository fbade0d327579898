// Package kernels is the public API: element-wise sigmoid over slices of
// float32 or float64, dispatched once at init to the fastest kernel this
// CPU can run.
package kernels

import (
	"fmt"
	"os"
	"unsafe"

	"github.com/simdsigmoid/sigmoid/fallback"
)

// Kernel is one implementation of the package's functions, by name.
// Its functions do the same argument checks as the package-level ones.
type Kernel struct {
	Name              string
	Sigmoid           func(dst, src []float32)
	SigmoidBackward   func(dx, dy, y []float32)
	Sigmoid64         func(dst, src []float64)
	SigmoidBackward64 func(dx, dy, y []float64)
}

// rawKernel is a kernel's unchecked entry points. A kernel implements both
// element types: each SIMD kernel's float32 and float64 code needs the same
// CPU features, so one name serves both.
type rawKernel struct {
	name       string
	sigmoid    func(dst, src []float32)
	backward   func(dx, dy, y []float32)
	sigmoid64  func(dst, src []float64)
	backward64 func(dx, dy, y []float64)
}

var generic = rawKernel{
	name:       "generic",
	sigmoid:    fallback.Sigmoid,
	backward:   fallback.SigmoidBackward,
	sigmoid64:  fallback.Sigmoid64,
	backward64: fallback.SigmoidBackward64,
}

// available lists the kernels this CPU runs, best first, generic last.
var available = append(simdKernels(), generic)

// active is chosen once at init and never written again.
var active = choose(os.Getenv("SIGMOID_KERNEL"))

func choose(want string) rawKernel {
	for _, k := range available {
		if k.name == want {
			return k
		}
	}
	return available[0]
}

// Sigmoid sets dst[i] = 1/(1+exp(-src[i])) for every i. dst may be src
// itself (in place); it must not overlap src otherwise. It panics if the
// lengths differ or the slices partially overlap.
func Sigmoid(dst, src []float32) {
	if badUnary(dst, src) {
		panicUnary("Sigmoid", dst, src)
	}
	active.sigmoid(dst, src)
}

// SigmoidBackward sets dx[i] = dy[i]·y[i]·(1-y[i]) for every i: the
// gradient of the loss with respect to the sigmoid's input, given the
// gradient dy with respect to its output y = Sigmoid(x), as PyTorch's
// sigmoid backward defines it. The result is within 1.5 ULP of that
// expression evaluated exactly (two roundings: y - y·y, once, and the
// product with dy). It is computed as dy·(y - y·y) with y - y·y
// rounded once, so for inputs no sigmoid returns it follows IEEE arithmetic
// on that form: y = +Inf gives NaN, y = -Inf and any y where y - y·y
// overflows give dy·(-Inf). dx may be dy or y itself (in place); it must
// not otherwise overlap them. It panics if the lengths differ or dx
// partially overlaps an input.
func SigmoidBackward(dx, dy, y []float32) {
	if badBackward(dx, dy, y) {
		panicBackward("SigmoidBackward", dx, dy, y)
	}
	active.backward(dx, dy, y)
}

// Sigmoid64 sets dst[i] = 1/(1+exp(-src[i])) for every i, within 1 ULP of
// float64 of the exact value: NaN gives NaN, +Inf exactly 1, -Inf exactly
// 0 and ±0 exactly 0.5; results below 2^-1022 are subnormal, not flushed to
// 0. dst may be src itself (in place); it must not overlap src otherwise.
// It panics if the lengths differ or the slices partially overlap.
func Sigmoid64(dst, src []float64) {
	if badUnary(dst, src) {
		panicUnary("Sigmoid64", dst, src)
	}
	active.sigmoid64(dst, src)
}

// SigmoidBackward64 is SigmoidBackward for float64: it sets
// dx[i] = dy[i]·y[i]·(1-y[i]) for every i, within 1.5 ULP of that
// expression evaluated exactly. It is computed as dy·(y - y·y) with y - y·y
// rounded once, so for inputs no sigmoid returns it follows IEEE arithmetic
// on that form: y = +Inf gives NaN, y = -Inf and any y where y - y·y
// overflows give dy·(-Inf). dx may be dy or y itself (in place); it must
// not otherwise overlap them. It panics if the lengths differ or dx
// partially overlaps an input.
func SigmoidBackward64(dx, dy, y []float64) {
	if badBackward(dx, dy, y) {
		panicBackward("SigmoidBackward64", dx, dy, y)
	}
	active.backward64(dx, dy, y)
}

// Active names the kernel in use: "avx512", "avx2", "neon" or "generic".
// The float32 and float64 functions always use the same kernel: each one
// implements both, with the same CPU requirements.
func Active() string { return active.name }

// Available names the kernels this CPU can run, best first, "generic" last.
func Available() []string {
	names := make([]string, len(available))
	for i, k := range available {
		names[i] = k.name
	}
	return names
}

// Kernels returns every kernel this CPU can run, best first, so that tests
// and benchmarks can call each one directly without touching global state.
func Kernels() []Kernel {
	ks := make([]Kernel, len(available))
	for i, k := range available {
		// The checks are written out in each closure, as in the
		// package-level functions: there badUnary inlines, which it does
		// not in a closure made by a generic function.
		sigmoid, backward, sigmoid64, backward64 := k.sigmoid, k.backward, k.sigmoid64, k.backward64
		ks[i] = Kernel{
			Name: k.name,
			Sigmoid: func(dst, src []float32) {
				if badUnary(dst, src) {
					panicUnary("Sigmoid", dst, src)
				}
				sigmoid(dst, src)
			},
			SigmoidBackward: func(dx, dy, y []float32) {
				if badBackward(dx, dy, y) {
					panicBackward("SigmoidBackward", dx, dy, y)
				}
				backward(dx, dy, y)
			},
			Sigmoid64: func(dst, src []float64) {
				if badUnary(dst, src) {
					panicUnary("Sigmoid64", dst, src)
				}
				sigmoid64(dst, src)
			},
			SigmoidBackward64: func(dx, dy, y []float64) {
				if badBackward(dx, dy, y) {
					panicBackward("SigmoidBackward64", dx, dy, y)
				}
				backward64(dx, dy, y)
			},
		}
	}
	return ks
}

// float is the element types the package works on.
type float interface{ float32 | float64 }

// badUnary reports whether dst and src break Sigmoid's rules: lengths
// that differ, or slices that partially overlap. It inlines, so that the
// checks cost a few compares; panicUnary builds the message out of line.
func badUnary[F float](dst, src []F) bool {
	return len(dst) != len(src) || partialOverlap(dst, src)
}

// badBackward reports whether dx, dy and y break SigmoidBackward's rules:
// lengths that differ, or dx partially overlapping an input (the inputs may
// overlap freely).
func badBackward[F float](dx, dy, y []F) bool {
	return len(dx) != len(dy) || len(dx) != len(y) || partialOverlap(dx, dy) || partialOverlap(dx, y)
}

// partialOverlap reports whether out and in (of equal length) share some
// elements without being the same slice: the result would then depend on
// the kernel. Empty slices share nothing.
func partialOverlap[F float](out, in []F) bool {
	o := uintptr(unsafe.Pointer(unsafe.SliceData(out)))
	i := uintptr(unsafe.Pointer(unsafe.SliceData(in)))
	var e F
	size := uintptr(len(out)) * unsafe.Sizeof(e)
	return o != i && o < i+size && i < o+size
}

// panicUnary panics with the message for bad arguments of fn (Sigmoid
// or Sigmoid64): the lengths if they differ, else the overlap.
//
//go:noinline
func panicUnary[F float](fn string, dst, src []F) {
	if len(dst) != len(src) {
		panic(fmt.Sprintf("kernels: %s: len(dst) = %d, len(src) = %d: lengths differ", fn, len(dst), len(src)))
	}
	panicOverlap(fn, "dst", "src", len(dst))
}

// panicBackward panics with the message for bad arguments of fn
// (SigmoidBackward or SigmoidBackward64): the lengths if they differ, else
// the overlap of dx with dy or y.
//
//go:noinline
func panicBackward[F float](fn string, dx, dy, y []F) {
	if len(dx) != len(dy) || len(dx) != len(y) {
		panic(fmt.Sprintf("kernels: %s: len(dx) = %d, len(dy) = %d, len(y) = %d: lengths differ", fn, len(dx), len(dy), len(y)))
	}
	if partialOverlap(dx, dy) {
		panicOverlap(fn, "dx", "dy", len(dx))
	}
	panicOverlap(fn, "dx", "y", len(dx))
}

// panicOverlap panics with the message for an output out that partially
// overlaps the input in, both of length n.
func panicOverlap(fn, outName, inName string, n int) {
	panic(fmt.Sprintf("kernels: %s: %s and %s (len %d) partially overlap: %s must be %s itself or disjoint from it", fn, outName, inName, n, outName, inName))
}
