package main

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/simdsigmoid/sigmoid/internal/accuracy"
)

// The errors are in ULPs of the exact result at the output's precision
// (for float32 the ulp is 2^(e-23) for a result in [2^e, 2^(e+1)), and
// 2^-149, the smallest subnormal's, below 2^-126), measured against a
// float64 reference for float32 (accuracy.SigmoidWide, within about 2^-51
// relative) and a double-double one for float64 (accuracy.Exact64).

// accuracy32 prints, for every float32 implementation, its largest error
// on the first sample inputs of each benchmark range, and what it does
// where the result is subnormal.
func accuracy32(impls []*impl, in [][]float32, sample int) {
	probe := probe32()
	fmt.Printf("### float32 (%s inputs of each range, the timed ones first)\n\n", sizeName(sample))
	fmt.Printf("| implementation | max ULP, x in %s | max ULP, x in %s | worst x | not correctly rounded | x = -100 gives (exact %.4g) | subnormal results, x in [-104, -87] | ±0, ±Inf, NaN, huge ±x |\n",
		ranges[0], ranges[1], accuracy.SigmoidWide(-100))
	fmt.Println("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |")
	for _, m := range impls {
		if m.f32 == nil {
			continue
		}
		var ulps []string
		worst, worstU := float32(0), -1.0
		var wrong, total uint64
		for ri := range ranges {
			st := accuracy.CheckInputs(m.name, m.f32, in[ri][:sample], math.Inf(1))
			ulps = append(ulps, fmt.Sprintf("%.3g", st.MaxULP))
			if st.MaxULP > worstU {
				worst, worstU = st.Worst, st.MaxULP
			}
			wrong += st.NotCorrectlyRounded
			total += st.Inputs
		}
		got := make([]float32, len(probe))
		m.f32(got, probe)
		at100 := got[0] // probe[0] is -100
		flushed, kept, wantNonzero := 0, 0, 0
		var maxU float64
		highest := float32(math.Inf(-1)) // the largest x whose nonzero result came out 0
		for i, x := range probe {
			exact := accuracy.SigmoidWide(x)
			if float32(exact) == 0 {
				continue
			}
			wantNonzero++
			if got[i] == 0 {
				flushed++
				highest = max(highest, x)
			} else {
				kept++
			}
			maxU = max(maxU, accuracy.ULP(got[i], exact))
		}
		sub := fmt.Sprintf("kept, max %.3g ULP", maxU)
		if flushed > 0 {
			sub = fmt.Sprintf("**flushed to 0** for %d of %d inputs (from x = %g down)", flushed, wantNonzero, highest)
		}
		fmt.Printf("| %s | %s | %s | %g | %.2f%% | %.4g | %s | %s |\n", bold(m), ulps[0], ulps[1], worst,
			100*float64(wrong)/float64(total), at100, sub, specials32(m.f32))
	}
	fmt.Println()
}

// specials32 lists the inputs among ±0, ±Inf, NaN and huge finite ones
// whose result is more than 4 ULP off (NaN where a number is due, or the
// reverse), or says "right". The list is padded past a vector's width.
func specials32(f func(dst, src []float32)) string {
	inf := float32(math.Inf(1))
	xs := []float32{0, float32(math.Copysign(0, -1)), inf, -inf, float32(math.NaN()),
		1e10, -1e10, 1e20, -1e20, 4.3e26, -4.3e26, 1e30, -1e30, math.MaxFloat32, -math.MaxFloat32}
	for len(xs) < 64 {
		xs = append(xs, 1)
	}
	got := make([]float32, len(xs))
	f(got, xs)
	var bad []string
	for i, x := range xs {
		exact := math.NaN()
		if x == x {
			exact = accuracy.SigmoidWide(x)
		}
		if accuracy.ULP(got[i], exact) > 4 {
			bad = append(bad, fmt.Sprintf("%g → %g", x, got[i]))
		}
	}
	if len(bad) == 0 {
		return "right"
	}
	return "**wrong**: " + strings.Join(bad, ", ")
}

// specials64 is specials32 for float64.
func specials64(f func(dst, src []float64)) string {
	inf := math.Inf(1)
	xs := []float64{0, math.Copysign(0, -1), inf, -inf, math.NaN(),
		1e10, -1e10, 1e100, -1e100, 1e300, -1e300, math.MaxFloat64, -math.MaxFloat64}
	for len(xs) < 32 {
		xs = append(xs, 1)
	}
	got := make([]float64, len(xs))
	f(got, xs)
	var bad []string
	for i, x := range xs {
		hi, lo := accuracy.Exact64(x)
		if accuracy.ULP64(got[i], hi, lo) > 4 {
			bad = append(bad, fmt.Sprintf("%g → %g", x, got[i]))
		}
	}
	if len(bad) == 0 {
		return "right"
	}
	return "**wrong**: " + strings.Join(bad, ", ")
}

// probe32 is x = -100, then -87 down to -104 in steps of 1/8: results from
// just above the smallest normal float32 (2^-126 at x ≈ -87.34) down past
// the smallest subnormal (2^-149 at x ≈ -103.28). More than a vector's
// worth, so every implementation runs its vector code on them.
func probe32() []float32 {
	xs := []float32{-100}
	for x := float32(-87); x >= -104; x -= 0.125 {
		xs = append(xs, x)
	}
	return xs
}

// accuracy64 is accuracy32 for the float64 implementations, with results
// subnormal for x in about [-745, -708].
func accuracy64(impls []*impl, in [][]float64, sample int) {
	var fs []accuracy.Func64
	var ms []*impl
	for _, m := range impls {
		if m.f64 != nil {
			fs = append(fs, accuracy.Func64{Name: m.name, F: m.f64})
			ms = append(ms, m)
		}
	}
	var stats [][]accuracy.Stats64
	for ri := range ranges {
		stats = append(stats, accuracy.CheckAll64(fs, in[ri][:sample], math.Inf(1)))
	}
	probe := []float64{-720}
	for x := -705.0; x >= -746; x -= 0.25 {
		probe = append(probe, x)
	}
	h720, _ := accuracy.Exact64(-720)
	fmt.Printf("### float64 (%s inputs of each range, against a double-double reference)\n\n", sizeName(sample))
	fmt.Printf("| implementation | max ULP, x in %s | max ULP, x in %s | worst x | not correctly rounded | x = -720 gives (exact %.4g) | subnormal results, x in [-746, -705] | ±0, ±Inf, NaN, huge ±x |\n",
		ranges[0], ranges[1], h720)
	fmt.Println("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |")
	for k, m := range ms {
		s0, s1 := stats[0][k], stats[1][k]
		worst := s0.Worst
		if s1.MaxULP > s0.MaxULP {
			worst = s1.Worst
		}
		got := make([]float64, len(probe))
		m.f64(got, probe)
		flushed, wantNonzero := 0, 0
		var maxU float64
		highest := math.Inf(-1)
		for i, x := range probe {
			hi, lo := accuracy.Exact64(x)
			if hi == 0 {
				continue
			}
			wantNonzero++
			if got[i] == 0 {
				flushed++
				highest = max(highest, x)
			}
			maxU = max(maxU, accuracy.ULP64(got[i], hi, lo))
		}
		sub := fmt.Sprintf("kept, max %.3g ULP", maxU)
		if flushed > 0 {
			sub = fmt.Sprintf("**flushed to 0** for %d of %d inputs (from x = %g down)", flushed, wantNonzero, highest)
		}
		wrong := s0.NotCorrectlyRounded + s1.NotCorrectlyRounded
		fmt.Printf("| %s | %.3g | %.3g | %g | %.2f%% | %.4g | %s | %s |\n", bold(m), s0.MaxULP, s1.MaxULP, worst,
			100*float64(wrong)/float64(s0.Inputs+s1.Inputs), got[0], sub, specials64(m.f64))
	}
	fmt.Println()
}

// sweepAll runs every float32 implementation on all 2^32 inputs.
func sweepAll(impls []*impl) {
	var fs []accuracy.Func
	var ms []*impl
	for _, m := range impls {
		if m.f32 != nil {
			fs = append(fs, accuracy.Func{Name: m.name, F: m.f32})
			ms = append(ms, m)
		}
	}
	stats := accuracy.SweepAll(fs, uint32(*stride), math.Inf(1))
	what := "all 2^32 inputs"
	if *stride > 1 {
		what = fmt.Sprintf("every %d-th bit pattern, %d inputs", *stride, stats[0].Inputs)
	}
	fmt.Printf("### float32, %s (%v)\n\n", what, stats[0].Duration.Round(time.Second))
	fmt.Println("| implementation | max ULP | worst x | not correctly rounded | inputs with a subnormal exact result |")
	fmt.Println("| --- | ---: | ---: | ---: | ---: |")
	for k, st := range stats {
		fmt.Printf("| %s | %.3g | %g | %.3g%% | %d |\n", bold(ms[k]), st.MaxULP, st.Worst,
			100*float64(st.NotCorrectlyRounded)/float64(st.Inputs), st.SubnormalResults)
	}
	fmt.Println()
}

func bold(m *impl) string {
	if m.kind == own {
		return "**" + m.name + "**"
	}
	return strings.TrimSpace(m.name)
}
