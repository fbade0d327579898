//go:build arm64 && !purego

package kernels_test

import (
	"runtime"

	"github.com/klauspost/cpuid/v2"
)

// expectedAvailable is what Available must return on this CPU: the NEON
// kernel when cpuid reports Advanced SIMD (mandatory in AArch64) and
// GODEBUG does not switch it off, then generic.
func expectedAvailable() []string {
	if cpuid.CPU.Supports(cpuid.ASIMD) && !godebugOff("asimd") {
		return []string{"neon", "generic"}
	}
	return []string{"generic"}
}

func cpuDescription() string {
	s := runtime.GOARCH + " " + cpuid.CPU.BrandName + ": "
	if cpuid.CPU.Supports(cpuid.ASIMD) {
		return s + "ASIMD"
	}
	return s + "no ASIMD"
}
