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

// runSums and runSums64 run kernel id's running sums (blockSum).
func runSums(id kernelID, s *[16]float64, x []float32) {
	switch id {
	case neonID:
		asm.SumsNEON(s, x)
	default:
		addLanes(s, x)
	}
}

func runSums64(id kernelID, s *[16]float64, x []float64) {
	switch id {
	case neonID:
		asm.Sums64NEON(s, x)
	default:
		addLanes(s, x)
	}
}
