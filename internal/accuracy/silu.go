package accuracy

import (
	"fmt"
	"math"
)

// SiLU references: x·sigmoid(x) = x/(1+e^-x) and its derivative
// silu'(x) = sigmoid(x)·(1 + x·sigmoid(-x)).

// SiLUWide is the float32 reference: x·sigmoid(x) in float64, within
// about 2^-51 relative of the exact value (SigmoidWide, and the product
// rounded once).
func SiLUWide(x float32) float64 {
	return float64(x) * SigmoidWide(x)
}

// SiLUDerivWide is the float32 reference for silu'(x) = σ(x)·(1 + x·σ(-x)):
// with e = e^-x in float64, σ(x) = 1/(1+e) and σ(-x) = e·σ(x), so that it
// is within about 2^-49 relative, and 2^-53 absolute next to its zero at
// x ≈ -1.2785. (Where e overflows, x < -709, σ(x) is 0 and the result -0,
// as it rounds in float32.)
func SiLUDerivWide(x float32) float64 {
	y := float64(x)
	e := exp(-y)
	s := 1 / (1 + e)
	if e > math.MaxFloat64 {
		return s * (1 + y)
	}
	return s * (1 + y*(e*s))
}

// SiLUExact64 is x/(1+e^-x) as a pair in the form of Exact64: hi the
// exact value rounded to the nearest float64, lo the rest (counted in
// units of 2^-1074 where |hi| < Tiny64), to about 2^-100 relative. NaN
// gives NaN, +Inf +Inf, -Inf -0 and ±0 ±0.
func SiLUExact64(x float64) (hi, lo float64) {
	switch {
	case x != x || x == 0 || math.IsInf(x, 1):
		return x, 0
	case x < -1490:
		return math.Copysign(0, -1), 0
	case x >= 0:
		s, sl := Exact64(x)
		p := mulF(dd{s, sl}, x)
		return p.hi, p.lo
	}
	// x·e^x/(1+e^x) = x·m/(1+m·2^k) · 2^k, kept scaled until the end.
	m, k := expDD(x)
	q := div(m, addF(dd{ldexp(m.hi, k), ldexp(m.lo, k)}, 1))
	return encode(mulF(q, x), k)
}

// SiLUBackwardExact64 is dy·silu'(x) as a double-double hi+lo (never
// scaled as Exact64 does below Tiny64), to about 2^-100 relative away from
// the zero of silu' and 2^-104·|dy| absolute next to it. For x < -600,
// where |silu'(x)| < 2^-850, it is the float64 product dy·e^x·(1+x):
// within 2^-54·|dy|, the absolute bound its users allow. Non-finite inputs
// give the float64 product of dy and the derivative's limit (1 for +Inf, 0
// for -Inf), NaN their NaN.
func SiLUBackwardExact64(dy, x float64) (hi, lo float64) {
	switch {
	case dy != dy || x != x:
		return dy + x, 0
	case x > 600:
		return dy, 0 // silu' = 1 + x·e^-x·(…) is 1 to within 2^-850
	case x < -600:
		return dy * (exp(x) * (1 + x)), 0
	}
	s, sl := Exact64(x)
	t, tl := Exact64(-x)
	// 1 + x·sigmoid(-x), then times sigmoid(x), then dy.
	g := mul(dd{s, sl}, addF(mulF(dd{t, tl}, x), 1))
	p := mulF(g, dy)
	return p.hi, p.lo
}

// CheckSiLU returns "" if got is a correct SiLU result for x under its
// rules with the given ULP bound, else what is wrong: NaN gives that NaN
// quieted, +Inf +Inf, -Inf -0, ±0 ±0 (bit for bit), every other result has
// x's sign and is within bound ULPs of SiLUWide(x).
func CheckSiLU(x, got float32, bound float64) string {
	var exact float64
	if x == x {
		exact = SiLUWide(x)
	}
	_, why := checkSiLU(x, got, exact, bound)
	return why
}

// siluRules are SiLU's rules for the sweeps.
var siluRules = rulesOf(SiLUWide, checkSiLU)

// checkSiLU is CheckSiLU with the exact value given (anything for a NaN x).
func checkSiLU(x, got float32, exact, bound float64) (u float64, why string) {
	bits := math.Float32bits
	switch {
	case x != x:
		return 0, nanWhy(x, got)
	case math.IsInf(float64(x), 1):
		if !math.IsInf(float64(got), 1) {
			return math.Inf(1), fmt.Sprintf("+Inf gave %v, want +Inf", got)
		}
		return 0, ""
	case math.IsInf(float64(x), -1) || x == 0:
		want := bits(x) & (1 << 31) // -0 for -Inf and -0, +0 for +0
		if bits(got) != want {
			return math.Inf(1), fmt.Sprintf("%v gave %#08x, want %#08x", x, bits(got), want)
		}
		return 0, ""
	}
	u = ULP(got, exact)
	if math.Signbit(float64(got)) != math.Signbit(float64(x)) {
		return u, fmt.Sprintf("x=%v (%#08x) gave %v: the sign differs", x, bits(x), got)
	}
	if !(u <= bound) {
		return u, fmt.Sprintf("x=%v (%#08x) gave %v (%#08x), exact %.10g: error %.4g ULP > %v", x, bits(x), got, bits(got), exact, u, bound)
	}
	return u, ""
}
