//go:build !purego

package kernels

import (
	"github.com/klauspost/cpuid/v2"

	"github.com/simdsigmoid/sigmoid/asm"
)

// simdKernels lists the amd64 kernels this CPU (and its OS, which cpuid/v2
// checks through XGETBV) can run, best first. The features are exactly those
// the generated code's "Requires:" lines name, the same for the float32
// and the float64 kernels.
func simdKernels() []rawKernel {
	var ks []rawKernel
	if cpuid.CPU.Supports(cpuid.AVX512F, cpuid.AVX512DQ, cpuid.BMI2, cpuid.CMOV) {
		ks = append(ks, rawKernel{
			name:       "avx512",
			sigmoid:    asm.SigmoidAVX512,
			backward:   asm.SigmoidBackwardAVX512,
			sigmoid64:  asm.Sigmoid64AVX512,
			backward64: asm.SigmoidBackward64AVX512,
		})
	}
	if cpuid.CPU.Supports(cpuid.AVX2, cpuid.FMA3, cpuid.CMOV) {
		ks = append(ks, rawKernel{
			name:       "avx2",
			sigmoid:    asm.SigmoidAVX2,
			backward:   asm.SigmoidBackwardAVX2,
			sigmoid64:  asm.Sigmoid64AVX2,
			backward64: asm.SigmoidBackward64AVX2,
		})
	}
	return ks
}
