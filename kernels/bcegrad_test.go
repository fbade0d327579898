package kernels_test

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/simdsigmoid/sigmoid/internal/accuracy"
	"github.com/simdsigmoid/sigmoid/kernels"
)

// The BCEWithLogitsBackward tests: dz = dy·(σ(z) - t) within 1.5 ULP of
// the exact value for t = 0 and t = 1, and within 2 ULP + 2^-24·|dy|
// (float64: 2^-53·|dy|) for other t in [0, 1], at every magnitude:
// subnormal results computed, not flushed, and huge dy where σ(-|z|) is
// below the range; the special values of the documentation and the NaN
// rule exact; for t outside [0, 1] the formula's range (an infinity where
// the product is beyond it) and the same bits on every kernel.

// bceGradFunc is BCEWithLogitsBackward of one kernel, or the package-level
// one, of element type F.
type bceGradFunc[F float] struct {
	name string
	f    func(dz, dy, z, t []F)
}

// bceGradFuncs are the package-level function, then every kernel's, the
// generic kernel last (genericOnly picks it).
func bceGradFuncs[F float]() []bceGradFunc[F] {
	pick := func(name string, f32 func(dz, dy, z, t []float32), f64 func(dz, dy, z, t []float64)) bceGradFunc[F] {
		var f any = f32
		if is64[F]() {
			f = f64
		}
		return bceGradFunc[F]{name, f.(func(dz, dy, z, t []F))}
	}
	fs := []bceGradFunc[F]{pick("package", kernels.BCEWithLogitsBackward, kernels.BCEWithLogitsBackward64)}
	for _, k := range kernels.Kernels() {
		fs = append(fs, pick(k.Name(), k.BCEWithLogitsBackward, k.BCEWithLogitsBackward64))
	}
	return fs
}

// bceGradBound is the documented bound for the target t: 1.5 ULP for t =
// 0 and t = 1 (-0 included), else 2 ULP with an absolute allowance of
// 2^-24·|dy| (float64: 2^-53·|dy|). (For t outside [0, 1] the checks of
// package accuracy apply no bound.)
func bceGradBound[F float](t F) (bound, allowance float64) {
	switch {
	case t == 0 || t == 1:
		return 1.5, 0
	case is64[F]():
		return 2, 0x1p-53
	}
	return 2, 0x1p-24
}

// bceGradCheck is the error of got, a BCEWithLogitsBackward result for
// dy, z and t, and what is wrong with it ("" if nothing), under the rules
// of accuracy.CheckBCEWithLogitsBackward with the bound of bceGradBound:
// in ULPs beyond the allowance.
func bceGradCheck[F float](dy, z, t, got F) (float64, string) {
	b, a := bceGradBound(t)
	if is64[F]() {
		return accuracy.CheckBCEWithLogitsBackward64(float64(dy), float64(z), float64(t), float64(got), b, a)
	}
	return accuracy.CheckBCEWithLogitsBackward(float32(dy), float32(z), float32(t), float32(got), b, a)
}

// The classes of results the BCEWithLogitsBackward tests report on.
const (
	bceGradEnds     = iota // t = 0 or 1 (-0 included), finite nonzero dy and finite z; results of at least 2^-126 (2^-1022)
	bceGradEndsTiny        // the same, results below 2^-126 (2^-1022): subnormal or zero
	bceGradInner           // t in (0, 1), finite nonzero dy and finite z
	bceGradOutside         // finite t outside [0, 1]: no bound, the error is reported
	bceGradExact           // a NaN or an infinity among the inputs, or a zero dy: exact rules
	bceGradClasses
)

var bceGradClassNames = [bceGradClasses]string{"t = 0 or 1, results >= 2^-126 (2^-1022) (bound 1.5 ULP)",
	"t = 0 or 1, results below 2^-126 (2^-1022) (bound 1.5 ULP)", "t in (0, 1) (bound 2 ULP beyond the allowance)",
	"t outside [0, 1] (no bound: ULP, no allowance)", "NaN or Inf among the inputs, or dy = 0 (exact rules)"}

// bceGradClass is the class of the inputs dy, z and t and the result got.
func bceGradClass[F float](dy, z, t, got F) int {
	tiny := 0x1p-126
	if is64[F]() {
		tiny = 0x1p-1022
	}
	switch {
	case dy-dy != 0 || z-z != 0 || t-t != 0 || dy == 0:
		return bceGradExact
	case !(t >= 0 && t <= 1):
		return bceGradOutside
	case t != 0 && t != 1:
		return bceGradInner
	case math.Abs(float64(got)) < tiny:
		return bceGradEndsTiny
	}
	return bceGradEnds
}

// bceGradTally is the largest error of each class, the inputs giving it,
// the number of inputs of each, of failures and the first one's
// description.
type bceGradTally[F float] struct {
	n      [bceGradClasses]int64
	worst  [bceGradClasses]float64
	at     [bceGradClasses][3]F
	bad    int
	first  string
	inputs int64
}

// add counts the result got for dy, z and t, of error u (+Inf for a
// broken exact rule), and what is wrong with it.
func (s *bceGradTally[F]) add(dy, z, t, got F, u float64, why string) {
	c := bceGradClass(dy, z, t, got)
	s.inputs++
	s.n[c]++
	s.record(c, dy, z, t, u, why)
}

// record notes an error and a failure in class c, without counting the
// input.
func (s *bceGradTally[F]) record(c int, dy, z, t F, u float64, why string) {
	if why != "" {
		if s.bad++; s.first == "" {
			s.first = why
		}
	}
	if u > s.worst[c] && !math.IsInf(u, 0) {
		s.worst[c], s.at[c] = u, [3]F{dy, z, t}
	}
}

// fail notes a failure outside the classes: another kernel's bits.
func (s *bceGradTally[F]) fail(why string) {
	if s.bad++; s.first == "" {
		s.first = why
	}
}

func (s *bceGradTally[F]) merge(o *bceGradTally[F]) {
	for c := range s.n {
		s.n[c] += o.n[c]
		if o.worst[c] > s.worst[c] {
			s.worst[c], s.at[c] = o.worst[c], o.at[c]
		}
	}
	if s.bad += o.bad; s.first == "" {
		s.first = o.first
	}
	s.inputs += o.inputs
}

// log reports the largest error of each class and fails the test on a
// failure. Without counts (an exhaustive sweep's tally), the classes are
// reported by their largest error alone, and those of the exact rules and
// of t outside [0, 1] left out (the latter if it has no error).
func (s *bceGradTally[F]) log(t *testing.T, what string) {
	t.Helper()
	counted := s.n != [bceGradClasses]int64{}
	for c, name := range bceGradClassNames {
		at := func() string { return sprintf("dy=%s z=%s t=%s", hex(s.at[c][0]), hex(s.at[c][1]), hex(s.at[c][2])) }
		switch {
		case !counted && (c == bceGradExact || c == bceGradOutside && s.worst[c] == 0):
		case !counted:
			t.Logf("%s: %s: max %.4f at %s", what, name, s.worst[c], at())
		case c == bceGradExact || s.n[c] == 0:
			t.Logf("%s: %s: %d inputs", what, name, s.n[c])
		case s.worst[c] == 0:
			t.Logf("%s: %s: %d inputs, all exact", what, name, s.n[c])
		default:
			t.Logf("%s: %s: %d inputs, max %.4f at %s", what, name, s.n[c], s.worst[c], at())
		}
	}
	if s.bad != 0 {
		t.Errorf("%s: %d violations, first: %s", what, s.bad, s.first)
	}
}

// bceGradInputs returns n gradients dy, logits z and targets t. z and t
// are bceInputs' (z: the specials, NaNs, the fast range, beyond 32, the
// subnormal-result ranges, every binade, tiny values; t: 0, -0, 1, tiny,
// just below 1, uniform and outside [0, 1], infinities and NaNs
// included), one z in eight then moved beyond 32, up to ±200 (float64:
// ±800), and one t in sixteen replaced by σ(z) rounded, where σ(z) - t
// cancels. dy: the specials (zeros, infinities, NaNs with payloads, the
// extremes), subnormal, any binade, near the largest, huge (the top
// quarter of the binades, as 1e38: half the time beyond |z| = 32, where
// σ(-|z|) is tiny), tiny and ordinary.
func bceGradInputs[F float](n int, seed uint64) (dy, z, t []F) {
	z, t = bceInputs[F](n, seed)
	r := rand.New(rand.NewPCG(seed, 0xbcedd))
	l := limitsOf[F]()
	maxExp, minExp, far := 127, -149, 200.0
	if is64[F]() {
		maxExp, minExp, far = 1023, -1074, 800
	}
	specialDy := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), l.max, -l.max,
		l.minSubnormal, -l.minSubnormal, l.minNormal, -l.minNormal, 1, -1}
	sign := func() float64 { return float64(1 - 2*r.IntN(2)) }
	nan := func() F { // a NaN with a payload, either sign, quiet or signalling
		return fromBits[F](bitsOf(F(math.Inf(int(sign())))) | quietBit[F]()>>uint(r.IntN(2)) | uint64(1+r.IntN(255)))
	}
	huge := func() F { return F(sign() * math.Ldexp(1+r.Float64(), maxExp-r.IntN(maxExp/4))) }
	dy = make([]F, n)
	for i := range n {
		if r.IntN(8) == 0 {
			z[i] = F(sign() * (32 + (far-32)*r.Float64()))
		}
		if v := float64(z[i]); r.IntN(16) == 0 && v-v == 0 {
			t[i] = F(1 / (1 + math.Exp(-v)))
		}
		if v := math.Abs(float64(z[i])); v > 32 && v-v == 0 && r.IntN(2) == 0 {
			dy[i] = huge()
			continue
		}
		switch r.IntN(10) {
		case 0:
			dy[i] = F(specialDy[r.IntN(len(specialDy))])
			if dy[i] != dy[i] {
				dy[i] = nan()
			}
		case 1: // subnormal
			dy[i] = F(sign()) * fromBits[F](r.Uint64N(bitsOf(F(l.minNormal))))
		case 2: // any binade
			dy[i] = F(sign() * math.Ldexp(1+r.Float64(), minExp+r.IntN(maxExp-minExp+1)))
		case 3: // near the largest
			dy[i] = F(sign() * l.max * (0.5 + r.Float64()/2))
		case 4:
			dy[i] = huge()
		case 5: // tiny
			dy[i] = F(sign() * math.Ldexp(1+r.Float64(), minExp+r.IntN(50)))
		default:
			dy[i] = F(r.NormFloat64())
		}
	}
	return dy, z, t
}

// TestBCEWithLogitsBackward checks BCEWithLogitsBackward of every kernel
// and the package-level functions, both element types, on bceGradInputs
// (2^22 float32, 2^21 float64 triples; 2^18 and 2^17 when slow()): the
// generic kernel's results against the references of package accuracy
// with the bound of bceGradBound, the largest error of each class
// reported; every kernel's bits against the generic kernel's, out of place
// and in place on dy, on z and on t (whether or not the generic kernel's
// results pass), and its largest error reported.
func TestBCEWithLogitsBackward(t *testing.T) {
	t.Run("BCEWithLogitsBackward", testBCEWithLogitsBackward[float32])
	t.Run("BCEWithLogitsBackward64", testBCEWithLogitsBackward[float64])
}

func testBCEWithLogitsBackward[F float](t *testing.T) {
	n := 1 << 22
	if is64[F]() {
		n = 1 << 21
	}
	if slow() {
		n >>= 4
	}
	dys, zs, ts := bceGradInputs[F](n, 1)
	fs := bceGradFuncs[F]()
	generic := genericOnly(fs)[0]
	want := make([]F, n)
	generic.f(want, dys, zs, ts)
	errs := make([]float64, n) // the generic kernel's, by input
	var (
		mu    sync.Mutex
		wg    sync.WaitGroup
		total bceGradTally[F]
	)
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Go(func() {
			var mine bceGradTally[F]
			for i := w; i < n; i += workers {
				u, why := bceGradCheck(dys[i], zs[i], ts[i], want[i])
				errs[i] = u
				mine.add(dys[i], zs[i], ts[i], want[i], u, why)
			}
			mu.Lock()
			total.merge(&mine)
			mu.Unlock()
		})
	}
	wg.Wait()
	total.log(t, generic.name) // on, to the bits, if it fails
	for _, f := range fs {
		t.Run(f.name, func(t *testing.T) {
			rep := &reporter{t: t}
			dz := make([]F, n)
			f.f(dz, dys, zs, ts)
			onDy := append([]F(nil), dys...)
			f.f(onDy, onDy, zs, ts)
			onZ := append([]F(nil), zs...)
			f.f(onZ, dys, onZ, ts)
			onT := append([]F(nil), ts...)
			f.f(onT, dys, zs, onT)
			var worst float64
			var at [3]F
			for i := range zs {
				for _, c := range []struct {
					what string
					got  F
				}{{"out of place", dz[i]}, {"in place on dy", onDy[i]}, {"in place on z", onZ[i]}, {"in place on t", onT[i]}} {
					u := errs[i]
					if !sameBits(c.got, want[i]) {
						var w string
						if u, w = bceGradCheck(dys[i], zs[i], ts[i], c.got); w == "" {
							w = "correct, but not the generic kernel's bits"
						}
						if !rep.fail("%s: element %d: dy=%s z=%s t=%s gave %s, %s %s: %s", c.what, i, hex(dys[i]), hex(zs[i]), hex(ts[i]), hex(c.got), generic.name, hex(want[i]), w) {
							return
						}
					}
					if c := bceGradClass(dys[i], zs[i], ts[i], c.got); u > worst && !math.IsInf(u, 0) && c != bceGradOutside {
						worst, at = u, [3]F{dys[i], zs[i], ts[i]}
					}
				}
			}
			t.Logf("%s: %d inputs, 4 calls each: max %.4f ULP (beyond the allowance; t in [0, 1]) at dy=%s z=%s t=%s", f.name, n, worst, hex(at[0]), hex(at[1]), hex(at[2]))
		})
	}
}

// TestBCEWithLogitsBackwardSpecials checks the documented values on every
// kernel and the package-level functions, both element types: z = +Inf
// gives dy·(1 - t) and z = -Inf dy·(-t) (with t outside [0, 1] and
// infinite too); an infinite dy gives ±Inf with the sign of σ(z) - t
// times dy's, where that is not 0 (tiny z with t = 1/2, t = σ(z) rounded)
// and NaN where it is (z = +Inf with t = 1, z = -Inf with t = 0 or -0, z
// = ±0 with t = 1/2); an infinite t gives ±Inf, or NaN for a zero dy; a
// zero dy gives a zero of either sign; a NaN dy gives that NaN quieted,
// else a NaN z, else a NaN t (sign and payload kept, quiet bit set); a
// NaN the arithmetic makes is the negative quiet NaN without payload.
// Each case runs alone, all of them in one call, in both orders, and in
// place on dy, on z and on t. Then the example of the documentation (z =
// 150, t = 1, dy = 1e38: about -7.2e-28, where σ(-z) is below the float32
// range) and other products at their own scale, subnormal results (not
// flushed: nonzero and within the bound), and t outside [0, 1]: the
// formula's value where it is exact in F (z = 0) and within the bound of
// other t elsewhere, and an infinity where the product is beyond the
// range.
func TestBCEWithLogitsBackwardSpecials(t *testing.T) {
	t.Run("BCEWithLogitsBackward", testBCEWithLogitsBackwardSpecials[float32])
	t.Run("BCEWithLogitsBackward64", testBCEWithLogitsBackwardSpecials[float64])
}

func testBCEWithLogitsBackwardSpecials[F float](t *testing.T) {
	l := limitsOf[F]()
	inf := F(math.Inf(1))
	nz := F(math.Copysign(0, -1))
	maxF, minSub, minNorm := F(l.max), F(l.minSubnormal), F(l.minNormal)
	below1 := F(1 - l.halfEps) // the largest float below 1
	// Signalling and quiet NaNs of both signs with payloads, one for each
	// input.
	nanDy := fromBits[F](bitsOf(inf) | 5)
	nanZ := fromBits[F](bitsOf(-inf) | quietBit[F]() | 0x123)
	nanT := fromBits[F](bitsOf(-inf) | 9)
	quiet := func(v F) F { return fromBits[F](quietOf(v)) }
	// anyZero marks a case whose result is a zero of either sign.
	type tc struct {
		dy, z, t, want F
		anyZero        bool
		// anyInf accepts ±Inf or NaN: an infinite dy where t is within the
		// computed σ(z)'s accuracy of σ(z) (2^-27 relative, float64
		// 2^-55), as the doc says.
		anyInf bool
	}
	var cases []tc
	// want is the value of an expression of F's arithmetic: a zero of
	// either sign, the default NaN, or those bits.
	want := func(dy, z, t, v F) tc {
		if v != v {
			v = canonNaN[F]()
		}
		return tc{dy, z, t, v, v == 0, false}
	}
	dys := []F{1, -2.5, 3, maxF, -maxF, minSub, -minSub, 1e-30, 0, nz, inf, -inf}
	targets := []F{0, nz, 0.3, 0.5, 1, below1, minSub, 2, -1, 1e30, -1e30, inf, -inf}
	// z = ±Inf: dy·(1 - t) and dy·(-t), in F's arithmetic.
	for _, dy := range dys {
		for _, tv := range targets {
			cases = append(cases, want(dy, inf, tv, dy*(1-tv)), want(dy, -inf, tv, dy*-tv))
		}
	}
	// Finite z.
	zs := []F{1, -1, 3, -3, 0.25, -0.25, 40, -40, 150, -150, maxF, -maxF, minNorm, -minNorm}
	fins := []F{0.3, 0.5, below1, minSub, 2, -1, 1e30, -1e30}
	for _, z := range zs {
		for _, tv := range append(fins, 0, nz, 1) {
			// An infinite dy: ±Inf, the sign of σ(z) - t (nonzero here).
			// (The reference keeps the sign where σ(z) - t underflows.)
			hi, _ := accuracy.BCEWithLogitsBackwardExact64(1, float64(z), float64(tv))
			if hi != hi {
				t.Fatalf("σ(%v) - %v = %v: no sign", z, tv, hi)
			}
			s := F(math.Copysign(1, hi))
			cases = append(cases, tc{inf, z, tv, inf * s, false, false}, tc{-inf, z, tv, -inf * s, false, false})
			// A zero dy: a zero.
			cases = append(cases, tc{0, z, tv, 0, true, false}, tc{nz, z, tv, 0, true, false})
		}
		// An infinite t: dy·(-t), ±Inf or the NaN of 0·∞.
		for _, dy := range dys {
			cases = append(cases, want(dy, z, inf, dy*-inf), want(dy, z, -inf, dy*inf))
		}
	}
	// of64 converts a value beyond float32's range, for float64 only.
	of64 := func(v float64) F { return F(v) }
	// An infinite dy where σ(z) - t is tiny, or 0: z = ±0 with t = 1/2.
	tiny := F(float32(1e-30))
	if is64[F]() {
		tiny = of64(1e-300)
	}
	tol := 0x1p-27
	if is64[F]() {
		tol = 0x1p-55
	}
	// (These z are within ±32, where σ(z) is computed to 2^-27.)
	near := func(z, tv F) bool {
		hi, _ := accuracy.BCEWithLogitsBackwardExact64(1, float64(z), float64(tv))
		return math.Abs(hi) <= tol*math.Abs(float64(tv))
	}
	for _, c := range [][3]F{{tiny, 0.5, 1}, {-tiny, 0.5, -1}, {minSub, 0.5, 1}, {-minSub, 0.5, -1}, {1e-7, 0.5, 1}} {
		n := near(c[0], c[1])
		cases = append(cases, tc{inf, c[0], c[1], c[2] * inf, false, n}, tc{-inf, c[0], c[1], -c[2] * inf, false, n})
	}
	for _, z := range []F{0, nz} {
		cases = append(cases, tc{inf, z, 0.5, canonNaN[F](), false, false}, tc{-inf, z, 0.5, canonNaN[F](), false, false},
			tc{0, z, 0.5, 0, true, false}, tc{3, z, 0.5, 0, true, false})
	}
	// t = σ(z) rounded: σ(z) - t is about 2^-25 (2^-54) of σ(z), of
	// either sign; and pairs where it is about 2^-29 (2^-60) of σ(z)
	// (found by TestBCEWithLogitsBackward's random inputs).
	zn := []F{0.1, -0.7, 2.5, -6, 13, -20}
	ts := make([]F, len(zn))
	for i, z := range zn {
		ts[i] = F(1 / (1 + math.Exp(-float64(z))))
	}
	if is64[F]() {
		zn, ts = append(zn, fromBits[F](0xc01be22e120ec248)), append(ts, fromBits[F](0x3f4ebc118e6b19a6))
	} else {
		zn, ts = append(zn, fromBits[F](0xc00e297a)), append(ts, fromBits[F](0x3dc86886))
	}
	for i, z := range zn {
		tv := ts[i]
		hi, _ := accuracy.BCEWithLogitsBackwardExact64(1, float64(z), float64(tv))
		if hi == 0 || hi != hi {
			t.Fatalf("σ(%v) - %v = %v: no sign", z, tv, hi)
		}
		s, n := F(math.Copysign(1, hi)), near(z, tv)
		cases = append(cases, tc{inf, z, tv, inf * s, false, n}, tc{-inf, z, tv, -inf * s, false, n})
	}
	// The NaN rule: dy's NaN first, then z's, then t's.
	others := []F{0, nz, 1, -2.5, 0.5, inf, -inf, maxF, minSub}
	for _, a := range others {
		for _, b := range others {
			cases = append(cases, tc{nanDy, a, b, quiet(nanDy), false, false}, tc{nanDy, nanZ, b, quiet(nanDy), false, false},
				tc{nanDy, a, nanT, quiet(nanDy), false, false}, tc{nanDy, nanZ, nanT, quiet(nanDy), false, false},
				tc{a, nanZ, b, quiet(nanZ), false, false}, tc{a, nanZ, nanT, quiet(nanZ), false, false},
				tc{a, b, nanT, quiet(nanT), false, false})
		}
	}
	dyv, zv, tvv := make([]F, len(cases)), make([]F, len(cases)), make([]F, len(cases))
	for i, c := range cases {
		dyv[i], zv[i], tvv[i] = c.dy, c.z, c.t
	}
	rev := func(s []F) []F {
		r := make([]F, len(s))
		for i, v := range s {
			r[len(s)-1-i] = v
		}
		return r
	}
	// Results at their own scale, subnormal results, and t outside [0, 1]
	// within the range: checked against the bound, and nonzero.
	bigT := F(float32(1e30))
	if is64[F]() {
		bigT = of64(1e300)
	}
	ownZ, ownDy := F(150), F(float32(1e38))
	if is64[F]() {
		ownZ, ownDy = 1400, of64(1e308)
	}
	own := [][3]F{{ownDy, ownZ, 1}, {-ownDy, ownZ, 1}, {ownDy, -ownZ, 0}, {ownDy, -ownZ, nz}, {ownDy, ownZ + 40, 1}, {ownDy, -ownZ - 40, 0},
		{1, 100, 1}, {1, -100, 0}, {-3, -95, 0}, {2, 90, 1}, {minSub * 8, 1, 0}, {-minSub * 1000, -3, 1}, {minNorm, 5, 1},
		{1, 0.5, 2}, {-3, 1, 1.5}, {1e30, -1, -1e7}, {2, 40, 1e30}, {1e-20, 150, -3}, {1e10, -150, 1e-10}}
	if is64[F]() {
		own = append(own, [][3]F{{1, 740, 1}, {1, -740, 0}, {-1, -745, 0}, {bigT, -1000, 0}, {bigT, 1000, 1}}...)
	}
	// t outside [0, 1] at z = ±0 (σ = 1/2: the formula's value is exact)
	// and beyond the range: an infinity.
	exact := [][4]F{{1, 0, 2, -1.5}, {2, nz, -1, 3}, {-4, 0, 3, 10}, {0.5, 0, 1.25, -0.375}, {1, 0, -0.5, 1}}
	overflow := [][4]F{{maxF, 1, -1e30, inf}, {bigT, -1, bigT, -inf}, {-maxF, 5, -3, -inf}, {maxF, 0, -2, inf},
		{-bigT, 100, bigT, inf}, {bigT, -100, bigT, -inf}, {maxF, -1, 1.5, -inf}}
	for _, f := range bceGradFuncs[F]() {
		t.Run(f.name, func(t *testing.T) {
			rep := &reporter{t: t}
			n := len(cases)
			all, allRev := make([]F, n), make([]F, n)
			f.f(all, dyv, zv, tvv)
			f.f(allRev, rev(dyv), rev(zv), rev(tvv))
			onDy, onZ, onT := append([]F(nil), dyv...), append([]F(nil), zv...), append([]F(nil), tvv...)
			f.f(onDy, onDy, zv, tvv)
			f.f(onZ, dyv, onZ, tvv)
			f.f(onT, dyv, zv, onT)
			one := make([]F, 1)
			for i, c := range cases {
				f.f(one, []F{c.dy}, []F{c.z}, []F{c.t})
				var bad []string
				var got F
				for _, r := range []struct {
					what string
					got  F
				}{{"in one call", all[i]}, {"in reverse", allRev[n-1-i]}, {"alone", one[0]}, {"in place on dy", onDy[i]}, {"in place on z", onZ[i]}, {"in place on t", onT[i]}} {
					if !sameBits(r.got, c.want) && !(c.anyZero && r.got == 0) && !(c.anyInf && (r.got != r.got || math.IsInf(float64(r.got), 0))) {
						bad, got = append(bad, r.what), r.got
					}
				}
				if len(bad) > 0 && !rep.fail("%v: BCEWithLogitsBackward(dy=%s, z=%s, t=%s) = %s, want %s", bad, hex(c.dy), hex(c.z), hex(c.t), hex(got), hex(c.want)) {
					break // and on to the checks below
				}
			}
			// The documented example: z = 150, t = 1, dy = 1e38 gives
			// about -7.2e-28 in float32, though σ(-150) is below the range.
			f.f(one, []F{F(float32(1e38))}, []F{150}, []F{1})
			if u, why := bceGradCheck(F(float32(1e38)), 150, 1, one[0]); why != "" {
				t.Errorf("BCEWithLogitsBackward(1e38, 150, 1): %s", why)
			} else if !is64[F]() && sprintf("%.1e", one[0]) != "-7.2e-28" {
				t.Errorf("BCEWithLogitsBackward(1e38, 150, 1) = %v (%s), documented about -7.2e-28 (%.4f ULP)", one[0], hex(one[0]), u)
			} else {
				t.Logf("BCEWithLogitsBackward(1e38, 150, 1) = %v (%s), %.4f ULP", one[0], hex(one[0]), u)
			}
			for _, c := range own {
				f.f(one, []F{c[0]}, []F{c[1]}, []F{c[2]})
				if e, why := bceGradCheck(c[0], c[1], c[2], one[0]); why != "" || one[0] == 0 || math.IsInf(float64(one[0]), 0) {
					t.Errorf("BCEWithLogitsBackward(dy=%v, z=%v, t=%v) = %v (%s), %.4f ULP: %s", c[0], c[1], c[2], one[0], hex(one[0]), e, why)
				} else if (c[2] < 0 || c[2] > 1) && e > 2 {
					// Outside [0, 1] no bound is documented, but the same
					// formula holds: here within the 2 ULP of other t.
					t.Errorf("BCEWithLogitsBackward(dy=%v, z=%v, t=%v) = %v (%s): %.4f ULP from the formula's value, beyond 2", c[0], c[1], c[2], one[0], hex(one[0]), e)
				}
				if tv := c[2]; (tv == 0 || tv == 1) && math.Abs(float64(one[0])) < l.minNormal {
					t.Logf("BCEWithLogitsBackward(dy=%v, z=%v, t=%v) = %v (%s): subnormal", c[0], c[1], c[2], one[0], hex(one[0]))
				}
			}
			for _, c := range append(exact, overflow...) {
				f.f(one, []F{c[0]}, []F{c[1]}, []F{c[2]})
				if !sameBits(one[0], c[3]) {
					t.Errorf("BCEWithLogitsBackward(dy=%v, z=%v, t=%v) = %v (%s), want %v (%s)", c[0], c[1], c[2], one[0], hex(one[0]), c[3], hex(c[3]))
				}
				if _, why := bceGradCheck(c[0], c[1], c[2], one[0]); why != "" {
					t.Errorf("BCEWithLogitsBackward(dy=%v, z=%v, t=%v): %s", c[0], c[1], c[2], why)
				}
			}
		})
	}
}

// TestBCEWithLogitsBackwardExhaustive checks BCEWithLogitsBackward on all
// 2^32 float32 z, each with its own dy from hashedUp and t from
// hashedTarget (hashes of z's bits: dy of every scale, ordinary, any,
// huge and tiny; t 0 for a quarter, 1 for a quarter, the rest in [0, 1],
// uniform, tiny and just below 1), on the first kernel of
// kernels.Kernels() (the best this CPU runs) against the references of
// package accuracy with the bound of bceGradBound, the largest error of
// each class reported, and the other SIMD kernels' bits against its on
// every z, as BCEWithLogitsAndBackward's on every SIMD kernel (the loss
// against BCEWithLogits's). TestSameBitsSweep compares the generic
// kernel's with theirs on 2^24 z a run, 2^27 in the exhaustive run. It
// runs only with SIGMOID_EXHAUSTIVE=1 or -exhaustive.
func TestBCEWithLogitsBackwardExhaustive(t *testing.T) {
	if !exhaustiveRun() {
		t.Skip("set SIGMOID_EXHAUSTIVE=1 or pass -exhaustive to check all 2^32 z")
	}
	ks := kernels.Kernels()
	if len(ks) > 1 {
		ks = ks[:len(ks)-1] // the SIMD kernels
	}
	start := time.Now()
	total := sweepBCEGrad(ks, 0, 1<<32)
	t.Logf("%s: all 2^32 z in %v (%d inputs checked, %d other kernels compared bit for bit)",
		ks[0].Name(), time.Since(start).Round(time.Second), total.inputs, len(ks)-1)
	if total.inputs != 1<<32 {
		t.Errorf("checked %d inputs, want 2^32", total.inputs)
	}
	total.log(t, ks[0].Name())
}

// bceGradDy is the dy of the exhaustive tests for the swept value of bits
// v: hashedUp of a hash apart from hashedTarget's.
func bceGradDy[F float](v uint64) F { return hashedUp[F](v ^ 0xbcedd1) }

// sweepBCEGrad is TestBCEWithLogitsBackwardExhaustive on the z with bit
// patterns in [from, to), a multiple of its chunks apart, on GOMAXPROCS
// goroutines. Every result of ks[0] is checked, and the largest error of
// each class kept (the classes' inputs are not counted); every other
// kernel's are compared with them bit for bit. (The generic kernel takes
// some 80 ns an element on these inputs: TestSameBitsSweep compares it
// with the others on 2^24 inputs a run, 2^27 in the exhaustive run.)
func sweepBCEGrad(ks []kernels.Kernel, from, to uint64) *bceGradTally[float32] {
	const chunk = 1 << 16
	var total bceGradTally[float32]
	inParallel((to-from+chunk-1)/chunk, func() (func(j uint64), func()) {
		dy, z, tv, dz, other := make([]float32, chunk), make([]float32, chunk), make([]float32, chunk), make([]float32, chunk), make([]float32, chunk)
		loss, lossRef := make([]float32, chunk), make([]float32, chunk)
		var mine bceGradTally[float32]
		return func(j uint64) {
			c := from + j*chunk
			for i := range z {
				b := c + uint64(i)
				z[i] = math.Float32frombits(uint32(b))
				dy[i] = bceGradDy[float32](b)
				tv[i] = hashedTarget[float32](b)
			}
			ks[0].BCEWithLogitsBackward(dz, dy, z, tv)
			for _, k := range ks[1:] {
				k.BCEWithLogitsBackward(other, dy, z, tv)
				for i := range other {
					if !sameBits(other[i], dz[i]) {
						mine.fail(sprintf("%s: dy=%s z=%s t=%s gave %s, %s %s", k.Name(), hex(dy[i]), hex(z[i]), hex(tv[i]), hex(other[i]), ks[0].Name(), hex(dz[i])))
					}
				}
			}
			// BCEWithLogitsAndBackward: BCEWithLogits's and
			// BCEWithLogitsBackward's bits on every kernel.
			ks[0].BCEWithLogits(lossRef, z, tv)
			for _, k := range ks {
				k.BCEWithLogitsAndBackward(loss, other, dy, z, tv)
				for i := range other {
					if !sameBits(other[i], dz[i]) || !sameBits(loss[i], lossRef[i]) {
						mine.fail(sprintf("%s: BCEWithLogitsAndBackward, dy=%s z=%s t=%s gave %s and %s, want %s and %s", k.Name(), hex(dy[i]), hex(z[i]), hex(tv[i]), hex(loss[i]), hex(other[i]), hex(lossRef[i]), hex(dz[i])))
					}
				}
			}
			for i, zi := range z {
				// The bound and the class by table, without a branch
				// on t (random: it would mispredict); the class is that
				// of bceGradClass but for the exact rules' inputs,
				// whose error is 0 where they hold.
				ends, tiny := 0, 0
				if tv[i]*(1-tv[i]) == 0 {
					ends = 1
				}
				if math.Abs(float64(dz[i])) < 0x1p-126 {
					tiny = 1
				}
				c := [4]int{bceGradInner, bceGradInner, bceGradEnds, bceGradEndsTiny}[2*ends+tiny]
				u, why := accuracy.CheckBCEWithLogitsBackward(dy[i], zi, tv[i], dz[i], [2]float64{2, 1.5}[ends], [2]float64{0x1p-24, 0}[ends])
				if u > mine.worst[c] || why != "" {
					mine.record(bceGradClass(dy[i], zi, tv[i], dz[i]), dy[i], zi, tv[i], u, why)
				}
			}
			mine.inputs += chunk
		}, func() { total.merge(&mine) }
	})
	return &total
}

// TestBCEWithLogitsBackwardExhaustive64 checks the generic kernel's
// BCEWithLogitsBackward64 on 10^8 z, in blocks of 10^6: half from
// accuracy.Inputs64, an eighth over [-40, 40], an eighth over [-4, 4], an
// eighth over [-800, -32] and [32, 800] (the scaled and subnormal results
// of t = 0 and t = 1) and an eighth beyond 32 (±[32, 1500] and every
// binade above), each with a dy from hashedUp and a t from hashedTarget
// (hashes of z's bits), against the double-double reference with the
// bound of bceGradBound. TestSameBitsSweep checks the other kernels'
// bits. It runs only with SIGMOID_EXHAUSTIVE=1 or -exhaustive.
func TestBCEWithLogitsBackwardExhaustive64(t *testing.T) {
	if !exhaustiveRun() {
		t.Skip("set SIGMOID_EXHAUSTIVE=1 or pass -exhaustive to check 10^8 float64 inputs")
	}
	const block = 1_000_000
	f := genericOnly(bceGradFuncs[float64]())[0]
	start := time.Now()
	var total bceGradTally[float64]
	inParallel((exhaustive64Inputs+block-1)/block, func() (func(j uint64), func()) {
		dy, z, tv, dz := make([]float64, block), make([]float64, block), make([]float64, block), make([]float64, block)
		var mine bceGradTally[float64]
		return func(j uint64) {
			b := int(j)
			r := rand.New(rand.NewPCG(uint64(b), 0xbcedd64))
			switch b % 8 {
			case 0, 1, 2, 3:
				copy(z, accuracy.Inputs64(block, 900+uint64(b)))
			case 4:
				for i := range z {
					z[i] = -40 + 80*r.Float64()
				}
			case 5:
				for i := range z {
					z[i] = -4 + 8*r.Float64()
				}
			case 6:
				for i := range z {
					z[i] = float64(1-2*r.IntN(2)) * (32 + 768*r.Float64())
				}
			default:
				for i := range z {
					z[i] = beyond32(r, i)
				}
			}
			for i, v := range z {
				bits := math.Float64bits(v)
				dy[i], tv[i] = bceGradDy[float64](bits), hashedTarget[float64](bits)
			}
			f.f(dz, dy, z, tv)
			for i, v := range z {
				u, why := bceGradCheck(dy[i], v, tv[i], dz[i])
				mine.add(dy[i], v, tv[i], dz[i], u, why)
			}
		}, func() { total.merge(&mine) }
	})
	t.Logf("%s BCEWithLogitsBackward64: %d inputs in %v", f.name, total.inputs, time.Since(start).Round(time.Second))
	if total.inputs != exhaustive64Inputs {
		t.Errorf("checked %d inputs, want %d", total.inputs, exhaustive64Inputs)
	}
	total.log(t, f.name)
}

// TestBCEWithLogitsAndBackward checks BCEWithLogitsAndBackward of every
// kernel and the package-level functions, both element types, on
// bceGradInputs (2^20 float32, 2^19 float64 triples; a sixteenth when
// slow()), t outside [0, 1], NaNs and infinities included: loss must be
// the generic kernel's BCEWithLogits bit for bit and dz its
// BCEWithLogitsBackward, out of place and with each output in place on
// each input (both outputs on two different inputs included).
func TestBCEWithLogitsAndBackward(t *testing.T) {
	t.Run("BCEWithLogitsAndBackward", testBCEWithLogitsAndBackward[float32])
	t.Run("BCEWithLogitsAndBackward64", testBCEWithLogitsAndBackward[float64])
}

func testBCEWithLogitsAndBackward[F float](t *testing.T) {
	n := 1 << 20
	if is64[F]() {
		n = 1 << 19
	}
	if slow() {
		n >>= 4
	}
	dys, zs, ts := bceGradInputs[F](n, 7)
	ks := kernels.Kernels()
	generic := ks[len(ks)-1]
	wantLoss, wantDz := make([]F, n), make([]F, n)
	both := func(k kernels.Kernel) func(loss, dz, dy, z, t []F) {
		var f any = k.BCEWithLogitsAndBackward
		if is64[F]() {
			f = k.BCEWithLogitsAndBackward64
		}
		return f.(func(loss, dz, dy, z, t []F))
	}
	if is64[F]() {
		generic.BCEWithLogits64(any(wantLoss).([]float64), any(zs).([]float64), any(ts).([]float64))
		generic.BCEWithLogitsBackward64(any(wantDz).([]float64), any(dys).([]float64), any(zs).([]float64), any(ts).([]float64))
	} else {
		generic.BCEWithLogits(any(wantLoss).([]float32), any(zs).([]float32), any(ts).([]float32))
		generic.BCEWithLogitsBackward(any(wantDz).([]float32), any(dys).([]float32), any(zs).([]float32), any(ts).([]float32))
	}
	var f any = kernels.BCEWithLogitsAndBackward
	if is64[F]() {
		f = kernels.BCEWithLogitsAndBackward64
	}
	fs := []struct {
		name string
		f    func(loss, dz, dy, z, t []F)
	}{{"package", f.(func(loss, dz, dy, z, t []F))}}
	for _, k := range ks {
		fs = append(fs, struct {
			name string
			f    func(loss, dz, dy, z, t []F)
		}{k.Name(), both(k)})
	}
	in := [3][]F{dys, zs, ts}
	for _, f := range fs {
		t.Run(f.name, func(t *testing.T) {
			rep := &reporter{t: t}
			// loss and dz each on none (-1) or one of the inputs, never
			// both on the same one.
			for onL := -1; onL < 3; onL++ {
				for onD := -1; onD < 3; onD++ {
					if onL >= 0 && onL == onD {
						continue
					}
					var args [3][]F
					for j := range args {
						args[j] = slices.Clone(in[j])
					}
					loss, dz := make([]F, n), make([]F, n)
					if onL >= 0 {
						loss = args[onL]
					}
					if onD >= 0 {
						dz = args[onD]
					}
					f.f(loss, dz, args[0], args[1], args[2])
					for i := range n {
						if !sameBits(loss[i], wantLoss[i]) || !sameBits(dz[i], wantDz[i]) {
							if !rep.fail("loss on input %d, dz on input %d: element %d: dy=%s z=%s t=%s gave %s and %s, BCEWithLogits and BCEWithLogitsBackward %s and %s",
								onL, onD, i, hex(dys[i]), hex(zs[i]), hex(ts[i]), hex(loss[i]), hex(dz[i]), hex(wantLoss[i]), hex(wantDz[i])) {
								return
							}
						}
					}
				}
			}
		})
	}
}
