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
	hot    bool // the fast code's hot constants in registers (gen)
	unroll int
	k      *consts
	c      *x86Consts
	ops    x86Ops
	regs   map[*constant]reg.VecVirtual // constants kept in registers
	// loadedFrom is the memory each input vector was loaded from as a
	// whole (hold).
	loadedFrom map[reg.VecVirtual]Mem
	// consts is the data block of every constant, each a vector in its own
	// cache-line-aligned slot; offs are the slots' offsets from the first
	// aligned address in it, which base holds while a function runs.
	consts   Mem
	offs     map[*constant]int
	blockLen int
	base     reg.GPVirtual
	// safeLabel is where fast code goes when requireFast fails.
	safeLabel string
	// pairIdx caches the VPERMPS dword indices made from a t (AVX2
	// float64), so that the two table lookups of one t share them.
	pairIdx map[reg.VecVirtual]reg.VecVirtual
}

// x86Ops are the instructions whose form depends on the element type.
type x86Ops struct {
	add, sub, mul, div, min, max, cmp        func(...Op)
	blendv                                   func(mask, a, b, d Op)
	fmadd231, fmadd213, fnmadd231, fnmadd213 func(...Op)
	fmsub231                                 func(...Op)
	scalef, blendm, perm                     func(...Op)
	padd, psub, psrl, psll                   func(...Op)
	pmaxs                                    func(...Op) // AVX-512 only for float64
	movZ                                     func(mxyz, k, mxyz1 Op)
	movScalar                                func(src, dst Op) // one element between memory and a general register
}

var (
	opsPS = x86Ops{
		add: VADDPS, sub: VSUBPS, mul: VMULPS, div: VDIVPS, min: VMINPS, max: VMAXPS, cmp: VCMPPS, blendv: VBLENDVPS,
		fmadd231: VFMADD231PS, fmadd213: VFMADD213PS, fnmadd231: VFNMADD231PS, fnmadd213: VFNMADD213PS, fmsub231: VFMSUB231PS,
		scalef: VSCALEFPS, blendm: VBLENDMPS, perm: VPERMPS,
		padd: VPADDD, psub: VPSUBD, psrl: VPSRLD, psll: VPSLLD, pmaxs: VPMAXSD,
		movZ: VMOVUPS_Z, movScalar: MOVL,
	}
	opsPD = x86Ops{
		add: VADDPD, sub: VSUBPD, mul: VMULPD, div: VDIVPD, min: VMINPD, max: VMAXPD, cmp: VCMPPD, blendv: VBLENDVPD,
		fmadd231: VFMADD231PD, fmadd213: VFMADD213PD, fnmadd231: VFNMADD231PD, fnmadd213: VFNMADD213PD, fmsub231: VFMSUB231PD,
		scalef: VSCALEFPD, blendm: VBLENDMPD, perm: VPERMPD,
		padd: VPADDQ, psub: VPSUBQ, psrl: VPSRLQ, psll: VPSLLQ, pmaxs: VPMAXSQ,
		movZ: VMOVUPD_Z, movScalar: MOVQ,
	}
)

func newX86(v variant) *x86 {
	m := &x86{v: v, avx512: v.name == "avx512", k: newConsts(v), c: newX86Consts(v.elem), ops: opsPS, loadedFrom: map[reg.VecVirtual]Mem{}}
	m.c.scaledTable = scaledTable(m.k.tabHi, v)
	if v.elem == f64 {
		m.ops = opsPD
	}
	return m
}

type vregs []reg.VecVirtual

// x86Power is the 2^k of e = 2^k·(eh + el), in the forms the two ISAs and
// the two kinds of code use:
//   - n: the float k + j/N, whose floor VSCALEFPS/PD takes (AVX-512);
//   - shifted: k shifted into the exponent field (<<23, <<52) as integers,
//     to add into exponent fields (the safe code of both); in AVX2's fast
//     code t's bits shifted so, j's bits included, for the pre-biased
//     table (see exp2);
//   - factor: 2^k as a float (AVX2's safe code).
//
// For the denominator only, safe code clamps k to ≥ minExp (-60, -120): a
// smaller k changes d = 1 + e by far less than an ulp, and the clamp keeps
// e's scaled halves well above the subnormals, whose every use costs a
// microcode assist on many cores. scale makes that clamped form when it
// first needs it (code that only calls scaleIf never does).
type x86Power struct {
	n, shifted, factor vregs
	clamped            bool // n or factor holds the clamped form
}

// predicate is the mask of negative lanes: opmask registers on AVX-512;
// on AVX2 x itself, whose sign bits VBLENDVPS/PD reads. x is kept for the
// safe code's NaN-aware mask.
type x86Pred struct {
	k []reg.Register
	x vregs
}

func (m *x86) lanes() int {
	if m.avx512 {
		return 64 / m.v.elem.bytes
	}
	return 32 / m.v.elem.bytes
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
	c.pairIdx = map[reg.VecVirtual]reg.VecVirtual{}
	return &c
}

// op is a constant as an instruction operand: its register if it has one,
// its memory otherwise.
func (m *x86) op(c *constant) Op {
	if r, ok := m.regs[c]; ok {
		return r
	}
	off, ok := m.offs[c]
	if !ok {
		panic(fmt.Sprintf("%s: constant %s is not in the data block (declare)", m.v.name, c.name))
	}
	return Mem{Base: m.base, Disp: off}
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
// vector so that any instruction can take them as a memory operand. A ZMM
// operand that straddles two cache lines costs a split load every time
// (the AVX-512 kernels ran 1.6 times slower with some), and the linker
// aligns data to 32 bytes, not 64: each constant gets a 64-byte slot in a
// block of L bytes, written twice, at 0 and at L+32, so that one of the two
// copies starts on a 64-byte boundary wherever the linker puts the symbol
// (loadBase picks it).
func (m *x86) declare() {
	m.offs = map[*constant]int{}
	c := m.c
	all := []*constant{m.k.clamp, m.k.negLog2e, m.k.magic, m.k.ln2hi, m.k.ln2lo, m.k.one, m.k.tabHi, m.k.tabRel}
	all = append(all, m.k.poly...)
	all = append(all, m.k.large, m.k.negLarge, c.absMask, c.signBit, c.half, c.fastBits, c.zero, c.twoToS, c.subAdder, c.dropLastBit)
	if m.avx512 {
		all = append(all, c.minExpFloat)
	} else {
		all = append(all, c.minExpField, c.oneBits, c.scaledTable)
		if m.v.elem == f64 {
			all = append(all, c.pairIdx)
		}
	}
	m.consts = GLOBL(m.v.sym()+"_consts", RODATA|NOPTR)
	off := 0
	for _, c := range all {
		m.offs[c] = off
		off += (len(c.bits)*m.v.elem.bytes + 63) / 64 * 64
	}
	m.blockLen = off
	for _, copyAt := range []int{0, off + 32} {
		for _, c := range all {
			bits := c.bits
			for len(bits) < m.lanes() {
				bits = append(bits, c.bits[0])
			}
			for i, b := range bits {
				at := copyAt + m.offs[c] + i*m.v.elem.bytes
				if m.v.elem.bytes == 4 {
					DATA(at, U32(uint32(b)))
				} else {
					DATA(at, U64(b))
				}
			}
		}
	}
}

// loadBase points m.base at the copy of the constants that starts on a
// 64-byte boundary: the first if the symbol does, else the second, L+32
// bytes on.
func (m *x86) loadBase() {
	m.base = GP64()
	LEAQ(m.consts, m.base)
	t := GP64()
	MOVQ(m.base, t)
	ANDQ(U8(32), t)
	IMUL3Q(U32((m.blockLen+32)/32), t, t)
	ADDQ(t, m.base)
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
		VMOVUPS(m.op(c), r)
		m.regs[c] = r
	}
}

func (m *x86) absMin(x value, limit *constant) value {
	xs := x.(vregs)
	a := m.newv()
	m.each(func(i int) { VANDPS(m.op(m.c.absMask), xs[i], a[i]) })
	// MINPS returns its second source when either is NaN: put a there; its
	// first must be a register.
	c := m.newv()[0]
	VMOVUPS(m.op(limit), c)
	m.each(func(i int) { m.ops.min(a[i], c, a[i]) })
	return a
}

// x86Consts are the back end's own constants, for one element type.
type x86Consts struct {
	absMask, signBit, half, zero, dropLastBit *constant
	// fastBits is what |x|'s bits, compared as signed 32-bit integers,
	// must not exceed in a fast block: fastLimit's bits; for float64 its
	// high word and a low word of 0x7fffffff, which no low word exceeds,
	// so that the same 32-bit compare decides on the high words alone
	// (the limit is then fastLimit's high word's, a hair above fastLimit).
	fastBits *constant
	// minExpField is minExp shifted into the exponent field, minExpFloat
	// minExp as a float, oneBits 1's bits (the exponent bias, shifted).
	minExpField, minExpFloat, oneBits *constant
	// twoToS and subAdder place a subnormal result on a grid scaled by
	// 2^S (see scaleIf).
	twoToS, subAdder *constant
	// pairIdx is 1 in each odd dword: AVX2 float64 table lookups fetch
	// entry j as dwords 2j and 2j+1.
	pairIdx *constant
	// scaledTable is the 2^(j/N) table for AVX2's scaledLookup.
	scaledTable *constant
}

// subScale is S, the power of two a subnormal result is scaled by while it
// is rounded (see scaleIf).
const subScale = 64

func newX86Consts(e elem) *x86Consts {
	fast := e.bits(e.fastLimit)
	if e == f64 {
		fast |= 0x7fffffff
	}
	minNormal := 1 - e.bias
	return &x86Consts{
		absMask:     pattern("absmask", e.signBit()-1),
		signBit:     pattern("signbit", e.signBit()),
		half:        e.num("half", 0.5),
		zero:        e.num("zero", 0),
		dropLastBit: pattern("droplastbit", e.intBits(-2)),
		fastBits:    pattern("fastlimit", fast),
		minExpField: pattern("minexp", e.intBits(int64(e.minExp)<<e.mant)),
		minExpFloat: e.num("minexpf", float64(e.minExp)),
		oneBits:     e.num("onebits", 1),
		twoToS:      e.num(fmt.Sprintf("two%d", subScale), math.Exp2(subScale)),
		subAdder:    e.num(fmt.Sprintf("twom%d", -(minNormal+subScale)), math.Exp2(float64(minNormal+subScale))),
		pairIdx:     pattern("pairidx", 1<<32),
	}
}

func (m *x86) signMask(x value) predicate {
	xs := x.(vregs)
	p := x86Pred{x: xs}
	if m.avx512 {
		// x < 0, ordered: NaN lanes count as positive ones, which suits the
		// safe code's integer steps (they must not touch a NaN).
		p.k = make([]reg.Register, m.unroll)
		m.each(func(i int) { p.k[i] = K(); m.ops.cmp(U8(0x11), m.op(m.c.zero), xs[i], p.k[i]) }) // LT_OQ
	}
	return p
}

func (m *x86) fma(a value, b, c *constant) value {
	as, d := a.(vregs), m.newv()
	m.each(func(i int) { VMOVUPS(m.op(c), d[i]) })
	m.each(func(i int) { m.ops.fmadd231(m.op(b), as[i], d[i]) })
	return d
}

func (m *x86) sub(a value, b operand) value {
	as, d := a.(vregs), m.newv()
	m.each(func(i int) { m.ops.sub(m.anyOp(b, i), as[i], d[i]) })
	return d
}

func (m *x86) minOf(a value, b *constant) value {
	as, d := a.(vregs), m.newv()
	m.each(func(i int) { m.ops.min(m.op(b), as[i], d[i]) })
	return d
}

func (m *x86) maxOf(a value, b *constant) value {
	as, d := a.(vregs), m.newv()
	m.each(func(i int) { m.ops.max(m.op(b), as[i], d[i]) })
	return d
}

// negMulAdd works in a's registers: the FMA's 213 form.
func (m *x86) negMulAdd(a, b value, c operand) value {
	as, bs := a.(vregs), b.(vregs)
	m.each(func(i int) { m.ops.fnmadd213(m.anyOp(c, i), bs[i], as[i]) })
	return as
}

func (m *x86) add(a value, b operand) value {
	as, d := a.(vregs), m.newv()
	m.each(func(i int) { m.ops.add(m.anyOp(b, i), as[i], d[i]) })
	return d
}

func (m *x86) mul(a, b value) value {
	as, bs, d := a.(vregs), b.(vregs), m.newv()
	m.each(func(i int) { m.ops.mul(bs[i], as[i], d[i]) })
	return d
}

func (m *x86) fmaTo(acc, a value, b operand) {
	accs, as := acc.(vregs), a.(vregs)
	m.each(func(i int) { m.ops.fmadd231(m.anyOp(b, i), as[i], accs[i]) })
}

func (m *x86) fnmaTo(acc, a value, b operand) {
	accs, as := acc.(vregs), a.(vregs)
	m.each(func(i int) { m.ops.fnmadd231(m.anyOp(b, i), as[i], accs[i]) })
}

func (m *x86) mulSubFrom(acc, a value, b operand) {
	accs, as := acc.(vregs), a.(vregs)
	m.each(func(i int) { m.ops.fmsub231(m.anyOp(b, i), as[i], accs[i]) })
}

func (m *x86) subTo(acc, b value) {
	accs, bs := acc.(vregs), b.(vregs)
	m.each(func(i int) { m.ops.sub(bs[i], accs[i], accs[i]) })
}

func (m *x86) addTo(acc, b value) {
	accs, bs := acc.(vregs), b.(vregs)
	m.each(func(i int) { m.ops.add(bs[i], accs[i], accs[i]) })
}

// lookup: VPERMPS/VPERMPD index with the low bits of each lane, t's low
// mantissa bits. AVX2 has no variable permute of 64-bit lanes, so there a
// float64 table is 2N dwords and lane j's indices are 2j and 2j+1:
// t+t's low dword holds 2j in its low bits, VPSHUFD copies it into the
// high dword, and OR-ing pairIdx makes that 2j+1.
func (m *x86) lookup(t value, table *constant) value {
	ts, d := t.(vregs), m.newv()
	if table == m.k.tabHi && !m.avx512 && !m.safe {
		table = m.c.scaledTable // for fast code's scale (see exp2)
	}
	if m.avx512 || m.v.elem == f32 {
		m.each(func(i int) { m.ops.perm(m.op(table), ts[i], d[i]) })
		return d
	}
	if _, ok := m.pairIdx[ts[0]]; !ok {
		idx := m.newv()
		m.each(func(i int) { VPADDQ(ts[i], ts[i], idx[i]) })
		m.each(func(i int) { VPSHUFD(U8(0xa0), idx[i], idx[i]) })
		m.each(func(i int) { VPOR(m.op(m.c.pairIdx), idx[i], idx[i]) })
		m.each(func(i int) { m.pairIdx[ts[i]] = idx[i] })
	}
	m.each(func(i int) { VPERMPS(m.op(table), m.pairIdx[ts[i]], d[i]) })
	return d
}

func (m *x86) horner(s value, poly []*constant) value {
	ss, u := s.(vregs), m.newv()
	last := len(poly) - 1
	m.each(func(i int) { VMOVUPS(m.op(poly[last]), u[i]) })
	for j := last - 1; j >= 0; j-- {
		m.each(func(i int) { m.ops.fmadd213(m.op(poly[j]), ss[i], u[i]) })
	}
	return u
}

// imax sets d to the larger of a and b as signed integers of the element's
// width. AVX2 has no VPMAXSQ: a compare and a blend.
func (m *x86) imax(a, b Op, d reg.VecVirtual) {
	if m.avx512 || m.v.elem == f32 {
		m.ops.pmaxs(a, b, d)
		return
	}
	ra, ok := a.(reg.VecVirtual)
	if !ok {
		ra = m.with(1).newv()[0]
		VMOVUPD(a, ra)
	}
	gt := m.with(1).newv()[0]
	VPCMPGTQ(ra, b, gt) // b > a
	VBLENDVPD(gt, b, ra, d)
}

func (m *x86) exp2(n, t value) power {
	ns, ts := n.(vregs), t.(vregs)
	p := &x86Power{n: ns}
	if !m.safe {
		if m.avx512 {
			return p // VSCALEF does it all
		}
		// In fast code k goes into the exponent field in the integers: t's
		// bits shifted left by mant - log2 N are k<<mant + j<<(mant - log2 N)
		// (magic's low bits shift out), and the table lookup of 2^(j/N)
		// took its bits less j<<(mant - log2 N) (scaledTable).
		p.shifted = m.newv()
		m.each(func(i int) { m.ops.psll(U8(m.v.elem.mant-log2(m.v.tableSize)), ts[i], p.shifted[i]) })
		return p
	}
	// t's mantissa holds 1.5·2^m' + N·n' = 2^m' + N·k + j: shifting out the
	// log2 N index bits and back up by the mantissa width leaves k in the
	// exponent field (the rest overflows).
	p.shifted = m.newv()
	m.each(func(i int) { m.ops.psrl(U8(log2(m.v.tableSize)), ts[i], p.shifted[i]) })
	m.each(func(i int) { m.ops.psll(U8(m.v.elem.mant), p.shifted[i], p.shifted[i]) })
	return p
}

// clampPower makes p's clamped form for safe code's scale (see x86Power).
func (m *x86) clampPower(p *x86Power) {
	if p.clamped {
		return
	}
	p.clamped = true
	if m.avx512 {
		ns := p.n
		p.n = m.newv()
		m.each(func(i int) { m.ops.max(m.op(m.c.minExpFloat), ns[i], p.n[i]) })
		return
	}
	p.factor = m.newv()
	m.each(func(i int) { m.imax(m.op(m.c.minExpField), p.shifted[i], p.factor[i]) })
	m.each(func(i int) { m.ops.padd(m.op(m.c.oneBits), p.factor[i], p.factor[i]) })
}

func (m *x86) scale(v value, pw power) value {
	vs, d, p := v.(vregs), m.newv(), pw.(*x86Power)
	if m.safe {
		m.clampPower(p)
	}
	if m.avx512 {
		m.each(func(i int) { m.ops.scalef(p.n[i], vs[i], d[i]) })
		return d
	}
	if !m.safe {
		m.each(func(i int) { m.ops.padd(p.shifted[i], vs[i], d[i]) })
		return d
	}
	m.each(func(i int) { m.ops.mul(p.factor[i], vs[i], d[i]) })
	return d
}

// defineWhole sets x to zero with an idiom that reads nothing, neither to
// the CPU nor to avo: before an instruction that writes only part of x, or
// that avo takes to read it, so that avo does not hold x live from the
// function's entry, through the main loop, at the cost of a register
// there. (VXORPS on a ZMM register needs AVX512DQ, which the AVX-512
// kernels require.)
func defineWhole(x reg.VecVirtual) { VXORPS(x, x, x) }

func (m *x86) blend(p predicate, a value, b *constant) value {
	as, d := a.(vregs), m.newv()
	if m.avx512 {
		ks := p.(x86Pred).k
		m.each(func(i int) {
			defineWhole(d[i]) // avo takes VBLENDMPS's destination to be read
			m.ops.blendm(as[i], m.reg(b), ks[i], d[i])
		})
		return d
	}
	xs := p.(x86Pred).x
	m.each(func(i int) { m.ops.blendv(xs[i], as[i], m.reg(b), d[i]) })
	return d
}

func (m *x86) divide(p predicate, num, den value) (value, value) {
	if m.v.elem == f64 {
		return m.divideFloat64(num, den)
	}
	ns, d, q, r := num.(vregs), den.(vregs), m.newv(), m.newv()
	if m.avx512 {
		// RCP14 is within 2^-14, exact at 1 and never below 1/2 on [1, 2],
		// so q ≥ num/2 (den ≤ 2); the clamp to 1/2 makes that independent of
		// the implementation. Next to 1, den is 1 or 1+2^-23 and clearing
		// its last bit makes it 1, whose reciprocal is exact: the correction
		// is then exact too (as integers, positive floats order like their
		// values, and integer ops run on any vector pipe).
		m.each(func(i int) { VPANDD(m.op(m.c.dropLastBit), d[i], d[i]) })
		m.each(func(i int) { VRCP14PS(d[i], r[i]) })
		m.each(func(i int) { VPMAXSD(m.op(m.c.half), r[i], r[i]) })
		m.each(func(i int) { VMULPS(r[i], ns[i], q[i]) })
		return q, r
	}
	// A correctly rounded quotient, so q ≥ num/2 when den ≤ 2. Where num is 1
	// (lanes not in p) q is 1/den within 2^-23 and serves as r too, making
	// the correction's error near 2^-46; elsewhere RCPPS's 2^-11.4 will do.
	m.each(func(i int) { VDIVPS(d[i], ns[i], q[i]) })
	m.each(func(i int) { VRCPPS(d[i], r[i]) })
	if p != nil {
		xs := p.(x86Pred).x
		m.each(func(i int) { VBLENDVPS(xs[i], r[i], q[i], r[i]) })
	}
	return q, r
}

// divideFloat64 is divide for float64: a correctly rounded quotient, so
// q ≥ num/2 when den ≤ 2, and a reciprocal estimate, RCP14PD's 2^-14 or
// RCPPS's 2^-11.4 through float32, whose error times q's 2^-53 is far
// below the 2^-56 the contract asks.
func (m *x86) divideFloat64(num, den value) (value, value) {
	ns, d, q, r := num.(vregs), den.(vregs), m.newv(), m.newv()
	if m.avx512 {
		m.each(func(i int) { VRCP14PD(d[i], r[i]) })
	} else {
		m.each(func(i int) {
			x := XMM()
			VCVTPD2PSY(d[i], x)
			VRCPPS(x, x)
			VCVTPS2PD(x, r[i])
		})
	}
	m.each(func(i int) { VDIVPD(d[i], ns[i], q[i]) })
	return q, r
}

func (m *x86) addIf(p predicate, acc, v value) {
	accs, vs := acc.(vregs), v.(vregs)
	if m.avx512 {
		ks := p.(x86Pred).k
		m.each(func(i int) { m.ops.add(vs[i], accs[i], ks[i], accs[i]) })
		return
	}
	xs, t := p.(x86Pred).x, m.newv()
	m.each(func(i int) { m.ops.add(vs[i], accs[i], t[i]) })
	m.each(func(i int) { m.ops.blendv(xs[i], t[i], accs[i], accs[i]) })
}

func (m *x86) scaleIf(p predicate, v value, e power) {
	vs, pw := v.(vregs), e.(*x86Power)
	// v·2^k built in the integers, so no floating-point operation ever
	// returns a subnormal: a normal result is v's bits plus k's shifted into
	// the exponent field; a subnormal one is v·2^(k+S) rounded once onto
	// the subnormals' grid scaled by 2^S, by adding subAdder, whose ulp
	// that grid step is: the sum's bits less subAdder's count its steps,
	// which are a subnormal's bits. Of the two, the larger as signed
	// integers is the right one (for a subnormal result the exponent sum
	// is ≤ 0, so the first wraps below the second; for a normal one the
	// second is at most the first).
	norm, sub := m.newv(), m.newv()
	m.each(func(i int) { m.ops.padd(pw.shifted[i], vs[i], norm[i]) })
	m.each(func(i int) { m.ops.padd(m.op(m.c.twoToS), pw.shifted[i], sub[i]) })
	m.each(func(i int) { m.ops.fmadd213(m.op(m.c.subAdder), vs[i], sub[i]) })
	m.each(func(i int) { m.ops.psub(m.op(m.c.subAdder), sub[i], sub[i]) })
	if p == nil {
		m.each(func(i int) { m.imax(sub[i], norm[i], vs[i]) })
		return
	}
	// Only ordered negative lanes: integer steps would turn a NaN into a
	// number, so NaN lanes keep v.
	pr := p.(x86Pred)
	if m.avx512 {
		m.each(func(i int) { m.ops.pmaxs(sub[i], norm[i], pr.k[i], vs[i]) })
		return
	}
	m.each(func(i int) { m.imax(sub[i], norm[i], norm[i]) })
	m.each(func(i int) { m.ops.cmp(U8(0x11), m.op(m.c.zero), pr.x[i], sub[i]) }) // LT_OQ
	m.each(func(i int) { m.ops.blendv(sub[i], norm[i], vs[i], vs[i]) })
}

// requireFast jumps to the safe code when any lane of x has |x| >
// fastLimit or is NaN: as integers, |x|'s bits order like |x|, and NaNs
// sort above ±Inf, so one unsigned maximum over the block and one compare
// decide.
func (m *x86) requireFast(x value) {
	xs, abs := x.(vregs), m.newv()
	m.each(func(i int) { VANDPS(m.op(m.c.absMask), xs[i], abs[i]) })
	big := abs[0]
	for i := 1; i < m.unroll; i++ {
		VPMAXUD(abs[i], big, abs[i])
		big = abs[i]
	}
	if m.avx512 {
		k := K()
		VPCMPGTD(m.op(m.c.fastBits), big, k)
		KORTESTW(k, k)
	} else {
		VPCMPGTD(m.op(m.c.fastBits), big, big)
		VPTEST(big, big)
	}
	JNZ(LabelRef(m.safeLabel))
}

// requireTiny jumps to the safe code unless every lane of x is ≤
// -fastLimit: the compare NLE_UQ (not ≤, or unordered) is true on the
// other lanes, NaNs included, and one OR over the block decides.
func (m *x86) requireTiny(x value) {
	xs := x.(vregs)
	const nleUQ = 0x16
	if m.avx512 {
		ks := make([]reg.Register, m.unroll)
		m.each(func(i int) { ks[i] = K(); m.ops.cmp(U8(nleUQ), m.op(m.k.negLarge), xs[i], ks[i]) })
		for i := 1; i < m.unroll; i++ {
			KORW(ks[i], ks[0], ks[0])
		}
		KORTESTW(ks[0], ks[0])
	} else {
		bad := m.newv()
		m.each(func(i int) { m.ops.cmp(U8(nleUQ), m.op(m.k.negLarge), xs[i], bad[i]) })
		for i := 1; i < m.unroll; i++ {
			VORPS(bad[i], bad[0], bad[0])
		}
		VPTEST(bad[0], bad[0])
	}
	JNZ(LabelRef(m.safeLabel))
}

// recip: AVX-512 float32 clears d's last bit, so that d in [1, 1 + 2^-23]
// becomes 1, whose reciprocal RCP14PS (2^-14) gets exactly. AVX2 takes a
// correctly rounded quotient: RCPPS (2^-11.4) is too coarse. So does
// float64: on Zen 5 VDIVPD took Sigmoid64AVX512 from 0.466 to 0.393 ns per
// element (n = 4096, medians of 5 interleaved runs) against RCP14PD and
// two Newton steps, and r·(1 + e + e²), e = 1 - d·r, from RCP14PD gave
// 0.427.
func (m *x86) recip(d value) value {
	ds, r := d.(vregs), m.newv()
	if m.avx512 && m.v.elem == f32 {
		m.each(func(i int) { VPANDD(m.op(m.c.dropLastBit), ds[i], ds[i]) })
		m.each(func(i int) { VRCP14PS(ds[i], r[i]) })
		return r
	}
	m.each(func(i int) { m.ops.div(ds[i], m.reg(m.k.one), r[i]) })
	return r
}

// quietNaN: x + x is x itself, quieted, when x is NaN.
func (m *x86) quietNaN(y, x value) {
	ys, xs := y.(vregs), x.(vregs)
	if m.avx512 {
		m.each(func(i int) {
			k := K()
			m.ops.cmp(U8(3), xs[i], xs[i], k) // UNORD_Q
			m.ops.add(xs[i], xs[i], k, ys[i])
		})
		return
	}
	nan, sum := m.newv(), m.newv()
	m.each(func(i int) { m.ops.cmp(U8(3), xs[i], xs[i], nan[i]) })
	m.each(func(i int) { m.ops.add(xs[i], xs[i], sum[i]) })
	m.each(func(i int) { m.ops.blendv(nan[i], sum[i], ys[i], ys[i]) })
}

// hold records where x was loaded from, for release to load it again; an
// x loaded otherwise (a tail's halves) is copied.
func (m *x86) hold(x value) held {
	xs := x.(vregs)
	mems := make([]Mem, len(xs))
	for i, r := range xs {
		mem, ok := m.loadedFrom[r]
		if !ok {
			return m.copyOf(x)
		}
		mems[i] = mem
	}
	return mems
}

func (m *x86) release(h held) value {
	mems, ok := h.([]Mem)
	if !ok {
		return h.(vregs)
	}
	d := m.newv()
	m.each(func(i int) { VMOVUPS(mems[i], d[i]) })
	return d
}

func (m *x86) copyOf(x value) value {
	xs, d := x.(vregs), m.newv()
	m.each(func(i int) { VMOVUPS(xs[i], d[i]) })
	return d
}

// copySign: AVX-512 selects bits in one VPTERNLOGD (absMask ? y : x);
// AVX2 ORs x's sign bit in, which is enough where y's sign bit is clear or
// already x's, as everywhere it is used.
func (m *x86) copySign(y, x value) {
	ys, xs := y.(vregs), x.(vregs)
	if m.avx512 {
		m.each(func(i int) { VPTERNLOGD(U8(0xe4), m.op(m.c.absMask), xs[i], ys[i]) })
		return
	}
	t := m.newv()
	m.each(func(i int) { VANDPS(m.op(m.c.signBit), xs[i], t[i]) })
	m.each(func(i int) { VORPS(t[i], ys[i], ys[i]) })
}

func (m *x86) setSign(y value) {
	ys := y.(vregs)
	if m.avx512 {
		m.each(func(i int) { VPORD(m.op(m.c.signBit), ys[i], ys[i]) })
		return
	}
	m.each(func(i int) { VORPS(m.op(m.c.signBit), ys[i], ys[i]) })
}

func (m *x86) keepLarge(y, x value, limit *constant) {
	ys, xs := y.(vregs), x.(vregs)
	if m.avx512 {
		m.each(func(i int) {
			k := K()
			m.ops.cmp(U8(0x1e), m.op(limit), xs[i], k) // GT_OQ
			m.ops.blendm(xs[i], ys[i], k, ys[i])
		})
		return
	}
	gt := m.newv()
	m.each(func(i int) { m.ops.cmp(U8(0x1e), m.op(limit), xs[i], gt[i]) })
	m.each(func(i int) { m.ops.blendv(gt[i], xs[i], ys[i], ys[i]) })
}
