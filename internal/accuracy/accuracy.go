// Package accuracy measures float32 sigmoid kernels against the float64
// reference SigmoidWide and checks them against these
// accuracy rules:
//
//   - NaN in gives NaN out;
//   - +Inf gives exactly 1, -Inf exactly 0, ±0 exactly 0.5;
//   - a finite input gives a finite result in [0, 1];
//   - the result is within bound ULPs (see ULP) of the exact value;
//   - x >= SaturationEdge gives exactly 1, and x in [NearOneEdge,
//     SaturationEdge) exactly 1-2^-24, as correct rounding says.
//
// Sweep runs a kernel over every stride-th float32 bit pattern (all 2^32 with
// stride 1), SweepAll several kernels sharing the reference computation,
// CheckInputs over a given list, and Specials lists the inputs every quick
// test must include.
//
// Float64 kernels are measured against Exact64, a double-double sigmoid
// (dd.go, validated against math/big), under the same rules without the
// saturation ones (Check64, ULP64 in float64 ULPs): CheckAll64 runs kernels
// over a list such as Inputs64, a mix built around Specials64, and
// BackwardExact64 is the exact backward pass. Below Tiny64 the reference
// pairs are scaled: see Tiny64.
package accuracy

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// SaturationEdge is the smallest float32 whose sigmoid rounds to 1
// (0x1.154246p+4 ≈ 17.3287, just above 25·ln 2): from here up a kernel must
// return exactly 1.
const SaturationEdge float32 = 0x1.154246p+4

// NearOneEdge is the smallest float32 whose sigmoid rounds to 1-2^-24, the
// largest float32 below 1 (0x1.03ae5cp+4 ≈ 16.230068, just above
// ln(2^24/1.5)): up to SaturationEdge a kernel must return exactly that.
const NearOneEdge float32 = 0x1.03ae5cp+4

// nearOne is 1-2^-24.
const nearOne float32 = 1 - 0x1p-24

// ULP returns |got-exact| in float32 ULPs of the exact value: the ulp is
// 2^(e-23) for |exact| in [2^e, 2^(e+1)) and 2^-149 for |exact| below 2^-126
// (including 0). A NaN on one side only, or an infinite exact value that got
// does not equal, gives +Inf; NaN against NaN gives 0.
func ULP(got float32, exact float64) float64 {
	g := float64(got)
	if exact != exact || g != g {
		if exact != exact && g != g {
			return 0
		}
		return math.Inf(1)
	}
	if g == exact {
		return 0
	}
	b := math.Float64bits(exact) &^ (1 << 63)
	if b >= 0x7ff<<52 { // exact is ±Inf and got differs
		return math.Inf(1)
	}
	e := int(b>>52) - 1023 // exact in [2^e, 2^(e+1)); float64 subnormals are far below 2^-126
	if e < -126 {
		e = -126 // ulp 2^-149 below 2^-126
	}
	// 1/ulp = 2^(23-e), with 23-e in [-1000, 149]: a normal float64, and
	// multiplying by it is exact, so only the subtraction rounds.
	inv := math.Float64frombits(uint64(23-e+1023) << 52)
	return math.Abs(g-exact) * inv
}

// Stats is the result of a Sweep or CheckInputs of one kernel.
type Stats struct {
	Kernel string
	// Inputs is how many inputs were checked.
	Inputs uint64
	// MaxULP is the largest error (ULP against SigmoidWide)
	// over the non-NaN inputs, and Worst the input giving it (the smallest
	// bit pattern among ties).
	MaxULP float64
	Worst  float32
	// NotCorrectlyRounded counts non-NaN inputs whose result is not
	// float32(exact).
	NotCorrectlyRounded uint64
	// Violations counts inputs whose result breaks the accuracy rules, and
	// FirstViolation describes the one with the smallest bit pattern (in
	// Sweep; the earliest in the list in CheckInputs).
	Violations     uint64
	FirstViolation string
	// SubnormalResults counts inputs whose exact result is in (0, 2^-126).
	SubnormalResults uint64
	Duration         time.Duration
	// SameAs names the kernel whose bits these results were compared
	// with (a Func with Same), instead of the rules: the error fields are
	// then zero, and Violations counts the results that differ.
	SameAs string
}

// String summarises s on one line.
func (s Stats) String() string { return statsOf[float32](s).String() }

// Check returns "" if got is a correct result for input x under the accuracy rules
// with the given ULP bound, else a description of what is wrong.
func Check(x, got float32, bound float64) string {
	var exact float64
	if x == x {
		exact = SigmoidWide(x)
	}
	return CheckExact(x, got, exact, bound)
}

// CheckExact is Check with the exact value given: it must be
// SigmoidWide(x) (anything when x is NaN). Tests that
// check the same inputs many times use it to compute the reference once.
func CheckExact(x, got float32, exact, bound float64) string {
	u, r := check(x, got, exact, bound)
	if r == ok {
		return ""
	}
	return describe(x, got, exact, u, bound, r)
}

// A reason is which rule a result breaks.
type reason uint8

const (
	ok reason = iota
	nanIn
	notFinite
	posInf
	negInf
	zero
	outside
	notSaturated
	notNearOne
	tooFar
)

// check applies the accuracy rules to one result. exact must be
// SigmoidWide(x) unless x is NaN. It returns the error
// in ULPs (0 for a NaN input) and the rule broken, if any.
func check(x, got float32, exact, bound float64) (float64, reason) {
	if x != x {
		if got == got {
			return 0, nanIn
		}
		return 0, ok
	}
	u := ULP(got, exact)
	// The common cases first: a good result (in [0, 1], so not NaN or Inf)
	// for a finite x away from the special rules, or 1 from the
	// saturation edge up (+Inf included).
	if u <= bound {
		if x >= SaturationEdge {
			if got == 1 {
				return u, ok
			}
		} else if x >= NearOneEdge {
			if got == nearOne {
				return u, ok
			}
		} else if got >= 0 && got <= 1 && x != 0 && x >= -math.MaxFloat32 {
			return u, ok
		}
	}
	switch {
	case got != got || math.IsInf(float64(got), 0):
		return u, notFinite
	case math.IsInf(float64(x), 1) && got != 1:
		return u, posInf
	case math.IsInf(float64(x), -1) && got != 0:
		return u, negInf
	case x == 0 && got != 0.5:
		return u, zero
	case got < 0 || got > 1:
		return u, outside
	case x >= SaturationEdge && got != 1:
		return u, notSaturated
	case x >= NearOneEdge && x < SaturationEdge && got != nearOne:
		return u, notNearOne
	case !(u <= bound):
		return u, tooFar
	}
	return u, ok
}

func describe(x, got float32, exact, u, bound float64, r reason) string {
	return fmt.Sprintf("x=%v (%#08x): got %v (%#08x), exact %.10g (float32 %v): %s",
		x, math.Float32bits(x), got, math.Float32bits(got), exact, float32(exact), r.rule(u, bound))
}

// rule says which of the accuracy rules a result with error u ULPs breaks.
func (r reason) rule(u, bound float64) string {
	switch r {
	case nanIn:
		return "NaN input must give NaN"
	case notFinite:
		return "result is not finite"
	case posInf:
		return "+Inf must give exactly 1"
	case negInf:
		return "-Inf must give exactly 0"
	case zero:
		return "±0 must give exactly 0.5"
	case outside:
		return "result outside [0, 1]"
	case notSaturated:
		return fmt.Sprintf("x >= %v must give exactly 1", SaturationEdge)
	case notNearOne:
		return fmt.Sprintf("x in [%v, %v) must give exactly 1-2^-24", NearOneEdge, SaturationEdge)
	case tooFar:
		return fmt.Sprintf("error %.4g ULP > %v", u, bound)
	}
	return ""
}

// tally32 is the tally of a float32 kernel.
type tally32 struct{ tally[float32] }

// add checks one result; exact is SigmoidWide(x)
// (anything for a NaN x).
func (t *tally32) add(order uint64, x, got float32, exact, bound float64) {
	u, r := check(x, got, exact, bound)
	t.count(order, x, u, got != float32(exact), exact > 0 && exact < 0x1p-126)
	if r != ok {
		var why string
		if t.reports(order) {
			why = describe(x, got, exact, u, bound, r)
		}
		t.violate(order, why)
	}
}

// chunk is how many inputs a sweep worker hands each kernel at once: large
// enough that call and scheduling overheads vanish, small enough that src,
// the reference values and a few kernels' dst stay in L2 between the calls
// and the checks.
const chunk = 1 << 14

// Func is a named kernel, for SweepAll. With Same set, its results must
// have the bits of the first Func's, every one of them, and are not
// checked against the rules themselves: so that one sweep checks one
// kernel's accuracy and every other kernel's identity to it, without
// checking the same results twice.
type Func struct {
	Name string
	F    func(dst, src []float32)
	Same bool
}

// SigmoidWide is the float32 reference: 1/(1+e^-x) in float64, within
// about 2^-51 relative of the exact value (exp within 1 ULP, the sum
// and the quotient each rounded once), some 2^-28 ULP of float32: far
// below any bound checked here. NaN gives NaN.
func SigmoidWide(x float32) float64 { return 1 / (1 + exp(-float64(x))) }

// Sweep checks f on every stride-th float32 bit pattern (0, stride,
// 2·stride, ... below 2^32; stride 0 means 1, and stride 1 is all 2^32
// inputs) against the accuracy rules with the given ULP bound, using
// runtime.NumCPU() goroutines over chunks of 2^14 inputs and one set of
// buffers per goroutine. It also counts as a violation any change f makes
// to its src.
func Sweep(name string, f func(dst, src []float32), stride uint32, bound float64) Stats {
	return SweepAll([]Func{{Name: name, F: f}}, stride, bound)[0]
}

// SweepAll is Sweep for several kernels at once: each chunk of inputs goes
// to every kernel, and the reference, which costs more than the kernels
// and the checks together, is computed once for all of them. A Func with
// Same is compared with the first instead (its Stats count the inputs and
// the differing results as violations). Every Stats' Duration is that of
// the whole sweep.
func SweepAll(fs []Func, stride uint32, bound float64) []Stats {
	return sweepAll(sigmoidRules, fs, stride, bound)
}

// SweepAllSiLU is SweepAll for SiLU: the kernels' results against
// SiLUWide under SiLU's rules (see CheckSiLU).
func SweepAllSiLU(fs []Func, stride uint32, bound float64) []Stats {
	return sweepAll(siluRules, fs, stride, bound)
}

// rules are what a sweep checks: the reference and the check of one
// result against it.
type rules struct {
	exact func(x float32) float64
	add   func(t *tally32, order uint64, x, got float32, exact, bound float64)
}

// rulesOf are the rules of a function with reference exact and check,
// which returns a result's error in ULPs and what is wrong with it ("" if
// nothing): counted as not correctly rounded where it is not exact rounded
// to float32, as a subnormal result where exact is below 2^-126.
func rulesOf(exact func(x float32) float64, check func(x, got float32, exact, bound float64) (float64, string)) rules {
	return rules{exact: exact, add: func(t *tally32, order uint64, x, got float32, exact, bound float64) {
		u, why := check(x, got, exact, bound)
		t.count(order, x, u, got != float32(exact), exact != 0 && math.Abs(exact) < 0x1p-126)
		if why != "" {
			t.violate(order, why)
		}
	}}
}

var sigmoidRules = rules{
	exact: func(x float32) float64 { return SigmoidWide(x) },
	add:   (*tally32).add,
}

func sweepAll(r rules, fs []Func, stride uint32, bound float64) []Stats {
	start := time.Now()
	if stride == 0 {
		stride = 1
	}
	n := (uint64(1)<<32 + uint64(stride) - 1) / uint64(stride) // inputs
	chunks := (n + chunk - 1) / chunk
	var next atomic.Uint64
	workers := runtime.NumCPU()
	tallies := make([][]tally32, workers) // [worker][kernel]
	var wg sync.WaitGroup
	for w := range tallies {
		tallies[w] = make([]tally32, len(fs))
		wg.Add(1)
		go func(ts []tally32) {
			defer wg.Done()
			src := make([]float32, chunk)
			dst := make([]float32, chunk)
			first := make([]float32, chunk) // fs[0]'s results, for those with Same
			exact := make([]float64, chunk)
			for {
				c := next.Add(1) - 1
				if c >= chunks {
					return
				}
				lo := c * chunk
				m := min(n-lo, chunk)
				s, d, e := src[:m], dst[:m], exact[:m]
				start := uint32(lo * uint64(stride)) // wraps only past the last input
				bits := start
				for i := range s {
					x := math.Float32frombits(bits)
					s[i] = x
					if x == x {
						e[i] = r.exact(x)
					}
					bits += stride
				}
				changed := false // a kernel wrote to s: refill it for the next
				for k, f := range fs {
					f.F(d, s)
					t := &ts[k]
					bits = start
					for i, x := range s {
						order := uint64(bits)
						if math.Float32bits(x) != bits {
							t.violate(order, fmt.Sprintf("src[%d] changed from %#08x to %#08x", i, bits, math.Float32bits(x)))
							x = math.Float32frombits(bits)
							changed = true
						}
						if f.Same {
							t.inputs++
							if g, w := math.Float32bits(d[i]), math.Float32bits(first[i]); g != w {
								var why string
								if t.reports(order) {
									why = fmt.Sprintf("x=%#08x gave %#08x, %s %#08x", bits, g, fs[0].Name, w)
								}
								t.violate(order, why)
							}
						} else {
							r.add(t, order, x, d[i], e[i], bound)
						}
						bits += stride
					}
					if k == 0 {
						copy(first, d)
					}
					if changed {
						bits = start
						for i := range s {
							s[i] = math.Float32frombits(bits)
							bits += stride
						}
						changed = false
					}
				}
			}
		}(tallies[w])
	}
	wg.Wait()
	d := time.Since(start)
	stats := make([]Stats, len(fs))
	for k, f := range fs {
		var total tally32
		for w := range tallies {
			total.merge(&tallies[w][k].tally)
		}
		stats[k] = Stats(total.stats(f.Name, d))
		if f.Same {
			stats[k].SameAs = fs[0].Name
		}
	}
	return stats
}

// CheckInputs checks f on the given inputs (in one call, out of place)
// against the accuracy rules with the given ULP bound. FirstViolation is that of the
// earliest failing input in the list, and ties for Worst go to the earliest.
func CheckInputs(name string, f func(dst, src []float32), inputs []float32, bound float64) Stats {
	start := time.Now()
	src := append([]float32(nil), inputs...)
	dst := make([]float32, len(src))
	f(dst, src)
	var t tally32
	for i, x := range inputs {
		if math.Float32bits(src[i]) != math.Float32bits(x) {
			t.violate(uint64(i), fmt.Sprintf("src[%d] changed from %#08x to %#08x", i, math.Float32bits(x), math.Float32bits(src[i])))
		}
		var exact float64
		if x == x {
			exact = SigmoidWide(x)
		}
		t.add(uint64(i), x, dst[i], exact, bound)
	}
	return Stats(t.stats(name, time.Since(start)))
}
