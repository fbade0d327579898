package kernels_test

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/simdsigmoid/sigmoid/kernels"
)

// panicOf calls f and returns what it panicked with, as a string, and
// whether it panicked.
func panicOf(f func()) (msg string, panicked bool) {
	defer func() {
		if r := recover(); r != nil {
			msg, panicked = fmt.Sprint(r), true
		}
	}()
	f()
	return "", false
}

func TestPanicsLengths(t *testing.T) {
	for _, im := range impls() {
		t.Run(im.name, func(t *testing.T) {
			for _, c := range []struct{ nd, ns int }{{7, 13}, {13, 7}, {0, 1}, {1, 0}, {16, 17}, {4096, 4095}} {
				dst := make([]float32, c.nd)
				src := make([]float32, c.ns)
				fillCanary(dst)
				msg, panicked := panicOf(func() { im.f(dst, src) })
				if !panicked {
					t.Errorf("len(dst) %d, len(src) %d: no panic", c.nd, c.ns)
					continue
				}
				if !strings.HasPrefix(msg, "kernels: Sigmoid:") || !strings.Contains(msg, strconv.Itoa(c.nd)) || !strings.Contains(msg, strconv.Itoa(c.ns)) {
					t.Errorf("len(dst) %d, len(src) %d: panic %q, want one starting %q naming both lengths", c.nd, c.ns, msg, "kernels: Sigmoid:")
				}
				if i := firstTouched(dst); i >= 0 {
					t.Errorf("len(dst) %d, len(src) %d: panicked after writing dst[%d]", c.nd, c.ns, i)
				}
			}
			// nil against non-empty.
			for _, c := range []struct{ dst, src []float32 }{{nil, make([]float32, 3)}, {make([]float32, 3), nil}} {
				msg, panicked := panicOf(func() { im.f(c.dst, c.src) })
				if !panicked || !strings.HasPrefix(msg, "kernels: Sigmoid:") || !strings.Contains(msg, "0") || !strings.Contains(msg, "3") {
					t.Errorf("len(dst) %d, len(src) %d (one nil): panic %q (%v)", len(c.dst), len(c.src), msg, panicked)
				}
			}
		})
	}
}

func TestPanicsOverlap(t *testing.T) {
	for _, im := range impls() {
		t.Run(im.name, func(t *testing.T) {
			buf := make([]float32, 64)
			cases := []struct {
				name     string
				dst, src []float32
			}{
				{"dst ends 1 into src", buf[0:10], buf[9:19]},
				{"src ends 1 into dst", buf[9:19], buf[0:10]},
				{"dst one after src", buf[1:11], buf[0:10]},
				{"dst one before src", buf[0:10], buf[1:11]},
				{"length 2, shifted 1", buf[20:22], buf[21:23]},
				{"long, dst ends 1 into src", buf[0:40], buf[39:]},
			}
			for _, c := range cases {
				fillCanary(buf)
				msg, panicked := panicOf(func() { im.f(c.dst, c.src) })
				if !panicked {
					t.Errorf("%s: no panic", c.name)
				} else if !strings.HasPrefix(msg, "kernels: Sigmoid:") {
					t.Errorf("%s: panic %q, want one starting %q", c.name, msg, "kernels: Sigmoid:")
				}
				if i := firstTouched(buf); i >= 0 {
					t.Errorf("%s: panicked after writing buf[%d]", c.name, i)
				}
			}
		})
	}
}

// TestNoPanic covers what must not panic: identical slices (in place),
// adjacent disjoint ones, and empty or nil ones, which must not be written.
func TestNoPanic(t *testing.T) {
	for _, im := range impls() {
		t.Run(im.name, func(t *testing.T) {
			buf := make([]float32, 64)
			run := func(name string, dst, src []float32) {
				if msg, panicked := panicOf(func() { im.f(dst, src) }); panicked {
					t.Errorf("%s: panic %q", name, msg)
				}
			}
			// Identical slices, including ones with different capacities.
			for i := range buf {
				buf[i] = float32(i) - 32
			}
			run("in place", buf[3:40], buf[3:40])
			run("in place, different caps", buf[40:50:50], buf[40:50])
			for i, x := range buf {
				want := float32(i) - 32
				if i < 3 || i >= 50 {
					if x != want {
						t.Errorf("in place: buf[%d] = %v, want %v untouched", i, x, want)
					}
				} else if x <= 0 || x >= 1 {
					t.Errorf("in place: buf[%d] = %v, want sigmoid(%v)", i, x, want)
				}
			}
			// Adjacent, both ways.
			run("dst right after src", buf[10:20], buf[0:10])
			run("src right after dst", buf[0:10], buf[10:20])
			// Empty and nil: no-ops.
			fillCanary(buf)
			run("nil, nil", nil, nil)
			run("empty, nil", []float32{}, nil)
			run("nil, empty", nil, []float32{})
			run("empty, empty", buf[5:5], buf[5:5])
			run("empty, empty elsewhere", buf[5:5], buf[6:6])
			run("empty inside", buf[5:5], buf[0:0])
			run("empty at end", buf[64:], buf[64:])
			if i := firstTouched(buf); i >= 0 {
				t.Errorf("empty slices: buf[%d] written", i)
			}
		})
	}
}

func TestAllocs(t *testing.T) {
	for _, im := range impls() {
		for _, n := range []int{0, 1, 17, 1000, 4097} {
			src := mixedInputs(n, 3)
			dst := make([]float32, n)
			if a := testing.AllocsPerRun(20, func() { im.f(dst, src) }); a != 0 {
				t.Errorf("%s, n=%d: %v allocations per call, want 0", im.name, n, a)
			}
			if a := testing.AllocsPerRun(20, func() { im.f(dst, dst) }); a != 0 {
				t.Errorf("%s in place, n=%d: %v allocations per call, want 0", im.name, n, a)
			}
		}
	}
}

// TestConcurrent has many goroutines run every function on one shared
// read-only input into their own outputs, which must match a serial run bit
// for bit. Run it under -race.
func TestConcurrent(t *testing.T) {
	const goroutines, rounds = 16, 20
	src := mixedInputs(4097, 4)
	var want [][]float32
	for _, im := range impls() {
		w := make([]float32, len(src))
		im.f(w, src)
		want = append(want, w)
	}
	var wg sync.WaitGroup
	errs := make(chan string, goroutines)
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dst := make([]float32, len(src))
			for r := range rounds {
				for j, im := range impls() {
					n := len(src) - (g*rounds+r)%64 // vary the tail
					im.f(dst[:n], src[:n])
					for i := range n {
						if math.Float32bits(dst[i]) != math.Float32bits(want[j][i]) {
							errs <- fmt.Sprintf("goroutine %d, %s: dst[%d] = %#08x, serial run gave %#08x (x = %v)",
								g, im.name, i, math.Float32bits(dst[i]), math.Float32bits(want[j][i]), src[i])
							return
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestSigmoidUsesActive checks that kernels.Sigmoid gives the same bits as
// the kernel Active names.
func TestSigmoidUsesActive(t *testing.T) {
	src := mixedInputs(10000, 5)
	got := make([]float32, len(src))
	kernels.Sigmoid(got, src)
	for _, k := range kernels.Kernels() {
		if k.Name != kernels.Active() {
			continue
		}
		want := make([]float32, len(src))
		k.Sigmoid(want, src)
		for i := range src {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("Sigmoid(%v) = %#08x, but kernel %s gives %#08x", src[i], math.Float32bits(got[i]), k.Name, math.Float32bits(want[i]))
			}
		}
		return
	}
	t.Fatalf("Active() = %q is not among Kernels()", kernels.Active())
}
