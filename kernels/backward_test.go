package kernels_test

import (
	"encoding/binary"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/simdsigmoid/sigmoid/kernels"
)

// bothBackward runs test for float32 and float64 as subtests named
// "SigmoidBackward" and "SigmoidBackward64".
func bothBackward(t *testing.T, test32 func(*testing.T), test64 func(*testing.T)) {
	t.Run(backwardName[float32](), test32)
	t.Run(backwardName[float64](), test64)
}

// TestSigmoidBackwardRandom checks every kernel's backward pass on 2^20
// random (dy, y) pairs (2^16 with -short or -race, 2^18 under qemu-user):
// sigmoid outputs with ordinary, huge, tiny and special gradients, and any
// bit patterns; out of place and in place on dy and on y, which must give
// the same bits.
func TestSigmoidBackwardRandom(t *testing.T) {
	bothBackward(t, testBackwardRandom[float32], testBackwardRandom[float64])
}

func testBackwardRandom[F float](t *testing.T) {
	n := 1 << 20
	switch {
	case slow():
		n = 1 << 16
	case underQEMU():
		n = 1 << 18
	}
	dy1, y1 := backwardInputs[F](n/2, 7)
	dy2, y2 := backwardAnyInputs[F](n/2, 8)
	dy, y := append(dy1, dy2...), append(y1, y2...)
	for _, k := range kernelImpls[F]() {
		t.Run(k.name, func(t *testing.T) {
			dx := make([]F, n)
			k.backward(dx, dy, y)
			if !checkBackwardAll(t, "out of place", dx, dy, y) {
				return
			}
			d := slices.Clone(dy)
			k.backward(d, d, y)
			yy := slices.Clone(y)
			k.backward(yy, dy, yy)
			for i := range dx {
				if !sameBits(d[i], dx[i]) || !sameBits(yy[i], dx[i]) {
					t.Fatalf("dy=%v y=%v: in place on dy %s, on y %s, out of place %s", dy[i], y[i], hex(d[i]), hex(yy[i]), hex(dx[i]))
				}
			}
		})
	}
}

// TestSigmoidBackwardLengthsAndOffsets runs every kernel's backward pass
// on every length 0..300 with dx at offsets 0, 5, 10, 15 from dy and y in
// a canary-filled buffer: the results must be right and nothing outside
// dx written. In place on dy and on y must give the same bits as out of
// place.
func TestSigmoidBackwardLengthsAndOffsets(t *testing.T) {
	bothBackward(t, testBackwardLengths[float32], testBackwardLengths[float64])
}

func testBackwardLengths[F float](t *testing.T) {
	const maxN, pad = 300, 16
	dyPool, yPool := backwardAnyInputs[F](maxN+16, 1)
	for _, k := range kernelImpls[F]() {
		t.Run(k.name, func(t *testing.T) {
			for n := 0; n <= maxN; n++ {
				for off := 0; off < 16; off += 5 {
					dy, y := dyPool[off:off+n], yPool[off:off+n]
					big := make([]F, n+off+2*pad)
					fillCanary(big)
					dx := big[off+pad : off+pad+n]
					k.backward(dx, dy, y)
					if !checkBackwardAll(t, sprintf("n=%d off=%d", n, off), dx, dy, y) {
						return
					}
					if i := firstTouched(big[:off+pad]); i >= 0 {
						t.Fatalf("n=%d off=%d: wrote dx[%d], before the start", n, off, i-off-pad)
					}
					if i := firstTouched(big[off+pad+n:]); i >= 0 {
						t.Fatalf("n=%d off=%d: wrote dx[%d], past the end", n, off, n+i)
					}
				}
			}
			// In place, on dy and on y.
			for _, n := range []int{1, 17, 1000, 4097} {
				dy, y := backwardAnyInputs[F](n, uint64(n))
				want := make([]F, n)
				k.backward(want, dy, y)
				d := slices.Clone(dy)
				k.backward(d, d, y)
				yy := slices.Clone(y)
				k.backward(yy, dy, yy)
				for i := range want {
					if !sameBits(d[i], want[i]) || !sameBits(yy[i], want[i]) {
						t.Fatalf("n=%d: in-place result differs at %d", n, i)
					}
				}
			}
		})
	}
}

// TestSigmoidBackwardSpecials checks every pair of special values as dy
// and y, at every lane position.
func TestSigmoidBackwardSpecials(t *testing.T) {
	bothBackward(t, testBackwardSpecials[float32], testBackwardSpecials[float64])
}

func testBackwardSpecials[F float](t *testing.T) {
	l := limitsOf[F]()
	vals := []F{0, F(math.Copysign(0, -1)), 1, 0.5, F(l.minSubnormal), F(l.minNormal), 1 - F(l.halfEps),
		F(math.Inf(1)), F(math.Inf(-1)), F(math.NaN()), F(l.max), -F(l.max), -2, 3, F(math.Sqrt(l.max)), -F(math.Sqrt(l.max)) * 2}
	var dy, y []F
	for _, a := range vals {
		for _, b := range vals {
			dy, y = append(dy, a), append(y, b)
		}
	}
	for _, k := range kernelImpls[F]() {
		// Every rotation, so that each pair meets every lane position.
		for r := range 17 {
			rdy, ry := append(dy[r:], dy[:r]...), append(y[r:], y[:r]...)
			dx := make([]F, len(ry))
			k.backward(dx, rdy, ry)
			if !checkBackwardAll(t, sprintf("%s, rotated by %d", k.name, r), dx, rdy, ry) {
				break
			}
		}
	}
}

func TestSigmoidBackwardPanics(t *testing.T) {
	bothBackward(t, testBackwardPanics[float32], testBackwardPanics[float64])
}

func testBackwardPanics[F float](t *testing.T) {
	prefix := "kernels: " + backwardName[F]() + ":"
	buf := make([]F, 40)
	cases := []struct {
		name      string
		dx, dy, y []F
		want      string
	}{
		{"len dy", buf[:10], buf[10:19], buf[20:30], "len(dx) = 10, len(dy) = 9, len(y) = 10: lengths differ"},
		{"len y", buf[:10], buf[10:20], buf[20:31], "len(dx) = 10, len(dy) = 10, len(y) = 11: lengths differ"},
		{"len dx", buf[:0], buf[10:11], buf[20:21], "len(dx) = 0, len(dy) = 1, len(y) = 1: lengths differ"},
		{"dx overlaps dy", buf[0:10], buf[5:15], buf[20:30], "dx and dy (len 10) partially overlap"},
		{"dx overlaps y", buf[10:20], buf[0:10:10], buf[19:29], "dx and y (len 10) partially overlap"},
		{"dx one after y", buf[1:3], buf[10:12], buf[0:2], "dx and y (len 2) partially overlap"},
	}
	for _, im := range backwardImpls[F]() {
		for _, c := range cases {
			fillCanary(buf)
			msg, panicked := panicOf(func() { im.backward(c.dx, c.dy, c.y) })
			if want := prefix + " " + c.want; !panicked || !strings.HasPrefix(msg, want) {
				t.Errorf("%s: %s: panic %q (%v), want one starting %q", im.name, c.name, msg, panicked, want)
			}
			if i := firstTouched(buf); i >= 0 {
				t.Errorf("%s: %s: panicked after writing buf[%d]", im.name, c.name, i)
			}
		}
		// Same slices and overlapping inputs are fine; nil is a no-op.
		for _, c := range []struct {
			name      string
			dx, dy, y []F
		}{
			{"all the same", buf[:10], buf[:10], buf[:10]},
			{"overlapping inputs", buf[20:30], buf[0:10], buf[5:15]},
			{"nil", nil, nil, nil},
			{"empty", buf[3:3], buf[4:4], buf[3:3]},
		} {
			if msg, panicked := panicOf(func() { im.backward(c.dx, c.dy, c.y) }); panicked {
				t.Errorf("%s: %s: panic %q", im.name, c.name, msg)
			}
		}
	}
}

// decode reads data as little-endian Fs, pairs of them if pairs (dy, y),
// ignoring a partial last one.
func decode[F float](data []byte, pairs bool) (a, b []F) {
	w := int(size[F]())
	word := func(i int) F {
		if w == 8 {
			return fromBits[F](binary.LittleEndian.Uint64(data[8*i:]))
		}
		return fromBits[F](uint64(binary.LittleEndian.Uint32(data[4*i:])))
	}
	if !pairs {
		a = make([]F, len(data)/w)
		for i := range a {
			a[i] = word(i)
		}
		return a, nil
	}
	n := len(data) / (2 * w)
	a, b = make([]F, n), make([]F, n)
	for i := range n {
		a[i], b[i] = word(2*i), word(2*i+1)
	}
	return a, b
}

// FuzzSigmoidBackward reads the bytes as little-endian float32 pairs
// (dy, y) and checks every kernel's SigmoidBackward on them, out of place
// and in place.
//
//	go test -run '^$' -fuzz '^FuzzSigmoidBackward$' -fuzztime 1m ./kernels/
func FuzzSigmoidBackward(f *testing.F) {
	f.Add([]byte{0, 0, 0x80, 0x3f, 0, 0, 0, 0x3f})
	f.Add([]byte{1, 0, 0, 0, 0xff, 0xff, 0x7f, 0x3f, 0, 0, 0xc0, 0x7f, 0, 0, 0x80, 0xff})
	f.Fuzz(fuzzBackward(backwardImpls[float32]()))
}

// FuzzSigmoidBackward64 is FuzzSigmoidBackward for SigmoidBackward64, on
// little-endian float64 pairs; testdata/fuzz/FuzzSigmoidBackward64 holds
// its seeds (see backwardFuzzSeeds).
//
//	go test -run '^$' -fuzz '^FuzzSigmoidBackward64$' -fuzztime 1m ./kernels/
func FuzzSigmoidBackward64(f *testing.F) {
	f.Fuzz(fuzzBackward(backwardImpls[float64]()))
}

// fuzzBackward returns the fuzz function checking the backward pass of
// the functions is on (dy, y) pairs, out of place and in place.
func fuzzBackward[F float](is []impl[F]) func(t *testing.T, data []byte) {
	return func(t *testing.T, data []byte) {
		dy, y := decode[F](data, true)
		for _, k := range is {
			dx := make([]F, len(y))
			k.backward(dx, dy, y)
			if !checkBackwardAll(t, k.name, dx, dy, y) {
				continue
			}
			d, yy := slices.Clone(dy), slices.Clone(y)
			k.backward(d, d, y)
			k.backward(yy, dy, yy)
			for i := range dx {
				if !sameBits(d[i], dx[i]) || !sameBits(yy[i], dx[i]) {
					t.Errorf("%s, n=%d: element %d (dy=%v, y=%v): in place on dy %s, on y %s, out of place %s",
						k.name, len(y), i, dy[i], y[i], hex(d[i]), hex(yy[i]), hex(dx[i]))
					break
				}
			}
		}
	}
}

// TestSigmoidBackwardExhaustive checks the generic kernel's SigmoidBackward
// on all 2^32 float32 y, each with a dy from hashedDy, against
// backwardWhy's bound, and every other kernel's bits against it. It runs
// only with SIGMOID_EXHAUSTIVE=1 or -exhaustive.
func TestSigmoidBackwardExhaustive(t *testing.T) {
	sweepBackward(t, backwardSweep{"SigmoidBackward", "y",
		func(k kernels.Kernel) func(dx, dy, y []float32) { return k.SigmoidBackward },
		backwardCheck32})
}
