package accuracy

import (
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
)

// bigSoftplusBackward64 is dy·σ(x) to about 270 bits, for finite dy and x
// with |x| <= 1500.
func bigSoftplusBackward64(dy, x float64) *big.Float {
	s := bigSigmoid64(x)
	return s.Mul(s, new(big.Float).SetPrec(bigPrec64).SetFloat64(dy))
}

// softplusBackwardInputs64 are the (dy, x) pairs TestSoftplusBackwardExact64Big
// checks: ordinary ones, dy over every binade, huge dy where e^x underflows
// float64 (down to the smallest x with a nonzero result), tiny and
// subnormal dy, tiny x, and the edges.
func softplusBackwardInputs64() (dys, xs []float64) {
	r := rand.New(rand.NewPCG(64, 9))
	sign := func() float64 { return float64(1 - 2*r.IntN(2)) }
	add := func(dy, x float64) { dys, xs = append(dys, dy), append(xs, x) }
	for _, x := range []float64{0, math.Copysign(0, -1), 1, -1, 40, -40, 746, 800, -708.4, -745.2, -1456, -1490, -1500, 5e-324, -5e-324} {
		for _, dy := range []float64{1, -1, math.MaxFloat64, -math.MaxFloat64, 5e-324, -5e-324, 0x1p-1022, 0x1p-1000, 3e38, 1e-30} {
			add(dy, x)
		}
	}
	for i := range 6000 {
		switch i % 6 {
		case 0: // ordinary
			add(r.NormFloat64(), -40+80*r.Float64())
		case 1: // dy over every binade, x over the whole range of expDD
			add(sign()*math.Ldexp(1+r.Float64(), r.IntN(2098)-1075), -1500+2300*r.Float64())
		case 2: // huge dy, e^x below the float64 range: scaled and subnormal results
			add(sign()*math.Ldexp(1+r.Float64(), 1023-r.IntN(60)), -1460+760*r.Float64())
		case 3: // tiny and subnormal dy
			add(sign()*math.Float64frombits(r.Uint64N(1<<53)), -40+80*r.Float64())
		case 4: // tiny x, any dy
			add(math.Float64frombits(r.Uint64()>>2)*sign(), sign()*math.Ldexp(r.Float64(), -r.IntN(1074)))
		case 5: // the subnormal results of ordinary dy
			add(sign()*math.Ldexp(1+r.Float64(), r.IntN(40)-20), -760+100*r.Float64())
		}
	}
	return dys, xs
}

// TestSoftplusBackwardExact64Big checks SoftplusBackwardExact64 against
// math/big at 300 bits: hi correctly rounded, |lo| within half an ulp of
// hi, the pair within 2^-100 relative where it is at least Tiny64 and
// within 2^-50 ULP everywhere (subnormal and scaled results, and results
// below the float64 range, included).
func TestSoftplusBackwardExact64Big(t *testing.T) {
	dys, xs := softplusBackwardInputs64()
	if testing.Short() {
		dys, xs = dys[:len(dys)/4], xs[:len(xs)/4]
	}
	var worstRel, worstULP float64
	var relAt, ulpAt [2]float64
	for i, x := range xs {
		dy := dys[i]
		hi, lo := SoftplusBackwardExact64(dy, x)
		exact := bigSoftplusBackward64(dy, x)
		if want, _ := exact.Float64(); hi != want || math.Signbit(hi) != math.Signbit(dy) {
			t.Errorf("SoftplusBackwardExact64(%v, %v): hi = %v, want %v (correctly rounded)", dy, x, hi, want)
		}
		if exact.Sign() == 0 {
			if hi != 0 || lo != 0 {
				t.Errorf("SoftplusBackwardExact64(%v, %v) = %v, %v; want 0", dy, x, hi, lo)
			}
			continue
		}
		v := bigPair(hi, lo)
		if math.Abs(hi) >= Tiny64 {
			up, down := math.Nextafter(hi, math.Inf(1))-hi, hi-math.Nextafter(hi, math.Inf(-1))
			if math.Abs(lo) > max(up, down)/2 {
				t.Errorf("SoftplusBackwardExact64(%v, %v) = %v, %v: |lo| > ulp(hi)/2", dy, x, hi, lo)
			}
			if rel := bigRel(v, exact); rel > worstRel {
				worstRel, relAt = rel, [2]float64{dy, x}
			}
		}
		if u := bigULPs(v, exact); u > worstULP {
			worstULP, ulpAt = u, [2]float64{dy, x}
		}
	}
	t.Logf("%d inputs: worst relative error 2^%.1f at dy, x = %v (results >= Tiny64), worst 2^%.1f ULP at %v",
		len(xs), math.Log2(worstRel), relAt, math.Log2(worstULP), ulpAt)
	if worstRel > 0x1p-100 {
		t.Errorf("relative error %g > 2^-100 at dy, x = %v", worstRel, relAt)
	}
	if worstULP > 0x1p-50 {
		t.Errorf("error %g ULP > 2^-50 at dy, x = %v", worstULP, ulpAt)
	}
}

// TestSoftplusBackwardExact64Limits checks the pairs of non-finite inputs,
// zero dy and x beyond ±1500.
func TestSoftplusBackwardExact64Limits(t *testing.T) {
	nan, inf, nz := math.NaN(), math.Inf(1), math.Copysign(0, -1)
	for _, c := range []struct{ dy, x, hi float64 }{
		{2, inf, 2}, {-2, inf, -2}, {inf, inf, inf}, {2, -inf, 0}, {-2, -inf, nz},
		{inf, 3, inf}, {-inf, -1e300, -inf}, {0, 5, 0}, {nz, -5, nz}, {nz, -inf, nz},
		{math.MaxFloat64, -1501, 0}, {-math.MaxFloat64, -1e300, nz}, {-3, 1e300, -3},
	} {
		hi, lo := SoftplusBackwardExact64(c.dy, c.x)
		if math.Float64bits(hi) != math.Float64bits(c.hi) || lo != 0 {
			t.Errorf("SoftplusBackwardExact64(%v, %v) = %v, %v; want %v, 0", c.dy, c.x, hi, lo, c.hi)
		}
	}
	for _, c := range [][2]float64{{nan, 1}, {1, nan}, {inf, -inf}, {-inf, -inf}} {
		if hi, _ := SoftplusBackwardExact64(c[0], c[1]); hi == hi {
			t.Errorf("SoftplusBackwardExact64(%v, %v) = %v, want NaN", c[0], c[1], hi)
		}
	}
}

// TestSoftplusBackwardWide checks the float32 reference against
// SoftplusBackwardExact64 (checked against math/big above): within 2^-50
// relative for x >= -194, whatever the float32 dy, and below it ±0 with
// dy's sign where the exact value is below 2^-151, rounding to 0.
func TestSoftplusBackwardWide(t *testing.T) {
	r := rand.New(rand.NewPCG(32, 9))
	var worst float64
	var worstAt [2]float32
	n := 400000
	if testing.Short() {
		n /= 8
	}
	for i := range n {
		var dy, x float32
		switch i % 5 {
		case 0: // ordinary
			dy, x = float32(r.NormFloat64()), float32(-40+80*r.Float64())
		case 1: // huge dy where e^x is subnormal or below the float32 range
			dy, x = float32(math.Ldexp(1+r.Float64(), 127-r.IntN(8))), float32(-200+110*r.Float64())
		case 2: // tiny and subnormal dy
			dy, x = math.Float32frombits(r.Uint32N(1<<24)), float32(-120+160*r.Float64())
		case 3: // any bit patterns
			dy, x = math.Float32frombits(r.Uint32()), math.Float32frombits(r.Uint32())
		case 4: // around -194
			dy, x = float32(math.Ldexp(1+r.Float64(), 127-r.IntN(4))), float32(-194+r.Float64()-0.5)
		}
		if r.IntN(2) == 0 {
			dy = -dy
		}
		if dy != dy || x != x || math.IsInf(float64(dy), 0) || math.IsInf(float64(x), 0) {
			continue
		}
		hi, lo := SoftplusBackwardExact64(float64(dy), float64(x))
		got := SoftplusBackwardWide(dy, x)
		if x < -194 {
			if got != 0 || math.Signbit(got) != math.Signbit(float64(dy)) || math.Abs(hi) >= 0x1p-151 {
				t.Fatalf("dy=%v x=%v: %v, exact %v: want ±0 with dy's sign, and exact below 2^-151", dy, x, got, hi)
			}
			continue
		}
		if hi == 0 {
			if got != 0 || math.Signbit(got) != math.Signbit(hi) {
				t.Fatalf("dy=%v x=%v: %v, want %v", dy, x, got, hi)
			}
			continue
		}
		if err := math.Abs((got-hi)-lo) / math.Abs(hi); err > worst {
			worst, worstAt = err, [2]float32{dy, x}
		}
	}
	t.Logf("worst relative error 2^%.2f at dy, x = %v", math.Log2(worst), worstAt)
	if worst > 0x1p-50 {
		t.Errorf("relative error %g > 2^-50 at dy, x = %v", worst, worstAt)
	}
}

// TestCheckSoftplusBackward checks the rules of CheckSoftplusBackward and
// CheckSoftplusBackward64 on results that keep and break each.
func TestCheckSoftplusBackward(t *testing.T) {
	t.Run("float32", func(t *testing.T) {
		f := math.Float32frombits
		nan, inf, nz := f(0x7f800001), float32(math.Inf(1)), float32(math.Copysign(0, -1))
		wide := func(dy, x float32) float32 { return float32(SoftplusBackwardWide(dy, x)) }
		// toward is the float32 next to float32(v) on v's side: within 1
		// ULP of v.
		toward := func(v float64) float32 {
			return math.Nextafter32(float32(v), float32(math.Copysign(math.MaxFloat32, v-float64(float32(v)))))
		}
		sub := wide(1, -100) // 3.7e-44, subnormal
		big := wide(1e38, -150)
		good := []struct{ dy, x, got float32 }{
			{nan, 1, f(0x7fc00001)}, {f(0xffa00000), f(0x7fc00002), f(0xffe00000)}, {1, f(0xff800005), f(0xffc00005)},
			{3, inf, 3}, {nz, inf, nz}, {inf, inf, inf}, {-inf, 5, -inf}, {inf, -1e30, inf},
			{2, -inf, 0}, {-2, -inf, nz}, {inf, -inf, f(0xffc00000)}, {-inf, -inf, f(0xffc00000)},
			{0, -5, 0}, {nz, 5, nz}, {nz, -inf, nz}, {nz, inf, nz},
			{1, 0, 0.5}, {1, 0, math.Nextafter32(0.5, 1)}, {1, -100, sub}, {1, -100, toward(SoftplusBackwardWide(1, -100))},
			{1e38, -150, big}, {-1e38, -150, -big}, {1, -200, 0}, {-1, -200, nz}, {3e38, -200, 0x1p-149},
		}
		for _, c := range good {
			if _, why := CheckSoftplusBackward(c.dy, c.x, c.got, 1); why != "" {
				t.Errorf("CheckSoftplusBackward(%v, %v, %v): %s", c.dy, c.x, c.got, why)
			}
		}
		bad := []struct {
			dy, x, got float32
			reason     string
		}{
			{nan, 1, nan, "7fc00001"}, {nan, f(0x7fc00002), f(0x7fc00002), "7fc00001"},
			{1, f(0xff800005), f(0x7fc00000), "ffc00005"},
			{3, inf, math.Nextafter32(3, 4), "want exactly 0x40400000"}, {2, -inf, nz, "want exactly 0x00000000"},
			{inf, -inf, f(0x7fc00000), "want exactly 0xffc00000"}, {inf, 5, f(0xffc00000), "want exactly 0x7f800000"},
			{0, 5, 0x1p-149, "want exactly 0x00000000"}, {nz, 5, -0x1p-149, "want exactly 0x80000000"}, {nz, 5, 0, "want exactly 0x80000000"}, {nz, inf, 0, "want exactly 0x80000000"},
			{1, 0, math.Nextafter32(math.Nextafter32(0.5, 1), 1), "ULP > 1"},
			{-1, -200, 0, "sign differs"}, {1, 1, -0.7, "sign differs"},
			{1, -100, 0, "ULP > 1"}, {1e38, -150, 0, "ULP > 1"}, {1, 3, inf, "ULP > 1"}, {1, 3, f(0x7fc00000), "ULP > 1"},
		}
		for _, c := range bad {
			if u, why := CheckSoftplusBackward(c.dy, c.x, c.got, 1); !strings.Contains(why, c.reason) || !(u > 1) && c.reason != "sign differs" {
				t.Errorf("CheckSoftplusBackward(%v, %v, %v) = %v, %q; want %q", c.dy, c.x, c.got, u, why, c.reason)
			}
		}
		if _, why := CheckSoftplusBackward(1, 0, 0.75, 1<<23); why != "" {
			t.Errorf("CheckSoftplusBackward(1, 0, 0.75, 2^23): %s", why)
		}
	})
	t.Run("float64", func(t *testing.T) {
		f := math.Float64frombits
		nan, inf, nz := f(0x7ff0000000000001), math.Inf(1), math.Copysign(0, -1)
		exact := func(dy, x float64) float64 { hi, _ := SoftplusBackwardExact64(dy, x); return hi }
		// toward is the float64 next to hi on the side lo points to: within
		// 1 ULP of the exact value.
		toward := func(dy, x float64) float64 {
			hi, lo := SoftplusBackwardExact64(dy, x)
			return math.Nextafter(hi, math.Copysign(math.Inf(1), lo))
		}
		sub := exact(1, -740)       // subnormal
		huge := exact(1e308, -1400) // e^x far below the float64 range
		good := []struct{ dy, x, got float64 }{
			{nan, 1, f(0x7ff8000000000001)}, {1, f(0xfff0000000000005), f(0xfff8000000000005)},
			{3, inf, 3}, {inf, -1e300, inf}, {-2, -inf, nz}, {inf, -inf, f(0xfff8000000000000)},
			{nz, 5, nz}, {1, 0, 0.5}, {1, -740, sub}, {1, -740, toward(1, -740)},
			{1e308, -1400, huge}, {-1e308, -1400, -huge}, {1, -800, 0}, {-1, -800, nz},
		}
		for _, c := range good {
			if _, why := CheckSoftplusBackward64(c.dy, c.x, c.got, 1); why != "" {
				t.Errorf("CheckSoftplusBackward64(%v, %v, %v): %s", c.dy, c.x, c.got, why)
			}
		}
		bad := []struct {
			dy, x, got float64
			reason     string
		}{
			{nan, 1, nan, "7ff8000000000001"}, {1, f(0xfff0000000000005), f(0x7ff8000000000000), "fff8000000000005"},
			{3, inf, math.Nextafter(3, 4), "want exactly"}, {inf, -inf, f(0x7ff8000000000000), "want exactly 0xfff8000000000000"},
			{-1, -800, 0, "sign differs"}, {1, 0, math.Nextafter(math.Nextafter(0.5, 1), 1), "ULP > 1"},
			{1, -740, 0, "ULP > 1"}, {1e308, -1400, 0, "ULP > 1"}, {1e308, -1400, 2 * huge, "ULP > 1"},
		}
		for _, c := range bad {
			if u, why := CheckSoftplusBackward64(c.dy, c.x, c.got, 1); !strings.Contains(why, c.reason) || !(u > 1) && c.reason != "sign differs" {
				t.Errorf("CheckSoftplusBackward64(%v, %v, %v) = %v, %q; want %q", c.dy, c.x, c.got, u, why, c.reason)
			}
		}
	})
}
