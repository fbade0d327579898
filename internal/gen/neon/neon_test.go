package neon

import (
	"fmt"
	"strings"
	"testing"
)

func TestEncodings(t *testing.T) {
	for _, c := range encodingCases {
		if c.gas == "" {
			if want := fmt.Sprintf("WORD $0x%08x // %s", c.word, c.arm); c.line != want {
				t.Errorf("got  %q\nwant %q", c.line, want)
			}
			continue
		}
		if c.line != c.gas {
			t.Errorf("got %q, want Go mnemonic %q", c.line, c.gas)
			continue
		}
		in, ok := parseGoLine(c.line)
		if !ok {
			t.Errorf("parseGoLine(%q) failed", c.line)
			continue
		}
		if in.word != c.word || in.arm != c.arm {
			t.Errorf("%q encodes as 0x%08x (%s), want 0x%08x (%s)", c.line, in.word, in.arm, c.word, c.arm)
		}
	}
}

// TestEveryInstructionCovered checks that every instruction of the ops
// table, in every arrangement it has, appears in encodingCases at least
// twice, and that the path (Go mnemonic or WORD) agrees with the table.
func TestEveryInstructionCovered(t *testing.T) {
	seen := map[string]int{}
	for _, c := range encodingCases {
		mn, args := splitStatement(c.arm)
		arr := strings.TrimPrefix(args[0][strings.Index(args[0], "."):], ".")
		name := strings.ToUpper(mn)
		switch {
		case mn == "cmlt" || mn == "fcmlt":
			name += "Zero"
		case mn == "tbl":
			name = fmt.Sprintf("TBL%d", strings.Count(args[1], ",")+1)
		}
		key := name + "." + arr
		seen[key]++
		opName := name
		if mn == "tbl" {
			opName = "TBL"
		}
		o, ok := ops[opName]
		if !ok {
			t.Errorf("%s: not in the ops table", c.arm)
			continue
		}
		if (o.gas != "") != (c.gas != "") {
			t.Errorf("%s: ops table says Go mnemonic %q, test case says %q", c.arm, o.gas, c.gas)
		}
	}
	for name, o := range ops {
		var arrs []string
		switch {
		case name == "TBL":
			name, arrs = "TBL1", []string{"16b"}
			if seen["TBL2.16b"] < 2 {
				t.Errorf("TBL2.16b: %d cases, want at least 2", seen["TBL2.16b"])
			}
		case o.class == logic || o.class == mov:
			arrs = []string{"16b"}
		case o.d2:
			arrs = []string{"4s", "2d"}
		default:
			arrs = []string{"4s"}
		}
		for _, a := range arrs {
			if n := seen[name+"."+a]; n < 2 {
				t.Errorf("%s.%s: %d cases, want at least 2", name, a, n)
			}
		}
	}
}

func mustPanic(t *testing.T, what string, f func() string) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s: no panic", what)
		}
	}()
	s := f()
	t.Errorf("%s returned %q", what, s)
}

func TestInvalidOperandsPanic(t *testing.T) {
	mustPanic(t, "UMAX(D2)", func() string { return UMAX(D2, V0, V1, V2) })
	mustPanic(t, "FADD(B16)", func() string { return FADD(B16, V0, V1, V2) })
	mustPanic(t, "FABS(B16)", func() string { return FABS(B16, V0, V1) })
	mustPanic(t, "SUB(B16)", func() string { return SUB(B16, V0, V1, V2) })
	mustPanic(t, "FADD(Arrangement(7))", func() string { return FADD(Arrangement(7), V0, V1, V2) })
	mustPanic(t, "FADD V32", func() string { return FADD(S4, 32, V1, V2) })
	mustPanic(t, "AND V40", func() string { return AND(V0, V1, 40) })
	mustPanic(t, "TBL2 V32", func() string { return TBL2(V0, 32, V1) })
	mustPanic(t, "MOV V32", func() string { return MOV(V0, 32) })
	mustPanic(t, "SHL S4 #32", func() string { return SHL(S4, V0, V1, 32) })
	mustPanic(t, "SHL D2 #64", func() string { return SHL(D2, V0, V1, 64) })
	mustPanic(t, "SHL S4 #-1", func() string { return SHL(S4, V0, V1, -1) })
	mustPanic(t, "USHR S4 #0", func() string { return USHR(S4, V0, V1, 0) })
	mustPanic(t, "USHR S4 #33", func() string { return USHR(S4, V0, V1, 33) })
	mustPanic(t, "USHR D2 #65", func() string { return USHR(D2, V0, V1, 65) })
	mustPanic(t, "USHR D2 #0", func() string { return USHR(D2, V0, V1, 0) })
}

func TestParseGoLineRejectsOtherForms(t *testing.T) {
	for _, s := range []string{
		"VMOV R1, V0.S[1]",
		"VMOV V1.S[0], V0.S[1]",
		"VSUB V1.B16, V2.B16, V0.B16",
		"VSUB V1.S4, V2.D2, V0.S4",
		"VUMAX V1.D2, V2.D2, V0.D2",
		"VDUP V1.S[0], V0.S4",
		"VTBL V3.B16, [V1.B16, V3.B16], V0.B16",
		"VTBL V3.B16, [V1.B16, V2.B16, V3.B16], V0.B16",
		"VSHL $32, V1.S4, V0.S4",
		"VUSHR $0, V1.S4, V0.S4",
		"VSHL R1, V1.S4, V0.S4",
		"VLD1 (R0), [V0.S4]",
		"FMOVD F0, F1",
		"WORD $0x4e22d420",
		"",
	} {
		if in, ok := parseGoLine(s); ok {
			t.Errorf("parseGoLine(%q) = %+v, want not ok", s, in)
		}
	}
	// Comments and spacing are tolerated.
	in, ok := parseGoLine("VFMLA  V2.S4,V1.S4, V0.S4 // acc += x*y")
	if !ok || in.word != 0x4e22cc20 {
		t.Errorf("parseGoLine with comment: %+v %v", in, ok)
	}
}

// fakeObjdump is objdump -d output in the layout of binutils 2.40.
const fakeObjdump = `
bin:     file format elf64-littleaarch64


Disassembly of section .text:

0000000000084680 <example.com/k.kern.abi0>:
   84680:	4e22d420 	fadd	v0.4s, v1.4s, v2.4s
   84684:	4e22cc20 	fmla	v0.4s, v1.4s, v2.4s
   84688:	4ea0e820 	fcmlt	v0.4s, v1.4s, #0.0
   8468c:	d65f03c0 	ret

0000000000084690 <example.com/k.other.abi0>:
   84690:	4e62d420 	fadd	v0.2d, v1.2d, v2.2d
   84694:	d65f03c0 	ret
`

func TestCheckAsm(t *testing.T) {
	good := "#include \"textflag.h\"\n" +
		"#define X(a) \\\n\tWORD $0x12345678\n" +
		"TEXT ·kern(SB), NOSPLIT|NOFRAME, $0-0\n" +
		"\t" + FADD(S4, V0, V1, V2) + "\n" +
		"loop:\n" +
		"\t" + FMLA(S4, V0, V1, V2) + "\n" +
		"\tWORD\t$0x4ea0e820\t//  fcmlt  v0.4s, v1.4s, #0.0\n" +
		"\tRET\n"
	rep := CheckAsm("k.s", []byte(good), fakeObjdump)
	if len(rep.Problems) != 0 || rep.Words != 2 || rep.GoLines != 1 {
		t.Errorf("good file: %+v", rep)
	}

	bad := "TEXT ·kern(SB), NOSPLIT|NOFRAME, $0-0\n" +
		"\tWORD $0x4e22d420 // fadd v0.4s, v2.4s, v1.4s\n" + // wrong comment
		"\tWORD $0x4e22d420\n" + // no comment
		"\tWORD $0x4e62d420 // fadd v0.2d, v1.2d, v2.2d\n" + // in the other function
		"\tVFMLA V1.S4, V2.S4, V0.S4\n" + // not what was assembled
		"\tRET\n" +
		"TEXT ·missing(SB), NOSPLIT|NOFRAME, $0-0\n" +
		"\t" + FADD(S4, V0, V1, V2) + "\n"
	rep = CheckAsm("k.s", []byte(bad), fakeObjdump)
	if len(rep.Problems) != 5 || rep.Words != 0 || rep.GoLines != 0 {
		t.Errorf("bad file: want 5 problems, got %+v", rep)
	}
	for _, want := range []string{"k.s:2:", "k.s:3:", "k.s:4:", "k.s:5:", `"missing" not found`} {
		found := false
		for _, p := range rep.Problems {
			found = found || strings.Contains(p, want)
		}
		if !found {
			t.Errorf("no problem reported containing %q: %q", want, rep.Problems)
		}
	}
}
