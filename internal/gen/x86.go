package main

import (
	"fmt"
	"math"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// x86 implements machine on avo for AVX2 (YMM) and AVX-512 (ZMM with
// opmask registers). Each value is one virtual register per unrolled
// vector; every method emits its instruction once per vector, so unrolled
// copies are interleaved instruction by instruction.
type x86 struct {
	v      variant
	avx512 bool
	safe   bool // code for blocks with some |x| > fastLimit, NaN or ±Inf
	unroll int
	k      *consts
	regs   map[*constant]reg.VecVirtual // constants kept in registers
	mems   map[*constant]Mem            // every constant, as a vector in memory
}

type vregs []reg.VecVirtual

// x86Power is the 2^k of e = 2^k·(eh + el), in the forms the two ISAs and
// the two kinds of code use:
//   - n: the float k + j/N, whose floor VSCALEFPS takes (AVX-512);
//   - shifted: k<<23 as integers, to add into exponent fields (AVX2, and
//     the safe code of both);
//   - factor: 2^k as a float (AVX2).
//
// For the denominator only, safe code clamps k to ≥ -60: a smaller k
// changes d = 1 + e by less than 2^-59, and the clamp keeps e's scaled
// halves well above the subnormals, whose every use costs a microcode
// assist on many cores.
type x86Power struct{ n, shifted, factor vregs }

// predicate is the mask of negative lanes: opmask registers on AVX-512;
// on AVX2 x itself, whose sign bits VBLENDVPS reads. x is kept for the
// safe code's NaN-aware mask.
type x86Pred struct {
	k []reg.Register
	x vregs
}

func (m *x86) fast() bool { return !m.safe }

func (m *x86) lanes() int {
	if m.avx512 {
		return 16
	}
	return 8
}

func (m *x86) newv() vregs {
	r := make(vregs, m.unroll)
	for i := range r {
		if m.avx512 {
			r[i] = ZMM()
		} else {
			r[i] = YMM()
		}
	}
	return r
}

func (m *x86) with(unroll int) *x86 {
	c := *m
	c.unroll = unroll
	return &c
}

// op is a constant as an instruction operand: its register if it has one,
// its memory otherwise.
func (m *x86) op(c *constant) Op {
	if r, ok := m.regs[c]; ok {
		return r
	}
	return m.mems[c]
}

// reg is a constant that an instruction form needs in a register.
func (m *x86) reg(c *constant) reg.VecVirtual {
	r, ok := m.regs[c]
	if !ok {
		panic(fmt.Sprintf("%s: constant %s must be kept in a register", m.v.name, c.name))
	}
	return r
}

// anyOp is a value or a constant as an instruction operand, for unrolled
// copy i.
func (m *x86) anyOp(o operand, i int) Op {
	switch o := o.(type) {
	case vregs:
		return o[i]
	case *constant:
		return m.op(o)
	}
	panic("x86: bad operand")
}

func (m *x86) each(f func(i int)) {
	for i := 0; i < m.unroll; i++ {
		f(i)
	}
}

// declare emits the constants' data: broadcast constants repeated across a
// vector so that any instruction can take them as a memory operand.
func (m *x86) declare(extra ...*constant) {
	m.mems = map[*constant]Mem{}
	all := []*constant{m.k.clamp, m.k.negLog2e, m.k.magic, m.k.ln2hi, m.k.ln2lo, m.k.one, m.k.tabHi, m.k.tabLo}
	all = append(all, m.k.poly...)
	all = append(all, extra...)
	for _, c := range all {
		mem := GLOBL(m.v.name+"_"+c.name, RODATA|NOPTR)
		vals := c.vals
		if len(vals) == 1 {
			for len(vals) < m.lanes() {
				vals = append(vals, c.vals[0])
			}
		}
		for i, x := range vals {
			DATA(4*i, U32(math.Float32bits(x)))
		}
		m.mems[c] = mem
	}
}

// loadRegs loads the constants that instruction forms need in registers
// (or that are hot enough to deserve one).
func (m *x86) loadRegs(cs ...*constant) {
	m.regs = map[*constant]reg.VecVirtual{}
	for _, c := range cs {
		var r reg.VecVirtual
		if m.avx512 {
			r = ZMM()
		} else {
			r = YMM()
		}
		VMOVUPS(m.mems[c], r)
		m.regs[c] = r
	}
}

func (m *x86) absMin(x value, limit *constant) value {
	xs, a := x.(vregs), m.newv()
	m.each(func(i int) { VANDPS(m.op(absMask), xs[i], a[i]) })
	if !m.safe {
		return a // fast code: |x| ≤ fastLimit < limit, no NaN
	}
	// MINPS returns its second source when either is NaN: put a there; its
	// first must be a register.
	c := m.newv()[0]
	VMOVUPS(m.op(limit), c)
	m.each(func(i int) { VMINPS(a[i], c, a[i]) })
	return a
}

// absMask clears the sign bit.
var absMask = &constant{name: "absmask", vals: []float32{math.Float32frombits(0x7fffffff)}}

func (m *x86) signMask(x value) predicate {
	xs := x.(vregs)
	p := x86Pred{x: xs}
	if m.avx512 {
		// x < 0, ordered: NaN lanes count as positive ones, which suits the
		// safe code's integer steps (they must not touch a NaN).
		p.k = make([]reg.Register, m.unroll)
		m.each(func(i int) { p.k[i] = K(); VCMPPS(U8(0x11), m.op(zero), xs[i], p.k[i]) }) // LT_OQ
	}
	return p
}

func (m *x86) fma(a value, b, c *constant) value {
	as, d := a.(vregs), m.newv()
	m.each(func(i int) { VMOVUPS(m.op(c), d[i]) })
	m.each(func(i int) { VFMADD231PS(m.op(b), as[i], d[i]) })
	return d
}

func (m *x86) sub(a value, b *constant) value {
	as, d := a.(vregs), m.newv()
	m.each(func(i int) { VSUBPS(m.op(b), as[i], d[i]) })
	return d
}

func (m *x86) add(a value, b operand) value {
	as, d := a.(vregs), m.newv()
	m.each(func(i int) { VADDPS(m.anyOp(b, i), as[i], d[i]) })
	return d
}

func (m *x86) mul(a, b value) value {
	as, bs, d := a.(vregs), b.(vregs), m.newv()
	m.each(func(i int) { VMULPS(bs[i], as[i], d[i]) })
	return d
}

func (m *x86) fmaTo(acc, a value, b operand) {
	accs, as := acc.(vregs), a.(vregs)
	m.each(func(i int) { VFMADD231PS(m.anyOp(b, i), as[i], accs[i]) })
}

func (m *x86) fnmaTo(acc, a value, b operand) {
	accs, as := acc.(vregs), a.(vregs)
	m.each(func(i int) { VFNMADD231PS(m.anyOp(b, i), as[i], accs[i]) })
}

func (m *x86) subTo(acc, b value) {
	accs, bs := acc.(vregs), b.(vregs)
	m.each(func(i int) { VSUBPS(bs[i], accs[i], accs[i]) })
}

func (m *x86) addTo(acc, b value) {
	accs, bs := acc.(vregs), b.(vregs)
	m.each(func(i int) { VADDPS(bs[i], accs[i], accs[i]) })
}

func (m *x86) lookup(t value, table *constant) value {
	ts, d := t.(vregs), m.newv()
	m.each(func(i int) { VPERMPS(m.op(table), ts[i], d[i]) })
	return d
}

func (m *x86) horner(s value, poly []*constant) value {
	ss, u := s.(vregs), m.newv()
	last := len(poly) - 1
	m.each(func(i int) { VMOVUPS(m.op(poly[last]), u[i]) })
	for j := last - 1; j >= 0; j-- {
		m.each(func(i int) { VFMADD213PS(m.op(poly[j]), ss[i], u[i]) })
	}
	return u
}

// Constants of the power-of-two steps.
var (
	minExpField = &constant{name: "minexp", vals: []float32{math.Float32frombits(minExpBits)}}
	minExpFloat = &constant{name: "minexpf", vals: []float32{minExp}}
	oneBits     = &constant{name: "onebits", vals: []float32{1}} // 127<<23
	twoTo64     = &constant{name: "two64", vals: []float32{0x1p64}}
	twoToM62    = &constant{name: "twom62", vals: []float32{0x1p-62}}
	half        = &constant{name: "half", vals: []float32{0.5}}
	dropLastBit = &constant{name: "droplastbit", vals: []float32{math.Float32frombits(0xfffffffe)}}
	zero        = &constant{name: "zero", vals: []float32{0}}
	fastBits    = &constant{name: "fastlimit", vals: []float32{fastLimit}}
)

// minExp is the smallest k safe code scales e by for the denominator, and
// minExpBits is minExp<<23 as a two's-complement 32-bit integer.
const minExp = -60

var minExpBits = uint32(1<<32 + minExp<<23)

// fastLimit bounds |x| in blocks that take the fast code: with |x| ≤ 32,
// k ≥ -47, so neither half of e nor the result comes near a subnormal, and
// no lane is NaN or ±Inf.
const fastLimit = 32

func (m *x86) exp2(n, t value) power {
	ns, ts := n.(vregs), t.(vregs)
	p := x86Power{n: ns}
	if m.avx512 && !m.safe {
		return p // VSCALEFPS does it all
	}
	// t's mantissa holds 2^22 + N·n' = 2^22 + N·k + j: shifting out the
	// log2 N index bits and back up by 23 leaves k<<23 (the rest overflows).
	p.shifted = m.newv()
	m.each(func(i int) { VPSRLD(U8(log2(m.v.tableSize)), ts[i], p.shifted[i]) })
	m.each(func(i int) { VPSLLD(U8(23), p.shifted[i], p.shifted[i]) })
	if m.avx512 {
		p.n = m.newv()
		m.each(func(i int) { VMAXPS(m.op(minExpFloat), ns[i], p.n[i]) })
		return p
	}
	p.factor = m.newv()
	if m.safe {
		m.each(func(i int) { VPMAXSD(m.op(minExpField), p.shifted[i], p.factor[i]) })
		m.each(func(i int) { VPADDD(m.op(oneBits), p.factor[i], p.factor[i]) })
	} else {
		m.each(func(i int) { VPADDD(m.op(oneBits), p.shifted[i], p.factor[i]) })
	}
	return p
}

func (m *x86) scale(v value, p power) value {
	vs, d := v.(vregs), m.newv()
	if m.avx512 {
		n := p.(x86Power).n
		m.each(func(i int) { VSCALEFPS(n[i], vs[i], d[i]) })
		return d
	}
	f := p.(x86Power).factor
	m.each(func(i int) { VMULPS(f[i], vs[i], d[i]) })
	return d
}

func (m *x86) blend(p predicate, a value, b *constant) value {
	as, d := a.(vregs), m.newv()
	if m.avx512 {
		ks := p.(x86Pred).k
		m.each(func(i int) { VBLENDMPS(as[i], m.reg(b), ks[i], d[i]) })
		return d
	}
	xs := p.(x86Pred).x
	m.each(func(i int) { VBLENDVPS(xs[i], as[i], m.reg(b), d[i]) })
	return d
}

func (m *x86) divide(p predicate, num, den value) (value, value) {
	ns, d, q, r := num.(vregs), den.(vregs), m.newv(), m.newv()
	if m.avx512 {
		// RCP14 is within 2^-14, exact at 1 and never below 1/2 on [1, 2],
		// so q ≥ num/2 (den ≤ 2); the clamp to 1/2 makes that independent of
		// the implementation. Next to 1, den is 1 or 1+2^-23 and clearing
		// its last bit makes it 1, whose reciprocal is exact: the correction
		// is then exact too (as integers, positive floats order like their
		// values, and integer ops run on any vector pipe).
		m.each(func(i int) { VPANDD(m.op(dropLastBit), d[i], d[i]) })
		m.each(func(i int) { VRCP14PS(d[i], r[i]) })
		m.each(func(i int) { VPMAXSD(m.op(half), r[i], r[i]) })
		m.each(func(i int) { VMULPS(r[i], ns[i], q[i]) })
		return q, r
	}
	// A correctly rounded quotient, so q ≥ num/2 when den ≤ 2. Where num is 1
	// (lanes not in p) q is 1/den within 2^-23 and serves as r too, making
	// the correction's error near 2^-46; elsewhere RCPPS's 2^-11.4 will do.
	m.each(func(i int) { VDIVPS(d[i], ns[i], q[i]) })
	m.each(func(i int) { VRCPPS(d[i], r[i]) })
	xs := p.(x86Pred).x
	m.each(func(i int) { VBLENDVPS(xs[i], r[i], q[i], r[i]) })
	return q, r
}

func (m *x86) addIf(p predicate, acc, v value) {
	accs, vs := acc.(vregs), v.(vregs)
	if m.avx512 {
		ks := p.(x86Pred).k
		m.each(func(i int) { VADDPS(vs[i], accs[i], ks[i], accs[i]) })
		return
	}
	xs, t := p.(x86Pred).x, m.newv()
	m.each(func(i int) { VADDPS(vs[i], accs[i], t[i]) })
	m.each(func(i int) { VBLENDVPS(xs[i], t[i], accs[i], accs[i]) })
}

func (m *x86) scaleIf(p predicate, v value, e power) {
	vs, pw, pr := v.(vregs), e.(x86Power), p.(x86Pred)
	if !m.safe {
		// Every result here is a normal number.
		if m.avx512 {
			m.each(func(i int) { VSCALEFPS(pw.n[i], vs[i], pr.k[i], vs[i]) })
			return
		}
		t := m.newv()
		m.each(func(i int) { VPADDD(pw.shifted[i], vs[i], t[i]) })
		m.each(func(i int) { VBLENDVPS(pr.x[i], t[i], vs[i], vs[i]) })
		return
	}
	// v·2^k built in the integers, so no floating-point operation ever
	// returns a subnormal: a normal result is v's bits plus k<<23; a
	// subnormal one is v·2^(k+64) rounded once onto the grid 2^-85 by adding
	// 2^-62 (2^-85 is 2^-149 scaled by 2^64), whose bits less those of 2^-62
	// count its 2^-149 steps, which are a subnormal's bits. Of the two, the
	// larger as signed integers is the right one (for a subnormal result the
	// exponent sum is ≤ 0, so the first wraps below the second; for a normal
	// one the second is at most the first).
	norm, sub := m.newv(), m.newv()
	m.each(func(i int) { VPADDD(pw.shifted[i], vs[i], norm[i]) })
	m.each(func(i int) { VPADDD(m.op(twoTo64), pw.shifted[i], sub[i]) })
	m.each(func(i int) { VFMADD213PS(m.op(twoToM62), vs[i], sub[i]) })
	m.each(func(i int) { VPSUBD(m.op(twoToM62), sub[i], sub[i]) })
	// Only ordered negative lanes: integer steps would turn a NaN into a
	// number, so NaN lanes keep v.
	if m.avx512 {
		m.each(func(i int) { VPMAXSD(sub[i], norm[i], pr.k[i], vs[i]) })
		return
	}
	m.each(func(i int) { VPMAXSD(sub[i], norm[i], norm[i]) })
	m.each(func(i int) { VCMPPS(U8(0x11), m.op(zero), pr.x[i], sub[i]) }) // LT_OQ
	m.each(func(i int) { VBLENDVPS(sub[i], norm[i], vs[i], vs[i]) })
}
