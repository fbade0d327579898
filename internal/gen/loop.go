package main

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
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
// len(src)) elements, an unrolled main loop, a one-vector loop, then one
// masked vector for the remainder, so no byte outside the slices is touched.
func genAMD64(v variant) {
	m := &x86{v: v, avx512: v.name == "avx512", k: newConsts(v)}
	if m.avx512 {
		m.declare(absMask, half)
	} else {
		m.declare(absMask, minExpField, oneBits, twoTo64, twoToM64, tailMask)
	}

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

	m.loadRegs(m.k.one, m.k.clamp)
	lanes, bytes := m.lanes(), 4*m.lanes()
	u := amd64Unroll[v.name]

	Label(v.name + "_loop")
	CMPQ(n, U32(u*lanes))
	JB(LabelRef(v.name + "_single"))
	{
		mu := m.with(u)
		x := mu.newv()
		mu.each(func(i int) { VMOVUPS(Mem{Base: src, Disp: i * bytes}, x[i]) })
		y := sigmoid(mu, mu.k, x).(vregs)
		mu.each(func(i int) { VMOVUPS(y[i], Mem{Base: dst, Disp: i * bytes}) })
		ADDQ(U32(u*bytes), src)
		ADDQ(U32(u*bytes), dst)
		SUBQ(U32(u*lanes), n)
		JMP(LabelRef(v.name + "_loop"))
	}

	Label(v.name + "_single")
	CMPQ(n, U32(lanes))
	JB(LabelRef(v.name + "_tail"))
	{
		m1 := m.with(1)
		x := m1.newv()
		VMOVUPS(Mem{Base: src}, x[0])
		y := sigmoid(m1, m1.k, x).(vregs)
		VMOVUPS(y[0], Mem{Base: dst})
		ADDQ(U32(bytes), src)
		ADDQ(U32(bytes), dst)
		SUBQ(U32(lanes), n)
		JMP(LabelRef(v.name + "_single"))
	}

	Label(v.name + "_tail")
	TESTQ(n, n)
	JZ(LabelRef(v.name + "_done"))
	{
		m1 := m.with(1)
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

var _ reg.Register
