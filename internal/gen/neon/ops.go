package neon

import "fmt"

// class is an encoding group of the Arm ARM (A64 "Advanced SIMD" groups).
type class uint8

const (
	// Advanced SIMD three same, floating point:
	// 0 Q U 01110 a sz 1 Rm opcode 1 Rn Rd; sz (bit 22) = 1 for .2d.
	fp3 class = iota
	// Advanced SIMD two-register miscellaneous, floating point:
	// 0 Q U 01110 a sz 10000 opcode 10 Rn Rd; sz (bit 22) = 1 for .2d.
	fp2
	// Advanced SIMD three same, integer:
	// 0 Q U 01110 size 1 Rm opcode 1 Rn Rd; size (23:22) = 10 .4s, 11 .2d.
	int3
	// Advanced SIMD two-register miscellaneous, floating-point compare
	// with zero: as fp2; objdump appends ", #0.0".
	fp2z
	// Advanced SIMD two-register miscellaneous, integer compare with zero:
	// 0 Q U 01110 size 10000 opcode 10 Rn Rd; objdump appends ", #0".
	int2z
	// Advanced SIMD shift by immediate, left (SHL):
	// 0 Q U 011110 immh immb opcode 1 Rn Rd; immh:immb = esize + shift.
	shl
	// Advanced SIMD shift by immediate, right (USHR):
	// immh:immb = 2*esize - shift.
	shr
	// Advanced SIMD three same, logical (.16b only):
	// 0 Q U 01110 opc2 1 Rm 00011 1 Rn Rd.
	logic
	// Advanced SIMD table lookup: 0 Q 001110 00 0 Rm 0 len 0 00 Rn Rd.
	tbl
	// MOV Vd.16B, Vn.16B: alias of ORR Vd.16B, Vn.16B, Vn.16B.
	mov
)

// op describes one instruction. base is the .4s encoding with all register
// fields zero (the .16b one for logic, tbl and mov). d2 says whether .2d
// exists; for fp3, fp2, fp2z, int3 and int2z it sets bit 22.
//
// gas is the Go assembler mnemonic where `go tool asm` (Go 1.26) has the
// instruction and has been checked to produce the same encoding (by
// TestObjdumpAgrees); "" means the instruction is emitted as a WORD.
type op struct {
	arm   string
	class class
	base  uint32
	d2    bool
	gas   string
}

// ops is the table of instructions and of the path each takes:
//
//	Go mnemonic: FMLA FMLS ADD SUB SHL USHR UMAX AND ORR EOR BSL BIT BIF TBL MOV
//	WORD:        FADD FSUB FMUL FDIV FMAX FMIN FRECPS FCMGT FCMGE FCMEQ
//	             FABS FNEG FRECPE FCMLT#0 CMGT CMLT#0
var ops = map[string]op{
	// FP three same.
	"FADD":   {"fadd", fp3, 0x4e20d400, true, ""},
	"FSUB":   {"fsub", fp3, 0x4ea0d400, true, ""},
	"FMUL":   {"fmul", fp3, 0x6e20dc00, true, ""},
	"FDIV":   {"fdiv", fp3, 0x6e20fc00, true, ""},
	"FMAX":   {"fmax", fp3, 0x4e20f400, true, ""},
	"FMIN":   {"fmin", fp3, 0x4ea0f400, true, ""},
	"FMLA":   {"fmla", fp3, 0x4e20cc00, true, "VFMLA"},
	"FMLS":   {"fmls", fp3, 0x4ea0cc00, true, "VFMLS"},
	"FRECPS": {"frecps", fp3, 0x4e20fc00, true, ""},
	"FCMGT":  {"fcmgt", fp3, 0x6ea0e400, true, ""},
	"FCMGE":  {"fcmge", fp3, 0x6e20e400, true, ""},
	"FCMEQ":  {"fcmeq", fp3, 0x4e20e400, true, ""},

	// FP two-register miscellaneous.
	"FABS":   {"fabs", fp2, 0x4ea0f800, true, ""},
	"FNEG":   {"fneg", fp2, 0x6ea0f800, true, ""},
	"FRECPE": {"frecpe", fp2, 0x4ea1d800, true, ""},
	// FP compare with zero.
	"FCMLTZero": {"fcmlt", fp2z, 0x4ea0e800, true, ""},

	// Integer.
	"ADD":      {"add", int3, 0x4ea08400, true, "VADD"},
	"SUB":      {"sub", int3, 0x6ea08400, true, "VSUB"},
	"CMGT":     {"cmgt", int3, 0x4ea03400, true, ""},
	"UMAX":     {"umax", int3, 0x6ea06400, false, "VUMAX"},
	"CMLTZero": {"cmlt", int2z, 0x4ea0a800, true, ""},
	"SHL":      {"shl", shl, 0x4f005400, true, "VSHL"},
	"USHR":     {"ushr", shr, 0x6f000400, true, "VUSHR"},

	// Bitwise, .16b.
	"AND": {"and", logic, 0x4e201c00, false, "VAND"},
	"ORR": {"orr", logic, 0x4ea01c00, false, "VORR"},
	"EOR": {"eor", logic, 0x6e201c00, false, "VEOR"},
	"BSL": {"bsl", logic, 0x6e601c00, false, "VBSL"},
	"BIT": {"bit", logic, 0x6ea01c00, false, "VBIT"},
	"BIF": {"bif", logic, 0x6ee01c00, false, "VBIF"},
	"TBL": {"tbl", tbl, 0x4e000000, false, "VTBL"},

	// Moves.
	"MOV": {"mov", mov, 0x4ea01c00, false, "VMOV"},
}

func lookup(name string) op {
	o, ok := ops[name]
	if !ok {
		panic("neon: unknown instruction " + name)
	}
	return o
}

// checkArr panics unless the op has arrangement a.
func (o op) checkArr(name string, a Arrangement) {
	switch o.class {
	case logic:
		if a == B16 {
			return
		}
	default:
		if a == S4 || (a == D2 && o.d2) {
			return
		}
	}
	panic(fmt.Sprintf("neon: %s has no arrangement %s", name, a))
}

// sizeBit is bit 22 (sz, or the low bit of size) for .2d.
func sizeBit(a Arrangement) uint32 {
	if a == D2 {
		return 1 << 22
	}
	return 0
}

// enc3 encodes a three-register vector instruction (fp3, int3, logic).
func enc3(name string, a Arrangement, d, n, m VReg) inst {
	o := lookup(name)
	o.checkArr(name, a)
	checkRegs(name, d, n, m)
	if o.class != fp3 && o.class != int3 && o.class != logic {
		panic("neon: " + name + " is not a three-register instruction")
	}
	in := inst{
		word: o.base | sizeBit(a) | uint32(m)<<16 | uint32(n)<<5 | uint32(d),
		arm:  fmt.Sprintf("%s %s, %s, %s", o.arm, vreg(d, a), vreg(n, a), vreg(m, a)),
	}
	if name == "ORR" && n == m {
		// objdump prints the preferred alias.
		in.arm = fmt.Sprintf("mov %s, %s", vreg(d, a), vreg(n, a))
	}
	if o.gas != "" {
		in.gas = fmt.Sprintf("%s %s, %s, %s", o.gas, greg(m, a), greg(n, a), greg(d, a))
	}
	return in
}

// enc2 encodes a two-register miscellaneous instruction (fp2, fp2z,
// int2z).
func enc2(name string, a Arrangement, d, n VReg) inst {
	o := lookup(name)
	o.checkArr(name, a)
	checkRegs(name, d, n)
	in := inst{
		word: o.base | sizeBit(a) | uint32(n)<<5 | uint32(d),
		arm:  fmt.Sprintf("%s %s, %s", o.arm, vreg(d, a), vreg(n, a)),
	}
	switch o.class {
	case fp2:
	case fp2z:
		in.arm += ", #0.0"
	case int2z:
		in.arm += ", #0"
	default:
		panic("neon: " + name + " is not a two-register instruction")
	}
	if o.gas != "" {
		in.gas = fmt.Sprintf("%s %s, %s", o.gas, greg(n, a), greg(d, a))
	}
	return in
}

// encShift encodes SHL and USHR by an immediate.
func encShift(name string, a Arrangement, d, n VReg, shift int) inst {
	o := lookup(name)
	o.checkArr(name, a)
	checkRegs(name, d, n)
	es := esize(a)
	var immhb int
	switch o.class {
	case shl:
		if shift < 0 || shift >= es {
			panic(fmt.Sprintf("neon: %s.%s shift %d out of range 0..%d", name, a, shift, es-1))
		}
		immhb = es + shift
	case shr:
		if shift < 1 || shift > es {
			panic(fmt.Sprintf("neon: %s.%s shift %d out of range 1..%d", name, a, shift, es))
		}
		immhb = 2*es - shift
	default:
		panic("neon: " + name + " is not a shift")
	}
	in := inst{
		word: o.base | uint32(immhb)<<16 | uint32(n)<<5 | uint32(d),
		arm:  fmt.Sprintf("%s %s, %s, #%d", o.arm, vreg(d, a), vreg(n, a), shift),
	}
	if o.gas != "" {
		in.gas = fmt.Sprintf("%s $%d, %s, %s", o.gas, shift, greg(n, a), greg(d, a))
	}
	return in
}

// encTBL encodes TBL with nregs (1 or 2) consecutive table registers from n
// (V31 wraps to V0).
func encTBL(d, n VReg, nregs int, m VReg) inst {
	o := lookup("TBL")
	checkRegs("TBL", d, n, m)
	if nregs != 1 && nregs != 2 {
		panic(fmt.Sprintf("neon: TBL with %d table registers", nregs))
	}
	tab := []VReg{n}
	if nregs == 2 {
		tab = append(tab, (n+1)%32)
	}
	armTab, goTab := "", ""
	for i, r := range tab {
		if i > 0 {
			armTab += ", "
			goTab += ", "
		}
		armTab += vreg(r, B16)
		goTab += greg(r, B16)
	}
	in := inst{
		word: o.base | uint32(m)<<16 | uint32(nregs-1)<<13 | uint32(n)<<5 | uint32(d),
		arm:  fmt.Sprintf("tbl %s, {%s}, %s", vreg(d, B16), armTab, vreg(m, B16)),
	}
	if o.gas != "" {
		in.gas = fmt.Sprintf("%s %s, [%s], %s", o.gas, greg(m, B16), goTab, greg(d, B16))
	}
	return in
}

// encMOV encodes MOV Vd.16B, Vn.16B (ORR Vd.16B, Vn.16B, Vn.16B).
func encMOV(d, n VReg) inst {
	o := lookup("MOV")
	checkRegs("MOV", d, n)
	in := inst{
		word: o.base | uint32(n)<<16 | uint32(n)<<5 | uint32(d),
		arm:  fmt.Sprintf("mov %s, %s", vreg(d, B16), vreg(n, B16)),
	}
	if o.gas != "" {
		in.gas = fmt.Sprintf("%s %s, %s", o.gas, greg(n, B16), greg(d, B16))
	}
	return in
}
