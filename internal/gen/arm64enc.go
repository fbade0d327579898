package main

import (
	"fmt"

	"github.com/simdsigmoid/sigmoid/internal/gen/neon"
)

// Instructions the NEON kernel needs beyond package neon: the "by element"
// forms, which take a constant from one lane of a register so that four
// scalar constants share one register (NEON has no memory operands, and
// the 32 registers are the unroll budget), and a few moves Go's assembler
// has. WORD lines carry objdump's text as their comment, so that
// cmd/checkwords verifies them in the generated file; TestARM64EncObjdump
// checks every form here against GNU objdump.

// Advanced SIMD "vector x indexed element", .4S with a 32-bit element:
// 0 Q U 01111 size L M Rm opcode H 0 Rn Rd, Q = 1, size = 10; the element
// index is H:L and the register M:Rm (any of V0-V31).
const (
	encFMLAElem = 0x4f801000 // fmla: U=0 opcode 0001
	encFMLSElem = 0x4f805000 // fmls: U=0 opcode 0101
	encFMULElem = 0x4f809000 // fmul: U=0 opcode 1001
	encMULElem  = 0x4f808000 // mul:  U=0 opcode 1000
	encMLAElem  = 0x6f800000 // mla:  U=1 opcode 0000
)

var elemMnemonic = map[uint32]string{
	encFMLAElem: "fmla", encFMLSElem: "fmls", encFMULElem: "fmul", encMULElem: "mul", encMLAElem: "mla",
}

// byElem emits op Vd.4S, Vn.4S, Vm.S[i].
func byElem(base uint32, d, n, m neon.VReg, i int) string {
	if i < 0 || i > 3 || d > neon.V31 || n > neon.V31 || m > neon.V31 {
		panic(fmt.Sprintf("arm64: bad by-element operands %v %v %v[%d]", d, n, m, i))
	}
	w := base | uint32(i&1)<<21 | uint32(m)<<16 | uint32(i>>1)<<11 | uint32(n)<<5 | uint32(d)
	return fmt.Sprintf("WORD $0x%08x // %s v%d.4s, v%d.4s, v%d.s[%d]", w, elemMnemonic[base], d, n, m, i)
}

// FMLAElem emits fmla Vd.4S, Vn.4S, Vm.S[i]: Vd += Vn·Vm[i] (fused).
func FMLAElem(d, n, m neon.VReg, i int) string { return byElem(encFMLAElem, d, n, m, i) }

// FMLSElem emits fmls Vd.4S, Vn.4S, Vm.S[i]: Vd -= Vn·Vm[i] (fused).
func FMLSElem(d, n, m neon.VReg, i int) string { return byElem(encFMLSElem, d, n, m, i) }

// FMULElem emits fmul Vd.4S, Vn.4S, Vm.S[i].
func FMULElem(d, n, m neon.VReg, i int) string { return byElem(encFMULElem, d, n, m, i) }

// MULElem emits mul Vd.4S, Vn.4S, Vm.S[i] (low 32 bits).
func MULElem(d, n, m neon.VReg, i int) string { return byElem(encMULElem, d, n, m, i) }

// MLAElem emits mla Vd.4S, Vn.4S, Vm.S[i]: Vd += Vn·Vm[i] (low 32 bits).
func MLAElem(d, n, m neon.VReg, i int) string { return byElem(encMLAElem, d, n, m, i) }

// DUPElem emits dup Vd.4S, Vn.S[i] in Go syntax.
func DUPElem(d, n neon.VReg, i int) string {
	return fmt.Sprintf("VDUP %v.S[%d], %v.S4", n, i, d)
}

// USRA emits usra Vd.4S, Vn.4S, #shift (Vd += Vn >> shift, logical) in Go
// syntax.
func USRA(d, n neon.VReg, shift int) string {
	if shift < 1 || shift > 32 {
		panic(fmt.Sprintf("arm64: USRA shift %d", shift))
	}
	return fmt.Sprintf("VUSRA $%d, %v.S4, %v.S4", shift, n, d)
}

// ADDV emits addv Sd, Vn.4S (the sum of the lanes into lane 0, the rest
// of Vd cleared) in Go syntax.
func ADDV(d, n neon.VReg) string { return fmt.Sprintf("VADDV %v.S4, %v", n, d) }

// UMOVS emits umov Wd, Vn.S[i] (mov wd, vn.s[i]) in Go syntax; r is a
// general register in Go syntax.
func UMOVS(r string, n neon.VReg, i int) string {
	if i < 0 || i > 3 {
		panic(fmt.Sprintf("arm64: UMOV lane %d", i))
	}
	return fmt.Sprintf("VMOV %v.S[%d], %s", n, i, r)
}
