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
// register with three others and is addressed by lane.
type constUses struct {
	order []*constant
	vec   map[*constant]bool
	names map[string]*constant // constants the back end makes, one per name
}

func newConstUses() *constUses {
	return &constUses{vec: map[*constant]bool{}, names: map[string]*constant{}}
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

// constLayout places the constants in the top registers, loaded once at
// function entry from one DATA table.
type constLayout struct {
	name  string // DATA symbol
	regs  int    // registers used, from V(32-regs) to V31
	first neon.VReg
	words []uint32 // the table, 4 words per register
	vec   map[*constant]neon.VReg
	elem  map[*constant]elemRef
}

type elemRef struct {
	reg  neon.VReg
	lane int
}

// layout assigns registers: tables and whole-vector constants first (a
// table of 8 floats takes two consecutive registers, as TBL wants), then
// the lane constants packed four to a register.
func (u *constUses) layout(name string) *constLayout {
	l := &constLayout{name: name, vec: map[*constant]neon.VReg{}, elem: map[*constant]elemRef{}}
	var vecs, elems []*constant
	for _, c := range u.order {
		if u.vec[c] {
			vecs = append(vecs, c)
		} else {
			elems = append(elems, c)
		}
	}
	type slot struct {
		c    *constant
		lane int // -1: whole vector
	}
	var regs [][4]uint32
	for _, c := range vecs {
		l.vec[c] = neon.VReg(len(regs)) // relative for now
		vals := c.bits
		if len(vals) == 1 {
			vals = []uint64{vals[0], vals[0], vals[0], vals[0]}
		}
		if len(vals)%4 != 0 {
			panic(fmt.Sprintf("arm64: constant %s has %d values", c.name, len(vals)))
		}
		for i := 0; i < len(vals); i += 4 {
			var r [4]uint32
			for j := range r {
				r[j] = uint32(vals[i+j])
			}
			regs = append(regs, r)
		}
	}
	for i, c := range elems {
		if i%4 == 0 {
			regs = append(regs, [4]uint32{})
		}
		l.elem[c] = elemRef{reg: neon.VReg(len(regs) - 1), lane: i % 4}
		regs[len(regs)-1][i%4] = uint32(c.bits[0])
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
		l.words = append(l.words, r[:]...)
	}
	return l
}

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

// data prints the DATA table.
func (l *constLayout) data() string {
	var b strings.Builder
	for i, w := range l.words {
		fmt.Fprintf(&b, "DATA %s<>+%d(SB)/4, $0x%08x\n", l.name, 4*i, w)
	}
	fmt.Fprintf(&b, "GLOBL %s<>(SB), RODATA|NOPTR, $%d\n", l.name, 4*len(l.words))
	return b.String()
}

// load prints the instructions that load the table into its registers,
// through the general register base: VLD1 takes up to four consecutive
// registers.
func (l *constLayout) load(base string) []string {
	out := []string{fmt.Sprintf("MOVD $%s<>(SB), %s", l.name, base)}
	for r := 0; r < l.regs; r += 4 {
		n := min(4, l.regs-r)
		var list []string
		for j := 0; j < n; j++ {
			list = append(list, fmt.Sprintf("%v.S4", l.first+neon.VReg(r+j)))
		}
		if r+n < l.regs {
			out = append(out, fmt.Sprintf("VLD1.P %d(%s), [%s]", 16*n, base, strings.Join(list, ", ")))
		} else {
			out = append(out, fmt.Sprintf("VLD1 (%s), [%s]", base, strings.Join(list, ", ")))
		}
	}
	return out
}

// constDesc describes the layout for the generated file's comments.
func (l *constLayout) describe() []string {
	var out []string
	for r := l.first; r <= neon.V31; r++ {
		var names []string
		for _, c := range sortedConsts(l.vec) {
			if l.vec[c] == r {
				names = append(names, c.name)
			} else if len(c.bits) > 4 && l.vec[c]+neon.VReg((len(c.bits)-1)/4) >= r && l.vec[c] < r {
				names = append(names, c.name+" (cont.)")
			}
		}
		for lane := 0; lane < 4; lane++ {
			for _, c := range sortedConsts(l.elem) {
				if e := l.elem[c]; e.reg == r && e.lane == lane {
					names = append(names, fmt.Sprintf("%s[%d]", c.name, lane))
				}
			}
		}
		out = append(out, fmt.Sprintf("%v: %s", r, strings.Join(names, ", ")))
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
