package kernels

import (
	"math"

	"github.com/simdsigmoid/sigmoid/internal/check"
)

// meanBlock is how many elements BCEWithLogitsMean hands the kernels at a
// time: their losses and the gradient's scale stay in buffers on the
// stack, in the first-level cache for the sums (blocks of 2048 and 4096
// ran no faster: AVX-512, n = 4096, AMD Zen 4).
const meanBlock = 1024

// BCEWithLogitsMean returns the mean over i of BCEWithLogits's losses,
// log(1+exp(z[i])) - t[i]·z[i], and sets dz[i] to the gradient of that mean
// with respect to z[i], (σ(z[i]) - t[i])/n: the training step of a logistic
// regression in one call, torch.nn.BCEWithLogitsLoss with its default
// reduction "mean", forward and backward. It reads z and t once, computing
// e^-|z| once for the loss and the gradient (BCEWithLogitsAndBackward):
// block by block (1024 elements), the losses as BCEWithLogits returns
// them, bit for bit, go to a buffer on the stack, and dz is
// BCEWithLogitsBackward(dz, dy, z, t) with every dy 1/n correctly rounded
// to float32, bit for bit. The losses are summed in float64, in an order
// that depends on n alone, with a relative error below 1e-12 for any n up
// to 2^31 where t is in [0, 1] (the losses are then non-negative); the mean
// and dz are identical on every kernel. n = 0 returns NaN (0/0) and writes
// nothing; a NaN loss makes the mean NaN, an infinite one (for t outside
// [0, 1] or z = ±Inf against its target) ±Inf. dz may be z or t itself (in
// place); it must not otherwise overlap them. It panics if the lengths
// differ or dz partially overlaps an input.
func BCEWithLogitsMean(dz, z, t []float32) float64 {
	return active.BCEWithLogitsMean(dz, z, t)
}

// BCEWithLogitsMean is the package-level BCEWithLogitsMean run by kernel k.
func (k Kernel) BCEWithLogitsMean(dz, z, t []float32) float64 {
	if check.BadBinary(dz, z, t) {
		check.PanicBinary("kernels", "BCEWithLogitsMean", [3]string{"dz", "z", "t"}, dz, z, t)
	}
	n := len(z)
	if n == 0 {
		return math.NaN()
	}
	var loss, dy [meanBlock]float32
	fill(dy[:min(n, meanBlock)], recip32(n))
	var s sum
	for i := 0; i < n; i += meanBlock {
		m := min(meanBlock, n-i)
		runBCEWithLogitsAndBackward(k.id, loss[:m], dz[i:i+m], dy[:m], z[i:i+m], t[i:i+m])
		s.add(blockSum(k.id, loss[:m]))
	}
	return s.total() / float64(n)
}

// BCEWithLogitsMean64 is BCEWithLogitsMean for float64: the mean of
// BCEWithLogits64's losses, with a relative error below 1e-12 for any n
// up to 2^31 where t is in [0, 1], and dz[i] = BCEWithLogitsBackward64 with
// every dy 1/n rounded to float64, identical on every kernel.
func BCEWithLogitsMean64(dz, z, t []float64) float64 {
	return active.BCEWithLogitsMean64(dz, z, t)
}

// BCEWithLogitsMean64 is the package-level BCEWithLogitsMean64 run by
// kernel k.
func (k Kernel) BCEWithLogitsMean64(dz, z, t []float64) float64 {
	if check.BadBinary(dz, z, t) {
		check.PanicBinary("kernels", "BCEWithLogitsMean64", [3]string{"dz", "z", "t"}, dz, z, t)
	}
	n := len(z)
	if n == 0 {
		return math.NaN()
	}
	var loss, dy [meanBlock]float64
	fill(dy[:min(n, meanBlock)], 1/float64(n))
	var s sum
	for i := 0; i < n; i += meanBlock {
		m := min(meanBlock, n-i)
		runBCEWithLogitsAndBackward64(k.id, loss[:m], dz[i:i+m], dy[:m], z[i:i+m], t[i:i+m])
		s.add(blockSum64(k.id, loss[:m]))
	}
	return s.total() / float64(n)
}

// fill sets every element of x to v, doubling the filled prefix with
// copy (BCEWithLogitsMean at n = 4096, AVX-512, AMD Zen 4: 5,900 to
// 5,730 ns against an element-by-element loop, float64 15,000 to 13,900,
// interleaved runs).
func fill[F float32 | float64](x []F, v F) {
	if len(x) == 0 {
		return
	}
	x[0] = v
	for j := 1; j < len(x); j *= 2 {
		copy(x[j:], x[:j])
	}
}

// blockSum is the sum of a block's losses in float64: sixteen running
// sums, sum j taking the elements j, j+16, j+32, … in order (package
// asm's Sums on the SIMD kernels, two to eight vector registers of
// independent additions; addLanes on generic: the same bits), then added
// pairwise. At most 64 terms each and four levels, a relative error below
// 2^-46 for terms of one sign.
func blockSum(id kernelID, x []float32) float64 {
	var s [16]float64
	runSums(id, &s, x)
	return pairwise(&s)
}

func blockSum64(id kernelID, x []float64) float64 {
	var s [16]float64
	runSums64(id, &s, x)
	return pairwise(&s)
}

// addLanes adds float64(x[i]) to s[i%16] for every i, in order of i.
func addLanes[F float32 | float64](s *[16]float64, x []F) {
	for i, v := range x {
		s[i%16] += float64(v)
	}
}

// pairwise is ((s0 + s1) + (s2 + s3)) + … over the sixteen sums; s is
// consumed.
func pairwise(s *[16]float64) float64 {
	for n := 16; n > 1; n /= 2 {
		for j := range n / 2 {
			s[j] = s[2*j] + s[2*j+1]
		}
	}
	return s[0]
}

// sum adds the blocks' sums with Neumaier's compensation: the error stays
// about 2 ulps of the total whatever the number of blocks.
type sum struct{ s, c float64 }

func (s *sum) add(x float64) {
	t := s.s + x
	if math.Abs(s.s) >= math.Abs(x) {
		s.c += (s.s - t) + x
	} else {
		s.c += (x - t) + s.s
	}
	s.s = t
}

// total is the sum; an infinite one (an infinite loss, or float64's
// range overflowed) is itself, not the NaN its compensation makes of it.
func (s *sum) total() float64 {
	if math.IsInf(s.s, 0) {
		return s.s
	}
	return s.s + s.c
}

// recip32 is 1/n correctly rounded to float32, n ≥ 1: float32(1/float64(n))
// rounds twice, which is off by an ulp for some n above 2^29. The signs of
// m·n - 1 at the midpoints m around it decide: an FMA rounds that once,
// which keeps its sign.
func recip32(n int) float32 {
	c := float32(1 / float64(n))
	up, down := math.Nextafter32(c, 2), math.Nextafter32(c, 0)
	hi := (float64(c) + float64(up)) / 2 // exact: 25 bits
	lo := (float64(c) + float64(down)) / 2
	switch {
	case math.FMA(hi, float64(n), -1) < 0:
		return up
	case math.FMA(lo, float64(n), -1) > 0:
		return down
	}
	return c
}
