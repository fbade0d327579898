//go:build purego || !amd64

package kernels

// StreamMin is, where no kernel streams, the length the amd64 kernels
// stream from on the CPU their threshold was tuned on: the external tests
// use it as a long length all the same.
var StreamMin = 1 << 21

// Streams reports whether a kernel here writes with non-temporal stores.
const Streams = false
