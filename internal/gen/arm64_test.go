package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/simdsigmoid/sigmoid/internal/gen/neon"
)

// arm64GenerateArgs returns the arguments of the arm64 go:generate line.
func arm64GenerateArgs(t *testing.T) []string {
	f, err := os.Open("gen.go")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "//go:generate go run . "); ok && strings.Contains(rest, "-arch arm64") {
			return strings.Fields(rest)
		}
	}
	t.Fatal("no arm64 go:generate line in gen.go")
	return nil
}

// The generated files must be what the generator makes now, and making
// them must not depend on map order or anything else that varies.
func TestARM64Generated(t *testing.T) {
	args := arm64GenerateArgs(t)
	s1, g1 := arm64Files("asm", args)
	s2, g2 := arm64Files("asm", args)
	if s1 != s2 || g1 != g2 {
		t.Fatal("two runs of the arm64 generator differ")
	}
	for path, want := range map[string]string{"../../asm/sigmoid_arm64.s": s1, "../../asm/sigmoid_arm64.go": g1} {
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("%s is stale: run go generate in internal/gen", path)
		}
	}
}

// Replaying every body's register assignment: each value read must still
// be in its register (nothing overwrote it since it was written), and no
// instruction writes a constant's register.
func TestARM64Allocation(t *testing.T) {
	for _, k := range arm64Kernels() {
		t.Logf("%s: unroll %d, %d constant registers, peak %d value registers in the main loop",
			k.f.fn, k.unroll, k.consts.regs, k.peakMain)
		for body, p := range map[string]*prog{"main": k.main, "single": k.one, "tail": k.tl, "fast main": k.fastMain, "fast single": k.fastOne} {
			if p == nil {
				continue
			}
			replayRegisters(t, k.f.fn+" "+body, p, k.consts.first)
		}
	}
}

func replayRegisters(t *testing.T, name string, p *prog, firstConst neon.VReg) {
	holder := map[neon.VReg]*vv{}
	for i, in := range p.insns {
		for _, u := range append(append([]*vv(nil), in.uses...), in.accs...) {
			if holder[u.reg] != u {
				t.Fatalf("%s: instruction %d reads value %d from %v, which holds another value", name, i, u.id, u.reg)
			}
		}
		for _, d := range append(append([]*vv(nil), in.defs...), in.accs...) {
			if d.reg >= firstConst {
				t.Fatalf("%s: instruction %d writes %v, a constant's register", name, i, d.reg)
			}
			holder[d.reg] = d
		}
	}
}

// A constant left in memory must be where its load reads it: load leaves
// the table register at the last group of up to four registers it fills.
func TestARM64MemoryConstants(t *testing.T) {
	spilled := 0
	for _, k := range arm64Kernels() {
		l := k.consts
		base := 0
		if l.regs > 0 {
			base = 16 * 4 * ((l.regs - 1) / 4)
		}
		for c, off := range l.mem {
			spilled++
			i := (base + off) / l.width
			if off%16 != 0 || i < 0 || i+l.lanes > len(l.words) {
				t.Fatalf("%s: %s at offset %d, outside the table", k.f.fn, c.name, off)
			}
			for j := range l.lanes {
				if l.words[i+j] != c.bits[0] {
					t.Errorf("%s: %s: lane %d of its vector holds 0x%x, want 0x%x", k.f.fn, c.name, j, l.words[i+j], c.bits[0])
				}
			}
			if _, ok := l.elem[c]; ok {
				t.Errorf("%s: %s both in memory and in a register", k.f.fn, c.name)
			}
		}
	}
	if spilled == 0 {
		t.Log("no kernel keeps constants in memory")
	}
}

// The kernels touch only the general registers they name: never R18
// (platform), R26 (closure context), R27 (assembler temporary), R28 (g),
// R29 (frame pointer) or R30 (link register).
func TestARM64GeneralRegisters(t *testing.T) {
	s, _ := arm64Files("asm", nil)
	if m := regexp.MustCompile(`\bR(1[89]|2[0-9]|30)\b|\bg\b`).FindString(s); m != "" {
		t.Errorf("generated code uses %s", m)
	}
}

// byElemCases exercise the encoders of arm64enc.go over their fields.
// word, where given, is the encoding worked out by hand from the Arm ARM's
// layouts (for the float64 forms: "vector x indexed element" with size 11,
// index H; SLI and USRA with immh:immb = 64+shift and 128-shift; DUP
// (element) with imm5 = i:1000), which the assembled line must be.
var byElemCases = []struct {
	line, arm string
	word      uint32
}{
	{FMLAElem(neon.S4, neon.V0, neon.V1, neon.V2, 0), "fmla v0.4s, v1.4s, v2.s[0]", 0},
	{FMLAElem(neon.S4, neon.V31, neon.V17, neon.V29, 3), "fmla v31.4s, v17.4s, v29.s[3]", 0},
	{FMLSElem(neon.S4, neon.V5, neon.V6, neon.V30, 1), "fmls v5.4s, v6.4s, v30.s[1]", 0},
	{FMULElem(neon.S4, neon.V8, neon.V9, neon.V31, 2), "fmul v8.4s, v9.4s, v31.s[2]", 0},
	{FMLAElem(neon.D2, neon.V0, neon.V1, neon.V2, 0), "fmla v0.2d, v1.2d, v2.d[0]", 0x4fc21020},
	{FMLAElem(neon.D2, neon.V31, neon.V17, neon.V29, 1), "fmla v31.2d, v17.2d, v29.d[1]", 0x4fdd1a3f},
	{FMLSElem(neon.D2, neon.V5, neon.V6, neon.V30, 1), "fmls v5.2d, v6.2d, v30.d[1]", 0x4fde58c5},
	{FMLSElem(neon.D2, neon.V18, neon.V31, neon.V16, 0), "fmls v18.2d, v31.2d, v16.d[0]", 0x4fd053f2},
	{FMULElem(neon.D2, neon.V8, neon.V9, neon.V31, 0), "fmul v8.2d, v9.2d, v31.d[0]", 0x4fdf9128},
	{FMULElem(neon.D2, neon.V23, neon.V4, neon.V15, 1), "fmul v23.2d, v4.2d, v15.d[1]", 0x4fcf9897},
	{MULElem(neon.V3, neon.V16, neon.V18, 3), "mul v3.4s, v16.4s, v18.s[3]", 0},
	{MLAElem(neon.V12, neon.V13, neon.V24, 1), "mla v12.4s, v13.4s, v24.s[1]", 0},
	{MLAElem(neon.V7, neon.V0, neon.V31, 2), "mla v7.4s, v0.4s, v31.s[2]", 0x6f9f0807},
	{DUPElem(neon.S4, neon.V4, neon.V31, 2), "dup v4.4s, v31.s[2]", 0},
	{DUPElem(neon.S4, neon.V30, neon.V1, 3), "dup v30.4s, v1.s[3]", 0},
	{DUPElem(neon.D2, neon.V4, neon.V31, 1), "dup v4.2d, v31.d[1]", 0x4e1807e4},
	{DUPElem(neon.D2, neon.V30, neon.V1, 0), "dup v30.2d, v1.d[0]", 0x4e08043e},
	{USRA(neon.S4, neon.V1, neon.V2, 3), "usra v1.4s, v2.4s, #3", 0},
	{USRA(neon.S4, neon.V31, neon.V0, 32), "usra v31.4s, v0.4s, #32", 0},
	{USRA(neon.D2, neon.V1, neon.V2, 2), "usra v1.2d, v2.2d, #2", 0x6f7e1441},
	{USRA(neon.D2, neon.V31, neon.V0, 64), "usra v31.2d, v0.2d, #64", 0x6f40141f},
	{SLI(neon.D2, neon.V3, neon.V3, 32), "sli v3.2d, v3.2d, #32", 0x6f605463},
	{SLI(neon.D2, neon.V30, neon.V1, 0), "sli v30.2d, v1.2d, #0", 0x6f40543e},
	{SLI(neon.D2, neon.V0, neon.V31, 63), "sli v0.2d, v31.2d, #63", 0x6f7f57e0},
	{SLI(neon.S4, neon.V9, neon.V10, 31), "sli v9.4s, v10.4s, #31", 0x6f3f5549},
	{ADDV(neon.V4, neon.V4), "addv s4, v4.4s", 0},
	{ADDV(neon.V31, neon.V0), "addv s31, v0.4s", 0},
	{UMOVS("R8", neon.V4, 0), "mov w8, v4.s[0]", 0},
	{UMOVS("R17", neon.V31, 3), "mov w17, v31.s[3]", 0},
}

// The WORD lines of byElemCases carry the hand-derived encoding (no
// objdump needed), and the encoders refuse what the forms do not have.
func TestARM64EncWords(t *testing.T) {
	for _, c := range byElemCases {
		w, ok := strings.CutPrefix(c.line, "WORD $")
		if !ok || c.word == 0 {
			continue
		}
		if want := fmt.Sprintf("0x%08x // %s", c.word, c.arm); w != want {
			t.Errorf("got %q, want %q", c.line, "WORD $"+want)
		}
	}
	for name, f := range map[string]func() string{
		"FMLAElem D2 index 2": func() string { return FMLAElem(neon.D2, neon.V0, neon.V1, neon.V2, 2) },
		"FMULElem S4 index 4": func() string { return FMULElem(neon.S4, neon.V0, neon.V1, neon.V2, 4) },
		"FMLAElem B16":        func() string { return FMLAElem(neon.B16, neon.V0, neon.V1, neon.V2, 0) },
		"MLAElem V32":         func() string { return MLAElem(neon.V0, neon.V1, 32, 0) },
		"DUPElem D2 lane 2":   func() string { return DUPElem(neon.D2, neon.V0, neon.V1, 2) },
		"USRA D2 #65":         func() string { return USRA(neon.D2, neon.V0, neon.V1, 65) },
		"USRA S4 #33":         func() string { return USRA(neon.S4, neon.V0, neon.V1, 33) },
		"SLI D2 #64":          func() string { return SLI(neon.D2, neon.V0, neon.V1, 64) },
		"SLI S4 #32":          func() string { return SLI(neon.S4, neon.V0, neon.V1, 32) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			t.Errorf("%s returned %q", name, f())
		}()
	}
}

// buildARM64 builds a linux/arm64 program from files in a new module and
// returns the binary's path.
func buildARM64(t *testing.T, files map[string]string) string {
	t.Helper()
	if _, err := exec.LookPath(neon.ObjdumpPath()); err != nil {
		t.Skipf("%s not installed (apt-get install binutils-aarch64-linux-gnu)", neon.ObjdumpPath())
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go command not found")
	}
	files["go.mod"] = "module arm64check\n\ngo 1.21\n"
	bin, err := neon.BuildARM64(t.TempDir(), files)
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// The by-element encoders and the Go forms of arm64enc.go, checked
// instruction by instruction against GNU objdump, then the generated
// kernel file with CheckAsm (what cmd/checkwords does): every WORD's
// comment must be how objdump reads it.
func TestARM64Objdump(t *testing.T) {
	var enc strings.Builder
	enc.WriteString("#include \"textflag.h\"\n\nTEXT ·f(SB), NOSPLIT|NOFRAME, $0-0\n")
	for _, c := range byElemCases {
		enc.WriteString("\t" + c.line + "\n")
	}
	enc.WriteString("\tRET\n")
	kernel, _ := arm64Files("main", nil)
	var decls, calls strings.Builder
	for _, k := range arm64Kernels() {
		decls.WriteString("func " + k.f.fn + "(" + strings.Join(k.f.params, ", ") + " []" + k.f.elem.name + ")\n")
		calls.WriteString("\t" + k.f.fn + "(" + strings.Repeat("nil, ", len(k.f.params)-1) + "nil)\n")
	}
	bin := buildARM64(t, map[string]string{
		"main.go":        "package main\n\nfunc f()\n\n" + decls.String() + "\nfunc main() {\n\tf()\n" + calls.String() + "}\n",
		"f_arm64.s":      enc.String(),
		"kernel_arm64.s": kernel,
	})
	disasm, err := neon.Objdump("", bin)
	if err != nil {
		t.Fatal(err)
	}
	insts := neon.ParseObjdump(disasm)["main.f.abi0"]
	// (objdump may show alignment padding after the RET.)
	if len(insts) < len(byElemCases)+1 || insts[len(byElemCases)].Text != "ret" {
		t.Fatalf("main.f: %d instructions, want %d and a RET: %v", len(insts), len(byElemCases), insts)
	}
	norm := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	for i, c := range byElemCases {
		if got := insts[i].Text; got != norm(c.arm) {
			t.Errorf("%q disassembles as %q, want %q", c.line, got, c.arm)
		}
		if c.word != 0 && insts[i].Word != c.word {
			t.Errorf("%q assembles to 0x%08x, want 0x%08x", c.line, insts[i].Word, c.word)
		}
	}
	rep := neon.CheckAsm("kernel_arm64.s", []byte(kernel), disasm)
	for _, p := range rep.Problems {
		t.Error(p)
	}
	if rep.Words == 0 {
		t.Error("no WORD lines checked in the kernel")
	}
	t.Logf("kernel: %d WORD and %d Go NEON lines agree with %s", rep.Words, rep.GoLines, neon.ObjdumpPath())
}
