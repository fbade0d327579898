package kernels_test

import (
	"math"
	"testing"

	"github.com/simdsigmoid/sigmoid/fallback"
	"github.com/simdsigmoid/sigmoid/internal/accuracy"
	"github.com/simdsigmoid/sigmoid/kernels"
)

// TestStreamingStores covers the lengths from which the kernels write with
// non-temporal stores behind a head that aligns dst: every offset of dst
// and src, no element written outside dst.
func TestStreamingStores(t *testing.T) {
	n := 1<<21 + 77 // past streamMin in internal/gen
	offsets := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}
	if slow() || underQEMU() {
		offsets = []int{0, 5, 15}
	}
	src := make([]float32, n+64)
	for i := range src {
		src[i] = float32(i%2000)/50 - 20
		if i%97 == 0 {
			src[i] = -95 + float32(i%10)
		}
	}
	dy := make([]float32, n+64)
	for i := range dy {
		dy[i] = float32(i%7) - 3
	}
	big := make([]float32, n+64)
	for _, k := range kernels.Kernels() {
		for _, off := range offsets {
			for i := range big {
				big[i] = float32(math.NaN())
			}
			dst := big[off : off+n]
			s := src[(off*7)%16 : (off*7)%16+n]
			k.Sigmoid(dst, s)
			for i := range dst {
				if e := accuracy.ULP(dst[i], fallback.Sigmoid64(float64(s[i]))); e > 1 {
					t.Fatalf("%s off %d i %d: x=%v got %v (%.2f ULP)", k.Name, off, i, s[i], dst[i], e)
				}
			}
			if !math.IsNaN(float64(big[off+n])) || (off > 0 && !math.IsNaN(float64(big[off-1]))) {
				t.Fatalf("%s off %d: wrote outside dst", k.Name, off)
			}
			y := src[:n]
			for i := range y {
				y[i] = float32(i%1000) / 1000
			}
			k.SigmoidBackward(dst, dy[off%3:off%3+n], y)
			for i := range dst {
				want := float64(dy[off%3+i]) * (float64(y[i]) * (1 - float64(y[i])))
				if e := accuracy.ULP(dst[i], want); e > 1.5 {
					t.Fatalf("%s backward off %d i %d: got %v want %v", k.Name, off, i, dst[i], want)
				}
			}
		}
	}
}
