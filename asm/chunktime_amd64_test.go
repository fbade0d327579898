//go:build !purego && !race

package asm

import (
	"math"
	"testing"
	"time"
)

// chunkTimeLimit is twice the time package doc and chunk.go promise for a
// chunk on the slowest inputs (100 µs on AVX2, AMD Zen 1): the margin is
// for a machine busy with other tests, the fastest of several calls
// being timed.
const chunkTimeLimit = 200 * time.Microsecond

// TestChunkTime times one chunk of every function this CPU runs, on the
// inputs that make it slowest (a NaN in every vector, sending every block
// to the safe code; the other inputs over the whole range, tiny and
// saturated ones included): the fastest of 9 calls must be within
// chunkTimeLimit, so that the stop-the-world the chunking bounds stays
// bounded as the algorithm changes. It logs each time; -short and -race
// skip it.
func TestChunkTime(t *testing.T) {
	if testing.Short() {
		t.Skip("times the assembly: not under -short (CI's emulated legs)")
	}
	for _, e := range entries {
		if !e.runs {
			continue
		}
		n := e.chunk
		x, dy := make([]float64, n), make([]float64, n)
		x32, dy32 := make([]float32, n), make([]float32, n)
		for i := range x {
			x[i] = -745 + float64(i%97)*745/200*2
			dy[i] = math.Ldexp(1, i%300-150)
			if i%4 == 3 {
				x[i] = math.NaN()
			}
			x32[i] = float32(x[i] / 8)
			dy32[i] = float32(math.Ldexp(1, i%250-125))
		}
		out, out32 := make([]float64, n), make([]float32, n)
		other, other32 := make([]float64, n), make([]float32, n) // a second output
		best := time.Hour
		for range 9 {
			t0 := time.Now()
			switch {
			case e.unary != nil:
				e.unary(out32, x32)
			case e.backward != nil:
				e.backward(out32, dy32, x32)
			case e.ternary != nil:
				e.ternary(out32, dy32, x32, dy32)
			case e.dual != nil:
				e.dual(out32, other32, dy32, dy32, x32)
			case e.unary64 != nil:
				e.unary64(out, x)
			case e.backward64 != nil:
				e.backward64(out, dy, x)
			case e.ternary64 != nil:
				e.ternary64(out, dy, x, dy)
			default:
				e.dual64(out, other, dy, dy, x)
			}
			best = min(best, time.Since(t0))
		}
		t.Logf("%s: %d elements in %v", e.name, n, best)
		if best > chunkTimeLimit {
			t.Errorf("%s: one chunk (%d elements) of the slowest inputs took %v, more than %v: lower its slowNs-derived chunk in internal/gen", e.name, n, best, chunkTimeLimit)
		}
	}
}
