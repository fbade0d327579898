package kernels_test

import (
	"testing"

	"github.com/simdsigmoid/sigmoid/kernels"
)

// TestStreamingStores covers the lengths from which the kernels write with
// non-temporal stores behind a head that aligns dst (kernels.StreamMin
// elements and up, 2^18 to 2^23 by the CPU's L3 cache):
// every offset of dst and src, no element written outside dst; for
// Sigmoid and SigmoidBackward, and Sigmoid64 and SigmoidBackward64.
func TestStreamingStores(t *testing.T) {
	if !kernels.Streams {
		t.Skip("no kernel here writes with non-temporal stores")
	}
	bothTypes(t, testStreamingStores[float32], testStreamingStores[float64])
}

func testStreamingStores[F float](t *testing.T) {
	n := kernels.StreamMin + 77
	offsets := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}
	if slow() || underQEMU() {
		offsets = []int{0, 5, 15}
	}
	src := make([]F, n+64)
	for i := range src {
		src[i] = F(i%2000)/50 - 20
		if i%97 == 0 {
			src[i] = -95 + F(i%10)
		}
		if i%101 == 0 && is64[F]() {
			src[i] = -700 - F(i%50) // subnormal float64 results
		}
	}
	dy := make([]F, n+64)
	for i := range dy {
		dy[i] = F(i%7) - 3
	}
	y := make([]F, n+64)
	for i := range y {
		y[i] = F(i%1000) / 1000
	}
	big := make([]F, n+64)
	// The previous kernel's references: where the results agree, they need
	// no checking again.
	var sig *sigmoidRef[F]
	var back *backwardRef[F]
	for _, k := range kernelImpls[F]() {
		t.Run(k.name, func(t *testing.T) {
			rep := &reporter{t: t}
			// The references: the kernel on the whole inputs, checked once.
			sig = newSigmoidRef(t, k.name, k.sigmoid, src, sig)
			back = newBackwardRef(t, k.name, k.backward, dy, y, back)
			for _, off := range offsets {
				fillCanary(big)
				dst := big[off : off+n]
				so := (off * 7) % 16
				k.sigmoid(dst, src[so:so+n])
				if !sig.check(rep, dst, so, "offset %d, src offset %d", off, so) {
					return
				}
				if firstTouched(big[:off]) >= 0 || firstTouched(big[off+n:]) >= 0 {
					t.Fatalf("offset %d: wrote outside dst", off)
				}
				fillCanary(big)
				do := off % 3
				k.backward(dst, dy[do:do+n], y[do:do+n])
				if !back.check(rep, dst, do, "backward, offset %d, dy and y offset %d", off, do) {
					return
				}
				if firstTouched(big[:off]) >= 0 || firstTouched(big[off+n:]) >= 0 {
					t.Fatalf("backward, offset %d: wrote outside dx", off)
				}
			}
		})
	}
}
