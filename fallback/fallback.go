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
// The slice functions are Sigmoid, SiLU, Tanh, Softplus and LogSigmoid
// and their backward passes, SigmoidBackward, SiLUBackward, TanhBackward,
// SoftplusBackward and LogSigmoidBackward, GLU and BCEWithLogits
// (float32), and the same with 64 (float64), with the argument checks and
// panics of package kernels; the functions of one value are
// SigmoidScalar, SiLUScalar, TanhScalar, SoftplusScalar and
// LogSigmoidScalar and their 64 versions, which return what the slice
// functions return for that element.
//
// The bounds are those of package kernels: the forward functions are
// within 1 ULP of the exact value; SigmoidBackward and TanhBackward within
// 1.5 ULP of the exact dy·y·(1-y) and dy·(1-y·y); SoftplusBackward,
// LogSigmoidBackward and GLU within 1 ULP of the exact dy·σ(±x) (a·σ(b))
// where that is at least 2^-125 (float64: 2^-1021) in magnitude, 1.5 ULP
// below; BCEWithLogits within 1 ULP for t = 0 and t = 1 and wherever
// |z| ≤ 32, 2 ULP for other t in [0, 1]; SiLUBackward within 2 ULP of the
// exact dy·silu'(x) or, next to the zero of silu' (x ≈ -1.2785), within
// 2^-25·|dy| (float32) or 2^-54·|dy| (float64); subnormal results
// included.
//
// A NaN input gives that NaN quieted: sign and payload kept, quiet bit
// set. In the two-input functions a NaN first input (dy, a, z) wins, else
// a NaN second one (y, x, b, t); a NaN the arithmetic makes (∞-∞, 0·∞) is
// the negative quiet NaN without payload (0xffc00000,
// 0xfff8000000000000). The slice functions read and write only the
// elements below the slices' lengths, never their spare capacity.
package fallback
