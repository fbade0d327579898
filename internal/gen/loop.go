package main

import (
	"fmt"
	"regexp"
	"strings"
	_ "unsafe" // for go:linkname

	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/ir"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/pass"
	"github.com/mmcloughlin/avo/printer"
	"github.com/mmcloughlin/avo/reg"
)

// maxAMD64Unroll bounds the search for a main loop's unroll factor: each
// function takes the largest whose code avo's allocator fits in the
// vector registers without spilling (AVX2 has 16 YMM registers and must
// not touch Y16-Y31, which exist only with AVX-512: TestAVX2LowRegisters).
const maxAMD64Unroll = 8

// minHotUnroll is the fewest vectors a pass worth keeping the hot
// constants in registers for: with fewer, the loop has too few
// independent chains to hide the arithmetic's latency. (Zen 5, n = 4096,
// medians of 7 interleaved runs: SigmoidAVX512 at 5 vectors, hot, 0.140
// ns per element against 0.147 at 6, not; SiLUBackwardAVX512 at 2, hot,
// 0.356 against 0.315 at 3, not; SiLUBackward64AVX512 0.809 against
// 0.757.)
const minHotUnroll = 3

// avoContext is avo's global build context, which the dot-imported
// instruction functions write to: swapped for a fresh one to try an
// unroll factor, so that a failed try leaves nothing behind.
//
//go:linkname avoContext github.com/mmcloughlin/avo/build.ctx
var avoContext *build.Context

// amd64Files returns the text of the amd64 assembly file and of its Go
// declarations; args are the generator's arguments, for the header.
func amd64Files(pkg string, args []string) (asm, stubs []byte) {
	// The largest unroll that allocates with the hot constants in
	// registers (AVX-512: see gen), if that is at least minHotUnroll, else
	// the largest without them; then the safe code two vectors at a time
	// if that fits too.
	type choice struct {
		unroll, safeUnroll int
		hot                bool
		needs              string
	}
	chosen := map[string]choice{}
	for _, v := range variants {
		for _, f := range functions {
			// fits reports whether f allocates at unroll u, its safe code
			// su vectors at a time, and its ISA.
			fits := func(u, su int, hot bool) (bool, string) {
				if u%su != 0 {
					return false, ""
				}
				var file *ir.File
				err := compileAMD64(func() { newX86(v).gen(f, u, su, hot, "") }, &file)
				if err == nil && v.name != "avx512" {
					err = lowRegistersOnly()
				}
				if err != nil {
					return false, ""
				}
				return true, features(file.Functions()[0].ISA)
			}
			// More vectors a pass never need fewer registers: the largest
			// unroll that fits (its safe code one vector at a time, which
			// needs the fewest) is found by bisection, hot first.
			var c choice
			for _, hot := range []bool{true, false} {
				lo, hi := 1, maxAMD64Unroll // lo-1 fits (or is 0), hi+1 does not
				if f.maxUnroll > 0 && v.elem == f32 {
					hi = f.maxUnroll
				}
				if hot {
					lo = minHotUnroll
				}
				first := lo
				for lo <= hi {
					mid := (lo + hi) / 2
					if ok, _ := fits(mid, 1, hot); ok {
						lo = mid + 1
					} else {
						hi = mid - 1
					}
				}
				if u := lo - 1; u >= first {
					c = choice{unroll: u, safeUnroll: 1, hot: hot}
					break
				}
			}
			if c.unroll == 0 {
				panic(fmt.Sprintf("%s: no unroll fits the registers", f.symbol(v)))
			}
			if ok, needs := fits(c.unroll, 2, c.hot); ok {
				c.safeUnroll, c.needs = 2, needs
			} else {
				_, c.needs = fits(c.unroll, 1, c.hot)
			}
			chosen[f.symbol(v)] = c
		}
	}
	var file *ir.File
	err := compileAMD64(func() {
		ConstraintExpr("!purego")
		for _, v := range variants {
			m := newX86(v)
			for _, f := range functions {
				c := chosen[f.symbol(v)]
				m.gen(f, c.unroll, c.safeUnroll, c.hot, c.needs)
			}
		}
		for _, v := range variants {
			genSumsX86(v)
		}
	}, &file)
	if err != nil {
		panic(err)
	}
	cfg := printer.Config{Argv: append([]string{"go", "run", "."}, args...), Pkg: pkg}
	asm, err = printer.NewGoAsm(cfg).Print(file)
	if err != nil {
		panic(err)
	}
	stubs, err = printer.NewStubs(cfg).Print(file)
	if err != nil {
		panic(err)
	}
	return asm, stubs
}

// compileAMD64 runs emit on a fresh avo context and compiles the result
// (register allocation included), storing it in out if given.
func compileAMD64(emit func(), out ...**ir.File) error {
	avoContext = build.NewContext()
	emit()
	f, err := avoContext.Result()
	if err != nil {
		return err
	}
	if err := pass.FunctionPass(pruneDeadLoads).Execute(f); err != nil {
		return err
	}
	if err := pass.Compile.Execute(f); err != nil {
		return err
	}
	for _, o := range out {
		*o = f
	}
	return nil
}

// pruneDeadLoads removes the loads from memory whose register nothing
// reads: the loops load every input up front, and a code that holds an
// input (to load it again where it needs it) leaves that first load dead,
// which avo would otherwise allocate and emit (286 loads in all; AMD Zen
// 4, n = 4096, medians of 5 interleaved runs: BCEWithLogitsBackward 2,196
// to 2,124 ns on AVX-512, 3,384 to 3,232 on AVX2, SwiGLU 1,688 to 1,643,
// no function slower). Liveness is avo's own analysis, run here before
// its compile runs it again.
func pruneDeadLoads(fn *ir.Function) error {
	for _, p := range []pass.FunctionPass{pass.PruneJumpToFollowingLabel, pass.PruneDanglingLabels, pass.LabelTarget, pass.CFG, pass.Liveness} {
		if err := p(fn); err != nil {
			return err
		}
	}
	keep := fn.Nodes[:0]
	for _, n := range fn.Nodes {
		if i, ok := n.(*ir.Instruction); !ok || !deadLoad(i) {
			keep = append(keep, n)
		}
	}
	fn.Nodes = keep
	// The compile builds the graph again; CFG appends to these.
	for _, i := range fn.Instructions() {
		i.Succ, i.Pred = nil, nil
	}
	return nil
}

// deadLoad reports whether i is an unmasked vector load from memory whose
// register is not live after it.
func deadLoad(i *ir.Instruction) bool {
	if i.Opcode != "VMOVUPS" && i.Opcode != "VMOVUPD" || len(i.Operands) != 2 || !IsMem(i.Operands[0]) {
		return false
	}
	r, ok := i.Operands[1].(reg.Register)
	return ok && i.LiveOut[r.ID()]&r.Mask() == 0
}

// highVector matches X16-X31 and Y16-Y31, which exist only with AVX-512.
var highVector = regexp.MustCompile(`\b[XY](1[6-9]|2[0-9]|3[01])\b`)

// lowRegistersOnly reports whether the code compiled last uses a vector
// register that needs AVX-512: avo's allocator takes them for YMM values
// too, and an AVX2 kernel must run where they do not exist.
func lowRegistersOnly() error {
	f, err := avoContext.Result()
	if err != nil {
		return err
	}
	text, err := printer.NewGoAsm(printer.Config{}).Print(f)
	if err != nil {
		return err
	}
	if r := highVector.Find(text); r != nil {
		return fmt.Errorf("uses %s", r)
	}
	return nil
}

// features names the CPU features of avo's ISA list for the docs, less
// those the others imply: AVX, which every CPU with AVX2 or AVX-512F has,
// and MMX+ (SFENCE), part of every amd64 CPU's SSE baseline.
func features(isa []string) string {
	has := map[string]bool{}
	for _, f := range isa {
		has[f] = true
	}
	names := map[string]string{"AVX512F": "AVX-512F", "AVX512DQ": "AVX-512DQ", "FMA3": "FMA"}
	var out []string
	for _, f := range isa {
		if f == "MMX+" || f == "AVX" && (has["AVX2"] || has["AVX512F"]) {
			continue
		}
		if n, ok := names[f]; ok {
			f = n
		}
		out = append(out, f)
	}
	if len(out) == 1 {
		return out[0]
	}
	return strings.Join(out[:len(out)-1], ", ") + " and " + out[len(out)-1]
}

// gen emits f for m's variant, its main loop unroll vectors a pass and
// its safe code safeUnroll (1 or 2) at a time (AVX-512 float32 blocks of
// subnormal results: 2.7 -> 2.4 times the time of normal ones); with
// hot, on AVX-512 (32 registers), the constants every vector of the fast
// code reads stay in registers (at four vectors a pass the sigmoid then
// took 1.41-1.45 times XNNPACK's time instead of 1.50-1.55, same run);
// needs names the CPU features its code needs, for the doc.
func (m *x86) gen(f function, unroll, safeUnroll int, hot bool, needs string) {
	m.hot = hot && m.avx512
	if m.consts.Symbol.Name == "" {
		m.declare()
	}
	adapt := func(g func(machine, *consts, []value) value) func(*x86, []vregs) []vregs {
		if g == nil {
			return nil
		}
		return func(m *x86, in []vregs) []vregs {
			vs := make([]value, len(in))
			for i, x := range in {
				vs[i] = x
			}
			var ys []vregs
			for _, y := range asValues(g(m, m.k, vs)) {
				ys = append(ys, y.(vregs))
			}
			return ys
		}
	}
	m.genLoop(elementwise{
		fn:         f.raw(m.v),
		sig:        f.decl(m.v, "stream bool"),
		doc:        f.doc(m.v, f.streamDoc(), needs),
		params:     f.params,
		outs:       len(f.outs()),
		unroll:     unroll,
		safeUnroll: safeUnroll,
		prefetch:   f.prefetch,
		hotExp:     f.hotExp(m.k),
		body:       adapt(f.fast),
		tiny:       adapt(f.tiny),
		safe:       adapt(f.safe),
	})
}

// elementwise is one generated function out[i] = f(in0[i], in1[i], …) over
// the shortest of its slices: an unrolled main loop, a one-vector loop, then
// one partial vector for the remainder, so no byte outside the slices is
// touched.
type elementwise struct {
	fn, sig, doc string
	params       []string // Go parameter names, all slices of the element type; the outputs first
	outs         int      // how many of params are outputs
	unroll       int
	safeUnroll   int // vectors the safe code takes at a time
	prefetch     int // bytes ahead the main loop prefetches its inputs (0: none)
	hotExp       *expConsts
	// body is the fast code; blocks its checks send away run tiny if set,
	// and blocks those send away run safe, safeUnroll vectors at a time.
	// Each returns one result per output.
	body, tiny, safe func(m *x86, in []vregs) []vregs
}

func (m *x86) genLoop(e elementwise) {
	halvesEmitted = 0
	TEXT(e.fn, NOSPLIT, e.sig)
	Pragma("noescape")
	Doc(e.doc)
	if m.hot {
		Comment(fmt.Sprintf("Main loop: %d vectors a pass (the most that fit the registers with the hot constants).", e.unroll))
	} else {
		Comment(fmt.Sprintf("Main loop: %d vectors a pass (the most that fit the registers).", e.unroll))
	}
	Comment(fmt.Sprintf("Safe code: %d vectors at a time.", e.safeUnroll))
	ptr := make([]reg.Register, len(e.params))
	n := GP64()
	for i, p := range e.params {
		ptr[i] = Load(Param(p).Base(), GP64())
		if i == 0 {
			Load(Param(p).Len(), n)
			continue
		}
		l := Load(Param(p).Len(), GP64())
		CMPQ(l, n)
		CMOVQLT(l, n)
	}
	m.loadBase()
	regs := []*constant{m.k.one}
	if m.hot {
		regs = append(regs, m.k.magic, e.hotExp.negLog2e, e.hotExp.ln2hi, e.hotExp.ln2lo)
	}
	m.loadRegs(regs...)
	size := m.v.elem.bytes
	lanes, bytes := m.lanes(), size*m.lanes()
	outs, ins := ptr[:e.outs], ptr[e.outs:]
	out := outs[0]
	load := func(m *x86, disp int) []vregs {
		xs := make([]vregs, len(ins))
		for j, p := range ins {
			xs[j] = m.newv()
			m.each(func(i int) {
				mem := Mem{Base: p, Disp: disp + i*bytes}
				VMOVUPS(mem, xs[j][i])
				m.loadedFrom[xs[j][i]] = mem
			})
		}
		return xs
	}

	// run emits body on the inputs that load gives, then store; blocks
	// that fail its checks are loaded again and run tiny, then those that
	// fail its checks safe, safeUnroll vectors at a time (the safe code
	// needs more registers). Tiny code has the
	// registers of fast code: it runs the whole block at once.
	run := func(name string, mu *x86, load func(m *x86, i int) []vregs, store func(y reg.VecVirtual, i, k int)) {
		safe, next := name+"_safe", name+"_next"
		mu.safeLabel = safe
		if e.tiny != nil {
			mu.safeLabel = name + "_tiny"
		}
		storeAll := func(m *x86, ys []vregs, first int) {
			for k, y := range ys {
				m.each(func(i int) { store(y[i], first+i, k) })
			}
		}
		storeAll(mu, e.body(mu, load(mu, -1)), 0)
		JMP(LabelRef(next))
		if e.tiny != nil {
			Label(name + "_tiny")
			mt := m.with(mu.unroll)
			mt.safeLabel = safe
			storeAll(mt, e.tiny(mt, load(mt, -1)), 0)
			JMP(LabelRef(next))
		}
		Label(safe)
		su := e.safeUnroll
		if mu.unroll%su != 0 { // the one-vector loop
			su = 1
		}
		ms := m.with(su)
		for i := 0; i < mu.unroll; i += su {
			storeAll(ms, e.safe(ms, load(ms, i)), i)
		}
		Label(next)
	}

	// block emits a loop over u vectors a pass; with stream, the stores
	// are non-temporal (dst must then be vector-aligned).
	block := func(name string, u int, stream bool) {
		Label(name)
		CMPQ(n, U32(u*lanes))
		JB(LabelRef(name + "_end"))
		loadAt := func(m *x86, i int) []vregs {
			if i < 0 {
				return load(m, 0)
			}
			return load(m, i*bytes)
		}
		if d := e.prefetch; d > 0 && !stream {
			// A hint, not a load: it never faults, past the slices' ends
			// included, and reads nothing into registers.
			for _, p := range ins {
				for i := 0; i < u; i++ {
					PREFETCHT0(Mem{Base: p, Disp: d + i*bytes})
				}
			}
		}
		run(name, m.with(u), loadAt, func(y reg.VecVirtual, i, k int) {
			if stream {
				VMOVNTPS(y, Mem{Base: outs[k], Disp: i * bytes})
			} else {
				VMOVUPS(y, Mem{Base: outs[k], Disp: i * bytes})
			}
		})
		for _, p := range ptr {
			ADDQ(U32(u*bytes), p)
		}
		SUBQ(U32(u*lanes), n)
		JMP(LabelRef(name))
		Label(name + "_end")
	}

	// partial emits the processing of the first cnt elements at the
	// pointers, 0 < cnt < lanes, touching no byte past them.
	partial := func(name string, cnt reg.GPVirtual) {
		// cnt elements are loaded as two overlapping halves of cnt rounded
		// down to a power of two lanes, the first and the last ones, and
		// stored back the same way, the last half first: lanes loaded twice
		// hold the same input, so they get the same result. Every access
		// is exactly inside the slices: AVX2 has no masked access that
		// cannot fault on a masked-off lane (AMD leaves VMASKMOVPS's
		// behaviour there to the implementation), and AVX-512's masked
		// ones, which cannot, still overlap the bytes around the slice: a
		// call right after one that wrote next to its inputs (in place, or
		// a neighbouring small allocation) then waited for those stores,
		// 19 ns instead of 8 for one element on Zen 5.
		loadHalves := func(m *x86, _ int) []vregs {
			xs := make([]vregs, len(ins))
			for j := range ins {
				xs[j] = m.newv()
				// The halves write only part of it.
				defineWhole(xs[j][0])
			}
			m.halves(name+"_load", cnt, func(w int, lo, hi reg.VecVirtual) {
				for j, p := range ins {
					x := xs[j][0]
					loadHalf(w, Mem{Base: p}, asWidth(x, w))
					if hi == nil {
						continue
					}
					m.loadHigh(w, Mem{Base: p, Index: cnt, Scale: uint8(size), Disp: -w}, x)
				}
			})
			return xs
		}
		run(name, m.with(1), loadHalves, func(y reg.VecVirtual, _, k int) {
			m.halves(name+"_store", cnt, func(w int, lo, hi reg.VecVirtual) {
				if hi != nil {
					m.storeHigh(w, y, Mem{Base: outs[k], Index: cnt, Scale: uint8(size), Disp: -w})
				}
				storeHalf(w, asWidth(y, w), Mem{Base: outs[k]})
			})
		})
	}

	// With stream set, dst is aligned to a vector by a partial head, then
	// written with non-temporal stores, which skip reading its lines in.
	// (A function of several outputs ignores stream: one head cannot
	// align them all.)
	if e.outs == 1 {
		stream := Load(Param("stream"), GP8())
		TESTB(stream, stream)
		JZ(LabelRef(e.fn + "_loop"))
		head := GP64()
		MOVQ(out, head)
		NEGQ(head)
		ANDQ(U32(bytes-1), head)
		SHRQ(U8(log2(size)), head)
		JZ(LabelRef(e.fn + "_stream"))
		CMPQ(head, n)
		CMOVQGT(n, head)
		partial(e.fn+"_head", head)
		for _, p := range ptr {
			LEAQ(Mem{Base: p, Index: head, Scale: uint8(size)}, p)
		}
		SUBQ(head, n)
		// (AVX-512 streams two vectors a pass: at four, avo's allocator runs
		// out of registers for the function as a whole.)
		streamUnroll := e.unroll
		if m.avx512 {
			streamUnroll = max(1, e.unroll/2)
		}
		block(e.fn+"_stream", streamUnroll, true)
		SFENCE()

	}

	block(e.fn+"_loop", e.unroll, false)
	block(e.fn+"_single", 1, false)
	TESTQ(n, n)
	JZ(LabelRef(e.fn + "_done"))
	partial(e.fn+"_tail", n)
	Label(e.fn + "_done")
	VZEROUPPER()
	RET()
}

// halves emits the dispatch on cnt (0 < cnt < lanes) of the AVX2 partial
// vector: for each width w of a half, 16 bytes down to one element, the
// code for cnt in [w, 2w) elements' bytes calls f with the half width and
// whether a second, overlapping, half is needed (hi non-nil); the last
// width (one element) needs none.
func (m *x86) halves(name string, cnt reg.GPVirtual, f func(w int, lo, hi reg.VecVirtual)) {
	size := m.v.elem.bytes
	halvesEmitted++
	name = fmt.Sprintf("%s%d", name, halvesEmitted)
	done := name + "_done"
	for w := m.lanes() * size / 2; w >= size; w /= 2 {
		next := fmt.Sprintf("%s_%d", name, w/2)
		if w > size {
			CMPQ(cnt, U32(w/size))
			JB(LabelRef(next))
			f(w, nil, XMM())
			JMP(LabelRef(done))
			Label(next)
			continue
		}
		f(w, nil, nil)
	}
	Label(done)
}

// asWidth is x's register of w bytes (16 or 32), or its XMM for less.
func asWidth(x reg.VecVirtual, w int) reg.Register {
	if w == 32 {
		return x.AsY()
	}
	return x.AsX()
}

// halvesEmitted numbers the dispatches on cnt, for unique labels.
var halvesEmitted int

// loadHalf loads w bytes into x's low bytes, zeroing the rest.
func loadHalf(w int, mem Mem, x reg.Register) {
	switch w {
	case 32, 16:
		VMOVUPS(mem, x)
	case 8:
		VMOVSD(mem, x)
	default:
		VMOVSS(mem, x)
	}
}

// loadHigh loads w bytes from mem just above x's low w bytes, straight
// from memory: no register is needed for the half. (AVX-512 takes EVEX
// forms, which reach registers 16-31.)
func (m *x86) loadHigh(w int, mem Mem, x reg.VecVirtual) {
	switch {
	case w == 32:
		VINSERTF64X4(U8(1), mem, x.AsZ(), x.AsZ())
	case w == 16 && m.avx512:
		VINSERTF32X4(U8(1), mem, x.AsZ(), x.AsZ())
	case w == 16:
		VINSERTF128(U8(1), mem, x.AsY(), x.AsY())
	case w == 8:
		VMOVHPS(mem, x.AsX(), x.AsX())
	default:
		panic("loadHigh: one element needs no second half")
	}
}

// storeHigh stores the w bytes of y just above its low w bytes.
func (m *x86) storeHigh(w int, y reg.VecVirtual, mem Mem) {
	switch {
	case w == 32:
		VEXTRACTF64X4(U8(1), y.AsZ(), mem)
	case w == 16 && m.avx512:
		VEXTRACTF32X4(U8(1), y.AsZ(), mem)
	case w == 16:
		VEXTRACTF128(U8(1), y.AsY(), mem)
	case w == 8:
		VMOVHPS(y.AsX(), mem)
	default:
		panic("storeHigh: one element needs no second half")
	}
}

// storeHalf stores x's low w bytes.
func storeHalf(w int, x reg.Register, mem Mem) {
	switch w {
	case 32, 16:
		VMOVUPS(x, mem)
	case 8:
		VMOVSD(x, mem)
	default:
		VMOVSS(x, mem)
	}
}
