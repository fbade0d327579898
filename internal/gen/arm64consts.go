package main

import (
	"fmt"
	"strings"

	"github.com/simdsigmoid/sigmoid/internal/gen/neon"
)

// constUses records, in order of first use, how the recorded code uses
// each constant: a constant that some instruction needs as a whole vector
// (FMIN, FADD, AND, TBL, ...) gets a register of its own; one that is only
// ever a by-element multiplier or copied into a fresh register shares a
// register with three others (float64: one other) and is addressed by
// lane. A layout that spills may instead leave a constant that is only
// ever copied in memory, and copy it with a load.
type constUses struct {
	order []*constant
	vec   map[*constant]bool
	lane  map[*constant]bool   // some instruction takes it by element
	names map[string]*constant // constants the back end makes, one per name
}

func newConstUses() *constUses {
	return &constUses{vec: map[*constant]bool{}, lane: map[*constant]bool{}, names: map[string]*constant{}}
}

// intern returns the constant named c.name made before, else c.
func (u *constUses) intern(c *constant) *constant {
	if old, ok := u.names[c.name]; ok {
		return old
	}
	u.names[c.name] = c
	return c
}

func (u *constUses) note(c *constant, needVector bool) {
	if _, ok := u.vec[c]; !ok {
		u.order = append(u.order, c)
		u.vec[c] = false
	}
	if needVector || len(c.bits) > 1 {
		u.vec[c] = true
	}
}

// noteLane records that an instruction takes c by element.
func (u *constUses) noteLane(c *constant) {
	u.note(c, false)
	u.lane[c] = true
}

// constLayout places the constants in the top registers, loaded once at
// function entry from one DATA table. A register holds lanes elements of
// width bytes each: four float32 or two float64. Constants in memory
// (a spilling layout's) follow the registers' part of the table, each
// repeated across a vector.
type constLayout struct {
	name  string // DATA symbol
	regs  int    // registers used, from V(32-regs) to V31
	first neon.VReg
	width int      // bytes per lane: 4 or 8
	lanes int      // lanes per register: 16/width
	words []uint64 // the table, lanes per register, then the memory constants
	vec   map[*constant]neon.VReg
	elem  map[*constant]elemRef
	// mem maps a constant kept in memory to its offset from the table
	// register as load leaves it.
	mem      map[*constant]int
	memOrder []*constant
}

// elemRef is a lane of a constants register, in lanes of the layout's
// width.
type elemRef struct {
	reg  neon.VReg
	lane int
}

// layout assigns registers for elements of width bytes: tables and
// whole-vector constants first (a table of 32 bytes takes two consecutive
// registers, as TBL wants), then the lane constants packed 16/width to a
// register. With spill, the constants that are only ever copied stay in
// memory instead (a load copies them as cheaply as a DUP), which leaves
// more registers for values.
func (u *constUses) layout(name string, width int, spill bool) *constLayout {
	if width != 4 && width != 8 {
		panic(fmt.Sprintf("arm64: constants of %d bytes", width))
	}
	lanes := 16 / width
	l := &constLayout{name: name, width: width, lanes: lanes, vec: map[*constant]neon.VReg{}, elem: map[*constant]elemRef{}, mem: map[*constant]int{}}
	var vecs, elems []*constant
	for _, c := range u.order {
		switch {
		case u.vec[c]:
			vecs = append(vecs, c)
		case spill && !u.lane[c]:
			l.memOrder = append(l.memOrder, c)
		default:
			elems = append(elems, c)
		}
	}
	var regs [][]uint64
	for _, c := range vecs {
		l.vec[c] = neon.VReg(len(regs)) // relative for now
		vals := c.bits
		if len(vals) == 1 {
			vals = nil
			for range lanes {
				vals = append(vals, c.bits[0])
			}
		}
		if len(vals)%lanes != 0 {
			panic(fmt.Sprintf("arm64: constant %s has %d values", c.name, len(vals)))
		}
		for i := 0; i < len(vals); i += lanes {
			regs = append(regs, append([]uint64(nil), vals[i:i+lanes]...))
		}
	}
	for i, c := range elems {
		if i%lanes == 0 {
			regs = append(regs, make([]uint64, lanes))
		}
		l.elem[c] = elemRef{reg: neon.VReg(len(regs) - 1), lane: i % lanes}
		regs[len(regs)-1][i%lanes] = c.bits[0]
	}
	l.regs = len(regs)
	l.first = neon.VReg(32 - len(regs))
	for c, r := range l.vec {
		l.vec[c] = l.first + r
	}
	for c, e := range l.elem {
		l.elem[c] = elemRef{reg: l.first + e.reg, lane: e.lane}
	}
	for _, r := range regs {
		l.words = append(l.words, r...)
	}
	// load leaves the table register at the last group of registers it
	// loads (see load).
	last := 0
	if l.regs > 0 {
		last = 4 * ((l.regs - 1) / 4)
	}
	for i, c := range l.memOrder {
		l.mem[c] = 16 * (l.regs + i - last)
		for range lanes {
			l.words = append(l.words, c.bits[0])
		}
	}
	return l
}

// hasData reports whether the function needs the table at all.
func (l *constLayout) hasData() bool { return l.regs > 0 || len(l.mem) > 0 }

// free lists the registers the constants leave for values.
func (l *constLayout) free() []neon.VReg {
	var rs []neon.VReg
	for r := neon.V0; r < l.first; r++ {
		rs = append(rs, r)
	}
	return rs
}

func (l *constLayout) vreg(c *constant) neon.VReg {
	r, ok := l.vec[c]
	if !ok {
		panic("arm64: constant " + c.name + " is not in a register of its own")
	}
	return r
}

func (l *constLayout) lane(c *constant) elemRef {
	if e, ok := l.elem[c]; ok {
		return e
	}
	if r, ok := l.vec[c]; ok {
		return elemRef{reg: r, lane: 0}
	}
	panic("arm64: constant " + c.name + " was never noted")
}

// loadConst prints the load of memory constant c into d, given the table
// register as load leaves it; ok is false if c is not in memory.
func (l *constLayout) loadConst(d neon.VReg, c *constant, base string) (line string, ok bool) {
	off, ok := l.mem[c]
	if !ok {
		return "", false
	}
	if off < 0 || off > 65520 {
		// LDR Qt, [Xn, #imm] takes multiples of 16 up to 65520.
		panic(fmt.Sprintf("arm64: constant %s at offset %d", c.name, off))
	}
	return fmt.Sprintf("FMOVQ %d(%s), F%d", off, base, d), true
}

// data prints the DATA table.
func (l *constLayout) data() string {
	var b strings.Builder
	for i, w := range l.words {
		fmt.Fprintf(&b, "DATA %s<>+%d(SB)/%d, $0x%0*x\n", l.name, l.width*i, l.width, 2*l.width, w)
	}
	fmt.Fprintf(&b, "GLOBL %s<>(SB), RODATA|NOPTR, $%d\n", l.name, l.width*len(l.words))
	return b.String()
}

// load prints the instructions that load the table into its registers,
// through the general register base: VLD1 takes up to four consecutive
// registers.
func (l *constLayout) load(base string) []string {
	out := []string{fmt.Sprintf("MOVD $%s<>(SB), %s", l.name, base)}
	if l.regs == 0 {
		return out
	}
	for r := 0; r < l.regs; r += 4 {
		n := min(4, l.regs-r)
		var list []string
		for j := 0; j < n; j++ {
			list = append(list, fmt.Sprintf("%v.%v", l.first+neon.VReg(r+j), l.arr()))
		}
		if r+n < l.regs {
			out = append(out, fmt.Sprintf("VLD1.P %d(%s), [%s]", 16*n, base, strings.Join(list, ", ")))
		} else {
			out = append(out, fmt.Sprintf("VLD1 (%s), [%s]", base, strings.Join(list, ", ")))
		}
	}
	return out
}

// arr is the arrangement of the layout's lanes.
func (l *constLayout) arr() neon.Arrangement {
	if l.width == 8 {
		return neon.D2
	}
	return neon.S4
}

// constDesc describes the layout for the generated file's comments.
func (l *constLayout) describe() []string {
	var out []string
	for r := l.first; r <= neon.V31; r++ {
		var names []string
		for _, c := range sortedConsts(l.vec) {
			if l.vec[c] == r {
				names = append(names, c.name)
			} else if len(c.bits) > l.lanes && l.vec[c]+neon.VReg((len(c.bits)-1)/l.lanes) >= r && l.vec[c] < r {
				names = append(names, c.name+" (cont.)")
			}
		}
		for lane := 0; lane < l.lanes; lane++ {
			for _, c := range sortedConsts(l.elem) {
				if e := l.elem[c]; e.reg == r && e.lane == lane {
					names = append(names, fmt.Sprintf("%s[%d]", c.name, lane))
				}
			}
		}
		out = append(out, fmt.Sprintf("%v: %s", r, strings.Join(names, ", ")))
	}
	if len(l.memOrder) > 0 {
		var names []string
		for _, c := range l.memOrder {
			names = append(names, c.name)
		}
		out = append(out, "memory: "+strings.Join(names, ", "))
	}
	return out
}

// sortedConsts returns the keys of m by name, for deterministic output.
func sortedConsts[T any](m map[*constant]T) []*constant {
	var cs []*constant
	for c := range m {
		cs = append(cs, c)
	}
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && cs[j].name < cs[j-1].name; j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
	return cs
}
