package accuracy

import (
	"math"
	"slices"
	"sync"
)

// WalkSteps is how many float32 neighbours Specials takes on each side of
// every edge in edges.
const WalkSteps = 128

// edges are the inputs where a kernel's behaviour changes: where the result
// saturates to 1, where exp(-x) leaves the float32 range, where the result
// becomes subnormal and then 0, and where 0.5 + x/4 stops rounding to 0.5.
// Specials walks WalkSteps float32 neighbours either side of each.
var edges = []float32{
	// Saturation towards 1: the result first rounds to 1-2^-24 at
	// 16.230068 and to 1 at SaturationEdge (just above 25·ln 2 ≈ 17.3287).
	16.23, 16.2356, NearOneEdge, 17.3287, SaturationEdge,
	// exp(-x) leaves the float32 range: overflow at -88.72, subnormal below
	// 2^-126 at 87.34, 0 at 103.97.
	87.33, 87.34, 88.72284, 103.97, 104,
	// Subnormal results: below 2^-126 from -87.33655, 2^-149 at -103.279,
	// rounding to 0 from -103.972084 (2^-150) down.
	-87.33, -87.336544, -87.34, -88.72284, -103.27893, -103.97, -103.972, -103.98, -104,
	// Around 0: sigmoid(x) ≈ 0.5 + x/4 rounds to 0.5 up to x = 2^-23 and
	// down to x = -2^-24; walking around 0 also covers the smallest
	// subnormal inputs.
	0, 0x1p-23, -0x1p-23, 0x1p-24, -0x1p-24, 0x1p-25, -0x1p-25,
}

// Specials returns the inputs every quick test must include, without
// duplicate bit patterns, in a fixed order (a new slice each call):
// ±0, ±Inf, NaNs (quiet and signalling, both signs, several payloads), the
// smallest and largest subnormals and normals and ±MaxFloat32, ±4.3e26, a
// few ordinary values, and WalkSteps float32 neighbours either side of
// every value in edges.
func Specials() []float32 { return slices.Clone(specials32()) }

// specials32 builds Specials' list once: the sweeps ask for it per chunk.
var specials32 = sync.OnceValue(func() []float32 {
	var out []float32
	seen := make(map[uint32]bool)
	add := func(x float32) {
		if b := math.Float32bits(x); !seen[b] {
			seen[b] = true
			out = append(out, x)
		}
	}
	addBits := func(bs ...uint32) {
		for _, b := range bs {
			add(math.Float32frombits(b))
		}
	}
	inf := float32(math.Inf(1))
	for _, x := range []float32{0, inf, 0.5, 1, 2, 10, 4.3e26, math.MaxFloat32} {
		add(x)
		add(-x)
	}
	addBits(
		// Quiet NaNs: the default (and its negative), payloads, all-ones.
		0x7fc00000, 0xffc00000, 0x7fc00001, 0xffc00001, 0x7fd23456, 0xffd23456,
		0x7fe00000, 0xffe00000, 0x7fffffff, 0xffffffff,
		// Signalling NaNs: smallest and largest payloads, others.
		0x7f800001, 0xff800001, 0x7fa00000, 0xffa00000, 0x7f812345, 0xff812345,
		0x7fbfffff, 0xffbfffff,
		// Smallest and largest subnormals, smallest and largest normals.
		0x00000001, 0x80000001, 0x007fffff, 0x807fffff,
		0x00800000, 0x80800000, 0x7f7fffff, 0xff7fffff,
	)
	for _, e := range edges {
		add(e)
		for _, dir := range []float32{inf, -inf} {
			x := e
			for range WalkSteps {
				x = math.Nextafter32(x, dir)
				add(x)
			}
		}
	}
	return out
})
