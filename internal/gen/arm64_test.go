package main

import (
	"bufio"
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

// The generated kernel file, assembled and checked with CheckAsm (what
// cmd/checkwords does): every WORD's comment must be how GNU objdump reads
// it, and every Go NEON line package neon emits must be the intended
// encoding. (Package neon checks its encoders one by one.)
func TestARM64Objdump(t *testing.T) {
	kernel, _ := arm64Files("main", nil)
	var decls, calls strings.Builder
	for _, k := range arm64Kernels() {
		decls.WriteString("func " + k.f.fn + "(" + strings.Join(k.f.params, ", ") + " []" + k.f.elem.name + ")\n")
		calls.WriteString("\t" + k.f.fn + "(" + strings.Repeat("nil, ", len(k.f.params)-1) + "nil)\n")
	}
	for _, v := range arm64Variants {
		decls.WriteString("func " + sumsRaw(v) + "(s *[16]float64, x []" + v.elem.name + ")\n")
		calls.WriteString("\t" + sumsRaw(v) + "(nil, nil)\n")
	}
	bin := buildARM64(t, map[string]string{
		"main.go":        "package main\n\n" + decls.String() + "\nfunc main() {\n" + calls.String() + "}\n",
		"kernel_arm64.s": kernel,
	})
	disasm, err := neon.Objdump("", bin)
	if err != nil {
		t.Fatal(err)
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
