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

// The SwiGLU tests: dst = silu(gate)·up = gate·σ(gate)·up within 1 ULP of
// the exact value for every finite gate and up, at every magnitude:
// results below 2^-125 (2^-1021) and subnormal results (computed, not
// flushed) included, and gate·up beyond the range with the result in it;
// the NaN rule, the infinities, ∞·0 and the signs of zero results exact.

// swigluFunc is SwiGLU of one kernel, or the package-level one, of element
// type F.
type swigluFunc[F float] struct {
	name string
	f    func(dst, gate, up []F)
}

// swigluFuncs are the package-level function, then every kernel's, the
// generic kernel last (genericOnly picks it).
func swigluFuncs[F float]() []swigluFunc[F] {
	pick := func(name string, f32 func(dst, gate, up []float32), f64 func(dst, gate, up []float64)) swigluFunc[F] {
		var f any = f32
		if is64[F]() {
			f = f64
		}
		return swigluFunc[F]{name, f.(func(dst, gate, up []F))}
	}
	fs := []swigluFunc[F]{pick("package", kernels.SwiGLU, kernels.SwiGLU64)}
	for _, k := range kernels.Kernels() {
		fs = append(fs, pick(k.Name(), k.SwiGLU, k.SwiGLU64))
	}
	return fs
}

// swigluCheck is the error in ULPs of got, a SwiGLU result for gate and
// up, and what is wrong with it ("" if nothing), under the rules of
// accuracy.CheckSwiGLU with the bound of 1 ULP, below 2^-125 (2^-1021)
// too.
func swigluCheck[F float](gate, up, got F) (float64, string) {
	if is64[F]() {
		return accuracy.CheckSwiGLU64(float64(gate), float64(up), float64(got), bound)
	}
	return accuracy.CheckSwiGLU(float32(gate), float32(up), float32(got), bound)
}

// The classes of results the SwiGLU tests report on.
const (
	swigluInRange    = iota // finite result of at least 2^-125 (2^-1021), gate·up in the range
	swigluBigProduct        // the same, gate·up beyond the range
	swigluTiny              // below 2^-125 (2^-1021), subnormal included: the same bound
	swigluOverflow          // ±Inf from finite inputs
	swigluExactRule         // a NaN, an infinity or a zero among the inputs
	swigluClasses
)

var swigluClassNames = [swigluClasses]string{"results >= 2^-125 (2^-1021)", "the same, gate·up beyond the range",
	"results below 2^-125 (2^-1021)", "results beyond the range", "NaN, Inf or 0 in gate or up (exact rules)"}

// swigluClass is the class of a result got for gate and up, by got's
// magnitude.
func swigluClass[F float](gate, up, got F) int {
	tiny := 0x1p-125
	if is64[F]() {
		tiny = 0x1p-1021
	}
	switch {
	case gate-gate != 0 || up-up != 0 || gate == 0 || up == 0:
		return swigluExactRule
	case math.IsInf(float64(got), 0):
		return swigluOverflow
	case math.Abs(float64(got)) < tiny:
		return swigluTiny
	case math.IsInf(float64(gate*up), 0):
		return swigluBigProduct
	}
	return swigluInRange
}

// swigluTally is the largest error of each class, the inputs giving it,
// the number of inputs of each, of failures and the first one's
// description.
type swigluTally[F float] struct {
	n      [swigluClasses]int64
	worst  [swigluClasses]float64
	at     [swigluClasses][2]F
	bad    int
	first  string
	inputs int64
}

// add counts the result got for gate and up, of error u (+Inf for a
// broken exact rule), and what is wrong with it.
func (s *swigluTally[F]) add(gate, up, got F, u float64, why string) {
	c := swigluClass(gate, up, got)
	s.inputs++
	s.n[c]++
	s.record(c, gate, up, u, why)
}

// record notes an error and a failure in class c, without counting the
// input.
func (s *swigluTally[F]) record(c int, gate, up F, u float64, why string) {
	if why != "" {
		if s.bad++; s.first == "" {
			s.first = why
		}
	}
	if u > s.worst[c] && !math.IsInf(u, 0) {
		s.worst[c], s.at[c] = u, [2]F{gate, up}
	}
}

func (s *swigluTally[F]) merge(o *swigluTally[F]) {
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
// failure. Without counts (an exhaustive sweep's tally, which records
// only errors above 0.5 ULP), the classes are reported by their largest
// error alone.
func (s *swigluTally[F]) log(t *testing.T, what string) {
	t.Helper()
	counted := s.n != [swigluClasses]int64{}
	for c, name := range swigluClassNames {
		switch {
		case !counted:
			t.Logf("%s: %s: max %.4f ULP at gate=%s up=%s (errors above 0.5 ULP only)", what, name, s.worst[c], hex(s.at[c][0]), hex(s.at[c][1]))
		case c == swigluExactRule:
			t.Logf("%s: %s: %d inputs", what, name, s.n[c])
		case s.worst[c] == 0:
			t.Logf("%s: %s: %d inputs, all exact", what, name, s.n[c])
		default:
			t.Logf("%s: %s: %d inputs, max %.4f ULP at gate=%s up=%s", what, name, s.n[c], s.worst[c], hex(s.at[c][0]), hex(s.at[c][1]))
		}
	}
	if s.bad != 0 {
		t.Errorf("%s: %d violations, first: %s", what, s.bad, s.first)
	}
}

// swigluInputs returns n gates and n ups. gate: the specials, random bit
// patterns (NaNs with payloads), [-40, 40] and [-8, 8], the negative tail
// (-200 to -32 for float32, -1500 to -32 for float64) half the time with
// a huge up, |gate| above 32 (uniform up to 200 or 1500, and every binade
// up to the largest), tiny gates (subnormal included) and the subnormal
// results of ordinary up. up: the specials, subnormal, every binade, near
// the largest, tiny, around the smallest normal, and ordinary values.
func swigluInputs[F float](n int, seed uint64) (gate, up []F) {
	r := rand.New(rand.NewPCG(seed, 0x5a16))
	l := limitsOf[F]()
	maxExp, minExp, tail, subLo, subHi := 127, -149, -200.0, -104.0, -86.0
	specialGate := []float64{math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), 1, -1, 32, -32, 40, -40, -87.34, -100, -103.97,
		-150, -200, 1e30, -1e30, l.max, -l.max, l.minSubnormal, -l.minSubnormal, l.minNormal, -l.minNormal}
	if is64[F]() {
		maxExp, minExp, tail, subLo, subHi = 1023, -1074, -1500, -746, -700
		specialGate = append(specialGate, -700, -708.4, -745.13, -800, -1400, -1456, -1500, 37.43, 746, 1e300, -1e300)
	}
	specialUp := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), l.max, -l.max,
		l.minSubnormal, -l.minSubnormal, l.minNormal, -l.minNormal, 1, -1, 1e38, -1e38}
	bitsMask := uint64(1)<<(8*size[F]()) - 1 // all ones for float64
	sign := func() float64 { return float64(1 - 2*r.IntN(2)) }
	nan := func() F { // a NaN with a payload, either sign, quiet or signalling
		return fromBits[F](bitsOf(F(math.Inf(int(sign())))) | quietBit[F]()>>uint(r.IntN(2)) | uint64(1+r.IntN(255)))
	}
	gate, up = make([]F, n), make([]F, n)
	for i := range n {
		huge := false
		switch r.IntN(12) {
		case 0:
			v := specialGate[r.IntN(len(specialGate))]
			if r.IntN(2) == 0 {
				v = math.Nextafter(v, math.Inf(r.IntN(2)*2-1))
			}
			gate[i] = F(v)
			if r.IntN(16) == 0 {
				gate[i] = nan()
			}
		case 1:
			gate[i] = fromBits[F](r.Uint64() & bitsMask)
		case 2, 3, 4:
			gate[i] = F(-40 + 80*r.Float64())
		case 5:
			gate[i] = F(-8 + 16*r.Float64())
		case 6, 7:
			gate[i] = F(tail + (-32-tail)*r.Float64())
			huge = r.IntN(2) == 0
		case 8:
			gate[i] = F(sign() * (32 + (-tail-32)*r.Float64()))
		case 9:
			gate[i] = F(sign() * math.Ldexp(1+r.Float64(), 5+r.IntN(maxExp-4)))
		case 10:
			gate[i] = F(sign() * math.Ldexp(r.Float64(), -r.IntN(-minExp)))
		default:
			gate[i] = F(subLo + (subHi-subLo)*r.Float64())
		}
		if huge {
			up[i] = F(sign() * math.Ldexp(1+r.Float64(), maxExp-r.IntN(maxExp/4)))
			continue
		}
		switch r.IntN(10) {
		case 0:
			up[i] = F(specialUp[r.IntN(len(specialUp))])
			if up[i] != up[i] {
				up[i] = nan()
			}
		case 1: // subnormal
			up[i] = F(sign()) * fromBits[F](r.Uint64N(bitsOf(F(l.minNormal))))
		case 2: // any binade
			up[i] = F(sign() * math.Ldexp(1+r.Float64(), minExp+r.IntN(maxExp-minExp+1)))
		case 3: // near the largest
			up[i] = F(sign() * l.max * (0.5 + r.Float64()/2))
		case 4: // tiny
			up[i] = F(sign() * math.Ldexp(1+r.Float64(), minExp+r.IntN(50)))
		case 5: // around the smallest normal: gate·up there has its low part below the subnormals
			up[i] = F(sign() * math.Ldexp(1+r.Float64(), 3-maxExp-r.IntN(4)))
		default:
			up[i] = F(r.NormFloat64())
		}
	}
	return gate, up
}

// TestSwiGLU checks SwiGLU of every kernel and the package-level
// functions, both element types, on swigluInputs (2^22 float32, 2^21
// float64 pairs; 2^18 and 2^17 when slow()): the generic kernel's results
// against the references of package accuracy within the bound, the
// largest error of each class reported; every kernel's bits against the
// generic kernel's, out of place and in place on gate and on up, and its
// largest error reported.
func TestSwiGLU(t *testing.T) {
	t.Run("SwiGLU", testSwiGLU[float32])
	t.Run("SwiGLU64", testSwiGLU[float64])
}

func testSwiGLU[F float](t *testing.T) {
	n := 1 << 22
	if is64[F]() {
		n = 1 << 21
	}
	if slow() {
		n >>= 4
	}
	gates, ups := swigluInputs[F](n, 1)
	fs := swigluFuncs[F]()
	generic := genericOnly(fs)[0]
	want := make([]F, n)
	generic.f(want, gates, ups)
	errs := make([]float64, n) // the generic kernel's, by input
	var (
		mu    sync.Mutex
		wg    sync.WaitGroup
		total swigluTally[F]
	)
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Go(func() {
			var mine swigluTally[F]
			for i := w; i < n; i += workers {
				u, why := swigluCheck(gates[i], ups[i], want[i])
				errs[i] = u
				mine.add(gates[i], ups[i], want[i], u, why)
			}
			mu.Lock()
			total.merge(&mine)
			mu.Unlock()
		})
	}
	wg.Wait()
	total.log(t, generic.name)
	if total.bad != 0 {
		t.FailNow()
	}
	for _, f := range fs {
		t.Run(f.name, func(t *testing.T) {
			rep := &reporter{t: t}
			dst := make([]F, n)
			f.f(dst, gates, ups)
			onGate := append([]F(nil), gates...)
			f.f(onGate, onGate, ups)
			onUp := append([]F(nil), ups...)
			f.f(onUp, gates, onUp)
			var worst float64
			var at [2]F
			for i := range gates {
				for _, c := range []struct {
					what string
					got  F
				}{{"out of place", dst[i]}, {"in place on gate", onGate[i]}, {"in place on up", onUp[i]}} {
					u := errs[i]
					if !sameBits(c.got, want[i]) {
						var w string
						if u, w = swigluCheck(gates[i], ups[i], c.got); w == "" {
							w = "correct, but not the generic kernel's bits"
						}
						if !rep.fail("%s: element %d: gate=%s up=%s gave %s, %s %s: %s", c.what, i, hex(gates[i]), hex(ups[i]), hex(c.got), generic.name, hex(want[i]), w) {
							return
						}
					}
					if u > worst && !math.IsInf(u, 0) {
						worst, at = u, [2]F{gates[i], ups[i]}
					}
				}
			}
			t.Logf("%s: %d inputs, 3 calls each: max %.4f ULP at gate=%s up=%s", f.name, n, worst, hex(at[0]), hex(at[1]))
		})
	}
}

// TestSwiGLUSpecials checks the documented values on every kernel and the
// package-level functions, both element types: a NaN gate gives that NaN
// quieted, else a NaN up gives its NaN quieted; gate = +Inf gives up·∞,
// gate = -Inf up·(-0) (the zero of the sign opposite to up's); an
// infinite up gives ±Inf with the sign of gate·up for every finite
// nonzero gate (σ(gate) > 0 even where it underflows); ∞·0 (gate = +Inf
// with a zero up, gate = ±0 or -Inf with an infinite up) gives the
// negative quiet NaN without payload; a zero gate or up, and a result
// below the range, gives ±0 with the sign of gate·up; a result beyond the
// range ±Inf. Each case runs alone, and all of them in one call, in both
// orders. Then the example of the documentation (gate = -100, up = 1e38:
// about -3.7e-04, where gate·up overflows) and other results at their own
// scale, within the bound and not 0, products next to the smallest normal
// among them.
func TestSwiGLUSpecials(t *testing.T) {
	t.Run("SwiGLU", testSwiGLUSpecials[float32])
	t.Run("SwiGLU64", testSwiGLUSpecials[float64])
}

func testSwiGLUSpecials[F float](t *testing.T) {
	l := limitsOf[F]()
	inf := F(math.Inf(1))
	nz := F(math.Copysign(0, -1))
	// A signalling NaN with payload 5, and a negative quiet one with a
	// payload.
	nan := fromBits[F](bitsOf(inf) | 5)
	negNaN := fromBits[F](bitsOf(-inf) | quietBit[F]() | 0x123)
	quiet := func(v F) F { return fromBits[F](quietOf(v)) }
	maxF, minSub, minNorm := F(l.max), F(l.minSubnormal), F(l.minNormal)
	// copysign is the value v with the sign of s·t.
	copysign := func(v, s, t F) F {
		if (s < 0) != (t < 0) {
			return F(math.Copysign(float64(v), -1))
		}
		return F(math.Copysign(float64(v), 1))
	}
	// Finite nonzero values, for gate and for up: σ(gate) underflows for
	// the large negative ones.
	finite := []F{1, -2.5, 40, -100, -1000, 1e-30, -1e30, maxF, -maxF, minSub, -minSub, minNorm, -minNorm}
	type tc struct{ gate, up, want F }
	var cases []tc
	for _, d := range []F{nan, negNaN} {
		for _, u := range append(finite, 0, nz, inf, -inf, nan, negNaN) {
			cases = append(cases, tc{d, u, quiet(d)})
		}
		for _, g := range append(finite, 0, nz, inf, -inf) {
			cases = append(cases, tc{g, d, quiet(d)})
		}
	}
	for _, u := range finite {
		cases = append(cases, tc{inf, u, copysign(inf, u, 1)}, tc{-inf, u, copysign(0, u, -1)})
	}
	cases = append(cases, tc{inf, inf, inf}, tc{inf, -inf, -inf}, tc{inf, 0, canonNaN[F]()}, tc{inf, nz, canonNaN[F]()}, tc{-inf, 0, nz}, tc{-inf, nz, 0},
		tc{-inf, inf, canonNaN[F]()}, tc{-inf, -inf, canonNaN[F]()})
	for _, g := range finite {
		cases = append(cases, tc{g, inf, copysign(inf, g, 1)}, tc{g, -inf, copysign(inf, g, -1)},
			tc{g, 0, copysign(0, g, 1)}, tc{g, nz, copysign(0, g, -1)}, tc{0, g, copysign(0, g, 1)}, tc{nz, g, copysign(0, g, -1)})
	}
	cases = append(cases, tc{0, inf, canonNaN[F]()}, tc{nz, inf, canonNaN[F]()}, tc{0, -inf, canonNaN[F]()}, tc{nz, -inf, canonNaN[F]()},
		tc{0, 0, 0}, tc{0, nz, nz}, tc{nz, 0, nz}, tc{nz, nz, 0})
	// Results below the range: ±0 with the sign of gate·up, gate·up
	// beyond the range among them.
	under, bigG := -150.0, 1e30
	if is64[F]() {
		under, bigG = -800, 1e300
	}
	big := F(bigG)
	for _, u := range []F{1, -1, 1e-30, -1e-30} {
		cases = append(cases, tc{F(under), u, copysign(0, F(under), u)})
	}
	for _, u := range []F{1, -1, 1e-30, -maxF, maxF} {
		cases = append(cases, tc{-maxF, u, copysign(0, -maxF, u)}, tc{-big, u, copysign(0, -big, u)})
	}
	if is64[F]() {
		// A zero up where e^gate is far below the range: still ±0.
		g := math.Float64frombits(0xc09634a0033bd446) // -1421.156
		cases = append(cases, tc{F(g), 0, nz}, tc{F(g), nz, 0}, tc{F(-g), nz, nz})
	}
	// Results beyond the range: ±Inf.
	cases = append(cases, tc{maxF, 2, inf}, tc{maxF, -2, -inf}, tc{big, big, inf}, tc{big, -big, -inf}, tc{maxF, maxF, inf}, tc{2, maxF, inf})
	gates, ups := make([]F, len(cases)), make([]F, len(cases))
	for i, c := range cases {
		gates[i], ups[i] = c.gate, c.up
	}
	rev := func(s []F) []F {
		r := make([]F, len(s))
		for i, v := range s {
			r[len(s)-1-i] = v
		}
		return r
	}
	// At their own scale: gate·up beyond the range, e^gate subnormal or
	// below the range, subnormal results; and gate·up just above the
	// smallest normal, whose low part is below the subnormals, with the
	// result next to it (found by the exhaustive sweeps).
	f32, f64 := func(b uint32) float64 { return float64(math.Float32frombits(b)) }, math.Float64frombits
	own := [][2]float64{{-100, float64(float32(1e38))}, {-100, -float64(float32(1e38))}, {-150, float64(float32(1e38))},
		{-95, 1}, {-87.5, -1}, {-20, float64(float32(1e-30))}, {float64(float32(3e38)), 0.5},
		{f32(0x3f7ba14b), f32(0x01a9bd71)}, {f32(0x3ff9a190), f32(0x8107ae24)}, {f32(0x3f94a934), f32(0x00f9ff2d)}}
	if is64[F]() {
		own = append(own, [][2]float64{{-700, 1e308}, {-1000, -1e308}, {-1400, 1e308}, {-740, 1}, {-745, 0.5}, {-500, 1e-100}, {1e300, 1e-300},
			{f64(0x400045722d0d4860), f64(0x0021183b51e4f898)}, {f64(0x3ff255629f55a12e), f64(0x0030439a82d91f38)},
			{f64(0x3ff4fbf4e0f3da24), f64(0x8021a28046ba8832)}, {f64(0x3ff212806f26d494), f64(0x8020a02e8c0d6571)}}...)
	}
	for _, f := range swigluFuncs[F]() {
		t.Run(f.name, func(t *testing.T) {
			rep := &reporter{t: t}
			all, allRev := make([]F, len(cases)), make([]F, len(cases))
			f.f(all, gates, ups)
			f.f(allRev, rev(gates), rev(ups))
			one := make([]F, 1)
		exact:
			for i, c := range cases {
				f.f(one, []F{c.gate}, []F{c.up})
				for _, r := range []struct {
					what string
					got  F
				}{{"in one call", all[i]}, {"in reverse", allRev[len(cases)-1-i]}, {"alone", one[0]}} {
					if !sameBits(r.got, c.want) && !rep.fail("%s: SwiGLU(gate=%s, up=%s) = %s, want %s", r.what, hex(c.gate), hex(c.up), hex(r.got), hex(c.want)) {
						break exact // and on to the checks below
					}
				}
			}
			// The documented example: gate = -100, up = 1e38 gives about
			// -3.7e-04 in float32, though gate·up overflows.
			f.f(one, []F{-100}, []F{F(float32(1e38))})
			if u, why := swigluCheck(F(-100), F(float32(1e38)), one[0]); why != "" {
				t.Errorf("SwiGLU(-100, 1e38): %s", why)
			} else if !is64[F]() && sprintf("%.1e", one[0]) != "-3.7e-04" {
				t.Errorf("SwiGLU(-100, 1e38) = %v (%s), documented about -3.7e-04 (%.4f ULP)", one[0], hex(one[0]), u)
			} else {
				t.Logf("SwiGLU(-100, 1e38) = %v (%s), %.4f ULP", one[0], hex(one[0]), u)
			}
			for _, c := range own {
				g, u := F(c[0]), F(c[1])
				f.f(one, []F{g}, []F{u})
				if e, why := swigluCheck(g, u, one[0]); why != "" || one[0] == 0 {
					t.Errorf("SwiGLU(gate=%v, up=%v) = %v (%s), %.4f ULP: %s", g, u, one[0], hex(one[0]), e, why)
				}
			}
		})
	}
}

// hashedUp is an up drawn from a hash of v, the same every run: a sign,
// 52 bits of fraction and, by two bits of the hash, an exponent from one
// of four ranges: ordinary (|up| in [2^-4, 2^4)), any (float32 2^-150 to
// 2^127, float64 2^-1075 to 2^1023: subnormals included), huge (the top
// 32 binades: gate·up overflows for |gate| above 2^32, and meets e^gate
// far below the range in the negative tail) and tiny (float32: the bottom
// 51 binades; float64: 2^-1075 to 2^-1019, the neighbours of the smallest
// normal included, where gate·up's low part is below the subnormals for
// an ordinary gate). Every kind is made and one picked by index, without
// a branch: the exhaustive sweep draws 2^32 of them.
func hashedUp[F float](v uint64) F {
	h := splitMix(v ^ 0x5a16c0ffee)
	frac := splitMix(h) & (1<<52 - 1)
	r := h >> 40 & 0xffff
	kind := h >> 62
	lo, span := [4]int{-4, -150, 96, -150}, [4]int{8, 278, 32, 51}
	if is64[F]() {
		lo, span = [4]int{-4, -1075, 992, -1075}, [4]int{8, 2099, 32, 57}
	}
	e := lo[kind] + int(r*uint64(span[kind])>>16)
	s := h >> 61 & 1 << 63
	if !is64[F]() {
		// A normal float64 (e >= -150), rounded once to float32.
		return F(math.Float64frombits(s | uint64(e+1023)<<52 | frac))
	}
	return F(math.Float64frombits(s | math.Float64bits(math.Ldexp(1+float64(frac)*0x1p-52, e))))
}

// TestSwiGLUExhaustive checks SwiGLU on all 2^32 float32 gates, each with
// its own up from hashedUp (a hash of gate's bits: ordinary, any scale,
// huge and tiny), on every kernel of kernels.Kernels(): the first one
// (the best this CPU runs) against the references of package accuracy
// within the bound, the largest error of each class reported, the others'
// bits (the generic kernel's included) against its. It runs only with
// SIGMOID_EXHAUSTIVE=1 or -exhaustive.
func TestSwiGLUExhaustive(t *testing.T) {
	if !exhaustiveRun() {
		t.Skip("set SIGMOID_EXHAUSTIVE=1 or pass -exhaustive to check all 2^32 gates")
	}
	ks := kernels.Kernels()
	start := time.Now()
	total := sweepSwiGLU(ks, 0, 1<<32)
	var names []string
	for _, k := range ks {
		names = append(names, k.Name())
	}
	t.Logf("all 2^32 gates on %v in %v (%d inputs checked on %s, the others compared bit for bit)", names, time.Since(start).Round(time.Second), total.inputs, ks[0].Name())
	if total.inputs != 1<<32 {
		t.Errorf("checked %d inputs, want 2^32", total.inputs)
	}
	total.log(t, ks[0].Name())
}

// sweepSwiGLU is TestSwiGLUExhaustive on the gates with bit patterns in
// [from, to), a multiple of its chunks apart, on GOMAXPROCS goroutines.
// Every result is checked; only those with an error above 0.5 ULP, or
// wrong, are put in their class (the largest error of a class is only
// known if it is above 0.5 ULP), and the classes' inputs are not counted.
func sweepSwiGLU(ks []kernels.Kernel, from, to uint64) *swigluTally[float32] {
	const chunk = 1 << 16
	var total swigluTally[float32]
	inParallel((to-from+chunk-1)/chunk, func() (func(j uint64), func()) {
		gate, up, dst, other := make([]float32, chunk), make([]float32, chunk), make([]float32, chunk), make([]float32, chunk)
		var mine swigluTally[float32]
		return func(j uint64) {
			c := from + j*chunk
			for i := range gate {
				b := c + uint64(i)
				gate[i] = math.Float32frombits(uint32(b))
				up[i] = hashedUp[float32](b)
			}
			ks[0].SwiGLU(dst, gate, up)
			for _, k := range ks[1:] {
				k.SwiGLU(other, gate, up)
				for i := range other {
					if !sameBits(other[i], dst[i]) {
						mine.record(0, gate[i], up[i], 0, sprintf("%s: gate=%s up=%s gave %s, %s %s", k.Name(), hex(gate[i]), hex(up[i]), hex(other[i]), ks[0].Name(), hex(dst[i])))
					}
				}
			}
			for i, g := range gate {
				if u, why := accuracy.CheckSwiGLU(g, up[i], dst[i], bound); u > 0.5 || why != "" {
					mine.record(swigluClass(g, up[i], dst[i]), g, up[i], u, why)
				}
			}
			mine.inputs += chunk
		}, func() { total.merge(&mine) }
	})
	return &total
}

// TestSwiGLUExhaustive64 checks the generic kernel's SwiGLU64 on 10^8
// gates, in blocks of 10^6: half from accuracy.Inputs64, an eighth over
// [-40, 40], an eighth over [-4, 4], an eighth over the negative tail
// [-1500, -32] and an eighth
// beyond 32 (±[32, 1500] and every binade above), each with an up from
// hashedUp (a hash of gate's bits), against the double-double reference
// within the bound. TestSameBitsSweep checks the other kernels' bits. It
// runs only with SIGMOID_EXHAUSTIVE=1 or -exhaustive.
func TestSwiGLUExhaustive64(t *testing.T) {
	if !exhaustiveRun() {
		t.Skip("set SIGMOID_EXHAUSTIVE=1 or pass -exhaustive to check 10^8 float64 inputs")
	}
	const block = 1_000_000
	f := genericOnly(swigluFuncs[float64]())[0]
	start := time.Now()
	var total swigluTally[float64]
	inParallel((exhaustive64Inputs+block-1)/block, func() (func(j uint64), func()) {
		gate, up, dst := make([]float64, block), make([]float64, block), make([]float64, block)
		var mine swigluTally[float64]
		return func(j uint64) {
			b := int(j)
			r := rand.New(rand.NewPCG(uint64(b), 0x5a1664))
			switch b % 8 {
			case 0, 1, 2, 3:
				copy(gate, accuracy.Inputs64(block, 800+uint64(b)))
			case 4:
				for i := range gate {
					gate[i] = -40 + 80*r.Float64()
				}
			case 5:
				for i := range gate {
					gate[i] = -4 + 8*r.Float64()
				}
			case 6:
				for i := range gate {
					gate[i] = -1500 + 1468*r.Float64()
				}
			default:
				for i := range gate {
					gate[i] = beyond32(r, i)
				}
			}
			for i, g := range gate {
				up[i] = hashedUp[float64](math.Float64bits(g))
			}
			f.f(dst, gate, up)
			for i, g := range gate {
				u, why := swigluCheck(g, up[i], dst[i])
				mine.add(g, up[i], dst[i], u, why)
			}
		}, func() { total.merge(&mine) }
	})
	t.Logf("%s SwiGLU64: %d inputs in %v", f.name, total.inputs, time.Since(start).Round(time.Second))
	if total.inputs != exhaustive64Inputs {
		t.Errorf("checked %d inputs, want %d", total.inputs, exhaustive64Inputs)
	}
	total.log(t, f.name)
}
