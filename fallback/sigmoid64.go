package fallback

//go:generate go run gen_exp2table64.go gen_exp2common.go

import (
	"math"

	"github.com/simdsigmoid/sigmoid/internal/check"
)

// The float64 functions compute e^-x = 2^k * 2^(j/1024) * e^-r as a sum
// a+q (a the table value, q the polynomial and the table's rounding error)
// to about 2^-62 relative, divide 1 by 1+a+q and correct the quotient once
// with its remainder (math.FMA), rounding once at the end: the result is
// within 0.502 ULP of the exact sigmoid, correctly rounded except within
// about 0.002 ULP of a rounding midpoint. Results below 2^-1022 are e^x,
// rounded once on the subnormal grid.
const (
	tableBits64 = 10
	tableSize64 = 1 << tableBits64

	// x*negInvC64 is -x in units of ln2/1024, to be rounded to an integer
	// n. Any n near it works: the reduction absorbs the difference.
	negInvC64 = -tableSize64 * math.Log2E

	// ln2/1024 = cHi64 + cLo64. cHi64 has 32 significant bits, so n*cHi64
	// is exact for |n| < 2^21 (|x| < 1419), and so is x - n*cHi64
	// (Sterbenz).
	cHi64 = 0x1.62e42feep-11
	cLo64 = math.Ln2/tableSize64 - cHi64

	// Taylor coefficients of (e^r - 1 - r)/r^2, used at -r for |r| <=
	// ln2/2048 < 2^-11.5: the first omitted term, r^5/120, is below 2^-64.
	c2 = 1.0 / 2
	c3 = 1.0 / 6
	c4 = 1.0 / 24

	// fastMax64 bounds the main path: for |x| <= 708, 2^k stays a normal
	// float64 (k in [-1022, 1021]) and 1/(1+e^-x) > 1.49 * 2^-1022 is
	// normal. Beyond 708 the result rounds to 1; below -708 it is e^x,
	// computed by sigmoid64Tiny, and below underflow64 it rounds to 0.
	fastMax64   = 708
	underflow64 = -746

	// The four-wide loop takes |n| < 2^19 (|x| < 354.89) and leaves the
	// rest to SigmoidScalar64; rangeOff64 maps that n range onto [0, 2^20).
	rangeBits64        = 20
	rangeOff64  uint64 = 1<<64 + 1<<(rangeBits64-1) - shiftBits
)

// regConsts64 holds constants the Sigmoid64 loop uses several times per
// element, so that they stay in registers.
var regConsts64 = struct{ negInvC, cHi, roundShift, one float64 }{negInvC64, cHi64, roundShift, 1}

// Sigmoid64 sets dst[i] = 1/(1+exp(-src[i])) for every i, as
// SigmoidScalar64 does (bit for bit). dst may be src itself (in place); it
// must not overlap src otherwise. It panics if the lengths differ or the
// slices partially overlap.
func Sigmoid64(dst, src []float64) {
	if check.BadUnary(dst, src) {
		check.PanicUnary("fallback", "Sigmoid64", dst, src)
	}
	dst = dst[:len(src)]
	neg, hi, shift, one := regConsts64.negInvC, regConsts64.cHi, regConsts64.roundShift, regConsts64.one
	const off = rangeOff64
	i := 0
	for ; i+4 <= len(src); i += 4 {
		// sigmoid64's steps for four elements, interleaved step by step.
		s := src[i : i+4 : i+4]
		d := dst[i : i+4 : i+4]
		x0, x1, x2, x3 := s[0], s[1], s[2], s[3]
		k0, k1, k2, k3 := x0*neg+shift, x1*neg+shift, x2*neg+shift, x3*neg+shift
		b0, b1, b2, b3 := math.Float64bits(k0), math.Float64bits(k1), math.Float64bits(k2), math.Float64bits(k3)
		// One test for all four: n out of range, ±Inf or NaN set a high bit.
		if ((b0+off)|(b1+off)|(b2+off)|(b3+off))>>rangeBits64 != 0 {
			d[0], d[1], d[2], d[3] = SigmoidScalar64(x0), SigmoidScalar64(x1), SigmoidScalar64(x2), SigmoidScalar64(x3)
			continue
		}
		n0, n1, n2, n3 := k0-shift, k1-shift, k2-shift, k3-shift
		r0 := (x0 + n0*hi) + n0*cLo64
		r1 := (x1 + n1*hi) + n1*cLo64
		r2 := (x2 + n2*hi) + n2*cLo64
		r3 := (x3 + n3*hi) + n3*cLo64
		t0, t1 := &exp2Table64[b0&(tableSize64-1)], &exp2Table64[b1&(tableSize64-1)]
		t2, t3 := &exp2Table64[b2&(tableSize64-1)], &exp2Table64[b3&(tableSize64-1)]
		a0 := math.Float64frombits(t0.bits + b0<<(52-tableBits64))
		a1 := math.Float64frombits(t1.bits + b1<<(52-tableBits64))
		a2 := math.Float64frombits(t2.bits + b2<<(52-tableBits64))
		a3 := math.Float64frombits(t3.bits + b3<<(52-tableBits64))
		q0 := a0 * ((r0*r0*((c2-r0*c3)+r0*r0*c4) + t0.rel) - r0)
		q1 := a1 * ((r1*r1*((c2-r1*c3)+r1*r1*c4) + t1.rel) - r1)
		q2 := a2 * ((r2*r2*((c2-r2*c3)+r2*r2*c4) + t2.rel) - r2)
		q3 := a3 * ((r3*r3*((c2-r3*c3)+r3*r3*c4) + t3.rel) - r3)
		e0, e1, e2, e3 := a0+q0, a1+q1, a2+q2, a3+q3
		l0, l1, l2, l3 := (a0-e0)+q0, (a1-e1)+q1, (a2-e2)+q2, (a3-e3)+q3
		y0 := one / (one + e0)
		g0 := y0 - one
		d[0] = y0 - y0*(math.FMA(y0, e0, g0)+((y0-(g0+one))+y0*l0))
		y1 := one / (one + e1)
		g1 := y1 - one
		d[1] = y1 - y1*(math.FMA(y1, e1, g1)+((y1-(g1+one))+y1*l1))
		y2 := one / (one + e2)
		g2 := y2 - one
		d[2] = y2 - y2*(math.FMA(y2, e2, g2)+((y2-(g2+one))+y2*l2))
		y3 := one / (one + e3)
		g3 := y3 - one
		d[3] = y3 - y3*(math.FMA(y3, e3, g3)+((y3-(g3+one))+y3*l3))
	}
	for ; i < len(src); i++ {
		dst[i] = SigmoidScalar64(src[i])
	}
}

// SigmoidScalar64 is the float64 sigmoid of one value, within 0.502 ULP
// of the exact value for every input, subnormal results included: NaN
// gives that NaN quieted, +Inf 1, -Inf 0, ±0 0.5, and x >= 37.43 exactly 1.
func SigmoidScalar64(x float64) float64 {
	if x >= -fastMax64 && x <= fastMax64 {
		return sigmoid64(x)
	}
	switch {
	case x > fastMax64:
		return 1
	case x < underflow64:
		return 0
	case x < 0:
		return sigmoid64Tiny(x)
	}
	return quiet64(x) // NaN
}

// sigmoid64 is SigmoidScalar64 for |x| <= fastMax64.
func sigmoid64(x float64) float64 {
	// e^-x = 2^(n/1024) * e^-r with r = x + n*ln2/1024, |r| <= ln2/2048.
	kd := x*negInvC64 + roundShift
	b := math.Float64bits(kd)
	nd := kd - roundShift
	r := (x + nd*cHi64) + nd*cLo64
	t := &exp2Table64[b&(tableSize64-1)]
	// b<<42 = n<<42 mod 2^64 = k<<52 + j<<42, and the entry has j<<42
	// taken off: a = 2^k * float64(2^(j/1024)).
	a := math.Float64frombits(t.bits + b<<(52-tableBits64))
	// e^-x = a*(1+rel)*e^-r = a + q, dropping rel*(e^-r-1) < 2^-64.
	q := a * ((r*r*((c2-r*c3)+r*r*c4) + t.rel) - r)
	// e^-x = eh + el: a - eh is exact (Sterbenz), el is eh's rounding
	// error. The rounding of q, below 2^-64.5 of e^-x, is lost.
	eh := a + q
	el := (a - eh) + q
	// y0 = 1/(1+eh) rounded, and e = y0*(1+eh+el) - 1, |e| < 2^-51.
	// y0 - 1 = gh + gl exactly (Fast2Sum: y0 <= 1); then y0*eh + gh is
	// small, and the FMA's rounding of it is below 2^-104.
	y0 := 1 / (1 + eh)
	gh := y0 - 1
	e := math.FMA(y0, eh, gh) + ((y0 - (gh + 1)) + y0*el)
	// 1/(1+eh+el) = y0/(1+e) = y0*(1-e) to within e^2.
	if y0 < 0x1p-960 {
		// y0*e would be subnormal: round y0 - y0*e once.
		return math.FMA(-y0, e, y0)
	}
	return y0 - y0*e
}

// sigmoid64Tiny is SigmoidScalar64 for x in [underflow64, -fastMax64):
// there the sigmoid, e^x*(1 - e^x + ...), is e^x to within 2^-1021, and
// below 1.49*2^-1022, so e^x is computed scaled by 2^1074 and rounded once
// on the float64 grid.
func sigmoid64Tiny(x float64) float64 {
	kd := x*-negInvC64 + roundShift
	b := math.Float64bits(kd)
	nd := kd - roundShift
	r := (x - nd*cHi64) - nd*cLo64
	t := &exp2Table64[b&(tableSize64-1)]
	// w = e^x * 2^1074 = a*(1+rel)*e^r = a + q, with k+1074 in [-3, 52].
	a := math.Float64frombits(t.bits + b<<(52-tableBits64) + 1074<<52)
	q := a * (r + (r*r*((c2+r*c3)+r*r*c4) + t.rel))
	wh := a + q
	wl := (a - wh) + q
	if wh >= 0x1p52 {
		// A normal result: the float64 rounding of wh+wl has ulp 1, the
		// ulp of the subnormal grid, and scaling it back is exact.
		return (wh + wl) * 0x1p-1074
	}
	// Round w to an integer i once: wh to the nearest integer (adding
	// 2^52 leaves no fraction bits), then correct by the rest, wh-i+wl.
	i := (wh + 0x1p52) - 0x1p52
	if rest := (wh - i) + wl; rest > 0.5 {
		i++
	} else if rest < -0.5 {
		i--
	}
	// i·2^-1074 has the bits of the integer i (2^52 gives 2^-1022): built
	// directly, as a multiply returning a subnormal can cost a microcode
	// assist.
	return math.Float64frombits(uint64(i))
}

// SigmoidBackward64 sets dx[i] = dy[i]·y[i]·(1-y[i]) for every i, the
// gradient of the sigmoid given its output y: y - y·y is rounded once
// (math.FMA), then multiplied by dy, so the result is within 1.5 ULP of
// the exact expression (barring overflow). A NaN dy gives that NaN
// quieted; else a NaN y gives that NaN quieted. dx may be dy or y itself
// (in place); it must not otherwise overlap them. It panics if the lengths
// differ or dx partially overlaps an input.
func SigmoidBackward64(dx, dy, y []float64) {
	if check.BadBackward(dx, dy, y) {
		check.PanicBackward("fallback", "SigmoidBackward64", "y", dx, dy, y)
	}
	dx = dx[:len(y)]
	dy = dy[:len(y)]
	for i, v := range y {
		d := dy[i]
		r := d * math.FMA(-v, v, v)
		if r != r {
			r = backwardNaN64(d, v, r)
		}
		dx[i] = r
	}
}

// backwardNaN64 is backwardNaN32 for float64.
func backwardNaN64(dy, y, r float64) float64 {
	switch {
	case dy != dy:
		return quiet64(dy)
	case y != y:
		return quiet64(y)
	}
	return r
}
