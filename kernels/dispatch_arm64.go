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
