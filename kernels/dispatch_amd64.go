//go:build !purego

package kernels

import (
	"unsafe"

	"github.com/klauspost/cpuid/v2"
	"golang.org/x/sys/cpu"

	"github.com/simdsigmoid/sigmoid/asm"
)

const (
	avx512ID kernelID = iota + 1
	avx2ID
)

// kernelNames names each kernel by its id.
var kernelNames = [...]string{genericID: "generic", avx512ID: "avx512", avx2ID: "avx2"}

// kernelFeatures lists the CPU features each SIMD kernel needs, by the
// names the generated code's "Requires:" lines use (less AVX, implied by
// AVX2 and AVX512F, and CMOV and MMX+, which every amd64 CPU has): the
// union over the kernel's four functions, float32 and float64. TestAsmFeatures checks it
// against asm/sigmoid_amd64.s. The avx512 kernel also asks for AVX2 and
// FMA3, which its code does not use (its fused multiply-adds are the EVEX
// forms of AVX-512F) but every AVX-512 CPU has: so GODEBUG=cpu.avx2=off and
// GODEBUG=cpu.fma=off each turn off every SIMD kernel, as one would expect.
var kernelFeatures = []struct {
	id       kernelID
	features []string
}{
	{avx512ID, []string{"AVX512F", "AVX512DQ", "AVX512VL", "AVX2", "FMA3"}},
	{avx2ID, []string{"AVX2", "FMA3"}},
}

// hasFeature reports whether this CPU and its OS support the feature. The
// flags come from golang.org/x/sys/cpu, which checks that the OS saves the
// wide registers (XGETBV) and honours GODEBUG=cpu.avx512f=off,
// cpu.avx2=off, cpu.fma=off and the like.
func hasFeature(f string) bool {
	switch f {
	case "AVX":
		return cpu.X86.HasAVX
	case "AVX2":
		return cpu.X86.HasAVX2
	case "AVX512F":
		return cpu.X86.HasAVX512F
	case "AVX512DQ":
		return cpu.X86.HasAVX512DQ
	case "AVX512VL":
		return cpu.X86.HasAVX512VL
	case "FMA3":
		return cpu.X86.HasFMA
	}
	panic("kernels: unknown CPU feature " + f)
}

// simdKernels lists the amd64 kernels this CPU runs, best first.
func simdKernels() []Kernel {
	var ks []Kernel
next:
	for _, k := range kernelFeatures {
		for _, f := range k.features {
			if !hasFeature(f) {
				continue next
			}
		}
		ks = append(ks, Kernel{id: k.id})
	}
	return ks
}

// streamMin is the length from which the kernels write with non-temporal
// stores, decided once from the whole length and passed to every chunk.
// Streaming skips the read of dst's lines and keeps dst out of the caches:
// it pays once the data would not stay in them anyway and costs while it
// would. On AMD Zen 5 (32 MiB of L3 for each core) it took the backward
// pass at 2^24 elements from 23.9 to 30.6 GB/s but slowed the sigmoid at
// 2^20, and 2^21 elements was the threshold chosen there: src and dst of
// float32 filling half the L3. So the threshold is L3/16 elements, from the
// L3 size cpuid reports for this core: 2^21 on that Zen 5, 2^19 on a Zen 1
// EPYC with 8 MiB. It is clamped to [2^18, 2^23] elements against a cache
// size a virtual machine misreports, and is 2^21 where cpuid reports no L3.
var streamMin = streamThreshold(cpuid.CPU.Cache.L3)

// streamThreshold is streamMin for an L3 cache of l3 bytes (0 if unknown).
func streamThreshold(l3 int) int {
	if l3 <= 0 {
		return 1 << 21
	}
	return min(max(l3/16, 1<<18), 1<<23)
}

// streams reports whether op f writes n elements with non-temporal stores:
// from streamMin on, but for SiLU's backward pass, whose arithmetic is
// long enough that skipping the caches slowed it (AVX-512 float32 at 2^24,
// interleaved: 0.42-0.56 ns per element with ordinary stores, 0.53-0.99
// streaming).
func streams(f op, n int) bool { return n >= streamMin && f != opSiLUBackward }

// The functions below run op f of kernel id on slices already checked, in
// chunks (chunkLen) so that no assembly call holds off a stop-the-world
// for long. The first chunk ends where dst is 64-byte aligned, so that with
// stream set only the first chunk needs the kernel's unaligned head.

func unary(id kernelID, f op, dst, src []float32) {
	if id == genericID {
		fallbackUnary(f, dst, src)
		return
	}
	if len(dst) <= chunkLen32 {
		// One chunk (and too short to stream): no chunk loop.
		raceUnary(dst, src)
		unaryChunk(id, f, dst, src, false)
		return
	}
	stream := len(dst) >= streamMin
	n := firstChunk(unsafe.Pointer(unsafe.SliceData(dst)), chunkLen32, 4)
	for len(dst) > 0 {
		n = min(n, len(dst))
		d, s := dst[:n], src[:n]
		raceUnary(d, s)
		unaryChunk(id, f, d, s, stream)
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
		binaryChunk(id, f, dx, dy, y, false)
		return
	}
	stream := streams(f, len(dx))
	n := firstChunk(unsafe.Pointer(unsafe.SliceData(dx)), backwardChunkLen32, 4)
	for len(dx) > 0 {
		n = min(n, len(dx))
		d, g, v := dx[:n], dy[:n], y[:n]
		raceBackward(d, g, v)
		binaryChunk(id, f, d, g, v, stream)
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
		unary64Chunk(id, f, dst, src, false)
		return
	}
	stream := len(dst) >= streamMin
	n := firstChunk(unsafe.Pointer(unsafe.SliceData(dst)), chunkLen64, 8)
	for len(dst) > 0 {
		n = min(n, len(dst))
		d, s := dst[:n], src[:n]
		raceUnary(d, s)
		unary64Chunk(id, f, d, s, stream)
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
		binary64Chunk(id, f, dx, dy, y, false)
		return
	}
	stream := streams(f, len(dx))
	n := firstChunk(unsafe.Pointer(unsafe.SliceData(dx)), backwardChunkLen64, 8)
	for len(dx) > 0 {
		n = min(n, len(dx))
		d, g, v := dx[:n], dy[:n], y[:n]
		raceBackward(d, g, v)
		binary64Chunk(id, f, d, g, v, stream)
		dx, dy, y, n = dx[n:], dy[n:], y[n:], backwardChunkLen64
	}
}

// The chunk functions make one assembly call each. They are not inlined,
// so each has a stack check in its prologue: a synchronous preemption
// point between chunks. Without one, a stop-the-world would wait for a
// preemption signal to land in the few instructions of Go between two
// assembly calls, which it rarely does.

//go:noinline
func unaryChunk(id kernelID, f op, dst, src []float32, stream bool) {
	switch {
	case id == avx512ID && f == opSigmoid:
		asm.SigmoidAVX512(dst, src, stream)
	case id == avx512ID:
		asm.SiLUAVX512(dst, src, stream)
	case f == opSigmoid:
		asm.SigmoidAVX2(dst, src, stream)
	default:
		asm.SiLUAVX2(dst, src, stream)
	}
}

//go:noinline
func binaryChunk(id kernelID, f op, dx, dy, y []float32, stream bool) {
	switch {
	case id == avx512ID && f == opSigmoidBackward:
		asm.SigmoidBackwardAVX512(dx, dy, y, stream)
	case id == avx512ID:
		asm.SiLUBackwardAVX512(dx, dy, y, stream)
	case f == opSigmoidBackward:
		asm.SigmoidBackwardAVX2(dx, dy, y, stream)
	default:
		asm.SiLUBackwardAVX2(dx, dy, y, stream)
	}
}

//go:noinline
func unary64Chunk(id kernelID, f op, dst, src []float64, stream bool) {
	switch {
	case id == avx512ID && f == opSigmoid:
		asm.Sigmoid64AVX512(dst, src, stream)
	case id == avx512ID:
		asm.SiLU64AVX512(dst, src, stream)
	case f == opSigmoid:
		asm.Sigmoid64AVX2(dst, src, stream)
	default:
		asm.SiLU64AVX2(dst, src, stream)
	}
}

//go:noinline
func binary64Chunk(id kernelID, f op, dx, dy, y []float64, stream bool) {
	switch {
	case id == avx512ID && f == opSigmoidBackward:
		asm.SigmoidBackward64AVX512(dx, dy, y, stream)
	case id == avx512ID:
		asm.SiLUBackward64AVX512(dx, dy, y, stream)
	case f == opSigmoidBackward:
		asm.SigmoidBackward64AVX2(dx, dy, y, stream)
	default:
		asm.SiLUBackward64AVX2(dx, dy, y, stream)
	}
}
