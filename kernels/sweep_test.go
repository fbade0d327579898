package kernels_test

import (
	"math"
	"sync"
	"testing"

	"github.com/simdsigmoid/sigmoid/kernels"
)

// backwardSweep is a float32 backward pass under an exhaustive sweep: its
// name, its second input's name (x or y), the pass as each kernel runs it
// and the check of one result (its error in ULPs, and what is wrong).
type backwardSweep struct {
	name, second string
	run          func(k kernels.Kernel) func(dx, dy, x []float32)
	check        func(dy, x, got float32) (float64, string)
}

// backwardMirror is a second backward pass, its name and the pass as each
// kernel runs it, that must return on dy and -x the bits of a
// backwardSweep's pass on dy and x, except where x is NaN: there its
// result must pass the sweep's check on dy and -x (the NaN rule on its own
// input). LogSigmoidBackward mirrors SoftplusBackward so.
type backwardMirror struct {
	name string
	run  func(k kernels.Kernel) func(dx, dy, x []float32)
}

// sweepBackward runs b on all 2^32 bit patterns of its second input, each
// with a dy from hashedDy: the generic kernel's results checked by
// b.check, every other kernel's compared with them bit for bit, in one
// pass. It runs only with SIGMOID_EXHAUSTIVE=1 or -exhaustive.
func sweepBackward(t *testing.T, b backwardSweep) { sweepBackwardMirrored(t, b, nil) }

// sweepBackwardMirrored is sweepBackward that also checks, in the same
// pass and at the cost of one more call per kernel and chunk, the mirror
// m (if not nil) of every kernel but the generic one against the generic
// kernel's b: the generic kernel is the slow part of a sweep, and
// TestSameBitsSweep compares its m with the others' on every run.
func sweepBackwardMirrored(t *testing.T, b backwardSweep, m *backwardMirror) {
	if !exhaustiveRun() {
		t.Skipf("set SIGMOID_EXHAUSTIVE=1 or pass -exhaustive to check all 2^32 %s", b.second)
	}
	const chunk = 1 << 16
	ks := genericFirst(kernels.Kernels())
	var (
		mu     sync.Mutex
		worst  float64
		worstX float32
		bad    int
		first  string
	)
	fail := func(why string) {
		mu.Lock()
		if bad++; first == "" {
			first = why
		}
		mu.Unlock()
	}
	inParallel(1<<32/chunk, func() (func(j uint64), func()) {
		x, dy, dx, other := make([]float32, chunk), make([]float32, chunk), make([]float32, chunk), make([]float32, chunk)
		var neg []float32 // -x, for m
		if m != nil {
			neg = make([]float32, chunk)
		}
		var myWorst float64
		var myX float32
		merge := func() {
			if myWorst > worst {
				worst, worstX = myWorst, myX
			}
		}
		return func(j uint64) {
			start := j * chunk
			for i := range x {
				x[i] = math.Float32frombits(uint32(start + uint64(i)))
				dy[i] = float32(hashedDy(start + uint64(i)))
			}
			b.run(ks[0])(dx, dy, x)
			for _, k := range ks[1:] {
				b.run(k)(other, dy, x)
				for i := range other {
					if !sameBits(other[i], dx[i]) {
						fail(sprintf("%s: %s=%s dy=%s gave %s, %s %s", k.Name(), b.second, hex(x[i]), hex(dy[i]), hex(other[i]), ks[0].Name(), hex(dx[i])))
					}
				}
			}
			if m != nil {
				for i, v := range x {
					neg[i] = -v
				}
				for _, k := range ks[1:] {
					m.run(k)(other, dy, neg)
					for i := range other {
						if sameBits(other[i], dx[i]) {
							continue
						}
						if x[i] != x[i] {
							if _, why := b.check(dy[i], neg[i], other[i]); why != "" {
								fail(sprintf("%s %s: %s", k.Name(), m.name, why))
							}
							continue
						}
						fail(sprintf("%s: %s=%s dy=%s: %s gave %s on -%s, %s %s on %s", k.Name(), b.second, hex(x[i]), hex(dy[i]),
							m.name, hex(other[i]), b.second, ks[0].Name(), hex(dx[i]), b.second))
					}
				}
			}
			for i := range x {
				u, why := b.check(dy[i], x[i], dx[i])
				if why != "" {
					fail(why)
				} else if u > myWorst {
					myWorst, myX = u, x[i]
				}
			}
		}, merge
	})
	mirrored := ""
	if m != nil {
		mirrored = sprintf("; %s on -%s compared bit for bit on %d kernels", m.name, b.second, len(ks)-1)
	}
	t.Logf("%s: all 2^32 %s, dy uniform in [-1, 1): %s max %.4f ULP at %s=%v (%s); %d other kernels compared bit for bit%s; %d violations",
		b.name, b.second, ks[0].Name(), worst, b.second, worstX, hex(worstX), len(ks)-1, mirrored, bad)
	if bad != 0 {
		t.Errorf("%d violations, first: %s", bad, first)
	}
}
