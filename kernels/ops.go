package kernels

import "github.com/simdsigmoid/sigmoid/fallback"

// op is one of the package's element-wise functions: the dispatch runs
// op f of kernel id (unary: dst, src; binary: dx, dy, and y or x).
type op uint8

const (
	opSigmoid op = iota
	opSiLU
	opSigmoidBackward
	opSiLUBackward
)

func sigmoid(id kernelID, dst, src []float32)       { unary(id, opSigmoid, dst, src) }
func silu(id kernelID, dst, src []float32)          { unary(id, opSiLU, dst, src) }
func backward(id kernelID, dx, dy, y []float32)     { binary(id, opSigmoidBackward, dx, dy, y) }
func siluBackward(id kernelID, dx, dy, x []float32) { binary(id, opSiLUBackward, dx, dy, x) }
func sigmoid64(id kernelID, dst, src []float64)     { unary64(id, opSigmoid, dst, src) }
func silu64(id kernelID, dst, src []float64)        { unary64(id, opSiLU, dst, src) }
func backward64(id kernelID, dx, dy, y []float64)   { binary64(id, opSigmoidBackward, dx, dy, y) }
func siluBackward64(id kernelID, dx, dy, x []float64) {
	binary64(id, opSiLUBackward, dx, dy, x)
}

// The generic kernel's code for each op.

func fallbackUnary(f op, dst, src []float32) {
	if f == opSiLU {
		fallback.SiLU(dst, src)
		return
	}
	fallback.Sigmoid(dst, src)
}

func fallbackUnary64(f op, dst, src []float64) {
	if f == opSiLU {
		fallback.SiLU64(dst, src)
		return
	}
	fallback.Sigmoid64(dst, src)
}

func fallbackBinary(f op, dx, dy, y []float32) {
	if f == opSiLUBackward {
		fallback.SiLUBackward(dx, dy, y)
		return
	}
	fallback.SigmoidBackward(dx, dy, y)
}

func fallbackBinary64(f op, dx, dy, y []float64) {
	if f == opSiLUBackward {
		fallback.SiLUBackward64(dx, dy, y)
		return
	}
	fallback.SigmoidBackward64(dx, dy, y)
}
