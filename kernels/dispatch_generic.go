//go:build purego || !amd64

package kernels

func simdKernels() []rawKernel { return nil }
