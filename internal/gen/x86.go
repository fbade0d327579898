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
	scalef, blendm, perm, rang               func(...Op)
	padd, psub, psrl, psll                   func(...Op)
	pmaxs                                    func(...Op) // AVX-512 only for float64
	movZ                                     func(mxyz, k, mxyz1 Op)
	movScalar                                func(src, dst Op) // one element between memory and a general register
}

var (
	opsPS = x86Ops{
		add: VADDPS, sub: VSUBPS, mul: VMULPS, div: VDIVPS, min: VMINPS, max: VMAXPS, cmp: VCMPPS, blendv: VBLENDVPS,
		fmadd231: VFMADD231PS, fmadd213: VFMADD213PS, fnmadd231: VFNMADD231PS, fnmadd213: VFNMADD213PS, fmsub231: VFMSUB231PS,
		scalef: VSCALEFPS, blendm: VBLENDMPS, perm: VPERMPS, rang: VRANGEPS,
		padd: VPADDD, psub: VPSUBD, psrl: VPSRLD, psll: VPSLLD, pmaxs: VPMAXSD,
		movZ: VMOVUPS_Z, movScalar: MOVL,
	}
	opsPD = x86Ops{
		add: VADDPD, sub: VSUBPD, mul: VMULPD, div: VDIVPD, min: VMINPD, max: VMAXPD, cmp: VCMPPD, blendv: VBLENDVPD,
		fmadd231: VFMADD231PD, fmadd213: VFMADD213PD, fnmadd231: VFNMADD231PD, fnmadd213: VFNMADD213PD, fmsub231: VFMSUB231PD,
		scalef: VSCALEFPD, blendm: VBLENDMPD, perm: VPERMPD, rang: VRANGEPD,
		padd: VPADDQ, psub: VPSUBQ, psrl: VPSRLQ, psll: VPSLLQ, pmaxs: VPMAXSQ,
		movZ: VMOVUPD_Z, movScalar: MOVQ,
	}
)

func newX86(v variant) *x86 {
	m := &x86{v: v, avx512: v.name == "avx512", k: newConsts(v), c: newX86Consts(v.elem), ops: opsPS, loadedFrom: map[reg.VecVirtual]Mem{}}
	m.c.scaledTables = map[*constant]*constant{}
	for _, e := range m.k.expSets() {
		m.c.scaledTables[e.tabHi] = scaledTable(e.tabHi, v)
	}
	m.c.kePlus = pattern("keplus", v.elem.intBits(-int64(m.k.magic.bits[0]>>log2(v.elem.tableSize))-int64(v.elem.bias)))
	m.c.canonNaN = pattern("canonnan", v.elem.canonNaN())
	if v.elem == f64 {
		m.ops = opsPD
	}
	return m
}

type vregs []reg.VecVirtual

// x86Power is 2^k for scaleDown: k shifted into the exponent field (<<23,
// <<52), as integers.
type x86Power struct{ shifted vregs }

// x86Pred is a lane mask: opmask registers on AVX-512; on AVX2 a vector
// whose lanes are all ones or all zeros, whose sign bits VBLENDVPS/PD
// read.
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
	all := []*constant{m.k.clamp, m.k.magic, m.k.one, m.k.tabRel}
	for _, e := range m.k.expSets() {
		all = append(all, e.all()...)
	}
	all = append(all, m.k.tanhClamp, m.k.tanhSmall)
	all = append(all, m.k.tanhPoly...)
	all = append(all, m.k.zero, m.k.half, m.k.negOne)
	all = append(all, m.k.spPoly...)
	all = append(all, m.k.productClamp, m.k.inf, m.k.maxFinite, m.k.upScale, m.k.downScale, c.mantMask, c.kePlus, c.keMin)
	all = append(all, m.k.large, m.k.negLarge, c.absMask, c.signBit, c.fastBits, c.twoToS, c.subAdder, c.canonNaN)
	if !m.avx512 {
		for _, e := range m.k.expSets() {
			all = append(all, c.scaledTables[e.tabHi])
		}
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
			// A table fills the vector written again and again: a
			// permute of more lanes than entries then ignores the
			// index's high bits.
			bits := c.bits
			for len(bits) < m.lanes() {
				bits = append(bits, c.bits[len(bits)%len(c.bits)])
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
	if m.avx512 {
		// VRANGEPS/PD with imm8 0b1010: the smaller magnitude of x and the
		// limit (≥ 0), its sign cleared; one instruction for AND and MIN.
		m.each(func(i int) { m.ops.rang(U8(0b1010), m.op(limit), xs[i], a[i]) })
		return a
	}
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
	absMask, signBit, canonNaN *constant
	// fastBits is what |x|'s bits, compared as signed 32-bit integers,
	// must not exceed in a fast block: fastLimit's bits; for float64 its
	// high word and a low word of 0x7fffffff, which no low word exceeds,
	// so that the same 32-bit compare decides on the high words alone
	// (fastLimit's low word is all ones: elem).
	fastBits *constant
	// twoToS and subAdder place a subnormal result on a grid scaled by
	// 2^S, S the element's scaleBias (see scaleDown).
	twoToS, subAdder *constant
	// expTimes's: the mantissa bits, the integer that makes the sum of
	// t's bits >> log2 N and f's exponent field k + e, and the least k + e
	// it keeps.
	mantMask, kePlus, keMin *constant
	// pairIdx is 1 in each odd dword: AVX2 float64 table lookups fetch
	// entry j as dwords 2j and 2j+1.
	pairIdx *constant
	// scaledTables are the 2^(j/N) tables for AVX2's expScaled, by
	// expConsts' tabHi.
	scaledTables map[*constant]*constant
}

func newX86Consts(e elem) *x86Consts {
	fast := e.bits(e.fastLimit)
	if e == f64 {
		fast = fast&^0xffffffff | 0x7fffffff
	}
	minNormal := 1 - e.bias
	return &x86Consts{
		absMask:  pattern("absmask", e.signBit()-1),
		signBit:  pattern("signbit", e.signBit()),
		fastBits: pattern("fastlimit", fast),
		twoToS:   e.num(fmt.Sprintf("two%d", e.scaleBias), math.Exp2(float64(e.scaleBias))),
		subAdder: e.num(fmt.Sprintf("twom%d", -(minNormal+e.scaleBias)), math.Exp2(float64(minNormal+e.scaleBias))),
		pairIdx:  pattern("pairidx", 1<<32),
		mantMask: pattern("mantmask", 1<<e.mant-1),
		keMin:    pattern("kemin", e.intBits(int64(minNormal-e.scaleBias))),
	}
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

func (m *x86) mul(a value, b operand) value {
	as, d := a.(vregs), m.newv()
	m.each(func(i int) { m.ops.mul(m.anyOp(b, i), as[i], d[i]) })
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
// mantissa bits (AVX-512 permutes more lanes than the table has entries:
// the table is written again and again, see declare). AVX2 has no
// variable permute of 64-bit lanes, so there a float64 table is 2N dwords
// and lane j's indices are 2j and 2j+1: t+t's low dword holds 2j in its
// low bits, VPSHUFD copies it into the high dword, and OR-ing pairIdx
// makes that 2j+1.
func (m *x86) lookup(t value, table *constant) value {
	ts, d := t.(vregs), m.newv()
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

// expScaled: AVX-512 scales the table's entry by VSCALEFPS/PD, which takes
// floor(n) = k itself; AVX2 adds k into the exponent field in the
// integers: t's bits shifted left by mant - log2 N are k<<mant +
// j<<(mant - log2 N) (magic's low bits shift out), and scaledTable's
// entries are 2^(j/N)'s bits less j<<(mant - log2 N).
func (m *x86) expScaled(n, t value, tab *constant) value {
	ns, ts := n.(vregs), t.(vregs)
	if m.avx512 {
		th := m.lookup(t, tab).(vregs)
		m.each(func(i int) { m.ops.scalef(ns[i], th[i], th[i]) })
		return th
	}
	th := m.lookup(t, m.c.scaledTables[tab]).(vregs)
	sh := m.newv()
	m.each(func(i int) { m.ops.psll(U8(m.v.elem.mant-log2(m.v.elem.tableSize)), ts[i], sh[i]) })
	m.each(func(i int) { m.ops.padd(sh[i], th[i], th[i]) })
	return th
}

// exp2: t's mantissa holds 1.5·2^m' + N·n' = 2^m' + N·k + j: shifting out
// the log2 N index bits and back up by the mantissa width leaves k in the
// exponent field (the rest overflows).
func (m *x86) exp2(t value) power {
	ts := t.(vregs)
	p := &x86Power{shifted: m.newv()}
	m.each(func(i int) { m.ops.psrl(U8(log2(m.v.elem.tableSize)), ts[i], p.shifted[i]) })
	m.each(func(i int) { m.ops.psll(U8(m.v.elem.mant), p.shifted[i], p.shifted[i]) })
	return p
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

// expTimes: k + e is t's bits >> log2 N plus f's exponent field (shifted
// up past the sign and down again), less magic's bits >> log2 N and the
// bias; raised to keMin and shifted into the exponent field, it is the
// power as exp2 makes it. The significand is f's mantissa bits under 1's
// exponent.
func (m *x86) expTimes(t, f value) (value, power) {
	ts, fs := t.(vregs), f.(vregs)
	e := m.v.elem
	p := &x86Power{shifted: m.newv()}
	ke, ef := p.shifted, m.newv()
	m.each(func(i int) { m.ops.psrl(U8(log2(e.tableSize)), ts[i], ke[i]) })
	m.each(func(i int) { m.ops.psll(U8(1), fs[i], ef[i]) })
	m.each(func(i int) { m.ops.psrl(U8(e.mant+1), ef[i], ef[i]) })
	m.each(func(i int) { m.ops.padd(ef[i], ke[i], ke[i]) })
	m.each(func(i int) { m.ops.padd(m.op(m.c.kePlus), ke[i], ke[i]) })
	m.each(func(i int) { m.imax(m.op(m.c.keMin), ke[i], ke[i]) })
	m.each(func(i int) { m.ops.psll(U8(e.mant), ke[i], ke[i]) })
	sig := m.newv()
	m.each(func(i int) { VANDPS(m.op(m.c.mantMask), fs[i], sig[i]) })
	m.each(func(i int) { VORPS(m.op(m.k.one), sig[i], sig[i]) })
	return sig, p
}

// scaleDown builds v·2^k in the integers, so that no floating-point
// operation ever returns a subnormal (many cores take a microcode assist
// for one): a normal result is v's bits plus k's shifted into the
// exponent field; a subnormal one is v·2^(k+S) rounded once onto the
// subnormals' grid scaled by 2^S, by adding subAdder, whose ulp that grid
// step is: the sum's bits less subAdder's count its steps, which are a
// subnormal's bits. Of the two, the larger as signed integers is the
// right one (for a subnormal result the exponent sum is ≤ 0, so the first
// wraps below the second; for a normal one the second is at most the
// first).
func (m *x86) scaleDown(v value, e power) {
	vs, pw := v.(vregs), e.(*x86Power)
	norm, sub := m.newv(), m.newv()
	m.each(func(i int) { m.ops.padd(pw.shifted[i], vs[i], norm[i]) })
	m.each(func(i int) { m.ops.padd(m.op(m.c.twoToS), pw.shifted[i], sub[i]) })
	m.each(func(i int) { m.ops.fmadd213(m.op(m.c.subAdder), vs[i], sub[i]) })
	m.each(func(i int) { m.ops.psub(m.op(m.c.subAdder), sub[i], sub[i]) })
	m.each(func(i int) { m.imax(sub[i], norm[i], vs[i]) })
}

// defineWhole sets x to zero with an idiom that reads nothing, neither to
// the CPU nor to avo: before an instruction that writes only part of x, or
// that avo takes to read it, so that avo does not hold x live from the
// function's entry, through the main loop, at the cost of a register
// there. (VXORPS on a ZMM register needs AVX512DQ, which the AVX-512
// kernels require.)
func defineWhole(x reg.VecVirtual) { VXORPS(x, x, x) }

// below: CMPPS LT_OQ, false on NaN.
func (m *x86) below(x value, c *constant) predicate {
	xs := x.(vregs)
	if m.avx512 {
		ks := make([]reg.Register, m.unroll)
		m.each(func(i int) { ks[i] = K(); m.ops.cmp(U8(0x11), m.op(c), xs[i], ks[i]) })
		return x86Pred{k: ks}
	}
	lt := m.newv()
	m.each(func(i int) { m.ops.cmp(U8(0x11), m.op(c), xs[i], lt[i]) })
	return x86Pred{x: lt}
}

func (m *x86) selectTo(p predicate, acc, v value) {
	accs, vs, pr := acc.(vregs), v.(vregs), p.(x86Pred)
	if m.avx512 {
		m.each(func(i int) { m.ops.blendm(vs[i], accs[i], pr.k[i], accs[i]) })
		return
	}
	m.each(func(i int) { m.ops.blendv(pr.x[i], vs[i], accs[i], accs[i]) })
}

// unordered returns the lanes of x that are NaN (CMPPS UNORD_Q).
func (m *x86) unordered(x vregs) x86Pred {
	if m.avx512 {
		ks := make([]reg.Register, m.unroll)
		m.each(func(i int) { ks[i] = K(); m.ops.cmp(U8(3), x[i], x[i], ks[i]) })
		return x86Pred{k: ks}
	}
	nan := m.newv()
	m.each(func(i int) { m.ops.cmp(U8(3), x[i], x[i], nan[i]) })
	return x86Pred{x: nan}
}

// anyLane jumps to the safe code if any lane of p is set: one OR over the
// block, one test.
func (m *x86) anyLane(p x86Pred) {
	if m.avx512 {
		for i := 1; i < m.unroll; i++ {
			KORW(p.k[i], p.k[0], p.k[0])
		}
		KORTESTW(p.k[0], p.k[0])
	} else {
		for i := 1; i < m.unroll; i++ {
			VORPS(p.x[i], p.x[0], p.x[0])
		}
		VPTEST(p.x[0], p.x[0])
	}
	JNZ(LabelRef(m.safeLabel))
}

// requireNoNaN tests the sum of the block's vectors, one compare for them
// all: a NaN lane makes its sum NaN (opposite infinities do too, which
// only sends the block to the safe code). x86 hardware already returns
// the NaN rule's NaN for a product (the first operand's when both are
// NaN, and canonNaN for ∞ - ∞ or 0·∞), but an emulator need not (qemu
// picks between two NaNs as x87 does): the safe code's explicit rule
// makes the result the same everywhere.
func (m *x86) requireNoNaN(y value) {
	ys := y.(vregs)
	one := m.with(1)
	if m.unroll == 1 {
		one.anyLane(one.unordered(ys))
		return
	}
	sum := one.newv()
	m.ops.add(ys[1], ys[0], sum[0])
	for i := 2; i < m.unroll; i++ {
		m.ops.add(ys[i], sum[0], sum[0])
	}
	one.anyLane(one.unordered(sum))
}

func (m *x86) canonNaN(y value) {
	ys, nan := y.(vregs), m.unordered(y.(vregs))
	if m.avx512 {
		m.each(func(i int) { m.ops.blendm(m.op(m.c.canonNaN), ys[i], nan.k[i], ys[i]) })
		return
	}
	m.each(func(i int) { m.ops.blendv(nan.x[i], m.op(m.c.canonNaN), ys[i], ys[i]) })
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

// requireTiny jumps to the safe code unless every lane of x is <
// -fastLimit: the compare NLT_UQ (not <, or unordered) is true on the
// other lanes, NaNs included.
func (m *x86) requireTiny(x value) {
	xs := x.(vregs)
	const nltUQ = 0x15
	if m.avx512 {
		ks := make([]reg.Register, m.unroll)
		m.each(func(i int) { ks[i] = K(); m.ops.cmp(U8(nltUQ), m.op(m.k.negLarge), xs[i], ks[i]) })
		m.anyLane(x86Pred{k: ks})
		return
	}
	bad := m.newv()
	m.each(func(i int) { m.ops.cmp(U8(nltUQ), m.op(m.k.negLarge), xs[i], bad[i]) })
	m.anyLane(x86Pred{x: bad})
}

// recip: a correctly rounded quotient, on every ISA, so that every kernel
// gets the same bits. (Zen 5: VDIVPD took Sigmoid64AVX512 from 0.466 to
// 0.393 ns per element against RCP14PD and two Newton steps, n = 4096,
// medians of 5 interleaved runs.)
func (m *x86) recip(d value) value {
	ds, r := d.(vregs), m.newv()
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
		// A copy of the copy: each release may be consumed.
		return m.copyOf(h.(vregs))
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

// neg: XOR with the sign bit (VPXORD on ZMM, which needs only AVX512F).
func (m *x86) neg(x value) value {
	xs, d := x.(vregs), m.newv()
	if m.avx512 {
		m.each(func(i int) { VPXORD(m.op(m.c.signBit), xs[i], d[i]) })
		return d
	}
	m.each(func(i int) { VXORPS(m.op(m.c.signBit), xs[i], d[i]) })
	return d
}

func (m *x86) setSign(y value) {
	ys := y.(vregs)
	if m.avx512 {
		m.each(func(i int) { VPORD(m.op(m.c.signBit), ys[i], ys[i]) })
		return
	}
	m.each(func(i int) { VORPS(m.op(m.c.signBit), ys[i], ys[i]) })
}

func (m *x86) orSign(y, x value) {
	ys, xs := y.(vregs), x.(vregs)
	if m.avx512 {
		// y | (x & signBit) in one VPTERNLOGD: bit (y<<2 | x<<1 | s) of
		// the table is that function, 0xf8.
		m.each(func(i int) { VPTERNLOGD(U8(0xf8), m.op(m.c.signBit), xs[i], ys[i]) })
		return
	}
	t := m.newv()
	m.each(func(i int) { VANDPS(m.op(m.c.signBit), xs[i], t[i]) })
	m.each(func(i int) { VORPS(t[i], ys[i], ys[i]) })
}

func (m *x86) above(y, x value, limit *constant, v operand) {
	ys, xs := y.(vregs), x.(vregs)
	if m.avx512 {
		m.each(func(i int) {
			k := K()
			m.ops.cmp(U8(0x1e), m.op(limit), xs[i], k) // GT_OQ
			m.ops.blendm(m.anyOp(v, i), ys[i], k, ys[i])
		})
		return
	}
	gt := m.newv()
	m.each(func(i int) { m.ops.cmp(U8(0x1e), m.op(limit), xs[i], gt[i]) })
	m.each(func(i int) { m.ops.blendv(gt[i], m.anyOp(v, i), ys[i], ys[i]) })
}

func (m *x86) only(_ value, _, _ *constant, f func() value) value { return f() }

func (m *x86) saturated(_, _ value, _, _, _ *constant) {}
