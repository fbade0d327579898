// SLEEF-based sigmoid, y = 1/(1+exp(-x)), with Sleef_expf16_u10avx512f,
// Sleef_expf8_u10avx2, Sleef_expd8_u10avx512f and Sleef_expd4_u10avx2 and a
// vector divide. Each function is compiled for its target only, so this
// file builds with the default flags and the program runs on any x86-64;
// the caller checks the CPU first. The last partial vector is loaded and
// stored under a mask, never past the ends of the arrays.

#include <immintrin.h>
#include <stdint.h>

// sleef.h declares its AVX-512 and AVX2 functions only when the compiler
// targets those ISAs.
#pragma GCC push_options
#pragma GCC target("avx2,fma,avx512f")
#include <sleef.h>
#pragma GCC pop_options

#include "peers.h"

int peers_cpu_avx512f(void) {
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx512f");
}

int peers_cpu_avx2fma(void) {
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

__attribute__((target("avx512f"), noinline))
void peers_sleef_f32_avx512(float *dst, const float *src, size_t n) {
	const __m512 one = _mm512_set1_ps(1.0f), zero = _mm512_setzero_ps();
	size_t i = 0;
	for (; i + 16 <= n; i += 16) {
		__m512 x = _mm512_loadu_ps(src + i);
		__m512 e = Sleef_expf16_u10avx512f(_mm512_sub_ps(zero, x));
		_mm512_storeu_ps(dst + i, _mm512_div_ps(one, _mm512_add_ps(one, e)));
	}
	if (i < n) {
		__mmask16 m = (__mmask16)((1u << (n - i)) - 1);
		__m512 x = _mm512_maskz_loadu_ps(m, src + i);
		__m512 e = Sleef_expf16_u10avx512f(_mm512_sub_ps(zero, x));
		_mm512_mask_storeu_ps(dst + i, m, _mm512_div_ps(one, _mm512_add_ps(one, e)));
	}
}

__attribute__((target("avx2,fma"), noinline))
void peers_sleef_f32_avx2(float *dst, const float *src, size_t n) {
	const __m256 one = _mm256_set1_ps(1.0f), zero = _mm256_setzero_ps();
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		__m256 x = _mm256_loadu_ps(src + i);
		__m256 e = Sleef_expf8_u10avx2(_mm256_sub_ps(zero, x));
		_mm256_storeu_ps(dst + i, _mm256_div_ps(one, _mm256_add_ps(one, e)));
	}
	if (i < n) {
		__m256i m = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)(n - i)),
			_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
		__m256 x = _mm256_maskload_ps(src + i, m);
		__m256 e = Sleef_expf8_u10avx2(_mm256_sub_ps(zero, x));
		_mm256_maskstore_ps(dst + i, m, _mm256_div_ps(one, _mm256_add_ps(one, e)));
	}
}

__attribute__((target("avx512f"), noinline))
void peers_sleef_f64_avx512(double *dst, const double *src, size_t n) {
	const __m512d one = _mm512_set1_pd(1.0), zero = _mm512_setzero_pd();
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		__m512d x = _mm512_loadu_pd(src + i);
		__m512d e = Sleef_expd8_u10avx512f(_mm512_sub_pd(zero, x));
		_mm512_storeu_pd(dst + i, _mm512_div_pd(one, _mm512_add_pd(one, e)));
	}
	if (i < n) {
		__mmask8 m = (__mmask8)((1u << (n - i)) - 1);
		__m512d x = _mm512_maskz_loadu_pd(m, src + i);
		__m512d e = Sleef_expd8_u10avx512f(_mm512_sub_pd(zero, x));
		_mm512_mask_storeu_pd(dst + i, m, _mm512_div_pd(one, _mm512_add_pd(one, e)));
	}
}

__attribute__((target("avx2,fma"), noinline))
void peers_sleef_f64_avx2(double *dst, const double *src, size_t n) {
	const __m256d one = _mm256_set1_pd(1.0), zero = _mm256_setzero_pd();
	size_t i = 0;
	for (; i + 4 <= n; i += 4) {
		__m256d x = _mm256_loadu_pd(src + i);
		__m256d e = Sleef_expd4_u10avx2(_mm256_sub_pd(zero, x));
		_mm256_storeu_pd(dst + i, _mm256_div_pd(one, _mm256_add_pd(one, e)));
	}
	if (i < n) {
		__m256i m = _mm256_cmpgt_epi64(_mm256_set1_epi64x((long long)(n - i)),
			_mm256_setr_epi64x(0, 1, 2, 3));
		__m256d x = _mm256_maskload_pd(src + i, m);
		__m256d e = Sleef_expd4_u10avx2(_mm256_sub_pd(zero, x));
		_mm256_maskstore_pd(dst + i, m, _mm256_div_pd(one, _mm256_add_pd(one, e)));
	}
}

void peers_sleef_f32_avx512_reps(float *dst, const float *src, size_t n, long reps) {
	for (long r = 0; r < reps; r++)
		peers_sleef_f32_avx512(dst, src, n);
}

void peers_sleef_f32_avx2_reps(float *dst, const float *src, size_t n, long reps) {
	for (long r = 0; r < reps; r++)
		peers_sleef_f32_avx2(dst, src, n);
}

void peers_sleef_f64_avx512_reps(double *dst, const double *src, size_t n, long reps) {
	for (long r = 0; r < reps; r++)
		peers_sleef_f64_avx512(dst, src, n);
}

void peers_sleef_f64_avx2_reps(double *dst, const double *src, size_t n, long reps) {
	for (long r = 0; r < reps; r++)
		peers_sleef_f64_avx2(dst, src, n);
}

// Tanh, softplus and log-sigmoid from SLEEF (fn 0, 1, 2): Sleef_tanhf*_u10,
// and max(x, 0) + log1p(e^-|x|), min(x, 0) - log1p(e^-|x|) composed of
// Sleef_expf*_u10 and Sleef_log1pf*_u10, the form that neither overflows
// nor cancels.
__attribute__((target("avx2,fma")))
static inline __m256 fn_avx2(int fn, __m256 x) {
	if (fn == 0)
		return Sleef_tanhf8_u10avx2(x);
	const __m256 zero = _mm256_setzero_ps();
	__m256 a = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), x);
	__m256 l = Sleef_log1pf8_u10avx2(Sleef_expf8_u10avx2(_mm256_sub_ps(zero, a)));
	if (fn == 1)
		return _mm256_add_ps(_mm256_max_ps(x, zero), l);
	return _mm256_sub_ps(_mm256_min_ps(x, zero), l);
}

__attribute__((target("avx2,fma"), noinline))
void peers_sleef_fn_f32_avx2(int fn, float *dst, const float *src, size_t n, long reps) {
	for (long r = 0; r < reps; r++) {
		size_t i = 0;
		for (; i + 8 <= n; i += 8)
			_mm256_storeu_ps(dst + i, fn_avx2(fn, _mm256_loadu_ps(src + i)));
		if (i < n) {
			__m256i m = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)(n - i)),
				_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
			_mm256_maskstore_ps(dst + i, m, fn_avx2(fn, _mm256_maskload_ps(src + i, m)));
		}
	}
}

__attribute__((target("avx512f")))
static inline __m512 fn_avx512(int fn, __m512 x) {
	if (fn == 0)
		return Sleef_tanhf16_u10avx512f(x);
	const __m512 zero = _mm512_setzero_ps();
	__m512 a = _mm512_abs_ps(x);
	__m512 l = Sleef_log1pf16_u10avx512f(Sleef_expf16_u10avx512f(_mm512_sub_ps(zero, a)));
	if (fn == 1)
		return _mm512_add_ps(_mm512_max_ps(x, zero), l);
	return _mm512_sub_ps(_mm512_min_ps(x, zero), l);
}

__attribute__((target("avx512f"), noinline))
void peers_sleef_fn_f32_avx512(int fn, float *dst, const float *src, size_t n, long reps) {
	for (long r = 0; r < reps; r++) {
		size_t i = 0;
		for (; i + 16 <= n; i += 16)
			_mm512_storeu_ps(dst + i, fn_avx512(fn, _mm512_loadu_ps(src + i)));
		if (i < n) {
			__mmask16 m = (__mmask16)((1u << (n - i)) - 1);
			_mm512_mask_storeu_ps(dst + i, m, fn_avx512(fn, _mm512_maskz_loadu_ps(m, src + i)));
		}
	}
}
