// The tests check every kernel this CPU runs (kernels.Kernels()) against
// the spec that internal/accuracy enforces, with fallback.Sigmoid64 as the
// exact value and a bound of 1 ULP.
//
//	go test ./kernels/                     # everything quick (~5 s)
//	go test -short ./kernels/              # less of it (also under -race)
//	go test -race ./kernels/               # concurrency
//	go test -tags purego ./kernels/        # generic only
//	go test ./kernels/ -run Sweep -sweep.stride 61   # a denser sweep
//	SIGMOID_EXHAUSTIVE=1 go test -run Exhaustive -v -timeout 60m ./kernels/
//	go test ./kernels/ -run Exhaustive -v -timeout 60m -exhaustive   # same
//	go test -run '^$' -fuzz FuzzSigmoid -fuzztime 1m ./kernels/
//	SIGMOID_EXPECT_KERNEL=avx2 go test ./kernels/  # CI: the kernel this CPU must pick
//	go test ./kernels/ -run TestFuzzCorpus -update-fuzz-corpus  # rewrite testdata/fuzz
package kernels_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/simdsigmoid/sigmoid/fallback"
	"github.com/simdsigmoid/sigmoid/internal/accuracy"
	"github.com/simdsigmoid/sigmoid/kernels"
)

// bound is the spec's error bound in ULPs of the exact value.
const bound = 1

// impl is a function under test: the package-level Sigmoid or a kernel's.
type impl struct {
	name string
	f    func(dst, src []float32)
}

// impls lists kernels.Sigmoid (as "Sigmoid") and every kernel.
func impls() []impl {
	is := []impl{{"Sigmoid", kernels.Sigmoid}}
	for _, k := range kernels.Kernels() {
		is = append(is, impl{k.Name, k.Sigmoid})
	}
	return is
}

// slow reports whether tests should do less: -short, or the race detector
// (which slows the Go code here about tenfold).
func slow() bool { return testing.Short() || raceEnabled }

// maxReports is how many bad elements a test reports before giving up.
const maxReports = 10

// checker reports spec violations with context, up to maxReports.
type checker struct {
	t       testing.TB
	reports int
}

// ok checks one result; what says where it came from. It returns false
// once the test has reported too many failures.
func (c *checker) ok(x, got float32, exact float64, what string, args ...any) bool {
	if why := accuracy.CheckExact(x, got, exact, bound); why != "" {
		c.reports++
		c.t.Errorf("%s: %s (fallback.Sigmoid32 gives %v)", sprintf(what, args...), why, fallback.Sigmoid32(x))
	}
	return c.reports < maxReports
}

// checkAll checks dst = sigmoid(src) elementwise, exact given.
func (c *checker) checkAll(dst, src []float32, exact []float64, what string, args ...any) bool {
	for i, x := range src {
		if why := accuracy.CheckExact(x, dst[i], exact[i], bound); why != "" {
			c.reports++
			c.t.Errorf("%s: element %d: %s (fallback.Sigmoid32 gives %v)", sprintf(what, args...), i, why, fallback.Sigmoid32(x))
			if c.reports >= maxReports {
				return false
			}
		}
	}
	return true
}

func exacts(src []float32) []float64 {
	e := make([]float64, len(src))
	for i, x := range src {
		e[i] = fallback.Sigmoid64(float64(x))
	}
	return e
}

// mixedInputs returns n inputs: mostly ordinary values over the whole
// interesting range [-110, 25], with random bit patterns, the specials and
// values near the edges mixed in, so that every lane position of every
// vector sees every kind of value.
func mixedInputs(n int, seed uint64) []float32 {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	specials := accuracy.Specials()
	out := make([]float32, n)
	for i := range out {
		switch r.IntN(10) {
		case 0:
			out[i] = math.Float32frombits(r.Uint32())
		case 1:
			out[i] = specials[r.IntN(len(specials))]
		case 2:
			out[i] = float32(-87 - 17*r.Float64()) // subnormal results and 0
		case 3:
			out[i] = float32(15.5 + 2.5*r.Float64()) // saturation to 1
		default:
			out[i] = float32(-110 + 135*r.Float64())
		}
	}
	return out
}

// canary is the bit pattern kept around every dst under test: a
// signalling NaN no kernel produces.
const canary = 0x7fa5a5a5

func fillCanary(s []float32) {
	for i := range s {
		s[i] = math.Float32frombits(canary)
	}
}

// firstTouched returns the index of the first element of s that is not the
// canary, or -1.
func firstTouched(s []float32) int {
	for i, x := range s {
		if math.Float32bits(x) != canary {
			return i
		}
	}
	return -1
}

// aligned64 returns the smallest index i >= from with &s[i] 64-byte
// aligned, so that offsets from it are offsets from a cache line (and a
// ZMM-register) boundary.
func aligned64(s []float32, from int) int {
	for i := from; i < from+16; i++ {
		if uintptr(unsafe.Pointer(&s[i]))%64 == 0 {
			return i
		}
	}
	panic("no 64-byte aligned element")
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
