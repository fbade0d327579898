package kernels_test

// The portable half of the guard tests: canaries on the heap, for every
// GOOS. The guard-page tests, which need mmap, are in guard_unix_test.go.

import (
	"os"
	"strings"
	"testing"
)

// underQEMU reports whether this process is run by qemu-user (go test
// -exec qemu-x86_64-static ...): Linux then names the process after qemu,
// which does not fake /proc/self/comm for its guest. It is false where
// there is no /proc.
func underQEMU() bool {
	comm, err := os.ReadFile("/proc/self/comm")
	return err == nil && strings.HasPrefix(string(comm), "qemu-")
}

// TestGuardCanaryBackward runs every kernel's backward pass (and the
// package's) with dx at every offset 0..15 elements from a 64-byte boundary
// in a buffer whose other elements hold a signalling-NaN canary, for every
// length 0..300: out of place, with dy and y at other offsets, and in place
// on dy and on y. The 64 elements either side of dx must keep the canary,
// the inputs must be unchanged, and the results within 1.5 ULP of
// dy·y·(1-y). (TestLengthsOffsets does the same for Sigmoid.)
func TestGuardCanaryBackward(t *testing.T) {
	bothBackward(t, testGuardCanaryBackward[float32], testGuardCanaryBackward[float64])
}

func testGuardCanaryBackward[F float](t *testing.T) {
	const (
		maxN   = 300
		maxOff = 16
		pad    = 64
	)
	step := 1
	if slow() {
		step = 7 // lengths 0, 7, ...: all residues mod 16 still
	}
	dyPool, yPool := backwardInputs[F](maxOff+maxN, 0xca7a)
	for _, k := range backwardImpls[F]() {
		t.Run(k.name, func(t *testing.T) {
			ref := newBackwardRef(t, k.name, k.backward, dyPool, yPool, nil)
			rep := &reporter{t: t}
			buf := make([]F, pad+16+maxOff+maxN+pad)
			base := aligned64(buf, pad)
			fillCanary(buf)
			inBuf := make([]F, 16+2*(maxOff+maxN))
			inBase := aligned64(inBuf, 0)
			dyBuf := inBuf[inBase : inBase+maxOff+maxN]
			yBuf := inBuf[inBase+maxOff+maxN:]
			// check checks dx = buf[lo:lo+n] against the inputs from index
			// from of the pools, and the canaries around it; then it puts
			// the canary back.
			check := func(lo, n, from int, what string, args ...any) bool {
				ok := ref.check(rep, buf[lo:lo+n], from, what, args...) || rep.reports < maxReports
				if i := firstTouched(buf[lo-pad : lo]); i >= 0 {
					ok = rep.fail("%s: wrote dx[%d] = %s (before the start)", sprintf(what, args...), i-pad, hex(buf[lo-pad+i])) && ok
				}
				if i := firstTouched(buf[lo+n : lo+n+pad]); i >= 0 {
					ok = rep.fail("%s: wrote dx[%d] = %s (past the end)", sprintf(what, args...), n+i, hex(buf[lo+n+i])) && ok
				}
				fillCanary(buf[lo-pad : lo+n+pad])
				return ok
			}
			// unchanged checks that an input still holds pool[from:].
			unchanged := func(in, pool []F, from int, name, what string, args ...any) bool {
				for i, v := range in {
					if !sameBits(v, pool[from+i]) {
						return rep.fail("%s: %s[%d] changed from %s to %s", sprintf(what, args...), name, i, hex(pool[from+i]), hex(v))
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
					// so that the reference at a+i applies.
					copy(y, yPool[a:a+n])
					const what = "n=%d, dx offset %d, dy offset %d, y offset %d"
					k.backward(dx, dy, y)
					if !check(lo, n, a, what, n, off, a, b) || !unchanged(dy, dyPool, a, "dy", what, n, off, a, b) ||
						!unchanged(y, yPool, a, "y", what, n, off, a, b) {
						return
					}
					copy(yBuf, yPool) // back to the pool's order

					// In place on dy, then on y.
					copy(dx, dyPool[off:off+n])
					k.backward(dx, dx, yBuf[off:off+n])
					if !check(lo, n, off, "in place on dy: n=%d, offset %d", n, off) {
						return
					}
					copy(dx, yPool[off:off+n])
					k.backward(dx, dyBuf[off:off+n], dx)
					if !check(lo, n, off, "in place on y: n=%d, offset %d", n, off) {
						return
					}
				}
			}
		})
	}
}
