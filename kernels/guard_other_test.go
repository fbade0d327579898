package kernels_test

// The portable half of the guard tests: canaries on the heap, for every
// GOOS. The guard-page tests, which need mmap, are in guard_unix_test.go.

import (
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/simdsigmoid/sigmoid/internal/accuracy"
	"github.com/simdsigmoid/sigmoid/kernels"
)

// guardBackwardExact is dy·y·(1-y) in float64, the SigmoidBackward
// reference: exact but for one rounding of the final product.
func guardBackwardExact(dy, y float32) float64 {
	return float64(dy) * (float64(y) * (1 - float64(y)))
}

// guardBackwardBound is the spec's bound for SigmoidBackward, in ULPs of
// guardBackwardExact, for y in [0, 1].
const guardBackwardBound = 1.5

// guardBackwardInputs returns n gradients and n sigmoid outputs in [0, 1]:
// mostly what a sigmoid layer sees, with zeros, ones, subnormals, values
// next to 1, huge and tiny gradients, infinities and NaNs mixed in.
func guardBackwardInputs(n int, seed uint64) (dy, y []float32) {
	r := rand.New(rand.NewPCG(seed, 0xbac4))
	dy, y = make([]float32, n), make([]float32, n)
	for i := range n {
		switch r.IntN(16) {
		case 0:
			y[i] = []float32{0, 1, 0.5, 0x1p-149, 0x1p-126, 1 - 0x1p-24, 1 - 0x1p-23}[r.IntN(7)]
		case 1:
			y[i] = math.Float32frombits(r.Uint32N(0x00800000)) // subnormal
		case 2:
			y[i] = 1 - float32(r.Float64())*0x1p-12 // next to 1
		default:
			y[i] = r.Float32()
		}
		switch r.IntN(16) {
		case 0:
			dy[i] = []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)),
				float32(math.NaN()), math.MaxFloat32, -math.MaxFloat32, 0x1p-149}[r.IntN(8)]
		case 1:
			dy[i] = float32(r.NormFloat64()) * 0x1p-120 // subnormal products
		case 2:
			dy[i] = float32(r.NormFloat64()) * 0x1p100
		default:
			dy[i] = float32(r.NormFloat64())
		}
	}
	return dy, y
}

// underQEMU reports whether this process is run by qemu-user (go test
// -exec qemu-x86_64-static ...): Linux then names the process after qemu,
// which does not fake /proc/self/comm for its guest. It is false where
// there is no /proc.
func underQEMU() bool {
	comm, err := os.ReadFile("/proc/self/comm")
	return err == nil && strings.HasPrefix(string(comm), "qemu-")
}

// TestGuardCanaryBackward runs every kernel's SigmoidBackward (and the
// package's) with dx at every offset 0..15 elements from a 64-byte boundary
// in a buffer whose other elements hold a signalling-NaN canary, for every
// length 0..300: out of place, with dy and y at other offsets, and in place
// on dy and on y. The 64 elements either side of dx must keep the canary,
// the inputs must be unchanged, and the results within 1.5 ULP of
// dy·y·(1-y). (TestLengthsOffsets does the same for Sigmoid.)
func TestGuardCanaryBackward(t *testing.T) {
	const (
		maxN   = 300
		maxOff = 16
		pad    = 64
	)
	step := 1
	if slow() {
		step = 7 // lengths 0, 7, ...: all residues mod 16 still
	}
	dyPool, yPool := guardBackwardInputs(maxOff+maxN, 0xca7a)
	exact := make([]float64, len(yPool))
	for i := range exact {
		exact[i] = guardBackwardExact(dyPool[i], yPool[i])
	}
	ks := append(kernels.Kernels(), kernels.Kernel{Name: "SigmoidBackward", SigmoidBackward: kernels.SigmoidBackward})
	for _, k := range ks {
		t.Run(k.Name, func(t *testing.T) {
			buf := make([]float32, pad+16+maxOff+maxN+pad)
			base := aligned64(buf, pad)
			fillCanary(buf)
			inBuf := make([]float32, 16+2*(maxOff+maxN))
			inBase := aligned64(inBuf, 0)
			dyBuf := inBuf[inBase : inBase+maxOff+maxN]
			yBuf := inBuf[inBase+maxOff+maxN:]
			reports := 0
			fail := func(format string, args ...any) bool {
				t.Helper()
				t.Errorf(format, args...)
				reports++
				return reports < maxReports
			}
			// check checks dx = buf[lo:lo+n] against the inputs from index
			// from of the pools, and the canaries around it; then it puts
			// the canary back.
			check := func(lo, n, from int, what string, args ...any) bool {
				dx := buf[lo : lo+n]
				for i, got := range dx {
					if e := accuracy.ULP(got, exact[from+i]); e > guardBackwardBound {
						if !fail("%s: dx[%d] = %v (%#08x) for dy=%v, y=%v, want %v (%.2f ULP)", sprintf(what, args...), i, got, math.Float32bits(got), dyPool[from+i], yPool[from+i], exact[from+i], e) {
							return false
						}
						break
					}
				}
				if i := firstTouched(buf[lo-pad : lo]); i >= 0 {
					if !fail("%s: wrote dx[%d] = %#08x (before the start)", sprintf(what, args...), i-pad, math.Float32bits(buf[lo-pad+i])) {
						return false
					}
				}
				if i := firstTouched(buf[lo+n : lo+n+pad]); i >= 0 {
					if !fail("%s: wrote dx[%d] = %#08x (past the end)", sprintf(what, args...), n+i, math.Float32bits(buf[lo+n+i])) {
						return false
					}
				}
				fillCanary(buf[lo-pad : lo+n+pad])
				return true
			}
			// unchanged checks that an input still holds pool[from:].
			unchanged := func(in, pool []float32, from int, name, what string, args ...any) bool {
				for i, v := range in {
					if math.Float32bits(v) != math.Float32bits(pool[from+i]) {
						return fail("%s: %s[%d] changed from %#08x to %#08x", sprintf(what, args...), name, i, math.Float32bits(pool[from+i]), math.Float32bits(v))
					}
				}
				return true
			}
			copy(dyBuf, dyPool)
			copy(yBuf, yPool)
			for n := 0; n <= maxN; n += step {
				for off := range maxOff {
					lo := base + off
					dx := buf[lo : lo+n]
					// Out of place: dy and y at other offsets than dx.
					a, b := (off+n)%maxOff, (off+5)%maxOff
					dy, y := dyBuf[a:a+n], yBuf[b:b+n]
					// Make y's elements those of the pool at dy's index,
					// so that exact[a+i] applies.
					copy(y, yPool[a:a+n])
					const what = "n=%d, dx offset %d, dy offset %d, y offset %d"
					k.SigmoidBackward(dx, dy, y)
					if !check(lo, n, a, what, n, off, a, b) || !unchanged(dy, dyPool, a, "dy", what, n, off, a, b) ||
						!unchanged(y, yPool, a, "y", what, n, off, a, b) {
						return
					}
					copy(yBuf, yPool) // back to the pool's order

					// In place on dy, then on y.
					copy(dx, dyPool[off:off+n])
					k.SigmoidBackward(dx, dx, yBuf[off:off+n])
					if !check(lo, n, off, "in place on dy: n=%d, offset %d", n, off) {
						return
					}
					copy(dx, yPool[off:off+n])
					k.SigmoidBackward(dx, dyBuf[off:off+n], dx)
					if !check(lo, n, off, "in place on y: n=%d, offset %d", n, off) {
						return
					}
				}
			}
		})
	}
}
