//go:build unix

package kernels_test

import (
	"fmt"
	"maps"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// A guardedRegion is an anonymous mapping laid out as
//
//	[PROT_NONE page][data: whole pages][PROT_NONE page]
//
// so that touching the element just before data[0] or just after
// data[len(data)-1] faults. Its data starts on a page, hence 64-byte,
// boundary, and its length is a multiple of 512 elements.
type guardedRegion[F float] struct {
	name string
	mem  []byte // the whole mapping, guards included
	data []F    // the accessible pages between the guards
}

// newGuardedRegion maps a region with room for at least elems elements
// between its guard pages; the test's cleanup unmaps it.
func newGuardedRegion[F float](t testing.TB, name string, elems int) *guardedRegion[F] {
	t.Helper()
	page := unix.Getpagesize()
	w := int(size[F]())
	size := max(page, (w*elems+page-1)/page*page)
	mem, err := unix.Mmap(-1, 0, page+size+page, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON)
	if err != nil {
		t.Fatalf("mmap of %d bytes: %v", page+size+page, err)
	}
	t.Cleanup(func() {
		if err := unix.Munmap(mem); err != nil {
			t.Errorf("munmap %s: %v", name, err)
		}
	})
	for _, guard := range [][]byte{mem[:page], mem[page+size:]} {
		if err := unix.Mprotect(guard, unix.PROT_NONE); err != nil {
			t.Fatalf("mprotect(PROT_NONE) of a guard page of %s: %v", name, err)
		}
	}
	data := unsafe.Slice((*F)(unsafe.Pointer(&mem[page])), size/w)
	return &guardedRegion[F]{name: name, mem: mem, data: data}
}

// readOnly makes the data pages read-only: a write to them faults too.
func (r *guardedRegion[F]) readOnly(t testing.TB) {
	t.Helper()
	page := unix.Getpagesize()
	if err := unix.Mprotect(r.mem[page:len(r.mem)-page], unix.PROT_READ); err != nil {
		t.Fatalf("mprotect(PROT_READ) of %s: %v", r.name, err)
	}
}

// A placement says where a slice goes in a guardedRegion: flush against
// (gap = 0) or gap elements away from the front or the back guard page.
type placement struct {
	back bool
	gap  int
}

// place returns the placement of n elements next to the front (or back)
// guard whose first element is off elements (0..15) past a 16-element
// boundary (64 bytes of float32, 128 of float64): the front placement with
// gap off, or the back one whose gap makes the start land there. Every n
// has one flush back placement.
func place(n, off int, back bool) placement {
	if !back {
		return placement{gap: off}
	}
	// data has a multiple of 16 elements: the start is at -(gap+n) mod 16.
	return placement{back: true, gap: ((-n-off)%16 + 16) % 16}
}

// start returns the index in r.data of the first of n elements placed at p.
func (r *guardedRegion[F]) start(n int, p placement) int {
	if p.back {
		return len(r.data) - p.gap - n
	}
	return p.gap
}

// slice returns the n elements at p, with capacity n: a kernel has no
// business looking past the length.
func (r *guardedRegion[F]) slice(n int, p placement) []F {
	s := r.start(n, p)
	return r.data[s : s+n : s+n]
}

func (p placement) String() string {
	side := "front"
	if p.back {
		side = "back"
	}
	if p.gap == 0 {
		return "flush against the " + side + " guard"
	}
	if p.gap == 1 {
		return "1 element from the " + side + " guard"
	}
	return fmt.Sprintf("%d elements from the %s guard", p.gap, side)
}

// faultAddr is what a panic from a memory fault carries once
// debug.SetPanicOnFault is on (runtime.Error values from faults have it).
type faultAddr interface{ Addr() uintptr }

// catchFault runs call and reports whether it caused a memory fault, and
// where (0 if the signal did not say: qemu-ppc64le reports address 0, which
// the runtime turns into a nil-dereference error). The calling goroutine
// must have SetPanicOnFault on; any other panic is passed on.
func catchFault(call func()) (addr uintptr, faulted bool) {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(faultAddr); ok {
				addr, faulted = e.Addr(), true
				return
			}
			if e, ok := r.(runtime.Error); ok && strings.Contains(e.Error(), "invalid memory address") {
				addr, faulted = 0, true
				return
			}
			panic(r)
		}
	}()
	call()
	return 0, false
}

// describeFault names where addr is relative to the slices passed to the
// faulting call.
func describeFault[F float](addr uintptr, args map[string][]F) string {
	if addr == 0 {
		return "memory fault (at an address the signal did not give)"
	}
	msg := fmt.Sprintf("memory fault at %#x", addr)
	for _, name := range slices.Sorted(maps.Keys(args)) {
		s := args[name]
		lo := uintptr(unsafe.Pointer(unsafe.SliceData(s)))
		hi := lo + size[F]()*uintptr(len(s))
		switch {
		case addr >= lo && addr < hi:
			msg += fmt.Sprintf(", inside %s (%s[%d]): a write to an input?", name, name, (addr-lo)/size[F]())
		case addr >= hi && addr-hi < 1<<16:
			msg += fmt.Sprintf(", %d bytes past the end of %s", addr-hi, name)
		case addr < lo && lo-addr <= 1<<16:
			msg += fmt.Sprintf(", %d bytes before %s[0]", lo-addr, name)
		}
	}
	return msg
}

// guardLengths returns the lengths TestGuardPages tries, and a function
// that says whether length n gets start offset off: all of them, or when
// reduced, all up to length 48 and past it 0 (flush against the front
// guard), -n mod 16 (flush against the back one) and one more.
func guardLengths(reduced bool) (lengths []int, tryOffset func(n, off int) bool) {
	for n := 0; n <= 1024; n++ {
		if !reduced || n <= 80 || n%29 == 0 || n > 1008 {
			lengths = append(lengths, n)
		}
	}
	lengths = append(lengths, 4095, 4096, 4097, 8192+3, 16384+5, 65535, 65536+17) // chunk lengths: 8192 float64, 16384 float32 (the backward pass's: twice)
	if reduced {
		return lengths, func(n, off int) bool {
			return n <= 48 || off == 0 || off == (16-n%16)%16 || off == (n+7)%16
		}
	}
	return lengths, func(int, int) bool { return true }
}

// TestGuardPages runs every kernel with every argument flush against, or a
// few elements away from, a PROT_NONE guard page on either side: any read
// or write past a slice's end, or before its start, faults. The inputs are
// read-only pages, so writing to them faults as well. Faults are turned
// into test failures naming the call and the address (SetPanicOnFault);
// without that they would crash the test binary.
//
// For each element type (float32: Sigmoid and SigmoidBackward; float64:
// Sigmoid64 and SigmoidBackward64), each length (0..1024, 4095, 4096,
// 4097, 65535, 65553) and each start offset 0..15 elements from a 16-element
// boundary, the slices go at the front guard and, separately, at the back
// guard; the sigmoid runs out of place (src next to the same guard as dst,
// then next to the other one, at another offset) and in place, and the
// backward pass likewise out of place (dx, dy and y each guarded) and in
// place on dy and on y. Results must be within the spec's bound of the
// exact values, and the elements between dst and its guard unchanged.
//
// With -short or -race, or under qemu-user, lengths past 80 are sampled
// and those past 48 get three of the 16 offsets, the flush ones included.
func TestGuardPages(t *testing.T) {
	bothTypes(t, testGuardPages[float32], testGuardPages[float64])
}

func testGuardPages[F float](t *testing.T) {
	qemu := underQEMU()
	for _, k := range kernelImpls[F]() {
		t.Run(k.name, func(t *testing.T) {
			defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
			g := newGuardHarness(t, k)
			if !g.trapSelfTest() {
				return
			}
			lengths, tryOffset := guardLengths(slow() || qemu)
			for _, n := range lengths {
				for off := range 16 {
					if !tryOffset(n, off) {
						continue
					}
					for _, back := range []bool{false, true} {
						if !g.run(n, off, back) {
							return
						}
					}
				}
			}
			t.Logf("%d calls", g.calls)
		})
	}
}

// guardHarness holds one kernel's guarded regions and references.
type guardHarness[F float] struct {
	t   testing.TB
	k   impl[F]
	rep *reporter

	src, dy, y *guardedRegion[F] // read-only inputs, filled once
	dst        *guardedRegion[F] // outputs (and in-place buffers), canary between calls

	// The kernel's results on the whole input regions, checked once (it
	// is elementwise, so a slice's results are almost always the same
	// bits); a result that differs is checked against the spec instead.
	sig  *sigmoidRef[F]
	back *backwardRef[F]

	// The current length, start offset, placements of the output and of
	// the inputs at the other guard, and the output's index in dst.data.
	n, off int
	p, q   placement
	s      int

	calls int
}

// guardMaxLen is the longest slice TestGuardPages places, 15 elements from
// a guard at most.
const guardMaxLen = 65536 + 17

func newGuardHarness[F float](t *testing.T, k impl[F]) *guardHarness[F] {
	g := &guardHarness[F]{t: t, k: k, rep: &reporter{t: t}}
	const elems = guardMaxLen + 16
	g.src = newGuardedRegion[F](t, "src", elems)
	g.dy = newGuardedRegion[F](t, "dy", elems)
	g.y = newGuardedRegion[F](t, "y", elems)
	g.dst = newGuardedRegion[F](t, "dst", elems)
	m := len(g.src.data)

	copy(g.src.data, mixedInputs[F](m, 0x6a4d))
	dy, y := backwardInputs[F](m, 0x6a4e)
	copy(g.dy.data, dy)
	copy(g.y.data, y)
	for _, r := range []*guardedRegion[F]{g.src, g.dy, g.y} {
		r.readOnly(t)
	}
	fillCanary(g.dst.data)

	g.sig = newSigmoidRef(t, k.name+" on the whole src region", k.sigmoid, g.src.data, nil)
	g.back = newBackwardRef(t, k.name+" on the whole dy and y regions", k.backward, g.dy.data, g.y.data, nil)
	return g
}

// report counts a failure and says whether to go on.
func (g *guardHarness[F]) report(format string, args ...any) bool {
	g.t.Helper()
	return g.rep.fail("%s: "+format, append([]any{g.k.name}, args...)...)
}

// A callKind is one of the calls TestGuardPages makes.
type callKind uint8

const (
	sigmoidOut   callKind = iota // Sigmoid(dst, src)
	sigmoidIn                    // Sigmoid(buf, buf)
	backwardOut                  // SigmoidBackward(dx, dy, y)
	backwardInDy                 // SigmoidBackward(dy, dy, y)
	backwardInY                  // SigmoidBackward(y, dy, y)
)

var callNames = [...]struct {
	args string   // the arguments, after the function's name
	in   []string // the names of dst and the inputs passed, in order
}{
	sigmoidOut:   {"(dst, src)", []string{"dst", "src"}},
	sigmoidIn:    {"(buf, buf)", []string{"buf"}},
	backwardOut:  {"(dx, dy, y)", []string{"dx", "dy", "y"}},
	backwardInDy: {"(dy, dy, y)", []string{"dx=dy", "y"}},
	backwardInY:  {"(y, dy, y)", []string{"dx=y", "dy"}},
}

func (c callKind) backward() bool { return c >= backwardOut }

// callName is the call as written with F's functions: Sigmoid64(dst, src).
func callName[F float](c callKind) string {
	if c.backward() {
		return backwardName[F]() + callNames[c].args
	}
	return sigmoidName[F]() + callNames[c].args
}

// invoke makes the call: dst, then the inputs other than dst.
func (g *guardHarness[F]) invoke(c callKind, dst, a, b []F) {
	switch c {
	case sigmoidOut:
		g.k.sigmoid(dst, a)
	case sigmoidIn:
		g.k.sigmoid(dst, dst)
	case backwardOut:
		g.k.backward(dst, a, b)
	case backwardInDy:
		g.k.backward(dst, dst, a)
	case backwardInY:
		g.k.backward(dst, a, dst)
	}
}

// what describes a call at the current placement for a report.
func (g *guardHarness[F]) what(c callKind, other bool) string {
	s := sprintf("n=%d, start offset %d, %s (output) ", g.n, g.off, g.p)
	if other {
		s += sprintf("and %s (inputs): ", g.q)
	} else {
		s += "and the same for the inputs: "
	}
	return s + callName[F](c)
}

// call makes call c on dst (at the current placement) and the inputs a, b
// (at the same placement, or at q if other), whose elements are at index
// in of the input regions; it reports a fault naming the slices passed,
// then checks the results.
func (g *guardHarness[F]) call(c callKind, other bool, in int, dst, a, b []F) bool {
	g.t.Helper()
	g.calls++
	n := g.n
	// An in-place call's dst holds its input.
	switch c {
	case sigmoidIn:
		copy(dst, g.src.data[in:in+n])
	case backwardInDy:
		copy(dst, g.dy.data[in:in+n])
	case backwardInY:
		copy(dst, g.y.data[in:in+n])
	}
	addr, faulted := catchFault(func() { g.invoke(c, dst, a, b) })
	if faulted {
		args := [][]F{dst, a, b}[:len(callNames[c].in)]
		named := make(map[string][]F)
		for i, s := range args {
			named[callNames[c].in[i]] = s
		}
		return g.report("%s: %s", g.what(c, other), describeFault(addr, named))
	}
	return g.checkDst(c, in)
}

// checkDst checks the n results at index s of dst against the references
// for the inputs at index in (sigmoid: src; backward: dy and y), and that
// the 16 elements either side of them (those in the region) still hold the
// canary; then it refills the results with the canary.
func (g *guardHarness[F]) checkDst(c callKind, in int) bool {
	g.t.Helper()
	d, n, s := g.dst.data, g.n, g.s
	other := in != s
	ok := true
	for i := range n { // the first bad result only
		var why string
		if c.backward() {
			why = g.back.why(in+i, d[s+i])
		} else {
			why = g.sig.why(in+i, d[s+i])
		}
		if why != "" {
			ok = g.report("%s: element %d: %s", g.what(c, other), i, why)
			break
		}
	}
	lo, hi := max(0, s-16), min(len(d), s+n+16)
	if i := firstTouched(d[lo:s]); ok && i >= 0 {
		ok = g.report("%s: wrote element %d, before the output (%s)", g.what(c, other), lo+i-s, hex(d[lo+i]))
	}
	if i := firstTouched(d[s+n : hi]); ok && i >= 0 {
		ok = g.report("%s: wrote element %d, past the output's end (%s)", g.what(c, other), n+i, hex(d[s+n+i]))
	}
	fillCanary(d[lo:hi])
	return ok
}

// run makes every call for n elements at start offset off next to the
// front (or back) guards.
func (g *guardHarness[F]) run(n, off int, back bool) bool {
	g.n, g.off = n, off
	g.p = place(n, off, back)
	g.q = place(n, (off+5)%16, !back) // the other side, another offset
	p, q := g.p, g.q
	s, sq := g.dst.start(n, p), g.src.start(n, q)
	g.s = s
	dst := g.dst.slice(n, p)
	src, dy, y := g.src.slice(n, p), g.dy.slice(n, p), g.y.slice(n, p)
	return g.call(sigmoidOut, false, s, dst, src, nil) &&
		g.call(sigmoidOut, true, sq, dst, g.src.slice(n, q), nil) &&
		g.call(sigmoidIn, false, s, dst, nil, nil) &&
		g.call(backwardOut, false, s, dst, dy, y) &&
		g.call(backwardOut, true, sq, dst, g.dy.slice(n, q), g.y.slice(n, q)) &&
		g.call(backwardInDy, false, s, dst, y, nil) &&
		g.call(backwardInY, false, s, dst, dy, nil)
}

// trapSelfTest checks that the harness can see what it looks for: a call
// whose slices really do reach one element into a guard page must fault,
// and the fault must come back as a failure, not crash the binary.
func (g *guardHarness[F]) trapSelfTest() bool {
	d := g.dst.data
	n := 37
	// One element before dst.data[0], and one past its end.
	before := unsafe.Slice((*F)(unsafe.Add(unsafe.Pointer(&d[0]), -int(size[F]()))), n)
	past := unsafe.Slice(&d[len(d)-n+1], n)
	in := g.src.data[:n]
	for _, c := range []struct {
		what string
		f    func()
	}{
		{"sigmoid into a slice starting in the front guard", func() { g.k.sigmoid(before, in) }},
		{"sigmoid into a slice ending in the back guard", func() { g.k.sigmoid(past, in) }},
		{"sigmoid from a slice ending in the back guard", func() { g.k.sigmoid(d[:n], past) }},
		{"backward pass with y ending in the back guard", func() { g.k.backward(d[:n], in, past) }},
		{"backward pass into a read-only page", func() { g.k.backward(g.src.data[:n], g.dy.data[:n], g.y.data[:n]) }},
	} {
		if _, faulted := catchFault(c.f); !faulted {
			g.t.Errorf("%s: %s did not fault: the guard pages do not work here", g.k.name, c.what)
			return false
		}
	}
	fillCanary(d)
	return true
}
