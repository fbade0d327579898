//go:build !purego

package asm

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/klauspost/cpuid/v2"
)

// BenchmarkChunking compares, at n = 2^24, one assembly call on the whole
// slices ("whole", as before chunking) with the exported function's chunk
// loop ("chunked", the code kernels.Sigmoid runs) and with the same loop at
// other chunk sizes ("bytes=N"), on the best kernel this CPU runs. Run it
// interleaved and compare medians, e.g.
//
//	go test -c -o /tmp/a.test ./asm/
//	for i in 1 2 3 4 5 6 7 8; do /tmp/a.test -test.run '^$' -test.bench 'Chunking/Sigmoid/' -test.benchtime 20x; done
func BenchmarkChunking(b *testing.B) {
	if !hasAVX2 {
		b.Skip("no SIMD kernel")
	}
	const n = 1 << 24
	avx512 := hasAVX512
	stream := n >= streamMin
	rng := rand.New(rand.NewPCG(1, 2))
	src, dst := make([]float32, n), make([]float32, n)
	y := make([]float32, n)
	for i := range src {
		src[i] = rng.Float32()*32 - 16
		y[i] = rng.Float32()
	}
	src64, dst64 := make([]float64, n), make([]float64, n)
	for i := range src64 {
		src64[i] = rng.Float64()*32 - 16
	}
	whole := map[string]func(){
		"Sigmoid": func() {
			if avx512 {
				sigmoidAVX512(dst, src, stream)
			} else {
				sigmoidAVX2(dst, src, stream)
			}
		},
		"SigmoidBackward": func() {
			if avx512 {
				sigmoidBackwardAVX512(dst, src, y, stream)
			} else {
				sigmoidBackwardAVX2(dst, src, y, stream)
			}
		},
		"Sigmoid64": func() {
			if avx512 {
				sigmoid64AVX512(dst64, src64, stream)
			} else {
				sigmoid64AVX2(dst64, src64, stream)
			}
		},
	}
	chunked := map[string]func(){
		"Sigmoid":         func() { pick(avx512, SigmoidAVX512, SigmoidAVX2)(dst, src) },
		"SigmoidBackward": func() { pick(avx512, SigmoidBackwardAVX512, SigmoidBackwardAVX2)(dst, src, y) },
		"Sigmoid64":       func() { pick(avx512, Sigmoid64AVX512, Sigmoid64AVX2)(dst64, src64) },
	}
	// sized runs the chunk loop with chunks of the given bytes.
	sized := func(name string, bytes int) func() {
		return func() {
			switch name {
			case "Sigmoid":
				d, s := dst, src
				c := bytes / 4
				for k := firstChunk(unsafe.Pointer(&d[0]), c, 4); len(d) > 0; k = c {
					k = min(k, len(d))
					pick(avx512, sigmoidAVX512Chunk, sigmoidAVX2Chunk)(d[:k], s[:k], stream)
					d, s = d[k:], s[k:]
				}
			case "SigmoidBackward":
				d, s, v := dst, src, y
				c := bytes / 4
				for k := firstChunk(unsafe.Pointer(&d[0]), c, 4); len(d) > 0; k = c {
					k = min(k, len(d))
					pick(avx512, sigmoidBackwardAVX512Chunk, sigmoidBackwardAVX2Chunk)(d[:k], s[:k], v[:k], stream)
					d, s, v = d[k:], s[k:], v[k:]
				}
			case "Sigmoid64":
				d, s := dst64, src64
				c := bytes / 8
				for k := firstChunk(unsafe.Pointer(&d[0]), c, 8); len(d) > 0; k = c {
					k = min(k, len(d))
					pick(avx512, sigmoid64AVX512Chunk, sigmoid64AVX2Chunk)(d[:k], s[:k], stream)
					d, s = d[k:], s[k:]
				}
			}
		}
	}
	for _, name := range []string{"Sigmoid", "SigmoidBackward", "Sigmoid64"} {
		fs := []struct {
			variant string
			f       func()
		}{{"whole", whole[name]}, {"chunked", chunked[name]}}
		for _, bytes := range []int{16 << 10, 256 << 10} {
			fs = append(fs, struct {
				variant string
				f       func()
			}{fmt.Sprintf("bytes=%d", bytes), sized(name, bytes)})
		}
		for _, v := range fs {
			b.Run(name+"/"+v.variant, func(b *testing.B) {
				v.f() // touch the pages
				b.SetBytes(n * 4)
				for b.Loop() {
					v.f()
				}
			})
		}
	}
}

// TestStreamThreshold checks the streaming threshold against the cache
// sizes: L3/16 elements, 2^21 on the Zen 5 it was tuned on (32 MiB), within
// [2^18, 2^23], and 2^21 without an L3; and that the functions use the
// one this CPU's L3 gives.
func TestStreamThreshold(t *testing.T) {
	for _, c := range []struct{ l3, want int }{
		{0, 1 << 21}, {-1, 1 << 21}, {32 << 20, 1 << 21}, {8 << 20, 1 << 19},
		{16 << 20, 1 << 20}, {1 << 20, 1 << 18}, {512 << 20, 1 << 23},
	} {
		if got := streamThreshold(c.l3); got != c.want {
			t.Errorf("streamThreshold(%d) = %d, want %d", c.l3, got, c.want)
		}
	}
	if want := streamThreshold(cpuid.CPU.Cache.L3); streamMin != want {
		t.Errorf("streamMin = %d, want %d for an L3 of %d bytes", streamMin, want, cpuid.CPU.Cache.L3)
	}
	t.Logf("L3 %d bytes: streaming from %d elements", cpuid.CPU.Cache.L3, streamMin)
}
