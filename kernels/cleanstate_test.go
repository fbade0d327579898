//go:build amd64

package kernels_test

import (
	"math"
	"testing"
	"time"
)

// An AVX kernel that returns without VZEROUPPER leaves the upper halves of
// the YMM/ZMM registers dirty, and legacy-SSE code after it (all scalar
// float64 code the Go compiler emits) runs slower until something clears
// them: on Skylake and later Intel CPUs every SSE instruction then merges
// into the dirty upper bits, several times slower; Haswell and Broadwell
// pay a state transition; AMD's Zen CPUs pay nothing, so there the test
// below passes whatever the kernels do.

// sseInput is what sseWork computes on.
var sseInput = func() (xs [256]float64) {
	for i := range xs {
		xs[i] = 0.5 + float64(i)/64
	}
	return xs
}()

// sseSink keeps sseWork's result alive.
var sseSink float64

// sseWork is a scalar float64 loop over 256 values, repeated reps times:
// the compiler emits legacy-SSE MULSD, ADDSD, DIVSD and SQRTSD for it.
// (math.Exp would not do: its assembly uses VEX-encoded FMA instructions
// when the CPU has FMA, and those do not suffer from a dirty upper state.)
func sseWork(reps int) {
	s := 0.0
	for range reps {
		for _, x := range &sseInput {
			y := x*1.0009765625 + 0.25
			y = y*y + 1/(y+2)
			s += math.Sqrt(y)
		}
	}
	sseSink += s
}

// sseReps is how many times sseWork goes over its input per timing: a few
// tens of microseconds.
const sseReps = 16

// cleanUpper clears the upper register state the way Go code can: the
// runtime's memmove copies more than 256 bytes with AVX on CPUs that have
// it, and ends with VZEROUPPER.
func cleanUpper() { copy(cleanDst[:], cleanSrc[:]) }

var cleanSrc, cleanDst [4096]byte

// timeSSE returns how long sseWork(sseReps) takes, right after before().
func timeSSE(before func()) time.Duration {
	before()
	t0 := time.Now()
	sseWork(sseReps)
	return time.Since(t0)
}

// cleanStateRatio times the SSE loop after cleanUpper and after call,
// interleaved, rounds times each, and returns the ratio of the minima.
func cleanStateRatio(call func(), rounds int) (ratio float64, before, after time.Duration) {
	before, after = time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)
	for range rounds {
		before = min(before, timeSSE(cleanUpper))
		after = min(after, timeSSE(call))
	}
	return float64(after) / float64(before), before, after
}

// cleanStateCall is a kernel function called on a small slice.
type cleanStateCall struct {
	name string
	call func()
}

// cleanStateCalls returns the SIMD kernels' functions, float32 and
// float64, on slices of each length in ns (each call runs every code path
// that length takes, including the early exit for 0).
func cleanStateCalls(ns []int) []cleanStateCall {
	return append(cleanStateCallsOf[float32](ns), cleanStateCallsOf[float64](ns)...)
}

func cleanStateCallsOf[F float](ns []int) []cleanStateCall {
	var calls []cleanStateCall
	src := mixedInputs[F](128, 7)
	dy, y := backwardInputs[F](128, 8)
	dst := make([]F, 128)
	for _, k := range kernelImpls[F]() {
		if k.name == "generic" {
			continue
		}
		for _, n := range ns {
			calls = append(calls,
				cleanStateCall{sprintf("%s.%s/n=%d", k.name, sigmoidName[F](), n), func() { k.sigmoid(dst[:n], src[:n]) }},
				cleanStateCall{sprintf("%s.%s/n=%d", k.name, backwardName[F](), n), func() { k.backward(dst[:n], dy[:n], y[:n]) }})
		}
	}
	return calls
}

// TestCleanState fails if scalar SSE code runs more than 1.5 times slower
// right after a SIMD kernel call than after clearing the upper register
// state: the mark of a missing VZEROUPPER, on Intel CPUs. Each timing is
// the minimum of 30, interleaved, and a ratio over the bound is measured
// again twice before it counts.
func TestCleanState(t *testing.T) {
	if slow() {
		t.Skip("timing test: skipped with -short and -race")
	}
	if underQEMU() {
		t.Skip("timing test: qemu-user emulates no SSE/AVX transition penalty")
	}
	const (
		bound  = 1.5
		rounds = 30
	)
	calls := cleanStateCalls([]int{0, 1, 7, 8, 15, 16, 17, 100})
	if len(calls) == 0 {
		t.Skip("no SIMD kernels on this CPU")
	}
	sseWork(sseReps) // warm up
	for _, c := range calls {
		ratio, before, after := cleanStateRatio(c.call, rounds)
		for try := 0; ratio > bound && try < 2; try++ {
			ratio, before, after = cleanStateRatio(c.call, rounds)
		}
		if ratio > bound {
			t.Errorf("%s: scalar SSE code takes %v after it, %v after VZEROUPPER: %.2fx (> %.1fx): does the kernel return without VZEROUPPER?", c.name, after, before, ratio, bound)
		} else if testing.Verbose() {
			t.Logf("%s: %v after it, %v after VZEROUPPER: %.3fx", c.name, after, before, ratio)
		}
	}
}

// BenchmarkCleanState reports, per SIMD kernel function, how much slower
// scalar SSE code runs right after it than after VZEROUPPER: about 1 unless
// the kernel leaves the upper register state dirty (on Intel CPUs).
func BenchmarkCleanState(b *testing.B) {
	calls := cleanStateCalls([]int{1, 17})
	if len(calls) == 0 {
		b.Skip("no SIMD kernels on this CPU")
	}
	for _, c := range calls {
		b.Run(c.name, func(b *testing.B) {
			before, after := time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)
			for b.Loop() {
				before = min(before, timeSSE(cleanUpper))
				after = min(after, timeSSE(c.call))
			}
			b.ReportMetric(float64(after)/float64(before), "after/before")
			b.ReportMetric(float64(before.Nanoseconds()), "ns-clean")
			b.ReportMetric(float64(after.Nanoseconds()), "ns-after")
		})
	}
}
