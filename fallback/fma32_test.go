package fallback

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// fmaRef is a·b + c computed exactly and rounded once to float32, to
// nearest even, subnormal results at the subnormal grid (big.Float's
// Float32 rounds there; TestFMARefSubnormal checks it).
func fmaRef(a, b, c float32) float32 {
	x := new(big.Float).SetPrec(1000).SetFloat64(float64(a))
	x.Mul(x, new(big.Float).SetFloat64(float64(b)))
	x.Add(x, new(big.Float).SetFloat64(float64(c)))
	f, _ := x.Float32()
	return f
}

func TestFMARefSubnormal(t *testing.T) {
	for _, tc := range []struct {
		a, b, c, want float32
	}{
		{0x1p-75, 0x1p-75, 0, 0},                              // 2^-150: a tie, to even 0
		{0x1p-75, 0x1p-75, 0x1p-149, 0x1p-148},                // 3·2^-150: to even 2^-148
		{0x1.000002p-75, 0x1p-75, 0, 0x1p-149},                // past the tie
		{-0x1p-75, 0x1p-75, 0, float32(math.Copysign(0, -1))}, // -2^-150 to -0
		{0x1p-75, 0x1p-75, 0x1.fffffcp-127, 0x1p-126},         // (2^-126 - 2^-149) + 2^-150: a tie, to even 2^-126
		{0x1p-63, 0x1p-87, 0x1p-149, 0x1p-148},                // 2^-149 + 2^-150: a tie, to even 2^-148
	} {
		if got := fmaRef(tc.a, tc.b, tc.c); math.Float32bits(got) != math.Float32bits(tc.want) {
			t.Errorf("fmaRef(%x, %x, %x) = %x, want %x", tc.a, tc.b, tc.c, got, tc.want)
		}
	}
}

func checkFMA(t *testing.T, a, b, c float32) bool {
	t.Helper()
	got, want := fma32(a, b, c), fmaRef(a, b, c)
	if math.Float32bits(got) != math.Float32bits(want) {
		t.Errorf("fma32(%x, %x, %x) = %x (%08x), want %x (%08x)", a, b, c, got, math.Float32bits(got), want, math.Float32bits(want))
		return false
	}
	return true
}

// randFloat is a finite float32 of random sign and mantissa with biased
// exponent e (0: subnormal or zero).
func randFloat(r *rand.Rand, e int) float32 {
	return math.Float32frombits(r.Uint32()&0x807fffff | uint32(e)<<23)
}

// The random cases: products and addends of mixed, related exponents
// (c's exponent near a·b's, so that they overlap and cancel), exponents
// at random over the whole range, and results in and near the subnormals.
func TestFMA32Random(t *testing.T) {
	n := 3_000_000
	if testing.Short() {
		n = 200_000
	}
	r := rand.New(rand.NewPCG(1, 2))
	fails := 0
	for i := 0; i < n && fails < 10; i++ {
		var a, b, c float32
		switch i % 4 {
		case 0: // c near a·b, any scale
			ea, eb := 1+r.IntN(254), 1+r.IntN(254)
			a, b = randFloat(r, ea), randFloat(r, eb)
			ec := ea + eb - 127 + r.IntN(61) - 30
			c = randFloat(r, min(max(ec, 0), 254))
		case 1: // c within a few bits of a·b: cancellation
			ea, eb := 64+r.IntN(128), 64+r.IntN(128)
			a, b = randFloat(r, ea), randFloat(r, eb)
			c = -float32(float64(a) * float64(b) * (1 + (r.Float64()-0.5)*0x1p-10))
		case 2: // anything finite
			a, b, c = randFloat(r, r.IntN(255)), randFloat(r, r.IntN(255)), randFloat(r, r.IntN(255))
		case 3: // results in and near the subnormals
			ea := 1 + r.IntN(254)
			eb := 127 - 150 - (ea - 127) + r.IntN(40) - 10 + 127
			a, b = randFloat(r, ea), randFloat(r, min(max(eb, 0), 254))
			c = randFloat(r, r.IntN(8))
		}
		if math.IsInf(float64(a)*float64(b), 0) {
			continue
		}
		if !checkFMA(t, a, b, c) {
			fails++
		}
	}
}

// The cases double rounding gets wrong: a·b + c within far less than a
// float64 ulp of a float32 midpoint, above and below it, or on it, for
// both signs, normal and subnormal, with the midpoint's neighbours of
// either parity. a·b = h·(1 ± 2^-2m) or h·(1 + 2^-3m), h half an ulp of
// c, leaves the sum 2^-2m or 2^-3m of h off the midpoint c + h.
func TestFMA32Midpoints(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	count := 0
	for i := 0; i < 200_000; i++ {
		ec := r.IntN(255) // c's biased exponent, 0: subnormal
		c := randFloat(r, ec)
		if c == 0 {
			continue
		}
		// h: half c's ulp (at the subnormal grid below 2^-126).
		h := math.Ldexp(1, max(ec, 1)-127-24)
		m := 1 + r.IntN(11)
		sm := math.Ldexp(1, -m)
		var fa, fb float64
		switch r.IntN(4) {
		case 0: // (1 + 2^-m)(1 - 2^-m) = 1 - 2^-2m
			fa, fb = 1+sm, 1-sm
		case 1: // (1 + 2^-m)(1 - 2^-m + 2^-2m) = 1 + 2^-3m
			fa, fb = 1+sm, 1-sm+sm*sm
		case 2: // exactly on the midpoint
			fa, fb = 1, 1
		case 3: // (1 - 2^-m)(1 + 2^-m + 2^-2m) = 1 - 2^-3m
			fa, fb = 1-sm, 1+sm+sm*sm
		}
		// Split h's scale between a and b, at random, keeping both in
		// range; the sign of a·b at random (towards or away from zero).
		k := math.Ilogb(h)
		ka := r.IntN(101) - 50
		kb := k - ka
		if kb < -149 || kb > 127 || ka < -149 {
			continue
		}
		a := float32(math.Ldexp(fa, ka))
		b := float32(math.Ldexp(fb, kb))
		if float64(a) != math.Ldexp(fa, ka) || float64(b) != math.Ldexp(fb, kb) {
			continue // a subnormal factor lost bits
		}
		if r.IntN(2) == 0 {
			a = -a
		}
		count++
		if !checkFMA(t, a, b, c) {
			return
		}
	}
	if count < 100_000 {
		t.Errorf("only %d midpoint cases", count)
	}
	// Hand-picked: 1 + 2^-23 + (2^-24 - 2^-60): float64 rounds it to the
	// midpoint 1 + 2^-23 + 2^-24, which float32 would round to even 1 + 2^-22.
	checkFMA(t, 1+0x1p-18, 0x1p-24*(1-0x1p-18), 1+0x1p-23)
	checkFMA(t, -(1 + 0x1p-18), 0x1p-24*(1-0x1p-18), -(1 + 0x1p-23))
}

// Zeros and their signs, ±0 products with any c, exact cancellation,
// and the smallest values.
func TestFMA32Zeros(t *testing.T) {
	nz := float32(math.Copysign(0, -1))
	vals := []float32{0, nz, 1, -1, 0x1p-149, -0x1p-149, 0x1p-126, -0x1p-126, math.MaxFloat32, -math.MaxFloat32, 0x1.fffffep-127, 3}
	for _, a := range vals {
		for _, b := range vals {
			for _, c := range vals {
				if math.IsInf(float64(a)*float64(b), 0) {
					continue
				}
				checkFMA(t, a, b, c)
				checkFMA(t, a, b, -a*b) // exact cancellation where a·b is a float32
			}
		}
	}
}

// Infinities and NaNs: IEEE's rules, which the float64 sum follows, and a
// NaN's payload as the conversion to float32 keeps it.
func TestFMA32Specials(t *testing.T) {
	inf := float32(math.Inf(1))
	vals := []float32{inf, -inf, float32(math.NaN()), math.Float32frombits(0xffc01234), 0, 1, -1, math.MaxFloat32, 0x1p-149}
	for _, a := range vals {
		for _, b := range vals {
			for _, c := range vals {
				got, want := fma32(a, b, c), float32(float64(a)*float64(b)+float64(c))
				if math.Float32bits(got) != math.Float32bits(want) {
					t.Errorf("fma32(%x, %x, %x) = %08x, want %08x", a, b, c, math.Float32bits(got), math.Float32bits(want))
				}
			}
		}
	}
}

// The generated code rounds an FMA by 2^k, k < 0, as a float32 product and
// sum where |a| ≥ 2^(-126-k): a·2^k is normal there, so exact, and the sum
// rounds once. That form must give fma's bits on such a, whatever c.
func TestFMAByPowerOfTwo(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for k := -1; k >= -8; k-- {
		m := float32(math.Ldexp(1, k))
		low := 127 - 126 - k // biased exponent of 2^(-126-k)
		for range 20_000 {
			a := randFloat(r, low+r.IntN(254-low+1))
			if r.IntN(16) == 0 {
				a = float32(math.Copysign(math.Ldexp(1, -126-k), float64(a)))
			}
			// c near a·2^k (cancelling), anywhere, or tiny.
			var c float32
			switch e := int(math.Float32bits(a)>>23&0xff) + k; r.IntN(3) {
			case 0:
				c = randFloat(r, max(1, min(254, e+r.IntN(5)-2)))
			case 1:
				c = randFloat(r, 1+r.IntN(254))
			default:
				c = randFloat(r, r.IntN(3))
			}
			got := float32(float32(a*m) + c)
			if want := fmaRef(a, m, c); math.Float32bits(got) != math.Float32bits(want) {
				t.Fatalf("a=%x, 2^%d, c=%x: product and sum %x, fma %x", a, k, c, got, want)
			}
		}
	}
}
