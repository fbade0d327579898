package accuracy

import (
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
)

// bigBCE64 is max(z, 0) - t·z + log(1 + e^-|z|) for finite z and t with a
// finite t·z: A exact (4200 bits hold any float64 sum and product), L to
// about 270 bits, and 0 for |z| > 1500, where it is below 2^-2160. It also
// returns |A| + L, the scale of the error where A and L cancel.
func bigBCE64(z, t float64) (v, scale *big.Float) {
	const prec = 4200
	a := new(big.Float).SetPrec(prec).SetFloat64(math.Max(z, 0))
	p := new(big.Float).SetPrec(prec).SetFloat64(t)
	p.Mul(p, new(big.Float).SetPrec(prec).SetFloat64(z))
	a.Sub(a, p)
	l := new(big.Float).SetPrec(prec)
	if math.Abs(z) <= 1500 {
		l.Set(bigSoftplus64(-math.Abs(z)))
	}
	scale = new(big.Float).SetPrec(prec).Abs(a)
	scale.Add(scale, l)
	return a.Add(a, l), scale
}

// bceInputs64 are the (z, t) pairs TestBCEWithLogitsExact64Big checks:
// z ordinary, tiny, huge, over the subnormal results and over the scaled
// form's range, float32 values among them; t 0, -0, 1, 0.5, tiny
// (subnormal included), uniform, just below 1 and outside [0, 1].
func bceInputs64() (zs, ts []float64) {
	r := rand.New(rand.NewPCG(64, 0xbce))
	sign := func() float64 { return float64(1 - 2*r.IntN(2)) }
	add := func(z, t float64) { zs, ts = append(zs, z), append(ts, t) }
	specialZ := []float64{0, math.Copysign(0, -1), 1, -1, -30, 30, 32, -32, 640, -640, 671.66, -671.66, 708.4, -708.4,
		745.2, -745.2, 746, -746, 1490, -1490, 1500, -1500, 1e300, -1e300, math.MaxFloat64, -math.MaxFloat64,
		5e-324, -5e-324, 0x1p-1022, float64(math.MaxFloat32), -float64(math.MaxFloat32), 0x1p-149}
	specialT := []float64{0, math.Copysign(0, -1), 1, 0.5, 5e-324, 0x1p-1022, 0x1p-149, 1 - 0x1p-53, 1 - 0x1p-24, -1, 2, 1.5, -0x1p-1074}
	for _, z := range specialZ {
		for _, t := range specialT {
			add(z, t)
		}
	}
	for i := range 6000 {
		var z float64
		switch r.IntN(8) {
		case 0, 1: // ordinary
			z = -40 + 80*r.Float64()
		case 2: // tiny
			z = sign() * math.Ldexp(1+r.Float64(), -r.IntN(1075))
		case 3: // any binade
			z = sign() * math.Ldexp(1+r.Float64(), r.IntN(1024))
		case 4: // subnormal results (t = 0 or tiny), and their mirror (t = 1)
			z = sign() * (700 + 46*r.Float64())
		case 5: // the scaled form's range and beyond
			z = -(640 + 900*r.Float64())
		case 6: // beyond |z| = 32
			z = sign() * (32 + 800*r.Float64())
		default: // float32 values
			z = float64(float32(sign() * math.Ldexp(1+r.Float64(), r.IntN(160)-140)))
		}
		var t float64
		switch r.IntN(10) {
		case 0:
			t = 0
		case 1:
			t = 1
		case 2: // tiny, down to the subnormals
			t = math.Ldexp(1+r.Float64(), -1-r.IntN(1074))
		case 3: // just below 1
			t = 1 - math.Ldexp(1+r.Float64(), -2-r.IntN(52))
		case 4: // outside [0, 1]
			t = []float64{-1, 2, 1.5, -0.25, 1 + 0x1p-52, -1e-300, 3.7, -1e10}[r.IntN(8)]
		case 5: // float32 values
			t = float64(float32(r.Float64()))
		default:
			t = r.Float64()
		}
		add(z, t)
		if i%8 == 0 && !math.IsInf(float64(float32(z)), 0) { // a float32 pair
			add(float64(float32(z)), float64(float32(t)))
		}
	}
	return zs, ts
}

// TestBCEWithLogitsExact64Big checks BCEWithLogitsExact64 against math/big
// at 300 bits (A exact): for t in [0, 1] hi correctly rounded, |lo| within
// half an ulp of hi, the pair within 2^-100 relative where it is at least
// Tiny64 and within 2^-50 ULP everywhere (subnormal results and those
// below the float64 range included); for t outside [0, 1] within 2^-100
// of |A| + L, the scale of the terms that cancel.
func TestBCEWithLogitsExact64Big(t *testing.T) {
	zs, ts := bceInputs64()
	if testing.Short() {
		zs, ts = zs[:len(zs)/4], ts[:len(ts)/4]
	}
	var worstRel, worstULP, worstOut float64
	var relAt, ulpAt, outAt [2]float64
	checked, outside := 0, 0
	for i, z := range zs {
		tt := ts[i]
		if math.IsInf(tt*z, 0) || math.IsInf(math.Max(z, 0)-tt*z, 0) {
			continue // the rules, not the value (TestBCEWithLogitsExact64Limits)
		}
		hi, lo := BCEWithLogitsExact64(z, tt)
		exact, scale := bigBCE64(z, tt)
		v := bigPair(hi, lo)
		if !(tt >= 0 && tt <= 1) {
			outside++
			// Within 2^-100 of |A| + L, or 2^-50 ULP: below Tiny64 the pair
			// holds no more.
			d := new(big.Float).SetPrec(4200).Sub(v, exact)
			d.Quo(d, scale)
			f, _ := d.Float64()
			if f = min(math.Abs(f), bigULPs(v, exact)*0x1p-50); f > worstOut {
				worstOut, outAt = f, [2]float64{z, tt}
			}
			continue
		}
		checked++
		if want, _ := exact.Float64(); hi != want || math.Signbit(hi) {
			t.Errorf("BCEWithLogitsExact64(%v, %v): hi = %v, want %v (correctly rounded)", z, tt, hi, want)
		}
		if exact.Sign() == 0 {
			if hi != 0 || lo != 0 {
				t.Errorf("BCEWithLogitsExact64(%v, %v) = %v, %v; want 0", z, tt, hi, lo)
			}
			continue
		}
		if math.Abs(hi) >= Tiny64 {
			up, down := math.Nextafter(hi, math.Inf(1))-hi, hi-math.Nextafter(hi, math.Inf(-1))
			if math.Abs(lo) > max(up, down)/2 {
				t.Errorf("BCEWithLogitsExact64(%v, %v) = %v, %v: |lo| > ulp(hi)/2", z, tt, hi, lo)
			}
			if rel := bigRel(v, exact); rel > worstRel {
				worstRel, relAt = rel, [2]float64{z, tt}
			}
		}
		if u := bigULPs(v, exact); u > worstULP {
			worstULP, ulpAt = u, [2]float64{z, tt}
		}
	}
	t.Logf("%d inputs with t in [0, 1]: worst relative error 2^%.1f at z, t = %v (results >= Tiny64), worst 2^%.1f ULP at %v; %d outside: worst 2^%.1f of |A| + L at %v",
		checked, math.Log2(worstRel), relAt, math.Log2(worstULP), ulpAt, outside, math.Log2(worstOut), outAt)
	if worstRel > 0x1p-100 {
		t.Errorf("relative error %g > 2^-100 at z, t = %v", worstRel, relAt)
	}
	if worstULP > 0x1p-50 {
		t.Errorf("error %g ULP > 2^-50 at z, t = %v", worstULP, ulpAt)
	}
	if worstOut > 0x1p-100 {
		t.Errorf("t outside [0, 1]: error %g of |A| + L > 2^-100 at z, t = %v", worstOut, outAt)
	}
}

// TestBCEWithLogitsExact64Limits checks the pairs of non-finite inputs,
// of a t·z or an A beyond the float64 range, and of A = 0.
func TestBCEWithLogitsExact64Limits(t *testing.T) {
	inf, nz := math.Inf(1), math.Copysign(0, -1)
	for _, c := range []struct{ z, t, hi float64 }{
		{inf, 0, inf}, {inf, nz, inf}, {inf, 0.5, inf}, {inf, 1, 0}, {inf, 2, -inf}, {inf, -1, inf}, {inf, inf, -inf}, {inf, -inf, inf},
		{-inf, 0, 0}, {-inf, nz, 0}, {-inf, 5e-324, inf}, {-inf, 1, inf}, {-inf, -1, -inf}, {-inf, inf, inf}, {-inf, -inf, -inf},
		{math.MaxFloat64, -1, inf}, {1e308, -0.9, inf}, {1e308, 1, 0}, {-1e308, 0, 0}, {2000, 1, 0}, {-2000, 0, 0},
		{-1e308, 1, 1e308}, {1e308, 0, 1e308}, {-1e308, 1.5, 1.5e308},
	} {
		hi, lo := BCEWithLogitsExact64(c.z, c.t)
		if math.Float64bits(hi) != math.Float64bits(c.hi) || lo != 0 {
			t.Errorf("BCEWithLogitsExact64(%v, %v) = %v, %v; want %v", c.z, c.t, hi, lo, c.hi)
		}
	}
	for _, c := range [][2]float64{{math.NaN(), 1}, {1, math.NaN()}, {1, inf}, {0, inf}, {-3, -inf}, {nz, -inf}, {1e308, 2}, {-1e308, -2}, {1e200, 1e200}} {
		if hi, _ := BCEWithLogitsExact64(c[0], c[1]); hi == hi {
			t.Errorf("BCEWithLogitsExact64(%v, %v) = %v, want NaN", c[0], c[1], hi)
		}
	}
	// A = 0: SoftplusExact64(-|z|) itself, subnormal and scaled pairs too.
	for _, z := range []float64{0.5, 30, 700, 745, 1000} {
		for _, c := range [][2]float64{{z, 1}, {-z, 0}, {-z, nz}} {
			hi, lo := BCEWithLogitsExact64(c[0], c[1])
			if wh, wl := SoftplusExact64(-z); hi != wh || lo != wl {
				t.Errorf("BCEWithLogitsExact64(%v, %v) = %v, %v; want SoftplusExact64(%v) = %v, %v", c[0], c[1], hi, lo, -z, wh, wl)
			}
		}
	}
}

// TestBCEWithLogitsWide checks the float32 reference against math/big on
// float32 pairs (it is BCEWithLogitsExact64's hi: correctly rounded to
// float64), and bceFloat64, which judges most results of
// CheckBCEWithLogits, against it: within 2^-49 relative for t in [0, 1]
// where the result is at least 2^-120 (below, within that or 2^-180).
func TestBCEWithLogitsWide(t *testing.T) {
	r := rand.New(rand.NewPCG(32, 0xbce))
	n := 400000
	if testing.Short() {
		n /= 8
	}
	var worst float64
	var worstAt [2]float32
	for i := range n {
		var z, tt float32
		switch i % 5 {
		case 0: // ordinary
			z = float32(-40 + 80*r.Float64())
		case 1: // subnormal results
			z = float32(-87 - 20*r.Float64())
		case 2: // any bit pattern
			z = math.Float32frombits(r.Uint32())
		case 3: // beyond 32
			z = float32(32 + 800*r.Float64())
		case 4: // tiny
			z = float32(math.Ldexp(r.Float64(), -r.IntN(150)))
		}
		if r.IntN(2) == 0 {
			z = -z
		}
		switch r.IntN(5) {
		case 0:
			tt = float32(r.IntN(2))
		case 1:
			tt = math.Float32frombits(r.Uint32N(0x3f800000)) // any binade below 1
		case 2:
			tt = 1 - float32(math.Ldexp(r.Float64(), -r.IntN(25)))
		default:
			tt = float32(r.Float64())
		}
		if z != z || math.IsInf(float64(z), 0) {
			continue
		}
		wide := BCEWithLogitsWide(z, tt)
		if i%64 == 0 {
			exact, _ := bigBCE64(float64(z), float64(tt))
			if want, _ := exact.Float64(); wide != want {
				t.Errorf("BCEWithLogitsWide(%v, %v) = %v, want %v (correctly rounded)", z, tt, wide, want)
			}
		}
		cheap := bceFloat64(z, tt)
		err := math.Abs(cheap - wide)
		if wide < 0x1p-120 {
			if err > max(0x1p-180, wide*0x1p-49) {
				t.Errorf("z=%v t=%v: bceFloat64 %v, BCEWithLogitsWide %v", z, tt, cheap, wide)
			}
			continue
		}
		if err /= wide; err > worst {
			worst, worstAt = err, [2]float32{z, tt}
		}
	}
	t.Logf("bceFloat64: worst relative error 2^%.2f at z, t = %v", math.Log2(worst), worstAt)
	if worst > 0x1p-49 {
		t.Errorf("bceFloat64: relative error %g > 2^-49 at z, t = %v", worst, worstAt)
	}
}

// TestBCEWithLogitsHalfway checks pairs whose A = max(z, 0) - t·z is
// exactly halfway between two float64s, so that L, far below it, decides
// the rounding of hi (see bceNearest): float32 z and t, found by search
// (z = 725.1483, t = 0.00023006322 among them).
func TestBCEWithLogitsHalfway(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 0xbce))
	found := 0
	for i := 0; found < 20 && i < 1_000_000; i++ {
		z := float32(sign32(r) * (300 + 400*r.Float64()))
		tt := float32(math.Ldexp(1+r.Float64(), -1-r.IntN(30)))
		v, w := float64(z), float64(tt)
		s, e := twoSum(math.Max(v, 0), -w*v)
		if e == 0 || math.Abs(e) != math.Abs(math.Nextafter(s, math.Copysign(math.Inf(1), e))-s)/2 {
			continue
		}
		found++
		hi, lo := BCEWithLogitsExact64(v, w)
		exact, _ := bigBCE64(v, w)
		if want, _ := exact.Float64(); hi != want || math.Abs(lo) > math.Abs(math.Nextafter(hi, math.Copysign(math.Inf(1), lo))-hi)/2 {
			t.Errorf("BCEWithLogitsExact64(%v, %v) = %v, %v; want hi %v (A = %v%+g exactly halfway)", z, tt, hi, lo, want, s, e)
		}
	}
	if found < 20 {
		t.Errorf("found %d halfway pairs, want 20", found)
	}
	if hi, _ := BCEWithLogitsExact64(725.1483154296875, float64(float32(0.00023006322))); hi != 724.9814854742605 {
		t.Errorf("BCEWithLogitsExact64(725.1483, 0.00023006322) = %v, want 724.9814854742605", hi)
	}
}

// sign32 is ±1 at random.
func sign32(r *rand.Rand) float64 { return float64(1 - 2*r.IntN(2)) }

// TestCheckBCEWithLogits checks the rules of CheckBCEWithLogits and
// CheckBCEWithLogits64 on results that keep and break each.
func TestCheckBCEWithLogits(t *testing.T) {
	t.Run("float32", func(t *testing.T) {
		f := math.Float32frombits
		nan, inf, nz := f(0x7f800001), float32(math.Inf(1)), float32(math.Copysign(0, -1))
		wide := func(z, tt float32) float32 { return float32(BCEWithLogitsWide(z, tt)) }
		// toward is the float32 next to float32(v) on v's side: within 1
		// ULP of v.
		toward := func(v float64) float32 {
			return math.Nextafter32(float32(v), float32(math.Copysign(math.MaxFloat32, v-float64(float32(v)))))
		}
		// up2 is two float32 steps above float32(v) on v's side: within 2
		// ULP but not 1.
		up2 := func(v float64) float32 {
			d := float32(math.Copysign(math.MaxFloat32, v-float64(float32(v))))
			return math.Nextafter32(math.Nextafter32(float32(v), d), d)
		}
		sub := wide(-95, 0) // subnormal
		mid := BCEWithLogitsWide(40, 0.3)
		good := []struct {
			z, t, got float32
			bound     float64
		}{
			{nan, 1, f(0x7fc00001), 1}, {f(0xffa00000), f(0x7fc00002), f(0xffe00000), 1}, {1, f(0xff800005), f(0xffc00005), 1},
			{inf, f(0x7fc00002), f(0x7fc00002), 1}, {inf, 0, inf, 1}, {inf, 0.5, inf, 1}, {inf, 1, 0, 1}, {inf, 2, -inf, 1}, {inf, -1, inf, 1},
			{-inf, 0, 0, 1}, {-inf, nz, 0, 1}, {-inf, 1e-45, inf, 1}, {-inf, -1, -inf, 1}, {inf, inf, -inf, 1}, {-inf, inf, inf, 1},
			{0, inf, f(0xffc00000), 1}, {1, -inf, f(0xffc00000), 1}, {3e38, 2, f(0xffc00000), 1}, {-3e38, 1.5, f(0xffc00000), 1},
			{0, 0.3, float32(math.Ln2), 1}, {-30, 0, 9.357623e-14, 1}, {-95, 0, sub, 1}, {95, 1, sub, 1}, {-95, 0, toward(BCEWithLogitsWide(-95, 0)), 1},
			{-200, 0, 0, 1}, {200, 1, 0, 1}, {40, 0.3, toward(mid), 1}, {40, 0.3, up2(mid), 2},
			{1, 2, -12345, 1}, {3e38, -1, f(0xffc00000), 1}, // outside [0, 1]: no bound
		}
		for _, c := range good {
			if _, why := CheckBCEWithLogits(c.z, c.t, c.got, c.bound); why != "" {
				t.Errorf("CheckBCEWithLogits(%v, %v, %v, %v): %s", c.z, c.t, c.got, c.bound, why)
			}
		}
		bad := []struct {
			z, t, got float32
			reason    string
		}{
			{nan, 1, nan, "7fc00001"}, {nan, f(0x7fc00002), f(0x7fc00002), "7fc00001"}, {1, f(0xff800005), f(0x7fc00000), "ffc00005"},
			{inf, 1, nz, "want exactly 0x00000000"}, {-inf, 0, nz, "want exactly 0x00000000"}, {inf, 0.5, f(0x7fc00000), "want exactly 0x7f800000"},
			{-inf, -1, inf, "want exactly 0xff800000"}, {0, inf, f(0x7fc00000), "want exactly 0xffc00000"}, {3e38, 2, -inf, "want exactly 0xffc00000"},
			{0, 0.3, math.Nextafter32(math.Nextafter32(float32(math.Ln2), 1), 1), "ULP > 1"}, {-95, 0, 0, "ULP > 1"},
			{40, 0.3, up2(mid), "ULP > 1"}, {-200, 0, nz, "negative"}, {1, 0.5, inf, "ULP > 1"}, {1, 0.5, f(0x7fc00000), "ULP > 1"},
		}
		for _, c := range bad {
			if u, why := CheckBCEWithLogits(c.z, c.t, c.got, 1); !strings.Contains(why, c.reason) || !(u > 1) && c.reason != "negative" {
				t.Errorf("CheckBCEWithLogits(%v, %v, %v) = %v, %q; want %q", c.z, c.t, c.got, u, why, c.reason)
			}
		}
		// The verdicts of the float64 evaluation are those of the
		// reference: a result is judged by the reference wherever the two
		// could differ.
		r := rand.New(rand.NewPCG(3, 0xbce))
		for range 200000 {
			z := float32(-40 + 80*r.Float64())
			if r.IntN(4) == 0 {
				z = float32(math.Ldexp(1+r.Float64(), r.IntN(20)-10)) * float32(1-2*r.IntN(2))
			}
			tt := float32(r.Float64())
			exact := BCEWithLogitsWide(z, tt)
			got := math.Float32frombits(math.Float32bits(float32(exact)) + uint32(r.IntN(5)) - 2)
			bound := float64(1 + r.IntN(2))
			u, why := CheckBCEWithLogits(z, tt, got, bound)
			want := ULP(got, exact)
			if math.Abs(u-want) > 0x1p-24 || (why == "") != (want <= bound) {
				t.Fatalf("CheckBCEWithLogits(%v, %v, %v, %v) = %v, %q; the reference gives %v ULP", z, tt, got, bound, u, why, want)
			}
		}
	})
	t.Run("float64", func(t *testing.T) {
		f := math.Float64frombits
		nan, inf, nz := f(0x7ff0000000000001), math.Inf(1), math.Copysign(0, -1)
		exact := func(z, tt float64) float64 { hi, _ := BCEWithLogitsExact64(z, tt); return hi }
		// toward is the float64 next to hi on the side lo points to: within
		// 1 ULP of the exact value.
		toward := func(z, tt float64) float64 {
			hi, lo := BCEWithLogitsExact64(z, tt)
			return math.Nextafter(hi, math.Copysign(math.Inf(1), lo))
		}
		sub := exact(-740, 0)       // subnormal
		tiny := exact(-800, 1e-320) // scaled form, subnormal
		good := []struct{ z, t, got float64 }{
			{nan, 1, f(0x7ff8000000000001)}, {1, f(0xfff0000000000005), f(0xfff8000000000005)},
			{inf, 1, 0}, {inf, 0.25, inf}, {-inf, nz, 0}, {-inf, 2, inf}, {inf, 2, -inf},
			{0, -inf, f(0xfff8000000000000)}, {1e308, 2, f(0xfff8000000000000)}, {1e308, -1, 12345},
			{-740, 0, sub}, {-740, 0, toward(-740, 0)}, {740, 1, sub}, {-800, 1e-320, tiny}, {-800, 1e-320, toward(-800, 1e-320)},
			{-30, 0.7, toward(-30, 0.7)}, {-800, 0, 0},
		}
		for _, c := range good {
			if _, why := CheckBCEWithLogits64(c.z, c.t, c.got, 1); why != "" {
				t.Errorf("CheckBCEWithLogits64(%v, %v, %v): %s", c.z, c.t, c.got, why)
			}
		}
		bad := []struct {
			z, t, got float64
			reason    string
		}{
			{nan, 1, nan, "7ff8000000000001"}, {1, f(0xfff0000000000005), f(0x7ff8000000000000), "fff8000000000005"},
			{inf, 1, nz, "want exactly"}, {0, inf, f(0x7ff8000000000000), "want exactly 0xfff8000000000000"},
			{-800, 0, nz, "negative"}, {0, 0.5, math.Nextafter(math.Nextafter(math.Ln2, 1), 1), "ULP > 1"},
			{-740, 0, 0, "ULP > 1"}, {-800, 1e-320, 0, "ULP > 1"}, {-800, 1e-320, 2 * tiny, "ULP > 1"},
		}
		for _, c := range bad {
			if u, why := CheckBCEWithLogits64(c.z, c.t, c.got, 1); !strings.Contains(why, c.reason) || !(u > 1) && c.reason != "negative" {
				t.Errorf("CheckBCEWithLogits64(%v, %v, %v) = %v, %q; want %q", c.z, c.t, c.got, u, why, c.reason)
			}
		}
	})
}
