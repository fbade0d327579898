package kernels_test

import (
	"testing"
)

// TestLengthsOffsets runs every kernel on every length 0..1024 and a few
// large ones, with dst and src at every offset 0..15 (elements) from a
// 64-byte boundary, out of place and in place, and checks the results, that
// src is unchanged, and that the 64 elements either side of dst are too;
// for Sigmoid and Sigmoid64.
//
// Lengths up to fullCross get every (dst offset, src offset) pair; longer
// ones get 16 pairs, (d, (d+n) mod 16) for d in 0..15, so that every 16
// consecutive lengths cover all 256 pairs. With -short or -race, lengths
// past 32 get 2 of those pairs.
func TestLengthsOffsets(t *testing.T) {
	bothTypes(t, testLengthsOffsets[float32], testLengthsOffsets[float64])
}

func testLengthsOffsets[F float](t *testing.T) {
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
	// 8192 and 16384 are the sigmoid's chunk lengths (64 KiB) of float64 and float32.
	lengths = append(lengths, 4095, 4096, 4097, 8191, 8192, 8193, 16383, 16384, 16385, maxN)

	pool := mixedInputs[F](maxOff+maxN, 1)

	var ref *sigmoidRef[F] // the previous kernel's, then this one's
	for _, k := range kernelImpls[F]() {
		t.Run(k.name, func(t *testing.T) {
			ref = newSigmoidRef(t, k.name, k.sigmoid, pool, ref)
			rep := &reporter{t: t}
			dstBuf := make([]F, pad+16+maxOff+maxN+pad)
			dBase := aligned64(dstBuf, pad)
			srcBuf := make([]F, 16+maxOff+maxN+pad)
			sBase := aligned64(srcBuf, 0)
			copy(srcBuf[sBase:], pool) // srcBuf[sBase+j] = pool[j]
			fillCanary(dstBuf)

			// guard reports writes outside dstBuf[lo:hi] within pad elements.
			guard := func(lo, hi int, what string, args ...any) bool {
				ok := true
				if i := firstTouched(dstBuf[lo-pad : lo]); i >= 0 {
					ok = rep.fail("%s: wrote dst[%d] = %s (before the start)", sprintf(what, args...), i-pad, hex(dstBuf[lo-pad+i]))
					fillCanary(dstBuf[lo-pad : lo])
				}
				if i := firstTouched(dstBuf[hi : hi+pad]); i >= 0 {
					ok = rep.fail("%s: wrote dst[%d] = %s (past the end)", sprintf(what, args...), hi-lo+i, hex(dstBuf[hi+i])) && ok
					fillCanary(dstBuf[hi : hi+pad])
				}
				return ok
			}

			outOfPlace := func(n, dOff, sOff int) bool {
				lo := dBase + dOff
				dst := dstBuf[lo : lo+n]
				src := srcBuf[sBase+sOff : sBase+sOff+n]
				k.sigmoid(dst, src)
				const what = "n=%d, dst offset %d, src offset %d"
				ok := guard(lo, lo+n, what, n, dOff, sOff)
				if !ref.check(rep, dst, sOff, what, n, dOff, sOff) {
					ok = rep.reports < maxReports
				}
				for i, x := range src {
					if !sameBits(x, pool[sOff+i]) {
						ok = rep.fail(what+": src[%d] changed from %s to %s", n, dOff, sOff, i, hex(pool[sOff+i]), hex(x))
						copy(src, pool[sOff:sOff+n])
						break
					}
				}
				fillCanary(dst)
				return ok
			}

			inPlace := func(n, off int) bool {
				lo := dBase + off
				buf := dstBuf[lo : lo+n]
				copy(buf, pool[off:off+n])
				k.sigmoid(buf, buf)
				const what = "in place, n=%d, offset %d"
				ok := guard(lo, lo+n, what, n, off)
				if !ref.check(rep, buf, off, what, n, off) {
					ok = rep.reports < maxReports
				}
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
