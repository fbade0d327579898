// Package fallback is the pure-Go sigmoid: what runs where no SIMD kernel
// does.
//
// Its kernel and its functions, in generic_gen.go, are generated
// (internal/gen, -arch go) from the same algorithm as the AVX2, AVX-512
// and NEON kernels: the same
// operations, each one correctly rounded IEEE operation (add, subtract,
// multiply, divide, fused multiply-add) or exact, in the same order, with
// the same constants. So every function here returns the same bits as
// every SIMD kernel, for every input, on every platform: each result in
// Go is converted to its type, which keeps the compiler from fusing a
// multiply and an add, float64's FMA is math.FMA and float32's is
// fma32.go's, written out in place: a float64 product and sum, with a
// round-to-odd step where that sum lands on a float32 rounding midpoint.
//
// The slice functions are package kernels' element-wise functions, with
// the same names, signatures, argument checks and panics: Sigmoid, SiLU,
// Tanh, Softplus and LogSigmoid and their backward passes
// SigmoidBackward, SiLUBackward, TanhBackward, SoftplusBackward and
// LogSigmoidBackward; GLU and SwiGLU and their backward passes
// GLUBackward and SwiGLUBackward; BCEWithLogits and BCEWithLogitsBackward,
// and BCEWithLogitsAndBackward, both in one pass (float32), and the same
// with 64 (float64). The functions of one value
// are SigmoidScalar, SiLUScalar, TanhScalar, SoftplusScalar and
// LogSigmoidScalar and their 64 versions, which return what the slice
// functions return for that element.
//
// Each function returns its namesake's bits in package kernels, whose
// documentation states its bound and its special values: the forward
// functions within 1 ULP of the exact value (BCEWithLogits: for t = 0
// and t = 1 and wherever |z| ≤ 32, 2 ULP for other t in [0, 1]), the
// backward passes within 1 to 2.5 ULP (BCEWithLogitsBackward: for t in
// [0, 1]), some with an absolute term where the derivative is near 0;
// subnormal results included.
//
// A NaN input gives that NaN quieted: sign and payload kept, quiet bit
// set. In the functions of several inputs a NaN first input (dy, a, z,
// gate) wins, then the next one in the order package kernels documents; a
// NaN the arithmetic makes (∞-∞, 0·∞) is
// the negative quiet NaN without payload (0xffc00000,
// 0xfff8000000000000). The slice functions read and write only the
// elements below the slices' lengths, never their spare capacity.
package fallback
