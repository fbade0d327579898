//go:build purego || !(amd64 || arm64)

package kernels

import "github.com/simdsigmoid/sigmoid/fallback"

func simdKernels() []rawKernel { return nil }

// Only the generic kernel exists here: the functions below ignore the id.

func sigmoid(_ kernelID, dst, src []float32)     { fallback.Sigmoid(dst, src) }
func backward(_ kernelID, dx, dy, y []float32)   { fallback.SigmoidBackward(dx, dy, y) }
func sigmoid64(_ kernelID, dst, src []float64)   { fallback.Sigmoid64(dst, src) }
func backward64(_ kernelID, dx, dy, y []float64) { fallback.SigmoidBackward64(dx, dy, y) }
