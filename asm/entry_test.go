//go:build !purego && (amd64 || arm64)

package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/simdsigmoid/sigmoid/internal/check/checktest"
)

// entry is one exported function of entry_*.go, with its chunk length and
// the fallback function that returns the same bits; one of the four pairs
// is set.
type entry struct {
	name                      string
	runs                      bool
	chunk                     int
	unary, unaryRef           func(dst, src []float32)
	backward, backwardRef     func(dx, dy, y []float32)
	unary64, unary64Ref       func(dst, src []float64)
	backward64, backward64Ref func(dx, dy, y []float64)
}

// TestEntriesListed checks that entries lists every exported function of
// this package that takes slices.
func TestEntriesListed(t *testing.T) {
	names := map[string]bool{}
	for _, e := range entries {
		names[e.name] = true
	}
	checktest.Listed(t, ".", names)
}

// TestEntriesPanic calls every exported function with bad slices: each
// must panic with a message naming it, before writing anything. On a CPU
// without the kernel's features, even valid slices must give a panic
// that says so.
func TestEntriesPanic(t *testing.T) {
	for _, e := range entries {
		if !e.runs {
			msg := checktest.PanicOf(func() { e.call(40) })
			if !strings.Contains(msg, "asm: "+e.name+": this CPU cannot run") {
				t.Errorf("%s on a CPU without its kernel: panic %q, want one saying it cannot run", e.name, msg)
			}
			t.Logf("%s: %s", e.name, msg)
			continue
		}
		switch {
		case e.unary != nil:
			checktest.Unary(t, "asm", e.name, e.unary)
		case e.backward != nil:
			checktest.Backward(t, "asm", e.name, e.backward)
		case e.unary64 != nil:
			checktest.Unary(t, "asm", e.name, e.unary64)
		default:
			checktest.Backward(t, "asm", e.name, e.backward64)
		}
		if msg := checktest.PanicOf(func() { e.call(40) }); msg != "" {
			t.Errorf("%s, valid slices: panic %q", e.name, msg)
		}
	}
}

// call runs e on valid slices of n elements.
func (e entry) call(n int) {
	switch {
	case e.unary != nil:
		e.unary(make([]float32, n), make([]float32, n))
	case e.backward != nil:
		e.backward(make([]float32, n), make([]float32, n), make([]float32, n))
	case e.unary64 != nil:
		e.unary64(make([]float64, n), make([]float64, n))
	default:
		e.backward64(make([]float64, n), make([]float64, n), make([]float64, n))
	}
}

// TestEntriesMatchFallback checks every function this CPU runs against
// package fallback, bit for bit: at every length to 70 and at three chunks
// and a bit (from an odd offset, so that the first chunk ends early), in
// place and not, on inputs that take every code (NaNs, infinities,
// subnormals, the tiny domain).
func TestEntriesMatchFallback(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	lengths := []int{}
	for n := range 71 {
		lengths = append(lengths, n)
	}
	// More than two chunks of any function (at most 128 KiB each).
	lengths = append(lengths, 2*(128<<10)/4+77)
	special := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), 5e-324, 1e-40, -100, -800, 100, 800, 0.5}
	value := func() float64 {
		if rng.IntN(8) == 0 {
			return special[rng.IntN(len(special))]
		}
		return (rng.Float64()*2 - 1) * 120
	}
	for _, e := range entries {
		if !e.runs {
			continue
		}
		for _, n := range lengths {
			for _, inPlace := range []bool{false, true} {
				if err := matchOnce(e, n, inPlace, value); err != nil {
					t.Errorf("%s n=%d in place=%v: %v", e.name, n, inPlace, err)
					break
				}
			}
		}
	}
}

func matchOnce(e entry, n int, inPlace bool, value func() float64) error {
	switch {
	case e.unary != nil || e.backward != nil:
		return match(e.unary, e.unaryRef, e.backward, e.backwardRef, n, inPlace, value, func(v float32) uint64 { return uint64(math.Float32bits(v)) })
	default:
		return match(e.unary64, e.unary64Ref, e.backward64, e.backward64Ref, n, inPlace, value, math.Float64bits)
	}
}

// match runs unary (if set) or backward on n values at an offset, in
// place or not, and compares each result's bits with the reference's.
func match[F float](unary, unaryRef func(dst, src []F), backward, backwardRef func(dx, dy, y []F), n int, inPlace bool, value func() float64, bits func(F) uint64) error {
	const off = 3
	x, dy := make([]F, n+off), make([]F, n)
	for i := range x {
		x[i] = F(value())
	}
	for i := range dy {
		dy[i] = F(value())
	}
	x = x[off:]
	want, got := make([]F, n), make([]F, n)
	if inPlace {
		got = slices.Clone(x)
	}
	if unary != nil {
		unaryRef(want, x)
		unary(got, pick(inPlace, got, x))
	} else {
		backwardRef(want, dy, x)
		backward(got, dy, pick(inPlace, got, x))
	}
	for i := range want {
		if bits(got[i]) != bits(want[i]) {
			return fmt.Errorf("element %d (x=%v): %#x, fallback %#x", i, x[i], bits(got[i]), bits(want[i]))
		}
	}
	return nil
}

// pick is a if c is set, else b.
func pick[F any](c bool, a, b F) F {
	if c {
		return a
	}
	return b
}
