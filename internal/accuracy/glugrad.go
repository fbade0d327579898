package accuracy

import (
	"fmt"
	"math"
)

// GLUBackward and SwiGLUBackward references: two outputs each.
//
// GLUBackward's da = dy·σ(b) is SoftplusBackward's dy·σ(x) with x = b, and
// is judged by its rules; its db = dy·a·σ'(b), σ'(b) = σ(b)·σ(-b) =
// E/(1 + E)² with E = e^-|b|, in which nothing cancels. SwiGLUBackward's
// dup = dy·silu(gate) is SwiGLU's silu(gate)·up with up = dy, judged by its
// rules but for the order of the NaN rule (dy first); its dgate =
// dy·up·silu'(gate), silu'(x) = σ(x)·(1 + x·σ(-x)), which cancels next to
// the zero of silu', x0 ≈ -1.2785: there the references are accurate to
// an absolute 2^-100·|dy·up| or so (float32: 2^-75), far below the
// absolute term of its bound.
//
// The bounds of db and dgate have an absolute term: db is within bound ULPs
// (2.5 in the kernel tests) where no step underflows, that is where
// a·σ'(b) is at least 2^-126 (float64: 2^-1022) in magnitude, and within
// GradBound ULPs + 2^-25·|dy·a| (float64: 2^-54·|dy·a|) elsewhere; dgate
// is within bound ULPs (2) + 2^-25·|dy·up| (2^-54·|dy·up|) everywhere. The
// checkers report an error in ULPs less that absolute term, in ULPs of the
// exact value, where it applies (0 within it). Results beyond the range as
// the SwiGLU references say: ±Inf stands for every value from 2^128
// (2^1024) up.

// GradBound is the ULP part of the bound of GLUBackward's db where a step
// underflows: 2 ULP + 2^-25·|dy·a| (float64: 2^-54·|dy·a|).
const GradBound = 2

// The absolute terms of the bounds of db and dgate, times |dy·a| and
// |dy·up|.
const (
	gradAbs32 = 0x1p-25
	gradAbs64 = 0x1p-54
)

// GLUBackwardWide is the float32 GLUBackward reference: da and db in
// float64 from one E = e^-|b| (exp, within an ulp). da is what
// SoftplusBackwardWide(dy, b) computes, bit for bit; db is (dy·a)·((E/(1 +
// E))/(1 + E)), dy·a exact (48 bits): within about 2^-50 relative, some
// 2^-27 ULP of float32. E is a normal float64 up to |b| = 708, so that the
// largest dy·a (2^256) keep that accuracy for results far below the
// float32 range; beyond, db is below 2^-760 for every float32 dy and a,
// and E is subnormal or 0. Non-finite inputs give float64 arithmetic on
// the limits, which the checkers' exact rules replace: NaN for a NaN,
// σ'(b) = 0 for b = ±Inf (db = dy·a·0), an infinite dy or a times σ'(b).
func GLUBackwardWide(dy, a, b float32) (da, db float64) {
	da, db, _ = gluWide(dy, a, b)
	return da, db
}

// gluWide is GLUBackwardWide and ad = a·σ'(b) in float64, the step that
// underflows or not.
func gluWide(dy, a, b float32) (da, db, ad float64) {
	d, u, v := float64(dy), float64(a), float64(b)
	if d != d || u != u || v != v {
		n := d + u + v
		return n, n, n
	}
	e := exp(-math.Abs(v))
	den := 1 + e
	sd := e / den / den
	switch { // SoftplusBackwardWide's cases, with e = exp(-|v|)
	case v < -194:
		da = d * 0
	case v >= 0:
		da = d / den
	default:
		da = d * (e / den)
	}
	return da, d * u * sd, u * sd
}

// sigmoidDerivDD is σ'(b) = E/(1 + E)², E = e^-|b|, as q·2^k with q a
// double-double in about [2^-3, 4), for finite b with |b| <= 3000: from
// E = m·2^k (expDD), q = m/(1 + m·2^k)², to about 2^-101 relative (expDD
// 8u², then 2u² for 1 + E, 4u² for its square, 2u² for the quotient).
// Beyond |b| = 1500, E = (e^-|b|/2)² and 1 + E is 1 to within 2^-2000.
func sigmoidDerivDD(b float64) (q dd, k int) {
	a := math.Abs(b)
	if a > 1500 {
		m, h := expDD(-a / 2) // exact: a is far above the subnormals
		return mul(m, m), 2 * h
	}
	m, k := expDD(-a)
	return sigmoidDerivFrom(m, k)
}

// sigmoidDerivFrom is sigmoidDerivDD from E = e^-|b| = m·2^k as expDD
// returns it, for |b| <= 1500.
func sigmoidDerivFrom(m dd, k int) (q dd, h int) {
	den := addF(dd{ldexp(m.hi, k), ldexp(m.lo, k)}, 1)
	return div(m, mul(den, den)), k
}

// GLUBackwardDBExact64 is GLUBackward's db = dy·a·σ'(b) as a pair in the
// form of Exact64: hi the exact value rounded to the nearest float64 (±Inf
// beyond the range), lo the rest (scaled as Tiny64 says below it), to
// about 2^-100 relative for every finite dy, a and b. With dy = md·2^ed
// and a = ma·2^ea (md, ma in [0.5, 1)), md·ma is exact as a twoProd and
// σ'(b) = q·2^k (sigmoidDerivDD), and the product is scaled by
// 2^(k+ed+ea) once, at the end: nothing overflows or underflows on the way
// where dy·a or σ'(b) does but the result does not. Beyond |b| = 3000 the
// result is below 2^-2280 for every float64 dy and a, and the pair is ±0
// (the sign of dy·a), 0. (Where b is tiny, σ'(b) = 1/4 - b²/16 + ...: hi
// may round the wrong way where dy·a/4 is exactly a rounding midpoint and
// b² below the pair's precision, half an ulp either way.) Non-finite
// inputs and zeros give float64 arithmetic on the limits, and 0: NaN for a
// NaN, dy·(a·0) for b = ±Inf, dy·a for an infinite or zero dy or a (σ'(b)
// > 0; NaN for ∞·0).
func GLUBackwardDBExact64(dy, a, b float64) (hi, lo float64) {
	hi, lo, _ = gluDB64(dy, a, b)
	return hi, lo
}

// noExp is the exponent gluDB64 and swigluDGate64 give a value that is 0.
const noExp = -1 << 20

// gluDB64 is GLUBackwardDBExact64 and the exponent of a·σ'(b), adExp with
// |a·σ'(b)| in [2^(adExp-1), 2^adExp) (noExp for non-finite or zero
// inputs, and beyond |b| = 3000).
func gluDB64(dy, a, b float64) (hi, lo float64, adExp int) {
	switch {
	case dy != dy || a != a || b != b:
		return dy + a + b, 0, noExp
	case math.IsInf(b, 0):
		return dy * (a * 0), 0, noExp
	case dy == 0 || a == 0 || math.IsInf(dy, 0) || math.IsInf(a, 0):
		return dy * a, 0, noExp
	case math.Abs(b) > 3000:
		return signedZero((dy < 0) != (a < 0)), 0, noExp
	}
	q, k := sigmoidDerivDD(b)
	return gluDB64q(dy, a, q, k)
}

// gluDB64q is gluDB64 for finite nonzero dy and a, with σ'(b) = q·2^k
// given.
func gluDB64q(dy, a float64, q dd, k int) (hi, lo float64, adExp int) {
	md, ed := math.Frexp(dy)
	ma, ea := math.Frexp(a)
	p, pe := twoProd(md, ma) // exact: md·ma is in [1/4, 1)
	_, e := math.Frexp(ma * q.hi)
	hi, lo = encode(mul(q, dd{p, pe}), k+ed+ea)
	return hi, lo, e + ea + k
}

// signedZero is -0 if neg, else +0.
func signedZero(neg bool) float64 {
	if neg {
		return math.Copysign(0, -1)
	}
	return 0
}

// CheckGLUBackward returns the errors in ULPs of da and db, float32
// GLUBackward results for dy, a and b, and what is wrong with each ("" if
// nothing). da is judged by CheckSoftplusBackward's rules on dy and b with
// boundA (and half an ULP more below 2^-125). db by these rules: a NaN dy
// gives that NaN quieted (sign and payload kept, quiet bit set), else a
// NaN a gives its NaN quieted, else a NaN b; b = ±Inf gives exactly
// dy·(a·0): ±0 with the sign of dy·a, or the default NaN (negative, quiet,
// no payload) for an infinite dy or a; for a finite b, an infinite dy or a
// gives ±Inf with the sign of dy·a, and the default NaN where it meets a
// zero dy or a (∞·0) or, for an infinite dy, where a·σ'(b) is below
// 2^-149 in magnitude (db is dy·(a·σ'(b)) with a·σ'(b) rounded to float32:
// it may be 0); a zero dy or a gives ±0 with the sign of dy·a. Every other
// result has the sign of dy·a and is within boundB ULPs of dy·a·σ'(b)
// where |a·σ'(b)| is at least 2^-126 (no step underflows), and within
// GradBound ULPs + 2^-25·|dy·a| below, subnormal results and results
// beyond the range included (see the package comment of the GLUBackward
// references). The error of db is in ULPs less the absolute term where
// that applies; the errors are 0 under the exact rules, +Inf where they
// are broken. Most results are judged against GLUBackwardWide, those
// within 2^-20 ULP of the bound against the pair of GLUBackwardDBExact64.
func CheckGLUBackward(dy, a, b, da, db float32, boundA, boundB float64) (ulpA, ulpB float64, whyA, whyB string) {
	return checkGLUBackward(dy, a, b, da, db, boundA, boundB, false)
}

// CheckGLUBackwardQuiet is CheckGLUBackward without describing results
// over their bound: what is wrong with those is Undescribed. Exhaustive
// sweeps use it where describing millions of violations would take longer
// than checking 2^32 results, and ask CheckGLUBackward to describe the ones
// they report.
func CheckGLUBackwardQuiet(dy, a, b, da, db float32, boundA, boundB float64) (ulpA, ulpB float64, whyA, whyB string) {
	return checkGLUBackward(dy, a, b, da, db, boundA, boundB, true)
}

// Undescribed is what the Quiet checks say is wrong with a result over its
// bound.
const Undescribed = "over its bound (not described)"

func checkGLUBackward(dy, a, b, da, db float32, boundA, boundB float64, quiet bool) (ulpA, ulpB float64, whyA, whyB string) {
	d, u, v := float64(dy), float64(a), float64(b)
	if d-d != 0 || v-v != 0 || d == 0 { // NaN, ±Inf or ±0 in dy or b
		whyA = softplusBackwardSpecial(dy, b, da)
		ulpA = specialULP(whyA)
		if whyA != "" {
			whyA = "da: " + whyA
		}
	}
	if d-d != 0 || u-u != 0 || v-v != 0 || d == 0 || u == 0 {
		var tiny bool
		if v-v == 0 && u-u == 0 {
			_, _, ad := gluWide(1, a, b)
			tiny = math.Abs(ad) < 0x1p-149
		}
		whyB = gluDBSpecial(dy, a, b, db, tiny)
		ulpB = specialULP(whyB)
		if d-d != 0 || v-v != 0 || d == 0 {
			return ulpA, ulpB, whyA, whyB
		}
	}
	aa := a
	if u-u != 0 {
		aa = 1 // a NaN or infinite a (db's special case): da does not depend on a
	}
	exactA, exactB, ad := gluWide(dy, aa, b)
	ulpA, whyA = checkSoftplusBackward(dy, b, da, exactA, boundA, 0.5)
	if whyA != "" {
		whyA = "da: " + whyA
	}
	if u-u == 0 && u != 0 {
		ulpB, whyB = checkGLUBackwardDB(dy, a, b, db, exactB, ad, boundB, quiet)
	}
	return ulpA, ulpB, whyA, whyB
}

// checkGLUBackwardDB is CheckGLUBackward's check of db for finite nonzero
// dy and a and finite b, with GLUBackwardWide's db and a·σ'(b) given.
func checkGLUBackwardDB(dy, a, b, got float32, exact, ad, bound float64, quiet bool) (float64, string) {
	d, u := float64(dy), float64(a)
	neg := (d < 0) != (u < 0)
	abs := 0.0
	if math.Abs(ad) < 0x1p-126 { // a·σ'(b) underflows
		bound, abs = GradBound, gradAbs32*math.Abs(d*u)
	}
	if f := float64(got); math.IsInf(f, 0) && math.Signbit(f) == neg && math.Abs(exact) >= 0x1p128*(1+0x1p-20) {
		return 0, "" // ±Inf stands for the exact value, surely beyond the range
	}
	if f := float64(got); math.Abs(exact) < 0x1p128 && f-f == 0 && math.Signbit(f) == neg {
		e := ULP(got, exact)
		if abs != 0 {
			e = max(0, e-abs*pow2(23-ulpExp32(exact, 0)))
		}
		if e <= bound-0x1p-20 {
			return e, "" // the common case, first: exhaustive sweeps check 2^32 results
		}
		if e >= bound+0x1p-20 { // surely over the bound
			return e, gradWhy("db", [3]string{"dy", "a", "b"}, [3]float32{dy, a, b}, got, exact, e, bound, abs != 0, 25, neg, quiet)
		}
	}
	hi, lo := GLUBackwardDBExact64(d, u, float64(b))
	if math.Abs(hi) < Tiny64 {
		lo = 0 // in units of 2^-1074, and far below 2^-149
	}
	e := ulps32(got, hi, lo)
	if abs != 0 && !math.IsInf(e, 0) {
		e = max(0, e-abs*pow2(23-ulpExp32(hi, lo)))
	}
	return e, gradWhy("db", [3]string{"dy", "a", "b"}, [3]float32{dy, a, b}, got, hi, e, bound, abs != 0, 25, neg, quiet)
}

// CheckGLUBackward64 is CheckGLUBackward for float64: da by
// CheckSoftplusBackward64's rules, db against GLUBackwardDBExact64 in
// ULP64 (±Inf standing for every value from 2^1024 up), with 2^-1022 for
// 2^-126, 2^-1073 for 2^-149 and 2^-54·|dy·a| for the absolute term.
func CheckGLUBackward64(dy, a, b, da, db, boundA, boundB float64) (ulpA, ulpB float64, whyA, whyB string) {
	return checkGLUBackward64(dy, a, b, da, db, boundA, boundB, false)
}

// CheckGLUBackward64Quiet is CheckGLUBackward64 without describing results
// over their bound, as CheckGLUBackwardQuiet.
func CheckGLUBackward64Quiet(dy, a, b, da, db, boundA, boundB float64) (ulpA, ulpB float64, whyA, whyB string) {
	return checkGLUBackward64(dy, a, b, da, db, boundA, boundB, true)
}

func checkGLUBackward64(dy, a, b, da, db, boundA, boundB float64, quiet bool) (ulpA, ulpB float64, whyA, whyB string) {
	common := dy-dy == 0 && a-a == 0 && dy != 0 && a != 0 && math.Abs(b) <= 1500
	var hi, lo float64
	adExp := noExp
	if common {
		// da and db from one E = e^-|b|.
		m, k := expDD(-math.Abs(b))
		h, l := softplusBackwardPair(dy, b, m, k)
		ulpA, whyA = checkSoftplusBackward64(dy, b, da, h, l, boundA, 0.5)
		q, kk := sigmoidDerivFrom(m, k)
		hi, lo, adExp = gluDB64q(dy, a, q, kk)
	} else {
		ulpA, whyA = CheckSoftplusBackward64(dy, b, da, boundA)
	}
	if whyA != "" {
		whyA = "da: " + whyA
	}
	if dy-dy != 0 || a-a != 0 || b-b != 0 || dy == 0 || a == 0 {
		var tiny bool
		if b-b == 0 && a-a == 0 {
			_, _, e := gluDB64(1, a, b)
			tiny = e <= -1073
		}
		whyB = gluDBSpecial(dy, a, b, db, tiny)
		return ulpA, specialULP(whyB), whyA, whyB
	}
	neg := (dy < 0) != (a < 0)
	if !common {
		hi, lo, adExp = gluDB64(dy, a, b)
	}
	abs := adExp <= -1022 // a·σ'(b) underflows
	bound := boundB
	if abs {
		bound = GradBound
	}
	e := ulps64(db, hi, lo, func() (float64, float64) {
		// Beyond the range |dy·a| > 2^1024: the larger is above 2^512,
		// and halving it is exact.
		if math.Abs(dy) > math.Abs(a) {
			return GLUBackwardDBExact64(dy/2, a, b)
		}
		return GLUBackwardDBExact64(dy, a/2, b)
	})
	if abs && !math.IsInf(e, 0) {
		e = max(0, e-allowance64(dy, a, hi, lo))
	}
	if e <= bound && db == db && math.Signbit(db) == neg {
		return ulpA, e, whyA, ""
	}
	return ulpA, e, whyA, gradWhy("db", [3]string{"dy", "a", "b"}, [3]float64{dy, a, b}, db, hi, e, bound, abs, 54, neg, quiet)
}

// allowance64 is 2^-54·|x·y| in float64 ULPs of the exact value hi + lo
// (a pair in the form of Exact64, hi ±Inf beyond the range: ulps of
// 2^971), for finite nonzero x and y; +Inf where that is beyond the
// float64 range.
func allowance64(x, y, hi, lo float64) float64 {
	mx, ex := math.Frexp(x)
	my, ey := math.Frexp(y)
	return math.Ldexp(math.Abs(mx*my), ex+ey-54-(ulpExp64(hi, lo)-52))
}

// ulpExp64 is e with 2^(e-52) the float64 ulp of the exact value hi + lo,
// a pair in the form of Exact64, as ULP64 measures it: its binade, at least
// -1022; 1023 for ±Inf (the ulp of 2^971 going on above the range).
func ulpExp64(hi, lo float64) int {
	if hi == 0 || hi != hi {
		return -1022
	}
	if math.IsInf(hi, 0) {
		return 1023
	}
	e, pow := binade(hi)
	if pow && lo != 0 && (lo < 0) != (hi < 0) {
		e--
	}
	return max(e, -1022)
}

// gluDBSpecial applies the exact rules of db (see CheckGLUBackward) to
// got, for inputs with a NaN, an infinite b, an infinite or zero dy or a:
// what is wrong with it, or "". tiny reports whether a·σ'(b) may be 0 in F
// for a finite b, which an infinite dy then meets.
func gluDBSpecial[F float32 | float64](dy, a, b, got F, tiny bool) string {
	in := func() string {
		return fmt.Sprintf("db: dy=%v (%s) a=%v (%s) b=%v (%s)", dy, bitsHex(dy), a, bitsHex(a), b, bitsHex(b))
	}
	for _, x := range []F{dy, a, b} {
		if x != x {
			if w := nanWhy(x, got); w != "" {
				return in() + ": " + w
			}
			return ""
		}
	}
	var want F
	switch {
	case math.IsInf(float64(b), 0):
		want = mulRule(dy, mulRule(a, 0))
	case math.IsInf(float64(dy), 0) && tiny && a != 0 && got != got:
		want = defaultNaN[F]() // a·σ'(b) rounded to 0: ∞·0
	default: // an infinite or zero dy or a with a finite b: σ'(b) > 0
		want = mulRule(dy, a)
	}
	if bitsHex(got) != bitsHex(want) {
		return fmt.Sprintf("%s gave %v (%s), want exactly %s", in(), got, bitsHex(got), bitsHex(want))
	}
	return ""
}

// mulRule is x·y for non-NaN x and y as the kernels compute it: the
// default NaN for ∞·0.
func mulRule[F float32 | float64](x, y F) F {
	if p := x * y; p == p {
		return p
	}
	return defaultNaN[F]()
}

// gradWhy is what is wrong with got, an output of a function of three
// inputs (named names) whose exact value (rounded) is exact, its error e
// ULPs (less the absolute term 2^-abs·|in[0]·in[1]| where withAbs), and
// its sign to be negative if neg; "" if nothing, Undescribed if quiet.
func gradWhy[F float32 | float64](out string, names [3]string, in [3]F, got F, exact, e, bound float64, withAbs bool, abs int, neg, quiet bool) string {
	sign := got == got && math.Signbit(float64(got)) != neg
	if !sign && e <= bound {
		return ""
	}
	if quiet {
		return Undescribed
	}
	desc := fmt.Sprintf("%s: %s=%v (%s) %s=%v (%s) %s=%v (%s) gave %v (%s)", out, names[0], in[0], bitsHex(in[0]),
		names[1], in[1], bitsHex(in[1]), names[2], in[2], bitsHex(in[2]), got, bitsHex(got))
	switch {
	case sign:
		return fmt.Sprintf("%s: the sign differs from the exact value's (%.17g)", desc, exact)
	case withAbs:
		return fmt.Sprintf("%s, exact %.17g: error %.4g ULP beyond 2^-%d·|%s·%s| > %v", desc, exact, e, abs, names[0], names[1], bound)
	}
	return fmt.Sprintf("%s, exact %.17g: error %.4g ULP > %v", desc, exact, e, bound)
}

// siluDerivDD is silu'(g) = σ(g)·(1 + g·σ(-g)) as q·2^k with q a
// double-double, for finite g, from one E = e^-|g| = m·2^k (expDD): for g
// >= 0, σ(g) = 1/(1 + E) and σ(-g) = E/(1 + E), k = 0; for g < 0, σ(g) =
// m/(1 + E) scaled by 2^k, σ(-g) = 1/(1 + E), so that nothing underflows
// where e^g does. To about 2^-100 relative away from the zero of silu'
// (x0 ≈ -1.2785), and 2^-103 absolute next to it, where 1 + g·σ(-g)
// cancels (g·σ(-g) is carried to 2^-104 of itself). Above g = 800 it is 1
// (1 - silu' is below 2^-1100); below g = -1500, e^g = (e^(g/2))² and
// silu' = e^g·(1 + g) to within 2^-2000 relative; below -3000 it is -0, 0
// (|silu'| < 2^-4300).
func siluDerivDD(g float64) (q dd, k int) {
	switch {
	case g > 800:
		return dd{1, 0}, 0
	case g < -3000:
		return dd{math.Copysign(0, -1), 0}, 0
	case g < -1500:
		m, h := expDD(g / 2)
		return mulF(mul(m, m), 1+g), 2 * h // 1 + g is exact: g is above -2^52
	}
	m, k := expDD(-math.Abs(g))
	return siluDerivFrom(g, m, k)
}

// siluDerivFrom is siluDerivDD for g in [-1500, 800], from E = e^-|g| =
// m·2^k as expDD returns it.
func siluDerivFrom(g float64, m dd, k int) (q dd, h int) {
	e := dd{ldexp(m.hi, k), ldexp(m.lo, k)} // E, subnormal or 0 far above 0
	den := addF(e, 1)
	if g >= 0 {
		sp := div(dd{1, 0}, den)
		return mul(sp, addF(mulF(mul(e, sp), g), 1)), 0
	}
	sm := div(dd{1, 0}, den) // σ(-g)
	return mul(mul(m, sm), addF(mulF(sm, g), 1)), k
}

// SwiGLUBackwardWide is the float32 SwiGLUBackward reference: dgate and
// dup in float64 from one exponential. dup is what SwiGLUWide(gate, dy)
// computes, bit for bit; dgate is (dy·up)·silu'(gate), dy·up exact (48
// bits), silu'(gate) = σ(gate)·(1 + gate·σ(-gate)) from the σ(gate) and
// σ(-gate) of that exponential (each within about 2^-51 relative): within
// about 2^-48 relative where 1 + gate·σ(-gate) is at least 1/8 in
// magnitude. Closer to the zero of silu' (gate in about [-1.41, -1.16])
// silu' is siluDerivDD's, so that dgate is within 2^-52 relative there
// too. Below gate = -745, σ(gate) is 0 in float64 and dgate ±0 (the exact
// value is below 2^-760 for every float32 dy and up). Non-finite inputs
// give float64 arithmetic on the limits, which the checkers' exact rules
// replace.
func SwiGLUBackwardWide(dy, gate, up float32) (dgate, dup float64) {
	dgate, dup, _ = swigluBackWide(dy, gate, up)
	return dgate, dup
}

// swigluBackWide is SwiGLUBackwardWide and silu'(gate) in float64.
func swigluBackWide(dy, gate, up float32) (dgate, dup, sd float64) {
	d, g, u := float64(dy), float64(gate), float64(up)
	if d != d || g != g || u != u {
		n := d + g + u
		return n, n, n
	}
	p := g * d // SwiGLUWide's gate·up, up = dy
	var s, sm float64
	if g >= 0 {
		e := exp(-g)
		den := 1 + e
		dup = p / den
		s = 1 / den
		sm = e * s
	} else {
		e := exp(g)
		dup = p * (e / (1 + e))
		s = e / (1 + e)
		sm = 1 / (1 + e)
	}
	if t := 1 + g*sm; math.Abs(t) >= 0.125 {
		sd = s * t
		return d * u * sd, dup, sd
	}
	q, k := siluDerivDD(g)
	h, l := ldexp(q.hi, k), ldexp(q.lo, k)
	du := d * u
	return math.FMA(du, h, du*l), dup, h
}

// SwiGLUBackwardDGateExact64 is SwiGLUBackward's dgate =
// dy·up·silu'(gate) as a pair in the form of Exact64: hi the exact value
// rounded to the nearest float64 (±Inf beyond the range), lo the rest
// (scaled as Tiny64 says below it). With dy = md·2^ed and up = mu·2^eu,
// md·mu is exact as a twoProd and silu'(gate) = q·2^k (siluDerivDD), and
// the product is scaled by 2^(k+ed+eu) once, at the end, so that nothing
// overflows or underflows on the way where dy·up or silu'(gate) does but
// the result does not: to about 2^-100 relative away from the zero of
// silu', and 2^-103·|dy·up| absolute next to it. Below gate = -3000 the
// result is below 2^-4000 for every float64 dy and up, and the pair is ±0
// (the sign of -dy·up), 0. Non-finite inputs and zeros give float64
// arithmetic on the limits, and 0: NaN for a NaN, dy·up for gate = +Inf,
// dy·(up·(-0)) for gate = -Inf, dy·(up·±1) with the sign of silu'(gate)
// for an infinite or zero dy or up (NaN for ∞·0).
func SwiGLUBackwardDGateExact64(dy, gate, up float64) (hi, lo float64) {
	r := swigluDGate64(dy, gate, up)
	return r.hi, r.lo
}

// dgate64 is SwiGLUBackwardDGateExact64's pair and what the checks need of
// silu'(gate) and up·silu'(gate).
type dgate64 struct {
	hi, lo float64
	// sdExp and ugExp are the exponents of silu'(gate) and up·silu'(gate),
	// |v| in [2^(e-1), 2^e) (noExp for 0, and ugExp for a non-finite or
	// zero up).
	sdExp, ugExp int
	sdNeg        bool // silu'(gate) < 0
	// ugHuge reports whether up·silu'(gate) is within 4 ulps of 2^1024 or
	// beyond: where SiLUBackward64 may round it to ±Inf.
	ugHuge bool
}

func swigluDGate64(dy, gate, up float64) dgate64 {
	switch {
	case dy != dy || gate != gate || up != up:
		return dgate64{hi: dy + gate + up, sdExp: noExp, ugExp: noExp}
	case math.IsInf(gate, 1):
		return dgate64{hi: dy * up, sdExp: 1, ugExp: noExp}
	case math.IsInf(gate, -1):
		return dgate64{hi: dy * (up * math.Copysign(0, -1)), sdExp: noExp, ugExp: noExp, sdNeg: true}
	}
	q, k := siluDerivDD(gate)
	return swigluDGate64q(dy, gate, up, q, k)
}

// swigluDGate64q is swigluDGate64 for a finite gate, with silu'(gate) =
// q·2^k given.
func swigluDGate64q(dy, gate, up float64, q dd, k int) dgate64 {
	r := dgate64{sdExp: noExp, ugExp: noExp, sdNeg: math.Signbit(q.hi)}
	if q.hi != 0 {
		_, e := math.Frexp(q.hi)
		r.sdExp = e + k
	}
	mu, eu := math.Frexp(up)
	if up-up == 0 && up != 0 && q.hi != 0 {
		m, e := math.Frexp(math.Abs(mu * q.hi))
		r.ugExp = e + eu + k
		r.ugHuge = r.ugExp > 1024 || r.ugExp == 1024 && m >= 1-0x1p-50
	}
	s := 1.0
	if r.sdNeg {
		s = -1
	}
	switch {
	case dy == 0 || up == 0 || math.IsInf(dy, 0) || math.IsInf(up, 0):
		r.hi = dy * (up * s)
	case q.hi == 0:
		r.hi = signedZero((dy < 0) != (up < 0) != r.sdNeg)
	default:
		md, ed := math.Frexp(dy)
		p, pe := twoProd(md, mu) // exact: md·mu is in [1/4, 1)
		r.hi, r.lo = encode(mul(q, dd{p, pe}), k+ed+eu)
	}
	return r
}

// CheckSwiGLUBackward returns the errors in ULPs of dgate and dup, float32
// SwiGLUBackward results for dy, gate and up, and what is wrong with each
// ("" if nothing). dup: a NaN dy gives that NaN quieted (sign and payload
// kept, quiet bit set), else a NaN gate gives its NaN quieted; else it is
// judged by CheckSwiGLU's rules on gate and dy (in up's place) with
// boundU. dgate: a NaN dy gives its NaN quieted, else a NaN gate, else a
// NaN up; gate = +Inf gives exactly dy·up, gate = -Inf exactly
// dy·(up·(-0)), the default NaN (negative, quiet, no payload) for ∞·0;
// for a finite gate, an infinite or zero dy or up gives dy·(up·s), s = ±1
// the sign of silu'(gate): ±Inf, ±0, or the default NaN for ∞·0, and
// either sign where |silu'(gate)| <= 2^-24 (within the absolute term of
// SiLUBackward's bound, up·silu'(gate) may have either sign); as dgate is
// dy·(up·silu'(gate)) with that factor SiLUBackward's, the default NaN is
// also right for an infinite dy where the factor may be 0 (|silu'(gate)|
// <= 2^-24, or |up·silu'(gate)| below 2^-148; for an infinite up,
// |silu'(gate)| below 2^-148) and for a zero dy where it may overflow.
// Every other result has the sign of dy·up·silu'(gate) (either where
// |silu'(gate)| <= 2^-24) and is within boundG ULPs + 2^-25·|dy·up| of
// it, subnormal results and results beyond the range included; where
// up·silu'(gate) is within 2 ULP + 2^-25·|up| of 2^128 or beyond, ±Inf
// with that sign is right too. The error of dgate is in ULPs less the
// absolute term (0 within it); the errors are 0 under the exact rules,
// +Inf where they are broken. Most results are judged against
// SwiGLUBackwardWide, those within 2^-20 ULP of their bound against the
// pairs of SwiGLUExact64 and SwiGLUBackwardDGateExact64.
func CheckSwiGLUBackward(dy, gate, up, dgate, dup float32, boundG, boundU float64) (ulpG, ulpU float64, whyG, whyU string) {
	return checkSwiGLUBackward(dy, gate, up, dgate, dup, boundG, boundU, false)
}

// CheckSwiGLUBackwardQuiet is CheckSwiGLUBackward without describing
// results of dgate over their bound, as CheckGLUBackwardQuiet.
func CheckSwiGLUBackwardQuiet(dy, gate, up, dgate, dup float32, boundG, boundU float64) (ulpG, ulpU float64, whyG, whyU string) {
	return checkSwiGLUBackward(dy, gate, up, dgate, dup, boundG, boundU, true)
}

func checkSwiGLUBackward(dy, gate, up, dgate, dup float32, boundG, boundU float64, quiet bool) (ulpG, ulpU float64, whyG, whyU string) {
	d, g, u := float64(dy), float64(gate), float64(up)
	exactG, exactU, sd := swigluBackWide(dy, gate, up)
	ulpU, whyU = checkDUp(dy, gate, dup, func() (float64, string) { return checkSwiGLU(gate, dy, dup, exactU, boundU) })
	if d-d != 0 || g-g != 0 || u-u != 0 || d == 0 || u == 0 {
		free := math.Abs(sd) <= 0x1p-24
		ug := math.Abs(u * sd)
		zero := free || ug < 0x1p-148
		if math.IsInf(u, 0) {
			zero = free || math.Abs(sd) < 0x1p-148
		}
		huge := ug >= 0x1p128-0x1p105-gradAbs32*math.Abs(u)
		whyG = swigluDGateSpecial(dy, gate, up, dgate, math.Signbit(sd), free, zero, huge)
		return specialULP(whyG), ulpU, whyG, whyU
	}
	ulpG, whyG = checkSwiGLUBackwardDGate(dy, gate, up, dgate, exactG, sd, boundG, quiet)
	return ulpG, ulpU, whyG, whyU
}

// checkDUp applies the NaN rule of dup (dy, then gate) to got, and else
// check (SwiGLU's rules on gate and dy), with "dup: " before what is
// wrong.
func checkDUp[F float32 | float64](dy, gate, got F, check func() (float64, string)) (ulp float64, why string) {
	switch {
	case dy != dy:
		why = nanWhy(dy, got)
		ulp = specialULP(why)
	case gate != gate:
		why = nanWhy(gate, got)
		ulp = specialULP(why)
	case float64(dy)-float64(dy) != 0 || float64(gate)-float64(gate) != 0 || dy == 0 || gate == 0:
		why = swigluSpecial(gate, dy, got)
		ulp = specialULP(why)
	default:
		ulp, why = check()
	}
	if why != "" {
		why = fmt.Sprintf("dup: dy=%s gate=%s: %s", bitsHex(dy), bitsHex(gate), why)
	}
	return ulp, why
}

// checkSwiGLUBackwardDGate is CheckSwiGLUBackward's check of dgate for
// finite nonzero dy and up and a finite gate, with SwiGLUBackwardWide's
// dgate and silu'(gate) given.
func checkSwiGLUBackwardDGate(dy, gate, up, got float32, exact, sd, bound float64, quiet bool) (float64, string) {
	d, u, f := float64(dy), float64(up), float64(got)
	abs := gradAbs32 * math.Abs(d*u)
	neg := math.Signbit(exact)
	free := math.Abs(sd) <= 0x1p-24
	if math.IsInf(f, 0) && math.Signbit(f) == neg && (math.Abs(u*sd) >= 0x1p128-0x1p105-gradAbs32*math.Abs(u) || math.Abs(exact) >= 0x1p128*(1+0x1p-20)) {
		return 0, "" // up·silu'(gate) may round to ±Inf (and dy·±Inf is ±Inf), or the exact value is surely beyond the range
	}
	if math.Abs(exact) < 0x1p128 && f-f == 0 && (free || math.Signbit(f) == neg) {
		e := max(0, ULP(got, exact)-abs*pow2(23-ulpExp32(exact, 0)))
		if e <= bound-0x1p-20 {
			return e, "" // the common case, first: exhaustive sweeps check 2^32 results
		}
		if e >= bound+0x1p-20 && (free || math.Signbit(f) == neg) { // surely over the bound
			if free {
				neg = math.Signbit(f)
			}
			return e, gradWhy("dgate", [3]string{"dy", "up", "gate"}, [3]float32{dy, up, gate}, got, exact, e, bound, true, 25, neg, quiet)
		}
	}
	hi, lo := SwiGLUBackwardDGateExact64(d, float64(gate), u)
	if math.Abs(hi) < Tiny64 {
		lo = 0 // in units of 2^-1074, and far below 2^-149
	}
	e := ulps32(got, hi, lo)
	if !math.IsInf(e, 0) {
		e = max(0, e-abs*pow2(23-ulpExp32(hi, lo)))
	}
	if free {
		neg = math.Signbit(f) // either sign
	}
	return e, gradWhy("dgate", [3]string{"dy", "up", "gate"}, [3]float32{dy, up, gate}, got, hi, e, bound, true, 25, neg, quiet)
}

// CheckSwiGLUBackward64 is CheckSwiGLUBackward for float64: dup by
// CheckSwiGLU64's rules on gate and dy, dgate against
// SwiGLUBackwardDGateExact64 in ULP64 (±Inf standing for every value from
// 2^1024 up), with 2^-53 for 2^-24, 2^-1073 for 2^-148 and 2^-54·|dy·up|
// for the absolute term.
func CheckSwiGLUBackward64(dy, gate, up, dgate, dup, boundG, boundU float64) (ulpG, ulpU float64, whyG, whyU string) {
	return checkSwiGLUBackward64(dy, gate, up, dgate, dup, boundG, boundU, false)
}

// CheckSwiGLUBackward64Quiet is CheckSwiGLUBackward64 without describing
// results of dgate over their bound, as CheckGLUBackwardQuiet.
func CheckSwiGLUBackward64Quiet(dy, gate, up, dgate, dup, boundG, boundU float64) (ulpG, ulpU float64, whyG, whyU string) {
	return checkSwiGLUBackward64(dy, gate, up, dgate, dup, boundG, boundU, true)
}

func checkSwiGLUBackward64(dy, gate, up, dgate, dup, boundG, boundU float64, quiet bool) (ulpG, ulpU float64, whyG, whyU string) {
	var r dgate64
	if dy-dy == 0 && up-up == 0 && dy != 0 && up != 0 && gate >= -1500 && gate <= 800 && math.Abs(gate) >= 0x1p-60 {
		// dup and dgate from one E = e^-|gate|.
		m, k := expDD(-math.Abs(gate))
		ulpU, whyU = checkDUp(dy, gate, dup, func() (float64, string) {
			mg, eg := math.Frexp(gate)
			md, ed := math.Frexp(dy)
			p, pe := twoProd(mg, md) // exact: mg·md is in [1/4, 1)
			hi, lo := swigluPair(gate, p, pe, eg+ed, m, k)
			return checkSwiGLU64(gate, dy, dup, hi, lo, boundU)
		})
		q, h := siluDerivFrom(gate, m, k)
		r = swigluDGate64q(dy, gate, up, q, h)
	} else {
		ulpU, whyU = checkDUp(dy, gate, dup, func() (float64, string) { return CheckSwiGLU64(gate, dy, dup, boundU) })
		r = swigluDGate64(dy, gate, up)
	}
	free := r.sdExp <= -53
	if dy-dy != 0 || gate-gate != 0 || up-up != 0 || dy == 0 || up == 0 {
		zero := free || r.ugExp <= -1073
		if math.IsInf(up, 0) {
			zero = free || r.sdExp <= -1073
		}
		whyG = swigluDGateSpecial(dy, gate, up, dgate, r.sdNeg, free, zero, r.ugHuge)
		return specialULP(whyG), ulpU, whyG, whyU
	}
	neg := (dy < 0) != (up < 0) != r.sdNeg
	if math.IsInf(dgate, 0) && math.Signbit(dgate) == neg && r.ugHuge {
		return 0, ulpU, "", whyU // up·silu'(gate) may round to ±Inf
	}
	e := ulps64(dgate, r.hi, r.lo, func() (float64, float64) {
		// Beyond the range |dy·up| > 2^1023: the larger is above 2^511,
		// and halving it is exact.
		if math.Abs(dy) > math.Abs(up) {
			return SwiGLUBackwardDGateExact64(dy/2, gate, up)
		}
		return SwiGLUBackwardDGateExact64(dy, gate, up/2)
	})
	if !math.IsInf(e, 0) {
		e = max(0, e-allowance64(dy, up, r.hi, r.lo))
	}
	if free {
		neg = math.Signbit(dgate) // either sign
	}
	if e <= boundG && dgate == dgate && math.Signbit(dgate) == neg {
		return e, ulpU, "", whyU
	}
	return e, ulpU, gradWhy("dgate", [3]string{"dy", "up", "gate"}, [3]float64{dy, up, gate}, dgate, r.hi, e, boundG, true, 54, neg, quiet), whyU
}

// swigluDGateSpecial applies the exact rules of dgate (see
// CheckSwiGLUBackward) to got, for inputs with a NaN, an infinite gate, an
// infinite or zero dy or up: what is wrong with it, or "". For a finite
// gate, neg is the sign of silu'(gate), free whether the result may have
// either sign, zero whether an infinite dy may meet a zero factor (or an
// infinite up a zero silu'), huge whether a zero dy may meet an infinite
// one.
func swigluDGateSpecial[F float32 | float64](dy, gate, up, got F, neg, free, zero, huge bool) string {
	in := func() string {
		return fmt.Sprintf("dgate: dy=%v (%s) gate=%v (%s) up=%v (%s)", dy, bitsHex(dy), gate, bitsHex(gate), up, bitsHex(up))
	}
	for _, x := range []F{dy, gate, up} {
		if x != x {
			if w := nanWhy(x, got); w != "" {
				return in() + ": " + w
			}
			return ""
		}
	}
	g := float64(gate)
	var want F
	switch {
	case math.IsInf(g, 1):
		want = mulRule(dy, up)
	case math.IsInf(g, -1):
		want = mulRule(dy, mulRule(up, F(math.Copysign(0, -1))))
	default:
		s := F(1)
		if neg {
			s = -1
		}
		want = mulRule(dy, mulRule(up, s))
		nan := bitsHex(got) == bitsHex(defaultNaN[F]())
		switch {
		case free && want == want && bitsHex(got) == bitsHex(-want):
			return "" // either sign
		case nan && zero && math.IsInf(float64(dy), 0):
			return "" // ∞ times a factor that may be 0
		case nan && zero && math.IsInf(float64(up), 0) && dy != 0:
			return "" // up·silu'(gate) may be ∞·0
		case nan && huge && dy == 0 && up-up == 0:
			return "" // 0 times a factor that may be ∞
		}
	}
	if bitsHex(got) != bitsHex(want) {
		return fmt.Sprintf("%s gave %v (%s), want exactly %s", in(), got, bitsHex(got), bitsHex(want))
	}
	return ""
}
