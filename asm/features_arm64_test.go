//go:build !purego

package asm

import (
	"os"
	"regexp"
	"testing"
)

// TestAsmFeatures checks that each NEON function's doc names the one
// feature hasNEON checks (Advanced SIMD, cpu.ARM64.HasASIMD).
func TestAsmFeatures(t *testing.T) {
	src, err := os.ReadFile("sigmoid_arm64.go")
	if err != nil {
		t.Skipf("no assembly declarations: %v", err)
	}
	funcs := regexp.MustCompile(`(?m)^func (\w+)\(`).FindAllStringSubmatch(string(src), -1)
	docs := regexp.MustCompile(`// (\w+) [^\n]* It needs Advanced SIMD \(NEON\)`).FindAllStringSubmatch(string(src), -1)
	if len(funcs) == 0 || len(docs) != len(funcs) {
		t.Errorf("%d functions in sigmoid_arm64.go, %d of them documented as needing Advanced SIMD (NEON); want all", len(funcs), len(docs))
	}
}
