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

// The BCEWithLogits tests: loss = log(1+exp(z)) - t·z within 1 ULP of the
// exact value for t = 0 and t = 1, where it is Softplus(z) and
// Softplus(-z) bit for bit, and wherever |z| ≤ 32, within 2 ULP for other
// t in [0, 1] (subnormal results computed), the limits at z = ±Inf and the
// NaN rule exact; for t outside [0, 1] only the NaN rule and the same bits
// on every kernel.

// bceFunc is BCEWithLogits and Softplus of one kernel, or the
// package-level ones, of element type F.
type bceFunc[F float] struct {
	name     string
	bce      func(loss, z, t []F)
	softplus func(dst, src []F)
}

// bceFuncs are the package-level functions, then every kernel's, the
// generic kernel last (genericOnly picks it).
func bceFuncs[F float]() []bceFunc[F] {
	pick := func(name string, b32 func(loss, z, t []float32), s32 func(dst, src []float32), b64 func(loss, z, t []float64), s64 func(dst, src []float64)) bceFunc[F] {
		var b, s any = b32, s32
		if is64[F]() {
			b, s = b64, s64
		}
		return bceFunc[F]{name, b.(func(loss, z, t []F)), s.(func(dst, src []F))}
	}
	fs := []bceFunc[F]{pick("package", kernels.BCEWithLogits, kernels.Softplus, kernels.BCEWithLogits64, kernels.Softplus64)}
	for _, k := range kernels.Kernels() {
		fs = append(fs, pick(k.Name(), k.BCEWithLogits, k.Softplus, k.BCEWithLogits64, k.Softplus64))
	}
	return fs
}

// bceBound is the documented bound for z and t in [0, 1]: 1 ULP for t = 0
// and t = 1 and wherever |z| ≤ 32, 2 ULP elsewhere.
func bceBound(z, t float64) float64 {
	if t == 0 || t == 1 || math.Abs(z) <= 32 {
		return 1
	}
	return 2
}

// bceCheck is the error in ULPs of got, a BCEWithLogits result for z and
// t, and what is wrong with it ("" if nothing), under the rules of
// accuracy.CheckBCEWithLogits with the bound of bceBound.
func bceCheck[F float](z, t, got F) (float64, string) {
	bound := bceBound(float64(z), float64(t))
	if is64[F]() {
		return accuracy.CheckBCEWithLogits64(float64(z), float64(t), float64(got), bound)
	}
	return accuracy.CheckBCEWithLogits(float32(z), float32(t), float32(got), bound)
}

// The classes of inputs the BCEWithLogits tests report on: the bound of
// each is bceBound's (none for the last two, which the exact rules and
// the NaN rule cover).
const (
	bceEnds      = iota // t = 0 or t = 1 (-0 included), finite z
	bceInner            // t in (0, 1), |z| ≤ 32
	bceOuter            // t in (0, 1), |z| > 32, finite
	bceOutside          // finite t outside [0, 1], finite z
	bceNonFinite        // a NaN or an infinity in z or t
	bceClasses
)

var bceClassNames = [bceClasses]string{"t = 0 or 1", "t in (0, 1), |z| <= 32", "t in (0, 1), |z| > 32", "t outside [0, 1] (no bound)", "NaN or Inf in z or t"}

// bceClass is the class of z and t.
func bceClass(z, t float64) int {
	switch {
	case z-z != 0 || t-t != 0:
		return bceNonFinite
	case !(t >= 0 && t <= 1):
		return bceOutside
	case t == 0 || t == 1:
		return bceEnds
	case math.Abs(z) <= 32:
		return bceInner
	}
	return bceOuter
}

// bceTally is the largest error of each class, the input giving it, and
// the number of inputs, of failures and the first one's description.
type bceTally struct {
	n      [bceClasses]int
	worst  [bceClasses]float64
	at     [bceClasses][2]float64
	bad    int
	first  string
	inputs int64
}

// add counts an input of error u (+Inf for a broken exact rule) and what
// is wrong with its result.
func (s *bceTally) add(z, t, u float64, why string) {
	c := bceClass(z, t)
	s.inputs++
	s.n[c]++
	if why != "" {
		s.fail(why)
	}
	if u > s.worst[c] && !math.IsInf(u, 0) {
		s.worst[c], s.at[c] = u, [2]float64{z, t}
	}
}

// fail counts a failure.
func (s *bceTally) fail(why string) {
	if s.bad++; s.first == "" {
		s.first = why
	}
}

// merge adds o's counts and records to s's.
func (s *bceTally) merge(o *bceTally) {
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

// log reports the largest error of each class, and fails the test on a
// failure. Without counts (an exhaustive sweep's tally), the classes
// without inputs are left out.
func (s *bceTally) log(t *testing.T, what string) {
	t.Helper()
	counted := s.n != [bceClasses]int{}
	for c, name := range bceClassNames {
		switch {
		case !counted && (c == bceOutside || c == bceNonFinite):
		case !counted:
			t.Logf("%s: %s: max %.4f ULP at z, t = %v (errors above 0.5 ULP only)", what, name, s.worst[c], s.at[c])
		case c == bceNonFinite:
			t.Logf("%s: %s: %d inputs, exact rules", what, name, s.n[c])
		default:
			t.Logf("%s: %s: %d inputs, max %.4f ULP at z, t = %v", what, name, s.n[c], s.worst[c], s.at[c])
		}
	}
	if s.bad != 0 {
		t.Errorf("%s: %d violations, first: %s", what, s.bad, s.first)
	}
}

// bceTallyOf checks check(i) for i below n on GOMAXPROCS goroutines, each
// result in the class of z[i] and t[i].
func bceTallyOf[F float](n int, z, t []F, check func(i int) (float64, string)) *bceTally {
	var mu sync.Mutex
	var wg sync.WaitGroup
	total := &bceTally{}
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Go(func() {
			var mine bceTally
			for i := w; i < n; i += workers {
				u, why := check(i)
				mine.add(float64(z[i]), float64(t[i]), u, why)
			}
			mu.Lock()
			total.merge(&mine)
			mu.Unlock()
		})
	}
	wg.Wait()
	return total
}

// bceInputs returns n logits z and n targets t. z: the specials, random
// bit patterns, the fast range [-32, 32] and [-8, 8], beyond 32 up to
// where e^-|z| leaves the range (120 for float32, 800 for float64), the
// subnormal-result ranges of either sign, every binade, tiny values and
// [-40, 40]. t: one in four 0 (-0 among them), one in eight 1, then tiny
// (down to the subnormals), just below 1, uniform in [0, 1) and, one in
// sixteen, outside [0, 1] (infinities and NaNs with payloads included).
func bceInputs[F float](n int, seed uint64) (z, t []F) {
	r := rand.New(rand.NewPCG(seed, 0xbce))
	l := limitsOf[F]()
	maxExp, minExp, beyond, subLo, subHi := 127, -149, 120.0, -106.0, -86.0
	specialZ := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), 32, -32, 1, -1, -30, 30,
		-87.34, -103.28, -103.97, -104, 87.34, 103.97, 104, 120, -120, l.max, -l.max, l.minSubnormal, -l.minSubnormal}
	if is64[F]() {
		maxExp, minExp, beyond, subLo, subHi = 1023, -1074, 800, -750, -700
		specialZ = append(specialZ, -708.4, -744.44, -745.13, -746, 708.4, 745.13, 746, 640, -640, 671.66, -671.66, 1490, -1490)
	}
	specialT := []float64{-1, 2, 1.5, -0.5, 1 + 2*l.halfEps, -l.minSubnormal, 10, -1e10, 1e30, math.Inf(1), math.Inf(-1), math.NaN()}
	sign := func() float64 { return float64(1 - 2*r.IntN(2)) }
	z, t = make([]F, n), make([]F, n)
	for i := range n {
		var v float64
		switch r.IntN(10) {
		case 0:
			v = specialZ[r.IntN(len(specialZ))]
			if r.IntN(2) == 0 {
				v = math.Nextafter(v, math.Inf(r.IntN(2)*2-1))
			}
		case 1: // any bit pattern, signalling NaNs too (not through float64)
			v = math.NaN()
		case 2:
			v = -32 + 64*r.Float64()
		case 3:
			v = -8 + 16*r.Float64()
		case 4:
			v = sign() * (32 + (beyond-32)*r.Float64())
		case 5:
			v = sign() * (subLo + (subHi-subLo)*r.Float64())
		case 6:
			v = sign() * math.Ldexp(1+r.Float64(), r.IntN(maxExp+1))
		case 7:
			v = sign() * math.Ldexp(r.Float64(), -r.IntN(-minExp))
		default:
			v = -40 + 80*r.Float64()
		}
		z[i] = F(v)
		if v != v {
			z[i] = fromBits[F](r.Uint64() & (uint64(1)<<(8*size[F]()) - 1))
		}
		switch r.IntN(16) {
		case 0, 1, 2, 3:
			t[i] = 0
			if r.IntN(8) == 0 {
				t[i] = F(math.Copysign(0, -1))
			}
		case 4, 5:
			t[i] = 1
		case 6, 7:
			t[i] = F(math.Ldexp(1+r.Float64(), -1-r.IntN(-minExp)))
		case 8:
			t[i] = F(1 - math.Ldexp(r.Float64(), -r.IntN(60)))
		case 9:
			t[i] = F(specialT[r.IntN(len(specialT))])
			if t[i] != t[i] { // a NaN with a payload, either sign
				t[i] = fromBits[F](bitsOf(F(math.Inf(int(sign())))) | quietBit[F]()>>uint(r.IntN(3)) | uint64(r.IntN(256)))
			}
		default:
			t[i] = F(r.Float64())
		}
	}
	return z, t
}

// TestBCEWithLogits checks BCEWithLogits of every kernel and the
// package-level functions, both element types, on bceInputs (2^22
// float32, 2^21 float64 pairs; 2^18 and 2^17 when slow()): the generic
// kernel's results against the references of package accuracy, with the
// bound of bceBound, the largest error of each class reported; every
// kernel's bits against the generic kernel's, out of place and in place
// on z and on t.
func TestBCEWithLogits(t *testing.T) {
	t.Run("BCEWithLogits", testBCEWithLogits[float32])
	t.Run("BCEWithLogits64", testBCEWithLogits[float64])
}

func testBCEWithLogits[F float](t *testing.T) {
	n := 1 << 22
	if is64[F]() {
		n = 1 << 21
	}
	if slow() {
		n >>= 4
	}
	zs, ts := bceInputs[F](n, 1)
	fs := bceFuncs[F]()
	generic := genericOnly(fs)[0]
	want := make([]F, n)
	generic.bce(want, zs, ts)
	st := bceTallyOf(n, zs, ts, func(i int) (float64, string) { return bceCheck(zs[i], ts[i], want[i]) })
	st.log(t, generic.name)
	if st.bad != 0 {
		t.FailNow()
	}
	for _, f := range fs {
		t.Run(f.name, func(t *testing.T) {
			rep := &reporter{t: t}
			loss := make([]F, n)
			f.bce(loss, zs, ts)
			onZ := append([]F(nil), zs...)
			f.bce(onZ, onZ, ts)
			onT := append([]F(nil), ts...)
			f.bce(onT, zs, onT)
			for i := range zs {
				for _, c := range []struct {
					what string
					got  F
				}{{"out of place", loss[i]}, {"in place on z", onZ[i]}, {"in place on t", onT[i]}} {
					if sameBits(c.got, want[i]) {
						continue
					}
					_, w := bceCheck(zs[i], ts[i], c.got)
					if w == "" {
						w = "correct, but not the generic kernel's bits"
					}
					if !rep.fail("%s: element %d: z=%s t=%s gave %s, %s %s: %s", c.what, i, hex(zs[i]), hex(ts[i]), hex(c.got), generic.name, hex(want[i]), w) {
						return
					}
				}
			}
		})
	}
}

// TestBCEWithLogitsSpecials checks the documented values on every kernel
// and the package-level functions, both element types: z = +Inf gives
// +Inf where 1 - t > 0, +0 where t = 1 and -Inf where 1 - t < 0; z = -Inf
// gives +Inf, +0 or -Inf as t is positive, zero or negative; a NaN z gives
// that NaN quieted, else a NaN t its NaN quieted; for finite z an infinite
// t, or a t·z beyond the range, gives the negative quiet NaN without
// payload. Each case runs alone, and all of them in one call, in both
// orders. Then the example of the documentation (z = -30, t = 0:
// 9.357623e-14 in float32), and BCEWithLogits(z, 0) = Softplus(z) and
// BCEWithLogits(z, 1) = Softplus(-z) bit for bit on 2^20 z (2^16 when
// slow()), t = -0 too.
func TestBCEWithLogitsSpecials(t *testing.T) {
	t.Run("BCEWithLogits", testBCEWithLogitsSpecials[float32])
	t.Run("BCEWithLogits64", testBCEWithLogitsSpecials[float64])
}

func testBCEWithLogitsSpecials[F float](t *testing.T) {
	l := limitsOf[F]()
	inf := F(math.Inf(1))
	nz := F(math.Copysign(0, -1))
	below1 := F(1 - l.halfEps)   // the largest float below 1
	above1 := F(1 + 2*l.halfEps) // the smallest above
	// A signalling NaN with payload 5, and a negative quiet one with a
	// payload.
	nan := fromBits[F](bitsOf(inf) | 5)
	negNaN := fromBits[F](bitsOf(-inf) | quietBit[F]() | 0x123)
	quiet := func(v F) F { return fromBits[F](quietOf(v)) }
	minSub, maxF := F(l.minSubnormal), F(l.max)
	type tc struct{ z, t, want F }
	var cases []tc
	for _, tv := range []F{0, nz, 0.5, minSub, below1, -1, -inf, -minSub} {
		cases = append(cases, tc{inf, tv, inf})
	}
	cases = append(cases, tc{inf, 1, 0})
	for _, tv := range []F{2, above1, inf, 1e30} {
		cases = append(cases, tc{inf, tv, -inf})
	}
	for _, tv := range []F{1, 0.5, minSub, below1, 2, inf} {
		cases = append(cases, tc{-inf, tv, inf})
	}
	cases = append(cases, tc{-inf, 0, 0}, tc{-inf, nz, 0})
	for _, tv := range []F{-1, -minSub, -inf} {
		cases = append(cases, tc{-inf, tv, -inf})
	}
	// The NaN rule: z's NaN first, then t's.
	for _, d := range []F{nan, negNaN} {
		for _, tv := range []F{0, 1, 0.5, -1, 2, inf, -inf, nan, negNaN} {
			cases = append(cases, tc{d, tv, quiet(d)})
		}
		for _, zv := range []F{0, nz, 1, -30, 1000, -1000, inf, -inf, maxF, minSub} {
			cases = append(cases, tc{zv, d, quiet(d)})
		}
	}
	// The NaN the arithmetic makes: an infinite t at a finite z, and t·z
	// beyond the range.
	for _, zv := range []F{0, nz, 1, -1e-30, 1000, -1000, maxF, minSub} {
		cases = append(cases, tc{zv, inf, canonNaN[F]()}, tc{zv, -inf, canonNaN[F]()})
	}
	huge := F(3e38)
	if is64[F]() {
		huge = F(math.Float64frombits(0x7fe1ccf385ebc8a0)) // 1e308
	}
	cases = append(cases, tc{huge, 2, canonNaN[F]()}, tc{-huge, 1.9, canonNaN[F]()}, tc{maxF, -1.5, canonNaN[F]()},
		tc{huge, -1e30, canonNaN[F]()}, tc{-maxF, above1, canonNaN[F]()})
	zs, tv := make([]F, len(cases)), make([]F, len(cases))
	for i, c := range cases {
		zs[i], tv[i] = c.z, c.t
	}
	rev := func(s []F) []F {
		r := make([]F, len(s))
		for i, v := range s {
			r[len(s)-1-i] = v
		}
		return r
	}
	n := 1 << 20
	if slow() {
		n = 1 << 16
	}
	xs := softplusInputs[F](n, 7)
	neg := make([]F, n)
	for i, x := range xs {
		neg[i] = -x
	}
	zeros, negZeros, ones := make([]F, n), make([]F, n), make([]F, n)
	for i := range ones {
		negZeros[i], ones[i] = nz, 1
	}
	for _, f := range bceFuncs[F]() {
		t.Run(f.name, func(t *testing.T) {
			rep := &reporter{t: t}
			all, allRev := make([]F, len(cases)), make([]F, len(cases))
			f.bce(all, zs, tv)
			f.bce(allRev, rev(zs), rev(tv))
			one := make([]F, 1)
			for i, c := range cases {
				f.bce(one, []F{c.z}, []F{c.t})
				for _, r := range []struct {
					what string
					got  F
				}{{"in one call", all[i]}, {"in reverse", allRev[len(cases)-1-i]}, {"alone", one[0]}} {
					if !sameBits(r.got, c.want) && !rep.fail("%s: BCEWithLogits(z=%s, t=%s) = %s, want %s", r.what, hex(c.z), hex(c.t), hex(r.got), hex(c.want)) {
						return
					}
				}
			}
			// The documented example: z = -30, t = 0 gives 9.357623e-14
			// in float32 (float64, which documents no figure, within 1 ULP
			// of the exact value like every result).
			f.bce(one, []F{-30}, []F{0})
			if u, why := bceCheck(F(-30), 0, one[0]); why != "" {
				t.Errorf("BCEWithLogits(-30, 0): %s", why)
			} else if !is64[F]() && !sameBits(one[0], F(float32(9.357623e-14))) {
				t.Errorf("BCEWithLogits(-30, 0) = %v (%s), documented 9.357623e-14 (%.4f ULP)", one[0], hex(one[0]), u)
			} else {
				t.Logf("BCEWithLogits(-30, 0) = %v (%s), %.4f ULP", one[0], hex(one[0]), u)
			}
			// Outside [0, 1] the terms cancel: z = 0.48, t = 2 is off by
			// 12.9 ULP (float32), as documented: between 10 and 100.
			f.bce(one, []F{F(float32(0.48))}, []F{2})
			if u, _ := bceCheck(F(float32(0.48)), 2, one[0]); !is64[F]() && (u < 10 || u >= 100) {
				t.Errorf("BCEWithLogits(0.48, 2) = %v, %.1f ULP from the exact value: documented as 12.9 ULP", one[0], u)
			} else {
				t.Logf("BCEWithLogits(0.48, 2) = %v, %.1f ULP", one[0], u)
			}
			// t = 0 and t = 1: Softplus(z) and Softplus(-z) bit for bit.
			sp, spNeg := make([]F, n), make([]F, n)
			f.softplus(sp, xs)
			f.softplus(spNeg, neg)
			b0, bNeg0, b1 := make([]F, n), make([]F, n), make([]F, n)
			f.bce(b0, xs, zeros)
			f.bce(bNeg0, xs, negZeros)
			f.bce(b1, xs, ones)
			for i, x := range xs {
				if !sameBits(b0[i], sp[i]) && !rep.fail("z=%s: BCEWithLogits(z, 0) = %s, Softplus(z) = %s", hex(x), hex(b0[i]), hex(sp[i])) {
					return
				}
				if !sameBits(bNeg0[i], sp[i]) && !rep.fail("z=%s: BCEWithLogits(z, -0) = %s, Softplus(z) = %s", hex(x), hex(bNeg0[i]), hex(sp[i])) {
					return
				}
				want := spNeg[i]
				if x != x {
					want = quiet(x) // Softplus(-z) has the NaN negated
				}
				if !sameBits(b1[i], want) && !rep.fail("z=%s: BCEWithLogits(z, 1) = %s, Softplus(-z) = %s", hex(x), hex(b1[i]), hex(want)) {
					return
				}
			}
		})
	}
}

// splitMix is SplitMix64's output function, as hashedDy uses it: a hash
// of v, the same every run.
func splitMix(v uint64) uint64 {
	v += 0x9e3779b97f4a7c15
	v = (v ^ v>>30) * 0xbf58476d1ce4e5b9
	v = (v ^ v>>27) * 0x94d049bb133111eb
	return v ^ v>>31
}

// hashedTarget is a target t in [0, 1] drawn from a hash of v, made from
// bits: one in four 0, one in four 1, one in four uniform in [0, 1), one
// in eight in any binade below 1 (the subnormals included, uniform over
// the binades) and one in eight just below 1 (1 - x, x in any binade from
// 2^-1 down to the last that 1 - x resolves, and a few more). Every kind
// is made and one picked by index, without a branch: the exhaustive sweep
// draws 2^32 of them, and branches on random bits mispredict.
func hashedTarget[F float](v uint64) F {
	h := splitMix(v)
	// A biased exponent of a value below 1 (0 for the subnormals), from
	// 16 bits of h, and a fraction from the others (from a second hash for
	// float64).
	r := h >> 40 & 0xffff
	var tiny, near F
	if is64[F]() {
		frac := splitMix(h) & (1<<52 - 1)
		tiny = fromBits[F](r*1023>>16<<52 | frac)
		near = 1 - fromBits[F]((1022-r*56>>16)<<52|frac)
	} else {
		frac := h & (1<<23 - 1)
		tiny = fromBits[F](r*127>>16<<23 | frac)
		near = 1 - fromBits[F]((126-r*27>>16)<<23|frac)
	}
	kinds := [8]F{0, 0, 1, 1, F(float64(h&(1<<53-1)) * 0x1p-53), F(float64(h&(1<<53-1)) * 0x1p-53), tiny, near}
	return kinds[h>>61]
}

// TestBCEWithLogitsExhaustive checks BCEWithLogits on all 2^32 float32
// z, each with its own target t from hashedTarget (a hash of z's bits:
// one in four 0, one in four 1, the rest in [0, 1], tiny and just below 1
// among them), on every kernel: the first one's results against the
// references of package accuracy with the bound of bceBound, the largest
// error of each class reported, the others' bits (the generic kernel's
// included) against its. It runs only with SIGMOID_EXHAUSTIVE=1 or
// -exhaustive.
func TestBCEWithLogitsExhaustive(t *testing.T) {
	if !exhaustiveRun() {
		t.Skip("set SIGMOID_EXHAUSTIVE=1 or pass -exhaustive to check all 2^32 z")
	}
	ks := kernels.Kernels()
	start := time.Now()
	total := sweepBCE(ks, 0, 1<<32)
	var names []string
	for _, k := range ks {
		names = append(names, k.Name())
	}
	t.Logf("all 2^32 z on %v in %v (%d inputs checked on %s, the others compared bit for bit)", names, time.Since(start).Round(time.Second), total.inputs, ks[0].Name())
	if total.inputs != 1<<32 {
		t.Errorf("checked %d inputs, want 2^32", total.inputs)
	}
	total.log(t, ks[0].Name())
}

// sweepBCE is TestBCEWithLogitsExhaustive on the z with bit patterns in
// [from, to), a multiple of its chunks apart, on GOMAXPROCS goroutines.
// Per input it costs what the generic kernel and the reference cost (the
// reference some 25 ns on a 2 GHz Zen, a SIMD kernel 4, the target's hash
// 9; the generic kernel added some 31 ns on a 2.6 GHz Zen 4: 105 s for
// the sweep against 38 s without it): the first kernel's every result is
// checked against the bound of 2 ULP, and only those with an
// error above 0.5 ULP (a few in a hundred) are put in their class (which
// branches on t, at random) and, where bceBound says 1, checked against
// 1. So the classes' input counts are not kept, and a class's largest
// error is only known if it is above 0.5 ULP.
func sweepBCE(ks []kernels.Kernel, from, to uint64) *bceTally {
	const chunk = 1 << 16
	var total bceTally
	inParallel((to-from+chunk-1)/chunk, func() (func(j uint64), func()) {
		z, tv, loss, other := make([]float32, chunk), make([]float32, chunk), make([]float32, chunk), make([]float32, chunk)
		var mine bceTally
		return func(j uint64) {
			c := from + j*chunk
			for i := range z {
				b := c + uint64(i)
				z[i] = math.Float32frombits(uint32(b))
				tv[i] = hashedTarget[float32](b)
			}
			ks[0].BCEWithLogits(loss, z, tv)
			for _, k := range ks[1:] {
				k.BCEWithLogits(other, z, tv)
				for i := range other {
					if !sameBits(other[i], loss[i]) {
						mine.fail(sprintf("%s: z=%s t=%s gave %s, %s %s", k.Name(), hex(z[i]), hex(tv[i]), hex(other[i]), ks[0].Name(), hex(loss[i])))
					}
				}
			}
			for i, zi := range z {
				u, why := accuracy.CheckBCEWithLogits(zi, tv[i], loss[i], 2)
				if u > 0.5 || why != "" {
					// Rare: the class, the bound of 1 where it
					// applies, the record.
					v, w := float64(zi), float64(tv[i])
					cl := bceClass(v, w)
					if u > 1-0x1p-20 && why == "" && cl != bceOuter {
						u, why = accuracy.CheckBCEWithLogits(zi, tv[i], loss[i], 1)
					}
					if why != "" {
						mine.fail(why)
					}
					if u > mine.worst[cl] && !math.IsInf(u, 0) {
						mine.worst[cl], mine.at[cl] = u, [2]float64{v, w}
					}
				}
			}
			mine.inputs += chunk
		}, func() { total.merge(&mine) }
	})
	return &total
}

// TestBCEWithLogitsExhaustive64 checks the generic kernel's
// BCEWithLogits64 on 10^8 z, in blocks of 10^6: half from
// accuracy.Inputs64, a quarter over [-40, 40], an eighth over the
// subnormal results [-746, -700] and an eighth beyond 32 (±[32, 1500]),
// each with a target from hashedTarget (a hash of z's bits), against the
// double-double reference with the bound of bceBound (some 45 s on 2
// cores of a 2 GHz Zen). TestSameBitsSweep checks the other kernels'
// bits. It runs only with SIGMOID_EXHAUSTIVE=1 or -exhaustive.
func TestBCEWithLogitsExhaustive64(t *testing.T) {
	if !exhaustiveRun() {
		t.Skip("set SIGMOID_EXHAUSTIVE=1 or pass -exhaustive to check 10^8 float64 inputs")
	}
	const block = 1_000_000
	f := genericOnly(bceFuncs[float64]())[0]
	start := time.Now()
	var total bceTally
	inParallel((exhaustive64Inputs+block-1)/block, func() (func(j uint64), func()) {
		tv, loss := make([]float64, block), make([]float64, block)
		var mine bceTally
		return func(j uint64) {
			b := int(j)
			var z []float64
			r := rand.New(rand.NewPCG(uint64(b), 0xbce64))
			switch b % 8 {
			case 0, 1, 2, 3:
				z = accuracy.Inputs64(block, 600+uint64(b))
			case 4, 5:
				z = make([]float64, block)
				for i := range z {
					z[i] = -40 + 80*r.Float64()
				}
			case 6:
				z = make([]float64, block)
				for i := range z {
					z[i] = -746 + 46*r.Float64()
				}
			default:
				z = make([]float64, block)
				for i := range z {
					z[i] = float64(1-2*r.IntN(2)) * (32 + 1468*r.Float64())
				}
			}
			for i, v := range z {
				tv[i] = hashedTarget[float64](math.Float64bits(v))
			}
			f.bce(loss, z, tv)
			for i := range z {
				u, why := bceCheck(z[i], tv[i], loss[i])
				mine.add(z[i], tv[i], u, why)
			}
		}, func() { total.merge(&mine) }
	})
	t.Logf("%s BCEWithLogits64: %d inputs in %v", f.name, total.inputs, time.Since(start).Round(time.Second))
	if total.inputs != exhaustive64Inputs {
		t.Errorf("checked %d inputs, want %d", total.inputs, exhaustive64Inputs)
	}
	total.log(t, f.name)
}
