package main

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/simdsigmoid/sigmoid/bench/internal/workload"
	"github.com/simdsigmoid/sigmoid/bench/report/internal/plot"
	"github.com/simdsigmoid/sigmoid/internal/accuracy"
	"github.com/simdsigmoid/sigmoid/kernels"
)

// The functions besides the sigmoid, by their float32 names, in the order
// of the report's tables; each has a throughput and an accuracy figure
// per element type.
var otherFunctions = []string{"SigmoidBackward", "SiLU", "SiLUBackward", "Tanh", "TanhBackward",
	"Softplus", "SoftplusBackward", "LogSigmoid", "LogSigmoidBackward", "GLU", "SwiGLU", "BCEWithLogits"}

// unaryFunctions are the forward functions besides the sigmoid, each with
// its backward pass where hasBackward says so, in the tables' order.
var unaryFunctions = []string{"SiLU", "Tanh", "Softplus", "LogSigmoid"}

var hasBackward = map[string]bool{"SiLU": true, "Tanh": true, "Softplus": true, "LogSigmoid": true}

// binaryFunctions are the functions of two slices besides the backward
// passes, in the tables' order, after the unary functions; binaries
// describes them.
var binaryFunctions = []string{"GLU", "SwiGLU", "BCEWithLogits"}

// binaryFunction describes the table and the throughput figure of one of
// binaryFunctions. Each is timed with its one input on the inputs of
// Sigmoid (src) and the other fixed (binaryFunctionCandidates).
type binaryFunction struct {
	params [3]string // its output and inputs as the kernels name them: dst, a, b
	// about follows the signature in the table's introduction: what the
	// function computes, on which inputs, and a sentence on the table of
	// related (its float32 name), whose name for the table's element type
	// replaces the %s.
	about, related string
	naive          string // the naive Go loop, as the table names it
	inputs         string // the inputs, for the throughput figure's title
}

var binaries = map[string]binaryFunction{
	"GLU": {
		params: [3]string{"dst", "a", "b"},
		about: "a·σ(b) = a/(1+exp(-b)), the gated linear unit, with b on the same inputs as Sigmoid " +
			"and a uniform in [-1, 1): the same code as %s with dy = a and x = b.",
		related: "SoftplusBackward",
		naive:   "a/(1+math.Exp(-b)) in float64",
		inputs:  "b in [-10, 10), a in [-1, 1)",
	},
	"SwiGLU": {
		params: [3]string{"dst", "gate", "up"},
		about: "silu(gate)·up = gate·σ(gate)·up, the gated activation of LLaMA-style feed-forward blocks, " +
			"with gate on the same inputs as Sigmoid and up uniform in [-1, 1) (GLU's a). " +
			"The %s table above times silu alone on the same gate.",
		related: "SiLU",
		naive:   "gate/(1+math.Exp(-gate))*up in float64",
		inputs:  "gate in [-10, 10), up in [-1, 1)",
	},
	"BCEWithLogits": {
		params: [3]string{"loss", "z", "t"},
		about: "log(1+exp(z)) - t·z, the element-wise loss of binary cross-entropy with logits, " +
			"with z on the same inputs as Sigmoid and t half labels (0 or 1, the even elements), half uniform in [0, 1) (smoothed labels, the odd ones). " +
			"The %s table above times the same z.",
		related: "Softplus",
		naive:   "math.Max(z, 0) - t*z + math.Log1p(math.Exp(-math.Abs(z))) in float64",
		inputs:  "z in [-10, 10), t half 0 or 1, half in [0, 1)",
	},
}

const (
	outputY = "y, the forward output,"
	inputX  = "x, the forward input,"
)

// formulas and naiveExprs are what the unary functions compute and the
// naive Go loop the tables compare them with; backwardInputs and
// naiveBackwardExprs are the same for the backward passes, by the forward
// function's name: what they read besides dy (the forward output y or
// its input x), and their naive Go loop.
var (
	formulas   = map[string]string{"SiLU": "x/(1+exp(-x))", "Tanh": "tanh(x)", "Softplus": "log(1+exp(x))", "LogSigmoid": "log(1/(1+exp(-x)))"}
	naiveExprs = map[string]string{
		"SiLU":       "x/(1+math.Exp(-x)) in float64",
		"Tanh":       "math.Tanh(x) in float64",
		"Softplus":   "math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x))) in float64",
		"LogSigmoid": "-softplus(-x) as the naive Softplus, in float64",
	}
	backwardInputs     = map[string]string{"Sigmoid": outputY, "SiLU": inputX, "Tanh": outputY, "Softplus": inputX, "LogSigmoid": inputX}
	naiveBackwardExprs = map[string]string{
		"Sigmoid":    "dy*y*(1-y)",
		"SiLU":       "dy*s*(1+x*(1-s)), s = 1/(1+math.Exp(-x)), in float64",
		"Tanh":       "dy*(1-y*y)",
		"Softplus":   "dy/(1+math.Exp(-x)) in float64",
		"LogSigmoid": "dy/(1+math.Exp(x)) in float64",
	}
)

// speedHeading is the heading of the speed table of a unary function
// besides the sigmoid: "## SiLU", "## SiLU64".
func speedHeading(fn string, is64 bool) string {
	if is64 {
		return "## " + fn + "64"
	}
	return "## " + fn
}

// figureFile is the base name of the figure of kind (plot.ThroughputFile
// or plot.AccuracyFile) for function name (with its 64): the sigmoid's
// keep the names throughput, throughput64, accuracy and accuracy64, the
// others' add the function's name: throughput-silubackward64.
func figureFile(kind, name string) string {
	switch name {
	case "Sigmoid":
		return kind
	case "Sigmoid64":
		return kind + "64"
	}
	return kind + "-" + strings.ToLower(name)
}

// figureFiles lists every figure a report run writes, the accuracy ones
// unless noAccuracy.
func figureFiles(noAccuracy bool) []string {
	var fs []string
	for _, kind := range []string{plot.ThroughputFile, plot.AccuracyFile} {
		if kind == plot.AccuracyFile && noAccuracy {
			continue
		}
		for _, fn := range append([]string{"Sigmoid"}, otherFunctions...) {
			fs = append(fs, figureFile(kind, fn), figureFile(kind, fn+"64"))
		}
	}
	return fs
}

// figureAlt is the alternative text of the figure with base name file.
func figureAlt(file string) string {
	sigmoid := map[string]string{
		plot.ThroughputFile:   "Sigmoid (float32) throughput in elements per second against slice length, per kernel and baseline, with the cache sizes marked",
		plot.ThroughputFile64: "Sigmoid64 throughput in elements per second against slice length, per kernel and baseline, with the cache sizes marked",
		plot.AccuracyFile:     "Largest float32 error in ULPs against x in [-110, 20], per kernel, with the subnormal range and the saturation points marked, and a close-up of [15.5, 18]",
		plot.AccuracyFile64:   "Largest float64 error in ULPs against x in [-760, 45], per kernel, with the subnormal range and the saturation points marked, and a close-up of [35.5, 38]",
	}
	if alt, ok := sigmoid[file]; ok {
		return alt
	}
	for _, fn := range otherFunctions {
		for _, name := range []string{fn, fn + "64"} {
			switch file {
			case figureFile(plot.ThroughputFile, name):
				return "Throughput of " + name + " in elements per second against slice length, per kernel and baseline, with the cache sizes marked"
			case figureFile(plot.AccuracyFile, name):
				return "Largest error of " + name + " in ULPs against x, per kernel, with the subnormal range shaded"
			}
		}
	}
	return file
}

// otherAccuracy describes the accuracy figure of a function besides the
// sigmoid: its error against x with dy = 1 for the backward passes (the
// derivative itself), SigmoidBackward at y = Sigmoid(x).
type otherAccuracy struct {
	fn    string      // float32 name
	bound float64     // the function's bound in ULPs
	note  string      // more for the title
	marks []plot.Mark // points to mark
	// lo64, if set, is where the float64 figure starts, instead of
	// accLo64: where the reference stops being exact.
	lo64 float64
	// mirrored functions fall to the subnormals as x grows, as σ(-x)
	// does: their figures cover [-accHi, -accLo] and [-accHi64, -accLo64],
	// with the subnormal results on the right.
	mirrored bool
}

var otherAccuracies = map[string]otherAccuracy{
	"SigmoidBackward": {fn: "SigmoidBackward", bound: 1.5, note: "dy = 1, y = σ(x)"},
	"SiLU":            {fn: "SiLU", bound: 1},
	"Tanh":            {fn: "Tanh", bound: 1},
	"TanhBackward":    {fn: "TanhBackward", bound: 1.5, note: "dy = 1, y = tanh(x)"},
	"Softplus":        {fn: "Softplus", bound: 1},
	"LogSigmoid":      {fn: "LogSigmoid", bound: 1},
	// With dy = 1 these are σ(x) and σ(-x), as accurate as the sigmoid:
	// their 1.5 ULP is for products below 2^-125 with a tiny dy.
	"SoftplusBackward":   {fn: "SoftplusBackward", bound: 1, note: "dy = 1: σ(x)"},
	"LogSigmoidBackward": {fn: "LogSigmoidBackward", bound: 1, note: "dy = 1: σ(-x)", mirrored: true},
	// GLU is a·σ(b), SoftplusBackward with dy = a and x = b, bit for bit.
	"GLU": {fn: "GLU", bound: 1, note: "a·σ(b) with a = 1, b = x: σ(x)"},
	// SwiGLU with up = 1 is silu(gate) in value (not always in bits: both
	// are within 1 ULP), held to SwiGLU's own reference.
	"SwiGLU": {fn: "SwiGLU", bound: 1, note: "silu(gate)·up with up = 1, gate = x: silu(x)"},
	// BCEWithLogits with t = 0 is Softplus(z), bit for bit: its figure
	// takes Softplus's exact reference and bound.
	"BCEWithLogits": {fn: "BCEWithLogits", bound: 1, note: "log(1+exp(z)) - t·z with t = 0, z = x: softplus(x)"},
	"SiLUBackward": {fn: "SiLUBackward", bound: 2, note: "dy = 1", marks: []plot.Mark{{X: -1.2785, Short: "-1.28",
		Label: "x = -1.2785: the derivative is 0;\nnext to it the bound is\n2^-25·|dy| (float64: 2^-54·|dy|),\nnot relative"}},
		// Below -600 accuracy.SiLUBackwardExact64 is exact only to
		// 2^-54·|dy|, the absolute bound there.
		lo64: -600},
}

// ones returns a slice of n ones, for dy.
func ones[F workload.Float](n int) []F {
	s := make([]F, n)
	for i := range s {
		s[i] = 1
	}
	return s
}

// accuracyCandidates are function fn of every kernel as func(dst, x []F):
// the backward passes with dy = 1, SigmoidBackward on y = Sigmoid(x), GLU
// with a = 1 and b = x, SwiGLU with gate = x and up = 1, BCEWithLogits
// with z = x and t = 0.
func accuracyCandidates[F workload.Float](fn string) []candidate[F] {
	var cs []candidate[F]
	for _, k := range kernels.Kernels() {
		sig, sigBackward := workload.KernelFuncs[F](k)
		_, siluBackward := workload.SiLUFuncs[F](k)
		tanh, tanhBackward := workload.TanhFuncs[F](k)
		softplusBackward, logSigmoidBackward := workload.SoftplusBackwardFuncs[F](k)
		glu := workload.GLUFunc[F](k)
		swiglu := workload.SwiGLUFunc[F](k)
		bce := workload.BCEWithLogitsFunc[F](k)
		var f func(dst, x []F)
		switch fn {
		case "SiLU", "Tanh", "Softplus", "LogSigmoid":
			f = unaryOf[F](k, fn)
		case "SiLUBackward":
			f = func(dst, x []F) { siluBackward(dst, ones[F](len(x)), x) }
		case "SoftplusBackward":
			f = func(dst, x []F) { softplusBackward(dst, ones[F](len(x)), x) }
		case "LogSigmoidBackward":
			f = func(dst, x []F) { logSigmoidBackward(dst, ones[F](len(x)), x) }
		case "GLU":
			f = func(dst, x []F) { glu(dst, ones[F](len(x)), x) }
		case "SwiGLU":
			f = func(dst, x []F) { swiglu(dst, x, ones[F](len(x))) }
		case "BCEWithLogits":
			f = func(dst, x []F) { bce(dst, x, make([]F, len(x))) }
		case "SigmoidBackward", "TanhBackward":
			forward, backward := sig, sigBackward
			if fn == "TanhBackward" {
				forward, backward = tanh, tanhBackward
			}
			f = func(dst, x []F) {
				y := make([]F, len(x))
				forward(y, x)
				backward(dst, ones[F](len(x)), y)
			}
		default:
			panic("report: no accuracy figure for " + fn)
		}
		cs = append(cs, candidate[F]{k.Name(), f, true})
	}
	return cs
}

// otherAccuracyFigure is the float32 accuracy figure of a.fn over
// [accLo, accHi] (mirrored: [-accHi, -accLo]), with the range of
// subnormal results shaded.
func otherAccuracyFigure(a otherAccuracy, perBin int, date time.Time) plot.Accuracy {
	var ref func(x float32) float64
	switch a.fn {
	case "SiLU":
		ref = accuracy.SiLUWide
	case "SiLUBackward":
		ref = accuracy.SiLUDerivWide
	case "SigmoidBackward":
		ref = func(x float32) float64 { y := float64(kernels.SigmoidScalar(x)); return y - y*y }
	case "Tanh":
		ref = accuracy.TanhWide
	case "TanhBackward":
		ref = func(x float32) float64 { return accuracy.TanhBackwardWide(1, kernels.TanhScalar(x)) }
	case "Softplus", "BCEWithLogits":
		ref = accuracy.SoftplusWide
	case "LogSigmoid":
		ref = func(x float32) float64 { return -accuracy.SoftplusWide(-x) }
	case "SoftplusBackward", "GLU":
		ref = accuracy.SigmoidWide
	case "SwiGLU":
		ref = func(x float32) float64 { return accuracy.SwiGLUWide(x, 1) }
	case "LogSigmoidBackward":
		ref = func(x float32) float64 { return accuracy.SigmoidWide(-x) }
	}
	cands := accuracyCandidates[float32](a.fn)
	lo, hi := float64(accLo), float64(accHi)
	// Below tiny the results are subnormal: the reference's magnitude
	// falls monotonically for x below -2 (for the mirrored functions,
	// above tiny, for x above 2).
	var tiny float32
	if a.mirrored {
		lo, hi = -hi, -lo
		tiny = firstTrue(2, 200, func(x float32) bool { return math.Abs(ref(x)) < 0x1p-126 })
	} else {
		tiny = firstTrue(-200, -2, func(x float32) bool { return math.Abs(ref(x)) >= 0x1p-126 })
	}
	centres, curves := errorCurvesOf(cands, ref, lo, hi, accBins, perBin, []float32{tiny})
	return otherFigure(a, a.fn+" (float32)", cands, centres, curves, lo, hi, float64(tiny), "2^-126; ULP = 2^-149", perBin, date)
}

// otherAccuracyFigure64 is otherAccuracyFigure for float64, over
// [accLo64, accHi64] (mirrored: [-accHi64, -accLo64]) against the
// double-double references.
func otherAccuracyFigure64(a otherAccuracy, perBin int, date time.Time) plot.Accuracy {
	var ref func(x float64) (hi, lo float64)
	switch a.fn {
	case "SiLU":
		ref = accuracy.SiLUExact64
	case "SiLUBackward":
		ref = func(x float64) (hi, lo float64) { return accuracy.SiLUBackwardExact64(1, x) }
	case "SigmoidBackward":
		ref = func(x float64) (hi, lo float64) { return accuracy.BackwardExact64(1, kernels.SigmoidScalar64(x)) }
	case "Tanh":
		ref = accuracy.TanhExact64
	case "TanhBackward":
		ref = func(x float64) (hi, lo float64) { return accuracy.TanhBackwardExact64(1, kernels.TanhScalar64(x)) }
	case "Softplus", "BCEWithLogits":
		ref = accuracy.SoftplusExact64
	case "LogSigmoid":
		ref = func(x float64) (hi, lo float64) { hi, lo = accuracy.SoftplusExact64(-x); return -hi, -lo }
	case "SoftplusBackward", "GLU":
		ref = accuracy.Exact64
	case "SwiGLU":
		ref = func(x float64) (hi, lo float64) { return accuracy.SwiGLUExact64(x, 1) }
	case "LogSigmoidBackward":
		ref = func(x float64) (hi, lo float64) { return accuracy.Exact64(-x) }
	}
	cands := accuracyCandidates[float64](a.fn)
	lo, hi := float64(accLo64), float64(accHi64)
	var tiny float64
	if a.lo64 != 0 {
		lo = a.lo64
	}
	if a.mirrored {
		lo, hi = -accHi64, -accLo64
		tiny = firstTrue64(2, 800, func(x float64) bool { hi, _ := ref(x); return math.Abs(hi) < 0x1p-1022 })
	} else {
		tiny = firstTrue64(-800, -2, func(x float64) bool { hi, _ := ref(x); return math.Abs(hi) >= 0x1p-1022 })
	}
	centres, curves := errorCurves64Of(cands, ref, lo, hi, accBins64, perBin, []float64{tiny})
	f := otherFigure(a, a.fn+"64", cands, centres, curves, lo, hi, tiny, "2^-1022; ULP = 2^-1074", perBin, date)
	f.Ticks.Major, f.Ticks.Minor = 100, 20
	return f
}

// otherFigure assembles the figure of name from the curves.
func otherFigure[F workload.Float](a otherAccuracy, name string, cands []candidate[F], centres []float64, curves map[string][]float64, lo, hi, tiny float64, below string, perBin int, date time.Time) plot.Accuracy {
	title := fmt.Sprintf("%s: largest error in ULPs per bin of %g in x", name, (hi-lo)/float64(len(centres)))
	if a.note != "" {
		title += ", " + a.note
	}
	f := plot.Accuracy{
		Title:    title,
		Subtitle: fmt.Sprintf("%s; %d inputs per bin", machine(date), perBin),
		Lo:       lo,
		Hi:       hi,
		Bound:    a.bound,
		File:     figureFile(plot.AccuracyFile, workload.FuncName[F](a.fn)),
		Marks:    a.marks,
	}
	switch {
	case a.mirrored && tiny < hi:
		f.Shade.Lo, f.Shade.Hi = tiny, hi
		f.Shade.Label = fmt.Sprintf("x > %.2f: subnormal results\n(below %s)", tiny, below)
	case !a.mirrored && tiny > lo:
		f.Shade.Lo, f.Shade.Hi = lo, tiny
		f.Shade.Label = fmt.Sprintf("x < %.2f: subnormal results\n(below %s)", tiny, below)
	}
	for _, c := range cands {
		f.Series = append(f.Series, plot.Series{Name: displayName(c), X: centres, Y: curves[c.name]})
	}
	return f
}
