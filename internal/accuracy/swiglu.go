package accuracy

import (
	"fmt"
	"math"
)

// SwiGLU references: silu(gate)·up = gate·σ(gate)·up, that is
// SoftplusBackward's dy·σ(x) with dy = gate·up and x = gate, but for a
// product gate·up that is not a float of its type: for float32 inputs it
// is exact in float64, for float64 inputs it is carried as the product of
// the mantissas and a separate exponent, so that neither its overflow nor
// its underflow changes the result.
//
// Results beyond the range: ±Inf stands for every value of at least
// 2^128 (float64: 2^1024) in magnitude, and the ulp of the last binade
// goes on above it, so that ±Inf is exact for those and within 1 ULP of
// everything from the largest finite float up, and the largest finite
// float within 1 ULP of everything up to 2^128 + 2^104 (float64: 2^1024 +
// 2^971).

// SwiGLUWide is the float32 SwiGLU reference: gate·σ(gate)·up in float64,
// as p/(1 + e^-gate) for gate ≥ 0 and p·(E/(1 + E)), E = e^gate, below,
// where p = gate·up is exact (48 bits, |p| between 2^-298 and 2^256) and
// exp is within an ulp: within about 2^-50 relative, some 2^-26 ULP
// of float32. E is a normal float64 down to gate = -708, so huge up keep
// that accuracy down there; below, the result is under 2^-880 for every
// float32 up (|gate|·e^gate·2^128), and its error under 2^-930 absolute
// (E subnormal or 0). Non-finite inputs give float64 arithmetic on the
// limits: NaN for a NaN, up·∞ for gate = +Inf, up·(-0) for gate = -Inf,
// gate·up for an infinite up (NaN for 0·∞ alike).
func SwiGLUWide(gate, up float32) float64 {
	g, u := float64(gate), float64(up)
	p := g * u
	switch {
	case g != g || u != u:
		return g + u
	case math.IsInf(g, 1):
		return u * g
	case math.IsInf(g, -1):
		return u * math.Copysign(0, -1)
	case math.IsInf(u, 0):
		return p // ±Inf, or NaN for a zero gate
	case g >= 0:
		return p / (1 + exp(-g))
	}
	e := exp(g)
	return p * (e / (1 + e))
}

// SwiGLUExact64 is gate·σ(gate)·up as a pair in the form of Exact64: hi
// the exact value rounded to the nearest float64 (±Inf beyond the range),
// lo the rest (scaled as Tiny64 says below it), to about 2^-100 relative
// for every finite gate and up. With gate = mg·2^eg and up = mu·2^eu (mg,
// mu in [0.5, 1)), mg·mu is exact as a twoProd, σ(gate) is Exact64 for
// gate ≥ 0 and, for gate < 0, m/(1 + m·2^k) scaled by 2^k, e^gate = m·2^k
// (expDD), and the product is scaled by 2^(k+eg+eu) once, at the end: so
// nothing overflows or underflows on the way where gate·up or e^gate does
// but the result does not. Below |gate| = 2^-60, σ(gate) is 1/2 +
// gate/4, whose second term, far below the first (or below the float64
// range), still decides the rounding where gate·up/2 is a rounding
// midpoint (a subnormal gate with up = 1 makes one); below gate = -1500
// the result is below 2^-1129
// for every float64 up and the pair is ±0 (gate·up's sign), 0, within
// 2^-55 ULP. Non-finite inputs and zeros give float64 arithmetic on the
// limits, and 0: NaN for a NaN, up·∞ for gate = +Inf, up·(-0) for gate =
// -Inf, gate·up for an infinite up or a zero gate or up (NaN for 0·∞
// alike).
func SwiGLUExact64(gate, up float64) (hi, lo float64) {
	switch {
	case gate != gate || up != up:
		return gate + up, 0
	case math.IsInf(gate, 1):
		return up * gate, 0
	case math.IsInf(gate, -1):
		return up * math.Copysign(0, -1), 0
	case math.IsInf(up, 0) || gate == 0 || up == 0:
		return gate * up, 0
	case gate < -1500:
		return gate * 0 * up, 0 // ±0 with the sign of gate·up
	}
	mg, eg := math.Frexp(gate)
	mu, eu := math.Frexp(up)
	p, pe := twoProd(mg, mu) // exact: mg·mu is in [1/4, 1)
	if math.Abs(gate) < 0x1p-60 {
		// σ(gate) = 1/2 + gate/4 to 2^-123 relative: the result is A + B,
		// A = gate·up/2 (p + pe, exactly, scaled by 2^(eg+eu-1)) and B =
		// A·gate/2 (scaled alike). Where B is far below A, the pair cannot
		// hold it: but for a gate this small A + B is never a rounding
		// midpoint (it has more than 54 significant bits), and where A is
		// one, B (of up's sign) decides which way it rounds.
		a := dd{p, pe}
		b := mulF(a, mg)
		hi, lo = encode(add(a, dd{ldexp(b.hi, eg-1), ldexp(b.lo, eg-1)}), eg+eu-1)
		return pastMidpoint(hi, lo, up > 0)
	}
	var m dd
	var k int
	if gate <= 746 {
		m, k = expDD(-math.Abs(gate))
	}
	return swigluPair(gate, p, pe, eg+eu, m, k)
}

// swigluPair is SwiGLUExact64's gate·σ(gate)·up for a finite gate of at
// least 2^-60 in magnitude and -1500 or more, given gate·up as p + pe
// scaled by 2^e (exact) and e^-|gate| = m·2^k as expDD returns it (unused
// above gate = 746, where σ(gate) is 1 as Exact64 says): SwiGLUBackward's
// check forms silu'(gate) from the same m and k.
func swigluPair(gate, p, pe float64, e int, m dd, k int) (hi, lo float64) {
	if gate > 0 {
		s := dd{1, 0} // Exact64(gate), from the same E
		if gate <= 746 {
			s = div(dd{1, 0}, addF(dd{ldexp(m.hi, k), ldexp(m.lo, k)}, 1))
		}
		return encode(mul(s, dd{p, pe}), e)
	}
	s := div(m, addF(dd{ldexp(m.hi, k), ldexp(m.lo, k)}, 1))
	return encode(mul(s, dd{p, pe}), k+e)
}

// pastMidpoint returns hi, lo, a pair in the form of Exact64 of a value
// A, with hi the nearest float64 to A + B for a B far below the pair's
// precision, positive if up, else negative: where A is exactly halfway
// between hi and its neighbour (lo half a step), and B points the way lo
// does, it is the neighbour, with the rest -lo.
func pastMidpoint(hi, lo float64, up bool) (float64, float64) {
	if lo == 0 || (lo > 0) != up || math.IsInf(hi, 0) {
		return hi, lo
	}
	next := math.Nextafter(hi, math.Copysign(math.Inf(1), lo))
	half := (next - hi) / 2 // exact: the step is a power of two no smaller than 2^-1074
	if math.Abs(hi) < Tiny64 {
		half = math.Ldexp(next-hi, 1073) // lo is in units of 2^-1074
	}
	if lo != half {
		return hi, lo
	}
	if math.Abs(hi) < Tiny64 && math.Abs(next) >= Tiny64 {
		return next, math.Ldexp(-lo, -1074)
	}
	return next, -lo
}

// CheckSwiGLU returns the error in ULPs of got, a float32 SwiGLU result
// for gate and up, and "" if got is correct under its rules with the given
// ULP bound, else what is wrong. The rules: a NaN gate gives that NaN
// quieted (sign and payload kept, quiet bit set), else a NaN up gives its
// NaN quieted; gate = +Inf gives exactly up·∞ (±Inf with up's sign),
// gate = -Inf exactly up·(-0) (±0 with the sign opposite to up's); a finite
// gate with an infinite up gives ±Inf with the sign of gate·up, and a
// finite up with a zero gate, or a zero up with a finite gate, ±0 with
// that sign; where ∞·0 arises (gate = +Inf with a zero up, gate = -Inf or
// a zero gate with an infinite up) the result is the default NaN
// (negative, quiet, no payload). Every other result has the sign of
// gate·up and is within bound ULPs of gate·σ(gate)·up, the same bound at
// every magnitude, subnormal results and results that round to ±0
// included; results beyond the range as the package comment of the SwiGLU
// references says. The error is 0 for the exact rules, +Inf where they
// are broken. Most results are judged against SwiGLUWide (some 2^-26 ULP
// off at most), those within 2^-20 ULP of the bound against the pair of
// SwiGLUExact64.
func CheckSwiGLU(gate, up, got float32, bound float64) (ulp float64, why string) {
	g, u := float64(gate), float64(up)
	if g-g != 0 || u-u != 0 || g == 0 || u == 0 { // NaN, ±Inf or ±0
		why := swigluSpecial(gate, up, got)
		return specialULP(why), why
	}
	return checkSwiGLU(gate, up, got, SwiGLUWide(gate, up), bound)
}

// checkSwiGLU is CheckSwiGLU for finite nonzero gate and up, with exact =
// SwiGLUWide(gate, up) given (SwiGLUBackward's check computes it with its
// own reference, from the same exponential).
func checkSwiGLU(gate, up, got float32, exact, bound float64) (ulp float64, why string) {
	g, u := float64(gate), float64(up)
	neg := (g < 0) != (u < 0) // the sign of the result
	// The common case, first: exhaustive sweeps check 2^32 results. A
	// finite got and an exact value in the float32 range, surely within
	// the bound.
	if f := float64(got); math.Abs(exact) < 0x1p128 && f-f == 0 {
		if e := ULP(got, exact); e <= bound-0x1p-20 && math.Signbit(f) == neg {
			return e, ""
		}
	}
	hi, lo := SwiGLUExact64(g, u)
	if math.Abs(hi) < Tiny64 {
		lo = 0 // in units of 2^-1074, and far below 2^-149
	}
	e := ulps32(got, hi, lo)
	return e, swigluWhy(gate, up, got, hi, e, bound)
}

// ulps32 is |got - (hi + lo)| in float32 ULPs of hi + lo, an exact value
// in the float64 range: the ulp is 2^(e-23) for a value in [2^e, 2^(e+1)),
// 2^-149 below 2^-126 and 2^104 from 2^127 up; ±Inf counts as all values
// from 2^128 up in magnitude (its error is 0 there and (2^128 - |hi +
// lo|)/2^104 below). A NaN got gives +Inf, and so does an infinity of the
// other sign.
func ulps32(got float32, hi, lo float64) float64 {
	f := float64(got)
	if f != f {
		return math.Inf(1)
	}
	if math.IsInf(f, 0) {
		if (f > 0) != (hi > 0) {
			return math.Inf(1)
		}
		s := math.Copysign(1, hi) // 2^128 - |hi + lo|
		return math.Max(0, (0x1p128-math.Abs(hi))-s*lo) * 0x1p-104
	}
	d, dl := twoSum(f, -hi) // got - hi, exactly
	return math.Abs(d+(dl-lo)) * pow2(23-ulpExp32(hi, lo))
}

// ulpExp32 is e with 2^(e-23) the float32 ulp of hi + lo, an exact value
// in the float64 range as ulps32 measures it: e is its binade (one below
// hi's where hi is a power of two and lo points down), at least -126 and
// at most 127.
func ulpExp32(hi, lo float64) int {
	if hi == 0 || hi != hi {
		return -126
	}
	if math.IsInf(hi, 0) {
		return 127
	}
	e, pow := binade(hi)
	if pow && lo != 0 && (lo < 0) != (hi < 0) {
		e--
	}
	return min(max(e, -126), 127)
}

// CheckSwiGLU64 is CheckSwiGLU for float64, against SwiGLUExact64 in
// ULP64 (results below 2^-1022 in ulps of 2^-1074), with the same bound
// at every magnitude and ±Inf standing for every value from 2^1024 up.
func CheckSwiGLU64(gate, up, got, bound float64) (ulp float64, why string) {
	if gate-gate != 0 || up-up != 0 || gate == 0 || up == 0 {
		why := swigluSpecial(gate, up, got)
		return specialULP(why), why
	}
	hi, lo := SwiGLUExact64(gate, up)
	return checkSwiGLU64(gate, up, got, hi, lo, bound)
}

// checkSwiGLU64 is CheckSwiGLU64 for finite nonzero gate and up, with the
// pair hi, lo = SwiGLUExact64(gate, up) given.
func checkSwiGLU64(gate, up, got, hi, lo, bound float64) (ulp float64, why string) {
	// Beyond the range, the exact value halved is that of up/2: up is
	// normal there, as |gate·up| > 2^1023, so up/2 is exact.
	e := ulps64(got, hi, lo, func() (float64, float64) { return SwiGLUExact64(gate, up/2) })
	return e, swigluWhy(gate, up, got, hi, e, bound)
}

// ulps64 is ULP64 with ±Inf standing for every value from 2^1024 up in
// magnitude, and the ulp of 2^971 going on above: an infinite got against
// a finite exact value hi + lo (a pair in the form of Exact64) is 2^1024 -
// |hi + lo| off, at least 1/2 ULP; a finite got against an exact value
// beyond the range (hi ±Inf) is measured as got/2 against the exact value
// halved, which halved returns as a pair (hi ±Inf if that is beyond the
// range too: +Inf ULP), in ulps of 2^970. Else ULP64.
func ulps64(got, hi, lo float64, halved func() (hi, lo float64)) float64 {
	switch {
	case math.IsInf(got, 0) && (got > 0) == (hi > 0) && !math.IsInf(hi, 0) && hi == hi:
		// (MaxFloat64 - |hi|) + 2^971 - |lo|·sign, in ulps of 2^971: the
		// difference is exact from 2^1023 up, and far beyond any bound
		// below.
		return (math.MaxFloat64-math.Abs(hi))*0x1p-971 + 1 - math.Copysign(1, hi)*lo*0x1p-971
	case math.IsInf(hi, 0) && got-got == 0 && (got > 0) == (hi > 0):
		h2, l2 := halved()
		if math.IsInf(h2, 0) {
			return math.Inf(1)
		}
		d, dl := twoSum(got/2, -h2)
		return math.Abs(d+(dl-l2)) * 0x1p-970
	}
	return ULP64(got, hi, lo)
}

// swigluSpecial applies the exact rules of SwiGLU (see CheckSwiGLU), those
// of a NaN, infinite or zero gate or up, to got: what is wrong with it,
// or "". It must not be called for a finite nonzero gate with a finite
// nonzero up.
func swigluSpecial[F float32 | float64](gate, up, got F) string {
	g, u := float64(gate), float64(up)
	var want F
	switch {
	case gate != gate:
		if w := nanWhy(gate, got); w != "" {
			return fmt.Sprintf("gate=%s up=%s: %s", bitsHex(gate), bitsHex(up), w)
		}
		return ""
	case up != up:
		if w := nanWhy(up, got); w != "" {
			return fmt.Sprintf("gate=%s up=%s: %s", bitsHex(gate), bitsHex(up), w)
		}
		return ""
	case math.IsInf(g, 1) && u == 0, math.IsInf(u, 0) && (g == 0 || math.IsInf(g, -1)):
		want = defaultNaN[F]() // ∞·0
	case math.IsInf(g, 1):
		want = up * gate // ±Inf with up's sign
	case math.IsInf(g, -1):
		want = up * F(math.Copysign(0, -1))
	default: // an infinite up with a finite nonzero gate, or a zero with a finite other
		want = gate * up
	}
	if bitsHex(got) != bitsHex(want) {
		return fmt.Sprintf("gate=%v (%s) up=%v (%s) gave %v (%s), want exactly %s", gate, bitsHex(gate), up, bitsHex(up), got, bitsHex(got), bitsHex(want))
	}
	return ""
}

// swigluWhy applies the rules of SwiGLU for finite nonzero gate and up to
// got, whose error against the exact value (rounded: exact) is u ULPs.
func swigluWhy[F float32 | float64](gate, up, got F, exact, u, bound float64) string {
	switch {
	case got == got && math.Signbit(float64(got)) != ((gate < 0) != (up < 0)):
		return fmt.Sprintf("gate=%v (%s) up=%v (%s) gave %v (%s): the sign differs from gate·up's", gate, bitsHex(gate), up, bitsHex(up), got, bitsHex(got))
	case !(u <= bound):
		return fmt.Sprintf("gate=%v (%s) up=%v (%s) gave %v (%s), exact %.17g: error %.4g ULP > %v", gate, bitsHex(gate), up, bitsHex(up), got, bitsHex(got), exact, u, bound)
	}
	return ""
}
