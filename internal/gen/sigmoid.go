package main

import "math"

// variant is one instantiation of the algorithm: an ISA with its vector
// width, an element type, the size of its 2^(j/N) table and the degree of
// its polynomial.
type variant struct {
	name       string // kernel name, as kernels.Active reports it
	fn         string // assembly symbol
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
	{name: "avx512", fn: "SigmoidAVX512", elem: f32, tableSize: 16, polyDegree: 3},
	{name: "avx2", fn: "SigmoidAVX2", elem: f32, tableSize: 8, polyDegree: 4},
	{name: "avx512", fn: "Sigmoid64AVX512", elem: f64, tableSize: 8, polyDegree: 7},
	{name: "avx2", fn: "Sigmoid64AVX2", elem: f64, tableSize: 4, polyDegree: 9},
}

// consts are the algorithm's constants for one variant. A backend decides
// whether each lives in a register or in memory.
type consts struct {
	clamp, negLog2e, magic, ln2hi, ln2lo, one *constant
	tabHi, tabRel                             *constant
	poly                                      []*constant
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
		// Past the clamp every sigmoid rounds to 0 or 1 (e^-104 < 2^-150,
		// e^-746 < 2^-1075), and it keeps ±Inf and huge inputs out of the
		// range reduction.
		clamp:    e.num("clamp", e.clamp),
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
	absMin(x value, limit *constant) value         // min(|x|, limit); NaN stays NaN
	signMask(x value) predicate                    // lanes where x < 0 (-0 and NaN may count either way)
	fma(a value, b, c *constant) value             // a·b + c
	sub(a value, b *constant) value                // a - b
	add(a value, b operand) value                  // a + b
	mul(a, b value) value                          // a·b
	fmaTo(acc, a value, b operand)                 // acc += a·b
	fnmaTo(acc, a value, b operand)                // acc -= a·b
	subTo(acc, b value)                            // acc -= b
	addTo(acc, b value)                            // acc += b
	lookup(t value, table *constant) value         // table[low log2 N bits of t's bits]
	horner(s value, poly []*constant) value        // poly[0] + poly[1]·s + …
	exp2(n, t value) power                         // 2^floor(n), from n = t - magic
	scale(v value, p power) value                  // v·2^k, k from p
	blend(p predicate, a value, b *constant) value // p ? a : b
	// divide returns q ≈ num/den and r ≈ 1/den with relative errors whose
	// product is below 2^-(p+3), p the element's precision; for float32
	// also below 2^-44 on lanes not in p with den < 1 + 2^-22 (for correct
	// rounding next to 1-2^-24, see accuracy.NearOneEdge). q ≥ num/2
	// whenever den ≤ 2. den is consumed.
	divide(p predicate, num, den value) (q, r value)
	addIf(p predicate, acc, v value)       // acc += v where p
	scaleIf(p predicate, v value, e power) // v ·= 2^k where p, rounding once into the subnormals
}

// fastBlock reports whether m emits code for blocks known to hold no
// input whose result is subnormal, no NaN and no infinity (a machine
// without such blocks need not implement it).
func fastBlock(m machine) bool {
	f, ok := m.(interface{ fast() bool })
	return ok && f.fast()
}

type value any
type predicate any
type power any

// operand is a value or a constant.
type operand any

// sigmoid is the algorithm, once for every ISA.
//
// With a = |x| and e = e^-a, sigmoid(x) is 1/(1+e) for x ≥ 0 and e/(1+e) for
// x < 0: both a quotient num/(1+e) with num in (0, 1], so nothing cancels.
// e is carried as 2^k·(th + p) with th from a table and p small, and the
// quotient is corrected once with its residual, so that the only rounding
// that matters is the last one: the result is within 1 ULP everywhere.
func sigmoid(m machine, k *consts, x value) value {
	neg := m.signMask(x)
	a := m.absMin(x, k.clamp)

	// a = -n'·ln2 + s with n' = k + j/N, |s| ≤ ln2/2N; then
	// e^-a = 2^k · 2^(j/N) · e^-s.
	t := m.fma(a, k.negLog2e, k.magic)
	n := m.sub(t, k.magic)
	s := a
	m.fmaTo(s, n, k.ln2hi) // exact: the FMA's product is exact and s ≪ a
	m.fmaTo(s, n, k.ln2lo)
	th := m.lookup(t, k.tabHi)
	v := m.lookup(t, k.tabRel)

	// e^-s = 1 + s·u(s) and 2^(j/N) = th·(1 + tr), so 2^(j/N)·e^-s =
	// th + th·(s·u + tr) = th + p to well below an ULP, then renormalised
	// (Fast2Sum: |p| < th) to eh + el with el below half an ULP of eh: the
	// numerator and denominator need eh to full precision. Fast code
	// scales th by 2^k first (nothing underflows there), which scales p,
	// eh and el with it, exactly.
	u := m.horner(s, k.poly)
	m.fmaTo(v, s, u)
	pw := m.exp2(n, t)
	if fastBlock(m) {
		th = m.scale(th, pw)
	}
	p := m.mul(th, v)
	eh := m.add(th, p)
	el := th
	m.subTo(el, eh)
	m.addTo(el, p)

	// e = 2^k·(eh + el) and d = 1 + e, rounded to dh for the reciprocal.
	seh, sel := eh, el // already scaled in fast code
	if !fastBlock(m) {
		seh = m.scale(eh, pw)
		sel = m.scale(el, pw)
	}
	dh := m.add(seh, k.one)

	// On negative lanes the numerator is e = seh + sel, on the others 1.
	// Where a result may be subnormal it is e/2^k = eh + el instead, and 2^k
	// goes back at the end, so that the result is rounded only once.
	unscaled := !fastBlock(m)
	numHi, numLo := seh, sel
	if unscaled {
		numHi, numLo = eh, el
	}
	num := m.blend(neg, numHi, k.one)
	q, r := m.divide(neg, num, dh)

	// Residual num - q·d: num - q is exact (d ≤ 2 keeps q within a factor 2
	// of num: Sterbenz), the rest is small, so one correction q += res·r
	// leaves an error of about err(q)·err(r), far below half an ULP.
	res := num
	m.subTo(res, q)
	m.fnmaTo(res, q, seh)
	m.fnmaTo(res, q, sel)
	m.addIf(neg, res, numLo)
	m.fmaTo(q, res, r)

	if unscaled {
		m.scaleIf(neg, q, pw)
	}
	return q
}
