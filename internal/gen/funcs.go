package main

import (
	"fmt"
	"strings"
)

// function is one element-wise function of the package, out[i] =
// f(in0[i], in1[i], …) over whole slices. Every back end generates every
// entry of functions for every variant, with the Go declarations and
// their docs: adding a function is adding an entry.
type function struct {
	name   string   // Go name for float32; float64 inserts "64", each ISA appends its suffix
	params []string // the slices, the outputs first
	// outputs is how many of params are outputs (0: one); a code of a
	// function of several returns results.
	outputs int
	sets    string // what it computes, for the doc: "dst[i] = …"
	// fast is the code every block tries first; its checks (requireFast,
	// requireNoNaN) send a block on to tiny, if set, whose checks
	// (requireTiny, requireNoNaN) send it on to safe, the code for any
	// block. Where their domains overlap the three return the same bits.
	fast, tiny, safe func(m machine, k *consts, in []value) value
	// prefetch is how many bytes ahead x86's main loop prefetches the
	// inputs, one line per vector (0: none). SiLUBackward's arithmetic
	// keeps the loads of its two inputs from running far enough ahead on
	// their own: at 2^24 elements, 4096 bytes took its time from 1.47-1.49
	// to 1.34-1.36 times copy()'s per byte moved (Zen 5, medians of 7
	// interleaved runs; 2048, 8192 and 16384 did no better).
	prefetch int
	// noStream keeps the function's writes in the caches at every length:
	// SiLUBackward's arithmetic is long enough that skipping them slowed
	// it (AVX-512 float32 at 2^24, interleaved: 0.42-0.56 ns per element
	// with ordinary stores, 0.53-0.99 streaming).
	noStream bool
	// maxUnroll caps x86's float32 main loop at that many vectors a pass
	// (0: as many as fit the registers). The products a·σ(b) ran faster
	// at 3 than at the 4 that fit AVX-512 (AMD Zen 4, family 25 model 17,
	// n = 4096, medians of 5, ns per call: GLU 1,368 at 3, 1,545 at 4;
	// computed as a quotient, SoftplusBackward, the same code, at 4 or 2
	// beside GLU at 3 in one run, medians of 7 to 9: 1,516 at 4 against
	// 1,391, 1,552 at 2 against 1,385); SwiGLU ran the same at 3 and 5
	// (1,712 and 1,698).
	maxUnroll int
	// tanhExp marks a fast code whose exp runs on consts.tanhExp: x86's
	// main loop keeps those in registers instead of consts.exp's.
	tanhExp bool
	// slowNs is the function's time per element where every block takes
	// the safe code (a NaN in every vector, inputs over the whole range),
	// float32 and float64, measured with the AVX2 kernel on AMD Zen 1
	// (family 23 model 1), the slowest x86 machine measured: it sets the
	// length of the chunks package asm hands the assembly (chunkLen).
	slowNs [2]float64
	// apiDoc and apiDoc64 are package kernels' docs of the float32 and float64
	// functions, each after the function's name (the generator wraps
	// them); package asm's, package fallback's and the Kernel methods'
	// docs are made from sets, the NaN rule and the aliasing rule.
	apiDoc, apiDoc64 string
}

// hotExp is the exp constants f's fast code reads for every vector.
func (f function) hotExp(k *consts) *expConsts {
	if f.tanhExp {
		return k.tanhExp
	}
	return k.exp
}

var functions = []function{{
	name:     "Sigmoid",
	slowNs:   [2]float64{3.6, 10.4},
	apiDoc:   `sets dst[i] = 1/(1+exp(-src[i])) for every i, within 1 ULP of float32 of the exact value on every input: NaN gives that NaN quieted (sign and payload kept, quiet bit set), +Inf exactly 1, -Inf exactly 0 and ±0 exactly 0.5; x from 16.230068 up to 17.3287 gives 1-2^-24, the correctly rounded value, and x from 17.3287 up exactly 1; results below 2^-126 are subnormal, computed and not flushed to 0. dst may be src itself (in place); it must not overlap src otherwise. It panics if the lengths differ or the slices partially overlap.`,
	apiDoc64: `sets dst[i] = 1/(1+exp(-src[i])) for every i, within 1 ULP of float64 of the exact value: NaN gives that NaN quieted (sign and payload kept, quiet bit set), +Inf exactly 1, -Inf exactly 0 and ±0 exactly 0.5; results below 2^-1022 are subnormal, not flushed to 0. dst may be src itself (in place); it must not overlap src otherwise. It panics if the lengths differ or the slices partially overlap.`,
	params:   []string{"dst", "src"},
	sets:     "dst[i] = 1/(1+exp(-src[i]))",
	fast: func(m machine, k *consts, in []value) value {
		m.requireFast(in[0])
		return sigmoidFast(m, k, in[0])
	},
	tiny: func(m machine, k *consts, in []value) value {
		m.requireTiny(in[0])
		return sigmoidTiny(m, k, in[0])
	},
	safe: func(m machine, k *consts, in []value) value { return sigmoidSafe(m, k, in[0]) },
}, {
	name:     "SiLU",
	slowNs:   [2]float64{4.8, 13.5},
	apiDoc:   `sets dst[i] = src[i]·sigmoid(src[i]) = src[i]/(1+exp(-src[i])) for every i: the SiLU (swish) activation, torch.nn.SiLU. The result is within 1 ULP of float32 of the exact value on every input, computed as the quotient x/(1+e^-x) corrected once (not as x times the rounded sigmoid, which rounds twice). NaN gives that NaN quieted, +Inf +Inf, -Inf -0 (the limit: PyTorch's x/(1+exp(-x)) gives NaN there), ±0 ±0; results below 2^-126 in magnitude (x from about -87.3 down to -110) are subnormal, computed and not flushed, and below that they are -0. dst may be src itself (in place); it must not overlap src otherwise. It panics if the lengths differ or the slices partially overlap.`,
	apiDoc64: `is SiLU for float64: dst[i] = src[i]/(1+exp(-src[i])), within 1 ULP of float64 of the exact value, with the same special values; results below 2^-1022 in magnitude are subnormal, not flushed.`,
	params:   []string{"dst", "src"},
	sets:     "dst[i] = src[i]/(1+exp(-src[i]))",
	fast: func(m machine, k *consts, in []value) value {
		m.requireFast(in[0])
		return siluFast(m, k, in[0])
	},
	tiny: func(m machine, k *consts, in []value) value {
		m.requireTiny(in[0])
		return siluTiny(m, k, in[0])
	},
	safe: func(m machine, k *consts, in []value) value { return siluSafe(m, k, in[0]) },
}, {
	name:     "SiLUBackward",
	slowNs:   [2]float64{7.6, 16.6},
	apiDoc:   `sets dx[i] = dy[i]·σ(x[i])·(1 + x[i]·(1 - σ(x[i]))) for every i, σ the sigmoid: the gradient of the loss with respect to SiLU's input x (the forward input, not its output), given the gradient dy with respect to its output, as PyTorch's silu backward defines it. The result is within 2 ULP of float32 of that expression evaluated exactly, or within 2^-25·|dy| where the derivative is near its zero (x ≈ -1.2785), where no relative bound is reasonable. A NaN dy gives that NaN quieted; else a NaN x gives that NaN quieted; x = +Inf gives dy, x = -Inf dy·(-0). dx may be dy or x itself (in place); it must not otherwise overlap them. It panics if the lengths differ or dx partially overlaps an input.`,
	apiDoc64: `is SiLUBackward for float64: within 2 ULP of float64 of the exact dy·silu'(x), or within 2^-54·|dy| next to the zero of silu'.`,
	params:   []string{"dx", "dy", "x"},
	sets:     "dx[i] = dy[i]·silu'(x[i]), silu'(x) = σ(x)·(1+x·(1-σ(x)))",
	fast:     func(m machine, k *consts, in []value) value { return siluBackward(m, k, in[0], in[1], false) },
	tiny:     func(m machine, k *consts, in []value) value { return siluBackward(m, k, in[0], in[1], true) },
	safe:     func(m machine, k *consts, in []value) value { return siluBackwardSafe(m, k, in[0], in[1]) },
	prefetch: 4096,
	noStream: true,
}, {
	name:     "SigmoidBackward",
	slowNs:   [2]float64{0.8, 1.4},
	apiDoc:   `sets dx[i] = dy[i]·y[i]·(1-y[i]) for every i: the gradient of the loss with respect to the sigmoid's input, given the gradient dy with respect to its output y = Sigmoid(x), as PyTorch's sigmoid backward defines it. The result is within 1.5 ULP of that expression evaluated exactly (two roundings: y - y·y, once, and the product with dy). It is computed as dy·(y - y·y) with y - y·y rounded once, so for inputs no sigmoid returns it follows IEEE arithmetic on that form: y = +Inf gives NaN, y = -Inf and any y where y - y·y overflows give dy·(-Inf). A NaN dy gives that NaN quieted (sign and payload kept); else a NaN y gives that NaN quieted: dy's NaN wins, as x86 and arm64 arithmetic return their first operand's NaN. dx may be dy or y itself (in place); it must not otherwise overlap them. It panics if the lengths differ or dx partially overlaps an input.`,
	apiDoc64: `is SigmoidBackward for float64: it sets dx[i] = dy[i]·y[i]·(1-y[i]) for every i, within 1.5 ULP of that expression evaluated exactly. It is computed as dy·(y - y·y) with y - y·y rounded once, so for inputs no sigmoid returns it follows IEEE arithmetic on that form: y = +Inf gives NaN, y = -Inf and any y where y - y·y overflows give dy·(-Inf). A NaN dy gives that NaN quieted; else a NaN y gives that NaN quieted. dx may be dy or y itself (in place); it must not otherwise overlap them. It panics if the lengths differ or dx partially overlaps an input.`,
	params:   []string{"dx", "dy", "y"},
	sets:     "dx[i] = dy[i]·y[i]·(1-y[i])",
	fast:     func(m machine, _ *consts, in []value) value { return sigmoidBackward(m, in[0], in[1], false) },
	safe:     func(m machine, _ *consts, in []value) value { return sigmoidBackward(m, in[0], in[1], true) },
}, {
	name:     "Tanh",
	slowNs:   [2]float64{3.2, 7.6},
	params:   []string{"dst", "src"},
	sets:     "dst[i] = tanh(src[i])",
	apiDoc:   `sets dst[i] = tanh(src[i]) for every i, the hyperbolic tangent, torch.tanh, within 1 ULP of float32 of the exact value on every input, relative accuracy included where results are tiny (tanh x = x for |x| below about 2^-12, subnormals included). It is odd bit for bit (tanh(-x) = -tanh(x), -0 gives -0) and bounded by ±1 exactly: ±Inf give ±1, and |x| from 9.010914 up gives ±1; NaN gives that NaN quieted. dst may be src itself (in place); it must not overlap src otherwise. It panics if the lengths differ or the slices partially overlap.`,
	apiDoc64: `is Tanh for float64: dst[i] = tanh(src[i]), within 1 ULP of float64 of the exact value, relative accuracy included where results are tiny, odd bit for bit, ±1 exactly from |x| = 19.061547 and at ±Inf; NaN gives that NaN quieted.`,
	fast:     func(m machine, k *consts, in []value) value { return tanhFast(m, k, in[0]) },
	safe:     func(m machine, k *consts, in []value) value { return tanhSafe(m, k, in[0]) },
	tanhExp:  true,
}, {
	name:     "TanhBackward",
	slowNs:   [2]float64{0.8, 1.4},
	params:   []string{"dx", "dy", "y"},
	sets:     "dx[i] = dy[i]·(1-y[i]·y[i])",
	apiDoc:   `sets dx[i] = dy[i]·(1-y[i]·y[i]) for every i: the gradient of the loss with respect to tanh's input, given the gradient dy with respect to its output y = Tanh(x), as PyTorch's tanh backward defines it. The result is within 1.5 ULP of that expression evaluated exactly (two roundings: 1 - y·y, once, and the product with dy). A NaN dy gives that NaN quieted (sign and payload kept); else a NaN y gives that NaN quieted; y = ±Inf gives dy·(-Inf). dx may be dy or y itself (in place); it must not otherwise overlap them. It panics if the lengths differ or dx partially overlaps an input.`,
	apiDoc64: `is TanhBackward for float64: dx[i] = dy[i]·(1-y[i]·y[i]), within 1.5 ULP of that expression evaluated exactly, with the same NaN rule.`,
	fast:     func(m machine, k *consts, in []value) value { return tanhBackward(m, k, in[0], in[1], false) },
	safe:     func(m machine, k *consts, in []value) value { return tanhBackward(m, k, in[0], in[1], true) },
}, {
	name:     "Softplus",
	slowNs:   [2]float64{8.9, 22.2},
	params:   []string{"dst", "src"},
	sets:     "dst[i] = log(1+exp(src[i]))",
	apiDoc:   `sets dst[i] = log(1+exp(src[i])) for every i, the softplus, torch.nn.Softplus (beta 1, without the threshold: the exact value everywhere), within 1 ULP of float32 of the exact value on every input. It is computed as max(x, 0) + log(1+e^-|x|), so nothing overflows and nothing cancels: softplus(x) ≥ x and ≥ 0; from x = -87.3 down the results are subnormal (e^x), computed and not flushed, and below -103.97 they are 0; from x = 14.556091 up the result is x. NaN gives that NaN quieted, +Inf +Inf, -Inf 0, ±0 log 2. dst may be src itself (in place); it must not overlap src otherwise. It panics if the lengths differ or the slices partially overlap.`,
	apiDoc64: `is Softplus for float64: dst[i] = log(1+exp(src[i])), within 1 ULP of float64 of the exact value, with the same special values; results below 2^-1022 (x from -708.4 down) are subnormal, not flushed, and from x = 33.28 up the result is x.`,
	fast: func(m machine, k *consts, in []value) value {
		m.requireFast(in[0])
		return softplusFast(m, k, in[0])
	},
	tiny: func(m machine, k *consts, in []value) value {
		m.requireTiny(in[0])
		return sigmoidTiny(m, k, in[0])
	},
	safe: func(m machine, k *consts, in []value) value { return softplusSafe(m, k, in[0]) },
}, {
	// LogSigmoid is -softplus(-x), bit for bit: every code is softplus's
	// on -x, negated.
	name:     "LogSigmoid",
	slowNs:   [2]float64{9.0, 22.2},
	params:   []string{"dst", "src"},
	sets:     "dst[i] = log(1/(1+exp(-src[i])))",
	apiDoc:   `sets dst[i] = log(1/(1+exp(-src[i]))) = -softplus(-src[i]) for every i, the log of the sigmoid, torch.nn.LogSigmoid, within 1 ULP of float32 of the exact value on every input, bit for bit -Softplus(-x): logsigmoid(x) ≤ min(x, 0); from x = 87.3 up the results are subnormal (-e^-x), computed and not flushed, and above 103.97 they are -0; from x = -14.556091 down the result is x. NaN gives that NaN quieted, +Inf -0, -Inf -Inf, ±0 -log 2. dst may be src itself (in place); it must not overlap src otherwise. It panics if the lengths differ or the slices partially overlap.`,
	apiDoc64: `is LogSigmoid for float64: dst[i] = log(1/(1+exp(-src[i]))) = -Softplus64(-src[i]), within 1 ULP of float64 of the exact value, with the same special values; results above -2^-1022 (x from 708.4 up) are subnormal, not flushed, and from x = -33.28 down the result is x.`,
	fast: func(m machine, k *consts, in []value) value {
		m.requireFast(in[0]) // |x| ≤ fastLimit, as for -x
		return logSigmoidFast(m, k, in[0])
	},
	tiny: func(m machine, k *consts, in []value) value {
		x := m.neg(in[0])
		m.requireTiny(x)
		return m.neg(sigmoidTiny(m, k, x))
	},
	safe: func(m machine, k *consts, in []value) value { return m.neg(softplusSafe(m, k, m.neg(in[0]))) },
}, {
	name:      "SoftplusBackward",
	maxUnroll: 3,
	slowNs:    [2]float64{6.8, 14.9},
	params:    []string{"dx", "dy", "x"},
	sets:      "dx[i] = dy[i]·σ(x[i])",
	apiDoc:    `sets dx[i] = dy[i]·σ(x[i]) for every i, σ the sigmoid: the gradient of the loss with respect to softplus's input x (the forward input, not its output), given the gradient dy with respect to its output, as PyTorch's softplus backward defines it (beta 1, no threshold). The result is within 1 ULP of float32 of the exact product on every input, computed as the quotient dy/(1+exp(-x)) corrected once with its residual, so that only its last rounding matters (not dy times the rounded sigmoid, which rounds twice), at a scale where nothing is lost to the subnormals, so that results below 2^-126 are as accurate. Where σ(x) is subnormal or below the float32 range, dy·e^x is still computed at its own scale, so a large dy gives the normal result it should (x = -150, dy = 1e38: about 7.2e-28); results below 2^-126 are subnormal, not flushed. A NaN dy gives that NaN quieted; else a NaN x gives that NaN quieted; x = +Inf gives dy, x = -Inf dy·0 (±0); an infinite dy gives ±Inf, and NaN where x = -Inf (∞·0: the negative quiet NaN without payload). dx may be dy or x itself (in place); it must not otherwise overlap them. It panics if the lengths differ or dx partially overlaps an input.`,
	apiDoc64:  `is SoftplusBackward for float64: dx[i] = dy[i]·σ(x[i]), within 1 ULP of float64 of the exact product on every input, with the same special values; dy·e^x is computed at its own scale where e^x is subnormal or below the float64 range.`,
	fast:      sigmoidProduct("fast", false),
	tiny:      sigmoidProduct("tiny", false),
	safe:      sigmoidProduct("safe", false),
}, {
	// LogSigmoidBackward is dy·σ(-x): SoftplusBackward's codes on -x, bit
	// for bit, the NaN rule aside.
	name:      "LogSigmoidBackward",
	maxUnroll: 3,
	slowNs:    [2]float64{6.8, 14.9},
	params:    []string{"dx", "dy", "x"},
	sets:      "dx[i] = dy[i]·σ(-x[i])",
	apiDoc:    `sets dx[i] = dy[i]·σ(-x[i]) = dy[i]·(1 - σ(x[i])) for every i, σ the sigmoid: the gradient of the loss with respect to log-sigmoid's input x (the forward input), given the gradient dy with respect to its output, as PyTorch's log_sigmoid backward defines it. It is SoftplusBackward(dx, dy, -x) bit for bit, with its accuracy (1 ULP of float32 on every input; no cancellation in 1 - σ(x): σ(-x) is computed directly), a NaN x aside: a NaN dy gives that NaN quieted; else a NaN x gives that NaN quieted, as given. x = -Inf gives dy, x = +Inf dy·0 (±0); an infinite dy gives ±Inf, and NaN where x = +Inf. dx may be dy or x itself (in place); it must not otherwise overlap them. It panics if the lengths differ or dx partially overlaps an input.`,
	apiDoc64:  `is LogSigmoidBackward for float64: dx[i] = dy[i]·σ(-x[i]), SoftplusBackward64(dx, dy, -x) bit for bit but for the NaN rule, with its accuracy.`,
	fast:      sigmoidProduct("fast", true),
	tiny:      sigmoidProduct("tiny", true),
	safe:      sigmoidProduct("safe", true),
}, {
	// GLU is a·σ(b): SoftplusBackward's codes with dy = a, x = b.
	name:      "GLU",
	maxUnroll: 3,
	slowNs:    [2]float64{6.8, 14.9},
	params:    []string{"dst", "a", "b"},
	sets:      "dst[i] = a[i]·σ(b[i])",
	apiDoc:    `sets dst[i] = a[i]·σ(b[i]) for every i, σ the sigmoid: the gated linear unit, torch.nn.GLU with its input's two halves passed as a and b. It is SoftplusBackward(dst, a, b) bit for bit, with its accuracy: within 1 ULP of float32 of the exact product on every input, computed as the quotient a/(1+exp(-b)) corrected once with its residual, so that only its last rounding matters (not a times the rounded sigmoid, which rounds twice), at a scale where nothing is lost to the subnormals; a·e^b is computed at its own scale where σ(b) is subnormal or below the float32 range, and results below 2^-126 are subnormal, not flushed. A NaN a gives that NaN quieted; else a NaN b gives that NaN quieted; b = +Inf gives a, b = -Inf a·0 (±0); an infinite a gives ±Inf, and NaN where b = -Inf (∞·0: the negative quiet NaN without payload). dst may be a or b itself (in place); it must not otherwise overlap them. It panics if the lengths differ or dst partially overlaps an input.`,
	apiDoc64:  `is GLU for float64: dst[i] = a[i]·σ(b[i]), SoftplusBackward64(dst, a, b) bit for bit, within 1 ULP of float64 of the exact product on every input, with the same special values.`,
	fast:      sigmoidProduct("fast", false),
	tiny:      sigmoidProduct("tiny", false),
	safe:      sigmoidProduct("safe", false),
}, {
	// SwiGLU has no tiny code: a block with every gate below -fastLimit
	// is rare in a network, and the tiny code's registers cost the main
	// loop a vector a pass (AVX-512, measured before up was scaled: 3
	// with it, 4 without).
	name: "SwiGLU",
	// slowNs: measured on AMD Zen 4 (2.98 and 8.98 ns, TestChunkTime),
	// times GLU's Zen 1 / Zen 4 ratio (3.29, 3.43).
	slowNs:   [2]float64{9.8, 30.8},
	params:   []string{"dst", "gate", "up"},
	sets:     "dst[i] = gate[i]·σ(gate[i])·up[i]",
	apiDoc:   `sets dst[i] = silu(gate[i])·up[i] = gate[i]·σ(gate[i])·up[i] for every i, σ the sigmoid: the gated activation of the feed-forward block of LLaMA-style models, PyTorch's silu(gate)*up in one pass. The result is within 1 ULP of float32 of the exact value on every input: the product is rounded once, from gate·up carried exactly and σ to well below an ulp (not up times SiLU's rounded result, which rounds twice), at a scale where nothing is lost to the subnormals, so that results below 2^-126 are subnormal, computed and not flushed, and as accurate. Where gate·up overflows or silu(gate) is subnormal or below the float32 range, the product is still computed at its own scale, so a result in range comes out right (gate = -100, up = 1e38: about -3.72e-04). A NaN gate gives that NaN quieted; else a NaN up gives that NaN quieted; gate = +Inf gives up·∞, gate = -Inf up·(-0); a zero gate with a finite up, or a zero up with a finite gate, gives ±0 with the sign of gate·up; an infinite up gives ±Inf, and NaN where gate is ±0 or -Inf, as up = ±0 does where gate = +Inf (∞·0: the negative quiet NaN without payload). dst may be gate or up itself (in place); it must not otherwise overlap them. It panics if the lengths differ or dst partially overlaps an input.`,
	apiDoc64: `is SwiGLU for float64: dst[i] = silu(gate[i])·up[i], within 1 ULP of float64 of the exact value on every input, subnormal results included, with the same special values.`,
	fast: func(m machine, k *consts, in []value) value {
		m.requireFast(in[0])
		return swigluProduct(m, k, in[0], in[1])
	},
	safe: func(m machine, k *consts, in []value) value { return swigluSafe(m, k, in[0], in[1]) },
}, {
	name:     "BCEWithLogits",
	slowNs:   [2]float64{11.7, 31.5},
	params:   []string{"loss", "z", "t"},
	sets:     "loss[i] = max(z[i], 0) - t[i]·z[i] + log(1+exp(-|z[i]|))",
	apiDoc:   `sets loss[i] = log(1+exp(z[i])) - t[i]·z[i] for every i: the loss of binary cross-entropy with logits, torch.nn.BCEWithLogitsLoss with reduction "none" and no weights, for the logit z and the target t. It is computed as max(z, 0) - t·z, which is (1-t)·z for z ≥ 0 and -t·z for z < 0, plus log(1+exp(-|z|)), each carried to well below an ulp and the sum rounded once: for t in [0, 1] both terms are non-negative, so nothing overflows and nothing cancels, and saturated logits get their loss to full precision (z = -30, t = 0: 9.357623e-14; results below 2^-126 are subnormal, not flushed). The result is within 1 ULP of float32 of the exact value for t = 0 and t = 1, where it is Softplus(z) and Softplus(-z) bit for bit, and wherever |z| ≤ 32; within 2 ULP for other t in [0, 1]. z = ±Inf gives +Inf where the target disagrees (1-t > 0 for +Inf, t > 0 for -Inf) and 0 where it agrees exactly (t = 1 at +Inf, t = 0 at -Inf: the limit, where IEEE arithmetic on the formula gives NaN). For t outside [0, 1] the same formula holds, but max(z, 0) - t·z is then negative on one side and cancels against the log term, so the error is bounded only relative to the terms (12.9 ULP of the result at z = 0.48, t = 2, where they nearly cancel), and a finite z with an infinite t, a t·z or a max(z, 0) - t·z beyond the float32 range gives NaN (the negative quiet NaN without payload). A NaN z gives that NaN quieted; else a NaN t gives that NaN quieted. loss may be z or t itself (in place); it must not otherwise overlap them. It panics if the lengths differ or loss partially overlaps an input.`,
	apiDoc64: `is BCEWithLogits for float64: loss[i] = log(1+exp(z[i])) - t[i]·z[i], within 1 ULP of float64 of the exact value for t = 0 and t = 1 (Softplus64(z) and Softplus64(-z) bit for bit) and wherever |z| ≤ 32, within 2 ULP for other t in [0, 1], with the same special values.`,
	fast: func(m machine, k *consts, in []value) value {
		m.requireFast(in[0])
		y := bceFast(m, k, in[0], in[1])
		m.requireNoNaN(y)
		return y
	},
	tiny: func(m machine, k *consts, in []value) value {
		m.requireTiny(m.neg(m.absMin(in[0], k.inf)))
		y := bceTiny(m, k, in[0], in[1])
		m.requireNoNaN(y)
		return y
	},
	safe: func(m machine, k *consts, in []value) value { return bceSafe(m, k, in[0], in[1]) },
}, {
	// BCEWithLogitsBackward has no tiny code: past fastLimit its result
	// depends on t as well (dy·σ(-|z|) only where t is 0 or 1).
	name: "BCEWithLogitsBackward",
	// slowNs: measured on AMD Zen 4 (4.1 and 8.3 ns, TestChunkTime),
	// times GLU's Zen 1 / Zen 4 ratio (3.29, 3.43).
	slowNs:   [2]float64{13.5, 28.5},
	params:   []string{"dz", "dy", "z", "t"},
	sets:     "dz[i] = dy[i]·(σ(z[i]) - t[i])",
	apiDoc:   `sets dz[i] = dy[i]·(σ(z[i]) - t[i]) for every i, σ the sigmoid: the gradient of the loss of BCEWithLogits with respect to the logit z, given the gradient dy with respect to that loss, as PyTorch's binary_cross_entropy_with_logits backward defines it (no weights). σ(z) - t is computed from σ(-|z|), which nothing cancels, as a double word (σ(z) - 1 is -σ(-z), not 1 minus a rounded σ), and the product with dy is rounded once: the result is within 1.5 ULP of float32 of the exact value for t = 0 and t = 1, and within 2 ULP + 2^-24·|dy| for other t in [0, 1] (1 - t is rounded once where z ≥ 0). Where t is 0 or 1 and σ(-|z|) is subnormal or below the float32 range, the product is computed at its own scale, so a large dy gives the normal result it should (z = 150, t = 1, dy = 1e38: about -7.2e-28); results below 2^-126 are subnormal, not flushed. For t outside [0, 1] the same formula is computed, with no bound stated: the result is finite where the exact value is well inside the float32 range, an infinity where it is well beyond, and not NaN for finite inputs. z = +Inf gives dy·(1 - t), z = -Inf dy·(-t) (a zero of either sign where that is 0); an infinite dy gives ±Inf with the sign of dy times the computed σ(z) - t, which is within 2^-27 of σ(z) relative where |z| ≤ 32 (float64: 2^-55, |z| ≤ 512) and within half an ulp of float32 beyond, so that where t is that close to σ(z) the sign may be either, and NaN where the difference computes as 0 (z = +Inf with t = 1, z = -Inf with t = 0, t = 1/2 with |z| below about 2^-24); an infinite t gives ±Inf, or NaN for a zero dy; a zero dy gives a zero of either sign. A NaN dy gives that NaN quieted; else a NaN z gives that NaN quieted; else a NaN t does. dz may be dy, z or t itself (in place); it must not otherwise overlap them. It panics if the lengths differ or dz partially overlaps an input.`,
	apiDoc64: `is BCEWithLogitsBackward for float64: dz[i] = dy[i]·(σ(z[i]) - t[i]), within 1.5 ULP of float64 of the exact value for t = 0 and t = 1 and within 2 ULP + 2^-53·|dy| for other t in [0, 1], with the same special values.`,
	fast: func(m machine, k *consts, in []value) value {
		m.requireFast(in[1])
		y := bceGradFast(m, k, in[0], in[1], in[2])
		m.requireNoNaN(y)
		return y
	},
	safe: func(m machine, k *consts, in []value) value { return bceGradSafe(m, k, in[0], in[1], in[2]) },
}, {
	// BCEWithLogitsAndBackward has no tiny code: BCEWithLogitsBackward
	// has none.
	name: "BCEWithLogitsAndBackward",
	// slowNs: BCEWithLogits's and BCEWithLogitsBackward's added, whose
	// safe codes it runs.
	slowNs:   [2]float64{25.2, 60},
	params:   []string{"loss", "dz", "dy", "z", "t"},
	outputs:  2,
	sets:     "loss[i] = max(z[i], 0) - t[i]·z[i] + log(1+exp(-|z[i]|)) and dz[i] = dy[i]·(σ(z[i]) - t[i])",
	apiDoc:   `sets loss[i] = log(1+exp(z[i])) - t[i]·z[i] and dz[i] = dy[i]·(σ(z[i]) - t[i]) for every i, σ the sigmoid: BCEWithLogits(loss, z, t) and BCEWithLogitsBackward(dz, dy, z, t) bit for bit, with their accuracy and special values, in one pass that computes e^-|z| once for both. It serves a loss whose weights are known before the forward pass, as a mean's 1/n (BCEWithLogitsMean) or a weighted sum's w[i]: the losses and their gradients for the cost of reading z and t once. loss follows the NaN rule on z then t, dz on dy, z, then t. loss and dz may each be one of dy, z and t itself (in place); they must not otherwise overlap an input, nor each other. It panics if the lengths differ, an output partially overlaps an input, or the outputs overlap.`,
	apiDoc64: `is BCEWithLogitsAndBackward for float64: BCEWithLogits64(loss, z, t) and BCEWithLogitsBackward64(dz, dy, z, t) bit for bit, in one pass.`,
	fast: func(m machine, k *consts, in []value) value {
		m.requireFast(in[1])
		loss, dz := bceBoth(m, k, in[0], in[1], in[2])
		m.requireNoNaN(loss)
		m.requireNoNaN(dz)
		return results{loss, dz}
	},
	safe: func(m machine, k *consts, in []value) value {
		hdy, hz, ht := m.hold(in[0]), m.hold(in[1]), m.hold(in[2])
		// The gradient first: NEON's registers hold its result through
		// the loss's safe code, not the other way round.
		dz := bceGradSafe(m, k, m.release(hdy), m.release(hz), m.release(ht))
		return results{bceSafe(m, k, m.release(hz), m.release(ht)), dz}
	},
}, {
	name: "GLUBackward",
	// slowNs: measured on AMD Zen 4 (6.1 and 10.4 ns, TestChunkTime),
	// times GLU's Zen 1 / Zen 4 ratio (3.29, 3.43).
	slowNs:   [2]float64{20, 35.5},
	params:   []string{"da", "db", "dy", "a", "b"},
	outputs:  2,
	sets:     "da[i] = dy[i]·σ(b[i]) and db[i] = dy[i]·a[i]·σ(b[i])·σ(-b[i])",
	apiDoc:   `sets da[i] = dy[i]·σ(b[i]) and db[i] = dy[i]·a[i]·σ(b[i])·σ(-b[i]) for every i, σ the sigmoid: the gradients of the loss with respect to GLU's inputs a and b, given the gradient dy with respect to its output a·σ(b), as PyTorch's glu backward defines them. Both come from σ(-|b|), which nothing cancels, carried to well below an ulp: da is rounded once, within 1 ULP of float32 of the exact product wherever that is 2^-125 or more in magnitude and 1.5 ULP below; db is σ'(b) = σ(b)·σ(-b), rounded once, times the larger in magnitude of dy and a, then times the other, three roundings: within 2.5 ULP of the exact value where a·σ'(b) is 2^-126 or more in magnitude, and within 2 ULP + 2^-25·|dy·a| everywhere (a large dy never multiplies a rounding on the subnormals' grid). Past |b| = 32, dy·e^b (for da, b < 0) and the larger of dy and a times e^-|b| (for db) are computed at their own scale, so that a large dy or a gives the normal result it should where σ(b) or σ'(b) is subnormal or below the float32 range; results below 2^-126 are subnormal, not flushed. da follows the NaN rule on dy then b, db on dy, a, then b: a NaN there gives that NaN quieted; b = +Inf gives da = dy and db = dy·a·0; an infinite dy or a gives ±Inf, and NaN where it meets a zero factor (∞·0: the negative quiet NaN without payload). da and db may each be one of dy, a and b itself (in place); they must not otherwise overlap an input, nor each other. It panics if the lengths differ, an output partially overlaps an input, or the outputs overlap.`,
	apiDoc64: `is GLUBackward for float64: da[i] = dy[i]·σ(b[i]) and db[i] = dy[i]·a[i]·σ(b[i])·σ(-b[i]), within 1 ULP (da) and 2.5 ULP (db) of float64 of the exact values where nothing underflows, db within 2 ULP + 2^-54·|dy·a| where a·σ'(b) is subnormal, with the same special values; past |b| = 512 the products are computed at their own scale.`,
	fast: func(m machine, k *consts, in []value) value {
		m.requireFast(in[2])
		hdy, ha := m.hold(in[0]), m.hold(in[1])
		da, sd := gluGradCore(m, k, hdy, m.hold(in[2]), true, true)
		m.requireNoNaN(da)
		db := gradientOf(m, k, hdy, ha, sd)
		m.requireNoNaN(db)
		return results{da, db}
	},
	safe: func(m machine, k *consts, in []value) value {
		da, db := gluGradSafe(m, k, in[0], in[1], in[2])
		return results{da, db}
	},
}, {
	// SwiGLUBackward is SwiGLU(dup, gate, dy) and dy·SiLUBackward(up, gate),
	// bit for bit, but for the NaN rule's order.
	name: "SwiGLUBackward",
	// slowNs: measured on AMD Zen 4 (6.4 and 19.7 ns, TestChunkTime),
	// times GLU's Zen 1 / Zen 4 ratio (3.29, 3.43).
	slowNs:   [2]float64{21, 67.5},
	params:   []string{"dgate", "dup", "dy", "gate", "up"},
	outputs:  2,
	sets:     "dgate[i] = dy[i]·up[i]·silu'(gate[i]) and dup[i] = dy[i]·silu(gate[i])",
	apiDoc:   `sets dgate[i] = dy[i]·up[i]·silu'(gate[i]) and dup[i] = dy[i]·silu(gate[i]) for every i, silu(x) = x·σ(x) and silu'(x) = σ(x)·(1 + x·(1 - σ(x))), σ the sigmoid: the gradients of the loss with respect to SwiGLU's inputs gate and up, given the gradient dy with respect to its output silu(gate)·up, as PyTorch's autograd computes them for silu(gate)*up. dup is SwiGLU(dup, gate, dy) bit for bit, with its accuracy: within 1 ULP of float32 of the exact value on every input, subnormal results included. dgate is dy·(up·silu'(gate)) with silu'(gate) as SiLUBackward computes it, computed as dy·SiLUBackward(up·2^64, gate)·2^-64 (exact scalings but the last, where the result is subnormal), so that a large dy never multiplies a factor rounded on the subnormals' grid: within 2 ULP + 2^-25·|dy·up| of the exact value on every input (the absolute term where silu' is near its zero, gate ≈ -1.2785). Where gate > 32, or where dy·SiLUBackward(up·2^64, gate) overflows, it is dy·SiLUBackward(up, gate), unscaled (an infinity where up·silu'(gate) overflows). dgate follows the NaN rule on dy, gate, then up, dup on dy then gate: a NaN there gives that NaN quieted; the other special values are SwiGLU's and SiLUBackward's (gate = +Inf gives dgate = dy·up and dup = dy·∞, gate = -Inf dgate = dy·up·(-0) and dup = dy·(-0)); an infinite dy gives ±Inf, or NaN where it meets a zero factor (∞·0: the negative quiet NaN without payload). dgate and dup may each be one of dy, gate and up itself (in place); they must not otherwise overlap an input, nor each other. It panics if the lengths differ, an output partially overlaps an input, or the outputs overlap.`,
	apiDoc64: `is SwiGLUBackward for float64: dgate[i] = dy[i]·up[i]·silu'(gate[i]) within 2 ULP + 2^-54·|dy·up| on every input, and dup[i] = dy[i]·silu(gate[i]) within 1 ULP of float64 of the exact values (SwiGLU64 and SiLUBackward64 bit for bit, up scaled by 2^128 and the product back as for float32, but where gate > 512), with the same special values.`,
	fast: func(m machine, k *consts, in []value) value {
		m.requireFast(in[1])
		dgate, dup := swigluGradFast(m, k, in[0], in[1], in[2])
		return results{dgate, dup}
	},
	safe: func(m machine, k *consts, in []value) value {
		hdy, hg, hu := m.hold(in[0]), m.hold(in[1]), m.hold(in[2])
		dup := swigluSafe(m, k, in[1], in[0])
		nanRule(m, dup, m.release(hdy), m.release(hg))
		dgate := dgateSafe(m, k, hdy, hu, siluDerivSafe(m, k, m.release(hg)))
		// Past fastLimit silu' is 1: dy·up, rounded once.
		m.above(dgate, m.release(hg), k.large, m.mul(m.release(hdy), m.release(hu)))
		nanRule(m, dgate, m.release(hdy), m.release(hg), m.release(hu))
		return results{dgate, dup}
	},
}}

// Chunks: assembly is never preempted, so a goroutine inside it holds off
// every stop-the-world (the garbage collector's included) until it
// returns. Package asm therefore calls it on chunks of chunkLen elements,
// each call a preemption point: a power of two that the slowest inputs
// run through in at most chunkTime (slowNs), and at most maxChunkBytes of
// output, past which a longer chunk saves nothing measurable.
const (
	chunkTime     = 100e3 // ns
	maxChunkBytes = 128 << 10
)

// chunkLen is how many elements of type e one assembly call of f gets.
func (f function) chunkLen(e elem) int {
	ns := f.slowNs[0]
	if e == f64 {
		ns = f.slowNs[1]
	}
	if ns <= 0 {
		panic(f.name + ": no slowNs")
	}
	n := maxChunkBytes / e.bytes
	for float64(n)*ns > chunkTime {
		n /= 2
	}
	return n
}

// symbol is f's assembly name in variant v: Sigmoid64AVX512.
func (f function) symbol(v variant) string {
	if v.elem == f64 {
		return f.name + "64" + v.suffix
	}
	return f.name + v.suffix
}

// raw is the name of f's assembly function in variant v, unexported:
// sigmoid64AVX512. Package asm exports only the checked entry points
// (entry.go) that call it.
func (f function) raw(v variant) string { return f.unexported(v) }

// unexported is f's symbol in variant v with the function's name
// unexported: sigmoid64AVX512, gluAVX2, bceWithLogits64.
func (f function) unexported(v variant) string {
	return unexport(f.name) + strings.TrimPrefix(f.symbol(v), f.name)
}

// decl is f's Go signature in variant v, extra parameters appended.
func (f function) decl(v variant, extra ...string) string {
	params := strings.Join(f.params, ", ") + " []" + v.elem.name
	for _, e := range extra {
		params += ", " + e
	}
	return "func(" + params + ")"
}

// doc is the doc comment of f's assembly function in variant v: what it
// computes, over which elements, how it treats NaNs, and the CPU
// features it needs.
func (f function) doc(v variant, more, needs string) string {
	return fmt.Sprintf("%s sets %s for i below the shortest length.%s%s It needs %s.", f.raw(v), f.sets, f.nanDoc(), more, needs)
}

// streamDoc says what x86's stream parameter does, for the doc.
func (f function) streamDoc() string {
	if len(f.outs()) > 1 {
		return " It ignores stream."
	}
	return " With stream set, " + f.params[0] + " is written with non-temporal stores, which pays for slices much larger than the caches."
}

// overlapDoc is the overlap that makes f panic, for the docs.
func (f function) overlapDoc() string {
	if outs := f.outs(); len(outs) > 1 {
		return "an output partially overlaps an input or the outputs overlap"
	}
	return f.params[0] + " partially overlaps an input"
}

// outs and ins are f's output and input parameters.
func (f function) outs() []string { return f.params[:max(f.outputs, 1)] }
func (f function) ins() []string  { return f.params[max(f.outputs, 1):] }

// shape names f's parameter list in the tests' harnesses and package
// asm's race annotations: unary (dst, src), backward (an output and two
// inputs), ternary (an output and three inputs) or dual (two outputs and
// three inputs).
func (f function) shape() string {
	if len(f.outs()) == 2 && len(f.ins()) == 3 {
		return "dual"
	}
	if len(f.outs()) != 1 {
		panic(f.name + ": no shape of its parameters")
	}
	return [...]string{1: "unary", 2: "backward", 3: "ternary"}[len(f.ins())]
}

// nanDoc is the NaN rule, for the docs.
func (f function) nanDoc() string {
	ins := f.ins()
	if len(f.outs()) > 1 {
		return " Each output follows the NaN rule over the inputs it depends on, in the order of the parameters: a NaN there gives that NaN quieted, the first one's if several; a NaN the arithmetic makes (∞-∞, 0·∞) is the negative quiet NaN without payload."
	}
	if len(ins) == 1 {
		return " A NaN input gives that NaN quieted."
	}
	rule := fmt.Sprintf(" A NaN %s gives that NaN quieted", ins[0])
	for _, p := range ins[1:] {
		rule += ", else a NaN " + p + " does"
	}
	return rule + "; a NaN the arithmetic makes (∞-∞, 0·∞) is the negative quiet NaN without payload."
}
