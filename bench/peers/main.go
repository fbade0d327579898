// Command peers times this package's sigmoid kernels side by side with
// XNNPACK's sigmoid operator and a SLEEF-based sigmoid, and its Tanh,
// Softplus and LogSigmoid with oneDNN's eltwise tanh, soft_relu and
// logsigmoid and SLEEF-based ones, in one process, on the same inputs,
// and measures their accuracy. It prints Markdown.
//
//	go run .            # full run: 5 sizes, 2 input ranges, 7 rounds (about a minute)
//	go run . -quick     # n = 4096 only, 3 rounds (seconds)
//	go run . -sweep     # also every float32 input through every float32 implementation
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
)

var (
	quick   = flag.Bool("quick", false, "n = 4096 only, 3 rounds, short timings, smaller accuracy sample")
	rounds  = flag.Int("rounds", 0, "timing rounds (default 7, 3 with -quick)")
	target  = flag.Duration("target", 0, "length of one timing (default 30ms, 10ms with -quick)")
	sizesF  = flag.String("sizes", "", "comma-separated element counts (default 4096,256,65536,1048576,16777216; 4096 with -quick)")
	sweep   = flag.Bool("sweep", false, "also check every one of the 2^32 float32 inputs (minutes)")
	clock   = flag.String("clock", "thread", "what a timing measures: thread (CPU time of the timing thread) or wall")
	stride  = flag.Uint("stride", 1, "with -sweep, every stride-th float32 bit pattern only")
	no64    = flag.Bool("no64", false, "leave out the float64 measurements")
	maxSpr  = flag.Float64("unreliable", 10, "flag rows whose spread (max-min, % of the median) exceeds this")
	headN   = 4096
	ranges  = []xrange{{-10, 10}, {-20, 20}}
	allSize = []int{4096, 256, 65536, 1 << 20, 1 << 24}
)

// xrange is an input distribution: uniform in [lo, hi).
type xrange struct{ lo, hi float64 }

func (r xrange) String() string { return fmt.Sprintf("[%g, %g)", r.lo, r.hi) }

func main() {
	flag.Parse()
	if *clock != "thread" && *clock != "wall" {
		fmt.Fprintln(os.Stderr, "peers: -clock is thread or wall")
		os.Exit(2)
	}
	// All timings on one OS thread: the C calls and the Go loops alike.
	runtime.LockOSThread()
	if *rounds <= 0 {
		*rounds = 7
		if *quick {
			*rounds = 3
		}
	}
	if *target <= 0 {
		*target = 30 * time.Millisecond
		if *quick {
			*target = 10 * time.Millisecond
		}
	}
	sizes := allSize
	if *quick {
		sizes = []int{headN}
	}
	if *sizesF != "" {
		var err error
		if sizes, err = parseSizes(*sizesF); err != nil {
			fmt.Fprintln(os.Stderr, "peers:", err)
			os.Exit(2)
		}
	}
	impls, notes := implementations()
	start := time.Now()

	fmt.Println("# Sigmoid, Tanh, Softplus and LogSigmoid: this package, XNNPACK, SLEEF and oneDNN side by side")
	fmt.Println()
	fmt.Print(header())
	for _, n := range notes {
		fmt.Printf("- Note: %s\n", n)
	}
	fmt.Printf("- Timing: %d rounds; in each, every implementation runs once, in rotated order, "+
		"for about %v (one timing = many calls over the same slices); ns/element is the median over the rounds, "+
		"spread is (max-min)/median; rows with spread over %g%% are marked unreliable\n",
		*rounds, *target, *maxSpr)
	fmt.Printf("- Clock: %s\n", clockName())
	fmt.Printf("- Inputs: uniform in %s and %s from a fixed pseudo-random generator (the same every run), "+
		"out of place (dst ≠ src); sizes: %s\n", ranges[0], ranges[1], sizeList(sizes))
	fmt.Println("- Ratios are median time over the median time of XNNPACK, or of SLEEF for the same ISA: below 1 is faster")
	fmt.Println()

	in := newInputs(sizes)
	r32 := measure(impls, in.f32, sizes, func(m *impl) func([]float32, []float32, int) { return m.run32 })
	var r64 results
	if !*no64 {
		r64 = measure(impls, in.f64, sizes, func(m *impl) func([]float64, []float64, int) { return m.run64 })
	}

	if contains(sizes, headN) {
		fmt.Printf("## Headline: n = %d, x in %s\n\n", headN, ranges[0])
		printTable(r32, "float32", []int{headN}, ranges[:1])
		if r64.by != nil {
			printTable(r64, "float64", []int{headN}, ranges[:1])
		}
	}
	fmt.Println("## Speed: float32")
	fmt.Println()
	printTable(r32, "float32", sizes, ranges)
	if r64.by != nil {
		fmt.Println("## Speed: float64")
		fmt.Println()
		printTable(r64, "float64", sizes, ranges)
	}

	sample := 1 << 20
	if *quick {
		sample = 1 << 16
	}
	fmt.Println("## Accuracy")
	fmt.Println()
	accuracy32(impls, in.f32, sample)
	if !*no64 {
		accuracy64(impls, in.f64, sample)
	}
	if contains(sizes, headN) {
		printFunctions(in.f32)
	}
	if *sweep {
		sweepAll(impls)
	}
	fmt.Printf("Total run time %v.\n", time.Since(start).Round(time.Second))
}

func parseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		var n int
		if _, err := fmt.Sscan(strings.TrimSpace(f), &n); err != nil || n <= 0 {
			return nil, fmt.Errorf("bad size %q in -sizes", f)
		}
		out = append(out, n)
	}
	return out, nil
}

func sizeList(sizes []int) string {
	s := make([]string, len(sizes))
	for i, n := range sizes {
		s[i] = sizeName(n)
	}
	return strings.Join(s, ", ")
}

// sizeName writes powers of two from 2^16 up as such.
func sizeName(n int) string {
	if n >= 1<<16 && n&(n-1) == 0 {
		e := 0
		for 1<<e < n {
			e++
		}
		return fmt.Sprintf("2^%d", e)
	}
	return fmt.Sprint(n)
}

func contains(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
