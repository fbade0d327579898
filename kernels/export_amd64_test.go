//go:build !purego

package kernels

import "github.com/simdsigmoid/sigmoid/asm"

// StreamMin is the length from which the kernels write with non-temporal
// stores, for the external tests.
var StreamMin = asm.StreamMin()

// Streams reports whether a kernel here writes with non-temporal stores.
const Streams = true
