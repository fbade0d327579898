package kernels_test

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/simdsigmoid/sigmoid/internal/accuracy"
	"github.com/simdsigmoid/sigmoid/kernels"
)

// Same input, same bits: an element's result depends on its own inputs
// alone, not on the slice's length, offset or neighbours, and every kernel
// returns the generic kernel's bits. The tests here compare bits, not
// errors: accuracy is checked elsewhere.

// elementwise is one of the package's functions as run by a kernel, on one,
// two or three input slices (in[0] is dy for the backward passes, x or y
// last; BCEWithLogitsBackward's are dy, z and t).
type elementwise[F float] struct {
	name string
	run  func(k kernels.Kernel, out []F, in ...[]F)
	// inputs draws n inputs of each slice.
	inputs func(n int, seed uint64) [][]F
	// scalar is the function of one value, if there is one.
	scalar func(x F) F
	// paired makes the inputs of the sweeps and of goldenInputs from the
	// swept values x, if not as the other functions (x alone, or
	// hashedGradients(x) and x).
	paired func(x []F) [][]F
}

// elementwiseFuncs lists every function of element type F.
func elementwiseFuncs[F float]() []elementwise[F] {
	unary := func(name string, f func(k kernels.Kernel) any, scalar any) elementwise[F] {
		return elementwise[F]{name,
			func(k kernels.Kernel, out []F, in ...[]F) { f(k).(func(dst, src []F))(out, in[0]) },
			func(n int, seed uint64) [][]F { return [][]F{mixedInputs[F](n, seed)} },
			scalar.(func(x F) F), nil}
	}
	binary := func(name string, f func(k kernels.Kernel) any, xs func(n int, seed uint64) []F) elementwise[F] {
		return elementwise[F]{name,
			func(k kernels.Kernel, out []F, in ...[]F) { f(k).(func(dx, dy, x []F))(out, in[0], in[1]) },
			func(n int, seed uint64) [][]F {
				x := xs(n, seed)
				return [][]F{hashedGradients(x), x}
			}, nil, nil}
	}
	// products dy·σ(±x) meet dy of every scale: half of hashedGradients'
	// moved to an exponent anywhere in the type's range.
	product := func(name string, f func(k kernels.Kernel) any) elementwise[F] {
		e := binary(name, f, mixedInputs[F])
		e.inputs = func(n int, seed uint64) [][]F {
			x := mixedInputs[F](n, seed)
			return [][]F{wideGradients(x), x}
		}
		return e
	}
	// BCEWithLogits(loss, z, t): z is the swept value, t from
	// hashedTargets.
	bce := func(name string, f func(k kernels.Kernel) any) elementwise[F] {
		pair := func(z []F) [][]F { return [][]F{z, hashedTargets(z)} }
		return elementwise[F]{name,
			func(k kernels.Kernel, out []F, in ...[]F) { f(k).(func(loss, z, t []F))(out, in[0], in[1]) },
			func(n int, seed uint64) [][]F { return pair(mixedInputs[F](n, seed)) },
			nil, pair}
	}
	// SwiGLU(dst, gate, up): gate is the swept value, up of every scale
	// from wideGradients.
	swiglu := func(name string, f func(k kernels.Kernel) any) elementwise[F] {
		pair := func(g []F) [][]F { return [][]F{g, wideGradients(g)} }
		return elementwise[F]{name,
			func(k kernels.Kernel, out []F, in ...[]F) { f(k).(func(dst, gate, up []F))(out, in[0], in[1]) },
			func(n int, seed uint64) [][]F { return pair(mixedInputs[F](n, seed)) },
			nil, pair}
	}
	// BCEWithLogitsBackward(dz, dy, z, t): z is the swept value, dy of
	// every scale from wideGradients (of z's bits with some flipped, so
	// that dy's hash is not t's: hashedGradients and hashedTargets hash
	// the same bits alike) and t from hashedTargets.
	bceGrad := func(name string, f func(k kernels.Kernel) any) elementwise[F] {
		triple := func(z []F) [][]F {
			flipped := make([]F, len(z))
			for i, v := range z {
				flipped[i] = fromBits[F](bitsOf(v) ^ 0xbcedd)
			}
			return [][]F{wideGradients(flipped), z, hashedTargets(z)}
		}
		return elementwise[F]{name,
			func(k kernels.Kernel, out []F, in ...[]F) { f(k).(func(dz, dy, z, t []F))(out, in[0], in[1], in[2]) },
			func(n int, seed uint64) [][]F { return triple(mixedInputs[F](n, seed)) },
			nil, triple}
	}
	// BCEWithLogitsAndBackward(loss, dz, dy, z, t): bceGrad's inputs, the
	// two outputs folded into one (fold).
	bceBoth := func(name string, f func(k kernels.Kernel) any) elementwise[F] {
		e := bceGrad(name, f)
		e.run = func(k kernels.Kernel, out []F, in ...[]F) {
			dz := make([]F, len(out))
			f(k).(func(loss, dz, dy, z, t []F))(out, dz, in[0], in[1], in[2])
			for i, v := range dz {
				out[i] = fold(out[i], v)
			}
		}
		return e
	}
	// GLUBackward(da, db, dy, a, b) and SwiGLUBackward(dgate, dup, dy,
	// gate, up): the last input is swept, dy and the middle one of every
	// scale from wideGradients (dy of the swept bits with some flipped, as
	// bceGrad's); the two outputs are folded into one (fold), so that a
	// sweep computes each once and a difference in either shows.
	dual := func(name string, f func(k kernels.Kernel) any) elementwise[F] {
		triple := func(x []F) [][]F {
			flipped := make([]F, len(x))
			for i, v := range x {
				flipped[i] = fromBits[F](bitsOf(v) ^ 0x9a7d)
			}
			return [][]F{wideGradients(flipped), wideGradients(x), x}
		}
		return elementwise[F]{name,
			func(k kernels.Kernel, out []F, in ...[]F) {
				second := make([]F, len(out))
				f(k).(func(o1, o2, dy, a, b []F))(out, second, in[0], in[1], in[2])
				for i, v := range second {
					out[i] = fold(out[i], v)
				}
			},
			func(n int, seed uint64) [][]F { return triple(mixedInputs[F](n, seed)) },
			nil, triple}
	}
	sigmoidOutputs := func(n int, seed uint64) []F { _, y := backwardAnyInputs[F](n, seed); return y }
	if is64[F]() {
		return []elementwise[F]{
			unary("Sigmoid64", func(k kernels.Kernel) any { return k.Sigmoid64 }, kernels.SigmoidScalar64),
			unary("SiLU64", func(k kernels.Kernel) any { return k.SiLU64 }, kernels.SiLUScalar64),
			binary("SigmoidBackward64", func(k kernels.Kernel) any { return k.SigmoidBackward64 }, sigmoidOutputs),
			binary("SiLUBackward64", func(k kernels.Kernel) any { return k.SiLUBackward64 }, mixedInputs[F]),
			unary("Tanh64", func(k kernels.Kernel) any { return k.Tanh64 }, kernels.TanhScalar64),
			binary("TanhBackward64", func(k kernels.Kernel) any { return k.TanhBackward64 }, mixedInputs[F]),
			unary("Softplus64", func(k kernels.Kernel) any { return k.Softplus64 }, kernels.SoftplusScalar64),
			unary("LogSigmoid64", func(k kernels.Kernel) any { return k.LogSigmoid64 }, kernels.LogSigmoidScalar64),
			product("SoftplusBackward64", func(k kernels.Kernel) any { return k.SoftplusBackward64 }),
			product("LogSigmoidBackward64", func(k kernels.Kernel) any { return k.LogSigmoidBackward64 }),
			product("GLU64", func(k kernels.Kernel) any { return k.GLU64 }),
			bce("BCEWithLogits64", func(k kernels.Kernel) any { return k.BCEWithLogits64 }),
			swiglu("SwiGLU64", func(k kernels.Kernel) any { return k.SwiGLU64 }),
			bceGrad("BCEWithLogitsBackward64", func(k kernels.Kernel) any { return k.BCEWithLogitsBackward64 }),
			bceBoth("BCEWithLogitsAndBackward64", func(k kernels.Kernel) any { return k.BCEWithLogitsAndBackward64 }),
			dual("GLUBackward64", func(k kernels.Kernel) any { return k.GLUBackward64 }),
			dual("SwiGLUBackward64", func(k kernels.Kernel) any { return k.SwiGLUBackward64 }),
		}
	}
	return []elementwise[F]{
		unary("Sigmoid", func(k kernels.Kernel) any { return k.Sigmoid }, kernels.SigmoidScalar),
		unary("SiLU", func(k kernels.Kernel) any { return k.SiLU }, kernels.SiLUScalar),
		binary("SigmoidBackward", func(k kernels.Kernel) any { return k.SigmoidBackward }, sigmoidOutputs),
		binary("SiLUBackward", func(k kernels.Kernel) any { return k.SiLUBackward }, mixedInputs[F]),
		unary("Tanh", func(k kernels.Kernel) any { return k.Tanh }, kernels.TanhScalar),
		binary("TanhBackward", func(k kernels.Kernel) any { return k.TanhBackward }, mixedInputs[F]),
		unary("Softplus", func(k kernels.Kernel) any { return k.Softplus }, kernels.SoftplusScalar),
		unary("LogSigmoid", func(k kernels.Kernel) any { return k.LogSigmoid }, kernels.LogSigmoidScalar),
		product("SoftplusBackward", func(k kernels.Kernel) any { return k.SoftplusBackward }),
		product("LogSigmoidBackward", func(k kernels.Kernel) any { return k.LogSigmoidBackward }),
		product("GLU", func(k kernels.Kernel) any { return k.GLU }),
		bce("BCEWithLogits", func(k kernels.Kernel) any { return k.BCEWithLogits }),
		swiglu("SwiGLU", func(k kernels.Kernel) any { return k.SwiGLU }),
		bceGrad("BCEWithLogitsBackward", func(k kernels.Kernel) any { return k.BCEWithLogitsBackward }),
		bceBoth("BCEWithLogitsAndBackward", func(k kernels.Kernel) any { return k.BCEWithLogitsAndBackward }),
		dual("GLUBackward", func(k kernels.Kernel) any { return k.GLUBackward }),
		dual("SwiGLUBackward", func(k kernels.Kernel) any { return k.SwiGLUBackward }),
	}
}

// fold is the bits of x XOR those of y rotated (by 13 of float32's 32, 29
// of float64's 64): two outputs as one, which differs where either does
// (but for a difference in both that cancels, of odds 2^-32 or less).
func fold[F float](x, y F) F {
	if is64[F]() {
		return fromBits[F](bitsOf(x) ^ bits.RotateLeft64(bitsOf(y), 29))
	}
	return fromBits[F](uint64(uint32(bitsOf(x)) ^ bits.RotateLeft32(uint32(bitsOf(y)), 13)))
}

// hashedGradients returns a dy for each x: mostly uniform in [-1, 1) from
// a hash of x's bits, one in eight a special gradient (zeros, infinities,
// NaNs with payloads, the extremes), so that the NaN rule and 0·∞ are
// met on every lane.
func hashedGradients[F float](x []F) []F {
	l := limitsOf[F]()
	specials := []F{0, F(math.Copysign(0, -1)), F(math.Inf(1)), F(math.Inf(-1)), F(l.max), F(-l.max),
		F(l.minSubnormal), fromBits[F](bitsOf(F(math.Inf(1))) | 5), fromBits[F](bitsOf(F(math.Inf(-1))) | 1<<(8*size[F]()-10) | 3)}
	dy := make([]F, len(x))
	for i, v := range x {
		h := hashedDy(bitsOf(v) ^ uint64(i)*0x9e37)
		if h < -0.75 {
			dy[i] = specials[int((h+1)*4*float64(len(specials)))%len(specials)]
			continue
		}
		dy[i] = F(h)
	}
	return dy
}

// wideGradients is hashedGradients(x) with every other finite dy scaled
// by 2^e, e from a hash of x's bits across the type's exponent range
// (subnormal to near overflow).
func wideGradients[F float](x []F) []F {
	dy := hashedGradients(x)
	lo, hi := -150, 127
	if is64[F]() {
		lo, hi = -1075, 1023
	}
	for i := 0; i < len(dy); i += 2 {
		if math.IsInf(float64(dy[i]), 0) || dy[i] != dy[i] {
			continue
		}
		h := hashedDy(bitsOf(x[i]) + 7)
		dy[i] = F(math.Ldexp(float64(dy[i]), lo+int((h+1)/2*float64(hi-lo))))
	}
	return dy
}

// hashedTargets returns a target t for each z: mostly hashedTarget of a
// hash of z's bits and its index (in [0, 1]: 0, 1, uniform, tiny and just
// below 1), one in eight a special one (±0, ±Inf, NaNs with payloads, and
// outside [0, 1]: -1, 2, 1.5, the smallest negative subnormal, 1e30), so
// that the NaN rule, the limits and the NaN of an infinite t·z are met on
// every lane.
func hashedTargets[F float](z []F) []F {
	l := limitsOf[F]()
	inf := F(math.Inf(1))
	specials := []F{0, F(math.Copysign(0, -1)), inf, -inf, fromBits[F](bitsOf(inf) | 5), fromBits[F](bitsOf(-inf) | quietBit[F]() | 3),
		-1, 2, 1.5, F(-l.minSubnormal), 1e30}
	t := make([]F, len(z))
	for i, v := range z {
		h := splitMix(bitsOf(v) ^ uint64(i)*0x9e37)
		if h>>61 == 0 {
			t[i] = specials[(h>>32)%uint64(len(specials))]
			continue
		}
		t[i] = hashedTarget[F](h)
	}
	return t
}

// alone computes f on each element by itself, a call of length 1: the
// bits every other call must return.
func alone[F float](k kernels.Kernel, f elementwise[F], in [][]F) []F {
	out := make([]F, len(in[0]))
	one := make([][]F, len(in))
	for i := range out {
		for j := range in {
			one[j] = in[j][i : i+1]
		}
		f.run(k, out[i:i+1], one...)
	}
	return out
}

// TestSameBits checks every function on every kernel, and the functions of
// one value, against the generic kernel's results computed one element at
// a time: on one long call, on
// every length and offset up to a few vectors, in place, and with every
// eighth element replaced by a neighbour that sends its block down
// another code (100, -100, NaN, 0.5, or for the backward passes such a
// dy).
func TestSameBits(t *testing.T) {
	bothTypes(t, testSameBits[float32], testSameBits[float64])
}

func testSameBits[F float](t *testing.T) {
	ks := kernels.Kernels()
	generic := ks[len(ks)-1]
	n := 4096
	if slow() {
		n = 1024
	}
	for _, f := range elementwiseFuncs[F]() {
		t.Run(f.name, func(t *testing.T) {
			in := f.inputs(n, 18)
			want := alone(generic, f, in)
			rep := &reporter{t: t}
			compare := func(k kernels.Kernel, what string, got []F, from int, skip func(i int) bool) {
				for i, g := range got {
					if skip != nil && skip(from+i) {
						continue
					}
					if !sameBits(g, want[from+i]) {
						var ins []string
						for _, s := range in {
							ins = append(ins, hex(s[from+i]))
						}
						rep.fail("%s, %s: element %d, inputs %v: got %s, want %s (generic, alone)", k.Name(), what, from+i, ins, hex(g), hex(want[from+i]))
						return
					}
				}
			}
			sub := func(from, to int) [][]F {
				s := make([][]F, len(in))
				for j := range in {
					s[j] = in[j][from:to]
				}
				return s
			}
			if f.scalar != nil {
				for i, x := range in[0] {
					if got := f.scalar(x); !sameBits(got, want[i]) {
						rep.fail("%sScalar(%s) = %s, want %s", f.name, hex(x), hex(got), hex(want[i]))
					}
				}
			}
			for _, k := range ks {
				// One long call.
				out := make([]F, n)
				f.run(k, out, in...)
				compare(k, "one call", out, 0, nil)
				// Every length and offset up to a few vectors.
				for from := 0; from < 17; from++ {
					for m := 0; m <= 70 && from+m <= n; m++ {
						out := make([]F, m)
						f.run(k, out, sub(from, from+m)...)
						compare(k, sprintf("length %d at %d", m, from), out, from, nil)
					}
				}
				// In place: the output over the last input.
				cp := make([][]F, len(in))
				for j := range in {
					cp[j] = append([]F(nil), in[j]...)
				}
				last := cp[len(cp)-1]
				f.run(k, last, cp...)
				compare(k, "in place", last, 0, nil)
				// Neighbours that take another code.
				for _, v := range []F{100, -100, F(math.NaN()), 0.5} {
					for phase := 0; phase < 8; phase++ {
						cp := make([][]F, len(in))
						for j := range in {
							cp[j] = append([]F(nil), in[j]...)
							for i := phase; i < n; i += 8 {
								cp[j][i] = v
							}
						}
						out := make([]F, n)
						f.run(k, out, cp...)
						compare(k, sprintf("every 8th from %d set to %v", phase, v), out, 0, func(i int) bool { return i%8 == phase })
					}
				}
			}
		})
	}
}

// TestSameBitsSweep checks every function on every kernel against the
// generic kernel, bit for bit: float32 on every 256th bit pattern (2^24
// inputs), float64 on 2^24 inputs of accuracy.Inputs64, the backward
// passes with a dy from hashedGradients; 2^20 with -short or -race. With
// SIGMOID_EXHAUSTIVE=1 or -exhaustive, float32 on all 2^32 inputs and
// float64 on 10^8 (but for the sampledInCI gradients: 2^27, unless
// SIGMOID_EXHAUSTIVE=all). On 2^24 inputs every kernel's results must also hash
// to sweepBits; under qemu-user, where the generic kernel is as slow as
// the one under test, that hash stands in for the generic kernel's run
// (the native run checks that the generic kernel's results hash to it),
// and a function whose hash differs is swept again against the generic
// kernel to find the first input that differs.
func TestSameBitsSweep(t *testing.T) {
	ks := kernels.Kernels()
	if len(ks) == 1 {
		t.Skip("only the generic kernel runs here")
	}
	bothTypes(t, testSameBitsSweep[float32], testSameBitsSweep[float64])
}

// hashedSweep is the length of the sweep whose results sweepBits hold.
const hashedSweep = 1 << 24

func testSameBitsSweep[F float](t *testing.T) {
	total := uint64(hashedSweep)
	switch {
	case exhaustiveRun() && is64[F]():
		total = exhaustive64Inputs
	case exhaustiveRun():
		total = 1 << 32
	case testing.Short() || raceEnabled:
		total = 1 << 20
	}
	var fs, mirrored, sampled []elementwise[F]
	for _, f := range elementwiseFuncs[F]() {
		switch {
		case exhaustiveRun() && oneExhaustivePass[f.name]:
			t.Logf("%s: all 2^32 inputs are compared in the same pass as its accuracy sweep (the Test…Exhaustive tests)", f.name)
		case exhaustiveRun() && (mirroredOnSIMD[f.name] || sameCode[f.name]):
			mirrored = append(mirrored, f)
		case exhaustiveRun() && sampledInCI[f.name] && !exhaustiveAll():
			sampled = append(sampled, f)
		default:
			fs = append(fs, f)
		}
	}
	compareSweep(t, fs, total)
	compareSweep(t, mirrored, hashedSweep)
	compareSweep(t, sampled, sampledSweep)
}

// sampledSweep is the length of the exhaustive run's sweep of the
// sampledInCI gradients: every 32nd bit pattern.
const sampledSweep = 1 << 27

// compareSweep runs the functions fs on total inputs on every kernel and
// compares their results with the generic kernel's, as TestSameBitsSweep
// says.
func compareSweep[F float](t *testing.T, fs []elementwise[F], total uint64) {
	if len(fs) == 0 {
		return
	}
	hashed := total == hashedSweep
	sw := sweepKernels(fs, total, !(hashed && underQEMU()))
	for i, f := range fs {
		t.Run(f.name, func(t *testing.T) {
			r := sw[i]
			if hashed {
				for k, h := range r.hashes {
					if want, ok := sweepBits[f.name]; !ok || h != want {
						t.Errorf("%s: results hash to %#016x, want %#016x (sweepBits, the generic kernel's)", r.kernels[k], h, want)
						if !r.withGeneric {
							r = sweepKernels([]elementwise[F]{f}, total, true)[0]
							if r.bad == 0 {
								t.Errorf("every kernel returns the generic kernel's bits here: sweepBits is out of date")
							}
						}
						break
					}
				}
			}
			if r.withGeneric {
				t.Logf("%s: %d inputs on %v, compared bit for bit: %d differ", f.name, total, r.kernels, r.bad)
			} else {
				t.Logf("%s: %d inputs on %v, their results' hashes compared with the generic kernel's (sweepBits)", f.name, total, r.kernels)
			}
			if r.bad != 0 {
				t.Errorf("%d results differ from the generic kernel's, first: %s", r.bad, r.first)
			}
		})
	}
}

// sweepResult is one function's sweep: the kernels run (the generic one
// too if withGeneric), each one's results hashed in order, and how many
// differ from the generic kernel's.
type sweepResult struct {
	kernels     []string
	hashes      []uint64
	withGeneric bool
	bad         uint64
	first       string
}

// sweepKernels runs every function of fs on the sweep's total inputs, each
// chunk's inputs made once for all of them, on every SIMD kernel and, with
// withGeneric, on the generic kernel, comparing their bits with its.
func sweepKernels[F float](fs []elementwise[F], total uint64, withGeneric bool) []sweepResult {
	const chunk = 1 << 14
	chunks := (total + chunk - 1) / chunk
	ks := kernels.Kernels()
	generic, run := ks[len(ks)-1], ks[:len(ks)-1]
	if withGeneric {
		run = ks
	}
	type fnState struct {
		bad    atomic.Uint64
		mu     sync.Mutex
		first  string
		hashes [][]uint64 // [kernel][chunk]
	}
	st := make([]fnState, len(fs))
	for i := range st {
		for range run {
			st[i].hashes = append(st[i].hashes, make([]uint64, chunks))
		}
	}
	inParallel(chunks, func() (func(c uint64), func()) {
		want, got := make([]F, chunk), make([]F, chunk)
		return func(c uint64) {
			m := min(chunk, total-c*chunk)
			x := sweepX[F](c*chunk, m, total)
			var dy []F
			for i, f := range fs {
				in := [][]F{x}
				if f.paired != nil {
					in = f.paired(x)
				} else if len(f.inputs(1, 0)) == 2 {
					if dy == nil {
						dy = hashedGradients(x)
					}
					in = [][]F{dy, x}
				}
				s := &st[i]
				ref := want[:m]
				if withGeneric {
					f.run(generic, ref, in...)
				}
				for j, k := range run {
					g := got[:m]
					if k == generic {
						g = ref
					} else {
						f.run(k, g, in...)
					}
					s.hashes[j][c] = hashBits(g)
					if !withGeneric || k == generic {
						continue
					}
					for e := range g {
						if sameBits(g[e], ref[e]) {
							continue
						}
						if s.bad.Add(1) == 1 {
							var ins []string
							for _, v := range in {
								ins = append(ins, hex(v[e]))
							}
							s.mu.Lock()
							s.first = sprintf("%s: inputs %v: got %s, generic %s", k.Name(), ins, hex(g[e]), hex(ref[e]))
							s.mu.Unlock()
						}
					}
				}
			}
		}, func() {}
	})
	out := make([]sweepResult, len(fs))
	for i := range fs {
		r := sweepResult{withGeneric: withGeneric, bad: st[i].bad.Load(), first: st[i].first}
		for j, k := range run {
			r.kernels = append(r.kernels, k.Name())
			h := uint64(14695981039346656037)
			for _, ch := range st[i].hashes[j] {
				h = (h ^ ch) * 1099511628211
			}
			r.hashes = append(r.hashes, h)
		}
		out[i] = r
	}
	return out
}

// hashBits is FNV-1a over the values' bit patterns, a word at a time.
func hashBits[F float](v []F) uint64 {
	h := uint64(14695981039346656037)
	for _, x := range v {
		h = (h ^ bitsOf(x)) * 1099511628211
	}
	return h
}

// oneExhaustivePass names the functions whose exhaustive accuracy sweep
// compares every kernel's bits too, so that TestSameBitsSweep leaves them
// to it in the exhaustive run: one pass over the 2^32 inputs each.
var oneExhaustivePass = map[string]bool{"Sigmoid": true, "SiLU": true, "SiLUBackward": true, "SigmoidBackward": true, "Tanh": true, "TanhBackward": true, "Softplus": true, "SoftplusBackward": true, "BCEWithLogits": true, "SwiGLU": true}

// mirroredOnSIMD names the functions whose exhaustive sweep compares only
// the SIMD kernels' bits, with the generic kernel's of the function they
// mirror (LogSigmoid(x) = -Softplus(-x), LogSigmoidBackward(dy, x) =
// SoftplusBackward(dy, -x)): the generic kernel is the slow part of a
// sweep. In the exhaustive run TestSameBitsSweep compares their generic
// kernel with the others on the 2^24 inputs of every run.
var mirroredOnSIMD = map[string]bool{"LogSigmoid": true, "LogSigmoidBackward": true}

// sampledInCI names the functions whose exhaustive run compares the
// generic kernel with the others on 2^27 inputs (sampledSweep), not on
// all 2^32: on inputs of every scale it takes 90 to 150 ns an element
// (most blocks go one element at a time, half the elements to the safe
// code), and all 2^32 of the four would add some 16 minutes to CI (3.6,
// 5.3, 3.2 and 4.2 minutes, from a sweep of 2^26 inputs each on AMD Zen 4,
// 2 cores); SIGMOID_EXHAUSTIVE=all compares them on all 2^32. Their
// accuracy sweeps (Test…Exhaustive) check every input on the best kernel
// and compare the other SIMD kernels' bits with its;
// BCEWithLogitsBackward's also BCEWithLogitsAndBackward's on every SIMD
// kernel.
var sampledInCI = map[string]bool{"BCEWithLogitsBackward": true, "BCEWithLogitsAndBackward": true, "GLUBackward": true, "SwiGLUBackward": true}

// sameCode names the functions generated from another's codes, with only
// their inputs' names changed (GLU(a, b) is SoftplusBackward(dy = a,
// x = b)): their hashes are that function's, whose every bit the
// exhaustive run checks, so in the exhaustive run TestSameBitsSweep
// compares them on the 2^24 inputs of every run.
var sameCode = map[string]bool{"GLU": true}

// sweepX returns the m inputs x of a sweep of total from the from-th:
// float32 on every (2^32/total)-th bit pattern, float64 from
// accuracy.Inputs64 (seeded by the position).
func sweepX[F float](from, m, total uint64) []F {
	if is64[F]() {
		return any(accuracy.Inputs64(int(m), 1000+from)).([]F)
	}
	stride := uint64(1<<32) / total
	xs := make([]float32, m)
	for i := range xs {
		xs[i] = math.Float32frombits(uint32((from + uint64(i)) * stride))
	}
	return any(xs).([]F)
}

// sweepBits are hashes of the generic kernel's results on TestSameBitsSweep's
// 2^24 inputs per function: FNV-1a over each chunk's results, a word at a
// time, then over the chunks' hashes in order.
var sweepBits = map[string]uint64{
	"Sigmoid":              0x17a44504fbfc0fc4,
	"SiLU":                 0xb4c81c80ba92e6e2,
	"SigmoidBackward":      0xe518ed187688688e,
	"SiLUBackward":         0x5141594569ab0df6,
	"Tanh":                 0xf6314d95ed4817b9,
	"TanhBackward":         0xdf6a6ed66d1299c6,
	"Softplus":             0x28b84e460f84c3b3,
	"LogSigmoid":           0x626d1e27adfbde17,
	"Sigmoid64":            0x3f394dbf83a926b2,
	"SiLU64":               0xe92e46fe986aff6e,
	"SigmoidBackward64":    0x8bb02622035c88fc,
	"SiLUBackward64":       0x6bdd8c25cabb6b3d,
	"Tanh64":               0x2b1fce31b6af5dbf,
	"TanhBackward64":       0x83734e998235133b,
	"Softplus64":           0x4f0bd35890b9a19f,
	"LogSigmoid64":         0x1267e0e9dd57e7a7,
	"SoftplusBackward":     0x832d92e3d2f9d8e5,
	"LogSigmoidBackward":   0x92e362cc87b71ccf,
	"SoftplusBackward64":   0x93e2045132ab66b3,
	"LogSigmoidBackward64": 0x500fd00156ce2ca7,
	// GLU(a, b) is SoftplusBackward(a, b): the same inputs, the same hashes.
	"GLU":   0x832d92e3d2f9d8e5,
	"GLU64": 0x93e2045132ab66b3,

	// BCEWithLogits(loss, z, t): z swept, t from hashedTargets.
	"BCEWithLogits":   0x4b0ab3120091531b,
	"BCEWithLogits64": 0xf245da345c0d099e,

	// SwiGLU(dst, gate, up): gate swept, up from wideGradients.
	"SwiGLU":   0x179aa4263d2ab8ae,
	"SwiGLU64": 0x2744b9d475e716ed,

	// BCEWithLogitsBackward(dz, dy, z, t): z swept, dy from wideGradients
	// (of z's bits flipped), t from hashedTargets.
	"BCEWithLogitsBackward":      0xab55023b0b1c4098,
	"BCEWithLogitsBackward64":    0xbb6cbc217ecfbaf8,
	"BCEWithLogitsAndBackward":   0x46376083db8591cb,
	"BCEWithLogitsAndBackward64": 0xb9048e1617216d8b,

	// GLUBackward and SwiGLUBackward, their outputs folded: the last input
	// swept, dy and the middle one from wideGradients.
	"GLUBackward":      0x14b772ce9c9d0a2b,
	"SwiGLUBackward":   0x5d7629e949332a87,
	"GLUBackward64":    0xaa10c73ef720fd6f,
	"SwiGLUBackward64": 0xdb6256eda372f8cd,
}

// goldenBits are FNV-1a hashes of each function's results on
// goldenInputs: TestGoldenBits checks them on whatever platform the test
// runs on (amd64, arm64, 386, s390x, ppc64le, riscv64, wasm: CI runs them
// natively or under qemu), so that the same input gives the same bits on
// every platform, not only on every kernel of one.
var goldenBits = map[string]uint64{
	"Sigmoid":              0x5ca66308d352c100,
	"SiLU":                 0x0b5ce725f2bb7227,
	"SigmoidBackward":      0xcf7493bacab8bb9c,
	"SiLUBackward":         0xa17b626aa0cd83a4,
	"Sigmoid64":            0x9cf09937e79fc197,
	"SiLU64":               0xe9f86ec461c9ba7f,
	"SigmoidBackward64":    0xa63a2559be04ad54,
	"SiLUBackward64":       0x0547700cfeee9433,
	"Tanh":                 0xaf95211ec48bd4d5,
	"TanhBackward":         0x50e5e11d7c87455c,
	"Tanh64":               0x175ef7c2fd7cd3d0,
	"TanhBackward64":       0xb5f2943e6235bc2d,
	"Softplus":             0x62d15dee40ad74fe,
	"LogSigmoid":           0xe00a34aa4bc3f7b2,
	"Softplus64":           0xd2580f68aa296417,
	"LogSigmoid64":         0x1e7e0dafa85d574c,
	"SoftplusBackward":     0x9a113fd53b8d7a5d,
	"LogSigmoidBackward":   0x6bb256150b997486,
	"SoftplusBackward64":   0x8047f1c70ced533d,
	"LogSigmoidBackward64": 0x94266832ec49fd1b,
	"GLU":                  0x9a113fd53b8d7a5d,
	"GLU64":                0x8047f1c70ced533d,
	"BCEWithLogits":        0x139bdf0fdf222afa,
	"BCEWithLogits64":      0xd883f1dc7a038ca6,
	"SwiGLU":               0xfe58e6808147036f,
	"SwiGLU64":             0x356f6c57dd529d39,

	// BCEWithLogitsBackward(dz, dy, z, t): x as z, dy from wideGradients
	// (of z's bits flipped), t from hashedTargets.
	"BCEWithLogitsBackward":      0x70b5b22c58f2cbf0,
	"BCEWithLogitsBackward64":    0x9898334506c276dd,
	"BCEWithLogitsAndBackward":   0xbdec2eac4250f916,
	"BCEWithLogitsAndBackward64": 0xe94f1536bbeb719b,

	// GLUBackward and SwiGLUBackward, their outputs folded: x as the last
	// input, dy and the middle one from wideGradients.
	"GLUBackward":      0xea3e8f4926637dd1,
	"SwiGLUBackward":   0xda7df231f5247e37,
	"GLUBackward64":    0xd5131460f70e4eec,
	"SwiGLUBackward64": 0x24eb259a46242e32,
}

// goldenInputs are 2^16 inputs of each slice of f: float32 x on every
// 65536th bit pattern, offset by 12345 so that they are not all round;
// float64 x from accuracy.Inputs64; dy from hashedGradients (or, for
// BCEWithLogits, x as z and t from hashedTargets; for SwiGLU, x as gate
// and up from wideGradients; for BCEWithLogitsBackward, x as z, dy from
// wideGradients and t from hashedTargets).
func goldenInputs[F float](f elementwise[F]) [][]F {
	const n = 1 << 16
	var x []F
	if is64[F]() {
		x = any(accuracy.Inputs64(n, 77)).([]F)
	} else {
		xs := make([]float32, n)
		for i := range xs {
			xs[i] = math.Float32frombits(uint32(i)<<16 + 12345)
		}
		x = any(xs).([]F)
	}
	return pairedInputs(f, x)
}

// pairedInputs makes f's inputs from the swept values x, as the sweeps
// and goldenInputs do: f.paired's, or x alone, or hashedGradients(x) and
// x.
func pairedInputs[F float](f elementwise[F], x []F) [][]F {
	switch {
	case f.paired != nil:
		return f.paired(x)
	case len(f.inputs(1, 0)) == 1:
		return [][]F{x}
	}
	return [][]F{hashedGradients(x), x}
}

// TestClampBits checks every function on every kernel against the generic
// kernel, bit for bit, at the codes' clamps and bounds and past them, in
// one slice and one element at a time: there the generic kernel sets the
// constants the codes give at a clamp (tanh's ±1, the tiny code's ±0)
// without computing them, and the vector kernels compute them.
func TestClampBits(t *testing.T) {
	bothTypes(t, testClampBits[float32], testClampBits[float64])
}

func testClampBits[F float](t *testing.T) {
	// tanh's clamp, the fast code's limit, the tiny code's clamp and the
	// products' clamp, each type's.
	bounds := []float64{10, 32, 110, 200}
	if is64[F]() {
		bounds = []float64{20, 512, 752, 1464}
	}
	var x []F
	for _, b := range bounds {
		for _, c := range []F{F(b), F(-b)} {
			x = append(x, c, fromBits[F](bitsOf(c)-1), fromBits[F](bitsOf(c)+1), 2*c, c+1)
		}
	}
	l := limitsOf[F]()
	x = append(x, F(l.max), F(-l.max), F(math.Inf(1)), F(math.Inf(-1)), F(1e30), F(-1e30))
	ks := kernels.Kernels()
	generic := ks[len(ks)-1]
	for _, f := range elementwiseFuncs[F]() {
		in := pairedInputs(f, x)
		want := make([]F, len(x))
		f.run(generic, want, in...)
		for _, k := range ks {
			got := make([]F, len(x))
			f.run(k, got, in...)
			for i := range x {
				one := make([]F, 1)
				var ins [][]F
				for _, s := range in {
					ins = append(ins, s[i:i+1])
				}
				f.run(k, one, ins...)
				if bitsOf(got[i]) != bitsOf(want[i]) || bitsOf(one[0]) != bitsOf(want[i]) {
					t.Errorf("%s on %s, x = %v: %v in the slice, %v alone, generic %v", f.name, k.Name(), x[i], got[i], one[0], want[i])
				}
			}
		}
	}
}

// TestGoldenBits checks every kernel's results on goldenInputs against
// goldenBits.
func TestGoldenBits(t *testing.T) {
	bothTypes(t, testGoldenBits[float32], testGoldenBits[float64])
}

func testGoldenBits[F float](t *testing.T) {
	for _, f := range elementwiseFuncs[F]() {
		in := goldenInputs(f)
		for _, k := range kernels.Kernels() {
			out := make([]F, len(in[0]))
			f.run(k, out, in...)
			h := uint64(14695981039346656037)
			for _, v := range out {
				b := bitsOf(v)
				for range size[F]() {
					h = (h ^ b&0xff) * 1099511628211
					b >>= 8
				}
			}
			if want, ok := goldenBits[f.name]; !ok || h != want {
				t.Errorf("%s, %s: results hash to %#016x, want %#016x", f.name, k.Name(), h, want)
			}
		}
	}
}

// TestExtremeLanes checks every function on every kernel against the
// generic kernel's one-element results, bit for bit, on blocks of 4 whose
// inputs are ordinary but for one or two lanes, where one input is huge,
// tiny or infinite: there a code may take the block's inputs and still
// give a NaN on some lanes (an intermediate overflow), and the generic
// kernel sends only those lanes on to the next code.
func TestExtremeLanes(t *testing.T) {
	bothTypes(t, testExtremeLanes[float32], testExtremeLanes[float64])
}

func testExtremeLanes[F float](t *testing.T) {
	l := limitsOf[F]()
	extremes := []F{F(l.max), F(-l.max), F(l.max / 3), F(math.Inf(1)), F(math.Inf(-1)), F(l.minSubnormal), F(-l.minNormal), 1e30, -1e30, 1e-30}
	ks := kernels.Kernels()
	generic := ks[len(ks)-1]
	for _, f := range elementwiseFuncs[F]() {
		slots := len(pairedInputs(f, []F{0}))
		for s := range slots {
			// Blocks of 4 ordinary values with extremes[v] at lane p, and
			// at lane p+2 too in every other block.
			var in [][]F
			for range slots {
				in = append(in, nil)
			}
			r := rand.New(rand.NewPCG(uint64(s), 0x1a7e5))
			for v, e := range extremes {
				for p := range 4 {
					for j := range 4 {
						for i := range in {
							x := F(-4 + 8*r.Float64())
							if i == s && (j == p || v%2 == 1 && j == (p+2)%4) {
								x = e
							}
							in[i] = append(in[i], x)
						}
					}
				}
			}
			n := len(in[0])
			want := make([]F, n)
			for i := range n {
				var one [][]F
				for _, x := range in {
					one = append(one, x[i:i+1])
				}
				f.run(generic, want[i:i+1], one...)
			}
			for _, k := range ks {
				got := make([]F, n)
				f.run(k, got, in...)
				for i := range n {
					if bitsOf(got[i]) != bitsOf(want[i]) {
						var ins []string
						for _, x := range in {
							ins = append(ins, hex(x[i]))
						}
						t.Errorf("%s on %s, inputs %v (element %d of a slice): %s, alone on generic %s", f.name, k.Name(), ins, i, hex(got[i]), hex(want[i]))
						break
					}
				}
			}
		}
	}
}
