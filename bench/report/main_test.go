package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/simdsigmoid/sigmoid/bench/internal/workload"
	"github.com/simdsigmoid/sigmoid/bench/report/internal/plot"
	"github.com/simdsigmoid/sigmoid/internal/accuracy"
)

func TestParseSizes(t *testing.T) {
	got, err := parseSizes("16, 4096,1<<20,3<<2")
	if want := []int{16, 4096, 1 << 20, 12}; err != nil || !slices.Equal(got, want) {
		t.Fatalf("parseSizes = %v, %v; want %v", got, err, want)
	}
	for _, bad := range []string{"", "x", "0", "-1", "1<<40", "1<<", "16,,32"} {
		if got, err := parseSizes(bad); err == nil {
			t.Errorf("parseSizes(%q) = %v, want an error", bad, got)
		}
	}
}

func TestMedian(t *testing.T) {
	if m := median([]float64{5, 1, 3}); m != 3 {
		t.Errorf("median odd = %v, want 3", m)
	}
	if m := median([]float64{4, 1, 3, 2}); m != 2.5 {
		t.Errorf("median even = %v, want 2.5", m)
	}
}

func TestCandidates(t *testing.T) {
	cs, err := candidates[float32]("")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(cs); n < 3 || cs[n-2].name != naive || cs[n-1].name != cpy || !cs[0].kernel {
		t.Fatalf("candidates: got %v, want the kernels then naive and copy", cs)
	}
	if _, err := candidates[float32]("nosuchkernel"); err == nil {
		t.Error("candidates(nosuchkernel): no error")
	}
	cs, err = candidates[float32]("generic")
	if err != nil || len(cs) != 3 || cs[0].name != "generic" {
		t.Fatalf("candidates(generic) = %v, %v", cs, err)
	}
	cs64, err := candidates[float64]("generic,naive")
	if err != nil || len(cs64) != 3 || cs64[0].name != "generic" || !cs64[0].kernel || cs64[2].name != cpy {
		t.Fatalf("candidates[float64](generic,naive) = %v, %v", cs64, err)
	}
	// The float64 candidates compute the float64 sigmoid.
	src, dst := []float64{0, 1, -1, 40}, make([]float64, 4)
	for _, c := range cs64[:2] {
		c.f(dst, src)
		for i, x := range src {
			if want := 1 / (1 + math.Exp(-x)); math.Abs(dst[i]-want) > 1e-15 {
				t.Errorf("%s(%v) = %v, want %v", c.name, x, dst[i], want)
			}
		}
	}
}

func TestMerge(t *testing.T) {
	s := merge(
		accuracy.Stats{Inputs: 10, MaxULP: 0.5, Worst: 1, NotCorrectlyRounded: 1},
		accuracy.Stats{Inputs: 2, MaxULP: 0.7, Worst: 2, Violations: 1, FirstViolation: "bad"},
	)
	if s.Inputs != 12 || s.MaxULP != 0.7 || s.Worst != 2 || s.NotCorrectlyRounded != 1 || s.Violations != 1 || s.FirstViolation != "bad" {
		t.Fatalf("merge = %+v", s)
	}
}

func TestPowers(t *testing.T) {
	if got, want := powers(16, 1<<10, 4), []int{16, 64, 256, 1024}; !slices.Equal(got, want) {
		t.Errorf("powers(16, 1024, 4) = %v, want %v", got, want)
	}
	if got := powers(16, 1<<24, 2); len(got) != 21 || got[20] != 1<<24 {
		t.Errorf("powers(16, 1<<24, 2) = %v", got)
	}
}

func TestFindEdges(t *testing.T) {
	e := findEdges()
	r := func(x float32) float32 { return float32(accuracy.SigmoidWide(x)) }
	up := func(x float32) float32 { return math.Nextafter32(x, 1000) }
	for _, c := range []struct {
		name      string
		x, approx float32
	}{{"zero", e.zero, -103.97}, {"subnormal", e.subnormal, -87.34}, {"belowOne", e.belowOne, 16.23}, {"one", e.one, 17.3287}} {
		if math.Abs(float64(c.x-c.approx)) > 0.01 {
			t.Errorf("edge %s = %v, want about %v", c.name, c.x, c.approx)
		}
	}
	if r(e.zero) != 0 || r(up(e.zero)) == 0 {
		t.Errorf("zero edge %v: sigmoid %v, next %v", e.zero, r(e.zero), r(up(e.zero)))
	}
	if accuracy.SigmoidWide(e.subnormal) < 0x1p-126 || accuracy.SigmoidWide(nextDown(e.subnormal)) >= 0x1p-126 {
		t.Errorf("subnormal edge %v wrong", e.subnormal)
	}
	if r(e.belowOne) != 1-0x1p-24 || r(nextDown(e.belowOne)) == 1-0x1p-24 {
		t.Errorf("belowOne edge %v wrong", e.belowOne)
	}
	if e.one != accuracy.SaturationEdge {
		t.Errorf("one edge %v, want accuracy.SaturationEdge %v", e.one, accuracy.SaturationEdge)
	}
}

func TestErrorCurves(t *testing.T) {
	cs, err := candidates[float32]("")
	if err != nil {
		t.Fatal(err)
	}
	centres, curves := errorCurves(cs, accLo, accHi, 130, 16, []float32{accuracy.SaturationEdge})
	if len(centres) != 130 || centres[0] != accLo+0.5 || centres[129] != accHi-0.5 {
		t.Fatalf("centres %v ... %v (%d)", centres[0], centres[len(centres)-1], len(centres))
	}
	if len(curves) != len(cs)-2 {
		t.Fatalf("%d curves for %d kernels", len(curves), len(cs)-2)
	}
	for name, m := range curves {
		if len(m) != 130 {
			t.Fatalf("%s: %d bins", name, len(m))
		}
		for i, u := range m {
			if !(u <= 1) {
				t.Errorf("%s: bin %d (x near %v): %v ULP", name, i, centres[i], u)
			}
		}
		// Away from the saturated ends every bin has some rounding error.
		if m[65] == 0 {
			t.Errorf("%s: no error at all near x=%v: inputs not evaluated?", name, centres[65])
		}
	}
}

// TestOutputs draws the figures from made-up measurements and a small
// accuracy grid, writes report.md, and checks the directory as CI does.
func TestOutputs(t *testing.T) {
	cs, err := candidates[float32]("")
	if err != nil {
		t.Fatal(err)
	}
	sizes := powers(16, 1<<12, 4)
	var results []result
	for _, n := range sizes {
		for i, c := range cs {
			results = append(results, result{name: c.name, n: n, ns: float64(n) * float64(i+1)})
		}
	}
	dir := filepath.Join(t.TempDir(), "out")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := checkDir(dir); err == nil {
		t.Fatal("checkDir of an empty directory: no error")
	}
	date := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	cs64, err := candidates[float64]("")
	if err != nil {
		t.Fatal(err)
	}
	if err := plot.WriteThroughput(dir, throughputFigure("Sigmoid", cs, results, date)); err != nil {
		t.Fatal(err)
	}
	if err := plot.WriteAccuracy(dir, accuracyFigure(cs, 4, 1, date)); err != nil {
		t.Fatal(err)
	}
	if err := checkDir(dir); err == nil || !strings.Contains(err.Error(), plot.ThroughputFile64) {
		t.Fatalf("checkDir without the float64 figures: %v, want an error naming them", err)
	}
	if err := plot.WriteThroughput(dir, throughputFigure("Sigmoid", cs64, results, date)); err != nil {
		t.Fatal(err)
	}
	if err := plot.WriteAccuracy(dir, accuracyFigure64(cs64, 2, 1, date)); err != nil {
		t.Fatal(err)
	}
	var tables bytes.Buffer
	printSpeed[float32](&tables, "Sigmoid", sizes, results)
	printBackward[float32](&tables, "Sigmoid", sizes[:2], results)
	write := func(body string) {
		t.Helper()
		if written, err := writeReport(dir, "# title\n\n", "- stuff\n\n"+body, figureFiles(false), []string{"-out", dir}, date); err != nil || !written {
			t.Fatalf("writeReport: %v, %v", written, err)
		}
	}
	write(tables.String())
	if err := checkDir(dir); err == nil || !strings.Contains(err.Error(), `"## float64"`) {
		t.Fatalf("checkDir of a report without the float64 tables: %v, want an error naming them", err)
	}
	printSpeed[float64](&tables, "Sigmoid", sizes, results)
	printBackward[float64](&tables, "Sigmoid", sizes[:2], results)
	write(tables.String())
	if err := checkDir(dir); err == nil || !strings.Contains(err.Error(), `"## SiLU"`) {
		t.Fatalf("checkDir of a report without the SiLU tables: %v, want an error naming them", err)
	}
	for _, fn := range unaryFunctions {
		printSpeed[float32](&tables, fn, sizes, results)
		printSpeed[float64](&tables, fn, sizes, results)
		if hasBackward[fn] {
			printBackward[float32](&tables, fn, sizes[:2], results)
			printBackward[float64](&tables, fn, sizes[:2], results)
		}
	}
	write(tables.String())
	if err := checkDir(dir); err == nil || !strings.Contains(err.Error(), `"## GLU"`) || !strings.Contains(err.Error(), `"## GLU64"`) {
		t.Fatalf("checkDir of a report without the GLU tables: %v, want an error naming them", err)
	}
	for i, fn := range multiFunctions {
		printMulti[float32](&tables, fn, sizes[:2], results)
		printMulti[float64](&tables, fn, sizes[:2], results)
		write(tables.String())
		if i+1 == len(multiFunctions) {
			break
		}
		next := multiFunctions[i+1]
		if err := checkDir(dir); err == nil || !strings.Contains(err.Error(), `"## `+next+`"`) || !strings.Contains(err.Error(), `"## `+next+`64"`) {
			t.Fatalf("checkDir of a report without the %s tables: %v, want an error naming them", next, err)
		}
	}
	if err := checkDir(dir); err == nil {
		t.Fatal("checkDir without the other functions' figures: no error")
	} else {
		for _, f := range []string{"throughput-silubackward64", "accuracy-silu.svg", "throughput-softplusbackward.svg", "accuracy-logsigmoidbackward64.svg", "throughput-glu.svg", "accuracy-glu64.svg",
			"throughput-swiglu.svg", "accuracy-swiglu64.svg", "throughput-bcewithlogits64.svg", "accuracy-bcewithlogits.svg",
			"throughput-glubackward.svg", "throughput-swiglubackward64.svg", "accuracy-swiglubackward.svg", "throughput-bcewithlogitsbackward64.svg",
			"accuracy-bcewithlogitsbackward64.svg", "throughput-bcewithlogitsmean.svg", "throughput-bcewithlogitsmean64.svg"} {
			if !strings.Contains(err.Error(), f) {
				t.Errorf("checkDir without the other functions' figures: %v, want an error naming %s", err, f)
			}
		}
	}
	for _, fn := range otherFunctions {
		for _, f := range []plot.Throughput{throughputFigure(fn, cs, results, date), throughputFigure(fn, cs64, results, date)} {
			if err := plot.WriteThroughput(dir, f); err != nil {
				t.Fatal(err)
			}
		}
		if noAccuracyFigure[fn] {
			continue
		}
		a := otherAccuracies[fn]
		for _, f := range []plot.Accuracy{otherAccuracyFigure(a, 2, date), otherAccuracyFigure64(a, 1, date)} {
			if err := plot.WriteAccuracy(dir, f); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := checkDir(dir); err != nil {
		t.Fatal(err)
	}
	if fs := figureFiles(false); len(fs) != 68 || slices.Contains(fs, "accuracy-bcewithlogitsmean") || slices.Contains(fs, "accuracy-bcewithlogitsmean64") ||
		slices.Contains(fs, "accuracy-bcewithlogitsandbackward") || slices.Contains(fs, "accuracy-bcewithlogitsandbackward64") {
		t.Errorf("figureFiles: %d figures, want 68 (the package doc says so), none for the accuracy of BCEWithLogitsAndBackward and BCEWithLogitsMean: %v", len(fs), fs)
	}
	md, err := os.ReadFile(filepath.Join(dir, reportFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# title", "(throughput.svg)", "(accuracy.svg)", "(throughput64.svg)", "(accuracy64.svg)", "go -C bench/report run . -out", "2025-01-02", runtime.Version(),
		"## Speed", "| naive | 4096 |", "1/(1+math.Exp(-x))", "## float64 backward pass (SigmoidBackward64)", "24 bytes an element, against copy()'s 16",
		"(throughput-softplusbackward.svg)", "(accuracy-logsigmoidbackward64.svg)", "## Softplus backward pass (SoftplusBackward)",
		"## LogSigmoid64 backward pass (LogSigmoidBackward64)", "`dy/(1+math.Exp(x)) in float64`",
		"(throughput-glu64.svg)", "(accuracy-glu.svg)", "## GLU\n\nGLU(dst, a, b), a·σ(b)", "## GLU64\n\nGLU64(dst, a, b)", "same code as SoftplusBackward64 with dy = a and x = b",
		"`a/(1+math.Exp(-b)) in float64`",
		"(throughput-swiglu64.svg)", "(accuracy-swiglu.svg)", "## SwiGLU\n\nSwiGLU(dst, gate, up), silu(gate)·up", "## SwiGLU64\n\nSwiGLU64(dst, gate, up)",
		"The SiLU64 table above times silu alone on the same gate", "SwiGLU reads gate and up and writes dst: 12 bytes", "`gate/(1+math.Exp(-gate))*up in float64`",
		"(throughput-bcewithlogits.svg)", "(accuracy-bcewithlogits64.svg)", "## BCEWithLogits\n\nBCEWithLogits(loss, z, t), log(1+exp(z)) - t·z",
		"## BCEWithLogits64\n\nBCEWithLogits64(loss, z, t)", "The Softplus64 table above times the same z", "BCEWithLogits reads z and t and writes loss: 12 bytes",
		"`math.Max(z, 0) - t*z + math.Log1p(math.Exp(-math.Abs(z))) in float64`",
		"## GLUBackward\n\nGLUBackward(da, db, dy, a, b), da = dy·σ(b) and db = dy·a·σ(b)·σ(-b)", "The GLU64 table above times the forward pass on the same b",
		"GLUBackward reads dy, a and b and writes da and db: 20 bytes an element, against copy()'s 8", "| time / SiLUBackward's |", "| time / SiLUBackward64's |",
		"Time / SiLUBackward64's is the kernel's time over its own SiLUBackward64's, on x = b and the same dy (24 bytes an element)",
		"## SwiGLUBackward64\n\nSwiGLUBackward64(dgate, dup, dy, gate, up), dgate = dy·up·silu'(gate)", "SwiGLUBackward64 reads dy, gate and up and writes dgate and dup: 40 bytes",
		"## BCEWithLogitsBackward\n\nBCEWithLogitsBackward(dz, dy, z, t), dy·(σ(z) - t)", "BCEWithLogitsBackward reads dy, z and t and writes dz: 16 bytes",
		"`dy*(1/(1+math.Exp(-z)) - t) in float64`", "(throughput-bcewithlogitsbackward64.svg)", "(accuracy-bcewithlogitsbackward.svg)", "(accuracy-swiglubackward64.svg)", "(accuracy-glubackward.svg)",
		"## BCEWithLogitsMean64\n\nBCEWithLogitsMean64(dz, z, t), the mean of BCEWithLogits's losses", "| time / Softplus's |",
		"Time / Softplus's is the kernel's time over its own Softplus's, on x = z (8 bytes an element)", "(throughput-bcewithlogitsmean.svg)",
		"## BCEWithLogitsAndBackward\n\nBCEWithLogitsAndBackward(loss, dz, dy, z, t), BCEWithLogits's loss and BCEWithLogitsBackward's gradient",
		"BCEWithLogitsAndBackward64 reads dy, z and t and writes loss and dz: 40 bytes an element, against copy()'s 16", "(throughput-bcewithlogitsandbackward64.svg)"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md does not contain %q:\n%s", want, md)
		}
	}
	for _, unwanted := range []string{"(accuracy-bcewithlogitsmean", "(accuracy-bcewithlogitsandbackward", "| naive/", "| generic/"} {
		if strings.Contains(string(md), unwanted) {
			t.Errorf("report.md contains %q", unwanted)
		}
	}

	// A report of -figures sigmoid shows Sigmoid's four figures only: the
	// others may be missing, those four not.
	sigmoidFigures := []string{plot.ThroughputFile, plot.ThroughputFile64, plot.AccuracyFile, plot.AccuracyFile64}
	if written, err := writeReport(dir, "# title\n\n", "- stuff\n\n"+tables.String(), sigmoidFigures, []string{"-figures", "sigmoid"}, date); err != nil || !written {
		t.Fatalf("writeReport: %v, %v", written, err)
	}
	if err := os.Remove(filepath.Join(dir, "accuracy-glu.svg")); err != nil {
		t.Fatal(err)
	}
	if err := checkDir(dir); err != nil {
		t.Errorf("checkDir of a -figures sigmoid report: %v", err)
	}
	if err := os.Remove(filepath.Join(dir, plot.AccuracyFile64+".png")); err != nil {
		t.Fatal(err)
	}
	if err := checkDir(dir); err == nil || !strings.Contains(err.Error(), plot.AccuracyFile64) {
		t.Errorf("checkDir without %s.png: %v, want an error naming it", plot.AccuracyFile64, err)
	}
}

func TestFindEdges64(t *testing.T) {
	e := findEdges64()
	for _, c := range []struct {
		name      string
		x, approx float64
	}{{"zero", e.zero, -745.13}, {"subnormal", e.subnormal, -708.40}, {"belowOne", e.belowOne, 36.33}, {"one", e.one, 37.43}} {
		if math.Abs(c.x-c.approx) > 0.01 {
			t.Errorf("edge %s = %v, want about %v", c.name, c.x, c.approx)
		}
	}
	r := func(x float64) float64 { hi, _ := accuracy.Exact64(x); return hi }
	if r(e.zero) != 0 || r(math.Nextafter(e.zero, 0)) == 0 {
		t.Errorf("zero edge %v wrong", e.zero)
	}
	if r(e.one) != 1 || r(math.Nextafter(e.one, 0)) == 1 {
		t.Errorf("one edge %v wrong", e.one)
	}
}

func TestErrorCurves64(t *testing.T) {
	cs, err := candidates[float64]("")
	if err != nil {
		t.Fatal(err)
	}
	centres, curves := errorCurves64(cs, accLo64, accHi64, 161, 8, []float64{-708.4})
	if len(centres) != 161 || len(curves) != len(cs)-2 {
		t.Fatalf("%d centres, %d curves for %d kernels", len(centres), len(curves), len(cs)-2)
	}
	for name, m := range curves {
		for i, u := range m {
			if !(u <= 1) {
				t.Errorf("%s: bin %d (x near %v): %v ULP", name, i, centres[i], u)
			}
		}
	}
}

func TestSpread(t *testing.T) {
	var noisy int
	if got := spreadCell(result{iqr: 0.04, spread: 0.3}, &noisy); got != "4% (30%)" || noisy != 0 {
		t.Errorf("spreadCell(iqr 0.04) = %q, noisy %d", got, noisy)
	}
	if got := spreadCell(result{iqr: 0.25, spread: 0.5}, &noisy); got != "25% (50%) ⚠" || noisy != 1 {
		t.Errorf("spreadCell(iqr 0.25) = %q, noisy %d", got, noisy)
	}
	if q := iqr([]float64{5, 1, 4, 2, 3}); q != 2 {
		t.Errorf("iqr(1..5) = %v, want 2", q)
	}
	if q := iqr([]float64{7}); q != 0 {
		t.Errorf("iqr of one sample = %v, want 0", q)
	}
	var b bytes.Buffer
	noiseWarning(&b, 0)
	if b.Len() != 0 {
		t.Errorf("noiseWarning(0) printed %q", b.String())
	}
	noiseWarning(&b, 3)
	if !strings.Contains(b.String(), "Warning: 3 of these measurements") {
		t.Errorf("noiseWarning(3) printed %q", b.String())
	}
	results := []result{{name: "avx2", n: 16, ns: 10, spread: 0.5, iqr: 0.3}, {name: naive, n: 16, ns: 100, spread: 0.01}, {name: cpy, n: 16, ns: 5, spread: 0.02}}
	b.Reset()
	if n := printSpeed[float32](&b, "Sigmoid", []int{16}, results); n != 1 || !strings.Contains(b.String(), "**Warning: 1 of these") {
		t.Errorf("printSpeed with one noisy row: %d flagged\n%s", n, b.String())
	}
}

func TestOutputDir(t *testing.T) {
	dir, err := outputDir("")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if rel, err := filepath.Rel(os.TempDir(), dir); err != nil || strings.HasPrefix(rel, "..") {
		t.Errorf("default output directory %s is not under %s", dir, os.TempDir())
	}
	want := filepath.Join(t.TempDir(), "a", "b")
	if got, err := outputDir(want); err != nil || got != want {
		t.Fatalf("outputDir(%s) = %s, %v", want, got, err)
	}
	if fi, err := os.Stat(want); err != nil || !fi.IsDir() {
		t.Errorf("outputDir did not create %s: %v", want, err)
	}
}

// TestOutputDirRelative checks that a relative -out is taken from the
// directory the user ran the command from, which go -C leaves in PWD, not
// from the directory the program runs in (bench/report), and comes back
// absolute for the report to print.
func TestOutputDirRelative(t *testing.T) {
	user := t.TempDir()
	t.Setenv("PWD", user)
	got, err := outputDir("myout")
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(user, "myout"); got != want {
		t.Errorf("outputDir(\"myout\") with PWD=%s: %s, want %s", user, got, want)
	}
	if fi, err := os.Stat(filepath.Join(user, "myout")); err != nil || !fi.IsDir() {
		t.Errorf("outputDir did not create myout under PWD: %v", err)
	}
	// Without a usable PWD, the working directory.
	t.Setenv("PWD", "relative/pwd")
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if got, err := userPath("x"); err != nil || got != filepath.Join(wd, "x") {
		t.Errorf("userPath(\"x\") with a relative PWD: %s, %v; want %s", got, err, filepath.Join(wd, "x"))
	}
}

// TestProgressLabels checks that the progress lines name the function
// being measured, not only the element type's sigmoid.
func TestProgressLabels(t *testing.T) {
	var buf bytes.Buffer
	progress = &buf
	defer func() { progress = os.Stderr }()
	cands := []candidate[float64]{{"copy", workload.Copy[float64], false}}
	measure("SiLUBackward", cands, []int{16})
	if !strings.Contains(buf.String(), "report: SiLUBackward64 n=16 measured in") {
		t.Errorf("progress for SiLUBackward64:\n%s", buf.String())
	}
}

// TestFunctionLists checks that every function has its accuracy figure
// and every backward pass its naive loop and input, and that each
// backward pass follows its forward function.
func TestFunctionLists(t *testing.T) {
	for _, fn := range otherFunctions {
		if a, ok := otherAccuracies[fn]; ok == noAccuracyFigure[fn] || ok && (a.fn != fn || a.bound < 1) {
			t.Errorf("%s: accuracy figure %+v (noAccuracyFigure %v)", fn, a, noAccuracyFigure[fn])
		}
	}
	for fn := range noAccuracyFigure {
		if !slices.Contains(otherFunctions, fn) {
			t.Errorf("noAccuracyFigure: %s not among otherFunctions", fn)
		}
	}
	for _, fn := range append([]string{"Sigmoid"}, unaryFunctions...) {
		if fn != "Sigmoid" && !slices.Contains(otherFunctions, fn) {
			t.Errorf("%s not among otherFunctions", fn)
		}
		if fn != "Sigmoid" && !hasBackward[fn] {
			continue
		}
		if i := slices.Index(otherFunctions, fn+"Backward"); i < 0 || fn != "Sigmoid" && otherFunctions[i-1] != fn {
			t.Errorf("%sBackward missing from otherFunctions or not after %s: %v", fn, fn, otherFunctions)
		}
		if backwardInputs[fn] == "" || naiveBackwardExprs[fn] == "" {
			t.Errorf("%sBackward: no input or naive expression", fn)
		}
	}
	for _, f := range []string{"throughput-softplusbackward", "throughput-logsigmoidbackward64", "accuracy-softplusbackward64", "accuracy-logsigmoidbackward",
		"throughput-glu", "throughput-glu64", "accuracy-glu", "accuracy-glu64",
		"throughput-swiglu", "throughput-swiglu64", "accuracy-swiglu", "accuracy-swiglu64",
		"throughput-bcewithlogits", "throughput-bcewithlogits64", "accuracy-bcewithlogits", "accuracy-bcewithlogits64",
		"throughput-glubackward", "throughput-glubackward64", "throughput-swiglubackward", "throughput-swiglubackward64",
		"accuracy-swiglubackward", "accuracy-swiglubackward64", "throughput-bcewithlogitsbackward", "throughput-bcewithlogitsbackward64",
		"accuracy-bcewithlogitsbackward", "accuracy-bcewithlogitsbackward64", "throughput-bcewithlogitsmean", "throughput-bcewithlogitsmean64",
		"accuracy-glubackward", "accuracy-glubackward64"} {
		if !slices.Contains(figureFiles(false), f) {
			t.Errorf("figureFiles lacks %s", f)
		}
	}
	if hs := reportHeadings(); !slices.Contains(hs, "## Softplus backward pass (SoftplusBackward)") || !slices.Contains(hs, "## LogSigmoid64 backward pass (LogSigmoidBackward64)") {
		t.Errorf("reportHeadings lacks the Softplus and LogSigmoid backward passes: %q", hs)
	}
	if hs := reportHeadings(); !slices.Contains(hs, "## GLU") || !slices.Contains(hs, "## GLU64") {
		t.Errorf("reportHeadings lacks GLU and GLU64: %q", hs)
	}
	for _, fn := range multiFunctions {
		if hs := reportHeadings(); !slices.Contains(hs, "## "+fn) || !slices.Contains(hs, "## "+fn+"64") {
			t.Errorf("reportHeadings lacks %s and %[1]s64: %q", fn, hs)
		}
		if !slices.Contains(otherFunctions, fn) {
			t.Errorf("%s not among otherFunctions", fn)
		}
		b, ok := multis[fn]
		if !ok || len(b.params) < 3 || b.outputs < 1 || b.outputs > len(b.params)-2 || slices.Contains(b.params, "") || b.naive == "" || b.inputs == "" ||
			!slices.Contains(otherFunctions, b.related) || strings.Count(b.about, "%s") != 1 || (b.versus == "") != (b.versusOn == "") {
			t.Errorf("%s: description %+v", fn, b)
		}
		// The gradients are compared with SiLUBackward, the loss with its
		// gradient and the mean with Softplus, as the benchmarks of package
		// bench compare them.
		want := map[string]string{"GLUBackward": "SiLUBackward", "SwiGLUBackward": "SiLUBackward", "BCEWithLogitsBackward": "SiLUBackward",
			"BCEWithLogitsAndBackward": "Softplus", "BCEWithLogitsMean": "Softplus"}[fn]
		if b.versus != want {
			t.Errorf("%s: compared with %q, want %q", fn, b.versus, want)
		}
	}
	// The tables and figures of the functions of several slices come in
	// this order, each forward function followed by its gradients, at the
	// end.
	if i := slices.Index(otherFunctions, "GLU"); i < 0 || !slices.Equal(otherFunctions[i:], multiFunctions) {
		t.Errorf("otherFunctions %v do not end with the functions of several slices %v in order", otherFunctions, multiFunctions)
	}
}

// TestBCEWithLogitsCandidates checks that the candidates of the tables
// and figures of BCEWithLogits compute log(1+exp(z)) - t·z on the fixed
// targets: every kernel and the naive loop; that with t = 0 (the accuracy
// figures) they are Softplus bit for bit; and that the accuracy figures
// stay within the bound.
func TestBCEWithLogitsCandidates(t *testing.T) {
	cs64, err := candidates[float64]("")
	if err != nil {
		t.Fatal(err)
	}
	zs := []float64{-800, -30, -2.5, -1, 0, 0.5, 3, 40, 9.75, -0.125}
	bs := bceCandidates(cs64, []int{len(zs)})
	if n := len(bs); n != len(cs64) || bs[n-2].name != naive || bs[n-1].name != cpy {
		t.Fatalf("BCEWithLogits candidates %v, want the kernels then naive and copy", bs)
	}
	ts := workload.Targets[float64](len(zs), workload.Seed+2)
	got := make([]float64, len(zs))
	for _, b := range bs[:len(bs)-1] {
		b.f(got, zs)
		for j, z := range zs {
			// log(1+exp(z)) - t·z, summed so that nothing cancels for t in [0, 1].
			e := math.Max(z, 0) - ts[j]*z + math.Log1p(math.Exp(-math.Abs(z)))
			if math.Abs(got[j]-e) > 1e-15*math.Abs(e) {
				t.Errorf("%s BCEWithLogits64(z=%v, t=%v) = %v, want %v", b.name, z, ts[j], got[j], e)
			}
		}
	}
	bceIsSoftplus(t, []float32{-120, -20, -1, 0, 2, 17, 100})
	bceIsSoftplus(t, []float64{-800, -20, -1, 0, 2, 37, 700})
	date := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	a := otherAccuracies["BCEWithLogits"]
	for _, fig := range []plot.Accuracy{otherAccuracyFigure(a, 2, date), otherAccuracyFigure64(a, 1, date)} {
		if !strings.Contains(fig.Title, "t = 0") || !strings.Contains(fig.Title, "softplus(x)") {
			t.Errorf("BCEWithLogits figure title %q does not say t = 0: softplus(x)", fig.Title)
		}
		for _, s := range fig.Series {
			for i, u := range s.Y {
				if !(u <= fig.Bound) {
					t.Errorf("%s: %s: %v ULP near x = %v", fig.Title, s.Name, u, s.X[i])
				}
			}
		}
	}
}

// TestGLUCandidates checks that the candidates of the tables and figures
// of GLU compute a·σ(b), the same bits as SoftplusBackward's with dy = a
// and x = b: every kernel, the naive loop, and with a = 1; and that the
// accuracy figures stay within the bound.
func TestGLUCandidates(t *testing.T) {
	cs64, err := candidates[float64]("")
	if err != nil {
		t.Fatal(err)
	}
	xs := []float64{-800, -30, -2.5, -1, 0, 0.5, 3, 40}
	gs := gluCandidates(cs64, []int{len(xs)})
	sps := backwardCandidates(cs64, []int{len(xs)}, "Softplus")
	if n := len(gs); n != len(cs64) || gs[n-2].name != naive || gs[n-1].name != cpy {
		t.Fatalf("GLU candidates %v, want the kernels then naive and copy", gs)
	}
	a := workload.Uniform[float64](len(xs), -1, 1, workload.Seed+1)
	got, want := make([]float64, len(xs)), make([]float64, len(xs))
	for i, g := range gs[:len(gs)-1] {
		g.f(got, xs)
		sps[i].f(want, xs)
		for j, x := range xs {
			if math.Float64bits(got[j]) != math.Float64bits(want[j]) {
				t.Errorf("%s GLU64(a=%v, b=%v) = %v, SoftplusBackward64 %v", g.name, a[j], x, got[j], want[j])
			}
			if e := a[j] / (1 + math.Exp(-x)); math.Abs(got[j]-e) > 1e-15*math.Abs(e) {
				t.Errorf("%s GLU64(a=%v, b=%v) = %v, want %v", g.name, a[j], x, got[j], e)
			}
		}
	}
	for _, c := range accuracyCandidates[float32]("GLU") {
		x32 := []float32{-20, -1, 0, 2, 17}
		got32 := make([]float32, len(x32))
		c.f(got32, x32)
		for i, x := range x32 {
			if e := 1 / (1 + math.Exp(-float64(x))); math.Abs(float64(got32[i])-e) > 1e-7*e {
				t.Errorf("%s GLU(1, %v) = %v, want %v", c.name, x, got32[i], e)
			}
		}
	}
	date := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	g := otherAccuracies["GLU"]
	for _, fig := range []plot.Accuracy{otherAccuracyFigure(g, 2, date), otherAccuracyFigure64(g, 1, date)} {
		if !strings.Contains(fig.Title, "a·σ(b)") {
			t.Errorf("GLU figure title %q does not say a·σ(b)", fig.Title)
		}
		for _, s := range fig.Series {
			for i, u := range s.Y {
				if !(u <= fig.Bound) {
					t.Errorf("%s: %s: %v ULP near x = %v", fig.Title, s.Name, u, s.X[i])
				}
			}
		}
	}
}

// TestSwiGLUCandidates checks that the candidates of the tables and
// figures of SwiGLU compute silu(gate)·up with gate the inputs and up the
// fixed slice: every kernel within 1 ULP (accuracy.CheckSwiGLU64), the
// naive loop close; that with up = 1 (the accuracy figures) they are
// within 1 ULP of silu(x) by accuracy.CheckSwiGLU and CheckSwiGLU64; and
// that the accuracy figures stay within the bound.
func TestSwiGLUCandidates(t *testing.T) {
	cs64, err := candidates[float64]("")
	if err != nil {
		t.Fatal(err)
	}
	xs := []float64{-800, -30, -2.5, -1, 0, 0.5, 3, 40, 1e-300, -9.75}
	ss := swigluCandidates(cs64, []int{len(xs)})
	if n := len(ss); n != len(cs64) || ss[n-2].name != naive || ss[n-1].name != cpy {
		t.Fatalf("SwiGLU candidates %v, want the kernels then naive and copy", ss)
	}
	up := workload.Uniform[float64](len(xs), -1, 1, workload.Seed+1)
	got := make([]float64, len(xs))
	for _, s := range ss[:len(ss)-1] {
		s.f(got, xs)
		for j, x := range xs {
			if s.name == naive {
				if e := x / (1 + math.Exp(-x)) * up[j]; math.Abs(got[j]-e) > 1e-15*math.Abs(e) {
					t.Errorf("naive SwiGLU64(gate=%v, up=%v) = %v, want %v", x, up[j], got[j], e)
				}
				continue
			}
			if u, why := accuracy.CheckSwiGLU64(x, up[j], got[j], 1); why != "" {
				t.Errorf("%s SwiGLU64(gate=%v, up=%v) = %v: %v ULP, %s", s.name, x, up[j], got[j], u, why)
			}
		}
	}
	x32 := []float32{-120, -100, -20, -1, 0, 2, 17, 1e-40, 90}
	got32 := make([]float32, len(x32))
	for _, c := range accuracyCandidates[float32]("SwiGLU") {
		c.f(got32, x32)
		for i, x := range x32 {
			if u, why := accuracy.CheckSwiGLU(x, 1, got32[i], 1); why != "" {
				t.Errorf("%s SwiGLU(%v, 1) = %v: %v ULP, %s", c.name, x, got32[i], u, why)
			}
		}
	}
	x64 := []float64{-800, -740, -20, -1, 0, 2, 37, 1e-310, 700}
	got64 := make([]float64, len(x64))
	for _, c := range accuracyCandidates[float64]("SwiGLU") {
		c.f(got64, x64)
		for i, x := range x64 {
			if u, why := accuracy.CheckSwiGLU64(x, 1, got64[i], 1); why != "" {
				t.Errorf("%s SwiGLU64(%v, 1) = %v: %v ULP, %s", c.name, x, got64[i], u, why)
			}
		}
	}
	date := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	a := otherAccuracies["SwiGLU"]
	for _, fig := range []plot.Accuracy{otherAccuracyFigure(a, 2, date), otherAccuracyFigure64(a, 1, date)} {
		if !strings.Contains(fig.Title, "up = 1") || !strings.Contains(fig.Title, "silu(x)") {
			t.Errorf("SwiGLU figure title %q does not say up = 1: silu(x)", fig.Title)
		}
		for _, s := range fig.Series {
			for i, u := range s.Y {
				if !(u <= fig.Bound) {
					t.Errorf("%s: %s: %v ULP near x = %v", fig.Title, s.Name, u, s.X[i])
				}
			}
		}
	}
}

// bceIsSoftplus checks that the accuracy candidates of BCEWithLogits (t =
// 0) give Softplus's bits on xs, kernel by kernel.
func bceIsSoftplus[F workload.Float](t *testing.T, xs []F) {
	t.Helper()
	bce, sp := accuracyCandidates[F]("BCEWithLogits"), accuracyCandidates[F]("Softplus")
	got, want := make([]F, len(xs)), make([]F, len(xs))
	for i, c := range bce {
		c.f(got, xs)
		sp[i].f(want, xs)
		for j, x := range xs {
			if math.Float64bits(float64(got[j])) != math.Float64bits(float64(want[j])) {
				t.Errorf("%s %s(z=%v, t=0) = %v, %s %v", c.name, workload.FuncName[F]("BCEWithLogits"), x, got[j], workload.FuncName[F]("Softplus"), want[j])
			}
		}
	}
}

// TestSoftplusBackwardCandidates checks that the candidates of the
// tables and figures of SoftplusBackward and LogSigmoidBackward compute
// dy·σ(x) and dy·σ(-x): every kernel, the naive loop, and with dy = 1.
func TestSoftplusBackwardCandidates(t *testing.T) {
	cs64, err := candidates[float64]("")
	if err != nil {
		t.Fatal(err)
	}
	xs := []float64{-30, -2.5, -1, 0, 0.5, 3, 40}
	sigma := func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
	for _, c := range []struct {
		base string
		want func(x float64) float64
	}{{"Softplus", sigma}, {"LogSigmoid", func(x float64) float64 { return sigma(-x) }}} {
		dy := workload.Uniform[float64](len(xs), -1, 1, workload.Seed+1)
		bs := backwardCandidates(cs64, []int{len(xs)}, c.base)
		if n := len(bs); n != len(cs64) || bs[n-2].name != naive || bs[n-1].name != cpy {
			t.Fatalf("%sBackward candidates %v, want the kernels then naive and copy", c.base, bs)
		}
		got := make([]float64, len(xs))
		for _, b := range bs[:len(bs)-1] {
			b.f(got, xs)
			for i, x := range xs {
				if want := dy[i] * c.want(x); math.Abs(got[i]-want) > 1e-15*math.Abs(want) {
					t.Errorf("%s %sBackward64(dy=%v, x=%v) = %v, want %v", b.name, c.base, dy[i], x, got[i], want)
				}
			}
		}
		for _, a := range accuracyCandidates[float32](c.base + "Backward") {
			x32 := []float32{-20, -1, 0, 2, 17}
			got32 := make([]float32, len(x32))
			a.f(got32, x32)
			for i, x := range x32 {
				if want := c.want(float64(x)); math.Abs(float64(got32[i])-want) > 1e-7*want {
					t.Errorf("%s %sBackward(1, %v) = %v, want %v", a.name, c.base, x, got32[i], want)
				}
			}
		}
	}
}

// TestMirroredFigure checks that LogSigmoidBackward's accuracy figures
// run over the mirrored ranges, with the subnormal results shaded on the
// right, and stay within the bound.
func TestMirroredFigure(t *testing.T) {
	date := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	a := otherAccuracies["LogSigmoidBackward"]
	f := otherAccuracyFigure(a, 2, date)
	if f.Lo != -accHi || f.Hi != -accLo || math.Abs(f.Shade.Lo-87.34) > 0.01 || f.Shade.Hi != f.Hi || !strings.Contains(f.Shade.Label, "x > 87.34") {
		t.Errorf("float32 figure over [%v, %v], shaded [%v, %v] %q", f.Lo, f.Hi, f.Shade.Lo, f.Shade.Hi, f.Shade.Label)
	}
	f64 := otherAccuracyFigure64(a, 1, date)
	if f64.Lo != -accHi64 || f64.Hi != -accLo64 || math.Abs(f64.Shade.Lo-708.40) > 0.01 || f64.Shade.Hi != f64.Hi {
		t.Errorf("float64 figure over [%v, %v], shaded [%v, %v]", f64.Lo, f64.Hi, f64.Shade.Lo, f64.Shade.Hi)
	}
	for _, fig := range []plot.Accuracy{f, f64, otherAccuracyFigure(otherAccuracies["SoftplusBackward"], 2, date)} {
		for _, s := range fig.Series {
			for i, u := range s.Y {
				if !(u <= fig.Bound) {
					t.Errorf("%s: %s: %v ULP near x = %v", fig.Title, s.Name, u, s.X[i])
				}
			}
		}
	}
}

// TestGradientCandidates checks that the candidates of the tables of the
// gradients and of BCEWithLogitsMean compute what they should on the fixed
// inputs (dy and t as the backward passes and BCEWithLogits take them,
// GLU's a and SwiGLU's up from their own seed): every kernel, each
// followed by its own SiLUBackward (BCEWithLogitsMean: Softplus) on the
// same inputs, named for the comparison column, then the naive loop and
// copy().
func TestGradientCandidates(t *testing.T) {
	cs64, err := candidates[float64]("")
	if err != nil {
		t.Fatal(err)
	}
	xs := []float64{-800, -30, -2.5, -1.2785, -1, 0, 0.5, 3, 40, 9.75, -0.125, 1e-300}
	n := len(xs)
	dy := workload.Uniform[float64](n, -1, 1, workload.Seed+1)
	other := workload.Uniform[float64](n, -1, 1, workload.Seed+3)
	ts := workload.Targets[float64](n, workload.Seed+2)
	sigma := func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
	siluBackward := backwardCandidates(cs64, []int{n}, "SiLU")
	softplus := unaryCandidates("Softplus", cs64)
	for _, c := range []struct {
		fn   string
		refs []candidate[float64]
		// want is the result in dst at i, and how far from it a kernel's
		// or the naive loop's may be.
		want func(i int, x float64) (want, tol float64)
	}{
		{"BCEWithLogitsBackward", siluBackward, func(i int, x float64) (float64, float64) {
			return dy[i] * (sigma(x) - ts[i]), 1e-15 * math.Abs(dy[i])
		}},
		{"GLUBackward", siluBackward, func(i int, x float64) (float64, float64) {
			w := dy[i] * sigma(x)
			return w, 1e-15 * math.Abs(w)
		}},
		{"SwiGLUBackward", siluBackward, func(i int, x float64) (float64, float64) {
			s := sigma(x)
			return dy[i] * other[i] * s * (1 + x*(1-s)), 1e-15 * math.Abs(dy[i]*other[i])
		}},
		{"BCEWithLogitsAndBackward", softplus, func(i int, x float64) (float64, float64) {
			return math.Max(x, 0) - ts[i]*x + math.Log1p(math.Exp(-math.Abs(x))), 1e-15 * (math.Abs(x) + 1)
		}},
		{"BCEWithLogitsMean", softplus, func(i int, x float64) (float64, float64) {
			w := (sigma(x) - ts[i]) / float64(n)
			return w, 1e-15 / float64(n)
		}},
	} {
		cs := multiCandidates(c.fn, cs64, []int{n})
		var names []string
		for _, g := range cs {
			names = append(names, g.name)
		}
		var want []string
		for _, k := range cs64[:len(cs64)-2] {
			want = append(want, k.name, versusName(k.name, multis[c.fn].versus))
		}
		if want = append(want, naive, cpy); !slices.Equal(names, want) {
			t.Fatalf("%s candidates %v, want %v", c.fn, names, want)
		}
		got, ref := make([]float64, n), make([]float64, n)
		for i, g := range cs[:len(cs)-1] {
			g.f(got, xs)
			if isVersus(g.name) {
				if g.kernel {
					t.Errorf("%s: %s marked as a kernel", c.fn, g.name)
				}
				// The same kernel's SiLUBackward64 or Softplus64, bit for bit.
				c.refs[i/2].f(ref, xs)
				for j := range xs {
					if math.Float64bits(got[j]) != math.Float64bits(ref[j]) {
						t.Errorf("%s: %s(%v) = %v, want %v", c.fn, g.name, xs[j], got[j], ref[j])
					}
				}
				continue
			}
			for j, x := range xs {
				if w, tol := c.want(j, x); !(math.Abs(got[j]-w) <= tol) {
					t.Errorf("%s: %s64 at x = %v: %v, want %v", g.name, c.fn, x, got[j], w)
				}
			}
			if c.fn == "BCEWithLogitsMean" {
				if want := workload.NaiveBCEWithLogitsMean(make([]float64, n), xs, ts); math.Abs(meanSink-want) > 1e-14*want {
					t.Errorf("%s: BCEWithLogitsMean64 = %v, want %v", g.name, meanSink, want)
				}
			}
		}
	}
}

// TestGradientAccuracyCandidates checks the accuracy candidates of the
// gradients: GLUBackward's (db with dy = a = 1: σ'(x), with da, by
// accuracy.CheckGLUBackward), SwiGLUBackward's (dgate with dy = up = 1:
// SiLUBackward's silu'(x) bit for bit) and BCEWithLogitsBackward's (dy =
// 1, t = 0: σ(x) within its bound, accuracy.CheckBCEWithLogitsBackward),
// and that their figures stay within their bounds (SwiGLUBackward's but
// next to the zero of silu', where the bound is absolute: 2^-25·|dy·up|).
func TestGradientAccuracyCandidates(t *testing.T) {
	x32 := []float32{-120, -100, -87.4, -20, -1.2785, -1, 0, 2, 16.5, 17, 1e-40, 90}
	x64 := []float64{-800, -740, -709, -20, -1.2785, -1, 0, 2, 37, 1e-310, 700}
	swigluIsSiLUBackward(t, x32)
	swigluIsSiLUBackward(t, x64)
	got32, da32 := make([]float32, len(x32)), make([]float32, len(x32))
	for _, c := range accuracyCandidates[float32]("GLUBackward") {
		c.f(got32, x32)
		k, _ := kernelNamed(c.name)
		db := make([]float32, len(x32))
		workload.GLUBackwardFunc[float32](k)(da32, db, ones[float32](len(x32)), ones[float32](len(x32)), x32)
		for i, x := range x32 {
			if _, _, whyA, whyB := accuracy.CheckGLUBackward(1, 1, x, da32[i], got32[i], 1, 1.5); whyA != "" || whyB != "" || db[i] != got32[i] {
				t.Errorf("%s GLUBackward(1, 1, %v): db %v (%v in the figure): %s %s", c.name, x, db[i], got32[i], whyA, whyB)
			}
		}
	}
	got64, da64 := make([]float64, len(x64)), make([]float64, len(x64))
	for _, c := range accuracyCandidates[float64]("GLUBackward") {
		c.f(got64, x64)
		k, _ := kernelNamed(c.name)
		db := make([]float64, len(x64))
		workload.GLUBackwardFunc[float64](k)(da64, db, ones[float64](len(x64)), ones[float64](len(x64)), x64)
		for i, x := range x64 {
			if _, _, whyA, whyB := accuracy.CheckGLUBackward64(1, 1, x, da64[i], got64[i], 1, 1.5); whyA != "" || whyB != "" || db[i] != got64[i] {
				t.Errorf("%s GLUBackward64(1, 1, %v): db %v (%v in the figure): %s %s", c.name, x, db[i], got64[i], whyA, whyB)
			}
		}
	}
	for _, c := range accuracyCandidates[float32]("BCEWithLogitsBackward") {
		c.f(got32, x32)
		for i, x := range x32 {
			if u, why := accuracy.CheckBCEWithLogitsBackward(1, x, 0, got32[i], 1.5, 0); why != "" {
				t.Errorf("%s BCEWithLogitsBackward(1, %v, 0) = %v: %v ULP, %s", c.name, x, got32[i], u, why)
			}
		}
	}
	for _, c := range accuracyCandidates[float64]("BCEWithLogitsBackward") {
		c.f(got64, x64)
		for i, x := range x64 {
			if u, why := accuracy.CheckBCEWithLogitsBackward64(1, x, 0, got64[i], 1.5, 0); why != "" {
				t.Errorf("%s BCEWithLogitsBackward64(1, %v, 0) = %v: %v ULP, %s", c.name, x, got64[i], u, why)
			}
		}
	}
	date := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	for fn, note := range map[string]string{"GLUBackward": "σ'(x)", "SwiGLUBackward": "silu'(x)", "BCEWithLogitsBackward": "t = 0"} {
		a := otherAccuracies[fn]
		for _, fig := range []plot.Accuracy{otherAccuracyFigure(a, 2, date), otherAccuracyFigure64(a, 1, date)} {
			if !strings.Contains(fig.Title, note) {
				t.Errorf("%s figure title %q does not say %s", fn, fig.Title, note)
			}
			for _, s := range fig.Series {
				for i, u := range s.Y {
					if !(u <= fig.Bound) && !(fn == "SwiGLUBackward" && math.Abs(s.X[i]+1.2785) < 0.35) {
						t.Errorf("%s: %s: %v ULP near x = %v", fig.Title, s.Name, u, s.X[i])
					}
				}
			}
		}
	}
}

// swigluIsSiLUBackward checks that the accuracy candidates of
// SwiGLUBackward (dgate with dy = up = 1) give SiLUBackward's bits with
// dy = 1 on xs, kernel by kernel.
func swigluIsSiLUBackward[F workload.Float](t *testing.T, xs []F) {
	t.Helper()
	sw, sb := accuracyCandidates[F]("SwiGLUBackward"), accuracyCandidates[F]("SiLUBackward")
	got, want := make([]F, len(xs)), make([]F, len(xs))
	for i, c := range sw {
		c.f(got, xs)
		sb[i].f(want, xs)
		for j, x := range xs {
			if math.Float64bits(float64(got[j])) != math.Float64bits(float64(want[j])) {
				t.Errorf("%s %s(dy=1, gate=%v, up=1): dgate %v, %s %v", c.name, workload.FuncName[F]("SwiGLUBackward"), x, got[j], workload.FuncName[F]("SiLUBackward"), want[j])
			}
		}
	}
}

// TestPrintStreamsVersus checks the column of each kernel's time over its
// own SiLUBackward's: the ratio for the kernels, blank for the naive loop
// and copy(), and no row for the SiLUBackward results themselves.
func TestPrintStreamsVersus(t *testing.T) {
	results := []result{{name: "avx2", n: 16, ns: 30}, {name: versusName("avx2", "SiLUBackward"), n: 16, ns: 20},
		{name: naive, n: 16, ns: 300}, {name: cpy, n: 16, ns: 10}}
	var b bytes.Buffer
	printStreams[float32](&b, []int{16}, results, 5, "SiLUBackward")
	out := b.String()
	for _, want := range []string{"| time / SiLUBackward's | spread", "| avx2 | 16 | 1.875 | 10.7 | 10.0× | 0.83 | 1.50 | 0% (0%) |",
		"| naive | 16 | 18.750 | 1.1 | 1.0× | 0.08 | | 0% (0%) |", "| copy | 16 | 0.625 | 12.8 | | 1.00 | | 0% (0%) |"} {
		if !strings.Contains(out, want) {
			t.Errorf("printStreams does not print %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "avx2/") || strings.Count(out, "\n") != 5 {
		t.Errorf("printStreams printed a row for the SiLUBackward results:\n%s", out)
	}
	b.Reset()
	printStreams[float32](&b, []int{16}, results[2:], 3, "")
	if strings.Contains(b.String(), "SiLUBackward") || !strings.Contains(b.String(), "| copy | 16 | 0.625 | 12.8 | | 1.00 | 0% (0%) |") {
		t.Errorf("printStreams without a comparison:\n%s", b.String())
	}
}
