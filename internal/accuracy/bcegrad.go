package accuracy

import (
	"fmt"
	"math"
)

// BCEWithLogitsBackward references: dy·(σ(z) - t), the gradient of
// BCEWithLogits with respect to the logit z. σ(z) - t cancels where t is
// near σ(z), and σ(z) rounded near 1 has lost σ(-z): so the difference is
// formed from σ(-|z|), as σ(z) - t for z < 0 and (1 - t) - σ(-z) for
// z ≥ 0, with 1 - t exact (a twoSum). The bounds of the function are 1.5
// ULP for t = 0 and t = 1, where nothing cancels and the references are
// accurate relative to the result, and 2 ULP plus an absolute allowance of
// 2^-24·|dy| (float64: 2^-53·|dy|) for other t in [0, 1], where the
// references are accurate relative to |dy|, far below that allowance; for
// t outside [0, 1] no bound is documented.

// BCEWithLogitsBackwardWide is the float32 BCEWithLogitsBackward
// reference for finite dy, z and t: dy·(σ(z) - t) in float64, with s =
// σ(-|z|) = E/(1 + E), E = e^-|z| (exp, within an ulp: s within
// about 2^-51 relative), as dy·(s - t) for z < 0 and dy·((1 - t) - s) for
// z ≥ 0 (1 - t exact for float32 t above 2^-29, and within 2^-53 of 1
// below): within about 2^-50·|dy|·(s + |t| + |1 - t|), and within 2^-50
// relative for t = 0 and t = 1, some 2^-26 ULP of float32. Beyond |z| =
// 220, where s < 2^-317 and |dy|·s < 2^-189 for every float32 dy, s is
// taken as 2^-996: that keeps the sign of dy·(σ(z) - t) for t = 0 and t
// = 1, changes the value by less than 2^-189, 2^-40 of the smallest
// float32 ulp, and keeps e^-|z| and s out of the float64 subnormals,
// whose arithmetic is slow on some CPUs (and saves exp, on the half
// of the float32 inputs beyond 220). Other inputs give the hi of
// BCEWithLogitsBackwardExact64.
func BCEWithLogitsBackwardWide(dy, z, t float32) float64 {
	d, v, w := float64(dy), float64(z), float64(t)
	if d-d != 0 || v-v != 0 || w-w != 0 { // NaN or ±Inf
		hi, _ := BCEWithLogitsBackwardExact64(d, v, w)
		return hi
	}
	r, _, _ := bceGradFloat64(d, v, w)
	return r
}

// bceGradFloat64 is BCEWithLogitsBackwardWide for finite inputs, r, with
// s = σ(-|z|) and g = σ(z) - t as it computes them.
func bceGradFloat64(dy, z, t float64) (r, s, g float64) {
	s = 0x1p-996
	if a := math.Abs(z); a <= 220 {
		e := exp(-a)
		s = e / (1 + e)
	}
	g = float64(s - t)
	if z >= 0 {
		g = float64(1-t) - s
	}
	return dy * g, s, g
}

// bceGradDiff returns D and k with σ(z) - t = D·2^k for finite z and t, D
// a double-double of magnitude about 1 at most (less where the terms
// cancel, more where t is far outside [0, 1]), to about 2^-101 of
// σ(-|z|) + |c|, c = t for z < 0 and 1 - t for z ≥ 0, the terms that
// cancel, both scaled by 2^-k: σ(-|z|) = m/(1 + m·2^j)·2^j,
// e^-|z| = m·2^j (expDD, as Exact64 has it), and the difference formed at
// the scale of the larger term, so that nothing underflows on the way
// where σ(-|z|) or t is tiny. D is exactly 0 only where σ(z) = t (z = ±0,
// t = 1/2). Below |z| = 2^-60, σ(z) is 1/2 + z/4, within 2^-121 relative
// of z/4, so that σ(z) - 1/2 keeps its bits where σ(z) is 1/2 in any
// double-double; beyond |z| = 1500 σ(-|z|) is below 2^-2164, and taken as
// 0 beside a nonzero c, else as 2^-2200, which keeps the sign.
func bceGradDiff(z, t float64) (dd, int) {
	if math.Abs(z) < 0x1p-60 {
		if t == 0.5 {
			mz, ez := math.Frexp(z)
			return dd{mz, 0}, ez - 2
		}
		h, l := twoSum(0.5, -t)
		return addF(dd{h, l}, z/4), 0
	}
	// σ(x) - c with x = -|z|, negated for z ≥ 0: σ(z) - t = (1 - t) - σ(-z).
	x, c := z, dd{t, 0}
	if z > 0 {
		h, l := twoSum(1, -t)
		x, c = -z, dd{h, l}
	}
	var d dd
	k := 0
	switch {
	case x < -1500 && c.hi == 0:
		d, k = dd{1, 0}, -2200
	case x < -1500:
		_, k = math.Frexp(c.hi)
		d = dd{-ldexp(c.hi, -k), -ldexp(c.lo, -k)}
	default:
		m, j := expDD(x)
		s := div(m, addF(dd{ldexp(m.hi, j), ldexp(m.lo, j)}, 1)) // σ(x)·2^-j
		if c.hi == 0 {
			d, k = s, j
			break
		}
		_, ec := math.Frexp(c.hi)
		k = max(j, ec)
		d = add(dd{ldexp(s.hi, j-k), ldexp(s.lo, j-k)}, dd{-ldexp(c.hi, -k), -ldexp(c.lo, -k)})
	}
	if z > 0 {
		d = dd{-d.hi, -d.lo}
	}
	return d, k
}

// BCEWithLogitsBackwardExact64 is dy·(σ(z) - t) as a pair in the form of
// Exact64: hi the exact value rounded to the nearest float64 (±Inf beyond
// the range), lo the rest (scaled as Tiny64 says below it), to about
// 2^-100 of |dy|·(σ(-|z|) + |c|), c = t for z < 0 and 1 - t for z ≥ 0:
// relative to the result for t = 0 and t = 1, where nothing cancels (and
// for every t where σ(z) is not near t). With dy = md·2^e (md in [0.5,
// 1)) it is md·D scaled by 2^(e+k) once, at the end, σ(z) - t = D·2^k
// (bceGradDiff): so nothing overflows or underflows on the way where
// σ(-|z|) or t does but the result does not. Below |z| = 2^-60 with t =
// 1/2 the result is dy·z/4, exact as a product. Where the pair is exactly
// halfway between two float64s, hi is rounded by the sign of the term the
// double-double dropped (roundPair).
//
// Limits and non-finite values, as the formula gives them in float64
// arithmetic: NaN for a NaN (dy + z + t); z = +Inf gives dy·(1 - t), z =
// -Inf dy·(-t), an infinite t dy·(-t) (NaN for a zero dy); an infinite dy
// gives dy times the sign of σ(z) - t (NaN where that is 0, z = ±0 with t
// = 1/2), a zero dy dy·D.hi (a zero), each with lo 0.
func BCEWithLogitsBackwardExact64(dy, z, t float64) (hi, lo float64) {
	switch {
	case dy != dy || z != z || t != t:
		return dy + z + t, 0
	case math.IsInf(z, 1):
		return dy * (1 - t), 0
	case math.IsInf(z, -1), math.IsInf(t, 0):
		return dy * -t, 0
	}
	d, k := bceGradDiff(z, t)
	switch {
	case math.IsInf(dy, 0) && d.hi != 0:
		return math.Copysign(dy, dy*d.hi), 0
	case math.IsInf(dy, 0) || dy == 0 || k <= -2200:
		return dy * d.hi * 0, 0 // |dy·σ(-|z|)| < 2^-1140 for |z| > 1500: within 2^-66 ULP
	}
	md, ed := math.Frexp(dy)
	// Where the product is exactly halfway between two float64s, the term
	// the double-double dropped decides the rounding: the product may have
	// few more bits than a float64 (dy·(1 - t) or dy·t for float32-like
	// inputs or t outside [0, 1], dy·z/4 for tiny z), and a term far below
	// it, of a known sign, lifts it off the midpoint: σ(-|z|) beside t for
	// z < 0, -σ(-z) beside 1 - t for z > 0, z/4 beside 1/2 - t, and
	// -z³/48 beside z/4 where t = 1/2. (z = ±0 is exact: 1/2 - t.)
	var up int
	switch {
	case z == 0:
	case math.Abs(z) < 0x1p-60 && t == 0.5:
		up = bceSign((dy < 0) != (z < 0))
	case math.Abs(z) < 0x1p-60:
		up = bceSign((dy < 0) == (z < 0))
	default:
		up = bceSign((dy < 0) == (z > 0))
	}
	return roundPair(mulF(d, md), ed+k, up)
}

// bceSign is 1 if pos, else -1.
func bceSign(pos bool) int {
	if pos {
		return 1
	}
	return -1
}

// roundPair is encode(q, k) with hi the float64 nearest to q·2^k + B, for
// a B far below q's precision, positive if up is 1, negative if -1, and
// 0 if 0 (ties to even). encode rounds q.hi·2^k, then moves it by q.lo
// where that crosses a midpoint, but its rest, q.hi - hi·2^-k + q.lo, is
// rounded: where q.lo is far below q.hi's ulp and hi subnormal, that can
// put q on a midpoint where it is not, or off one where it is. Here q's
// distance to hi is formed exactly, and then to the midpoint between hi
// and its neighbour on q's side: q is past it, short of it, or on it,
// where B decides.
func roundPair(q dd, k int, up int) (hi, lo float64) {
	hi, lo = encode(q, k)
	// Most pairs are far from a midpoint: |lo| is not half an ulp of hi
	// (or of the binade below, for a power of two), where |hi| >= Tiny64
	// (encode's pair is q's, scaled exactly), nor, below, within 2^-40
	// of it (encode's rest is rounded to 53 bits; lo is in units of
	// 2^-1074 there, and half an ulp of hi is 2^(e-2) of them for the
	// biased exponent e of a normal hi, 1/2 for a subnormal one).
	a, l := math.Abs(hi), math.Abs(lo)
	switch e := math.Float64bits(a) >> 52; {
	case a >= Tiny64 && a <= math.MaxFloat64:
		if half := math.Float64frombits((e - 53) << 52); l != half && l != half/2 {
			return hi, lo
		}
	case a < Tiny64:
		half := math.Ldexp(1, int(max(e, 1))-2)
		if math.Abs(l-half) > half*0x1p-40 && math.Abs(l-half/2) > half*0x1p-40 {
			return hi, lo
		}
	}
	if math.IsInf(hi, 0) {
		return hi, lo
	}
	// hi·2^-k is q.hi rounded to a coarser grid, or a neighbour of that:
	// r and r - half are exact.
	r := q.hi - ldexp(hi, -k)
	if d, _ := twoSum(r, q.lo); d == 0 {
		return hi, lo // q·2^k is hi
	} else if next := math.Nextafter(hi, math.Copysign(math.Inf(1), d)); !math.IsInf(next, 0) {
		half := ldexp(next-hi, -k) / 2 // a power of two, of d's sign
		w, _ := twoSum(r-half, q.lo)   // q - the midpoint, exactly 0 only on it
		switch {
		case w == 0 && up == 0 && math.Float64bits(hi)&1 == 0,
			w == 0 && up != 0 && (up > 0) != (half > 0),
			w != 0 && (w > 0) != (half > 0):
			return hi, lo // short of the midpoint, or on it and B points to hi (or hi is even)
		}
		rest := (q.hi - ldexp(next, -k)) + q.lo
		if math.Abs(next) >= Tiny64 {
			return next, ldexp(rest, k)
		}
		return next, ldexp(rest, k+1074)
	}
	return hi, lo
}

// CheckBCEWithLogitsBackward returns the error of got, a float32
// BCEWithLogitsBackward result for dy, z and t, and "" if got is correct
// under its rules, else what is wrong. For finite dy, z and t in [0, 1]
// (-0 included) the error is |got - exact| less allowance·|dy|, in ULPs of
// the exact value (ulps32: 2^-149 below 2^-126; 0 where the allowance
// covers it all), and it must be at most bound; the result must be finite;
// and for t = 0 and t = 1, where σ(z) - t is never 0, its sign (a zero's
// included) must be the exact value's. For finite t outside [0, 1] no
// bound is documented: the error is returned in ULPs, without allowance,
// and only the formula's range is a rule: ±Inf, with the exact value's
// sign, where that is beyond the float32 range by more than 2^-22
// relative (above 2^128·(1 + 2^-22)), and a finite result where it is
// that far within it (below 2^128·(1 - 2^-22)), never NaN. A NaN, an
// infinity or a zero dy gives the exact rules of bceGradSpecial, and an
// error of 0 (+Inf where they are broken). Most results are judged by
// BCEWithLogitsBackwardWide (within 2^-23 ULP where σ(z) - t is at least
// 1/16 of σ(-|z|)); those within 2^-20 ULP of the bound, next to a power
// of two or where σ(z) - t cancels, by the pair of
// BCEWithLogitsBackwardExact64.
func CheckBCEWithLogitsBackward(dy, z, t, got float32, bound, allowance float64) (ulp float64, why string) {
	d, v, w := float64(dy), float64(z), float64(t)
	if d-d != 0 || v-v != 0 || w-w != 0 || d == 0 { // NaN, ±Inf or a zero dy
		why := bceGradSpecial(dy, z, t, got)
		return specialULP(why), why
	}
	g := float64(got)
	inside := w >= 0 && w <= 1
	// The common case, first: exhaustive sweeps check 2^32 results. The
	// error against the float64 reference in ulps of its binade, where
	// that is within 2^-47 of the exact value, relative, and its binade
	// the exact value's: where σ(z) - t has not cancelled below 1/16 of
	// σ(-|z|), whose error it carries, and not just above a power of two
	// (there the exact value may be just below it, in a binade of half
	// the ulp; the ulp is 2^-149 in every binade below 2^-126). The
	// allowance is taken 2^-20 smaller, for the reference's error relative
	// to |dy|.
	if inside {
		exact, s, diffS := bceGradFloat64(d, v, w)
		b := math.Float64bits(exact) &^ (1 << 63)
		// 1/ulp = 2^(23-E) for |exact| in [2^E, 2^(E+1)), E >= -126.
		inv := math.Float64frombits((2069 - max(b>>52, 897)) << 52)
		clear := (b>>32&(1<<20-1) != 0 || b>>52 <= 897) && math.Abs(diffS) >= s*0x1p-4
		diff := math.Abs(g - exact)
		allow := float64(allowance * math.Abs(d))
		uc := float64(diff-float64(allow*(1-0x1p-20))) * inv
		ends := w*(1-w) == 0 // t = 0 or t = 1
		if clear && uc <= bound-0x1p-20 && g-g == 0 && (!ends || math.Signbit(g) == math.Signbit(exact)) {
			return max(0, float64(diff-allow)*inv), ""
		}
	}
	hi, lo := BCEWithLogitsBackwardExact64(d, v, w)
	if math.Abs(hi) < Tiny64 {
		lo = 0 // in units of 2^-1074, and far below 2^-149
	}
	raw := ulps32(got, hi, lo)
	if !inside {
		return raw, bceGradRange(dy, z, t, got, hi, hi*0x1p-128)
	}
	e := -126
	if hi != 0 {
		var pow bool
		e, pow = binade(hi)
		if pow && lo != 0 && (lo < 0) != (hi < 0) {
			e--
		}
		e = min(max(e, -126), 127)
	}
	u := max(0, raw-allowance*math.Abs(d)*pow2(23-e))
	return u, bceGradWhy(dy, z, t, got, hi, u, bound, allowance)
}

// CheckBCEWithLogitsBackward64 is CheckBCEWithLogitsBackward for float64,
// against BCEWithLogitsBackwardExact64 in ULP64 (results below 2^-1022 in
// ulps of 2^-1074), with the range of float64 for the rule of t outside
// [0, 1]: ±Inf beyond 2^1024·(1 + 2^-40), finite below 2^1024·(1 -
// 2^-40).
func CheckBCEWithLogitsBackward64(dy, z, t, got, bound, allowance float64) (ulp float64, why string) {
	if dy-dy != 0 || z-z != 0 || t-t != 0 || dy == 0 {
		why := bceGradSpecial(dy, z, t, got)
		return specialULP(why), why
	}
	hi, lo := BCEWithLogitsBackwardExact64(dy, z, t)
	raw := ULP64(got, hi, lo)
	if !(t >= 0 && t <= 1) {
		// Near the top of the range, the exact value halved (|dy| >= 1/2
		// there, as |σ(z) - t| <= 1 + |t|, so dy/2 is exact), measured
		// against the range halved.
		r := hi * 0x1p-1023 / 2
		if math.IsInf(hi, 0) || math.IsInf(got, 0) {
			h2, _ := BCEWithLogitsBackwardExact64(dy/2, z, t)
			r = h2 * 0x1p-1023
		}
		return raw, bceGradRange(dy, z, t, got, hi, r)
	}
	e := -1022
	if hi != 0 {
		var pow bool
		e, pow = binade(hi)
		if pow && lo != 0 && (lo < 0) != (hi < 0) {
			e--
		}
		e = max(e, -1022)
	}
	u := raw
	if allow := allowance * math.Abs(dy); allow > 0 && got-got == 0 {
		// The allowance in ulps 2^(e-52) may be beyond the float64 range
		// (a huge dy, a tiny result), and so may the error: then both are
		// compared as they are, far above lo.
		a := math.Ldexp(allow, 52-e)
		switch {
		case !math.IsInf(raw, 0):
			u = max(0, raw-a)
		case math.IsInf(a, 0) && math.Abs(got-hi) <= allow:
			u = 0
		}
	}
	return u, bceGradWhy(dy, z, t, got, hi, u, bound, allowance)
}

// bceGradSpecial applies the exact rules of BCEWithLogitsBackward, those
// of a NaN or infinite dy, z or t and of a zero dy, to got: what is wrong
// with it, or "". The rules: a NaN dy gives that NaN quieted (sign and
// payload kept, quiet bit set), else a NaN z its NaN quieted, else a NaN t
// its NaN quieted; z = +Inf gives dy·(1 - t) and z = -Inf dy·(-t), in F's
// arithmetic; else an infinite t gives dy·(-t), ±Inf (or NaN for a zero
// dy); else an infinite dy gives ±Inf with the sign of dy·(σ(z) - t), NaN
// where σ(z) = t (z = ±0 with t = 1/2), and ±Inf or NaN where t is within
// 2^-27 of σ(z), relative (float64 2^-55), where |z| ≤ 32 (512), and half
// an ulp of σ(z) in F beyond; else a zero dy gives a zero. A NaN
// arising so is the default NaN (negative, quiet, no payload); a zero, of
// either sign. It must not be called for a finite nonzero dy with finite
// z and t.
func bceGradSpecial[F float32 | float64](dy, z, t, got F) string {
	in := func() string { return fmt.Sprintf("dy=%s z=%s t=%s", bitsHex(dy), bitsHex(z), bitsHex(t)) }
	for _, n := range []F{dy, z, t} {
		if n != n {
			if w := nanWhy(n, got); w != "" {
				return in() + ": " + w
			}
			return ""
		}
	}
	d, v, w := float64(dy), float64(z), float64(t)
	var want F
	switch {
	case math.IsInf(v, 1):
		want = dy * (1 - t)
	case math.IsInf(v, -1), math.IsInf(w, 0):
		want = dy * -t
	case math.IsInf(d, 0):
		// Where t is within the computed σ(z)'s accuracy of σ(z), ±Inf
		// of either sign or NaN: 2^-27 relative (float64 2^-55) where
		// |z| ≤ 32 (512), σ(z) rounded to F beyond (half an ulp, the
		// subnormals' included), as the doc says.
		tol, tiny, floor := 0x1p-27, 0x1p-24, 0x1p-150
		fast := 32.0
		if _, ok := any(dy).(float64); ok {
			tol, tiny, floor, fast = 0x1p-55, 0x1p-53, 0x1p-1075, 512
		}
		if math.Abs(v) <= fast {
			floor = 0
		} else {
			tol = tiny
		}
		diff, k := bceGradDiff(v, w)
		if diff.hi != 0 && math.Ldexp(math.Abs(diff.hi), k) <= max(tol*math.Abs(w), floor) {
			if got != got || math.IsInf(float64(got), 0) {
				return ""
			}
			return fmt.Sprintf("%s gave %v (%s), want ±Inf or NaN (t within 2^%d of σ(z))", in(), got, bitsHex(got), math.Ilogb(tol))
		}
		if diff.hi != 0 {
			want = dy * F(math.Copysign(1, diff.hi))
		} else {
			want = defaultNaN[F]()
		}
	default: // a zero dy
		want = 0
	}
	switch {
	case want != want:
		want = defaultNaN[F]()
	case want == 0:
		if got != 0 {
			return fmt.Sprintf("%s gave %v (%s), want a zero", in(), got, bitsHex(got))
		}
		return ""
	}
	if bitsHex(got) != bitsHex(want) {
		return fmt.Sprintf("%s gave %v (%s), want exactly %s", in(), got, bitsHex(got), bitsHex(want))
	}
	return ""
}

// bceGradWhy applies the rules of BCEWithLogitsBackward for finite nonzero
// dy, finite z and t in [0, 1] to got, whose error against the exact
// value (rounded: exact), less allowance·|dy|, is u ULPs.
func bceGradWhy[F float32 | float64](dy, z, t, got F, exact, u, bound, allowance float64) string {
	in := func() string {
		return fmt.Sprintf("dy=%v (%s) z=%v (%s) t=%v (%s) gave %v (%s)", dy, bitsHex(dy), z, bitsHex(z), t, bitsHex(t), got, bitsHex(got))
	}
	g := float64(got)
	switch {
	case g-g != 0:
		return fmt.Sprintf("%s, exact %.17g: not finite", in(), exact)
	case (t == 0 || t == 1) && math.Signbit(g) != ((dy < 0) != (t == 1)):
		return fmt.Sprintf("%s, exact %.17g: the sign differs from the exact value's", in(), exact)
	case !(u <= bound) && allowance != 0:
		return fmt.Sprintf("%s, exact %.17g: error %.4g ULP beyond %.3g·|dy| > %v", in(), exact, u, allowance, bound)
	case !(u <= bound):
		return fmt.Sprintf("%s, exact %.17g: error %.4g ULP > %v", in(), exact, u, bound)
	}
	return ""
}

// bceGradRange applies the rule of the range to got, a result for finite
// nonzero dy, finite z and t outside [0, 1] whose exact value, rounded to
// float64, is exact, and r its ratio to the end of F's range (2^128,
// 2^1024): ±Inf, with exact's sign, where |r| is above 1 + m, a finite
// result where it is below 1 - m, never NaN; m is 2^-22 for float32,
// 2^-40 for float64.
func bceGradRange[F float32 | float64](dy, z, t, got F, exact, r float64) string {
	m := 0x1p-22
	if _, ok := any(got).(float64); ok {
		m = 0x1p-40
	}
	g, a := float64(got), math.Abs(r)
	in := func() string {
		return fmt.Sprintf("dy=%v (%s) z=%v (%s) t=%v (%s) gave %v (%s), exact %.17g", dy, bitsHex(dy), z, bitsHex(z), t, bitsHex(t), got, bitsHex(got), exact)
	}
	switch {
	case g != g:
		return in() + ": NaN from finite inputs"
	case a > 1+m && !(math.IsInf(g, 0) && (g > 0) == (r > 0)):
		return in() + ": want an infinity of its sign, the product is beyond the range"
	case a < 1-m && math.IsInf(g, 0):
		return in() + ": an infinity, the product is within the range"
	}
	return ""
}
