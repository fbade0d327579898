package kernels_test

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/simdsigmoid/sigmoid/internal/accuracy"
)

// FuzzSigmoid reads the bytes as little-endian float32s (ignoring a partial
// last one) and checks every function on them against the spec, out of
// place and in place, which must agree bit for bit.
//
//	go test -run '^$' -fuzz '^FuzzSigmoid$' -fuzztime 1m ./kernels/
func FuzzSigmoid(f *testing.F) {
	f.Add(floatBytes[float32](1, -1, 0.5))
	f.Fuzz(fuzzSigmoid(impls[float32]()))
}

// FuzzSigmoid64 is FuzzSigmoid for Sigmoid64, on little-endian float64s.
//
//	go test -run '^$' -fuzz '^FuzzSigmoid64$' -fuzztime 1m ./kernels/
func FuzzSigmoid64(f *testing.F) {
	f.Add(floatBytes[float64](1, -1, 0.5))
	f.Fuzz(fuzzSigmoid(impls[float64]()))
}

// fuzzSigmoid returns the fuzz function checking the functions is on the
// bytes read as Fs, out of place and in place.
func fuzzSigmoid[F float](is []impl[F]) func(t *testing.T, data []byte) {
	return func(t *testing.T, data []byte) {
		src, _ := decode[F](data, false)
		orig := slices.Clone(src)
		for _, im := range is {
			dst := make([]F, len(src))
			im.sigmoid(dst, src)
			for i, x := range src {
				if !sameBits(x, orig[i]) {
					t.Fatalf("%s: src[%d] changed from %s to %s", im.name, i, hex(orig[i]), hex(x))
				}
				if why := sigmoidWhy(x, dst[i]); why != "" {
					t.Errorf("%s, n=%d: element %d: %s", im.name, len(src), i, why)
				}
			}
			in := slices.Clone(src)
			im.sigmoid(in, in)
			for i := range in {
				if !sameBits(in[i], dst[i]) {
					t.Errorf("%s, n=%d: element %d (x=%v): in place %s, out of place %s", im.name, len(src), i, src[i], hex(in[i]), hex(dst[i]))
				}
			}
		}
	}
}

// floatBytes encodes xs as little-endian Fs.
func floatBytes[F float](xs ...F) []byte {
	w := int(size[F]())
	b := make([]byte, w*len(xs))
	for i, x := range xs {
		if w == 8 {
			binary.LittleEndian.PutUint64(b[8*i:], bitsOf(x))
		} else {
			binary.LittleEndian.PutUint32(b[4*i:], uint32(bitsOf(x)))
		}
	}
	return b
}

var updateCorpus = flag.Bool("update-fuzz-corpus", false, "rewrite the seed corpora in testdata/fuzz from fuzzSeeds")

// seedSets are the kinds of edge values of an element type that the seed
// corpora are made of.
type seedSets[F float] struct {
	nans, infZero, subnormal, subResults, saturation, huge []F
	// partial is the two values before a partial last element.
	partial []F
}

func seedSets32() seedSets[float32] {
	f := math.Float32frombits
	inf := float32(math.Inf(1))
	edge := accuracy.SaturationEdge
	return seedSets[float32]{
		nans: []float32{
			f(0x7fc00000), f(0xffc00000), f(0x7fc00001), f(0x7fd23456), f(0xffd23456), f(0x7fffffff), f(0xffffffff),
			f(0x7f800001), f(0xff800001), f(0x7fa00000), f(0x7f812345), f(0xff812345), f(0x7fbfffff), f(0xffbfffff),
		},
		infZero:    []float32{inf, -inf, 0, float32(math.Copysign(0, -1))},
		subnormal:  []float32{f(1), f(0x80000001), f(0x007fffff), f(0x807fffff), f(0x00012345), f(0x80400000), f(0x00800000), f(0x80800000)},
		subResults: []float32{103.97, -103.97, 87.34, -87.34, -87.33, -87.336544, -103.98, -104, -103.27893, -88.72284, -100, -95},
		saturation: []float32{16.23, 16.2356, 17.33, -17.33, 17.3287, edge, math.Nextafter32(edge, 0), math.Nextafter32(edge, 20), 16.230066, 16.230068},
		huge:       []float32{4.3e26, -4.3e26, math.MaxFloat32, -math.MaxFloat32, 1e30, -1e30, 200, -200},
		partial:    []float32{-103.97, 17.33},
	}
}

func seedSets64() seedSets[float64] {
	f := math.Float64frombits
	inf := math.Inf(1)
	sat, near := accuracy.SaturationEdge64, accuracy.NearOneEdge64
	sub, under := accuracy.SubnormalEdge64, accuracy.UnderflowEdge64
	return seedSets[float64]{
		nans: []float64{
			f(0x7ff8000000000000), f(0xfff8000000000000), f(0x7ff8000000000001), f(0x7ffd23456789abcd), f(0xfffd23456789abcd),
			f(0x7fffffffffffffff), f(0xffffffffffffffff), f(0x7ff0000000000001), f(0xfff0000000000001), f(0x7ff4000000000000),
			f(0x7ff123456789abcd), f(0xfff123456789abcd), f(0x7ff7ffffffffffff), f(0xfff7ffffffffffff),
		},
		infZero: []float64{inf, -inf, 0, math.Copysign(0, -1)},
		subnormal: []float64{f(1), f(0x8000000000000001), f(0x000fffffffffffff), f(0x800fffffffffffff),
			f(0x0000123456789abc), f(0x8008000000000000), f(0x0010000000000000), f(0x8010000000000000)},
		// Results below 2^-1022 from SubnormalEdge64 ≈ -708.40 down,
		// rounding to 0 below UnderflowEdge64 ≈ -745.13.
		subResults: []float64{-under, under, math.Nextafter(under, 0), math.Nextafter(under, -800), -sub, sub,
			math.Nextafter(sub, 0), math.Nextafter(sub, -800), -1074 * math.Ln2, -1023 * math.Ln2, -709.7827128933840, -720},
		// Results round to 1-2^-53 from NearOneEdge64 ≈ 36.33, to 1 from
		// SaturationEdge64 ≈ 37.43.
		saturation: []float64{near, math.Nextafter(near, 0), math.Nextafter(near, 100), sat, math.Nextafter(sat, 0), math.Nextafter(sat, 100),
			-sat, 36, 37.43, 38},
		huge:    []float64{1e300, -1e300, math.MaxFloat64, -math.MaxFloat64, 1e20, -1e20, 800, -800},
		partial: []float64{-745.13, 37.43},
	}
}

// fuzzSeeds is a FuzzSigmoid or FuzzSigmoid64 seed corpus, by file name.
func fuzzSeeds[F float](s seedSets[F]) map[string][]byte {
	w := int(size[F]())
	seeds := map[string][]byte{
		"empty":              nil,
		"one-nan":            floatBytes(s.nans[0]),
		"one-negative-nan":   floatBytes(s.nans[1]),
		"nan-payloads":       floatBytes(s.nans...),
		"inf-zero":           floatBytes(s.infZero...),
		"subnormal-inputs":   floatBytes(s.subnormal...),
		"subnormal-results":  floatBytes(s.subResults...),
		"saturation":         floatBytes(s.saturation...),
		"huge":               floatBytes(s.huge...),
		"partial-last-float": append(floatBytes(s.partial...), []byte{0x00, 0x00, 0xc0, 0x40, 0x00, 0x80, 0x7f}[:w-1]...),
	}
	// Every kind of edge value at every lane position, for the lengths
	// around vector sizes (16 float32s or 8 float64s a ZMM register).
	var mix []F
	for _, set := range [][]F{s.nans, s.infZero, s.subnormal, s.subResults, s.saturation, s.huge} {
		mix = append(mix, set...)
	}
	lane := 64 / w
	for _, n := range []int{1, lane - 1, lane, lane + 1, 4*lane - 1, 4 * lane, 4*lane + 1} {
		xs := make([]F, n)
		for i := range xs {
			xs[i] = mix[(i*7+n)%len(mix)]
		}
		seeds[fmt.Sprintf("len-%d", n)] = floatBytes(xs...)
	}
	return seeds
}

// backwardFuzzSeeds is a FuzzSigmoidBackward or FuzzSigmoidBackward64 seed
// corpus, by file name: (dy, y) pairs.
func backwardFuzzSeeds[F float](s seedSets[F]) map[string][]byte {
	l := limitsOf[F]()
	pairs := func(dys, ys []F) []byte {
		var xs []F
		for _, a := range dys {
			for _, b := range ys {
				xs = append(xs, a, b)
			}
		}
		return floatBytes(xs...)
	}
	outputs := []F{0, F(math.Copysign(0, -1)), 1, 0.5, F(l.minSubnormal), F(l.minNormal), 1 - F(l.halfEps), 1 - 2*F(l.halfEps), 0.25, 0.75}
	grads := []F{1, -1, 0, F(math.Copysign(0, -1)), F(l.max), -F(l.max), F(l.minSubnormal), 1e-30, 1e30}
	return map[string][]byte{
		"one":                 floatBytes[F](1, 0.5),
		"outputs":             pairs(grads, outputs),
		"special-gradients":   pairs(append(slices.Clone(s.nans[:4]), s.infZero...), outputs),
		"special-outputs":     pairs(grads[:3], append(append(slices.Clone(s.nans[:4]), s.infZero...), s.huge...)),
		"subnormal-products":  pairs(s.subnormal, append(slices.Clone(s.subnormal), 1e-10, 0.5)),
		"overflowing-outputs": pairs([]F{1, -1, 0}, []F{F(math.Sqrt(l.max)), -F(math.Sqrt(l.max)), 2 * F(math.Sqrt(l.max)), F(l.max)}),
		"partial-last-pair":   append(floatBytes[F](2, 0.125), floatBytes[F](1)...),
	}
}

// corpora lists the seed corpora TestFuzzCorpus keeps, by fuzz target.
func corpora() map[string]map[string][]byte {
	return map[string]map[string][]byte{
		"FuzzSigmoid":           fuzzSeeds(seedSets32()),
		"FuzzSigmoid64":         fuzzSeeds(seedSets64()),
		"FuzzSigmoidBackward":   backwardFuzzSeeds(seedSets32()),
		"FuzzSigmoidBackward64": backwardFuzzSeeds(seedSets64()),
	}
}

// TestFuzzCorpus checks that testdata/fuzz/<target> holds the seeds of
// corpora(), in the `go test fuzz v1` format; -update-fuzz-corpus rewrites
// them. (Other files there, such as inputs the fuzzer found, are left as
// they are.)
func TestFuzzCorpus(t *testing.T) {
	for target, seeds := range corpora() {
		dir := filepath.Join("testdata", "fuzz", target)
		for name, data := range seeds {
			want := []byte(fmt.Sprintf("go test fuzz v1\n[]byte(%+q)\n", data))
			path := filepath.Join(dir, name)
			if *updateCorpus {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, want, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Errorf("%v (run go test ./kernels/ -run TestFuzzCorpus -update-fuzz-corpus)", err)
			} else if !bytes.Equal(got, want) {
				t.Errorf("%s is out of date (run go test ./kernels/ -run TestFuzzCorpus -update-fuzz-corpus)", path)
			}
		}
	}
}

// FuzzSiLU and FuzzSiLU64 check every kernel's SiLU, package-level
// included, on the fuzzer's slices: within the bound (accuracy.CheckSiLU
// and the double-double reference), src unchanged, in place the same.
func FuzzSiLU(f *testing.F) {
	f.Add(floatBytes[float32](1, -1, 0.5, -100, 20))
	f.Fuzz(fuzzSiLU[float32])
}

func FuzzSiLU64(f *testing.F) {
	f.Add(floatBytes[float64](1, -1, 0.5, -720, 40))
	f.Fuzz(fuzzSiLU[float64])
}

func fuzzSiLU[F float](t *testing.T, data []byte) {
	src, _ := decode[F](data, false)
	orig := slices.Clone(src)
	for _, f := range siluImpls[F]() {
		dst := make([]F, len(src))
		f.silu(dst, src)
		for i, x := range src {
			if !sameBits(x, orig[i]) {
				t.Fatalf("%s: src[%d] changed from %s to %s", f.name, i, hex(orig[i]), hex(x))
			}
			if why := siluWhy(x, dst[i]); why != "" {
				t.Errorf("%s, n=%d: element %d: %s", f.name, len(src), i, why)
			}
		}
		in := slices.Clone(src)
		f.silu(in, in)
		for i := range in {
			if !sameBits(in[i], dst[i]) {
				t.Errorf("%s, n=%d: element %d (x=%v): in place %s, out of place %s", f.name, len(src), i, src[i], hex(in[i]), hex(dst[i]))
			}
		}
	}
}
