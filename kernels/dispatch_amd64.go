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

// runSums and runSums64 run kernel id's running sums (blockSum).
func runSums(id kernelID, s *[16]float64, x []float32) {
	switch id {
	case avx512ID:
		asm.SumsAVX512(s, x)
	case avx2ID:
		asm.SumsAVX2(s, x)
	default:
		addLanes(s, x)
	}
}

func runSums64(id kernelID, s *[16]float64, x []float64) {
	switch id {
	case avx512ID:
		asm.Sums64AVX512(s, x)
	case avx2ID:
		asm.Sums64AVX2(s, x)
	default:
		addLanes(s, x)
	}
}
