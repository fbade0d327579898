package main

import (
	"fmt"
	"math"
	"math/big"
	"testing"
)

// The polynomial of every variant the generator emits must keep e^-s to
// within 2^-(p+4) relative on its interval, p the element's precision, or
// the sigmoid's 1-ULP bound fails. The error is measured at high precision.
func TestExpPolyError(t *testing.T) {
	for _, e := range []elem{f32, f64} {
		h := math.Ln2 / float64(2*e.tableSize) * 1.001
		c := expPoly(h, e.polyDegree, e)
		worst := 0.0
		for i := -400; i <= 400; i++ {
			s := bigf(h * float64(i) / 400)
			u := bigf(0)
			for k := len(c) - 1; k >= 0; k-- {
				u.Mul(u, s).Add(u, bigf(c[k]))
			}
			// 1 + s·u against e^-s, from its own series.
			want, term := bigf(0), bigf(1)
			for k := 1; k < 60; k++ {
				want.Add(want, term)
				term.Mul(term, s).Quo(term, bigf(float64(-k)))
			}
			got := new(big.Float).Mul(s, u)
			got.Add(got, bigf(1))
			rel, _ := got.Sub(got, want).Quo(got, want).Float64()
			worst = max(worst, math.Abs(rel))
		}
		t.Logf("%s: N=%d degree %d: max relative error 2^%.1f", e.name, e.tableSize, e.polyDegree, math.Log2(worst))
		if limit := math.Exp2(float64(-e.precision() - 4)); worst > limit {
			t.Errorf("%s: polynomial error 2^%.1f exceeds 2^%d", e.name, math.Log2(worst), -e.precision()-4)
		}
	}
}

func TestExpTable(t *testing.T) {
	for _, e := range []elem{f32, f64} {
		hi, rel := expTable(16, e)
		for j := range hi {
			want := bigf(math.Exp2(float64(j)))
			for range 4 {
				want.Sqrt(want)
			}
			got := new(big.Float).Mul(bigf(hi[j]), bigf(rel[j]))
			got.Add(got, bigf(hi[j]))
			off, _ := got.Sub(got, want).Quo(got, want).Float64()
			if limit := math.Exp2(float64(-2*e.precision() + 2)); math.Abs(off) > limit {
				t.Errorf("%s j=%d: hi·(1+rel) off by 2^%.1f", e.name, j, math.Log2(math.Abs(off)))
			}
		}
	}
}

func TestLn2Split(t *testing.T) {
	for _, e := range []elem{f32, f64} {
		hi, lo := ln2Split(e)
		got := new(big.Float).Add(bigf(hi), bigf(lo))
		rel, _ := got.Sub(got, ln2).Quo(got, ln2).Float64()
		if limit := math.Exp2(float64(-2*e.precision() + 1)); math.Abs(rel) > limit {
			t.Errorf("%s: ln2hi+ln2lo off by 2^%.1f", e.name, math.Log2(math.Abs(rel)))
		}
	}
}

// softplusPolyError is the largest relative error of 2z + z·s·P(s) against
// 2 atanh z = log((1+z)/(1-z)) over z in [0, 1/3], at high precision.
func softplusPolyError(c []float64) float64 {
	worst := 0.0
	for i := 1; i <= 600; i++ {
		z := bigf(float64(i) / 1800)
		s := new(big.Float).Mul(z, z)
		p := bigf(0)
		for k := len(c) - 1; k >= 0; k-- {
			p.Mul(p, s).Add(p, bigf(c[k]))
		}
		got := new(big.Float).Mul(z, s)
		got.Mul(got, p).Add(got, new(big.Float).Add(z, z))
		want := new(big.Float).Mul(z, new(big.Float).Mul(z, atanhOver(s)))
		want.Add(want, bigf(2)).Mul(want, z)
		rel, _ := got.Sub(got, want).Quo(got, want).Float64()
		worst = max(worst, math.Abs(rel))
	}
	return worst
}

// Softplus's polynomial must keep log(1+E) within 2^-(p+4) relative.
func TestSoftplusPolyError(t *testing.T) {
	for _, e := range []elem{f32, f64} {
		for d := e.softplusDegree - 2; d <= e.softplusDegree; d++ {
			t.Logf("%s: degree %d: 2^%.1f", e.name, d, math.Log2(softplusPolyError(softplusPoly(d, e))))
		}
		worst := softplusPolyError(softplusPoly(e.softplusDegree, e))
		if limit := math.Exp2(float64(-e.precision() - 4)); worst > limit {
			t.Errorf("%s: polynomial error 2^%.1f exceeds 2^%d", e.name, math.Log2(worst), -e.precision()-4)
		}
	}
}

// tanhPolyError is the largest relative error of x + x·s·P(s), s = x²,
// against tanh x over x in (0, small], at high precision.
func tanhPolyError(c []float64, small float64) float64 {
	worst := 0.0
	for i := 1; i <= 600; i++ {
		x := bigf(small * float64(i) / 600)
		s := new(big.Float).Mul(x, x)
		p := bigf(0)
		for k := len(c) - 1; k >= 0; k-- {
			p.Mul(p, s).Add(p, bigf(c[k]))
		}
		got := new(big.Float).Mul(x, s)
		got.Mul(got, p).Add(got, x)
		want := new(big.Float).Mul(x, new(big.Float).Mul(s, tanhOver(s)))
		want.Add(want, x)
		rel, _ := got.Sub(got, want).Quo(got, want).Float64()
		worst = max(worst, math.Abs(rel))
	}
	return worst
}

// Tanh's polynomial must keep tanh x within 2^-(p+3) relative below
// tanhSmall, and with one coefficient fewer it must not.
func TestTanhPolyError(t *testing.T) {
	for _, e := range []elem{f32, f64} {
		limit := math.Exp2(float64(-e.precision() - 3))
		for d := e.tanhDegree - 1; d <= e.tanhDegree; d++ {
			worst := tanhPolyError(tanhPoly(e.tanhSmall, d, e), e.tanhSmall)
			t.Logf("%s: degree %d below %g: 2^%.1f", e.name, d, e.tanhSmall, math.Log2(worst))
			if d == e.tanhDegree && worst > limit {
				t.Errorf("%s: polynomial error 2^%.1f exceeds 2^%d", e.name, math.Log2(worst), -e.precision()-3)
			}
			if d < e.tanhDegree && worst <= limit {
				t.Errorf("%s: %d coefficients would do (2^%.1f)", e.name, d, math.Log2(worst))
			}
		}
	}
}

// TestTanhExpScaled checks that tanh's exp constants are e^-x's times
// exact powers of 2 (-log2 e and the polynomial's c_i doubled, 2^(i+1)
// times; ln 2's parts and the table halved), which is what lets tanh's
// exp of a give e^-2a/2 with the bits of e^-x's at 2a.
func TestTanhExpScaled(t *testing.T) {
	for _, el := range []elem{f32, f64} {
		k := newConsts(variant{elem: el})
		check := func(name string, c, d *constant, scale float64) {
			t.Helper()
			if len(c.bits) != len(d.bits) {
				t.Fatalf("%s %s: %d entries, want %d", el.name, name, len(d.bits), len(c.bits))
			}
			for i := range c.bits {
				if got, want := el.value(d.bits[i]), el.value(c.bits[i])*scale; got != want || el.round(want) != want {
					t.Errorf("%s %s[%d] = %v, want %v exactly", el.name, name, i, got, want)
				}
			}
		}
		x, h := k.exp, k.tanhExp
		check("negLog2e", x.negLog2e, h.negLog2e, 2)
		check("ln2hi", x.ln2hi, h.ln2hi, 0.5)
		check("ln2lo", x.ln2lo, h.ln2lo, 0.5)
		check("tabHi", x.tabHi, h.tabHi, 0.5)
		if len(h.poly) != len(x.poly) {
			t.Fatalf("%s: %d coefficients, want %d", el.name, len(h.poly), len(x.poly))
		}
		for i := range x.poly {
			check(fmt.Sprintf("poly%d", i), x.poly[i], h.poly[i], math.Ldexp(1, i+1))
		}
	}
}
