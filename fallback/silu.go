package fallback

import (
	"math"

	"github.com/simdsigmoid/sigmoid/internal/check"
)

// SiLU (x·sigmoid(x) = x/(1+e^-x), also called swish) and its derivative.
// float32 is computed in float64 and rounded once; float64 divides by
// 1+e^-x as Sigmoid64 does and corrects the quotient with its remainder,
// with the numerator x carried along.

const (
	// siluZero32 and siluZero64 bound SiLU below: for x < -110 (float32)
	// or x < -752 (float64), |x|·e^x is below half the smallest subnormal
	// and the result is -0.
	siluZero32 = -110
	siluZero64 = -752
	// siluTiny64: below it x·e^x/(1+e^x) is x·e^x to within 2^-1000, and
	// x·e^x nears the subnormals: siluTiny64Scalar rounds it once there.
	siluTiny64 = -700
	// derivClamp32 and derivClamp64: past them the derivative rounds to 1,
	// or is below 2^-80 in magnitude and taken at the clamp.
	derivClamp32 = 110
	derivClamp64 = 512
)

// SiLU sets dst[i] = src[i]/(1+exp(-src[i])) for every i, as SiLUScalar
// does. dst may be src itself (in place); it must not overlap src
// otherwise. It panics if the lengths differ or the slices partially
// overlap.
func SiLU(dst, src []float32) {
	if check.BadUnary(dst, src) {
		check.PanicUnary("fallback", "SiLU", dst, src)
	}
	dst = dst[:len(src)]
	for i, x := range src {
		dst[i] = SiLUScalar(x)
	}
}

// SiLUScalar is the float32 SiLU of one value, x·sigmoid(x) computed in
// float64 and rounded once (within 0.501 ULP): NaN gives that NaN quieted,
// +Inf +Inf, -Inf -0, ±0 ±0, and subnormal results are computed.
func SiLUScalar(x float32) float32 {
	switch {
	case x != x:
		return quiet32(x)
	case x < siluZero32:
		return float32(math.Copysign(0, -1))
	case x > -clamp32:
		// sigmoid32Wide clamps at ±104, where the sigmoid is 1 or SiLU
		// rounds to x.
		return float32(float64(x) * sigmoid32Wide(x))
	}
	return float32(float64(x) * SigmoidScalar64(float64(x)))
}

// SiLUBackward sets dx[i] = dy[i]·silu'(x[i]), silu'(x) =
// sigmoid(x)·(1 + x·(1-sigmoid(x))), the gradient of SiLU at its input x:
// the derivative is computed in float64 (to about 2^-50, and to 2^-53
// absolute next to its zero at x ≈ -1.2785), then multiplied by dy and
// rounded once. A NaN dy gives that NaN quieted; else a NaN x gives that
// NaN quieted. dx may be dy or x itself (in place); it must not otherwise
// overlap them. It panics if the lengths differ or dx partially overlaps
// an input.
func SiLUBackward(dx, dy, x []float32) {
	if check.BadBackward(dx, dy, x) {
		check.PanicBackward("fallback", "SiLUBackward", "x", dx, dy, x)
	}
	dx = dx[:len(x)]
	dy = dy[:len(x)]
	for i, v := range x {
		d := dy[i]
		r := float32(float64(d) * siluDeriv32(v))
		if r != r {
			r = backwardNaN32(d, v, r)
		}
		dx[i] = r
	}
}

// siluDeriv32 is silu'(x) in float64: sigmoid(x)·(1 + x·sigmoid(-x)),
// both sigmoids within 0.502 ULP of float64, so that next to the zero of
// 1 + x·sigmoid(-x) the error is about 2^-53 absolute.
func siluDeriv32(x float32) float64 {
	y := min(max(float64(x), -derivClamp32), derivClamp32)
	return SigmoidScalar64(y) * (1 + y*SigmoidScalar64(-y))
}

// SiLU64 sets dst[i] = src[i]/(1+exp(-src[i])) for every i, as
// SiLUScalar64 does. dst may be src itself (in place); it must not overlap
// src otherwise. It panics if the lengths differ or the slices partially
// overlap.
func SiLU64(dst, src []float64) {
	if check.BadUnary(dst, src) {
		check.PanicUnary("fallback", "SiLU64", dst, src)
	}
	dst = dst[:len(src)]
	for i, x := range src {
		dst[i] = SiLUScalar64(x)
	}
}

// SiLUScalar64 is the float64 SiLU of one value, within 0.51 ULP of the
// exact x/(1+e^-x): NaN gives that NaN quieted, +Inf +Inf, -Inf -0, ±0 ±0,
// and subnormal results are rounded once.
func SiLUScalar64(x float64) float64 {
	switch {
	case x != x:
		return quiet64(x)
	case x == 0:
		return x // ±0, which the sum below would turn into +0
	case x > fastMax64:
		return x // the sigmoid is 1 - e^-x, and x·e^-x < ulp(x)/2
	case x < siluZero64:
		return math.Copysign(0, -1)
	case x < siluTiny64:
		return siluTiny64Scalar(x)
	}
	// y0·(1-e) is the sigmoid to within e², as in sigmoid64; x·y0 is the
	// double word ph + pl, and the product with (1-e) rounds once.
	y0, e := sigmoid64Parts(x)
	ph := x * y0
	pl := math.FMA(x, y0, -ph)
	return ph + math.FMA(-ph, e, pl)
}

// sigmoid64Parts returns y0 = 1/(1+eh) rounded and e with 1/(1+e^-x) =
// y0·(1-e) to within e² (|e| < 2^-51), for |x| <= fastMax64: sigmoid64's
// steps, without the last.
func sigmoid64Parts(x float64) (y0, e float64) {
	eh, el := expNeg64(x)
	y0 = 1 / (1 + eh)
	gh := y0 - 1
	return y0, math.FMA(y0, eh, gh) + ((y0 - (gh + 1)) + y0*el)
}

// expNeg64 is e^-x as eh + el, el below half an ulp of eh, to about 2^-62
// relative, for |x| <= fastMax64 (see sigmoid64).
func expNeg64(x float64) (eh, el float64) {
	kd := x*negInvC64 + roundShift
	b := math.Float64bits(kd)
	nd := kd - roundShift
	r := (x + nd*cHi64) + nd*cLo64
	t := &exp2Table64[b&(tableSize64-1)]
	a := math.Float64frombits(t.bits + b<<(52-tableBits64))
	q := a * ((r*r*((c2-r*c3)+r*r*c4) + t.rel) - r)
	eh = a + q
	return eh, (a - eh) + q
}

// siluTiny64Scalar is SiLUScalar64 for x in [siluZero64, siluTiny64): x·e^x,
// with e^x scaled by 2^1074 as in sigmoid64Tiny, so that the product is
// rounded once on the float64 grid, subnormal or not.
func siluTiny64Scalar(x float64) float64 {
	kd := x*-negInvC64 + roundShift
	b := math.Float64bits(kd)
	nd := kd - roundShift
	r := (x - nd*cHi64) - nd*cLo64
	t := &exp2Table64[b&(tableSize64-1)]
	a := math.Float64frombits(t.bits + b<<(52-tableBits64) + 1074<<52)
	q := a * (r + (r*r*((c2+r*c3)+r*r*c4) + t.rel))
	wh := a + q
	wl := (a - wh) + q
	// v = x·w = vh + vl, scaled by 2^1074; v < 0.
	vh := x * wh
	vl := math.FMA(x, wh, -vh) + x*wl
	if vh <= -0x1p52 {
		return (vh + vl) * 0x1p-1074 // normal: the scaling is exact
	}
	// Round -v to an integer i once, as sigmoid64Tiny does.
	w, rest := -vh, -vl
	i := (w + 0x1p52) - 0x1p52
	if rest += w - i; rest > 0.5 {
		i++
	} else if rest < -0.5 {
		i--
	}
	return -math.Float64frombits(uint64(i))
}

// SiLUBackward64 sets dx[i] = dy[i]·silu'(x[i]) for every i, as
// SiLUBackward does for float32: silu'(x) = (D + x·E)/D² with E = e^-x and
// D = 1+E, the numerator carried as a double word (it cancels next to
// x ≈ -1.2785) and each division corrected once, then one product with dy.
// A NaN dy gives that NaN quieted; else a NaN x gives that NaN quieted.
// dx may be dy or x itself (in place); it must not otherwise overlap them.
// It panics if the lengths differ or dx partially overlaps an input.
func SiLUBackward64(dx, dy, x []float64) {
	if check.BadBackward(dx, dy, x) {
		check.PanicBackward("fallback", "SiLUBackward64", "x", dx, dy, x)
	}
	dx = dx[:len(x)]
	dy = dy[:len(x)]
	for i, v := range x {
		d := dy[i]
		r := d * siluDeriv64(v)
		if r != r {
			r = backwardNaN64(d, v, r)
		}
		dx[i] = r
	}
}

// siluDeriv64 is silu'(x) for float64, within about 1 ULP (and 2^-100
// absolute next to its zero).
func siluDeriv64(v float64) float64 {
	x := min(max(v, -derivClamp64), derivClamp64)
	eh, el := expNeg64(x)
	// D = dh + dl: 1 + eh, its rounding error (TwoSum), el.
	dh := 1 + eh
	bb := dh - 1
	dl := ((1 - (dh - bb)) + (eh - bb)) + el
	// x·E = ph + pl.
	ph := x * eh
	pl := math.FMA(x, eh, -ph) + x*el
	// N = D + x·E = nh + nl.
	nh := dh + ph
	bb = nh - dh
	nl := ((dh - (nh - bb)) + (ph - bb)) + dl + pl
	// z = N/D = z0 + zl, then g = z/D, each corrected by its remainder.
	z0 := (nh + nl) / dh
	zl := (math.FMA(-z0, dh, nh) - z0*dl + nl) / (dh + dl)
	g := (z0 + zl) / dh
	return g + (math.FMA(-g, dh, z0)-g*dl+zl)/(dh+dl)
}
