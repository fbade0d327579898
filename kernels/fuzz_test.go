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
//	go test -run '^$' -fuzz FuzzSigmoid -fuzztime 1m ./kernels/
func FuzzSigmoid(f *testing.F) {
	f.Add(floatBytes(1, -1, 0.5))
	is := impls()
	f.Fuzz(func(t *testing.T, data []byte) {
		src := make([]float32, len(data)/4)
		for i := range src {
			src[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[4*i:]))
		}
		orig := slices.Clone(src)
		for _, im := range is {
			dst := make([]float32, len(src))
			im.f(dst, src)
			for i, x := range src {
				if math.Float32bits(x) != math.Float32bits(orig[i]) {
					t.Fatalf("%s: src[%d] changed from %#08x to %#08x", im.name, i, math.Float32bits(orig[i]), math.Float32bits(x))
				}
				if why := accuracy.Check(x, dst[i], bound); why != "" {
					t.Errorf("%s, n=%d: element %d: %s", im.name, len(src), i, why)
				}
			}
			in := slices.Clone(src)
			im.f(in, in)
			for i := range in {
				if math.Float32bits(in[i]) != math.Float32bits(dst[i]) {
					t.Errorf("%s, n=%d: element %d (x=%v): in place %#08x, out of place %#08x", im.name, len(src), i, src[i], math.Float32bits(in[i]), math.Float32bits(dst[i]))
				}
			}
		}
	})
}

func floatBytes(xs ...float32) []byte {
	b := make([]byte, 4*len(xs))
	for i, x := range xs {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

var updateCorpus = flag.Bool("update-fuzz-corpus", false, "rewrite testdata/fuzz/FuzzSigmoid from fuzzSeeds")

// fuzzSeeds is FuzzSigmoid's seed corpus, by file name.
func fuzzSeeds() map[string][]byte {
	f := math.Float32frombits
	nans := []float32{
		f(0x7fc00000), f(0xffc00000), f(0x7fc00001), f(0x7fd23456), f(0xffd23456), f(0x7fffffff), f(0xffffffff),
		f(0x7f800001), f(0xff800001), f(0x7fa00000), f(0x7f812345), f(0xff812345), f(0x7fbfffff), f(0xffbfffff),
	}
	inf := float32(math.Inf(1))
	negZero := float32(math.Copysign(0, -1))
	infZero := []float32{inf, -inf, 0, negZero}
	subnormal := []float32{f(1), f(0x80000001), f(0x007fffff), f(0x807fffff), f(0x00012345), f(0x80400000), f(0x00800000), f(0x80800000)}
	subResults := []float32{103.97, -103.97, 87.34, -87.34, -87.33, -87.336544, -103.98, -104, -103.27893, -88.72284, -100, -95}
	edge := accuracy.SaturationEdge
	saturation := []float32{16.23, 16.2356, 17.33, -17.33, 17.3287, edge, math.Nextafter32(edge, 0), math.Nextafter32(edge, 20), 16.230066, 16.230068}
	huge := []float32{4.3e26, -4.3e26, math.MaxFloat32, -math.MaxFloat32, 1e30, -1e30, 200, -200}

	seeds := map[string][]byte{
		"empty":              nil,
		"one-nan":            floatBytes(nans[0]),
		"one-negative-nan":   floatBytes(nans[1]),
		"nan-payloads":       floatBytes(nans...),
		"inf-zero":           floatBytes(infZero...),
		"subnormal-inputs":   floatBytes(subnormal...),
		"subnormal-results":  floatBytes(subResults...),
		"saturation":         floatBytes(saturation...),
		"huge":               floatBytes(huge...),
		"partial-last-float": append(floatBytes(-103.97, 17.33), 0x00, 0x00, 0xc0),
	}
	// Every kind of edge value at every lane position, for the lengths
	// around vector sizes.
	var mix []float32
	for _, set := range [][]float32{nans, infZero, subnormal, subResults, saturation, huge} {
		mix = append(mix, set...)
	}
	for _, n := range []int{1, 15, 16, 17, 63, 64, 65} {
		xs := make([]float32, n)
		for i := range xs {
			xs[i] = mix[(i*7+n)%len(mix)]
		}
		seeds[fmt.Sprintf("len-%d", n)] = floatBytes(xs...)
	}
	return seeds
}

// TestFuzzCorpus checks that testdata/fuzz/FuzzSigmoid holds fuzzSeeds, in
// the `go test fuzz v1` format; -update-fuzz-corpus rewrites it.
func TestFuzzCorpus(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzSigmoid")
	for name, data := range fuzzSeeds() {
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
