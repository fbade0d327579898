package accuracy

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Func64 is a named float64 kernel, for CheckAll64.
type Func64 struct {
	Name string
	F    func(dst, src []float64)
}

// Stats64 is the result of CheckAll64 for one kernel.
type Stats64 struct {
	Kernel string
	// Inputs is how many inputs were checked.
	Inputs uint64
	// MaxULP is the largest error (ULP64 against Exact64) over the non-NaN
	// inputs, and Worst the input giving it (the earliest in the list
	// among ties).
	MaxULP float64
	Worst  float64
	// NotCorrectlyRounded counts non-NaN inputs whose result is not the
	// exact value rounded to the nearest float64.
	NotCorrectlyRounded uint64
	// Violations counts inputs whose result breaks the accuracy rules (see Check64),
	// or that the kernel changed in src, and FirstViolation describes the
	// earliest in the list.
	Violations     uint64
	FirstViolation string
	// SubnormalResults counts inputs whose exact result is in (0, 2^-1022).
	SubnormalResults uint64
	Duration         time.Duration
	// SameAs is always empty: CheckAll64 checks every kernel against the
	// rules.
	SameAs string
}

// String summarises s on one line.
func (s Stats64) String() string { return statsOf[float64](s).String() }

// tally64 is the tally of a float64 kernel.
type tally64 struct{ tally[float64] }

// add checks one result; hi, lo are Exact64(x).
func (t *tally64) add(order uint64, x, got, hi, lo, bound float64) {
	u, r := check64(x, got, hi, lo, bound)
	t.count(order, x, u, got != hi, subnormal64(hi, lo))
	if r != ok {
		var why string
		if t.reports(order) {
			why = describe64(x, got, hi, lo, u, bound, r)
		}
		t.violate(order, why)
	}
}

// chunk64 is how many inputs a CheckAll64 worker hands each kernel at
// once: src, dst and the reference (hi, lo) of a chunk, 256 KiB, stay in
// L2 between the kernel calls and the checks.
const chunk64 = 1 << 13

// poison64 fills dst before each kernel call, so that a kernel that skips
// an element is caught: -1 is wrong for every input, NaN included.
const poison64 = -1

// CheckAll64 checks every kernel on inputs against the accuracy rules (Check64) with
// the given ULP bound, with GOMAXPROCS goroutines over chunks of 2^13
// inputs: each chunk's reference is computed once (Exact64, the costliest
// part) and shared by the kernels, each called out of place on a copy of
// the chunk with dst prefilled with -1. Changing src is a violation too.
// Every Stats64's Duration is that of the whole run.
func CheckAll64(fs []Func64, inputs []float64, bound float64) []Stats64 {
	start := time.Now()
	n := len(inputs)
	chunks := (n + chunk64 - 1) / chunk64
	workers := max(1, min(runtime.GOMAXPROCS(0), chunks))
	var next atomic.Int64
	tallies := make([][]tally64, workers) // [worker][kernel]
	var wg sync.WaitGroup
	for w := range tallies {
		ts := make([]tally64, len(fs))
		tallies[w] = ts
		wg.Go(func() {
			src := make([]float64, chunk64)
			dst := make([]float64, chunk64)
			his := make([]float64, chunk64)
			los := make([]float64, chunk64)
			for {
				c := int(next.Add(1) - 1)
				if c >= chunks {
					return
				}
				first := c * chunk64
				in := inputs[first:min(n, first+chunk64)]
				m := len(in)
				h, l := his[:m], los[:m]
				for i, x := range in {
					h[i], l[i] = Exact64(x)
				}
				for k, f := range fs {
					s, d := src[:m], dst[:m]
					copy(s, in)
					for i := range d {
						d[i] = poison64
					}
					f.F(d, s)
					t := &ts[k]
					for i, x := range in {
						order := uint64(first + i)
						if math.Float64bits(s[i]) != math.Float64bits(x) {
							t.violate(order, fmt.Sprintf("src[%d] changed from %#016x to %#016x", first+i, math.Float64bits(x), math.Float64bits(s[i])))
						}
						t.add(order, x, d[i], h[i], l[i], bound)
					}
				}
			}
		})
	}
	wg.Wait()
	d := time.Since(start)
	stats := make([]Stats64, len(fs))
	for k, f := range fs {
		var total tally64
		for w := range tallies {
			total.merge(&tallies[w][k].tally)
		}
		stats[k] = Stats64(total.stats(f.Name, d))
	}
	return stats
}
