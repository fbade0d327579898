// Package kernels is the public API: element-wise sigmoid, SiLU, tanh,
// softplus and log-sigmoid, the gated activations GLU and SwiGLU, the loss
// of binary cross-entropy with logits, the gradients of all of them, that
// loss with its gradient in one pass, and their mean in one call, over
// slices of float32 or float64, dispatched once at init to the fastest
// kernel this CPU can run.
//
// The environment variable SIGMOID_KERNEL, read once at init, overrides the
// choice: SIGMOID_KERNEL=avx2 (or avx512, neon, generic; case and
// surrounding spaces do not matter). A name that is unknown or that this
// CPU cannot run selects the best kernel, as if the variable were unset.
// GODEBUG=cpu.avx512f=off, cpu.avx2=off and the like (golang.org/x/sys/cpu)
// hide CPU features from the choice as well.
//
// Every function takes whole slices: the output and the inputs must have
// the same length, and an output may be an input itself but must not
// otherwise overlap one (the functions panic, naming the arguments and
// their lengths, otherwise); the two outputs of GLUBackward,
// SwiGLUBackward and BCEWithLogitsAndBackward must not overlap each
// other. Nil and empty slices are a
// no-op. (BCEWithLogitsMean of none returns NaN.)
//
// A call has a fixed cost (the argument checks, the dispatch, the kernel's
// setup) of about 13 ns on a 1- to 16-element slice on AMD Zen 4, as much as
// some 50 elements take in a long slice: batch small slices into one call
// where you can. Long slices are handed to the assembly in chunks of 16 to
// 128 KiB, sized per function so that a call never holds off the garbage
// collector's stop-the-world for more than about 100 µs on AMD Zen 1, even
// where every vector takes the slowest code. From a length set
// by the L3 cache size the CPU reports (L3/16 elements: 2^21 with 32 MiB,
// 2^19 with 8 MiB; 2^21 if it reports none) the results are written with
// non-temporal stores, bypassing the caches, by every function but
// SiLUBackward and SiLUBackward64, whose arithmetic is long enough that
// streaming slowed them, and the functions of two outputs.
//
// Every result is within its function's bound, and the same input gives
// the same bits: an element's result depends only on that element's
// inputs, never on the slice's length, offset, alignment or neighbours,
// and it is identical on every kernel (avx512, avx2, neon and generic),
// on every platform. All kernels compute the same correctly rounded
// operations (add, multiply, fused multiply-add, divide) in the same
// order, with the same tables and constants; the pure-Go generic kernel
// is generated from the same description as the assembly.
//
// The functions are safe for concurrent use on disjoint slices (or ones
// that share only inputs), and no slice passed to them escapes: buffers on
// the caller's stack stay there. Under the race detector their reads and
// writes are reported as Go code's are.
package kernels

import (
	"os"
	"strings"
)

// Kernel is one implementation of the package's functions: the methods do
// the same argument checks as the package-level functions and differ only
// in the code they run. They are methods, not function values, so that
// calling them lets no argument escape. A Kernel comes from Kernels, which
// lists only kernels this CPU runs; the zero Kernel runs the generic
// (pure-Go) code and is named "generic".
type Kernel struct {
	id kernelID
}

// Name names the kernel: "avx512", "avx2", "neon" or "generic", as Active
// and Available do.
func (k Kernel) Name() string { return kernelNames[k.id] }

// kernelID selects a kernel's code in the dispatch functions (runSigmoid,
// runSiLUBackward64, …, generated per architecture), which switch on it
// and call each kernel's function directly: a call through a function
// value would make every slice argument escape.
type kernelID uint8

// genericID is the pure-Go code, package fallback. The SIMD kernels' ids
// are in the per-architecture files.
const genericID kernelID = 0

// A kernel implements both element types: each SIMD kernel's float32 and
// float64 code needs the same CPU features, so one name serves both.
var generic = Kernel{id: genericID}

// available lists the kernels this CPU runs, best first, generic last.
var available = append(simdKernels(), generic)

// active is chosen once at init and never written again.
var active = choose(os.Getenv("SIGMOID_KERNEL"))

// choose returns the kernel named want (compared case-insensitively, with
// surrounding white space trimmed), or the best one if none is.
func choose(want string) Kernel {
	want = strings.ToLower(strings.TrimSpace(want))
	for _, k := range available {
		if k.Name() == want {
			return k
		}
	}
	return available[0]
}

// Active names the kernel in use: "avx512", "avx2", "neon" or "generic".
// The float32 and float64 functions always use the same kernel: each one
// implements both, with the same CPU requirements.
func Active() string { return active.Name() }

// Available names the kernels this CPU can run, best first, "generic" last.
func Available() []string {
	names := make([]string, len(available))
	for i, k := range available {
		names[i] = k.Name()
	}
	return names
}

// Kernels returns every kernel this CPU can run, best first, so that tests
// and benchmarks can call each one directly without touching global state.
func Kernels() []Kernel {
	return append([]Kernel(nil), available...)
}
