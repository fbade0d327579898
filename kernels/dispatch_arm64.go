//go:build !purego

package kernels

import (
	"github.com/klauspost/cpuid/v2"

	"github.com/simdsigmoid/sigmoid/asm"
)

// simdKernels lists the arm64 kernels this CPU can run. Advanced SIMD is
// mandatory in AArch64, and cpuid/v2 reports it from the kernel's HWCAP
// (also under qemu-aarch64, which passes its emulated CPU's HWCAP on).
func simdKernels() []rawKernel {
	var ks []rawKernel
	if cpuid.CPU.Supports(cpuid.ASIMD) {
		ks = append(ks, rawKernel{
			name:       "neon",
			sigmoid:    asm.SigmoidNEON,
			backward:   asm.SigmoidBackwardNEON,
			sigmoid64:  asm.Sigmoid64NEON,
			backward64: asm.SigmoidBackward64NEON,
		})
	}
	return ks
}
