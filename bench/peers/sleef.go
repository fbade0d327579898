package main

// #cgo LDFLAGS: -lsleef
// #include "peers.h"
import "C"

import "unsafe"

// sleefImpls are the SLEEF-based sigmoids this CPU runs.
func sleefImpls() []*impl {
	var out []*impl
	if C.peers_cpu_avx512f() != 0 {
		out = append(out, &impl{
			name: "SLEEF AVX-512", isa: "avx512", kind: peer,
			f32: func(dst, src []float32) { C.peers_sleef_f32_avx512(f32p(dst), f32p(src), C.size_t(len(src))) },
			run32: func(dst, src []float32, reps int) {
				C.peers_sleef_f32_avx512_reps(f32p(dst), f32p(src), C.size_t(len(src)), C.long(reps))
			},
			f64: func(dst, src []float64) { C.peers_sleef_f64_avx512(f64p(dst), f64p(src), C.size_t(len(src))) },
			run64: func(dst, src []float64, reps int) {
				C.peers_sleef_f64_avx512_reps(f64p(dst), f64p(src), C.size_t(len(src)), C.long(reps))
			},
		})
	}
	if C.peers_cpu_avx2fma() != 0 {
		out = append(out, &impl{
			name: "SLEEF AVX2", isa: "avx2", kind: peer,
			f32: func(dst, src []float32) { C.peers_sleef_f32_avx2(f32p(dst), f32p(src), C.size_t(len(src))) },
			run32: func(dst, src []float32, reps int) {
				C.peers_sleef_f32_avx2_reps(f32p(dst), f32p(src), C.size_t(len(src)), C.long(reps))
			},
			f64: func(dst, src []float64) { C.peers_sleef_f64_avx2(f64p(dst), f64p(src), C.size_t(len(src))) },
			run64: func(dst, src []float64, reps int) {
				C.peers_sleef_f64_avx2_reps(f64p(dst), f64p(src), C.size_t(len(src)), C.long(reps))
			},
		})
	}
	return out
}

// f32p and f64p pass a slice's first element to C (nil for an empty one).
// The C code keeps no pointer after it returns.
func f32p(s []float32) *C.float {
	if len(s) == 0 {
		return nil
	}
	return (*C.float)(unsafe.Pointer(&s[0]))
}

func f64p(s []float64) *C.double {
	if len(s) == 0 {
		return nil
	}
	return (*C.double)(unsafe.Pointer(&s[0]))
}
