//go:build !purego

package kernels

import (
	"unsafe"

	"golang.org/x/sys/cpu"

	"github.com/simdsigmoid/sigmoid/asm"
	"github.com/simdsigmoid/sigmoid/fallback"
)

const neonID kernelID = 1

// simdKernels lists the arm64 kernels this CPU can run. Advanced SIMD is
// mandatory in AArch64; golang.org/x/sys/cpu reports it (from the kernel's
// HWCAP on Linux, also under qemu-aarch64, which passes its emulated CPU's
// HWCAP on) and honours GODEBUG=cpu.asimd=off.
func simdKernels() []rawKernel {
	var ks []rawKernel
	if cpu.ARM64.HasASIMD {
		ks = append(ks, rawKernel{"neon", neonID})
	}
	return ks
}

// The functions below run kernel id on slices already checked, in chunks
// (chunkLen) so that no assembly call holds off a stop-the-world for long.

func sigmoid(id kernelID, dst, src []float32) {
	if id == genericID {
		fallback.Sigmoid(dst, src)
		return
	}
	n := firstChunk(unsafe.Pointer(unsafe.SliceData(dst)), chunkLen32, 4)
	for len(dst) > 0 {
		n = min(n, len(dst))
		d, s := dst[:n], src[:n]
		raceUnary(d, s)
		sigmoidChunk(d, s)
		dst, src, n = dst[n:], src[n:], chunkLen32
	}
}

func backward(id kernelID, dx, dy, y []float32) {
	if id == genericID {
		fallback.SigmoidBackward(dx, dy, y)
		return
	}
	n := firstChunk(unsafe.Pointer(unsafe.SliceData(dx)), backwardChunkLen32, 4)
	for len(dx) > 0 {
		n = min(n, len(dx))
		d, g, v := dx[:n], dy[:n], y[:n]
		raceBackward(d, g, v)
		sigmoidBackwardChunk(d, g, v)
		dx, dy, y, n = dx[n:], dy[n:], y[n:], backwardChunkLen32
	}
}

func sigmoid64(id kernelID, dst, src []float64) {
	if id == genericID {
		fallback.Sigmoid64(dst, src)
		return
	}
	n := firstChunk(unsafe.Pointer(unsafe.SliceData(dst)), chunkLen64, 8)
	for len(dst) > 0 {
		n = min(n, len(dst))
		d, s := dst[:n], src[:n]
		raceUnary(d, s)
		sigmoid64Chunk(d, s)
		dst, src, n = dst[n:], src[n:], chunkLen64
	}
}

func backward64(id kernelID, dx, dy, y []float64) {
	if id == genericID {
		fallback.SigmoidBackward64(dx, dy, y)
		return
	}
	n := firstChunk(unsafe.Pointer(unsafe.SliceData(dx)), backwardChunkLen64, 8)
	for len(dx) > 0 {
		n = min(n, len(dx))
		d, g, v := dx[:n], dy[:n], y[:n]
		raceBackward(d, g, v)
		sigmoidBackward64Chunk(d, g, v)
		dx, dy, y, n = dx[n:], dy[n:], y[n:], backwardChunkLen64
	}
}

// The chunk functions make one assembly call each. They are not inlined,
// so each has a stack check in its prologue: a synchronous preemption
// point between chunks. Without one, a stop-the-world would wait for a
// preemption signal to land in the few instructions of Go between two
// assembly calls, which it rarely does.

//go:noinline
func sigmoidChunk(dst, src []float32) { asm.SigmoidNEON(dst, src) }

//go:noinline
func sigmoidBackwardChunk(dx, dy, y []float32) { asm.SigmoidBackwardNEON(dx, dy, y) }

//go:noinline
func sigmoid64Chunk(dst, src []float64) { asm.Sigmoid64NEON(dst, src) }

//go:noinline
func sigmoidBackward64Chunk(dx, dy, y []float64) { asm.SigmoidBackward64NEON(dx, dy, y) }
