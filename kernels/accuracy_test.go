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
	exhaustive  = flag.Bool("exhaustive", false, "check every kernel on all 2^32 float32 inputs and on 10^8 float64 inputs (also SIGMOID_EXHAUSTIVE=1)")
	sweepStride = flag.Uint("sweep.stride", 0, "float32 bit-pattern stride of TestSweep (0: 257, or 4099 with -short or -race)")
)

// TestSpecials checks every kernel on accuracy.Specials(), out of place and
// in place.
func TestSpecials(t *testing.T) {
	specials := accuracy.Specials()
	for _, k := range kernels.Kernels() {
		t.Run(k.Name(), func(t *testing.T) {
			for _, st := range []accuracy.Stats{
				accuracy.CheckInputs(k.Name(), k.Sigmoid, specials, bound),
				accuracy.CheckInputs(k.Name()+" in place", inPlace(k.Sigmoid), specials, bound),
			} {
				t.Log(st)
				if st.Violations != 0 {
					t.Errorf("%s: %d violations among the specials, first: %s", st.Kernel, st.Violations, st.FirstViolation)
				}
			}
		})
	}
}

// inPlace turns f into a function that copies src to dst and runs f in
// place on dst.
func inPlace[F float](f func(dst, src []F)) func(dst, src []F) {
	return func(dst, src []F) {
		copy(dst, src)
		f(dst, dst)
	}
}

// exhaustiveRun reports whether the exhaustive tests run.
func exhaustiveRun() bool {
	return *exhaustive || exhaustiveAll() || os.Getenv("SIGMOID_EXHAUSTIVE") == "1"
}

// exhaustiveAll reports whether they also compare the generic kernel's
// sampledInCI gradients on all 2^32 inputs (SIGMOID_EXHAUSTIVE=all).
func exhaustiveAll() bool { return os.Getenv("SIGMOID_EXHAUSTIVE") == "all" }

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
			st := accuracy.CheckInputs(k.Name(), k.Sigmoid, in, bound)
			t.Logf("%s: %v", s.name, st)
			if st.Violations != 0 {
				t.Errorf("%s, %s: %d violations, first: %s", k.Name(), s.name, st.Violations, st.FirstViolation)
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
		t.Run(k.Name(), func(t *testing.T) {
			st := accuracy.Sweep(k.Name(), k.Sigmoid, stride, bound)
			t.Logf("stride %d: %v", stride, st)
			if st.Violations != 0 {
				t.Errorf("%d violations, first: %s", st.Violations, st.FirstViolation)
			}
		})
	}
}

// TestExhaustive checks the generic kernel on all 2^32 float32 inputs, and
// that every other kernel returns its bits there. It runs only with
// SIGMOID_EXHAUSTIVE=1 or -exhaustive:
//
//	SIGMOID_EXHAUSTIVE=1 go test -run 'Exhaustive(64)?$|^TestSameBitsSweep$' -v -timeout 60m ./kernels/
func TestExhaustive(t *testing.T) {
	if !exhaustiveRun() {
		t.Skip("set SIGMOID_EXHAUSTIVE=1 or pass -exhaustive to check all 2^32 inputs")
	}
	var fs []accuracy.Func
	for _, k := range genericFirst(kernels.Kernels()) {
		fs = append(fs, accuracy.Func{Name: k.Name(), F: k.Sigmoid, Same: len(fs) > 0})
	}
	stats := accuracy.SweepAll(fs, 1, bound)
	t.Logf("%d kernels on all 2^32 inputs in %v", len(fs), stats[0].Duration)
	for k, st := range stats {
		t.Run(st.Kernel, func(t *testing.T) {
			if fs[k].Same {
				t.Logf("%s: %d results differ from %s's", st.Kernel, st.Violations, fs[0].Name)
			} else {
				t.Logf("%s: max %.4f ULP at x=%v (%#08x); %d not correctly rounded (%.4f%%); %d subnormal results; %d violations",
					st.Kernel, st.MaxULP, st.Worst, math.Float32bits(st.Worst),
					st.NotCorrectlyRounded, 100*float64(st.NotCorrectlyRounded)/float64(st.Inputs), st.SubnormalResults, st.Violations)
			}
			if st.Inputs != 1<<32 {
				t.Errorf("checked %d inputs, want 2^32", st.Inputs)
			}
			if st.Violations != 0 {
				t.Errorf("%d violations, first: %s", st.Violations, st.FirstViolation)
			}
		})
	}
}

// checkAll64 checks every kernel's Sigmoid64 (and, with inPlaceToo, the
// same in place) on inputs with accuracy.CheckAll64, which computes the
// double-double reference once for all of them, and fails on any violation.
func checkAll64(t *testing.T, what string, ks []kernels.Kernel, inputs []float64, inPlaceToo bool) {
	t.Helper()
	var fs []accuracy.Func64
	for _, k := range ks {
		fs = append(fs, accuracy.Func64{Name: k.Name(), F: k.Sigmoid64})
		if inPlaceToo {
			fs = append(fs, accuracy.Func64{Name: k.Name() + " in place", F: inPlace(k.Sigmoid64)})
		}
	}
	for _, st := range accuracy.CheckAll64(fs, inputs, bound) {
		t.Logf("%s: %v", what, st)
		if st.Inputs != uint64(len(inputs)) {
			t.Errorf("%s: %s checked %d inputs, want %d", what, st.Kernel, st.Inputs, len(inputs))
		}
		if st.Violations != 0 {
			t.Errorf("%s: %s: %d violations, first: %s", what, st.Kernel, st.Violations, st.FirstViolation)
		}
	}
}

// TestSpecials64 checks every kernel's Sigmoid64 on accuracy.Specials64(),
// out of place and in place.
func TestSpecials64(t *testing.T) {
	checkAll64(t, "specials", kernels.Kernels(), accuracy.Specials64(), true)
}

// TestRandom64 checks every kernel's Sigmoid64 on 2^20 (over 10^6) inputs
// of accuracy.Inputs64, a mix of ordinary values, the subnormal-result and
// saturation ranges, random bit patterns and the specials; 2^16 with
// -short or -race, 2^18 under qemu-user.
func TestRandom64(t *testing.T) {
	n := 1 << 20
	switch {
	case slow():
		n = 1 << 16
	case underQEMU():
		n = 1 << 18
	}
	checkAll64(t, "Inputs64", kernels.Kernels(), accuracy.Inputs64(n, 2), false)
}

// exhaustive64Inputs is how many inputs TestExhaustive64 checks.
const exhaustive64Inputs = 100_000_000

// TestExhaustive64 checks the generic kernel's Sigmoid64 on 10^8 inputs
// of accuracy.Inputs64 (TestSameBitsSweep checks the others against it).
// Like TestExhaustive it runs only with SIGMOID_EXHAUSTIVE=1 or
// -exhaustive.
func TestExhaustive64(t *testing.T) {
	if !exhaustiveRun() {
		t.Skip("set SIGMOID_EXHAUSTIVE=1 or pass -exhaustive to check 10^8 float64 inputs")
	}
	inputs := accuracy.Inputs64(exhaustive64Inputs, 64)
	checkAll64(t, "10^8 Inputs64", genericOnly(kernels.Kernels()), inputs, false)
}
