// Package neon encodes the AArch64 Advanced SIMD (NEON) instructions used by
// the sigmoid kernels and renders each as one line of Go assembler text.
//
// Go's arm64 assembler knows only some NEON instructions. For those it knows
// (and whose encoding has been checked against the Arm ARM and GNU objdump,
// see TestObjdumpAgrees) a function returns the Go mnemonic, for example
//
//	VFMLA V2.S4, V1.S4, V0.S4
//
// (Go writes the operands in reverse order: destination last). For all the
// others it returns the 32-bit encoding as a WORD directive with the
// instruction in GNU objdump's syntax as a comment, for example
//
//	WORD $0x4e22d420 // fadd v0.4s, v1.4s, v2.4s
//
// Lines come without a leading tab. Functions take their operands in Arm
// order (destination first), after the arrangement. Invalid operands (an
// arrangement the instruction does not have, a register above V31, a shift
// out of range) are programming errors in the generator and panic.
//
// Which path each instruction takes is recorded in the ops table (ops.go).
// The by-element forms (FMLAElem, ..., always WORD lines) and a few lane
// operations Go's assembler spells its own way (DUPElem, USRA, SLI, ADDV,
// UMOVS) are in elem.go.
// CheckAsm and cmd/checkwords compare a built binary's disassembly with the
// comments of the WORD lines of an assembly file.
package neon

import (
	"fmt"
	"strings"
)

// VReg is a SIMD&FP register, V0..V31.
type VReg uint8

// The 32 SIMD&FP registers.
const (
	V0 VReg = iota
	V1
	V2
	V3
	V4
	V5
	V6
	V7
	V8
	V9
	V10
	V11
	V12
	V13
	V14
	V15
	V16
	V17
	V18
	V19
	V20
	V21
	V22
	V23
	V24
	V25
	V26
	V27
	V28
	V29
	V30
	V31
)

// String returns the register's name in Go syntax, e.g. "V7".
func (v VReg) String() string { return fmt.Sprintf("V%d", uint8(v)) }

// Arrangement is a vector arrangement of a 128-bit register.
type Arrangement uint8

const (
	S4  Arrangement = iota // .4S: four 32-bit lanes (float32 / int32)
	D2                     // .2D: two 64-bit lanes (float64 / int64)
	B16                    // .16B: sixteen bytes (bitwise operations, TBL)
)

// String returns the arrangement in Go syntax: "S4", "D2" or "B16".
func (a Arrangement) String() string {
	switch a {
	case S4:
		return "S4"
	case D2:
		return "D2"
	case B16:
		return "B16"
	}
	return fmt.Sprintf("Arrangement(%d)", uint8(a))
}

// arm returns the arrangement in Arm syntax: "4s", "2d" or "16b".
func (a Arrangement) arm() string {
	switch a {
	case S4:
		return "4s"
	case D2:
		return "2d"
	case B16:
		return "16b"
	}
	panic(fmt.Sprintf("neon: invalid arrangement %d", uint8(a)))
}

// inst is one encoded instruction.
type inst struct {
	word uint32 // the encoding, as the Arm ARM lays it out
	arm  string // GNU objdump's rendering, e.g. "fadd v0.4s, v1.4s, v2.4s"
	gas  string // Go assembler text, or "" to emit a WORD
}

// line renders the instruction as one line of Go assembler text.
func (in inst) line() string {
	if in.gas != "" {
		return in.gas
	}
	return wordLine(in.word, in.arm)
}

func wordLine(w uint32, arm string) string {
	return fmt.Sprintf("WORD $0x%08x // %s", w, arm)
}

// vreg formats a vector register with arrangement in Arm syntax ("v3.4s").
func vreg(r VReg, a Arrangement) string { return fmt.Sprintf("v%d.%s", uint8(r), a.arm()) }

// greg formats a vector register with arrangement in Go syntax ("V3.S4").
func greg(r VReg, a Arrangement) string { return fmt.Sprintf("V%d.%s", uint8(r), a) }

func checkRegs(op string, rs ...VReg) {
	for _, r := range rs {
		if r > V31 {
			panic(fmt.Sprintf("neon: %s: register V%d out of range", op, uint8(r)))
		}
	}
}

// normalize lower-cases a disassembly and collapses white space so that
// objdump's tab-separated output compares equal to a comment.
func normalize(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}
