package main

import (
	"testing"

	"github.com/simdsigmoid/sigmoid/bench/internal/workload"
)

// flushing is the naive kernel with subnormal results flushed to zero, as
// a kernel running with FTZ would give.
func flushing(dst, src []float32) {
	workload.Naive(dst, src)
	for i, y := range dst[:len(src)] {
		if y < 0x1p-126 {
			dst[i] = 0
		}
	}
}

func TestCheckSubnormals(t *testing.T) {
	if cell, problem := checkSubnormals(workload.Naive[float32]); problem != "" {
		t.Errorf("naive: %s: %s", cell, problem)
	}
	if cell, problem := checkSubnormals(flushing); problem == "" {
		t.Errorf("flushing kernel passed: %s", cell)
	}
}

func TestPrintSpecials(t *testing.T) {
	if n := printSpecials([]kernel{{Name: "naive", Sigmoid: workload.Naive[float32]}}); n != 0 {
		t.Errorf("naive: %d violations on the special values, want 0", n)
	}
	// -90 gives a subnormal result far above 2^-149; 0 for -103.27893
	// (2^-149) and -103.97 is within 1 ULP.
	if n := printSpecials([]kernel{{Name: "ftz", Sigmoid: flushing}}); n != 1 {
		t.Errorf("flushing kernel: %d violations on the special values, want 1", n)
	}
}

func TestPrintFloat64(t *testing.T) {
	ks, err := selectKernels("")
	if err != nil {
		t.Fatal(err)
	}
	if v, problems := printFloat64(ks, 10000, 1); v != 0 || len(problems) != 0 {
		t.Errorf("kernels: %d float64 violations: %v", v, problems)
	}
	// The naive loop overflows exp(-x) to +Inf below x = -709.78 and so
	// gives 0 where the results are subnormal: violations.
	bad := []kernel{{Name: "naive", Sigmoid64: workload.Naive[float64]}}
	if v, problems := printFloat64(bad, 10000, 1); v == 0 || len(problems) != 1 {
		t.Errorf("naive float64 loop: %d violations, %v; want some", v, problems)
	}
}
