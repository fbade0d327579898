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

// schedule reorders the instructions for an in-order core: a list
// scheduler that models every instruction as taking lat cycles to produce
// its result and issues, at each step, the ready instruction with the
// longest path to the end (then the one that can start soonest), without
// letting more than budget values be live unless nothing else is ready.
// Out-of-order cores hardly care; in-order ones (Cortex-A53/A55) stall on
// every dependent instruction the recorded order puts back to back.
// Accesses to each value keep their order (reads between two writes may
// move among themselves), which check verifies.
func (p *prog) schedule(budget int) {
	n := len(p.insns)
	const lat = 4
	preds := make([][]int, n)
	succs := make([][]int, n)
	lastWriter := map[*vv]int{}
	readers := map[*vv][]int{}
	addEdge := func(from, to int) {
		if from == to {
			return
		}
		preds[to] = append(preds[to], from)
		succs[from] = append(succs[from], to)
	}
	for i, in := range p.insns {
		for _, v := range in.uses {
			if w, ok := lastWriter[v]; ok {
				addEdge(w, i)
			}
			readers[v] = append(readers[v], i)
		}
		for _, v := range in.accs {
			if w, ok := lastWriter[v]; ok {
				addEdge(w, i)
			}
			for _, r := range readers[v] {
				addEdge(r, i)
			}
			lastWriter[v], readers[v] = i, nil
		}
		for _, v := range in.defs {
			lastWriter[v] = i
		}
	}
	// The stores stay last and the loads first: they are the loop's
	// boundary, and moving them would not help.
	height := make([]int, n)
	for i := n - 1; i >= 0; i-- {
		for _, s := range succs[i] {
			height[i] = max(height[i], height[s]+lat)
		}
	}
	// Remaining readers per value, to know when it dies.
	left := map[*vv]int{}
	for _, in := range p.insns {
		for _, v := range append(append([]*vv(nil), in.uses...), in.accs...) {
			left[v]++
		}
	}
	npred := make([]int, n)
	for i := range npred {
		npred[i] = len(preds[i])
	}
	ready := make([]int, n) // earliest cycle
	done := make([]bool, n)
	order := make([]*insn, 0, n)
	live, cycle := 0, 0
	for len(order) < n {
		best := -1
		better := func(i, j int) bool {
			if height[i] != height[j] {
				return height[i] > height[j]
			}
			si, sj := max(ready[i], cycle), max(ready[j], cycle)
			if si != sj {
				return si < sj
			}
			return i < j
		}
		for pass := 0; pass < 2 && best < 0; pass++ {
			for i := range p.insns {
				if done[i] || npred[i] > 0 {
					continue
				}
				in := p.insns[i]
				if pass == 0 && live+len(in.defs) > budget && len(in.defs) > 0 {
					continue
				}
				if best < 0 || better(i, best) {
					best = i
				}
			}
		}
		if best < 0 {
			panic("arm64: schedule: no instruction ready")
		}
		in := p.insns[best]
		done[best] = true
		order = append(order, in)
		cycle = max(ready[best], cycle) + 1
		for _, s := range succs[best] {
			npred[s]--
			ready[s] = max(ready[s], cycle-1+lat)
		}
		live += len(in.defs)
		for _, d := range in.defs {
			if left[d] == 0 { // never read
				live--
			}
		}
		seen := map[*vv]bool{}
		for _, v := range append(append([]*vv(nil), in.uses...), in.accs...) {
			if seen[v] {
				continue
			}
			seen[v] = true
			cnt := 0
			for _, u := range append(append([]*vv(nil), in.uses...), in.accs...) {
				if u == v {
					cnt++
				}
			}
			left[v] -= cnt
			if left[v] == 0 {
				live--
			}
		}
	}
	p.check(order)
	p.insns = order
}

// check panics unless order accesses every value as p.insns does: the
// same sequence of writes, each read between the same two writes.
func (p *prog) check(order []*insn) {
	version := func(list []*insn) map[*insn]map[*vv]int {
		writes := map[*vv]int{}
		out := map[*insn]map[*vv]int{}
		for _, in := range list {
			m := map[*vv]int{}
			for _, v := range in.uses {
				m[v] = writes[v]
			}
			for _, v := range append(append([]*vv(nil), in.defs...), in.accs...) {
				writes[v]++
				m[v] = -writes[v]
			}
			out[in] = m
		}
		return out
	}
	a, b := version(p.insns), version(order)
	if len(order) != len(p.insns) {
		panic("arm64: schedule lost instructions")
	}
	for in, m := range a {
		for v, ver := range m {
			if b[in][v] != ver {
				panic(fmt.Sprintf("arm64: schedule reorders accesses to value %d", v.id))
			}
		}
	}
}
