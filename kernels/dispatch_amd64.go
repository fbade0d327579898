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
			sigmoid:    func(dst, src []float32) { asm.SigmoidAVX512(dst, src, len(dst) >= streamMin) },
			backward:   func(dx, dy, y []float32) { asm.SigmoidBackwardAVX512(dx, dy, y, len(dx) >= streamMin) },
			sigmoid64:  func(dst, src []float64) { asm.Sigmoid64AVX512(dst, src, len(dst) >= streamMin) },
			backward64: func(dx, dy, y []float64) { asm.SigmoidBackward64AVX512(dx, dy, y, len(dx) >= streamMin) },
		})
	}
	if cpuid.CPU.Supports(cpuid.AVX2, cpuid.FMA3, cpuid.CMOV) {
		ks = append(ks, rawKernel{
			name:       "avx2",
			sigmoid:    func(dst, src []float32) { asm.SigmoidAVX2(dst, src, len(dst) >= streamMin) },
			backward:   func(dx, dy, y []float32) { asm.SigmoidBackwardAVX2(dx, dy, y, len(dx) >= streamMin) },
			sigmoid64:  func(dst, src []float64) { asm.Sigmoid64AVX2(dst, src, len(dst) >= streamMin) },
			backward64: func(dx, dy, y []float64) { asm.SigmoidBackward64AVX2(dx, dy, y, len(dx) >= streamMin) },
		})
	}
	return ks
}

// streamMin is the length from which the kernels write with non-temporal
// stores: 8 MiB a slice, past L2 and a good part of L3, where skipping the
// read of dst's lines pays (the backward pass at 2^24: 23.9 -> 30.6 GB/s;
// at 2^20, still in L3 here, streaming was slower for the sigmoid).
const streamMin = 1 << 21
