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
// the fallback function that returns the same bits; one of the eight
// pairs is set.
type entry struct {
	name                      string
	runs                      bool
	chunk                     int
	unary, unaryRef           func(dst, src []float32)
	backward, backwardRef     func(dx, dy, y []float32)
	ternary, ternaryRef       func(out, a, b, c []float32)
	dual, dualRef             func(o1, o2, a, b, c []float32)
	unary64, unary64Ref       func(dst, src []float64)
	backward64, backward64Ref func(dx, dy, y []float64)
	ternary64, ternary64Ref   func(out, a, b, c []float64)
	dual64, dual64Ref         func(o1, o2, a, b, c []float64)
}

// anyInputs is a slice function of any number of inputs; a function of
// two outputs writes them to out's two halves.
type anyInputs[F float] func(out []F, in ...[]F)

func ofDual[F float](f func(o1, o2, a, b, c []F)) anyInputs[F] {
	return func(out []F, in ...[]F) {
		n := len(out) / 2
		f(out[:n:n], out[n:], in[0], in[1], in[2])
	}
}

func of1[F float](f func(dst, src []F)) anyInputs[F] {
	return func(out []F, in ...[]F) { f(out, in[0]) }
}

func of2[F float](f func(dx, dy, y []F)) anyInputs[F] {
	return func(out []F, in ...[]F) { f(out, in[0], in[1]) }
}

func of3[F float](f func(out, a, b, c []F)) anyInputs[F] {
	return func(out []F, in ...[]F) { f(out, in[0], in[1], in[2]) }
}

// f32 returns e and its reference as functions of any number of inputs,
// and the numbers of inputs and outputs, if e is a float32 function (else
// inputs is 0).
func (e entry) f32() (f, ref anyInputs[float32], inputs, outputs int) {
	switch {
	case e.unary != nil:
		return of1(e.unary), of1(e.unaryRef), 1, 1
	case e.backward != nil:
		return of2(e.backward), of2(e.backwardRef), 2, 1
	case e.ternary != nil:
		return of3(e.ternary), of3(e.ternaryRef), 3, 1
	case e.dual != nil:
		return ofDual(e.dual), ofDual(e.dualRef), 3, 2
	}
	return nil, nil, 0, 0
}

// f64 is f32 for the float64 functions.
func (e entry) f64() (f, ref anyInputs[float64], inputs, outputs int) {
	switch {
	case e.unary64 != nil:
		return of1(e.unary64), of1(e.unary64Ref), 1, 1
	case e.backward64 != nil:
		return of2(e.backward64), of2(e.backward64Ref), 2, 1
	case e.ternary64 != nil:
		return of3(e.ternary64), of3(e.ternary64Ref), 3, 1
	case e.dual64 != nil:
		return ofDual(e.dual64), ofDual(e.dual64Ref), 3, 2
	}
	return nil, nil, 0, 0
}

// TestEntriesListed checks that entries and sumEntries list every
// exported function of this package that takes slices.
func TestEntriesListed(t *testing.T) {
	names := map[string]bool{}
	for _, e := range entries {
		names[e.name] = true
	}
	for _, e := range sumEntries {
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
		case e.ternary != nil:
			checktest.Ternary(t, "asm", e.name, e.ternary)
		case e.dual != nil:
			checktest.Dual(t, "asm", e.name, e.dual)
		case e.unary64 != nil:
			checktest.Unary(t, "asm", e.name, e.unary64)
		case e.backward64 != nil:
			checktest.Backward(t, "asm", e.name, e.backward64)
		case e.ternary64 != nil:
			checktest.Ternary(t, "asm", e.name, e.ternary64)
		default:
			checktest.Dual(t, "asm", e.name, e.dual64)
		}
		if msg := checktest.PanicOf(func() { e.call(40) }); msg != "" {
			t.Errorf("%s, valid slices: panic %q", e.name, msg)
		}
	}
}

// call runs e on valid slices of n elements.
func (e entry) call(n int) {
	if f, _, k, o := e.f32(); k > 0 {
		f(make([]float32, o*n), slices.Repeat([][]float32{make([]float32, n)}, k)...)
		return
	}
	f, _, k, o := e.f64()
	f(make([]float64, o*n), slices.Repeat([][]float64{make([]float64, n)}, k)...)
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
	if f, ref, k, o := e.f32(); k > 0 {
		return match(f, ref, k, o, n, inPlace, value, func(v float32) uint64 { return uint64(math.Float32bits(v)) })
	}
	f, ref, k, o := e.f64()
	return match(f, ref, k, o, n, inPlace, value, math.Float64bits)
}

// match runs f on n values of each of its k inputs, the last at an
// offset, in place on that one (for the first of its o outputs) or not,
// and compares each result's bits with the reference's.
func match[F float](f, ref anyInputs[F], k, o, n int, inPlace bool, value func() float64, bits func(F) uint64) error {
	const off = 3
	ins := make([][]F, k)
	for j := range ins {
		ins[j] = make([]F, n+off)
		for i := range ins[j] {
			ins[j][i] = F(value())
		}
		ins[j] = ins[j][off:]
	}
	x := ins[k-1]
	want, got := make([]F, o*n), make([]F, o*n)
	ref(want, ins...)
	if inPlace {
		copy(got, x)
		ins[k-1] = got[:n]
	}
	f(got, ins...)
	for i := range want {
		if bits(got[i]) != bits(want[i]) {
			return fmt.Errorf("output %d element %d (x=%v): %#x, fallback %#x", i/n, i%n, x[i%n], bits(got[i]), bits(want[i]))
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
