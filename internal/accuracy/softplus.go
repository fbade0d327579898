package accuracy

import (
	"fmt"
	"math"
)

// SoftplusWide is the float32 Softplus reference: max(x, 0) +
// log1p(e^-|x|) in float64 (exp and math.Log1p each within an ulp,
// the sum rounded once: within about 2^-51 relative, some 2^-27 ULP of
// float32). NaN gives NaN.
func SoftplusWide(x float32) float64 {
	v := float64(x)
	return math.Max(v, 0) + math.Log1p(exp(-math.Abs(v)))
}

// SweepAllSoftplus is SweepAll for Softplus: the kernels' results against
// SoftplusWide under Softplus's rules (see CheckSoftplus).
func SweepAllSoftplus(fs []Func, stride uint32, bound float64) []Stats {
	return sweepAll(softplusRules, fs, stride, bound)
}

var softplusRules = rulesOf(SoftplusWide, func(x, got float32, exact, bound float64) (float64, string) {
	u := ULP(got, exact)
	return u, softplusWhy(x, got, exact, u, bound)
})

// CheckSoftplus returns "" if got is a correct Softplus result for x under
// its rules with the given ULP bound, else what is wrong: NaN gives that
// NaN quieted, +Inf +Inf and -Inf +0; every other result is finite, at
// least max(x, 0), and within bound ULPs of SoftplusWide(x).
func CheckSoftplus(x, got float32, bound float64) string {
	var exact float64
	if x == x {
		exact = SoftplusWide(x)
	}
	return softplusWhy(x, got, exact, ULP(got, exact), bound)
}

// CheckSoftplus64 is CheckSoftplus for float64 against SoftplusExact64 in
// ULP64; it also returns the error.
func CheckSoftplus64(x, got, bound float64) (u float64, why string) {
	hi, lo := SoftplusExact64(x)
	u = ULP64(got, hi, lo)
	return u, softplusWhy(x, got, hi, u, bound)
}

// softplusWhy applies Softplus's rules to got, whose error against the
// exact value (rounded: exact) is u ULPs.
func softplusWhy[F float32 | float64](x, got F, exact, u, bound float64) string {
	switch {
	case x != x:
		return nanWhy(x, got)
	case math.IsInf(float64(x), 0):
		if want := F(math.Max(float64(x), 0)); got != want || math.Signbit(float64(got)) {
			return fmt.Sprintf("%v gave %v, want exactly %v", x, got, want)
		}
		return ""
	case got != got || math.IsInf(float64(got), 0):
		return fmt.Sprintf("x=%v gave %v, not finite", x, got)
	case got < x || got < 0 || math.Signbit(float64(got)):
		return fmt.Sprintf("x=%v gave %v, below max(x, +0)", x, got)
	case !(u <= bound):
		return fmt.Sprintf("x=%v (%s) gave %v (%s), exact %.17g: error %.4g ULP > %v", x, bitsHex(x), got, bitsHex(got), exact, u, bound)
	}
	return ""
}

// bitsHex is x's bit pattern in hex, 8 or 16 digits.
func bitsHex[F float32 | float64](x F) string {
	if v, ok := any(x).(float32); ok {
		return fmt.Sprintf("%#08x", math.Float32bits(v))
	}
	return fmt.Sprintf("%#016x", math.Float64bits(float64(x)))
}

// SoftplusExact64 is log(1 + e^x) as a pair in the form of Exact64: hi the
// exact value rounded to the nearest float64, lo the rest (scaled as Tiny64
// says below it), to about 2^-100 relative. With E = e^-|x| = m·2^k
// (expDD), L = log(1 + E) = 2 atanh z, z = E/(2 + E) ≤ 1/3, by its series
// in double-double (z² ≤ 1/9: at most 35 terms to reach 2^-110, fewer
// for smaller z), with z kept scaled by 2^-k so that subnormal results
// (x < -708.4) are rounded once; the result is max(x, 0) + L. NaN gives
// NaN, +Inf +Inf, -Inf 0; beyond |x| = 1490 E is below 2^-2149 and the
// pair is x, 0 or 0, 0.
func SoftplusExact64(x float64) (hi, lo float64) {
	a := math.Abs(x)
	switch {
	case x != x:
		return x, 0
	case a > 1490:
		return math.Max(x, 0), 0
	}
	m, k := expDD(-a)
	e := dd{ldexp(m.hi, k), ldexp(m.lo, k)}
	zs := div(m, addF(e, 2)) // z·2^-k
	z := dd{ldexp(zs.hi, k), ldexp(zs.lo, k)}
	z2 := mul(z, z)
	// The terms past the n-th add at most 1.125·(z²)^n < 2^-110 (the sum
	// is at least 1): n = 110/log2(1/z²), at most 35.
	n := len(oddReciprocals)
	if z2.hi < 0x1p-4 {
		n = min(n, 1+int(110/-math.Log2(z2.hi)))
	}
	sum := dd{0, 0}
	for i := n - 1; i >= 0; i-- {
		sum = add(mul(sum, z2), oddReciprocals[i])
	}
	l := mul(zs, dd{2 * sum.hi, 2 * sum.lo}) // L·2^-k
	if x <= 0 {
		return encode(l, k)
	}
	r := addF(dd{ldexp(l.hi, k), ldexp(l.lo, k)}, x)
	return r.hi, r.lo
}

// oddReciprocals are 1/(2i+1) in double-double, the coefficients of
// SoftplusExact64's atanh series.
var oddReciprocals = func() (c [35]dd) {
	for i := range c {
		c[i] = div(dd{1, 0}, dd{float64(2*i + 1), 0})
	}
	return c
}()
