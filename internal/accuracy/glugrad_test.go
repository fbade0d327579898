package accuracy

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
)

// bigSigmoidDeriv64 is σ'(b) = σ(b)·σ(-b) to about 270 bits, for |b| up
// to a few thousand; for |b| < 2^-200, 1/4 - b²/16 at 2400 bits (within
// b⁴/96 relative), so that b²/16 is kept where dy·a/4 is a rounding
// midpoint.
func bigSigmoidDeriv64(b float64) *big.Float {
	if math.Abs(b) < 0x1p-200 {
		const prec = 2400
		v := new(big.Float).SetPrec(prec).SetFloat64(b)
		v.Mul(v, v).Quo(v, big.NewFloat(16))
		return v.Sub(new(big.Float).SetPrec(prec).SetFloat64(0.25), v)
	}
	s := bigSigmoid64(b)
	return s.Mul(s, bigSigmoid64(-b))
}

// bigSiLUDeriv64 is silu'(g) = σ(g)·(1 + g·σ(-g)) to about 270 bits
// absolute (relative, but for the bits 1 + g·σ(-g) cancels next to the
// zero of silu'), for |g| up to a few thousand; for |g| < 2^-200, 1/2 + g/2
// at 2400 bits (silu'(g) = 1/2 + g/2 - g³/12 + ...).
func bigSiLUDeriv64(g float64) *big.Float {
	if math.Abs(g) < 0x1p-200 {
		v := new(big.Float).SetPrec(2400).SetFloat64(g)
		v.Quo(v, big.NewFloat(2))
		return v.Add(v, big.NewFloat(0.5))
	}
	t := bigSigmoid64(-g)
	t.Mul(t, new(big.Float).SetPrec(bigPrec64).SetFloat64(g))
	t.Add(t, big.NewFloat(1))
	return t.Mul(t, bigSigmoid64(g))
}

// bigTimes returns v·x·y for float64 x and y, at v's precision.
func bigTimes(v *big.Float, x, y float64) *big.Float {
	p := new(big.Float).SetPrec(max(v.Prec(), bigPrec64)).SetFloat64(x)
	p.Mul(p, new(big.Float).SetPrec(64).SetFloat64(y))
	return p.Mul(p, v)
}

// x0 is the float64 nearest to the zero of silu' (≈ -1.2784645), found by
// bisection on siluDerivDD in the test that needs it.
const x0Approx = -1.2784645427610738

// gradInputs64 are the (x, y, z) triples the Big tests of the float64
// gradient references check, for db(dy = x, a = y, b = z) and dgate(dy =
// x, up = y, gate = z): z over the range of expDD and beyond (to ±3000),
// tiny and subnormal z, and the edges; x and y over every binade, huge
// pairs where the derivative is far below the float64 range (scaled and
// subnormal results), subnormal, and float32 triples; zs adds more z.
func gradInputs64(seed uint64, zs []float64) (xs, ys, zz []float64) {
	r := rand.New(rand.NewPCG(seed, 0x6172))
	sign := func() float64 { return float64(1 - 2*r.IntN(2)) }
	binade := func(lo, hi int) float64 { return sign() * math.Ldexp(1+r.Float64(), lo+r.IntN(hi-lo+1)) }
	add := func(x, y, z float64) { xs, ys, zz = append(xs, x), append(ys, y), append(zz, z) }
	grid := append([]float64{0, 1, -1, 0.5, 40, -40, 500, -708.4, 745.2, -1400, 1500, -1500.5, 1501, -2900, 2999,
		5e-324, -5e-324, 0x1p-1022, -0x1p-60, 0x1p-201, 37.43, -18}, zs...)
	pairs := [][2]float64{{1, 1}, {-1, 3}, {math.MaxFloat64, math.MaxFloat64}, {-math.MaxFloat64, 0.5}, {5e-324, 1},
		{1, -5e-324}, {0x1p-1022, 3}, {1e-300, 1e300}, {1e300, 1e300}, {3e38, -1e-30}, {1e-200, 1e-200}}
	for _, z := range grid {
		for _, p := range pairs {
			add(p[0], p[1], z)
		}
	}
	for i := range 6000 {
		switch i % 8 {
		case 0: // ordinary
			add(r.NormFloat64(), r.NormFloat64(), -40+80*r.Float64())
		case 1: // any binades, z over the range of expDD and beyond
			add(binade(-1074, 1023), binade(-1074, 1023), -3000+6000*r.Float64())
		case 2: // huge x·y, the derivative far below the float64 range
			add(binade(900, 1023), binade(900, 1023), sign()*(700+2300*r.Float64()))
		case 3: // subnormal x or y
			add(sign()*math.Float64frombits(r.Uint64N(1<<52)), binade(-30, 1023), -40+80*r.Float64())
		case 4: // tiny z
			add(binade(-1074, 1023), binade(-1074, 1023), binade(-1074, -1))
		case 5: // next to the zero of silu', and around 0
			add(binade(-100, 100), binade(-100, 100), x0Approx+math.Ldexp(r.Float64()-0.5, -r.IntN(50)))
		case 6: // results next to the smallest normal
			add(binade(-540, -500), binade(-540, -500), -30+60*r.Float64())
		case 7: // float32 triples
			add(float64(float32(binade(-149, 127))), float64(float32(binade(-149, 127))), float64(float32(-200+400*r.Float64())))
		}
	}
	return xs, ys, zz
}

// checkPairBig checks a pair in the form of Exact64 against exact: hi
// correctly rounded (but where exact is within 2^-104 relative of the
// midpoint of hi and the right value: the pair cannot tell), |lo| within
// half an ulp of hi, and it returns the relative error (for pairs of at
// least Tiny64, else 0) and the error in ULPs.
func checkPairBig(t *testing.T, what string, hi, lo float64, exact *big.Float) (rel, ulps float64) {
	t.Helper()
	want, _ := exact.Float64()
	if hi != want {
		mid := new(big.Float).SetPrec(pairPrec).SetFloat64(hi)
		mid.Add(mid, new(big.Float).SetPrec(pairPrec).SetFloat64(want))
		mid.Quo(mid, big.NewFloat(2))
		if math.IsInf(want, 0) || math.IsInf(hi, 0) || bigRel(mid, exact) > 0x1p-104 {
			t.Errorf("%s: hi = %v, want %v (correctly rounded)", what, hi, want)
		}
	}
	if math.IsInf(hi, 0) {
		if lo != 0 {
			t.Errorf("%s = %v, %v; want lo 0", what, hi, lo)
		}
		return 0, 0
	}
	if exact.Sign() == 0 {
		if hi != 0 || lo != 0 {
			t.Errorf("%s = %v, %v; want 0", what, hi, lo)
		}
		return 0, 0
	}
	v := bigPair(hi, lo)
	if math.Abs(hi) >= Tiny64 {
		up, down := math.Nextafter(hi, math.Inf(1))-hi, hi-math.Nextafter(hi, math.Inf(-1))
		if math.Abs(lo) > max(up, down)/2 {
			t.Errorf("%s = %v, %v: |lo| > ulp(hi)/2", what, hi, lo)
		}
		rel = bigRel(v, exact)
	}
	return rel, bigULPs(v, exact)
}

// TestGLUBackwardDBExact64Big checks GLUBackwardDBExact64 against math/big
// at 300 bits: hi correctly rounded (±Inf beyond the range), the sign of
// dy·a, |lo| within half an ulp of hi, the pair within 2^-100 relative
// where it is at least Tiny64 and within 2^-50 ULP everywhere; beyond |b|
// = 3000, ±0 and the exact value below 2^-2000.
func TestGLUBackwardDBExact64Big(t *testing.T) {
	dys, as, bs := gradInputs64(64, []float64{3000.5, -3100})
	if testing.Short() {
		dys, as, bs = dys[:len(dys)/4], as[:len(as)/4], bs[:len(bs)/4]
	}
	var worstRel, worstULP float64
	var relAt, ulpAt [3]float64
	for i, b := range bs {
		dy, a := dys[i], as[i]
		hi, lo := GLUBackwardDBExact64(dy, a, b)
		if math.Signbit(hi) != ((dy < 0) != (a < 0)) {
			t.Errorf("GLUBackwardDBExact64(%v, %v, %v) = %v: the sign differs from dy·a's", dy, a, b, hi)
		}
		exact := bigTimes(bigSigmoidDeriv64(b), dy, a)
		if math.Abs(b) > 3000 {
			if hi != 0 || lo != 0 || exact.MantExp(nil) > -2000 {
				t.Errorf("GLUBackwardDBExact64(%v, %v, %v) = %v, %v (exact %v): want ±0 and the exact value below 2^-2000", dy, a, b, hi, lo, exact)
			}
			continue
		}
		rel, ulps := checkPairBig(t, fmt.Sprintf("GLUBackwardDBExact64(%v, %v, %v)", dy, a, b), hi, lo, exact)
		if rel > worstRel {
			worstRel, relAt = rel, [3]float64{dy, a, b}
		}
		if ulps > worstULP {
			worstULP, ulpAt = ulps, [3]float64{dy, a, b}
		}
	}
	t.Logf("%d inputs: worst relative error 2^%.1f at dy, a, b = %v (results >= Tiny64), worst 2^%.1f ULP at %v",
		len(bs), math.Log2(worstRel), relAt, math.Log2(worstULP), ulpAt)
	if worstRel > 0x1p-100 {
		t.Errorf("relative error %g > 2^-100 at dy, a, b = %v", worstRel, relAt)
	}
	if worstULP > 0x1p-50 {
		t.Errorf("error %g ULP > 2^-50 at dy, a, b = %v", worstULP, ulpAt)
	}
}

// TestSwiGLUBackwardDGateExact64Big checks SwiGLUBackwardDGateExact64
// against math/big at 300 bits: the pair within 2^-100 relative where it
// is at least Tiny64 and 1 + gate·σ(-gate) is at least 1/8 in magnitude,
// and within 2^-102·|dy·up| absolute everywhere (next to the zero of
// silu', where 1 + gate·σ(-gate) cancels), hi correctly rounded and within
// 2^-50 ULP of the exact value where the relative bound holds; beyond
// gate = -3000, ±0 and the exact value below 2^-2000.
func TestSwiGLUBackwardDGateExact64Big(t *testing.T) {
	var walk []float64
	for i, g := range []float64{x0Approx, x0Approx} {
		for range 8 {
			walk = append(walk, g)
			g = math.Nextafter(g, float64(2*i-1))
		}
	}
	dys, ups, gates := gradInputs64(65, append(walk, 600, 600.5, 800, 800.5, -600, -600.5, 3000.5, -3001))
	if testing.Short() {
		dys, ups, gates = dys[:len(dys)/4], ups[:len(ups)/4], gates[:len(gates)/4]
	}
	var worstRel, worstULP, worstAbs float64
	var relAt, ulpAt, absAt [3]float64
	for i, g := range gates {
		dy, up := dys[i], ups[i]
		hi, lo := SwiGLUBackwardDGateExact64(dy, g, up)
		sd := bigSiLUDeriv64(g)
		exact := bigTimes(sd, dy, up)
		if g < -3000 || g > 3000 {
			if g < -3000 && (hi != 0 || lo != 0 || exact.MantExp(nil) > -2000) {
				t.Errorf("SwiGLUBackwardDGateExact64(%v, %v, %v) = %v, %v (exact %v): want ±0 and the exact value below 2^-2000", dy, g, up, hi, lo, exact)
			}
			continue
		}
		if math.Signbit(hi) != (exact.Sign() < 0) && exact.Sign() != 0 {
			t.Errorf("SwiGLUBackwardDGateExact64(%v, %v, %v) = %v: the sign differs from the exact value's", dy, g, up, hi)
		}
		// 1 + g·σ(-g) = silu'/σ(g).
		h := new(big.Float).Quo(sd, bigSigmoid64(g))
		if hf, _ := h.Float64(); math.Abs(hf) < 0.125 || math.IsInf(hi, 0) {
			// The absolute error, in units of |dy·up|.
			if math.IsInf(hi, 0) {
				continue // beyond the range: checked below for the others
			}
			d := new(big.Float).SetPrec(pairPrec).Sub(bigPair(hi, lo), exact)
			d.Quo(d, bigTimes(new(big.Float).SetInt64(1), dy, up))
			if e, _ := d.Float64(); math.Abs(e) > worstAbs && math.Abs(hi) >= Tiny64 {
				worstAbs, absAt = math.Abs(e), [3]float64{dy, up, g}
			}
			continue
		}
		rel, ulps := checkPairBig(t, fmt.Sprintf("SwiGLUBackwardDGateExact64(%v, %v, %v)", dy, g, up), hi, lo, exact)
		if rel > worstRel {
			worstRel, relAt = rel, [3]float64{dy, up, g}
		}
		if ulps > worstULP {
			worstULP, ulpAt = ulps, [3]float64{dy, up, g}
		}
	}
	t.Logf("%d inputs: worst relative error 2^%.1f at dy, up, gate = %v, worst 2^%.1f ULP at %v; next to silu''s zero 2^%.1f·|dy·up| at %v",
		len(gates), math.Log2(worstRel), relAt, math.Log2(worstULP), ulpAt, math.Log2(worstAbs), absAt)
	if worstRel > 0x1p-100 {
		t.Errorf("relative error %g > 2^-100 at dy, up, gate = %v", worstRel, relAt)
	}
	if worstULP > 0x1p-50 {
		t.Errorf("error %g ULP > 2^-50 at dy, up, gate = %v", worstULP, ulpAt)
	}
	if worstAbs > 0x1p-102 {
		t.Errorf("error %g·|dy·up| > 2^-102·|dy·up| at dy, up, gate = %v", worstAbs, absAt)
	}
}

// TestSiLUDerivDD checks siluDerivDD against SiLUBackwardExact64(1, g)
// over [-600, 600] (the same value to 2^-100 relative, or 2^-103
// absolute next to the zero of silu') and against math/big beyond (to
// -3000 and 1000: 2^-100 relative), and finds the zero of silu' in
// float64: the sign changes between two neighbours of x0Approx, as 1 +
// g·σ(-g) does in math/big.
func TestSiLUDerivDD(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 0x6172))
	value := func(g float64) float64 { q, k := siluDerivDD(g); return ldexp(q.hi, k) }
	for i := range 20000 {
		g := -600 + 1200*r.Float64()
		if i%4 == 0 {
			g = x0Approx + math.Ldexp(r.Float64()-0.5, -r.IntN(52))
		}
		q, k := siluDerivDD(g)
		h, l := SiLUBackwardExact64(1, g)
		d := add(dd{ldexp(q.hi, k), ldexp(q.lo, k)}, dd{-h, -l})
		if e := math.Abs(d.hi); e > 0x1p-100*math.Abs(h) && e > 0x1p-103 {
			t.Fatalf("siluDerivDD(%v) = %v, SiLUBackwardExact64(1, g) %v: off by %g", g, ldexp(q.hi, k), h, e)
		}
	}
	for range 300 {
		g := -3000 + 2400*r.Float64()
		if r.IntN(3) == 0 {
			g = 600 + 400*r.Float64()
		}
		q, k := siluDerivDD(g)
		v := new(big.Float).SetPrec(pairPrec).SetFloat64(q.hi)
		v.Add(v, new(big.Float).SetFloat64(q.lo))
		v.SetMantExp(v, k)
		if rel := bigRel(v, bigSiLUDeriv64(g)); rel > 0x1p-100 {
			t.Errorf("siluDerivDD(%v): relative error %g > 2^-100", g, rel)
		}
	}
	lo, hi := x0Approx, math.Nextafter(x0Approx, 0)
	if value(lo) >= 0 {
		lo, hi = math.Nextafter(x0Approx, -2), x0Approx
	}
	if !(value(lo) < 0 && value(hi) > 0) {
		t.Fatalf("silu' does not change sign between %v and %v: %v, %v", lo, hi, value(lo), value(hi))
	}
	for _, g := range []float64{lo, hi} {
		h := new(big.Float).Quo(bigSiLUDeriv64(g), bigSigmoid64(g))
		if (h.Sign() < 0) != (g == lo) {
			t.Errorf("1 + g·σ(-g) at %v is %v in math/big", g, h)
		}
	}
	t.Logf("the zero of silu' is between %v and %v: silu' %v and %v", lo, hi, value(lo), value(hi))
}

// TestGradExact64Limits checks the pairs of non-finite inputs, zeros and
// the far tails, bit for bit.
func TestGradExact64Limits(t *testing.T) {
	inf, nz, m := math.Inf(1), math.Copysign(0, -1), math.MaxFloat64
	for _, c := range []struct{ dy, a, b, hi float64 }{
		{2, 3, inf, 0}, {-2, 3, -inf, nz}, {m, m, inf, 0}, {2, 0, 1, 0}, {nz, 3, 1, nz}, {inf, 2, 500, inf}, {inf, -2, -5000, -inf},
		{2, -inf, 1, -inf}, {m, m, 3001, 0}, {m, -m, -1e300, nz},
	} {
		hi, lo := GLUBackwardDBExact64(c.dy, c.a, c.b)
		if math.Float64bits(hi) != math.Float64bits(c.hi) || lo != 0 {
			t.Errorf("GLUBackwardDBExact64(%v, %v, %v) = %v, %v; want %v, 0", c.dy, c.a, c.b, hi, lo, c.hi)
		}
	}
	for _, c := range [][3]float64{{math.NaN(), 1, 1}, {1, math.NaN(), 1}, {1, 1, math.NaN()}, {inf, 1, inf}, {1, inf, -inf}, {inf, 0, 1}, {0, -inf, 1}} {
		if hi, _ := GLUBackwardDBExact64(c[0], c[1], c[2]); hi == hi {
			t.Errorf("GLUBackwardDBExact64(%v) = %v, want NaN", c, hi)
		}
	}
	for _, c := range []struct{ dy, gate, up, hi float64 }{
		{2, inf, 3, 6}, {m, inf, m, inf}, {2, -inf, 3, nz}, {-2, -inf, 3, 0}, {2, 1, 0, 0}, {2, -2, 0, nz}, {nz, 3, 3, nz},
		{inf, 1, 1, inf}, {inf, -2, 1, -inf}, {2, -5, -inf, inf}, {m, -3001, m, nz}, {-m, -1e300, m, 0}, {3, 1e300, 2, 6},
	} {
		hi, lo := SwiGLUBackwardDGateExact64(c.dy, c.gate, c.up)
		if math.Float64bits(hi) != math.Float64bits(c.hi) || lo != 0 {
			t.Errorf("SwiGLUBackwardDGateExact64(%v, %v, %v) = %v, %v; want %v, 0", c.dy, c.gate, c.up, hi, lo, c.hi)
		}
	}
	for _, c := range [][3]float64{{math.NaN(), 1, 1}, {1, math.NaN(), 1}, {1, 1, math.NaN()}, {inf, inf, 0}, {inf, -inf, 1}, {0, 1, inf}} {
		if hi, _ := SwiGLUBackwardDGateExact64(c[0], c[1], c[2]); hi == hi {
			t.Errorf("SwiGLUBackwardDGateExact64(%v) = %v, want NaN", c, hi)
		}
	}
}

// gradInputs32 returns n float32 triples (x, y, z) for the float32
// references' tests: z ordinary, in the negative and positive tails with
// huge x·y (results at their own scale), any bit pattern, tiny, next to
// the zero of silu'; x and y over every binade, subnormal included.
func gradInputs32(n int, seed uint64) (xs, ys, zs []float32) {
	r := rand.New(rand.NewPCG(seed, 0x6172))
	binade := func(lo, hi int) float32 {
		return float32(float64(1-2*r.IntN(2)) * math.Ldexp(1+r.Float64(), lo+r.IntN(hi-lo+1)))
	}
	for i := 0; len(zs) < n; i++ {
		var x, y, z float32
		switch i % 7 {
		case 0: // ordinary
			x, y, z = float32(r.NormFloat64()), float32(r.NormFloat64()), float32(-40+80*r.Float64())
		case 1: // huge x·y, the derivative subnormal or below the float32 range
			x, y, z = binade(96, 127), binade(96, 127), float32(float64(1-2*r.IntN(2))*(32+250*r.Float64()))
		case 2: // tiny and subnormal x or y
			x, y, z = math.Float32frombits(r.Uint32N(1<<24)), binade(-149, 127), float32(-120+160*r.Float64())
		case 3: // any bit patterns
			x, y, z = math.Float32frombits(r.Uint32()), math.Float32frombits(r.Uint32()), math.Float32frombits(r.Uint32())
		case 4: // any binades, any z
			x, y, z = binade(-149, 127), binade(-149, 127), binade(-149, 127)
		case 5: // next to the zero of silu'
			x, y, z = binade(-20, 20), binade(-20, 20), float32(x0Approx+math.Ldexp(r.Float64()-0.5, -r.IntN(24)))
		case 6: // the negative tail, any x and y
			x, y, z = binade(-149, 127), binade(-149, 127), float32(-(32 + 1000*r.Float64()))
		}
		if x != x || y != y || z != z || math.IsInf(float64(x), 0) || math.IsInf(float64(y), 0) || math.IsInf(float64(z), 0) || x == 0 || y == 0 {
			continue
		}
		xs, ys, zs = append(xs, x), append(ys, y), append(zs, z)
	}
	return xs, ys, zs
}

// wideError is the error of a float64 reference v against the pair hi, lo
// (in the form of Exact64): in float32 ULPs of hi + lo (the ulp of its
// binade going on beyond the float32 range) and relative (0 where hi is
// 0).
func wideError(v, hi, lo float64) (ulps, rel float64) {
	if math.Abs(hi) < Tiny64 {
		lo = 0
	}
	d, dl := twoSum(v, -hi)
	err := math.Abs(d + (dl - lo))
	if hi != 0 {
		rel = err / math.Abs(hi)
	}
	e := -126 // the binade of hi + lo, beyond the float32 range too
	if hi != 0 {
		e, _ = binade64(hi, lo)
		e = max(e, -126)
	}
	return err * math.Ldexp(1, 23-e), rel
}

// TestGLUBackwardWide checks the float32 GLUBackward reference: its da is
// SoftplusBackwardWide's, bit for bit; its db is within 2^-24 ULP of
// GLUBackwardDBExact64 everywhere and 2^-49 relative where the result is a
// normal float64 and |b| at most 708; and on values computed with
// math/big, rounded to float32, it gives the correctly rounded result.
func TestGLUBackwardWide(t *testing.T) {
	n := 400000
	if testing.Short() {
		n /= 8
	}
	dys, as, bs := gradInputs32(n, 32)
	var worstULP, worstRel float64
	var ulpAt, relAt [3]float32
	for i, b := range bs {
		dy, a := dys[i], as[i]
		da, db := GLUBackwardWide(dy, a, b)
		if w := SoftplusBackwardWide(dy, b); math.Float64bits(da) != math.Float64bits(w) {
			t.Fatalf("GLUBackwardWide(%v, %v, %v): da %v, SoftplusBackwardWide %v", dy, a, b, da, w)
		}
		hi, lo := GLUBackwardDBExact64(float64(dy), float64(a), float64(b))
		e, rel := wideError(db, hi, lo)
		if e > worstULP {
			worstULP, ulpAt = e, [3]float32{dy, a, b}
		}
		if math.Abs(float64(b)) <= 708 && math.Abs(hi) >= 0x1p-1022 && rel > worstRel {
			worstRel, relAt = rel, [3]float32{dy, a, b}
		}
		if math.Signbit(db) != ((dy < 0) != (a < 0)) {
			t.Errorf("GLUBackwardWide(%v, %v, %v): db = %v, the sign differs from dy·a's", dy, a, b, db)
		}
	}
	t.Logf("db: worst 2^%.2f float32 ULP at dy, a, b = %v; worst relative error 2^%.2f at %v", math.Log2(worstULP), ulpAt, math.Log2(worstRel), relAt)
	if worstULP > 0x1p-24 {
		t.Errorf("db: error %g float32 ULP > 2^-24 at dy, a, b = %v", worstULP, ulpAt)
	}
	if worstRel > 0x1p-49 {
		t.Errorf("db: relative error %g > 2^-49 at dy, a, b = %v", worstRel, relAt)
	}
	for _, c := range [][3]float32{{1, 1, 0}, {1, 1, 1}, {-3, 0.7, -2.5}, {1e38, 1e38, -150}, {1e38, 1e-38, 100}, {1, 1, -95},
		{0x1p100, 3 * 0x1p-149, 0}, {1, 1, -104}, {1, 1, 17.3}, {1e-30, 1e-30, 0.1}, {1e30, 1e30, 2}} {
		_, db := GLUBackwardWide(c[0], c[1], c[2])
		want, _ := bigTimes(bigSigmoidDeriv64(float64(c[2])), float64(c[0]), float64(c[1])).Float32()
		if got := float32(db); math.Float32bits(got) != math.Float32bits(want) {
			t.Errorf("float32(GLUBackwardWide(%v)) db = %v (%#08x), math/big %v (%#08x)", c, got, math.Float32bits(got), want, math.Float32bits(want))
		}
	}
}

// TestSwiGLUBackwardWide checks the float32 SwiGLUBackward reference: its
// dup is SwiGLUWide(gate, dy), bit for bit; its dgate is within 2^-24 ULP
// of SwiGLUBackwardDGateExact64 everywhere and 2^-47 relative where the
// result is a normal float64 and gate at least -708, next to the zero of
// silu' included (every float32 gate within 2^12 steps of it is tried);
// and on values computed with math/big, rounded to float32, it gives the
// correctly rounded result.
func TestSwiGLUBackwardWide(t *testing.T) {
	n := 400000
	if testing.Short() {
		n /= 8
	}
	dys, ups, gates := gradInputs32(n, 33)
	r := rand.New(rand.NewPCG(34, 0x6172))
	for _, dir := range []float32{2, -2} {
		g := float32(x0Approx)
		for range 1 << 12 {
			dys, ups, gates = append(dys, float32(r.NormFloat64())), append(ups, float32(r.NormFloat64())), append(gates, g)
			g = math.Nextafter32(g, dir)
		}
	}
	var worstULP, worstRel float64
	var ulpAt, relAt [3]float32
	for i, g := range gates {
		dy, up := dys[i], ups[i]
		if dy == 0 || up == 0 || dy != dy || up != up {
			continue
		}
		dgate, dup := SwiGLUBackwardWide(dy, g, up)
		if w := SwiGLUWide(g, dy); math.Float64bits(dup) != math.Float64bits(w) {
			t.Fatalf("SwiGLUBackwardWide(%v, %v, %v): dup %v, SwiGLUWide(gate, dy) %v", dy, g, up, dup, w)
		}
		hi, lo := SwiGLUBackwardDGateExact64(float64(dy), float64(g), float64(up))
		e, rel := wideError(dgate, hi, lo)
		if e > worstULP {
			worstULP, ulpAt = e, [3]float32{dy, g, up}
		}
		if g >= -708 && math.Abs(hi) >= 0x1p-1022 && rel > worstRel {
			worstRel, relAt = rel, [3]float32{dy, g, up}
		}
	}
	t.Logf("dgate: worst 2^%.2f float32 ULP at dy, gate, up = %v; worst relative error 2^%.2f at %v", math.Log2(worstULP), ulpAt, math.Log2(worstRel), relAt)
	if worstULP > 0x1p-24 {
		t.Errorf("dgate: error %g float32 ULP > 2^-24 at dy, gate, up = %v", worstULP, ulpAt)
	}
	if worstRel > 0x1p-47 {
		t.Errorf("dgate: relative error %g > 2^-47 at dy, gate, up = %v", worstRel, relAt)
	}
	x0 := float32(x0Approx)
	for _, c := range [][3]float32{{1, 1, 1}, {1, -1, 1}, {-3, 2.5, 0.7}, {1, x0, 1}, {1, math.Nextafter32(x0, 0), 1}, {1, math.Nextafter32(x0, -2), -3},
		{1e38, -100, 1e38}, {1, -95, 1}, {0x1p100, 1, 3 * 0x1p-149}, {1e-30, 0.1, 1e-30}, {2, 30, 3e38}} {
		dgate, _ := SwiGLUBackwardWide(c[0], c[1], c[2])
		want, _ := bigTimes(bigSiLUDeriv64(float64(c[1])), float64(c[0]), float64(c[2])).Float32()
		if got := float32(dgate); math.Float32bits(got) != math.Float32bits(want) {
			t.Errorf("float32(SwiGLUBackwardWide(%v)) dgate = %v (%#08x), math/big %v (%#08x)", c, got, math.Float32bits(got), want, math.Float32bits(want))
		}
	}
}

// toward32 is the float32 next to float32(v) on v's side: within 1 ULP of
// v; away32 is n float32 steps from float32(v), away from v.
func toward32(v float64) float32 {
	return math.Nextafter32(float32(v), float32(math.Copysign(math.MaxFloat32, v-float64(float32(v)))))
}

func away32(v float64, n int) float32 {
	d := float32(math.Copysign(math.MaxFloat32, float64(float32(v))-v))
	f := float32(v)
	for range n {
		f = math.Nextafter32(f, d)
	}
	return f
}

// TestCheckGLUBackward checks the rules of CheckGLUBackward and
// CheckGLUBackward64 on results that keep and break each: the NaN rule of
// each output, b = ±Inf, infinite dy or a (∞·0, and an infinite dy
// meeting a·σ'(b) rounded to 0), zeros, the bound of db where no step
// underflows (1.5) and where a·σ'(b) does (2 ULP + 2^-25·|dy·a|).
func TestCheckGLUBackward(t *testing.T) {
	t.Run("float32", func(t *testing.T) {
		f := math.Float32frombits
		nan, nanA, nanB := f(0x7f800001), f(0xffa00000), f(0x7fc00002)
		inf, nz, dn := float32(math.Inf(1)), float32(math.Copysign(0, -1)), f(0xffc00000)
		mx := float32(math.MaxFloat32)
		db := func(dy, a, b float32) float64 { _, v := GLUBackwardWide(dy, a, b); return v }
		type tc struct{ dy, a, b, da, db float32 }
		good := []tc{
			{nan, 1, 1, f(0x7fc00001), f(0x7fc00001)}, {nan, nanA, nanB, f(0x7fc00001), f(0x7fc00001)},
			{2, nanA, 0, 1, f(0xffe00000)}, {2, nanA, nanB, nanB, f(0xffe00000)}, {2, 3, nanB, nanB, nanB}, {inf, 0, nanB, nanB, nanB},
			{3, 2, inf, 3, 0}, {-3, 2, inf, -3, nz}, {inf, 2, inf, inf, dn}, {1e30, 1e30, inf, 1e30, 0}, {2, inf, inf, 2, dn}, {0, -inf, inf, 0, dn},
			{3, 2, -inf, 0, 0}, {inf, 2, -inf, dn, dn}, {-3, -2, -inf, nz, 0},
			{inf, 2, 0, inf, inf}, {-inf, 2, -300, -inf, -inf}, {inf, 0, 0, inf, dn}, {inf, -inf, 3, inf, -inf},
			{inf, 1, 200, inf, dn}, {inf, 1, 200, inf, inf}, {inf, 1e-45, 0, inf, dn}, {inf, 1, 20, inf, inf},
			{2, inf, 200, 2, inf}, {0, inf, 3, 0, dn}, {-1, -inf, 0, -0.5, inf},
			{0, 3, 1, 0, 0}, {nz, 3, 1, nz, nz}, {2, nz, 0, 1, nz}, {-2, 0, 0, -1, nz},
			{1, 1, 0, 0.5, 0.25}, {1, 1, 0, math.Nextafter32(0.5, 1), math.Nextafter32(0.25, 1)},
			{1, 1, 1, toward32(SoftplusBackwardWide(1, 1)), toward32(db(1, 1, 1))},
			{1e38, 1e38, -150, toward32(SoftplusBackwardWide(1e38, -150)), toward32(db(1e38, 1e38, -150))},
			{1, 1e38, 150, 1, toward32(db(1, 1e38, 150))}, {1, 1, -95, toward32(SoftplusBackwardWide(1, -95)), toward32(db(1, 1, -95))},
			{1e38, 1e38, 1, toward32(SoftplusBackwardWide(1e38, 1)), inf}, {mx, mx, -50, toward32(SoftplusBackwardWide(mx, -50)), inf},
			// a·σ'(b) subnormal: 2 ULP + 2^-25·|dy·a| = 3.5 ULP here.
			{0x1p100, 3 * 0x1p-149, 0, 0x1p99, away32(db(0x1p100, 3*0x1p-149, 0), 3)},
		}
		for _, c := range good {
			if ua, ub, wa, wb := CheckGLUBackward(c.dy, c.a, c.b, c.da, c.db, 1, 1.5); wa != "" || wb != "" {
				t.Errorf("CheckGLUBackward(%v, %v, %v, %v, %v) = %v, %v, %q, %q", c.dy, c.a, c.b, c.da, c.db, ua, ub, wa, wb)
			}
		}
		bad := []struct {
			tc
			reasonA, reasonB string
		}{
			{tc{nan, 1, 1, f(0x7fc00001), nan}, "", "7fc00001"}, {tc{nan, nanA, 1, nanA, f(0x7fc00001)}, "7fc00001", ""},
			{tc{2, nanA, nanB, nanB, nanB}, "", "ffe00000"}, {tc{2, 3, nanB, f(0x7fc00000), nanB}, "7fc00002", ""},
			{tc{3, 2, inf, 3, nz}, "", "want exactly 0x00000000"}, {tc{1e30, 1e30, inf, 1e30, dn}, "", "want exactly 0x00000000"},
			{tc{inf, 2, inf, inf, f(0x7fc00000)}, "", "want exactly 0xffc00000"}, {tc{inf, 2, -inf, 0, dn}, "want exactly 0xffc00000", ""},
			{tc{inf, 2, 0, inf, dn}, "", "want exactly 0x7f800000"}, {tc{inf, 1, 20, inf, dn}, "", "want exactly 0x7f800000"},
			{tc{inf, 1, 200, inf, f(0x7fc00000)}, "", "want exactly 0xffc00000"}, {tc{2, inf, 200, 2, dn}, "", "want exactly 0x7f800000"},
			{tc{0, 3, 1, 0, nz}, "", "want exactly 0x00000000"}, {tc{2, nz, 0, 1, 0}, "", "want exactly 0x80000000"},
			{tc{1, 1, 0, 0.5, math.Nextafter32(math.Nextafter32(0.25, 1), 1)}, "", "ULP > 1.5"},
			{tc{1, 1, 0, math.Nextafter32(math.Nextafter32(0.5, 1), 1), 0.25}, "ULP > 1", ""},
			{tc{1, 1, 0, 0.5, -0.25}, "", "sign differs"}, {tc{-1, 1, -200, 0, nz}, "sign differs", ""},
			{tc{1e38, 1e38, -150, 0, toward32(db(1e38, 1e38, -150))}, "ULP > 1", ""},
			{tc{1, 1e38, 150, 1, 0}, "", "ULP > 1.5"}, {tc{1e38, 1e38, 1, 7.3105856e+37, mx}, "", "ULP > 1.5"},
			// dy·(a·σ'(b)) with a·σ'(b) rounded to 2^-149 on the
			// subnormals' grid: 2^22 ULP off, beyond the bound (the kernels
			// multiply σ'(b) by the larger of dy and a first).
			{tc{0x1p100, 3 * 0x1p-149, 0, 0x1p99, 0x1p-49}, "", "beyond 2^-25·|dy·a|"},
			{tc{0x1p100, 3 * 0x1p-149, 0, 0x1p99, toward32(db(0x1p100, 3*0x1p-149, 0))}, "", ""},
		}
		for _, c := range bad {
			ua, ub, wa, wb := CheckGLUBackward(c.dy, c.a, c.b, c.da, c.db, 1, 1.5)
			for _, o := range []struct {
				u             float64
				why, reason   string
				bound, prefix string
			}{{ua, wa, c.reasonA, "", "da: "}, {ub, wb, c.reasonB, "", "db: "}} {
				if o.reason == "" && o.why != "" || o.reason != "" && (!strings.Contains(o.why, o.reason) || !strings.HasPrefix(o.why, o.prefix)) {
					t.Errorf("CheckGLUBackward(%v, %v, %v, %v, %v): %s%v, %q; want %q", c.dy, c.a, c.b, c.da, c.db, o.prefix, o.u, o.why, o.reason)
				}
			}
		}
		// Four times the exact value is beyond the absolute terms (2^-50
		// + 3·2^-74 here, the exact value 1.5·2^-50).
		if _, ub, _, why := CheckGLUBackward(0x1p100, 3*0x1p-149, 0, 0x1p99, 4*float32(db(0x1p100, 3*0x1p-149, 0)), 1, 1.5); why == "" {
			t.Errorf("four times the exact value passes: %v ULP beyond the absolute terms", ub)
		}
	})
	t.Run("float64", func(t *testing.T) {
		f := math.Float64frombits
		nan, nanA := f(0x7ff0000000000001), f(0xfff4000000000000)
		inf, nz, dn := math.Inf(1), math.Copysign(0, -1), f(0xfff8000000000000)
		db := func(dy, a, b float64) float64 { hi, _ := GLUBackwardDBExact64(dy, a, b); return hi }
		toward := func(dy, a, b float64) float64 {
			hi, lo := GLUBackwardDBExact64(dy, a, b)
			return math.Nextafter(hi, math.Copysign(math.Inf(1), lo))
		}
		da := func(dy, b float64) float64 { hi, _ := SoftplusBackwardExact64(dy, b); return hi }
		type tc struct{ dy, a, b, da, db float64 }
		good := []tc{
			{nan, 1, 1, f(0x7ff8000000000001), f(0x7ff8000000000001)}, {2, nanA, 0, 1, f(0xfffc000000000000)},
			{3, 2, inf, 3, 0}, {1e300, 1e300, inf, 1e300, 0}, {inf, 2, -inf, dn, dn}, {inf, 2, 0, inf, inf}, {inf, 0, 0, inf, dn},
			{inf, 1, 800, inf, dn}, {inf, 1, 800, inf, inf}, {2, inf, 800, 2, inf}, {nz, 3, 1, nz, nz},
			{1, 1, 0, 0.5, 0.25}, {1, 1, 1, da(1, 1), toward(1, 1, 1)}, {1e300, 1e300, -1400, da(1e300, -1400), db(1e300, 1e300, -1400)},
			{1e308, 1e308, 1, da(1e308, 1), inf}, {1, 1, -740, da(1, -740), toward(1, 1, -740)},
			{0x1p600, 3 * 0x1p-1074, 0, 0x1p599, db(0x1p600, 3*0x1p-1074, 0) * (1 + 0x1p-52)},
		}
		for _, c := range good {
			if ua, ub, wa, wb := CheckGLUBackward64(c.dy, c.a, c.b, c.da, c.db, 1, 1.5); wa != "" || wb != "" {
				t.Errorf("CheckGLUBackward64(%v, %v, %v, %v, %v) = %v, %v, %q, %q", c.dy, c.a, c.b, c.da, c.db, ua, ub, wa, wb)
			}
		}
		bad := []struct {
			tc
			reasonA, reasonB string
		}{
			{tc{nan, 1, 1, f(0x7ff8000000000001), nan}, "", "7ff8000000000001"}, {tc{2, nanA, 0, 1, nanA}, "", "fffc000000000000"},
			{tc{1e300, 1e300, inf, 1e300, dn}, "", "want exactly 0x0000000000000000"}, {tc{inf, 2, 0, inf, dn}, "", "want exactly 0x7ff0000000000000"},
			{tc{1, 1, 0, 0.5, math.Nextafter(math.Nextafter(0.25, 1), 1)}, "", "ULP > 1.5"}, {tc{1, 1, 0, 0.5, -0.25}, "", "sign differs"},
			{tc{1e300, 1e308, -1400, 0, 0}, "ULP > 1", "ULP > 1.5"}, {tc{1e308, 1e308, 1, da(1e308, 1), math.MaxFloat64}, "", "ULP > 1.5"},
			{tc{0x1p600, 3 * 0x1p-1074, 0, 0x1p599, 0x1p-474}, "", "beyond 2^-54·|dy·a|"}, // a·σ'(b) on the subnormals' grid
		}
		for _, c := range bad {
			ua, ub, wa, wb := CheckGLUBackward64(c.dy, c.a, c.b, c.da, c.db, 1, 1.5)
			if c.reasonA == "" && wa != "" || c.reasonA != "" && !strings.Contains(wa, c.reasonA) {
				t.Errorf("CheckGLUBackward64(%v, %v, %v, %v, %v): da %v, %q; want %q", c.dy, c.a, c.b, c.da, c.db, ua, wa, c.reasonA)
			}
			if c.reasonB == "" && wb != "" || c.reasonB != "" && !strings.Contains(wb, c.reasonB) {
				t.Errorf("CheckGLUBackward64(%v, %v, %v, %v, %v): db %v, %q; want %q", c.dy, c.a, c.b, c.da, c.db, ub, wb, c.reasonB)
			}
		}
	})
}

// TestCheckSwiGLUBackward checks the rules of CheckSwiGLUBackward and
// CheckSwiGLUBackward64 on results that keep and break each: the NaN rule
// of each output (dy first), gate = ±Inf, infinite dy or up, zeros, either
// sign next to the zero of silu', up·silu'(gate) overflowing, the bound
// of dgate (2 ULP + 2^-25·|dy·up|) and dup's (SwiGLU's 1 ULP).
func TestCheckSwiGLUBackward(t *testing.T) {
	t.Run("float32", func(t *testing.T) {
		f := math.Float32frombits
		nan, nanG, nanU := f(0x7f800001), f(0xffa00000), f(0x7fc00002)
		inf, nz, dn := float32(math.Inf(1)), float32(math.Copysign(0, -1)), f(0xffc00000)
		mx := float32(math.MaxFloat32)
		x0 := float32(x0Approx)
		dg := func(dy, g, up float32) float64 { v, _ := SwiGLUBackwardWide(dy, g, up); return v }
		du := func(dy, g float32) float32 { return float32(SwiGLUWide(g, dy)) }
		type tc struct{ dy, gate, up, dgate, dup float32 }
		good := []tc{
			{nan, 1, 1, f(0x7fc00001), f(0x7fc00001)}, {nan, nanG, nanU, f(0x7fc00001), f(0x7fc00001)},
			{2, nanG, nanU, f(0xffe00000), f(0xffe00000)}, {2, 0, nanU, nanU, 0}, {inf, -inf, nanU, nanU, dn},
			{2, inf, 3, 6, inf}, {0, inf, 3, 0, dn}, {2, inf, inf, inf, inf}, {1e30, inf, 1e30, inf, inf}, {inf, inf, 0, dn, inf},
			{2, -inf, 3, nz, nz}, {-2, -inf, 3, 0, 0}, {inf, -inf, 3, dn, dn}, {2, -inf, inf, dn, nz},
			{inf, 1, 1, inf, inf}, {inf, 1, -1, -inf, inf}, {inf, -200, 1, dn, -inf}, {inf, -200, 1, -inf, -inf}, {inf, 0, 1, inf, dn},
			{inf, 1, 0, dn, inf}, {inf, x0, 1, inf, -inf}, {inf, x0, 1, -inf, -inf}, {inf, x0, 1, dn, -inf},
			{2, 1, inf, inf, du(2, 1)}, {2, -3, inf, -inf, du(2, -3)}, {2, -200, inf, dn, du(2, -200)}, {0, 1, inf, dn, 0},
			{0, 1, 3, 0, 0}, {nz, 1, 3, nz, nz}, {2, -3, 0, nz, du(2, -3)}, {2, -3, nz, 0, du(2, -3)}, {2, x0, 0, nz, du(2, x0)}, {2, x0, 0, 0, du(2, x0)},
			{0, 2.4, mx, dn, 0}, {0, 2.4, mx, 0, 0},
			{1, 1, 1, toward32(dg(1, 1, 1)), toward32(SwiGLUWide(1, 1))}, {1, 1, 1, away32(dg(1, 1, 1), 2), du(1, 1)},
			{-3, 2.5, 0.7, toward32(dg(-3, 2.5, 0.7)), du(-3, 2.5)}, {1e38, -100, 1e38, toward32(dg(1e38, -100, 1e38)), du(1e38, -100)},
			{1, x0, 1, 0, du(1, x0)}, {1, x0, 1, 2e-8, du(1, x0)}, {1, x0, 1, -2e-8, du(1, x0)},
			{0.5, 2.4, mx, inf, du(0.5, 2.4)}, {0.5, 2.4, mx, float32(dg(0.5, 2.4, mx)), du(0.5, 2.4)},
		}
		for _, c := range good {
			if ug, uu, wg, wu := CheckSwiGLUBackward(c.dy, c.gate, c.up, c.dgate, c.dup, 2, 1); wg != "" || wu != "" {
				t.Errorf("CheckSwiGLUBackward(%v, %v, %v, %v, %v) = %v, %v, %q, %q", c.dy, c.gate, c.up, c.dgate, c.dup, ug, uu, wg, wu)
			}
		}
		bad := []struct {
			tc
			reasonG, reasonU string
		}{
			{tc{nan, nanG, 1, f(0x7fc00001), f(0xffe00000)}, "", "7fc00001"}, {tc{nan, 1, 1, nan, f(0x7fc00001)}, "7fc00001", ""},
			{tc{2, 0, nanU, f(0x7fc00000), 0}, "7fc00002", ""}, {tc{2, 1, nanU, nanU, nanU}, "", "dup"},
			{tc{2, inf, 3, mx, inf}, "want exactly 0x40c00000", ""}, {tc{0, inf, 3, 0, 0}, "", "want exactly 0xffc00000"},
			{tc{2, -inf, 3, 0, nz}, "want exactly 0x80000000", ""}, {tc{inf, 1, 1, dn, inf}, "want exactly 0x7f800000", ""},
			{tc{inf, 1, -1, inf, inf}, "want exactly 0xff800000", ""}, {tc{2, 1, inf, dn, du(2, 1)}, "want exactly 0x7f800000", ""},
			{tc{0, 1, 3, nz, 0}, "want exactly 0x00000000", ""}, {tc{2, -3, 0, 0, du(2, -3)}, "want exactly 0x80000000", ""},
			{tc{0, 1, 3, dn, 0}, "want exactly 0x00000000", ""},
			{tc{1, 1, 1, away32(dg(1, 1, 1), 4), du(1, 1)}, "beyond 2^-25·|dy·up| > 2", ""},
			{tc{1, 1, 1, float32(dg(1, 1, 1)), away32(SwiGLUWide(1, 1), 2)}, "", "ULP > 1"},
			{tc{1, 1, 1, -float32(dg(1, 1, 1)), du(1, 1)}, "sign differs", ""}, {tc{1, -3, 1e-45, 0, du(1, -3)}, "sign differs", ""},
			{tc{1, x0, 1, 1e-7, du(1, x0)}, "beyond 2^-25·|dy·up| > 2", ""},
			{tc{0.5, 1, mx, inf, du(0.5, 1)}, "beyond 2^-25·|dy·up| > 2", ""},
			// dy·(up·silu'(gate)) with up·silu'(gate) rounded to 3·2^-149
			// on the subnormals' grid: far beyond the bound.
			{tc{0x1p100, 1, 3 * 0x1p-149, 3 * 0x1p-49, du(0x1p100, 1)}, "beyond 2^-25·|dy·up| > 2", ""},
		}
		for _, c := range bad {
			ug, uu, wg, wu := CheckSwiGLUBackward(c.dy, c.gate, c.up, c.dgate, c.dup, 2, 1)
			if c.reasonG == "" && wg != "" || c.reasonG != "" && (!strings.Contains(wg, c.reasonG) || !strings.HasPrefix(wg, "dgate: ")) {
				t.Errorf("CheckSwiGLUBackward(%v, %v, %v, %v, %v): dgate %v, %q; want %q", c.dy, c.gate, c.up, c.dgate, c.dup, ug, wg, c.reasonG)
			}
			if c.reasonU == "" && wu != "" || c.reasonU != "" && (!strings.Contains(wu, c.reasonU) || !strings.HasPrefix(wu, "dup: ")) {
				t.Errorf("CheckSwiGLUBackward(%v, %v, %v, %v, %v): dup %v, %q; want %q", c.dy, c.gate, c.up, c.dgate, c.dup, uu, wu, c.reasonU)
			}
		}
	})
	t.Run("float64", func(t *testing.T) {
		f := math.Float64frombits
		nan, nanG := f(0x7ff0000000000001), f(0xfff4000000000000)
		inf, nz, dn, mx := math.Inf(1), math.Copysign(0, -1), f(0xfff8000000000000), math.MaxFloat64
		dg := func(dy, g, up float64) float64 { hi, _ := SwiGLUBackwardDGateExact64(dy, g, up); return hi }
		du := func(dy, g float64) float64 { hi, _ := SwiGLUExact64(g, dy); return hi }
		type tc struct{ dy, gate, up, dgate, dup float64 }
		good := []tc{
			{nan, nanG, 1, f(0x7ff8000000000001), f(0x7ff8000000000001)}, {2, nanG, 1, f(0xfffc000000000000), f(0xfffc000000000000)},
			{2, inf, 3, 6, inf}, {2, -inf, 3, nz, nz}, {inf, 1, 1, inf, inf}, {inf, -800, 1, dn, -inf}, {2, -800, inf, dn, du(2, -800)},
			{0, 1, 3, 0, 0}, {2, x0Approx, 0, nz, du(2, x0Approx)}, {2, x0Approx, 0, 0, du(2, x0Approx)},
			{1, 1, 1, dg(1, 1, 1), du(1, 1)}, {1e300, -1400, 1e300, dg(1e300, -1400, 1e300), du(1e300, -1400)},
			{1, x0Approx, 1, 2e-17, du(1, x0Approx)}, {1, x0Approx, 1, -2e-17, du(1, x0Approx)},
			{0.5, 2.4, mx, inf, du(0.5, 2.4)}, {0, 2.4, mx, dn, 0},
		}
		for _, c := range good {
			if ug, uu, wg, wu := CheckSwiGLUBackward64(c.dy, c.gate, c.up, c.dgate, c.dup, 2, 1); wg != "" || wu != "" {
				t.Errorf("CheckSwiGLUBackward64(%v, %v, %v, %v, %v) = %v, %v, %q, %q", c.dy, c.gate, c.up, c.dgate, c.dup, ug, uu, wg, wu)
			}
		}
		bad := []struct {
			tc
			reasonG, reasonU string
		}{
			{tc{nan, nanG, 1, f(0x7ff8000000000001), nanG}, "", "7ff8000000000001"}, {tc{inf, 1, 1, dn, inf}, "want exactly 0x7ff0000000000000", ""},
			{tc{1, 1, 1, dg(1, 1, 1) * (1 + 0x1p-49), du(1, 1)}, "beyond 2^-54·|dy·up| > 2", ""}, {tc{1, 1, 1, -dg(1, 1, 1), du(1, 1)}, "sign differs", ""},
			{tc{1, 1, 1, dg(1, 1, 1), du(1, 1) * (1 + 0x1p-51)}, "", "ULP > 1"}, {tc{1, x0Approx, 1, 1e-15, du(1, x0Approx)}, "beyond 2^-54·|dy·up| > 2", ""},
			{tc{0x1p600, 1, 3 * 0x1p-1074, 3 * 0x1p-474, du(0x1p600, 1)}, "beyond 2^-54·|dy·up| > 2", ""}, // up·silu'(gate) rounded on the subnormals' grid
		}
		for _, c := range bad {
			ug, uu, wg, wu := CheckSwiGLUBackward64(c.dy, c.gate, c.up, c.dgate, c.dup, 2, 1)
			if c.reasonG == "" && wg != "" || c.reasonG != "" && !strings.Contains(wg, c.reasonG) {
				t.Errorf("CheckSwiGLUBackward64(%v, %v, %v, %v, %v): dgate %v, %q; want %q", c.dy, c.gate, c.up, c.dgate, c.dup, ug, wg, c.reasonG)
			}
			if c.reasonU == "" && wu != "" || c.reasonU != "" && !strings.Contains(wu, c.reasonU) {
				t.Errorf("CheckSwiGLUBackward64(%v, %v, %v, %v, %v): dup %v, %q; want %q", c.dy, c.gate, c.up, c.dgate, c.dup, uu, wu, c.reasonU)
			}
		}
	})
}

// TestCheckGradFastVerdicts checks that CheckGLUBackward's db and
// CheckSwiGLUBackward's dgate, judged against the float64 references
// where they are far enough from the bound, give the errors (to 2^-20
// ULP) and verdicts of the exact pairs: results a few steps either side
// of the correctly rounded one, for triples of every kind (gradInputs32),
// the absolute terms included.
func TestCheckGradFastVerdicts(t *testing.T) {
	n := 200000
	if testing.Short() {
		n /= 8
	}
	xs, ys, zs := gradInputs32(n, 35)
	r := rand.New(rand.NewPCG(36, 0x6172))
	step := func(v float64) (float32, bool) {
		b := math.Float32bits(float32(v))
		if b&(1<<31-1) < 4 || b&(1<<31-1) >= 0x7f800000-4 {
			return 0, false // the steps would cross 0 or the infinities
		}
		return math.Float32frombits(b + uint32(r.IntN(9)) - 4), true
	}
	for i, z := range zs {
		x, y := xs[i], ys[i]
		// db of GLUBackward(dy = x, a = y, b = z).
		hi, lo := GLUBackwardDBExact64(float64(x), float64(y), float64(z))
		if got, ok := step(hi); ok && math.Abs(hi) < 0x1p127 {
			_, _, ad := gluWide(1, y, z)
			bound, abs := 1.5, 0.0
			if math.Abs(ad) < 0x1p-126 {
				bound, abs = GradBound, gradAbs32*math.Abs(float64(x)*float64(y))
			}
			l := lo
			if math.Abs(hi) < Tiny64 {
				l = 0
			}
			want := max(0, ulps32(got, hi, l)-abs*pow2(23-ulpExp32(hi, l)))
			_, e, _, why := CheckGLUBackward(x, y, z, 0, got, 1, 1.5)
			if math.Abs(e-want) > 0x1p-20 || (why == "") != (want <= bound) {
				t.Fatalf("CheckGLUBackward(%v, %v, %v) db %v: %v ULP, %q; the pair gives %v (bound %v)", x, y, z, got, e, why, want, bound)
			}
		}
		// dgate of SwiGLUBackward(dy = x, gate = z, up = y).
		hi, lo = SwiGLUBackwardDGateExact64(float64(x), float64(z), float64(y))
		if got, ok := step(hi); ok && math.Abs(hi) < 0x1p127 {
			_, _, sd := swigluBackWide(1, z, 1)
			if math.Abs(sd) <= 0x1p-24 || math.Abs(float64(y)*sd) > 0x1p126 {
				continue // either sign, or up·silu'(gate) next to overflow
			}
			abs := gradAbs32 * math.Abs(float64(x)*float64(y))
			l := lo
			if math.Abs(hi) < Tiny64 {
				l = 0
			}
			want := max(0, ulps32(got, hi, l)-abs*pow2(23-ulpExp32(hi, l)))
			e, _, why, _ := CheckSwiGLUBackward(x, z, y, got, 0, 2, 1)
			if math.Abs(e-want) > 0x1p-20 || (why == "") != (want <= 2) {
				t.Fatalf("CheckSwiGLUBackward(%v, %v, %v) dgate %v: %v ULP, %q; the pair gives %v", x, z, y, got, e, why, want)
			}
		}
	}
}
