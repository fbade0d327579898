package main

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/klauspost/cpuid/v2"

	"github.com/simdsigmoid/sigmoid/bench/internal/sysinfo"
	"github.com/simdsigmoid/sigmoid/bench/internal/workload"
	"github.com/simdsigmoid/sigmoid/bench/report/internal/plot"
	"github.com/simdsigmoid/sigmoid/internal/accuracy"
	"github.com/simdsigmoid/sigmoid/kernels"
)

// The accuracy figure covers x in [accLo, accHi]: from beyond the point
// where results round to 0 to beyond saturation at 1, in accBins bins, and
// its close-ups [zoomLo, zoomHi], where results round to 1-2^-24 and then
// to 1, in zoomBins bins. The float64 figure's are the same with 64.
const (
	accLo, accHi     = -110, 20
	accBins          = 1300 // bins of width 0.1
	zoomLo, zoomHi   = 15.5, 18
	zoomBins         = 250 // bins of width 0.01
	accLo64, accHi64 = -760, 45
	accBins64        = 1610 // bins of width 0.5
	zoomLo64         = 35.5
	zoomHi64         = 38
	zoomBins64       = 250
)

// reportFile is the Markdown copy of the report written next to the figures.
const reportFile = "report.md"

// machine is one line naming the CPU, the Go version and the date.
func machine(date time.Time) string {
	return fmt.Sprintf("%s, %s %s/%s, %s", sysinfo.CPUShort(), runtime.Version(), runtime.GOOS, runtime.GOARCH, date.UTC().Format("2006-01-02"))
}

func displayName[F workload.Float](c candidate[F]) string {
	switch {
	case c.name == naive:
		return "naive Go loop (math.Exp)"
	case c.name == cpy:
		return "copy() (memory bandwidth)"
	case c.name == kernels.Active():
		return c.name + " (active)"
	}
	return c.name
}

// cacheMarks returns the data caches of this CPU as slice lengths: a cache
// of b bytes holds the arrays of a slice of b/(arrays·elem) elements of
// elem bytes (2 arrays: src and dst; 3: dy, y and dx).
func cacheMarks(elem, arrays int) []plot.Mark {
	var ms []plot.Mark
	for _, c := range []struct {
		name  string
		bytes int
	}{{"L1d", cpuid.CPU.Cache.L1D}, {"L2", cpuid.CPU.Cache.L2}, {"L3", cpuid.CPU.Cache.L3}} {
		if c.bytes <= 0 {
			continue
		}
		ms = append(ms, plot.Mark{X: float64(c.bytes) / float64(arrays*elem), Short: c.name + " " + byteSize(c.bytes)})
	}
	return ms
}

func byteSize(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// throughputFigure turns the measurements of function fn (its float32
// name: "Sigmoid", "SiLUBackward") into elements per second.
func throughputFigure[F workload.Float](fn string, cands []candidate[F], results []result, date time.Time) plot.Throughput {
	e := workload.ElemSize[F]()
	name := workload.FuncName[F](fn)
	t := plot.Throughput{
		Title:     name + " throughput by slice length (median of " + fmt.Sprint(*count) + " rounds; inputs uniform in [-10, 10))",
		Subtitle:  machine(date),
		Caches:    cacheMarks(e, 2),
		CacheNote: fmt.Sprintf("cache size ÷ %d bytes per element\n(%d read from src + %d written to dst)", 2*e, e, e),
		XLabel:    fmt.Sprintf("slice length n (float%d elements, log scale)", 8*e),
		File:      figureFile(plot.ThroughputFile, name),
	}
	switch {
	case slices.Contains(multiFunctions, fn):
		b := multis[fn]
		t.Title = name + " throughput by slice length (median of " + fmt.Sprint(*count) + " rounds; " + b.inputs + ")"
		t.Caches = cacheMarks(e, len(b.params))
		var reads, writes []string
		for i, p := range b.params {
			switch {
			case i == 0:
				writes = append(writes, fmt.Sprintf("%d written to %s", e, p))
			case i < b.outputs:
				writes = append(writes, fmt.Sprintf("%d to %s", e, p))
			case i == b.outputs:
				reads = append(reads, fmt.Sprintf("%d read from %s", e, p))
			default:
				reads = append(reads, fmt.Sprintf("%d from %s", e, p))
			}
		}
		t.CacheNote = fmt.Sprintf("cache size ÷ %d bytes per element\n(%s\n+ %s)", len(b.params)*e, strings.Join(reads, " + "), strings.Join(writes, " + "))
	case strings.HasSuffix(fn, "Backward"):
		t.Title = name + " throughput by slice length (median of " + fmt.Sprint(*count) + " rounds; inputs in [-10, 10), dy in [-1, 1))"
		t.Caches = cacheMarks(e, 3)
		t.CacheNote = fmt.Sprintf("cache size ÷ %d bytes per element\n(%d read from dy + %d from the input\n+ %d written to dx)", 3*e, e, e, e)
	}
	for _, c := range cands {
		s := plot.Series{Name: displayName(c), Baseline: !c.kernel}
		for _, r := range results {
			if r.name == c.name && r.ns > 0 {
				s.X = append(s.X, float64(r.n))
				s.Y = append(s.Y, float64(r.n)/(r.ns*1e-9))
			}
		}
		if len(s.X) > 0 {
			t.Series = append(t.Series, s)
		}
	}
	return t
}

// edges are the points where the float32 sigmoid changes regime, found by
// bisection on the correctly rounded float32(accuracy.SigmoidWide(x)).
type edges struct {
	// zero is the largest x whose result rounds to 0.
	zero float32
	// subnormal is the smallest x whose exact result is at least 2^-126:
	// below it results are subnormal (or 0).
	subnormal float32
	// belowOne is the smallest x whose result rounds to 1-2^-24, the
	// largest float32 below 1.
	belowOne float32
	// one is the smallest x whose result rounds to 1
	// (accuracy.SaturationEdge).
	one float32
}

func findEdges() edges {
	r := func(x float32) float32 { return float32(accuracy.SigmoidWide(x)) }
	return edges{
		zero:      nextDown(firstTrue(-200, 0, func(x float32) bool { return r(x) > 0 })),
		subnormal: firstTrue(-200, 0, func(x float32) bool { return accuracy.SigmoidWide(x) >= 0x1p-126 }),
		belowOne:  firstTrue(0, 100, func(x float32) bool { return r(x) >= 1-0x1p-24 }),
		one:       firstTrue(0, 100, func(x float32) bool { return r(x) >= 1 }),
	}
}

// key maps float32s, ordered by value, to ordered integers (both zeros to 0).
func key(x float32) int64 {
	b := math.Float32bits(x)
	if b>>31 != 0 {
		return -int64(b &^ (1 << 31))
	}
	return int64(b)
}

func unkey(k int64) float32 {
	if k < 0 {
		return math.Float32frombits(uint32(-k) | 1<<31)
	}
	return math.Float32frombits(uint32(k))
}

// firstTrue returns the smallest x in [lo, hi] with pred(x), for pred false
// then true on [lo, hi] with pred(hi) true.
func firstTrue(lo, hi float32, pred func(float32) bool) float32 {
	a, b := key(lo), key(hi) // pred(unkey(b)) is true
	for a < b {
		m := a + (b-a)/2
		if pred(unkey(m)) {
			b = m
		} else {
			a = m + 1
		}
	}
	return unkey(b)
}

func nextDown(x float32) float32 { return math.Nextafter32(x, float32(math.Inf(-1))) }

// errorCurves evaluates every kernel on perBin inputs in each of nbins bins
// of equal width over [lo, hi], stratified and jittered (the same inputs
// for all kernels), plus the float32s nearest each edge, and returns the
// bins' centres and the largest error in ULPs (accuracy.ULP against
// accuracy.SigmoidWide) per kernel and bin.
func errorCurves(cands []candidate[float32], lo, hi float64, nbins, perBin int, extra []float32) (centres []float64, maxULP map[string][]float64) {
	return errorCurvesOf(cands, accuracy.SigmoidWide, lo, hi, nbins, perBin, extra)
}

// errorCurvesOf is errorCurves against the reference ref, the exact
// result for x in float64.
func errorCurvesOf(cands []candidate[float32], ref func(x float32) float64, lo, hi float64, nbins, perBin int, extra []float32) (centres []float64, maxULP map[string][]float64) {
	w := (hi - lo) / float64(nbins)
	binOf := func(x float32) int { return min(nbins-1, max(0, int(math.Floor((float64(x)-lo)/w)))) }
	rng := rand.New(rand.NewPCG(0x5167, 0x6d01))
	var xs []float32
	var bins []int32
	for b := range nbins {
		for j := range perBin {
			x := float32(lo + w*(float64(b)+(float64(j)+rng.Float64())/float64(perBin)))
			xs = append(xs, x)
			bins = append(bins, int32(binOf(x)))
		}
	}
	for _, e := range extra {
		x := e
		for range 8 {
			x = nextDown(x)
		}
		for range 17 {
			if float64(x) >= lo && float64(x) <= hi {
				xs = append(xs, x)
				bins = append(bins, int32(binOf(x)))
			}
			x = math.Nextafter32(x, float32(math.Inf(1)))
		}
	}
	exact := make([]float64, len(xs))
	for i, x := range xs {
		exact[i] = ref(x)
	}
	centres = make([]float64, nbins)
	for b := range centres {
		centres[b] = lo + w*(float64(b)+0.5)
	}
	maxULP = map[string][]float64{}
	got := make([]float32, len(xs))
	for _, c := range cands {
		if !c.kernel {
			continue
		}
		c.f(got, xs)
		m := make([]float64, nbins)
		for i, g := range got {
			if u := accuracy.ULP(g, exact[i]); u > m[bins[i]] || u != u {
				m[bins[i]] = u
			}
		}
		maxULP[c.name] = m
	}
	return centres, maxULP
}

// accuracyFigure computes the error curves of the kernels among cands.
func accuracyFigure(cands []candidate[float32], perBin int, bound float64, date time.Time) plot.Accuracy {
	e := findEdges()
	extra := []float32{e.zero, e.subnormal, e.belowOne, e.one}
	centres, curves := errorCurves(cands, accLo, accHi, accBins, perBin, extra)
	zcentres, zcurves := errorCurves(cands, zoomLo, zoomHi, zoomBins, perBin, extra)
	a := plot.Accuracy{
		Title: fmt.Sprintf("Sigmoid (float32) error in ULPs against x: the largest in each bin of width %g (%g in the close-ups), %d inputs each",
			(accHi-accLo)/float64(accBins), (zoomHi-zoomLo)/float64(zoomBins), perBin),
		Subtitle: machine(date) + "; reference accuracy.SigmoidWide",
		Lo:       accLo,
		Hi:       accHi,
		Bound:    bound,
		Marks: []plot.Mark{
			{X: float64(e.zero), Short: fmt.Sprintf("%.2f", e.zero), Label: fmt.Sprintf("x = %.2f: result rounds to 0\nat and below", e.zero)},
			{X: float64(e.belowOne), Short: fmt.Sprintf("%.2f", e.belowOne), Label: fmt.Sprintf("x = %.2f: result rounds to\n1 - 2^-24 (largest float32 < 1)", e.belowOne)},
			{X: float64(e.one), Short: fmt.Sprintf("%.2f", e.one), Label: fmt.Sprintf("x = %.4f: result rounds to 1\n(saturation edge)", e.one)},
		},
	}
	a.Shade.Lo, a.Shade.Hi = accLo, float64(e.subnormal)
	a.Shade.Label = fmt.Sprintf("x < %.2f: subnormal results\n(below 2^-126; ULP = 2^-149)", e.subnormal)
	a.Zoom.Lo, a.Zoom.Hi = zoomLo, zoomHi
	for _, c := range cands {
		if m, ok := curves[c.name]; ok {
			a.Series = append(a.Series, plot.Series{Name: displayName(c), X: centres, Y: m})
			a.Zoom.Series = append(a.Zoom.Series, plot.Series{Name: displayName(c), X: zcentres, Y: zcurves[c.name]})
		}
	}
	return a
}

// edges64 are the points where the float64 sigmoid changes regime, as
// edges are for float32, found on the correctly rounded hi of
// accuracy.Exact64.
type edges64 struct {
	zero, subnormal, belowOne, one float64
}

func findEdges64() edges64 {
	r := func(x float64) float64 { hi, _ := accuracy.Exact64(x); return hi }
	return edges64{
		zero:      math.Nextafter(firstTrue64(-800, 0, func(x float64) bool { return r(x) > 0 }), math.Inf(-1)),
		subnormal: firstTrue64(-800, 0, func(x float64) bool { return r(x) >= 0x1p-1022 }),
		belowOne:  firstTrue64(0, 100, func(x float64) bool { return r(x) >= 1-0x1p-53 }),
		one:       firstTrue64(0, 100, func(x float64) bool { return r(x) >= 1 }),
	}
}

// key64 maps float64s, ordered by value, to ordered integers (both zeros
// to 0).
func key64(x float64) int64 {
	b := math.Float64bits(x)
	if b>>63 != 0 {
		return -int64(b &^ (1 << 63))
	}
	return int64(b)
}

func unkey64(k int64) float64 {
	if k < 0 {
		return math.Float64frombits(uint64(-k) | 1<<63)
	}
	return math.Float64frombits(uint64(k))
}

// firstTrue64 is firstTrue for float64.
func firstTrue64(lo, hi float64, pred func(float64) bool) float64 {
	a, b := key64(lo), key64(hi)
	for a < b {
		m := a + (b-a)/2
		if pred(unkey64(m)) {
			b = m
		} else {
			a = m + 1
		}
	}
	return unkey64(b)
}

// errorCurves64 is errorCurves for the kernels' Sigmoid64, against
// accuracy.Exact64 in float64 ULPs (accuracy.ULP64).
func errorCurves64(cands []candidate[float64], lo, hi float64, nbins, perBin int, extra []float64) (centres []float64, maxULP map[string][]float64) {
	return errorCurves64Of(cands, accuracy.Exact64, lo, hi, nbins, perBin, extra)
}

// errorCurves64Of is errorCurves64 against the double-double reference
// ref.
func errorCurves64Of(cands []candidate[float64], ref func(x float64) (hi, lo float64), lo, hi float64, nbins, perBin int, extra []float64) (centres []float64, maxULP map[string][]float64) {
	w := (hi - lo) / float64(nbins)
	binOf := func(x float64) int { return min(nbins-1, max(0, int(math.Floor((x-lo)/w)))) }
	rng := rand.New(rand.NewPCG(0x5167, 0x6d64))
	var xs []float64
	var bins []int32
	for b := range nbins {
		for j := range perBin {
			x := lo + w*(float64(b)+(float64(j)+rng.Float64())/float64(perBin))
			xs = append(xs, x)
			bins = append(bins, int32(binOf(x)))
		}
	}
	for _, e := range extra {
		x := e
		for range 8 {
			x = math.Nextafter(x, math.Inf(-1))
		}
		for range 17 {
			if x >= lo && x <= hi {
				xs = append(xs, x)
				bins = append(bins, int32(binOf(x)))
			}
			x = math.Nextafter(x, math.Inf(1))
		}
	}
	exHi, exLo := make([]float64, len(xs)), make([]float64, len(xs))
	for i, x := range xs {
		exHi[i], exLo[i] = ref(x)
	}
	centres = make([]float64, nbins)
	for b := range centres {
		centres[b] = lo + w*(float64(b)+0.5)
	}
	maxULP = map[string][]float64{}
	got := make([]float64, len(xs))
	for _, c := range cands {
		if !c.kernel {
			continue
		}
		c.f(got, xs)
		m := make([]float64, nbins)
		for i, g := range got {
			if u := accuracy.ULP64(g, exHi[i], exLo[i]); u > m[bins[i]] || u != u {
				m[bins[i]] = u
			}
		}
		maxULP[c.name] = m
	}
	return centres, maxULP
}

// accuracyFigure64 computes the error curves of the Sigmoid64 of the
// kernels among cands.
func accuracyFigure64(cands []candidate[float64], perBin int, bound float64, date time.Time) plot.Accuracy {
	e := findEdges64()
	extra := []float64{e.zero, e.subnormal, e.belowOne, e.one}
	centres, curves := errorCurves64(cands, accLo64, accHi64, accBins64, perBin, extra)
	zcentres, zcurves := errorCurves64(cands, zoomLo64, zoomHi64, zoomBins64, perBin, extra)
	a := plot.Accuracy{
		Title: fmt.Sprintf("Sigmoid64 error in ULPs against x: the largest in each bin of width %g (%g in the close-ups), %d inputs each",
			(accHi64-accLo64)/float64(accBins64), (zoomHi64-zoomLo64)/float64(zoomBins64), perBin),
		Subtitle: machine(date) + "; reference accuracy.Exact64 (double-double)",
		Lo:       accLo64,
		Hi:       accHi64,
		Bound:    bound,
		File:     plot.AccuracyFile64,
		Marks: []plot.Mark{
			{X: e.zero, Short: fmt.Sprintf("%.2f", e.zero), Label: fmt.Sprintf("x = %.2f: result rounds to 0\nat and below", e.zero)},
			{X: e.belowOne, Short: fmt.Sprintf("%.2f", e.belowOne), Label: fmt.Sprintf("x = %.2f: result rounds to\n1 - 2^-53 (largest float64 < 1)", e.belowOne)},
			{X: e.one, Short: fmt.Sprintf("%.2f", e.one), Label: fmt.Sprintf("x = %.4f: result rounds to 1\n(saturation edge)", e.one)},
		},
	}
	a.Shade.Lo, a.Shade.Hi = accLo64, e.subnormal
	a.Shade.Label = fmt.Sprintf("x < %.2f: subnormal results\n(below 2^-1022; ULP = 2^-1074)", e.subnormal)
	a.Ticks.Major, a.Ticks.Minor = 100, 20
	a.Zoom.Lo, a.Zoom.Hi = zoomLo64, zoomHi64
	for _, c := range cands {
		if m, ok := curves[c.name]; ok {
			a.Series = append(a.Series, plot.Series{Name: displayName(c), X: centres, Y: m})
			a.Zoom.Series = append(a.Zoom.Series, plot.Series{Name: displayName(c), X: zcentres, Y: zcurves[c.name]})
		}
	}
	return a
}

// writeReport writes report.md into dir: the title, the figures, a line
// naming the machine and the command line (args), then body (the Markdown
// printed to stdout). It does nothing if stdout is that very file
// (report > report.md, with the default -out).
func writeReport(dir, title, body string, figures []string, args []string, date time.Time) (written bool, err error) {
	name := filepath.Join(dir, reportFile)
	if fo, err := os.Stdout.Stat(); err == nil {
		if fr, err := os.Stat(name); err == nil && os.SameFile(fo, fr) {
			fmt.Fprintf(os.Stderr, "report: stdout is %s: not writing it again\n", name)
			return false, nil
		}
	}
	var b bytes.Buffer
	b.WriteString(title)
	for _, f := range figures {
		fmt.Fprintf(&b, "![%s](%s.svg)\n\n", figureAlt(f), f)
	}
	fmt.Fprintf(&b, "*%s. PNG versions: %s. Regenerated by `go -C bench/report run . %s`.*\n\n",
		machine(date), pngList(figures), strings.Join(args, " "))
	b.WriteString(body)
	return true, os.WriteFile(name, b.Bytes(), 0o644)
}

func pngList(figures []string) string {
	var s []string
	for _, f := range figures {
		s = append(s, fmt.Sprintf("[%s.png](%s.png)", f, f))
	}
	return strings.Join(s, ", ")
}

// reportHeadings are the speed tables' headings, which every report.md
// has (the accuracy ones are left out with -noaccuracy).
func reportHeadings() []string {
	hs := []string{"## Speed", backwardHeading("Sigmoid", false), "## float64", backwardHeading("Sigmoid", true)}
	for _, fn := range unaryFunctions {
		for _, is64 := range []bool{false, true} {
			hs = append(hs, speedHeading(fn, is64))
			if hasBackward[fn] {
				hs = append(hs, backwardHeading(fn, is64))
			}
		}
	}
	for _, fn := range multiFunctions {
		hs = append(hs, speedHeading(fn, false), speedHeading(fn, true))
	}
	return hs
}

// checkDir verifies the output of a run with -out dir: the figures
// report.md shows and Sigmoid's four, which every run draws (see
// plot.Check), and report.md with the speed tables.
func checkDir(dir string) error {
	md, err2 := os.ReadFile(filepath.Join(dir, reportFile))
	figures := []string{plot.ThroughputFile, plot.ThroughputFile64, plot.AccuracyFile, plot.AccuracyFile64}
	for _, m := range figureLink.FindAllSubmatch(md, -1) {
		if f := string(m[1]); !slices.Contains(figures, f) {
			figures = append(figures, f)
		}
	}
	err := plot.Check(dir, figures...)
	switch {
	case err2 != nil:
	case !bytes.Contains(md, []byte(plot.ThroughputFile+".svg")):
		err2 = fmt.Errorf("%s: no throughput figure", filepath.Join(dir, reportFile))
	default:
		var missing []string
		for _, h := range reportHeadings() {
			if !bytes.Contains(md, []byte("\n"+h+"\n")) {
				missing = append(missing, fmt.Sprintf("%q", h))
			}
		}
		if len(missing) > 0 {
			err2 = fmt.Errorf("%s: no %s", filepath.Join(dir, reportFile), strings.Join(missing, ", "))
		}
	}
	return errors.Join(err, err2)
}

// figureLink matches a figure in report.md, its base name in group 1.
var figureLink = regexp.MustCompile(`!\[[^\]]*\]\(([^)/]+)\.svg\)`)
