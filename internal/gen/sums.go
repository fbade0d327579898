package main

import (
	"fmt"
	"strings"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"

	"github.com/simdsigmoid/sigmoid/internal/gen/neon"
)

// The running sums: s[i%sumLanes] += float64(x[i]) for every i, in order
// of i, the order package kernels adds a block of BCEWithLogitsMean's
// losses in (its own Go loop is the generic kernel's). Widening each
// element to float64 and adding it is exact-then-rounded on every ISA, so
// every kernel returns the same sums. Sixteen sums keep two AVX-512
// registers (four AVX2, eight NEON) of independent additions in flight.
const sumLanes = 16

// sumsChunk is how many elements one assembly call of the sums gets: a
// multiple of sumLanes, 128 KiB of float32 or 256 KiB of float64, which
// even read from memory at 5 GB/s takes about 50 µs, half the bound of
// asm's other chunks (chunk.go).
const sumsChunk = 1 << 15

// sumsName is the exported name of the sums for variant v (SumsAVX512,
// Sums64NEON), sumsRaw the assembly's.
func sumsName(v variant) string {
	if v.elem == f64 {
		return "Sums64" + v.suffix
	}
	return "Sums" + v.suffix
}

func sumsRaw(v variant) string { return unexport(sumsName(v)) }

func sumsDoc(v variant) string {
	return fmt.Sprintf("%s adds float64(x[i]) to s[i%%%d] for every i below len(x) rounded down to a multiple of %d, in order of i.", sumsRaw(v), sumLanes, sumLanes)
}

// genSumsX86 emits the sums for an amd64 variant: each block of
// sumLanes elements, widened to float64, is added to the sums held in
// registers (two ZMM or four YMM).
func genSumsX86(v variant) {
	name := sumsRaw(v)
	TEXT(name, NOSPLIT, fmt.Sprintf("func(s *[%d]float64, x []%s)", sumLanes, v.elem.name))
	Pragma("noescape")
	avx512 := v.name == "avx512"
	needs := "AVX"
	if avx512 {
		needs = "AVX-512F"
	}
	Doc(sumsDoc(v) + " It needs " + needs + ".")
	s := Load(Param("s"), GP64())
	x := Load(Param("x").Base(), GP64())
	n := Load(Param("x").Len(), GP64())
	width := 4 // float64 lanes a register
	newReg := func() reg.VecVirtual { return YMM() }
	if avx512 {
		width, newReg = 8, func() reg.VecVirtual { return ZMM() }
	}
	acc := make([]reg.VecVirtual, sumLanes/width)
	for j := range acc {
		acc[j] = newReg()
		VMOVUPD(Mem{Base: s, Disp: 8 * width * j}, acc[j])
	}
	SHRQ(U8(log2(sumLanes)), n)
	JZ(LabelRef(name + "_done"))
	Label(name + "_loop")
	for j := range acc {
		mem := Mem{Base: x, Disp: v.elem.bytes * width * j}
		if v.elem == f32 {
			t := newReg()
			VCVTPS2PD(mem, t)
			VADDPD(t, acc[j], acc[j])
		} else {
			VADDPD(mem, acc[j], acc[j])
		}
	}
	ADDQ(U32(sumLanes*v.elem.bytes), x)
	DECQ(n)
	JNZ(LabelRef(name + "_loop"))
	Label(name + "_done")
	for j := range acc {
		VMOVUPD(acc[j], Mem{Base: s, Disp: 8 * width * j})
	}
	VZEROUPPER()
	RET()
}

// neonSums returns the sums' assembly for a NEON variant and its Go
// declaration: the sums in V0-V7 (.2D), a block's elements loaded in
// V16-V23 and, for float32, widened in pairs (FCVTL, FCVTL2) into V24-V31.
func neonSums(v variant) (text, decl string) {
	name := sumsRaw(v)
	var b strings.Builder
	ins := asmLines(&b)
	fmt.Fprintf(&b, "\n// %s\nTEXT ·%s(SB), NOSPLIT, $0-32\n", sumsDoc(v), name)
	regs := func(first, count int, arr string) string {
		var r []string
		for i := range count {
			r = append(r, fmt.Sprintf("V%d.%s", first+i, arr))
		}
		return "[" + strings.Join(r, ", ") + "]"
	}
	ins(
		"MOVD s+0(FP), R0",
		"MOVD x_base+8(FP), R1",
		"MOVD x_len+16(FP), R2",
		fmt.Sprintf("LSR $%d, R2, R2", log2(sumLanes)),
		"MOVD R0, R3",
		"VLD1.P 64(R3), "+regs(0, 4, "D2"),
		"VLD1 (R3), "+regs(4, 4, "D2"),
		"CBZ R2, "+name+"_done",
		name+"_loop:",
	)
	if v.elem == f32 {
		ins("VLD1.P 64(R1), " + regs(16, 4, "S4"))
		for k := range neon.VReg(4) {
			ins(neon.FCVTL(24+2*k, 16+k), neon.FCVTL2(25+2*k, 16+k))
		}
		for j := range neon.VReg(8) {
			ins(neon.FADD(neon.D2, j, j, 24+j))
		}
	} else {
		ins("VLD1.P 64(R1), "+regs(16, 4, "D2"), "VLD1.P 64(R1), "+regs(20, 4, "D2"))
		for j := range neon.VReg(8) {
			ins(neon.FADD(neon.D2, j, j, 16+j))
		}
	}
	ins(
		"SUBS $1, R2, R2",
		"BNE "+name+"_loop",
		name+"_done:",
		"VST1.P "+regs(0, 4, "D2")+", 64(R0)",
		"VST1 "+regs(4, 4, "D2")+", (R0)",
		"RET",
	)
	decl = fmt.Sprintf("\n// %s It needs %s.\n//\n//go:noescape\nfunc %s(s *[%d]float64, x []%s)\n", sumsDoc(v), v.needs, name, sumLanes, v.elem.name)
	return b.String(), decl
}

// sumsEntry writes the exported, checked sums of variant v: the assembly
// on whole blocks of sumLanes, in chunks (each call in a noinline
// function, a preemption point), and the last elements in Go.
func sumsEntry(w *strings.Builder, v variant) {
	sym, raw := sumsName(v), sumsRaw(v)
	e := v.elem.name
	fmt.Fprintf(w, "\n// %s adds float64(x[i]) to s[i%%%d] for every i, in order of i, with the %s kernel: the running sums package kernels adds BCEWithLogitsMean's losses in, identical on every kernel. It panics if s is nil or if this CPU cannot run the kernel (Has%s reports whether it can).\n", sym, sumLanes, v.name, v.suffix)
	fmt.Fprintf(w, "func %s(s *[%d]float64, x []%s) {\n", sym, sumLanes, e)
	fmt.Fprintf(w, "if !has%s {\npanicCPU(%q, %q)\n}\n", v.suffix, sym, v.name)
	fmt.Fprintf(w, "if s == nil {\npanic(%q)\n}\n", "asm: "+sym+": s is nil")
	fmt.Fprintf(w, "for len(x) >= %d {\nn := min(len(x), %d) &^ %d\nraceSums(s, x[:n])\n%sChunk(s, x[:n])\nx = x[n:]\n}\n", sumLanes, sumsChunk, sumLanes-1, raw)
	w.WriteString("for i, v := range x {\ns[i] += float64(v)\n}\n}\n")
	fmt.Fprintf(w, "\n// %sChunk is one call of %s.\n//\n//go:noinline\n", raw, raw)
	fmt.Fprintf(w, "func %sChunk(s *[%d]float64, x []%s) {\n%s(s, x)\n}\n", raw, sumLanes, e, raw)
}
