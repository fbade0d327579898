package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// asmFunctions splits the generated amd64 file into its TEXT blocks.
func asmFunctions(t *testing.T) map[string]string {
	b, err := os.ReadFile("../../asm/sigmoid_amd64.s")
	if err != nil {
		t.Fatal(err)
	}
	fns := map[string]string{}
	for _, part := range strings.Split(string(b), "\nTEXT ·")[1:] {
		name := part[:strings.Index(part, "(")]
		fns[name] = part
	}
	return fns
}

// An AVX2 kernel must not touch Y16-Y31 (or any EVEX-only form): those
// need AVX-512 and would fault on the CPUs the kernel is for.
func TestAVX2LowRegisters(t *testing.T) {
	high := regexp.MustCompile(`\b[XYZ](1[6-9]|2[0-9]|3[01])\b|\bZ[0-9]+\b|\bK[0-7]\b`)
	for name, body := range asmFunctions(t) {
		if strings.Contains(name, "AVX2") {
			if m := high.FindString(body); m != "" {
				t.Errorf("%s uses %s", name, m)
			}
		}
	}
}

// Every AVX function must clear the upper YMM/ZMM state before each RET:
// a dirty upper state makes the caller's SSE code much slower.
func TestVZEROUPPERBeforeRET(t *testing.T) {
	for name, body := range asmFunctions(t) {
		lines := strings.Split(body, "\n")
		prev, rets := "", 0
		for _, l := range lines {
			l = strings.TrimSpace(l)
			if l == "" || strings.HasPrefix(l, "//") {
				continue
			}
			if strings.HasPrefix(l, "RET") {
				rets++
				if !strings.HasPrefix(prev, "VZEROUPPER") {
					t.Errorf("%s: RET not preceded by VZEROUPPER (previous: %q)", name, prev)
				}
			}
			prev = l
		}
		if rets == 0 {
			t.Errorf("%s: no RET found", name)
		}
	}
}
