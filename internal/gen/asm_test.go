package main

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/mmcloughlin/avo/ir"
	"github.com/mmcloughlin/avo/reg"
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

// Each amd64 constant block holds its constants twice, at 0 and 32 bytes
// past the first copy's end, so that the code can pick a copy on a 64-byte
// boundary: both copies must be the same bytes.
func TestConstantCopies(t *testing.T) {
	b, err := os.ReadFile("../../asm/sigmoid_amd64.s")
	if err != nil {
		t.Fatal(err)
	}
	data := regexp.MustCompile(`(?m)^DATA (\w+)<>\+(\d+)\(SB\)/(\d), \$(0x[0-9a-f]+)$`)
	blocks := map[string]map[int]string{}
	for _, m := range data.FindAllStringSubmatch(string(b), -1) {
		if blocks[m[1]] == nil {
			blocks[m[1]] = map[int]string{}
		}
		off, _ := strconv.Atoi(m[2])
		blocks[m[1]][off] = m[4]
	}
	if len(blocks) == 0 {
		t.Fatal("no constant blocks")
	}
	for name, words := range blocks {
		size := 0
		for off := range words {
			size = max(size, off+1)
		}
		// size-1 is the last word's offset: 2L+32-width.
		l := 0
		for cand := 64; cand < size; cand += 64 {
			if _, ok := words[cand+32]; ok && words[cand+32] == words[0] {
				if same(words, cand+32) {
					l = cand
					break
				}
			}
		}
		if l == 0 {
			t.Errorf("%s: no second copy 32 bytes past a 64-byte block", name)
		}
	}
}

// same reports whether every word at offset o < shift reappears at o+shift.
func same(words map[int]string, shift int) bool {
	for o, w := range words {
		if o < shift && words[o+shift] != w {
			return false
		}
	}
	return true
}

// No vector register may be live where a function starts: avo takes a
// register written only in part (an XMM or YMM view of a ZMM value) to
// hold the rest from the function's entry, through the main loop, which
// costs the loop a register; tails once cost SigmoidAVX512 its hot
// constants and SiLUBackward a vector a pass that way.
func TestNoVectorLiveAtEntry(t *testing.T) {
	for _, v := range variants {
		for _, f := range functions {
			var file *ir.File
			if err := compileAMD64(func() { newX86(v).gen(f, 1, 1, true, "") }, &file); err != nil {
				t.Fatalf("%s: %v", f.symbol(v), err)
			}
			entry := file.Functions()[0].Instructions()[0]
			if live := entry.LiveIn.OfKind(reg.KindVector); len(live) != 0 {
				t.Errorf("%s: %d vector registers live at entry", f.symbol(v), len(live))
			}
		}
	}
}
