package fallback

import (
	"flag"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
)

// go test ./fallback/ -args -fallback.stride=1 checks all 2^32 float32 inputs.
var stride = flag.Uint64("fallback.stride", 251, "float32 bit-pattern stride of the exhaustive-ish SigmoidScalar sweep")

const bigPrec = 160

// bigExp returns e^x to about bigPrec-30 bits: Taylor series on x/2^s,
// |x/2^s| < 2^-8, then s squarings (each loses at most a bit).
func bigExp(x *big.Float) *big.Float {
	prec := uint(bigPrec)
	neg := x.Sign() < 0
	a := new(big.Float).SetPrec(prec).Abs(x)
	s := 0
	if e := a.MantExp(nil); e > -8 {
		s = e + 8
	}
	a.SetMantExp(a, -s)
	sum := new(big.Float).SetPrec(prec).SetInt64(1)
	term := new(big.Float).SetPrec(prec).SetInt64(1)
	eps := new(big.Float).SetPrec(prec).SetMantExp(big.NewFloat(1), -int(prec)-4)
	for k := int64(1); ; k++ {
		term.Mul(term, a)
		term.Quo(term, new(big.Float).SetInt64(k))
		sum.Add(sum, term)
		if term.Cmp(eps) < 0 {
			break
		}
	}
	for range s {
		sum.Mul(sum, sum)
	}
	if neg {
		sum.Quo(new(big.Float).SetPrec(prec).SetInt64(1), sum)
	}
	return sum
}

// bigSigmoidFloat returns 1/(1+e^-x) to about 130 bits.
func bigSigmoidFloat(x float64) *big.Float {
	switch {
	case x != x:
		panic("NaN")
	case x > 1000:
		return big.NewFloat(1)
	case x < -1000:
		return new(big.Float)
	}
	bx := new(big.Float).SetPrec(bigPrec).SetFloat64(-x)
	d := bigExp(bx)
	d.Add(d, big.NewFloat(1))
	return d.Quo(new(big.Float).SetPrec(bigPrec).SetInt64(1), d)
}

// bigSigmoid is the sigmoid correctly rounded to float64 (barring results
// within 2^-130 relative of a rounding boundary).
func bigSigmoid(x float64) float64 {
	if x != x {
		return x
	}
	f, _ := bigSigmoidFloat(x).Float64()
	return f
}

// bigSigmoid32 is the sigmoid correctly rounded straight to float32.
func bigSigmoid32(x float32) float32 {
	f, _ := bigSigmoidFloat(float64(x)).Float32()
	return f
}

func TestExp2Table(t *testing.T) {
	for j := range tableSize {
		// 2^(j/1024) as ten square roots of 2^j (SetMantExp takes its
		// argument's precision: 2^j is built from a bigPrec-bit 1).
		v := new(big.Float).SetPrec(bigPrec).SetInt64(1)
		v.SetMantExp(v, j)
		for range tableBits {
			v.Sqrt(v)
		}
		want, _ := v.Float64()
		if got := math.Float64frombits(exp2Table[j] + uint64(j)<<(52-tableBits)); got != want {
			t.Errorf("table[%d] holds %x, want %x", j, got, want)
		}
	}
}

func TestReductionConstants(t *testing.T) {
	if b := math.Float64bits(negInvHi); b&(1<<24-1) != 0 {
		t.Errorf("negInvHi has more than 29 significant bits: %x", negInvHi)
	}
	if math.Float64bits(roundShift) != shiftBits {
		t.Errorf("shiftBits = %#x, want %#x", uint64(shiftBits), math.Float64bits(roundShift))
	}
	// hi+lo = -1024/ln2 far beyond float64 precision: exp(-1024/(hi+lo)) = 2.
	q := new(big.Float).SetPrec(bigPrec).SetFloat64(negInvHi)
	q.Add(q, big.NewFloat(negInvLo))
	q.Quo(big.NewFloat(-tableSize).SetPrec(bigPrec), q)
	diff := bigExp(q)
	diff.Sub(diff, big.NewFloat(2))
	if d, _ := diff.Float64(); math.Abs(d) > 0x1p-80 {
		t.Errorf("exp(-1024/(negInvHi+negInvLo)) - 2 = %g", d)
	}
}

// check32 compares SigmoidScalar(x) with ref, a float64 reference, rounded to
// float32. Where ref lies within midTol (relative) of a float32 rounding
// midpoint, float64 errors (~1e-16 in kernel and reference) could decide the
// rounding, so the correctly rounded result is computed with math/big
// instead; a kernel result that differs from it there is counted as a
// misrounding, not a failure.
type check32 struct {
	t          *testing.T
	n          int
	nearMid    int     // references within midTol of a midpoint
	misrounded int     // results not correctly rounded (all near a midpoint)
	worstMid   float64 // largest midpoint distance among those
	failures   int
}

// midTol is far above the kernel's and the reference's float64 errors
// (~1e-16 to 1e-15), so a wrong result outside it is a bug.
const midTol = 1e-12

func (c *check32) do(x float32, ref float64) {
	c.n++
	got := SigmoidScalar(x)
	if math.IsNaN(float64(x)) {
		if !math.IsNaN(float64(got)) {
			c.fail("SigmoidScalar(%v) = %v, want NaN", x, got)
		}
		return
	}
	if !(got >= 0 && got <= 1) {
		c.fail("SigmoidScalar(%v) = %v, outside [0,1]", x, got)
		return
	}
	want := float32(ref)
	dist, other := midDist(ref)
	if dist < midTol {
		c.nearMid++
		if want = bigSigmoid32(x); got != want {
			if got != other && got != float32(ref) {
				c.fail("SigmoidScalar(%v) = %v, want %v", x, got, want)
				return
			}
			c.misrounded++
			c.worstMid = max(c.worstMid, dist)
		}
		return
	}
	if got != want {
		c.fail("SigmoidScalar(%v [%#08x]) = %v [%#08x], want %v [%#08x] (ref %v, %.3g from a midpoint)",
			x, math.Float32bits(x), got, math.Float32bits(got), want, math.Float32bits(want), ref, dist)
	}
}

func (c *check32) fail(format string, args ...any) {
	c.t.Helper()
	if c.failures++; c.failures <= 20 {
		c.t.Errorf(format, args...)
	}
}

func (c *check32) add(o *check32) {
	c.n += o.n
	c.nearMid += o.nearMid
	c.misrounded += o.misrounded
	c.worstMid = max(c.worstMid, o.worstMid)
	c.failures += o.failures
}

func (c *check32) report(what string) {
	c.t.Logf("%s: %d inputs, %d within %g of a float32 midpoint (settled with math/big), %d not correctly rounded (worst %.3g from a midpoint), %d failures",
		what, c.n, c.nearMid, midTol, c.misrounded, c.worstMid, c.failures)
}

// midDist returns the relative distance from ref to the nearer midpoint
// between float32(ref) and a neighbour (midpoints are exact in float64), and
// that neighbour: the result ref would round to on the midpoint's far side.
func midDist(ref float64) (float64, float32) {
	f := float32(ref)
	if float64(f) == ref {
		return math.Inf(1), f
	}
	dir := float32(math.Inf(1))
	if float64(f) > ref {
		dir = float32(math.Inf(-1))
	}
	other := math.Nextafter32(f, dir)
	mid := (float64(f) + float64(other)) / 2
	return math.Abs(ref-mid) / math.Abs(ref), other
}

// edgeInputs are the specials, saturation edges and subnormal inputs, each
// with a few float32 neighbours.
func edgeInputs() []float32 {
	centres := []float32{
		0, 1e-45, 0x1p-126, 1e-30, 1e-8, 0.5, 1, 2, 8, 16, 16.23, 16.635532,
		0x1.154246p+4, 20, 36.7, 87.34, 88.72, 103.97, 103.972076, 104, 105,
		354.89, 354.8915, 355, 1000, 1e30, math.MaxFloat32, float32(math.Inf(1)),
	}
	var xs []float32
	for _, c := range centres {
		for _, x := range []float32{c, -c} {
			xs = append(xs, x)
			up, down := x, x
			for range 4 {
				up = math.Nextafter32(up, float32(math.Inf(1)))
				down = math.Nextafter32(down, float32(math.Inf(-1)))
				xs = append(xs, up, down)
			}
		}
	}
	// The float32-subnormal result range, densely.
	for x := float32(-104.5); x < -86; x += 0.01 {
		xs = append(xs, x)
	}
	return append(xs, float32(math.NaN()))
}

func TestSigmoid32Edges(t *testing.T) {
	c := &check32{t: t}
	for _, x := range edgeInputs() {
		c.do(x, bigSigmoid(float64(x)))
	}
	c.report("edges vs math/big")
}

// TestKernelError measures the float64 value SigmoidScalar rounds, against
// math/big, over the range where the float32 result is not 0 or 1.
func TestKernelError(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	xs := edgeInputs()
	for range 20000 {
		xs = append(xs, float32(rng.Float64()*122-104))
	}
	for range 2000 { // small |x|, over many binades
		xs = append(xs, float32(math.Ldexp(rng.Float64()-0.5, -rng.IntN(40))))
	}
	var worst float64
	var worstX float32
	n := 0
	for _, x := range xs {
		if !(x > -104 && x < 17.33) {
			continue
		}
		n++
		want := bigSigmoid(float64(x))
		if rel := math.Abs(sigmoid32Wide(x)-want) / want; rel > worst {
			worst, worstX = rel, x
		}
	}
	t.Logf("float64 value before rounding, %d points: worst relative error %.3g at x=%v", n, worst, worstX)
	if worst > 2e-15 {
		t.Errorf("worst relative error %g > 2e-15", worst)
	}
}

func TestSigmoid32Sweep(t *testing.T) {
	step := *stride
	if testing.Short() && step < 2521 {
		step = 2521
	}
	// Split the bit patterns among the CPUs; each part also runs Sigmoid
	// over its inputs and checks it against SigmoidScalar.
	parts := runtime.GOMAXPROCS(0)
	checks := make([]check32, parts)
	var wg sync.WaitGroup
	for p := range parts {
		c := &checks[p]
		c.t = t
		wg.Go(func() {
			src, dst := make([]float32, 0, 4096), make([]float32, 4096)
			flush := func() {
				dst = dst[:len(src)]
				Sigmoid(dst, src)
				for i, x := range src {
					if want := SigmoidScalar(x); !same(dst[i], want) {
						c.fail("Sigmoid: %v -> %v, SigmoidScalar gives %v", x, dst[i], want)
					}
				}
				src = src[:0]
			}
			for b := uint64(p) * step; b < 1<<32; b += uint64(parts) * step {
				x := math.Float32frombits(uint32(b))
				c.do(x, SigmoidScalar64(float64(x)))
				if src = append(src, x); len(src) == 4096 {
					flush()
				}
			}
			flush()
		})
	}
	wg.Wait()
	total := check32{t: t}
	for p := range checks {
		total.add(&checks[p])
	}
	total.report(fmt.Sprintf("float32 bit patterns at stride %d vs SigmoidScalar64", step))
}

func TestSpecial(t *testing.T) {
	inf := float32(math.Inf(1))
	negZero := float32(math.Copysign(0, -1))
	for _, tc := range []struct{ x, want float32 }{
		{inf, 1}, {-inf, 0}, {0, 0.5}, {negZero, 0.5},
		{math.MaxFloat32, 1}, {-math.MaxFloat32, 0},
		{0x1.154246p+4, 1}, {math.Nextafter32(0x1.154246p+4, 0), 1 - 0x1p-24},
		{-103.972, 0x1p-149}, {-103.9721, 0},
	} {
		if got := SigmoidScalar(tc.x); got != tc.want {
			t.Errorf("SigmoidScalar(%v) = %v, want %v", tc.x, got, tc.want)
		}
	}
	for _, b := range []uint32{0x7fc00000, 0xffc00000, 0x7f800001, 0xffffffff} {
		if got := SigmoidScalar(math.Float32frombits(b)); !math.IsNaN(float64(got)) {
			t.Errorf("SigmoidScalar(NaN %#x) = %v", b, got)
		}
	}
	// Saturation: the first float32 that gives 1, and everything above it.
	for x := float32(0x1.154246p+4); x < 200; x = math.Nextafter32(x, 1000) {
		if got := SigmoidScalar(x); got != 1 {
			t.Fatalf("SigmoidScalar(%v) = %v, want 1", x, got)
		}
	}
	for _, tc := range []struct{ x, want float64 }{
		{math.Inf(1), 1}, {math.Inf(-1), 0}, {0, 0.5}, {math.Copysign(0, -1), 0.5},
		{math.MaxFloat64, 1}, {-math.MaxFloat64, 0},
	} {
		if got := SigmoidScalar64(tc.x); got != tc.want {
			t.Errorf("SigmoidScalar64(%v) = %v, want %v", tc.x, got, tc.want)
		}
	}
	if got := SigmoidScalar64(math.NaN()); !math.IsNaN(got) {
		t.Errorf("SigmoidScalar64(NaN) = %v", got)
	}
}

// bigULP64 is |got - exact| in float64 ULPs of exact: 2^(e-52) for
// |exact| in [2^e, 2^(e+1)), 2^-1074 below 2^-1022.
func bigULP64(got float64, exact *big.Float) float64 {
	e := exact.MantExp(nil) - 1 // |exact| in [2^e, 2^(e+1))
	if exact.Sign() == 0 || e < -1022 {
		e = -1022
	}
	d := new(big.Float).SetPrec(bigPrec).SetFloat64(got)
	d.Sub(d, exact)
	d.SetMantExp(d, 52-e)
	u, _ := d.Float64()
	return math.Abs(u)
}

// TestSigmoidScalar64 checks SigmoidScalar64 against math/big (independent
// of the double-double reference the accuracy package uses) on a few
// thousand inputs, subnormal results included: within 0.502 ULP.
func TestSigmoidScalar64(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var xs []float64
	for range 3000 {
		xs = append(xs, rng.Float64()*1500-750)
	}
	for range 2000 { // float64-subnormal results, and the edges around them
		xs = append(xs, -707-rng.Float64()*39)
	}
	for range 1000 { // near zero, over many binades
		xs = append(xs, math.Ldexp(rng.Float64()-0.5, -rng.IntN(1074)))
	}
	for range 1000 { // saturation towards 1
		xs = append(xs, 36+rng.Float64()*3)
	}
	for _, x := range edgeInputs() {
		xs = append(xs, float64(x))
	}
	var worst, worstX float64
	misrounded := 0
	for _, x := range xs {
		got := SigmoidScalar64(x)
		if math.IsNaN(x) {
			if !math.IsNaN(got) {
				t.Errorf("SigmoidScalar64(%v) = %v, want NaN", x, got)
			}
			continue
		}
		exact := bigSigmoidFloat(x)
		u := bigULP64(got, exact)
		if u > worst {
			worst, worstX = u, x
		}
		if want, _ := exact.Float64(); got != want {
			misrounded++
		}
	}
	t.Logf("SigmoidScalar64 vs math/big on %d points: worst %.4f ULP at x=%v, %d not correctly rounded",
		len(xs), worst, worstX, misrounded)
	if worst > 0.502 {
		t.Errorf("worst error %.4f ULP > 0.502", worst)
	}
}

func TestSigmoidSlice(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	edges := edgeInputs()
	for n := range 101 {
		src := make([]float32, n)
		for i := range src {
			if i%3 == 0 {
				src[i] = edges[rng.IntN(len(edges))]
			} else {
				src[i] = rng.Float32()*60 - 30
			}
		}
		dst := make([]float32, n+1)
		dst[n] = 42
		Sigmoid(dst[:n], src)
		in := append([]float32(nil), src...)
		Sigmoid(in, in)
		for i, x := range src {
			want := SigmoidScalar(x)
			if !same(dst[i], want) || !same(in[i], want) {
				t.Fatalf("n=%d: Sigmoid(%v)[%d] = %v, in place %v, want %v", n, x, i, dst[i], in[i], want)
			}
		}
		if dst[n] != 42 {
			t.Fatalf("n=%d: wrote past len(src)", n)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("Sigmoid with short dst did not panic")
		}
	}()
	Sigmoid(make([]float32, 3), make([]float32, 4))
}

func same(a, b float32) bool {
	return a == b || (a != a && b != b)
}

var benchSizes = []int{16, 4096, 65536}

func benchInput(n int) []float32 {
	rng := rand.New(rand.NewPCG(5, 6))
	src := make([]float32, n)
	for i := range src {
		src[i] = rng.Float32()*32 - 16
	}
	return src
}

func benchKernel(b *testing.B, f func(dst, src []float32)) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			src := benchInput(n)
			dst := make([]float32, n)
			b.SetBytes(int64(4 * n))
			for b.Loop() {
				f(dst, src)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
		})
	}
}

func BenchmarkSigmoid(b *testing.B) { benchKernel(b, Sigmoid) }

// BenchmarkNaive is the obvious math.Exp loop, for comparison.
func BenchmarkNaive(b *testing.B) {
	benchKernel(b, func(dst, src []float32) {
		dst = dst[:len(src)]
		for i, x := range src {
			dst[i] = float32(1 / (1 + math.Exp(-float64(x))))
		}
	})
}
