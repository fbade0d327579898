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
