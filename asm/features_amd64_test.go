//go:build !purego

package asm

import (
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestAsmFeatures checks, for every amd64 assembly function, that three
// statements of the CPU features it needs agree:
//
//   - the "// Requires:" line avo writes above its TEXT in
//     asm/sigmoid_amd64.s (the instructions the code really uses),
//   - its doc comment in asm/sigmoid_amd64.go ("It needs A, B and C."),
//   - and the dispatcher's check (kernelFeatures) for its kernel.
//
// Implied features are dropped before comparing: AVX where AVX2 or AVX512F
// is there (every CPU with those has AVX), and CMOV and MMX+ (SFENCE),
// which every amd64 CPU has. The doc must list exactly
// the rest; the dispatcher must check the union of the rest over its
// kernel's functions, plus at most features every CPU with the kernel's
// others has (AVX2 for the avx512 kernel).
func TestAsmFeatures(t *testing.T) {
	s, err := os.ReadFile("sigmoid_amd64.s")
	if err != nil {
		t.Skipf("no assembly source: %v", err)
	}
	goSrc, err := os.ReadFile("sigmoid_amd64.go")
	if err != nil {
		t.Fatal(err)
	}
	requires := map[string][]string{}
	for _, m := range regexp.MustCompile(`// Requires: (.*)\nTEXT ·(\w+)\(SB\)`).FindAllStringSubmatch(string(s), -1) {
		requires[m[2]] = normalizeFeatures(strings.Split(m[1], ", "))
	}
	docs := map[string][]string{}
	docNames := map[string]string{"AVX-512F": "AVX512F", "AVX-512DQ": "AVX512DQ", "FMA": "FMA3"}
	for _, m := range regexp.MustCompile(`// (\w+) [^\n]* It needs ([^.]*)\.\n`).FindAllStringSubmatch(string(goSrc), -1) {
		var fs []string
		for _, f := range strings.Split(strings.Replace(m[2], " and ", ", ", 1), ", ") {
			if n, ok := docNames[f]; ok {
				f = n
			}
			fs = append(fs, f)
		}
		docs[m[1]] = normalizeFeatures(fs)
	}
	funcs := regexp.MustCompile(`(?m)^func (\w+)\(`).FindAllStringSubmatch(string(goSrc), -1)
	if len(funcs) == 0 || len(requires) != len(funcs) {
		t.Fatalf("found %d functions in sigmoid_amd64.go and %d Requires lines in sigmoid_amd64.s, want as many", len(funcs), len(requires))
	}
	// extra lists what a kernel's check may ask beyond its code's needs as
	// avo's Requires lines name them: AVX-512's tails use XMM and YMM
	// registers 16-31, whose EVEX forms need AVX512VL; AVX2 and FMA3 are
	// asked so that GODEBUG=cpu.avx2=off or cpu.fma=off leaves generic.
	extra := map[string][]string{"avx512": {"AVX2", "AVX512VL", "FMA3"}}
	union := map[string]map[string]bool{}
	for _, m := range funcs {
		fn := m[1]
		req, ok := requires[fn]
		if !ok {
			t.Errorf("%s: no Requires line", fn)
			continue
		}
		if !slices.Equal(docs[fn], req) {
			t.Errorf("%s: doc says it needs %v, its Requires line (less implied features) %v", fn, docs[fn], req)
		}
		kernel := "avx2"
		if strings.HasSuffix(fn, "AVX512") {
			kernel = "avx512"
		}
		if union[kernel] == nil {
			union[kernel] = map[string]bool{}
		}
		for _, f := range req {
			union[kernel][f] = true
		}
	}
	for _, k := range kernelFeatures {
		name := k.kernel
		want := normalizeFeatures(slices.Collect(maps.Keys(union[name])))
		got := slices.Sorted(slices.Values(slices.DeleteFunc(slices.Clone(k.features), func(f string) bool {
			return slices.Contains(extra[name], f)
		})))
		if !slices.Equal(got, want) {
			t.Errorf("kernel %s: the dispatcher checks %v (less %v), its functions' Requires lines name %v", name, k.features, extra[name], want)
		}
		for _, f := range k.features {
			hasFeature(f) // panics on a name it does not know
		}
	}
	if len(union) != len(kernelFeatures) {
		t.Errorf("the assembly has kernels %v, the dispatcher %d", slices.Sorted(maps.Keys(union)), len(kernelFeatures))
	}
}

// TestEverySIMDKernelNeedsAVX2AndFMA checks what the README and TestGODEBUG
// promise: GODEBUG=cpu.avx2=off and GODEBUG=cpu.fma=off each leave only the
// generic kernel, on any CPU, AVX-512 ones included.
func TestEverySIMDKernelNeedsAVX2AndFMA(t *testing.T) {
	for _, k := range kernelFeatures {
		for _, f := range []string{"AVX2", "FMA3"} {
			if !slices.Contains(k.features, f) {
				t.Errorf("kernel %s does not ask for %s (it asks for %v): GODEBUG=cpu.%s=off would leave it running", k.kernel, f, k.features, map[string]string{"AVX2": "avx2", "FMA3": "fma"}[f])
			}
		}
	}
}

// normalizeFeatures drops the features implied by the others (see
// TestAsmFeatures) and sorts the rest.
func normalizeFeatures(fs []string) []string {
	var out []string
	for _, f := range fs {
		switch {
		case f == "MMX+" || f == "CMOV":
		case f == "AVX" && (slices.Contains(fs, "AVX2") || slices.Contains(fs, "AVX512F")):
		default:
			out = append(out, f)
		}
	}
	slices.Sort(out)
	return out
}
