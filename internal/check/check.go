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

// BadBinary reports whether dx, dy and y break the rules of a function of
// two inputs (a backward pass, GLU): lengths that differ, or the output dx
// partially overlapping an input (the inputs may overlap freely).
func BadBinary[F Float](dx, dy, y []F) bool {
	return len(dx) != len(dy) || len(dx) != len(y) || PartialOverlap(dx, dy) || PartialOverlap(dx, y)
}

// BadTernary is BadBinary for a function of three inputs
// (BCEWithLogitsBackward's dz, dy, z, t).
func BadTernary[F Float](out, a, b, c []F) bool {
	return len(out) != len(a) || len(out) != len(b) || len(out) != len(c) ||
		PartialOverlap(out, a) || PartialOverlap(out, b) || PartialOverlap(out, c)
}

// BadDual reports whether the slices of a function of two outputs and
// three inputs (GLUBackward's da, db, dy, a, b) break its rules: lengths
// that differ, an output partially overlapping an input, or the outputs
// sharing any element.
func BadDual[F Float](o1, o2, a, b, c []F) bool {
	return BadTernary(o1, a, b, c) || BadTernary(o2, a, b, c) || len(o1) != len(o2) || overlap(o1, o2)
}

// overlap reports whether x and y share an element.
func overlap[F Float](x, y []F) bool {
	if len(x) == 0 || len(y) == 0 {
		return false
	}
	xs := uintptr(unsafe.Pointer(unsafe.SliceData(x)))
	ys := uintptr(unsafe.Pointer(unsafe.SliceData(y)))
	var e F
	return xs < ys+uintptr(len(y))*unsafe.Sizeof(e) && ys < xs+uintptr(len(x))*unsafe.Sizeof(e)
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

// PanicBinary panics with the message for bad arguments of pkg.fn, a
// function of two inputs whose slices are named names (output first: dx,
// dy, x for SiLUBackward; dst, a, b for GLU): the lengths if they differ,
// else the overlap of the output with an input.
//
//go:noinline
func PanicBinary[F Float](pkg, fn string, names [3]string, dx, dy, y []F) {
	if len(dx) != len(dy) || len(dx) != len(y) {
		panic(fmt.Sprintf("%s: %s: len(%s) = %d, len(%s) = %d, len(%s) = %d: lengths differ", pkg, fn, names[0], len(dx), names[1], len(dy), names[2], len(y)))
	}
	if PartialOverlap(dx, dy) {
		panicOverlap(pkg, fn, names[0], names[1], len(dx))
	}
	panicOverlap(pkg, fn, names[0], names[2], len(dx))
}

// PanicTernary is PanicBinary for a function of three inputs whose slices
// are named names, the output first.
//
//go:noinline
func PanicTernary[F Float](pkg, fn string, names [4]string, out, a, b, c []F) {
	if len(out) != len(a) || len(out) != len(b) || len(out) != len(c) {
		panic(fmt.Sprintf("%s: %s: len(%s) = %d, len(%s) = %d, len(%s) = %d, len(%s) = %d: lengths differ", pkg, fn, names[0], len(out), names[1], len(a), names[2], len(b), names[3], len(c)))
	}
	for i, in := range [3][]F{a, b, c} {
		if PartialOverlap(out, in) {
			panicOverlap(pkg, fn, names[0], names[1+i], len(out))
		}
	}
}

// PanicDual is PanicTernary for a function of two outputs and three
// inputs whose slices are named names, the outputs first.
//
//go:noinline
func PanicDual[F Float](pkg, fn string, names [5]string, o1, o2, a, b, c []F) {
	if len(o1) != len(o2) || len(o1) != len(a) || len(o1) != len(b) || len(o1) != len(c) {
		panic(fmt.Sprintf("%s: %s: len(%s) = %d, len(%s) = %d, len(%s) = %d, len(%s) = %d, len(%s) = %d: lengths differ", pkg, fn, names[0], len(o1), names[1], len(o2), names[2], len(a), names[3], len(b), names[4], len(c)))
	}
	for j, out := range [2][]F{o1, o2} {
		for i, in := range [3][]F{a, b, c} {
			if PartialOverlap(out, in) {
				panicOverlap(pkg, fn, names[j], names[2+i], len(out))
			}
		}
	}
	panic(fmt.Sprintf("%s: %s: %s and %s (len %d) overlap: the outputs must be disjoint", pkg, fn, names[0], names[1], len(o1)))
}

// panicOverlap panics with the message for an output out that partially
// overlaps the input in, both of length n.
func panicOverlap(pkg, fn, outName, inName string, n int) {
	panic(fmt.Sprintf("%s: %s: %s and %s (len %d) partially overlap: %s must be %s itself or disjoint from it", pkg, fn, outName, inName, n, outName, inName))
}
