package main

import (
	"fmt"
	"math"

	"github.com/simdsigmoid/sigmoid/internal/gen/neon"
)

// arm64Variants are the kernels generated for arm64 (-arch arm64). A
// table of 32 bytes, two registers, is what one TBL indexes: N = 8 floats
// with a degree-4 polynomial, as on AVX2, or N = 4 doubles with degree 9,
// as AVX2's float64 (TestExpPolyError).
var arm64Variants = []variant{
	{name: "neon", suffix: "NEON", needs: needsNEON, elem: f32, tableSize: 8, polyDegree: 4},
	{name: "neon", suffix: "NEON", needs: needsNEON, elem: f64, tableSize: 4, polyDegree: 9},
}

const needsNEON = "Advanced SIMD (NEON), which every AArch64 CPU has"

// neonMachine implements machine for AArch64 Advanced SIMD on .4S vectors
// (float32) or .2D vectors (float64). It
// records instructions on virtual registers into a prog (arm64ir.go);
// each value is one virtual register per unrolled copy, and every method
// records its instruction once per copy, so that the copies are
// interleaved instruction by instruction.
type neonMachine struct {
	v      variant
	k      *consts
	c      *neonConsts
	unroll int
	p      *prog
	cu     *constUses
	// idx caches the TBL byte indices computed from a value, so that the
	// two table lookups of one t share them.
	idx map[*vv]*vv
	// jShifted caches j = t & (N-1), and later j<<(mant - log2 N), by t.
	jShifted map[*vv]*vv
	// tier is the code this machine records: a split function's fast
	// code, for blocks whose every |x| ≤ fastLimit, its tiny code, for
	// blocks whose every x ≤ -fastLimit, or its safe code, for any block;
	// the checks of the first two branch to safeLabel. An unsplit
	// function's code is fast code with no check.
	tier      tier
	safeLabel string
}

// tier is the kind of code a machine records (see neonMachine.tier).
type tier int

const (
	fastTier tier = iota
	tinyTier
	safeTier
)

// fast reports whether m records fast code: 2^k normal (k ≥ -47 for
// float32, ≥ -739 for float64) for either sign of k, no final scaleIf.
func (m *neonMachine) fast() bool { return m.tier == fastTier }

// rFast is the general register the fast check reduces into.
const rFast = "R8"

type nvals []*vv

// neonPower is 2^k for the NEON back end: the bits of 2^(k+B), B the
// exponent bias (always a normal number: k ≥ -151 for float32, k ≥ -1077
// for float64), and 2^k itself, 2^(k+B)·2^-B, exact down to the smallest
// subnormal and 0 below, which is all the denominator needs; scale makes
// it when it first needs it (code that only calls scaleIf never does).
type neonPower struct{ biased, factor, shifted nvals }

// neonConsts are the NEON back end's own constants, for one element type.
// They are made once per generated function, so that every recorded body
// of it shares them (constUses tells constants apart by identity).
type neonConsts struct {
	// (mask, idxMul, idxOff) turn t's bits into TBL byte indices. float32:
	// (bits & (N-1))·0x04040404 + 0x03020100 selects the four bytes of
	// entry j. float64: j = bits & (N-1) is copied into the high word
	// of its lane (SLI), and the same 32-bit multiply-add by 0x08080808
	// onto 0x0706050403020100 selects the eight bytes of entry j.
	mask, idxMul, idxOff *constant
	// 2^-B, a subnormal: multiplying by it is exact or the one rounding of
	// a subnormal result.
	twoToMinusBias *constant
	// fastLimitBits is what |x|'s bits, compared as signed 32-bit
	// integers, must not exceed in a fast block (a NaN's bits are above
	// every number's): bits(fastLimit); for float64 its high word and a
	// low word of 0x7fffffff, which no low word exceeds, so that the same
	// 32-bit compare decides on the high words alone (the limit is then
	// fastLimit's high word's, a hair above fastLimit: see x86Consts).
	fastLimitBits *constant
	signBit       *constant
	// scaledTable is the 2^(j/N) table as lookupTabHi uses it.
	scaledTable *constant
}

func newNEONConsts(v variant) *neonConsts {
	e := v.elem
	c := &neonConsts{
		mask:           pattern(fmt.Sprintf("mask%d", v.tableSize-1), uint64(v.tableSize-1)),
		idxMul:         pattern("idxmul", 0x04040404),
		idxOff:         pattern("idxoff", 0x03020100),
		twoToMinusBias: e.num(fmt.Sprintf("twom%d", e.bias), math.Exp2(float64(-e.bias))),
		fastLimitBits:  e.num("fastlimit", e.fastLimit),
		signBit:        pattern("signbit", e.signBit()),
		scaledTable:    scaledTable(newConsts(v).tabHi, v),
	}
	if e == f64 {
		c.idxMul = pattern("idxmul", 0x08080808)
		c.idxOff = pattern("idxoff", 0x0706050403020100)
		c.fastLimitBits = pattern("fastlimit", e.bits(e.fastLimit)|0x7fffffff)
	}
	return c
}

func newNEON(v variant, k *consts, c *neonConsts, unroll int, p *prog, cu *constUses) *neonMachine {
	return &neonMachine{v: v, k: k, c: c, unroll: unroll, p: p, cu: cu, idx: map[*vv]*vv{}, jShifted: map[*vv]*vv{}}
}

// arr is the arrangement of the element type's lanes: .4S or .2D.
func (m *neonMachine) arr() neon.Arrangement {
	if m.v.elem == f64 {
		return neon.D2
	}
	return neon.S4
}

// fp adapts an instruction of package neon to the element's arrangement.
func (m *neonMachine) fp(f func(neon.Arrangement, neon.VReg, neon.VReg, neon.VReg) string) func(d, n, m neon.VReg) string {
	a := m.arr()
	return func(d, n, m neon.VReg) string { return f(a, d, n, m) }
}

func (m *neonMachine) newv() nvals {
	r := make(nvals, m.unroll)
	for i := range r {
		r[i] = m.p.newv()
	}
	return r
}

func (m *neonMachine) each(f func(i int)) {
	for i := 0; i < m.unroll; i++ {
		f(i)
	}
}

// written forgets what was derived from v, which an instruction is about
// to overwrite.
func (m *neonMachine) written(v *vv) { delete(m.idx, v) }

// Instruction shapes. emit functions get the allocated registers.

// op3 records d = f(a, b) for values (b may be nil).
func (m *neonMachine) op3(d *vv, uses []*vv, f func(e *emitter) string) {
	m.p.add(&insn{defs: []*vv{d}, uses: uses, emit: func(e *emitter, _ bool) []string { return []string{f(e)} }})
}

// opAcc records acc = f(acc, uses...).
func (m *neonMachine) opAcc(acc *vv, uses []*vv, f func(e *emitter) string) {
	m.written(acc)
	m.p.add(&insn{accs: []*vv{acc}, uses: uses, emit: func(e *emitter, _ bool) []string { return []string{f(e)} }})
}

// copyConst records d = c (every lane): MOV from c's register, a load
// from memory, or DUP from its lane.
func (m *neonMachine) copyConst(d *vv, c *constant) {
	m.cu.note(c, false)
	m.op3(d, nil, func(e *emitter) string {
		if r, ok := e.consts.vec[c]; ok {
			return neon.MOV(e.r(d), r)
		}
		if line, ok := e.consts.loadConst(e.r(d), c, rTab); ok {
			return line
		}
		el := e.consts.lane(c)
		return neon.DUPElem(e.consts.arr(), e.r(d), el.reg, el.lane)
	})
}

// constVec notes that c is needed as a whole vector.
func (m *neonMachine) constVec(c *constant) { m.cu.note(c, true) }

// constElem notes that c is used by lane (a by-element operand).
func (m *neonMachine) constElem(c *constant) { m.cu.noteLane(c) }

// fmla records acc ±= a·b, b a value or a constant (by element).
func (m *neonMachine) fmla(acc, a nvals, b operand, sub bool) {
	switch b := b.(type) {
	case nvals:
		m.each(func(i int) {
			acc, a, b := acc[i], a[i], b[i]
			m.opAcc(acc, []*vv{a, b}, func(e *emitter) string {
				if sub {
					return neon.FMLS(m.arr(), e.r(acc), e.r(a), e.r(b))
				}
				return neon.FMLA(m.arr(), e.r(acc), e.r(a), e.r(b))
			})
		})
	case *constant:
		m.constElem(b)
		m.each(func(i int) {
			acc, a := acc[i], a[i]
			m.opAcc(acc, []*vv{a}, func(e *emitter) string {
				el := e.consts.lane(b)
				if sub {
					return neon.FMLSElem(m.arr(), e.r(acc), e.r(a), el.reg, el.lane)
				}
				return neon.FMLAElem(m.arr(), e.r(acc), e.r(a), el.reg, el.lane)
			})
		})
	default:
		panic(fmt.Sprintf("arm64: bad operand %T", b))
	}
}

// bin records d = f(a, b) for b a value or a whole-vector constant.
func (m *neonMachine) bin(a nvals, b operand, f func(d, n, m neon.VReg) string) nvals {
	d := m.newv()
	switch b := b.(type) {
	case nvals:
		m.each(func(i int) {
			d, a, b := d[i], a[i], b[i]
			m.op3(d, []*vv{a, b}, func(e *emitter) string { return f(e.r(d), e.r(a), e.r(b)) })
		})
	case *constant:
		m.constVec(b)
		m.each(func(i int) {
			d, a := d[i], a[i]
			m.op3(d, []*vv{a}, func(e *emitter) string { return f(e.r(d), e.r(a), e.consts.vreg(b)) })
		})
	default:
		panic(fmt.Sprintf("arm64: bad operand %T", b))
	}
	return d
}

// binTo records acc = f(acc, b) for a value b.
func (m *neonMachine) binTo(acc, b nvals, f func(d, n, m neon.VReg) string) {
	m.each(func(i int) {
		acc, b := acc[i], b[i]
		m.opAcc(acc, []*vv{b}, func(e *emitter) string { return f(e.r(acc), e.r(acc), e.r(b)) })
	})
}

func (m *neonMachine) absMin(x value, limit *constant) value {
	xs, a := x.(nvals), m.newv()
	m.each(func(i int) {
		a, x := a[i], xs[i]
		m.op3(a, []*vv{x}, func(e *emitter) string { return neon.FABS(m.arr(), e.r(a), e.r(x)) })
	})
	// FMIN returns NaN if either input is NaN (FMINNM would not).
	m.constVec(limit)
	m.each(func(i int) {
		a := a[i]
		m.opAcc(a, nil, func(e *emitter) string { return neon.FMIN(m.arr(), e.r(a), e.r(a), e.consts.vreg(limit)) })
	})
	return a
}

// checkFast records the branch to m.safeLabel unless every lane of a
// (|x|, whose bits order like |x| as unsigned integers, NaNs above ±Inf)
// is at most fastLimit: the unsigned maximum over the unrolled vectors,
// a compare (signed is right: the sign bits are clear), the lanes' sum
// (0 unless some lane is all ones) into a general register, CBNZ. All
// of it on 32-bit lanes, float64 included: the maximum of the high words
// bounds each lane's high word, and fastLimitBits makes the low words
// irrelevant.
func (m *neonMachine) checkFast(a nvals) {
	t := m.p.newv()
	fastLimitBits := m.c.fastLimitBits
	m.constVec(fastLimitBits)
	label := m.safeLabel
	m.p.add(&insn{defs: []*vv{t}, uses: a, multi: true, emit: func(e *emitter, _ bool) []string {
		var out []string
		src := e.r(a[0])
		for i := 1; i < len(a); i++ {
			out = append(out, neon.UMAX(neon.S4, e.r(t), src, e.r(a[i])))
			src = e.r(t)
		}
		return append(out,
			neon.CMGT(neon.S4, e.r(t), src, e.consts.vreg(fastLimitBits)),
			neon.ADDV(e.r(t), e.r(t)),
			neon.UMOVS(rFast, e.r(t), 0),
			fmt.Sprintf("CBNZW %s, %s", rFast, label),
		)
	}})
}

func (m *neonMachine) signMask(x value) predicate {
	xs, p := x.(nvals), m.newv()
	// Integer compare: all ones where the sign bit is set (-0 and
	// negative NaNs included, as VBLENDVPS reads it on AVX2).
	m.each(func(i int) {
		p, x := p[i], xs[i]
		m.op3(p, []*vv{x}, func(e *emitter) string { return neon.CMLTZero(m.arr(), e.r(p), e.r(x)) })
	})
	return p
}

func (m *neonMachine) fma(a value, b, c *constant) value {
	d := m.newv()
	m.each(func(i int) { m.copyConst(d[i], c) })
	m.fmla(d, a.(nvals), b, false)
	return d
}

func (m *neonMachine) sub(a value, b operand) value {
	return m.bin(a.(nvals), b, m.fp(neon.FSUB))
}

func (m *neonMachine) add(a value, b operand) value {
	return m.bin(a.(nvals), b, m.fp(neon.FADD))
}

func (m *neonMachine) mul(a, b value) value {
	return m.bin(a.(nvals), b.(nvals), m.fp(neon.FMUL))
}

func (m *neonMachine) fmaTo(acc, a value, b operand) {
	m.fmla(acc.(nvals), a.(nvals), b, false)
}

func (m *neonMachine) fnmaTo(acc, a value, b operand) {
	m.fmla(acc.(nvals), a.(nvals), b, true)
}

func (m *neonMachine) subTo(acc, b value) { m.binTo(acc.(nvals), b.(nvals), m.fp(neon.FSUB)) }

func (m *neonMachine) addTo(acc, b value) { m.binTo(acc.(nvals), b.(nvals), m.fp(neon.FADD)) }

// lookup: the table's N entries are N·w bytes (w = 4 or 8) in
// consecutive registers, and TBL picks bytes, so lane j's index bytes are
// w·j, …, w·j+w-1: for float32 idx = (bits & (N-1))·0x04040404 +
// 0x03020100; for float64 j = bits & (N-1) in the 64-bit lane, copied
// into the lane's high word (SLI #32), then per 32-bit word
// idx = j·0x08080808 + 0x0706050403020100's word. Computed once per t.
func (m *neonMachine) lookup(t value, table *constant) value {
	ts := t.(nvals)
	n := m.v.tableSize
	size := n * m.v.elem.bytes
	if len(table.bits) != n || (size != 16 && size != 32) {
		panic(fmt.Sprintf("arm64: table %s of %d entries, %d bytes: TBL here takes 16 or 32", table.name, len(table.bits), size))
	}
	if table == m.k.tabHi {
		return m.lookupTabHi(ts)
	}
	if _, ok := m.idx[ts[0]]; !ok {
		mask := m.cu.intern(m.c.mask)
		j := m.bin(ts, mask, func(d, n, m neon.VReg) string { return neon.AND(d, n, m) })
		if m.v.elem == f64 {
			m.each(func(i int) {
				j := j[i]
				m.opAcc(j, nil, func(e *emitter) string { return neon.SLI(neon.D2, e.r(j), e.r(j), 32) })
			})
		}
		idx := m.newv()
		m.each(func(i int) { m.copyConst(idx[i], m.c.idxOff) })
		m.constElem(m.c.idxMul)
		m.each(func(i int) {
			idx, j := idx[i], j[i]
			m.opAcc(idx, []*vv{j}, func(e *emitter) string {
				// The multiplier's low word, by 32-bit lane.
				el := e.consts.lane(m.c.idxMul)
				return neon.MLAElem(e.r(idx), e.r(j), el.reg, el.lane*e.consts.width/4)
			})
		})
		m.each(func(i int) { m.idx[ts[i]] = idx[i]; m.jShifted[ts[i]] = j[i] })
	}
	m.constVec(table)
	d := m.newv()
	m.each(func(i int) {
		d, idx := d[i], m.idx[ts[i]]
		m.op3(d, []*vv{idx}, func(e *emitter) string {
			if size == 16 {
				return neon.TBL1(e.r(d), e.consts.vreg(table), e.r(idx))
			}
			return neon.TBL2(e.r(d), e.consts.vreg(table), e.r(idx))
		})
	})
	return d
}

// horner: NEON's FMLA accumulates into its destination, so each step
// copies the next coefficient into a fresh register and accumulates the
// product into it: u' = c; u' += u·s. The first multiplies by the top
// coefficient by element.
func (m *neonMachine) horner(s value, poly []*constant) value {
	ss := s.(nvals)
	last := len(poly) - 1
	u := m.newv()
	m.each(func(i int) { m.copyConst(u[i], poly[last-1]) })
	m.fmla(u, ss, poly[last], false)
	for j := last - 2; j >= 0; j-- {
		next := m.newv()
		m.each(func(i int) { m.copyConst(next[i], poly[j]) })
		m.fmla(next, u, ss, false)
		u = next
	}
	return u
}

// exp2: t's bits are bits(magic) + N·n' with N·n' = N·k + j, so
// bits >> log2 N is bits(magic)>>log2 N + k exactly (floor). USRA adds
// that to a constant chosen so the sum is k + 2B (B the exponent bias),
// and SHL by the mantissa width makes it the bits of 2^(k+B); 2^k is that
// times 2^-B.
func (m *neonMachine) exp2(n, t value) power {
	ts := t.(nvals)
	e := m.v.elem
	lg := log2(m.v.tableSize)
	mb := m.k.magic.bits[0]
	if mb&(1<<lg-1) != 0 {
		panic("arm64: magic's low bits are not zero")
	}
	bias := pattern("expbias", e.intBits(int64(2*e.bias)-int64(mb>>lg)))
	// shifted records d = (d + t>>lg) << mant.
	shifted := func(d nvals) {
		m.each(func(i int) {
			d, t := d[i], ts[i]
			m.opAcc(d, []*vv{t}, func(em *emitter) string { return neon.USRA(m.arr(), em.r(d), em.r(t), lg) })
		})
		m.each(func(i int) {
			d := d[i]
			m.opAcc(d, nil, func(em *emitter) string { return neon.SHL(m.arr(), em.r(d), em.r(d), e.mant) })
		})
	}
	if m.fast() {
		// t's bits shifted left by mant - log2 N are k<<mant plus
		// j<<(mant - log2 N) (magic's low bits shift out), which scale
		// adds to the scaled table's entry, in the exponent field.
		p := &neonPower{shifted: m.newv()}
		m.each(func(i int) {
			d, t := p.shifted[i], ts[i]
			m.op3(d, []*vv{t}, func(em *emitter) string { return neon.SHL(m.arr(), em.r(d), em.r(t), e.mant-lg) })
		})
		return p
	}
	bias = m.cu.intern(bias)
	p := &neonPower{biased: m.newv()}
	m.each(func(i int) { m.copyConst(p.biased[i], bias) })
	shifted(p.biased)
	return p
}

func (m *neonMachine) scale(v value, pw power) value {
	if m.fast() {
		return m.bin(v.(nvals), pw.(*neonPower).shifted, func(d, n, mm neon.VReg) string { return neon.ADD(m.arr(), d, n, mm) })
	}
	p := pw.(*neonPower)
	if p.factor == nil {
		p.factor = m.newv()
		m.constElem(m.c.twoToMinusBias)
		m.each(func(i int) {
			f, t := p.factor[i], p.biased[i]
			m.op3(f, []*vv{t}, func(e *emitter) string {
				el := e.consts.lane(m.c.twoToMinusBias)
				return neon.FMULElem(m.arr(), e.r(f), e.r(t), el.reg, el.lane)
			})
		})
	}
	return m.bin(v.(nvals), p.factor, m.fp(neon.FMUL))
}

// lookupTabHi looks 2^(j/N) up in scaledTable, whose entries are its bits
// less j<<(mant - log2 N), so that fast code's scale is one integer add of
// t's bits shifted (see exp2); safe code adds j's part back.
func (m *neonMachine) lookupTabHi(ts nvals) nvals {
	d := m.lookup(ts, m.c.scaledTable).(nvals)
	if m.fast() {
		return d
	}
	shift := m.v.elem.mant - log2(m.v.tableSize)
	m.each(func(i int) {
		j := m.jShifted[ts[i]]
		m.opAcc(j, nil, func(e *emitter) string { return neon.SHL(m.arr(), e.r(j), e.r(j), shift) })
	})
	m.each(func(i int) {
		d, j := d[i], m.jShifted[ts[i]]
		m.opAcc(d, []*vv{j}, func(e *emitter) string { return neon.ADD(m.arr(), e.r(d), e.r(d), e.r(j)) })
	})
	return d
}

// blend: BIF puts b into a's lanes where p is clear. In place when a is
// not read again, else on a copy.
func (m *neonMachine) blend(p predicate, a value, b *constant) value {
	ps, as, d := p.(nvals), a.(nvals), m.newv()
	m.constVec(b)
	m.each(func(i int) {
		d, a, p := d[i], as[i], ps[i]
		m.p.add(&insn{defs: []*vv{d}, uses: []*vv{a, p}, tie: a, multi: true,
			emit: func(e *emitter, tied bool) []string {
				bif := neon.BIF(e.r(d), e.consts.vreg(b), e.r(p))
				if tied {
					return []string{bif}
				}
				return []string{neon.MOV(e.r(d), e.r(a)), bif}
			}})
	})
	return d
}

func (m *neonMachine) divide(_ predicate, num, den value) (value, value) {
	// r = 1/den correctly rounded and q = num·r: their errors' product is
	// near 2^-47, and r ≥ 1/2 keeps q ≥ num/2 when den ≤ 2.
	r := m.recip(den).(nvals)
	q := m.bin(num.(nvals), r, m.fp(neon.FMUL))
	return q, r
}

func (m *neonMachine) addIf(p predicate, acc, v value) {
	t := m.bin(v.(nvals), p.(nvals), func(d, n, m neon.VReg) string { return neon.AND(d, n, m) })
	m.addTo(acc, t)
}

// scaleIf: v·2^(k+B) is exact (a normal number), and the multiply by
// 2^-B is then the only rounding, into the subnormals if need be; BIT
// takes the product where p is set.
func (m *neonMachine) scaleIf(p predicate, v value, e power) {
	if m.fast() {
		panic("arm64: scaleIf in fast code")
	}
	vs, pw := v.(nvals), e.(*neonPower)
	// Every lane: in place, no blend.
	t := vs
	if p != nil {
		t = m.bin(vs, pw.biased, m.fp(neon.FMUL))
	} else {
		m.binTo(vs, pw.biased, m.fp(neon.FMUL))
	}
	m.constElem(m.c.twoToMinusBias)
	m.each(func(i int) {
		t := t[i]
		m.opAcc(t, nil, func(e *emitter) string {
			el := e.consts.lane(m.c.twoToMinusBias)
			return neon.FMULElem(m.arr(), e.r(t), e.r(t), el.reg, el.lane)
		})
	})
	if p == nil {
		return
	}
	ps := p.(nvals)
	m.each(func(i int) {
		v, t, p := vs[i], t[i], ps[i]
		m.opAcc(v, []*vv{t, p}, func(e *emitter) string { return neon.BIT(e.r(v), e.r(t), e.r(p)) })
	})
}

// requireTiny records the branch to m.safeLabel unless every lane of x is
// ≤ -fastLimit: FCMGE (operands swapped: limit ≥ x) gives all ones on
// those lanes, never on NaN; AND combines the unrolled vectors, and the
// lanes' sum is -4 only if every 32-bit lane is all ones, float64's
// included.
func (m *neonMachine) requireTiny(x value) {
	lim := m.k.negLarge
	good := m.bin(x.(nvals), lim, func(d, n, mm neon.VReg) string { return neon.FCMGE(m.arr(), d, mm, n) })
	t := m.p.newv()
	label := m.safeLabel
	m.p.add(&insn{defs: []*vv{t}, uses: good, multi: true, emit: func(e *emitter, _ bool) []string {
		var out []string
		src := e.r(good[0])
		for i := 1; i < len(good); i++ {
			out = append(out, neon.AND(e.r(t), src, e.r(good[i])))
			src = e.r(t)
		}
		return append(out,
			neon.ADDV(e.r(t), src),
			neon.UMOVS(rFast, e.r(t), 0),
			fmt.Sprintf("ADDW $4, %s, %s", rFast, rFast),
			fmt.Sprintf("CBNZW %s, %s", rFast, label),
		)
	}})
}

func (m *neonMachine) requireFast(x value) {
	xs, a := x.(nvals), m.newv()
	m.each(func(i int) {
		a, x := a[i], xs[i]
		m.op3(a, []*vv{x}, func(e *emitter) string { return neon.FABS(m.arr(), e.r(a), e.r(x)) })
	})
	m.checkFast(a)
}

func (m *neonMachine) minOf(a value, b *constant) value {
	return m.bin(a.(nvals), b, m.fp(neon.FMIN))
}

func (m *neonMachine) maxOf(a value, b *constant) value {
	return m.bin(a.(nvals), b, m.fp(neon.FMAX))
}

func (m *neonMachine) copyOf(x value) value { return m.copyOperand(x) }

// hold copies x: 32 registers leave no need to load it again.
func (m *neonMachine) hold(x value) held    { return m.copyOperand(x) }
func (m *neonMachine) release(h held) value { return h.(nvals) }

// copyOperand records a copy of c, a value or a constant.
func (m *neonMachine) copyOperand(c operand) nvals {
	d := m.newv()
	switch c := c.(type) {
	case nvals:
		m.each(func(i int) {
			d, c := d[i], c[i]
			m.op3(d, []*vv{c}, func(e *emitter) string { return neon.MOV(e.r(d), e.r(c)) })
		})
	case *constant:
		m.each(func(i int) { m.copyConst(d[i], c) })
	default:
		panic(fmt.Sprintf("arm64: bad operand %T", c))
	}
	return d
}

// mulSubFrom: NEON has no vector a·b - c in one instruction: FNEG, then
// FMLA (acc = -acc + a·b, rounded once; -0 becomes +0 first, as x86's
// a·b - acc does).
func (m *neonMachine) mulSubFrom(acc, a value, b operand) {
	accs := acc.(nvals)
	m.each(func(i int) {
		acc := accs[i]
		m.opAcc(acc, nil, func(e *emitter) string { return neon.FNEG(m.arr(), e.r(acc), e.r(acc)) })
	})
	m.fmla(accs, a.(nvals), b, false)
}

// negMulAdd: FMLS accumulates into a copy of c.
func (m *neonMachine) negMulAdd(a, b value, c operand) value {
	d := m.copyOperand(c)
	m.fmla(d, a.(nvals), b, true)
	return d
}

// recip: one FDIV gives 1/d correctly rounded, in one instruction where
// FRECPE and the two Newton steps float32 would need take five.
func (m *neonMachine) recip(d value) value {
	ds, r := d.(nvals), m.newv()
	one := m.k.one
	m.constVec(one)
	m.each(func(i int) {
		r, d := r[i], ds[i]
		m.op3(r, []*vv{d}, func(e *emitter) string { return neon.FDIV(m.arr(), e.r(r), e.consts.vreg(one), e.r(d)) })
	})
	return r
}

// quietNaN: x + x is x itself, quieted, when x is NaN; BIF takes it
// where x ≠ x.
func (m *neonMachine) quietNaN(y, x value) {
	xs, ys := x.(nvals), y.(nvals)
	ord := m.bin(xs, xs, m.fp(neon.FCMEQ))
	sum := m.bin(xs, xs, m.fp(neon.FADD))
	m.each(func(i int) {
		y, s, o := ys[i], sum[i], ord[i]
		m.opAcc(y, []*vv{s, o}, func(e *emitter) string { return neon.BIF(e.r(y), e.r(s), e.r(o)) })
	})
}

var _ machine = (*neonMachine)(nil)

// copySign: BIT inserts x's sign bit into y.
func (m *neonMachine) copySign(y, x value) {
	ys, xs := y.(nvals), x.(nvals)
	sign := m.c.signBit
	m.constVec(sign)
	m.each(func(i int) {
		y, x := ys[i], xs[i]
		m.opAcc(y, []*vv{x}, func(e *emitter) string { return neon.BIT(e.r(y), e.r(x), e.consts.vreg(sign)) })
	})
}

// setSign: ORR with the sign bit.
func (m *neonMachine) setSign(y value) {
	ys, sign := y.(nvals), m.c.signBit
	m.constVec(sign)
	m.each(func(i int) {
		y := ys[i]
		m.opAcc(y, nil, func(e *emitter) string { return neon.ORR(e.r(y), e.r(y), e.consts.vreg(sign)) })
	})
}

// keepLarge: FCMGT is false for NaN; BIT takes x where it is true.
func (m *neonMachine) keepLarge(y, x value, limit *constant) {
	ys, xs := y.(nvals), x.(nvals)
	gt := m.bin(xs, limit, m.fp(neon.FCMGT))
	m.each(func(i int) {
		y, x, g := ys[i], xs[i], gt[i]
		m.opAcc(y, []*vv{x, g}, func(e *emitter) string { return neon.BIT(e.r(y), e.r(x), e.r(g)) })
	})
}
