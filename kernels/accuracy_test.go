package kernels_test

import (
	"flag"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/simdsigmoid/sigmoid/internal/accuracy"
	"github.com/simdsigmoid/sigmoid/kernels"
)

var (
	exhaustive  = flag.Bool("exhaustive", false, "check every kernel on all 2^32 float32 inputs (also SIGMOID_EXHAUSTIVE=1)")
	sweepStride = flag.Uint("sweep.stride", 0, "float32 bit-pattern stride of TestSweep (0: 257, or 4099 with -short or -race)")
)

// TestSpecials checks every kernel on accuracy.Specials(), out of place and
// in place.
func TestSpecials(t *testing.T) {
	specials := accuracy.Specials()
	for _, k := range kernels.Kernels() {
		t.Run(k.Name, func(t *testing.T) {
			inPlace := func(dst, src []float32) {
				copy(dst, src)
				k.Sigmoid(dst, dst)
			}
			for _, st := range []accuracy.Stats{
				accuracy.CheckInputs(k.Name, k.Sigmoid, specials, bound),
				accuracy.CheckInputs(k.Name+" in place", inPlace, specials, bound),
			} {
				t.Log(st)
				if st.Violations != 0 {
					t.Errorf("%s: %d violations among the specials, first: %s", st.Kernel, st.Violations, st.FirstViolation)
				}
			}
		})
	}
}

// TestRandom checks every kernel on random bit patterns (the whole float
// range) and on random values concentrated where kernels go wrong: the
// saturation to 1, the subnormal results in [-104, -87], and near 0.
func TestRandom(t *testing.T) {
	n := 1 << 20
	if slow() {
		n = 1 << 16
	}
	r := rand.New(rand.NewPCG(2, 0x5eed))
	uniform := func(lo, hi float64) func() float32 {
		return func() float32 { return float32(lo + (hi-lo)*r.Float64()) }
	}
	sets := []struct {
		name string
		n    int
		gen  func() float32
	}{
		{"bit patterns", n, func() float32 { return math.Float32frombits(r.Uint32()) }},
		{"[-104.5, -86.5]", n / 2, uniform(-104.5, -86.5)},
		{"[15.5, 18]", n / 4, uniform(15.5, 18)},
		{"[-20, 20]", n / 4, uniform(-20, 20)},
		{"near 0", n / 8, func() float32 { return float32(math.Ldexp(r.Float64()-0.5, -r.IntN(40))) }},
		{"near edges", n / 4, func() float32 {
			// A few hundred float32 steps from a random edge.
			edges := []float32{16.23, 17.3287, accuracy.SaturationEdge, -87.33, -87.34, -88.72, -103.28, -103.97, -103.98, -104}
			e := edges[r.IntN(len(edges))]
			return math.Float32frombits(math.Float32bits(e) + uint32(r.IntN(1024)) - 512)
		}},
	}
	for _, s := range sets {
		in := make([]float32, s.n)
		for i := range in {
			in[i] = s.gen()
		}
		for _, k := range kernels.Kernels() {
			st := accuracy.CheckInputs(k.Name, k.Sigmoid, in, bound)
			t.Logf("%s: %v", s.name, st)
			if st.Violations != 0 {
				t.Errorf("%s, %s: %d violations, first: %s", k.Name, s.name, st.Violations, st.FirstViolation)
			}
		}
	}
}

// TestSweep checks every kernel on every stride-th float32 bit pattern:
// 2^32/257 ≈ 16.7M inputs each by default.
func TestSweep(t *testing.T) {
	stride := uint32(257)
	if slow() {
		stride = 4099
	}
	if *sweepStride != 0 {
		stride = uint32(*sweepStride)
	}
	for _, k := range kernels.Kernels() {
		t.Run(k.Name, func(t *testing.T) {
			st := accuracy.Sweep(k.Name, k.Sigmoid, stride, bound)
			t.Logf("stride %d: %v", stride, st)
			if st.Violations != 0 {
				t.Errorf("%d violations, first: %s", st.Violations, st.FirstViolation)
			}
		})
	}
}

// TestExhaustive checks every kernel on all 2^32 float32 inputs. It runs
// only with SIGMOID_EXHAUSTIVE=1 or -exhaustive:
//
//	SIGMOID_EXHAUSTIVE=1 go test -run Exhaustive -v -timeout 60m ./kernels/
//
// The kernels are swept together (accuracy.SweepAll), so the float64
// reference, the costliest part, is computed once per input for all.
func TestExhaustive(t *testing.T) {
	if !*exhaustive && os.Getenv("SIGMOID_EXHAUSTIVE") != "1" {
		t.Skip("set SIGMOID_EXHAUSTIVE=1 or pass -exhaustive to check all 2^32 inputs")
	}
	var fs []accuracy.Func
	for _, k := range kernels.Kernels() {
		fs = append(fs, accuracy.Func{Name: k.Name, F: k.Sigmoid})
	}
	stats := accuracy.SweepAll(fs, 1, bound)
	t.Logf("%d kernels on all 2^32 inputs in %v", len(fs), stats[0].Duration)
	for _, st := range stats {
		t.Run(st.Kernel, func(t *testing.T) {
			t.Logf("%s: max %.4f ULP at x=%v (%#08x); %d not correctly rounded (%.4f%%); %d subnormal results; %d violations",
				st.Kernel, st.MaxULP, st.Worst, math.Float32bits(st.Worst),
				st.NotCorrectlyRounded, 100*float64(st.NotCorrectlyRounded)/float64(st.Inputs), st.SubnormalResults, st.Violations)
			if st.Inputs != 1<<32 {
				t.Errorf("checked %d inputs, want 2^32", st.Inputs)
			}
			if st.Violations != 0 {
				t.Errorf("%d violations, first: %s", st.Violations, st.FirstViolation)
			}
		})
	}
}
