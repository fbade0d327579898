//go:build !purego

package kernels

import (
	"unsafe"

	"golang.org/x/sys/cpu"

	"github.com/simdsigmoid/sigmoid/asm"
)

const neonID kernelID = 1

// kernelNames names each kernel by its id.
var kernelNames = [...]string{genericID: "generic", neonID: "neon"}

// simdKernels lists the arm64 kernels this CPU can run. Advanced SIMD is
// mandatory in AArch64; golang.org/x/sys/cpu reports it (from the kernel's
// HWCAP on Linux, also under qemu-aarch64, which passes its emulated CPU's
// HWCAP on) and honours GODEBUG=cpu.asimd=off.
func simdKernels() []Kernel {
	var ks []Kernel
	if cpu.ARM64.HasASIMD {
		ks = append(ks, Kernel{id: neonID})
	}
	return ks
}

// The functions below run op f of kernel id on slices already checked, in
// chunks (chunkLen) so that no assembly call holds off a stop-the-world
// for long.

func unary(id kernelID, f op, dst, src []float32) {
	if id == genericID {
		fallbackUnary(f, dst, src)
		return
	}
	if len(dst) <= chunkLen32 {
		// One chunk (and too short to stream): no chunk loop.
		raceUnary(dst, src)
		unaryChunk(f, dst, src)
		return
	}
	n := firstChunk(unsafe.Pointer(unsafe.SliceData(dst)), chunkLen32, 4)
	for len(dst) > 0 {
		n = min(n, len(dst))
		d, s := dst[:n], src[:n]
		raceUnary(d, s)
		unaryChunk(f, d, s)
		dst, src, n = dst[n:], src[n:], chunkLen32
	}
}

func binary(id kernelID, f op, dx, dy, y []float32) {
	if id == genericID {
		fallbackBinary(f, dx, dy, y)
		return
	}
	if len(dx) <= backwardChunkLen32 {
		raceBackward(dx, dy, y)
		binaryChunk(f, dx, dy, y)
		return
	}
	n := firstChunk(unsafe.Pointer(unsafe.SliceData(dx)), backwardChunkLen32, 4)
	for len(dx) > 0 {
		n = min(n, len(dx))
		d, g, v := dx[:n], dy[:n], y[:n]
		raceBackward(d, g, v)
		binaryChunk(f, d, g, v)
		dx, dy, y, n = dx[n:], dy[n:], y[n:], backwardChunkLen32
	}
}

func unary64(id kernelID, f op, dst, src []float64) {
	if id == genericID {
		fallbackUnary64(f, dst, src)
		return
	}
	if len(dst) <= chunkLen64 {
		// One chunk (and too short to stream): no chunk loop.
		raceUnary(dst, src)
		unary64Chunk(f, dst, src)
		return
	}
	n := firstChunk(unsafe.Pointer(unsafe.SliceData(dst)), chunkLen64, 8)
	for len(dst) > 0 {
		n = min(n, len(dst))
		d, s := dst[:n], src[:n]
		raceUnary(d, s)
		unary64Chunk(f, d, s)
		dst, src, n = dst[n:], src[n:], chunkLen64
	}
}

func binary64(id kernelID, f op, dx, dy, y []float64) {
	if id == genericID {
		fallbackBinary64(f, dx, dy, y)
		return
	}
	if len(dx) <= backwardChunkLen64 {
		raceBackward(dx, dy, y)
		binary64Chunk(f, dx, dy, y)
		return
	}
	n := firstChunk(unsafe.Pointer(unsafe.SliceData(dx)), backwardChunkLen64, 8)
	for len(dx) > 0 {
		n = min(n, len(dx))
		d, g, v := dx[:n], dy[:n], y[:n]
		raceBackward(d, g, v)
		binary64Chunk(f, d, g, v)
		dx, dy, y, n = dx[n:], dy[n:], y[n:], backwardChunkLen64
	}
}

// The chunk functions make one assembly call each. They are not inlined,
// so each has a stack check in its prologue: a synchronous preemption
// point between chunks. Without one, a stop-the-world would wait for a
// preemption signal to land in the few instructions of Go between two
// assembly calls, which it rarely does.

//go:noinline
func unaryChunk(f op, dst, src []float32) {
	if f == opSigmoid {
		asm.SigmoidNEON(dst, src)
	} else {
		asm.SiLUNEON(dst, src)
	}
}

//go:noinline
func binaryChunk(f op, dx, dy, y []float32) {
	if f == opSigmoidBackward {
		asm.SigmoidBackwardNEON(dx, dy, y)
	} else {
		asm.SiLUBackwardNEON(dx, dy, y)
	}
}

//go:noinline
func unary64Chunk(f op, dst, src []float64) {
	if f == opSigmoid {
		asm.Sigmoid64NEON(dst, src)
	} else {
		asm.SiLU64NEON(dst, src)
	}
}

//go:noinline
func binary64Chunk(f op, dx, dy, y []float64) {
	if f == opSigmoidBackward {
		asm.SigmoidBackward64NEON(dx, dy, y)
	} else {
		asm.SiLUBackward64NEON(dx, dy, y)
	}
}
