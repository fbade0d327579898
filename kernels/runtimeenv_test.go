package kernels_test

import (
	"fmt"
	"math"
	"os"
	"slices"
	"sync"
	"testing"

	"github.com/simdsigmoid/sigmoid/internal/accuracy"
	"github.com/simdsigmoid/sigmoid/kernels"
)

// envFunc is one function under test in this file, with the inputs it
// takes: the package-level ones and every kernel's.
type envFunc struct {
	name     string
	backward bool
	sigmoid  func(dst, src []float32)
	back     func(dx, dy, y []float32)
}

func envFuncs() []envFunc {
	fs := []envFunc{
		{name: "Sigmoid", sigmoid: kernels.Sigmoid},
		{name: "SigmoidBackward", backward: true, back: kernels.SigmoidBackward},
	}
	for _, k := range kernels.Kernels() {
		fs = append(fs,
			envFunc{name: k.Name + ".Sigmoid", sigmoid: k.Sigmoid},
			envFunc{name: k.Name + ".SigmoidBackward", backward: true, back: k.SigmoidBackward})
	}
	return fs
}

// envInputs are the shared read-only inputs, their exact results and each
// function's serial results on all of them.
type envInputs struct {
	src, dy, y         []float32
	exactSig, exactBwd []float64
	serial             [][]float32 // per envFuncs() entry
}

func newEnvInputs(t *testing.T, n int) *envInputs {
	in := &envInputs{src: mixedInputs(n, 11)}
	in.dy, in.y = guardBackwardInputs(n, 12)
	in.exactSig = exacts(in.src)
	in.exactBwd = make([]float64, n)
	for i := range n {
		in.exactBwd[i] = guardBackwardExact(in.dy[i], in.y[i])
	}
	for _, f := range envFuncs() {
		out := make([]float32, n)
		in.call(f, out, 0, false)
		if msg := in.check(f, out, 0); msg != "" {
			t.Fatalf("serial run: %s", msg)
		}
		in.serial = append(in.serial, out)
	}
	return in
}

// call runs f on the n = len(out) inputs from index off, into out, or in
// place in out (on dy for SigmoidBackward).
func (in *envInputs) call(f envFunc, out []float32, off int, inPlace bool) {
	n := len(out)
	switch {
	case !f.backward && inPlace:
		copy(out, in.src[off:off+n])
		f.sigmoid(out, out)
	case !f.backward:
		f.sigmoid(out, in.src[off:off+n])
	case inPlace:
		copy(out, in.dy[off:off+n])
		f.back(out, out, in.y[off:off+n])
	default:
		f.back(out, in.dy[off:off+n], in.y[off:off+n])
	}
}

// check returns "" if out holds f's results for the inputs from index off
// (within the spec's bound of the exact values), or what is wrong.
func (in *envInputs) check(f envFunc, out []float32, off int) string {
	for i, got := range out {
		j := off + i
		if f.backward {
			if e := accuracy.ULP(got, in.exactBwd[j]); e > guardBackwardBound {
				return fmt.Sprintf("%s: dy=%v y=%v: got %v, want %v (%.2f ULP)", f.name, in.dy[j], in.y[j], got, in.exactBwd[j], e)
			}
		} else if why := accuracy.CheckExact(in.src[j], got, in.exactSig[j], bound); why != "" {
			return fmt.Sprintf("%s: %s", f.name, why)
		}
	}
	return ""
}

// TestConcurrentKernels has 16 goroutines call the package's Sigmoid and
// SigmoidBackward and every kernel's at once, each starting at another
// function, on shared read-only inputs and their own outputs, at varying
// lengths and offsets, out of place and in place. Each result must be the
// serial run's bits or within the spec's bound, and the inputs unchanged.
// Run it under -race.
func TestConcurrentKernels(t *testing.T) {
	const goroutines = 16
	rounds := 12
	if slow() {
		rounds = 4
	}
	const size = 4097 + 64
	in := newEnvInputs(t, size)
	srcCopy, dyCopy, yCopy := slices.Clone(in.src), slices.Clone(in.dy), slices.Clone(in.y)
	fs := envFuncs()

	start := make(chan struct{})
	errs := make(chan string, goroutines)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			buf := make([]float32, size)
			<-start
			for r := range rounds {
				for j := range fs {
					fi := (j + g) % len(fs)
					f := fs[fi]
					seed := g*1009 + r*101 + j
					n, off := 4097-seed%97, seed%64
					inPlace := (seed/3)%2 == 1
					out := buf[:n]
					in.call(f, out, off, inPlace)
					want := in.serial[fi][off : off+n]
					for i := range out {
						if math.Float32bits(out[i]) != math.Float32bits(want[i]) {
							if msg := in.check(f, out, off); msg != "" {
								errs <- fmt.Sprintf("goroutine %d, round %d, n=%d, offset %d, in place %v: %s", g, r, n, off, inPlace, msg)
								return
							}
							break
						}
					}
				}
			}
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	for _, c := range []struct {
		name      string
		got, want []float32
	}{{"src", in.src, srcCopy}, {"dy", in.dy, dyCopy}, {"y", in.y, yCopy}} {
		if !slices.EqualFunc(c.got, c.want, func(a, b float32) bool { return math.Float32bits(a) == math.Float32bits(b) }) {
			t.Errorf("the shared input %s changed", c.name)
		}
	}
}

// TestEnvChangeAtRuntime sets SIGMOID_KERNEL, while the process runs, to
// every kernel name and to names of none, and unsets it: the kernel is
// chosen once at init, so Active, Available, Kernels and every result must
// stay as they were. The environment is restored afterwards.
func TestEnvChangeAtRuntime(t *testing.T) {
	active, avail := kernels.Active(), kernels.Available()
	var names []string
	for _, k := range kernels.Kernels() {
		names = append(names, k.Name)
	}
	in := newEnvInputs(t, 1000)
	fs := envFuncs()

	// t.Setenv restores the old value (or its absence) when the test ends.
	old, wasSet := os.LookupEnv("SIGMOID_KERNEL")
	t.Setenv("SIGMOID_KERNEL", old)
	if !wasSet {
		os.Unsetenv("SIGMOID_KERNEL")
	}

	settings := append(slices.Clone(avail), "avx512", "avx2", "neon", "generic", "bogus", "", "unset")
	for _, v := range settings {
		if v == "unset" {
			os.Unsetenv("SIGMOID_KERNEL")
		} else {
			os.Setenv("SIGMOID_KERNEL", v)
		}
		if got := kernels.Active(); got != active {
			t.Errorf("SIGMOID_KERNEL=%q set at run time: Active() = %q, was %q", v, got, active)
		}
		if got := kernels.Available(); !slices.Equal(got, avail) {
			t.Errorf("SIGMOID_KERNEL=%q set at run time: Available() = %v, was %v", v, got, avail)
		}
		var got []string
		for _, k := range kernels.Kernels() {
			got = append(got, k.Name)
		}
		if !slices.Equal(got, names) {
			t.Errorf("SIGMOID_KERNEL=%q set at run time: Kernels() names %v, was %v", v, got, names)
		}
		for fi, f := range fs {
			out := make([]float32, len(in.src))
			in.call(f, out, 0, false)
			for i := range out {
				if math.Float32bits(out[i]) != math.Float32bits(in.serial[fi][i]) {
					t.Errorf("SIGMOID_KERNEL=%q set at run time: %s: element %d = %#08x, was %#08x", v, f.name, i, math.Float32bits(out[i]), math.Float32bits(in.serial[fi][i]))
					break
				}
			}
		}
	}
}
