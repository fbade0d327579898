package fallback_test

import (
	"testing"

	"github.com/simdsigmoid/sigmoid/internal/check/checktest"
)

// sliceFunc is one exported slice function (funcs_gen_test.go lists
// them): one of unary, backward, ternary and dual is set.
type sliceFunc[F float32 | float64] struct {
	name     string
	unary    func(dst, src []F)
	backward func(dx, dy, y []F)
	ternary  func(out, a, b, c []F)
	dual     func(o1, o2, a, b, c []F)
}

// TestBadArguments calls every exported slice function with slices of
// lengths that differ and partially overlapping ones: each must panic
// with a message naming it, before writing anything.
func TestBadArguments(t *testing.T) {
	names := map[string]bool{}
	badArguments(t, sliceFuncs32, names)
	badArguments(t, sliceFuncs64, names)
	checktest.Listed(t, ".", names)
}

func badArguments[F float32 | float64](t *testing.T, fs []sliceFunc[F], names map[string]bool) {
	for _, f := range fs {
		names[f.name] = true
		switch {
		case f.unary != nil:
			checktest.Unary(t, "fallback", f.name, f.unary)
		case f.backward != nil:
			checktest.Backward(t, "fallback", f.name, f.backward)
		case f.ternary != nil:
			checktest.Ternary(t, "fallback", f.name, f.ternary)
		default:
			checktest.Dual(t, "fallback", f.name, f.dual)
		}
	}
}
