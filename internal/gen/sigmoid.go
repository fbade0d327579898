package main

import "math"

// variant is one instantiation of the algorithm: an ISA with its vector
// width, an element type, the size of its 2^(j/N) table and the degree of
// its polynomial.
type variant struct {
	name       string // kernel name, as kernels.Active reports it
	suffix     string // of the assembly symbols
	needs      string // the CPU features its code needs, for the docs (amd64: from each function's code)
	elem       elem
	tableSize  int // N: entries of the 2^(j/N) table (one permute's worth)
	polyDegree int // degree of the polynomial for e^-s on |s| ≤ ln2/(2N)
}

// sym prefixes the variant's data symbols: the float32 and float64 kernels
// of one ISA share a name.
func (v variant) sym() string {
	if v.elem == f64 {
		return v.name + "d"
	}
	return v.name
}

// The table is as large as one in-register permute can index (16 lanes of a
// ZMM, 8 of a YMM; 8 and 4 float64); the polynomial is the lowest degree
// that keeps e^-s within 2^-(p+4) on the interval that table leaves, p the
// element's precision (TestExpPolyError).
var variants = []variant{
	{name: "avx512", suffix: "AVX512", elem: f32, tableSize: 16, polyDegree: 3},
	{name: "avx2", suffix: "AVX2", elem: f32, tableSize: 8, polyDegree: 4},
	{name: "avx512", suffix: "AVX512", elem: f64, tableSize: 8, polyDegree: 7},
	{name: "avx2", suffix: "AVX2", elem: f64, tableSize: 4, polyDegree: 9},
}

// consts are the algorithm's constants for one variant. A backend decides
// whether each lives in a register or in memory.
type consts struct {
	clamp, large, negLarge, negLog2e, magic, ln2hi, ln2lo, one *constant
	tabHi, tabRel                                              *constant
	poly                                                       []*constant
}

// constant is a named broadcast value, or a table when len(bits) > 1: the
// bit patterns of elements of the variant's type.
type constant struct {
	name string
	bits []uint64
}

func newConsts(v variant) *consts {
	e := v.elem
	hi, rel := expTable(v.tableSize, e)
	ln2hi, ln2lo := ln2Split(e)
	k := &consts{
		// Past the clamp every sigmoid rounds to 0 or 1 and every SiLU to
		// -0 or x, and it keeps ±Inf and huge inputs out of the range
		// reduction.
		clamp:    e.num("clamp", e.clamp),
		large:    e.num("large", e.fastLimit),
		negLarge: e.num("neglarge", -e.fastLimit),
		negLog2e: e.num("neglog2e", -1/math.Ln2),
		// Adding 1.5·2^(m-log2 N), m the mantissa bits, rounds to a multiple
		// of 1/N and leaves N·n' in the low mantissa bits, so the table
		// index is t's low bits.
		magic:  e.num("magic", 1.5*math.Exp2(float64(e.mant-log2(v.tableSize)))),
		ln2hi:  e.num("ln2hi", ln2hi),
		ln2lo:  e.num("ln2lo", ln2lo),
		one:    e.num("one", 1),
		tabHi:  e.num("exptabhi", hi...),
		tabRel: e.num("exptabrel", rel...),
	}
	h := math.Ln2 / float64(2*v.tableSize) * 1.001
	for i, p := range expPoly(h, v.polyDegree, e) {
		k.poly = append(k.poly, e.num("poly"+string(rune('0'+i)), p))
	}
	return k
}

// scaledTable is the 2^(j/N) table tab with entry j's bits less
// j<<(mant - log2 N): adding t's bits shifted left by mant - log2 N, which
// are k<<mant + j<<(mant - log2 N), gives 2^k·2^(j/N)'s bits, where that
// is normal.
func scaledTable(tab *constant, v variant) *constant {
	shift := v.elem.mant - log2(v.tableSize)
	c := &constant{name: "exptabscaled"}
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
type machine interface {
	// requireFast leaves the fast code for the safe code unless every lane
	// of x has |x| ≤ fastLimit and none is NaN.
	requireFast(x value)
	// requireTiny leaves the tiny code for the safe code unless every lane
	// of x is ≤ -fastLimit (-Inf included) and none is NaN.
	requireTiny(x value)
	absMin(x value, limit *constant) value         // min(|x|, limit); NaN stays NaN
	signMask(x value) predicate                    // lanes where x < 0 (-0 and NaN may count either way)
	fma(a value, b, c *constant) value             // a·b + c
	sub(a value, b operand) value                  // a - b
	add(a value, b operand) value                  // a + b
	mul(a, b value) value                          // a·b
	minOf(a value, b *constant) value              // min(a, b); a NaN gives NaN or b
	maxOf(a value, b *constant) value              // max(a, b); a NaN gives NaN or b
	fmaTo(acc, a value, b operand)                 // acc += a·b
	fnmaTo(acc, a value, b operand)                // acc -= a·b
	mulSubFrom(acc, a value, b operand)            // acc = a·b - acc
	negMulAdd(a, b value, c operand) value         // c - a·b; a is consumed
	copyOf(x value) value                          // a copy of x
	copySign(y, x value)                           // y's sign bit set to x's
	setSign(y value)                               // y's sign bit set
	keepLarge(y, x value, limit *constant)         // y = x where x > limit (not NaN)
	subTo(acc, b value)                            // acc -= b
	addTo(acc, b value)                            // acc += b
	lookup(t value, table *constant) value         // table[low log2 N bits of t's bits]
	horner(s value, poly []*constant) value        // poly[0] + poly[1]·s + …
	exp2(n, t value) power                         // 2^floor(n), from n = t - magic
	scale(v value, p power) value                  // v·2^k, k from p
	blend(p predicate, a value, b *constant) value // p ? a : b
	// recip returns an estimate of 1/d for d in [1, 2^47] (float32) or
	// [1, 2^739] (float64): within 2^-(p+1) relative, p the element's
	// precision, or for float32 within 2^-14 and exactly 1 for d in
	// [1, 1 + 2^-23]. d is consumed.
	recip(d value) value
	// divide returns q ≈ num/den and r ≈ 1/den with relative errors whose
	// product is below 2^-(p+3), p the element's precision; for float32
	// also below 2^-44 on lanes not in p with den < 1 + 2^-22 (for correct
	// rounding next to 1-2^-24, see accuracy.NearOneEdge). q ≥ num/2
	// whenever den ≤ 2. den is consumed. A nil p means no lane has num = 1.
	divide(p predicate, num, den value) (q, r value)
	addIf(p predicate, acc, v value)       // acc += v where p
	scaleIf(p predicate, v value, e power) // v ·= 2^k where p (nil: every lane), v ≥ 0, rounding once into the subnormals
	quietNaN(y, x value)                   // y = x with its quiet bit set, where x is NaN
	// hold keeps x, an input as loaded, for release to give back once x
	// itself has been consumed: x86 reloads it from memory there where it
	// can, so that no register holds it in between.
	hold(x value) held
	release(h held) value
}

type value any
type held any
type predicate any
type power any

// operand is a value or a constant.
type operand any

// sigmoidFast is the algorithm for blocks where every |x| ≤ fastLimit and
// none is NaN (requireFast leaves for sigmoidSafe otherwise). There
// E = e^-x lies within [2^-47, 2^47] (float32; [2^-739, 2^739] for
// float64): nothing overflows, nothing is subnormal, so the textbook
// y = 1/(1 + E) holds for both signs, and since E ≥ 0 nothing cancels: a
// relative error ε in D = 1 + E is at most ε in y. D is carried as Dh + Dl
// to well below an ulp and the reciprocal is corrected once with its
// residual, so that the only rounding that matters is the last one.
func sigmoidFast(m machine, k *consts, x value) value {
	m.requireFast(x)
	dh, dl, q, _, _ := denominator(m, k, x)

	// One correction with the residual r = 1 - q·Dh - q·Dl: the error left
	// is about the square of q's, far below half an ulp.
	r := m.negMulAdd(dh, q, k.one)
	m.fnmaTo(r, q, dl)
	m.fmaTo(q, r, q)
	return q
}

// siluFast is SiLU, x·sigmoid(x) = x/(1 + e^-x), for the blocks of
// sigmoidFast: the quotient y = x·q corrected once with its own residual
// (not x times the rounded sigmoid, which rounds twice), so that only the
// last rounding matters. The residual is taken negated, y·Dh - x + y·Dl,
// and subtracted: for x = -0 both are -0 - +0, so the sign survives.
func siluFast(m machine, k *consts, x value) value {
	m.requireFast(x)
	h := m.hold(x)
	dh, dl, q, _, _ := denominator(m, k, x)
	x = m.release(h)
	y := m.mul(x, q)
	nr := x
	m.mulSubFrom(nr, y, dh)
	m.fmaTo(nr, y, dl)
	m.fnmaTo(y, nr, q)
	return y
}

// denominator returns D = 1 + e^-x as dh + dl, to well below an ulp, and
// q ≈ 1/D to the accuracy recip gives, and E = e^-x as th·(1 + v), for
// blocks where every |x| ≤
// fastLimit and none is NaN. There E = e^-x lies within [2^-47, 2^47]
// (float32; [2^-739, 2^739] for float64): nothing overflows, nothing is
// subnormal, and since E ≥ 0 nothing cancels in 1 + E, so that a relative
// error ε in D is at most ε in 1/D. x is consumed.
func denominator(m machine, k *consts, x value) (dh, dl, q, th, v value) {
	// -x = n·ln2 - s with n = k + j/N (t's low bits hold j), |s| ≤ ln2/2N:
	// E = 2^k · 2^(j/N) · e^-s.
	t := m.fma(x, k.negLog2e, k.magic)
	n := m.sub(t, k.magic)
	th = m.lookup(t, k.tabHi)
	v = m.lookup(t, k.tabRel)
	s := x
	m.fmaTo(s, n, k.ln2hi) // exact: the FMA's product is exact and s ≪ x
	m.fmaTo(s, n, k.ln2lo)

	// e^-s = 1 + s·u(s) and 2^(j/N) = th·(1 + rel), so E = 2^k·th·(1 + v)
	// with v = rel + s·u to well below an ulp; th is scaled by 2^k first
	// (exact: 2^k·th is normal here).
	u := m.horner(s, k.poly)
	m.fmaTo(v, s, u)
	th = m.scale(th, m.exp2(n, t))

	// D = Dh + Dl: Dh = RN(th + 1) and its rounding error from an ordered
	// Fast2Sum, big - Dh and small + (big - Dh) both exact (Dh - 1 alone
	// is not once th ≥ 2^p), then Dl = err + th·v.
	dh = m.add(th, k.one)
	big := m.maxOf(th, k.one)
	dl = m.minOf(th, k.one)
	m.subTo(big, dh)
	m.addTo(dl, big)
	m.fmaTo(dl, th, v)

	// q ≈ 1/D from D rounded.
	return dh, dl, m.recip(m.add(dh, dl)), th, v
}

// siluBackward is dy·silu'(x), silu'(x) = σ(x)·(1 + x·(1 - σ(x))) =
// (D + x·E)/D² with D = 1 + E, E = e^-x. The numerator N = D + x·E cancels
// next to its zero (x ≈ -1.2785), so it is carried as a double word from
// D's and x·E's; N/D and then (N/D)/D are each corrected once with their
// residual, so that silu' is within about half an ulp, then one product
// with dy.
// Past ±fastLimit silu' rounds to 1 or is below 2^-25 in magnitude, so x is
// clamped there and every lane takes the code of fast blocks.
func siluBackward(m machine, k *consts, dy, x value) value {
	// (A NaN x may clamp to anything: quietNaN replaces its result.)
	xc := m.minOf(m.maxOf(x, k.negLarge), k.large)
	dh, dl, q, th, v := denominator(m, k, m.copyOf(xc))

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

	m.quietNaN(g, x)
	return m.mul(dy, g)
}

// expNeg returns e^-a = 2^k·th·(1 + v) for a in [0, clamp], th·(1 + v)
// unscaled and good to well below an ulp, so that a result that is
// subnormal is rounded only once, when 2^k goes back at the end. a is
// consumed.
func expNeg(m machine, k *consts, a value) (th, v value, pw power) {
	// a = -n'·ln2 + s with n' = k + j/N, |s| ≤ ln2/2N; then
	// e^-a = 2^k · 2^(j/N) · e^-s.
	t := m.fma(a, k.negLog2e, k.magic)
	n := m.sub(t, k.magic)
	s := a
	m.fmaTo(s, n, k.ln2hi)
	m.fmaTo(s, n, k.ln2lo)
	th = m.lookup(t, k.tabHi)
	v = m.lookup(t, k.tabRel)

	// e^-s = 1 + s·u(s) and 2^(j/N) = th·(1 + rel): v = rel + s·u.
	u := m.horner(s, k.poly)
	m.fmaTo(v, s, u)
	return th, v, m.exp2(n, t)
}

// renormalise returns th·(1 + v) = th + p as eh + el, el below half an
// ulp of eh (Fast2Sum: |p| < th): numerators and denominators need eh to
// full precision.
func renormalise(m machine, th, v value) (eh, el value) {
	p := m.mul(th, v)
	eh = m.add(th, p)
	el = th
	m.subTo(el, eh)
	m.addTo(el, p)
	return eh, el
}

// sigmoidTiny is the algorithm for blocks whose every x ≤ -fastLimit (-Inf
// included, no NaN): there e^x ≤ 2^-46 (float32; 2^-738 for float64), so
// sigmoid(x) = e^x/(1 + e^x) is e^x to a relative 2^-46, far below an ulp:
// e^x = 2^k·th·(1 + v) is rounded once at th's scale (one FMA), then once
// more if the result is subnormal, as the safe code rounds.
func sigmoidTiny(m machine, k *consts, x value) value {
	m.requireTiny(x)
	th, v, pw := expNeg(m, k, m.absMin(x, k.clamp))
	m.fmaTo(th, th, v)
	m.scaleIf(nil, th, pw)
	return th
}

// siluTiny is SiLU for the blocks of sigmoidTiny: x·e^x to a relative
// 2^-46, as -a·th·(1 + v)·2^k with a = |x|: a·th's rounding error (one
// FMA) is kept, so that the product is rounded once at its scale.
func siluTiny(m machine, k *consts, x value) value {
	m.requireTiny(x)
	// (x held, a taken twice: one register less over expNeg.)
	h := m.hold(x)
	th, v, pw := expNeg(m, k, m.absMin(x, k.clamp))
	a := m.absMin(m.release(h), k.clamp)
	y := m.mul(a, th)
	nl := m.negMulAdd(a, th, y) // y - a·th, exact
	m.fnmaTo(nl, y, v)
	m.subTo(y, nl) // a·th + y·v
	m.scaleIf(nil, y, pw)
	m.setSign(y)
	return y
}

// sigmoidSafe is the algorithm for any input: NaN, ±Inf, and results down
// in the subnormals.
//
// With a = |x| and e = e^-a, sigmoid(x) is 1/(1+e) for x ≥ 0 and e/(1+e) for
// x < 0: both a quotient num/(1+e) with num in (0, 1], so nothing cancels.
// e is carried as 2^k·(eh + el) with eh, el unscaled, so that a result that
// is subnormal is rounded only once, when 2^k goes back at the end.
func sigmoidSafe(m machine, k *consts, x value) value {
	neg := m.signMask(x)
	a := m.absMin(x, k.clamp)
	th, v, pw := expNeg(m, k, a)
	eh, el := renormalise(m, th, v)

	// d = 1 + 2^k·(eh + el), rounded to dh for the reciprocal.
	seh := m.scale(eh, pw)
	sel := m.scale(el, pw)
	dh := m.add(seh, k.one)

	// On negative lanes the numerator is e/2^k = eh + el, on the others 1.
	num := m.blend(neg, eh, k.one)
	q, r := m.divide(neg, num, dh)

	// Residual num - q·d: num - q is exact (d ≤ 2 keeps q within a factor 2
	// of num: Sterbenz), the rest is small, so one correction q += res·r
	// leaves an error of about err(q)·err(r), far below half an ulp.
	res := num
	m.subTo(res, q)
	m.fnmaTo(res, q, seh)
	m.fnmaTo(res, q, sel)
	m.addIf(neg, res, el)
	m.fmaTo(q, res, r)

	m.scaleIf(neg, q, pw)
	// Every kernel returns a NaN input itself, quieted.
	m.quietNaN(q, x)
	return q
}

// siluSafe is SiLU for any input, as sigmoidSafe: with a = |x| (clamped)
// and e = e^-a, x/(1+e^-x) is a/(1+e) for x ≥ 0 and -a·e/(1+e) for x < 0,
// a quotient of magnitudes num/(1+e) with num = a·1 or a·(eh + el), kept
// unscaled as in sigmoidSafe so that a subnormal result rounds once. The
// numerator is a double word: a·eh rounded, its rounding error (one FMA)
// and a·el.
func siluSafe(m machine, k *consts, x value) value {
	neg := m.signMask(x)
	a := m.absMin(x, k.clamp)
	th, v, pw := expNeg(m, k, m.copyOf(a))
	eh, el := renormalise(m, th, v)

	seh := m.scale(eh, pw)
	sel := m.scale(el, pw)
	dh := m.add(seh, k.one)

	// num = nh + nl: nh = a·(eh or 1), -nl its rounding error, then a·el
	// on the negative lanes.
	e1 := m.blend(neg, eh, k.one)
	nh := m.mul(a, e1)
	nlNeg := m.negMulAdd(e1, a, nh)
	q, r := m.divide(nil, nh, dh)

	res := nh
	m.subTo(res, q)
	m.fnmaTo(res, q, seh)
	m.fnmaTo(res, q, sel)
	m.subTo(res, nlNeg)
	m.addIf(neg, res, m.mul(a, el))
	m.fmaTo(q, res, r)

	m.scaleIf(neg, q, pw)
	// Past fastLimit, x/(1+e^-x) rounds to x (+Inf included); below -clamp
	// the magnitude rounds to 0; the sign is x's.
	m.keepLarge(q, x, k.large)
	m.copySign(q, x)
	m.quietNaN(q, x)
	return q
}
