package accuracy

import (
	"fmt"
	"math"
	"math/big"
)

// BCEWithLogits references: the loss log(1 + e^z) - t·z of a logit z and
// a target t, as A + L with A = max(z, 0) - t·z and L = log(1 + e^-|z|) =
// SoftplusExact64(-|z|). For t in [0, 1] both terms are non-negative, so
// their sum is as accurate as they are; for t outside [0, 1] A is negative
// on one side and the sum cancels, which no bound covers.

// BCEWithLogitsWide is the float32 BCEWithLogits reference: the hi of
// BCEWithLogitsExact64 on the same z and t, the exact value rounded to the
// nearest float64 (every float32 product t·z is exact in float64, and
// results far below the float32 range keep only that rounding), within
// 2^-53 relative, some 2^-29 ULP of float32. NaN inputs, infinite ones
// and their limits are as BCEWithLogitsExact64 gives them.
func BCEWithLogitsWide(z, t float32) float64 {
	hi, _ := BCEWithLogitsExact64(float64(z), float64(t))
	return hi
}

// bceFloat64 is log(1 + e^z) - t·z in float64 for finite z and t in
// [0, 1]: t·z is exact, max(z, 0) - t·z and the sum round once each, and
// L = log1p(e^-|z|) is within about 2^-52 relative: math.Log1p of
// exp (each within an ulp); below |z| = 2^-8 the series ln 2 - a/2 +
// a²/8 - a⁴/192 + a⁶/2880 of a = |z| (the rest below 2^-79; below 2^-26
// its first two terms, the rest below 2^-55); above 37,
// where x = e^-|z| < 2^-53, x itself (log1p(x) = x(1 - x/2 + ...)); above
// 125 (x < 2^-180, 2^-31 of the smallest float32 ulp) 0. The result is
// within about 2^-50 relative or 2^-180, some 2^-26 ULP of float32.
// CheckBCEWithLogits judges most results by it, and the few near the
// bound by BCEWithLogitsWide.
func bceFloat64(z, t float32) float64 {
	v, w := float64(z), float64(t)
	a, m := v, v // |z|, max(z, 0)
	if v < 0 {
		a, m = -v, 0
	}
	var l float64
	switch {
	case a < 0x1p-26: // a²/8 < 2^-55
		l = math.Ln2 - a/2
	case a < 0x1p-8:
		a2 := a * a
		l = math.Ln2 - a/2 + a2*(1.0/8-a2*(1.0/192-a2*(1.0/2880)))
	case a > 125:
	case a > 37:
		l = exp(-a)
	default:
		l = math.Log1p(exp(-a))
	}
	return (m - w*v) + l
}

// bceScaledBelow is where |t·z| (for z < -bceTinyL) sends
// BCEWithLogitsExact64 to its scaled form.
const bceScaledBelow = 0x1p-900

// bceTinyL is the |z| above which L = log(1 + e^-|z|) is below 2^-923:
// below it, L dominates every underflow of A.
const bceTinyL = 640

// BCEWithLogitsExact64 is log(1 + e^z) - t·z as a pair in the form of
// Exact64: hi the exact value rounded to the nearest float64, lo the rest
// (scaled as Tiny64 says below it), to about 2^-100 relative for t in
// [0, 1] (the error of SoftplusExact64 and of double-double sums): t·z
// = p + pe exactly by twoProd, max(z, 0) - p exactly by twoSum, and A
// their double-double sum. Where the result
// can be tiny, for z < -640 (L below 2^-923) with |t·z| < 2^-900, the sum
// is formed scaled by 2^1074 from the mantissas of t and z, so that
// nothing underflows, and rounded once; where A is 0 (t = 1 with z ≥ 0,
// t = 0 with z ≤ 0) the pair is SoftplusExact64(-|z|) itself. For t
// outside [0, 1] the error is relative to L where A and L cancel, and an
// A beyond the float64 range gives its infinity.
//
// Limits and non-finite values: NaN inputs give NaN (z + t); z = +Inf
// gives +Inf where 1 - t > 0, 0 where t = 1 and -Inf where 1 - t < 0
// (t = ±Inf included); z = -Inf gives +Inf, 0 or -Inf as t is positive,
// zero or negative. For finite z, an infinite t or a t·z beyond the
// float64 range gives NaN.
func BCEWithLogitsExact64(z, t float64) (hi, lo float64) {
	switch {
	case z != z || t != t:
		return z + t, 0
	case math.IsInf(z, 0):
		return bceLimit(z, t), 0
	}
	p, pe := twoProd(t, z)
	if math.IsInf(p, 0) || p != p { // an infinite t, or t·z beyond the range
		return math.NaN(), 0
	}
	lh, ll := SoftplusExact64(-math.Abs(z))
	// A = 0 exactly: the result is L.
	if (z >= 0 && p == z && pe == 0) || (z <= 0 && t == 0) {
		return lh, ll
	}
	if z < -bceTinyL && math.Abs(p) < bceScaledBelow {
		// A = -t·z, and the result (A + L)·2^1074 from the mantissas:
		// |t·z| >= 640·2^-1074, so A·2^1074 >= 2^9, and L·2^1074 is
		// its pair read in units of 2^-1074.
		mt, et := math.Frexp(t)
		mz, ez := math.Frexp(z)
		qh, ql := twoProd(mt, mz)
		k := et + ez + 1074
		a := dd{-ldexp(qh, k), -ldexp(ql, k)}
		l := dd{math.Ldexp(lh, 1074), ll}
		if math.Abs(lh) >= Tiny64 {
			l.lo = math.Ldexp(ll, 1074)
		}
		l.hi, l.lo = twoSum(l.hi, l.lo) // below Tiny64, lo may exceed half an ulp of hi·2^1074
		hi, lo = encode(add(a, l), -1074)
		return bceNearest(z, t, hi, lo, lh, ll)
	}
	s, e := twoSum(math.Max(z, 0), -p)
	if math.IsInf(s, 0) { // A beyond the range (t < 0 or t > 1)
		return s, 0
	}
	l := dd{lh, ll}
	if math.Abs(lh) < Tiny64 {
		// L < 2^-969, and here A is not tiny: its rest is below 2^-1074.
		l.lo = 0
	}
	a := add(dd{s, e}, dd{-pe, 0})
	hi, lo = encode(add(a, l), 0)
	return bceNearest(z, t, hi, lo, lh, ll)
}

// bceNearest returns hi, lo with hi the nearest float64 to the exact
// value where hi + lo is exactly halfway between two float64s: there the
// parts of A and L that the double-double sum drops decide, and they are
// not noise. A (up to about 3200 bits) often lands on a halfway point,
// since max(z, 0) - t·z has more bits than a float64 but few more, and
// L, far below it, then lifts it: z = 725.1483, t = 0.00023006322
// (float32 values) is such a case. The rest is decided exactly with
// math/big on A and the pair of L; it is only needed this rarely.
func bceNearest(z, t, hi, lo, lh, ll float64) (float64, float64) {
	if lo == 0 || math.IsInf(hi, 0) {
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
	const prec = 3400 // A and L exactly: 2^1024 down to 2^-2148, and L's pair
	x := new(big.Float).SetPrec(prec).SetFloat64(math.Max(z, 0))
	p := new(big.Float).SetPrec(prec).SetFloat64(t)
	x.Sub(x, p.Mul(p, new(big.Float).SetPrec(prec).SetFloat64(z)))
	x.Add(x, pairBig(lh, ll))
	mid := new(big.Float).SetPrec(prec).SetFloat64(hi)
	mid.Add(mid, new(big.Float).SetFloat64(next))
	mid.Quo(mid, big.NewFloat(2))
	if c := x.Cmp(mid); c != 0 && (c > 0) == (lo > 0) { // beyond the midpoint, on lo's side
		return next, -lo
	}
	return hi, lo
}

// pairBig is the value of a pair in the form of Exact64, exactly.
func pairBig(hi, lo float64) *big.Float {
	v := new(big.Float).SetPrec(2200).SetFloat64(hi)
	l := new(big.Float).SetPrec(2200).SetFloat64(lo)
	if math.Abs(hi) < Tiny64 {
		l.SetMantExp(l, -1074)
	}
	return v.Add(v, l)
}

// bceLimit is the loss at an infinite z: ±Inf with the sign of 1 - t
// (z = +Inf) or t (z = -Inf), and +0 where that is zero.
func bceLimit(z, t float64) float64 {
	d := t
	if z > 0 {
		d = 1 - t
	}
	switch {
	case d > 0:
		return math.Inf(1)
	case d < 0:
		return math.Inf(-1)
	}
	return 0
}

// CheckBCEWithLogits returns the error in ULPs of got, a float32
// BCEWithLogits result for z and t, against BCEWithLogitsWide, and "" if
// got is correct under its rules with the given ULP bound, else what is
// wrong. The rules: a NaN z gives that NaN quieted (sign and payload
// kept, quiet bit set), else a NaN t gives its NaN quieted; z = ±Inf gives
// exactly the limit of BCEWithLogitsExact64 (±Inf, or +0 where the target
// agrees: t = 1 at +Inf, t = 0 at -Inf); for finite z, an infinite t or a
// t·z that rounds beyond the float32 range gives the default NaN
// (negative, quiet, no payload). For t in [0, 1] (-0 included) every
// other result has a clear sign bit and is within bound ULPs of the exact
// value, subnormal results included. For other finite t no bound is
// documented: the error is returned, and nothing is wrong. The error is 0
// for the exact rules, +Inf where they are broken; most results are judged
// by a float64 evaluation (within about 2^-26 ULP), the few within 2^-20
// ULP of the bound against BCEWithLogitsWide.
func CheckBCEWithLogits(z, t, got float32, bound float64) (ulp float64, why string) {
	v, w := float64(z), float64(t)
	// The common case, first: exhaustive sweeps check 2^32 results. A t in
	// [0, 1] and a finite z; the error against bceFloat64, in ulps of its
	// binade (2^-149 below 2^-126), where that is the exact value's: not
	// next to a power of two (the ulp is 2^-149 in every binade below
	// 2^-126). NaN and infinite results fail the comparison.
	if w >= 0 && w <= 1 && v-v == 0 {
		e := bceFloat64(z, t) // >= 0
		b := math.Float64bits(e)
		// 1/ulp = 2^(23-E) for e in [2^E, 2^(E+1)), E >= -126.
		u := math.Abs(float64(got)-e) * math.Float64frombits((2069-max(b>>52, 897))<<52)
		// e below 2^-126, or its top 40 fraction bits neither all zeros
		// nor all ones: 1 each, without a branch (which bits of t decide,
		// and a branch on them mispredicts).
		below := (b - 0x3810000000000000) >> 63
		mid := ((b>>12+1)&(1<<40-1)-2)>>63 ^ 1
		if below|mid != 0 && u <= bound-0x1p-20 && math.Float32bits(got)>>31 == 0 {
			return u, ""
		}
	}
	if v-v != 0 || w-w != 0 || math.IsInf(float64(float32(w*v)), 0) { // NaN, ±Inf, or t·z beyond the range
		why := bceSpecial(z, t, got)
		return specialULP(why), why
	}
	if !(w >= 0 && w <= 1) {
		return ULP(got, BCEWithLogitsWide(z, t)), ""
	}
	exact := BCEWithLogitsWide(z, t)
	u := ULP(got, exact)
	return u, bceWhy(z, t, got, exact, u, bound)
}

// CheckBCEWithLogits64 is CheckBCEWithLogits for float64, against
// BCEWithLogitsExact64 in ULP64 (results below 2^-1022 in ulps of
// 2^-1074), with t·z beyond the float64 range for the NaN rule.
func CheckBCEWithLogits64(z, t, got, bound float64) (ulp float64, why string) {
	if z-z != 0 || t-t != 0 || math.IsInf(t*z, 0) {
		why := bceSpecial(z, t, got)
		return specialULP(why), why
	}
	hi, lo := BCEWithLogitsExact64(z, t)
	u := ULP64(got, hi, lo)
	if !(t >= 0 && t <= 1) {
		return u, ""
	}
	return u, bceWhy(z, t, got, hi, u, bound)
}

// bceSpecial applies the exact rules of BCEWithLogits (see
// CheckBCEWithLogits), those of a NaN z or t, an infinite z or t and a t·z
// beyond F's range, to got: what is wrong with it, or "". It must not be
// called where none applies.
func bceSpecial[F float32 | float64](z, t, got F) string {
	var want F
	switch {
	case z != z:
		if w := nanWhy(z, got); w != "" {
			return fmt.Sprintf("z=%s t=%s: %s", bitsHex(z), bitsHex(t), w)
		}
		return ""
	case t != t:
		if w := nanWhy(t, got); w != "" {
			return fmt.Sprintf("z=%s t=%s: %s", bitsHex(z), bitsHex(t), w)
		}
		return ""
	case math.IsInf(float64(z), 0):
		want = F(bceLimit(float64(z), float64(t)))
	default: // an infinite t, or t·z beyond the range
		want = defaultNaN[F]()
	}
	if bitsHex(got) != bitsHex(want) {
		return fmt.Sprintf("z=%v (%s) t=%v (%s) gave %v (%s), want exactly %s", z, bitsHex(z), t, bitsHex(t), got, bitsHex(got), bitsHex(want))
	}
	return ""
}

// bceWhy applies the rules of BCEWithLogits for finite z and t in [0, 1]
// to got, whose error against the exact value (rounded: exact) is u ULPs.
func bceWhy[F float32 | float64](z, t, got F, exact, u, bound float64) string {
	switch {
	case math.Signbit(float64(got)):
		return fmt.Sprintf("z=%v (%s) t=%v (%s) gave %v (%s): negative, the loss is positive", z, bitsHex(z), t, bitsHex(t), got, bitsHex(got))
	case !(u <= bound):
		return fmt.Sprintf("z=%v (%s) t=%v (%s) gave %v (%s), exact %.17g: error %.4g ULP > %v", z, bitsHex(z), t, bitsHex(t), got, bitsHex(got), exact, u, bound)
	}
	return ""
}
