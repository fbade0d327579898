package accuracy

import (
	"fmt"
	"math"
)

// SoftplusBackward references: softplus'(x) = σ(x), so SoftplusBackward is
// dy·σ(x); LogSigmoidBackward, dy·σ(-x), is SoftplusBackward(dy, -x) and
// has no references of its own.

// SoftplusBackwardWide is the float32 SoftplusBackward reference: dy·σ(x)
// in float64, as dy/(1 + e^-x) for x ≥ 0 and dy·(E/(1 + E)), E = e^x, below
// (exp within an ulp, then three roundings): within about 2^-51
// relative, some 2^-28 ULP of float32. Where e^x is subnormal in float32
// or below its range, E is still a normal float64, so huge dy keep that
// accuracy down to x = -194. Below, |dy·σ(x)| < 2^128·e^-194 < 2^-151 for
// every float32 dy, which rounds to zero, and the result is dy·0: ±0 with
// dy's sign. Non-finite inputs give float64 arithmetic on the limits: NaN
// for a NaN, dy for x = +Inf or an infinite dy, dy·0 for x = -Inf (NaN
// for an infinite dy).
func SoftplusBackwardWide(dy, x float32) float64 {
	d, v := float64(dy), float64(x)
	switch {
	case d != d || v != v:
		return d + v
	case v < -194:
		return d * 0
	case v >= 0:
		return d / (1 + exp(-v))
	}
	e := exp(v)
	return d * (e / (1 + e))
}

// SoftplusBackwardExact64 is dy·σ(x) as a pair in the form of Exact64: hi
// the exact value rounded to the nearest float64, lo the rest (scaled as
// Tiny64 says below it), to about 2^-100 relative for every finite dy and
// x. With dy = md·2^ed (md in [0.5, 1)), it is md·σ(x) scaled by 2^ed at
// the end: σ(x) from Exact64 for x ≥ 0, and for x < 0 as m/(1 + m·2^k)
// scaled by 2^k, e^x = m·2^k (expDD), so that nothing underflows on the
// way where e^x does but dy·e^x does not (down to x ≈ -1456 for dy near
// MaxFloat64): the error is that of Exact64 and one more product (2u²).
// Below x = -1500 the result is below 2^-1140 for every float64 dy and the
// pair is dy·0, 0, within 2^-66 ULP. Non-finite inputs and a zero dy give
// float64 arithmetic on the limits, and 0: NaN for a NaN, dy for x = +Inf,
// an infinite dy or a zero dy, dy·0 for x = -Inf (NaN for an infinite dy).
func SoftplusBackwardExact64(dy, x float64) (hi, lo float64) {
	switch {
	case dy != dy || x != x:
		return dy + x, 0
	case dy == 0 || math.IsInf(x, 1) || math.IsInf(dy, 0) && !math.IsInf(x, -1):
		return dy, 0
	case x < -1500:
		return dy * 0, 0
	}
	var m dd
	var k int
	if x <= 746 {
		m, k = expDD(-math.Abs(x))
	}
	return softplusBackwardPair(dy, x, m, k)
}

// softplusBackwardPair is SoftplusBackwardExact64 for finite nonzero dy
// and finite x >= -1500, with e^-|x| = m·2^k given as expDD returns it
// (unused above x = 746, where σ(x) is 1 as Exact64 says): GLUBackward's
// check forms σ'(b) from the same m and k.
func softplusBackwardPair(dy, x float64, m dd, k int) (hi, lo float64) {
	md, ed := math.Frexp(dy)
	if x >= 0 {
		s := dd{1, 0} // Exact64(x), from the same E
		if x <= 746 {
			s = div(dd{1, 0}, addF(dd{ldexp(m.hi, k), ldexp(m.lo, k)}, 1))
		}
		return encode(mulF(s, md), ed)
	}
	q := div(m, addF(dd{ldexp(m.hi, k), ldexp(m.lo, k)}, 1))
	return encode(mulF(q, md), k+ed)
}

// CheckSoftplusBackward returns the error in ULPs of got, a float32
// SoftplusBackward result for dy and x, against SoftplusBackwardWide, and
// "" if got is correct under its rules with the given ULP bound, else what
// is wrong. The rules: a NaN dy gives that NaN quieted (sign and payload
// kept, quiet bit set), else a NaN x gives its NaN quieted; x = +Inf gives
// exactly dy, and so do an infinite dy for x > -Inf and a zero dy (±0,
// dy's); x = -Inf gives dy·0, ±0 with dy's sign, or for an infinite dy the
// default NaN (negative, quiet, no payload); every other result has dy's
// sign and is within bound ULPs of dy·σ(x), subnormal results included.
// The error is 0 for the exact rules, +Inf where they are broken.
func CheckSoftplusBackward(dy, x, got float32, bound float64) (ulp float64, why string) {
	if d, v := float64(dy), float64(x); d-d != 0 || v-v != 0 || d == 0 { // NaN, ±Inf or ±0
		why := softplusBackwardSpecial(dy, x, got)
		return specialULP(why), why
	}
	return checkSoftplusBackward(dy, x, got, SoftplusBackwardWide(dy, x), bound, 0)
}

// checkSoftplusBackward is CheckSoftplusBackward for finite dy and x, dy
// not zero, with exact = SoftplusBackwardWide(dy, x) given (GLUBackward's
// check computes it with its own reference, from the same exponential),
// and tiny added to the bound where the exact value is below 2^-125 in
// magnitude (float64: 2^-1021): 0 for SoftplusBackward, 1/2 for
// GLUBackward's da.
func checkSoftplusBackward(dy, x, got float32, exact, bound, tiny float64) (ulp float64, why string) {
	u := ULP(got, exact)
	if math.Abs(exact) < 0x1p-125 {
		bound += tiny
	}
	if u <= bound && math.Signbit(float64(got)) == math.Signbit(float64(dy)) {
		return u, "" // the common case, first: exhaustive sweeps check 2^32 results
	}
	return u, softplusBackwardWhy(dy, x, got, exact, u, bound)
}

// CheckSoftplusBackward64 is CheckSoftplusBackward for float64, against
// SoftplusBackwardExact64 in ULP64.
func CheckSoftplusBackward64(dy, x, got, bound float64) (ulp float64, why string) {
	if dy-dy != 0 || x-x != 0 || dy == 0 { // NaN, ±Inf or ±0
		why := softplusBackwardSpecial(dy, x, got)
		return specialULP(why), why
	}
	hi, lo := SoftplusBackwardExact64(dy, x)
	return checkSoftplusBackward64(dy, x, got, hi, lo, bound, 0)
}

// checkSoftplusBackward64 is CheckSoftplusBackward64 for finite x and
// finite nonzero dy, with the pair hi, lo = SoftplusBackwardExact64(dy, x)
// given.
func checkSoftplusBackward64(dy, x, got, hi, lo, bound, tiny float64) (ulp float64, why string) {
	u := ULP64(got, hi, lo)
	if math.Abs(hi) < 0x1p-1021 {
		bound += tiny
	}
	if u <= bound && math.Signbit(got) == math.Signbit(dy) {
		return u, ""
	}
	return u, softplusBackwardWhy(dy, x, got, hi, u, bound)
}

// specialULP is the error CheckSoftplusBackward reports for a result under
// an exact rule: 0 if it holds, +Inf if not.
func specialULP(why string) float64 {
	if why != "" {
		return math.Inf(1)
	}
	return 0
}

// softplusBackwardSpecial applies the exact rules of SoftplusBackward (see
// CheckSoftplusBackward), those of a NaN, infinite or zero dy and of a NaN
// or infinite x, to got: what is wrong with it, or "". It must not be
// called for a finite x with a finite nonzero dy.
func softplusBackwardSpecial[F float32 | float64](dy, x, got F) string {
	var want F
	switch {
	case dy != dy:
		if w := nanWhy(dy, got); w != "" {
			return fmt.Sprintf("dy=%s x=%s: %s", bitsHex(dy), bitsHex(x), w)
		}
		return ""
	case x != x:
		if w := nanWhy(x, got); w != "" {
			return fmt.Sprintf("dy=%s x=%s: %s", bitsHex(dy), bitsHex(x), w)
		}
		return ""
	case dy == 0 || math.IsInf(float64(x), 1) || math.IsInf(float64(dy), 0) && !math.IsInf(float64(x), -1):
		want = dy
	default: // x = -Inf
		want = dy * 0
		if math.IsInf(float64(dy), 0) {
			want = defaultNaN[F]()
		}
	}
	if bitsHex(got) != bitsHex(want) {
		return fmt.Sprintf("dy=%v (%s) x=%v gave %v (%s), want exactly %s", dy, bitsHex(dy), x, got, bitsHex(got), bitsHex(want))
	}
	return ""
}

// softplusBackwardWhy applies the rules of SoftplusBackward for finite dy
// and x to got, whose error against the exact value (rounded: exact) is u
// ULPs.
func softplusBackwardWhy[F float32 | float64](dy, x, got F, exact, u, bound float64) string {
	switch {
	case math.Signbit(float64(got)) != math.Signbit(float64(dy)):
		return fmt.Sprintf("dy=%v (%s) x=%v (%s) gave %v (%s): the sign differs from dy's", dy, bitsHex(dy), x, bitsHex(x), got, bitsHex(got))
	case !(u <= bound):
		return fmt.Sprintf("dy=%v (%s) x=%v (%s) gave %v (%s), exact %.17g: error %.4g ULP > %v", dy, bitsHex(dy), x, bitsHex(x), got, bitsHex(got), exact, u, bound)
	}
	return ""
}

// defaultNaN is the NaN arithmetic makes from numbers on every kernel, as
// for ∞·0: negative, quiet, without payload.
func defaultNaN[F float32 | float64]() F {
	var nan F
	switch p := any(&nan).(type) {
	case *float32:
		*p = math.Float32frombits(0xffc00000)
	case *float64:
		*p = math.Float64frombits(0xfff8000000000000)
	}
	return nan
}
