package main

import (
	"fmt"
	"strings"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// amd64Unroll is how many vectors one main-loop iteration processes: as
// many as the registers hold without spilling. AVX2 has 16 YMM registers
// and must not touch Y16-Y31, which exist only with AVX-512
// (TestAVX2LowRegisters); the safe code runs one vector at a time.
var amd64Unroll = map[string]int{"avx512": 4, "avx2": 2}

// genAMD64 emits the kernels of one amd64 variant: Sigmoid<suffix> and
// SigmoidBackward<suffix>.
func genAMD64(v variant) {
	m := newX86(v)
	c := m.c
	extra := []*constant{c.absMask, c.half, c.fastBits, c.zero, c.twoToS, c.subAdder, c.dropLastBit}
	if m.avx512 {
		extra = append(extra, c.minExpFloat)
	} else {
		extra = append(extra, c.minExpField, c.oneBits)
		if v.elem == f64 {
			extra = append(extra, c.pairIdx)
		}
	}
	m.declare(extra...)
	// needs and needsBackward are the features the functions' "Requires:"
	// lines name, less those every CPU with the rest has: AVX (implied by
	// AVX2 and AVX-512F) and MMX+ (SFENCE, part of the SSE baseline).
	// TestAsmFeatures in package kernels checks them.
	needs := map[bool]string{true: "AVX-512F, AVX-512DQ, BMI2 and CMOV", false: "AVX2, FMA and CMOV"}[m.avx512]
	needsBackward := map[bool]string{true: "AVX-512F, BMI2 and CMOV", false: "AVX, FMA and CMOV"}[m.avx512]
	streamDoc := " With stream set, dst is written with non-temporal stores, which pays for slices much larger than the caches."

	m.gen(elementwise{
		fn:     v.fn,
		doc:    "sets dst[i] = 1/(1+exp(-src[i])) for i < min(len(dst), len(src))." + streamDoc + " It needs " + needs + ".",
		params: []string{"dst", "src"},
		unroll: amd64Unroll[v.name],
		body: func(m *x86, in []vregs) vregs {
			return sigmoidFast(m, m.k, in[0]).(vregs)
		},
		safe: func(m *x86, in []vregs) vregs {
			return sigmoidSafe(m, m.k, in[0]).(vregs)
		},
	})
	m.gen(elementwise{
		fn:     strings.Replace(v.fn, "Sigmoid", "SigmoidBackward", 1),
		doc:    "sets dx[i] = dy[i]·y[i]·(1-y[i]) for i below the shortest length; a NaN dy gives that NaN quieted, else a NaN y gives that NaN quieted." + streamDoc + " It needs " + needsBackward + ".",
		params: []string{"dx", "dy", "y"},
		unroll: 4,
		body: func(m *x86, in []vregs) vregs {
			// y - y·y is one rounding (FMA) where y·(1-y) would be two, then
			// the product with dy: within 1 ULP. dy is the product's first
			// source operand, whose NaN x86 returns when both are NaN: a
			// NaN dy wins over a NaN y, as in the NEON and Go kernels.
			dy, y := in[0], in[1]
			m.each(func(i int) { m.ops.fnmadd213(y[i], y[i], y[i]) })
			m.each(func(i int) { m.ops.mul(y[i], dy[i], y[i]) })
			return y
		},
	})
}

// elementwise is one generated function out[i] = f(in0[i], in1[i], …) over
// the shortest of its slices: an unrolled main loop, a one-vector loop, then
// one partial vector for the remainder, so no byte outside the slices is
// touched.
type elementwise struct {
	fn, doc string
	params  []string // Go parameter names, all slices of the element type; the first is the output
	unroll  int
	// body is the fast code. When safe is set, body starts with
	// requireFast, and blocks it sends away run safe, one vector at a
	// time.
	body, safe func(m *x86, in []vregs) vregs
}

func (m *x86) gen(e elementwise) {
	TEXT(e.fn, NOSPLIT, "func("+strings.Join(e.params, ", ")+" []"+m.v.elem.name+", stream bool)")
	Pragma("noescape")
	Doc(e.fn + " " + e.doc)
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
	m.loadRegs(m.k.one)
	size := m.v.elem.bytes
	lanes, bytes := m.lanes(), size*m.lanes()
	out, ins := ptr[0], ptr[1:]
	load := func(m *x86, disp int) []vregs {
		xs := make([]vregs, len(ins))
		for j, p := range ins {
			xs[j] = m.newv()
			m.each(func(i int) { VMOVUPS(Mem{Base: p, Disp: disp + i*bytes}, xs[j][i]) })
		}
		return xs
	}

	// run emits body on the inputs that load gives, then store; with a
	// safe body, blocks that fail requireFast are loaded again and run
	// safe one vector at a time (the safe code needs more registers).
	run := func(name string, mu *x86, load func(m *x86, i int) []vregs, store func(y reg.VecVirtual, i int)) {
		mu.safeLabel = name + "_safe"
		y := e.body(mu, load(mu, -1))
		mu.each(func(i int) { store(y[i], i) })
		if e.safe == nil {
			return
		}
		JMP(LabelRef(name + "_next"))
		Label(name + "_safe")
		m1 := m.with(1)
		m1.safe = true
		for i := range mu.unroll {
			y := e.safe(m1, load(m1, i))
			store(y[0], i)
		}
		Label(name + "_next")
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
		run(name, m.with(u), loadAt, func(y reg.VecVirtual, i int) {
			if stream {
				VMOVNTPS(y, Mem{Base: out, Disp: i * bytes})
			} else {
				VMOVUPS(y, Mem{Base: out, Disp: i * bytes})
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
		if m.avx512 {
			// Lanes [0, cnt) of an opmask: masked-off lanes are neither
			// loaded nor stored, so they cannot fault, and load as 0, which
			// the fast code takes.
			bits, k := GP32(), K()
			MOVL(U32(1), bits)
			SHLXL(cnt.As32(), bits, bits)
			DECL(bits)
			KMOVW(bits, k)
			loadMasked := func(m *x86, _ int) []vregs {
				xs := make([]vregs, len(ins))
				for j, p := range ins {
					xs[j] = m.newv()
					m.ops.movZ(Mem{Base: p}, k, xs[j][0])
				}
				return xs
			}
			run(name, m.with(1), loadMasked, func(y reg.VecVirtual, _ int) {
				if size == 4 {
					VMOVUPS(y, k, Mem{Base: out})
				} else {
					VMOVUPD(y, k, Mem{Base: out})
				}
			})
			return
		}
		// AVX2 has no masked access that cannot fault on a masked-off lane
		// (AMD leaves VMASKMOVPS's behaviour there to the implementation):
		// cnt elements are loaded as two overlapping halves of cnt rounded
		// down to a power of two lanes, the first and the last ones, and
		// stored back the same way, the last half first: lanes loaded twice
		// hold the same input, so they get the same result.
		loadHalves := func(m *x86, _ int) []vregs {
			xs := make([]vregs, len(ins))
			for j := range ins {
				xs[j] = m.newv()
			}
			m.halves(name+"_load", cnt, func(w int, lo, hi reg.VecVirtual) {
				for j, p := range ins {
					x := xs[j][0]
					loadHalf(w, Mem{Base: p}, x.AsX())
					if hi == nil {
						continue
					}
					t := XMM()
					loadHalf(w, Mem{Base: p, Index: cnt, Scale: uint8(size), Disp: -w}, t)
					combineHalves(w, t, x)
				}
			})
			return xs
		}
		run(name, m.with(1), loadHalves, func(y reg.VecVirtual, _ int) {
			m.halves(name+"_store", cnt, func(w int, lo, hi reg.VecVirtual) {
				if hi != nil {
					storeHigh(w, y, Mem{Base: out, Index: cnt, Scale: uint8(size), Disp: -w})
				}
				storeHalf(w, y.AsX(), Mem{Base: out})
			})
		})
	}

	// With stream set, dst is aligned to a vector by a partial head, then
	// written with non-temporal stores, which skip reading its lines in.
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
	for w := 16; w >= size; w /= 2 {
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

// halvesEmitted numbers the dispatches on cnt, for unique labels.
var halvesEmitted int

// loadHalf loads w bytes into x's low bytes, zeroing the rest.
func loadHalf(w int, mem Mem, x reg.Register) {
	switch w {
	case 16:
		VMOVUPS(mem, x)
	case 8:
		VMOVSD(mem, x)
	default:
		VMOVSS(mem, x)
	}
}

// combineHalves puts the w-byte half h just above x's low w bytes.
func combineHalves(w int, h reg.Register, x reg.VecVirtual) {
	switch w {
	case 16:
		VINSERTF128(U8(1), h, x.AsY(), x.AsY())
	case 8:
		VMOVLHPS(h, x.AsX(), x.AsX())
	default:
		panic("combineHalves: one element needs no second half")
	}
}

// storeHigh stores the w bytes of y just above its low w bytes.
func storeHigh(w int, y reg.VecVirtual, mem Mem) {
	switch w {
	case 16:
		VEXTRACTF128(U8(1), y.AsY(), mem)
	case 8:
		VMOVHPS(y.AsX(), mem)
	default:
		panic("storeHigh: one element needs no second half")
	}
}

// storeHalf stores x's low w bytes.
func storeHalf(w int, x reg.Register, mem Mem) {
	switch w {
	case 16:
		VMOVUPS(x, mem)
	case 8:
		VMOVSD(x, mem)
	default:
		VMOVSS(x, mem)
	}
}
