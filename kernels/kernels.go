// Package kernels is the public API: element-wise sigmoid over slices,
// dispatched once at init to the fastest kernel this CPU can run.
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
	Name            string
	Sigmoid         func(dst, src []float32)
	SigmoidBackward func(dx, dy, y []float32)
}

// rawKernel is a kernel's unchecked entry points.
type rawKernel struct {
	name     string
	sigmoid  func(dst, src []float32)
	backward func(dx, dy, y []float32)
}

var generic = rawKernel{name: "generic", sigmoid: fallback.Sigmoid, backward: fallback.SigmoidBackward}

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
	checkUnary("Sigmoid", dst, src)
	active.sigmoid(dst, src)
}

// SigmoidBackward sets dx[i] = dy[i]·y[i]·(1-y[i]) for every i: the
// gradient of the loss with respect to the sigmoid's input, given the
// gradient dy with respect to its output y = Sigmoid(x), as PyTorch's
// sigmoid backward defines it. The result is within 1 ULP of that
// expression evaluated exactly. It is computed as dy·(y - y·y) with y - y·y
// rounded once, so for inputs no sigmoid returns it follows IEEE arithmetic
// on that form: y = +Inf gives NaN, y = -Inf and any y where y - y·y
// overflows give dy·(-Inf). dx may be dy or y itself (in place); it must
// not otherwise overlap them. It panics if the lengths differ or dx
// partially overlaps an input.
func SigmoidBackward(dx, dy, y []float32) {
	checkBackward(dx, dy, y)
	active.backward(dx, dy, y)
}

// Active names the kernel in use: "avx512", "avx2", "neon" or "generic".
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
		backward := k.backward
		ks[i] = Kernel{
			Name:    k.name,
			Sigmoid: checked("Sigmoid", k.sigmoid),
			SigmoidBackward: func(dx, dy, y []float32) {
				checkBackward(dx, dy, y)
				backward(dx, dy, y)
			},
		}
	}
	return ks
}

func checked(fn string, f func(dst, src []float32)) func(dst, src []float32) {
	return func(dst, src []float32) {
		checkUnary(fn, dst, src)
		f(dst, src)
	}
}

// checkUnary panics unless dst and src have the same length and are either
// the same slice or disjoint. It is small enough to inline: the messages
// are built out of line.
func checkUnary(fn string, dst, src []float32) {
	if len(dst) != len(src) {
		panicLengths(fn, len(dst), len(src))
	}
	if partialOverlap(dst, src) {
		panicOverlap(fn, "dst", "src", len(dst))
	}
}

// checkBackward panics unless dx, dy and y have the same length and dx is
// each input itself or disjoint from it (the inputs may overlap freely).
func checkBackward(dx, dy, y []float32) {
	if len(dx) != len(dy) || len(dx) != len(y) {
		panic(fmt.Sprintf("kernels: SigmoidBackward: len(dx) = %d, len(dy) = %d, len(y) = %d: lengths differ", len(dx), len(dy), len(y)))
	}
	if partialOverlap(dx, dy) {
		panicOverlap("SigmoidBackward", "dx", "dy", len(dx))
	}
	if partialOverlap(dx, y) {
		panicOverlap("SigmoidBackward", "dx", "y", len(dx))
	}
}

// partialOverlap reports whether out and in (of equal length) share some
// elements without being the same slice: the result would then depend on
// the kernel. Empty slices share nothing.
func partialOverlap(out, in []float32) bool {
	o := uintptr(unsafe.Pointer(unsafe.SliceData(out)))
	i := uintptr(unsafe.Pointer(unsafe.SliceData(in)))
	size := uintptr(len(out)) * 4
	return o != i && o < i+size && i < o+size
}

//go:noinline
func panicLengths(fn string, dst, src int) {
	panic(fmt.Sprintf("kernels: %s: len(dst) = %d, len(src) = %d: lengths differ", fn, dst, src))
}

//go:noinline
func panicOverlap(fn, outName, inName string, n int) {
	panic(fmt.Sprintf("kernels: %s: %s and %s (len %d) partially overlap: %s must be %s itself or disjoint from it", fn, outName, inName, n, outName, inName))
}
