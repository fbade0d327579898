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

// One step of gradient descent on binary cross-entropy for the model above.
// Through the sigmoid, the gradient of the loss with respect to the logits is
// dL/dz = dL/dp · p·(1-p), which SigmoidBackward computes from the forward
// output p, as autograd does; with dL/dp = (p-y)/(p·(1-p)) it reduces to the
// familiar p - y, which the example checks.
func ExampleSigmoidBackward() {
	logits := []float32{-1.12, 4.36, -4.9, -0.3}
	labels := []float32{0, 1, 0, 1}

	p := make([]float32, len(logits))
	kernels.Sigmoid(p, logits)

	// dL/dp for binary cross-entropy, averaged over the batch.
	dp := make([]float32, len(p))
	for i := range p {
		dp[i] = (p[i] - labels[i]) / (p[i] * (1 - p[i])) / float32(len(p))
	}
	dz := make([]float32, len(p))
	kernels.SigmoidBackward(dz, dp, p)

	const lr = 0.5
	for i := range dz {
		fmt.Printf("z %6.3f  p %.4f  y %.0f  dL/dz %+.5f  (p-y)/n %+.5f  new z %6.3f\n",
			logits[i], p[i], labels[i], dz[i], (p[i]-labels[i])/float32(len(p)), logits[i]-lr*dz[i])
	}
	// Output:
	// z -1.120  p 0.2460  y 0  dL/dz +0.06150  (p-y)/n +0.06150  new z -1.151
	// z  4.360  p 0.9874  y 1  dL/dz -0.00315  (p-y)/n -0.00315  new z  4.362
	// z -4.900  p 0.0074  y 0  dL/dz +0.00185  (p-y)/n +0.00185  new z -4.901
	// z -0.300  p 0.4256  y 1  dL/dz -0.14361  (p-y)/n -0.14361  new z -0.228
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
