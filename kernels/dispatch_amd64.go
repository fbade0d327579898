//go:build !purego

package kernels

import "github.com/simdsigmoid/sigmoid/asm"

const (
	avx512ID kernelID = iota + 1
	avx2ID
)

// kernelNames names each kernel by its id.
var kernelNames = [...]string{genericID: "generic", avx512ID: "avx512", avx2ID: "avx2"}

// simdKernels lists the amd64 kernels this CPU runs, best first: package
// asm decides from the CPU's features, GODEBUG's cpu.* settings included.
func simdKernels() []Kernel {
	var ks []Kernel
	if asm.HasAVX512() {
		ks = append(ks, Kernel{id: avx512ID})
	}
	if asm.HasAVX2() {
		ks = append(ks, Kernel{id: avx2ID})
	}
	return ks
}

// The functions below run op f of kernel id on slices already checked.
// Package asm's functions check them again (a few compares), then run the
// assembly in chunks, streaming the output past the caches from
// asm.StreamMin elements on.

func unary(id kernelID, f op, dst, src []float32) {
	switch {
	case id == genericID:
		fallbackUnary(f, dst, src)
	case id == avx512ID && f == opSigmoid:
		asm.SigmoidAVX512(dst, src)
	case id == avx512ID:
		asm.SiLUAVX512(dst, src)
	case f == opSigmoid:
		asm.SigmoidAVX2(dst, src)
	default:
		asm.SiLUAVX2(dst, src)
	}
}

func binary(id kernelID, f op, dx, dy, y []float32) {
	switch {
	case id == genericID:
		fallbackBinary(f, dx, dy, y)
	case id == avx512ID && f == opSigmoidBackward:
		asm.SigmoidBackwardAVX512(dx, dy, y)
	case id == avx512ID:
		asm.SiLUBackwardAVX512(dx, dy, y)
	case f == opSigmoidBackward:
		asm.SigmoidBackwardAVX2(dx, dy, y)
	default:
		asm.SiLUBackwardAVX2(dx, dy, y)
	}
}

func unary64(id kernelID, f op, dst, src []float64) {
	switch {
	case id == genericID:
		fallbackUnary64(f, dst, src)
	case id == avx512ID && f == opSigmoid:
		asm.Sigmoid64AVX512(dst, src)
	case id == avx512ID:
		asm.SiLU64AVX512(dst, src)
	case f == opSigmoid:
		asm.Sigmoid64AVX2(dst, src)
	default:
		asm.SiLU64AVX2(dst, src)
	}
}

func binary64(id kernelID, f op, dx, dy, y []float64) {
	switch {
	case id == genericID:
		fallbackBinary64(f, dx, dy, y)
	case id == avx512ID && f == opSigmoidBackward:
		asm.SigmoidBackward64AVX512(dx, dy, y)
	case id == avx512ID:
		asm.SiLUBackward64AVX512(dx, dy, y)
	case f == opSigmoidBackward:
		asm.SigmoidBackward64AVX2(dx, dy, y)
	default:
		asm.SiLUBackward64AVX2(dx, dy, y)
	}
}
