//go:build purego || !(amd64 || arm64)

package kernels

func simdKernels() []Kernel { return nil }

// kernelNames names each kernel by its id.
var kernelNames = [...]string{genericID: "generic"}
