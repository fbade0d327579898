package main

import (
	"math"
	"math/big"
)

// prec is the working precision of the constants' computation, far beyond
// float64's, so that each constant is rounded once, to its element type.
const prec = 256

func bigf(x float64) *big.Float { return new(big.Float).SetPrec(prec).SetFloat64(x) }

// ln2 to 60 digits.
var ln2, _ = new(big.Float).SetPrec(prec).SetString("0.693147180559945309417232121458176568075500134360255254120680009")

// ln2Split returns ln 2 as hi+lo in the element type: hi is ln 2 rounded,
// lo the rest rounded, so that hi+lo is good to about twice the precision.
func ln2Split(e elem) (hi, lo float64) {
	h, _ := ln2.Float64()
	hi = e.round(h)
	l, _ := new(big.Float).Sub(ln2, bigf(hi)).Float64()
	return hi, e.round(l)
}

// expTable holds 2^(j/N) for j in [0, N) as pairs hi·(1 + rel) in the
// element type: hi is the value rounded, rel the relative rest, rounded, so
// that hi·(1 + rel) is good to about twice the precision. The kernels fold
// rel into the polynomial's low-order term rather than rounding 2^(j/N)
// once more. N is a power of two, so 2^(j/N) is 2^j's square root taken
// log2 N times.
func expTable(n int, e elem) (hi, rel []float64) {
	hi = make([]float64, n)
	rel = make([]float64, n)
	for j := range n {
		v := bigf(math.Exp2(float64(j)))
		for range log2(n) {
			v.Sqrt(v)
		}
		h, _ := v.Float64()
		hi[j] = e.round(h)
		d := new(big.Float).Sub(v, bigf(hi[j]))
		r, _ := d.Quo(d, bigf(hi[j])).Float64()
		rel[j] = e.round(r)
	}
	return hi, rel
}

// expm1Over is (e^-s - 1)/s, from its Taylor series: -Σ (-s)^i/(i+1)!, i ≥ 0.
func expm1Over(s *big.Float) *big.Float {
	sum := bigf(0)
	term := bigf(-1) // -(-s)^i/(i+1)!
	negS := new(big.Float).Neg(s)
	for i := 0; i < 60; i++ {
		sum.Add(sum, term)
		term.Mul(term, negS)
		term.Quo(term, bigf(float64(i+2)))
	}
	return sum
}

// expPoly returns u(s) = c[0] + c[1] s + … so that 1 + s·u(s) ≈ e^-s on
// |s| ≤ h: u interpolates (e^-s - 1)/s at Chebyshev nodes, which is within a
// small factor of the minimax polynomial and needs no iteration. The
// coefficients are rounded to the element type (the error that adds is far
// below the fit's on the intervals used here).
func expPoly(h float64, degree int, e elem) []float64 {
	// degree is the degree in s of 1 + s·u(s); u has degree-1.
	return chebFit(expm1Over, -h, h, degree, e)
}

// tanhOver is (tanh y - y)/y³ for s = y², from the series of sinh and
// cosh: (sinh y - y·cosh y)/(y³·cosh y) = Σ_{k≥1} -2k/(2k+1)!·s^(k-1)
// over Σ_{k≥0} s^k/(2k)!, so that nothing cancels.
func tanhOver(s *big.Float) *big.Float {
	num, den := bigf(0), bigf(0)
	pow := bigf(1)  // s^i
	fact := bigf(1) // (2i)!
	for i := 0; i < 60; i++ {
		den.Add(den, new(big.Float).Quo(pow, fact))
		// term i of the numerator, k = i+1: -2k/(2k+1)!·s^i
		k := float64(i + 1)
		f1 := new(big.Float).Mul(fact, bigf((2*k-1)*(2*k)*(2*k+1)))
		t := new(big.Float).Quo(pow, f1)
		num.Sub(num, t.Mul(t, bigf(2*k)))
		fact.Mul(fact, bigf((2*k-1)*(2*k)))
		pow.Mul(pow, s)
	}
	return num.Quo(num, den)
}

// tanhPoly returns P(s) = c[0] + c[1] s + … of degree-1 so that tanh x ≈
// x + x·s·P(s), s = x², for |x| < small: P interpolates (tanh x - x)/x³
// at Chebyshev nodes of [0, small²].
func tanhPoly(small float64, degree int, e elem) []float64 {
	return chebFit(tanhOver, 0, small*small, degree, e)
}

// chebFit returns the coefficients c[0] + c[1] s + … of the polynomial of
// degree m-1 that interpolates f at the m Chebyshev nodes of [lo, hi],
// rounded to the element type.
func chebFit(f func(*big.Float) *big.Float, lo, hi float64, m int, e elem) []float64 {
	xs := make([]*big.Float, m)
	dd := make([]*big.Float, m)
	mid, half := (lo+hi)/2, (hi-lo)/2
	for i := range m {
		xs[i] = bigf(mid + half*math.Cos(math.Pi*(float64(i)+0.5)/float64(m)))
		dd[i] = f(xs[i])
	}
	// Newton divided differences, then expand into monomial coefficients.
	for k := 1; k < m; k++ {
		for i := m - 1; i >= k; i-- {
			num := new(big.Float).Sub(dd[i], dd[i-1])
			den := new(big.Float).Sub(xs[i], xs[i-k])
			dd[i] = num.Quo(num, den)
		}
	}
	coef := make([]*big.Float, m)
	for i := range coef {
		coef[i] = bigf(0)
	}
	for k := m - 1; k >= 0; k-- {
		// coef = coef*(s - xs[k]) + dd[k]
		for i := m - 1; i > 0; i-- {
			t := new(big.Float).Mul(xs[k], coef[i])
			coef[i] = t.Sub(coef[i-1], t)
		}
		t := new(big.Float).Mul(xs[k], coef[0])
		coef[0] = t.Sub(dd[k], t)
	}
	out := make([]float64, m)
	for i, c := range coef {
		f, _ := c.Float64()
		out[i] = e.round(f)
	}
	return out
}

// atanhOver is 2(atanh z - z)/z³ for s = z²: 2·Σ_{k≥1} s^(k-1)/(2k+1), so
// that log(1+E) = 2 atanh z = 2z + z·s·P(s) with z = E/(2+E).
func atanhOver(s *big.Float) *big.Float {
	sum := bigf(0)
	pow := bigf(2) // 2·s^(k-1)
	for k := 1; k < 200; k++ {
		sum.Add(sum, new(big.Float).Quo(pow, bigf(float64(2*k+1))))
		pow.Mul(pow, s)
	}
	return sum
}

// softplusPoly returns P(s) = c[0] + c[1] s + … of degree-1 so that
// log(1+E) ≈ 2z + z·s·P(s), s = z², for z = E/(2+E) in [0, 1/3] (E in
// [0, 1]): P interpolates atanhOver at Chebyshev nodes of [0, 1/9].
func softplusPoly(degree int, e elem) []float64 {
	return chebFit(atanhOver, 0, 1.0/9, degree, e)
}
