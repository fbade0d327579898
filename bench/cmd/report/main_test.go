package main

import (
	"slices"
	"testing"

	"github.com/simdsigmoid/sigmoid/internal/accuracy"
)

func TestParseSizes(t *testing.T) {
	got, err := parseSizes("16, 4096,1<<20,3<<2")
	if want := []int{16, 4096, 1 << 20, 12}; err != nil || !slices.Equal(got, want) {
		t.Fatalf("parseSizes = %v, %v; want %v", got, err, want)
	}
	for _, bad := range []string{"", "x", "0", "-1", "1<<40", "1<<", "16,,32"} {
		if got, err := parseSizes(bad); err == nil {
			t.Errorf("parseSizes(%q) = %v, want an error", bad, got)
		}
	}
}

func TestMedian(t *testing.T) {
	if m := median([]float64{5, 1, 3}); m != 3 {
		t.Errorf("median odd = %v, want 3", m)
	}
	if m := median([]float64{4, 1, 3, 2}); m != 2.5 {
		t.Errorf("median even = %v, want 2.5", m)
	}
}

func TestCandidates(t *testing.T) {
	cs, err := candidates("")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(cs); n < 3 || cs[n-2].name != naive || cs[n-1].name != cpy || !cs[0].kernel {
		t.Fatalf("candidates: got %v, want the kernels then naive and copy", cs)
	}
	if _, err := candidates("nosuchkernel"); err == nil {
		t.Error("candidates(nosuchkernel): no error")
	}
	cs, err = candidates("generic")
	if err != nil || len(cs) != 3 || cs[0].name != "generic" {
		t.Fatalf("candidates(generic) = %v, %v", cs, err)
	}
}

func TestMerge(t *testing.T) {
	s := merge(
		accuracy.Stats{Inputs: 10, MaxULP: 0.5, Worst: 1, NotCorrectlyRounded: 1},
		accuracy.Stats{Inputs: 2, MaxULP: 0.7, Worst: 2, Violations: 1, FirstViolation: "bad"},
	)
	if s.Inputs != 12 || s.MaxULP != 0.7 || s.Worst != 2 || s.NotCorrectlyRounded != 1 || s.Violations != 1 || s.FirstViolation != "bad" {
		t.Fatalf("merge = %+v", s)
	}
}
