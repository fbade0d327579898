package fallback_test

import (
	"math"
	"testing"

	"github.com/simdsigmoid/sigmoid/fallback"
)

func TestZZTanhQuick(t *testing.T) {
	worst, wx := 0.0, float32(0)
	n := 0
	for b := uint32(0); b < 0x7f800000; b += 97 {
		x := math.Float32frombits(b)
		got := fallback.TanhScalar(x)
		want := math.Tanh(float64(x))
		ulp := math.Abs(float64(math.Float32frombits(math.Float32bits(float32(want))+1)) - float64(float32(want)))
		if float32(want) == 1 {
			ulp = 0x1p-24
		}
		if want < 0x1p-126 {
			ulp = 0x1p-149
		}
		e := math.Abs(float64(got)-want) / ulp
		if e > worst {
			worst, wx = e, x
		}
		if fallback.TanhScalar(-x) != -got || math.Float32bits(fallback.TanhScalar(-x)) != math.Float32bits(got)|1<<31 {
			t.Fatalf("not odd at %g", x)
		}
		n++
	}
	t.Logf("%d inputs: worst %.4f ULP at x=%g", n, worst, wx)
	for _, x := range []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)), 9.0, 9.02, 0.5, 0.49999997} {
		t.Logf("tanh(%g) = %g (%#x)", x, fallback.TanhScalar(x), math.Float32bits(fallback.TanhScalar(x)))
	}
	nan := math.Float32frombits(0x7fa00001)
	t.Logf("tanh(sNaN) = %#x", math.Float32bits(fallback.TanhScalar(nan)))
}
