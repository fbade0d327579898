package kernels_test

import (
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/simdsigmoid/sigmoid/internal/accuracy"
	"github.com/simdsigmoid/sigmoid/kernels"
)

// The tests of the backward passes of GLU and SwiGLU, functions of two
// outputs and three inputs:
//
//   - GLUBackward(da, db, dy, a, b): da = dy·σ(b) within 1 ULP where it is
//     2^-125 (2^-1021) or more in magnitude and 1.5 ULP below, with
//     SoftplusBackward's rules; db = dy·a·σ'(b) within 2.5 ULP where no
//     step underflows (a·σ'(b) at least 2^-126, 2^-1022), and within 2 ULP
//     + 2^-25·|dy·a| (2^-54·|dy·a|) everywhere;
//   - SwiGLUBackward(dgate, dup, dy, gate, up): dup = dy·silu(gate),
//     SwiGLU(dup, gate, dy) bit for bit, within 1 ULP; dgate =
//     dy·up·silu'(gate) = dy·SiLUBackward(up, gate) bit for bit (up scaled
//     by 2^S first where it is tiny), within 2 ULP + 2^-25·|dy·up|
//     (2^-54·|dy·up|);
//
// each output with the NaN rule over the inputs it depends on, in
// parameter order, and the special values of the documentation, as
// accuracy.CheckGLUBackward and accuracy.CheckSwiGLUBackward state them.
// Every kernel returns the generic kernel's bits, out of place and with
// either output, or both, on any of the inputs.

// gradBound is the ULP part of the bound of SwiGLUBackward's dgate (2 ULP
// + 2^-25·|dy·up|).
const gradBound = 2

// gradFunc is a function of two outputs and three inputs, GLUBackward or
// SwiGLUBackward, of one kernel or the package-level one, of element type
// F.
type gradFunc[F float] struct {
	name string
	f    func(o1, o2, x, y, z []F)
}

// gradFuncs are the package-level function, then every kernel's, the
// generic kernel last (genericOnly picks it).
func gradFuncs[F float](pkg32 func(o1, o2, x, y, z []float32), of32 func(kernels.Kernel, []float32, []float32, []float32, []float32, []float32),
	pkg64 func(o1, o2, x, y, z []float64), of64 func(kernels.Kernel, []float64, []float64, []float64, []float64, []float64)) []gradFunc[F] {
	pick := func(name string, f32 func(o1, o2, x, y, z []float32), f64 func(o1, o2, x, y, z []float64)) gradFunc[F] {
		var f any = f32
		if is64[F]() {
			f = f64
		}
		return gradFunc[F]{name, f.(func(o1, o2, x, y, z []F))}
	}
	fs := []gradFunc[F]{pick("package", pkg32, pkg64)}
	for _, k := range kernels.Kernels() {
		fs = append(fs, pick(k.Name(),
			func(o1, o2, x, y, z []float32) { of32(k, o1, o2, x, y, z) },
			func(o1, o2, x, y, z []float64) { of64(k, o1, o2, x, y, z) }))
	}
	return fs
}

// gradSpec is what the tests need of GLUBackward or SwiGLUBackward: their
// names and those of their outputs and inputs, the functions, the check
// of both outputs (their errors in ULPs, less the absolute terms, and what
// is wrong with each), and the class of each result for the reports (an
// index into classes, the names of each output's classes).
type gradSpec[F float] struct {
	name  string
	outs  [2]string
	ins   [3]string
	funcs func() []gradFunc[F]
	check func(x, y, z, o1, o2 F) (u1, u2 float64, w1, w2 string)
	// quiet is check that does not describe results over their bound
	// (accuracy.Undescribed): for the exhaustive sweeps.
	quiet   func(x, y, z, o1, o2 F) (u1, u2 float64, w1, w2 string)
	class   func(x, y, z, o1, o2 F) (c1, c2 int)
	classes [2][]string
	// nanRule lists, for each output, the inputs it depends on in the
	// order of the NaN rule.
	nanRule [2][]int
}

// gluBackwardSpec is GLUBackward's (GLUBackward64's) gradSpec.
func gluBackwardSpec[F float]() gradSpec[F] {
	name := "GLUBackward"
	if is64[F]() {
		name += "64"
	}
	return gradSpec[F]{
		name: name,
		outs: [2]string{"da", "db"},
		ins:  [3]string{"dy", "a", "b"},
		funcs: func() []gradFunc[F] {
			return gradFuncs[F](kernels.GLUBackward, kernels.Kernel.GLUBackward, kernels.GLUBackward64, kernels.Kernel.GLUBackward64)
		},
		check:   gluBackwardCheck[F],
		quiet:   gluBackwardQuiet[F],
		class:   gluBackwardClass[F],
		classes: gluBackwardClasses,
		nanRule: [2][]int{{0, 2}, {0, 1, 2}},
	}
}

// swigluBackwardSpec is SwiGLUBackward's (SwiGLUBackward64's) gradSpec.
func swigluBackwardSpec[F float]() gradSpec[F] {
	name := "SwiGLUBackward"
	if is64[F]() {
		name += "64"
	}
	return gradSpec[F]{
		name: name,
		outs: [2]string{"dgate", "dup"},
		ins:  [3]string{"dy", "gate", "up"},
		funcs: func() []gradFunc[F] {
			return gradFuncs[F](kernels.SwiGLUBackward, kernels.Kernel.SwiGLUBackward, kernels.SwiGLUBackward64, kernels.Kernel.SwiGLUBackward64)
		},
		check:   swigluBackwardCheck[F],
		quiet:   swigluBackwardQuiet[F],
		class:   swigluBackwardClass[F],
		classes: swigluBackwardClasses,
		nanRule: [2][]int{{0, 1, 2}, {0, 1}},
	}
}

// dbBound is GLUBackward's db's bound where no step underflows: three
// roundings (σ'(b), a·σ'(b), the product with dy).
const dbBound = 2.5

// gluBackwardCheck is accuracy.CheckGLUBackward (or CheckGLUBackward64)
// with the bounds of the documentation: 1 ULP for da (1.5 below 2^-125,
// 2^-1021), dbBound for db where no step underflows.
func gluBackwardCheck[F float](dy, a, b, da, db F) (ua, ub float64, wa, wb string) {
	if is64[F]() {
		return accuracy.CheckGLUBackward64(float64(dy), float64(a), float64(b), float64(da), float64(db), bound, dbBound)
	}
	return accuracy.CheckGLUBackward(float32(dy), float32(a), float32(b), float32(da), float32(db), bound, dbBound)
}

// gluBackwardQuiet is gluBackwardCheck without the descriptions of
// results over their bound.
func gluBackwardQuiet[F float](dy, a, b, da, db F) (ua, ub float64, wa, wb string) {
	if is64[F]() {
		return accuracy.CheckGLUBackward64Quiet(float64(dy), float64(a), float64(b), float64(da), float64(db), bound, dbBound)
	}
	return accuracy.CheckGLUBackwardQuiet(float32(dy), float32(a), float32(b), float32(da), float32(db), bound, dbBound)
}

// swigluBackwardQuiet is swigluBackwardCheck without the descriptions of
// results over their bound.
func swigluBackwardQuiet[F float](dy, gate, up, dgate, dup F) (ug, uu float64, wg, wu string) {
	if is64[F]() {
		return accuracy.CheckSwiGLUBackward64Quiet(float64(dy), float64(gate), float64(up), float64(dgate), float64(dup), gradBound, bound)
	}
	return accuracy.CheckSwiGLUBackwardQuiet(float32(dy), float32(gate), float32(up), float32(dgate), float32(dup), gradBound, bound)
}

// swigluBackwardCheck is accuracy.CheckSwiGLUBackward (or
// CheckSwiGLUBackward64) with the bounds of the documentation: 2 ULP +
// 2^-25·|dy·up| (2^-54·|dy·up|) for dgate, 1 ULP for dup.
func swigluBackwardCheck[F float](dy, gate, up, dgate, dup F) (ug, uu float64, wg, wu string) {
	if is64[F]() {
		return accuracy.CheckSwiGLUBackward64(float64(dy), float64(gate), float64(up), float64(dgate), float64(dup), gradBound, bound)
	}
	return accuracy.CheckSwiGLUBackward(float32(dy), float32(gate), float32(up), float32(dgate), float32(dup), gradBound, bound)
}

// fastLimitOf is where the kernels' fast code ends, |b| or |gate|: 32 for
// float32, 512 for float64.
func fastLimitOf[F float]() float64 {
	if is64[F]() {
		return 512
	}
	return 32
}

// minNormalExp is the exponent of F's smallest normal value.
func minNormalExp[F float]() float64 {
	if is64[F]() {
		return -1022
	}
	return -126
}

// log2SigmoidDeriv is log2 σ'(b) = log2(E/(1 + E)²), E = e^-|b|, for
// finite b.
func log2SigmoidDeriv(b float64) float64 {
	a := math.Abs(b)
	return (-a - 2*math.Log1p(math.Exp(-a))) * math.Log2E
}

// log2SiLUDeriv is log2 |silu'(g)|, for finite g (-Inf at its zero): in
// float64 above -700, e^g·(1 + g) below.
func log2SiLUDeriv(g float64) float64 {
	if g < -700 {
		return g*math.Log2E + math.Log2(math.Abs(1+g))
	}
	e := math.Exp(-g)
	s := 1 / (1 + e)
	return math.Log2(math.Abs(s * (1 + g*e*s)))
}

// sigmoidDeriv is σ'(b) = E/(1 + E)², E = e^-|b|, in float64, for
// stepUnderflows' float32 classes: 0 beyond |b| = 200, where |a|·σ'(b) is
// below 2^-160 for every float32 a, and 1/4 below |b| = 2^-30, without
// calling math.Exp (the exhaustive sweep asks for 2^32 b).
func sigmoidDeriv(b float64) float64 {
	a := math.Abs(b)
	switch {
	case a > 200: // e^-200 < 2^-288
		return 0
	case a < 0x1p-30:
		return 0.25
	}
	e := math.Exp(-a)
	return e / (1 + e) / (1 + e)
}

// stepUnderflows reports whether |u·f(v)| is below F's smallest normal
// value, for a derivative f: for float32 by f in float64 (exact enough for
// a class; 0 beyond the float64 range, which is below for every float32
// u), for float64 by the logarithms, log2f(v) = log2|f(v)|.
func stepUnderflows[F float](u, v float64, log2f, f func(float64) float64) bool {
	if is64[F]() {
		return math.Log2(math.Abs(u))+log2f(v) < -1022
	}
	return math.Abs(u*f(v)) < 0x1p-126
}

// x0 is the zero of silu', silu'(x0) = 0: about -1.2785.
const x0 = -1.2784645427610738

// The classes of GLUBackward's results the reports tell apart.
var gluBackwardClasses = [2][]string{{
	"da: |b| <= 32 (512), result >= 2^-125 (2^-1021)",
	"da: |b| > 32 (512): dy·e^b at its own scale, result >= 2^-125 (2^-1021)",
	"da: results below 2^-125 (2^-1021): bound + 1/2",
	"da: NaN or Inf in dy or b, zero dy (exact rules)",
}, {
	"db: |b| <= 32 (512), no step underflows: bound 2.5",
	"db: |b| > 32 (512): the larger of dy and a times e^-|b| at its own scale, no step underflows: bound 2.5",
	"db: a·σ'(b) below 2^-126 (2^-1022): bound 2 ULP + 2^-25·|dy·a| (2^-54), errors in ULP beyond that term",
	"db: ±Inf from finite inputs",
	"db: NaN or Inf in dy, a or b, zero dy or a (exact rules)",
}}

func gluBackwardClass[F float](dy, a, b, da, db F) (c1, c2 int) {
	d, u, v := float64(dy), float64(a), float64(b)
	tiny := 0x1p-125
	if is64[F]() {
		tiny = 0x1p-1021
	}
	switch {
	case d-d != 0 || v-v != 0 || d == 0:
		c1 = 3
	case math.Abs(float64(da)) < tiny:
		c1 = 2
	case math.Abs(v) > fastLimitOf[F]():
		c1 = 1
	}
	switch {
	case d-d != 0 || u-u != 0 || v-v != 0 || d == 0 || u == 0:
		c2 = 4
	case math.IsInf(float64(db), 0):
		c2 = 3
	case stepUnderflows[F](u, v, log2SigmoidDeriv, sigmoidDeriv):
		c2 = 2
	case math.Abs(v) > fastLimitOf[F]():
		c2 = 1
	}
	return c1, c2
}

// The classes of SwiGLUBackward's results the reports tell apart: dup's
// are SwiGLU's (swigluClassNames, with dy in up's place).
// dgate's errors are in ULPs beyond its absolute term, 2^-25·|dy·up|
// (2^-54·|dy·up|).
var swigluBackwardClasses = [2][]string{{
	"dgate: |gate| <= 32 (512), 1/16 or more from silu''s zero, up·silu'(gate) >= 2^-126 (2^-1022), errors in ULP beyond 2^-25·|dy·up| (2^-54)",
	"dgate: within 1/16 of silu''s zero (x0 ≈ -1.2785), up·silu'(gate) >= 2^-126 (2^-1022)",
	"dgate: |gate| > 32 (512), up·silu'(gate) >= 2^-126 (2^-1022)",
	"dgate: up·silu'(gate) below 2^-126 (2^-1022)",
	"dgate: ±Inf from finite inputs",
	"dgate: NaN or Inf in dy, gate or up, zero dy or up (exact rules)",
}, {
	"dup: " + swigluClassNames[swigluInRange],
	"dup: " + swigluClassNames[swigluBigProduct],
	"dup: " + swigluClassNames[swigluTiny],
	"dup: " + swigluClassNames[swigluOverflow],
	"dup: " + swigluClassNames[swigluExactRule],
}}

func swigluBackwardClass[F float](dy, gate, up, dgate, dup F) (c1, c2 int) {
	d, g, u := float64(dy), float64(gate), float64(up)
	switch {
	case d-d != 0 || g-g != 0 || u-u != 0 || d == 0 || u == 0:
		c1 = 5
	case math.IsInf(float64(dgate), 0):
		c1 = 4
	case stepUnderflows[F](u, g, log2SiLUDeriv, func(g float64) float64 { return accuracy.SiLUDerivWide(float32(g)) }):
		c1 = 3
	case math.Abs(g) > fastLimitOf[F]():
		c1 = 2
	case math.Abs(g-x0) < 1.0/16:
		c1 = 1
	}
	return c1, swigluClass(gate, dy, dup)
}

// gradTally is, for each output and class, the number of results, the
// largest error and the inputs giving it, the number of violations and
// the first one's description.
type gradTally[F float] struct {
	n      [2][]int64
	worst  [2][]float64
	at     [2][][3]F
	bad    [2][]int64
	first  [2][]string
	inputs int64
	// differ counts the inputs on which another kernel's bits differ from
	// the checked one's; firstDiffer describes the first.
	differ      int64
	firstDiffer string
}

// mismatch notes an input on which another kernel's bits differ.
func (s *gradTally[F]) mismatch(why string) {
	if s.differ++; s.firstDiffer == "" {
		s.firstDiffer = why
	}
}

func newGradTally[F float](classes [2][]string) *gradTally[F] {
	s := &gradTally[F]{}
	for o := range 2 {
		k := len(classes[o])
		s.n[o], s.worst[o], s.at[o], s.bad[o], s.first[o] = make([]int64, k), make([]float64, k), make([][3]F, k), make([]int64, k), make([]string, k)
	}
	return s
}

// record notes the result of output o for the inputs in, of class c, its
// error u (+Inf for a broken exact rule) and what is wrong with it;
// counting it if count.
func (s *gradTally[F]) record(o, c int, in [3]F, u float64, why string, count bool) {
	if count {
		s.n[o][c]++
	}
	if why != "" {
		if s.bad[o][c]++; s.first[o][c] == "" {
			s.first[o][c] = why
		}
	}
	if u > s.worst[o][c] && !math.IsInf(u, 0) {
		s.worst[o][c], s.at[o][c] = u, in
	}
}

func (s *gradTally[F]) merge(t *gradTally[F]) {
	for o := range 2 {
		for c := range s.n[o] {
			s.n[o][c] += t.n[o][c]
			if t.worst[o][c] > s.worst[o][c] {
				s.worst[o][c], s.at[o][c] = t.worst[o][c], t.at[o][c]
			}
			if s.bad[o][c] += t.bad[o][c]; s.first[o][c] == "" {
				s.first[o][c] = t.first[o][c]
			}
		}
	}
	s.inputs += t.inputs
	if s.differ += t.differ; s.firstDiffer == "" {
		s.firstDiffer = t.firstDiffer
	}
}

// violations is the number of violations of both outputs.
func (s *gradTally[F]) violations() (n int64) {
	for o := range 2 {
		for _, b := range s.bad[o] {
			n += b
		}
	}
	return n
}

// log reports the largest error of each output and class, and fails the
// test for each class with violations, with the first. Without counts (an
// exhaustive sweep's tally, which records only errors above 0.5 ULP), the
// classes are reported by their largest error alone.
func (s *gradTally[F]) log(t *testing.T, what string, g gradSpec[F]) {
	t.Helper()
	if s.differ != 0 {
		t.Errorf("%d inputs give other bits on another kernel, first: %s", s.differ, s.firstDiffer)
	}
	for o := range 2 {
		counted := false
		for _, n := range s.n[o] {
			counted = counted || n != 0
		}
		for c, name := range g.classes[o] {
			at := sprintf("%s=%s %s=%s %s=%s", g.ins[0], hex(s.at[o][c][0]), g.ins[1], hex(s.at[o][c][1]), g.ins[2], hex(s.at[o][c][2]))
			switch {
			case !counted && s.worst[o][c] == 0:
				t.Logf("%s: %s: no error above 0.5 ULP; %d violations", what, name, s.bad[o][c])
			case !counted:
				t.Logf("%s: %s: max %.4f ULP at %s (errors above 0.5 ULP only); %d violations", what, name, s.worst[o][c], at, s.bad[o][c])
			case s.worst[o][c] == 0:
				t.Logf("%s: %s: %d results, all exact; %d violations", what, name, s.n[o][c], s.bad[o][c])
			default:
				t.Logf("%s: %s: %d results, max %.4f ULP at %s; %d violations", what, name, s.n[o][c], s.worst[o][c], at, s.bad[o][c])
			}
			if s.bad[o][c] != 0 {
				t.Errorf("%s: %s: %d violations, first: %s", what, name, s.bad[o][c], s.first[o][c])
			}
		}
	}
}

// describe returns w1 and w2, what g.quiet says is wrong with o1 and o2
// (of classes c1 and c2), with g.check's description instead of
// accuracy.Undescribed where s has no violation of the class yet: the
// only one it keeps.
func (s *gradTally[F]) describe(g gradSpec[F], c1, c2 int, x, y, z, o1, o2 F, w1, w2 string) (string, string) {
	if w1 == accuracy.Undescribed && s.first[0][c1] == "" || w2 == accuracy.Undescribed && s.first[1][c2] == "" {
		_, _, d1, d2 := g.check(x, y, z, o1, o2)
		if w1 == accuracy.Undescribed && s.first[0][c1] == "" {
			w1 = d1
		}
		if w2 == accuracy.Undescribed && s.first[1][c2] == "" {
			w2 = d2
		}
	}
	return w1, w2
}

// add checks the results o1, o2 of the inputs x, y, z under g's rules
// and records them, counted, in s.
func (s *gradTally[F]) add(g gradSpec[F], x, y, z, o1, o2 F) {
	u1, u2, w1, w2 := g.quiet(x, y, z, o1, o2)
	c1, c2 := g.class(x, y, z, o1, o2)
	w1, w2 = s.describe(g, c1, c2, x, y, z, o1, o2, w1, w2)
	s.record(0, c1, [3]F{x, y, z}, u1, w1, true)
	s.record(1, c2, [3]F{x, y, z}, u2, w2, true)
	s.inputs++
}

// gradInputs returns n triples (dy, gate, up) for SwiGLUBackward, which
// GLUBackward takes as (dy, a, b) = (dy, up, gate): gate and up from
// swigluInputs (the specials, NaNs with payloads, ordinary values, the
// negative tail with huge up, |gate| past the fast code's limit up to 200
// or 1500 and every binade, tiny gates; up over every scale, subnormal
// included), one gate in 16 replaced by one within 2^-11 of the zero of
// silu'; dy as up is drawn (another draw of swigluInputs), huge half the
// time where gate is in the negative tail, where σ(b) and silu(gate) are
// subnormal or below the range (da and dup at their own scale).
func gradInputs[F float](n int, seed uint64) (dy, gate, up []F) {
	gate, up = swigluInputs[F](n, seed)
	_, dy = swigluInputs[F](n, seed+1000)
	r := rand.New(rand.NewPCG(seed, 0x61))
	maxExp := 127
	if is64[F]() {
		maxExp = 1023
	}
	for i := range gate {
		if gate[i] < -32 && r.IntN(2) == 0 {
			dy[i] = F(float64(1-2*r.IntN(2)) * math.Ldexp(1+r.Float64(), maxExp-r.IntN(maxExp/4)))
		}
		if r.IntN(16) == 0 {
			gate[i] = F(x0 + 0x1p-11*(2*r.Float64()-1))
		}
	}
	return dy, gate, up
}

// TestGLUBackward checks GLUBackward of every kernel and the package-level
// functions, both element types, on gradInputs (2^20 + 37 float32, 2^19 +
// 37 float64 triples; a sixteenth when slow()): the generic kernel's da
// and db against the references of package accuracy within the bounds,
// the largest error of each class reported; every function's bits against
// the generic kernel's, out of place and in place: either output, or both,
// on any of the inputs.
func TestGLUBackward(t *testing.T) {
	t.Run("GLUBackward", func(t *testing.T) {
		dy, gate, up := gradInputs[float32](gradRandomN[float32](), 1)
		testGradRandom(t, gluBackwardSpec[float32](), dy, up, gate)
	})
	t.Run("GLUBackward64", func(t *testing.T) {
		dy, gate, up := gradInputs[float64](gradRandomN[float64](), 1)
		testGradRandom(t, gluBackwardSpec[float64](), dy, up, gate)
	})
}

// TestSwiGLUBackward is TestGLUBackward for SwiGLUBackward.
func TestSwiGLUBackward(t *testing.T) {
	t.Run("SwiGLUBackward", func(t *testing.T) {
		dy, gate, up := gradInputs[float32](gradRandomN[float32](), 2)
		testGradRandom(t, swigluBackwardSpec[float32](), dy, gate, up)
	})
	t.Run("SwiGLUBackward64", func(t *testing.T) {
		dy, gate, up := gradInputs[float64](gradRandomN[float64](), 2)
		testGradRandom(t, swigluBackwardSpec[float64](), dy, gate, up)
	})
}

// gradRandomN is the number of inputs of the random tests.
func gradRandomN[F float]() int {
	n := 1 << 20
	if is64[F]() {
		n = 1 << 19
	}
	if slow() {
		n >>= 4
	}
	return n + 37
}

func testGradRandom[F float](t *testing.T, g gradSpec[F], x, y, z []F) {
	n := len(x)
	fs := g.funcs()
	generic := genericOnly(fs)[0]
	want1, want2 := make([]F, n), make([]F, n)
	generic.f(want1, want2, x, y, z)
	var (
		mu    sync.Mutex
		wg    sync.WaitGroup
		total = newGradTally[F](g.classes)
	)
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Go(func() {
			mine := newGradTally[F](g.classes)
			for i := w; i < n; i += workers {
				mine.add(g, x[i], y[i], z[i], want1[i], want2[i])
			}
			mu.Lock()
			total.merge(mine)
			mu.Unlock()
		})
	}
	wg.Wait()
	total.log(t, generic.name, g)
	in := [3][]F{x, y, z}
	for _, f := range fs {
		t.Run(f.name, func(t *testing.T) {
			rep := &reporter{t: t}
			// Each output on none (-1) or one of the inputs, never both on
			// the same one.
			for on1 := -1; on1 < 3; on1++ {
				for on2 := -1; on2 < 3; on2++ {
					if on1 >= 0 && on1 == on2 {
						continue
					}
					var args [3][]F
					for j := range args {
						args[j] = in[j]
						if j == on1 || j == on2 {
							args[j] = append([]F(nil), in[j]...)
						}
					}
					o1, o2 := make([]F, n), make([]F, n)
					what := "out of place"
					if on1 >= 0 {
						o1 = args[on1]
						what = sprintf("%s on %s", g.outs[0], g.ins[on1])
					}
					if on2 >= 0 {
						o2 = args[on2]
						if on1 >= 0 {
							what += sprintf(", %s on %s", g.outs[1], g.ins[on2])
						} else {
							what = sprintf("%s on %s", g.outs[1], g.ins[on2])
						}
					}
					f.f(o1, o2, args[0], args[1], args[2])
					for i := range n {
						for o, c := range [2]struct{ got, want F }{{o1[i], want1[i]}, {o2[i], want2[i]}} {
							if sameBits(c.got, c.want) {
								continue
							}
							u1, u2, w1, w2 := g.check(x[i], y[i], z[i], o1[i], o2[i])
							u, w := [2]float64{u1, u2}[o], [2]string{w1, w2}[o]
							if w == "" {
								w = sprintf("correct (%.4f ULP), but not the generic kernel's bits", u)
							}
							if !rep.fail("%s: %s: element %d: %s=%s %s=%s %s=%s gave %s=%s, %s %s: %s", what, g.name, i, g.ins[0], hex(x[i]), g.ins[1], hex(y[i]), g.ins[2], hex(z[i]),
								g.outs[o], hex(c.got), generic.name, hex(c.want), w) {
								return
							}
						}
					}
					// The inputs the outputs are not on are unchanged.
					for j := range args {
						if j == on1 || j == on2 {
							continue
						}
						for i := range n {
							if !sameBits(args[j][i], in[j][i]) {
								t.Fatalf("%s: %s[%d] changed", what, g.ins[j], i)
							}
						}
					}
				}
			}
		})
	}
}

// TestSwiGLUBackwardIdentities checks, on every kernel and the
// package-level functions, both element types, on gradInputs, what the
// documentation states of SwiGLUBackward: dup is SwiGLU(dup, gate, dy) bit
// for bit (but where dy and gate are both NaN: the NaN rule takes dy's),
// and dgate is dy·SiLUBackward(up, gate), that product rounded once, bit
// for bit (where no input is NaN; ∞·0 the default NaN), each function
// against its own SwiGLU and SiLUBackward, with up scaled by 2^S first
// (S = 64, float64 128) and the product back by 2^-S, but where gate >
// fastLimit or that product overflows.
func TestSwiGLUBackwardIdentities(t *testing.T) {
	t.Run("SwiGLUBackward", testSwiGLUBackwardIdentities[float32])
	t.Run("SwiGLUBackward64", testSwiGLUBackwardIdentities[float64])
}

func testSwiGLUBackwardIdentities[F float](t *testing.T) {
	n := gradRandomN[F]()
	dy, gate, up := gradInputs[F](n, 3)
	fs, sw, si := swigluBackwardSpec[F]().funcs(), swigluFuncs[F](), siluImpls[F]()
	for j, f := range fs {
		t.Run(f.name, func(t *testing.T) {
			rep := &reporter{t: t}
			dgate, dup, h, ug := make([]F, n), make([]F, n), make([]F, n), make([]F, n)
			f.f(dgate, dup, dy, gate, up)
			sw[j].f(h, gate, dy)
			scale, limit := F(math.Ldexp(1, 64)), F(32)
			if is64[F]() {
				scale, limit = F(math.Ldexp(1, 128)), F(math.Float64frombits(0x40800000_ffffffff))
			}
			us, ugs := make([]F, n), make([]F, n)
			for i, u := range up {
				us[i] = u * scale
			}
			si[j].backward(ug, up, gate)
			si[j].backward(ugs, us, gate)
			for i := range n {
				if !(dy[i] != dy[i] && gate[i] != gate[i]) && !sameBits(dup[i], h[i]) &&
					!rep.fail("dy=%s gate=%s: dup %s, SwiGLU(gate, dy) %s", hex(dy[i]), hex(gate[i]), hex(dup[i]), hex(h[i])) {
					return
				}
				if dy[i] != dy[i] || gate[i] != gate[i] || up[i] != up[i] {
					continue
				}
				want := dy[i] * ug[i]
				// (F(…): rounded, so that no FMA fuses it into ys - ys.)
				if ys := F(dy[i] * ugs[i]); ys-ys == 0 && gate[i] <= limit {
					want = ys * (1 / scale)
				}
				if want != want {
					want = canonNaN[F]()
				}
				if !sameBits(dgate[i], want) && !rep.fail("dy=%s gate=%s up=%s: dgate %s, dy·SiLUBackward(up, gate) = %s·%s = %s",
					hex(dy[i]), hex(gate[i]), hex(up[i]), hex(dgate[i]), hex(dy[i]), hex(ug[i]), hex(want)) {
					return
				}
			}
		})
	}
}

// gradCase is a case of the specials tests: the inputs, and each output's
// exact bits, or (numeric) to be judged by the accuracy checks.
type gradCase[F float] struct {
	x, y, z    F
	w1, w2     F
	num1, num2 bool
}

// TestGLUBackwardSpecials checks the documented values on every kernel and
// the package-level functions, both element types, exactly: the NaN rule
// of each output (da on dy then b, db on dy, a, then b: that NaN quieted,
// for every NaN of nanInputs at each place, with other NaNs after it);
// b = +Inf gives da = dy and db = dy·(a·0) (±0 with the sign of dy·a, for
// huge finite dy and a too), b = -Inf da = dy·0 and db = dy·(a·0); an
// infinite dy gives da = ±Inf for every finite b and db = ±Inf with the
// sign of dy·a (the default NaN for a zero a, or where a·σ'(b) rounds to
// 0); an infinite a gives db = ±Inf (σ'(b) > 0 even where it
// underflows), the default NaN for a zero dy; a zero dy gives da = dy and
// db ±0 with the sign of dy·a, a zero a db likewise. Each case runs
// alone, and all of them in one call, in both orders. Then results at
// their own scale (past |b| = 32, 512: σ(b) or σ'(b) subnormal or below
// the range, dy or a huge), within the bounds and not 0.
func TestGLUBackwardSpecials(t *testing.T) {
	t.Run("GLUBackward", testGLUBackwardSpecials[float32])
	t.Run("GLUBackward64", testGLUBackwardSpecials[float64])
}

func testGLUBackwardSpecials[F float](t *testing.T) {
	g := gluBackwardSpec[F]()
	l := limitsOf[F]()
	inf, nz, dn := F(math.Inf(1)), F(math.Copysign(0, -1)), canonNaN[F]()
	maxF := F(l.max)
	under := F(-200) // σ'(b) below the range for a = 1
	if is64[F]() {
		under = -1000
	}
	var cases []gradCase[F]
	add := func(dy, a, b, da, db F, numA bool) {
		cases = append(cases, gradCase[F]{x: dy, y: a, z: b, w1: da, w2: db, num1: numA})
	}
	cases = append(cases, nanCases(g)...)
	finite := []F{1, -2.5, 1e-30, -1e30, maxF, -maxF, F(l.minSubnormal), F(-l.minNormal)}
	bs := []F{0, nz, 1, -3, 40, -100, under, -under, maxF, -maxF, F(l.minSubnormal)}
	sign := func(v, s, t F) F { // |v| with the sign of s·t
		if math.Signbit(float64(s)) != math.Signbit(float64(t)) {
			return -F(math.Abs(float64(v)))
		}
		return F(math.Abs(float64(v)))
	}
	for _, dy := range append(finite, 0, nz, inf, -inf) {
		for _, a := range append(finite, 0, nz, inf, -inf) {
			// b = ±Inf: σ' = 0.
			dbInf := dy * (a * 0)
			if dbInf != dbInf {
				dbInf = dn
			}
			daNeg := dy * 0
			if daNeg != daNeg {
				daNeg = dn
			}
			add(dy, a, inf, dy, dbInf, false)
			add(dy, a, -inf, daNeg, dbInf, false)
		}
	}
	for _, b := range bs {
		for _, a := range append(finite, 0, nz, inf, -inf) {
			// An infinite dy: da = ±Inf (σ(b) > 0); db ±Inf, the default
			// NaN for a zero a. (Where a·σ'(b) rounds to 0, either: the
			// checks judge those.)
			for _, dy := range []F{inf, -inf} {
				var db F
				switch {
				case a == 0:
					db = dn
				default:
					db = sign(inf, dy, a)
				}
				c := gradCase[F]{x: dy, y: a, z: b, w1: dy, w2: db}
				if a-a == 0 && a != 0 && math.Log2(math.Abs(float64(a)))+log2SigmoidDeriv(float64(b)) < minNormalExp[F]()-22 {
					c.num2 = true // a·σ'(b) may round to 0: ∞·0
				}
				cases = append(cases, c)
			}
			// A zero dy: da = dy, db ±0 (the default NaN for an infinite a).
			for _, dy := range []F{0, nz} {
				db := sign(0, dy, a)
				if math.IsInf(float64(a), 0) {
					db = dn
				}
				add(dy, a, b, dy, db, false)
			}
		}
		for _, dy := range finite {
			// An infinite a: db = ±Inf; a zero a: db = ±0.
			add(dy, inf, b, 0, sign(inf, dy, 1), true)
			add(dy, -inf, b, 0, sign(inf, dy, -1), true)
			add(dy, 0, b, 0, sign(0, dy, 1), true)
			add(dy, nz, b, 0, sign(0, dy, -1), true)
		}
	}
	runGradCases(t, g, cases)
	// At their own scale, as documented: huge dy with σ(b) subnormal or
	// below the range gives da in range, huge a with σ'(b) so db; and
	// subnormal results; a huge dy with a subnormal a, where a·σ'(b) is
	// subnormal too (σ'(b) multiplies dy first there). Within the bounds,
	// and the outputs marked (1 da, 2 db, 3 both) not 0.
	own := [][4]float64{{1e38, 1, -150, 1}, {-1e38, 1, -150, 1}, {1, 1e38, 150, 2}, {1, -1e38, -150, 2}, {1e38, 1e38, 100, 2},
		{1, 1, -95, 1}, {3, 1e30, 90, 2}, {0.5, 1, -103, 1}, {1e38, 1e38, -120, 3},
		{0x1p100, 3 * 0x1p-149, 0, 2}, {-0x1p120, 5 * 0x1p-149, 40, 2}}
	if is64[F]() {
		own = append(own, [][4]float64{{1e308, 1, -1400, 1}, {1, 1e308, 1400, 2}, {-1e308, 1e308, -800, 3}, {1, 1, -740, 3}, {3, 0.5, 742, 2}, {1e300, 1e-300, -600, 1},
			{0x1p600, 3 * 0x1p-1074, 0, 2}, {-0x1p1000, 5 * 0x1p-1074, 600, 2}}...)
	}
	for _, f := range g.funcs() {
		for _, c := range own {
			dy, a, b := F(c[0]), F(c[1]), F(c[2])
			da, db := make([]F, 1), make([]F, 1)
			f.f(da, db, []F{dy}, []F{a}, []F{b})
			ua, ub, wa, wb := g.check(dy, a, b, da[0], db[0])
			if wa != "" || wb != "" || c[3] != 2 && da[0] == 0 || c[3] != 1 && db[0] == 0 {
				t.Errorf("%s: %s(dy=%v, a=%v, b=%v) = %v (%s), %v (%s): %.4f, %.4f ULP: %s %s", f.name, g.name, dy, a, b, da[0], hex(da[0]), db[0], hex(db[0]), ua, ub, wa, wb)
			}
		}
	}
}

// nanCases are the NaN rule's cases of g: every NaN of nanInputs at each
// place, with every other input from a few values (finite, zero,
// infinite) and other NaNs: each output is the first NaN among the inputs
// it depends on, in the rule's order, quieted; an output none of whose
// inputs is NaN is judged by the checks.
func nanCases[F float](g gradSpec[F]) []gradCase[F] {
	nans := nanInputs[F]()
	others := []F{1, -2.5, 0, F(math.Copysign(0, -1)), F(math.Inf(1)), F(math.Inf(-1)), 40}
	var cases []gradCase[F]
	k := 0
	for _, n := range nans {
		for p := range 3 {
			for _, v := range others {
				for _, w := range append(others[:3:3], nans[(k+5)%len(nans)]) {
					k++
					var in [3]F
					in[p] = n
					in[(p+1)%3], in[(p+2)%3] = v, w
					c := gradCase[F]{x: in[0], y: in[1], z: in[2]}
					for o := range 2 {
						var want F
						num := true
						for _, j := range g.nanRule[o] {
							if in[j] != in[j] {
								want, num = fromBits[F](quietOf(in[j])), false
								break
							}
						}
						if o == 0 {
							c.w1, c.num1 = want, num
						} else {
							c.w2, c.num2 = want, num
						}
					}
					cases = append(cases, c)
				}
			}
		}
	}
	return cases
}

// runGradCases runs g on the cases on every function: alone, all in one
// call, and in reverse order, each output against its exact bits or, if
// numeric, the checks.
func runGradCases[F float](t *testing.T, g gradSpec[F], cases []gradCase[F]) {
	n := len(cases)
	var in [3][]F
	for j := range in {
		in[j] = make([]F, n)
	}
	for i, c := range cases {
		in[0][i], in[1][i], in[2][i] = c.x, c.y, c.z
	}
	rev := func(s []F) []F {
		r := make([]F, len(s))
		for i, v := range s {
			r[len(s)-1-i] = v
		}
		return r
	}
	for _, f := range g.funcs() {
		t.Run(f.name, func(t *testing.T) {
			rep := &reporter{t: t}
			all1, all2 := make([]F, n), make([]F, n)
			f.f(all1, all2, in[0], in[1], in[2])
			rev1, rev2 := make([]F, n), make([]F, n)
			f.f(rev1, rev2, rev(in[0]), rev(in[1]), rev(in[2]))
			one1, one2 := make([]F, 1), make([]F, 1)
			for i, c := range cases {
				f.f(one1, one2, []F{c.x}, []F{c.y}, []F{c.z})
				for _, r := range []struct {
					what   string
					o1, o2 F
				}{{"in one call", all1[i], all2[i]}, {"in reverse", rev1[n-1-i], rev2[n-1-i]}, {"alone", one1[0], one2[0]}} {
					_, _, w1, w2 := g.check(c.x, c.y, c.z, r.o1, r.o2)
					for o, v := range [2]struct {
						got, want F
						num       bool
						why       string
					}{{r.o1, c.w1, c.num1, w1}, {r.o2, c.w2, c.num2, w2}} {
						why := v.why
						if !v.num && !sameBits(v.got, v.want) {
							why = sprintf("want %s (the checks say %q)", hex(v.want), v.why)
						}
						if why != "" && !rep.fail("%s: %s(%s=%s, %s=%s, %s=%s): %s = %s: %s", r.what, g.name, g.ins[0], hex(c.x), g.ins[1], hex(c.y), g.ins[2], hex(c.z), g.outs[o], hex(v.got), why) {
							return
						}
					}
				}
			}
		})
	}
}

// TestSwiGLUBackwardSpecials checks the documented values on every kernel
// and the package-level functions, both element types, exactly: the NaN
// rule of each output (dgate on dy, gate, then up, dup on dy then gate:
// that NaN quieted, for every NaN of nanInputs at each place, with other
// NaNs after it); gate = +Inf gives dgate = dy·up and dup = dy·∞, gate =
// -Inf dgate = dy·up·(-0) (as dy·(up·(-0))) and dup = dy·(-0), the default
// NaN for ∞·0; an infinite dy gives ±Inf (dgate with the sign of
// dy·up·silu'(gate), dup of dy·gate), or the default NaN where it meets a
// zero factor (a zero up or gate; for dgate also where up·silu'(gate)
// rounds to 0, which the checks judge); a zero dy gives ±0. Each case runs
// alone, and all of them in one call, in both orders. Then results at
// their own scale, within the bounds and not 0.
func TestSwiGLUBackwardSpecials(t *testing.T) {
	t.Run("SwiGLUBackward", testSwiGLUBackwardSpecials[float32])
	t.Run("SwiGLUBackward64", testSwiGLUBackwardSpecials[float64])
}

func testSwiGLUBackwardSpecials[F float](t *testing.T) {
	g := swigluBackwardSpec[F]()
	l := limitsOf[F]()
	inf, nz, dn := F(math.Inf(1)), F(math.Copysign(0, -1)), canonNaN[F]()
	maxF := F(l.max)
	mul := func(a, b F) F {
		if p := a * b; p == p {
			return p
		}
		return dn
	}
	cases := nanCases(g)
	finite := []F{1, -2.5, 1e-30, -1e30, maxF, -maxF, F(l.minSubnormal), F(-l.minNormal)}
	all := append(finite[:len(finite):len(finite)], 0, nz, inf, -inf)
	for _, dy := range all {
		for _, up := range all {
			cases = append(cases,
				gradCase[F]{x: dy, y: inf, z: up, w1: mul(dy, up), w2: mul(dy, inf)},
				gradCase[F]{x: dy, y: -inf, z: up, w1: mul(dy, mul(up, nz)), w2: mul(dy, nz)})
		}
	}
	// An infinite dy: dup = ±Inf with the sign of dy·gate (the default NaN
	// for a zero gate), dgate ±Inf with the sign of dy·up·silu'(gate) for
	// gates where silu' is far from 0 and up·silu'(gate) normal.
	for _, gate := range []F{1, -1, 3, -3, 0.5, 40, -0.25} {
		sg := F(1)
		if float64(gate) < x0 {
			sg = -1
		}
		for _, dy := range []F{inf, -inf} {
			for _, up := range []F{1, -2.5, 1e-30, maxF, -maxF} {
				cases = append(cases, gradCase[F]{x: dy, y: gate, z: up, w1: mul(dy, mul(up, sg)), w2: mul(dy, gate)})
			}
			cases = append(cases, gradCase[F]{x: dy, y: gate, z: 0, w1: dn, w2: mul(dy, gate)})
		}
		// A zero dy: ±0 (up·silu'(gate) finite).
		for _, dy := range []F{0, nz} {
			for _, up := range []F{1, -2.5, 1e-30} {
				cases = append(cases, gradCase[F]{x: dy, y: gate, z: up, w1: mul(dy, mul(up, sg)), w2: mul(dy, gate)})
			}
		}
	}
	for _, dy := range []F{inf, -inf} {
		cases = append(cases, gradCase[F]{x: dy, y: 0, z: 1, w1: dy, w2: dn}, gradCase[F]{x: dy, y: nz, z: 1, w1: dy, w2: dn})
	}
	runGradCases(t, g, cases)
	// At their own scale: dup (SwiGLU's) where dy·gate overflows or
	// silu(gate) is below the range, subnormal results; within the bounds,
	// dup not 0; and dgate where a huge dy meets a tiny up, which the
	// kernels scale up (dgate within its bound and not 0).
	own := [][3]float64{{1e38, -100, 1}, {-1e38, -100, 1e-30}, {1, 1, 1e38}, {1e38, 3, 1e-38}, {1, -95, 1}, {1e-30, 2, 1e-30}, {3, x0, 1}}
	tinyUp := [][3]float64{{0x1p100, 0.5, 3 * 0x1p-149}, {0x1p127, -3, 0x1p-130}, {-0x1p120, 20, -0x1p-140}, {0x1p127, -1, 0x1p-126}}
	if is64[F]() {
		own = append(own, [][3]float64{{1e308, -700, 1}, {1, -700, 1e308}, {1e300, -1400, 1e300}, {1, -740, 1}, {1e-300, 2, 1e-300}}...)
		tinyUp = append(tinyUp, [][3]float64{{0x1p600, 1, 3 * 0x1p-1074}, {0x1p1000, -3, 0x1p-1030}, {-0x1p1023, 300, 0x1p-1060}}...)
	}
	nOwn := len(own)
	own = append(own, tinyUp...)
	for _, f := range g.funcs() {
		for i, c := range own {
			dy, gate, up := F(c[0]), F(c[1]), F(c[2])
			dg, du := make([]F, 1), make([]F, 1)
			f.f(dg, du, []F{dy}, []F{gate}, []F{up})
			ug, uu, wg, wu := g.check(dy, gate, up, dg[0], du[0])
			if wg != "" || wu != "" || du[0] == 0 || i >= nOwn && dg[0] == 0 {
				t.Errorf("%s: %s(dy=%v, gate=%v, up=%v) = %v (%s), %v (%s): %.4f, %.4f ULP: %s %s", f.name, g.name, dy, gate, up, dg[0], hex(dg[0]), du[0], hex(du[0]), ug, uu, wg, wu)
			}
		}
	}
}

// TestGLUBackwardExhaustive checks GLUBackward on all 2^32 float32 b, each
// with its own dy and a from hashedUp (hashes of b's bits: ordinary, any
// scale, huge and tiny), on the first kernel of kernels.Kernels() (the
// best this CPU runs) against the references of package accuracy within
// the bounds, the largest error of each output and class reported, and
// the other SIMD kernels' bits against its on every b. TestSameBitsSweep
// compares the generic kernel's with theirs on 2^24 b a run, 2^27 in the
// exhaustive run. It runs only with SIGMOID_EXHAUSTIVE=1 or -exhaustive.
func TestGLUBackwardExhaustive(t *testing.T) {
	testGradExhaustive(t, gluBackwardSpec[float32](), 2)
}

// TestSwiGLUBackwardExhaustive is TestGLUBackwardExhaustive for
// SwiGLUBackward: all 2^32 float32 gates, each with its own dy and up.
func TestSwiGLUBackwardExhaustive(t *testing.T) {
	testGradExhaustive(t, swigluBackwardSpec[float32](), 1)
}

func testGradExhaustive(t *testing.T, g gradSpec[float32], swept int) {
	if !exhaustiveRun() {
		t.Skipf("set SIGMOID_EXHAUSTIVE=1 or pass -exhaustive to check all 2^32 %s", g.ins[swept])
	}
	fs := g.funcs()[1:] // the kernels'
	if len(fs) > 1 {
		fs = fs[:len(fs)-1] // the SIMD ones, if any
	}
	start := time.Now()
	total := sweepGrad(g, fs, swept, 0, 1<<32)
	t.Logf("%s %s: all 2^32 %s in %v (%d inputs checked, %d other kernels compared bit for bit)",
		fs[0].name, g.name, g.ins[swept], time.Since(start).Round(time.Second), total.inputs, len(fs)-1)
	if total.inputs != 1<<32 {
		t.Errorf("checked %d inputs, want 2^32", total.inputs)
	}
	total.log(t, fs[0].name, g)
}

// sweepGrad runs fs on the float32 bit patterns in [from, to) (a multiple
// of its chunks apart) as input swept, the other two inputs from hashedUp
// of the pattern (with 1 and 2 above its 32 bits), on GOMAXPROCS
// goroutines; it checks every result of fs[0] by g's rules, and those of
// every other function of fs against them bit for bit. Only results with
// an error above 0.5 ULP, or wrong, are recorded (the largest error of a
// class is only known if it is above 0.5 ULP), and the classes' inputs
// are not counted. (The generic kernel takes 90 to 150 ns an element on
// these inputs, most of which the safe code computes: TestSameBitsSweep
// compares it with the others on 2^24 inputs a run, 2^27 in the
// exhaustive run.)
func sweepGrad(g gradSpec[float32], fs []gradFunc[float32], swept int, from, to uint64) *gradTally[float32] {
	const chunk = 1 << 16
	total := newGradTally[float32](g.classes)
	inParallel((to-from+chunk-1)/chunk, func() (func(j uint64), func()) {
		var in [3][]float32
		for j := range in {
			in[j] = make([]float32, chunk)
		}
		o1, o2 := make([]float32, chunk), make([]float32, chunk)
		p1, p2 := make([]float32, chunk), make([]float32, chunk)
		mine := newGradTally[float32](g.classes)
		h1, h2 := (swept+1)%3, (swept+2)%3
		return func(j uint64) {
			c := from + j*chunk
			for i := range chunk {
				b := c + uint64(i)
				in[swept][i] = math.Float32frombits(uint32(b))
				in[h1][i] = hashedUp[float32](b | 1<<32)
				in[h2][i] = hashedUp[float32](b | 2<<32)
			}
			fs[0].f(o1, o2, in[0], in[1], in[2])
			for _, f := range fs[1:] {
				f.f(p1, p2, in[0], in[1], in[2])
				for i := range chunk {
					if !sameBits(p1[i], o1[i]) || !sameBits(p2[i], o2[i]) {
						mine.mismatch(sprintf("%s: inputs %s %s %s gave %s %s, %s %s %s", f.name,
							hex(in[0][i]), hex(in[1][i]), hex(in[2][i]), hex(p1[i]), hex(p2[i]), fs[0].name, hex(o1[i]), hex(o2[i])))
					}
				}
			}
			for i := range chunk {
				x, y, z := in[0][i], in[1][i], in[2][i]
				u1, u2, w1, w2 := g.quiet(x, y, z, o1[i], o2[i])
				if u1 > 0.5 || w1 != "" || u2 > 0.5 || w2 != "" {
					c1, c2 := g.class(x, y, z, o1[i], o2[i])
					w1, w2 = mine.describe(g, c1, c2, x, y, z, o1[i], o2[i], w1, w2)
					if u1 > 0.5 || w1 != "" {
						mine.record(0, c1, [3]float32{x, y, z}, u1, w1, false)
					}
					if u2 > 0.5 || w2 != "" {
						mine.record(1, c2, [3]float32{x, y, z}, u2, w2, false)
					}
				}
			}
			mine.inputs += chunk
		}, func() { total.merge(mine) }
	})
	return total
}

// TestGLUBackwardExhaustive64 checks the generic kernel's GLUBackward64 on
// 10^8 b, in blocks of 10^6: half from accuracy.Inputs64, an eighth over
// [-40, 40], an eighth over [-4, 4], an eighth over the negative tail
// [-1500, -32] and an eighth beyond 32 (±[32, 1500] and every binade
// above), each with a dy and an a from hashedUp (hashes of b's bits),
// against the double-double references within the bounds, the largest
// error of each output and class reported. TestSameBitsSweep checks the
// other kernels' bits. It runs only with SIGMOID_EXHAUSTIVE=1 or
// -exhaustive.
func TestGLUBackwardExhaustive64(t *testing.T) {
	testGradExhaustive64(t, gluBackwardSpec[float64](), 2, false)
}

// TestSwiGLUBackwardExhaustive64 is TestGLUBackwardExhaustive64 for
// SwiGLUBackward64, on 10^8 gates, the eighth over [-4, 4] half within
// 2^-10 of the zero of silu'.
func TestSwiGLUBackwardExhaustive64(t *testing.T) {
	testGradExhaustive64(t, swigluBackwardSpec[float64](), 1, true)
}

func testGradExhaustive64(t *testing.T, g gradSpec[float64], swept int, nearZero bool) {
	if !exhaustiveRun() {
		t.Skip("set SIGMOID_EXHAUSTIVE=1 or pass -exhaustive to check 10^8 float64 inputs")
	}
	const block = 1_000_000
	f := genericOnly(g.funcs())[0]
	start := time.Now()
	total := newGradTally[float64](g.classes)
	h1, h2 := (swept+1)%3, (swept+2)%3
	inParallel((exhaustive64Inputs+block-1)/block, func() (func(j uint64), func()) {
		var in [3][]float64
		for j := range in {
			in[j] = make([]float64, block)
		}
		o1, o2 := make([]float64, block), make([]float64, block)
		mine := newGradTally[float64](g.classes)
		return func(j uint64) {
			b := int(j)
			r := rand.New(rand.NewPCG(uint64(b), 0x61564))
			s := in[swept]
			switch b % 8 {
			case 0, 1, 2, 3:
				copy(s, accuracy.Inputs64(block, 900+uint64(b)))
			case 4:
				for i := range s {
					s[i] = -40 + 80*r.Float64()
				}
			case 5:
				for i := range s {
					s[i] = -4 + 8*r.Float64()
					if nearZero && i%2 == 0 {
						s[i] = x0 + 0x1p-10*(2*r.Float64()-1)
					}
				}
			case 6:
				for i := range s {
					s[i] = -1500 + 1468*r.Float64()
				}
			default:
				for i := range s {
					s[i] = beyond32(r, i)
				}
			}
			for i, v := range s {
				h := splitMix(math.Float64bits(v))
				in[h1][i] = hashedUp[float64](h)
				in[h2][i] = hashedUp[float64](h + 1)
			}
			f.f(o1, o2, in[0], in[1], in[2])
			for i := range block {
				mine.add(g, in[0][i], in[1][i], in[2][i], o1[i], o2[i])
			}
		}, func() { total.merge(mine) }
	})
	t.Logf("%s %s: %d inputs in %v", f.name, g.name, total.inputs, time.Since(start).Round(time.Second))
	if total.inputs != exhaustive64Inputs {
		t.Errorf("checked %d inputs, want %d", total.inputs, exhaustive64Inputs)
	}
	total.log(t, f.name, g)
}
