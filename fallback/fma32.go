package fallback

import "math"

// fma32 is a·b + c rounded once to float32, the float32 FMA that Go lacks
// (math.FMA is float64's). The generated code writes its steps out in
// place.
//
// The product of two float32 is exact in float64 (48 bits), so s, the
// float64 sum, is the exact x = a·b + c rounded once (whether or not the
// compiler fuses it: the product is exact either way). Rounding s to
// float32 as well gives x rounded once unless s is a float32 rounding
// midpoint that x is not: every midpoint is a float64, so rounding to
// float64 never takes x across one, only onto one.
func fma32(a, b, c float32) float32 {
	s := float64(a)*float64(b) + float64(c)
	if fma32Tie(s) {
		s = fma32Odd(a, b, c, s)
	}
	return float32(s)
}

// fma32Tie reports whether s may be a float32 rounding midpoint: a normal
// float32's midpoints are the float64s whose low 29 bits are 1<<28; below
// the float32 normals (and at 0) it answers true for every s.
func fma32Tie(s float64) bool {
	u := math.Float64bits(s)
	return u&(1<<29-1) == 1<<28 || u&(0x7ff<<52) < (1023-126)<<52
}

// fma32Odd is s = RN(a·b + c) rounded to odd instead: the error
// e = x - s is taken (TwoSum, exact in float64) and s moved one float64
// step towards e where e ≠ 0 and s's last bit is even (e is NaN where s
// is ±Inf or NaN: s stays). Rounding that to float32, 29 bits or more
// fewer, rounds x. (Where x ≠ 0, |x| ≥ 2^-298 and |e| ≥ 2^-298 if e ≠ 0:
// e·s and e·e neither underflow nor overflow.)
//
//go:noinline
func fma32Odd(a, b, c float32, s float64) float64 {
	p := float64(a) * float64(b)
	bb := s - p
	if e := (p - (s - bb)) + (float64(c) - bb); e*e > 0 { // e ≠ 0, not NaN (s = ±Inf)
		// Truncated towards zero (one step back where e's sign is not
		// s's), last bit set.
		u := math.Float64bits(s)
		if e*s < 0 {
			u--
		}
		s = math.Float64frombits(u | 1)
	}
	return s
}
