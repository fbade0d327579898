package accuracy

import (
	"math"
	"math/big"
)

// Double-double ("double-word") arithmetic: a value is the unevaluated sum
// hi+lo of two float64s with hi = RN(hi+lo), so |lo| <= ulp(hi)/2, about
// 106 bits. With u = 2^-53, the operations below are the FMA-based
// algorithms of Joldes, Muller and Popescu, "Tight and rigorous error
// bounds for basic building blocks of double-word arithmetic" (2017): the
// relative error of addF and mulF is at most 2u^2, of add 3u^2, of mul
// 4u^2; div is a three-term long division, within about 2u^2.
type dd struct{ hi, lo float64 }

// twoSum returns s = RN(a+b) and e with s+e = a+b exactly.
func twoSum(a, b float64) (s, e float64) {
	s = a + b
	bv := s - a
	e = (a - (s - bv)) + (b - bv)
	return s, e
}

// fastTwoSum is twoSum for |a| >= |b| (or a = 0).
func fastTwoSum(a, b float64) (s, e float64) {
	s = a + b
	e = b - (s - a)
	return s, e
}

// twoProd returns p = RN(a*b) and e with p+e = a*b exactly (barring
// underflow). The conversion makes p a rounded product: without it, once
// inlined, arm64 and riscv64 fuse a*b into the caller's x - p.
func twoProd(a, b float64) (p, e float64) {
	p = float64(a * b)
	return p, math.FMA(a, b, -p)
}

// addF returns x+y (DWPlusFP).
func addF(x dd, y float64) dd {
	sh, sl := twoSum(x.hi, y)
	h, l := fastTwoSum(sh, x.lo+sl)
	return dd{h, l}
}

// add returns x+y (AccurateDWPlusDW).
func add(x, y dd) dd {
	sh, sl := twoSum(x.hi, y.hi)
	th, tl := twoSum(x.lo, y.lo)
	vh, vl := fastTwoSum(sh, sl+th)
	h, l := fastTwoSum(vh, tl+vl)
	return dd{h, l}
}

// mulF returns x*y (DWTimesFP3).
func mulF(x dd, y float64) dd {
	ch, cl := twoProd(x.hi, y)
	h, l := fastTwoSum(ch, math.FMA(x.lo, y, cl))
	return dd{h, l}
}

// mul returns x*y (DWTimesDW3).
func mul(x, y dd) dd {
	ch, cl := twoProd(x.hi, y.hi)
	t := math.FMA(x.hi, y.lo, x.lo*y.lo)
	t = math.FMA(x.lo, y.hi, t)
	h, l := fastTwoSum(ch, cl+t)
	return dd{h, l}
}

// div returns x/y for y.hi != 0: quotient digits q1, q2, q3, each the
// remainder's leading part over y.hi. The first remainder x - q1*y is
// formed from exact products (x.hi - q1*y.hi is exact by Sterbenz) and
// carries no error above 2^-150 relative; the later ones need less.
func div(x, y dd) dd {
	q1 := x.hi / y.hi
	p, pe := twoProd(q1, y.hi)
	m, me := twoProd(q1, y.lo)
	s, e := twoSum(x.hi-p, x.lo)
	r := addF(addF(addF(dd{s, e}, -pe), -m), -me)
	q2 := r.hi / y.hi
	r = add(r, mulF(y, -q2))
	q3 := r.hi / y.hi
	h, l := fastTwoSum(q1, q2)
	return addF(dd{h, l}, q3)
}

// Constants of the double-double exp, computed once from math/big.
var (
	// ln2/64 = ln2c1 + ln2c2 + ln2c3 to about 2^-166; ln2c1 has 32
	// significant bits, so n*ln2c1 is exact for |n| < 2^21.
	ln2c1, ln2c2, ln2c3 float64
	// exp2j[j] is 2^(j/64) to within 2^-106 relative.
	exp2j [64]dd
	// invFact[n] is 1/n! to within 2^-105 relative.
	invFact [expTerms + 1]dd
)

// expTerms is the degree of the Taylor polynomial of e^r, |r| <= ln2/128:
// the first omitted term r^14/14! is below 2^-140.
const expTerms = 13

func init() {
	const prec = 320
	// ln2 = 2 atanh(1/3) = sum of 2/((2i+1) 3^(2i+1)); 150 terms give
	// far more than prec bits.
	ln2 := new(big.Float).SetPrec(prec)
	pow := new(big.Float).SetPrec(prec).SetInt64(3)
	for i := int64(0); i < 150; i++ {
		t := new(big.Float).SetPrec(prec).SetInt64(2)
		t.Quo(t, new(big.Float).SetPrec(prec).Mul(pow, new(big.Float).SetInt64(2*i+1)))
		ln2.Add(ln2, t)
		pow.Mul(pow, big.NewFloat(9))
	}
	c := new(big.Float).SetPrec(prec).Quo(ln2, big.NewFloat(64))
	f, _ := c.Float64()
	ln2c1 = math.Float64frombits(math.Float64bits(f) &^ (1<<21 - 1))
	c.Sub(c, big.NewFloat(ln2c1))
	ln2c2, _ = c.Float64()
	c.Sub(c, big.NewFloat(ln2c2))
	ln2c3, _ = c.Float64()

	// 2^(1/64) as six square roots of 2, then its powers.
	root := new(big.Float).SetPrec(prec).SetInt64(2)
	for range 6 {
		root.Sqrt(root)
	}
	v := new(big.Float).SetPrec(prec).SetInt64(1)
	for j := range exp2j {
		exp2j[j] = bigDD(v)
		v.Mul(v, root)
	}
	fact := new(big.Float).SetPrec(prec).SetInt64(1)
	for n := range invFact {
		if n > 0 {
			fact.Mul(fact, new(big.Float).SetInt64(int64(n)))
		}
		invFact[n] = bigDD(new(big.Float).SetPrec(prec).Quo(big.NewFloat(1), fact))
	}
}

// bigDD rounds v (in the normal float64 range) to a double-double.
func bigDD(v *big.Float) dd {
	hi, _ := v.Float64()
	lo, _ := new(big.Float).SetPrec(v.Prec()).Sub(v, big.NewFloat(hi)).Float64()
	return dd{hi, lo}
}

// expDD returns m and k with e^t = m * 2^k, m in [0.99, 2.01), for t in
// [-1500, 1500]. The relative error of m is below about 8u^2: u^2 for the
// table, 3u^2 for the last Horner step (the earlier ones are scaled down
// by powers of r), 4u^2 for the product; the reduction and the truncated
// series add less than 2^-130.
func expDD(t float64) (m dd, k int) {
	// t = n*ln2/64 + r, n = 64k + j, |r| <= ln2/128 (slightly more if n
	// is off by one through rounding, which changes nothing below).
	n := math.Round(t * (64 / math.Ln2))
	// t - n*ln2c1 is exact: n = 0 for |t| < ln2/128, and otherwise t and
	// n*ln2c1 (at most 50 bits) are multiples of 2^-60 and their
	// difference is below 2^-7.
	s := t - n*ln2c1
	ph, pl := twoProd(n, ln2c2)
	rh, rl := twoSum(s, -ph)
	rh, rl = fastTwoSum(rh, rl-pl-n*ln2c3)
	r := dd{rh, rl}

	// e^r: Taylor terms from r^7 on in float64 (below 2^-52, so their
	// rounding stays below 2^-110), then Horner in double-double.
	p := invFact[expTerms].hi
	for i := expTerms - 1; i >= 7; i-- {
		p = p*rh + invFact[i].hi
	}
	q := dd{p, 0}
	for i := 6; i >= 0; i-- {
		q = add(mul(q, r), invFact[i])
	}
	ni := int(n)
	return mul(exp2j[ni&63], q), ni >> 6
}

// pow2 returns 2^k for k in [-1022, 1023].
func pow2(k int) float64 {
	return math.Float64frombits(uint64(k+1023) << 52)
}

// ldexp is math.Ldexp (x*2^k rounded once), with a fast path.
func ldexp(x float64, k int) float64 {
	if k >= -1022 && k <= 1023 {
		return x * pow2(k) // one rounding, and only if the result is subnormal
	}
	return math.Ldexp(x, k)
}
