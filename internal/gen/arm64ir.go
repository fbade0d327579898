package main

import (
	"fmt"

	"github.com/simdsigmoid/sigmoid/internal/gen/neon"
)

// The NEON back end records the algorithm's operations as a straight-line
// list of instructions on virtual registers, then gives each virtual
// register a V register for exactly its lifetime (from its definition to
// its last use, both known once the whole list is recorded) and prints the
// list. Registers are handed out lowest first, so the output does not
// depend on anything but the list.

// vv is a virtual vector register: one value of one unrolled copy. An
// instruction may update it in place (an accumulator), which keeps its
// register.
type vv struct {
	id   int
	last int       // index of the last instruction that reads or writes it
	reg  neon.VReg // assigned by allocate
	has  bool      // reg is valid
}

// insn is one recorded instruction (a few for loads, stores and a
// blend that cannot work in place).
type insn struct {
	defs []*vv // values it creates
	accs []*vv // values it reads and overwrites
	uses []*vv // values it only reads
	// tie, if set, is a use whose register defs[0] takes when this is its
	// last use; emit is then called with tied set.
	tie *vv
	// multi says the instruction is several machine instructions, so that
	// a def must not share a register with a use (the first instruction
	// would overwrite an input of a later one).
	multi bool
	emit  func(e *emitter, tied bool) []string
}

// prog is a recorded instruction list.
type prog struct {
	insns []*insn
	vals  []*vv
}

func (p *prog) newv() *vv {
	v := &vv{id: len(p.vals)}
	p.vals = append(p.vals, v)
	return v
}

func (p *prog) add(in *insn) { p.insns = append(p.insns, in) }

// emitter resolves registers while printing.
type emitter struct {
	consts *constLayout
}

func (e *emitter) r(v *vv) neon.VReg {
	if !v.has {
		panic(fmt.Sprintf("arm64: value %d has no register", v.id))
	}
	return v.reg
}

// liveness sets every value's last use.
func (p *prog) liveness() {
	for _, v := range p.vals {
		v.last = -1
	}
	for i, in := range p.insns {
		for _, set := range [][]*vv{in.defs, in.accs, in.uses} {
			for _, v := range set {
				v.last = i
			}
		}
	}
}

// allocate assigns registers from free (in order of preference) and
// returns the most registers live at once, or an error if free runs out.
func (p *prog) allocate(free []neon.VReg) (peak int, err error) {
	p.liveness()
	for _, v := range p.vals {
		v.has = false
	}
	pool := append([]neon.VReg(nil), free...)
	take := func() (neon.VReg, bool) {
		if len(pool) == 0 {
			return 0, false
		}
		best := 0
		for i, r := range pool {
			if r < pool[best] {
				best = i
			}
		}
		r := pool[best]
		pool = append(pool[:best], pool[best+1:]...)
		return r, true
	}
	live := 0
	for i, in := range p.insns {
		for _, v := range append(append([]*vv(nil), in.accs...), in.uses...) {
			if !v.has {
				return 0, fmt.Errorf("instruction %d reads value %d before it is defined", i, v.id)
			}
		}
		// Registers of inputs read here for the last time.
		var dying []*vv
		seen := map[*vv]bool{}
		for _, v := range append(append([]*vv(nil), in.uses...), in.accs...) {
			if v.last == i && !seen[v] {
				seen[v] = true
				dying = append(dying, v)
			}
		}
		reused := map[*vv]bool{}
		for j, d := range in.defs {
			if d.has {
				return 0, fmt.Errorf("instruction %d redefines value %d", i, d.id)
			}
			if j == 0 && in.tie != nil && in.tie.last == i {
				d.reg, d.has = in.tie.reg, true
				reused[in.tie] = true
				continue
			}
			if !in.multi {
				// A single instruction reads its inputs before it writes:
				// the result may take a dying input's register.
				for _, u := range dying {
					if !reused[u] && !containsVV(in.accs, u) {
						d.reg, d.has = u.reg, true
						reused[u] = true
						break
					}
				}
				if d.has {
					continue
				}
			}
			r, ok := take()
			if !ok {
				return 0, fmt.Errorf("out of registers at instruction %d (%d live)", i, live)
			}
			d.reg, d.has = r, true
			live++
			peak = max(peak, live)
		}
		for _, v := range dying {
			if !reused[v] {
				pool = append(pool, v.reg)
				live--
			}
		}
		// A result nobody reads.
		for _, d := range in.defs {
			if d.last == i {
				pool = append(pool, d.reg)
				live--
			}
		}
	}
	return peak, nil
}

func containsVV(s []*vv, v *vv) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// tied reports whether in's def took its tie's register (valid after
// allocate).
func (in *insn) tied() bool {
	return in.tie != nil && len(in.defs) > 0 && in.defs[0].has && in.tie.has && in.defs[0].reg == in.tie.reg
}

// text prints the allocated list, one instruction per line.
func (p *prog) text(e *emitter) []string {
	var out []string
	for _, in := range p.insns {
		out = append(out, in.emit(e, in.tied())...)
	}
	return out
}
