package main

import "math"

// expTable holds 2^(j/N) for j in [0, N) as a float32 pair hi+lo: hi is the
// value rounded to float32, lo the rest, so that hi+lo is good to about 2^-48.
// The kernels fold lo into the polynomial's low-order term rather than
// rounding 2^(j/N) once more.
func expTable(n int) (hi, lo []float32) {
	hi = make([]float32, n)
	lo = make([]float32, n)
	for j := range n {
		v := math.Exp2(float64(j) / float64(n))
		hi[j] = float32(v)
		lo[j] = float32(v - float64(hi[j]))
	}
	return hi, lo
}

// expPoly returns u(s) = c[0] + c[1] s + … so that 1 + s·u(s) ≈ e^-s on
// |s| ≤ h: u interpolates (e^-s - 1)/s at Chebyshev nodes, which is within a
// small factor of the minimax polynomial and needs no iteration. The
// coefficients are rounded to float32 (the error that adds is below 2^-34
// for the interval used here).
func expPoly(h float64, degree int) []float32 {
	// degree is the degree in s of 1 + s·u(s); u has degree-1.
	m := degree // number of nodes for u
	xs := make([]float64, m)
	ys := make([]float64, m)
	for i := range m {
		xs[i] = h * math.Cos(math.Pi*(float64(i)+0.5)/float64(m))
		ys[i] = math.Expm1(-xs[i]) / xs[i]
	}
	// Newton divided differences, then expand into monomial coefficients.
	dd := append([]float64(nil), ys...)
	for k := 1; k < m; k++ {
		for i := m - 1; i >= k; i-- {
			dd[i] = (dd[i] - dd[i-1]) / (xs[i] - xs[i-k])
		}
	}
	coef := make([]float64, m)
	for k := m - 1; k >= 0; k-- {
		// coef = coef*(s - xs[k]) + dd[k]
		for i := m - 1; i > 0; i-- {
			coef[i] = coef[i-1] - xs[k]*coef[i]
		}
		coef[0] = -xs[k]*coef[0] + dd[k]
	}
	out := make([]float32, m)
	for i, c := range coef {
		out[i] = float32(c)
	}
	return out
}
