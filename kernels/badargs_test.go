package kernels_test

import (
	"testing"

	"github.com/simdsigmoid/sigmoid/internal/check/checktest"
	"github.com/simdsigmoid/sigmoid/kernels"
)

// sliceFunc is one exported slice function (funcs_gen_test.go lists them)
// and its Kernel method: one of the pairs is set.
type sliceFunc[F float] struct {
	name       string
	unary      func(dst, src []F)
	unaryOf    func(k kernels.Kernel, dst, src []F)
	backward   func(dx, dy, y []F)
	backwardOf func(k kernels.Kernel, dx, dy, y []F)
	ternary    func(out, a, b, c []F)
	ternaryOf  func(k kernels.Kernel, out, a, b, c []F)
	dual       func(o1, o2, a, b, c []F)
	dualOf     func(k kernels.Kernel, o1, o2, a, b, c []F)
}

// outputViews is fs with each function of two outputs replaced by two
// of one output each, "name/1" and "name/2": the one output it returns,
// the other written to a slice of its own. The tests of every function
// check each output so.
func outputViews[F float](fs []sliceFunc[F]) []sliceFunc[F] {
	var vs []sliceFunc[F]
	for _, f := range fs {
		if f.dual == nil {
			vs = append(vs, f)
			continue
		}
		for which := range 2 {
			pair := func(out []F) (o1, o2 []F) {
				other := make([]F, len(out))
				if which == 0 {
					return out, other
				}
				return other, out
			}
			vs = append(vs, sliceFunc[F]{
				name: sprintf("%s/%d", f.name, which+1),
				ternary: func(out, a, b, c []F) {
					o1, o2 := pair(out)
					f.dual(o1, o2, a, b, c)
				},
				ternaryOf: func(k kernels.Kernel, out, a, b, c []F) {
					o1, o2 := pair(out)
					f.dualOf(k, o1, o2, a, b, c)
				},
			})
		}
	}
	return vs
}

// inputs is how many input slices f takes.
func (f sliceFunc[F]) inputs() int {
	switch {
	case f.unary != nil:
		return 1
	case f.backward != nil:
		return 2
	}
	return 3
}

// run calls f's method of kernel k with dst and the inputs.
func (f sliceFunc[F]) run(k kernels.Kernel, dst []F, in ...[]F) {
	switch {
	case f.unary != nil:
		f.unaryOf(k, dst, in[0])
	case f.backward != nil:
		f.backwardOf(k, dst, in[0], in[1])
	default:
		f.ternaryOf(k, dst, in[0], in[1], in[2])
	}
}

// TestBadArguments calls every exported slice function and every Kernel
// method, with every kernel, with slices of lengths that differ and
// partially overlapping ones: each must panic with a message naming it,
// before writing anything.
func TestBadArguments(t *testing.T) {
	names := map[string]bool{}
	badArguments(t, sliceFuncs32, names)
	badArguments(t, sliceFuncs64, names)
	// BCEWithLogitsMean(64), hand-written, returns the mean: not in the
	// generated lists.
	badArguments(t, []sliceFunc[float32]{{name: "BCEWithLogitsMean",
		backward:   func(dz, z, t []float32) { _ = kernels.BCEWithLogitsMean(dz, z, t) },
		backwardOf: func(k kernels.Kernel, dz, z, t []float32) { _ = k.BCEWithLogitsMean(dz, z, t) },
	}}, names)
	badArguments(t, []sliceFunc[float64]{{name: "BCEWithLogitsMean64",
		backward:   func(dz, z, t []float64) { _ = kernels.BCEWithLogitsMean64(dz, z, t) },
		backwardOf: func(k kernels.Kernel, dz, z, t []float64) { _ = k.BCEWithLogitsMean64(dz, z, t) },
	}}, names)
	checktest.Listed(t, ".", names)
}

func badArguments[F float](t *testing.T, fs []sliceFunc[F], names map[string]bool) {
	for _, f := range fs {
		names[f.name], names["Kernel."+f.name] = true, true
		switch {
		case f.unary != nil:
			checktest.Unary(t, "kernels", f.name, f.unary)
			for _, k := range kernels.Kernels() {
				checktest.Unary(t, "kernels", f.name, func(dst, src []F) { f.unaryOf(k, dst, src) })
			}
		case f.backward != nil:
			checktest.Backward(t, "kernels", f.name, f.backward)
			for _, k := range kernels.Kernels() {
				checktest.Backward(t, "kernels", f.name, func(dx, dy, y []F) { f.backwardOf(k, dx, dy, y) })
			}
		case f.ternary != nil:
			checktest.Ternary(t, "kernels", f.name, f.ternary)
			for _, k := range kernels.Kernels() {
				checktest.Ternary(t, "kernels", f.name, func(out, a, b, c []F) { f.ternaryOf(k, out, a, b, c) })
			}
		default:
			checktest.Dual(t, "kernels", f.name, f.dual)
			for _, k := range kernels.Kernels() {
				checktest.Dual(t, "kernels", f.name, func(o1, o2, a, b, c []F) { f.dualOf(k, o1, o2, a, b, c) })
			}
		}
	}
}
