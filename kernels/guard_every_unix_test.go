//go:build unix

package kernels_test

import (
	"runtime/debug"
	"slices"
	"testing"

	"github.com/simdsigmoid/sigmoid/kernels"
)

// TestGuardPagesEveryFunction runs every exported slice function (the
// list generated from the function table) on every kernel with its slices
// flush against, or a few elements away from, PROT_NONE guard pages, as
// TestGuardPages does for the sigmoid and its backward pass in detail:
// the inputs on read-only pages, the output between canaries, out of place
// (the inputs at the output's guard, then at the other one) and in place
// on each input. Each result must have the bits the same kernel gives for
// that element on unguarded slices (a result depends on its own inputs
// only), and nothing past the output may change. Lengths are sampled as
// TestGuardPages samples them with -short: all up to 80, every 29th to
// 1008, all to 1024, and the chunk lengths past it; with -short, -race or
// under qemu-user those up to 48 and from 4095 to 16389. Under qemu-user
// only the SIMD kernels run (none with -short): the generic kernel is
// bounds-checked Go, which the native runs cover.
func TestGuardPagesEveryFunction(t *testing.T) {
	if testing.Short() && underQEMU() {
		t.Skip("-short under qemu-user: the full arm64 run covers the NEON kernel, and the generic kernel is bounds-checked Go")
	}
	t.Run("float32", func(t *testing.T) { guardEvery(t, sliceFuncs32) })
	t.Run("float64", func(t *testing.T) { guardEvery(t, sliceFuncs64) })
}

func guardEvery[F float](t *testing.T, fs []sliceFunc[F]) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	const elems = guardMaxLen + 16
	in0 := newGuardedRegion[F](t, "dy", elems)
	in1 := newGuardedRegion[F](t, "src (x)", elems)
	in2 := newGuardedRegion[F](t, "t", elems)
	dst := newGuardedRegion[F](t, "dst", elems)
	m := len(in0.data)
	x := mixedInputs[F](m, 0x6a4f)
	copy(in0.data, hashedGradients(x)) // dy for a backward pass, x for the others
	copy(in1.data, x)
	copy(in2.data, mixedInputs[F](m, 0x7b5e)) // a function's third input
	in0.readOnly(t)
	in1.readOnly(t)
	in2.readOnly(t)
	fillCanary(dst.data)
	lengths, tryOffset := guardLengths(true)
	if slow() {
		lengths = slices.DeleteFunc(lengths, func(n int) bool { return n > 48 && n < 4095 || n > 16384+5 })
	}

	ks := kernels.Kernels()
	if underQEMU() && len(ks) > 1 {
		ks = ks[:len(ks)-1]
	}
	for _, k := range ks {
		for _, f := range outputViews(fs) {
			t.Run(k.Name()+"/"+f.name, func(t *testing.T) {
				// run calls f with dst and the inputs (one for a unary
				// function, dy and x for a backward pass, and a third).
				run := func(d []F, in ...[]F) { f.run(k, d, in...) }
				regions := [][]*guardedRegion[F]{1: {in1}, 2: {in0, in1}, 3: {in0, in1, in2}}[f.inputs()]
				want := make([]F, m)
				var whole [][]F
				for _, r := range regions {
					whole = append(whole, append([]F(nil), r.data...))
				}
				run(want, whole...)

				calls := 0
				for _, n := range lengths {
					for off := range 16 {
						for _, back := range []bool{false, true} {
							if !tryOffset(n, off) {
								continue
							}
							p, q := place(n, off, back), place(n, (off+5)%16, !back)
							s := dst.start(n, p)
							d := dst.slice(n, p)
							// Out of place with the inputs at p, then at q;
							// in place on each input (-1: none).
							for _, c := range []struct {
								at      placement
								inPlace int
							}{{p, -1}, {q, -1}, {p, 0}, {p, 1}, {p, 2}} {
								if c.inPlace >= len(regions) {
									continue
								}
								ins := make([][]F, len(regions))
								named := map[string][]F{"dst": d}
								from := regions[0].start(n, c.at)
								for i, r := range regions {
									ins[i] = r.slice(n, c.at)
									named[r.name] = ins[i]
								}
								if c.inPlace >= 0 {
									copy(d, ins[c.inPlace])
									ins[c.inPlace] = d
								}
								calls++
								what := sprintf("n=%d, start offset %d, dst %s, inputs %s, in place on input %d", n, off, p, c.at, c.inPlace)
								if addr, faulted := catchFault(func() { run(d, ins...) }); faulted {
									t.Errorf("%s: %s", what, describeFault(addr, named))
									return
								}
								for i := range n {
									if !sameBits(d[i], want[from+i]) {
										t.Errorf("%s: element %d is %s, on unguarded slices %s", what, i, hex(d[i]), hex(want[from+i]))
										return
									}
								}
								lo, hi := max(0, s-16), min(len(dst.data), s+n+16)
								if i := firstTouched(dst.data[lo:s]); i >= 0 {
									t.Errorf("%s: wrote element %d, before the output", what, lo+i-s)
									return
								}
								if i := firstTouched(dst.data[s+n : hi]); i >= 0 {
									t.Errorf("%s: wrote element %d, past the output's end", what, n+i)
									return
								}
								fillCanary(dst.data[lo:hi])
							}
						}
					}
				}
				t.Logf("%d calls", calls)
			})
		}
	}
}
