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
	Name    string
	Sigmoid func(dst, src []float32)
}

// rawKernel is a kernel's unchecked entry points.
type rawKernel struct {
	name    string
	sigmoid func(dst, src []float32)
}

var generic = rawKernel{name: "generic", sigmoid: fallback.Sigmoid}

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
		ks[i] = Kernel{Name: k.name, Sigmoid: checked("Sigmoid", k.sigmoid)}
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
// the same slice or disjoint.
func checkUnary(fn string, dst, src []float32) {
	if len(dst) != len(src) {
		panic(fmt.Sprintf("kernels: %s: len(dst) = %d, len(src) = %d: lengths differ", fn, len(dst), len(src)))
	}
	if len(dst) == 0 {
		return
	}
	d := uintptr(unsafe.Pointer(unsafe.SliceData(dst)))
	s := uintptr(unsafe.Pointer(unsafe.SliceData(src)))
	size := uintptr(len(dst)) * 4
	if d != s && d < s+size && s < d+size {
		panic(fmt.Sprintf("kernels: %s: dst and src (len %d) partially overlap: dst must be src itself or disjoint from it", fn, len(dst)))
	}
}
