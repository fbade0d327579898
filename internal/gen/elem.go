package main

import "math"

// elem is a vector element type and what the algorithm's constants need to
// know of it.
type elem struct {
	name  string // Go type
	bytes int
	mant  int // stored mantissa bits: 23 or 52
	bias  int // exponent bias
	// clamp bounds |x| in the tiny code: past it every sigmoid rounds to
	// 0, and every SiLU to -0 (|x|·e^-|x| < 2^-150, 2^-1075).
	clamp float64
	// fastLimit bounds |x| where the fast code runs: neither half of e nor
	// the result comes near a subnormal (k ≥ -47, k ≥ -739), and no lane
	// is NaN or ±Inf. float64's is 512 with every bit of the low word
	// set: the vector checks compare |x|'s high word alone.
	fastLimit float64
	// tableSize is N, the entries of the 2^(j/N) table: one YMM permute's
	// worth, which AVX-512 and NEON index as well (TBL, a ZMM permute of
	// the table written twice). polyDegree is the degree of the polynomial
	// for e^-s on |s| ≤ ln2/(2N), the lowest that keeps it within
	// 2^-(p+4), p the precision (TestExpPolyError). One choice for every
	// ISA: each kernel computes the same operations in the same order.
	tableSize, polyDegree int
	// tanhClamp bounds |x| in tanh: past it tanh rounds to 1 (from 9.01,
	// 19.06), and 2·tanhClamp is within fastLimit, the domain of the
	// sigmoid's denominator code. tanhSmall is where tanh leaves its
	// polynomial for 2σ(2|x|) - 1, whose absolute error, that of e^-2|x|
	// over 2, is a relative one of about 2^-(p+4)/|x| (float32: 0.78 ULP
	// at most from 1/8 up, all 2^32 inputs; float64 keeps 1/2, as at 1/8
	// it reached 1.46 ULP). tanhDegree is the degree in s = x² of the
	// polynomial: x + x·s·P(s) with P of degree tanhDegree-1, the lowest
	// within 2^-(p+3) relative (2^-32.0, 2^-57.6: P's coefficients rounded
	// to the element type).
	tanhClamp, tanhSmall float64
	tanhDegree           int
	// scaleBias is c: scaleDown holds its result as v·2^(k+c), a normal
	// number, before the one rounding multiply by 2^-c. It must keep
	// 2^(k+c) normal for every k a power takes: the tiny codes' (k down to
	// -160, -1086) and, for a product f·e^x, k plus f's exponent, up to
	// 80 and 285, with v up to 2^9.6 (2^12.5: SwiGLU's f = |up|·|gate|);
	// and where expTimes raises a power to 2^(1-bias-c), v·2^(k+e) must
	// round to 0 for every such v (float32: c from 34 to 37; float64: 66
	// to 726).
	scaleBias int
	// productClamp bounds |x| where the tiny code multiplies e^x by a
	// factor: past it |f|·|x|·e^x < 2^-150 (2^-1075) for every finite f,
	// so that f·e^x and SwiGLU's f·x·e^x round to ±0.
	productClamp float64
	// productScale is S: the products dy·σ(x) and SwiGLU's fast code
	// scale a factor up by 2^S and the result by 2^-S, so that their
	// small terms, about 2^-(p+1) of the result (p the precision), are
	// normal down to the smallest result that does not round to 0, 2^-150
	// (2^-1075): S ≥ 48 (106). Factors (SwiGLU: products up·gate) up to
	// 2^(128-S) (2^(1024-S)) stay on the fast code. SwiGLUBackward's
	// dgate scales up by 2^S the same way (dgateScaled).
	productScale int
	// softplusDegree is the number of coefficients of softplus's P:
	// log(1+E) = 2z + z·s·P(s), z = E/(2+E) ≤ 1/3, s = z², the lowest
	// within 2^-(p+4) relative (TestSoftplusPolyError).
	softplusDegree int
}

var (
	f32 = elem{name: "float32", bytes: 4, mant: 23, bias: 127, clamp: 110, fastLimit: 32, tableSize: 8, polyDegree: 4, tanhClamp: 10, tanhSmall: 0.125, tanhDegree: 3, softplusDegree: 5, scaleBias: 36, productClamp: 200, productScale: 64}
	f64 = elem{name: "float64", bytes: 8, mant: 52, bias: 1023, clamp: 752, fastLimit: math.Float64frombits(0x40800000_ffffffff), tableSize: 4, polyDegree: 9, tanhClamp: 20, tanhSmall: 0.5, tanhDegree: 11, softplusDegree: 11, scaleBias: 80, productClamp: 1464, productScale: 128}
)

// precision is the significand's width in bits, the implicit one included.
func (e elem) precision() int { return e.mant + 1 }

// bits is x rounded to the element type, as its bit pattern.
func (e elem) bits(x float64) uint64 {
	if e == f32 {
		return uint64(math.Float32bits(float32(x)))
	}
	return math.Float64bits(x)
}

// value is the element with bits b.
func (e elem) value(b uint64) float64 {
	if e == f32 {
		return float64(math.Float32frombits(uint32(b)))
	}
	return math.Float64frombits(b)
}

// round is x rounded to the element type.
func (e elem) round(x float64) float64 {
	if e == f32 {
		return float64(float32(x))
	}
	return x
}

// num is a constant of the element type: one broadcast value, or a table.
func (e elem) num(name string, xs ...float64) *constant {
	c := &constant{name: name}
	for _, x := range xs {
		c.bits = append(c.bits, e.bits(x))
	}
	return c
}

// towardZero is the element nearest x towards 0, x an element.
func (e elem) towardZero(x float64) float64 {
	if e == f32 {
		return float64(math.Nextafter32(float32(x), 0))
	}
	return math.Nextafter(x, 0)
}

// pattern is a constant given by its bit pattern.
func pattern(name string, b uint64) *constant {
	return &constant{name: name, bits: []uint64{b}}
}

// signBit is the sign bit.
func (e elem) signBit() uint64 { return 1 << (8*e.bytes - 1) }

// intBits is the two's-complement pattern of v in the element's width.
func (e elem) intBits(v int64) uint64 {
	return uint64(v) & (e.signBit()<<1 - 1)
}

// quietBit is the top mantissa bit, set in quiet NaNs.
func (e elem) quietBit() uint64 { return 1 << (e.mant - 1) }

// canonNaN is the NaN the arithmetic makes from numbers (∞ - ∞, 0·∞) in
// every kernel: the negative quiet NaN without payload, 0xffc00000 and
// 0xfff8000000000000, x86's default NaN (Arm's is positive).
func (e elem) canonNaN() uint64 { return ^(e.quietBit() - 1) & (e.signBit()<<1 - 1) }
