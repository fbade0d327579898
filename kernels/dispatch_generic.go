//go:build purego || !(amd64 || arm64)

package kernels

func simdKernels() []rawKernel { return nil }
