//go:build !purego && (amd64 || arm64)

package asm

import "unsafe"

// chunkLen32 and chunkLen64 are how many elements one assembly call of a
// function of one input gets: 64 KiB of dst. Assembly is never preempted, so a goroutine inside it
// holds off every stop-the-world (the garbage collector's included) until
// it returns. Measured on AMD Zen 5 (2 shared cores), ns per element at
// 2^24 elements, streaming or not, over inputs in [-16, 16], on the slow
// path ([-104, -87] float32, [-745, -626] float64) and over [-1000, 1000]:
// at most 2.5 for the float32 functions (AVX2 sigmoid, wide inputs) and 6.5
// for the float64 ones (AVX2 Sigmoid64, wide inputs), so a chunk takes at
// most about 41 µs (float32) or 53 µs (float64), typically 4 to 12 µs. The
// fixed cost of a call, measured as 16 calls on 1024 elements against one
// on 16384 in cache, is under 10 ns, streaming or not: under 0.25% of a
// chunk. TestStopTheWorldLatency (package kernels) checks the effect on latency,
// TestChunkingCost (SIGMOID_CHUNK_AB=1) the cost at 2^24.
//
// The backward pass has no slow path: at most 1.9 ns per float64 element
// and 0.95 per float32 one, on any input. Its chunks are twice as long
// (128 KiB, at most 31 µs), halving the per-chunk cost where it shows most:
// in an A/B run at 2^24 the backward pass, the most memory-bound function,
// was the one whose chunked median came out above the whole call's.
const (
	chunkBytes = 64 << 10
	chunkLen32 = chunkBytes / 4
	chunkLen64 = chunkBytes / 8

	backwardChunkBytes = 128 << 10
	backwardChunkLen32 = backwardChunkBytes / 4
	backwardChunkLen64 = backwardChunkBytes / 8
)

// firstChunk returns the length of the first chunk of a slice starting at
// p with elements of size bytes: chunk, less the elements before p's
// 64-byte boundary, so that every later chunk starts 64-byte aligned (the
// streaming stores then need no unaligned head after the first chunk).
func firstChunk(p unsafe.Pointer, chunk int, size uintptr) int {
	return chunk - int(uintptr(p)&63/size)
}

// float is the element types the package works on.
type float interface{ float32 | float64 }

// panicCPU is what an entry point of a kernel this CPU cannot run does.
func panicCPU(fn, kernel string) {
	panic("asm: " + fn + ": this CPU cannot run the " + kernel + " kernel: it lacks " + kernelLacks(kernel) + " (or GODEBUG turned it off)")
}
