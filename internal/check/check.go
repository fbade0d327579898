// Package check holds the argument rules that package kernels and package
// fallback share: slices of equal length, and an output that is either an
// input itself or disjoint from it. Bad calls panic with a message naming
// the package and the function.
package check

import (
	"fmt"
	"unsafe"
)

// Float is the element types the sigmoid packages work on.
type Float interface{ float32 | float64 }

// BadUnary reports whether dst and src break Sigmoid's rules: lengths
// that differ, or slices that partially overlap. It inlines, so that the
// checks cost a few compares; PanicUnary builds the message out of line.
func BadUnary[F Float](dst, src []F) bool {
	return len(dst) != len(src) || PartialOverlap(dst, src)
}

// BadBackward reports whether dx, dy and y break SigmoidBackward's rules:
// lengths that differ, or dx partially overlapping an input (the inputs may
// overlap freely).
func BadBackward[F Float](dx, dy, y []F) bool {
	return len(dx) != len(dy) || len(dx) != len(y) || PartialOverlap(dx, dy) || PartialOverlap(dx, y)
}

// PartialOverlap reports whether out and in (of equal length) share some
// elements without being the same slice: the result would then depend on
// the kernel. Empty slices share nothing.
func PartialOverlap[F Float](out, in []F) bool {
	o := uintptr(unsafe.Pointer(unsafe.SliceData(out)))
	i := uintptr(unsafe.Pointer(unsafe.SliceData(in)))
	var e F
	size := uintptr(len(out)) * unsafe.Sizeof(e)
	return o != i && o < i+size && i < o+size
}

// PanicUnary panics with the message for bad arguments of pkg.fn (Sigmoid
// or Sigmoid64): the lengths if they differ, else the overlap.
//
//go:noinline
func PanicUnary[F Float](pkg, fn string, dst, src []F) {
	if len(dst) != len(src) {
		panic(fmt.Sprintf("%s: %s: len(dst) = %d, len(src) = %d: lengths differ", pkg, fn, len(dst), len(src)))
	}
	panicOverlap(pkg, fn, "dst", "src", len(dst))
}

// PanicBackward panics with the message for bad arguments of pkg.fn (a
// backward pass, whose third slice is named yName: y, or x for SiLU's):
// the lengths if they differ, else the overlap of dx with dy or y.
//
//go:noinline
func PanicBackward[F Float](pkg, fn, yName string, dx, dy, y []F) {
	if len(dx) != len(dy) || len(dx) != len(y) {
		panic(fmt.Sprintf("%s: %s: len(dx) = %d, len(dy) = %d, len(%s) = %d: lengths differ", pkg, fn, len(dx), len(dy), yName, len(y)))
	}
	if PartialOverlap(dx, dy) {
		panicOverlap(pkg, fn, "dx", "dy", len(dx))
	}
	panicOverlap(pkg, fn, "dx", yName, len(dx))
}

// panicOverlap panics with the message for an output out that partially
// overlaps the input in, both of length n.
func panicOverlap(pkg, fn, outName, inName string, n int) {
	panic(fmt.Sprintf("%s: %s: %s and %s (len %d) partially overlap: %s must be %s itself or disjoint from it", pkg, fn, outName, inName, n, outName, inName))
}
