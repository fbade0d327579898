//go:build amd64 && !purego

package kernels_test

import (
	"sort"
	"strings"

	"github.com/klauspost/cpuid/v2"
)

// expectedAvailable is what Available must return on this CPU: every
// kernel whose features the CPU (and OS) supports and GODEBUG does not
// switch off, best first.
func expectedAvailable() []string {
	var ks []string
	if cpuid.CPU.Supports(cpuid.AVX512F, cpuid.AVX512DQ, cpuid.AVX512VL, cpuid.AVX2, cpuid.FMA3) &&
		!godebugOff("avx512f") && !godebugOff("avx512dq") && !godebugOff("avx512vl") && !godebugOff("avx2") && !godebugOff("fma") {
		ks = append(ks, "avx512")
	}
	if cpuid.CPU.Supports(cpuid.AVX2, cpuid.FMA3) && !godebugOff("avx2") && !godebugOff("fma") {
		ks = append(ks, "avx2")
	}
	return append(ks, "generic")
}

// cpuDescription names the CPU and the features dispatch looks at.
func cpuDescription() string {
	c := cpuid.CPU
	return c.BrandName + ": " + featureList(map[string]bool{
		"AVX512F":  c.Supports(cpuid.AVX512F),
		"AVX512DQ": c.Supports(cpuid.AVX512DQ),
		"AVX512VL": c.Supports(cpuid.AVX512VL),
		"AVX2":     c.Supports(cpuid.AVX2),
		"FMA3":     c.Supports(cpuid.FMA3),
		"CMOV":     c.Supports(cpuid.CMOV),
	})
}

func featureList(fs map[string]bool) string {
	var on []string
	for f, ok := range fs {
		if ok {
			on = append(on, f)
		}
	}
	sort.Strings(on)
	return strings.Join(on, " ")
}
