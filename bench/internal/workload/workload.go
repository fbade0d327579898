// Package workload holds what the benchmarks (package bench), the report
// (bench/report) and the verifier (bench/cmd/verify) share: the slice
// lengths, the seeded inputs, the baselines the kernels are measured
// against (a naive Go loop, copy()), and each kernel's functions by
// element type.
package workload

import (
	"math"
	"math/rand/v2"
	"unsafe"

	"github.com/simdsigmoid/sigmoid/kernels"
)

// Float is the element types of the kernels.
type Float interface{ float32 | float64 }

// Sizes are the slice lengths the benchmarks and the report measure: from
// one that fits in a few vector registers to one far beyond the last-level
// cache.
var Sizes = []int{16, 256, 1024, 4096, 65536, 1 << 20, 1 << 24}

// Seed is the fixed seed of the benchmark inputs.
const Seed = 0x5167_6d01

// Naive is the baseline a Go programmer writes first: one float64 math.Exp
// per element.
func Naive[F Float](dst, src []F) {
	dst = dst[:len(src)]
	for i, x := range src {
		dst[i] = F(1 / (1 + math.Exp(-float64(x))))
	}
}

// Copy is the memory-bandwidth baseline: copy(dst, src). A kernel that
// streams at Copy's speed is limited by memory, not arithmetic.
func Copy[F Float](dst, src []F) {
	copy(dst, src)
}

// Uniform returns n values uniform in [lo, hi), from a generator seeded
// with seed. The same arguments give the same values, and a shorter slice
// is a prefix of a longer one; for float32 and float64 they are the same
// draws, rounded to each.
func Uniform[F Float](n int, lo, hi float64, seed uint64) []F {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	xs := make([]F, n)
	for i := range xs {
		x := F(lo + (hi-lo)*r.Float64())
		// Rounding can reach hi itself; keep the range half-open.
		if float64(x) >= hi {
			x = below(F(hi))
		}
		xs[i] = x
	}
	return xs
}

// Saturated returns n values with |x| uniform in [lo, hi) and a random
// sign, from a generator seeded with seed: inputs past where the functions
// flatten out (confident logits).
func Saturated[F Float](n int, lo, hi float64, seed uint64) []F {
	xs := Uniform[F](n, lo, hi, seed)
	r := rand.New(rand.NewPCG(seed^0x5a, seed))
	for i := range xs {
		if r.Uint64()&1 != 0 {
			xs[i] = -xs[i]
		}
	}
	return xs
}

// BitPatterns returns n float32s with uniformly random bit patterns, from a
// generator seeded with seed: every float32, NaNs and infinities included,
// equally likely, as an exhaustive sweep meets them (most have |x| below
// 2^-25 or above 32).
func BitPatterns(n int, seed uint64) []float32 {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	xs := make([]float32, n)
	for i := range xs {
		xs[i] = math.Float32frombits(r.Uint32())
	}
	return xs
}

// below is the largest F below x.
func below[F Float](x F) F {
	var y any = x
	switch y := y.(type) {
	case float32:
		return F(math.Nextafter32(y, float32(math.Inf(-1))))
	case float64:
		return F(math.Nextafter(y, math.Inf(-1)))
	}
	panic("unreachable")
}

// NaiveBackward is the plain Go sigmoid backward pass the kernels are
// compared against: dx[i] = dy[i]*y[i]*(1-y[i]).
func NaiveBackward[F Float](dx, dy, y []F) {
	for i := range y {
		dx[i] = dy[i] * y[i] * (1 - y[i])
	}
}

// ofType is f32 for float32 and f64 for float64, as the function type T:
// of a kernel's two methods of one function, the one of element type F.
func ofType[F Float, T any](f32, f64 any) T {
	if ElemSize[F]() == 8 {
		return f64.(T)
	}
	return f32.(T)
}

// ElemSize is the size of an F in bytes.
func ElemSize[F Float]() int {
	var x F
	return int(unsafe.Sizeof(x))
}

// KernelFuncs returns k's functions of element type F: Sigmoid and
// SigmoidBackward for float32, Sigmoid64 and SigmoidBackward64 for float64.
func KernelFuncs[F Float](k kernels.Kernel) (sigmoid func(dst, src []F), backward func(dx, dy, y []F)) {
	return ofType[F, func(dst, src []F)](k.Sigmoid, k.Sigmoid64), ofType[F, func(dx, dy, y []F)](k.SigmoidBackward, k.SigmoidBackward64)
}

// SiLUFuncs returns k's SiLU and SiLUBackward of element type F.
func SiLUFuncs[F Float](k kernels.Kernel) (silu func(dst, src []F), backward func(dx, dy, x []F)) {
	return ofType[F, func(dst, src []F)](k.SiLU, k.SiLU64), ofType[F, func(dx, dy, x []F)](k.SiLUBackward, k.SiLUBackward64)
}

// TanhFuncs returns k's Tanh and TanhBackward of element type F.
func TanhFuncs[F Float](k kernels.Kernel) (tanh func(dst, src []F), backward func(dx, dy, y []F)) {
	return ofType[F, func(dst, src []F)](k.Tanh, k.Tanh64), ofType[F, func(dx, dy, y []F)](k.TanhBackward, k.TanhBackward64)
}

// SoftplusFuncs returns k's Softplus and LogSigmoid of element type F.
func SoftplusFuncs[F Float](k kernels.Kernel) (softplus, logSigmoid func(dst, src []F)) {
	return ofType[F, func(dst, src []F)](k.Softplus, k.Softplus64), ofType[F, func(dst, src []F)](k.LogSigmoid, k.LogSigmoid64)
}

// SoftplusBackwardFuncs returns k's SoftplusBackward and LogSigmoidBackward
// of element type F.
func SoftplusBackwardFuncs[F Float](k kernels.Kernel) (softplus, logSigmoid func(dx, dy, x []F)) {
	return ofType[F, func(dx, dy, x []F)](k.SoftplusBackward, k.SoftplusBackward64), ofType[F, func(dx, dy, x []F)](k.LogSigmoidBackward, k.LogSigmoidBackward64)
}

// NaiveSoftplusBackward is dy·σ(x) as a plain Go loop: dy/(1+exp(-x)) in
// float64 through math.Exp.
func NaiveSoftplusBackward[F Float](dx, dy, x []F) {
	dx = dx[:len(x)]
	dy = dy[:len(x)]
	for i, v := range x {
		dx[i] = F(float64(dy[i]) / (1 + math.Exp(-float64(v))))
	}
}

// GLUFunc returns k's GLU of element type F: GLU for float32, GLU64 for
// float64.
func GLUFunc[F Float](k kernels.Kernel) func(dst, a, b []F) {
	return ofType[F, func(dst, a, b []F)](k.GLU, k.GLU64)
}

// NaiveGLU is a·σ(b) as a plain Go loop: a/(1+exp(-b)) in float64 through
// math.Exp, NaiveSoftplusBackward with dy = a and x = b.
func NaiveGLU[F Float](dst, a, b []F) {
	dst = dst[:len(b)]
	a = a[:len(b)]
	for i, v := range b {
		dst[i] = F(float64(a[i]) / (1 + math.Exp(-float64(v))))
	}
}

// SwiGLUFunc returns k's SwiGLU of element type F: SwiGLU for float32,
// SwiGLU64 for float64.
func SwiGLUFunc[F Float](k kernels.Kernel) func(dst, gate, up []F) {
	return ofType[F, func(dst, gate, up []F)](k.SwiGLU, k.SwiGLU64)
}

// NaiveSwiGLU is silu(gate)·up as a plain Go loop: g/(1+exp(-g))·u in
// float64 through math.Exp.
func NaiveSwiGLU[F Float](dst, gate, up []F) {
	dst = dst[:len(gate)]
	up = up[:len(gate)]
	for i, g := range gate {
		dst[i] = F(float64(g) / (1 + math.Exp(-float64(g))) * float64(up[i]))
	}
}

// BCEWithLogitsFunc returns k's BCEWithLogits of element type F:
// BCEWithLogits for float32, BCEWithLogits64 for float64.
func BCEWithLogitsFunc[F Float](k kernels.Kernel) func(loss, z, t []F) {
	return ofType[F, func(loss, z, t []F)](k.BCEWithLogits, k.BCEWithLogits64)
}

// NaiveBCEWithLogits is log(1+exp(z)) - t·z as a plain Go loop would
// write it, in the form that does not overflow: max(z, 0) - t·z +
// log1p(e^-|z|) in float64 through math.Exp and math.Log1p. For t = 0 it
// is NaiveSoftplus(z) bit for bit, for t = 1 NaiveSoftplus(-z).
func NaiveBCEWithLogits[F Float](loss, z, t []F) {
	loss = loss[:len(z)]
	t = t[:len(z)]
	for i, x := range z {
		v := float64(x)
		loss[i] = F(math.Max(v, 0) - float64(t[i])*v + math.Log1p(math.Exp(-math.Abs(v))))
	}
}

// Targets returns n targets t for BCEWithLogits, from a generator seeded
// with seed: the even-indexed ones labels, 0 or 1 with equal odds, the
// odd-indexed ones uniform in [0, 1), as smoothed labels. The same
// arguments give the same values, a shorter slice is a prefix of a longer
// one, and float32 and float64 get the same draws, rounded to each.
func Targets[F Float](n int, seed uint64) []F {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	ts := make([]F, n)
	for i := range ts {
		if i%2 == 0 {
			ts[i] = F(r.Uint64() & 1)
			continue
		}
		v := F(r.Float64())
		// Rounding can reach 1 itself; keep the range half-open.
		if v >= 1 {
			v = below(F(1))
		}
		ts[i] = v
	}
	return ts
}

// NaiveSoftplus is Softplus as a plain Go loop would write it, in the
// form that neither overflows nor cancels: max(x, 0) + log1p(e^-|x|) in
// float64 through math.Exp and math.Log1p.
func NaiveSoftplus[F Float](dst, src []F) {
	dst = dst[:len(src)]
	for i, x := range src {
		v := float64(x)
		dst[i] = F(math.Max(v, 0) + math.Log1p(math.Exp(-math.Abs(v))))
	}
}

// NaiveLogSigmoid is LogSigmoid as a plain Go loop: -softplus(-x) as
// NaiveSoftplus computes it.
func NaiveLogSigmoid[F Float](dst, src []F) {
	dst = dst[:len(src)]
	for i, x := range src {
		v := -float64(x)
		dst[i] = F(-(math.Max(v, 0) + math.Log1p(math.Exp(-math.Abs(v)))))
	}
}

// NaiveTanh is Tanh as a plain Go loop would write it: math.Tanh in
// float64.
func NaiveTanh[F Float](dst, src []F) {
	dst = dst[:len(src)]
	for i, x := range src {
		dst[i] = F(math.Tanh(float64(x)))
	}
}

// NaiveTanhBackward is dy·(1 - y·y) as a plain Go loop.
func NaiveTanhBackward[F Float](dx, dy, y []F) {
	dx = dx[:len(y)]
	dy = dy[:len(y)]
	for i, v := range y {
		dx[i] = dy[i] * (1 - v*v)
	}
}

// NaiveSiLU is SiLU as a plain Go loop would write it: x/(1+exp(-x)) in
// float64 through math.Exp (NaN for x = -Inf).
func NaiveSiLU[F Float](dst, src []F) {
	dst = dst[:len(src)]
	for i, x := range src {
		dst[i] = F(float64(x) / (1 + math.Exp(-float64(x))))
	}
}

// NaiveSiLUBackward is dy·σ·(1 + x·(1-σ)) as a plain Go loop.
func NaiveSiLUBackward[F Float](dx, dy, x []F) {
	for i, v := range x {
		s := 1 / (1 + math.Exp(-float64(v)))
		dx[i] = F(float64(dy[i]) * s * (1 + float64(v)*(1-s)))
	}
}

// FuncName is the name of the kernels' function fn for element type F:
// fn for float32, fn+"64" for float64 ("SiLUBackward", "SiLUBackward64").
func FuncName[F Float](fn string) string {
	if ElemSize[F]() == 8 {
		return fn + "64"
	}
	return fn
}

// BCEWithLogitsBackwardFunc returns k's BCEWithLogitsBackward of element
// type F.
func BCEWithLogitsBackwardFunc[F Float](k kernels.Kernel) func(dz, dy, z, t []F) {
	return ofType[F, func(dz, dy, z, t []F)](k.BCEWithLogitsBackward, k.BCEWithLogitsBackward64)
}

// NaiveBCEWithLogitsBackward is dy·(σ(z) - t) as a plain Go loop:
// dy·(1/(1+exp(-z)) - t) in float64 through math.Exp.
func NaiveBCEWithLogitsBackward[F Float](dz, dy, z, t []F) {
	dz, dy, t = dz[:len(z)], dy[:len(z)], t[:len(z)]
	for i, v := range z {
		dz[i] = F(float64(dy[i]) * (1/(1+math.Exp(-float64(v))) - float64(t[i])))
	}
}

// BCEWithLogitsAndBackwardFunc returns k's BCEWithLogitsAndBackward of
// element type F.
func BCEWithLogitsAndBackwardFunc[F Float](k kernels.Kernel) func(loss, dz, dy, z, t []F) {
	return ofType[F, func(loss, dz, dy, z, t []F)](k.BCEWithLogitsAndBackward, k.BCEWithLogitsAndBackward64)
}

// NaiveBCEWithLogitsAndBackward is NaiveBCEWithLogits then
// NaiveBCEWithLogitsBackward: the loss and its gradient as plain Go loops.
func NaiveBCEWithLogitsAndBackward[F Float](loss, dz, dy, z, t []F) {
	NaiveBCEWithLogits(loss, z, t)
	NaiveBCEWithLogitsBackward(dz, dy, z, t)
}

// BCEWithLogitsMeanFunc returns k's BCEWithLogitsMean of element type F.
func BCEWithLogitsMeanFunc[F Float](k kernels.Kernel) func(dz, z, t []F) float64 {
	return ofType[F, func(dz, z, t []F) float64](k.BCEWithLogitsMean, k.BCEWithLogitsMean64)
}

// NaiveBCEWithLogitsMean is the mean of NaiveBCEWithLogits's losses and
// the gradient (σ(z) - t)/n, as a plain Go loop: one math.Exp and one
// math.Log1p an element, the sum in float64.
func NaiveBCEWithLogitsMean[F Float](dz, z, t []F) float64 {
	dz, t = dz[:len(z)], t[:len(z)]
	n := float64(len(z))
	var sum float64
	for i, x := range z {
		v := float64(x)
		e := math.Exp(-math.Abs(v))
		sum += math.Max(v, 0) - float64(t[i])*v + math.Log1p(e)
		s := 1 / (1 + e) // σ(|z|)
		if v < 0 {
			s = 1 - s
		}
		dz[i] = F((s - float64(t[i])) / n)
	}
	return sum / n
}

// GLUBackwardFunc returns k's GLUBackward of element type F.
func GLUBackwardFunc[F Float](k kernels.Kernel) func(da, db, dy, a, b []F) {
	return ofType[F, func(da, db, dy, a, b []F)](k.GLUBackward, k.GLUBackward64)
}

// NaiveGLUBackward is da = dy·σ(b), db = dy·a·σ(b)·(1 - σ(b)) as a plain
// Go loop, σ in float64 through math.Exp.
func NaiveGLUBackward[F Float](da, db, dy, a, b []F) {
	da, db, dy, a = da[:len(b)], db[:len(b)], dy[:len(b)], a[:len(b)]
	for i, v := range b {
		s := 1 / (1 + math.Exp(-float64(v)))
		da[i] = F(float64(dy[i]) * s)
		db[i] = F(float64(dy[i]) * float64(a[i]) * s * (1 - s))
	}
}

// SwiGLUBackwardFunc returns k's SwiGLUBackward of element type F.
func SwiGLUBackwardFunc[F Float](k kernels.Kernel) func(dgate, dup, dy, gate, up []F) {
	return ofType[F, func(dgate, dup, dy, gate, up []F)](k.SwiGLUBackward, k.SwiGLUBackward64)
}

// NaiveSwiGLUBackward is dgate = dy·up·silu'(gate), dup = dy·silu(gate) as
// a plain Go loop, σ in float64 through math.Exp.
func NaiveSwiGLUBackward[F Float](dgate, dup, dy, gate, up []F) {
	dgate, dup, dy, up = dgate[:len(gate)], dup[:len(gate)], dy[:len(gate)], up[:len(gate)]
	for i, g := range gate {
		x := float64(g)
		s := 1 / (1 + math.Exp(-x))
		dgate[i] = F(float64(dy[i]) * float64(up[i]) * s * (1 + x*(1-s)))
		dup[i] = F(float64(dy[i]) * x * s)
	}
}
