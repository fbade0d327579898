package kernels_test

import (
	"fmt"
	"go/parser"
	"go/token"
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
	bothTypes(t, testPanicsLengths[float32], testPanicsLengths[float64])
}

func testPanicsLengths[F float](t *testing.T) {
	prefix := "kernels: " + sigmoidName[F]() + ":"
	for _, im := range impls[F]() {
		t.Run(im.name, func(t *testing.T) {
			for _, c := range []struct{ nd, ns int }{{7, 13}, {13, 7}, {0, 1}, {1, 0}, {16, 17}, {4096, 4095}} {
				dst := make([]F, c.nd)
				src := make([]F, c.ns)
				fillCanary(dst)
				msg, panicked := panicOf(func() { im.sigmoid(dst, src) })
				if !panicked {
					t.Errorf("len(dst) %d, len(src) %d: no panic", c.nd, c.ns)
					continue
				}
				want := fmt.Sprintf("%s len(dst) = %d, len(src) = %d: lengths differ", prefix, c.nd, c.ns)
				if msg != want {
					t.Errorf("len(dst) %d, len(src) %d: panic %q, want %q", c.nd, c.ns, msg, want)
				}
				if i := firstTouched(dst); i >= 0 {
					t.Errorf("len(dst) %d, len(src) %d: panicked after writing dst[%d]", c.nd, c.ns, i)
				}
			}
			// nil against non-empty.
			for _, c := range []struct{ dst, src []F }{{nil, make([]F, 3)}, {make([]F, 3), nil}} {
				msg, panicked := panicOf(func() { im.sigmoid(c.dst, c.src) })
				if !panicked || !strings.HasPrefix(msg, prefix) || !strings.Contains(msg, "0") || !strings.Contains(msg, "3") {
					t.Errorf("len(dst) %d, len(src) %d (one nil): panic %q (%v)", len(c.dst), len(c.src), msg, panicked)
				}
			}
		})
	}
}

func TestPanicsOverlap(t *testing.T) {
	bothTypes(t, testPanicsOverlap[float32], testPanicsOverlap[float64])
}

func testPanicsOverlap[F float](t *testing.T) {
	prefix := "kernels: " + sigmoidName[F]() + ":"
	for _, im := range impls[F]() {
		t.Run(im.name, func(t *testing.T) {
			buf := make([]F, 64)
			cases := []struct {
				name     string
				dst, src []F
			}{
				{"dst ends 1 into src", buf[0:10], buf[9:19]},
				{"src ends 1 into dst", buf[9:19], buf[0:10]},
				{"dst one after src", buf[1:11], buf[0:10]},
				{"dst one before src", buf[0:10], buf[1:11]},
				{"length 2, shifted 1", buf[20:22], buf[21:23]},
				{"long, dst ends 1 into src", buf[0:32], buf[31:63]},
			}
			for _, c := range cases {
				fillCanary(buf)
				msg, panicked := panicOf(func() { im.sigmoid(c.dst, c.src) })
				want := fmt.Sprintf("%s dst and src (len %d) partially overlap", prefix, len(c.dst))
				if !panicked {
					t.Errorf("%s: no panic", c.name)
				} else if !strings.HasPrefix(msg, want) {
					t.Errorf("%s: panic %q, want one starting %q", c.name, msg, want)
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
	bothTypes(t, testNoPanic[float32], testNoPanic[float64])
}

func testNoPanic[F float](t *testing.T) {
	for _, im := range impls[F]() {
		t.Run(im.name, func(t *testing.T) {
			buf := make([]F, 64)
			run := func(name string, dst, src []F) {
				if msg, panicked := panicOf(func() { im.sigmoid(dst, src) }); panicked {
					t.Errorf("%s: panic %q", name, msg)
				}
			}
			// Identical slices, including ones with different capacities.
			for i := range buf {
				buf[i] = F(i) - 32
			}
			run("in place", buf[3:40], buf[3:40])
			run("in place, different caps", buf[40:50:50], buf[40:50])
			for i, x := range buf {
				want := F(i) - 32
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
			run("empty, nil", []F{}, nil)
			run("nil, empty", nil, []F{})
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

// TestAllocs checks that no function allocates: Sigmoid and
// SigmoidBackward, of both element types, out of place and in place.
func TestAllocs(t *testing.T) {
	bothTypes(t, testAllocs[float32], testAllocs[float64])
}

func testAllocs[F float](t *testing.T) {
	for _, im := range impls[F]() {
		for _, n := range []int{0, 1, 17, 1000, 4097} {
			src := mixedInputs[F](n, 3)
			dst := make([]F, n)
			dy, y := backwardInputs[F](n, 3)
			for _, c := range []struct {
				what string
				call func()
			}{
				{sigmoidName[F](), func() { im.sigmoid(dst, src) }},
				{sigmoidName[F]() + " in place", func() { im.sigmoid(dst, dst) }},
				{backwardName[F](), func() { im.backward(dst, dy, y) }},
				{backwardName[F]() + " in place on dy", func() { im.backward(dy, dy, y) }},
				{backwardName[F]() + " in place on y", func() { im.backward(y, dy, y) }},
			} {
				if a := testing.AllocsPerRun(20, c.call); a != 0 {
					t.Errorf("%s: %s, n=%d: %v allocations per call, want 0", im.name, c.what, n, a)
				}
			}
		}
	}
}

// TestConcurrent has many goroutines run every function on one shared
// read-only input into their own outputs, which must match a serial run of
// the same call bit for bit. Run it under -race. (The length varies, and
// with it which elements share a block: an element's last bit may depend
// on whether its block took the fast or the safe code.)
func TestConcurrent(t *testing.T) {
	bothTypes(t, testConcurrent[float32], testConcurrent[float64])
}

func testConcurrent[F float](t *testing.T) {
	const goroutines, rounds, tails = 16, 20, 64
	src := mixedInputs[F](4097, 4)
	is := impls[F]()
	// want[j][d] is impl j's serial result on src[:len(src)-d].
	want := make([][][]F, len(is))
	for j, im := range is {
		for d := range tails {
			w := make([]F, len(src)-d)
			im.sigmoid(w, src[:len(w)])
			want[j] = append(want[j], w)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan string, goroutines)
	for g := range goroutines {
		wg.Go(func() {
			dst := make([]F, len(src))
			for r := range rounds {
				for j, im := range is {
					d := (g*rounds + r) % tails // vary the tail
					n := len(src) - d
					im.sigmoid(dst[:n], src[:n])
					for i := range n {
						if !sameBits(dst[i], want[j][d][i]) {
							errs <- fmt.Sprintf("goroutine %d, %s, n=%d: dst[%d] = %s, serial run gave %s (x = %v)",
								g, im.name, n, i, hex(dst[i]), hex(want[j][d][i]), src[i])
							return
						}
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestUsesActive checks that the package-level functions give the same bits
// as the kernel Active names, for both element types and both passes.
func TestUsesActive(t *testing.T) {
	bothTypes(t, testUsesActive[float32], testUsesActive[float64])
}

func testUsesActive[F float](t *testing.T) {
	src := mixedInputs[F](10000, 5)
	dy, y := backwardAnyInputs[F](10000, 5)
	pkg := packageImpl[F]()
	got, gotB := make([]F, len(src)), make([]F, len(src))
	pkg.sigmoid(got, src)
	pkg.backward(gotB, dy, y)
	for _, k := range kernelImpls[F]() {
		if k.name != kernels.Active() {
			continue
		}
		want, wantB := make([]F, len(src)), make([]F, len(src))
		k.sigmoid(want, src)
		k.backward(wantB, dy, y)
		for i := range src {
			if !sameBits(got[i], want[i]) {
				t.Fatalf("%s(%v) = %s, but kernel %s gives %s", pkg.name, src[i], hex(got[i]), k.name, hex(want[i]))
			}
			if !sameBits(gotB[i], wantB[i]) {
				t.Fatalf("%s(dy=%v, y=%v) = %s, but kernel %s gives %s", backwardName[F](), dy[i], y[i], hex(gotB[i]), k.name, hex(wantB[i]))
			}
		}
		return
	}
	t.Fatalf("Active() = %q is not among Kernels()", kernels.Active())
}

// TestPanicMessages pins the exact messages, which name the function.
func TestPanicMessages(t *testing.T) {
	for _, c := range []struct {
		call func()
		want string
	}{
		{func() { kernels.Sigmoid64(make([]float64, 3), make([]float64, 4)) }, "kernels: Sigmoid64: len(dst) = 3, len(src) = 4: lengths differ"},
		{func() { kernels.Sigmoid(make([]float32, 3), make([]float32, 4)) }, "kernels: Sigmoid: len(dst) = 3, len(src) = 4: lengths differ"},
		{func() { kernels.SigmoidBackward64(make([]float64, 3), make([]float64, 3), make([]float64, 2)) }, "kernels: SigmoidBackward64: len(dx) = 3, len(dy) = 3, len(y) = 2: lengths differ"},
		{func() { b := make([]float64, 8); kernels.Sigmoid64(b[1:5], b[:4]) }, "kernels: Sigmoid64: dst and src (len 4) partially overlap: dst must be src itself or disjoint from it"},
		{func() { b := make([]float64, 8); kernels.SigmoidBackward64(b[1:5], b[:4], b[4:8]) }, "kernels: SigmoidBackward64: dx and dy (len 4) partially overlap: dx must be dy itself or disjoint from it"},
		{func() { b := make([]float64, 8); kernels.SigmoidBackward64(b[4:8], b[:4], b[7:]) }, "kernels: SigmoidBackward64: len(dx) = 4, len(dy) = 4, len(y) = 1: lengths differ"},
		{func() { b := make([]float64, 12); kernels.SigmoidBackward64(b[4:8], b[:4], b[7:11]) }, "kernels: SigmoidBackward64: dx and y (len 4) partially overlap: dx must be y itself or disjoint from it"},
		{func() { b := make([]float32, 8); kernels.SigmoidBackward(b[4:8], b[:4], b[7:]) }, "kernels: SigmoidBackward: len(dx) = 4, len(dy) = 4, len(y) = 1: lengths differ"},
	} {
		if msg, _ := panicOf(c.call); msg != c.want {
			t.Errorf("panic %q, want %q", msg, c.want)
		}
	}
}

// TestPackageDocNilEmpty checks that go doc says what TestNoPanic and the
// backward tests check: nil and empty slices are a no-op.
func TestPackageDocNilEmpty(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "kernels.go", nil, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		t.Skipf("no source: %v", err)
	}
	if doc := strings.Join(strings.Fields(f.Doc.Text()), " "); !strings.Contains(doc, "Nil and empty slices are a no-op.") {
		t.Errorf("the package doc does not say that nil and empty slices are a no-op:\n%s", f.Doc.Text())
	}
}
