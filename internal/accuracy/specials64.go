package accuracy

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync"
)

// Edges of the float64 sigmoid, found by bisection on Exact64 and checked
// by TestEdges64.
const (
	// SaturationEdge64 is the smallest float64 whose sigmoid rounds to 1
	// (just above 54·ln 2, where e^-x < 2^-54).
	SaturationEdge64 = 0x1.2b708872320e2p+05 // 37.42994775023705
	// NearOneEdge64 is the smallest float64 whose sigmoid rounds to
	// 1-2^-53, the largest float64 below 1 (ln(2^54/3)).
	NearOneEdge64 = 0x1.22a69334db8cap+05 // 36.33133546156894
	// SubnormalEdge64 is the smallest float64 whose sigmoid is at least
	// 2^-1022: below it results are subnormal.
	SubnormalEdge64 = -0x1.6232bdd7abcd2p+09 // -708.3964185322641
	// UnderflowEdge64 is the smallest float64 whose sigmoid does not
	// round to 0 (the exact value exceeds 2^-1075).
	UnderflowEdge64 = -0x1.74910d52d3051p+09 // -745.1332191019411
)

// WalkSteps64 is how many float64 neighbours Specials64 takes on each side
// of every edge in edges64.
const WalkSteps64 = 64

// edges64 are the inputs where a float64 kernel's behaviour changes;
// Specials64 walks WalkSteps64 neighbours either side of each.
var edges64 = []float64{
	// Around 0: 0.5 + x/4 rounds to 0.5 up to x = 2^-52 and down to x =
	// -2^-53; walking around 0 also covers the smallest subnormal inputs.
	0, 0x1p-52, -0x1p-52, 0x1p-53, -0x1p-53,
	// Towards 1: 1+e^-x rounds to 1 from 53·ln 2 ≈ 36.7368 (where a naive
	// 1/(1+exp(-x)) saturates), the result rounds to 1-2^-53 from
	// NearOneEdge64 and to 1 from SaturationEdge64.
	NearOneEdge64, 0x1.25e4f7b2737fap+05, SaturationEdge64,
	// e^-x leaves the float64 range: it overflows below -ln(MaxFloat64)
	// ≈ -709.78 (where a naive formula returns 0 for a nonzero result), is
	// subnormal above 708.40 and 0 above 745.13.
	-0x1.62e42fefa39efp+09, 0x1.62e42fefa39efp+09, -SubnormalEdge64, -UnderflowEdge64,
	// Subnormal results: from SubnormalEdge64 down, 2^-1074 at ln(2^-1074)
	// ≈ -744.44, rounding to 0 below UnderflowEdge64.
	SubnormalEdge64, -744.4400719213812, UnderflowEdge64,
	// Path boundaries of fallback.Sigmoid64 (±354.89, ±708, -746) and of
	// Exact64's scaled form (-671.66, where the result crosses Tiny64).
	354.8913564, -354.8913564, 708, -708, -746, 746, -671.6596179625869,
}

// Specials64 returns the inputs every quick float64 test must include,
// without duplicate bit patterns, in a fixed order (a new slice each call):
// ±0, ±Inf, NaNs (quiet and signalling, both signs, several payloads), the
// smallest and largest subnormals and normals, ±MaxFloat64, small values
// (2^-1022 ... 2^-30), a few ordinary values, and WalkSteps64 float64
// neighbours either side of every value in edges64: the saturation edges
// (36.33, 36.74, 37.43), the subnormal and underflow edges (-708.40,
// -744.44, -745.13), the overflow edge of e^-x (±709.78), the edges of
// 0.5 (±2^-52, ±2^-53) and the path boundaries of the fallback.
func Specials64() []float64 { return slices.Clone(specials64()) }

// specials64 builds Specials64's list once: Inputs64 asks for it per call.
var specials64 = sync.OnceValue(func() []float64 {
	var out []float64
	seen := make(map[uint64]bool)
	add := func(x float64) {
		if b := math.Float64bits(x); !seen[b] {
			seen[b] = true
			out = append(out, x)
		}
	}
	inf := math.Inf(1)
	for _, x := range []float64{
		0, inf, 0.5, 1, 2, 10, 100, 1e300, math.MaxFloat64,
		0x1p-1022, 0x1p-1000, 1e-300, 0x1p-100, 0x1p-60, 0x1p-54, 0x1p-30,
	} {
		add(x)
		add(-x)
	}
	for _, b := range []uint64{
		// Quiet NaNs: the default (and its negative), payloads, all-ones.
		0x7ff8000000000000, 0xfff8000000000000, 0x7ff8000000000001, 0xfff8000000000001,
		0x7ffc123456789abc, 0xfffc123456789abc, 0x7fffffffffffffff, 0xffffffffffffffff,
		// Signalling NaNs: smallest and largest payloads, others.
		0x7ff0000000000001, 0xfff0000000000001, 0x7ff4000000000000, 0xfff4000000000000,
		0x7ff0123456789abc, 0xfff0123456789abc, 0x7ff7ffffffffffff, 0xfff7ffffffffffff,
		// Smallest and largest subnormals, smallest and largest normals.
		0x0000000000000001, 0x8000000000000001, 0x000fffffffffffff, 0x800fffffffffffff,
		0x0010000000000000, 0x8010000000000000, 0x7fefffffffffffff, 0xffefffffffffffff,
	} {
		add(math.Float64frombits(b))
	}
	for _, e := range edges64 {
		add(e)
		for _, dir := range []float64{inf, -inf} {
			x := e
			for range WalkSteps64 {
				x = math.Nextafter(x, dir)
				add(x)
			}
		}
	}
	return out
})

// kindRun is the length of a run of one category: long enough that
// vectors of like inputs take each kernel's fast and tiny code (whole
// blocks of 4 or 8 elements, unrolled up to 4 times), and not a multiple
// of any, so that the blocks across runs' edges mix categories.
const kindRun = 37

// inputKinds is the cycle of categories Inputs64 draws from after the
// specials, kindRun inputs each: out of every 16 runs, 2 of random bit
// patterns, 2 uniform in (-1, 1), 2 uniform in (-40, 40), 1 ±(1+f)·2^-e
// over every binade below 1 (subnormal inputs included), 1 uniform in [36, 38.5]
// (saturation), 1 in [-709, -707.8] (results becoming subnormal), 1 in
// [-745.5, -744.8] (underflow), 2 in [-745.2, -708] (subnormal results),
// 1 in [-708, -40], 1 uniform in [-800, 800], and 2 within 2^16 float64
// steps of an edge of Specials64.
var inputKinds = [16]uint8{
	kindBits, kindUnit, kindForty, kindTiny, kindSat, kindSubEdge, kindUnderflow, kindSubnormal,
	kindBits, kindUnit, kindForty, kindNegTail, kindWide, kindEdgeWalk, kindSubnormal, kindEdgeWalk,
}

const (
	kindBits = iota
	kindUnit
	kindForty
	kindTiny
	kindSat
	kindSubEdge
	kindUnderflow
	kindSubnormal
	kindNegTail
	kindWide
	kindEdgeWalk
)

// Inputs64 returns n float64 inputs, the same for the same n and seed:
// Specials64() first (its first n if n is smaller), then inputs drawn in
// turn from the categories of inputKinds, kindRun at a time (out of every
// 16 runs: 2 of random bit patterns over the whole range, 2 uniform in
// (-1, 1), 2 uniform in (-40, 40), 1 spread over all binades below 1, 1
// around the saturation edges [36, 38.5], 1 around the subnormal edge
// [-709, -707.8], 1 around the underflow edge [-745.5, -744.8], 2 over
// the subnormal results [-745.2, -708], 1 in [-708, -40], 1 in [-800,
// 800] and 2 near an edge), on every platform.
func Inputs64(n int, seed uint64) []float64 {
	out := Specials64()
	if n <= len(out) {
		return out[:n:n]
	}
	out = append(make([]float64, 0, n), out...)
	r := rand.New(rand.NewPCG(seed, 0x5eed64))
	// (The conversion rounds the product: without it Go may fuse the
	// multiply-add, which would make the inputs depend on the platform.)
	uniform := func(lo, hi float64) float64 { return lo + float64((hi-lo)*r.Float64()) }
	for i := 0; len(out) < n; i++ {
		var x float64
		switch inputKinds[i/kindRun%len(inputKinds)] {
		case kindBits:
			x = math.Float64frombits(r.Uint64())
		case kindUnit:
			x = uniform(-1, 1)
		case kindForty:
			x = uniform(-40, 40)
		case kindTiny:
			x = math.Ldexp(1+r.Float64(), -1-r.IntN(1074))
			if r.Uint64()&1 != 0 {
				x = -x
			}
		case kindSat:
			x = uniform(36, 38.5)
		case kindSubEdge:
			x = uniform(-709, -707.8)
		case kindUnderflow:
			x = uniform(-745.5, -744.8)
		case kindSubnormal:
			x = uniform(-745.2, -708)
		case kindNegTail:
			x = uniform(-708, -40)
		case kindWide:
			x = uniform(-800, 800)
		case kindEdgeWalk:
			x = step64(edges64[r.IntN(len(edges64))], r.IntN(1<<17)-1<<16)
		}
		out = append(out, x)
	}
	return out
}

// step64 returns the float64 k steps (ulps) above x, across 0 if need be:
// bit patterns, read as sign and magnitude, are ordered like the values.
func step64(x float64, k int) float64 {
	b := math.Float64bits(x)
	o := int64(b &^ (1 << 63))
	if b>>63 != 0 {
		o = -o
	}
	o += int64(k)
	if o < 0 {
		return -math.Float64frombits(uint64(-o))
	}
	return math.Float64frombits(uint64(o))
}
