package kernels_test

import (
	"math"
	"math/big"
	"math/bits"
	"math/rand/v2"
	"testing"

	"github.com/simdsigmoid/sigmoid/kernels"
)

// meanFunc is BCEWithLogitsMean (or BCEWithLogitsMean64), package-level
// or one kernel's method.
type meanFunc[F float] struct {
	name string
	mean func(dz, z, t []F) float64
}

// meanFuncs lists the package-level function, then every kernel's method.
func meanFuncs[F float]() []meanFunc[F] {
	var f any = kernels.BCEWithLogitsMean
	if is64[F]() {
		f = kernels.BCEWithLogitsMean64
	}
	fs := []meanFunc[F]{{"package", f.(func(dz, z, t []F) float64)}}
	for _, k := range kernels.Kernels() {
		f = k.BCEWithLogitsMean
		if is64[F]() {
			f = k.BCEWithLogitsMean64
		}
		fs = append(fs, meanFunc[F]{k.Name(), f.(func(dz, z, t []F) float64)})
	}
	return fs
}

// meanName is "BCEWithLogitsMean" or "BCEWithLogitsMean64".
func meanName[F float]() string {
	if is64[F]() {
		return "BCEWithLogitsMean64"
	}
	return "BCEWithLogitsMean"
}

// meanWant returns what BCEWithLogitsMean must give, from the package's
// element-wise functions: BCEWithLogits's losses, and dz =
// BCEWithLogitsBackward(dz, dy, z, t) with every dy 1/n rounded to F.
func meanWant[F float](z, t []F) (losses, dz []F) {
	n := len(z)
	losses, dz = make([]F, n), make([]F, n)
	dy := make([]F, n)
	for i := range dy {
		dy[i] = F(1 / float64(n))
	}
	var loss, grad any = kernels.BCEWithLogits, kernels.BCEWithLogitsBackward
	if is64[F]() {
		loss, grad = kernels.BCEWithLogits64, kernels.BCEWithLogitsBackward64
	}
	loss.(func(loss, z, t []F))(losses, z, t)
	grad.(func(dz, dy, z, t []F))(dz, dy, z, t)
	return losses, dz
}

// exactSum adds float64 values exactly: per binary exponent, the
// significands of the positive and of the negative terms in 128-bit
// integers (room for 2^75 terms), combined at the end in a big.Float
// wide enough to hold any sum of them exactly.
type exactSum struct{ pos, neg [2047][2]uint64 }

func (s *exactSum) add(x float64) {
	b := math.Float64bits(x)
	e := int(b>>52) & 0x7ff
	m := b & (1<<52 - 1)
	if e != 0 {
		m |= 1 << 52
	}
	a := &s.pos[e]
	if b>>63 != 0 {
		a = &s.neg[e]
	}
	var c uint64
	a[0], c = bits.Add64(a[0], m, 0)
	a[1] += c
}

// value is the exact sum (of finite terms).
func (s *exactSum) value() *big.Float {
	const prec = 4096 // 2^-1074 to 2^1101
	sum := new(big.Float).SetPrec(prec)
	for e := range s.pos {
		for neg, a := range [2][2]uint64{s.pos[e], s.neg[e]} {
			if a == [2]uint64{} {
				continue
			}
			i := new(big.Int).Lsh(new(big.Int).SetUint64(a[1]), 64)
			i.Or(i, new(big.Int).SetUint64(a[0]))
			f := new(big.Float).SetPrec(prec).SetInt(i)
			f.SetMantExp(f, max(e, 1)-1075)
			if neg == 1 {
				sum.Sub(sum, f)
			} else {
				sum.Add(sum, f)
			}
		}
	}
	return sum
}

// exactLossSum is the exact sum of the losses, all finite.
func exactLossSum[F float](losses []F) *big.Float {
	var s exactSum
	for _, l := range losses {
		s.add(float64(l))
	}
	return s.value()
}

// meanRelErr is |mean·n - sum| / |sum|, evaluated exactly (0 if both are
// 0, +Inf if only sum is).
func meanRelErr(mean float64, sum *big.Float, n int) float64 {
	d := new(big.Float).SetPrec(sum.Prec()).SetFloat64(mean)
	d.Mul(d, new(big.Float).SetInt64(int64(n)))
	d.Sub(d, sum)
	if sum.Sign() == 0 {
		if d.Sign() == 0 {
			return 0
		}
		return math.Inf(1)
	}
	d.Quo(d, sum)
	r, _ := d.Float64()
	return math.Abs(r)
}

// meanInputs draws n logits and targets, t in [0, 1]: ordinary logits and
// targets, labels 0 and 1 with logits from 2^-30 to 2^30 agreeing or not
// (losses from 0 to 2^30), saturated ones (|z| 100 and 1e4) and the
// targets 0.5 and 0 or 1 exactly.
func meanInputs[F float](n int, seed uint64) (z, t []F) {
	r := rand.New(rand.NewPCG(seed, 0xbce3ea))
	z, t = make([]F, n), make([]F, n)
	sign := func() float64 { return float64(1 - 2*r.IntN(2)) }
	for i := range n {
		switch r.IntN(8) {
		case 0, 1:
			z[i], t[i] = F(sign()*math.Exp2(-30+60*r.Float64())), F(r.IntN(2))
		case 2:
			z[i], t[i] = F(-40+80*r.Float64()), F(r.Float64())
		case 3:
			z[i], t[i] = F(-8+16*r.Float64()), 0.5
		case 4:
			z[i], t[i] = F(sign()*[]float64{100, 1e4}[r.IntN(2)]), F(r.IntN(2))
		default:
			z[i], t[i] = F(-10+20*r.Float64()), F([]float64{0, 1, r.Float64()}[r.IntN(3)])
		}
	}
	return z, t
}

// checkMean runs every fs on z and t, out of place and in place (dz = z,
// dz = t), and checks the mean against the exact mean of BCEWithLogits's
// losses (relative error below 1e-12, or NaN if wantNaN), dz against
// BCEWithLogitsBackward with dy = 1/n bit for bit, and that every run
// gives the same mean bits. It returns the largest relative error.
func checkMean[F float](t *testing.T, fs []meanFunc[F], z, tt []F, wantNaN, inPlace bool) (worst float64) {
	t.Helper()
	n := len(z)
	losses, wantDz := meanWant(z, tt)
	var sum *big.Float
	if !wantNaN {
		sum = exactLossSum(losses)
	}
	first := true
	var firstBits uint64
	dz := make([]F, n)
	for _, f := range fs {
		type run struct {
			what string
			call func() (float64, []F)
		}
		runs := []run{{"out of place", func() (float64, []F) {
			fillCanary(dz)
			return f.mean(dz, z, tt), dz
		}}}
		if inPlace {
			runs = append(runs,
				run{"dz = z", func() (float64, []F) {
					zc := append([]F(nil), z...)
					return f.mean(zc, zc, tt), zc
				}},
				run{"dz = t", func() (float64, []F) {
					tc := append([]F(nil), tt...)
					return f.mean(tc, z, tc), tc
				}})
		}
		for _, r := range runs {
			got, gotDz := r.call()
			if first {
				first, firstBits = false, math.Float64bits(got)
			} else if math.Float64bits(got) != firstBits {
				t.Errorf("%s, n=%d, %s, %s: mean %v (%#x), %s out of place gave %v (%#x)",
					meanName[F](), n, f.name, r.what, got, math.Float64bits(got), fs[0].name, math.Float64frombits(firstBits), firstBits)
			}
			if wantNaN {
				if !math.IsNaN(got) {
					t.Errorf("%s, n=%d, %s, %s: mean %v, want NaN", meanName[F](), n, f.name, r.what, got)
				}
			} else if e := meanRelErr(got, sum, n); !(e < 1e-12) {
				want, _ := new(big.Float).Quo(sum, new(big.Float).SetInt64(int64(n))).Float64()
				t.Errorf("%s, n=%d, %s, %s: mean %v, exact %v: relative error %.3g", meanName[F](), n, f.name, r.what, got, want, e)
			} else {
				worst = max(worst, e)
			}
			bad := 0
			for i := range n {
				if !sameBits(gotDz[i], wantDz[i]) {
					t.Errorf("%s, n=%d, %s, %s: dz[%d] = %v (%s), BCEWithLogitsBackward(dy=%v, z=%v, t=%v) = %v (%s)",
						meanName[F](), n, f.name, r.what, i, gotDz[i], hex(gotDz[i]), F(1/float64(n)), z[i], tt[i], wantDz[i], hex(wantDz[i]))
					if bad++; bad == maxReports {
						break
					}
				}
			}
		}
	}
	return worst
}

// TestBCEWithLogitsMean checks BCEWithLogitsMean and BCEWithLogitsMean64,
// package-level and every kernel's, on n = 0..70, around the block size
// 1024 and beyond, and 2^24+777 (2^20+777 when slow()) elements: the mean
// within a relative error of 1e-12 of the exact sum of BCEWithLogits's
// losses divided by n, t being in [0, 1]; dz bit for bit
// BCEWithLogitsBackward with every dy 1/n rounded to F; the same mean
// bits and dz on every kernel, in place on z and on t, and at any offset.
// n = 0 returns NaN and writes nothing.
func TestBCEWithLogitsMean(t *testing.T) {
	t.Run("BCEWithLogitsMean", testBCEWithLogitsMean[float32])
	t.Run("BCEWithLogitsMean64", testBCEWithLogitsMean[float64])
}

func testBCEWithLogitsMean[F float](t *testing.T) {
	fs := meanFuncs[F]()
	t.Run("empty", func(t *testing.T) {
		for _, f := range fs {
			buf := make([]F, 16)
			fillCanary(buf)
			for _, c := range []struct {
				what     string
				dz, z, t []F
			}{
				{"nil", nil, nil, nil},
				{"empty", buf[4:4], buf[8:8], buf[12:12]},
				{"empty, same", buf[4:4], buf[4:4], buf[4:4]},
			} {
				if got := f.mean(c.dz, c.z, c.t); !math.IsNaN(got) {
					t.Errorf("%s, %s, %s slices: mean %v, want NaN", meanName[F](), f.name, c.what, got)
				}
			}
			if i := firstTouched(buf); i >= 0 {
				t.Errorf("%s, %s: n = 0 wrote buf[%d]", meanName[F](), f.name, i)
			}
		}
	})

	var ns []int
	for n := 1; n <= 70; n++ {
		ns = append(ns, n)
	}
	ns = append(ns, 1023, 1024, 1025, 2047, 2048, 2049, 3000, 5*1024+3)
	worst := 0.0
	for _, n := range ns {
		z, tt := meanInputs[F](n, uint64(n))
		worst = max(worst, checkMean(t, fs, z, tt, false, true))
	}
	t.Logf("%s: largest relative error of the mean, n = 1..5123: %.3g", meanName[F](), worst)

	// The order of the sum depends on n alone: not on where the slices
	// start.
	for _, n := range []int{37, 1025, 3000} {
		z, tt := meanInputs[F](n, 99)
		want := math.Float64bits(fs[0].mean(make([]F, n), z, tt))
		for off := 1; off < 4; off++ {
			zo := append(make([]F, off), z...)[off:]
			to := append(make([]F, 2*off), tt...)[2*off:]
			for _, f := range fs {
				if got := f.mean(make([]F, n+off)[off:], zo, to); math.Float64bits(got) != want {
					t.Errorf("%s, n=%d, %s, slices at offset %d: mean %v, at offset 0 %v", meanName[F](), n, f.name, off, got, math.Float64frombits(want))
				}
			}
		}
	}

	t.Run("large", func(t *testing.T) {
		n := 1<<24 + 777
		if slow() {
			n = 1<<20 + 777
		}
		// Losses from 0 to about 2^30, and one of 1e12 first.
		z, tt := meanInputs[F](n, 24)
		z[0], tt[0] = -1e12, 1
		e := checkMean(t, fs, z, tt, false, false)
		losses, _ := meanWant(z, tt)
		naive := 0.0
		for _, l := range losses {
			naive += float64(l)
		}
		t.Logf("%s, n=%d: relative error of the mean %.3g (of a plain float64 sum %.3g)",
			meanName[F](), n, e, meanRelErr(naive/float64(n), exactLossSum(losses), n))
	})
}

// TestBCEWithLogitsMeanNaN checks that a NaN loss (a NaN logit or target)
// makes the mean NaN, wherever it is, on every kernel, dz still being
// BCEWithLogitsBackward's.
func TestBCEWithLogitsMeanNaN(t *testing.T) {
	t.Run("BCEWithLogitsMean", testBCEWithLogitsMeanNaN[float32])
	t.Run("BCEWithLogitsMean64", testBCEWithLogitsMeanNaN[float64])
}

func testBCEWithLogitsMeanNaN[F float](t *testing.T) {
	fs := meanFuncs[F]()
	nan := F(math.NaN())
	for _, n := range []int{1, 2, 9, 1024, 1025, 3000} {
		for _, at := range []int{0, n / 2, n - 1} {
			for _, inT := range []bool{false, true} {
				z, tt := meanInputs[F](n, uint64(n+at))
				if inT {
					tt[at] = nan
				} else {
					z[at] = nan
				}
				checkMean(t, fs, z, tt, true, true)
			}
		}
	}
}

// TestBCEWithLogitsMeanSaturated checks logits far into saturation, |z| =
// 100, 1e4, the largest finite and ±Inf with agreeing targets (losses 0
// or subnormal), and the finite ones with the wrong targets too (losses
// |z|): no NaN, neither in the mean nor in dz, and the mean as exact as
// ever.
func TestBCEWithLogitsMeanSaturated(t *testing.T) {
	t.Run("BCEWithLogitsMean", testBCEWithLogitsMeanSaturated[float32])
	t.Run("BCEWithLogitsMean64", testBCEWithLogitsMeanSaturated[float64])
}

func testBCEWithLogitsMeanSaturated[F float](t *testing.T) {
	fs := meanFuncs[F]()
	huge := math.MaxFloat32
	if is64[F]() {
		huge = 1e300 // room for the sum of the wrong targets' losses
	}
	agreeing := []float64{100, 1e4, huge, math.Inf(1)}
	for _, n := range []int{1, 8, 1025} {
		for _, wrong := range []bool{false, true} {
			z, tt := make([]F, n), make([]F, n)
			for i := range n {
				m := agreeing[i%len(agreeing)]
				if wrong {
					m = agreeing[i%(len(agreeing)-1)]
				}
				z[i], tt[i] = F(m), 1
				if i%2 == 1 {
					z[i], tt[i] = -z[i], 0
				}
				if wrong {
					tt[i] = 1 - tt[i]
				}
			}
			checkMean(t, fs, z, tt, false, true)
			dz := make([]F, n)
			for _, f := range fs {
				got := f.mean(dz, z, tt)
				if math.IsNaN(got) || math.IsInf(got, 0) || got < 0 {
					t.Errorf("%s, n=%d, %s, wrong targets %v: mean %v", meanName[F](), n, f.name, wrong, got)
				}
				for i, d := range dz {
					if d != d {
						t.Errorf("%s, n=%d, %s: dz[%d] = %v (z=%v, t=%v)", meanName[F](), n, f.name, i, d, z[i], tt[i])
						break
					}
				}
			}
		}
	}
}

// TestBCEWithLogitsMeanInfinite checks that an infinite loss (z = +Inf with
// t = 0, z = -Inf with t = 1) makes the mean +Inf on every kernel, at
// every position, in blocks before and after it.
func TestBCEWithLogitsMeanInfinite(t *testing.T) {
	t.Run("float32", func(t *testing.T) { testMeanInfinite[float32](t) })
	t.Run("float64", func(t *testing.T) { testMeanInfinite[float64](t) })
}

func testMeanInfinite[F float](t *testing.T) {
	for _, n := range []int{1, 2, 1025, 3000} {
		for _, at := range []int{0, n / 2, n - 1} {
			for _, inf := range []struct{ z, t F }{{F(math.Inf(1)), 0}, {F(math.Inf(-1)), 1}} {
				z, tt := make([]F, n), make([]F, n)
				for i := range z {
					z[i], tt[i] = F(i%7)-3, F(i%2)
				}
				z[at], tt[at] = inf.z, inf.t
				for _, f := range meanFuncs[F]() {
					if got := f.mean(make([]F, n), z, tt); !math.IsInf(got, 1) {
						t.Errorf("%s, n=%d, z=%v t=%v at %d: mean %v, want +Inf", f.name, n, inf.z, inf.t, at, got)
					}
				}
			}
		}
	}
}
