//go:build !purego && (amd64 || arm64)

package asm

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// entry is one exported function of entry_*.go, with the fallback function
// that returns the same bits; one of the four pairs is set.
type entry struct {
	name                      string
	runs                      bool
	unary, unaryRef           func(dst, src []float32)
	backward, backwardRef     func(dx, dy, y []float32)
	unary64, unary64Ref       func(dst, src []float64)
	backward64, backward64Ref func(dx, dy, y []float64)
}

// call runs e on slices of n elements: the output at out, the inputs at
// in (offsets into one buffer each, so that they can overlap).
func (e entry) call(n, out, in int) {
	switch {
	case e.unary != nil:
		buf := make([]float32, 3*n+8)
		e.unary(buf[out:out+n], buf[in:in+n])
	case e.backward != nil:
		buf, dy := make([]float32, 3*n+8), make([]float32, n)
		e.backward(buf[out:out+n], dy, buf[in:in+n])
	case e.unary64 != nil:
		buf := make([]float64, 3*n+8)
		e.unary64(buf[out:out+n], buf[in:in+n])
	default:
		buf, dy := make([]float64, 3*n+8), make([]float64, n)
		e.backward64(buf[out:out+n], dy, buf[in:in+n])
	}
}

// panicOf runs f and returns the message it panicked with ("" if none).
func panicOf(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
			if msg == "" {
				msg = "(empty panic)"
			}
		}
	}()
	f()
	return ""
}

// TestEntriesListed checks that entries lists every exported function
// of this package that takes slices: the others (HasAVX2, StreamMin, …)
// take no arguments.
func TestEntriesListed(t *testing.T) {
	pkg, err := build.Default.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, e := range entries {
		listed[e.name] = true
	}
	fset := token.NewFileSet()
	var exported []string
	for _, name := range pkg.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(".", name), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv != nil || !fd.Name.IsExported() {
				continue
			}
			exported = append(exported, fd.Name.Name)
			if fd.Type.Params.NumFields() == 0 {
				continue
			}
			if !listed[fd.Name.Name] {
				t.Errorf("%s (%s) takes arguments and is not in entries", fd.Name.Name, name)
			}
		}
	}
	if len(exported) < len(entries) {
		t.Errorf("found %d exported functions, entries lists %d", len(exported), len(entries))
	}
	t.Logf("%d exported functions: %s", len(exported), strings.Join(exported, ", "))
}

// TestEntriesPanic calls every exported function with bad slices and
// checks that each panics with a message naming it, never touching memory
// it should not; on a CPU without the kernel's features, even valid slices
// must give a panic that says so.
func TestEntriesPanic(t *testing.T) {
	for _, e := range entries {
		bad := []struct {
			what          string
			n, out, in    int
			wantInMessage string
		}{
			{"partial overlap by one element", 40, 1, 0, "overlap"},
			{"partial overlap from below", 40, 0, 5, "overlap"},
		}
		for _, b := range bad {
			msg := panicOf(func() { e.call(b.n, b.out, b.in) })
			want := b.wantInMessage
			if !e.runs {
				want = "cannot run"
			}
			if !strings.Contains(msg, e.name) || !strings.Contains(msg, want) {
				t.Errorf("%s, %s: panic %q, want one naming it and saying %q", e.name, b.what, msg, want)
			}
		}
		// Lengths that differ.
		var msg string
		switch {
		case e.unary != nil:
			msg = panicOf(func() { e.unary(make([]float32, 3), make([]float32, 5)) })
		case e.backward != nil:
			msg = panicOf(func() { e.backward(make([]float32, 5), make([]float32, 5), make([]float32, 4)) })
		case e.unary64 != nil:
			msg = panicOf(func() { e.unary64(make([]float64, 5), make([]float64, 3)) })
		default:
			msg = panicOf(func() { e.backward64(make([]float64, 5), make([]float64, 6), make([]float64, 5)) })
		}
		if !strings.Contains(msg, e.name) || msg == "" {
			t.Errorf("%s, lengths that differ: panic %q, want one naming it", e.name, msg)
		}
		// Valid slices: a panic only where the CPU lacks the kernel.
		msg = panicOf(func() { e.call(40, 0, 50) })
		switch {
		case e.runs && msg != "":
			t.Errorf("%s, valid slices: panic %q", e.name, msg)
		case !e.runs && !strings.Contains(msg, "cannot run"):
			t.Errorf("%s on a CPU without its kernel: panic %q, want one saying it cannot run", e.name, msg)
		}
		if !e.runs {
			t.Logf("%s: %s", e.name, msg)
		}
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
	lengths = append(lengths, 2*backwardChunkLen32+77)
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
