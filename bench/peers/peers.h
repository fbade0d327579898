// Sigmoid over whole arrays with SLEEF's vector exp: y = 1/(1+exp(-x)).
#include <stddef.h>

int peers_cpu_avx512f(void);
int peers_cpu_avx2fma(void);

void peers_sleef_f32_avx512(float *dst, const float *src, size_t n);
void peers_sleef_f32_avx2(float *dst, const float *src, size_t n);
void peers_sleef_f64_avx512(double *dst, const double *src, size_t n);
void peers_sleef_f64_avx2(double *dst, const double *src, size_t n);

// The same, reps times over the same arrays, for timing without a cgo
// call per repetition.
void peers_sleef_f32_avx512_reps(float *dst, const float *src, size_t n, long reps);
void peers_sleef_f32_avx2_reps(float *dst, const float *src, size_t n, long reps);
void peers_sleef_f64_avx512_reps(double *dst, const double *src, size_t n, long reps);
void peers_sleef_f64_avx2_reps(double *dst, const double *src, size_t n, long reps);

// Tanh (fn 0), softplus (1) and log-sigmoid (2) with SLEEF, reps times.
void peers_sleef_fn_f32_avx2(int fn, float *dst, const float *src, size_t n, long reps);
void peers_sleef_fn_f32_avx512(int fn, float *dst, const float *src, size_t n, long reps);
