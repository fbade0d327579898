//go:build purego || !(amd64 || arm64)

package kernels

func simdKernels() []Kernel { return nil }

// kernelNames names each kernel by its id.
var kernelNames = [...]string{genericID: "generic"}

// Only the generic kernel exists here: the functions below ignore the id.

func unary(_ kernelID, f op, dst, src []float32)     { fallbackUnary(f, dst, src) }
func binary(_ kernelID, f op, dx, dy, y []float32)   { fallbackBinary(f, dx, dy, y) }
func unary64(_ kernelID, f op, dst, src []float64)   { fallbackUnary64(f, dst, src) }
func binary64(_ kernelID, f op, dx, dy, y []float64) { fallbackBinary64(f, dx, dy, y) }
