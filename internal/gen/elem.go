package main

import "math"

// elem is a vector element type and what the algorithm's constants need to
// know of it.
type elem struct {
	name  string // Go type
	bytes int
	mant  int // stored mantissa bits: 23 or 52
	bias  int // exponent bias
	// clamp bounds |x| in the safe code: past it every sigmoid rounds to 0
	// or 1, and every SiLU to -0 or x (|x|·e^-|x| < 2^-150, 2^-1075).
	clamp float64
	// minExp is the smallest k safe code scales e by for the denominator:
	// a smaller k changes d = 1 + e by far less than an ulp.
	minExp int
	// fastLimit bounds |x| in blocks that take the fast code: neither half
	// of e nor the result comes near a subnormal (k ≥ -47, k ≥ -739), and no
	// lane is NaN or ±Inf.
	fastLimit float64
}

var (
	f32 = elem{name: "float32", bytes: 4, mant: 23, bias: 127, clamp: 110, minExp: -60, fastLimit: 32}
	f64 = elem{name: "float64", bytes: 8, mant: 52, bias: 1023, clamp: 752, minExp: -120, fastLimit: 512}
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
