//go:build linux && !purego

package asm

import (
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestChunkingCost is an A/B comparison at n = 2^24 of one assembly call
// on the whole slices against the chunk loop, the two alternating call by
// call (so that a noisy machine's load hits both alike), timed by the
// thread's CPU time (CLOCK_THREAD_CPUTIME_ID: the time the OS gives other
// processes is left out) and by the wall clock: it logs the medians and the
// median of the paired ratios. It runs only with SIGMOID_CHUNK_AB=1:
//
//	SIGMOID_CHUNK_AB=1 go test -run TestChunkingCost -v ./asm/
func TestChunkingCost(t *testing.T) {
	if os.Getenv("SIGMOID_CHUNK_AB") != "1" {
		t.Skip("set SIGMOID_CHUNK_AB=1 to run")
	}
	if !hasAVX2 {
		t.Skip("no SIMD kernel")
	}
	const n, rounds = 1 << 24, 150
	avx512 := hasAVX512
	kernel := pick(avx512, "avx512", "avx2")
	stream := n >= streamMin
	rng := rand.New(rand.NewPCG(1, 2))
	src, dst, y := make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range src {
		src[i] = rng.Float32()*32 - 16
		y[i] = rng.Float32()
	}
	src64, dst64 := make([]float64, n), make([]float64, n)
	for i := range src64 {
		src64[i] = rng.Float64()*32 - 16
	}
	type pair struct {
		name         string
		whole, chunk func()
	}
	pairs := []pair{
		{"Sigmoid", func() {
			if avx512 {
				sigmoidAVX512(dst, src, stream)
			} else {
				sigmoidAVX2(dst, src, stream)
			}
		}, func() { pick(avx512, SigmoidAVX512, SigmoidAVX2)(dst, src) }},
		{"SigmoidBackward", func() {
			if avx512 {
				sigmoidBackwardAVX512(dst, src, y, stream)
			} else {
				sigmoidBackwardAVX2(dst, src, y, stream)
			}
		}, func() { pick(avx512, SigmoidBackwardAVX512, SigmoidBackwardAVX2)(dst, src, y) }},
		{"Sigmoid64", func() {
			if avx512 {
				sigmoid64AVX512(dst64, src64, stream)
			} else {
				sigmoid64AVX2(dst64, src64, stream)
			}
		}, func() { pick(avx512, Sigmoid64AVX512, Sigmoid64AVX2)(dst64, src64) }},
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cpuNow := func() time.Duration {
		var ts unix.Timespec
		if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
			t.Fatal(err)
		}
		return time.Duration(ts.Nano())
	}
	var wall []time.Duration // the wall-clock time of the last call timed
	timeIt := func(f func()) time.Duration {
		t0, c0 := time.Now(), cpuNow()
		f()
		c := cpuNow() - c0
		wall = append(wall, time.Since(t0))
		return c
	}
	for _, p := range pairs {
		p.whole()
		p.chunk()
		var w, c, ww, wc []time.Duration
		var ratios []float64
		for r := range rounds {
			var dw, dc time.Duration
			wall = wall[:0]
			if r%2 == 0 {
				dw, dc = timeIt(p.whole), timeIt(p.chunk)
				ww, wc = append(ww, wall[0]), append(wc, wall[1])
			} else {
				dc, dw = timeIt(p.chunk), timeIt(p.whole)
				wc, ww = append(wc, wall[0]), append(ww, wall[1])
			}
			w, c = append(w, dw), append(c, dc)
			ratios = append(ratios, float64(dc)/float64(dw))
		}
		for _, d := range [][]time.Duration{w, c, ww, wc} {
			slices.Sort(d)
		}
		slices.Sort(ratios)
		m := rounds / 2
		t.Logf("%s %s n=2^24, %d alternating calls each: thread CPU time: whole median %v, chunked median %v (%+.2f%%), median of the paired ratios %.4f; wall clock: whole %v, chunked %v (%+.2f%%)",
			kernel, p.name, rounds, w[m], c[m], 100*(float64(c[m])/float64(w[m])-1), ratios[m],
			ww[m], wc[m], 100*(float64(wc[m])/float64(ww[m])-1))
	}
}
