package kernels_test

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/simdsigmoid/sigmoid/kernels"
)

// TestNoAllocs calls every function (package-level and each kernel's,
// float32 and float64, forward and backward) on arrays on the stack: none
// may allocate, as none lets its arguments escape. Under the race detector
// the reports to it take the slices' addresses, so the test is skipped.
func TestNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's range reports make the arguments escape")
	}
	ks := kernels.Kernels()
	allocs := testing.AllocsPerRun(100, func() {
		var a, b, c [64]float32
		var a64, b64, c64 [64]float64
		b[3], c[5], b64[7], c64[9] = 1, 0.25, -2, 0.75
		kernels.Sigmoid(a[:], b[:])
		kernels.SigmoidBackward(a[:], b[:], c[:])
		kernels.Sigmoid64(a64[:], b64[:])
		kernels.SigmoidBackward64(a64[:], b64[:], c64[:])
		kernels.SiLU(a[:], b[:])
		kernels.SiLUBackward(a[:], b[:], c[:])
		kernels.SiLU64(a64[:], b64[:])
		kernels.SiLUBackward64(a64[:], b64[:], c64[:])
		m := kernels.BCEWithLogitsMean(a[:], b[:], c[:]) + kernels.BCEWithLogitsMean64(a64[:], b64[:], c64[:])
		for _, k := range ks {
			k.Sigmoid(a[:], b[:])
			k.SigmoidBackward(a[:], b[:], c[:])
			k.Sigmoid64(a64[:], b64[:])
			k.SigmoidBackward64(a64[:], b64[:], c64[:])
			k.SiLU(a[:], b[:])
			k.SiLUBackward(a[:], b[:], c[:])
			k.SiLU64(a64[:], b64[:])
			k.SiLUBackward64(a64[:], b64[:], c64[:])
			m += k.BCEWithLogitsMean(a[:], b[:], c[:]) + k.BCEWithLogitsMean64(a64[:], b64[:], c64[:])
		}
		sink32, sink64 = a[3]+kernels.SigmoidScalar(b[1]), a64[7]+kernels.SigmoidScalar64(b64[1])+m
	})
	if allocs != 0 {
		t.Errorf("%v allocations per run of every function on stack arrays, want 0", allocs)
	}
}

var (
	sink32 float32
	sink64 float64
)

// TestCallerNoEscape builds testdata/noescape, which calls every function
// on arrays on its stack, with -gcflags=-m, and fails if the compiler moves
// any of them to the heap; and builds this package with -gcflags=-m, failing
// on any "leaking param" in it.
func TestCallerNoEscape(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	goCmd := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := exec.LookPath(goCmd); err != nil {
		t.Skipf("no go command: %v", err)
	}
	for _, c := range []struct{ pkg, bad string }{
		{"./testdata/noescape", "moved to heap"},
		{".", "leaking param"},
	} {
		cmd := exec.Command(goCmd, "build", "-gcflags=-m", "-o", devNull(), c.pkg)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go build -gcflags=-m %s: %v\n%s", c.pkg, err, out)
		}
		var bad []string
		for _, line := range strings.Split(string(out), "\n") {
			if strings.Contains(line, c.bad) && !strings.Contains(line, "_test.go") {
				bad = append(bad, line)
			}
		}
		if len(bad) > 0 {
			t.Errorf("go build -gcflags=-m %s reports %q:\n%s", c.pkg, c.bad, strings.Join(bad, "\n"))
		}
	}
}

func devNull() string {
	if runtime.GOOS == "windows" {
		return "NUL"
	}
	return "/dev/null"
}
