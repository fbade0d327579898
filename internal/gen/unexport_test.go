package main

import "testing"

func TestUnexport(t *testing.T) {
	for in, want := range map[string]string{
		"Sigmoid": "sigmoid", "SiLU": "siLU", "SiLUBackward64AVX2": "siLUBackward64AVX2",
		"GLU": "glu", "GLU64AVX512": "glu64AVX512", "BCEWithLogits": "bceWithLogits", "X": "x",
	} {
		if got := unexport(in); got != want {
			t.Errorf("unexport(%q) = %q, want %q", in, got, want)
		}
	}
}
