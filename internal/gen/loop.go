package main

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
)

// amd64Unroll is how many vectors one main-loop iteration processes.
// AVX2 has 16 YMM registers and one vector's working set is about 12 of
// them: it cannot unroll without spilling into Y16-Y31, which only exist
// with AVX-512 (TestAVX2LowRegisters).
var amd64Unroll = map[string]int{"avx512": 4, "avx2": 1}

// tailMask is the AVX2 tail's mask table: a load at offset 4·(8-r) gives r
// leading all-ones lanes.
var tailMask = &constant{name: "tailmask", vals: []float32{
	nan1, nan1, nan1, nan1, nan1, nan1, nan1, nan1, 0, 0, 0, 0, 0, 0, 0, 0}}

var nan1 = float32frombits(0xffffffff)

// genAMD64 emits one kernel: func(dst, src []float32) over min(len(dst),
// len(src)) elements: an unrolled main loop, a one-vector loop, then one
// masked vector for the remainder, so no byte outside the slices is touched.
// Each block of the loops takes the fast code when every |x| ≤ fastLimit
// and the safe code otherwise; the masked remainder always takes the safe
// code.
func genAMD64(v variant) {
	m := &x86{v: v, avx512: v.name == "avx512", k: newConsts(v)}
	extra := []*constant{absMask, half, fastBits, zero, twoTo64, twoToM62}
	if m.avx512 {
		extra = append(extra, minExpFloat)
	} else {
		extra = append(extra, minExpField, oneBits, tailMask)
	}
	m.declare(extra...)

	TEXT(v.fn, NOSPLIT, "func(dst, src []float32)")
	Pragma("noescape")
	Doc(v.fn+" sets dst[i] = 1/(1+exp(-src[i])) for i < min(len(dst), len(src)).",
		"It needs "+map[bool]string{true: "AVX-512F and AVX-512DQ", false: "AVX2 and FMA"}[m.avx512]+".")
	dst := Load(Param("dst").Base(), GP64())
	src := Load(Param("src").Base(), GP64())
	n := GP64()
	Load(Param("dst").Len(), n)
	ns := Load(Param("src").Len(), GP64())
	CMPQ(ns, n)
	CMOVQLT(ns, n)

	m.loadRegs(m.k.one)
	lanes, bytes := m.lanes(), 4*m.lanes()

	// block emits one pass of a loop over u vectors at src/dst.
	block := func(name string, u int) {
		Label(name)
		CMPQ(n, U32(u*lanes))
		JB(LabelRef(name + "_end"))
		mu := m.with(u)
		x := mu.newv()
		mu.each(func(i int) { VMOVUPS(Mem{Base: src, Disp: i * bytes}, x[i]) })
		mu.branchUnlessFast(x, name+"_safe")
		y := sigmoid(mu, mu.k, x).(vregs)
		mu.each(func(i int) { VMOVUPS(y[i], Mem{Base: dst, Disp: i * bytes}) })
		JMP(LabelRef(name + "_next"))

		// The safe code needs more registers: one vector at a time, each
		// loaded again.
		Label(name + "_safe")
		m1 := m.with(1)
		m1.safe = true
		for i := range u {
			x := m1.newv()
			VMOVUPS(Mem{Base: src, Disp: i * bytes}, x[0])
			y := sigmoid(m1, m1.k, x).(vregs)
			VMOVUPS(y[0], Mem{Base: dst, Disp: i * bytes})
		}
		Label(name + "_next")
		ADDQ(U32(u*bytes), src)
		ADDQ(U32(u*bytes), dst)
		SUBQ(U32(u*lanes), n)
		JMP(LabelRef(name))
		Label(name + "_end")
	}
	block(v.name+"_loop", amd64Unroll[v.name])
	block(v.name+"_single", 1)

	TESTQ(n, n)
	JZ(LabelRef(v.name + "_done"))
	{
		m1 := m.with(1)
		m1.safe = true
		x := m1.newv()
		if m.avx512 {
			// Lanes [0, n) of an opmask: masked-off lanes are neither
			// loaded nor stored, so they cannot fault.
			bits, k := GP32(), K()
			MOVL(U32(1), bits)
			SHLXL(n.As32(), bits, bits)
			DECL(bits)
			KMOVW(bits, k)
			VMOVUPS_Z(Mem{Base: src}, k, x[0])
			y := sigmoid(m1, m1.k, x).(vregs)
			VMOVUPS(y[0], k, Mem{Base: dst})
		} else {
			off := GP64()
			MOVQ(U32(lanes), off)
			SUBQ(n, off)
			base, mask := GP64(), YMM()
			LEAQ(m.mems[tailMask], base)
			VMOVUPS(Mem{Base: base, Index: off, Scale: 4}, mask)
			VMASKMOVPS(Mem{Base: src}, mask, x[0])
			y := sigmoid(m1, m1.k, x).(vregs)
			VMASKMOVPS(y[0], mask, Mem{Base: dst})
		}
	}

	Label(v.name + "_done")
	VZEROUPPER()
	RET()
}

// branchUnlessFast jumps to label when any lane of x has |x| > fastLimit or
// is NaN: as integers, |x|'s bits order like |x|, and NaNs sort above ±Inf,
// so one unsigned maximum over the block and one compare decide.
func (m *x86) branchUnlessFast(x vregs, label string) {
	big := m.with(1).newv()[0]
	VANDPS(m.op(absMask), x[0], big)
	for i := 1; i < m.unroll; i++ {
		t := m.with(1).newv()[0]
		VANDPS(m.op(absMask), x[i], t)
		VPMAXUD(t, big, big)
	}
	if m.avx512 {
		k := K()
		VPCMPGTD(m.op(fastBits), big, k)
		KORTESTW(k, k)
	} else {
		VPCMPGTD(m.op(fastBits), big, big)
		VPTEST(big, big)
	}
	JNZ(LabelRef(label))
}
