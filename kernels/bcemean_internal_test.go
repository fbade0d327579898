package kernels

import (
	"math"
	"math/big"
	"testing"
)

// TestRecip32 checks that recip32 is 1/n correctly rounded to float32: at
// every n to 2^16, and at the n above 2^29 where float32(1/float64(n))
// rounds twice to the wrong neighbour, with 10^5 more drawn across the
// range.
func TestRecip32(t *testing.T) {
	ns := []int{846731599, 939524103, 2004436223, 1<<31 - 1, 1 << 30}
	for n := 1; n <= 1<<16; n++ {
		ns = append(ns, n)
	}
	for i := range 100000 {
		ns = append(ns, 1<<16+int(uint64(i)*0x9e3779b97f4a7c15>>33)%(1<<31-1<<16))
	}
	one := new(big.Float).SetPrec(256).SetInt64(1)
	for _, n := range ns {
		want, _ := new(big.Float).SetPrec(256).Quo(one, new(big.Float).SetPrec(256).SetInt64(int64(n))).Float32()
		if got := recip32(n); got != want {
			t.Fatalf("recip32(%d) = %v, 1/n rounded once %v", n, got, want)
		}
	}
}

// TestSumInfinite checks that an infinite term makes the sum that infinity
// and not the NaN Neumaier's compensation makes of it, that +Inf and -Inf
// make NaN, and that NaN stays NaN.
func TestSumInfinite(t *testing.T) {
	for _, c := range []struct {
		terms []float64
		want  float64
	}{
		{[]float64{1, math.Inf(1), 2}, math.Inf(1)},
		{[]float64{math.Inf(-1), 3}, math.Inf(-1)},
		{[]float64{math.MaxFloat64, math.MaxFloat64}, math.Inf(1)},
		{[]float64{math.Inf(1), math.Inf(-1)}, math.NaN()},
		{[]float64{1, math.NaN()}, math.NaN()},
	} {
		var s sum
		for _, x := range c.terms {
			s.add(x)
		}
		if got := s.total(); !(got == c.want || math.IsNaN(got) && math.IsNaN(c.want)) {
			t.Errorf("sum of %v = %v, want %v", c.terms, got, c.want)
		}
	}
}
