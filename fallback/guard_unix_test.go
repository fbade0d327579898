//go:build unix

package fallback_test

import (
	"fmt"
	"runtime/debug"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/simdsigmoid/sigmoid/fallback"
)

// guarded maps [PROT_NONE page][one data page][PROT_NONE page] and returns
// the data page as elements of F: touching the element before its first
// or after its last faults. The test's cleanup unmaps it.
func guarded[F float32 | float64](t *testing.T) []F {
	t.Helper()
	page := unix.Getpagesize()
	mem, err := unix.Mmap(-1, 0, 3*page, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON)
	if err != nil {
		t.Skipf("mmap: %v", err)
	}
	t.Cleanup(func() { unix.Munmap(mem) })
	for _, g := range [][]byte{mem[:page], mem[2*page:]} {
		if err := unix.Mprotect(g, unix.PROT_NONE); err != nil {
			t.Skipf("mprotect: %v", err)
		}
	}
	var x F
	return unsafe.Slice((*F)(unsafe.Pointer(&mem[page])), page/int(unsafe.Sizeof(x)))
}

// TestGuardPages runs the four slice functions with every slice flush
// against a guard page, at its front or its back, for every length 0..70,
// out of place and in place: an access outside the slices faults, which
// debug.SetPanicOnFault turns into a failure.
func TestGuardPages(t *testing.T) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	a32, b32, c32, d32 := guarded[float32](t), guarded[float32](t), guarded[float32](t), guarded[float32](t)
	a64, b64, c64, d64 := guarded[float64](t), guarded[float64](t), guarded[float64](t), guarded[float64](t)
	for i := range b32 {
		b32[i], c32[i], d32[i] = float32(i%61)-30, 1, 0.25
	}
	for i := range b64 {
		b64[i], c64[i], d64[i] = float64(i%61)-30, 1, 0.25
	}
	// at returns the n elements of s flush against its front or back.
	at32 := func(s []float32, n int, back bool) []float32 {
		if back {
			return s[len(s)-n:]
		}
		return s[:n:n]
	}
	at64 := func(s []float64, n int, back bool) []float64 {
		if back {
			return s[len(s)-n:]
		}
		return s[:n:n]
	}
	run := func(what string, f func()) {
		t.Helper()
		defer func() {
			if r := recover(); r != nil {
				t.Errorf("%s: %v", what, r)
			}
		}()
		f()
	}
	for n := range 71 {
		for _, back := range []bool{false, true} {
			for _, inBack := range []bool{false, true} {
				w := fmt.Sprintf("n = %d, output at the %s guard, inputs at the %s guard", n, side(back), side(inBack))
				dst, src, dy, y := at32(a32, n, back), at32(b32, n, inBack), at32(c32, n, inBack), at32(d32, n, !inBack)
				run("Sigmoid, "+w, func() { fallback.Sigmoid(dst, src) })
				run("Sigmoid in place, "+w, func() { copy(dst, src); fallback.Sigmoid(dst, dst) })
				run("SigmoidBackward, "+w, func() { fallback.SigmoidBackward(dst, dy, y) })
				run("SigmoidBackward in place, "+w, func() { copy(dst, y); fallback.SigmoidBackward(dst, dy, dst) })
				dst64, src64, dy64, y64 := at64(a64, n, back), at64(b64, n, inBack), at64(c64, n, inBack), at64(d64, n, !inBack)
				run("Sigmoid64, "+w, func() { fallback.Sigmoid64(dst64, src64) })
				run("Sigmoid64 in place, "+w, func() { copy(dst64, src64); fallback.Sigmoid64(dst64, dst64) })
				run("SigmoidBackward64, "+w, func() { fallback.SigmoidBackward64(dst64, dy64, y64) })
				run("SigmoidBackward64 in place, "+w, func() { copy(dst64, dy64); fallback.SigmoidBackward64(dst64, dst64, y64) })
			}
		}
	}
}

func side(back bool) string {
	if back {
		return "back"
	}
	return "front"
}
