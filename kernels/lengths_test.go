package kernels_test

import (
	"math"
	"testing"

	"github.com/simdsigmoid/sigmoid/kernels"
)

// TestLengthsOffsets runs every kernel on every length 0..1024 and a few
// large ones, with dst and src at every offset 0..15 (elements) from a
// 64-byte boundary, out of place and in place, and checks the results, that
// src is unchanged, and that the 64 elements either side of dst are too.
//
// Lengths up to fullCross get every (dst offset, src offset) pair; longer
// ones get 16 pairs, (d, (d+n) mod 16) for d in 0..15, so that every 16
// consecutive lengths cover all 256 pairs. With -short or -race, lengths
// past 32 get 2 of those pairs.
func TestLengthsOffsets(t *testing.T) {
	const (
		maxOff = 16
		pad    = 64
		maxN   = 65537
	)
	fullCross := 160
	if slow() {
		fullCross = 32
	}
	lengths := make([]int, 0, 1030)
	for n := 0; n <= 1024; n++ {
		lengths = append(lengths, n)
	}
	lengths = append(lengths, 4095, 4096, 4097, maxN)

	pool := mixedInputs(maxOff+maxN, 1)
	exact := exacts(pool)

	for _, k := range kernels.Kernels() {
		t.Run(k.Name, func(t *testing.T) {
			c := &checker{t: t}
			dstBuf := make([]float32, pad+16+maxOff+maxN+pad)
			dBase := aligned64(dstBuf, pad)
			srcBuf := make([]float32, 16+maxOff+maxN+pad)
			sBase := aligned64(srcBuf, 0)
			copy(srcBuf[sBase:], pool) // srcBuf[sBase+j] = pool[j]
			fillCanary(dstBuf)

			// guard reports writes outside dstBuf[lo:hi] within pad elements.
			guard := func(lo, hi int, what string, args ...any) bool {
				if i := firstTouched(dstBuf[lo-pad : lo]); i >= 0 {
					c.reports++
					t.Errorf("%s: wrote dst[%d] = %#08x (before the start)", sprintf(what, args...), i-pad, math.Float32bits(dstBuf[lo-pad+i]))
					fillCanary(dstBuf[lo-pad : lo])
				}
				if i := firstTouched(dstBuf[hi : hi+pad]); i >= 0 {
					c.reports++
					t.Errorf("%s: wrote dst[%d] = %#08x (past the end)", sprintf(what, args...), hi-lo+i, math.Float32bits(dstBuf[hi+i]))
					fillCanary(dstBuf[hi : hi+pad])
				}
				return c.reports < maxReports
			}

			outOfPlace := func(n, dOff, sOff int) bool {
				lo := dBase + dOff
				dst := dstBuf[lo : lo+n]
				src := srcBuf[sBase+sOff : sBase+sOff+n]
				k.Sigmoid(dst, src)
				const what = "n=%d, dst offset %d, src offset %d"
				if !guard(lo, lo+n, what, n, dOff, sOff) || !c.checkAll(dst, src, exact[sOff:sOff+n], what, n, dOff, sOff) {
					return false
				}
				for i, x := range src {
					if math.Float32bits(x) != math.Float32bits(pool[sOff+i]) {
						t.Errorf(what+": src[%d] changed from %#08x to %#08x", n, dOff, sOff, i, math.Float32bits(pool[sOff+i]), math.Float32bits(x))
						copy(src, pool[sOff:sOff+n])
						return false
					}
				}
				fillCanary(dst)
				return true
			}

			inPlace := func(n, off int) bool {
				lo := dBase + off
				buf := dstBuf[lo : lo+n]
				src := pool[off : off+n]
				copy(buf, src)
				k.Sigmoid(buf, buf)
				const what = "in place, n=%d, offset %d"
				ok := guard(lo, lo+n, what, n, off) && c.checkAll(buf, src, exact[off:off+n], what, n, off)
				fillCanary(buf)
				return ok
			}

			for _, n := range lengths {
				for d := range maxOff {
					if slow() && n > fullCross && d != n%maxOff && d != (n+7)%maxOff {
						continue // 2 of the 16 offsets: all of them every 16 lengths
					}
					if !inPlace(n, d) {
						return
					}
					switch {
					case n <= fullCross:
						for s := range maxOff {
							if !outOfPlace(n, d, s) {
								return
							}
						}
					case n > 1024: // the large ones
						if !outOfPlace(n, d, (5*d+3)%maxOff) || !outOfPlace(n, d, d) {
							return
						}
					default:
						if !outOfPlace(n, d, (d+n)%maxOff) {
							return
						}
					}
				}
			}
		})
	}
}
