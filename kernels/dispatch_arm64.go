//go:build !purego

package kernels

import "github.com/simdsigmoid/sigmoid/asm"

const neonID kernelID = 1

// kernelNames names each kernel by its id.
var kernelNames = [...]string{genericID: "generic", neonID: "neon"}

// simdKernels lists the arm64 kernels this CPU can run: package asm
// decides (Advanced SIMD, unless GODEBUG=cpu.asimd=off).
func simdKernels() []Kernel {
	var ks []Kernel
	if asm.HasNEON() {
		ks = append(ks, Kernel{id: neonID})
	}
	return ks
}

// The functions below run op f of kernel id on slices already checked.
// Package asm's functions check them again (a few compares), then run the
// assembly in chunks.

func unary(id kernelID, f op, dst, src []float32) {
	switch {
	case id == genericID:
		fallbackUnary(f, dst, src)
	case f == opSigmoid:
		asm.SigmoidNEON(dst, src)
	default:
		asm.SiLUNEON(dst, src)
	}
}

func binary(id kernelID, f op, dx, dy, y []float32) {
	switch {
	case id == genericID:
		fallbackBinary(f, dx, dy, y)
	case f == opSigmoidBackward:
		asm.SigmoidBackwardNEON(dx, dy, y)
	default:
		asm.SiLUBackwardNEON(dx, dy, y)
	}
}

func unary64(id kernelID, f op, dst, src []float64) {
	switch {
	case id == genericID:
		fallbackUnary64(f, dst, src)
	case f == opSigmoid:
		asm.Sigmoid64NEON(dst, src)
	default:
		asm.SiLU64NEON(dst, src)
	}
}

func binary64(id kernelID, f op, dx, dy, y []float64) {
	switch {
	case id == genericID:
		fallbackBinary64(f, dx, dy, y)
	case f == opSigmoidBackward:
		asm.SigmoidBackward64NEON(dx, dy, y)
	default:
		asm.SiLUBackward64NEON(dx, dy, y)
	}
}
