package accuracy

import (
	"fmt"
	"math"
	"math/bits"
)

// Tiny64 is where the float64 references change form. A double-double
// hi+lo cannot hold more than the float64 grid, which is 2^-1074 apart at
// every scale: below about 2^-969 lo no longer has the 53 bits an ULP
// judgement needs, and below 2^-1022 (subnormal results) it is always 0.
// So where |hi| < Tiny64, the pairs Exact64 and BackwardExact64 return
// mean hi + lo*2^-1074: hi is still the exact value rounded to the nearest
// float64, and lo is the rest counted in units of 2^-1074 (|lo| <= 1/2 for
// subnormal results), to 53 bits. ULP64 reads them that way; never add
// such a hi and lo as float64s.
const Tiny64 = 0x1p-969

// Exact64 is the sigmoid of x as a double-double hi+lo with hi the exact
// value rounded to the nearest float64 and |lo| <= ulp(hi)/2. Its relative
// error is below 2^-101 wherever the result is at least Tiny64: the error
// bounds of the double-word operations it chains (see dd.go) add up to
// about 17*2^-106 at most, and TestExact64Big measures at most 2^-104
// against math/big at 300 bits. Below Tiny64 (x < -671.66) the pair is
// scaled as Tiny64 says, hi is still the correctly rounded result, and the
// pair is within 2^-50 ULP of the exact value: precise enough to judge the
// rounding of subnormal results. For x < -1490 (results below 2^-2149) it
// is 0, 0. For x > 746 it is exactly 1, 0 (1-e^-x rounds to 1 and the
// rest is below 2^-1076). NaN gives NaN, +Inf 1 and -Inf 0.
func Exact64(x float64) (hi, lo float64) {
	switch {
	case x != x:
		return x, 0
	case x > 746:
		return 1, 0
	case x < -1490:
		return 0, 0
	}
	if x >= 0 {
		// 1/(1+e^-x): e^-x <= 1, nothing cancels. Scaling m by 2^k may
		// drop bits of lo below 2^-1074, but they are far below 2^-106
		// of 1+e^-x.
		m, k := expDD(-x)
		y := div(dd{1, 0}, addF(dd{ldexp(m.hi, k), ldexp(m.lo, k)}, 1))
		return y.hi, y.lo
	}
	// e^x/(1+e^x) = m/(1+m*2^k) * 2^k, kept scaled until the end.
	m, k := expDD(x)
	q := div(m, addF(dd{ldexp(m.hi, k), ldexp(m.lo, k)}, 1))
	return encode(q, k)
}

// BackwardExact64 is dy·y·(1-y) as Exact64 gives the sigmoid: rounded to
// the nearest float64 in hi, the rest in lo (scaled as Tiny64 says below
// it), with relative error below 2^-103 (1-y is exact as a twoSum, then
// two multiplications of 2u^2 each). Non-finite inputs give the float64
// product dy*y*(1-y) and 0, as do exact zeros.
func BackwardExact64(dy, y float64) (hi, lo float64) {
	p := dy * y * (1 - y)
	if dy == 0 || y == 0 || y == 1 || math.IsInf(dy, 0) || math.IsInf(y, 0) || dy != dy || y != y {
		return p, 0
	}
	// dy*y*(1-y) = md*my*(s+e) * 2^(ed+ey) with the mantissas md, my in
	// [0.5, 1): whatever the scale of the result, nothing on the way
	// overflows or underflows, but for terms far below 2^-106 of it.
	md, ed := math.Frexp(dy)
	my, ey := math.Frexp(y)
	s, e := twoSum(1, -y)
	return encode(mulF(mulF(dd{s, e}, my), md), ed+ey)
}

// encode returns q*2^k as a pair in the form of Exact64: hi = the float64
// nearest to q*2^k, lo = the rest, scaled by 2^1074 if |hi| < Tiny64.
func encode(q dd, k int) (hi, lo float64) {
	hi = ldexp(q.hi, k)
	if a := math.Abs(hi); a >= Tiny64 {
		if a > math.MaxFloat64 {
			return hi, 0
		}
		// Here hi = q.hi*2^k exactly, and q.lo*2^k loses at most 2^-1075,
		// under 2^-53 of ulp(hi).
		return hi, ldexp(q.lo, k)
	}
	// hi is q.hi*2^k rounded once. rest = q - hi*2^-k: q.hi - hi*2^-k is
	// exact (hi*2^-k is q.hi rounded to a coarser grid), adding q.lo
	// rounds. q.lo can move q across a rounding midpoint of hi: step then.
	rest := (q.hi - ldexp(hi, -k)) + q.lo
	if rest != 0 {
		next := math.Nextafter(hi, math.Copysign(math.Inf(1), rest))
		step := ldexp(next-hi, -k)
		if math.Abs(rest) > math.Abs(step)/2 {
			hi, rest = next, rest-step
		}
	}
	if math.Abs(hi) >= Tiny64 {
		return hi, ldexp(rest, k)
	}
	return hi, ldexp(rest, k+1074)
}

// binade returns e with |v| in [2^e, 2^(e+1)) for a finite v != 0 (e <
// -1022 for subnormals), and whether |v| is a power of two.
func binade(v float64) (e int, pow bool) {
	b := math.Float64bits(v) &^ (1 << 63)
	if b>>52 == 0 { // subnormal
		e = -1011 - bits.LeadingZeros64(b) // b in [2^(63-lz), 2^(64-lz))
		return e, b&(b-1) == 0
	}
	return int(b>>52) - 1023, b&(1<<52-1) == 0
}

// ULP64 is |got - exact| in float64 ULPs of the exact value, where exact
// is hi+lo as Exact64 and BackwardExact64 return it (hi + lo*2^-1074 when
// |hi| < Tiny64): the ulp is 2^(e-52) for |exact| in [2^e, 2^(e+1)) and
// 2^-1074 below 2^-1022 (including 0). A NaN on one side only, or an
// infinite exact value that got does not equal, gives +Inf; NaN against
// NaN gives 0. An error beyond the float64 range is +Inf.
func ULP64(got, hi, lo float64) float64 {
	if hi != hi || got != got {
		if hi != hi && got != got {
			return 0
		}
		return math.Inf(1)
	}
	if math.IsInf(hi, 0) || math.IsInf(got, 0) {
		if got == hi {
			return 0
		}
		return math.Inf(1)
	}
	if got == hi && lo == 0 {
		return 0
	}
	// The exact value's binade is hi's, or the one below when hi is a
	// power of two and lo points down (hi is the exact value rounded).
	e := -1022
	if hi != 0 {
		var pow bool
		e, pow = binade(hi)
		if pow && lo != 0 && (lo < 0) != (hi < 0) {
			e--
		}
	}
	d, dl := twoSum(got, -hi) // got - hi, exactly
	if math.Abs(hi) >= Tiny64 {
		// ulp = 2^(e-52) with e >= -970: 2^(52-e) is a normal float64.
		return math.Abs(d+(dl-lo)) * pow2(52-e)
	}
	e = max(e, -1022) // the ulp is 2^(e-52) = 2^(e+1022) units of 2^-1074
	if math.Abs(d) >= 0x1p-900 {
		// got is nowhere near: lo is negligible, the scale may overflow.
		return math.Ldexp(math.Abs(d), 52-e)
	}
	// In units of 2^-1074: (got-hi)*2^1074 - lo, each scaling exact.
	units := d*0x1p537*0x1p537 + (dl*0x1p537*0x1p537 - lo)
	return math.Abs(units) * pow2(-(e + 1022))
}

// subnormal64 reports whether the exact value hi(+lo) of Exact64 is in
// (0, 2^-1022).
func subnormal64(hi, lo float64) bool {
	return (hi > 0 || (hi == 0 && lo > 0)) && (hi < 0x1p-1022 || (hi == 0x1p-1022 && lo < 0))
}

// Check64 returns "" if got is a correct float64 sigmoid of x under the
// accuracy rules with the given ULP bound, else a description of what is wrong: NaN
// gives NaN, +Inf exactly 1, -Inf exactly 0, ±0 exactly 0.5, and a finite
// x a finite result in [0, 1] within bound ULPs (ULP64) of Exact64(x).
func Check64(x, got float64, bound float64) string {
	hi, lo := Exact64(x)
	u, r := check64(x, got, hi, lo, bound)
	if r == ok {
		return ""
	}
	return describe64(x, got, hi, lo, u, bound, r)
}

// check64 applies the accuracy rules to one result; hi, lo are Exact64(x). It
// returns the error in ULPs (0 for a NaN input) and the rule broken.
func check64(x, got, hi, lo, bound float64) (float64, reason) {
	if x != x {
		if got == got {
			return 0, nanIn
		}
		return 0, ok
	}
	u := ULP64(got, hi, lo)
	// The common case first: finite nonzero x, result in [0, 1] (so not
	// NaN or Inf) and close enough.
	if u <= bound && got >= 0 && got <= 1 && x != 0 && x-x == 0 {
		return u, ok
	}
	switch {
	case got != got || math.IsInf(got, 0):
		return u, notFinite
	case math.IsInf(x, 1) && got != 1:
		return u, posInf
	case math.IsInf(x, -1) && got != 0:
		return u, negInf
	case x == 0 && got != 0.5:
		return u, zero
	case got < 0 || got > 1:
		return u, outside
	case !(u <= bound):
		return u, tooFar
	}
	return u, ok
}

func describe64(x, got, hi, lo, u, bound float64, r reason) string {
	exact := fmt.Sprintf("%.17g%+.4g", hi, lo)
	if math.Abs(hi) < Tiny64 && lo != 0 {
		exact = fmt.Sprintf("%.17g%+.6g*2^-1074", hi, lo)
	}
	return fmt.Sprintf("x=%v (%#016x): got %v (%#016x), exact %s (float64 %v): %s",
		x, math.Float64bits(x), got, math.Float64bits(got), exact, hi, r.rule(u, bound))
}
