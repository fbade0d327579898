//go:build !purego

package asm

import (
	"strings"

	"github.com/klauspost/cpuid/v2"
	"golang.org/x/sys/cpu"
)

// kernelFeatures lists the CPU features each kernel needs, by the names
// the generated code's "Requires:" lines use (less AVX, implied by AVX2
// and AVX512F, and CMOV and MMX+, which every amd64 CPU has): the union
// over the kernel's functions, float32 and float64. TestAsmFeatures checks
// it against sigmoid_amd64.s. The avx512 kernel also asks for AVX2 and
// FMA3, which its code does not use (its fused multiply-adds are the EVEX
// forms of AVX-512F) but every AVX-512 CPU has: so GODEBUG=cpu.avx2=off
// and GODEBUG=cpu.fma=off each turn off every SIMD kernel, as one would
// expect.
var kernelFeatures = []struct {
	kernel   string
	features []string
}{
	{"avx512", []string{"AVX512F", "AVX512DQ", "AVX512VL", "AVX2", "FMA3"}},
	{"avx2", []string{"AVX2", "FMA3"}},
}

// hasFeature reports whether this CPU and its OS support the feature. The
// flags come from golang.org/x/sys/cpu, which checks that the OS saves the
// wide registers (XGETBV) and honours GODEBUG=cpu.avx512f=off,
// cpu.avx2=off, cpu.fma=off and the like.
func hasFeature(f string) bool {
	switch f {
	case "AVX":
		return cpu.X86.HasAVX
	case "AVX2":
		return cpu.X86.HasAVX2
	case "AVX512F":
		return cpu.X86.HasAVX512F
	case "AVX512DQ":
		return cpu.X86.HasAVX512DQ
	case "AVX512VL":
		return cpu.X86.HasAVX512VL
	case "FMA3":
		return cpu.X86.HasFMA
	}
	panic("asm: unknown CPU feature " + f)
}

// runs reports whether this CPU has every feature the kernel needs.
func runs(kernel string) bool {
	for _, k := range kernelFeatures {
		if k.kernel == kernel {
			for _, f := range k.features {
				if !hasFeature(f) {
					return false
				}
			}
			return true
		}
	}
	panic("asm: unknown kernel " + kernel)
}

// kernelLacks names the features of the kernel's that this CPU lacks, for
// a panic's message.
func kernelLacks(kernel string) string {
	var lacks []string
	for _, k := range kernelFeatures {
		if k.kernel == kernel {
			for _, f := range k.features {
				if !hasFeature(f) {
					lacks = append(lacks, f)
				}
			}
		}
	}
	return strings.Join(lacks, ", ")
}

var (
	hasAVX512 = runs("avx512")
	hasAVX2   = runs("avx2")
)

// HasAVX512 reports whether this CPU runs the avx512 functions (those
// named …AVX512): it has AVX-512F, AVX-512DQ, AVX-512VL, AVX2 and FMA,
// and neither the OS nor GODEBUG (cpu.avx512f=off and the like) takes them
// away.
func HasAVX512() bool { return hasAVX512 }

// HasAVX2 reports whether this CPU runs the avx2 functions (those named
// …AVX2): it has AVX2 and FMA, and neither the OS nor GODEBUG takes them
// away.
func HasAVX2() bool { return hasAVX2 }

// streamMin is the length from which the functions write with
// non-temporal stores, decided once from the whole length and passed to
// every chunk. Streaming skips the read of dst's lines and keeps dst out
// of the caches: it pays once the data would not stay in them anyway and
// costs while it would. On AMD Zen 5 (32 MiB of L3 for each core) it took
// the backward pass at 2^24 elements from 23.9 to 30.6 GB/s but slowed the
// sigmoid at 2^20, and 2^21 elements was the threshold chosen there: src
// and dst of float32 filling half the L3. So the threshold is L3/16
// elements, from the L3 size cpuid reports for this core: 2^21 on that
// Zen 5, 2^19 on a Zen 1 EPYC with 8 MiB. It is clamped to [2^18, 2^23]
// elements against a cache size a virtual machine misreports, and is 2^21
// where cpuid reports no L3.
var streamMin = streamThreshold(cpuid.CPU.Cache.L3)

// streamThreshold is streamMin for an L3 cache of l3 bytes (0 if unknown).
func streamThreshold(l3 int) int {
	if l3 <= 0 {
		return 1 << 21
	}
	return min(max(l3/16, 1<<18), 1<<23)
}

// StreamMin is the length from which the functions write their output
// with non-temporal stores (all but SiLUBackward's): from this CPU's L3
// size, L3/16 elements within [2^18, 2^23].
func StreamMin() int { return streamMin }
