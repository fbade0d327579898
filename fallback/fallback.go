// Package fallback is the pure-Go sigmoid: what runs where no SIMD kernel
// does.
//
// Its kernel, in generic_gen.go, is generated (internal/gen, -arch go)
// from the same algorithm as the AVX2, AVX-512 and NEON kernels: the same
// operations, each one correctly rounded IEEE operation (add, subtract,
// multiply, divide, fused multiply-add) or exact, in the same order, with
// the same constants. So every function here returns the same bits as
// every SIMD kernel, for every input, on every platform: each result in
// Go is converted to its type, which keeps the compiler from fusing a
// multiply and an add, float64's FMA is math.FMA and float32's is
// fma32.go's, written out in place: a float64 product and sum, with a
// round-to-odd step where that sum lands on a float32 rounding midpoint.
//
// The slice functions are Sigmoid, SiLU, SigmoidBackward and SiLUBackward
// (float32) and Sigmoid64, SiLU64, SigmoidBackward64 and SiLUBackward64
// (float64), with the argument checks and panics of package kernels; the
// functions of one value are SigmoidScalar, SiLUScalar, SigmoidScalar64
// and SiLUScalar64, which return what the slice functions return for that
// element.
//
// The bounds are those of package kernels: Sigmoid and SiLU are within
// 1 ULP of the exact value, SigmoidBackward within 1.5 ULP of the exact
// dy·y·(1-y), SiLUBackward within 2 ULP of the exact dy·silu'(x) or,
// next to the zero of silu' (x ≈ -1.2785), within 2^-25·|dy| (float32)
// or 2^-54·|dy| (float64), subnormal results included.
//
// A NaN input gives that NaN quieted: sign and payload kept, quiet bit
// set. In the two-input functions a NaN dy wins, else a NaN y (or x); a
// NaN the arithmetic makes (∞-∞, 0·∞) is the negative quiet NaN without
// payload (0xffc00000, 0xfff8000000000000). The slice functions read and
// write only the elements below the slices' lengths, never their spare
// capacity.
package fallback

import "github.com/simdsigmoid/sigmoid/internal/check"

// Sigmoid sets dst[i] = 1/(1+exp(-src[i])) for every i. dst may be src
// itself (in place); it must not overlap src otherwise. It panics if the
// lengths differ or the slices partially overlap.
func Sigmoid(dst, src []float32) {
	if check.BadUnary(dst, src) {
		check.PanicUnary("fallback", "Sigmoid", dst, src)
	}
	genSigmoid(dst, src)
}

// Sigmoid64 is Sigmoid for float64.
func Sigmoid64(dst, src []float64) {
	if check.BadUnary(dst, src) {
		check.PanicUnary("fallback", "Sigmoid64", dst, src)
	}
	genSigmoid64(dst, src)
}

// SiLU sets dst[i] = src[i]/(1+exp(-src[i])) for every i, the sigmoid
// linear unit (also called swish). dst may be src itself (in place); it
// must not overlap src otherwise. It panics if the lengths differ or the
// slices partially overlap.
func SiLU(dst, src []float32) {
	if check.BadUnary(dst, src) {
		check.PanicUnary("fallback", "SiLU", dst, src)
	}
	genSiLU(dst, src)
}

// SiLU64 is SiLU for float64.
func SiLU64(dst, src []float64) {
	if check.BadUnary(dst, src) {
		check.PanicUnary("fallback", "SiLU64", dst, src)
	}
	genSiLU64(dst, src)
}

// SigmoidBackward sets dx[i] = dy[i]·y[i]·(1-y[i]) for every i, the
// gradient of the sigmoid given its output y: y - y·y rounded once (one
// FMA), then multiplied by dy. dx may be dy or y itself (in place); it
// must not otherwise overlap them. It panics if the lengths differ or dx
// partially overlaps an input.
func SigmoidBackward(dx, dy, y []float32) {
	if check.BadBackward(dx, dy, y) {
		check.PanicBackward("fallback", "SigmoidBackward", "y", dx, dy, y)
	}
	genSigmoidBackward(dx, dy, y)
}

// SigmoidBackward64 is SigmoidBackward for float64.
func SigmoidBackward64(dx, dy, y []float64) {
	if check.BadBackward(dx, dy, y) {
		check.PanicBackward("fallback", "SigmoidBackward64", "y", dx, dy, y)
	}
	genSigmoidBackward64(dx, dy, y)
}

// SiLUBackward sets dx[i] = dy[i]·silu'(x[i]), silu'(x) =
// sigmoid(x)·(1 + x·(1-sigmoid(x))), the gradient of SiLU at its input x.
// dx may be dy or x itself (in place); it must not otherwise overlap
// them. It panics if the lengths differ or dx partially overlaps an input.
func SiLUBackward(dx, dy, x []float32) {
	if check.BadBackward(dx, dy, x) {
		check.PanicBackward("fallback", "SiLUBackward", "x", dx, dy, x)
	}
	genSiLUBackward(dx, dy, x)
}

// SiLUBackward64 is SiLUBackward for float64.
func SiLUBackward64(dx, dy, x []float64) {
	if check.BadBackward(dx, dy, x) {
		check.PanicBackward("fallback", "SiLUBackward64", "x", dx, dy, x)
	}
	genSiLUBackward64(dx, dy, x)
}

// SigmoidScalar is the sigmoid of one value, as Sigmoid computes it: NaN
// gives that NaN quieted, +Inf 1, -Inf 0, ±0 0.5.
func SigmoidScalar(x float32) float32 { return elemSigmoid(x) }

// SigmoidScalar64 is SigmoidScalar for float64.
func SigmoidScalar64(x float64) float64 { return elemSigmoid64(x) }

// SiLUScalar is SiLU of one value, as SiLU computes it: NaN gives that
// NaN quieted, +Inf +Inf, -Inf -0, ±0 ±0.
func SiLUScalar(x float32) float32 { return elemSiLU(x) }

// SiLUScalar64 is SiLUScalar for float64.
func SiLUScalar64(x float64) float64 { return elemSiLU64(x) }
