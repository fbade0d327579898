package kernels_test

import (
	"fmt"

	"github.com/simdsigmoid/sigmoid/kernels"
)

// A logistic-regression model with 4 inputs and 1 output, as PyTorch's
// nn.Sequential(nn.Linear(4, 1), nn.Sigmoid()) would compute it: the
// linear layer's logits for a batch of 10 rows, then Sigmoid as the final
// activation, read as p(y == 1).
func Example_logisticRegression() {
	weights := []float32{0.8, -1.2, 0.5, 2.0}
	const bias = -0.3
	batch := [][4]float32{
		{0.1, 0.5, -1.0, 0.2}, {1.5, -0.3, 0.8, 1.1}, {-2.0, 1.0, 0.0, -0.5},
		{0.0, 0.0, 0.0, 0.0}, {3.0, -2.0, 1.0, 2.5}, {-1.0, 2.5, -0.5, -1.5},
		{0.7, 0.7, 0.7, 0.7}, {2.2, 0.1, -0.4, 0.3}, {-0.6, -0.9, 1.8, 0.05},
		{10, -10, 5, 8},
	}

	logits := make([]float32, len(batch))
	for i, row := range batch {
		z := float32(bias)
		for j, x := range row {
			z += weights[j] * x
		}
		logits[i] = z
	}
	probs := make([]float32, len(batch))
	kernels.Sigmoid(probs, logits)

	lo, hi := probs[0], probs[0]
	for i, p := range probs {
		fmt.Printf("row %d: logit %7.3f  p(y=1) = %.6f\n", i, logits[i], p)
		lo, hi = min(lo, p), max(hi, p)
	}
	fmt.Printf("min %.6f, max %.6f\n", lo, hi)
	// Output:
	// row 0: logit  -0.920  p(y=1) = 0.284958
	// row 1: logit   3.860  p(y=1) = 0.979367
	// row 2: logit  -4.100  p(y=1) = 0.016302
	// row 3: logit  -0.300  p(y=1) = 0.425557
	// row 4: logit  10.000  p(y=1) = 0.999955
	// row 5: logit  -7.350  p(y=1) = 0.000642
	// row 6: logit   1.170  p(y=1) = 0.763145
	// row 7: logit   1.740  p(y=1) = 0.850687
	// row 8: logit   1.300  p(y=1) = 0.785835
	// row 9: logit  38.200  p(y=1) = 1.000000
	// min 0.000642, max 1.000000
}

// Training the model above with binary cross-entropy, the loss of PyTorch's
// BCEWithLogitsLoss. Through the sigmoid its gradient with respect to each
// logit is simply p - y: compute that directly, never as
// dL/dp = (p-y)/(p·(1-p)) followed by SigmoidBackward. In float32, p rounds
// to exactly 1 from a logit of 17.33 (and to 0 below -103.97), p·(1-p) is
// then 0, and that route gives 0/0 = NaN, which spreads to every weight in
// one step. Rows 9 and 10 below start saturated (logits 38.2 and 23.7, p
// == 1 exactly), row 9 with the wrong label. The loss is computed from the
// logits for the same reason, log(1-p) would be log(0): BCEWithLogits
// gives every row's loss, log(1+e^z) - y·z, from the logits and labels
// (softplus(z) for label 0, softplus(-z) for label 1, bit for bit), and
// BCEWithLogitsBackward the gradient, dy·(σ(z) - y), with σ(z) - 1
// computed as -σ(-z), without the cancellation.
func Example_training() {
	batch := [][4]float32{
		{0.1, 0.5, -1.0, 0.2}, {1.5, -0.3, 0.8, 1.1}, {-2.0, 1.0, 0.0, -0.5},
		{0.0, 0.0, 0.0, 0.0}, {3.0, -2.0, 1.0, 2.5}, {-1.0, 2.5, -0.5, -1.5},
		{0.7, 0.7, 0.7, 0.7}, {2.2, 0.1, -0.4, 0.3}, {-0.6, -0.9, 1.8, 0.05},
		{10, -10, 5, 8}, {6, -6, 4, 5},
	}
	labels := []float32{0, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1}
	weights := []float32{0.8, -1.2, 0.5, 2.0}
	bias := float32(-0.3)

	n := float32(len(batch))
	logits := make([]float32, len(batch))
	probs := make([]float32, len(batch))
	losses := make([]float32, len(batch))
	dlogits := make([]float32, len(batch))
	scale := make([]float32, len(batch)) // dLoss/dloss[i] = 1/n
	for i := range scale {
		scale[i] = 1 / n
	}
	const lr = 0.05
	for step := 0; step <= 2000; step++ {
		// Forward: Linear, then Sigmoid.
		for i, row := range batch {
			logits[i] = bias + row[0]*weights[0] + row[1]*weights[1] + row[2]*weights[2] + row[3]*weights[3]
		}
		kernels.Sigmoid(probs, logits)

		// Mean binary cross-entropy from the logits, each row's loss
		// log(1+e^z) - y·z computed without overflow or cancellation.
		kernels.BCEWithLogits(losses, logits, labels)
		var loss float64
		for _, l := range losses {
			loss += float64(l)
		}
		loss /= float64(n)

		// Backward: dLoss/dlogit = (p - y)/n, finite however saturated p
		// is.
		kernels.BCEWithLogitsBackward(dlogits, scale, logits, labels)
		for i, row := range batch {
			for j := range weights {
				weights[j] -= lr * dlogits[i] * row[j]
			}
			bias -= lr * dlogits[i]
		}
		switch step {
		case 0, 1, 10, 100, 1000, 2000:
			fmt.Printf("step %4d: loss %.4f  row 9: logit %6.2f p %.4f  row 10: logit %6.2f p %.4f\n",
				step, loss, logits[9], probs[9], logits[10], probs[10])
		}
	}
	correct := 0
	for i, p := range probs {
		if (p > 0.5) == (labels[i] == 1) {
			correct++
		}
	}
	fmt.Printf("%d of %d rows classified correctly\n", correct, len(batch))
	// Output:
	// step    0: loss 3.7364  row 9: logit  38.20 p 1.0000  row 10: logit  23.70 p 1.0000
	// step    1: loss 3.6134  row 9: logit  36.87 p 1.0000  row 10: logit  22.86 p 1.0000
	// step   10: loss 2.5429  row 9: logit  25.11 p 1.0000  row 10: logit  15.48 p 1.0000
	// step  100: loss 0.5570  row 9: logit   0.46 p 0.6120  row 10: logit   0.00 p 0.5009
	// step 1000: loss 0.3484  row 9: logit   0.07 p 0.5181  row 10: logit   0.25 p 0.5618
	// step 2000: loss 0.3050  row 9: logit  -0.05 p 0.4874  row 10: logit   0.32 p 0.5790
	// 10 of 11 rows classified correctly
}

// BCEWithLogitsMean is the training step of the example above in one
// call, PyTorch's BCEWithLogitsLoss forward and backward: it returns the
// mean loss and sets dlogits to its gradient, (σ(z) - y)/n for each logit
// z, finite however saturated z is (rows 9 and 10 start at 38.2 and 23.7,
// row 9 with the wrong label).
func ExampleBCEWithLogitsMean() {
	batch := [][4]float32{
		{0.1, 0.5, -1.0, 0.2}, {1.5, -0.3, 0.8, 1.1}, {-2.0, 1.0, 0.0, -0.5},
		{0.0, 0.0, 0.0, 0.0}, {3.0, -2.0, 1.0, 2.5}, {-1.0, 2.5, -0.5, -1.5},
		{0.7, 0.7, 0.7, 0.7}, {2.2, 0.1, -0.4, 0.3}, {-0.6, -0.9, 1.8, 0.05},
		{10, -10, 5, 8}, {6, -6, 4, 5},
	}
	labels := []float32{0, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1}
	weights := []float32{0.8, -1.2, 0.5, 2.0}
	bias := float32(-0.3)

	logits := make([]float32, len(batch))
	dlogits := make([]float32, len(batch))
	const lr = 0.05
	for step := 0; step <= 2000; step++ {
		for i, row := range batch {
			logits[i] = bias + row[0]*weights[0] + row[1]*weights[1] + row[2]*weights[2] + row[3]*weights[3]
		}
		loss := kernels.BCEWithLogitsMean(dlogits, logits, labels)
		for i, row := range batch {
			for j := range weights {
				weights[j] -= lr * dlogits[i] * row[j]
			}
			bias -= lr * dlogits[i]
		}
		switch step {
		case 0, 1, 10, 100, 1000, 2000:
			fmt.Printf("step %4d: loss %.4f  logits of rows 9 and 10: %6.2f %6.2f\n", step, loss, logits[9], logits[10])
		}
	}
	correct := 0
	for i, z := range logits {
		if (z > 0) == (labels[i] == 1) {
			correct++
		}
	}
	fmt.Printf("%d of %d rows classified correctly\n", correct, len(batch))
	// Output:
	// step    0: loss 3.7364  logits of rows 9 and 10:  38.20  23.70
	// step    1: loss 3.6134  logits of rows 9 and 10:  36.87  22.86
	// step   10: loss 2.5429  logits of rows 9 and 10:  25.11  15.48
	// step  100: loss 0.5570  logits of rows 9 and 10:   0.46   0.00
	// step 1000: loss 0.3484  logits of rows 9 and 10:   0.07   0.25
	// step 2000: loss 0.3050  logits of rows 9 and 10:  -0.05   0.32
	// 10 of 11 rows classified correctly
}

// SigmoidBackward is the sigmoid's own backward pass, dL/dz = dL/dp ·
// p·(1-p), for where the loss is not cross-entropy on the sigmoid's output:
// here squared error on the probability, ½(p - t)², fitting four gates to
// target openings t, the logits being the parameters. Where p has saturated
// (logit 20: p == 1 in float32), p·(1-p) is 0 and so is the gradient: that
// gate no longer learns, but nothing becomes NaN.
func ExampleSigmoidBackward() {
	logits := []float32{-2, 0.5, 3, 20}
	targets := []float32{0.9, 0.2, 0.5, 0.5}
	n := float32(len(logits))

	p := make([]float32, len(logits))
	dp := make([]float32, len(logits))
	dz := make([]float32, len(logits))
	const lr = 5
	for step := 0; step <= 300; step++ {
		kernels.Sigmoid(p, logits)
		for i := range p {
			dp[i] = (p[i] - targets[i]) / n // dL/dp of the mean squared error
		}
		kernels.SigmoidBackward(dz, dp, p) // dL/dz = dp · p·(1-p)
		if step == 0 {
			for i := range p {
				fmt.Printf("gate %d: logit %5.2f  p %.4f  target %.1f  dL/dz %+.5f\n", i, logits[i], p[i], targets[i], dz[i])
			}
		}
		for i := range logits {
			logits[i] -= lr * dz[i]
		}
	}
	fmt.Printf("after 300 steps: p %.4f %.4f %.4f %.4f; the saturated gate's dL/dz is %v\n", p[0], p[1], p[2], p[3], dz[3])
	// Output:
	// gate 0: logit -2.00  p 0.1192  target 0.9  dL/dz -0.02049
	// gate 1: logit  0.50  p 0.6225  target 0.2  dL/dz +0.02482
	// gate 2: logit  3.00  p 0.9526  target 0.5  dL/dz +0.00511
	// gate 3: logit 20.00  p 1.0000  target 0.5  dL/dz +0.00000
	// after 300 steps: p 0.8975 0.2000 0.5000 1.0000; the saturated gate's dL/dz is 0
}

// Sigmoid64 where float32 runs out: in float32 the sigmoid rounds to
// exactly 1 from x ≈ 17.33 and to 0 below x ≈ -103.97, while float64 still
// tells those inputs apart; SigmoidBackward64 then gives their gradients.
func ExampleSigmoid64() {
	logits := []float64{-700, -104, -20, 0, 20, 30}
	p := make([]float64, len(logits))
	kernels.Sigmoid64(p, logits)

	p32 := make([]float32, len(logits))
	l32 := make([]float32, len(logits))
	for i, z := range logits {
		l32[i] = float32(z)
	}
	kernels.Sigmoid(p32, l32)

	ones := []float64{1, 1, 1, 1, 1, 1}
	grad := make([]float64, len(p))
	kernels.SigmoidBackward64(grad, ones, p)
	for i, z := range logits {
		fmt.Printf("z %5.0f  float64 %.10g  float32 %.8g  1-p %.4g  dp/dz %.4g\n", z, p[i], p32[i], 1-p[i], grad[i])
	}
	// Output:
	// z  -700  float64 9.859676544e-305  float32 0  1-p 1  dp/dz 9.86e-305
	// z  -104  float64 6.813556822e-46  float32 0  1-p 1  dp/dz 6.814e-46
	// z   -20  float64 2.061153618e-09  float32 2.0611537e-09  1-p 1  dp/dz 2.061e-09
	// z     0  float64 0.5  float32 0.5  1-p 0.5  dp/dz 0.25
	// z    20  float64 0.9999999979  float32 1  1-p 2.061e-09  dp/dz 2.061e-09
	// z    30  float64 1  float32 1  1-p 9.359e-14  dp/dz 9.359e-14
}

// A SwiGLU feed-forward block, the gate of most recent transformer
// models: out = (silu(x·W1) ⊙ (x·W3))·W2. SwiGLU makes the hidden
// activation from the gate and up projections in one pass, each element
// rounded once, and it feeds the down projection. Here for one token with
// 4 features and a hidden width of 6.
func Example_swiGLU() {
	x := []float32{0.5, -1.0, 2.0, 0.25}
	w1 := [4][6]float32{
		{0.2, -0.5, 1.0, 0.3, -1.2, 0.7},
		{-0.4, 0.1, 0.6, -0.8, 0.5, 0.2},
		{0.9, 0.3, -0.2, 0.4, 0.1, -0.6},
		{0.05, -0.7, 0.3, 1.1, -0.3, 0.8},
	}
	w3 := [4][6]float32{
		{1.0, 0.2, -0.3, 0.5, 0.4, -0.1},
		{0.3, -0.6, 0.8, 0.1, -0.2, 0.9},
		{-0.5, 0.7, 0.2, -0.4, 0.6, 0.3},
		{0.6, 0.1, -0.9, 0.2, 0.3, -0.5},
	}
	w2 := [6][4]float32{
		{0.5, -0.2, 0.1, 0.3}, {-0.3, 0.4, 0.6, -0.1}, {0.2, 0.2, -0.5, 0.7},
		{0.8, -0.6, 0.3, 0.1}, {-0.1, 0.5, 0.4, -0.3}, {0.4, 0.1, -0.2, 0.6},
	}
	project := func(w *[4][6]float32) []float32 {
		h := make([]float32, 6)
		for j := range h {
			for i, xi := range x {
				h[j] += xi * w[i][j]
			}
		}
		return h
	}
	gate, up := project(&w1), project(&w3)

	hidden := make([]float32, 6)
	kernels.SwiGLU(hidden, gate, up) // hidden[j] = silu(gate[j])·up[j]
	out := make([]float32, 4)
	for j, h := range hidden {
		for k := range out {
			out[k] += h * w2[j][k]
		}
	}
	fmt.Printf("silu(x·W1)⊙(x·W3): %.4f\n", hidden)
	fmt.Printf("out:               %.4f\n", out)
	// Output:
	// silu(x·W1)⊙(x·W3): [-1.3677 0.0827 0.1302 -1.0733 -0.4473 0.1209]
	// out:               [-1.4482 0.7651 -0.6774 -0.2280]
}

// One step of an LSTM cell, as PyTorch's nn.LSTMCell computes it: the
// four gate pre-activations W·x + U·h + b, laid out input, forget, output
// gate then the candidate, so that one Sigmoid call covers the three gates
// and one Tanh call the candidate; then c' = f⊙c + i⊙g and h' =
// o⊙tanh(c'). Here with 3 inputs and a hidden size of 2.
func Example_lstmCell() {
	const hidden = 2
	x := []float32{0.5, -1.0, 0.25}
	h := []float32{0.1, -0.2}
	c := []float32{0.3, -0.4}
	// Rows of W (4·hidden by 3) and U (4·hidden by 2), and b.
	w := [4 * hidden][3]float32{
		{0.2, -0.1, 0.4}, {0.5, 0.3, -0.2}, // input gate
		{0.1, 0.6, 0.3}, {-0.4, 0.2, 0.1}, // forget gate
		{0.7, -0.3, 0.2}, {0.3, 0.1, -0.5}, // output gate
		{-0.6, 0.4, 0.9}, {0.8, -0.7, 0.2}, // candidate
	}
	u := [4 * hidden][hidden]float32{
		{0.3, 0.1}, {-0.2, 0.4}, {0.5, -0.3}, {0.1, 0.2},
		{-0.1, 0.6}, {0.4, -0.5}, {0.2, 0.3}, {-0.3, 0.1},
	}
	b := [4 * hidden]float32{0.1, -0.1, 1.0, 1.0, 0, 0.2, 0, -0.1}

	gates := make([]float32, 4*hidden)
	for r := range gates {
		z := b[r]
		for j, xj := range x {
			z += w[r][j] * xj
		}
		for j, hj := range h {
			z += u[r][j] * hj
		}
		gates[r] = z
	}
	kernels.Sigmoid(gates[:3*hidden], gates[:3*hidden]) // i, f, o in place
	kernels.Tanh(gates[3*hidden:], gates[3*hidden:])    // g in place
	i, f, o, g := gates[:hidden], gates[hidden:2*hidden], gates[2*hidden:3*hidden], gates[3*hidden:]

	next := make([]float32, hidden) // c'
	for k := range next {
		next[k] = f[k]*c[k] + i[k]*g[k]
	}
	out := make([]float32, hidden) // h'
	kernels.Tanh(out, next)
	for k := range out {
		out[k] *= o[k]
	}
	fmt.Printf("gates i %.4f f %.4f o %.4f g %.4f\n", i, f, o, g)
	fmt.Printf("c' %.4f\n", next)
	fmt.Printf("h' %.4f\n", out)
	// Output:
	// gates i [0.6011 0.4256] f [0.6536 0.6445] o [0.6388 0.5659] g [-0.4738 0.7616]
	// c' [-0.0887 0.0663]
	// h' [-0.0565 0.0375]
}
