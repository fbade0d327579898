package neon

import (
	"os/exec"
	"strings"
	"testing"
)

// TestObjdumpAgrees assembles every test case's line with Go's arm64
// assembler (GOARCH=arm64 go build), disassembles the binary with GNU
// objdump, and checks instruction by instruction that each line became the
// intended encoding and that objdump prints it as the expected Arm text:
// for WORD lines that is the comment, for Go-mnemonic lines it proves that
// `go tool asm` encodes the mnemonic as the Arm ARM says. It then runs
// CheckAsm, the check cmd/checkwords performs, on the same file. The
// by-element and Go-syntax forms of elem.go (elemCases) go into a second
// function of the same binary and are checked the same way, and against
// their hand-derived words where the case gives one.
func TestObjdumpAgrees(t *testing.T) {
	if _, err := exec.LookPath(ObjdumpPath()); err != nil {
		t.Skipf("%s not installed (apt-get install binutils-aarch64-linux-gnu): cannot cross-check encodings against GNU objdump", ObjdumpPath())
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go command not found: cannot build the arm64 test binary")
	}

	var asm strings.Builder
	asm.WriteString("#include \"textflag.h\"\n\n// func f()\nTEXT ·f(SB), NOSPLIT|NOFRAME, $0-0\n")
	for _, c := range encodingCases {
		asm.WriteString("\t" + c.line + "\n")
	}
	asm.WriteString("\tRET\n\n// func g()\nTEXT ·g(SB), NOSPLIT|NOFRAME, $0-0\n")
	for _, c := range elemCases {
		asm.WriteString("\t" + c.line + "\n")
	}
	asm.WriteString("\tRET\n")
	files := map[string]string{
		"go.mod":    "module neoncheck\n\ngo 1.21\n",
		"main.go":   "package main\n\nfunc f()\n\nfunc g()\n\nfunc main() { f(); g() }\n",
		"f_arm64.s": asm.String(),
	}
	bin, err := BuildARM64(t.TempDir(), files)
	if err != nil {
		t.Fatal(err)
	}
	disasm, err := Objdump("", bin)
	if err != nil {
		t.Fatal(err)
	}

	insts, ok := ParseObjdump(disasm)["main.f.abi0"]
	if !ok {
		insts, ok = ParseObjdump(disasm)["main.f"]
	}
	if !ok {
		t.Fatal("symbol main.f.abi0 not found in the disassembly")
	}
	if len(insts) != len(encodingCases)+1 {
		t.Fatalf("main.f has %d instructions, want %d (one per line plus RET)", len(insts), len(encodingCases)+1)
	}
	for i, c := range encodingCases {
		got := insts[i]
		if got.Word != c.word || got.Text != normalize(c.arm) {
			t.Errorf("%q assembled to 0x%08x %q, want 0x%08x %q", c.line, got.Word, got.Text, c.word, c.arm)
		}
	}
	if last := insts[len(insts)-1]; last.Text != "ret" {
		t.Errorf("last instruction %q, want ret", last.Text)
	}

	// (objdump may show alignment padding after g's RET.)
	ginsts := ParseObjdump(disasm)["main.g.abi0"]
	if len(ginsts) < len(elemCases)+1 || ginsts[len(elemCases)].Text != "ret" {
		t.Fatalf("main.g: %d instructions, want %d and a RET: %v", len(ginsts), len(elemCases), ginsts)
	}
	for i, c := range elemCases {
		got := ginsts[i]
		if got.Text != normalize(c.arm) {
			t.Errorf("%q disassembles as %q, want %q", c.line, got.Text, c.arm)
		}
		if c.word != 0 && got.Word != c.word {
			t.Errorf("%q assembles to 0x%08x, want 0x%08x", c.line, got.Word, c.word)
		}
	}

	rep := CheckAsm("f_arm64.s", []byte(asm.String()), disasm)
	for _, p := range rep.Problems {
		t.Error(p)
	}
	words, gas := 0, 0
	for _, c := range encodingCases {
		if c.gas == "" {
			words++
		} else {
			gas++
		}
	}
	for _, c := range elemCases {
		if strings.HasPrefix(c.line, "WORD ") {
			words++
		}
	}
	if rep.Words != words || rep.GoLines != gas {
		t.Errorf("CheckAsm checked %d WORD and %d Go lines, want %d and %d", rep.Words, rep.GoLines, words, gas)
	}
	t.Logf("%d WORD lines and %d Go-mnemonic lines agree with %s", words, gas, ObjdumpPath())
}
