package main

import (
	"fmt"
	"strings"

	"github.com/simdsigmoid/sigmoid/internal/gen/neon"
)

// maxARM64Unroll bounds the search for a main loop's unroll factor: the
// generator takes the largest that fits the registers the constants leave.
const maxARM64Unroll = 4

// General registers: the slices' pointers are R0, R1, ... in parameter
// order; then these. R18 and R26-R30 are left alone.
const (
	rN, rLen, rTab = "R5", "R6", "R7"
)

func rPtr(i int) string { return fmt.Sprintf("R%d", i) }

// arm64Func is one generated NEON function out[i] = f(in0[i], in1[i], …)
// over the shortest of its slices.
type arm64Func struct {
	fn, doc string
	params  []string // Go parameter names, all slices of elem; the outputs first
	outs    int      // how many of params are outputs
	elem    elem
	k       *consts // the constants body uses
	// The main and single-vector loops run the fast code, whose checks
	// send a block to the tiny code, if there is one (tiny), and from
	// there to the safe code; the tail runs the safe code.
	tiny bool
	body func(m *neonMachine, in []nvals) []nvals // one result per output
}

// arm64Kernel is one generated function, allocated and printed.
type arm64Kernel struct {
	f             arm64Func
	unroll        int
	consts        *constLayout
	main, one, tl *prog
	// fastMain and fastOne are the fast code, tinyMain and tinyOne the
	// tiny code (nil if the function has none).
	fastMain, fastOne, tinyMain, tinyOne *prog
	peakMain                             int
	text, dataText                       string
}

// arm64Funcs are the functions of one variant, from the table.
func arm64Funcs(v variant) []arm64Func {
	k := newConsts(v)
	var fs []arm64Func
	for _, f := range functions {
		fs = append(fs, arm64Func{
			fn:     f.raw(v),
			doc:    f.doc(v, "", v.needs),
			params: f.params,
			outs:   len(f.outs()),
			elem:   v.elem,
			k:      k,
			tiny:   f.tiny != nil,
			body: func(m *neonMachine, in []nvals) []nvals {
				vs := make([]value, len(in))
				for i, x := range in {
					vs[i] = x
				}
				code := f.fast
				switch m.tier {
				case tinyTier:
					code = f.tiny
				case safeTier:
					code = f.safe
				}
				var ys []nvals
				for _, y := range asValues(code(m, k, vs)) {
					ys = append(ys, y.(nvals))
				}
				return ys
			},
		})
	}
	return fs
}

// genARM64 generates one function: an unrolled main loop, a one-vector
// loop, then the last elements through lanes of one vector (float32: 1-3
// elements, through the low 64 bits and lane 2; float64: 1, through the
// low lane), so that nothing outside the slices is read or written.
func genARM64(v variant, f arm64Func) *arm64Kernel {
	for _, copyVecs := range []bool{false, true} {
		if k := genARM64Consts(v, f, copyVecs); k != nil {
			return k
		}
	}
	panic("arm64: " + f.fn + ": one vector does not fit the registers the constants leave")
}

// genARM64Consts is genARM64 with the constants' operands read as
// copyVecs says (neonMachine.copyVecs); nil where one vector does not fit.
func genARM64Consts(v variant, f arm64Func, copyVecs bool) *arm64Kernel {
	pfx := f.fn + "_"
	nin := len(f.params) - f.outs
	// lanes is the number of elements in a vector.
	lanes := 16 / v.elem.bytes
	fq := func(x *vv) string { return fmt.Sprintf("F%d", x.reg) }
	// Loads and stores of u vectors, post-incrementing the pointers.
	loadN := func(j int, xs []*vv) []string {
		var out []string
		for i := 0; i < len(xs); i += 2 {
			if i+1 < len(xs) {
				out = append(out, fmt.Sprintf("FLDPQ.P 32(%s), (%s, %s)", rPtr(j), fq(xs[i]), fq(xs[i+1])))
			} else {
				out = append(out, fmt.Sprintf("FMOVQ.P 16(%s), %s", rPtr(j), fq(xs[i])))
			}
		}
		return out
	}
	storeN := func(k int, ys []*vv) []string {
		var out []string
		for i := 0; i < len(ys); i += 2 {
			if i+1 < len(ys) {
				out = append(out, fmt.Sprintf("FSTPQ.P (%s, %s), 32(%s)", fq(ys[i]), fq(ys[i+1]), rPtr(k)))
			} else {
				out = append(out, fmt.Sprintf("FMOVQ.P %s, 16(%s)", fq(ys[i]), rPtr(k)))
			}
		}
		return out
	}
	// The tail: n&2 elements through the low 64 bits, n&1 through lane 2;
	// the other lanes are zero.
	loadTail := func(j int, xs []*vv) []string {
		x, l := xs[0].reg, fmt.Sprintf("%stail%d", pfx, j)
		return []string{
			neon.EOR(x, x, x),
			fmt.Sprintf("TBZ $1, %s, %s_odd", rN, l),
			fmt.Sprintf("FMOVD.P 8(%s), F%d", rPtr(j), x),
			l + "_odd:",
			fmt.Sprintf("TBZ $0, %s, %s_done", rN, l),
			fmt.Sprintf("VLD1 (%s), %v.S[2]", rPtr(j), x),
			l + "_done:",
		}
	}
	storeTail := func(k int, ys []*vv) []string {
		y, l := ys[0].reg, fmt.Sprintf("%stail_store%d", pfx, k)
		return []string{
			fmt.Sprintf("TBZ $1, %s, %s_odd", rN, l),
			fmt.Sprintf("FMOVD.P F%d, 8(%s)", y, rPtr(k)),
			l + "_odd:",
			fmt.Sprintf("TBZ $0, %s, %s_done", rN, l),
			fmt.Sprintf("VST1 %v.S[2], (%s)", y, rPtr(k)),
			l + "_done:",
		}
	}
	if v.elem == f64 {
		// One element: a scalar load clears the rest of the register.
		loadTail = func(j int, xs []*vv) []string {
			return []string{fmt.Sprintf("FMOVD (%s), %s", rPtr(j), fq(xs[0]))}
		}
		storeTail = func(k int, ys []*vv) []string {
			return []string{fmt.Sprintf("FMOVD %s, (%s)", fq(ys[0]), rPtr(k))}
		}
	}

	cu := newConstUses()
	nc := newNEONConsts(v)
	// record records one body; with wholeVectors its inputs are loaded by
	// loadN, which the holds may repeat, as they may the tail's loads.
	record := func(unroll int, t tier, safeLabel string, load func(j int, xs []*vv) []string, store func(k int, ys []*vv) []string, wholeVectors bool) *prog {
		p := &prog{}
		m := newNEON(v, f.k, nc, unroll, p, cu)
		m.tier, m.safeLabel, m.copyVecs = t, safeLabel, copyVecs
		in := make([]nvals, nin)
		for j := range in {
			x := m.newv()
			in[j] = x
			p.add(&insn{defs: x, multi: true, emit: func(*emitter, bool) []string { return load(j+f.outs, x) }})
			switch {
			case wholeVectors:
				for i, v := range x {
					m.loadedFrom[v] = loadRef{op: "FMOVQ", ptr: j + f.outs, off: 16 * (i - unroll)}
				}
			case v.elem == f64:
				// The tail's one element, loaded without moving the pointer.
				m.loadedFrom[x[0]] = loadRef{op: "FMOVD", ptr: j + f.outs}
			default:
				m.loadedFrom[x[0]] = loadRef{op: "tail", label: pfx, ptr: j + f.outs}
			}
		}
		for k, y := range f.body(m, in) {
			p.add(&insn{uses: y, multi: true, emit: func(*emitter, bool) []string { return store(k, y) }})
		}
		return p
	}
	// Every body is recorded before the layout, so that every constant
	// any of them uses is placed.
	// The safe code.
	one := record(1, safeTier, "", loadN, storeN, true)
	tl := record(1, safeTier, "", loadTail, storeTail, false)
	bodies := []*prog{nil, one}
	for u := 2; u <= maxARM64Unroll; u++ {
		bodies = append(bodies, record(u, safeTier, "", loadN, storeN, true))
	}
	// Fast and tiny code, by unroll factor (nil if the function has
	// none); the fast check leads to the tiny code if there is one.
	fastBodies := make([]*prog, maxARM64Unroll+1)
	tinyBodies := make([]*prog, maxARM64Unroll+1)
	for u := 1; u <= maxARM64Unroll; u++ {
		loop := pfx + "loop_"
		if u == 1 {
			loop = pfx + "single_"
		}
		next := loop + "safe"
		if f.tiny {
			tinyBodies[u] = record(u, tinyTier, next, loadN, storeN, true)
			next = loop + "tiny"
		}
		fastBodies[u] = record(u, fastTier, next, loadN, storeN, true)
	}
	recorded := map[*prog][]*insn{}
	for _, p := range append(append(append([]*prog{tl}, bodies[1:]...), fastBodies...), tinyBodies...) {
		if p != nil {
			recorded[p] = append([]*insn(nil), p.insns...)
		}
	}
	// fitAll picks the largest unroll factor whose bodies fit the
	// registers layout leaves, and allocates every body; nil if even one
	// vector does not fit.
	fitAll := func(layout *constLayout) *arm64Kernel {
		if layout.regs >= 32 {
			return nil // the constants alone overflow the registers
		}
		for p, insns := range recorded {
			p.insns = append([]*insn(nil), insns...)
		}
		kern := &arm64Kernel{f: f, consts: layout, one: one, tl: tl}
		free := layout.free()
		fit := func(p *prog) (int, error) { return p.allocate(free) }
		for u := maxARM64Unroll; u >= 1; u-- {
			peak, err := fit(bodies[u])
			if err != nil {
				continue
			}
			fits := true
			for _, b := range []*prog{fastBodies[u], tinyBodies[u]} {
				if b == nil {
					continue
				}
				bp, err := fit(b)
				fits = fits && err == nil
				peak = max(peak, bp)
			}
			if !fits {
				continue
			}
			kern.unroll, kern.main, kern.fastMain, kern.tinyMain, kern.peakMain = u, bodies[u], fastBodies[u], tinyBodies[u], peak
			break
		}
		if kern.main == nil {
			return nil
		}
		kern.fastOne, kern.tinyOne = fastBodies[1], tinyBodies[1]
		for _, p := range []*prog{one, tl, kern.fastOne, kern.tinyOne} {
			if p == nil {
				continue
			}
			if _, err := fit(p); err != nil {
				return nil
			}
		}
		return kern
	}
	// Constants in registers, unless leaving the copied ones in memory
	// allows a larger unroll factor (float64's, with two lanes to a
	// register and a degree-9 polynomial).
	name := f.fn + "_consts"
	kern := fitAll(cu.layout(name, v.elem.bytes, false))
	if spill := cu.layout(name, v.elem.bytes, true); len(spill.mem) > 0 {
		if k := fitAll(spill); k != nil && (kern == nil || k.unroll > kern.unroll) {
			kern = k
		} else if kern != nil {
			kern = fitAll(kern.consts) // allocate for it again
		}
	}
	if kern == nil {
		return nil
	}
	layout := kern.consts

	e := &emitter{consts: layout}
	var b strings.Builder
	ins := asmLines(&b)
	u := kern.unroll
	typ := " []" + v.elem.name
	fmt.Fprintf(&b, "// func %s(%s)\n", f.fn, strings.Join(f.params, typ+", ")+typ)
	unit := map[bool]string{true: "floats", false: "doubles"}[v.elem == f32]
	fmt.Fprintf(&b, "// Main loop: %d vectors (%d %s) per iteration.", u, lanes*u, unit)
	if layout.hasData() {
		b.WriteString(" Constants:\n")
		for _, l := range layout.describe() {
			b.WriteString("//\t" + l + "\n")
		}
	} else {
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "TEXT ·%s(SB), NOSPLIT, $0-%d\n", f.fn, 24*len(f.params))
	for j, p := range f.params {
		ins(fmt.Sprintf("MOVD %s_base+%d(FP), %s", p, 24*j, rPtr(j)))
		if j == 0 {
			ins(fmt.Sprintf("MOVD %s_len+%d(FP), %s", p, 24*j+8, rN))
			continue
		}
		ins(
			fmt.Sprintf("MOVD %s_len+%d(FP), %s", p, 24*j+8, rLen),
			fmt.Sprintf("CMP %s, %s", rLen, rN),
			fmt.Sprintf("CSEL LT, %s, %s, %s", rN, rLen, rN),
		)
	}
	if layout.hasData() {
		ins(layout.load(rTab)...)
	}
	// Fewer than a main-loop block: the one-vector loop, or with no
	// unrolling (the one-vector loop is the main loop) the tail.
	short := pfx + "single"
	if u == 1 {
		short = pfx + "tail"
	}
	ins(
		fmt.Sprintf("CMP $%d, %s", lanes*u, rN),
		fmt.Sprintf("BLT %s", short),
	)
	// loopEnd counts a block of u vectors done and loops back; the safe
	// code (after the RET) resumes the fast loop so.
	loopEnd := func(u int, loop string) {
		ins(
			fmt.Sprintf("SUB $%d, %s, %s", lanes*u, rN, rN),
			fmt.Sprintf("CMP $%d, %s", lanes*u, rN),
			fmt.Sprintf("BGE %s", loop),
		)
	}
	// The main loop counts down rN less a block, so that one SUBS both
	// counts and decides (rN ≥ 0: another block).
	block := lanes * u
	mainEnd := func() {
		ins(fmt.Sprintf("SUBS $%d, %s, %s", block, rN, rN), fmt.Sprintf("BGE %sloop", pfx))
		ins(fmt.Sprintf("ADD $%d, %s, %s", block, rN, rN))
	}
	if u > 1 {
		ins(fmt.Sprintf("SUB $%d, %s, %s", block, rN, rN))
		ins(pfx + "loop:")
		ins(kern.fastMain.text(e)...)
		mainEnd()
		ins(
			pfx+"single:",
			fmt.Sprintf("CMP $%d, %s", lanes, rN),
			fmt.Sprintf("BLT %stail", pfx),
		)
	} else {
		ins(pfx + "single:")
	}
	ins(pfx + "single_loop:")
	ins(kern.fastOne.text(e)...)
	loopEnd(1, pfx+"single_loop")
	ins(
		pfx+"tail:",
		fmt.Sprintf("CBZ %s, %sdone", rN, pfx),
	)
	ins(tl.text(e)...)
	ins(pfx+"done:", "RET")
	// rerun prints the code a block the fast check rejected runs, main
	// and single-vector, under labels loop_<name> and single_<name>: the
	// block's loads had advanced the input pointers, so it loads the
	// block again, then resumes the fast loops.
	rewind := func(bytes int) []string {
		var out []string
		for j := f.outs; j < f.outs+nin; j++ {
			out = append(out, fmt.Sprintf("SUB $%d, %s, %s", bytes, rPtr(j), rPtr(j)))
		}
		return out
	}
	rerun := func(name string, main, one *prog) {
		if u > 1 {
			ins(pfx + "loop_" + name + ":")
			ins(rewind(16 * u)...)
			ins(main.text(e)...)
			mainEnd()
			ins(fmt.Sprintf("B %ssingle", pfx))
		}
		ins(pfx + "single_" + name + ":")
		ins(rewind(16)...)
		ins(one.text(e)...)
		loopEnd(1, pfx+"single_loop")
		ins(fmt.Sprintf("B %stail", pfx))
	}
	if f.tiny {
		// (Its own check branches to the safe code.)
		rerun("tiny", kern.tinyMain, kern.tinyOne)
	}
	rerun("safe", kern.main, one)
	kern.text = b.String()
	if layout.hasData() {
		kern.dataText = layout.data() + "\n"
	}
	return kern
}

// arm64Kernels generates every arm64 function.
func arm64Kernels() []*arm64Kernel {
	var ks []*arm64Kernel
	for _, v := range arm64Variants {
		for _, f := range arm64Funcs(v) {
			ks = append(ks, genARM64(v, f))
		}
	}
	return ks
}

// asmLines returns a function that writes lines of assembly to b: labels
// (ending in a colon) as they are, instructions indented.
func asmLines(b *strings.Builder) func(lines ...string) {
	return func(lines ...string) {
		for _, l := range lines {
			if strings.HasSuffix(l, ":") {
				b.WriteString(l + "\n")
			} else {
				b.WriteString("\t" + l + "\n")
			}
		}
	}
}

// arm64Files returns the text of the assembly file and of the stub file;
// args are the generator's arguments, for the header.
func arm64Files(pkg string, args []string) (asm, stubs string) {
	header := "// Code generated by command: go run . " + strings.Join(args, " ") + ". DO NOT EDIT.\n\n//go:build !purego\n\n"
	var s, g strings.Builder
	s.WriteString(header)
	s.WriteString("#include \"textflag.h\"\n")
	g.WriteString(header)
	fmt.Fprintf(&g, "package %s\n", pkg)
	for _, k := range arm64Kernels() {
		s.WriteString("\n" + k.dataText + k.text)
		fmt.Fprintf(&g, "\n// %s\n", k.f.doc)
		g.WriteString("//\n//go:noescape\n")
		typ := " []" + k.f.elem.name
		fmt.Fprintf(&g, "func %s(%s)\n", k.f.fn, strings.Join(k.f.params, typ+", ")+typ)
	}
	for _, v := range arm64Variants {
		text, decl := neonSums(v)
		s.WriteString(text)
		g.WriteString(decl)
	}
	return s.String(), g.String()
}
