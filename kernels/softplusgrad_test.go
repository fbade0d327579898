package kernels_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/simdsigmoid/sigmoid/internal/accuracy"
	"github.com/simdsigmoid/sigmoid/kernels"
)

// The SoftplusBackward tests: dx = dy·σ(x) within 1 ULP of the exact
// product for every finite dy and x (subnormal results computed, huge dy
// with e^x below the float range included), the special values exact, and
// LogSigmoidBackward(dy, x) = SoftplusBackward(dy, -x) bit for bit but for
// a NaN x, which it returns quieted as given.

// softplusBackwardFunc is SoftplusBackward and LogSigmoidBackward of one
// kernel, or the package-level ones, of element type F.
type softplusBackwardFunc[F float] struct {
	name                 string
	softplus, logSigmoid func(dx, dy, x []F)
}

// softplusBackwardFuncs are the package-level functions, then every
// kernel's, the generic kernel last (genericOnly picks it).
func softplusBackwardFuncs[F float]() []softplusBackwardFunc[F] {
	pick := func(name string, s32, l32 func(dx, dy, x []float32), s64, l64 func(dx, dy, x []float64)) softplusBackwardFunc[F] {
		var s, l any = s32, l32
		if is64[F]() {
			s, l = s64, l64
		}
		return softplusBackwardFunc[F]{name, s.(func(dx, dy, x []F)), l.(func(dx, dy, x []F))}
	}
	fs := []softplusBackwardFunc[F]{pick("package", kernels.SoftplusBackward, kernels.LogSigmoidBackward, kernels.SoftplusBackward64, kernels.LogSigmoidBackward64)}
	for _, k := range kernels.Kernels() {
		fs = append(fs, pick(k.Name(), k.SoftplusBackward, k.LogSigmoidBackward, k.SoftplusBackward64, k.LogSigmoidBackward64))
	}
	return fs
}

// softplusBackwardCheck is the error in ULPs of got, a SoftplusBackward
// result for dy and x, and what is wrong with it ("" if nothing), under
// the rules of accuracy.CheckSoftplusBackward with the bound of 1 ULP.
func softplusBackwardCheck[F float](dy, x, got F) (float64, string) {
	if is64[F]() {
		return accuracy.CheckSoftplusBackward64(float64(dy), float64(x), float64(got), bound)
	}
	return accuracy.CheckSoftplusBackward(float32(dy), float32(x), float32(got), bound)
}

func softplusBackwardWhy[F float](dy, x, got F) string {
	_, why := softplusBackwardCheck(dy, x, got)
	return why
}

// softplusBackwardInputs returns n gradients and n inputs x: x over
// [-40, 40] and [-8, 8], the range where e^x is subnormal or below the
// float range (down to -200 for float32, -1500 for float64) paired half
// the time with huge gradients, tiny x, random bit patterns and the
// specials; dy from subnormal to near the largest float, both signs,
// zeros, infinities and NaNs.
func softplusBackwardInputs[F float](n int, seed uint64) (dy, x []F) {
	r := rand.New(rand.NewPCG(seed, 0x5bd))
	l := limitsOf[F]()
	// The exponent range of F's normal values, and where e^x leaves it.
	maxExp, tinyLo, tinyHi := 127, -200.0, -80.0
	if is64[F]() {
		maxExp, tinyLo, tinyHi = 1023, -1500, -700
	}
	specialX := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), 1, -1, 40, -40, 1000, -1000,
		-87.34, -103.28, -103.97, -104, -150, -194, -708.4, -744.44, -745.13, -746, -1456, -1490, 1e-45, -1e-45, 5e-324, -5e-324}
	specialDy := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), l.max, -l.max,
		l.minSubnormal, -l.minSubnormal, l.minNormal, -l.minNormal, 1, -1}
	bitsMask := uint64(1)<<(8*size[F]()) - 1 // all ones for float64
	sign := func() float64 { return float64(1 - 2*r.IntN(2)) }
	dy, x = make([]F, n), make([]F, n)
	for i := range n {
		huge := false
		switch r.IntN(8) {
		case 0:
			v := specialX[r.IntN(len(specialX))]
			if r.IntN(2) == 0 {
				v = math.Nextafter(v, math.Inf(r.IntN(2)*2-1))
			}
			x[i] = F(v)
		case 1:
			x[i] = fromBits[F](r.Uint64() & bitsMask)
		case 2, 3:
			x[i] = F(tinyLo + (tinyHi-tinyLo)*r.Float64())
			huge = r.IntN(2) == 0
		case 4:
			x[i] = F(sign() * math.Ldexp(r.Float64(), -r.IntN(150)))
		case 5:
			x[i] = F(-8 + 16*r.Float64())
		default:
			x[i] = F(-40 + 80*r.Float64())
		}
		switch {
		case huge:
			dy[i] = F(sign() * math.Ldexp(1+r.Float64(), maxExp-r.IntN(maxExp/2)))
		default:
			switch r.IntN(8) {
			case 0:
				dy[i] = F(specialDy[r.IntN(len(specialDy))])
			case 1: // subnormal
				dy[i] = F(sign()) * fromBits[F](r.Uint64N(bitsOf(F(l.minNormal))))
			case 2: // any binade
				dy[i] = F(sign() * math.Ldexp(1+r.Float64(), r.IntN(2*maxExp)-maxExp))
			case 3: // near the largest
				dy[i] = F(sign() * l.max * (0.5 + r.Float64()/2))
			default:
				dy[i] = F(r.NormFloat64())
			}
		}
	}
	return dy, x
}

// TestSoftplusBackward checks SoftplusBackward and LogSigmoidBackward of
// every kernel and the package-level functions, both element types, on
// softplusBackwardInputs: the generic kernel's results against the
// references of package accuracy within 1 ULP; every kernel's bits against
// the generic kernel's, at every length up to 300 (90 when slow()) and
// offsets into the inputs and dx, in place on dy and on x too;
// LogSigmoidBackward(dy, x) against SoftplusBackward(dy, -x) bit for bit,
// and for a NaN x the NaN rule.
func TestSoftplusBackward(t *testing.T) {
	t.Run("SoftplusBackward", testSoftplusBackward[float32])
	t.Run("SoftplusBackward64", testSoftplusBackward[float64])
}

func testSoftplusBackward[F float](t *testing.T) {
	n := 1 << 16
	if slow() {
		n = 1 << 12
	}
	dys, xs := softplusBackwardInputs[F](n, 1)
	neg := make([]F, n)
	for i, v := range xs {
		neg[i] = -v
	}
	fs := softplusBackwardFuncs[F]()
	generic := genericOnly(fs)[0]
	want := make([]F, n)
	generic.softplus(want, dys, xs)
	rep := &reporter{t: t}
	for i := range xs {
		if why := softplusBackwardWhy(dys[i], xs[i], want[i]); why != "" && !rep.fail("%s: %s", generic.name, why) {
			break
		}
	}
	if rep.reports > 0 {
		t.FailNow()
	}
	// why is "" if got, a result for element i, has the generic kernel's
	// bits, else what is wrong with it.
	why := func(i int, got F) string {
		if sameBits(got, want[i]) {
			return ""
		}
		w := softplusBackwardWhy(dys[i], xs[i], got)
		if w == "" {
			w = "correct, but not the generic kernel's bits"
		}
		return sprintf("dy=%s x=%s gave %s, %s %s: %s", hex(dys[i]), hex(xs[i]), hex(got), generic.name, hex(want[i]), w)
	}
	for _, f := range fs {
		t.Run(f.name, func(t *testing.T) {
			rep := &reporter{t: t}
			// Whole, out of place, in place on dy and on x.
			dx := make([]F, n)
			f.softplus(dx, dys, xs)
			onDy := append([]F(nil), dys...)
			f.softplus(onDy, onDy, xs)
			onX := append([]F(nil), xs...)
			f.softplus(onX, dys, onX)
			for i := range xs {
				for _, c := range []struct {
					what string
					got  F
				}{{"out of place", dx[i]}, {"in place on dy", onDy[i]}, {"in place on x", onX[i]}} {
					if w := why(i, c.got); w != "" && !rep.fail("SoftplusBackward %s: element %d: %s", c.what, i, w) {
						return
					}
				}
			}
			// LogSigmoidBackward on -x, out of place and in place.
			ls := make([]F, n)
			f.logSigmoid(ls, dys, neg)
			lsOnDy := append([]F(nil), dys...)
			f.logSigmoid(lsOnDy, lsOnDy, neg)
			lsOnX := append([]F(nil), neg...)
			f.logSigmoid(lsOnX, dys, lsOnX)
			for i := range xs {
				for _, c := range []struct {
					what string
					got  F
				}{{"out of place", ls[i]}, {"in place on dy", lsOnDy[i]}, {"in place on x", lsOnX[i]}} {
					var w string
					if xs[i] != xs[i] {
						w = softplusBackwardWhy(dys[i], neg[i], c.got) // the NaN rule on its own x
					} else if !sameBits(c.got, dx[i]) {
						w = sprintf("dy=%s x=%s: LogSigmoidBackward(dy, x) = %s, SoftplusBackward(dy, -x) = %s", hex(dys[i]), hex(neg[i]), hex(c.got), hex(dx[i]))
					}
					if w != "" && !rep.fail("LogSigmoidBackward %s: element %d: %s", c.what, i, w) {
						return
					}
				}
			}
			// Every length up to 300 at a moving offset into the inputs,
			// and at offsets 1 to 17 into dx's buffer, with a canary
			// either side.
			buf := make([]F, 300+18)
			for lo, m := 0, 1; lo+m <= n && m <= 300; lo, m = lo+m, m+1 {
				off := 1 + m%17
				fillCanary(buf)
				d := buf[off : off+m]
				f.softplus(d, dys[lo:lo+m], xs[lo:lo+m])
				if firstTouched(buf[:off]) >= 0 || firstTouched(buf[off+m:]) >= 0 {
					t.Fatalf("SoftplusBackward, n=%d at offset %d: wrote outside dx", m, off)
				}
				for i, got := range d {
					if w := why(lo+i, got); w != "" && !rep.fail("SoftplusBackward, n=%d, element %d: %s", m, i, w) {
						return
					}
				}
				fillCanary(buf)
				f.logSigmoid(d, dys[lo:lo+m], neg[lo:lo+m])
				if firstTouched(buf[:off]) >= 0 || firstTouched(buf[off+m:]) >= 0 {
					t.Fatalf("LogSigmoidBackward, n=%d at offset %d: wrote outside dx", m, off)
				}
				for i, got := range d {
					if !sameBits(got, ls[lo+i]) && !rep.fail("LogSigmoidBackward, n=%d, element %d: dy=%s x=%s gave %s, %s in the whole call",
						m, i, hex(dys[lo+i]), hex(neg[lo+i]), hex(got), hex(ls[lo+i])) {
						return
					}
				}
			}
		})
	}
}

// TestSoftplusBackwardTinyProducts checks SoftplusBackward of every kernel
// and the package-level function, both element types, where a tiny dy
// (float32 2^-149 to 2^-79, float64 2^-1074 to 2^-979) meets an x of the
// fast code (|x| ≤ 32): products from the subnormals up to about 2^-80,
// within the bound of 1 ULP (the exhaustive sweeps' dy are in [-1, 1)),
// every kernel with the generic kernel's bits.
func TestSoftplusBackwardTinyProducts(t *testing.T) {
	t.Run("SoftplusBackward", testSoftplusBackwardTinyProducts[float32])
	t.Run("SoftplusBackward64", testSoftplusBackwardTinyProducts[float64])
}

func testSoftplusBackwardTinyProducts[F float](t *testing.T) {
	n := 1 << 18
	if slow() {
		n = 1 << 13
	}
	lo, hi := -149, -79
	if is64[F]() {
		lo, hi = -1074, -979
	}
	r := rand.New(rand.NewPCG(7, 0x7199))
	dy, x := make([]F, n), make([]F, n)
	for i := range n {
		dy[i] = F(float64(1-2*r.IntN(2)) * math.Ldexp(1+r.Float64(), lo+r.IntN(hi-lo)))
		x[i] = F(-32 + 64*r.Float64())
	}
	// Products just below 2^-125, where the correction term rounded on
	// the subnormals' grid once gave 1.05 (float64: 1.04) ULP.
	if is64[F]() {
		dy[0], x[0] = F(math.Float64frombits(0x007ef75904ee8d5c)), F(math.Float64frombits(0xc010d727f658fea8))
	} else {
		dy[0], x[0] = F(math.Float32frombits(0x0313a991)), F(math.Float32frombits(0xc03fcf12))
	}
	fs := softplusBackwardFuncs[F]()
	want := make([]F, n)
	genericOnly(fs)[0].softplus(want, dy, x)
	for _, f := range fs {
		got := make([]F, n)
		f.softplus(got, dy, x)
		worst, below := 0.0, 0
		rep := &reporter{t: t}
		for i := range n {
			u, why := softplusBackwardCheck(dy[i], x[i], got[i])
			if why == "" && !sameBits(got[i], want[i]) {
				why = fmt.Sprintf("dy=%s x=%s: %s, the generic kernel's %s", hex(dy[i]), hex(x[i]), hex(got[i]), hex(want[i]))
			}
			if why != "" && !rep.fail("%s: %s", f.name, why) {
				break
			}
			worst = max(worst, u)
			if math.Abs(float64(got[i])) < limitsOf[F]().minNormal*2 {
				below++
			}
		}
		t.Logf("%s: %d products, %d below 2^-125 (2^-1021): max %.4f ULP", f.name, n, below, worst)
	}
}

// TestSoftplusBackwardSpecials checks the documented values on every
// kernel, both element types: a NaN dy gives that NaN quieted, else a NaN
// x gives its NaN quieted (LogSigmoidBackward's as given, not negated);
// x = +Inf gives dy exactly, x = -Inf dy·0 (±0 with dy's sign); an
// infinite dy gives itself for every x > -Inf, and for x = -Inf the
// negative quiet NaN without payload; a zero dy gives itself (±0);
// LogSigmoidBackward mirrored. Each
// case runs alone, and all of them in one call, in both orders.
func TestSoftplusBackwardSpecials(t *testing.T) {
	bothTypes(t, testSoftplusBackwardSpecials[float32], testSoftplusBackwardSpecials[float64])
}

func testSoftplusBackwardSpecials[F float](t *testing.T) {
	l := limitsOf[F]()
	inf := F(math.Inf(1))
	nz := F(math.Copysign(0, -1))
	// A signalling NaN with payload 5, and a negative quiet one with a
	// payload.
	nan := fromBits[F](bitsOf(inf) | 5)
	negNaN := fromBits[F](bitsOf(-inf) | quietBit[F]() | 0x123)
	quiet := func(v F) F { return fromBits[F](quietOf(v)) }
	// Finite dy and x.
	finite := []F{1, -2.5, 0, nz, F(l.max), -F(l.max), F(l.minSubnormal), F(-l.minNormal), 1e-30}
	xs := []F{-1000, -100, -1, nz, 0, 3, 1000, F(l.max), -F(l.max), F(l.minSubnormal)}
	type tc struct{ dy, x, softplus, logSigmoid F }
	var cases []tc
	for _, dy := range finite {
		cases = append(cases,
			tc{dy, inf, dy, dy * 0},
			tc{dy, -inf, dy * 0, dy},
			tc{dy, nan, quiet(nan), quiet(nan)},
			tc{dy, negNaN, negNaN, negNaN})
	}
	for _, dy := range []F{inf, -inf} {
		for _, x := range xs {
			cases = append(cases, tc{dy, x, dy, dy}, tc{dy, -x, dy, dy})
		}
		cases = append(cases, tc{dy, -inf, canonNaN[F](), dy}, tc{dy, inf, dy, canonNaN[F]()},
			tc{dy, nan, quiet(nan), quiet(nan)})
	}
	for _, d := range []F{nan, negNaN} {
		for _, x := range append(xs, inf, -inf, nan, negNaN) {
			cases = append(cases, tc{d, x, quiet(d), quiet(d)})
		}
	}
	// A zero dy gives itself for finite x, as dy·σ(x) does: σ(x) > 0.
	for _, x := range xs {
		cases = append(cases, tc{0, x, 0, 0}, tc{nz, x, nz, nz})
	}
	dys, xv := make([]F, len(cases)), make([]F, len(cases))
	for i, c := range cases {
		dys[i], xv[i] = c.dy, c.x
	}
	rev := func(s []F) []F {
		r := make([]F, len(s))
		for i, v := range s {
			r[len(s)-1-i] = v
		}
		return r
	}
	for _, f := range softplusBackwardFuncs[F]() {
		rep := &reporter{t: t}
		sp, ls := make([]F, len(cases)), make([]F, len(cases))
		f.softplus(sp, dys, xv)
		f.logSigmoid(ls, dys, xv)
		spRev, lsRev := make([]F, len(cases)), make([]F, len(cases))
		f.softplus(spRev, rev(dys), rev(xv))
		f.logSigmoid(lsRev, rev(dys), rev(xv))
		one := make([]F, 1)
		for i, c := range cases {
			j := len(cases) - 1 - i
			f.softplus(one, []F{c.dy}, []F{c.x})
			spOne := one[0]
			f.logSigmoid(one, []F{c.dy}, []F{c.x})
			lsOne := one[0]
			for _, r := range []struct {
				what      string
				got, want F
			}{{"SoftplusBackward", sp[i], c.softplus}, {"SoftplusBackward in reverse", spRev[j], c.softplus}, {"SoftplusBackward alone", spOne, c.softplus},
				{"LogSigmoidBackward", ls[i], c.logSigmoid}, {"LogSigmoidBackward in reverse", lsRev[j], c.logSigmoid}, {"LogSigmoidBackward alone", lsOne, c.logSigmoid},
			} {
				if !sameBits(r.got, r.want) && !rep.fail("%s: %s(dy=%s, x=%s) = %s, want %s", f.name, r.what, hex(c.dy), hex(c.x), hex(r.got), hex(r.want)) {
					return
				}
			}
		}
		// Where e^x is below the float range but dy·e^x is not: x = -150,
		// dy = 1e38 gives about 7.2e-28 in float32; float64 x = -1400 with
		// dy = 1e308 about 1.2e-300; and the subnormal results in between.
		bd, bx := 1e38, -150.0
		if is64[F]() {
			bd, bx = 1e308, -1400
		}
		bigDy, bigX := F(bd), F(bx)
		edge := [][2]F{{bigDy, bigX}, {-bigDy, bigX}, {bigDy, bigX - 40}, {1, F(math.Log(l.minNormal)) - 3}, {-3, F(math.Log(l.minSubnormal))}}
		for _, c := range edge {
			f.softplus(one, []F{c[0]}, []F{c[1]})
			if why := softplusBackwardWhy(c[0], c[1], one[0]); why != "" || one[0] == 0 {
				t.Errorf("%s: SoftplusBackward(dy=%v, x=%v) = %v (%s): %s", f.name, c[0], c[1], one[0], hex(one[0]), why)
			}
			f.logSigmoid(one, []F{c[0]}, []F{-c[1]})
			if why := softplusBackwardWhy(c[0], c[1], one[0]); why != "" || one[0] == 0 {
				t.Errorf("%s: LogSigmoidBackward(dy=%v, x=%v) = %v (%s): %s", f.name, c[0], -c[1], one[0], hex(one[0]), why)
			}
		}
	}
}

// TestSoftplusBackwardExhaustive checks the generic kernel's
// SoftplusBackward on all 2^32 float32 x, and that every other kernel
// returns its bits there, each x with its own dy uniform in [-1, 1) (a
// hash of x's bits, so that every run checks the same pairs), against the
// bound: within 1 ULP of dy·σ(x), subnormal results included, with the
// rules of accuracy.CheckSoftplusBackward. In the same pass every SIMD kernel's
// LogSigmoidBackward on dy and -x must return those bits (a NaN x aside,
// which it returns quieted). It runs only with SIGMOID_EXHAUSTIVE=1 or
// -exhaustive.
func TestSoftplusBackwardExhaustive(t *testing.T) {
	sweepBackwardMirrored(t, backwardSweep{"SoftplusBackward", "x",
		func(k kernels.Kernel) func(dx, dy, x []float32) { return k.SoftplusBackward },
		softplusBackwardCheck[float32]},
		&backwardMirror{"LogSigmoidBackward",
			func(k kernels.Kernel) func(dx, dy, x []float32) { return k.LogSigmoidBackward }})
}

// TestSoftplusBackwardExhaustive64 checks the generic kernel's
// SoftplusBackward64 on 10^8 x: half from accuracy.Inputs64, a quarter over
// [-40, 40] and an eighth over the subnormal results [-746, -700], each
// with a dy uniform in [-1, 1) from a hash of x, and an eighth over
// [-1460, -700], where e^x is subnormal or below the float64 range, with
// that dy scaled by 2^e, e in [0, 1023] from another hash, so that
// dy·e^x spans the normal, scaled and subnormal results; against the
// double-double reference, within 1 ULP, with the rules of
// accuracy.CheckSoftplusBackward64. Its LogSigmoidBackward64 on dy and -x
// must return its bits (a NaN x aside). TestSameBitsSweep checks the
// other kernels' bits. It runs only with SIGMOID_EXHAUSTIVE=1 or
// -exhaustive.
func TestSoftplusBackwardExhaustive64(t *testing.T) {
	if !exhaustiveRun() {
		t.Skip("set SIGMOID_EXHAUSTIVE=1 or pass -exhaustive to check 10^8 float64 inputs")
	}
	xs := accuracy.Inputs64(exhaustive64Inputs/2, 68)
	r := rand.New(rand.NewPCG(13, 14))
	for range exhaustive64Inputs / 4 {
		xs = append(xs, -40+80*r.Float64())
	}
	for range exhaustive64Inputs / 8 {
		xs = append(xs, -746+46*r.Float64())
	}
	scaled := len(xs) // from here on dy is scaled
	for len(xs) < exhaustive64Inputs {
		xs = append(xs, -1460+760*r.Float64())
	}
	dys := make([]float64, len(xs))
	for i, x := range xs {
		b := math.Float64bits(x)
		dys[i] = hashedDy(b)
		if i >= scaled {
			dys[i] = math.Ldexp(dys[i], int(uint64(1024*(hashedDy(^b)+1)/2)))
		}
	}
	f := genericOnly(softplusBackwardFuncs[float64]())[0]
	dx := make([]float64, len(xs))
	f.softplus(dx, dys, xs)
	// LogSigmoidBackward64 on -x, in blocks (x negated in place and back).
	mirrorBad, mirrorFirst := 0, ""
	const block = 1 << 20
	ls := make([]float64, block)
	for lo := 0; lo < len(xs); lo += block {
		hi := min(lo+block, len(xs))
		neg := xs[lo:hi]
		for i := range neg {
			neg[i] = -neg[i]
		}
		f.logSigmoid(ls[:hi-lo], dys[lo:hi], neg)
		for i, got := range ls[:hi-lo] {
			var why string
			if neg[i] != neg[i] {
				why = softplusBackwardWhy(dys[lo+i], neg[i], got)
			} else if !sameBits(got, dx[lo+i]) {
				why = sprintf("dy=%s x=%s: LogSigmoidBackward64(dy, x) = %s, SoftplusBackward64(dy, -x) = %s", hex(dys[lo+i]), hex(neg[i]), hex(got), hex(dx[lo+i]))
			}
			if why != "" {
				if mirrorBad++; mirrorFirst == "" {
					mirrorFirst = why
				}
			}
		}
		for i := range neg {
			neg[i] = -neg[i]
		}
	}
	worst, worstX, bad, first := parallelWorst(len(xs), func(i int) (float64, string) {
		return softplusBackwardCheck(dys[i], xs[i], dx[i])
	}, xs)
	t.Logf("%s SoftplusBackward64: %d inputs: max %.4f ULP at x=%v; LogSigmoidBackward64 on -x: %d differ; %d violations",
		f.name, len(xs), worst, worstX, mirrorBad, bad)
	if bad != 0 {
		t.Errorf("%d violations, first: %s", bad, first)
	}
	if mirrorBad != 0 {
		t.Errorf("LogSigmoidBackward64: %d results differ, first: %s", mirrorBad, mirrorFirst)
	}
}
