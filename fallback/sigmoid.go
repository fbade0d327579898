// Package fallback is the pure-Go sigmoid: what runs where no SIMD kernel
// does, and the oracle every kernel is tested against.
//
// The names follow one rule: the slice functions are Sigmoid,
// SigmoidBackward (float32), Sigmoid64 and SigmoidBackward64 (float64),
// as in package kernels, with the same argument checks and panics; the
// functions of one value are SigmoidScalar (float32) and SigmoidScalar64
// (float64). SigmoidScalar64, within 0.502 float64 ULP, is the reference
// for measuring float32 error.
//
// A NaN input gives that NaN quieted: sign and payload kept, quiet bit set.
// In the backward pass a NaN dy wins over a NaN y, as in the SIMD kernels.
// The slice functions read and write only the elements below the slices'
// lengths, never their spare capacity.
//
// The float32 functions compute exp(-x) = 2^k * 2^(j/1024) * 2^(f/1024) in
// float64 (table lookup plus a cubic, relative error below 1e-15) and round
// 1/(1+exp(-x)) once to float32, so results are correctly rounded except
// when the exact value lies within about 1e-15 of a rounding midpoint.
// Where Go fuses multiply-adds (arm64 and others, not amd64), such rare
// results may differ between platforms.
package fallback

//go:generate go run gen_exp2table.go gen_exp2common.go

import (
	"math"

	"github.com/simdsigmoid/sigmoid/internal/check"
)

const (
	tableBits = 10
	tableSize = 1 << tableBits

	// -1024/ln2 = negInvHi + negInvLo. negInvHi has 29 significant bits, so
	// y*negInvHi is exact for every float32 y (24 bits): the reduction
	// below then loses nothing however large y is.
	negInvHi = -0x1.7154765p+10
	negInvLo = -tableSize*math.Log2E - negInvHi

	// Adding 1.5*2^52 rounds to an integer n (ties to even) and leaves
	// 2^51+n in the low mantissa bits; subtracting it again gives n exactly.
	roundShift = 0x1.8p52
	shiftBits  = 0x4338000000000000 // math.Float64bits(roundShift)

	// Taylor coefficients of 2^(f/1024) = exp(f*L), |f| <= 1/2. The first
	// omitted term, (L/2)^4/24, is below 6e-16 relative.
	l  = math.Ln2 / tableSize
	a1 = l
	a2 = l * l / 2
	a3 = l * l * l / 6

	// Fast path bound: |n| < 2^19, i.e. |x| < 354, keeps 2^k far inside
	// the float64 range. rangeOff maps that n range onto [0, 2^20).
	rangeBits        = 20
	rangeOff  uint64 = 1<<64 + 1<<(rangeBits-1) - shiftBits

	// SigmoidScalar clamps to ±104 instead: beyond it the float32 result is
	// already exactly 0 or 1.
	clamp32 = 104
)

// regConsts holds constants the Sigmoid loop uses several times per
// element; read from a variable they stay in registers, where constants
// would be reloaded from memory at every use.
var regConsts = struct{ negInvHi, negInvLo, roundShift float64 }{negInvHi, negInvLo, roundShift}

// Sigmoid sets dst[i] = 1/(1+exp(-src[i])) for every i, as SigmoidScalar
// does (bit for bit). dst may be src itself (in place); it must not overlap
// src otherwise. It panics if the lengths differ or the slices partially
// overlap.
func Sigmoid(dst, src []float32) {
	if check.BadUnary(dst, src) {
		check.PanicUnary("fallback", "Sigmoid", dst, src)
	}
	dst = dst[:len(src)]
	hi, lo, shift := regConsts.negInvHi, regConsts.negInvLo, regConsts.roundShift
	const off = rangeOff
	i := 0
	for ; i+4 <= len(src); i += 4 {
		// sigmoid32Wide's steps for four elements, interleaved step by
		// step: 1.5x faster than calling SigmoidScalar per element.
		s := src[i : i+4 : i+4]
		d := dst[i : i+4 : i+4]
		y0, y1, y2, y3 := float64(s[0]), float64(s[1]), float64(s[2]), float64(s[3])
		t0, t1, t2, t3 := y0*hi, y1*hi, y2*hi, y3*hi
		k0, k1, k2, k3 := t0+shift, t1+shift, t2+shift, t3+shift
		b0, b1, b2, b3 := math.Float64bits(k0), math.Float64bits(k1), math.Float64bits(k2), math.Float64bits(k3)
		// One test for all four: n out of range, ±Inf or NaN set a high bit.
		if ((b0+off)|(b1+off)|(b2+off)|(b3+off))>>rangeBits != 0 {
			d[0], d[1], d[2], d[3] = SigmoidScalar(s[0]), SigmoidScalar(s[1]), SigmoidScalar(s[2]), SigmoidScalar(s[3])
			continue
		}
		f0 := (t0 - (k0 - shift)) + y0*lo
		f1 := (t1 - (k1 - shift)) + y1*lo
		f2 := (t2 - (k2 - shift)) + y2*lo
		f3 := (t3 - (k3 - shift)) + y3*lo
		p0 := f0 * (a1 + f0*(a2+f0*a3))
		p1 := f1 * (a1 + f1*(a2+f1*a3))
		p2 := f2 * (a1 + f2*(a2+f2*a3))
		p3 := f3 * (a1 + f3*(a2+f3*a3))
		e0 := math.Float64frombits(exp2Table[b0&(tableSize-1)] + b0<<(52-tableBits))
		e1 := math.Float64frombits(exp2Table[b1&(tableSize-1)] + b1<<(52-tableBits))
		e2 := math.Float64frombits(exp2Table[b2&(tableSize-1)] + b2<<(52-tableBits))
		e3 := math.Float64frombits(exp2Table[b3&(tableSize-1)] + b3<<(52-tableBits))
		d[0] = float32(1 / ((1 + e0) + e0*p0))
		d[1] = float32(1 / ((1 + e1) + e1*p1))
		d[2] = float32(1 / ((1 + e2) + e2*p2))
		d[3] = float32(1 / ((1 + e3) + e3*p3))
	}
	for ; i < len(src); i++ {
		dst[i] = SigmoidScalar(src[i])
	}
}

// SigmoidScalar is the float32 sigmoid of one value, computed in float64 and
// rounded once: NaN gives that NaN quieted, +Inf 1, -Inf 0, ±0 0.5.
// Sigmoid gives bit-identical results.
func SigmoidScalar(x float32) float32 {
	if x != x {
		return quiet32(x)
	}
	return float32(sigmoid32Wide(x))
}

// quiet32 is the NaN x with its quiet bit set, sign and payload kept:
// what x86 and arm64 arithmetic return for a NaN operand, written out
// because not every platform's conversions and arithmetic keep payloads.
func quiet32(x float32) float32 {
	return math.Float32frombits(math.Float32bits(x) | 1<<22)
}

// quiet64 is quiet32 for float64.
func quiet64(x float64) float64 {
	return math.Float64frombits(math.Float64bits(x) | 1<<51)
}

// sigmoid32Wide is SigmoidScalar before the final rounding to float32.
func sigmoid32Wide(x float32) float64 {
	y := float64(x)
	// NaN fails both tests and propagates to the result.
	if y > clamp32 {
		y = clamp32
	}
	if y < -clamp32 {
		y = -clamp32
	}
	// exp(-y) = 2^(t/1024) with t = -y*1024/ln2 = n + f, n = 1024*k + j.
	t := y * negInvHi
	kd := t + roundShift
	b := math.Float64bits(kd)
	// f = t - n is exact (|t-n| <= 1/2 and t has at most 53 bits); adding
	// y*negInvLo restores the rest of -1024/ln2.
	f := (t - (kd - roundShift)) + y*negInvLo
	p := f * (a1 + f*(a2+f*a3)) // 2^(f/1024) - 1
	// b&1023 = j; b<<42 = n<<42 mod 2^64 = k<<52 + j<<42, and the table
	// entry has j<<42 taken off, leaving 2^k applied to 2^(j/1024).
	e := math.Float64frombits(exp2Table[b&(tableSize-1)] + b<<(52-tableBits))
	// 1+exp(-y) = (1+e) + e*p: adding 1+e early shortens the chain.
	return 1 / ((1 + e) + e*p)
}

// SigmoidBackward sets dx[i] = dy[i]·y[i]·(1-y[i]) for every i, the
// gradient of the sigmoid given its output y. y - y·y is computed in
// float64, where for 2^-6 ≤ |y| < 2^24 (every sigmoid output past 2^-6
// included) it is exact, and rounded once to float32, as the SIMD kernels'
// FMA does; then it is multiplied by dy. The result is within 1.5 ULP of
// the exact expression (two roundings). A NaN dy gives that NaN quieted;
// else a NaN y gives that NaN quieted. dx may be dy or y itself (in place);
// it must not otherwise overlap them. It panics if the lengths differ or dx
// partially overlaps an input.
func SigmoidBackward(dx, dy, y []float32) {
	if check.BadBackward(dx, dy, y) {
		check.PanicBackward("fallback", "SigmoidBackward", "y", dx, dy, y)
	}
	dx = dx[:len(y)]
	dy = dy[:len(y)]
	for i, v := range y {
		w := float64(v)
		d := dy[i]
		r := d * float32(w-w*w)
		if r != r {
			r = backwardNaN32(d, v, r)
		}
		dx[i] = r
	}
}

// backwardNaN32 is the NaN that dy·(y-y·y) returns: dy's if dy is NaN,
// else y's, quieted; else r, the NaN the arithmetic made (y = ±Inf).
func backwardNaN32(dy, y, r float32) float32 {
	switch {
	case dy != dy:
		return quiet32(dy)
	case y != y:
		return quiet32(y)
	}
	return r
}
