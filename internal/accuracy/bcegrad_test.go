package accuracy

import (
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
)

// bigBCEGrad64 is dy·(σ(z) - t) for finite dy, z and t, to about 270 bits
// of its scale, which it also returns: |dy|·(σ(-|z|) + |c|), c = t for z
// < 0 and 1 - t for z >= 0, the terms that cancel. σ(-|z|) is
// bigSigmoid64 up to |z| = 1500 and 2^-3000 beyond (it is below 2^-2160
// there: a stand-in that keeps the sign of what it adds);
// below |z| = 2^-200, σ(z) - 1/2 is z/4 - z³/48 at 2400 bits, within
// z⁵/480.
func bigBCEGrad64(dy, z, t float64) (v, scale *big.Float) {
	const prec = 3300
	f := func(x float64) *big.Float { return new(big.Float).SetPrec(prec).SetFloat64(x) }
	c := f(t)
	if z >= 0 {
		c.Sub(f(1), c)
	}
	s := new(big.Float).SetPrec(prec)
	var d *big.Float
	switch {
	case math.Abs(z) < 0x1p-200:
		zb := f(z)
		z3 := new(big.Float).SetPrec(prec).Mul(zb, zb)
		z3.Mul(z3, zb).Quo(z3, big.NewFloat(48))
		d = new(big.Float).SetPrec(prec).Quo(zb, big.NewFloat(4))
		d.Sub(d, z3).Add(d, big.NewFloat(0.5)).Sub(d, f(t))
		s.SetFloat64(0.5)
	default:
		s.SetMantExp(big.NewFloat(1), -3000).SetPrec(prec) // a stand-in beyond 1500, of the right sign
		if math.Abs(z) <= 1500 {
			s.Set(bigSigmoid64(-math.Abs(z)))
		}
		if z < 0 {
			d = new(big.Float).SetPrec(prec).Sub(s, c) // σ(z) - t
		} else {
			d = new(big.Float).SetPrec(prec).Sub(c, s) // (1 - t) - σ(-z)
		}
	}
	scale = new(big.Float).SetPrec(prec).Abs(c)
	scale.Add(scale, s).Mul(scale, f(math.Abs(dy)))
	return d.Mul(d, f(dy)), scale
}

// bceGradInputs64 are the (dy, z, t) triples
// TestBCEWithLogitsBackwardExact64Big checks: the (z, t) pairs of
// bceInputs64 (z ordinary, tiny, huge, over the subnormal and scaled
// results; t 0, 1, tiny, uniform, just below 1 and outside [0, 1]), each
// with a dy of one kind (ordinary, any binade, huge, tiny and subnormal);
// then t = σ(z) rounded, where σ(z) - t cancels to about 2^-53 of σ(z),
// tiny z with t = 1/2, huge dy over the scaled and subnormal results
// with tiny t, and float32 triples.
func bceGradInputs64() (dys, zs, ts []float64) {
	r := rand.New(rand.NewPCG(64, 0xbcedd))
	sign := func() float64 { return float64(1 - 2*r.IntN(2)) }
	add := func(dy, z, t float64) { dys, zs, ts = append(dys, dy), append(zs, z), append(ts, t) }
	dyOf := func() float64 {
		switch r.IntN(5) {
		case 0: // any binade
			return sign() * math.Ldexp(1+r.Float64(), r.IntN(2098)-1075)
		case 1: // huge
			return sign() * math.Ldexp(1+r.Float64(), 1023-r.IntN(60))
		case 2: // tiny and subnormal
			return sign() * math.Float64frombits(r.Uint64N(1<<53))
		}
		return r.NormFloat64()
	}
	bz, bt := bceInputs64()
	for i, z := range bz {
		add(dyOf(), z, bt[i])
	}
	for _, dy := range []float64{1, -1, math.MaxFloat64, 5e-324, 0x1p-1022} {
		for _, zt := range [][2]float64{{0, 0.5}, {0, 0.25}, {-0.5, 0.5}, {1, 1}, {-1, 0}, {150, 1}, {-150, 0}, {1400, 1}, {-1400, 0}, {-745, 0}, {745, 1}} {
			add(dy, zt[0], zt[1])
		}
	}
	for range 2000 {
		z := -40 + 80*r.Float64()
		h, _ := Exact64(z)
		add(dyOf(), z, h) // σ(z) - t cancels
		add(dyOf(), sign()*math.Ldexp(1+r.Float64(), -r.IntN(1075)), 0.5)
		add(sign()*math.Ldexp(1+r.Float64(), 1023-r.IntN(80)), -(600 + 900*r.Float64()), math.Ldexp(1+r.Float64(), -1-r.IntN(1074)))
		add(float64(float32(sign()*math.Ldexp(1+r.Float64(), r.IntN(270)-149))), float64(float32(-200+400*r.Float64())), float64(float32(r.Float64())))
	}
	return dys, zs, ts
}

// TestBCEWithLogitsBackwardExact64Big checks BCEWithLogitsBackwardExact64
// against math/big at about 270 bits of the scale of the terms that cancel
// (bigBCEGrad64): the pair within 2^-100 of that scale everywhere (every
// t, σ(z) - t cancelling included, and below 2^-1024 within 2^-1124), and
// where little cancels (the result at least 1/4 of its scale: t = 0 and
// t = 1 always) hi correctly rounded
// (±Inf beyond the range, with lo 0), |lo| within half an ulp of hi and
// the pair within 2^-50 ULP (scaled and subnormal results, and results
// below the float64 range, included).
func TestBCEWithLogitsBackwardExact64Big(t *testing.T) {
	dys, zs, ts := bceGradInputs64()
	if testing.Short() {
		dys, zs, ts = dys[:len(dys)/4], zs[:len(zs)/4], ts[:len(ts)/4]
	}
	var worstScale, worstULP float64
	var scaleAt, ulpAt [3]float64
	inf, zero, cancel := 0, 0, 0
	for i, z := range zs {
		dy, tv := dys[i], ts[i]
		hi, lo := BCEWithLogitsBackwardExact64(dy, z, tv)
		exact, scale := bigBCEGrad64(dy, z, tv)
		at := [3]float64{dy, z, tv}
		want, _ := exact.Float64()
		if exact.Sign() == 0 {
			if zero++; hi != 0 || lo != 0 {
				t.Errorf("BCEWithLogitsBackwardExact64(%v, %v, %v) = %v, %v; want 0", dy, z, tv, hi, lo)
			}
			continue
		}
		if math.IsInf(want, 0) || math.IsInf(hi, 0) {
			if inf++; hi != want || lo != 0 {
				t.Errorf("BCEWithLogitsBackwardExact64(%v, %v, %v) = %v, %v; want %v, 0", dy, z, tv, hi, lo, want)
			}
			continue
		}
		v := bigPair(hi, lo)
		// |pair - exact| / scale.
		d := new(big.Float).SetPrec(pairPrec).Sub(v, exact)
		floor := new(big.Float).SetPrec(pairPrec).SetMantExp(big.NewFloat(1), -1024) // 2^-100 of it is 2^-50 of the smallest ulp
		if floor.Cmp(scale) < 0 {
			floor = scale
		}
		if d.Quo(d, floor); d.Sign() != 0 {
			if e, _ := d.Float64(); math.Abs(e) > worstScale {
				worstScale, scaleAt = math.Abs(e), at
			}
		}
		quarter := new(big.Float).SetPrec(pairPrec).Quo(scale, big.NewFloat(4))
		if new(big.Float).Abs(exact).Cmp(quarter) < 0 {
			cancel++
			continue
		}
		if hi != want || (want == 0 && math.Signbit(hi) != (exact.Sign() < 0)) {
			t.Errorf("BCEWithLogitsBackwardExact64(%v, %v, %v): hi = %v, want %v (correctly rounded)", dy, z, tv, hi, want)
		}
		if math.Abs(hi) >= Tiny64 {
			up, down := math.Nextafter(hi, math.Inf(1))-hi, hi-math.Nextafter(hi, math.Inf(-1))
			if math.Abs(lo) > max(up, down)/2 {
				t.Errorf("BCEWithLogitsBackwardExact64(%v, %v, %v) = %v, %v: |lo| > ulp(hi)/2", dy, z, tv, hi, lo)
			}
		}
		if e := bigULPs(v, exact); e > worstULP {
			worstULP, ulpAt = e, at
		}
	}
	t.Logf("%d inputs (%d beyond the range, %d exact zeros, %d cancelling below 1/4 of their scale): worst error 2^%.1f of the scale at dy, z, t = %v, worst 2^%.1f ULP at %v (no cancellation)",
		len(zs), inf, zero, cancel, math.Log2(worstScale), scaleAt, math.Log2(worstULP), ulpAt)
	if worstScale > 0x1p-100 {
		t.Errorf("error %g of the scale > 2^-100 at dy, z, t = %v", worstScale, scaleAt)
	}
	if worstULP > 0x1p-50 {
		t.Errorf("error %g ULP > 2^-50 at dy, z, t = %v", worstULP, ulpAt)
	}
}

// TestBCEWithLogitsBackwardExact64Limits checks the pairs of non-finite
// inputs, of a zero dy and of |z| beyond 1500: bit for bit, signs of zeros
// included, as float64 arithmetic on the formula gives them.
func TestBCEWithLogitsBackwardExact64Limits(t *testing.T) {
	inf, nz, m := math.Inf(1), math.Copysign(0, -1), math.MaxFloat64
	for _, c := range []struct{ dy, z, t, hi float64 }{
		{2, inf, 0.25, 1.5}, {-2, inf, 0, -2}, {2, inf, 1, 0}, {-2, inf, 1, nz}, {2, inf, 3, -4}, {2, inf, -inf, inf}, {inf, inf, 0.5, inf},
		{2, -inf, 0.25, -0.5}, {2, -inf, 0, nz}, {-2, -inf, 0, 0}, {2, -inf, -3, 6}, {-inf, -inf, 0.5, inf},
		{2, 1, inf, -inf}, {-2, -1, inf, inf}, {2, 1, -inf, inf}, {inf, 0, inf, -inf}, {-inf, 5, -inf, -inf},
		{inf, 1, 0, inf}, {inf, 1, 1, -inf}, {-inf, -1, 0, -inf}, {inf, -1, 0.5, -inf}, {inf, 0x1p-1074, 0.5, inf}, {inf, -0x1p-1074, 0.5, -inf},
		{inf, 1e-30, 0.5, inf}, {-inf, 800, 1, inf}, {inf, -2000, 0, inf}, {inf, 2000, 1, -inf}, {inf, -2000, 1e-300, -inf},
		{0, 1, 0.5, 0}, {nz, 1, 0.5, nz}, {0, -1, 0.5, nz}, {0, 3, 1, nz}, {0, -3, 0, 0},
		{m, -1600, 0, 0}, {-m, -1600, 0, nz}, {m, 1600, 1, nz}, {1, -1600, 0.5, -0.5}, {1, 1600, 0.5, 0.5},
	} {
		hi, lo := BCEWithLogitsBackwardExact64(c.dy, c.z, c.t)
		if math.Float64bits(hi) != math.Float64bits(c.hi) || math.Abs(lo) > 0x1p-60 {
			t.Errorf("BCEWithLogitsBackwardExact64(%v, %v, %v) = %v, %v; want %v, 0", c.dy, c.z, c.t, hi, lo, c.hi)
		}
	}
	for _, c := range [][3]float64{{math.NaN(), 1, 0}, {1, math.NaN(), 0}, {1, 0, math.NaN()}, {inf, inf, 1}, {inf, -inf, 0}, {inf, 0, 0.5}, {-inf, nz, 0.5}, {0, 1, inf}, {nz, -inf, -inf}} {
		if hi, _ := BCEWithLogitsBackwardExact64(c[0], c[1], c[2]); hi == hi {
			t.Errorf("BCEWithLogitsBackwardExact64(%v, %v, %v) = %v, want NaN", c[0], c[1], c[2], hi)
		}
	}
}

// TestBCEWithLogitsBackwardExact64Identities checks it against another
// reference, SoftplusBackwardExact64 (dy·σ(z)): with t = 0 it is
// SoftplusBackwardExact64(dy, z), with t = 1 -SoftplusBackwardExact64(dy,
// -z) (the same hi, the pairs within 2^-100 relative), and with any t
// SoftplusBackwardExact64(dy, z) - dy·t to 2^-100 of the scale |dy·σ(z)| +
// |dy·t|.
func TestBCEWithLogitsBackwardExact64Identities(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 0xbcedd))
	n := 20000
	if testing.Short() {
		n /= 4
	}
	var worst0, worst1, worstT float64
	for i := range n {
		z := -760 + 1520*r.Float64()
		if i%4 == 0 {
			z = -40 + 80*r.Float64()
		}
		dy := math.Ldexp(1+r.Float64(), r.IntN(400)-200) * float64(1-2*r.IntN(2))
		h0, l0 := BCEWithLogitsBackwardExact64(dy, z, 0)
		if sh, sl := SoftplusBackwardExact64(dy, z); math.Abs(sh) >= Tiny64 {
			if h0 != sh {
				t.Errorf("BCEWithLogitsBackwardExact64(%v, %v, 0) = %v, SoftplusBackwardExact64 %v", dy, z, h0, sh)
			}
			worst0 = max(worst0, math.Abs(l0-sl)/math.Abs(sh))
		}
		h1, l1 := BCEWithLogitsBackwardExact64(dy, z, 1)
		if sh, sl := SoftplusBackwardExact64(dy, -z); math.Abs(sh) >= Tiny64 {
			if h1 != -sh {
				t.Errorf("BCEWithLogitsBackwardExact64(%v, %v, 1) = %v, -SoftplusBackwardExact64(dy, -z) %v", dy, z, h1, -sh)
			}
			worst1 = max(worst1, math.Abs(l1+sl)/math.Abs(sh))
		}
		// Any t: SoftplusBackwardExact64(dy, z) - dy·t, which for z > 0
		// goes through Exact64's 1/(1 + e^-z) rather than 1 - σ(-z).
		tv := r.Float64()
		z = -40 + 80*r.Float64()
		h, l := BCEWithLogitsBackwardExact64(dy, z, tv)
		sh, sl := SoftplusBackwardExact64(dy, z)
		p, pe := twoProd(dy, tv)
		d := add(add(dd{h, l}, dd{-sh, -sl}), dd{p, pe})
		worstT = max(worstT, math.Abs(d.hi+d.lo)/(math.Abs(sh)+math.Abs(p)))
	}
	t.Logf("against SoftplusBackwardExact64: t = 0 2^%.1f, t = 1 2^%.1f; other t, against SoftplusBackwardExact64(dy, z) - dy·t: 2^%.1f of the scale",
		math.Log2(worst0), math.Log2(worst1), math.Log2(worstT))
	for _, c := range []struct {
		name  string
		worst float64
	}{{"t = 0", worst0}, {"t = 1", worst1}, {"SoftplusBackwardExact64(dy, z) - dy·t", worstT}} {
		if c.worst > 0x1p-100 {
			t.Errorf("%s: relative difference %g > 2^-100", c.name, c.worst)
		}
	}
}

// TestBCEWithLogitsBackwardWide checks the float32 reference against
// BCEWithLogitsBackwardExact64 on float32 triples of every kind: within
// 2^-24 float32 ULP (the measure of the checks, far below 10^-6 ULP) for
// t = 0 and t = 1, and within 2^-48·|dy| for every other t; then on values
// computed apart with math/big, rounded to float32: the documented example
// among them.
func TestBCEWithLogitsBackwardWide(t *testing.T) {
	r := rand.New(rand.NewPCG(32, 0xbcedd))
	n := 400000
	if testing.Short() {
		n /= 8
	}
	binade := func(lo, hi int) float32 {
		return float32(float64(1-2*r.IntN(2)) * math.Ldexp(1+r.Float64(), lo+r.IntN(hi-lo+1)))
	}
	var worstULP, worstAbs float64
	var ulpAt, absAt [3]float32
	for i := range n {
		var dy, z, tv float32
		switch i % 5 {
		case 0: // ordinary
			dy, z = float32(r.NormFloat64()), float32(-40+80*r.Float64())
		case 1: // huge dy where σ(-|z|) is subnormal or below the float32 range
			dy, z = binade(96, 127), float32(float64(1-2*r.IntN(2))*(80+140*r.Float64()))
		case 2: // tiny and subnormal dy
			dy, z = math.Float32frombits(r.Uint32N(1<<24)), float32(-120+240*r.Float64())
		case 3: // any bit patterns
			dy, z = math.Float32frombits(r.Uint32()), math.Float32frombits(r.Uint32())
		case 4: // any dy, z beyond 32
			dy, z = binade(-149, 127), float32(float64(1-2*r.IntN(2))*(32+1000*r.Float64()))
		}
		switch r.IntN(6) {
		case 0:
			tv = 0
		case 1:
			tv = 1
		case 2: // σ(z) rounded: σ(z) - t cancels
			tv = float32(1 / (1 + math.Exp(-float64(z))))
		case 3: // tiny
			tv = float32(math.Ldexp(1+r.Float64(), -1-r.IntN(149)))
		default:
			tv = float32(r.Float64())
		}
		if dy != dy || z != z || math.IsInf(float64(dy), 0) || math.IsInf(float64(z), 0) || dy == 0 {
			continue
		}
		wide := BCEWithLogitsBackwardWide(dy, z, tv)
		hi, lo := BCEWithLogitsBackwardExact64(float64(dy), float64(z), float64(tv))
		if math.Abs(hi) < Tiny64 {
			lo = 0
		}
		d, dl := twoSum(wide, -hi)
		errAbs := math.Abs(d + (dl - lo))
		if tv == 0 || tv == 1 {
			e := -126
			if hi != 0 {
				e, _ = binade64(hi, lo)
				e = max(e, -126)
			}
			if ue := errAbs * math.Ldexp(1, 23-e); ue > worstULP {
				worstULP, ulpAt = ue, [3]float32{dy, z, tv}
			}
			if math.Signbit(wide) != ((dy < 0) != (tv == 1)) {
				t.Errorf("BCEWithLogitsBackwardWide(%v, %v, %v) = %v: the sign differs from the exact value's", dy, z, tv, wide)
			}
			continue
		}
		if ea := errAbs / math.Abs(float64(dy)); ea > worstAbs {
			worstAbs, absAt = ea, [3]float32{dy, z, tv}
		}
	}
	t.Logf("t = 0 and 1: worst error 2^%.2f float32 ULP at dy, z, t = %v; other t: worst error 2^%.2f·|dy| at %v",
		math.Log2(worstULP), ulpAt, math.Log2(worstAbs), absAt)
	if worstULP > 0x1p-24 {
		t.Errorf("error %g float32 ULP > 2^-24 at dy, z, t = %v", worstULP, ulpAt)
	}
	if worstAbs > 0x1p-48 {
		t.Errorf("error %g·|dy| > 2^-48 at dy, z, t = %v", worstAbs, absAt)
	}
	for _, c := range []struct {
		dy, z, t float32
		want     uint32
	}{
		{1e38, 150, 1, 0x9263634b},  // the documented example: -7.175096e-28
		{1e38, -150, 0, 0x1263634b}, // its mirror
		{1, -100, 0, 0x0000001b},    // subnormal: 3.8e-44
		{1, 0, 0.3, 0x3e4ccccc},     // 0.5 - 0.3f = 0.19999999
		{-2, 1, 0.75, 0x3d1b2b0a},   // -2·(σ(1) - 0.75) = 0.037882842
		{1, -1, 0.25, 0x3c9b2b0a},   // σ(-1) - 0.25 = 0.018941421
		{3, 20, 1, 0xb1d4764c},      // -3·σ(-20) = -6.183461e-09
	} {
		if got := float32(BCEWithLogitsBackwardWide(c.dy, c.z, c.t)); math.Float32bits(got) != c.want {
			t.Errorf("float32(BCEWithLogitsBackwardWide(%v, %v, %v)) = %v (%#08x), want %v (%#08x)", c.dy, c.z, c.t, got, math.Float32bits(got), math.Float32frombits(c.want), c.want)
		}
		exact, _ := bigBCEGrad64(float64(c.dy), float64(c.z), float64(c.t))
		if b, _ := exact.Float32(); math.Float32bits(b) != c.want {
			t.Errorf("math/big: %v, %v, %v gives %v (%#08x), want %#08x", c.dy, c.z, c.t, b, math.Float32bits(b), c.want)
		}
	}
}

// TestCheckBCEWithLogitsBackward checks the rules of
// CheckBCEWithLogitsBackward and CheckBCEWithLogitsBackward64 on results
// that keep and break each, with the bounds of the documentation (1.5 ULP
// for t = 0 and t = 1; 2 ULP beyond an allowance of 2^-24·|dy|, 2^-53·|dy|,
// for other t), and CheckBCEWithLogitsBackward's fast verdicts against
// the exact pair's.
func TestCheckBCEWithLogitsBackward(t *testing.T) {
	t.Run("float32", func(t *testing.T) {
		f := math.Float32frombits
		inf, nz, mx := float32(math.Inf(1)), float32(math.Copysign(0, -1)), float32(math.MaxFloat32)
		nan, defNaN := f(0x7f800001), f(0xffc00000)
		check := func(dy, z, tv, got float32) (float64, string) {
			if tv == 0 || tv == 1 {
				return CheckBCEWithLogitsBackward(dy, z, tv, got, 1.5, 0)
			}
			return CheckBCEWithLogitsBackward(dy, z, tv, got, 2, 0x1p-24)
		}
		// steps is the float32 k steps from float32(v) away from v (k > 0),
		// or towards it (k < 0: within 1 ULP of v for k = -1).
		steps := func(v float64, k int) float32 {
			g := float32(v)
			away := float32(math.Copysign(math.MaxFloat32, float64(g)-v))
			if k < 0 {
				away, k = -away, -k
			}
			for range k {
				g = math.Nextafter32(g, away)
			}
			return g
		}
		wide := func(dy, z, tv float32) float64 { return BCEWithLogitsBackwardWide(dy, z, tv) }
		// x is σ(-1) - 0.3 (about -0.031, in [2^-6, 2^-5): ulp 2^-29), and
		// the allowance 2^-24 is 32 of its ulps.
		x := wide(1, -1, 0.3)
		good := []struct{ dy, z, t, got float32 }{
			{nan, 1, 0.5, f(0x7fc00001)}, {f(0xffa00000), nan, f(0x7f800002), f(0xffe00000)}, {1, f(0xff800005), f(0x7f800002), f(0xffc00005)},
			{inf, f(0x7f800005), 0.5, f(0x7fc00005)}, {0, 2, f(0xff800003), f(0xffc00003)},
			{2, inf, 0.25, 1.5}, {2, inf, 1, 0}, {2, inf, 1, nz}, {-2, inf, 0, -2}, {2, inf, 3, -4}, {2, inf, -inf, inf}, {inf, inf, 0.5, inf},
			{inf, inf, 1, defNaN}, {2, -inf, 0.25, -0.5}, {2, -inf, 0, 0}, {2, -inf, 0, nz}, {-inf, -inf, 0, defNaN}, {inf, -inf, nz, defNaN},
			{2, 1, inf, -inf}, {-2, -1, inf, inf}, {0, 1, inf, defNaN}, {nz, -1, -inf, defNaN}, {inf, 5, -inf, inf},
			{inf, 1, 0.3, inf}, {inf, -1, 0.3, -inf}, {-inf, -1, 0.3, inf}, {inf, 0, 0.5, defNaN}, {inf, nz, 0.5, defNaN},
			{inf, 1e-30, 0.5, inf}, {-inf, -1e-30, 0.5, inf}, {inf, -200, 0, inf}, {inf, 200, 1, -inf},
			{0, 1, 0.3, 0}, {0, 1, 0.3, nz}, {nz, -5, 1, 0}, {0, 0, 0.5, 0},
			{1, 1, 0, float32(wide(1, 1, 0))}, {1, 1, 0, steps(wide(1, 1, 0), 1)}, {1e38, 150, 1, f(0x9263634b)}, {1e38, -150, 0, f(0x1263634b)},
			{1, -100, 0, f(0x0000001b)}, {1, -100, 0, f(0x0000001a)}, {1, 100, 1, f(0x8000001b)}, {1, -200, 0, 0}, {-1, -200, 0, nz}, {1, 200, 1, nz},
			{1, -1, 0.3, float32(x)}, {1, -1, 0.3, steps(x, 33)}, {1, -1, 0.3, steps(x, 32+1)}, {1, -1, 0.3, steps(x, -33)},
			{1, 0, 2, -1.5}, {mx, 1, -1e30, inf}, {1e30, -1, 1e30, -inf}, {1, 0.5, 2, steps(wide(1, 0.5, 2), 40)},
		}
		for _, c := range good {
			if _, why := check(c.dy, c.z, c.t, c.got); why != "" {
				t.Errorf("CheckBCEWithLogitsBackward(%v, %v, %v, %v): %s", c.dy, c.z, c.t, c.got, why)
			}
		}
		bad := []struct {
			dy, z, t, got float32
			reason        string
		}{
			{nan, 1, 0.5, nan, "7fc00001"}, {1, f(0xff800005), nan, f(0x7fc00001), "ffc00005"}, {1, 2, f(0x7f800003), f(0x7fc00000), "7fc00003"},
			{2, inf, 0.25, steps(1.5, 1), "want exactly 0x3fc00000"}, {2, inf, 1, 0x1p-149, "want a zero"}, {inf, inf, 1, f(0x7fc00000), "want exactly 0xffc00000"},
			{inf, inf, 1, inf, "want exactly 0xffc00000"}, {2, -inf, 0.25, -0.25, "want exactly 0xbf000000"}, {0, 1, inf, 0, "want exactly 0xffc00000"},
			{2, 1, inf, inf, "want exactly 0xff800000"}, {inf, -1, 0.3, inf, "want exactly 0xff800000"}, {inf, 0, 0.5, inf, "want exactly 0xffc00000"},
			{0, 1, 0.3, 0x1p-149, "want a zero"},
			{1, 1, 0, steps(wide(1, 1, 0), 2), "ULP > 1.5"}, {1e38, 150, 1, 0, "sign differs"}, {1e38, 150, 1, nz, "ULP > 1.5"}, {1, -100, 0, f(0x0000001d), "ULP > 1.5"},
			{1, -200, 0, nz, "sign differs"}, {1, 200, 1, 0, "sign differs"}, {-1, -200, 0, 0, "sign differs"}, {1, 1, 0, -0.7, "sign differs"},
			{mx, 50, 0, inf, "not finite"}, {1, 1, 0.3, f(0x7fc00000), "not finite"},
			{1, -1, 0.3, steps(x, 35), "ULP beyond 5.96e-08·|dy| > 2"}, {1, -1, 0.3, steps(x, -35), "ULP beyond 5.96e-08·|dy| > 2"},
			{1, 0, 2, f(0x7fc00000), "NaN from finite inputs"}, {mx, 1, -1e30, mx, "want an infinity"}, {1, 0, 2, -inf, "within the range"},
		}
		for _, c := range bad {
			if u, why := check(c.dy, c.z, c.t, c.got); !strings.Contains(why, c.reason) {
				t.Errorf("CheckBCEWithLogitsBackward(%v, %v, %v, %v) = %v, %q; want %q", c.dy, c.z, c.t, c.got, u, why, c.reason)
			}
		}
		// The errors: in ulps of 2^-149 below 2^-126, beyond the allowance
		// for other t (0 within it), in ULPs without allowance outside
		// [0, 1].
		for _, c := range []struct {
			dy, z, t, got float32
			want          float64
		}{
			{1, -200, 0, 0, 0}, {1, -200, 0, 0x1p-149, 1}, {1, -1, 0.3, steps(x, 20), 0}, {1, 0, 2, -1.5, 0}, {1, 0, 2, steps(-1.5, 1), 1},
		} {
			if u, _ := check(c.dy, c.z, c.t, c.got); math.Abs(u-c.want) > 0x1p-20 {
				t.Errorf("CheckBCEWithLogitsBackward(%v, %v, %v, %v) = %v ULP, want %v", c.dy, c.z, c.t, c.got, u, c.want)
			}
		}
		if u, _ := check(1, -1, 0.3, steps(x, 35)); math.Abs(u-3) > 1.01 {
			t.Errorf("CheckBCEWithLogitsBackward: %v ULP beyond the allowance, want about 3", u)
		}
		// The fast verdicts are those of the exact pair: a result is judged
		// by the pair wherever the two could differ.
		r := rand.New(rand.NewPCG(3, 0xbcedd))
		n := 200000
		if testing.Short() {
			n /= 8
		}
		for i := range n {
			dy := float32(float64(1-2*r.IntN(2)) * math.Ldexp(1+r.Float64(), r.IntN(250)-140))
			z := float32(-120 + 240*r.Float64())
			switch i % 4 {
			case 0:
				z = float32(-12 + 24*r.Float64())
			case 1: // beyond 220, where the float32 reference takes σ(-|z|) as 2^-996
				z = float32(-300 + 600*r.Float64())
			}
			var tv float32
			switch r.IntN(6) {
			case 0:
				tv = 0
			case 1:
				tv = 1
			case 2:
				tv = float32(1 / (1 + math.Exp(-float64(z))))
			case 3:
				tv = float32(math.Ldexp(1+r.Float64(), -1-r.IntN(149)))
			default:
				tv = float32(r.Float64())
			}
			bound, allowance := 1.5, 0.0
			if tv != 0 && tv != 1 {
				bound, allowance = 2, 0x1p-24
			}
			hi, lo := BCEWithLogitsBackwardExact64(float64(dy), float64(z), float64(tv))
			if math.Abs(hi) < Tiny64 {
				lo = 0
			}
			// got: a few steps from the exact value, or from it plus or
			// minus the allowance.
			g := hi + float64(1-2*r.IntN(2))*allowance*math.Abs(float64(dy))*float64(r.IntN(2))
			b32 := math.Float32bits(float32(g))
			if b32&(1<<31-1) < 8 || math.IsInf(float64(float32(g)), 0) {
				continue // the steps below would cross 0, or leave the range
			}
			got := math.Float32frombits(b32 + uint32(r.IntN(9)) - 4)
			e, why := CheckBCEWithLogitsBackward(dy, z, tv, got, bound, allowance)
			// The exact pair's verdict.
			eb := -126
			if hi != 0 {
				eb, _ = binade64(hi, lo)
				eb = min(max(eb, -126), 127)
			}
			want := max(0, ulps32(got, hi, lo)-allowance*math.Abs(float64(dy))*math.Ldexp(1, 23-eb))
			ok := want <= bound && (allowance != 0 || math.Signbit(float64(got)) == ((dy < 0) != (tv == 1)))
			if math.Abs(e-want) > 0x1p-20 || (why == "") != ok {
				t.Fatalf("CheckBCEWithLogitsBackward(%v, %v, %v, %v, %v, %v) = %v, %q; the pair gives %v ULP", dy, z, tv, got, bound, allowance, e, why, want)
			}
		}
	})
	t.Run("float64", func(t *testing.T) {
		f := math.Float64frombits
		inf, nz, mx := math.Inf(1), math.Copysign(0, -1), math.MaxFloat64
		nan, defNaN := f(0x7ff0000000000001), f(0xfff8000000000000)
		check := func(dy, z, tv, got float64) (float64, string) {
			if tv == 0 || tv == 1 {
				return CheckBCEWithLogitsBackward64(dy, z, tv, got, 1.5, 0)
			}
			return CheckBCEWithLogitsBackward64(dy, z, tv, got, 2, 0x1p-53)
		}
		exact := func(dy, z, tv float64) float64 { hi, _ := BCEWithLogitsBackwardExact64(dy, z, tv); return hi }
		// steps is the float64 k steps from hi, towards lo's side for k <
		// 0, away from it for k > 0.
		steps := func(dy, z, tv float64, k int) float64 {
			hi, lo := BCEWithLogitsBackwardExact64(dy, z, tv)
			to := math.Copysign(math.Inf(1), -lo)
			if k < 0 {
				to, k = -to, -k
			}
			for range k {
				hi = math.Nextafter(hi, to)
			}
			return hi
		}
		good := []struct{ dy, z, t, got float64 }{
			{nan, 1, 0.5, f(0x7ff8000000000001)}, {1, f(0xfff0000000000005), nan, f(0xfff8000000000005)}, {0, 2, f(0x7ff0000000000003), f(0x7ff8000000000003)},
			{2, inf, 0.25, 1.5}, {2, inf, 1, nz}, {inf, inf, 1, defNaN}, {2, -inf, 0.25, -0.5}, {-inf, -inf, nz, defNaN},
			{2, 1, inf, -inf}, {0, 1, inf, defNaN}, {inf, -1, 0.3, -inf}, {inf, 0, 0.5, defNaN}, {inf, 5e-324, 0.5, inf}, {-inf, 5e-324, 0.5, -inf},
			{0, 1, 0.3, nz}, {1, 1, 0, exact(1, 1, 0)}, {1, 1, 0, steps(1, 1, 0, -1)}, {1e308, 1400, 1, exact(1e308, 1400, 1)},
			{1, -740, 0, exact(1, -740, 0)}, {1, 740, 1, steps(1, 740, 1, -1)}, {1, -800, 0, 0}, {-1, -800, 0, nz},
			{1, -1, 0.3, steps(1, -1, 0.3, 33)}, {1, 0, 2, -1.5}, {mx, 1, -1e300, inf}, {1e300, 1, -1e300, exact(1e300, 1, -1e300)},
		}
		for _, c := range good {
			if _, why := check(c.dy, c.z, c.t, c.got); why != "" {
				t.Errorf("CheckBCEWithLogitsBackward64(%v, %v, %v, %v): %s", c.dy, c.z, c.t, c.got, why)
			}
		}
		bad := []struct {
			dy, z, t, got float64
			reason        string
		}{
			{nan, 1, 0.5, nan, "7ff8000000000001"}, {2, inf, 0.25, math.Nextafter(1.5, 2), "want exactly"}, {inf, 0, 0.5, inf, "want exactly 0xfff8000000000000"},
			{0, 1, 0.3, 5e-324, "want a zero"},
			{1, 1, 0, steps(1, 1, 0, 2), "ULP > 1.5"}, {1, -740, 0, 0, "ULP > 1.5"}, {1e308, 1400, 1, 0, "sign differs"}, {1e308, 1400, 1, nz, "ULP > 1.5"}, {1, -800, 0, nz, "sign differs"},
			{mx, 50, 0, inf, "not finite"}, {1, -1, 0.3, steps(1, -1, 0.3, 36), "ULP beyond 1.11e-16·|dy| > 2"},
			{1, 0, 2, defNaN, "NaN from finite inputs"}, {mx, 1, -1e300, mx, "want an infinity"}, {1, 0, 2, -inf, "within the range"},
		}
		for _, c := range bad {
			if u, why := check(c.dy, c.z, c.t, c.got); !strings.Contains(why, c.reason) {
				t.Errorf("CheckBCEWithLogitsBackward64(%v, %v, %v, %v) = %v, %q; want %q", c.dy, c.z, c.t, c.got, u, why, c.reason)
			}
		}
		// The allowance where it is beyond the float64 range in ulps: a
		// huge dy, a result next to the subnormals (t tiny).
		tv := 0x1p-1070
		if u, why := check(0x1p1000, -800, tv, 0); why != "" || u != 0 {
			t.Errorf("CheckBCEWithLogitsBackward64(2^1000, -800, 2^-1070, 0) = %v, %q; want 0 (within the allowance)", u, why)
		}
	})
}
