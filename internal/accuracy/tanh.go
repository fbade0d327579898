package accuracy

import (
	"fmt"
	"math"
)

// TanhWide is the float32 tanh reference: math.Tanh in float64, within
// about 1 ULP of float64 (2^-52 relative, relative accuracy included near
// 0), some 2^-28 ULP of float32. NaN gives NaN.
func TanhWide(x float32) float64 { return math.Tanh(float64(x)) }

// TanhSaturation32 is the smallest float32 x whose tanh rounds to 1 (the
// correctly rounded value): from it up, and from -it down to -1, Tanh must
// return exactly ±1. (tanh x ≥ 1 - 2^-25 from 9.010914.)
const TanhSaturation32 float32 = 0x1.205968p+3

// SweepAllTanh is SweepAll for Tanh: the kernels' results against
// TanhWide under Tanh's rules (see CheckTanh).
func SweepAllTanh(fs []Func, stride uint32, bound float64) []Stats {
	return sweepAll(tanhRules, fs, stride, bound)
}

// tanhRules are Tanh's rules for the sweeps.
var tanhRules = rulesOf(TanhWide, checkTanh)

// CheckTanh returns "" if got is a correct Tanh result for x under its
// rules with the given ULP bound, else what is wrong: NaN gives that NaN
// quieted, ±0 itself, every other result has x's sign, is within bound ULPs
// of TanhWide(x) and within [-1, 1], and is exactly ±1 from
// ±TanhSaturation32 on (±Inf included).
func CheckTanh(x, got float32, bound float64) string {
	var exact float64
	if x == x {
		exact = TanhWide(x)
	}
	_, why := checkTanh(x, got, exact, bound)
	return why
}

func checkTanh(x, got float32, exact, bound float64) (u float64, why string) {
	bits := math.Float32bits
	switch {
	case x != x:
		return 0, nanWhy(x, got)
	case x == 0:
		if bits(got) != bits(x) {
			return math.Inf(1), fmt.Sprintf("%v gave %#08x, want %#08x", x, bits(got), bits(x))
		}
		return 0, ""
	case math.Abs(float64(x)) >= float64(TanhSaturation32):
		if want := float32(math.Copysign(1, float64(x))); got != want {
			return math.Inf(1), fmt.Sprintf("x=%v (%#08x) gave %v, want exactly %v", x, bits(x), got, want)
		}
		return 0, ""
	}
	u = ULP(got, exact)
	switch {
	case math.Signbit(float64(got)) != math.Signbit(float64(x)):
		return u, fmt.Sprintf("x=%v (%#08x) gave %v: the sign differs", x, bits(x), got)
	case got > 1 || got < -1:
		return u, fmt.Sprintf("x=%v (%#08x) gave %v, outside [-1, 1]", x, bits(x), got)
	case !(u <= bound):
		return u, fmt.Sprintf("x=%v (%#08x) gave %v (%#08x), exact %.10g: error %.4g ULP > %v", x, bits(x), got, bits(got), exact, u, bound)
	}
	return u, ""
}

// TanhSaturation64 is the smallest float64 x whose tanh rounds to 1.
const TanhSaturation64 = 0x1.30fc1931f09cap+4

// TanhExact64 is tanh x as a pair hi + lo, hi the exact value rounded to
// the nearest float64, to about 2^-70 relative: for |x| ≥ 2^-30 as
// 2σ(2|x|) - 1 from Exact64 (σ to 2^-100 relative, 2σ - 1 ≥ 2^-31 with
// 2hi - 1 exact), below it x - x³/3 (the next term is 2^-60 of that), and
// from |x| = 40 on 1 - 2e^-2|x|; with x's sign. NaN gives NaN, ±Inf ±1.
func TanhExact64(x float64) (hi, lo float64) {
	a := math.Abs(x)
	switch {
	case x != x:
		return x, 0
	case a < 0x1p-30:
		return x, -x * x * x / 3
	case a >= 40:
		return math.Copysign(1, x), -math.Copysign(2*exp(-2*a), x)
	}
	sh, sl := Exact64(2 * a)
	// 2·sh - 1 is exact (sh ≥ 1/2); the rest is 2·sl.
	h, l := fastTwoSum(2*sh-1, 2*sl)
	if x < 0 {
		return -h, -l
	}
	return h, l
}

// CheckTanh64 is CheckTanh for float64 against TanhExact64 in ULP64, with
// the saturation from ±TanhSaturation64.
func CheckTanh64(x, got, bound float64) (u float64, why string) {
	bits := math.Float64bits
	switch {
	case x != x:
		return 0, nanWhy(x, got)
	case x == 0:
		if bits(got) != bits(x) {
			return math.Inf(1), fmt.Sprintf("%v gave %#016x, want %#016x", x, bits(got), bits(x))
		}
		return 0, ""
	case math.Abs(x) >= TanhSaturation64:
		if want := math.Copysign(1, x); got != want {
			return math.Inf(1), fmt.Sprintf("x=%v gave %v, want exactly %v", x, got, want)
		}
		return 0, ""
	}
	hi, lo := TanhExact64(x)
	u = ULP64(got, hi, lo)
	switch {
	case math.Signbit(got) != math.Signbit(x):
		return u, fmt.Sprintf("x=%v gave %v: the sign differs", x, got)
	case got > 1 || got < -1:
		return u, fmt.Sprintf("x=%v gave %v, outside [-1, 1]", x, got)
	case !(u <= bound):
		return u, fmt.Sprintf("x=%v (%#016x) gave %v (%#016x), exact %.17g: error %.4g ULP > %v", x, bits(x), got, bits(got), hi, u, bound)
	}
	return u, ""
}

// TanhBackwardWide is the float32 TanhBackward reference: dy·(1 - y·y) in
// float64, where y·y is exact and 1 - y·y is exact for |y| ≥ 1/2 (and
// rounded once, 2^-53 relative, below): two roundings of 2^-53, some
// 2^-28 ULP of float32.
func TanhBackwardWide(dy, y float32) float64 {
	w := float64(y)
	return float64(dy) * (1 - w*w)
}

// TanhBackwardExact64 is dy·(1 - y·y) as Exact64 gives the sigmoid: hi
// the nearest float64, lo the rest (scaled as Tiny64 says below it), to
// about 2^-100 relative: y·y is a twoProd, 1 - y·y a twoSum and the rest,
// then one product with dy's mantissa. Non-finite inputs and zeros give
// the float64 product and 0.
func TanhBackwardExact64(dy, y float64) (hi, lo float64) {
	p := dy * (1 - y*y)
	if dy == 0 || math.IsInf(dy, 0) || math.IsInf(y, 0) || dy != dy || y != y || math.Abs(y) == 1 {
		return p, 0
	}
	yy, yyl := twoProd(y, y)
	s, e := twoSum(1, -yy)
	g := addF(dd{s, e}, -yyl)
	md, ed := math.Frexp(dy)
	return encode(mulF(g, md), ed)
}

// nanWhy is "" if got is the NaN x quieted (sign and payload kept), the
// rule for a NaN input, else what is wrong.
func nanWhy[F float32 | float64](x, got F) string {
	var b, g, quiet uint64
	width := 8
	switch x := any(x).(type) {
	case float32:
		b, g, quiet = uint64(math.Float32bits(x)), uint64(math.Float32bits(any(got).(float32))), 1<<22
	case float64:
		b, g, quiet, width = math.Float64bits(x), math.Float64bits(any(got).(float64)), 1<<51, 16
	}
	if g != b|quiet {
		return fmt.Sprintf("NaN %#0*x gave %#0*x, want %#0*x", width, b, width, g, width, b|quiet)
	}
	return ""
}
