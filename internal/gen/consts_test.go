package main

import (
	"math"
	"testing"
)

// The polynomial of every variant the generator emits must keep e^-s to
// within 2^-28 relative on its interval, or the sigmoid's 1-ULP bound fails.
func TestExpPolyError(t *testing.T) {
	for _, v := range append(variants[:len(variants):len(variants)], arm64Variants...) {
		h := math.Ln2 / float64(2*v.tableSize) * 1.001
		c := expPoly(h, v.polyDegree)
		worst := 0.0
		for i := -4000; i <= 4000; i++ {
			s := h * float64(i) / 4000
			u := 0.0
			for k := len(c) - 1; k >= 0; k-- {
				u = u*s + float64(c[k])
			}
			err := math.Abs((1+s*u)/math.Exp(-s) - 1)
			worst = max(worst, err)
		}
		t.Logf("%s: N=%d degree %d: max relative error 2^%.1f", v.name, v.tableSize, v.polyDegree, math.Log2(worst))
		if worst > 0x1p-28 {
			t.Errorf("%s: polynomial error 2^%.1f exceeds 2^-28", v.name, math.Log2(worst))
		}
	}
}

func TestExpTable(t *testing.T) {
	hi, lo := expTable(16)
	for j := range hi {
		want := math.Exp2(float64(j) / 16)
		if got := float64(hi[j]) + float64(lo[j]); math.Abs(got/want-1) > 0x1p-46 {
			t.Errorf("j=%d: hi+lo = %v, want %v", j, got, want)
		}
	}
}
