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
}

// TestBadArguments calls every exported slice function and every Kernel
// method, with every kernel, with slices of lengths that differ and
// partially overlapping ones: each must panic with a message naming it,
// before writing anything.
func TestBadArguments(t *testing.T) {
	names := map[string]bool{}
	badArguments(t, sliceFuncs32, names)
	badArguments(t, sliceFuncs64, names)
	checktest.Listed(t, ".", names)
}

func badArguments[F float](t *testing.T, fs []sliceFunc[F], names map[string]bool) {
	for _, f := range fs {
		names[f.name], names["Kernel."+f.name] = true, true
		if f.unary != nil {
			checktest.Unary(t, "kernels", f.name, f.unary)
			for _, k := range kernels.Kernels() {
				checktest.Unary(t, "kernels", f.name, func(dst, src []F) { f.unaryOf(k, dst, src) })
			}
			continue
		}
		checktest.Backward(t, "kernels", f.name, f.backward)
		for _, k := range kernels.Kernels() {
			checktest.Backward(t, "kernels", f.name, func(dx, dy, y []F) { f.backwardOf(k, dx, dy, y) })
		}
	}
}
