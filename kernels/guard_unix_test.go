//go:build unix

package kernels_test

import (
	"fmt"
	"maps"
	"math"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/simdsigmoid/sigmoid/internal/accuracy"
	"github.com/simdsigmoid/sigmoid/kernels"
)

// A guardedRegion is an anonymous mapping laid out as
//
//	[PROT_NONE page][data: whole pages][PROT_NONE page]
//
// so that touching the element just before data[0] or just after
// data[len(data)-1] faults. Its data starts on a page, hence 64-byte,
// boundary, and its length is a multiple of 1024 elements.
type guardedRegion struct {
	name string
	mem  []byte    // the whole mapping, guards included
	data []float32 // the accessible pages between the guards
}

// newGuardedRegion maps a region with room for at least elems elements
// between its guard pages; the test's cleanup unmaps it.
func newGuardedRegion(t testing.TB, name string, elems int) *guardedRegion {
	t.Helper()
	page := unix.Getpagesize()
	size := max(page, (4*elems+page-1)/page*page)
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
	data := unsafe.Slice((*float32)(unsafe.Pointer(&mem[page])), size/4)
	return &guardedRegion{name: name, mem: mem, data: data}
}

// readOnly makes the data pages read-only: a write to them faults too.
func (r *guardedRegion) readOnly(t testing.TB) {
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
// guard whose first element is off elements (0..15) past a 64-byte
// boundary: the front placement with gap off, or the back one whose gap
// makes the start land there. Every n has one flush back placement.
func place(n, off int, back bool) placement {
	if !back {
		return placement{gap: off}
	}
	// data has a multiple of 16 elements: the start is at -(gap+n) mod 16.
	return placement{back: true, gap: ((-n-off)%16 + 16) % 16}
}

// start returns the index in r.data of the first of n elements placed at p.
func (r *guardedRegion) start(n int, p placement) int {
	if p.back {
		return len(r.data) - p.gap - n
	}
	return p.gap
}

// slice returns the n elements at p, with capacity n: a kernel has no
// business looking past the length.
func (r *guardedRegion) slice(n int, p placement) []float32 {
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
func describeFault(addr uintptr, args map[string][]float32) string {
	if addr == 0 {
		return "memory fault (at an address the signal did not give)"
	}
	msg := fmt.Sprintf("memory fault at %#x", addr)
	for _, name := range slices.Sorted(maps.Keys(args)) {
		s := args[name]
		lo := uintptr(unsafe.Pointer(unsafe.SliceData(s)))
		hi := lo + 4*uintptr(len(s))
		switch {
		case addr >= lo && addr < hi:
			msg += fmt.Sprintf(", inside %s (%s[%d]): a write to an input?", name, name, (addr-lo)/4)
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
	lengths = append(lengths, 4095, 4096, 4097, 65535, 65536+17)
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
// For each length (0..1024, 4095, 4096, 4097, 65535, 65553) and each start
// offset 0..15 elements from a 64-byte boundary, the slices go at the
// front guard and, separately, at the back guard; Sigmoid runs out of place
// (src next to the same guard as dst, then next to the other one, at
// another offset) and in place, and SigmoidBackward likewise out of place
// (dx, dy and y each guarded) and in place on dy and on y. Results must be
// within the spec's bound of the exact values, and the elements between
// dst and its guard unchanged.
//
// With -short or -race, or under qemu-user, lengths past 80 are sampled
// and those past 48 get three of the 16 offsets, the flush ones included.
func TestGuardPages(t *testing.T) {
	qemu := underQEMU()
	for _, k := range kernels.Kernels() {
		t.Run(k.Name, func(t *testing.T) {
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
type guardHarness struct {
	t testing.TB
	k kernels.Kernel

	src, dy, y *guardedRegion // read-only inputs, filled once
	dst        *guardedRegion // outputs (and in-place buffers), canary between calls

	exactSig  []float64 // fallback.Sigmoid64 of src.data
	refSig    []float32 // k.Sigmoid of src.data, checked against exactSig
	exactBack []float64 // guardBackwardExact of dy.data, y.data
	refBack   []float32 // k.SigmoidBackward of those, checked against exactBack

	// The current length, start offset, placements of the output and of
	// the inputs at the other guard, and the output's index in dst.data.
	n, off int
	p, q   placement
	s      int

	calls   int
	reports int
}

// guardMaxLen is the longest slice TestGuardPages places, 15 elements from
// a guard at most.
const guardMaxLen = 65536 + 17

func newGuardHarness(t *testing.T, k kernels.Kernel) *guardHarness {
	g := &guardHarness{t: t, k: k}
	const elems = guardMaxLen + 16
	g.src = newGuardedRegion(t, "src", elems)
	g.dy = newGuardedRegion(t, "dy", elems)
	g.y = newGuardedRegion(t, "y", elems)
	g.dst = newGuardedRegion(t, "dst", elems)
	m := len(g.src.data)

	copy(g.src.data, mixedInputs(m, 0x6a4d))
	dy, y := guardBackwardInputs(m, 0x6a4e)
	copy(g.dy.data, dy)
	copy(g.y.data, y)
	for _, r := range []*guardedRegion{g.src, g.dy, g.y} {
		r.readOnly(t)
	}
	fillCanary(g.dst.data)

	// The references: this kernel on the whole regions (it is elementwise,
	// so a slice's results are almost always the same bits), checked
	// against the exact values once. A result that differs from its
	// reference is checked against the exact value instead.
	g.exactSig = exacts(g.src.data)
	g.refSig = make([]float32, m)
	k.Sigmoid(g.refSig, g.src.data)
	c := &checker{t: t}
	if !c.checkAll(g.refSig, g.src.data, g.exactSig, "%s on the whole %d-element src region", k.Name, m) || c.reports > 0 {
		t.FailNow()
	}
	g.exactBack = make([]float64, m)
	for i := range m {
		g.exactBack[i] = guardBackwardExact(g.dy.data[i], g.y.data[i])
	}
	g.refBack = make([]float32, m)
	k.SigmoidBackward(g.refBack, g.dy.data, g.y.data)
	for i := range m {
		if !g.backwardOK(g.refBack[i], i, "SigmoidBackward on the whole %d-element dy and y regions, element %d", m, i) {
			t.FailNow()
		}
	}
	return g
}

// report counts a failure and says whether to go on.
func (g *guardHarness) report(format string, args ...any) bool {
	g.t.Helper()
	g.t.Errorf("%s: "+format, append([]any{g.k.Name}, args...)...)
	g.reports++
	return g.reports < maxReports
}

// backwardOK checks got against exactBack[i].
func (g *guardHarness) backwardOK(got float32, i int, what string, args ...any) bool {
	g.t.Helper()
	exact := g.exactBack[i]
	if e := accuracy.ULP(got, exact); e > guardBackwardBound {
		return g.report("%s: dy=%v (%#08x), y=%v (%#08x): got %v (%#08x), want %v (%.2f ULP)",
			sprintf(what, args...), g.dy.data[i], math.Float32bits(g.dy.data[i]), g.y.data[i], math.Float32bits(g.y.data[i]),
			got, math.Float32bits(got), exact, e)
	}
	return true
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
	call string
	args []string // the names of dst and the inputs passed, in order
}{
	sigmoidOut:   {"Sigmoid(dst, src)", []string{"dst", "src"}},
	sigmoidIn:    {"Sigmoid(buf, buf)", []string{"buf"}},
	backwardOut:  {"SigmoidBackward(dx, dy, y)", []string{"dx", "dy", "y"}},
	backwardInDy: {"SigmoidBackward(dy, dy, y)", []string{"dx=dy", "y"}},
	backwardInY:  {"SigmoidBackward(y, dy, y)", []string{"dx=y", "dy"}},
}

func (c callKind) backward() bool { return c >= backwardOut }

// invoke makes the call: dst, then the inputs other than dst.
func (g *guardHarness) invoke(c callKind, dst, a, b []float32) {
	switch c {
	case sigmoidOut:
		g.k.Sigmoid(dst, a)
	case sigmoidIn:
		g.k.Sigmoid(dst, dst)
	case backwardOut:
		g.k.SigmoidBackward(dst, a, b)
	case backwardInDy:
		g.k.SigmoidBackward(dst, dst, a)
	case backwardInY:
		g.k.SigmoidBackward(dst, a, dst)
	}
}

// what describes a call at the current placement for a report.
func (g *guardHarness) what(c callKind, other bool) string {
	s := sprintf("n=%d, start offset %d, %s (output) ", g.n, g.off, g.p)
	if other {
		s += sprintf("and %s (inputs): ", g.q)
	} else {
		s += "and the same for the inputs: "
	}
	return s + callNames[c].call
}

// call makes call c on dst (at the current placement) and the inputs a, b
// (at the same placement, or at q if other), whose elements are at index
// in of the input regions; it reports a fault naming the slices passed,
// then checks the results.
func (g *guardHarness) call(c callKind, other bool, in int, dst, a, b []float32) bool {
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
		args := []([]float32){dst, a, b}[:len(callNames[c].args)]
		named := make(map[string][]float32)
		for i, s := range args {
			named[callNames[c].args[i]] = s
		}
		return g.report("%s: %s", g.what(c, other), describeFault(addr, named))
	}
	return g.checkDst(c, in)
}

// checkDst checks the n results at index s of dst against the references
// for the inputs at index in (sigmoid: src; backward: dy and y), and that
// the 16 elements either side of them (those in the region) still hold the
// canary; then it refills the results with the canary.
func (g *guardHarness) checkDst(c callKind, in int) bool {
	g.t.Helper()
	d, n, s := g.dst.data, g.n, g.s
	other := in != s
	ok := true
	for i := range n { // the first bad result only
		got := d[s+i]
		if c.backward() {
			if math.Float32bits(got) != math.Float32bits(g.refBack[in+i]) &&
				accuracy.ULP(got, g.exactBack[in+i]) > guardBackwardBound {
				ok = g.backwardOK(got, in+i, "%s: dx[%d]", g.what(c, other), i)
				break
			}
		} else if math.Float32bits(got) != math.Float32bits(g.refSig[in+i]) {
			x := g.src.data[in+i]
			if why := accuracy.CheckExact(x, got, g.exactSig[in+i], bound); why != "" {
				ok = g.report("%s: dst[%d]: %s", g.what(c, other), i, why)
				break
			}
		}
	}
	lo, hi := max(0, s-16), min(len(d), s+n+16)
	if i := firstTouched(d[lo:s]); ok && i >= 0 {
		ok = g.report("%s: wrote element %d, before the output (%#08x)", g.what(c, other), lo+i-s, math.Float32bits(d[lo+i]))
	}
	if i := firstTouched(d[s+n : hi]); ok && i >= 0 {
		ok = g.report("%s: wrote element %d, past the output's end (%#08x)", g.what(c, other), n+i, math.Float32bits(d[s+n+i]))
	}
	fillCanary(d[lo:hi])
	return ok
}

// run makes every call for n elements at start offset off next to the
// front (or back) guards.
func (g *guardHarness) run(n, off int, back bool) bool {
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
func (g *guardHarness) trapSelfTest() bool {
	d := g.dst.data
	n := 37
	// One element before dst.data[0], and one past its end.
	before := unsafe.Slice((*float32)(unsafe.Add(unsafe.Pointer(&d[0]), -4)), n)
	past := unsafe.Slice(&d[len(d)-n+1], n)
	in := g.src.data[:n]
	for _, c := range []struct {
		what string
		f    func()
	}{
		{"Sigmoid into a slice starting in the front guard", func() { g.k.Sigmoid(before, in) }},
		{"Sigmoid into a slice ending in the back guard", func() { g.k.Sigmoid(past, in) }},
		{"Sigmoid from a slice ending in the back guard", func() { g.k.Sigmoid(d[:n], past) }},
		{"SigmoidBackward with y ending in the back guard", func() { g.k.SigmoidBackward(d[:n], in, past) }},
		{"SigmoidBackward into a read-only page", func() { g.k.SigmoidBackward(g.src.data[:n], g.dy.data[:n], g.y.data[:n]) }},
	} {
		if _, faulted := catchFault(c.f); !faulted {
			g.t.Errorf("%s: %s did not fault: the guard pages do not work here", g.k.Name, c.what)
			return false
		}
	}
	fillCanary(d)
	return true
}
