package main

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/simdsigmoid/sigmoid/fallback"
	"github.com/simdsigmoid/sigmoid/internal/accuracy"
)

// The errors are in ULPs of the exact result at the output's precision
// (for float32 the ulp is 2^(e-23) for a result in [2^e, 2^(e+1)), and
// 2^-149, the smallest subnormal's, below 2^-126), measured against a
// float64 reference for float32 (fallback.SigmoidScalar64, within 0.502
// float64 ULP) and a double-double one for float64 (accuracy.Exact64).

// accuracy32 prints, for every float32 implementation, its largest error
// on the first sample inputs of each benchmark range, and what it does
// where the result is subnormal.
func accuracy32(impls []*impl, in [][]float32, sample int) {
	probe := probe32()
	fmt.Printf("### float32 (%s inputs of each range, the timed ones first)\n\n", sizeName(sample))
	fmt.Printf("| implementation | max ULP, x in %s | max ULP, x in %s | worst x | not correctly rounded | x = -100 gives (exact %.4g) | subnormal results, x in [-104, -87] |\n",
		ranges[0], ranges[1], fallback.SigmoidScalar64(-100))
	fmt.Println("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
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
			exact := fallback.SigmoidScalar64(float64(x))
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
		fmt.Printf("| %s | %s | %s | %g | %.2f%% | %.4g | %s |\n", bold(m), ulps[0], ulps[1], worst,
			100*float64(wrong)/float64(total), at100, sub)
	}
	fmt.Println()
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
	fmt.Printf("| implementation | max ULP, x in %s | max ULP, x in %s | worst x | not correctly rounded | x = -720 gives (exact %.4g) | subnormal results, x in [-746, -705] |\n",
		ranges[0], ranges[1], h720)
	fmt.Println("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
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
		fmt.Printf("| %s | %.3g | %.3g | %g | %.2f%% | %.4g | %s |\n", bold(m), s0.MaxULP, s1.MaxULP, worst,
			100*float64(wrong)/float64(s0.Inputs+s1.Inputs), got[0], sub)
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
	stats := accuracy.SweepAll(fs, 1, math.Inf(1))
	fmt.Printf("### float32, all 2^32 inputs (%v)\n\n", stats[0].Duration.Round(time.Second))
	fmt.Println("| implementation | max ULP | worst x | not correctly rounded (of the non-NaN inputs) | subnormal results |")
	fmt.Println("| --- | ---: | ---: | ---: | ---: |")
	for k, st := range stats {
		nonNaN := float64(uint64(1)<<32 - (1<<24 - 2)) // 2^24-2 NaN bit patterns
		fmt.Printf("| %s | %.3g | %g | %.3g%% | %d |\n", bold(ms[k]), st.MaxULP, st.Worst,
			100*float64(st.NotCorrectlyRounded)/nonNaN, st.SubnormalResults)
	}
	fmt.Println()
}

func bold(m *impl) string {
	if m.kind == own {
		return "**" + m.name + "**"
	}
	return strings.TrimSpace(m.name)
}
