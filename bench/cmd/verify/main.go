// Command verify checks every sigmoid kernel this CPU runs against the
// accuracy rules of internal/accuracy, on all 2^32 float32 inputs and 10^8
// float64 inputs by default:
//
//	go run ./bench/cmd/verify               # exhaustive: minutes per kernel
//	go run ./bench/cmd/verify -stride 997 -n64 1000000   # a sample: seconds
//
// For each kernel it prints the inputs checked, the largest error in ULPs,
// the share of correctly rounded results, how many results are subnormal
// and whether the kernel computes them (rather than flushing them to 0), and
// then a table of special values. Every kernel is also checked on the inputs
// of accuracy.Specials. The float64 section checks every kernel's Sigmoid64
// on -n64 inputs of accuracy.Inputs64 (ordinary values, the subnormal-result
// and saturation ranges, random bit patterns and accuracy.Specials64)
// against a double-double reference, and prints each kernel's statistics.
// The exit status is 1 if any kernel breaks those rules, 2 on bad flags.
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/simdsigmoid/sigmoid/bench/internal/sysinfo"
	"github.com/simdsigmoid/sigmoid/fallback"
	"github.com/simdsigmoid/sigmoid/internal/accuracy"
	"github.com/simdsigmoid/sigmoid/kernels"
)

var (
	stride      = flag.Uint("stride", 1, "check every stride-th float32 bit pattern (1: all 2^32)")
	bound       = flag.Float64("bound", 1, "largest error in ULPs the accuracy check accepts")
	kernelsFlag = flag.String("kernels", "", "comma-separated kernels to check (default every available one)")
	n64         = flag.Int("n64", 100_000_000, "check Sigmoid64 on this many inputs of accuracy.Inputs64 (0: no float64 section)")
	silu        = flag.Bool("silu", true, "also sweep SiLU over the same float32 inputs")
	seed64      = flag.Uint64("seed64", 1, "the seed of accuracy.Inputs64")
)

// subnormalInputs give subnormal results, from just below 2^-126 down to
// 2^-149: a kernel that flushes subnormals to zero returns 0 for them.
var subnormalInputs = []float32{-87.5, -88, -90, -95, -100, -103, -103.27893}

// special is one row of the special-values table.
type special struct {
	label string
	x     float32
}

var specialValues = []special{
	{"NaN", float32(math.NaN())},
	{"+Inf", float32(math.Inf(1))},
	{"-Inf", float32(math.Inf(-1))},
	{"+0", 0},
	{"-0", float32(math.Copysign(0, -1))},
	{"NearOneEdge", accuracy.NearOneEdge},
	{"17", 17},
	{"17.3287", 17.3287},
	{"SaturationEdge", accuracy.SaturationEdge},
	{"-90", -90},
	{"-103.27893", -103.27893},
	{"-103.97", -103.97},
	{"-104", -104},
}

func main() {
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: verify [flags]\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if *stride < 1 || *stride > math.MaxUint32 {
		fail(fmt.Errorf("-stride %d: want 1..2^32-1", *stride))
	}
	if *n64 < 0 {
		fail(fmt.Errorf("-n64 %d: want 0 or more", *n64))
	}
	ks, err := selectKernels(*kernelsFlag)
	if err != nil {
		fail(err)
	}

	fmt.Printf("# sigmoid kernels: verification\n\n%s", sysinfo.Markdown())
	what := "all 2^32 float32 inputs"
	if *stride > 1 {
		what = fmt.Sprintf("every %d-th float32 bit pattern", *stride)
	}
	specials := accuracy.Specials()
	fmt.Printf("- Checked: %s and the %d inputs of accuracy.Specials, against fallback.SigmoidScalar64, bound %g ULP\n\n", what, len(specials), *bound)

	fmt.Printf("| kernel | inputs | max ULP | worst input | correctly rounded | subnormal results | subnormals computed | violations | time |\n")
	fmt.Printf("| --- | ---: | ---: | --- | ---: | ---: | --- | ---: | ---: |\n")
	var violations uint64
	var problems []string
	for _, k := range ks {
		fmt.Fprintf(os.Stderr, "verify: %s: sweeping %s\n", k.Name, what)
		s := accuracy.Sweep(k.Name, k.Sigmoid, uint32(*stride), *bound)
		sp := accuracy.CheckInputs(k.Name, k.Sigmoid, specials, *bound)
		fmt.Fprintf(os.Stderr, "verify: %v\n", s)

		sub, subProblem := checkSubnormals(k.Sigmoid)
		n := s.Violations + sp.Violations
		if subProblem != "" {
			n++
			problems = append(problems, fmt.Sprintf("- %s: %s", k.Name, subProblem))
		}
		if s.Violations > 0 {
			problems = append(problems, fmt.Sprintf("- %s: %d violations in the sweep; first: %s", k.Name, s.Violations, s.FirstViolation))
		}
		if sp.Violations > 0 {
			problems = append(problems, fmt.Sprintf("- %s: %d violations on accuracy.Specials; first: %s", k.Name, sp.Violations, sp.FirstViolation))
		}
		violations += n

		maxULP, worst := s.MaxULP, s.Worst
		if sp.MaxULP > maxULP {
			maxULP, worst = sp.MaxULP, sp.Worst
		}
		cr := 100 * (1 - float64(s.NotCorrectlyRounded)/float64(max(s.Inputs, 1)))
		fmt.Printf("| %s | %d | %.4f | %v (%#08x) | %.4f%% (%d not) | %d | %s | %d | %v |\n",
			k.Name, s.Inputs, maxULP, worst, math.Float32bits(worst), cr, s.NotCorrectlyRounded,
			s.SubnormalResults, sub, n, (s.Duration + sp.Duration).Round(time.Millisecond))
	}
	fmt.Printf("\nInputs, correctly rounded and subnormal results are over the sweep; max ULP, worst input and violations also cover accuracy.Specials. "+
		"Correctly rounded is the share of the swept inputs whose result is float32(exact) (NaN inputs count as correct when they give NaN). "+
		"Subnormal results counts swept inputs whose exact result is below 2^-126; "+
		"subnormals computed checks that the kernel returns them, not 0, for x in %s.\n\n", floats(subnormalInputs))

	violations += printSpecials(ks)

	if *silu {
		v, p := printSiLU(ks, what)
		violations += v
		problems = append(problems, p...)
	}

	if *n64 > 0 {
		v, p := printFloat64(ks, *n64, *seed64)
		violations += v
		problems = append(problems, p...)
	}

	if len(problems) > 0 {
		fmt.Printf("## Violations\n\n%s\n", strings.Join(problems, "\n"))
	}
	if violations > 0 {
		fmt.Printf("\n**FAIL**: %d violations\n", violations)
		os.Exit(1)
	}
	fmt.Printf("**PASS**: every kernel meets the accuracy rules.\n")
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "verify: %v\n", err)
	os.Exit(2)
}

// kernel is one implementation under test: one of kernels.Kernels() or,
// in the tests, a deliberately broken loop.
type kernel struct {
	Name      string
	Sigmoid   func(dst, src []float32)
	Sigmoid64 func(dst, src []float64)
	SiLU      func(dst, src []float32)
}

func selectKernels(filter string) ([]kernel, error) {
	var all []kernel
	for _, k := range kernels.Kernels() {
		all = append(all, kernel{k.Name(), k.Sigmoid, k.Sigmoid64, k.SiLU})
	}
	if filter == "" {
		return all, nil
	}
	var ks []kernel
	for _, name := range strings.Split(filter, ",") {
		name = strings.TrimSpace(name)
		found := false
		for _, k := range all {
			if k.Name == name {
				ks = append(ks, k)
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("-kernels: no kernel %q on this CPU (available: %s)", name, strings.Join(kernels.Available(), ", "))
		}
	}
	return ks, nil
}

// checkSubnormals runs sigmoid on inputs whose results are subnormal and reports
// whether it computes them: "yes (7/7)", or a problem if it flushes any to
// zero or gets them wrong.
func checkSubnormals(sigmoid func(dst, src []float32)) (cell, problem string) {
	got := make([]float32, len(subnormalInputs))
	sigmoid(got, subnormalInputs)
	ok := 0
	var bad []string
	for i, x := range subnormalInputs {
		want := float32(fallback.SigmoidScalar64(float64(x)))
		switch {
		case got[i] == 0:
			bad = append(bad, fmt.Sprintf("x=%v gave 0 (flushed), want %v", x, want))
		case accuracy.Check(x, got[i], *bound) != "":
			bad = append(bad, accuracy.Check(x, got[i], *bound))
		default:
			ok++
		}
	}
	if len(bad) == 0 {
		return fmt.Sprintf("yes (%d/%d)", ok, len(subnormalInputs)), ""
	}
	return fmt.Sprintf("**NO** (%d/%d)", ok, len(subnormalInputs)), "subnormal results: " + strings.Join(bad, "; ")
}

// printSpecials prints each kernel's result on the special values and
// returns how many break the accuracy rules.
func printSpecials(ks []kernel) uint64 {
	xs := make([]float32, len(specialValues))
	for i, s := range specialValues {
		xs[i] = s.x
	}
	results := make([][]float32, len(ks))
	for j, k := range ks {
		results[j] = make([]float32, len(xs))
		k.Sigmoid(results[j], xs)
	}

	fmt.Printf("## Special values\n\n")
	fmt.Printf("| input | x | exact | correctly rounded |")
	for _, k := range ks {
		fmt.Printf(" %s |", k.Name)
	}
	fmt.Printf("\n| --- | --- | --- | --- |%s\n", strings.Repeat(" --- |", len(ks)))
	var violations uint64
	for i, s := range specialValues {
		exact := math.NaN()
		if s.x == s.x {
			exact = fallback.SigmoidScalar64(float64(s.x))
		}
		fmt.Printf("| %s | %s | %s | %s |", s.label, f32(s.x), strconv.FormatFloat(exact, 'g', 10, 64), f32(float32(exact)))
		for j := range ks {
			got := results[j][i]
			mark := "✓"
			if why := accuracy.Check(s.x, got, *bound); why != "" {
				mark = "✗ " + why
				violations++
			} else if math.Float32bits(got) != math.Float32bits(float32(exact)) && s.x == s.x {
				mark = fmt.Sprintf("≈ (%.3g ULP)", accuracy.ULP(got, exact))
			}
			fmt.Printf(" %s %s |", f32(got), mark)
		}
		fmt.Println()
	}
	fmt.Printf("\n✓: correctly rounded (or NaN for NaN); ≈: not correctly rounded but within %g ULP; ✗: breaks the accuracy rules. "+
		"NearOneEdge (%s) is the smallest float32 whose sigmoid rounds to 1-2^-24: from there up to SaturationEdge (%s), "+
		"the smallest whose sigmoid rounds to 1, the result must be exactly 1-2^-24, and from SaturationEdge up exactly 1.\n\n",
		*bound, f32(accuracy.NearOneEdge), f32(accuracy.SaturationEdge))
	return violations
}

// f32 formats a float32 with the shortest decimal that reads back to it,
// and its bits for subnormals and NaNs.
func f32(x float32) string {
	s := strconv.FormatFloat(float64(x), 'g', -1, 32)
	if x != x || (x != 0 && math.Abs(float64(x)) < 0x1p-126) {
		s += fmt.Sprintf(" (%#08x)", math.Float32bits(x))
	}
	return s
}

func floats(xs []float32) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = f32(x)
	}
	return strings.Join(s, ", ")
}

// printFloat64 checks every kernel's Sigmoid64 on n inputs of
// accuracy.Inputs64(n, seed), all kernels at once (accuracy.CheckAll64
// computes the reference once), prints a table and each kernel's
// statistics, and returns the number of violations and a line for each
// kernel that has some.
func printFloat64(ks []kernel, n int, seed uint64) (violations uint64, problems []string) {
	fmt.Printf("## float64\n\n")
	fmt.Printf("- Checked: Sigmoid64 on %d inputs of accuracy.Inputs64 (seed %d) against a double-double reference, bound %g ULP of float64\n\n", n, seed, *bound)
	fmt.Fprintf(os.Stderr, "verify: generating %d float64 inputs\n", n)
	inputs := accuracy.Inputs64(n, seed)
	var fs []accuracy.Func64
	for _, k := range ks {
		fs = append(fs, accuracy.Func64{Name: k.Name, F: k.Sigmoid64})
	}
	fmt.Fprintf(os.Stderr, "verify: checking Sigmoid64 of %d kernels\n", len(fs))
	stats := accuracy.CheckAll64(fs, inputs, *bound)
	fmt.Printf("| kernel | inputs | max ULP | worst input | correctly rounded | subnormal results | violations | time |\n")
	fmt.Printf("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |\n")
	for _, s := range stats {
		fmt.Fprintf(os.Stderr, "verify: %v\n", s)
		cr := 100 * (1 - float64(s.NotCorrectlyRounded)/float64(max(s.Inputs, 1)))
		fmt.Printf("| %s | %d | %.4f | %v (%#016x) | %.4f%% (%d not) | %d | %d | %v |\n",
			s.Kernel, s.Inputs, s.MaxULP, s.Worst, math.Float64bits(s.Worst), cr, s.NotCorrectlyRounded,
			s.SubnormalResults, s.Violations, s.Duration.Round(time.Millisecond))
		violations += s.Violations
		if s.Violations > 0 {
			problems = append(problems, fmt.Sprintf("- %s: %d float64 violations; first: %s", s.Kernel, s.Violations, s.FirstViolation))
		}
	}
	fmt.Printf("\n")
	for _, s := range stats {
		fmt.Printf("    %v\n", s)
	}
	fmt.Printf("\nSubnormal results counts inputs whose exact result is below 2^-1022.\n\n")
	return violations, problems
}

// printSiLU sweeps every kernel's SiLU over the same float32 inputs as the
// sigmoid, against accuracy.SiLUWide under SiLU's rules (accuracy.CheckSiLU),
// and prints a table.
func printSiLU(ks []kernel, what string) (violations uint64, problems []string) {
	fmt.Printf("## SiLU\n\n- Checked: %s, against x·fallback.SigmoidScalar64(x) in float64, bound %g ULP; NaN, ±Inf and ±0 bit for bit\n\n", what, *bound)
	fmt.Printf("| kernel | inputs | max ULP | worst input | correctly rounded | subnormal results | violations | time |\n")
	fmt.Printf("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |\n")
	var fs []accuracy.Func
	for _, k := range ks {
		fs = append(fs, accuracy.Func{Name: k.Name, F: k.SiLU})
	}
	fmt.Fprintf(os.Stderr, "verify: SiLU: sweeping %s\n", what)
	for _, s := range accuracy.SweepAllSiLU(fs, uint32(*stride), *bound) {
		fmt.Fprintf(os.Stderr, "verify: SiLU: %v\n", s)
		cr := 100 * (1 - float64(s.NotCorrectlyRounded)/float64(max(s.Inputs, 1)))
		fmt.Printf("| %s | %d | %.4f | %v (%#08x) | %.4f%% (%d not) | %d | %d | %v |\n",
			s.Kernel, s.Inputs, s.MaxULP, s.Worst, math.Float32bits(s.Worst), cr, s.NotCorrectlyRounded,
			s.SubnormalResults, s.Violations, s.Duration.Round(time.Millisecond))
		if s.Violations > 0 {
			problems = append(problems, fmt.Sprintf("- %s: SiLU: %d violations; first: %s", s.Kernel, s.Violations, s.FirstViolation))
		}
		violations += s.Violations
	}
	fmt.Println()
	return violations, problems
}
