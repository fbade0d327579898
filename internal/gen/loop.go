package main

import (
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
	extra := []*constant{c.absMask, c.half, c.fastBits, c.zero, c.twoToS, c.subAdder}
	if v.elem == f32 {
		extra = append(extra, c.dropLastBit)
	}
	if m.avx512 {
		extra = append(extra, c.minExpFloat)
	} else {
		extra = append(extra, c.minExpField, c.oneBits)
		if v.elem == f64 {
			extra = append(extra, c.pairIdx)
		}
	}
	m.declare(extra...)
	needs := map[bool]string{true: "AVX-512F and AVX-512DQ", false: "AVX2 and FMA"}[m.avx512]

	m.gen(elementwise{
		fn:     v.fn,
		doc:    "sets dst[i] = 1/(1+exp(-src[i])) for i < min(len(dst), len(src)). It needs " + needs + ".",
		params: []string{"dst", "src"},
		unroll: amd64Unroll[v.name],
		split:  true,
		body: func(m *x86, in []vregs) vregs {
			return sigmoid(m, m.k, in[0]).(vregs)
		},
	})
	m.gen(elementwise{
		fn:     strings.Replace(v.fn, "Sigmoid", "SigmoidBackward", 1),
		doc:    "sets dx[i] = dy[i]·y[i]·(1-y[i]) for i below the shortest length. It needs " + needs + ".",
		params: []string{"dx", "dy", "y"},
		unroll: 4,
		body: func(m *x86, in []vregs) vregs {
			// y - y·y is one rounding (FMA) where y·(1-y) would be two, then
			// the product with dy: within 1 ULP.
			dy, y := in[0], in[1]
			m.each(func(i int) { m.ops.fnmadd213(y[i], y[i], y[i]) })
			m.each(func(i int) { m.ops.mul(dy[i], y[i], y[i]) })
			return y
		},
	})
}

// streamMin is the length from which a kernel writes with non-temporal
// stores: 8 MiB a slice, past L2 and a good part of L3, where skipping the
// read of dst's lines pays (the backward pass at 2^24: 23.9 -> 30.6 GB/s;
// at 2^20, still in L3 here, streaming was slower for the sigmoid).
const streamMin = 1 << 21

// elementwise is one generated function out[i] = f(in0[i], in1[i], …) over
// the shortest of its slices: an unrolled main loop, a one-vector loop, then
// one masked vector for the remainder, so no byte outside the slices is
// touched.
type elementwise struct {
	fn, doc string
	params  []string // Go parameter names, all slices of the element type; the first is the output
	unroll  int
	body    func(m *x86, in []vregs) vregs
	// split sends each block with some |in[0]| > fastLimit, or a NaN, to
	// the body in safe mode, one vector at a time; the rest, and the whole
	// body when split is false, run in fast mode. The masked remainder
	// always runs in safe mode.
	split bool
}

func (m *x86) gen(e elementwise) {
	TEXT(e.fn, NOSPLIT, "func("+strings.Join(e.params, ", ")+" []"+m.v.elem.name+")")
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

	// block emits a loop over u vectors a pass; with stream, the stores
	// are non-temporal (dst must then be vector-aligned).
	block := func(name string, u int, stream bool) {
		store := func(y reg.VecVirtual, mem Mem) {
			if stream {
				VMOVNTPS(y, mem)
			} else {
				VMOVUPS(y, mem)
			}
		}
		Label(name)
		CMPQ(n, U32(u*lanes))
		JB(LabelRef(name + "_end"))
		mu := m.with(u)
		xs := load(mu, 0)
		if e.split {
			mu.abs = mu.branchUnlessFast(xs[0], name+"_safe")
		}
		y := e.body(mu, xs)
		mu.each(func(i int) { store(y[i], Mem{Base: out, Disp: i * bytes}) })
		if e.split {
			JMP(LabelRef(name + "_next"))
			// The safe code needs more registers: one vector at a time,
			// each loaded again.
			Label(name + "_safe")
			m1 := m.with(1)
			m1.safe = true
			for i := range u {
				y := e.body(m1, load(m1, i*bytes))
				store(y[0], Mem{Base: out, Disp: i * bytes})
			}
			Label(name + "_next")
		}
		for _, p := range ptr {
			ADDQ(U32(u*bytes), p)
		}
		SUBQ(U32(u*lanes), n)
		JMP(LabelRef(name))
		Label(name + "_end")
	}

	// partial emits the processing of the first cnt < lanes elements at
	// the pointers, in safe mode, touching no byte past them.
	m1 := m.with(1)
	m1.safe = true
	var buf Mem
	if !m.avx512 {
		buf = AllocLocal(bytes * len(e.params))
	}
	partial := func(name string, cnt reg.GPVirtual) {
		if m.avx512 {
			// Lanes [0, cnt) of an opmask: masked-off lanes are neither
			// loaded nor stored, so they cannot fault.
			bits, k := GP32(), K()
			MOVL(U32(1), bits)
			SHLXL(cnt.As32(), bits, bits)
			DECL(bits)
			KMOVW(bits, k)
			xs := make([]vregs, len(ins))
			for j, p := range ins {
				xs[j] = m1.newv()
				m.ops.movZ(Mem{Base: p}, k, xs[j][0])
			}
			y := e.body(m1, xs)
			if size == 4 {
				VMOVUPS(y[0], k, Mem{Base: out})
			} else {
				VMOVUPD(y[0], k, Mem{Base: out})
			}
			return
		}
		// VMASKMOVPS may fault on masked-off lanes on some CPUs (AMD calls
		// it implementation dependent, qemu does): the elements go through
		// a zeroed vector on the stack, one at a time.
		zero := m1.newv()[0]
		VXORPS(zero, zero, zero)
		for j := range e.params {
			VMOVUPS(zero, buf.Offset(j*bytes))
		}
		i, t := GP64(), GP64()
		mov := m.ops.movScalar
		if size == 4 {
			t = GP32()
		}
		XORQ(i, i)
		Label(name + "_in")
		for j, p := range ins {
			mov(Mem{Base: p, Index: i, Scale: uint8(size)}, t)
			mov(t, buf.Offset((j+1)*bytes).Idx(i, uint8(size)))
		}
		INCQ(i)
		CMPQ(i, cnt)
		JB(LabelRef(name + "_in"))
		xs := make([]vregs, len(ins))
		for j := range ins {
			xs[j] = m1.newv()
			VMOVUPS(buf.Offset((j+1)*bytes), xs[j][0])
		}
		y := e.body(m1, xs)
		VMOVUPS(y[0], buf)
		XORQ(i, i)
		Label(name + "_out")
		mov(buf.Idx(i, uint8(size)), t)
		mov(t, Mem{Base: out, Index: i, Scale: uint8(size)})
		INCQ(i)
		CMPQ(i, cnt)
		JB(LabelRef(name + "_out"))
	}

	// Slices far larger than the caches are written with non-temporal
	// stores, which skip reading dst's lines in first: dst is aligned to a
	// vector by a partial head, then streamed.
	CMPQ(n, U32(streamMin))
	JB(LabelRef(e.fn + "_loop"))
	head := GP64()
	MOVQ(out, head)
	NEGQ(head)
	ANDQ(U32(bytes-1), head)
	SHRQ(U8(log2(size)), head)
	JZ(LabelRef(e.fn + "_stream"))
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

// branchUnlessFast jumps to label when any lane of x has |x| > fastLimit or
// is NaN: as integers, |x|'s bits order like |x|, and NaNs sort above ±Inf,
// so one unsigned maximum over the block and one compare decide. It
// returns |x|, which the fast code needs next.
func (m *x86) branchUnlessFast(x vregs, label string) vregs {
	abs := m.newv()
	m.each(func(i int) { VANDPS(m.op(m.c.absMask), x[i], abs[i]) })
	big := abs[0]
	for i := 1; i < m.unroll; i++ {
		t := m.with(1).newv()[0]
		VPMAXUD(abs[i], big, t)
		big = t
	}
	if m.avx512 {
		k := K()
		VPCMPGTD(m.op(m.c.fastBits), big, k)
		KORTESTW(k, k)
	} else {
		t := m.with(1).newv()[0]
		VPCMPGTD(m.op(m.c.fastBits), big, t)
		VPTEST(t, t)
	}
	JNZ(LabelRef(label))
	return abs
}
