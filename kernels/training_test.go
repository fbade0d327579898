package kernels_test

import (
	"math"
	"testing"

	"github.com/simdsigmoid/sigmoid/kernels"
)

// trainingBatch is Example_training's data: rows 9 and 10 start with logits
// of 38.2 and 23.7, where the float32 sigmoid is exactly 1, row 9 with the
// label 0.
var (
	trainingBatch = [][4]float32{
		{0.1, 0.5, -1.0, 0.2}, {1.5, -0.3, 0.8, 1.1}, {-2.0, 1.0, 0.0, -0.5},
		{0.0, 0.0, 0.0, 0.0}, {3.0, -2.0, 1.0, 2.5}, {-1.0, 2.5, -0.5, -1.5},
		{0.7, 0.7, 0.7, 0.7}, {2.2, 0.1, -0.4, 0.3}, {-0.6, -0.9, 1.8, 0.05},
		{10, -10, 5, 8}, {6, -6, 4, 5},
	}
	trainingLabels = []float32{0, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1}
)

// train runs steps of gradient descent on the mean binary cross-entropy of
// the logistic-regression model, through k's Sigmoid and, if viaBackward,
// through dL/dp = (p-y)/(p·(1-p)) and k's SigmoidBackward instead of the
// gradient p - y. It returns the loss before each step and the final
// weights and bias.
func train(k kernels.Kernel, steps int, viaBackward bool) (losses []float64, w [4]float32, b float32) {
	w, b = [4]float32{0.8, -1.2, 0.5, 2.0}, -0.3
	n := len(trainingBatch)
	z, p, dp, dz := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
	for range steps {
		for i, r := range trainingBatch {
			z[i] = b + r[0]*w[0] + r[1]*w[1] + r[2]*w[2] + r[3]*w[3]
		}
		k.Sigmoid(p, z)
		var loss float64
		for i := range z {
			zi, y := float64(z[i]), float64(trainingLabels[i])
			loss += max(zi, 0) - zi*y + math.Log1p(math.Exp(-math.Abs(zi)))
		}
		losses = append(losses, loss/float64(n))
		if viaBackward {
			for i := range p {
				dp[i] = (p[i] - trainingLabels[i]) / (p[i] * (1 - p[i])) / float32(n)
			}
			k.SigmoidBackward(dz, dp, p)
		} else {
			for i := range p {
				dz[i] = (p[i] - trainingLabels[i]) / float32(n)
			}
		}
		for i, r := range trainingBatch {
			for j := range w {
				w[j] -= 0.05 * dz[i] * r[j]
			}
			b -= 0.05 * dz[i]
		}
	}
	return losses, w, b
}

// TestTrainingSaturated checks, for every kernel, that the training of
// Example_training starts saturated (p == 1 exactly for two rows), never
// produces a NaN or infinite loss or weight, and converges: the loss falls
// from 3.7 to below 0.31 in 2000 steps and then keeps falling. It also
// checks the reason the example gives: the dL/dp route turns NaN at once.
func TestTrainingSaturated(t *testing.T) {
	for _, k := range kernels.Kernels() {
		t.Run(k.Name(), func(t *testing.T) {
			p := make([]float32, 2)
			k.Sigmoid(p, []float32{38.2, 23.7})
			if p[0] != 1 || p[1] != 1 {
				t.Fatalf("sigmoid(38.2), sigmoid(23.7) = %v, %v: want exactly 1, the case this test is about", p[0], p[1])
			}
			losses, w, b := train(k, 4000, false)
			for i, l := range losses {
				if math.IsNaN(l) || math.IsInf(l, 0) {
					t.Fatalf("step %d: loss %v", i, l)
				}
			}
			for _, x := range append(w[:], b) {
				if x != x || math.IsInf(float64(x), 0) {
					t.Fatalf("weights %v, bias %v after training", w, b)
				}
			}
			if l0, l2000, last := losses[0], losses[2000], losses[len(losses)-1]; !(l0 > 3.7 && l2000 < 0.31 && last < l2000) {
				t.Errorf("loss %v at step 0, %v at 2000, %v at %d: not converging", l0, l2000, last, len(losses)-1)
			}

			_, w, b = train(k, 1, true)
			if !math.IsNaN(float64(b)) {
				t.Errorf("dL/dp = (p-y)/(p·(1-p)) through SigmoidBackward: bias %v after one step, want NaN (0/0 where p == 1)", b)
			}
		})
	}
}
