package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
)

// inputs holds, for each range, the largest size's inputs; smaller sizes
// use a prefix. The float32 inputs are the float64 ones rounded.
type inputs struct {
	f32 [][]float32
	f64 [][]float64
}

func newInputs(sizes []int) inputs {
	n := max(slices.Max(sizes), 1<<20) // the accuracy sample may be longer than every timed size
	var in inputs
	for i, r := range ranges {
		rng := rand.New(rand.NewPCG(1, uint64(i)))
		x64 := make([]float64, n)
		x32 := make([]float32, n)
		for j := range x64 {
			x64[j] = r.lo + (r.hi-r.lo)*rng.Float64()
			x32[j] = float32(x64[j])
			if float64(x32[j]) >= r.hi { // rounding up to the open end
				x32[j] = math.Nextafter32(float32(r.hi), float32(r.lo))
			}
		}
		in.f32 = append(in.f32, x32)
		in.f64 = append(in.f64, x64)
	}
	return in
}

// sample is one implementation's timings at one size and range, in
// ns/element.
type sample struct{ med, min, max float64 }

func (s sample) spread() float64 { return 100 * (s.max - s.min) / s.med }

// results is [range][size] -> per implementation (nil where it has no
// such element type).
type results struct {
	impls []*impl
	sizes []int
	by    map[[2]int][]*sample
}

// measure times every implementation that has the element type, in one
// process, size by size and range by range: calibrate each to about
// *target per timing, then *rounds rounds, each timing every
// implementation once in an order rotated by one every round.
func measure[T float32 | float64](impls []*impl, src [][]T, sizes []int, run func(*impl) func(dst, src []T, reps int)) results {
	res := results{impls: impls, sizes: sizes, by: map[[2]int][]*sample{}}
	dst := make([]T, len(src[0]))
	for ri := range src {
		for si, n := range sizes {
			s, d := src[ri][:n], dst[:n]
			var idx []int
			reps := make([]int, len(impls))
			for i, m := range impls {
				if f := run(m); f != nil {
					idx = append(idx, i)
					validate(m, f, d, s)
					reps[i] = calibrate(func(r int) { f(d, s, r) })
				}
			}
			times := make([][]float64, len(impls))
			for r := range *rounds {
				for j := range idx {
					i := idx[(j+r)%len(idx)]
					f := run(impls[i])
					t0 := now()
					f(d, s, reps[i])
					t := now() - t0
					times[i] = append(times[i], float64(t.Nanoseconds())/float64(reps[i])/float64(n))
				}
			}
			row := make([]*sample, len(impls))
			for _, i := range idx {
				ts := times[i]
				slices.Sort(ts)
				row[i] = &sample{med: median(ts), min: ts[0], max: ts[len(ts)-1]}
			}
			res.by[[2]int{ri, si}] = row
		}
	}
	return res
}

// validate runs f once over s into d, prefilled with NaN, and exits if
// any result is off (an absolute error over 1e-6, or for copy() any
// difference): a timing is only worth printing if the call did the work.
func validate[T float32 | float64](m *impl, f func(dst, src []T, reps int), d, s []T) {
	nan := T(math.NaN())
	for i := range d {
		d[i] = nan
	}
	f(d, s, 1)
	for i, x := range s {
		want := 1 / (1 + math.Exp(-float64(x)))
		switch {
		case m.kind == baseline:
			want = float64(x)
		case m.ref != nil:
			want = m.ref(float32(x))
		}
		// The other functions' peers are checked loosely: oneDNN's
		// soft_relu is off by 0.5% at x = -8.5.
		tol := 1e-6
		if m.ref != nil {
			tol += 1e-2 * math.Abs(want)
		}
		if !(math.Abs(float64(d[i])-want) <= tol) {
			fmt.Fprintf(os.Stderr, "peers: %s gives %v for x = %v at index %d of %d, want %v\n", m.name, d[i], x, i, len(s), want)
			os.Exit(1)
		}
	}
}

// calibrate returns the repetitions for a timing of about *target, after a
// warm-up call.
func calibrate(f func(reps int)) int {
	f(1)
	reps := 1
	for {
		t0 := now()
		f(reps)
		t := now() - t0
		if t >= *target/10 || reps >= 1<<30 {
			return max(1, int(math.Round(float64(reps)*float64(*target)/float64(max(t, 1)))))
		}
		reps *= 4
	}
}

func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// printTable prints one Markdown table of res for the given sizes (indices
// into res.sizes found by value) and ranges.
func printTable(res results, elem string, sizes []int, rs []xrange) {
	fmt.Printf("| %s: n | x in | implementation | ns/element | spread | vs XNNPACK | vs SLEEF, same ISA | |\n", elem)
	fmt.Println("| ---: | --- | --- | ---: | ---: | ---: | ---: | --- |")
	for _, r := range rs {
		ri := slices.Index(ranges, r)
		for _, n := range sizes {
			si := slices.Index(res.sizes, n)
			row := res.by[[2]int{ri, si}]
			xnn, sleef := -1.0, map[string]float64{}
			for i, m := range res.impls {
				if row[i] == nil {
					continue
				}
				if m.name == "XNNPACK" {
					xnn = row[i].med
				}
				if m.kind == peer && m.isa != "" {
					sleef[m.isa] = row[i].med
				}
			}
			for i, m := range res.impls {
				s := row[i]
				if s == nil {
					continue
				}
				vx, vs := "—", "—"
				if xnn > 0 && m.name != "XNNPACK" {
					vx = fmt.Sprintf("%.2f×", s.med/xnn)
				}
				if ref, ok := sleef[m.isa]; ok && m.kind == own {
					vs = fmt.Sprintf("%.2f× (%s)", s.med/ref, m.isa)
				}
				note := ""
				if s.spread() > *maxSpr {
					note = "unreliable"
				}
				name := m.name
				if m.kind == own {
					name = "**" + name + "**"
				}
				fmt.Printf("| %s | %s | %s | %s | %.1f%% | %s | %s | %s |\n",
					sizeName(n), r, name, nsFmt(s.med), s.spread(), vx, vs, note)
			}
		}
	}
	fmt.Println()
}

func nsFmt(v float64) string {
	switch {
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	case v >= 0.1:
		return fmt.Sprintf("%.3f", v)
	}
	return strings.TrimRight(fmt.Sprintf("%.4f", v), "0")
}
