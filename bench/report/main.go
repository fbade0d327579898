// Command report measures every kernel this CPU runs against two
// baselines, the naive Go loop and copy(), for every function (Sigmoid,
// SigmoidBackward, SiLU, SiLUBackward, Tanh, TanhBackward, Softplus,
// SoftplusBackward, LogSigmoid, LogSigmoidBackward, GLU, GLUBackward,
// SwiGLU, SwiGLUBackward, BCEWithLogits, BCEWithLogitsBackward,
// BCEWithLogitsMean, and their float64 versions), checks each kernel's
// sigmoid on a sample of all float32 inputs and on a mixed set of float64
// ones, and prints the results as Markdown:
//
//	go -C bench/report run .                  # a few minutes
//	go -C bench/report run . -quick           # two minutes or so
//	go -C bench/report run . -exhaustive      # all 2^32 inputs
//
// (from the repository root; the report is a module of its own, so that
// its plotting libraries stay out of the library's module graph).
//
// The tables: the speed of Sigmoid ("## Speed") and of SigmoidBackward
// against the baselines, the same for Sigmoid64 ("## float64") and
// SigmoidBackward64, then each other function ("## SiLU", "## SiLU64",
// "## Tanh backward pass (TanhBackward)", …, each forward function
// followed by its backward pass, then "## GLU", "## GLU64",
// "## GLUBackward", "## GLUBackward64", "## SwiGLU", "## SwiGLU64",
// "## SwiGLUBackward", "## SwiGLUBackward64", "## BCEWithLogits",
// "## BCEWithLogits64", "## BCEWithLogitsBackward",
// "## BCEWithLogitsBackward64", "## BCEWithLogitsAndBackward",
// "## BCEWithLogitsAndBackward64", "## BCEWithLogitsMean" and
// "## BCEWithLogitsMean64", the functions of several slices, with one
// input on Sigmoid's inputs and the others fixed) at 4096 and the largest
// size, the float32 accuracy on the bit-pattern sample and the float64
// accuracy on -n64 inputs of accuracy.Inputs64. The tables of the
// gradients (GLUBackward, SwiGLUBackward, BCEWithLogitsBackward) also give
// each kernel's time over its own SiLUBackward's on the same x and dy, and
// BCEWithLogitsAndBackward's and BCEWithLogitsMean's over their own
// Softplus's on the same x, each timed in the same rounds as the rest of
// the table.
//
// It also draws 68 figures (with -figures sigmoid, only Sigmoid's and
// Sigmoid64's four), each as SVG and PNG, and writes report.md
// with the figures and the tables, into the -out directory, by default a
// new directory under the system's temporary directory (its name is
// printed at the end), so that a run leaves the checkout clean:
//
//   - throughput-<function>.svg for every function but the sigmoid, both
//     element types (timed at every power of 4 among the sizes, 16 with
//     -quick), and accuracy-<function>.svg, their largest error against x
//     (the backward passes with dy = 1, SigmoidBackward at y = Sigmoid(x),
//     TanhBackward at y = Tanh(x), GLU, a·σ(b), with a = 1 and b = x,
//     SwiGLU, silu(gate)·up, with up = 1 and gate = x, where it is SiLU(x)
//     in value but is held to SwiGLU's own references
//     (accuracy.SwiGLUWide, accuracy.SwiGLUExact64), BCEWithLogits,
//     log(1+exp(z)) - t·z, with t = 0 and z = x, where it is Softplus(x)
//     bit for bit and is held to Softplus's exact reference, GLUBackward's
//     db, dy·a·σ(b)·σ(-b), with dy = a = 1 and b = x, where it is σ'(x)
//     (its da is then σ(x), as GLU's figure has it), SwiGLUBackward's
//     dgate, dy·up·silu'(gate), with dy = up = 1 and gate = x, where it is
//     SiLUBackward's silu'(x) bit for bit (its dup is then silu(x), as
//     SwiGLU's figure has it), and BCEWithLogitsBackward, dy·(σ(z) - t),
//     with dy = 1, t = 0 and z = x, where it is σ(x), these three held to
//     their own references (accuracy.GLUBackwardWide and
//     GLUBackwardDBExact64, SwiGLUBackwardWide and
//     SwiGLUBackwardDGateExact64, BCEWithLogitsBackwardWide and
//     BCEWithLogitsBackwardExact64); SoftplusBackward and GLU are then
//     σ(x) and LogSigmoidBackward σ(-x), whose figures run mirrored, over
//     [-20, 110] and [-45, 760], to reach its subnormal results), with the
//     range of subnormal results shaded. BCEWithLogitsAndBackward and
//     BCEWithLogitsMean have no accuracy figure (noAccuracyFigure): their
//     losses and dz are BCEWithLogits's and BCEWithLogitsBackward's (with
//     dy = 1/n for the mean), bit for bit, and the mean is one number;
//   - throughput.svg (Sigmoid) and throughput64.svg (Sigmoid64): elements
//     per second against slice length, log-log, a line per kernel and
//     baseline, the L1d, L2 and L3 sizes marked (as slice lengths: bytes/8
//     for float32, whose elements read 4 bytes of src and write 4 of dst,
//     bytes/16 for float64);
//   - accuracy.svg: the largest float32 error in ULPs in each bin of x over
//     [-110, 20], a panel per kernel, with the subnormal-result range and
//     the points where results round to 0, to 1-2^-24 and to 1 marked, and
//     right of each panel a close-up of x in [15.5, 18], where results must
//     be exactly 1-2^-24 from 16.23 and exactly 1 from 17.33;
//   - accuracy64.svg: the same for Sigmoid64 against the double-double
//     reference, over [-760, 45], with a close-up of [35.5, 38].
//
// A relative -out or -check directory is taken from the directory the
// command was run from (go -C changes the directory the program runs in,
// not $PWD), and the report prints the absolute path it wrote to. The
// files in docs/ come from (at the repository root)
//
//	go -C bench/report run . -figures sigmoid -out docs > /dev/null
//
// and CI checks that a quick run produces readable files (SVG that parses
// as XML, PNG that decodes to a non-blank image) with
//
//	go -C bench/report run . -quick -out "${TMPDIR:-/tmp}/r" > /dev/null &&
//	go -C bench/report run . -check "${TMPDIR:-/tmp}/r"
//
// Each size is timed in -count rounds; in each round every kernel and
// baseline runs once, interleaved (A, B, C, then B, C, A, ...: the order
// rotates so that none always runs first), so that noise from the rest of
// the machine falls on all of them alike. The tables give the median of the
// rounds and their spread, (slowest - fastest) / median; a spread above
// 10% is flagged with a warning, as such figures should not be trusted.
// Progress and warnings go to stderr, the report to stdout. The exit
// status is 1 if any kernel breaks the accuracy rules of internal/accuracy
// (the files are written all the same) or a file cannot be written, 2 on
// bad flags.
//
// For statistics across runs or commits use the benchmarks in package bench
// with benchstat instead (see its package comment).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/simdsigmoid/sigmoid/bench/internal/sysinfo"
	"github.com/simdsigmoid/sigmoid/bench/internal/workload"
	"github.com/simdsigmoid/sigmoid/bench/report/internal/plot"
	"github.com/simdsigmoid/sigmoid/internal/accuracy"
	"github.com/simdsigmoid/sigmoid/kernels"
)

const (
	naive = "naive"
	cpy   = "copy"

	// inputLo and inputHi bound the benchmark inputs: the whole curve short
	// of saturation, as in package bench.
	inputLo, inputHi = -10, 10

	defaultStride = 251 // a prime: about 17.1 million inputs per kernel
	quickStride   = 997 // about 4.3 million

	// How many float64 inputs (accuracy.Inputs64) the accuracy check takes.
	defaultInputs64 = 1_000_000
	quickInputs64   = 100_000
)

var (
	sizesFlag   = flag.String("sizes", "", "comma-separated slice lengths, such as 16,4096,1<<20 (default every power of 2 from 16 to 1<<24; with -quick, every power of 4 from 16 to 1<<20)")
	kernelsFlag = flag.String("kernels", "", "comma-separated kernels to measure (default every available one); the naive and copy baselines are always measured")
	count       = flag.Int("count", 5, "timed rounds per size, every kernel once a round, interleaved; the median is reported")
	minTime     = flag.Duration("mintime", 50*time.Millisecond, "minimum duration of one timed repetition (default 20ms with -quick)")
	quick       = flag.Bool("quick", false, "a run of a couple of minutes: fewer and smaller sizes, fewer repetitions, a sparser accuracy sample")
	exhaustive  = flag.Bool("exhaustive", false, "check accuracy on all 2^32 inputs (stride 1; minutes per kernel)")
	stride      = flag.Uint("stride", 0, fmt.Sprintf("check accuracy on every stride-th float32 bit pattern (default %d; %d with -quick; 1 with -exhaustive)", defaultStride, quickStride))
	inputs64    = flag.Int("n64", defaultInputs64, fmt.Sprintf("check float64 accuracy on this many inputs of accuracy.Inputs64 (%d with -quick)", quickInputs64))
	bound       = flag.Float64("bound", 1, "largest error in ULPs the accuracy check accepts")
	noAccuracy  = flag.Bool("noaccuracy", false, "skip the accuracy section and figure")
	outDir      = flag.String("out", "", "directory for the figures and report.md (created if missing; a relative path is taken from the directory the command was run from, which go -C leaves in $PWD; default a new directory under "+os.TempDir()+")")
	figuresFlag = flag.String("figures", "all", "the figures to draw: all (every function's), or sigmoid (Sigmoid's and Sigmoid64's four, as in docs/)")
	checkFlag   = flag.String("check", "", "only check that `dir` holds the figures and report.md of a run with -out dir (SVG parses as XML, PNG decodes), then exit 0 or 1")
)

type candidate[F workload.Float] struct {
	name   string
	f      func(dst, src []F)
	kernel bool // a real kernel, not a baseline
}

// progress receives the progress lines: stderr, or a buffer in the tests.
var progress io.Writer = os.Stderr

type result struct {
	name   string
	n      int
	ns     float64 // median ns per call
	spread float64 // (slowest - fastest) / median
	iqr    float64 // interquartile range / median
}

func main() {
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: report [flags] > report.md\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	set := map[string]bool{}
	flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["check"] {
		dir, err := userPath(*checkFlag)
		if err != nil {
			fail(err)
		}
		*checkFlag = dir
		if err := checkDir(*checkFlag); err != nil {
			fmt.Fprintf(os.Stderr, "report: check failed:\n%v\n", err)
			os.Exit(1)
		}
		fmt.Fprintf(os.Stderr, "report: %s: figures and %s ok\n", *checkFlag, reportFile)
		return
	}

	// Every power of two, so that the throughput figure shows where each
	// cache runs out.
	sizes := powers(16, 1<<24, 2)
	if *quick {
		sizes = powers(16, 1<<20, 4)
		if !set["mintime"] {
			*minTime = 20 * time.Millisecond
		}
	}
	if *sizesFlag != "" {
		var err error
		if sizes, err = parseSizes(*sizesFlag); err != nil {
			fail(err)
		}
	}
	if *count < 1 {
		fail(fmt.Errorf("-count %d: want at least 1", *count))
	}
	if *figuresFlag != "all" && *figuresFlag != "sigmoid" {
		fail(fmt.Errorf("-figures %q: want all or sigmoid", *figuresFlag))
	}
	sweepStride := uint32(defaultStride)
	switch {
	case set["stride"]:
		if *stride < 1 || *stride > math.MaxUint32 {
			fail(fmt.Errorf("-stride %d: want 1..2^32-1", *stride))
		}
		sweepStride = uint32(*stride)
	case *exhaustive:
		sweepStride = 1
	case *quick:
		sweepStride = quickStride
	}
	n64 := *inputs64
	if !set["n64"] && *quick {
		n64 = quickInputs64
	}
	if n64 < 1 {
		fail(fmt.Errorf("-n64 %d: want at least 1", n64))
	}
	cands, err := candidates[float32](*kernelsFlag)
	if err != nil {
		fail(err)
	}
	cands64, err := candidates[float64](*kernelsFlag)
	if err != nil {
		fail(err)
	}
	if *outDir, err = outputDir(*outDir); err != nil {
		fail(err)
	}
	fmt.Fprintf(os.Stderr, "report: writing the figures and %s into %s\n", reportFile, *outDir)
	perBin := 1024 // inputs per bin of the accuracy figure
	switch {
	case *exhaustive:
		perBin = 16384
	case *quick:
		perBin = 32
	}

	date := time.Now()
	title := "# sigmoid kernels: speed and accuracy\n\n"
	fmt.Print(title)
	// body keeps a copy of the Markdown for report.md.
	var body bytes.Buffer
	out := io.MultiWriter(os.Stdout, &body)
	fmt.Fprint(out, sysinfo.Markdown())
	fmt.Fprintf(out, "- Settings: median of %d interleaved rounds of at least %v per kernel each; inputs uniform in [%d, %d); accuracy on every %d-th float32 bit pattern and on %d float64 inputs, bound %g ULP\n\n",
		*count, *minTime, inputLo, inputHi, sweepStride, n64, *bound)

	// The sigmoid is timed at every size; the other functions at powers of
	// 4 (with -quick, 16) for their figures, their tables showing 4096 and
	// the largest.
	results := measure("Sigmoid", cands, sizes)
	noisy := printSpeed[float32](out, "Sigmoid", sizes, results)
	bsizes := backwardSizes(sizes)
	step := 2
	if *quick {
		step = 4
	}
	csizes := curveSizes(sizes, bsizes, step)
	type timed struct {
		fn      string
		results []result
	}
	var timed32, timed64 []timed
	r := measure("SigmoidBackward", backwardCandidates(cands, csizes, "Sigmoid"), csizes)
	noisy += printBackward[float32](out, "Sigmoid", bsizes, r)
	timed32 = append(timed32, timed{"SigmoidBackward", r})
	results64 := measure("Sigmoid", cands64, sizes)
	noisy += printSpeed[float64](out, "Sigmoid", sizes, results64)
	r = measure("SigmoidBackward", backwardCandidates(cands64, csizes, "Sigmoid"), csizes)
	noisy += printBackward[float64](out, "Sigmoid", bsizes, r)
	timed64 = append(timed64, timed{"SigmoidBackward", r})
	// The other functions: float32, its backward pass, then float64's.
	for _, fn := range unaryFunctions {
		r = measure(fn, unaryCandidates(fn, cands), csizes)
		noisy += printSpeed[float32](out, fn, bsizes, r)
		timed32 = append(timed32, timed{fn, r})
		if hasBackward[fn] {
			r = measure(fn+"Backward", backwardCandidates(cands, csizes, fn), csizes)
			noisy += printBackward[float32](out, fn, bsizes, r)
			timed32 = append(timed32, timed{fn + "Backward", r})
		}
		r = measure(fn, unaryCandidates(fn, cands64), csizes)
		noisy += printSpeed[float64](out, fn, bsizes, r)
		timed64 = append(timed64, timed{fn, r})
		if hasBackward[fn] {
			r = measure(fn+"Backward", backwardCandidates(cands64, csizes, fn), csizes)
			noisy += printBackward[float64](out, fn, bsizes, r)
			timed64 = append(timed64, timed{fn + "Backward", r})
		}
	}
	// The functions of several slices, each forward function followed by
	// its gradients: GLU, a·σ(b), b the inputs above and a uniform in
	// [-1, 1) as dy, and GLUBackward; SwiGLU, silu(gate)·up, gate the
	// inputs above and up as GLU's a, and SwiGLUBackward; BCEWithLogits,
	// log(1+exp(z)) - t·z, z the inputs above and t half labels, half
	// smoothed ones (workload.Targets), BCEWithLogitsBackward and
	// BCEWithLogitsMean. The gradients are timed next to each kernel's own
	// SiLUBackward (BCEWithLogitsMean: Softplus), in the same rounds.
	for _, fn := range multiFunctions {
		r = measure(fn, multiCandidates(fn, cands, csizes), csizes)
		noisy += printMulti[float32](out, fn, bsizes, r)
		timed32 = append(timed32, timed{fn, r})
		r = measure(fn, multiCandidates(fn, cands64, csizes), csizes)
		noisy += printMulti[float64](out, fn, bsizes, r)
		timed64 = append(timed64, timed{fn, r})
	}
	if noisy > 0 {
		fmt.Fprintf(os.Stderr, "report: WARNING: %d measurements have an interquartile range above %.0f%% of their median: the machine was busy; "+
			"do not trust those figures, rerun on a quiet machine or with a larger -count\n", noisy, 100*noisySpread)
	}
	allFigures := *figuresFlag == "all"
	throughputs := []plot.Throughput{throughputFigure("Sigmoid", cands, results, date)}
	for _, t := range timed32 {
		if allFigures {
			throughputs = append(throughputs, throughputFigure(t.fn, cands, t.results, date))
		}
	}
	throughputs = append(throughputs, throughputFigure("Sigmoid", cands64, results64, date))
	for _, t := range timed64 {
		if allFigures {
			throughputs = append(throughputs, throughputFigure(t.fn, cands64, t.results, date))
		}
	}
	var figures []string
	for _, t := range throughputs {
		if err := plot.WriteThroughput(*outDir, t); err != nil {
			fmt.Fprintf(os.Stderr, "report: %v\n", err)
			os.Exit(1)
		}
		figures = append(figures, t.File)
	}

	var violations uint64
	if !*noAccuracy {
		violations = printAccuracy(out, cands, sweepStride)
		violations += printAccuracy64(out, cands64, n64)
		fmt.Fprintf(os.Stderr, "report: accuracy figures, %d inputs per bin\n", perBin)
		if err := plot.WriteAccuracy(*outDir, accuracyFigure(cands, perBin, *bound, date)); err != nil {
			fmt.Fprintf(os.Stderr, "report: %v\n", err)
			os.Exit(1)
		}
		if err := plot.WriteAccuracy(*outDir, accuracyFigure64(cands64, perBin, *bound, date)); err != nil {
			fmt.Fprintf(os.Stderr, "report: %v\n", err)
			os.Exit(1)
		}
		figures = append(figures, plot.AccuracyFile, plot.AccuracyFile64)
		for _, fn := range otherFunctions {
			if noAccuracyFigure[fn] || !allFigures {
				continue
			}
			a := otherAccuracies[fn]
			for _, f := range []plot.Accuracy{otherAccuracyFigure(a, perBin, date), otherAccuracyFigure64(a, perBin, date)} {
				if err := plot.WriteAccuracy(*outDir, f); err != nil {
					fmt.Fprintf(os.Stderr, "report: %v\n", err)
					os.Exit(1)
				}
				figures = append(figures, f.File)
			}
		}
	}
	written, err := writeReport(*outDir, title, body.String(), figures, os.Args[1:], date)
	if err != nil {
		fmt.Fprintf(os.Stderr, "report: %v\n", err)
		os.Exit(1)
	}
	files := strings.Join(figures, ".{svg,png}, ") + ".{svg,png}"
	if written {
		files += ", " + reportFile
	}
	fmt.Fprintf(os.Stderr, "report: wrote %s in %s\n", files, *outDir)
	if violations > 0 {
		fmt.Fprintf(os.Stderr, "report: %d accuracy violations\n", violations)
		os.Exit(1)
	}
}

// outputDir returns the absolute path of dir (see userPath), created if
// missing, or if dir is "" a new directory under os.TempDir(): by default
// the report writes nothing into the working directory, which is usually a
// checkout.
func outputDir(dir string) (string, error) {
	if dir == "" {
		return os.MkdirTemp("", "sigmoid-report-")
	}
	dir, err := userPath(dir)
	if err != nil {
		return "", err
	}
	return dir, os.MkdirAll(dir, 0o755)
}

// userPath returns path made absolute against the directory the user ran
// the command from. go -C bench/report run . runs the program in
// bench/report but leaves PWD, which the shell set, naming the user's
// directory: so a relative path is taken from PWD when PWD is an absolute
// path to a directory, else from the working directory.
func userPath(path string) (string, error) {
	if filepath.IsAbs(path) {
		return filepath.Clean(path), nil
	}
	if pwd := os.Getenv("PWD"); filepath.IsAbs(pwd) {
		if fi, err := os.Stat(pwd); err == nil && fi.IsDir() {
			return filepath.Join(pwd, path), nil
		}
	}
	return filepath.Abs(path)
}

// powers returns lo, lo*factor, lo*factor^2, ... up to hi.
func powers(lo, hi, factor int) []int {
	var s []int
	for n := lo; n <= hi; n *= factor {
		s = append(s, n)
	}
	return s
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "report: %v\n", err)
	os.Exit(2)
}

// candidates returns the kernels to measure (their Sigmoid or Sigmoid64),
// the active one first, then the naive and copy baselines.
func candidates[F workload.Float](filter string) ([]candidate[F], error) {
	all := kernels.Kernels()
	active := kernels.Active()
	slices.SortStableFunc(all, func(a, b kernels.Kernel) int {
		switch {
		case a.Name() == active && b.Name() != active:
			return -1
		case b.Name() == active && a.Name() != active:
			return 1
		}
		return 0
	})
	want := map[string]bool{}
	if filter != "" {
		for _, name := range strings.Split(filter, ",") {
			name = strings.TrimSpace(name)
			known := name == naive || name == cpy
			for _, k := range all {
				known = known || k.Name() == name
			}
			if !known {
				return nil, fmt.Errorf("-kernels: no kernel %q on this CPU (available: %s)", name, strings.Join(kernels.Available(), ", "))
			}
			want[name] = true
		}
	}
	var cs []candidate[F]
	for _, k := range all {
		if filter == "" || want[k.Name()] {
			sigmoid, _ := workload.KernelFuncs[F](k)
			cs = append(cs, candidate[F]{k.Name(), sigmoid, true})
		}
	}
	return append(cs, candidate[F]{naive, workload.Naive[F], false}, candidate[F]{cpy, workload.Copy[F], false}), nil
}

// parseSizes reads a comma-separated list of lengths, each a decimal number
// or 1<<k.
func parseSizes(s string) ([]int, error) {
	var sizes []int
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		var n int
		if base, shift, ok := strings.Cut(f, "<<"); ok {
			b, err1 := strconv.Atoi(strings.TrimSpace(base))
			k, err2 := strconv.Atoi(strings.TrimSpace(shift))
			if err1 != nil || err2 != nil || k < 0 || k > 30 {
				return nil, fmt.Errorf("-sizes: bad size %q", f)
			}
			n = b << k
		} else {
			var err error
			if n, err = strconv.Atoi(f); err != nil {
				return nil, fmt.Errorf("-sizes: bad size %q", f)
			}
		}
		if n < 1 || n > 1<<28 {
			return nil, fmt.Errorf("-sizes: size %d outside 1..1<<28", n)
		}
		sizes = append(sizes, n)
	}
	return sizes, nil
}

// measure times every candidate, each running function fn (its float32
// name, as "SiLUBackward"), at every size and returns the medians, in
// size-major order. Progress goes to the progress writer.
func measure[F workload.Float](fn string, cands []candidate[F], sizes []int) []result {
	// One thread for all the timing: no migration between cores mid-run.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	maxN := slices.Max(sizes)
	fmt.Fprintf(progress, "report: generating %d %T inputs\n", maxN, F(0))
	srcAll := workload.Uniform[F](maxN, inputLo, inputHi, workload.Seed)
	dstAll := make([]F, maxN)
	copy(dstAll, srcAll) // fault every page in before timing

	var results []result
	for _, n := range sizes {
		src, dst := srcAll[:n], dstAll[:n]
		start := time.Now()
		iters := make([]int, len(cands))
		for i, c := range cands {
			iters[i] = calibrate(c.f, dst, src, *minTime)
		}
		samples := make([][]float64, len(cands))
		for round := range *count {
			// Interleave the candidates so that a burst of noise from the
			// rest of the machine does not hit one of them only, starting
			// each round with the next one so that none always runs first
			// (after the previous size's GC, say).
			for k := range cands {
				i := (round + k) % len(cands)
				d := timeCalls(cands[i].f, dst, src, iters[i])
				samples[i] = append(samples[i], float64(d.Nanoseconds())/float64(iters[i]))
			}
		}
		for i, c := range cands {
			m := median(samples[i])
			results = append(results, result{c.name, n, m, (slices.Max(samples[i]) - slices.Min(samples[i])) / m, iqr(samples[i]) / m})
		}
		fmt.Fprintf(progress, "report: %s n=%d measured in %v\n", workload.FuncName[F](fn), n, time.Since(start).Round(time.Millisecond))
		runtime.GC()
	}
	return results
}

// timeCalls returns how long iters calls of f take.
func timeCalls[F workload.Float](f func(dst, src []F), dst, src []F, iters int) time.Duration {
	start := time.Now()
	for range iters {
		f(dst, src)
	}
	return time.Since(start)
}

// calibrate returns how many calls of f take about d, warming caches and
// branch predictors on the way.
func calibrate[F workload.Float](f func(dst, src []F), dst, src []F, d time.Duration) int {
	iters := 1
	for {
		el := timeCalls(f, dst, src, iters)
		if el >= d/4 || iters >= 1<<30 {
			return max(1, int(math.Ceil(float64(iters)*float64(d)/float64(max(el, 1)))))
		}
		grow := 100
		if el > 0 {
			grow = min(100, max(2, int(float64(d)/float64(el))))
		}
		iters *= grow
	}
}

// iqr returns the interquartile range of xs, the quartiles interpolated
// linearly between order statistics.
func iqr(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	q := func(p float64) float64 {
		h := p * float64(len(s)-1)
		i := int(h)
		if i+1 >= len(s) {
			return s[len(s)-1]
		}
		return s[i] + (h-float64(i))*(s[i+1]-s[i])
	}
	return q(0.75) - q(0.25)
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// baselines returns the naive loop's and copy()'s median times at n.
func baselines(results []result, n int) (naiveNs, copyNs float64) {
	for _, r := range results {
		if r.n == n {
			switch r.name {
			case naive:
				naiveNs = r.ns
			case cpy:
				copyNs = r.ns
			}
		}
	}
	return naiveNs, copyNs
}

// noisySpread is the interquartile range, as a fraction of the median,
// above which a measurement is flagged: the middle half of its rounds
// differ by more than this, so the median is not to be trusted.
const noisySpread = 0.10

// spreadCell formats a result's spread, its interquartile range then its
// full range as percentages of the median, flagged with a warning sign if
// the former is above noisySpread, and counts the flagged ones in *noisy.
func spreadCell(r result, noisy *int) string {
	cell := fmt.Sprintf("%.0f%% (%.0f%%)", 100*r.iqr, 100*r.spread)
	if r.iqr > noisySpread {
		*noisy++
		cell += " ⚠"
	}
	return cell
}

// noiseWarning prints, under a table with noisy flagged rows, what the flag
// means.
func noiseWarning(w io.Writer, noisy int) {
	if noisy > 0 {
		fmt.Fprintf(w, "**Warning: %d of these measurements (⚠) have an interquartile range above %.0f%% of their median: "+
			"the machine was busy while they ran, so their figures cannot be trusted.** "+
			"Rerun on a quiet machine, or with a larger -count.\n\n", noisy, 100*noisySpread)
	}
}

// printSpeed prints the speed table of Sigmoid (under "## Speed") or of
// Sigmoid64 (under "## float64") and returns the number of rows whose
// spread is above noisySpread.
func printSpeed[F workload.Float](w io.Writer, fn string, sizes []int, results []result) (noisy int) {
	active := kernels.Active()
	is64 := workload.ElemSize[F]() == 8
	switch {
	case fn != "Sigmoid" && is64:
		fmt.Fprintf(w, "%s\n\n%s64, %s, on the same inputs.\n\n", speedHeading(fn, true), fn, formulas[fn])
	case fn != "Sigmoid":
		fmt.Fprintf(w, "%s\n\n%s, %s, on the same inputs as Sigmoid.\n\n", speedHeading(fn, false), fn, formulas[fn])
	case is64:
		fmt.Fprintf(w, "## float64\n\nSigmoid64, on the same inputs as Sigmoid above, rounded to float64.\n\n")
	default:
		fmt.Fprintf(w, "## Speed\n\n")
	}
	fmt.Fprintf(w, "| kernel | n | ns/element | Gelem/s | speed-up over naive Go | fraction of copy() bandwidth | spread: IQR (min–max) |\n")
	fmt.Fprintf(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, n := range sizes {
		naiveNs, copyNs := baselines(results, n)
		for _, r := range results {
			if r.n != n {
				continue
			}
			name := r.name
			if name == active {
				name += " (active)"
			}
			perElem := r.ns / float64(n)
			fmt.Fprintf(w, "| %s | %d | %.3f | %.2f | %.1f× | %.2f | %s |\n",
				name, n, perElem, 1/perElem, naiveNs/r.ns, copyNs/r.ns, spreadCell(r, &noisy))
		}
	}
	naiveExpr := "float32(1/(1+math.Exp(-float64(x))))"
	if workload.ElemSize[F]() == 8 {
		naiveExpr = "1/(1+math.Exp(-x))"
	}
	if e, ok := naiveExprs[fn]; ok {
		naiveExpr = e
	}
	fmt.Fprintf(w, "\nns/element and Gelem/s are per input element (%d bytes read, %[1]d written). "+
		"Speed-up is naive time / kernel time, naive being `%s` in a loop. "+
		"Fraction of copy() bandwidth is copy time / kernel time: 1 means the kernel runs as fast as copying its input, "+
		"which it approaches where memory, not arithmetic, is the limit (large n). "+
		"Spread is the interquartile range, then in parentheses slowest - fastest, of the %d interleaved rounds, as percentages of the median: "+
		"where it is large the machine was noisy, "+
		"so compare ratios (measured interleaved) rather than absolute times.\n\n", workload.ElemSize[F](), naiveExpr, *count)
	noiseWarning(w, noisy)
	return noisy
}

// printAccuracy sweeps every measured kernel and returns the number of
// violations of the accuracy rules.
func printAccuracy(w io.Writer, cands []candidate[float32], stride uint32) uint64 {
	fmt.Fprintf(w, "## Accuracy\n\n")
	specials := accuracy.Specials()
	fmt.Fprintf(w, "Every %d-th float32 bit pattern (%s) and the %d special inputs of accuracy.Specials "+
		"(NaNs, infinities, zeros, and the neighbours of the saturation, overflow and subnormal edges), "+
		"against a float64 reference (accuracy.SigmoidWide), bound %g ULP.\n\n",
		stride, describeStride(stride), len(specials), *bound)
	var rows []accuracyRow
	for _, c := range cands {
		if !c.kernel {
			continue
		}
		fmt.Fprintf(os.Stderr, "report: accuracy of %s, stride %d\n", c.name, stride)
		s := merge(accuracy.Sweep(c.name, c.f, stride, *bound), accuracy.CheckInputs(c.name, c.f, specials, *bound))
		rows = append(rows, accuracyRow{s.Kernel, s.Inputs, s.MaxULP, fmt.Sprintf("%v (%#08x)", s.Worst, math.Float32bits(s.Worst)),
			s.NotCorrectlyRounded, s.SubnormalResults, s.Violations, s.FirstViolation, s.Duration})
	}
	return printAccuracyRows(w, rows)
}

// printAccuracy64 checks every measured kernel's Sigmoid64 on n inputs of
// accuracy.Inputs64, all kernels at once (accuracy.CheckAll64 computes the
// reference once), and returns the number of violations of the accuracy rules.
func printAccuracy64(w io.Writer, cands []candidate[float64], n int) uint64 {
	fmt.Fprintf(w, "## float64 accuracy\n\n")
	fmt.Fprintf(w, "Sigmoid64 on %d inputs of accuracy.Inputs64 (seed %d: ordinary values, the subnormal-result and saturation ranges, "+
		"random bit patterns and the special inputs of accuracy.Specials64) against a double-double reference, bound %g ULP of float64. "+
		"`go run ./bench/cmd/verify` checks 10^8.\n\n", n, workload.Seed, *bound)
	var fs []accuracy.Func64
	for _, c := range cands {
		if c.kernel {
			fs = append(fs, accuracy.Func64{Name: c.name, F: c.f})
		}
	}
	fmt.Fprintf(os.Stderr, "report: float64 accuracy of %d kernels, %d inputs\n", len(fs), n)
	var rows []accuracyRow
	for _, s := range accuracy.CheckAll64(fs, accuracy.Inputs64(n, workload.Seed), *bound) {
		rows = append(rows, accuracyRow{s.Kernel, s.Inputs, s.MaxULP, fmt.Sprintf("%v (%#016x)", s.Worst, math.Float64bits(s.Worst)),
			s.NotCorrectlyRounded, s.SubnormalResults, s.Violations, s.FirstViolation, s.Duration})
	}
	return printAccuracyRows(w, rows)
}

// accuracyRow is one kernel's line in an accuracy table.
type accuracyRow struct {
	kernel                string
	inputs                uint64
	maxULP                float64
	worst                 string
	notCR, subnormal, bad uint64
	first                 string
	d                     time.Duration
}

// printAccuracyRows prints an accuracy table and the first violation of
// each kernel that has some, and returns the number of violations.
func printAccuracyRows(w io.Writer, rows []accuracyRow) uint64 {
	fmt.Fprintf(w, "| kernel | inputs checked | max ULP | worst input | not correctly rounded | subnormal results | violations | time |\n")
	fmt.Fprintf(w, "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |\n")
	var total uint64
	var firsts []string
	for _, r := range rows {
		fmt.Fprintf(w, "| %s | %d | %.4f | %s | %d (%.3f%%) | %d | %d | %v |\n",
			r.kernel, r.inputs, r.maxULP, r.worst,
			r.notCR, 100*float64(r.notCR)/float64(max(r.inputs, 1)),
			r.subnormal, r.bad, r.d.Round(time.Millisecond))
		total += r.bad
		if r.bad > 0 {
			firsts = append(firsts, fmt.Sprintf("- %s: %s", r.kernel, r.first))
		}
	}
	fmt.Fprintln(w)
	if len(firsts) > 0 {
		fmt.Fprintf(w, "**Violations** (first per kernel):\n\n%s\n\n", strings.Join(firsts, "\n"))
	} else {
		fmt.Fprintf(w, "No violations.\n\n")
	}
	return total
}

// merge adds the special-input check t to the sweep s.
func merge(s, t accuracy.Stats) accuracy.Stats {
	s.Inputs += t.Inputs
	s.NotCorrectlyRounded += t.NotCorrectlyRounded
	s.SubnormalResults += t.SubnormalResults
	s.Duration += t.Duration
	if t.MaxULP > s.MaxULP {
		s.MaxULP, s.Worst = t.MaxULP, t.Worst
	}
	if t.Violations > 0 && s.Violations == 0 {
		s.FirstViolation = t.FirstViolation
	}
	s.Violations += t.Violations
	return s
}

func describeStride(stride uint32) string {
	if stride == 1 {
		return "all 2^32 inputs"
	}
	return "a sample"
}
