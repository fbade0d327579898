package kernels_test

import (
	"fmt"
	"os"
	"slices"
	"sync"
	"testing"

	"github.com/simdsigmoid/sigmoid/kernels"
)

// envFunc is one function under test in this file: the package-level ones
// and every kernel's, of both element types and both passes.
type envFunc struct {
	name string
	// newRunner returns a runner with an output buffer of its own.
	newRunner func() envRunner
}

// An envRunner runs its function on the n inputs from index off of the
// shared inputs, into its buffer (or in place there: on dy for the
// backward pass). It reports whether the results are the serial run's
// bits, and if not what is wrong with them ("" if they are within the
// spec all the same).
type envRunner func(off, n int, inPlace bool) (same bool, why string)

// envSet is the functions under test and their shared read-only inputs.
type envSet struct {
	fs []envFunc
	// unchanged returns "" if the shared inputs still hold what they did.
	unchanged []func() string
}

// newEnvSet makes the inputs (n of each) and runs every function on them
// serially, checking the results against the spec.
func newEnvSet(t *testing.T, n int) *envSet {
	e := &envSet{}
	addEnvFuncs[float32](t, e, n)
	addEnvFuncs[float64](t, e, n)
	return e
}

func addEnvFuncs[F float](t *testing.T, e *envSet, n int) {
	src := mixedInputs[F](n, 11)
	dy, y := backwardInputs[F](n, 12)
	srcCopy, dyCopy, yCopy := slices.Clone(src), slices.Clone(dy), slices.Clone(y)
	e.unchanged = append(e.unchanged, func() string {
		for _, c := range []struct {
			name      string
			got, want []F
		}{{"src", src, srcCopy}, {"dy", dy, dyCopy}, {"y", y, yCopy}} {
			if !slices.EqualFunc(c.got, c.want, sameBits) {
				return fmt.Sprintf("the shared input %s ([]%T) changed", c.name, c.got[0])
			}
		}
		return ""
	})
	ims := []impl[F]{packageImpl[F]()}
	prefixes := []string{""}
	for _, k := range kernelImpls[F]() {
		ims = append(ims, k)
		prefixes = append(prefixes, k.name+".")
	}
	for i, im := range ims {
		sName, bName := prefixes[i]+sigmoidName[F](), prefixes[i]+backwardName[F]()
		sig := newSigmoidRef(t, "serial run of "+sName, im.sigmoid, src, nil)
		back := newBackwardRef(t, "serial run of "+bName, im.backward, dy, y, nil)
		e.fs = append(e.fs,
			envFunc{sName, func() envRunner {
				buf := make([]F, n)
				return func(off, m int, inPlace bool) (bool, string) {
					out := buf[:m]
					if inPlace {
						copy(out, src[off:off+m])
						im.sigmoid(out, out)
					} else {
						im.sigmoid(out, src[off:off+m])
					}
					return compareRef(out, sig.want[off:], func(i int) string { return sig.why(off+i, out[i]) })
				}
			}},
			envFunc{bName, func() envRunner {
				buf := make([]F, n)
				return func(off, m int, inPlace bool) (bool, string) {
					out := buf[:m]
					if inPlace {
						copy(out, dy[off:off+m])
						im.backward(out, out, y[off:off+m])
					} else {
						im.backward(out, dy[off:off+m], y[off:off+m])
					}
					return compareRef(out, back.want[off:], func(i int) string { return back.why(off+i, out[i]) })
				}
			}})
	}
}

// compareRef compares out with want bit for bit; at the first difference it
// returns what why says of that element.
func compareRef[F float](out, want []F, why func(i int) string) (same bool, msg string) {
	for i := range out {
		if !sameBits(out[i], want[i]) {
			if msg = why(i); msg != "" {
				msg = fmt.Sprintf("element %d: %s", i, msg)
			}
			return false, msg
		}
	}
	return true, ""
}

// checkUnchanged fails the test if a shared input changed.
func (e *envSet) checkUnchanged(t *testing.T) {
	for _, f := range e.unchanged {
		if msg := f(); msg != "" {
			t.Error(msg)
		}
	}
}

// TestConcurrentKernels has 16 goroutines call the package's functions and
// every kernel's, float32 and float64, forward and backward, at once, each
// starting at another function, on shared read-only inputs and their own
// outputs, at varying lengths and offsets, out of place and in place. Each
// result must be the serial run's bits or within the spec's bound, and the
// inputs unchanged. Run it under -race.
func TestConcurrentKernels(t *testing.T) {
	const goroutines = 16
	rounds := 12
	if slow() {
		rounds = 4
	}
	const size = 4097 + 64
	e := newEnvSet(t, size)
	fs := e.fs

	start := make(chan struct{})
	errs := make(chan string, goroutines)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			runners := make([]envRunner, len(fs))
			for i, f := range fs {
				runners[i] = f.newRunner()
			}
			<-start
			for r := range rounds {
				for j := range fs {
					fi := (j + g) % len(fs)
					seed := g*1009 + r*101 + j
					n, off := 4097-seed%97, seed%64
					inPlace := (seed/3)%2 == 1
					if _, msg := runners[fi](off, n, inPlace); msg != "" {
						errs <- fmt.Sprintf("goroutine %d, round %d, %s, n=%d, offset %d, in place %v: %s", g, r, fs[fi].name, n, off, inPlace, msg)
						return
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
	e.checkUnchanged(t)
}

// TestEnvChangeAtRuntime sets SIGMOID_KERNEL, while the process runs, to
// every kernel name and to names of none, and unsets it: the kernel is
// chosen once at init, so Active, Available, Kernels and every result must
// stay as they were. The environment is restored afterwards.
func TestEnvChangeAtRuntime(t *testing.T) {
	active, avail := kernels.Active(), kernels.Available()
	var names []string
	for _, k := range kernels.Kernels() {
		names = append(names, k.Name())
	}
	e := newEnvSet(t, 1000)
	runners := make([]envRunner, len(e.fs))
	for i, f := range e.fs {
		runners[i] = f.newRunner()
	}

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
			got = append(got, k.Name())
		}
		if !slices.Equal(got, names) {
			t.Errorf("SIGMOID_KERNEL=%q set at run time: Kernels() names %v, was %v", v, got, names)
		}
		for i, f := range e.fs {
			if same, msg := runners[i](0, 1000, false); !same {
				t.Errorf("SIGMOID_KERNEL=%q set at run time: %s gives other bits than before (%s)", v, f.name, msg)
			}
		}
	}
	e.checkUnchanged(t)
}
