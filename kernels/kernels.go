// Package kernels is the public API: element-wise sigmoid, SiLU and their
// gradients over slices of float32 or float64, dispatched once at init to
// the fastest kernel this CPU can run.
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
// their lengths, otherwise). Nil and empty slices are a no-op.
//
// A call has a fixed cost (the argument checks, the dispatch, the kernel's
// setup) of about 8 ns on a 1- to 16-element slice on AMD Zen 5, as much as
// some 50 elements take in a long slice: batch small slices into one call
// where you can. Long slices are handed to the assembly in chunks of 64 KiB
// (128 KiB in the backward pass), so that a call never holds off the garbage
// collector's stop-the-world for more than about 50 µs. From a length set
// by the L3 cache size the CPU reports (L3/16 elements: 2^21 with 32 MiB,
// 2^19 with 8 MiB; 2^21 if it reports none) the results are written with
// non-temporal stores, bypassing the caches, by every function but
// SiLUBackward and SiLUBackward64, whose arithmetic is long enough that
// streaming slowed them.
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

	"github.com/simdsigmoid/sigmoid/fallback"
	"github.com/simdsigmoid/sigmoid/internal/check"
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

// kernelID selects a kernel's code in the dispatch functions (sigmoid,
// backward, sigmoid64 and backward64), which switch on it and call the
// assembly directly: a call through a function value would make every
// slice argument escape.
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

// Sigmoid sets dst[i] = 1/(1+exp(-src[i])) for every i, within 1 ULP of
// float32 of the exact value on every input: NaN gives that NaN quieted
// (sign and payload kept, quiet bit set), +Inf exactly 1, -Inf exactly 0
// and ±0 exactly 0.5; x from 16.230068 up to 17.3287 gives 1-2^-24, the
// correctly rounded value, and x from 17.3287 up exactly 1; results below
// 2^-126 are subnormal, computed and not flushed to 0. dst may be src
// itself (in place); it must not overlap src otherwise. It panics if the
// lengths differ or the slices partially overlap.
func Sigmoid(dst, src []float32) {
	if check.BadUnary(dst, src) {
		check.PanicUnary("kernels", "Sigmoid", dst, src)
	}
	sigmoid(active.id, dst, src)
}

// SigmoidBackward sets dx[i] = dy[i]·y[i]·(1-y[i]) for every i: the
// gradient of the loss with respect to the sigmoid's input, given the
// gradient dy with respect to its output y = Sigmoid(x), as PyTorch's
// sigmoid backward defines it. The result is within 1.5 ULP of that
// expression evaluated exactly (two roundings: y - y·y, once, and the
// product with dy). It is computed as dy·(y - y·y) with y - y·y
// rounded once, so for inputs no sigmoid returns it follows IEEE arithmetic
// on that form: y = +Inf gives NaN, y = -Inf and any y where y - y·y
// overflows give dy·(-Inf). A NaN dy gives that NaN quieted (sign and
// payload kept); else a NaN y gives that NaN quieted: dy's NaN wins, as
// x86 and arm64 arithmetic return their first operand's NaN. dx may be dy
// or y itself (in place); it must not otherwise overlap them. It panics if
// the lengths differ or dx partially overlaps an input.
func SigmoidBackward(dx, dy, y []float32) {
	if check.BadBackward(dx, dy, y) {
		check.PanicBackward("kernels", "SigmoidBackward", "y", dx, dy, y)
	}
	backward(active.id, dx, dy, y)
}

// Sigmoid64 sets dst[i] = 1/(1+exp(-src[i])) for every i, within 1 ULP of
// float64 of the exact value: NaN gives that NaN quieted (sign and payload
// kept, quiet bit set), +Inf exactly 1, -Inf exactly 0 and ±0 exactly 0.5;
// results below 2^-1022 are subnormal, not flushed to 0. dst may be src
// itself (in place); it must not overlap src otherwise. It panics if the
// lengths differ or the slices partially overlap.
func Sigmoid64(dst, src []float64) {
	if check.BadUnary(dst, src) {
		check.PanicUnary("kernels", "Sigmoid64", dst, src)
	}
	sigmoid64(active.id, dst, src)
}

// SigmoidBackward64 is SigmoidBackward for float64: it sets
// dx[i] = dy[i]·y[i]·(1-y[i]) for every i, within 1.5 ULP of that
// expression evaluated exactly. It is computed as dy·(y - y·y) with y - y·y
// rounded once, so for inputs no sigmoid returns it follows IEEE arithmetic
// on that form: y = +Inf gives NaN, y = -Inf and any y where y - y·y
// overflows give dy·(-Inf). A NaN dy gives that NaN quieted; else a NaN y
// gives that NaN quieted. dx may be dy or y itself (in place); it must not
// otherwise overlap them. It panics if the lengths differ or dx partially
// overlaps an input.
func SigmoidBackward64(dx, dy, y []float64) {
	if check.BadBackward(dx, dy, y) {
		check.PanicBackward("kernels", "SigmoidBackward64", "y", dx, dy, y)
	}
	backward64(active.id, dx, dy, y)
}

// SiLU sets dst[i] = src[i]·sigmoid(src[i]) = src[i]/(1+exp(-src[i])) for
// every i: the SiLU (swish) activation, torch.nn.SiLU. The result is within
// 1 ULP of float32 of the exact value on every input, computed as the
// quotient x/(1+e^-x) corrected once (not as x times the rounded sigmoid,
// which rounds twice). NaN gives that NaN quieted, +Inf +Inf, -Inf -0 (the
// limit: PyTorch's x/(1+exp(-x)) gives NaN there), ±0 ±0; results below
// 2^-126 in magnitude (x from about -87.3 down to -110) are subnormal,
// computed and not flushed, and below that they are -0. dst may be src
// itself (in place); it must not overlap src otherwise. It panics if the
// lengths differ or the slices partially overlap.
func SiLU(dst, src []float32) {
	if check.BadUnary(dst, src) {
		check.PanicUnary("kernels", "SiLU", dst, src)
	}
	silu(active.id, dst, src)
}

// SiLUBackward sets dx[i] = dy[i]·σ(x[i])·(1 + x[i]·(1 - σ(x[i]))) for
// every i, σ the sigmoid: the gradient of the loss with respect to SiLU's
// input x (the forward input, not its output), given the gradient dy with
// respect to its output, as PyTorch's silu backward defines it. The result
// is within 2 ULP of float32 of that expression evaluated exactly, or
// within 2^-25·|dy| where the derivative is near its zero (x ≈ -1.2785),
// where no relative bound is reasonable. A NaN dy gives that NaN quieted;
// else a NaN x gives that NaN quieted; x = +Inf gives dy, x = -Inf dy·(-0).
// dx may be dy or x itself (in place); it must not otherwise overlap them.
// It panics if the lengths differ or dx partially overlaps an input.
func SiLUBackward(dx, dy, x []float32) {
	if check.BadBackward(dx, dy, x) {
		check.PanicBackward("kernels", "SiLUBackward", "x", dx, dy, x)
	}
	siluBackward(active.id, dx, dy, x)
}

// SiLU64 is SiLU for float64: dst[i] = src[i]/(1+exp(-src[i])), within 1
// ULP of float64 of the exact value, with the same special values;
// results below 2^-1022 in magnitude are subnormal, not flushed.
func SiLU64(dst, src []float64) {
	if check.BadUnary(dst, src) {
		check.PanicUnary("kernels", "SiLU64", dst, src)
	}
	silu64(active.id, dst, src)
}

// SiLUBackward64 is SiLUBackward for float64: within 2 ULP of float64 of
// the exact dy·silu'(x), or within 2^-54·|dy| next to the zero of silu'.
func SiLUBackward64(dx, dy, x []float64) {
	if check.BadBackward(dx, dy, x) {
		check.PanicBackward("kernels", "SiLUBackward64", "x", dx, dy, x)
	}
	siluBackward64(active.id, dx, dy, x)
}

// SiLUScalar is the float32 SiLU of one value, with the bits SiLU gives
// that value on every kernel.
func SiLUScalar(x float32) float32 { return fallback.SiLUScalar(x) }

// SiLUScalar64 is the float64 SiLU of one value, with the bits SiLU64
// gives that value on every kernel.
func SiLUScalar64(x float64) float64 { return fallback.SiLUScalar64(x) }

// SigmoidScalar is the float32 sigmoid of one value, with the bits
// Sigmoid gives that value on every kernel. For many values, Sigmoid on a
// slice is much faster.
func SigmoidScalar(x float32) float32 { return fallback.SigmoidScalar(x) }

// SigmoidScalar64 is the float64 sigmoid of one value, with the bits
// Sigmoid64 gives that value on every kernel.
func SigmoidScalar64(x float64) float64 { return fallback.SigmoidScalar64(x) }

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

// Sigmoid is the package-level Sigmoid run by kernel k.
func (k Kernel) Sigmoid(dst, src []float32) {
	if check.BadUnary(dst, src) {
		check.PanicUnary("kernels", "Sigmoid", dst, src)
	}
	sigmoid(k.id, dst, src)
}

// SigmoidBackward is the package-level SigmoidBackward run by kernel k.
func (k Kernel) SigmoidBackward(dx, dy, y []float32) {
	if check.BadBackward(dx, dy, y) {
		check.PanicBackward("kernels", "SigmoidBackward", "y", dx, dy, y)
	}
	backward(k.id, dx, dy, y)
}

// Sigmoid64 is the package-level Sigmoid64 run by kernel k.
func (k Kernel) Sigmoid64(dst, src []float64) {
	if check.BadUnary(dst, src) {
		check.PanicUnary("kernels", "Sigmoid64", dst, src)
	}
	sigmoid64(k.id, dst, src)
}

// SigmoidBackward64 is the package-level SigmoidBackward64 run by kernel k.
func (k Kernel) SigmoidBackward64(dx, dy, y []float64) {
	if check.BadBackward(dx, dy, y) {
		check.PanicBackward("kernels", "SigmoidBackward64", "y", dx, dy, y)
	}
	backward64(k.id, dx, dy, y)
}

// SiLU is the package-level SiLU run by kernel k.
func (k Kernel) SiLU(dst, src []float32) {
	if check.BadUnary(dst, src) {
		check.PanicUnary("kernels", "SiLU", dst, src)
	}
	silu(k.id, dst, src)
}

// SiLUBackward is the package-level SiLUBackward run by kernel k.
func (k Kernel) SiLUBackward(dx, dy, x []float32) {
	if check.BadBackward(dx, dy, x) {
		check.PanicBackward("kernels", "SiLUBackward", "x", dx, dy, x)
	}
	siluBackward(k.id, dx, dy, x)
}

// SiLU64 is the package-level SiLU64 run by kernel k.
func (k Kernel) SiLU64(dst, src []float64) {
	if check.BadUnary(dst, src) {
		check.PanicUnary("kernels", "SiLU64", dst, src)
	}
	silu64(k.id, dst, src)
}

// SiLUBackward64 is the package-level SiLUBackward64 run by kernel k.
func (k Kernel) SiLUBackward64(dx, dy, x []float64) {
	if check.BadBackward(dx, dy, x) {
		check.PanicBackward("kernels", "SiLUBackward64", "x", dx, dy, x)
	}
	siluBackward64(k.id, dx, dy, x)
}
