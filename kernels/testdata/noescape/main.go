// Command noescape calls every function of package kernels on arrays on
// its stack; TestCallerNoEscape builds it with -gcflags=-m and fails if the
// compiler moves any of them to the heap.
package main

import (
	"fmt"

	"github.com/simdsigmoid/sigmoid/kernels"
)

func main() {
	var a, b, c [64]float32
	var a64, b64, c64 [64]float64
	for i := range a {
		a[i], b[i], c[i] = float32(i), 1, 0.5
		a64[i], b64[i], c64[i] = float64(i), 1, 0.5
	}
	kernels.Sigmoid(a[:], b[:])
	kernels.SigmoidBackward(a[:], b[:], c[:])
	kernels.Sigmoid64(a64[:], b64[:])
	kernels.SigmoidBackward64(a64[:], b64[:], c64[:])
	kernels.SiLU(a[:], b[:])
	kernels.SiLUBackward(a[:], b[:], c[:])
	kernels.SiLU64(a64[:], b64[:])
	kernels.SiLUBackward64(a64[:], b64[:], c64[:])
	m := kernels.BCEWithLogitsMean(a[:], b[:], c[:]) + kernels.BCEWithLogitsMean64(a64[:], b64[:], c64[:])
	for _, k := range kernels.Kernels() {
		k.Sigmoid(a[:], b[:])
		k.SigmoidBackward(a[:], b[:], c[:])
		k.Sigmoid64(a64[:], b64[:])
		k.SigmoidBackward64(a64[:], b64[:], c64[:])
		k.SiLU(a[:], b[:])
		k.SiLUBackward(a[:], b[:], c[:])
		k.SiLU64(a64[:], b64[:])
		k.SiLUBackward64(a64[:], b64[:], c64[:])
		m += k.BCEWithLogitsMean(a[:], b[:], c[:]) + k.BCEWithLogitsMean64(a64[:], b64[:], c64[:])
	}
	fmt.Println(a[1], a64[1], m)
}
