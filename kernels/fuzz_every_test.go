package kernels_test

import (
	"slices"
	"testing"

	"github.com/simdsigmoid/sigmoid/kernels"
)

// FuzzEveryFunction reads the bytes as little-endian float32s (for a
// function of two or three inputs, interleaved (dy, x) pairs, the third
// input dy reversed) and runs every exported slice
// function (the list generated from the function table) on them with
// every kernel, out of place and in place on each input: every result
// must have the generic kernel's bits out of place, and the inputs must
// not change. The accuracy of the generic kernel's results is the
// exhaustive tests' and each function's own tests' business.
//
//	go test -run '^$' -fuzz '^FuzzEveryFunction$' -fuzztime 1m ./kernels/
func FuzzEveryFunction(f *testing.F) {
	f.Add(floatBytes[float32](1, -1, 0.5, -40, 100, 1e-40))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzEvery(t, data, sliceFuncs32) })
}

// FuzzEveryFunction64 is FuzzEveryFunction for the float64 functions.
//
//	go test -run '^$' -fuzz '^FuzzEveryFunction64$' -fuzztime 1m ./kernels/
func FuzzEveryFunction64(f *testing.F) {
	f.Add(floatBytes[float64](1, -1, 0.5, -40, 800, 1e-310))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzEvery(t, data, sliceFuncs64) })
}

func fuzzEvery[F float](t *testing.T, data []byte, fs []sliceFunc[F]) {
	ks := kernels.Kernels()
	generic := ks[len(ks)-1]
	for _, f := range outputViews(fs) {
		var ins [][]F
		switch f.inputs() {
		case 1:
			src, _ := decode[F](data, false)
			ins = [][]F{src}
		case 2:
			dy, x := decode[F](data, true)
			ins = [][]F{dy, x}
		default:
			// The third input is dy reversed: every value the bytes give
			// meets another.
			dy, x := decode[F](data, true)
			ins = [][]F{dy, x, slices.Clone(dy)}
			slices.Reverse(ins[2])
		}
		call := func(k kernels.Kernel, dst []F, in [][]F) { f.run(k, dst, in...) }
		n := len(ins[0])
		want := make([]F, n)
		call(generic, want, ins)
		for _, k := range ks {
			orig := make([][]F, len(ins))
			for i := range ins {
				orig[i] = slices.Clone(ins[i])
			}
			got := make([]F, n)
			call(k, got, ins)
			for i := range ins {
				for j := range n {
					if !sameBits(ins[i][j], orig[i][j]) {
						t.Fatalf("%s %s, n=%d: input %d element %d changed from %s to %s", k.Name(), f.name, n, i, j, hex(orig[i][j]), hex(ins[i][j]))
					}
				}
			}
			// In place on each input in turn: dst is a copy of it, passed
			// in its place.
			for p := range ins {
				in := slices.Clone(ins)
				dst := slices.Clone(ins[p])
				in[p] = dst
				call(k, dst, in)
				for j := range n {
					if !sameBits(dst[j], got[j]) {
						t.Fatalf("%s %s, n=%d: element %d: in place on input %d %s, out of place %s", k.Name(), f.name, n, j, p, hex(dst[j]), hex(got[j]))
					}
				}
			}
			for j := range n {
				if !sameBits(got[j], want[j]) {
					var xs []string
					for i := range ins {
						xs = append(xs, hex(ins[i][j]))
					}
					t.Fatalf("%s %s, n=%d: element %d, inputs %v: %s, generic %s", k.Name(), f.name, n, j, xs, hex(got[j]), hex(want[j]))
				}
			}
		}
	}
}
