//go:build !purego

package kernels

// StreamMin is the length from which the kernels write with non-temporal
// stores, for the external tests.
var StreamMin = streamMin
