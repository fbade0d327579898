//go:build !purego && (amd64 || arm64)

package asm

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/simdsigmoid/sigmoid/internal/check/checktest"
)

// sumEntry is one exported running sum of entry_*.go; one of sums and
// sums64 is set.
type sumEntry struct {
	name   string
	runs   bool
	sums   func(s *[16]float64, x []float32)
	sums64 func(s *[16]float64, x []float64)
}

// refSums is the order every kernel keeps: s[i%16] += float64(x[i]), i
// ascending.
func refSums[F float](s *[16]float64, x []F) {
	for i, v := range x {
		s[i%16] += float64(v)
	}
}

// TestSumsMatchReference checks every running sum this CPU runs against
// the order it documents, bit for bit: at every length to 100 and past
// two chunks, from every offset within a vector, with sums that start
// nonzero and values whose sums round (and NaNs and infinities, which
// must come through as the additions make them).
func TestSumsMatchReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	value := func() float64 {
		switch rng.IntN(64) {
		case 0:
			return math.NaN()
		case 1:
			return math.Inf(1 - 2*rng.IntN(2))
		}
		return (rng.Float64() - 0.25) * math.Exp2(float64(rng.IntN(60)-30))
	}
	lengths := []int{}
	for n := range 101 {
		lengths = append(lengths, n)
	}
	lengths = append(lengths, 2<<15+37)
	ran := 0
	for _, e := range sumEntries {
		if !e.runs {
			continue
		}
		ran++
		for _, n := range lengths {
			for off := range 8 {
				var start [16]float64
				for j := range start {
					start[j] = value()
					if math.IsNaN(start[j]) || math.IsInf(start[j], 0) {
						start[j] = 1.5
					}
				}
				want, got := start, start
				if e.sums != nil {
					x := make([]float32, n+off)
					for i := range x {
						x[i] = float32(value())
					}
					refSums(&want, x[off:])
					e.sums(&got, x[off:])
				} else {
					x := make([]float64, n+off)
					for i := range x {
						x[i] = value()
					}
					refSums(&want, x[off:])
					e.sums64(&got, x[off:])
				}
				for j := range want {
					if math.Float64bits(got[j]) != math.Float64bits(want[j]) && !(math.IsNaN(got[j]) && math.IsNaN(want[j])) {
						t.Fatalf("%s n=%d offset %d: sum %d is %v, want %v", e.name, n, off, j, got[j], want[j])
					}
				}
			}
		}
	}
	if ran == 0 {
		t.Skip("this CPU runs none of the kernels")
	}
}

// TestSumsPanic checks that a nil s panics with a message naming the
// function, and that on a CPU without the kernel's features every call
// does.
func TestSumsPanic(t *testing.T) {
	for _, e := range sumEntries {
		call := func(s *[16]float64) {
			if e.sums != nil {
				e.sums(s, make([]float32, 40))
			} else {
				e.sums64(s, make([]float64, 40))
			}
		}
		if !e.runs {
			if msg := checktest.PanicOf(func() { call(new([16]float64)) }); !strings.Contains(msg, "asm: "+e.name+": this CPU cannot run") {
				t.Errorf("%s on a CPU without its kernel: panic %q, want one saying it cannot run", e.name, msg)
			}
			continue
		}
		if msg := checktest.PanicOf(func() { call(nil) }); msg != "asm: "+e.name+": s is nil" {
			t.Errorf("%s(nil, …): panic %q", e.name, msg)
		}
		if msg := checktest.PanicOf(func() { call(new([16]float64)) }); msg != "" {
			t.Errorf("%s, valid arguments: panic %q", e.name, msg)
		}
	}
}
