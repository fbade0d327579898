//go:build !purego && (amd64 || arm64)

package asm

import "unsafe"

// Chunks. Assembly is never preempted, so a goroutine inside it holds off
// every stop-the-world (the garbage collector's included) until it
// returns. Each exported function therefore calls the assembly on chunks
// of its slices, each call in a noinline function whose prologue is a
// preemption point. A function's chunk (chunkSigmoid32, … in entry_*.go,
// set by the generator from each function's slowNs) is the power of two
// of elements, at most 128 KiB of output, that its slowest inputs (every
// vector on the safe code: a NaN in each, inputs over the whole range) run
// through in at most 100 µs on the AVX2 kernel of an AMD Zen 1 (family
// 23 model 1), the slowest x86 machine measured: from 16 KiB for
// BCEWithLogits64 to 128 KiB for SigmoidBackward and TanhBackward, which
// have no slow code; ordinary inputs take a fraction of that. A chunk is no
// shorter than the bound needs: halving Sigmoid's to 32 KiB cost 1.3% at
// 2^24 (AVX2 on Zen 1, streaming stores: median paired ratio to one call
// on the whole slices 1.010 to 1.013 in three runs, against 1.0005 at
// 64 KiB), more than the call itself (under 10 ns, measured as 16 calls
// on 1024 elements against one on 16384 in cache).
// TestStopTheWorldLatency (package kernels) checks the effect on latency,
// TestChunkingCost (SIGMOID_CHUNK_AB=1) the cost at 2^24.

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
