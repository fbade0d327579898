//go:build purego || !(amd64 || arm64)

package kernels_test

import "runtime"

// expectedAvailable is what Available must return: with the purego tag, or
// on an architecture without SIMD kernels, only the generic one.
func expectedAvailable() []string { return []string{"generic"} }

func cpuDescription() string { return runtime.GOARCH + " (purego or no SIMD kernels)" }
