package main

import (
	"fmt"
	"math"
	"slices"

	"github.com/simdsigmoid/sigmoid/internal/gen/neon"
)

// arm64Variants are the kernels generated for arm64 (-arch arm64). A
// table of 32 bytes, two registers, is what one TBL indexes: the N = 8
// floats or N = 4 doubles of every ISA's table.
var arm64Variants = []variant{
	{name: "neon", suffix: "NEON", needs: needsNEON, elem: f32},
	{name: "neon", suffix: "NEON", needs: needsNEON, elem: f64},
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
	// tier is the code this machine records: a function's fast code, its
	// tiny code or its safe code (functions); the checks of the first two
	// branch to safeLabel.
	tier      tier
	safeLabel string
	// loadedFrom is where each vector of an input was loaded from, in the
	// blocks of whole vectors: hold gives back such an input by loading it
	// again there, so that no register keeps it in between.
	loadedFrom map[*vv]loadRef
	// copyVecs has the two-operand instructions (bin) read a constant
	// from a copy made just before (copyConst: a load, where the layout
	// leaves it in memory) rather than from a register of its own: for a
	// function whose constants would otherwise leave too few registers.
	copyVecs bool
}

// loadRef is where a vector was loaded from, by the instruction op: off
// bytes from the pointer register ptr as it is after the block's loads
// (which post-increment it). op "tail" is float32's tail, 1-3 elements
// (loadTail), which label prefixes the labels of.
type loadRef struct {
	op, label string
	ptr, off  int
}

// tier is the kind of code a machine records (see neonMachine.tier).
type tier int

const (
	fastTier tier = iota
	tinyTier
	safeTier
)

// rFast is the general register the fast check reduces into.
const rFast = "R8"

type nvals []*vv

// neonPower is 2^k for scaleDown: the bits of 2^(k+c), c the element's
// scaleBias (always a normal number for every k a power takes: elem).
type neonPower struct{ biased nvals }

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
	// 2^-c, c the element's scaleBias: multiplying by it is exact or the
	// one rounding of a subnormal result.
	twoToMinusScale *constant
	// expTimes's: the mantissa bits, and the least biased exponent field.
	mantMask, intOne *constant
	// fastLimitBits is what |x|'s bits, compared as signed 32-bit
	// integers, must not exceed in a fast block (a NaN's bits are above
	// every number's): bits(fastLimit); for float64 its high word and a
	// low word of 0x7fffffff, which no low word exceeds, so that the same
	// 32-bit compare decides on the high words alone (fastLimit's low
	// word is all ones: elem).
	fastLimitBits     *constant
	signBit, canonNaN *constant
	// scaledTables are the 2^(j/N) tables as expScaled and lookupTabHi
	// use them, by the name of expConsts' tabHi.
	scaledTables map[string]*constant
}

func newNEONConsts(v variant) *neonConsts {
	e := v.elem
	c := &neonConsts{
		mask:            pattern(fmt.Sprintf("mask%d", e.tableSize-1), uint64(e.tableSize-1)),
		idxMul:          pattern("idxmul", 0x04040404),
		idxOff:          pattern("idxoff", 0x03020100),
		twoToMinusScale: e.num(fmt.Sprintf("twom%d", e.scaleBias), math.Exp2(float64(-e.scaleBias))),
		mantMask:        pattern("mantmask", 1<<e.mant-1),
		intOne:          pattern("intone", 1),
		fastLimitBits:   e.num("fastlimit", e.fastLimit),
		signBit:         pattern("signbit", e.signBit()),
		canonNaN:        pattern("canonnan", e.canonNaN()),
		scaledTables:    map[string]*constant{},
	}
	k := newConsts(v)
	for _, ec := range k.expSets() {
		c.scaledTables[ec.tabHi.name] = scaledTable(ec.tabHi, v)
	}
	if e == f64 {
		c.idxMul = pattern("idxmul", 0x08080808)
		c.idxOff = pattern("idxoff", 0x0706050403020100)
		c.fastLimitBits = pattern("fastlimit", e.bits(e.fastLimit)&^0xffffffff|0x7fffffff)
	}
	return c
}

func newNEON(v variant, k *consts, c *neonConsts, unroll int, p *prog, cu *constUses) *neonMachine {
	return &neonMachine{v: v, k: k, c: c, unroll: unroll, p: p, cu: cu, idx: map[*vv]*vv{}, jShifted: map[*vv]*vv{}, loadedFrom: map[*vv]loadRef{}}
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
		if m.copyVecs {
			c := m.p.newv()
			m.copyConst(c, b)
			m.each(func(i int) {
				d, a := d[i], a[i]
				m.op3(d, []*vv{a, c}, func(e *emitter) string { return f(e.r(d), e.r(a), e.r(c)) })
			})
			break
		}
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

// mul: a constant factor by element (FMUL's indexed form), which packs
// it with others into one register.
func (m *neonMachine) mul(a value, b operand) value {
	c, ok := b.(*constant)
	if !ok {
		return m.bin(a.(nvals), b, m.fp(neon.FMUL))
	}
	as, d := a.(nvals), m.newv()
	m.constElem(c)
	m.each(func(i int) {
		d, a := d[i], as[i]
		m.op3(d, []*vv{a}, func(e *emitter) string {
			el := e.consts.lane(c)
			return neon.FMULElem(m.arr(), e.r(d), e.r(a), el.reg, el.lane)
		})
	})
	return d
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
	n := m.v.elem.tableSize
	size := n * m.v.elem.bytes
	if len(table.bits) != n || (size != 16 && size != 32) {
		panic(fmt.Sprintf("arm64: table %s of %d entries, %d bytes: TBL here takes 16 or 32", table.name, len(table.bits), size))
	}
	if st, ok := m.c.scaledTables[table.name]; ok {
		return m.lookupTabHi(ts, st)
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
// that to a constant chosen so the sum is k + c + B (B the exponent bias,
// c the scaleBias), and SHL by the mantissa width makes it the bits of
// 2^(k+c).
func (m *neonMachine) exp2(t value) power {
	p := m.exp2Field(t.(nvals), m.v.elem.bias+m.v.elem.scaleBias)
	m.shiftField(p)
	return p
}

// exp2Field is k + add, from t's bits as exp2 takes it, in the power's
// lanes: the exponent field, not yet shifted into place.
func (m *neonMachine) exp2Field(ts nvals, add int) *neonPower {
	e := m.v.elem
	lg := log2(e.tableSize)
	mb := m.k.magic.bits[0]
	if mb&(1<<lg-1) != 0 {
		panic("arm64: magic's low bits are not zero")
	}
	bias := m.cu.intern(pattern(fmt.Sprintf("expbias%d", add), e.intBits(int64(add)-int64(mb>>lg))))
	p := &neonPower{biased: m.newv()}
	m.each(func(i int) { m.copyConst(p.biased[i], bias) })
	m.each(func(i int) {
		d, t := p.biased[i], ts[i]
		m.opAcc(d, []*vv{t}, func(em *emitter) string { return neon.USRA(m.arr(), em.r(d), em.r(t), lg) })
	})
	return p
}

// shiftField shifts the power's exponent field into place.
func (m *neonMachine) shiftField(p *neonPower) {
	m.each(func(i int) {
		d := p.biased[i]
		m.opAcc(d, nil, func(em *emitter) string { return neon.SHL(m.arr(), em.r(d), em.r(d), m.v.elem.mant) })
	})
}

// expTimes: as exp2, with f's exponent field added too (USRA of f's bits
// shifted up past the sign), raised to 1 (CMGT and BIT: NEON has no
// 64-bit SMAX) before the SHL. The significand is f's mantissa bits (AND)
// under 1's exponent (ORR).
func (m *neonMachine) expTimes(t, f value) (value, power) {
	ts, fs := t.(nvals), f.(nvals)
	e := m.v.elem
	p := m.exp2Field(ts, e.scaleBias)
	f2 := m.newv()
	m.each(func(i int) {
		d, f := f2[i], fs[i]
		m.op3(d, []*vv{f}, func(em *emitter) string { return neon.SHL(m.arr(), em.r(d), em.r(f), 1) })
	})
	m.each(func(i int) {
		d, f := p.biased[i], f2[i]
		m.opAcc(d, []*vv{f}, func(em *emitter) string { return neon.USRA(m.arr(), em.r(d), em.r(f), e.mant+1) })
	})
	one := m.c.intOne
	low := m.bin(p.biased, one, func(d, n, mm neon.VReg) string { return neon.CMGT(m.arr(), d, mm, n) })
	m.constVec(one)
	m.each(func(i int) {
		d, l := p.biased[i], low[i]
		m.opAcc(d, []*vv{l}, func(em *emitter) string { return neon.BIT(em.r(d), em.consts.vreg(one), em.r(l)) })
	})
	m.shiftField(p)
	sig := m.bin(fs, m.c.mantMask, func(d, n, mm neon.VReg) string { return neon.AND(d, n, mm) })
	m.constVec(m.k.one)
	m.each(func(i int) {
		d := sig[i]
		m.opAcc(d, nil, func(em *emitter) string { return neon.ORR(em.r(d), em.r(d), em.consts.vreg(m.k.one)) })
	})
	return sig, p
}

// expScaled: t's bits shifted left by mant - log2 N are k<<mant plus
// j<<(mant - log2 N) (magic's low bits shift out), added in the integers
// to scaledTable's entry, 2^(j/N)'s bits less j<<(mant - log2 N).
func (m *neonMachine) expScaled(n, t value, tab *constant) value {
	ts := t.(nvals)
	th := m.lookup(ts, m.c.scaledTables[tab.name]).(nvals)
	sh := m.newv()
	shift := m.v.elem.mant - log2(m.v.elem.tableSize)
	m.each(func(i int) {
		d, t := sh[i], ts[i]
		m.op3(d, []*vv{t}, func(em *emitter) string { return neon.SHL(m.arr(), em.r(d), em.r(t), shift) })
	})
	m.binTo(th, sh, func(d, n, mm neon.VReg) string { return neon.ADD(m.arr(), d, n, mm) })
	return th
}

// lookupTabHi looks 2^(j/N) up in its scaled table st, whose entries are
// its bits less j<<(mant - log2 N) (one table serves expScaled too), and
// adds j's part back.
func (m *neonMachine) lookupTabHi(ts nvals, st *constant) nvals {
	d := m.lookup(ts, st).(nvals)
	shift := m.v.elem.mant - log2(m.v.elem.tableSize)
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

// scaleDown: v·2^(k+c) is exact (a normal number), and the multiply by
// 2^-c is then the only rounding, into the subnormals if need be.
func (m *neonMachine) scaleDown(v value, e power) {
	vs, pw := v.(nvals), e.(*neonPower)
	m.binTo(vs, pw.biased, m.fp(neon.FMUL))
	m.constElem(m.c.twoToMinusScale)
	m.each(func(i int) {
		t := vs[i]
		m.opAcc(t, nil, func(e *emitter) string {
			el := e.consts.lane(m.c.twoToMinusScale)
			return neon.FMULElem(m.arr(), e.r(t), e.r(t), el.reg, el.lane)
		})
	})
}

// below: FCMGT with the operands swapped (c > x), false on NaN.
func (m *neonMachine) below(x value, c *constant) predicate {
	if len(c.bits) == 1 && c.bits[0] == 0 {
		// Against +0: FCMLT's zero form, which needs no register for it.
		xs, d := x.(nvals), m.newv()
		m.each(func(i int) {
			d, x := d[i], xs[i]
			m.op3(d, []*vv{x}, func(e *emitter) string { return neon.FCMLTZero(m.arr(), e.r(d), e.r(x)) })
		})
		return d
	}
	return m.bin(x.(nvals), c, func(d, n, mm neon.VReg) string { return neon.FCMGT(m.arr(), d, mm, n) })
}

// selectTo: BIT inserts v where p is set.
func (m *neonMachine) selectTo(p predicate, acc, v value) {
	accs, vs, ps := acc.(nvals), v.(nvals), p.(nvals)
	m.each(func(i int) {
		a, v, p := accs[i], vs[i], ps[i]
		m.opAcc(a, []*vv{v, p}, func(e *emitter) string { return neon.BIT(e.r(a), e.r(v), e.r(p)) })
	})
}

// requireAll records the branch to m.safeLabel unless every lane of good
// is all ones: AND combines the unrolled vectors, and the sum of the
// 32-bit lanes is -4 only if every one is all ones, float64's included.
func (m *neonMachine) requireAll(good nvals) {
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

// requireNoNaN: FCMEQ y, y is all ones on the lanes that are not NaN.
func (m *neonMachine) requireNoNaN(y value) {
	ys := y.(nvals)
	m.requireAll(m.bin(ys, ys, m.fp(neon.FCMEQ)))
}

// canonNaN: BIF puts the constant into y's lanes where y ≠ y.
func (m *neonMachine) canonNaN(y value) {
	ys := y.(nvals)
	ord := m.bin(ys, ys, m.fp(neon.FCMEQ))
	c := m.c.canonNaN
	m.constVec(c)
	m.each(func(i int) {
		y, o := ys[i], ord[i]
		m.opAcc(y, []*vv{o}, func(e *emitter) string { return neon.BIF(e.r(y), e.consts.vreg(c), e.r(o)) })
	})
}

// requireTiny records the branch to m.safeLabel unless every lane of x is
// < -fastLimit: FCMGT (operands swapped: limit > x) gives all ones on
// those lanes, never on NaN.
func (m *neonMachine) requireTiny(x value) {
	m.requireAll(m.bin(x.(nvals), m.k.negLarge, func(d, n, mm neon.VReg) string { return neon.FCMGT(m.arr(), d, mm, n) }))
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

// hold keeps an input of a block of whole vectors as where it was loaded
// from (release loads it again), anything else as a copy: a loaded value
// that an instruction has since changed in place too.
func (m *neonMachine) hold(x value) held {
	xs := x.(nvals)
	refs := make([]loadRef, len(xs))
	for i, v := range xs {
		r, ok := m.loadedFrom[v]
		if !ok || m.changed(v) {
			return m.copyOperand(x)
		}
		refs[i] = r
	}
	return refs
}

// changed reports whether a recorded instruction overwrites v in place.
func (m *neonMachine) changed(v *vv) bool {
	for _, in := range m.p.insns {
		if slices.Contains(in.accs, v) {
			return true
		}
	}
	return false
}

func (m *neonMachine) release(h held) value {
	refs, ok := h.([]loadRef)
	if !ok {
		// A copy of the copy: each release may be consumed.
		return m.copyOperand(h.(nvals))
	}
	d := m.newv()
	m.each(func(i int) {
		d, r := d[i], refs[i]
		m.p.add(&insn{defs: []*vv{d}, emit: func(e *emitter, _ bool) []string {
			if r.op != "tail" {
				return []string{fmt.Sprintf("%s %d(%s), F%d", r.op, r.off, rPtr(r.ptr), e.r(d))}
			}
			// The tail's loads again: its pointer moved past the low
			// pair, if there was one, and not past lane 2's element.
			x, l := e.r(d), fmt.Sprintf("%sreload%d", r.label, d.id)
			return []string{
				neon.EOR(x, x, x),
				fmt.Sprintf("TBZ $1, %s, %s_odd", rN, l),
				fmt.Sprintf("FMOVD -8(%s), F%d", rPtr(r.ptr), x),
				l + "_odd:",
				fmt.Sprintf("TBZ $0, %s, %s_done", rN, l),
				fmt.Sprintf("VLD1 (%s), %v.S[2]", rPtr(r.ptr), x),
				l + "_done:",
			}
		}})
		m.loadedFrom[d] = r
	})
	return d
}

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

// neg: FNEG flips the sign bit alone, NaNs' too.
func (m *neonMachine) neg(x value) value {
	xs, d := x.(nvals), m.newv()
	m.each(func(i int) {
		d, x := d[i], xs[i]
		m.op3(d, []*vv{x}, func(e *emitter) string { return neon.FNEG(m.arr(), e.r(d), e.r(x)) })
	})
	return d
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

// orSign: BIT inserts x's bits where the mask (the sign bit) is set.
func (m *neonMachine) orSign(y, x value) {
	ys, xs, sign := y.(nvals), x.(nvals), m.c.signBit
	m.constVec(sign)
	m.each(func(i int) {
		y, x := ys[i], xs[i]
		m.opAcc(y, []*vv{x}, func(e *emitter) string { return neon.BIT(e.r(y), e.r(x), e.consts.vreg(sign)) })
	})
}

// above: FCMGT is false for NaN; BIT takes v where it is true.
func (m *neonMachine) above(y, x value, limit *constant, v operand) {
	ys, xs := y.(nvals), x.(nvals)
	gt := m.bin(xs, limit, m.fp(neon.FCMGT))
	if c, ok := v.(*constant); ok {
		m.constVec(c)
	}
	m.each(func(i int) {
		y, g := ys[i], gt[i]
		switch v := v.(type) {
		case nvals:
			x := v[i]
			m.opAcc(y, []*vv{x, g}, func(e *emitter) string { return neon.BIT(e.r(y), e.r(x), e.r(g)) })
		case *constant:
			m.opAcc(y, []*vv{g}, func(e *emitter) string { return neon.BIT(e.r(y), e.consts.vreg(v), e.r(g)) })
		default:
			panic(fmt.Sprintf("arm64: bad operand %T", v))
		}
	})
}

func (m *neonMachine) only(_ value, _, _ *constant, f func() value) value { return f() }

func (m *neonMachine) saturated(_, _ value, _, _, _ *constant) {}
