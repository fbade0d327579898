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
// of the report's tables; each has a throughput figure per element type,
// and an accuracy figure per element type unless noAccuracyFigure says
// otherwise.
var otherFunctions = []string{"SigmoidBackward", "SiLU", "SiLUBackward", "Tanh", "TanhBackward",
	"Softplus", "SoftplusBackward", "LogSigmoid", "LogSigmoidBackward",
	"GLU", "GLUBackward", "SwiGLU", "SwiGLUBackward", "BCEWithLogits", "BCEWithLogitsBackward", "BCEWithLogitsAndBackward", "BCEWithLogitsMean"}

// noAccuracyFigure are the functions among otherFunctions without an
// accuracy figure: BCEWithLogitsAndBackward, whose loss and dz are
// BCEWithLogits's and BCEWithLogitsBackward's bit for bit, and
// BCEWithLogitsMean, whose dz is BCEWithLogitsBackward's with dy = 1/n and
// whose losses are BCEWithLogits's, bit for bit (their figures cover
// them), and whose mean is one number, not a function of x.
var noAccuracyFigure = map[string]bool{"BCEWithLogitsAndBackward": true, "BCEWithLogitsMean": true}

// unaryFunctions are the forward functions besides the sigmoid, each with
// its backward pass where hasBackward says so, in the tables' order.
var unaryFunctions = []string{"SiLU", "Tanh", "Softplus", "LogSigmoid"}

var hasBackward = map[string]bool{"SiLU": true, "Tanh": true, "Softplus": true, "LogSigmoid": true}

// multiFunctions are the functions of two or more slices besides the
// unary functions' backward passes, in the tables' order, after the
// unary functions: each forward function followed by its gradients;
// multis describes them.
var multiFunctions = []string{"GLU", "GLUBackward", "SwiGLU", "SwiGLUBackward", "BCEWithLogits", "BCEWithLogitsBackward", "BCEWithLogitsAndBackward", "BCEWithLogitsMean"}

// multiFunction describes the table and the throughput figure of one of
// multiFunctions. Each is timed with one input on the inputs of Sigmoid
// (src) and the others fixed (multiCandidates).
type multiFunction struct {
	// params are its outputs, then its inputs, as the kernels name them:
	// dst, a, b; da, db, dy, a, b.
	params  []string
	outputs int // how many of params are outputs
	// about follows the signature in the table's introduction: what the
	// function computes, on which inputs, and a sentence on the table of
	// related (its float32 name), whose name for the table's element type
	// replaces the %s.
	about, related string
	naive          string // the naive Go loop, as the table names it
	inputs         string // the inputs, for the throughput figure's title
	// versus, if set, is the function (float32 name) the table compares
	// each kernel with, that kernel's own, timed in the same rounds on the
	// inputs versusOn describes.
	versus, versusOn string
}

var multis = map[string]multiFunction{
	"GLU": {
		params:  []string{"dst", "a", "b"},
		outputs: 1,
		about: "a·σ(b) = a/(1+exp(-b)), the gated linear unit, with b on the same inputs as Sigmoid " +
			"and a uniform in [-1, 1): the same code as %s with dy = a and x = b.",
		related: "SoftplusBackward",
		naive:   "a/(1+math.Exp(-b)) in float64",
		inputs:  "b in [-10, 10), a in [-1, 1)",
	},
	"GLUBackward": {
		params:  []string{"da", "db", "dy", "a", "b"},
		outputs: 2,
		about: "da = dy·σ(b) and db = dy·a·σ(b)·σ(-b), the gradients of GLU with respect to a and b, " +
			"with b on the same inputs as Sigmoid and dy and a uniform in [-1, 1), drawn independently. " +
			"The %s table above times the forward pass on the same b.",
		related:  "GLU",
		naive:    "s := 1/(1+math.Exp(-b)); da = dy*s; db = dy*a*s*(1-s) in float64",
		inputs:   "b in [-10, 10), dy and a in [-1, 1)",
		versus:   "SiLUBackward",
		versusOn: "x = b and the same dy",
	},
	"SwiGLU": {
		params:  []string{"dst", "gate", "up"},
		outputs: 1,
		about: "silu(gate)·up = gate·σ(gate)·up, the gated activation of LLaMA-style feed-forward blocks, " +
			"with gate on the same inputs as Sigmoid and up uniform in [-1, 1) (GLU's a). " +
			"The %s table above times silu alone on the same gate.",
		related: "SiLU",
		naive:   "gate/(1+math.Exp(-gate))*up in float64",
		inputs:  "gate in [-10, 10), up in [-1, 1)",
	},
	"SwiGLUBackward": {
		params:  []string{"dgate", "dup", "dy", "gate", "up"},
		outputs: 2,
		about: "dgate = dy·up·silu'(gate) and dup = dy·silu(gate), the gradients of SwiGLU with respect to gate and up, " +
			"with gate on the same inputs as Sigmoid and dy and up uniform in [-1, 1), as GLUBackward's dy and a. " +
			"The %s table above times the forward pass on the same gate.",
		related:  "SwiGLU",
		naive:    "s := 1/(1+math.Exp(-gate)); dgate = dy*up*s*(1+gate*(1-s)); dup = dy*gate*s in float64",
		inputs:   "gate in [-10, 10), dy and up in [-1, 1)",
		versus:   "SiLUBackward",
		versusOn: "x = gate and the same dy",
	},
	"BCEWithLogits": {
		params:  []string{"loss", "z", "t"},
		outputs: 1,
		about: "log(1+exp(z)) - t·z, the element-wise loss of binary cross-entropy with logits, " +
			"with z on the same inputs as Sigmoid and t half labels (0 or 1, the even elements), half uniform in [0, 1) (smoothed labels, the odd ones). " +
			"The %s table above times the same z.",
		related: "Softplus",
		naive:   "math.Max(z, 0) - t*z + math.Log1p(math.Exp(-math.Abs(z))) in float64",
		inputs:  "z in [-10, 10), t half 0 or 1, half in [0, 1)",
	},
	"BCEWithLogitsBackward": {
		params:  []string{"dz", "dy", "z", "t"},
		outputs: 1,
		about: "dy·(σ(z) - t), the gradient of BCEWithLogits with respect to the logit z, " +
			"with z on the same inputs as Sigmoid, dy uniform in [-1, 1) as the backward passes' and t as the %s table's.",
		related:  "BCEWithLogits",
		naive:    "dy*(1/(1+math.Exp(-z)) - t) in float64",
		inputs:   "z in [-10, 10), dy in [-1, 1), t half 0 or 1, half in [0, 1)",
		versus:   "SiLUBackward",
		versusOn: "x = z and the same dy",
	},
	"BCEWithLogitsAndBackward": {
		params:  []string{"loss", "dz", "dy", "z", "t"},
		outputs: 2,
		about: "BCEWithLogits's loss and BCEWithLogitsBackward's gradient dy·(σ(z) - t), bit for bit, in one pass that computes e^-|z| once, " +
			"with z on the same inputs as Sigmoid, dy uniform in [-1, 1) as the backward passes' and t as the %s table's.",
		related:  "BCEWithLogits",
		naive:    "math.Max(z, 0) - t*z + math.Log1p(math.Exp(-math.Abs(z))), then dy*(1/(1+math.Exp(-z)) - t), in float64",
		inputs:   "z in [-10, 10), dy in [-1, 1), t half 0 or 1, half in [0, 1)",
		versus:   "Softplus",
		versusOn: "x = z",
	},
	"BCEWithLogitsMean": {
		params:  []string{"dz", "z", "t"},
		outputs: 1,
		about: "the mean of BCEWithLogits's losses, returned, and its gradient dz = (σ(z) - t)/n: " +
			"binary cross-entropy with logits reduced to its mean, forward and backward in one call, " +
			"with z on the same inputs as Sigmoid and t as the %s table's; n is the slice length.",
		related:  "BCEWithLogits",
		naive:    "e := math.Exp(-math.Abs(z)); sum += math.Max(z, 0) - t*z + math.Log1p(e); dz = (σ(z) - t)/n with σ(z) from 1/(1+e), in float64",
		inputs:   "z in [-10, 10), t half 0 or 1, half in [0, 1)",
		versus:   "Softplus",
		versusOn: "x = z",
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

// figureFiles lists every figure a report run writes: the throughput
// figures, and the accuracy ones, but for the functions of
// noAccuracyFigure, unless noAccuracy.
func figureFiles(noAccuracy bool) []string {
	var fs []string
	for _, kind := range []string{plot.ThroughputFile, plot.AccuracyFile} {
		if kind == plot.AccuracyFile && noAccuracy {
			continue
		}
		for _, fn := range append([]string{"Sigmoid"}, otherFunctions...) {
			if kind == plot.AccuracyFile && noAccuracyFigure[fn] {
				continue
			}
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
	// BCEWithLogitsBackward with dy = 1 and t = 0 is σ(z), held to its
	// own references (accuracy.BCEWithLogitsBackwardWide,
	// accuracy.BCEWithLogitsBackwardExact64) and its bound for t = 0.
	"BCEWithLogitsBackward": {fn: "BCEWithLogitsBackward", bound: 1.5, note: "dy·(σ(z) - t) with dy = 1, t = 0, z = x: σ(x)"},
	"SiLUBackward":          {fn: "SiLUBackward", bound: 2, note: "dy = 1", marks: siluZero, lo64: -600},
	// GLUBackward's db with dy = a = 1 is σ'(x) = σ(x)·σ(-x), held to its
	// own references (accuracy.GLUBackwardWide,
	// accuracy.GLUBackwardDBExact64) and its bound where nothing
	// underflows; its da is then σ(x), GLU's figure.
	"GLUBackward": {fn: "GLUBackward", bound: 1.5, note: "db = dy·a·σ(b)·σ(-b) with dy = a = 1, b = x: σ'(x)"},
	// SwiGLUBackward's dgate with dy = up = 1 is SiLUBackward's silu'(x)
	// with dy = 1, bit for bit (up·silu'(gate) is SiLUBackward(up, gate)),
	// held to its own references (accuracy.SwiGLUBackwardWide,
	// accuracy.SwiGLUBackwardDGateExact64) and SiLUBackward's bound; its
	// dup is then SwiGLU's silu(x), whose figure shows it.
	"SwiGLUBackward": {fn: "SwiGLUBackward", bound: 2, note: "dgate = dy·up·silu'(gate) with dy = up = 1, gate = x: silu'(x)", marks: siluZero},
}

// siluZero marks the zero of silu', where SiLUBackward's (and
// SwiGLUBackward's dgate's) bound is absolute. (Below -600
// accuracy.SiLUBackwardExact64 is exact only to 2^-54·|dy|, the absolute
// bound there: SiLUBackward's float64 figure starts at -600.)
var siluZero = []plot.Mark{{X: -1.2785, Short: "-1.28",
	Label: "x = -1.2785: the derivative is 0;\nnext to it the bound is\n2^-25·|dy| (float64: 2^-54·|dy|),\nnot relative"}}

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
// with a = 1 and b = x, GLUBackward's db with dy = a = 1 and b = x, SwiGLU
// with gate = x and up = 1, SwiGLUBackward's dgate with dy = up = 1 and
// gate = x, BCEWithLogits with z = x and t = 0,
// BCEWithLogitsBackward with dy = 1, z = x and t = 0.
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
		bceBackward := workload.BCEWithLogitsBackwardFunc[F](k)
		gluBackward := workload.GLUBackwardFunc[F](k)
		swigluBackward := workload.SwiGLUBackwardFunc[F](k)
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
		case "GLUBackward":
			f = func(dst, x []F) { gluBackward(make([]F, len(x)), dst, ones[F](len(x)), ones[F](len(x)), x) }
		case "SwiGLUBackward":
			f = func(dst, x []F) { swigluBackward(dst, make([]F, len(x)), ones[F](len(x)), x, ones[F](len(x))) }
		case "BCEWithLogits":
			f = func(dst, x []F) { bce(dst, x, make([]F, len(x))) }
		case "BCEWithLogitsBackward":
			f = func(dst, x []F) { bceBackward(dst, ones[F](len(x)), x, make([]F, len(x))) }
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
	case "GLUBackward":
		ref = func(x float32) float64 { _, db := accuracy.GLUBackwardWide(1, 1, x); return db }
	case "SwiGLUBackward":
		ref = func(x float32) float64 { dgate, _ := accuracy.SwiGLUBackwardWide(1, x, 1); return dgate }
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
	case "BCEWithLogitsBackward":
		ref = func(x float32) float64 { return accuracy.BCEWithLogitsBackwardWide(1, x, 0) }
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
	case "GLUBackward":
		ref = func(x float64) (hi, lo float64) { return accuracy.GLUBackwardDBExact64(1, 1, x) }
	case "SwiGLUBackward":
		ref = func(x float64) (hi, lo float64) { return accuracy.SwiGLUBackwardDGateExact64(1, x, 1) }
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
	case "BCEWithLogitsBackward":
		ref = func(x float64) (hi, lo float64) { return accuracy.BCEWithLogitsBackwardExact64(1, x, 0) }
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
