package neon

import "fmt"

// The "by element" forms, which take a constant from one lane of a
// register so that four float32 (two float64) scalar constants share one
// register (NEON has no memory operands, and the 32 registers are the
// unroll budget), and a few lane moves, reductions and shifts that Go's
// assembler has in forms the ops table does not describe. The by-element
// forms are WORD lines; TestObjdumpAgrees checks every form here against GNU
// objdump.

// Advanced SIMD "vector x indexed element":
// 0 Q U 01111 size L M Rm opcode H 0 Rn Rd, Q = 1. For .4S (size = 10) the
// element index is H:L and the register M:Rm (any of V0-V31); for .2D
// (size = 11, bit 22 set; floating point only) the index is H, L is 0.
const (
	encFMLAElem = 0x4f801000 // fmla: U=0 opcode 0001
	encFMLSElem = 0x4f805000 // fmls: U=0 opcode 0101
	encFMULElem = 0x4f809000 // fmul: U=0 opcode 1001
	encMLAElem  = 0x6f800000 // mla:  U=1 opcode 0000
)

var elemMnemonic = map[uint32]string{
	encFMLAElem: "fmla", encFMLSElem: "fmls", encFMULElem: "fmul", encMLAElem: "mla",
}

// byElem encodes op Vd.4S, Vn.4S, Vm.S[i] or op Vd.2D, Vn.2D, Vm.D[i]
// (.2D for the floating-point forms only: MLAElem takes no arrangement).
func byElem(base uint32, a Arrangement, d, n, m VReg, i int) inst {
	mn := elemMnemonic[base]
	checkRegs(mn, d, n, m)
	switch a {
	case S4:
		if i < 0 || i > 3 {
			panic(fmt.Sprintf("neon: %s by element .4S index %d", mn, i))
		}
		return inst{
			word: base | uint32(i&1)<<21 | uint32(m)<<16 | uint32(i>>1)<<11 | uint32(n)<<5 | uint32(d),
			arm:  fmt.Sprintf("%s v%d.4s, v%d.4s, v%d.s[%d]", mn, d, n, m, i),
		}
	case D2:
		if i < 0 || i > 1 {
			panic(fmt.Sprintf("neon: %s by element .2D index %d", mn, i))
		}
		return inst{
			word: base | 1<<22 | uint32(m)<<16 | uint32(i)<<11 | uint32(n)<<5 | uint32(d),
			arm:  fmt.Sprintf("%s v%d.2d, v%d.2d, v%d.d[%d]", mn, d, n, m, i),
		}
	}
	panic(fmt.Sprintf("neon: %s by element: arrangement %v", mn, a))
}

// FMLAElem emits fmla Vd.T, Vn.T, Vm.E[i]: Vd += Vn·Vm[i] (fused); T is
// .4S or .2D.
func FMLAElem(a Arrangement, d, n, m VReg, i int) string {
	return byElem(encFMLAElem, a, d, n, m, i).line()
}

// FMLSElem emits fmls Vd.T, Vn.T, Vm.E[i]: Vd -= Vn·Vm[i] (fused).
func FMLSElem(a Arrangement, d, n, m VReg, i int) string {
	return byElem(encFMLSElem, a, d, n, m, i).line()
}

// FMULElem emits fmul Vd.T, Vn.T, Vm.E[i].
func FMULElem(a Arrangement, d, n, m VReg, i int) string {
	return byElem(encFMULElem, a, d, n, m, i).line()
}

// MLAElem emits mla Vd.4S, Vn.4S, Vm.S[i]: Vd += Vn·Vm[i] (low 32 bits).
func MLAElem(d, n, m VReg, i int) string { return byElem(encMLAElem, S4, d, n, m, i).line() }

// laneName is the Go element suffix and the lane count of an arrangement.
func laneName(a Arrangement) (string, int) {
	switch a {
	case S4:
		return "S", 4
	case D2:
		return "D", 2
	}
	panic(fmt.Sprintf("neon: arrangement %v has no lanes here", a))
}

// esize is the lane width of an arrangement in bits.
func esize(a Arrangement) int {
	_, n := laneName(a)
	return 128 / n
}

// DUPElem emits dup Vd.4S, Vn.S[i] or dup Vd.2D, Vn.D[i] in Go syntax.
func DUPElem(a Arrangement, d, n VReg, i int) string {
	e, lanes := laneName(a)
	if i < 0 || i >= lanes {
		panic(fmt.Sprintf("neon: DUP lane %d of %v", i, a))
	}
	return fmt.Sprintf("VDUP %v.%s[%d], %v.%v", n, e, i, d, a)
}

// USRA emits usra Vd.T, Vn.T, #shift (Vd += Vn >> shift, logical) in Go
// syntax; shift 1..32 (.4S) or 1..64 (.2D).
func USRA(a Arrangement, d, n VReg, shift int) string {
	if shift < 1 || shift > esize(a) {
		panic(fmt.Sprintf("neon: USRA.%v shift %d", a, shift))
	}
	return fmt.Sprintf("VUSRA $%d, %v.%v, %v.%v", shift, n, a, d, a)
}

// SLI emits sli Vd.T, Vn.T, #shift (Vd = Vn << shift, keeping Vd's low
// shift bits of each lane) in Go syntax; shift 0..31 (.4S) or 0..63 (.2D).
func SLI(a Arrangement, d, n VReg, shift int) string {
	if shift < 0 || shift >= esize(a) {
		panic(fmt.Sprintf("neon: SLI.%v shift %d", a, shift))
	}
	return fmt.Sprintf("VSLI $%d, %v.%v, %v.%v", shift, n, a, d, a)
}

// ADDV emits addv Sd, Vn.4S (the sum of the lanes into lane 0, the rest
// of Vd cleared) in Go syntax.
func ADDV(d, n VReg) string { return fmt.Sprintf("VADDV %v.S4, %v", n, d) }

// UMOVS emits umov Wd, Vn.S[i] (mov wd, vn.s[i]) in Go syntax; r is a
// general register in Go syntax.
func UMOVS(r string, n VReg, i int) string {
	if i < 0 || i > 3 {
		panic(fmt.Sprintf("neon: UMOV lane %d", i))
	}
	return fmt.Sprintf("VMOV %v.S[%d], %s", n, i, r)
}

// FCVTL emits fcvtl Vd.2D, Vn.2S: lanes 0 and 1 of Vn widened to float64
// (exact); FCVTL2 lanes 2 and 3 (fcvtl2 Vd.2D, Vn.4S). Advanced SIMD
// two-register miscellaneous, 0 Q 0 01110 0 sz 10000 10111 10 Rn Rd with
// sz = 1 (to .2D).
func FCVTL(d, n VReg) string {
	checkRegs("fcvtl", d, n)
	return inst{word: 0x0e617800 | uint32(n)<<5 | uint32(d), arm: fmt.Sprintf("fcvtl v%d.2d, v%d.2s", d, n)}.line()
}

func FCVTL2(d, n VReg) string {
	checkRegs("fcvtl2", d, n)
	return inst{word: 0x4e617800 | uint32(n)<<5 | uint32(d), arm: fmt.Sprintf("fcvtl2 v%d.2d, v%d.4s", d, n)}.line()
}
