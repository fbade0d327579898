package accuracy

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/simdsigmoid/sigmoid/fallback"
)

func TestULPPowersOfTwo(t *testing.T) {
	for e := -126; e <= 127; e++ {
		p := math.Ldexp(1, e)
		ulp := math.Ldexp(1, e-23)
		// Below 2^e the ulp halves, except at 2^-126 where the subnormal
		// ulp is 2^-149 either side.
		below := 0.5
		if e == -126 {
			below = 1
		}
		up := math.Nextafter32(float32(p), float32(math.Inf(1)))
		down := math.Nextafter32(float32(p), 0)
		cases := []struct {
			got   float32
			exact float64
			want  float64
		}{
			{float32(p), p, 0},
			{up, p, 1},
			{down, p, below},
			{float32(-p), -p, 0},
			{-up, -p, 1},
			{-down, -p, below},
			{float32(p), p + ulp/4, 0.25},
			{float32(p), p + 3*ulp, 3},
			{up, p - ulp/8, 1.125 / below}, // exact just below 2^e
			{float32(p), p * (1 - 0x1p-40), 0x1p-17 / below}, // 2^(e-40) in ulps 2^(e-24)
		}
		for _, c := range cases {
			if got := ULP(c.got, c.exact); got != c.want {
				t.Errorf("e=%d: ULP(%g, %g) = %g, want %g", e, c.got, c.exact, got, c.want)
			}
		}
	}
	// Values whose float32 is outside the float32 range.
	if got := ULP(math.MaxFloat32, 0x1p128); got != math.Ldexp(0x1p128-math.MaxFloat32, -(128-23)) {
		t.Errorf("ULP(MaxFloat32, 2^128) = %g", got)
	}
	if got := ULP(1, 0x1p1000); got != math.Ldexp(0x1p1000-1, -(1000-23)) {
		t.Errorf("ULP(1, 2^1000) = %g", got)
	}
}

func TestULPSubnormal(t *testing.T) {
	const tiny = 0x1p-149
	cases := []struct {
		got   float32
		exact float64
		want  float64
	}{
		{tiny, tiny, 0},
		{2 * tiny, tiny, 1},
		{0, tiny, 1},
		{0, tiny / 2, 0.5},
		{0, tiny / 3, 1.0 / 3},
		{math.Float32frombits(0x007fffff), 0x1p-126, 1}, // largest subnormal vs smallest normal
		{0x1p-126, 0x1p-126 - tiny/2, 0.5},
		{0x1p-126, 0x1p-126 * (1 - 0x1p-53), 0x1p-179 / tiny},
		{0x1p-140, 0x1p-140 + 3*tiny, 3},
		{-0x1p-140, -0x1p-140 - 3*tiny, 3},
		{0x1p-140, 0x1p-140 + 0x1p-180, 0x1p-31},
		{math.Float32frombits(0x00012345), float64(math.Float32frombits(0x00012340)), 5},
	}
	for _, c := range cases {
		if got := ULP(c.got, c.exact); got != c.want {
			t.Errorf("ULP(%g, %g) = %g, want %g", c.got, c.exact, got, c.want)
		}
	}
}

func TestULPZero(t *testing.T) {
	negZero := float32(math.Copysign(0, -1))
	cases := []struct {
		got   float32
		exact float64
		want  float64
	}{
		{0, 0, 0},
		{negZero, 0, 0},
		{0, math.Copysign(0, -1), 0},
		{0x1p-149, 0, 1},
		{-0x1p-149, 0, 1},
		{0x1p-140, 0, 512},
		{1, 0, 0x1p149},
		{0, 1, 0x1p23},
		{0, 0.5, 0x1p23},
		{0.5, 0, 0x1p148},
	}
	for _, c := range cases {
		if got := ULP(c.got, c.exact); got != c.want {
			t.Errorf("ULP(%g, %g) = %g, want %g", c.got, c.exact, got, c.want)
		}
	}
}

func TestULPNaNInf(t *testing.T) {
	nan32 := float32(math.NaN())
	inf32 := float32(math.Inf(1))
	inf := math.Inf(1)
	cases := []struct {
		got   float32
		exact float64
		want  float64
	}{
		{nan32, math.NaN(), 0},
		{nan32, 1, inf},
		{1, math.NaN(), inf},
		{0, math.NaN(), inf},
		{inf32, inf, 0},
		{-inf32, -inf, 0},
		{inf32, -inf, inf},
		{math.MaxFloat32, inf, inf},
		{inf32, 1, inf},
		{-inf32, 0, inf},
	}
	for _, c := range cases {
		if got := ULP(c.got, c.exact); got != c.want {
			t.Errorf("ULP(%g, %g) = %g, want %g", c.got, c.exact, got, c.want)
		}
	}
}

// slowULP is ULP's definition computed the obvious way.
func slowULP(got float32, exact float64) float64 {
	a := math.Abs(exact)
	var ulp float64
	if a < 0x1p-126 {
		ulp = 0x1p-149
	} else {
		_, e := math.Frexp(a) // a in [2^(e-1), 2^e)
		ulp = math.Ldexp(1, e-1-23)
	}
	return math.Abs(float64(got)-exact) / ulp
}

func TestULPRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 1_000_000 {
		exact := math.Float64frombits(r.Uint64())
		if math.IsNaN(exact) || math.IsInf(exact, 0) {
			continue
		}
		var got float32
		switch r.IntN(3) {
		case 0: // a near miss
			got = math.Float32frombits(math.Float32bits(float32(exact)) + uint32(r.IntN(5)) - 2)
		case 1: // an arbitrary float32
			got = math.Float32frombits(r.Uint32())
		case 2: // exact in the float32 range, got a few ulps off
			exact = math.Ldexp(r.Float64()+0.5, r.IntN(280)-150)
			got = math.Float32frombits(math.Float32bits(float32(exact)) + uint32(r.IntN(7)) - 3)
		}
		if math.IsNaN(float64(got)) || math.IsInf(float64(got), 0) {
			continue
		}
		if u, want := ULP(got, exact), slowULP(got, exact); u != want {
			t.Fatalf("ULP(%g (%#08x), %g (%#016x)) = %g, want %g", got, math.Float32bits(got), exact, math.Float64bits(exact), u, want)
		}
	}
}

func BenchmarkULP(b *testing.B) {
	s := 0.0
	for i := range b.N {
		x := float64(i) * 0x1p-30
		s += ULP(float32(x), x)
	}
	sink = s
}

var sink float64

// TestSaturationEdge checks SaturationEdge against the reference: it is the
// smallest float32 whose sigmoid rounds to 1.
func TestSaturationEdge(t *testing.T) {
	if got := float32(fallback.SigmoidScalar64(float64(SaturationEdge))); got != 1 {
		t.Errorf("float32(SigmoidScalar64(%v)) = %v, want 1", SaturationEdge, got)
	}
	below := math.Nextafter32(SaturationEdge, 0)
	if got := float32(fallback.SigmoidScalar64(float64(below))); got == 1 {
		t.Errorf("float32(SigmoidScalar64(%v)) = 1, want below 1", below)
	}
	if math.Float32bits(SaturationEdge) != 0x418aa123 {
		t.Errorf("SaturationEdge = %#08x, want 0x1.154246p+4 = 0x418aa123", math.Float32bits(SaturationEdge))
	}
}

func TestSpecials(t *testing.T) {
	s := Specials()
	bits := make(map[uint32]int)
	for i, x := range s {
		b := math.Float32bits(x)
		if j, dup := bits[b]; dup {
			t.Errorf("Specials()[%d] = %#08x duplicates [%d]", i, b, j)
		}
		bits[b] = i
	}
	if len(s) < 2000 || len(s) > 20000 {
		t.Errorf("len(Specials()) = %d, want a few thousand", len(s))
	}
	want := []uint32{
		0x00000000, 0x80000000, // ±0
		0x7f800000, 0xff800000, // ±Inf
		0x7fc00000, 0xffc00000, 0x7f800001, 0xff800001, 0x7fffffff, 0xffffffff, // NaNs
		0x00000001, 0x80000001, 0x007fffff, 0x807fffff, // subnormals
		0x00800000, 0x80800000, 0x7f7fffff, 0xff7fffff, // normals
	}
	for _, x := range []float32{
		4.3e26, -4.3e26, math.MaxFloat32, -math.MaxFloat32,
		16.23, 16.2356, 17.3287, SaturationEdge,
		-87.33, -87.34, -103.97, -103.98, -104,
	} {
		want = append(want, math.Float32bits(x))
	}
	for _, e := range []float32{SaturationEdge, 16.23, -87.33, -87.34, -103.97, -103.98, -104, 0} {
		up, down := e, e
		for range WalkSteps {
			up = math.Nextafter32(up, float32(math.Inf(1)))
			down = math.Nextafter32(down, float32(math.Inf(-1)))
			want = append(want, math.Float32bits(up), math.Float32bits(down))
		}
	}
	for _, b := range want {
		if _, ok := bits[b]; !ok {
			t.Errorf("Specials() lacks %v (%#08x)", math.Float32frombits(b), b)
		}
	}
	// Quiet and signalling NaNs of both signs, with payloads beyond the
	// default one.
	var kinds [2][2]int // [sign][quiet]
	for b := range bits {
		if b&0x7f800000 == 0x7f800000 && b&0x007fffff != 0 {
			kinds[b>>31][b>>22&1]++
		}
	}
	for sign := range 2 {
		for quiet := range 2 {
			if kinds[sign][quiet] < 2 {
				t.Errorf("Specials() has %d NaNs with sign %d, quiet bit %d; want several", kinds[sign][quiet], sign, quiet)
			}
		}
	}
	// A fresh slice each call, same contents.
	s[0] = 42
	s2 := Specials()
	if s2[0] == 42 {
		t.Error("Specials() returned a shared slice")
	}
	if len(s2) != len(s) {
		t.Errorf("Specials() length changed: %d then %d", len(s), len(s2))
	}
}

func TestSpecialsPassFallback(t *testing.T) {
	st := CheckInputs("generic", fallback.Sigmoid, Specials(), 1)
	t.Log(st)
	if st.Violations != 0 {
		t.Errorf("fallback.Sigmoid: %v", st)
	}
	if st.Inputs != uint64(len(Specials())) {
		t.Errorf("Inputs = %d, want %d", st.Inputs, len(Specials()))
	}
	if st.SubnormalResults == 0 {
		t.Error("no subnormal results among the specials")
	}
}

func TestSweepFallback(t *testing.T) {
	const stride = 4099
	st := Sweep("generic", fallback.Sigmoid, stride, 1)
	t.Log(st)
	if want := uint64((1<<32 + stride - 1) / stride); st.Inputs != want {
		t.Errorf("Inputs = %d, want %d", st.Inputs, want)
	}
	if st.Violations != 0 {
		t.Errorf("fallback.Sigmoid: %v", st)
	}
	if st.MaxULP > 1 || st.MaxULP < 0.4 {
		t.Errorf("MaxULP = %v, want in [0.4, 1]", st.MaxULP)
	}
	if st.SubnormalResults == 0 {
		t.Error("SubnormalResults = 0")
	}
	if st.Kernel != "generic" || st.Duration <= 0 {
		t.Errorf("Kernel %q, Duration %v", st.Kernel, st.Duration)
	}
}

// TestSweepInputs checks which inputs Sweep hands f: each stride-th bit
// pattern exactly once, in chunks no bigger than 2^16.
func TestSweepInputs(t *testing.T) {
	for _, stride := range []uint32{1 << 20, 1<<20 + 1, 65535, 3 << 30, 1 << 31, 0xffffffff} {
		seen := make(map[uint32]int)
		calls := make(chan []uint32, 1<<16)
		f := func(dst, src []float32) {
			if len(src) > chunk || len(dst) != len(src) {
				t.Errorf("stride %d: f called with len(dst) %d, len(src) %d", stride, len(dst), len(src))
			}
			bs := make([]uint32, len(src))
			for i, x := range src {
				bs[i] = math.Float32bits(x)
			}
			calls <- bs
			fallback.Sigmoid(dst, src)
		}
		st := Sweep("f", f, stride, 1)
		close(calls)
		for bs := range calls {
			for _, b := range bs {
				seen[b]++
			}
		}
		want := (1<<32 + uint64(stride) - 1) / uint64(stride)
		if st.Inputs != want || uint64(len(seen)) != want {
			t.Errorf("stride %d: Inputs = %d, distinct inputs %d, want %d", stride, st.Inputs, len(seen), want)
		}
		for b, n := range seen {
			if b%stride != 0 || n != 1 {
				t.Errorf("stride %d: input %#08x seen %d times", stride, b, n)
				break
			}
		}
		if st.Violations != 0 {
			t.Errorf("stride %d: %v", stride, st)
		}
	}
}

// TestDetects feeds Sweep and CheckInputs kernels that each break one rule.
func TestDetects(t *testing.T) {
	broken := func(change func(x, y float32) float32) func(dst, src []float32) {
		return func(dst, src []float32) {
			fallback.Sigmoid(dst, src)
			for i, x := range src {
				dst[i] = change(x, dst[i])
			}
		}
	}
	inf := float32(math.Inf(1))
	nan := float32(math.NaN())
	cases := []struct {
		name   string
		f      func(dst, src []float32)
		reason string
	}{
		{"NaN to 0", broken(func(x, y float32) float32 {
			if x != x {
				return 0
			}
			return y
		}), "NaN input must give NaN"},
		{"+Inf to 1-2^-24", broken(func(x, y float32) float32 {
			if x == inf {
				return math.Nextafter32(1, 0)
			}
			return y
		}), "+Inf must give exactly 1"},
		{"-Inf to 2^-149", broken(func(x, y float32) float32 {
			if x == -inf {
				return 0x1p-149
			}
			return y
		}), "-Inf must give exactly 0"},
		{"0 to next 0.5", broken(func(x, y float32) float32 {
			if x == 0 {
				return math.Nextafter32(0.5, 1)
			}
			return y
		}), "±0 must give exactly 0.5"},
		{"NaN for finite", broken(func(x, y float32) float32 {
			if x == -3 || x < -1e30 {
				return nan
			}
			return y
		}), "result is not finite"},
		{"Inf for finite", broken(func(x, y float32) float32 {
			if x < -1e30 {
				return inf
			}
			return y
		}), "result is not finite"},
		{"negative", broken(func(x, y float32) float32 {
			if x < -200 && x > -inf {
				return float32(math.Copysign(0x1p-149, -1))
			}
			return y
		}), "outside [0, 1]"},
		{"above 1", broken(func(x, y float32) float32 {
			if y == 1 && x < inf {
				return math.Nextafter32(1, 2)
			}
			return y
		}), "outside [0, 1]"},
		{"not saturated", broken(func(x, y float32) float32 {
			if x >= SaturationEdge && x < inf {
				return math.Nextafter32(1, 0) // within 1 ULP, but not 1
			}
			return y
		}), "must give exactly 1"},
		{"2 ULP", broken(func(x, y float32) float32 {
			if x > 0.3 && x < 0.4 {
				return math.Nextafter32(math.Nextafter32(y, 2), 2)
			}
			return y
		}), "ULP > 1"},
		{"writes src", func(dst, src []float32) {
			fallback.Sigmoid(dst, src)
			if len(src) > 0 {
				src[len(src)-1] = 7
			}
		}, "changed"},
	}
	inputs := append(Specials(), -3, 0.35, -1e35)
	for _, c := range cases {
		sts := []Stats{CheckInputs(c.name, c.f, inputs, 1)}
		if !strings.Contains(c.name, "Inf to") { // the sweep's stride misses ±Inf
			sts = append(sts, Sweep(c.name, c.f, 65521, 1))
		}
		for _, st := range sts {
			if st.Violations == 0 || !strings.Contains(st.FirstViolation, c.reason) {
				t.Errorf("%s: %d violations, first %q; want one saying %q", c.name, st.Violations, st.FirstViolation, c.reason)
			}
		}
	}
	// The ULP error of the 2-ULP kernel is measured too.
	st := CheckInputs("2 ULP", cases[9].f, []float32{0.35, 1, 0.36}, 1)
	if st.MaxULP < 1.5 || (st.Worst != 0.35 && st.Worst != 0.36) || st.Violations != 2 {
		t.Errorf("2 ULP: %v", st)
	}
	if !strings.Contains(st.FirstViolation, "x=0.35 ") {
		t.Errorf("2 ULP: first violation %q, want the one at 0.35 (first in the list)", st.FirstViolation)
	}
}

func TestCheck(t *testing.T) {
	nan := float32(math.NaN())
	inf := float32(math.Inf(1))
	good := []struct{ x, y float32 }{
		{nan, nan}, {-nan, nan}, {inf, 1}, {-inf, 0}, {0, 0.5},
		{float32(math.Copysign(0, -1)), 0.5}, {SaturationEdge, 1}, {1e30, 1},
		{-1e30, 0}, {-104, 0}, {1, fallback.SigmoidScalar(1)},
		{1, math.Nextafter32(fallback.SigmoidScalar(1), 0)}, // within 1 ULP either way
	}
	for _, c := range good {
		if why := Check(c.x, c.y, 1); why != "" {
			t.Errorf("Check(%v, %v): %s", c.x, c.y, why)
		}
	}
	bad := []struct{ x, y float32 }{
		{nan, 0.5}, {inf, math.Nextafter32(1, 0)}, {-inf, 0x1p-149}, {0, math.Nextafter32(0.5, 0)},
		{SaturationEdge, math.Nextafter32(1, 0)}, {1, nan}, {-1e30, -0x1p-149}, {1, 0.75},
	}
	for _, c := range bad {
		if why := Check(c.x, c.y, 1); why == "" {
			t.Errorf("Check(%v, %v) passed", c.x, c.y)
		}
	}
	// The bound is honoured: 0.75 at x = 1 is far off, but within 2^23.
	if why := Check(1, 0.75, 1<<23); why != "" {
		t.Errorf("Check(1, 0.75, 2^23): %s", why)
	}
}

// TestSweepAll checks that sweeping kernels together gives each the Stats
// it gets alone.
func TestSweepAll(t *testing.T) {
	const stride = 65521
	off := func(dst, src []float32) { // 2 ULP off in (0.3, 0.4), and writes src
		fallback.Sigmoid(dst, src)
		for i, x := range src {
			if x > 0.3 && x < 0.4 {
				dst[i] = math.Nextafter32(math.Nextafter32(dst[i], 2), 2)
			}
		}
		if len(src) > 0 {
			src[0] = 0.35
		}
	}
	fs := []Func{{Name: "generic", F: fallback.Sigmoid}, {Name: "off", F: off}, {Name: "generic again", F: fallback.Sigmoid}}
	all := SweepAll(fs, stride, 1)
	for k, f := range fs {
		alone := Sweep(f.Name, f.F, stride, 1)
		got := all[k]
		got.Duration, alone.Duration = 0, 0
		if got != alone {
			t.Errorf("%s: SweepAll gives %+v, Sweep %+v", f.Name, got, alone)
		}
	}
	if all[0].Violations != 0 || all[1].Violations == 0 || all[2].Violations != 0 {
		t.Errorf("violations: %d, %d, %d; want 0, some, 0", all[0].Violations, all[1].Violations, all[2].Violations)
	}
	// Same: compared with the first, bit for bit.
	fs[1].Same, fs[2].Same = true, true
	same := SweepAll(fs, stride, 1)
	chunks := (all[0].Inputs + chunk - 1) / chunk // off changes src once a chunk
	if same[1].Violations <= chunks || same[2].Violations != 0 || same[2].Inputs != all[0].Inputs {
		t.Errorf("Same: %+v, %+v; want the first differing from generic, the second not", same[1], same[2])
	}
	// Their lines say what they were compared with, not an error of 0.
	for k, want := range []string{"", "generic", "generic"} {
		line := same[k].String()
		if same[k].SameAs != want || (want != "") != strings.Contains(line, "bit for bit against generic") || (want != "") == strings.Contains(line, "ULP") {
			t.Errorf("%s: SameAs %q, line %q; want SameAs %q", fs[k].Name, same[k].SameAs, line, want)
		}
	}
}

// TestNearOneEdge checks NearOneEdge against the reference: it is the
// smallest float32 whose sigmoid rounds to 1-2^-24.
func TestNearOneEdge(t *testing.T) {
	if got := float32(SigmoidWide(NearOneEdge)); got != nearOne {
		t.Errorf("float32(SigmoidWide(%v)) = %v, want 1-2^-24", NearOneEdge, got)
	}
	below := math.Nextafter32(NearOneEdge, 0)
	if got := float32(SigmoidWide(below)); got == nearOne {
		t.Errorf("float32(SigmoidWide(%v)) = 1-2^-24, want below", below)
	}
	if r := Check(NearOneEdge, 1-0x1p-23, 1); r == "" {
		t.Errorf("1-2^-23 at NearOneEdge passed the check")
	}
}

// TestSiLUDerivWide checks the float32 reference for silu' against the
// double-double SiLUBackwardExact64 on float32 x over the range where the
// float32 result is not 0: within 2^-48 relative, or 2^-52 absolute next
// to the zero at x ≈ -1.2785.
func TestSiLUDerivWide(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for i := range 200000 {
		var x float32
		switch i % 3 {
		case 0:
			x = float32(-120 + 140*r.Float64())
		case 1:
			x = float32(-1.2784645 + 0x1p-8*(2*r.Float64()-1))
		default:
			x = math.Float32frombits(r.Uint32()) // the whole range, NaNs skipped
		}
		if x != x {
			continue
		}
		hi, lo := SiLUBackwardExact64(1, float64(x))
		got := SiLUDerivWide(x)
		if err := math.Abs((got - hi) - lo); err > 0x1p-48*math.Abs(hi) && err > 0x1p-52 {
			t.Fatalf("x=%v: %v, exact %v: error %g", x, got, hi+lo, err)
		}
	}
}
