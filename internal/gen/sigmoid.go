package main

import (
	"fmt"
	"math"
)

// variant is one instantiation of the algorithm: an ISA with its vector
// width and an element type. The table size and the polynomial degree
// belong to the element type (elem), not to the ISA: every kernel computes
// the same operations in the same order, so that every kernel returns the
// same bits.
type variant struct {
	name   string // kernel name, as kernels.Active reports it
	suffix string // of the assembly symbols
	needs  string // the CPU features its code needs, for the docs (amd64: from each function's code)
	elem   elem
}

// sym prefixes the variant's data symbols: the float32 and float64 kernels
// of one ISA share a name.
func (v variant) sym() string {
	if v.elem == f64 {
		return v.name + "d"
	}
	return v.name
}

// variants are the amd64 kernels.
var variants = []variant{
	{name: "avx512", suffix: "AVX512", elem: f32},
	{name: "avx2", suffix: "AVX2", elem: f32},
	{name: "avx512", suffix: "AVX512", elem: f64},
	{name: "avx2", suffix: "AVX2", elem: f64},
}

// consts are the algorithm's constants for one variant. A backend decides
// whether each lives in a register or in memory.
type consts struct {
	clamp, large, negLarge, magic, one, tabRel *constant
	// exp is e^-x's reduction and polynomial; tanhExp takes e^-2a/2 from
	// a with the same operations (tanhCode).
	exp, tanhExp *expConsts
	// tanh's: |x|'s clamp, the bound of its polynomial's domain and the
	// polynomial.
	tanhClamp, tanhSmall *constant
	// The numbers nearest tanhClamp and -clamp towards 0, for only's
	// inclusive bounds.
	tanhBelowClamp, aboveNegClamp *constant
	tanhPoly                      []*constant
	// 0 for max(x, 0), 1/2 for 1 + E/2 (softplus) and 1/2 + E/2 (tanh),
	// -1 for 1 - t as an FMA; softplus's polynomial.
	zero, half, negOne, negZero *constant
	spPoly                      []*constant
	// the products dy·σ(x)'s: the tiny code's clamp of |x|, and what
	// tells an infinite dy.
	productClamp, inf, maxFinite *constant
	// the scaling of a factor by 2^S and of the result by 2^-S
	// (elem.productScale), the other way round where the scaled factor
	// overflows.
	upScale, downScale *constant
}

// expConsts are the constants of expFast and expNegParts: -log2 e, ln 2
// in two parts, e^-s's polynomial and the 2^(j/N) table.
type expConsts struct {
	negLog2e, ln2hi, ln2lo, tabHi *constant
	poly                          []*constant
}

// expSets are every set of exp constants the codes use, for the back
// ends that declare them or derive tables from them.
func (k *consts) expSets() []*expConsts { return []*expConsts{k.exp, k.tanhExp} }

// all lists the constants, for the back ends that declare them.
func (c *expConsts) all() []*constant {
	return append([]*constant{c.negLog2e, c.ln2hi, c.ln2lo, c.tabHi}, c.poly...)
}

// constant is a named broadcast value, or a table when len(bits) > 1: the
// bit patterns of elements of the variant's type.
type constant struct {
	name string
	bits []uint64
}

func newConsts(v variant) *consts {
	e := v.elem
	hi, rel := expTable(e.tableSize, e)
	ln2hi, ln2lo := ln2Split(e)
	k := &consts{
		// The tiny code's |x| is clamped there: past it every sigmoid
		// rounds to 0 and every SiLU to -0, and it keeps -Inf out of the
		// range reduction.
		clamp:    e.num("clamp", e.clamp),
		large:    e.num("large", e.fastLimit),
		negLarge: e.num("neglarge", -e.fastLimit),
		// Adding 1.5·2^(m-log2 N), m the mantissa bits, rounds to a multiple
		// of 1/N and leaves N·n' in the low mantissa bits, so the table
		// index is t's low bits.
		magic:  e.num("magic", 1.5*math.Exp2(float64(e.mant-log2(e.tableSize)))),
		one:    e.num("one", 1),
		tabRel: e.num("exptabrel", rel...),
		exp: &expConsts{
			negLog2e: e.num("neglog2e", -1/math.Ln2),
			ln2hi:    e.num("ln2hi", ln2hi),
			ln2lo:    e.num("ln2lo", ln2lo),
			tabHi:    e.num("exptabhi", hi...),
		},
	}
	h := math.Ln2 / float64(2*e.tableSize) * 1.001
	for i, p := range expPoly(h, e.polyDegree, e) {
		k.exp.poly = append(k.exp.poly, e.num("poly"+string(rune('0'+i)), p))
	}
	// e^-2a/2 from a: 2a's reduction is a's with -2·log2 e and ln 2/2,
	// which leaves s/2 in place of s; the polynomial's coefficients
	// c_i·2^(i+1) then give each Horner step's bits times 2^(i+1), so
	// that s/2 times the last is s·u; the table halved gives E/2. Every
	// step is e^-x's at 2a scaled by a power of 2: the same bits.
	half := func(c *constant) float64 { return e.value(c.bits[0]) / 2 }
	k.tanhExp = &expConsts{
		negLog2e: e.num("tanhneglog2e", -2/math.Ln2),
		ln2hi:    e.num("tanhln2hi", half(k.exp.ln2hi)),
		ln2lo:    e.num("tanhln2lo", half(k.exp.ln2lo)),
	}
	var halves []float64
	for _, b := range k.exp.tabHi.bits {
		halves = append(halves, e.value(b)/2)
	}
	k.tanhExp.tabHi = e.num("tanhexptabhi", halves...)
	for i, c := range k.exp.poly {
		k.tanhExp.poly = append(k.tanhExp.poly, e.num(fmt.Sprintf("tanhexppoly%d", i), math.Ldexp(e.value(c.bits[0]), i+1)))
	}
	k.tanhClamp = e.num("tanhclamp", e.tanhClamp)
	k.tanhBelowClamp = e.num("tanhbelowclamp", e.towardZero(e.tanhClamp))
	k.aboveNegClamp = e.num("abovenegclamp", e.towardZero(-e.clamp))
	k.tanhSmall = e.num("tanhsmall", e.tanhSmall)
	k.negOne = e.num("negone", -1)
	for i, p := range tanhPoly(e.tanhSmall, e.tanhDegree, e) {
		k.tanhPoly = append(k.tanhPoly, e.num(fmt.Sprintf("tanhpoly%d", i), p))
	}
	k.zero = e.num("zero", 0)
	k.negZero = e.num("negzero", math.Copysign(0, -1))
	k.half = e.num("half", 0.5)
	k.productClamp = e.num("productclamp", e.productClamp)
	k.inf = e.num("inf", math.Inf(1))
	k.maxFinite = pattern("maxfinite", e.bits(math.Inf(1))-1)
	k.upScale = e.num("scaleup", math.Ldexp(1, e.productScale))
	k.downScale = e.num("scaledown", math.Ldexp(1, -e.productScale))
	// P's coefficients scaled for logOf, c_i·4^-i/8, exactly: P'(S) =
	// P(S/4)/8 gives its Horner steps' bits times powers of 2.
	for i, p := range softplusPoly(e.softplusDegree, e) {
		k.spPoly = append(k.spPoly, e.num(fmt.Sprintf("sppoly%d", i), math.Ldexp(p, -2*i-3)))
	}
	return k
}

// scaledTable is the 2^(j/N) table tab with entry j's bits less
// j<<(mant - log2 N): adding t's bits shifted left by mant - log2 N, which
// are k<<mant + j<<(mant - log2 N), gives 2^k·2^(j/N)'s bits, where that
// is normal.
func scaledTable(tab *constant, v variant) *constant {
	shift := v.elem.mant - log2(v.elem.tableSize)
	c := &constant{name: tab.name + "scaled"}
	for j, b := range tab.bits {
		c.bits = append(c.bits, b-uint64(j)<<shift)
	}
	return c
}

func log2(n int) int {
	k := 0
	for 1<<k < n {
		k++
	}
	return k
}

// machine is what the algorithm needs from an ISA. Values are opaque
// handles (one register per unrolled vector); methods named ...To update
// their first argument in place, the others return a new value.
//
// Every arithmetic method is one correctly rounded operation (or exact), so
// that every back end, the pure-Go one included, computes the same bits:
// the algorithm fixes the operations and their order, the back ends only
// their encoding.
type machine interface {
	// requireFast leaves the fast code for the next code unless every
	// lane of x has |x| ≤ fastLimit and none is NaN.
	requireFast(x value)
	// requireTiny leaves the tiny code for the safe code unless every
	// lane of x is < -fastLimit (-Inf included) and none is NaN.
	requireTiny(x value)
	// requireNoNaN leaves the code for the safe code if any lane of y is
	// a NaN that may not follow the NaN rule (nanRule) as it is (the Go
	// code, at several lanes, sends only those lanes there).
	requireNoNaN(y value)
	absMin(x value, limit *constant) value        // min(|x|, limit) (NaN: any)
	fma(a value, b, c *constant) value            // a·b + c
	sub(a value, b operand) value                 // a - b
	add(a value, b operand) value                 // a + b
	mul(a value, b operand) value                 // a·b
	minOf(a value, b *constant) value             // min(a, b) (NaN: any)
	maxOf(a value, b *constant) value             // max(a, b) (NaN: any)
	fmaTo(acc, a value, b operand)                // acc += a·b
	fnmaTo(acc, a value, b operand)               // acc -= a·b
	mulSubFrom(acc, a value, b operand)           // acc = a·b - acc
	negMulAdd(a, b value, c operand) value        // c - a·b; a is consumed
	copyOf(x value) value                         // a copy of x
	neg(x value) value                            // -x: the sign bit flipped, NaNs' too
	setSign(y value)                              // y's sign bit set
	orSign(y, x value)                            // y's sign bit set where x's is (y's clear: copysign)
	above(y, x value, limit *constant, v operand) // y = v where x > limit (not NaN)
	subTo(acc, b value)                           // acc -= b
	addTo(acc, b value)                           // acc += b
	lookup(t value, table *constant) value        // table[low log2 N bits of t's bits]
	horner(s value, poly []*constant) value
	// expScaled returns 2^k·tab[j] for n = t - magic = k + j/N, exactly:
	// for the fast code, where it is a normal number. tab is an
	// expConsts' tabHi.
	expScaled(n, t value, tab *constant) value
	// exp2 returns 2^k, k = floor(n), n = t - magic, for scaleDown.
	exp2(t value) power
	// expTimes returns |f|'s significand in [1, 2) and the power
	// 2^(k+e) for scaleDown, k = floor(n) as exp2's and e f's exponent
	// (that of 2^-bias for a zero or subnormal f; f finite), raised to
	// 2^(1-bias-scaleBias) where it is below, since v·2^(k+e) rounds to 0
	// there for every v the products make (elem.scaleBias).
	expTimes(t, f value) (sig value, p power)
	// scaleDown sets v, v ≥ 0, to v·2^k rounded once, into the
	// subnormals where it falls there; v·2^(k+scaleBias) must be finite
	// (v below 2^12.5 with expTimes' powers, a few hundred with exp2's).
	scaleDown(v value, p power)
	recip(d value) value                  // 1/d, correctly rounded; d is consumed
	below(x value, c *constant) predicate // lanes where x < c (NaN: false)
	selectTo(p predicate, acc, v value)   // acc = v where p
	quietNaN(y, x value)                  // y = x with its quiet bit set, where x is NaN
	canonNaN(y value)                     // y = elem.canonNaN, where y is NaN
	// only returns f's value, which its caller reads only on lanes where
	// lo ≤ x ≤ hi (nil: no bound): the vector back ends compute it on
	// every lane, the Go kernel only for blocks with a lane in the bounds
	// (its one-element code only where it is read).
	only(x value, lo, hi *constant, f func() value) value
	// saturated sets y = v on the lanes where x lies outside [lo, hi]
	// (nil: no bound), x not NaN, for a y that only computed with those
	// bounds and that gives v there already (x at a clamp: tanh rounds to
	// 1, the sigmoid of -clamp to 0): the vector back ends, which computed
	// y there, leave it; the Go kernel, whose only skipped those lanes,
	// sets v.
	saturated(y, x value, lo, hi, v *constant)
	// hold keeps x, an input as loaded, for release to give back, as
	// often as needed, once x itself has been consumed: x86 and NEON load
	// it again from memory where they can, so that no register holds it
	// in between; elsewhere each release is a copy of a kept copy.
	hold(x value) held
	release(h held) value
}

type value any

// results is what a code of a function of several outputs returns: one
// value per output, in the order of its output parameters.
type results []value

// asValues is a code's return as one value per output.
func asValues(y value) []value {
	if rs, ok := y.(results); ok {
		return rs
	}
	return []value{y}
}

type held any
type predicate any
type power any

// operand is a value or a constant.
type operand any

// Every function computes each lane by one of its codes, chosen by that
// lane's inputs alone: the fast code for |x| ≤ fastLimit, the tiny code for
// x < -fastLimit, and for the other lanes (x > fastLimit, NaN) the safe
// code's own fix-ups. A block of lanes runs the fast code if every lane
// allows it, else the tiny code if every lane allows that, else the safe
// code, which computes both on every lane and keeps for each the one its
// input calls for: so an element's result never depends on its neighbours.

// sigmoidFast is the sigmoid where |x| ≤ fastLimit and x is not NaN. There
// E = e^-x lies within [2^-47, 2^47] (float32; [2^-739, 2^739] for
// float64): nothing overflows, nothing is subnormal, so the textbook
// y = 1/(1 + E) holds for both signs, and since E ≥ 0 nothing cancels: a
// relative error ε in D = 1 + E is at most ε in y. D is carried as Dh + Dl
// to well below an ulp and the reciprocal is corrected once with its
// residual, so that the only rounding that matters is the last one.
func sigmoidFast(m machine, k *consts, x value) value {
	q, r := sigmoidResidual(m, k, x)
	m.fmaTo(q, r, q)
	return q
}

// sigmoidResidual is the sigmoid where |x| ≤ fastLimit as q + r·q: q =
// 1/D rounded and its residual r = 1 - q·Dh - q·Dl, so that the error
// left by one correction is about the square of q's, far below half an
// ulp. x is consumed.
func sigmoidResidual(m machine, k *consts, x value) (q, r value) {
	dh, dl, q, _, _ := denominator(m, k, x)
	r = m.negMulAdd(dh, q, k.one)
	m.fnmaTo(r, q, dl)
	return q, r
}

// siluFast is SiLU, x·sigmoid(x) = x/(1 + e^-x), where |x| ≤ fastLimit:
// the quotient y = x·q corrected once with its own residual (not x times
// the rounded sigmoid, which rounds twice), so that only the last rounding
// matters. The residual is taken negated, y·Dh - x + y·Dl, and subtracted:
// for x = -0 both are -0 - +0, so the sign survives.
func siluFast(m machine, k *consts, x value) value {
	h := m.hold(x)
	dh, dl, q, _, _ := denominator(m, k, x)
	return quotient(m, m.release(h), dh, dl, q)
}

// expFast returns E = e^-x as th·(1 + v) for |x| ≤ fastLimit: th =
// 2^k·2^(j/N) exactly, v to well below an ulp (|v| < 0.05). There E lies
// within [2^-47, 2^47] (float32; [2^-739, 2^739] for float64): nothing
// overflows, nothing is subnormal. x is consumed.
func expFast(m machine, k *consts, x value) (th, v value) {
	return expFastOf(m, k, k.exp, x)
}

// expFastOf is expFast with e's constants (consts.tanhExp: e^-2x/2).
func expFastOf(m machine, k *consts, e *expConsts, x value) (th, v value) {
	// -x = n·ln2 - s with n = k + j/N (t's low bits hold j), |s| ≤ ln2/2N:
	// E = 2^k · 2^(j/N) · e^-s.
	t := m.fma(x, e.negLog2e, k.magic)
	n := m.sub(t, k.magic)
	v = m.lookup(t, k.tabRel)
	s := x
	m.fmaTo(s, n, e.ln2hi) // exact: the FMA's product is exact and s ≪ x
	m.fmaTo(s, n, e.ln2lo)

	// e^-s = 1 + s·u(s) and 2^(j/N) = th·(1 + rel), so E = 2^k·th·(1 + v)
	// with v = rel + s·u to well below an ulp; th is scaled by 2^k
	// (exact: 2^k·th is normal here).
	u := m.horner(s, e.poly)
	m.fmaTo(v, s, u)
	return m.expScaled(n, t, e.tabHi), v
}

// denominator returns D = 1 + e^-x as dh + dl, to well below an ulp,
// q = 1/D rounded, and E = e^-x as th·(1 + v), for |x| ≤ fastLimit: since
// E ≥ 0 nothing cancels in 1 + E, so that a relative error ε in D is at
// most ε in 1/D. x is consumed.
func denominator(m machine, k *consts, x value) (dh, dl, q, th, v value) {
	th, v = expFast(m, k, x)
	dh, dl = constPlus(m, k.one, th, v, false)

	// q = 1/D from D rounded.
	return dh, dl, m.recip(m.add(dh, dl)), th, v
}

// constPlus returns D = c + th·(1 + v) as dh + dl: Dh = RN(th + c) and
// its rounding error from an ordered Fast2Sum, big - Dh and small +
// (big - Dh) both exact (Dh - c alone is not once th ≥ 2^p·c), then
// Dl = err + th·v. With atMostC, th ≤ c is known: c is the big term, and
// the error is th - (Dh - c).
func constPlus(m machine, c *constant, th, v value, atMostC bool) (dh, dl value) {
	dh = m.add(th, c)
	if atMostC {
		dl = m.sub(th, m.sub(dh, c))
	} else {
		big := m.maxOf(th, c)
		dl = m.minOf(th, c)
		m.subTo(big, dh)
		m.addTo(dl, big)
	}
	m.fmaTo(dl, th, v)
	return dh, dl
}

// siluBackwardFast is silu'(x) = σ(x)·(1 + x·(1 - σ(x))) = (D + x·E)/D²
// with D = 1 + E, E = e^-x, for |x| ≤ fastLimit. The numerator N = D + x·E
// cancels next to its zero (x ≈ -1.2785), so it is carried as a double
// word from D's and x·E's; N/D and then (N/D)/D are each corrected once
// with their residual, so that silu' is within about half an ulp. x is
// consumed.
func siluBackwardFast(m machine, k *consts, x value) value {
	xc := m.copyOf(x)
	dh, dl, q, th, v := denominator(m, k, x)
	return siluBackwardTail(m, xc, dh, dl, q, th, v)
}

// siluBackwardTail is siluBackwardFast from x's denominator (dh, dl, q,
// th, v), which it leaves as they are but for th.
func siluBackwardTail(m machine, xc, dh, dl, q, th, v value) value {

	// x·E = xeh - nxel: xeh = x·th rounded, nxel = xeh - x·th - x·th·v
	// (in th's registers: th is not needed after).
	xeh := m.mul(xc, th)
	tv := m.mul(th, v)
	nxel := m.negMulAdd(th, xc, xeh)
	m.fnmaTo(nxel, xc, tv)

	// N = nh + nl: nh = Dh + xeh with its rounding error from a TwoSum
	// (either may be the larger), nl = that error + Dl - nxel.
	nh := m.add(dh, xeh)
	bb := m.sub(nh, dh)
	nl := m.sub(dh, m.sub(nh, bb))
	m.subTo(xeh, bb)
	m.addTo(nl, xeh)
	m.addTo(nl, dl)
	m.subTo(nl, nxel)

	// z = N/D as z0 + zl, then g = z/D, each from q times the numerator
	// rounded (g's from z0 alone: zl is about q's error), corrected by its
	// residual: the residual is then about q's error times the quotient,
	// and the error left about its square. z stays a double word
	// (rounding it would cost g half an ulp of z). N's nh alone would not
	// do: next to the zero nl is as large as nh.
	z0 := m.mul(m.add(nh, nl), q)
	rz := nh
	m.fnmaTo(rz, z0, dh)
	m.fnmaTo(rz, z0, dl)
	m.addTo(rz, nl)
	zl := m.mul(rz, q)
	g := m.mul(z0, q)
	rg := z0
	m.fnmaTo(rg, g, dh)
	m.fnmaTo(rg, g, dl)
	m.addTo(rg, zl)
	m.fmaTo(g, rg, q)
	return g
}

// expNeg returns e^-a = 2^k·th·(1 + v) for a in [0, clamp], th·(1 + v)
// unscaled and good to well below an ulp, so that a result that is
// subnormal is rounded only once, when 2^k goes back at the end. a is
// consumed.
func expNeg(m machine, k *consts, a value) (th, v value, pw power) {
	th, v, t := expNegParts(m, k, a)
	return th, v, m.exp2(t)
}

// expNegParts is expNeg with t, from which exp2 and expTimes take k,
// in place of the power.
func expNegParts(m machine, k *consts, a value) (th, v, t value) {
	// a = -n'·ln2 + s with n' = k + j/N, |s| ≤ ln2/2N; then
	// e^-a = 2^k · 2^(j/N) · e^-s.
	t = m.fma(a, k.exp.negLog2e, k.magic)
	n := m.sub(t, k.magic)
	s := a
	m.fmaTo(s, n, k.exp.ln2hi)
	m.fmaTo(s, n, k.exp.ln2lo)
	th = m.lookup(t, k.exp.tabHi)
	v = m.lookup(t, k.tabRel)

	// e^-s = 1 + s·u(s) and 2^(j/N) = th·(1 + rel): v = rel + s·u.
	u := m.horner(s, k.exp.poly)
	m.fmaTo(v, s, u)
	return th, v, t
}

// sigmoidTiny is the sigmoid where x < -fastLimit (-Inf included): there
// e^x < 2^-46 (float32; 2^-738 for float64), so sigmoid(x) =
// e^x/(1 + e^x) is e^x to a relative 2^-46, far below an ulp:
// e^x = 2^k·th·(1 + v) is rounded once at th's scale (one FMA), then once
// more if the result is subnormal. On other lanes it returns a finite
// number.
//
// At x ≤ -clamp (e^-clamp rounds to 0) it gives +0, which the Go kernel
// sets without computing it.
func sigmoidTiny(m machine, k *consts, x value) value {
	y := m.only(x, k.aboveNegClamp, nil, func() value {
		th, v, pw := expNeg(m, k, m.absMin(x, k.clamp))
		m.fmaTo(th, th, v)
		m.scaleDown(th, pw)
		return th
	})
	m.saturated(y, x, k.aboveNegClamp, nil, k.zero)
	return y
}

// siluTiny is SiLU where x < -fastLimit: x·e^x to a relative 2^-46, as
// -a·th·(1 + v)·2^k with a = |x| (clamped): a·th's rounding error (one
// FMA) is kept, so that the product is rounded once at its scale.
func siluTiny(m machine, k *consts, x value) value {
	// (x held, a taken twice: one register less over expNeg.)
	h := m.hold(x)
	y := m.only(x, k.aboveNegClamp, nil, func() value {
		th, v, pw := expNeg(m, k, m.absMin(x, k.clamp))
		a := m.absMin(m.release(h), k.clamp)
		return negProduct(m, a, th, v, pw)
	})
	// At x ≤ -clamp, -clamp·e^-clamp rounds to -0.
	m.saturated(y, x, k.aboveNegClamp, nil, k.negZero)
	return y
}

// negProduct is -f·th·(1 + v)·2^k for f, th ≥ 0, rounded once at its
// scale: f·th's rounding error (one FMA) is kept.
func negProduct(m machine, f, th, v value, pw power) value {
	y := product(m, f, th, v, pw)
	m.setSign(y)
	return y
}

// product is f·th·(1 + v)·2^k for f, th ≥ 0, rounded once at its scale:
// f·th's rounding error (one FMA) is kept. With a power from expTimes,
// f·th must be below 4 (scaleDown).
func product(m machine, f, th, v value, pw power) value {
	y := m.mul(f, th)
	nl := m.negMulAdd(f, th, y) // y - f·th, exact
	m.fnmaTo(nl, y, v)
	m.subTo(y, nl) // f·th + y·v
	m.scaleDown(y, pw)
	return y
}

// siluBackwardTiny is silu'(x) where x < -fastLimit: there σ(x) = e^x and
// 1 - σ(x) = 1 to a relative 2^-46, so silu'(x) = e^x·(1 + x) =
// -(a - 1)·e^-a with a = |x| (clamped); a - 1 is exact (a < 2^p).
func siluBackwardTiny(m machine, k *consts, x value) value {
	h := m.hold(x)
	th, v, pw := expNeg(m, k, m.absMin(x, k.clamp))
	f := m.sub(m.absMin(m.release(h), k.clamp), k.one)
	return negProduct(m, f, th, v, pw)
}

// clamped is x clamped to [-fastLimit, fastLimit], for the safe code's run
// of the fast code on every lane.
func clamped(m machine, k *consts, x value) value {
	return m.minOf(m.maxOf(x, k.negLarge), k.large)
}

// sigmoidSafe is the sigmoid on any block: the fast code on x clamped,
// exactly 1 past fastLimit (what the fast code returns at the clamp), the
// tiny code's result on lanes x < -fastLimit, and a NaN input itself,
// quieted.
func sigmoidSafe(m machine, k *consts, x value) value {
	y := m.only(x, k.negLarge, k.large, func() value { return sigmoidFast(m, k, clamped(m, k, x)) })
	m.above(y, x, k.large, k.one)
	m.selectTo(m.below(x, k.negLarge), y, m.only(x, nil, k.negLarge, func() value { return sigmoidTiny(m, k, x) }))
	m.quietNaN(y, x)
	return y
}

// siluSafe is SiLU on any block: past fastLimit x/(1+e^-x) rounds to x.
func siluSafe(m machine, k *consts, x value) value {
	return safeToX(m, k, x, siluFast, siluTiny)
}

// safeToX is, on any block, a function whose value past fastLimit rounds
// to x itself (+Inf included): its fast code on x clamped, x where
// x > fastLimit, its tiny code's result where x < -fastLimit, and a NaN
// input itself, quieted.
func safeToX(m machine, k *consts, x value, fast, tiny func(machine, *consts, value) value) value {
	y := m.only(x, k.negLarge, k.large, func() value { return fast(m, k, clamped(m, k, x)) })
	m.above(y, x, k.large, x)
	m.selectTo(m.below(x, k.negLarge), y, m.only(x, nil, k.negLarge, func() value { return tiny(m, k, x) }))
	m.quietNaN(y, x)
	return y
}

// siluBackward is dy·silu'(x) where every lane has |x| ≤ fastLimit, or
// with tiny set where every lane has x < -fastLimit: the derivative to
// about half an ulp, then one product with dy. A NaN product (dy NaN, or
// ±Inf times a zero derivative) leaves for the safe code, which applies
// the NaN rule.
func siluBackward(m machine, k *consts, dy, x value, tiny bool) value {
	var g value
	if tiny {
		m.requireTiny(x)
		g = siluBackwardTiny(m, k, x)
	} else {
		m.requireFast(x)
		g = siluBackwardFast(m, k, x)
	}
	return gradient(m, dy, g, x, false)
}

// siluBackwardSafe is dy·silu'(x) on any block: past fastLimit silu'
// rounds to 1, which the fast code returns at the clamp.
func siluBackwardSafe(m machine, k *consts, dy, x value) value {
	h := m.hold(dy)
	g := siluDerivSafe(m, k, x)
	return gradient(m, m.release(h), g, x, true)
}

// siluDerivSafe is silu'(x) on any block but for x's NaNs, which give any
// NaN.
func siluDerivSafe(m machine, k *consts, x value) value {
	g := m.only(x, k.negLarge, k.large, func() value { return siluBackwardFast(m, k, clamped(m, k, x)) })
	m.above(g, x, k.large, k.one)
	m.selectTo(m.below(x, k.negLarge), g, m.only(x, nil, k.negLarge, func() value { return siluBackwardTiny(m, k, x) }))
	return g
}

// gradient is dy·g, g the derivative at the forward value x (input or
// output): with safe unset, a NaN product leaves for the safe code, which
// applies the NaN rule.
func gradient(m machine, dy, g, x value, safe bool) value {
	y := m.mul(dy, g)
	if safe {
		nanRule(m, y, dy, x)
	} else {
		m.requireNoNaN(y)
	}
	return y
}

// nanRule makes y's NaNs the package's: a NaN first input gives that NaN
// quieted, else a NaN second input gives that one, and so on, else a NaN
// the arithmetic made (∞ - ∞, 0·∞) is canonNaN, whatever the ISA's
// default NaN.
func nanRule(m machine, y value, inputs ...value) {
	m.canonNaN(y)
	for i := len(inputs) - 1; i >= 0; i-- {
		m.quietNaN(y, inputs[i])
	}
}

// sigmoidBackward is dy·(y - y·y): y - y·y is one rounding (FMA) where
// y·(1-y) would be two, then the product with dy: within 1.5 ULP. With
// safe unset, a NaN result leaves for the safe code, which applies the
// NaN rule.
func sigmoidBackward(m machine, dy, y value, safe bool) value {
	t := y
	if safe {
		t = m.copyOf(y)
	}
	m.fnmaTo(t, y, y)
	return gradient(m, dy, t, y, safe)
}

// tanhCode is tanh on any block, NaN lanes aside (the caller quiets
// them): on a = |x| clamped to tanhClamp (beyond it tanh rounds to 1,
// and the code gives 1 there, which the Go kernel sets without computing
// it), x's sign put back at the end, so that tanh is odd bit for bit.
//   - a ≥ tanhSmall: tanh a = 2σ(2a) - 1 from the sigmoid's q and its
//     residual r (σ = q + r·q to well below an ulp): 2q - 1 is exact
//     (q ≥ 1/2, Sterbenz) and tanh a = (2q - 1) + 2r·q is rounded once.
//     There tanh a ≥ 0.12 (float64: 0.46), so σ's absolute error is a
//     small relative one. It runs on D/2 = 1/2 + E/2, which tanhExp
//     gives from a itself: every step is the sigmoid's at 2a scaled by a
//     power of 2, so exact, and 1/(D/2) is 2q, which 2q - 1 and 2r·q
//     take as it is.
//   - a < tanhSmall: a + a·s·P(s), s = a², rounded once (one FMA); the
//     polynomial keeps the relative accuracy down to the subnormals
//     (tanh a = a there).
func tanhCode(m machine, k *consts, x value) value {
	h := m.hold(x)
	a := m.absMin(x, k.tanhClamp)
	ac := m.copyOf(a)
	y := m.only(ac, k.tanhSmall, k.tanhBelowClamp, func() value {
		// E/2 = e^-2a/2 ≤ 1/2, D/2 = dh + dl, q2 = 2q.
		th, v := expFastOf(m, k, k.tanhExp, a)
		dh, dl := constPlus(m, k.half, th, v, true)
		q2 := m.recip(m.add(dh, dl))
		r := m.negMulAdd(dh, q2, k.one)
		m.fnmaTo(r, q2, dl)
		y := m.sub(q2, k.one)
		m.fmaTo(y, r, q2)
		return y
	})
	m.saturated(y, ac, nil, k.tanhBelowClamp, k.one)
	yp := m.only(ac, nil, k.tanhSmall, func() value {
		s := m.mul(ac, ac)
		p := m.horner(s, k.tanhPoly)
		u := m.mul(ac, s)
		yp := m.copyOf(ac)
		m.fmaTo(yp, u, p)
		return yp
	})
	m.selectTo(m.below(ac, k.tanhSmall), y, yp)
	m.orSign(y, m.release(h))
	return y
}

// tanhFast is tanh on a block without NaNs.
func tanhFast(m machine, k *consts, x value) value {
	m.requireNoNaN(x)
	return tanhCode(m, k, x)
}

// tanhSafe is tanh on any block: a NaN input gives that NaN quieted.
func tanhSafe(m machine, k *consts, x value) value {
	xc := m.copyOf(x)
	y := tanhCode(m, k, x)
	m.quietNaN(y, xc)
	return y
}

// tanhBackward is dy·(1 - y·y): 1 - y·y is one rounding (FMA), then the
// product with dy: within 1.5 ULP. With safe unset, a NaN result leaves
// for the safe code, which applies the NaN rule.
func tanhBackward(m machine, k *consts, dy, y value, safe bool) value {
	t := m.negMulAdd(m.copyOf(y), y, k.one)
	return gradient(m, dy, t, y, safe)
}

// softplusFast is softplus, log(1 + e^x) = max(x, 0) + log(1 + E) with
// E = e^-|x| in (0, 1], where |x| ≤ fastLimit and x is not NaN. log(1 + E)
// is 2 atanh z = 2z + z·s·P(s), z = E/(2 + E) ≤ 1/3, s = z²: no table,
// and no cancellation for small E (z ≈ E/2). z is a double word from the
// quotient corrected once with its residual, so that 2zh (exact) carries
// the result and the rest adds at most 4% of it; max(x, 0) + 2zh is a
// TwoSum, and the result is rounded once at the end.
func softplusFast(m machine, k *consts, x value) value {
	h := m.hold(x)
	lh, ll := softplusLog(m, k, x)
	return plusLog(m, m.maxOf(m.release(h), k.zero), nil, lh, ll)
}

// logSigmoidFast is log σ(x) = -softplus(-x), softplusFast's operations
// on -x: its log(1 + e^-|x|) does not depend on x's sign, so it takes x
// itself, and -x only for max(-x, 0), from x held (loaded again) rather
// than kept negated in a register across the log: AVX-512 then fits four
// vectors a pass, not three (AMD Zen 4, n = 4096, medians of 5
// interleaved runs: 2,878 to 2,509 ns, Softplus 2,471; float64 7,338 to
// 6,780). The same bits.
func logSigmoidFast(m machine, k *consts, x value) value {
	h := m.hold(x)
	lh, ll := softplusLog(m, k, x)
	return m.neg(plusLog(m, m.maxOf(m.neg(m.release(h)), k.zero), nil, lh, ll))
}

// softplusLog is log(1 + e^-|x|) as lh + ll, lh = 2zh exact and ll at most
// 4% of it, for |x| ≤ fastLimit (softplusFast).
func softplusLog(m machine, k *consts, x value) (lh, ll value) {
	eh, el := expPair(m, k, x)
	return logOf(m, k, eh, el)
}

// expPair is E = e^-|x| as eh + el for |x| ≤ fastLimit: eh = th + th·v
// rounded once, el = th - eh + th·v (th - eh is exact, Sterbenz; the FMA
// rounds el alone). x is consumed.
func expPair(m machine, k *consts, x value) (eh, el value) {
	th, v := expFast(m, k, m.absMin(x, k.large))
	eh = m.copyOf(th)
	m.fmaTo(eh, th, v)
	el = m.sub(th, eh)
	m.fmaTo(el, th, v)
	return eh, el
}

// logOf is log(1 + E) as lh + ll from E = eh + el in (0, 1]: 2 atanh z,
// z = E/(2 + E), as Z = 2z = E/(1 + E/2). Each step is ratio's with c = 2
// scaled by a power of 2, so exact: the same bits without doubling z at
// the end. eh and el are left as they are.
func logOf(m machine, k *consts, eh, el value) (lh, ll value) {
	// W/2 = 1 + E/2 = wh + wl: wh - 1 and eh/2 - (wh - 1) exact
	// (Fast2Sum, 1 ≥ eh/2), then el/2.
	wh := m.fma(eh, k.half, k.one)
	wl := m.sub(wh, k.one)
	m.mulSubFrom(wl, eh, k.half)
	m.fmaTo(wl, el, k.half)

	// Z = Zh + Zl: Zh = eh·(2/W) rounded, Zl its residual eh - Zh·wh -
	// Zh·wl + el (each FMA's rounding far below Zh's ulp) times 2/W.
	rw := m.recip(m.add(wh, wl))
	zh := m.mul(eh, rw)
	zl := m.negMulAdd(wh, zh, eh)
	m.fnmaTo(zl, zh, wl)
	m.addTo(zl, el)
	zl = m.mul(zl, rw)

	// log(1 + E) = Lh + Ll: Lh = Zh exactly, Ll = Zl + z·s·P(s) with
	// s = z²: Zh·S·P'(S), S = Zh² = 4s, P'(S) = P(S/4)/8 (spPoly).
	s := m.mul(zh, zh)
	p := m.horner(s, k.spPoly)
	u := m.mul(zh, s)
	m.fmaTo(zl, u, p)
	return zh, zl
}

// ratio is E/(c + E) as zh + zl for E = eh + el in (0, 1] and c ≥ 1:
// W = c + E = wh + wl, wh - c and eh - (wh - c) exact (Fast2Sum, c ≥ eh),
// then el; zh = eh·(1/W) rounded, zl its residual eh - zh·wh - zh·wl + el
// (small: each FMA's rounding is far below zh's ulp) times 1/W. eh and el
// are left as they are.
func ratio(m machine, c *constant, eh, el value) (zh, zl value) {
	wh := m.add(eh, c)
	wl := m.sub(eh, m.sub(wh, c))
	m.addTo(wl, el)
	rw := m.recip(m.add(wh, wl))
	zh = m.mul(eh, rw)
	rho := m.negMulAdd(wh, zh, eh)
	m.fnmaTo(rho, zh, wl)
	m.addTo(rho, el)
	return zh, m.mul(rho, rw)
}

// plusLog is a + al + lh + ll rounded once, for a ≥ 0 and the log's lh +
// ll: a + lh as a TwoSum (either may be the larger), then the small
// terms (al, if any, last). lh and ll are consumed.
func plusLog(m machine, a, al, lh, ll value) value {
	y := m.add(a, lh)
	bb := m.sub(y, a)
	yl := m.sub(a, m.sub(y, bb))
	m.subTo(lh, bb)
	m.addTo(yl, lh)
	m.addTo(yl, ll)
	if al != nil {
		m.addTo(yl, al)
	}
	m.addTo(y, yl)
	return y
}

// bceLinear is A = max(z, 0) - t·z as ah + al, exactly but for al's last
// rounding: t·z = ph + pl exactly (FMA), and max(z, 0) - ph is a Fast2Sum,
// exact where |t| ≤ 1 (|ph| ≤ max(z, 0) for z ≥ 0; max(z, 0) = 0 for z < 0).
// For t in [0, 1] A = (1-t)·z or -t·z is ≥ 0, so nothing cancels.
func bceLinear(m machine, k *consts, z, t value) (ah, al value) {
	xp := m.maxOf(z, k.zero)
	ph := m.mul(t, z)
	pl := m.copyOf(ph)
	m.mulSubFrom(pl, t, z)
	ah = m.sub(xp, ph)
	al = m.sub(xp, ah)
	m.subTo(al, ph)
	m.subTo(al, pl)
	return ah, al
}

// bceFast is the loss of binary cross-entropy with logits, A + log(1 +
// e^-|z|) with A = max(z, 0) - t·z, where |z| ≤ fastLimit: softplus's log
// as a double word, A as one, a sum of non-negative terms for t in [0, 1],
// rounded once. For t = 0 it is softplus(z) bit for bit (A = max(z, 0),
// al = 0), for t = 1 softplus(-z) (A = max(-z, 0)).
func bceFast(m machine, k *consts, z, t value) value {
	hz, ht := m.hold(z), m.hold(t)
	eh, el := expPair(m, k, z)
	return bceLossOf(m, k, hz, ht, eh, el)
}

// bceLossOf is bceFast from E = e^-|z| = eh + el.
func bceLossOf(m machine, k *consts, hz, ht held, eh, el value) value {
	lh, ll := logOf(m, k, eh, el)
	ah, al := bceLinear(m, k, m.release(hz), m.release(ht))
	return plusLog(m, ah, al, lh, ll)
}

// bceTiny is the loss where |z| > fastLimit: there log(1 + e^-|z|) is
// e^-|z| to a relative 2^-46 (the sigmoid's tiny code, rounded once,
// subnormals included), added to A's small part and then to A: for t in
// {0, 1} A is 0 or |z| exactly, and the loss e^-|z| or |z|.
func bceTiny(m machine, k *consts, z, t value) value {
	e := sigmoidTiny(m, k, z)
	ah, al := bceLinear(m, k, z, t)
	m.addTo(al, e)
	m.addTo(ah, al)
	return ah
}

// bceSafe is the loss on any block: the fast code on z clamped, the tiny
// code's result where |z| > fastLimit, and at z = ±∞ w·∞ for A = w·|z|,
// w = 1 - t (z > 0) or t (z < 0), with 0 where w = 0 (the limit: a
// saturated logit with its label exactly has loss 0, where IEEE's 0·∞ is
// NaN); w·∞ is w times the largest finite number three times, which
// overflows for every w ≠ 0, subnormal w included. Then the NaN rule on
// z and t.
func bceSafe(m machine, k *consts, z, t value) value {
	// z and t loaded again where needed, not kept: NEON's registers hold
	// BCEWithLogitsAndBackward's gradient through this code.
	hz, ht := m.hold(z), m.hold(t)
	az := func() value { return m.absMin(m.release(hz), k.inf) }
	y := m.only(az(), nil, k.large, func() value { return bceFast(m, k, clamped(m, k, m.release(hz)), m.release(ht)) })
	tiny := m.only(az(), k.large, nil, func() value { return bceTiny(m, k, m.release(hz), m.release(ht)) })
	m.above(y, az(), k.large, tiny)
	w := m.fma(m.release(ht), k.negOne, k.one)
	m.selectTo(m.below(m.release(hz), k.zero), w, m.release(ht))
	for range 3 {
		w = m.fma(w, k.maxFinite, k.zero)
	}
	m.above(y, az(), k.maxFinite, w)
	nanRule(m, y, m.release(hz), m.release(ht))
	return y
}

// softplusSafe is softplus on any block: past fastLimit x + e^-x rounds
// to x, and below -fastLimit log(1 + e^x) is e^x to a relative 2^-46, the
// sigmoid's tiny code.
func softplusSafe(m machine, k *consts, x value) value {
	return safeToX(m, k, x, softplusFast, sigmoidTiny)
}

// sigmoidProductFast is dy·σ(x) where |x| ≤ fastLimit and x is not NaN:
// the quotient dy/D, D = 1 + e^-x, as SiLU's x/D (siluFast): y = dy·q
// corrected once with its residual, so that only the last rounding
// matters (not dy times σ rounded, which rounds twice). dy is scaled by
// 2^S first (elem.productScale; exact) and the result back by 2^-S last,
// the one rounding where it is subnormal, so that the residual, about
// 2^-23 of the result, is computed where the subnormals' grid costs it
// nothing (unscaled, a product rounded there cost up to 1.05 ULP). Where
// dy·2^S overflows the result is NaN (∞ - ∞ in the residual) and the
// fast code leaves for the safe code (as for a NaN dy), which takes the
// quotient unscaled there: as |dy| ≥ 2^(emax+1-S), it is far from the
// subnormals. No other result is NaN or ±∞ (q ≤ 1 keeps dy·2^S·q
// finite), so that a NaN check suffices.
func sigmoidProductFast(m machine, k *consts, dy, x value) value {
	dh, dl, q, _, _ := denominator(m, k, x)
	return scaledProduct(m, k, dy, dh, dl, q)
}

// scaledProduct is quotient of dy·2^S, times 2^-S.
func scaledProduct(m machine, k *consts, dy, dh, dl, q value) value {
	return m.mul(quotient(m, m.mul(dy, k.upScale), dh, dl, q), k.downScale)
}

// quotient is f/D for D = dh + dl and q = 1/D rounded: y = f·q less
// (y·D - f)·q, the residual taken negated as SiLU's (for f = ±0 it is
// +0, and y keeps f's sign). f is consumed.
func quotient(m machine, f, dh, dl, q value) value {
	y := m.mul(f, q)
	m.mulSubFrom(f, y, dh)
	m.fmaTo(f, y, dl)
	m.fnmaTo(y, f, q)
	return y
}

// sigmoidProductScaled is sigmoidProductFast in the safe code, on any x
// clamped: the quotient unscaled where dy·2^S overflows.
func sigmoidProductScaled(m machine, k *consts, dy, x value) value {
	dh, dl, q, _, _ := denominator(m, k, x)
	y := scaledProduct(m, k, dy, dh, dl, q)
	m.above(y, m.absMin(m.mul(dy, k.upScale), k.inf), k.maxFinite, quotient(m, m.copyOf(dy), dh, dl, q))
	return y
}

// sigmoidProductTiny is dy·σ(x) where x < -fastLimit, for a finite dy:
// there σ(x) is e^x to a relative 2^-46, and dy·e^x is m·th·(1 + v)·2^K
// with dy = ±m·2^e and K = k + e: dy's exponent joins e^x's before the
// one scaling, so that a product that is normal comes out right where
// e^x alone is subnormal or below the range (x down to -productClamp:
// past it the product rounds to 0 for every finite dy).
func sigmoidProductTiny(m machine, k *consts, dy, x value) value {
	h := m.hold(dy)
	first := true
	return sigmoidProductTinyOf(m, k, func() value {
		if first {
			first = false
			return dy
		}
		return m.release(h)
	}, x)
}

// sigmoidProductTinyOf is sigmoidProductTiny of the dy that f returns,
// each time it is needed: f may compute it again, so that no register
// keeps it in between.
func sigmoidProductTinyOf(m machine, k *consts, f func() value, x value) value {
	dy := f()
	th, v, t := expNegParts(m, k, m.absMin(x, k.productClamp))
	sig, pw := m.expTimes(t, dy)
	y := product(m, sig, th, v, pw)
	m.orSign(y, f())
	return y
}

// sigmoidProductSafe is dy·σ(x) on any block: the fast code on x clamped,
// dy itself past fastLimit (σ rounds to 1 there, and dy·1 is exact), the
// tiny code's result where x < -fastLimit, and where dy is infinite
// dy·(x + ∞): ±∞, or NaN where x = -∞ (∞·0); then the NaN rule on dy and
// the x that nanX gives back.
func sigmoidProductSafe(m machine, k *consts, dy, x value, nanX func() value) value {
	y := m.only(x, k.negLarge, k.large, func() value { return sigmoidProductScaled(m, k, dy, clamped(m, k, x)) })
	m.above(y, x, k.large, dy)
	m.selectTo(m.below(x, k.negLarge), y, m.only(x, nil, k.negLarge, func() value { return sigmoidProductTiny(m, k, dy, x) }))
	m.above(y, m.absMin(dy, k.inf), k.maxFinite, m.mul(dy, m.add(x, k.inf)))
	nanRule(m, y, dy, nanX())
	return y
}

// sigmoidProduct is dy·σ(x) by the code its function table entry names:
// fast or tiny, whose checks send a block on, or safe. LogSigmoid's
// backward pass is dy·σ(-x): its x is negated first, and only the NaN
// rule reads it as given.
func sigmoidProduct(code string, negate bool) func(m machine, k *consts, in []value) value {
	return func(m machine, k *consts, in []value) value {
		dy, x := in[0], in[1]
		given := func() value { return x }
		if negate && code == "safe" {
			h := m.hold(x)
			given = func() value { return m.release(h) }
		}
		if negate {
			x = m.neg(x)
		}
		switch code {
		case "fast":
			m.requireFast(x)
			y := sigmoidProductFast(m, k, dy, x)
			m.requireNoNaN(y)
			return y
		case "tiny":
			m.requireTiny(x)
			m.requireNoNaN(m.sub(dy, dy)) // dy finite
			return sigmoidProductTiny(m, k, dy, x)
		}
		return sigmoidProductSafe(m, k, dy, x, given)
	}
}

// swigluProduct is up·silu(gate) = u·g·σ(g) where |g| ≤ fastLimit: σ =
// q + r·q and u·g = ph + pl exactly (FMA), so the product is ph·q +
// (ph·r + pl)·q rounded once (one FMA), not u times silu rounded, which
// rounds twice; ph's sign is put back last, for the zeros. u is scaled by
// 2^S first (elem.productScale; exact) and the result back by 2^-S last,
// the one rounding where it is subnormal: so that ph·r + pl, about 2^-23
// of the result, stays normal and is rounded relative to itself down to
// results that round to 0 (not so, its rounding on the subnormals' grid
// cost up to 1.65 ULP). Where u·2^S or ph overflows the result is NaN
// (∞ - ∞ or ∞·0 on the way), and the fast code leaves for the safe code,
// which scales u by 1 there, or by 2^-S where u·g overflows too, and the
// result back: exact (there |u| or |u·g| is at least 2^(emax+1-S), so
// that ph and the result are far from the subnormals), or ±∞ where the
// result overflows. σ comes first, with g and u held, so that no
// register keeps them across it.
func swigluProduct(m machine, k *consts, g, u value) value {
	hg, hu := m.hold(g), m.hold(u)
	q, r := sigmoidResidual(m, k, g)
	g, u = m.release(hg), m.release(hu)
	us := m.mul(u, k.upScale) // u·2^S, exact
	y := swigluTerms(m, g, us, q, r)
	yd := m.mul(y, k.downScale)
	m.requireNoNaN(yd)
	return yd
}

// swigluScaled is swigluProduct in the safe code, on any gate x clamped:
// the scaling is chosen before σ, and again after it (rather than kept:
// fewer values live across σ).
func swigluScaled(m machine, k *consts, x, u value) value {
	us := m.mul(u, k.upScale)
	swigluScales(m, k, x, u, us, u, m.mul(u, k.downScale))
	q, r := sigmoidResidual(m, k, clamped(m, k, x))
	y := swigluTerms(m, clamped(m, k, x), us, q, r)
	yd := m.mul(y, k.downScale)
	swigluScales(m, k, x, u, yd, y, m.mul(y, k.upScale))
	return yd
}

// swigluScales sets v = v1 where u·2^S or u·2^S·x overflows (the fast
// code's NaN: w = |u·2^S|·max(|x|, 1) beyond the range), and v = v2
// where u·x overflows too (|u|·max(|x|, 1)): the lanes of x past
// fastLimit are not read.
func swigluScales(m machine, k *consts, x, u, v, v1, v2 value) {
	xm := m.maxOf(m.absMin(x, k.inf), k.one)
	m.above(v, m.mul(m.absMin(m.mul(u, k.upScale), k.inf), xm), k.maxFinite, v1)
	m.above(v, m.mul(m.absMin(u, k.inf), xm), k.maxFinite, v2)
}

// swigluTerms is ph·q + (ph·r + pl)·q for u·g = ph + pl (swigluProduct).
func swigluTerms(m machine, g, us, q, r value) value {
	ph := m.mul(g, us)
	s := m.negMulAdd(g, us, ph) // -pl = ph - u·g, exact
	m.mulSubFrom(s, ph, r)      // ph·r + pl
	y := m.mul(s, q)
	m.fmaTo(y, ph, q)
	m.orSign(y, ph)
	return y
}

// swigluTiny is up·silu(gate) where g < -fastLimit, for a finite u: there
// silu(g) is -a·e^-a to a relative 2^-46, a = |g| (clamped), and
// u·silu(g) is -f·th·(1 + v)·2^K with f = sig·a exactly as fh + fl, u =
// ±sig·2^e and K = k + e: u's exponent joins e^-a's before the one
// scaling, so that a product that is normal comes out right where e^-a
// alone is subnormal or below the range (the safe code's, where g and u
// stay live).
func swigluTiny(m machine, k *consts, g, u value) value {
	th, v, t := expNegParts(m, k, m.absMin(g, k.productClamp))
	sig, pw := m.expTimes(t, u)
	a := m.absMin(g, k.productClamp)
	fh := m.mul(sig, a)
	fl := m.copyOf(fh)
	m.mulSubFrom(fl, sig, a)

	// fh·th + fl·th + fh·th·v, rounded once at its scale: fh·th's
	// rounding error (one FMA) is kept.
	y := m.mul(fh, th)
	nl := m.negMulAdd(fh, th, y)
	m.fnmaTo(nl, y, v)
	m.fnmaTo(nl, fl, th)
	m.subTo(y, nl)
	m.scaleDown(y, pw)
	m.orSign(y, m.neg(u))
	return y
}

// swigluSafe is up·silu(gate) on any block: the fast code on g clamped
// (scaled where u·g overflows); u·g - u·a·e^-a where g >
// fastLimit (one FMA: silu(g) = g - g·σ(-g), and σ(-g) is e^-g to a
// relative 2^-46); the tiny code's result where g < -fastLimit; and where
// u is infinite u·(g·(g + ∞)): ±∞, or NaN where g is 0 or -∞ (∞·0, as
// silu(-∞) = -0). Then the NaN rule on gate and up.
func swigluSafe(m machine, k *consts, g, u value) value {
	y := m.only(g, k.negLarge, k.large, func() value { return swigluScaled(m, k, g, u) })
	m.above(y, g, k.large, m.only(g, k.large, nil, func() value {
		yl := m.mul(u, siluTiny(m, k, m.neg(g)))
		m.fmaTo(yl, u, g)
		m.orSign(yl, u)
		return yl
	}))
	yt := m.only(g, nil, k.negLarge, func() value { return swigluTiny(m, k, g, u) })
	m.selectTo(m.below(g, k.negLarge), y, yt)
	m.above(y, m.absMin(u, k.inf), k.maxFinite, m.mul(u, m.mul(g, m.add(g, k.inf))))
	nanRule(m, y, g, u)
	return y
}

// bceGradFast is BCE's gradient dy·(σ(z) - t) where |z| ≤ fastLimit: from
// s = σ(-|z|) = E/(1 + E), E = e^-|z|, as a double word sh + sl, which has
// no cancellation, never from σ(z) itself (σ(z) - 1 is computed as -s).
// E is the loss's (bceFast), so that one pass can compute both.
func bceGradFast(m machine, k *consts, dy, z, t value) value {
	hdy, hz, ht := m.hold(dy), m.hold(z), m.hold(t)
	eh, el := expPair(m, k, z)
	return bceGradOf(m, k, hdy, hz, ht, eh, el)
}

// bceGradOf is bceGradFast from E = eh + el, which it leaves as they are.
func bceGradOf(m machine, k *consts, hdy, hz, ht held, eh, el value) value {
	sh, sl := ratio(m, k.one, eh, el)
	dy, z, t := m.release(hdy), m.release(hz), m.release(ht)
	y, _, _ := bceGradSum(m, bceGradScale(m, k, dy, z), bceGradShift(m, k, z, t), sh, sl)
	return y
}

// bceBoth is the loss (bceFast) and the gradient (bceGradFast) where |z| ≤
// fastLimit from one E = e^-|z|: their operations on the same values, so
// the same bits, with E computed once. The gradient first: the loss
// first ran slower (AVX-512, BCEWithLogitsMean at n = 4096, AMD Zen 4:
// 4,930 ns against 5,100-5,600).
func bceBoth(m machine, k *consts, dy, z, t value) (loss, dz value) {
	hdy, hz, ht := m.hold(dy), m.hold(z), m.hold(t)
	eh, el := expPair(m, k, z)
	dz = bceGradOf(m, k, hdy, hz, ht, eh, el)
	return bceLossOf(m, k, hz, ht, eh, el), dz
}

// bceGradScale and bceGradShift return dyS and c with dy·(σ(z) - t) =
// dyS·(s + c), s = σ(-|z|): dyS = dy and c = -t where z < 0; since σ(z) =
// 1 - s elsewhere, dyS = -dy and c = t - 1 there (exact for t in [1/2, 2]
// and t = 0; for other t in [0, 1] within 2^-25, the gradient's absolute
// allowance).
func bceGradScale(m machine, k *consts, dy, z value) value {
	dys := m.neg(dy)
	m.selectTo(m.below(z, k.zero), dys, dy)
	return dys
}

func bceGradShift(m machine, k *consts, z, t value) value {
	c := m.sub(t, k.one)
	m.selectTo(m.below(z, k.zero), c, m.neg(t))
	return c
}

// bceGradSum is dyS·(s + c) for s = sh + sl, rounded once: s + c = hi +
// lo exactly by a TwoSum (which of |sh| and |c| is larger is not known),
// sl joins lo, and dyS·hi + dyS·lo is one FMA.
func bceGradSum(m machine, dys, c, sh, sl value) (y, hi, lo value) {
	hi = m.add(sh, c)
	bb := m.sub(hi, sh)
	lo = m.sub(sh, m.sub(hi, bb))
	m.addTo(lo, m.sub(c, bb))
	m.addTo(lo, sl)
	y = m.mul(dys, lo)
	m.fmaTo(y, dys, hi)
	return y, hi, lo
}

// bceGradSafe is BCE's gradient on any block: the fast code on |z|
// clamped, and past fastLimit s = σ(-|z|) the sigmoid's tiny code, sl 0
// there (s is within 2^-46 of e^-|z|, relative, rounded once). Where c
// is 0 there (t = 1 for z > 0, t = 0 for z < 0) the gradient is dyS·s,
// the product at its own scale (sigmoidProductTiny), so that a large dy
// gives the normal result it should where s itself is subnormal or below
// the range. An infinite dy gives dyS·(hi + lo), with -|z| + ∞ for s + c
// where c is 0 (∞, or NaN for z = ±∞: ∞·0), and an infinite c dyS·c;
// then the NaN rule on dy, z, t. dyS and c are computed again where
// needed rather than kept, from the inputs loaded again: NEON's registers
// would not hold them.
func bceGradSafe(m machine, k *consts, dy, z, t value) value {
	hdy, hz, ht := m.hold(dy), m.hold(z), m.hold(t)
	az := func() value { return m.absMin(m.release(hz), k.inf) }
	dys := func() value { return bceGradScale(m, k, m.release(hdy), m.release(hz)) }
	c := func() value { return bceGradShift(m, k, m.release(hz), m.release(ht)) }
	eh, el := expPair(m, k, m.release(hz))
	q, sl := ratio(m, k.one, eh, el)
	a := az()
	m.above(q, a, k.large, m.only(a, k.large, nil, func() value { return sigmoidTiny(m, k, m.neg(a)) }))
	m.above(sl, a, k.large, k.zero)
	a = az()
	pt := m.only(a, k.large, nil, func() value { return sigmoidProductTiny(m, k, dys(), m.neg(a)) })
	y, hi, lo := bceGradSum(m, dys(), c(), q, sl)
	g := m.add(hi, lo)
	yz := m.copyOf(y)
	m.above(yz, az(), k.large, pt)
	nonzero := func() predicate { return m.below(m.neg(m.absMin(c(), k.inf)), k.zero) }
	m.selectTo(nonzero(), yz, y)
	gz := m.add(m.neg(az()), k.inf)
	m.selectTo(nonzero(), gz, g)
	m.above(yz, m.absMin(m.release(hdy), k.inf), k.maxFinite, m.mul(dys(), gz))
	cc := c()
	m.above(yz, m.absMin(cc, k.inf), k.maxFinite, m.mul(dys(), cc))
	nanRule(m, yz, m.release(hdy), m.release(hz), m.release(ht))
	return yz
}

// GLU's backward pass multiplies three factors, dy, a and g = σ'(b): g
// times the larger in magnitude of dy and a first, then the other. That
// first product is subnormal (rounded on the subnormals' grid, an error
// of 2^-150, 2^-1075) only where the larger is below 2^-124 or so, and
// the smaller factor, no larger, keeps that error within the bound's
// absolute term 2^-25·|dy·a| (2^-54·|dy·a|); taken with the smaller first,
// a large dy would multiply it by up to 2^128. Nothing overflows on the
// way where the result does not (g ≤ 1/4). (SwiGLU's silu' reaches 1.1,
// and its larger factor times it may overflow: SwiGLUBackward keeps
// dy·(up·silu'(gate)).)

// dyFirst is where |dy| > |f|: f² - dy² < 0, one rounding of f² and an
// FMA (a tie or a misordered pair either way is harmless: they are close,
// or both below 2^-75 and the result rounds to 0; NaN and ∞ - ∞ are
// false).
func dyFirst(m machine, k *consts, hdy, hf held) predicate {
	s := m.mul(m.release(hf), m.release(hf))
	m.fnmaTo(s, m.release(hdy), m.release(hdy))
	return m.below(s, k.zero)
}

// larger is the factor g multiplies first: f, or dy where dyFirst.
func larger(m machine, k *consts, hdy, hf held) value {
	v := m.release(hf)
	m.selectTo(dyFirst(m, k, hdy, hf), v, m.release(hdy))
	return v
}

// smaller is the other factor: dy, or f where dyFirst.
func smaller(m machine, k *consts, hdy, hf held) value {
	v := m.release(hdy)
	m.selectTo(dyFirst(m, k, hdy, hf), v, m.release(hf))
	return v
}

// gradientOf is dy·f·g for the fast codes, as larger and smaller order
// it: both orders computed, one chosen.
func gradientOf(m machine, k *consts, hdy, hf held, g value) value {
	y := m.mul(m.release(hdy), m.mul(m.release(hf), g))
	m.selectTo(dyFirst(m, k, hdy, hf), y, m.mul(m.release(hf), m.mul(m.release(hdy), g)))
	return y
}

// gluGradCore is GLU's backward pass where |b| ≤ fastLimit (b clamped in
// the safe code), from the held inputs: da = dy·σ(b) and sd = σ'(b) =
// σ(b)·σ(-b) (its products with dy and a are the caller's), from u = σ(-|b|)
// = q + r·q, which nothing cancels, and v = 1 - u = vh + vl (1 - q by a
// Fast2Sum, 1 ≥ q, less r·q): σ(b) is u for b < 0 and v elsewhere,
// σ'(b) = u·v to about half an ulp, so that da is rounded once and db,
// dy·a·σ'(b), is three roundings. da takes dy's sign last, as
// SoftplusBackward's (σ > 0). Only the outputs asked for are computed
// (nil otherwise): NEON's registers do not hold the safe code's fix-ups
// of both at once.
func gluGradCore(m machine, k *consts, hdy, hb held, wantDA, wantSD bool) (da, sd value) {
	q, r := sigmoidResidual(m, k, m.neg(m.absMin(m.release(hb), k.inf)))
	rq := m.mul(r, q)
	vh := m.fma(q, k.negOne, k.one)
	vl := m.fma(vh, k.negOne, k.one) // exact: vh ≥ 1/2
	m.subTo(vl, q)
	m.subTo(vl, rq)
	if wantSD {
		sd = m.mul(rq, vh)
		m.fmaTo(sd, q, vl)
		m.fmaTo(sd, q, vh)
	}
	if wantDA {
		b := m.release(hb)
		m.selectTo(m.below(b, k.zero), vh, q)
		m.selectTo(m.below(b, k.zero), vl, rq)
		dy := m.release(hdy)
		da = m.mul(dy, vl)
		m.fmaTo(da, dy, vh)
		m.orSign(da, dy)
	}
	return da, sd
}

// gluGradSafe is GLU's backward pass on any block: the fast code on b
// clamped; past fastLimit da is dy (σ rounds to 1 there) or, below
// -fastLimit, dy·e^b at its own scale, and σ'(b) times the larger of dy
// and a, L·e^-|b|, at its own scale (σ' = e^-|b| to a relative 2^-46),
// the products of SoftplusBackward's tiny code; where dy or L is
// infinite, dy·(b + ∞) and L·(-|b| + ∞): ±∞, or NaN where σ or σ' is 0
// (∞·0). db is that times the smaller. Then each output's NaN rule: dy,
// b for da; dy, a, b for db. The fast code's parts run only where some
// lane of b is within fastLimit (only): past it every lane's result is
// overwritten, and the Go kernel skips them there.
func gluGradSafe(m machine, k *consts, dy, a, b value) (da, db value) {
	hdy, ha, hb := m.hold(dy), m.hold(a), m.hold(b)
	sd := m.only(b, k.negLarge, k.large, func() value {
		_, sd := gluGradCore(m, k, hdy, m.hold(clamped(m, k, m.release(hb))), false, true)
		return sd
	})
	b = m.release(hb)
	big := func() value { return larger(m, k, hdy, ha) }
	ad := m.mul(big(), sd)
	nb := func() value { return m.neg(m.absMin(b, k.inf)) }
	m.above(ad, m.absMin(b, k.inf), k.large, m.only(m.absMin(b, k.inf), k.large, nil, func() value { return sigmoidProductTinyOf(m, k, big, nb()) }))
	m.above(ad, m.absMin(big(), k.inf), k.maxFinite, m.mul(big(), m.add(nb(), k.inf)))
	db = m.mul(smaller(m, k, hdy, ha), ad)
	nanRule(m, db, m.release(hdy), m.release(ha), b)

	b = m.release(hb)
	da = m.only(b, k.negLarge, k.large, func() value {
		da, _ := gluGradCore(m, k, hdy, m.hold(clamped(m, k, m.release(hb))), true, false)
		return da
	})
	dy, b = m.release(hdy), m.release(hb)
	m.above(da, b, k.large, dy)
	m.selectTo(m.below(b, k.negLarge), da, m.only(b, nil, k.negLarge, func() value { return sigmoidProductTiny(m, k, dy, b) }))
	m.above(da, m.absMin(dy, k.inf), k.maxFinite, m.mul(dy, m.add(b, k.inf)))
	nanRule(m, da, dy, b)
	return da, db
}

// swigluGradFast is SwiGLU's backward pass where |gate| ≤ fastLimit, from
// one denominator D = 1 + e^-gate: dup = swigluProduct(gate, dy) and
// dgate = dy·(up·silu'(gate)) (siluBackwardFast, up scaled by
// dgateScaled), bit for bit what the two codes give on their own, which
// the safe code runs.
func swigluGradFast(m machine, k *consts, dy, gate, up value) (dgate, dup value) {
	hdy, hg, hu := m.hold(dy), m.hold(gate), m.hold(up)
	dh, dl, q, th, v := denominator(m, k, gate)
	r := m.negMulAdd(m.copyOf(dh), q, k.one)
	m.fnmaTo(r, q, dl)
	us := m.mul(m.release(hdy), k.upScale)
	dup = m.mul(swigluTerms(m, m.release(hg), us, q, r), k.downScale)
	m.requireNoNaN(dup)
	dgate = dgateScaled(m, k, hdy, hu, siluBackwardTail(m, m.release(hg), dh, dl, q, th, v))
	m.requireNoNaN(dgate)
	return dgate, dup
}

// dgateScaled is dy·(up·g), g = silu'(gate), computed as ys·2^-S, ys =
// dy·(up·2^S·g): exact scalings but the last, where the result is
// subnormal (0.25 ULP before the last rounding). Unscaled, up·g rounded on
// the subnormals' grid (an error of 2^-150, 2^-1075) would be multiplied
// by a dy of up to 2^128: beyond the bound's absolute term 2^-25·|dy·up|
// (2^-54·|dy·up|) where |up| < 2^-125 (2^-1021); scaled, that rounding
// costs dy·2^-(150+S) at most, within it for every up. Where up·2^S or ys
// overflows, ys - ys makes the result NaN, and the fast code leaves for
// the safe code (dgateSafe).
func dgateScaled(m machine, k *consts, hdy, hu held, g value) value {
	ys := m.mul(m.release(hdy), m.mul(m.mul(m.release(hu), k.upScale), g))
	y := m.mul(ys, k.downScale)
	m.subTo(y, m.sub(ys, ys)) // +0 (y - +0 is y, -0 included), or NaN
	return y
}

// dgateSafe is dgateScaled on any block: dy·(up·g) unscaled where ys is
// ±Inf or NaN (an infinite input; or up·2^S or ys beyond the range, where
// up·g and the result are far from the subnormals).
func dgateSafe(m machine, k *consts, hdy, hu held, g value) value {
	ys := m.mul(m.release(hdy), m.mul(m.mul(m.release(hu), k.upScale), m.copyOf(g)))
	y := m.mul(m.release(hdy), m.mul(m.release(hu), g))
	m.selectTo(m.below(m.sub(ys, ys), k.one), y, m.mul(ys, k.downScale))
	return y
}
