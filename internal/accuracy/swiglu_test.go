package accuracy

import (
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
)

// bigSwiGLU64 is gate·σ(gate)·up to about 270 bits, for finite gate and
// up: σ from bigSigmoid64 for |gate| <= 3000; above, 1 (1 - σ is below
// 2^-4000), below, 0 (the result is below 2^-3000); and for |gate| <
// 2^-200 1/2 + gate/4 - gate³/48 at 2400 bits, within gate⁴/240 relative,
// so that gate/4 is kept where gate·up/2 is a rounding midpoint.
func bigSwiGLU64(gate, up float64) *big.Float {
	var s *big.Float
	switch {
	case math.Abs(gate) < 0x1p-200:
		const prec = 2400
		g := new(big.Float).SetPrec(prec).SetFloat64(gate)
		g3 := new(big.Float).SetPrec(prec).Mul(g, g)
		g3.Mul(g3, g).Quo(g3, big.NewFloat(48))
		s = new(big.Float).SetPrec(prec).Quo(g, big.NewFloat(4))
		s.Add(s, big.NewFloat(0.5)).Sub(s, g3)
	case gate > 3000:
		s = new(big.Float).SetPrec(bigPrec64).SetInt64(1)
	case gate < -3000:
		s = new(big.Float).SetPrec(bigPrec64)
	default:
		s = bigSigmoid64(gate)
	}
	s.Mul(s, new(big.Float).SetPrec(bigPrec64).SetFloat64(gate))
	return s.Mul(s, new(big.Float).SetPrec(bigPrec64).SetFloat64(up))
}

// swigluInputs64 are the (gate, up) pairs TestSwiGLUExact64Big checks:
// ordinary ones, up over every binade, huge up where e^gate is subnormal
// or below the float64 range (the scaled and subnormal results), gate·up
// beyond the range with the result in it, huge gates (results beyond the
// range), tiny gates, subnormal up, float32 pairs, and the edges.
func swigluInputs64() (gates, ups []float64) {
	r := rand.New(rand.NewPCG(64, 0x5a16))
	sign := func() float64 { return float64(1 - 2*r.IntN(2)) }
	add := func(g, u float64) { gates, ups = append(gates, g), append(ups, u) }
	for _, g := range []float64{1, -1, 0.5, 40, -40, 746, 800, -708.4, -745.2, -1400, -1456, -1490, -1500, -1501, -3000,
		5e-324, -5e-324, 0x1p-1022, 1e300, -1e300, math.MaxFloat64, -math.MaxFloat64, 37.43, -37.43} {
		for _, u := range []float64{1, -1, math.MaxFloat64, -math.MaxFloat64, 5e-324, -5e-324, 0x1p-1022, 1e-300, 1e300, 3e38, 1e-30} {
			add(g, u)
		}
	}
	binade := func(lo, hi int) float64 { return sign() * math.Ldexp(1+r.Float64(), lo+r.IntN(hi-lo+1)) }
	for i := range 8000 {
		switch i % 8 {
		case 0: // ordinary
			add(-40+80*r.Float64(), r.NormFloat64())
		case 1: // up over every binade, gate over the range of expDD and beyond
			add(-1600+2500*r.Float64(), binade(-1074, 1023))
		case 2: // huge up, e^gate subnormal or below the float64 range
			add(-1460+760*r.Float64(), binade(960, 1023))
		case 3: // tiny and subnormal up
			add(-40+80*r.Float64(), sign()*math.Float64frombits(r.Uint64N(1<<53)))
		case 4: // huge gates: results beyond the range, at its top, or ±0
			add(binade(5, 1023), binade(-1074, 1023))
		case 5: // tiny gates
			add(binade(-1074, -1), binade(-1074, 1023))
		case 6: // gate·up beyond the range, the result in it
			add(-(32 + 700*r.Float64()), binade(1000, 1023))
		case 7: // float32 pairs
			g := float32(-200 + 240*r.Float64())
			if r.IntN(4) == 0 {
				g = float32(binade(-149, 127))
			}
			add(float64(g), float64(float32(binade(-149, 127))))
		}
	}
	return gates, ups
}

// TestSwiGLUExact64Big checks SwiGLUExact64 against math/big at 300 bits:
// hi correctly rounded (±Inf beyond the range, with lo 0), |lo| within
// half an ulp of hi, the pair within 2^-100 relative where it is at least
// Tiny64 and within 2^-50 ULP everywhere (scaled and subnormal results,
// and results below the float64 range, included).
func TestSwiGLUExact64Big(t *testing.T) {
	gates, ups := swigluInputs64()
	if testing.Short() {
		gates, ups = gates[:len(gates)/4], ups[:len(ups)/4]
	}
	var worstRel, worstULP float64
	var relAt, ulpAt [2]float64
	inf, zero := 0, 0
	for i, g := range gates {
		u := ups[i]
		hi, lo := SwiGLUExact64(g, u)
		exact := bigSwiGLU64(g, u)
		want, _ := exact.Float64()
		if math.Float64bits(hi) != math.Float64bits(want) && !(hi == 0 && want == 0 && math.Signbit(hi) == ((g < 0) != (u < 0))) {
			t.Errorf("SwiGLUExact64(%v, %v): hi = %v, want %v (correctly rounded)", g, u, hi, want)
		}
		if math.Signbit(hi) != ((g < 0) != (u < 0)) {
			t.Errorf("SwiGLUExact64(%v, %v) = %v: the sign differs from gate·up's", g, u, hi)
		}
		if math.IsInf(hi, 0) {
			if inf++; lo != 0 {
				t.Errorf("SwiGLUExact64(%v, %v) = %v, %v; want lo 0", g, u, hi, lo)
			}
			continue
		}
		if exact.Sign() == 0 {
			if zero++; hi != 0 || lo != 0 {
				t.Errorf("SwiGLUExact64(%v, %v) = %v, %v; want 0", g, u, hi, lo)
			}
			continue
		}
		v := bigPair(hi, lo)
		if math.Abs(hi) >= Tiny64 {
			up, down := math.Nextafter(hi, math.Inf(1))-hi, hi-math.Nextafter(hi, math.Inf(-1))
			if math.Abs(lo) > max(up, down)/2 {
				t.Errorf("SwiGLUExact64(%v, %v) = %v, %v: |lo| > ulp(hi)/2", g, u, hi, lo)
			}
			if rel := bigRel(v, exact); rel > worstRel {
				worstRel, relAt = rel, [2]float64{g, u}
			}
		}
		if e := bigULPs(v, exact); e > worstULP {
			worstULP, ulpAt = e, [2]float64{g, u}
		}
	}
	t.Logf("%d inputs (%d beyond the range, %d exact zeros): worst relative error 2^%.1f at gate, up = %v (results >= Tiny64), worst 2^%.1f ULP at %v",
		len(gates), inf, zero, math.Log2(worstRel), relAt, math.Log2(worstULP), ulpAt)
	if worstRel > 0x1p-100 {
		t.Errorf("relative error %g > 2^-100 at gate, up = %v", worstRel, relAt)
	}
	if worstULP > 0x1p-50 {
		t.Errorf("error %g ULP > 2^-50 at gate, up = %v", worstULP, ulpAt)
	}
}

// TestSwiGLUExact64Known checks SwiGLUExact64 on values computed apart,
// with mpmath at 2400 bits and rounded to float64 from the exact binary
// fraction: ordinary ones, the scaled and subnormal results of huge up,
// gate·up beyond the range with the result in it, and a result just above
// the midpoint of 0 and 2^-1074.
func TestSwiGLUExact64Known(t *testing.T) {
	for _, c := range []struct{ gate, up, hi float64 }{
		{1, 1, 0x1.764d4f5d5a2bdp-1},   // σ(1) = 0.7310585786300048792...
		{-1, 2, -0x1.136561454ba86p-1}, // -2σ(-1) = -0.5378828427399902415...
		{2.5, -0.75, -0x1.bb968bfda3d88p+0},
		{0.5, 3, 0x1.de0c7bf3ce559p-1},
		{40, 3, 120},       // 120 - 5.1e-16
		{1e300, 1e-300, 1}, // 1.0000000000000000776
		{float64(float32(-100)), float64(float32(1e38)), -0x1.861406a1b7a80p-12}, // the float32 example, -3.72e-4
		{-700, 1e308, -0x1.a540365291273p+22},                                    // gate·up = -7e310: -6901773.58...
		{-1000, 1e308, -0x1.579a3bd89cb68p-410},                                  // e^gate below the float64 range
		{-1400, 1e308, -0x1.c7b8947e7bca6p-987},                                  // scaled: below Tiny64
		{-740, 1, -0xf512p-1074},                                                 // subnormal
		{-745, 0.5, -0xd5p-1074},
		{0x1p-1074, 1, 0x1p-1074}, // 2^-1075 + 2^-2150: rounds up
		{1e308, 10, math.Inf(1)},  // 1e309
	} {
		if hi, _ := SwiGLUExact64(c.gate, c.up); math.Float64bits(hi) != math.Float64bits(c.hi) {
			t.Errorf("SwiGLUExact64(%v, %v) = %v (%x), want %v (%x)", c.gate, c.up, hi, hi, c.hi, c.hi)
		}
	}
}

// TestSwiGLUExact64Midpoints checks SwiGLUExact64 against math/big where
// gate·up/2 is exactly halfway between two float64s and gate is tiny, so
// that gate²·up/4, far below the pair's precision, decides the rounding:
// subnormal gates with an odd last bit and up = ±2^j (subnormal results
// and normal ones), and gate·up of 54 significant bits (up = ±3, ±1.5)
// for gates of every binade below 2^-60.
func TestSwiGLUExact64Midpoints(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 0x5a16))
	n := 0
	check := func(g, u float64) {
		n++
		hi, lo := SwiGLUExact64(g, u)
		want, _ := bigSwiGLU64(g, u).Float64()
		if math.Float64bits(hi) != math.Float64bits(want) {
			t.Errorf("SwiGLUExact64(%v, %v) = %v, %v; want hi %v", g, u, hi, lo, want)
		}
	}
	for range 2000 {
		s := float64(1 - 2*r.IntN(2))
		// An odd multiple of 2^-1074, up a power of two: subnormal results
		// up to 2^60 times them.
		g := s * math.Float64frombits(r.Uint64N(1<<52)|1)
		check(g, float64(1-2*r.IntN(2))*math.Ldexp(1, r.IntN(61)))
		check(-g, float64(1-2*r.IntN(2)))
		// 2^e·(1 + odd·2^-52) times 3 or 1.5: 54 significant bits.
		m := 1 + float64(r.Uint64N(1<<51)*2+1)*0x1p-52
		g = s * math.Ldexp(m, -61-r.IntN(1013))
		check(g, float64(1-2*r.IntN(2))*[]float64{3, 1.5, 0x1p200 * 3}[r.IntN(3)])
	}
	t.Logf("%d midpoints", n)
}

// TestSwiGLUExact64Limits checks the pairs of non-finite inputs, of zeros,
// and of gate below -1500: bit for bit, signs of zeros included.
func TestSwiGLUExact64Limits(t *testing.T) {
	inf, nz, m := math.Inf(1), math.Copysign(0, -1), math.MaxFloat64
	for _, c := range []struct{ gate, up, hi float64 }{
		{inf, 2, inf}, {inf, -2, -inf}, {inf, 5e-324, inf}, {inf, inf, inf}, {inf, -inf, -inf},
		{-inf, 2, nz}, {-inf, -2, 0}, {-inf, 0, nz}, {-inf, nz, 0},
		{3, inf, inf}, {-3, inf, -inf}, {-1e300, -inf, inf}, {5e-324, -inf, -inf},
		{0, 3, 0}, {nz, 3, nz}, {0, -3, nz}, {nz, -3, 0}, {0, nz, nz}, {-5, 0, nz}, {-5, nz, 0}, {5, nz, nz},
		{-1501, m, nz}, {-1501, -m, 0}, {-1e300, 1e300, nz}, {-m, -m, 0},
	} {
		hi, lo := SwiGLUExact64(c.gate, c.up)
		if math.Float64bits(hi) != math.Float64bits(c.hi) || lo != 0 {
			t.Errorf("SwiGLUExact64(%v, %v) = %v, %v; want %v, 0", c.gate, c.up, hi, lo, c.hi)
		}
	}
	for _, c := range [][2]float64{{math.NaN(), 1}, {1, math.NaN()}, {inf, 0}, {inf, nz}, {-inf, inf}, {-inf, -inf}, {0, inf}, {nz, -inf}} {
		if hi, _ := SwiGLUExact64(c[0], c[1]); hi == hi {
			t.Errorf("SwiGLUExact64(%v, %v) = %v, want NaN", c[0], c[1], hi)
		}
	}
}

// TestSwiGLUExact64Identities checks SwiGLUExact64 against rules that do
// not go through its code: SwiGLU(g, -u) = -SwiGLU(g, u) bit for bit;
// SwiGLU(g, u) - SwiGLU(-g, u) = g·u (silu(g) - silu(-g) = g) to 2^-100
// of g·u; SwiGLU(g, 1) = SiLUExact64(g) and, where g·u is exact in
// float64 (float32 g and u), SwiGLU(g, u) = SoftplusBackwardExact64(g·u,
// g), with the same hi and the pairs within 2^-100 relative.
func TestSwiGLUExact64Identities(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 0x5a16))
	n := 20000
	if testing.Short() {
		n /= 4
	}
	var worstDiff, worstSiLU, worstSPB float64
	for i := range n {
		g := -700 + 1400*r.Float64()
		if i%4 == 0 {
			g = math.Ldexp(r.Float64()-0.5, -r.IntN(60))
		}
		u := math.Ldexp(1+r.Float64(), r.IntN(200)-100) * float64(1-2*r.IntN(2))
		h, l := SwiGLUExact64(g, u)
		if nh, nl := SwiGLUExact64(g, -u); nh != -h || nl != -l {
			t.Errorf("SwiGLUExact64(%v, %v) = %v, %v; with -up %v, %v", g, u, h, l, nh, nl)
		}
		if math.Abs(h) >= Tiny64 {
			mh, ml := SwiGLUExact64(-g, u)
			if math.Abs(mh) >= Tiny64 {
				d := add(dd{h, l}, dd{-mh, -ml})
				p, pe := twoProd(g, u)
				if e := math.Abs((d.hi-p)+(d.lo-pe)) / math.Abs(p); e > worstDiff {
					worstDiff = e
				}
			}
		}
		if sh, sl := SiLUExact64(g); math.Abs(sh) >= Tiny64 {
			h1, l1 := SwiGLUExact64(g, 1)
			if h1 != sh {
				t.Errorf("SwiGLUExact64(%v, 1) = %v, SiLUExact64 %v", g, h1, sh)
			}
			worstSiLU = max(worstSiLU, math.Abs(l1-sl)/math.Abs(sh))
		}
		g32, u32 := float64(float32(g)), float64(float32(u))
		h32, l32 := SwiGLUExact64(g32, u32)
		if bh, bl := SoftplusBackwardExact64(g32*u32, g32); math.Abs(bh) >= Tiny64 {
			if h32 != bh {
				t.Errorf("SwiGLUExact64(%v, %v) = %v, SoftplusBackwardExact64 of gate·up %v", g32, u32, h32, bh)
			}
			worstSPB = max(worstSPB, math.Abs(l32-bl)/math.Abs(bh))
		}
	}
	t.Logf("silu(g)·u - silu(-g)·u against g·u: 2^%.1f; against SiLUExact64: 2^%.1f; against SoftplusBackwardExact64: 2^%.1f",
		math.Log2(worstDiff), math.Log2(worstSiLU), math.Log2(worstSPB))
	for _, c := range []struct {
		name  string
		worst float64
	}{{"SwiGLU(g, u) - SwiGLU(-g, u) - g·u", worstDiff}, {"SiLUExact64", worstSiLU}, {"SoftplusBackwardExact64", worstSPB}} {
		if c.worst > 0x1p-100 {
			t.Errorf("%s: relative difference %g > 2^-100", c.name, c.worst)
		}
	}
}

// TestSwiGLUWide checks the float32 reference against SwiGLUExact64 on
// float32 pairs of every kind, in float32 ULPs (ulps32): within 2^-24 ULP
// everywhere (the measure of the checks, far below 10^-6 ULP), and
// within 2^-49 relative where the result is a normal float64 and gate at
// least -708 (below, e^gate is subnormal or 0 in float64); then on
// values computed apart with mpmath: rounded to float32, the reference
// gives the correctly rounded result.
func TestSwiGLUWide(t *testing.T) {
	r := rand.New(rand.NewPCG(32, 0x5a16))
	n := 400000
	if testing.Short() {
		n /= 8
	}
	binade := func(lo, hi int) float32 {
		return float32(float64(1-2*r.IntN(2)) * math.Ldexp(1+r.Float64(), lo+r.IntN(hi-lo+1)))
	}
	var worstULP, worstRel float64
	var ulpAt, relAt [2]float32
	for i := range n {
		var g, u float32
		switch i % 6 {
		case 0: // ordinary
			g, u = float32(-40+80*r.Float64()), float32(r.NormFloat64())
		case 1: // huge up where e^gate is subnormal or below the float32 range
			g, u = float32(-210+180*r.Float64()), binade(96, 127)
		case 2: // tiny and subnormal up
			g, u = float32(-120+160*r.Float64()), math.Float32frombits(r.Uint32N(1<<24))
		case 3: // any bit patterns
			g, u = math.Float32frombits(r.Uint32()), math.Float32frombits(r.Uint32())
		case 4: // huge gates, any up
			g, u = binade(5, 127), binade(-149, 127)
		case 5: // the negative tail, any up
			g, u = float32(-(32 + 1000*r.Float64())), binade(-149, 127)
		}
		if g != g || u != u || math.IsInf(float64(g), 0) || math.IsInf(float64(u), 0) || g == 0 || u == 0 {
			continue
		}
		wide := SwiGLUWide(g, u)
		hi, lo := SwiGLUExact64(float64(g), float64(u))
		if math.Abs(hi) < Tiny64 {
			lo = 0
		}
		// The error of wide, in float32 ULPs of the exact value: as ulps32
		// measures it, with wide for got.
		e := -126
		if hi != 0 {
			e, _ = binade64(hi, lo)
			e = max(e, -126)
		}
		d, dl := twoSum(wide, -hi)
		if ue := math.Abs(d+(dl-lo)) * math.Ldexp(1, 23-e); ue > worstULP {
			worstULP, ulpAt = ue, [2]float32{g, u}
		}
		if g >= -708 && math.Abs(hi) >= 0x1p-1022 {
			if rel := math.Abs(d+(dl-lo)) / math.Abs(hi); rel > worstRel {
				worstRel, relAt = rel, [2]float32{g, u}
			}
		}
		if math.Signbit(wide) != ((g < 0) != (u < 0)) {
			t.Errorf("SwiGLUWide(%v, %v) = %v: the sign differs from gate·up's", g, u, wide)
		}
	}
	t.Logf("worst error 2^%.2f float32 ULP at gate, up = %v; worst relative error 2^%.2f at %v (results >= 2^-1022)",
		math.Log2(worstULP), ulpAt, math.Log2(worstRel), relAt)
	if worstULP > 0x1p-24 {
		t.Errorf("error %g float32 ULP > 2^-24 at gate, up = %v", worstULP, ulpAt)
	}
	if worstRel > 0x1p-49 {
		t.Errorf("relative error %g > 2^-49 at gate, up = %v", worstRel, relAt)
	}
	f := math.Float32frombits
	for _, c := range []struct {
		gate, up float32
		want     uint32
	}{
		{1, 1, 0x3f3b26a8}, {-1, 2, 0xbf09b2b1}, {2.5, -0.75, 0xbfddcb46},
		{-100, 1e38, 0xb9c30a03},   // the documented example: -3.7200758e-04
		{-20, 1e-30, 0x81607094},   // -4.1223073e-38
		{-95, 1, 0x8005b61a},       // subnormal
		{-150, 1e38, 0x96053c2e},   // -1.0762644e-25, e^gate far below the float32 range
		{-150, 1, 0x80000000},      // below the range: -0
		{3e38, 0.5, 0x7ee1b1e6},    // gate·up exact, σ = 1
		{-f(1), -1, 0x00000000},    // 2^-150 - 2^-300: +0
		{3e38, 2, 0x7f800000},      // beyond the range
		{-3e38, 2, 0x80000000},     // σ(gate) = 0 in every precision here
		{1e-30, 1e-30, 0x00000000}, // 5e-61
	} {
		got := float32(SwiGLUWide(c.gate, c.up))
		if math.Float32bits(got) != c.want {
			t.Errorf("float32(SwiGLUWide(%v, %v)) = %v (%#08x), want %v (%#08x)", c.gate, c.up, got, math.Float32bits(got), f(c.want), c.want)
		}
	}
}

// binade64 is the binade of the exact value hi + lo (as binade gives hi's,
// one lower where hi is a power of two and lo points down).
func binade64(hi, lo float64) (int, bool) {
	e, pow := binade(hi)
	if pow && lo != 0 && (lo < 0) != (hi < 0) {
		e--
	}
	return e, pow
}

// TestCheckSwiGLU checks the rules of CheckSwiGLU and CheckSwiGLU64 on
// results that keep and break each, the bound the same at every magnitude
// (results below 2^-125, 2^-1021, and subnormal ones included), and
// CheckSwiGLU's fast verdicts against the exact pair's.
func TestCheckSwiGLU(t *testing.T) {
	t.Run("float32", func(t *testing.T) {
		f := math.Float32frombits
		nan, inf, nz := f(0x7f800001), float32(math.Inf(1)), float32(math.Copysign(0, -1))
		mx := float32(math.MaxFloat32)
		wide := func(g, u float32) float32 { return float32(SwiGLUWide(g, u)) }
		// toward is the float32 next to float32(v) on v's side: within 1
		// ULP of v.
		toward := func(v float64) float32 {
			return math.Nextafter32(float32(v), float32(math.Copysign(math.MaxFloat32, v-float64(float32(v)))))
		}
		// away is two float32 steps from float32(v), away from v: more
		// than 1 ULP off.
		away := func(v float64) float32 {
			d := float32(math.Copysign(math.MaxFloat32, float64(float32(v))-v))
			return math.Nextafter32(math.Nextafter32(float32(v), d), d)
		}
		sub := wide(-95, 1) // subnormal
		ex := SwiGLUWide(-100, 1e38)
		good := []struct{ gate, up, got float32 }{
			{nan, 1, f(0x7fc00001)}, {f(0xffa00000), f(0x7fc00002), f(0xffe00000)}, {1, f(0xff800005), f(0xffc00005)}, {inf, f(0x7f800003), f(0x7fc00003)},
			{inf, 3, inf}, {inf, -1e-45, -inf}, {inf, inf, inf}, {inf, -inf, -inf}, {inf, 0, f(0xffc00000)}, {inf, nz, f(0xffc00000)},
			{-inf, 3, nz}, {-inf, -3, 0}, {-inf, 0, nz}, {-inf, nz, 0}, {-inf, inf, f(0xffc00000)}, {-inf, -inf, f(0xffc00000)},
			{0, inf, f(0xffc00000)}, {nz, -inf, f(0xffc00000)}, {-1e30, inf, -inf}, {-1e30, -inf, inf}, {1e-45, inf, inf},
			{0, 3, 0}, {nz, 3, nz}, {0, -3, nz}, {nz, -3, 0}, {-5, 0, nz}, {-5, nz, 0}, {0, nz, nz}, {nz, nz, 0},
			{1, 1, f(0x3f3b26a8)}, {1, 1, toward(SwiGLUWide(1, 1))}, {-100, 1e38, float32(ex)}, {-100, 1e38, toward(ex)},
			{-95, 1, sub}, {-95, 1, toward(SwiGLUWide(-95, 1))}, {-150, 1, nz}, {-150, -1, 0}, {-f(1), -1, 0}, {-f(1), -1, 0x1p-149},
			{-1, 0x1.3p-124, toward(SwiGLUWide(-1, 0x1.3p-124))}, {2, 0x1.7p-127, toward(SwiGLUWide(2, 0x1.7p-127))},
			{3e38, 2, inf}, {mx, 1 + 0x1p-23, inf}, {mx, 1 - 0x1p-24, mx}, {-3e38, 2, nz},
		}
		for _, c := range good {
			if _, why := CheckSwiGLU(c.gate, c.up, c.got, 1); why != "" {
				t.Errorf("CheckSwiGLU(%v, %v, %v): %s", c.gate, c.up, c.got, why)
			}
		}
		bad := []struct {
			gate, up, got float32
			reason        string
		}{
			{nan, 1, nan, "7fc00001"}, {nan, f(0x7fc00002), f(0x7fc00002), "7fc00001"}, {1, f(0xff800005), f(0x7fc00000), "ffc00005"},
			{inf, 0, f(0x7fc00000), "want exactly 0xffc00000"}, {-inf, inf, inf, "want exactly 0xffc00000"}, {0, inf, 0, "want exactly 0xffc00000"},
			{inf, 3, mx, "want exactly 0x7f800000"}, {-inf, 3, 0, "want exactly 0x80000000"}, {-inf, -3, nz, "want exactly 0x00000000"},
			{nz, 3, 0, "want exactly 0x80000000"}, {-5, 0, 0x1p-149, "want exactly 0x80000000"}, {-1e30, inf, f(0xffc00000), "want exactly 0xff800000"},
			{1, 1, away(SwiGLUWide(1, 1)), "ULP > 1"}, {-100, 1e38, away(ex), "ULP > 1"}, {-100, 1e38, 0, "sign differs"},
			{-95, 1, nz, "ULP > 1"}, {-95, 1, away(SwiGLUWide(-95, 1)), "ULP > 1"}, {-95, 1, f(0x8005b61b), "ULP > 1"},
			{-1, 0x1.3p-124, f(0x80a38433), "ULP > 1"}, {2, 0x1.7p-127, f(0x00a21112), "ULP > 1"},
			{-150, 1, 0, "sign differs"}, {1, 1, inf, "ULP > 1"}, {1, 1, f(0x7fc00000), "ULP > 1"},
			{3e38, 2, mx, "ULP > 1"}, {mx, 1 + 0x1p-23, mx, "ULP > 1"}, {mx, 1 - 0x1p-24, inf, "ULP > 1"}, {1e30, 1e30, -inf, "sign differs"},
		}
		for _, c := range bad {
			if u, why := CheckSwiGLU(c.gate, c.up, c.got, 1); !strings.Contains(why, c.reason) || !(u > 1) && c.reason != "sign differs" || c.reason == "ULP > 1" && !strings.HasSuffix(why, c.reason) {
				t.Errorf("CheckSwiGLU(%v, %v, %v) = %v, %q; want %q", c.gate, c.up, c.got, u, why, c.reason)
			}
		}
		// Errors at the edges: Inf counts as 2^128, and the smallest
		// results are measured in ulps of 2^-149.
		for _, c := range []struct {
			gate, up, got float32
			want          float64
		}{
			{mx, 1, inf, 1}, {mx, 1, mx, 0}, {mx, 1 - 0x1p-24, mx, 1 - 0x1p-24},
			{-f(1), -1, 0x1p-149, 0.5}, {-f(1), -1, 0, 0.5},
		} {
			if u, _ := CheckSwiGLU(c.gate, c.up, c.got, 1); math.Abs(u-c.want) > 0x1p-40 {
				t.Errorf("CheckSwiGLU(%v, %v, %v) = %v ULP, want %v", c.gate, c.up, c.got, u, c.want)
			}
		}
		// Below 2^-125 the bound is the same 1 ULP: results 1.2 to 1.5 ULP
		// off there (the neighbour of the correctly rounded result on the
		// far side), subnormal or normal, are rejected.
		for _, c := range []struct {
			gate, up, got float32
			want          float64
		}{
			{-95, 1, f(0x8005b61b), 1.28279638},         // subnormal: -5.2450282e-40
			{-1, 0x1.3p-124, f(0x80a38433), 1.24553037}, // in [2^-126, 2^-125): -1.5016608e-38
			{2, 0x1.7p-127, f(0x00a21112), 1.21636604},  // the same, up subnormal: 1.4883472e-38
		} {
			u, why := CheckSwiGLU(c.gate, c.up, c.got, 1)
			if math.Abs(u-c.want) > 1e-7 || !strings.HasSuffix(why, "ULP > 1") {
				t.Errorf("CheckSwiGLU(%v, %v, %v) = %v ULP, %q; want %v ULP, rejected", c.gate, c.up, c.got, u, why, c.want)
			}
		}
		// The fast verdicts are those of the exact pair: a result is judged
		// by the pair wherever the two could differ.
		r := rand.New(rand.NewPCG(3, 0x5a16))
		for i := range 200000 {
			g := float32(-120 + 160*r.Float64())
			u := float32(math.Ldexp(r.Float64()+0.5, r.IntN(200)-100))
			if i%4 == 0 { // results from 2^-146 to 2^-117: next to 2^-125 and subnormal
				g = float32(-10 + 20*r.Float64())
				u = float32(math.Ldexp(r.Float64()+0.5, r.IntN(15)-135))
			}
			hi, lo := SwiGLUExact64(float64(g), float64(u))
			if math.Abs(hi) < Tiny64 {
				lo = 0
			}
			b32 := math.Float32bits(float32(hi))
			if b32&(1<<31-1) < 2 {
				continue // the steps below would cross 0
			}
			got := math.Float32frombits(b32 + uint32(r.IntN(5)) - 2)
			bound := float64(1 + r.IntN(2))
			e, why := CheckSwiGLU(g, u, got, bound)
			want := ulps32(got, hi, lo)
			if math.Abs(e-want) > 0x1p-24 || (why == "") != (want <= bound && math.Signbit(float64(got)) == (g < 0)) {
				t.Fatalf("CheckSwiGLU(%v, %v, %v, %v) = %v, %q; the pair gives %v ULP", g, u, got, bound, e, why, want)
			}
		}
	})
	t.Run("float64", func(t *testing.T) {
		f := math.Float64frombits
		nan, inf, nz, mx := f(0x7ff0000000000001), math.Inf(1), math.Copysign(0, -1), math.MaxFloat64
		exact := func(g, u float64) float64 { hi, _ := SwiGLUExact64(g, u); return hi }
		// toward is the float64 next to hi on the side lo points to: within
		// 1 ULP of the exact value.
		toward := func(g, u float64) float64 {
			hi, lo := SwiGLUExact64(g, u)
			return math.Nextafter(hi, math.Copysign(math.Inf(1), lo))
		}
		sub := exact(-740, 1)       // subnormal
		huge := exact(-1400, 1e308) // e^gate far below the float64 range
		good := []struct{ gate, up, got float64 }{
			{nan, 1, f(0x7ff8000000000001)}, {1, f(0xfff0000000000005), f(0xfff8000000000005)},
			{inf, -2, -inf}, {-inf, 2, nz}, {inf, 0, f(0xfff8000000000000)}, {nz, inf, f(0xfff8000000000000)}, {-1e300, inf, -inf},
			{nz, 5, nz}, {-5, nz, 0}, {1, 1, toward(1, 1)}, {-740, 1, sub}, {-740, 1, toward(-740, 1)},
			{-1400, 1e308, huge}, {-1400, -1e308, -huge}, {-1400, 1e308, toward(-1400, 1e308)}, {-800, 1, nz}, {-800, -1, 0},
			{-741, 3, toward(-741, 3)}, {-745, 0.5, toward(-745, 0.5)}, {-1, 0x1.8p-1020, toward(-1, 0x1.8p-1020)},
			{1e308, 10, inf}, {mx, 1, inf}, {mx, 1, mx}, {mx, 1 + 0x1p-52, inf}, {-700, 1e308, exact(-700, 1e308)},
		}
		for _, c := range good {
			if _, why := CheckSwiGLU64(c.gate, c.up, c.got, 1); why != "" {
				t.Errorf("CheckSwiGLU64(%v, %v, %v): %s", c.gate, c.up, c.got, why)
			}
		}
		bad := []struct {
			gate, up, got float64
			reason        string
		}{
			{nan, 1, nan, "7ff8000000000001"}, {1, f(0xfff0000000000005), f(0x7ff8000000000000), "fff8000000000005"},
			{inf, 0, f(0x7ff8000000000000), "want exactly 0xfff8000000000000"}, {-inf, 2, 0, "want exactly 0x8000000000000000"},
			{-800, 1, 0, "sign differs"}, {1, 1, math.Nextafter(math.Nextafter(exact(1, 1), 1), 1), "ULP > 1"},
			{-740, 1, nz, "ULP > 1"}, {-741, 3, -0x10ed7p-1074, "ULP > 1"}, {-745, 0.5, -0xd6p-1074, "ULP > 1"},
			{-1, 0x1.8p-1020, -0x1.9d1811e7f17c8p-1022, "ULP > 1"},
			{-1400, 1e308, 0, "sign differs"}, {-1400, 1e308, 2 * huge, "ULP > 1"},
			{1e308, 10, mx, "ULP > 1"}, {mx, 1 + 0x1p-52, mx, "ULP > 1"}, {mx, 1 - 0x1p-53, inf, "ULP > 1"}, {2, 1e300, inf, "ULP > 1"},
		}
		for _, c := range bad {
			if u, why := CheckSwiGLU64(c.gate, c.up, c.got, 1); !strings.Contains(why, c.reason) || !(u > 1) && c.reason != "sign differs" || c.reason == "ULP > 1" && !strings.HasSuffix(why, c.reason) {
				t.Errorf("CheckSwiGLU64(%v, %v, %v) = %v, %q; want %q", c.gate, c.up, c.got, u, why, c.reason)
			}
		}
		// Errors at the top of the range: Inf counts as 2^1024.
		for _, c := range []struct{ gate, up, got, want float64 }{
			{mx, 1, inf, 1}, {mx, 1, mx, 0}, {mx, 1 + 0x1p-52, mx, 2 - 0x1p-52}, {1e308, 10, inf, 0},
		} {
			if u, _ := CheckSwiGLU64(c.gate, c.up, c.got, 1); math.Abs(u-c.want) > 0x1p-40 {
				t.Errorf("CheckSwiGLU64(%v, %v, %v) = %v ULP, want %v", c.gate, c.up, c.got, u, c.want)
			}
		}
		// Below 2^-1021 the bound is the same 1 ULP: results 1.2 to 1.5
		// ULP off there, subnormal or normal, are rejected.
		for _, c := range []struct{ gate, up, got, want float64 }{
			{-741, 3, -0x10ed7p-1074, 1.40560329},                   // subnormal: -3.4255547e-319
			{-745, 0.5, -0xd6p-1074, 1.20932007},                    // subnormal: -1.0523598e-321
			{-1, 0x1.8p-1020, -0x1.9d1811e7f17c8p-1022, 1.45388918}, // in [2^-1022, 2^-1021): -3.5904872e-308
		} {
			u, why := CheckSwiGLU64(c.gate, c.up, c.got, 1)
			if math.Abs(u-c.want) > 1e-7 || !strings.HasSuffix(why, "ULP > 1") {
				t.Errorf("CheckSwiGLU64(%v, %v, %v) = %v ULP, %q; want %v ULP, rejected", c.gate, c.up, c.got, u, why, c.want)
			}
		}
	})
}
