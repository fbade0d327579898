//go:build !nodnnl

package main

// #cgo LDFLAGS: -ldnnl -lgomp
// #include <omp.h>
// #include <oneapi/dnnl/dnnl.h>
//
// static dnnl_engine_t peers_dnnl_engine;
// static dnnl_stream_t peers_dnnl_stream;
//
// // peers_dnnl_init makes oneDNN's OpenMP run one thread, as every other
// // implementation here does, creates the CPU engine and a stream, and
// // returns 0 on success.
// static int peers_dnnl_init(void) {
// 	omp_set_num_threads(1);
// 	if (dnnl_engine_create(&peers_dnnl_engine, dnnl_cpu, 0) != dnnl_success)
// 		return 1;
// 	if (dnnl_stream_create(&peers_dnnl_stream, peers_dnnl_engine, dnnl_stream_default_flags) != dnnl_success)
// 		return 2;
// 	return 0;
// }
//
// // peers_dnnl_run creates the eltwise primitive of alg over n float32 in
// // place of the arrays and executes it reps times; 0 on success.
// static int peers_dnnl_run(int alg, float *dst, const float *src, size_t n, long reps) {
// 	dnnl_dims_t dims = {(dnnl_dim_t)n};
// 	dnnl_memory_desc_t md;
// 	dnnl_eltwise_desc_t ed;
// 	dnnl_primitive_desc_t pd;
// 	dnnl_primitive_t p;
// 	dnnl_memory_t ms, mdst;
// 	if (dnnl_memory_desc_init_by_tag(&md, 1, dims, dnnl_f32, dnnl_a) != dnnl_success ||
// 	    dnnl_eltwise_forward_desc_init(&ed, dnnl_forward_inference, (dnnl_alg_kind_t)alg, &md, 0.f, 0.f) != dnnl_success ||
// 	    dnnl_primitive_desc_create(&pd, &ed, NULL, peers_dnnl_engine, NULL) != dnnl_success)
// 		return 1;
// 	int bad = dnnl_primitive_create(&p, pd) != dnnl_success;
// 	dnnl_primitive_desc_destroy(pd);
// 	if (bad)
// 		return 2;
// 	dnnl_memory_create(&ms, &md, peers_dnnl_engine, (void *)src);
// 	dnnl_memory_create(&mdst, &md, peers_dnnl_engine, dst);
// 	dnnl_exec_arg_t args[2] = {{DNNL_ARG_SRC, ms}, {DNNL_ARG_DST, mdst}};
// 	for (long r = 0; r < reps && !bad; r++)
// 		bad = dnnl_primitive_execute(p, peers_dnnl_stream, 2, args) != dnnl_success;
// 	dnnl_stream_wait(peers_dnnl_stream);
// 	dnnl_memory_destroy(ms);
// 	dnnl_memory_destroy(mdst);
// 	dnnl_primitive_destroy(p);
// 	return bad ? 3 : 0;
// }
import "C"

import "fmt"

// dnnlAlgs are oneDNN's algorithms for the functions (Tanh, Softplus,
// LogSigmoid).
var dnnlAlgs = [...]C.int{C.dnnl_eltwise_tanh, C.dnnl_eltwise_soft_relu, C.dnnl_eltwise_logsigmoid}

// dnnlImpl is oneDNN's eltwise fn (0 tanh, 1 soft_relu, 2 logsigmoid), or
// why it is left out.
func dnnlImpl(fn int, name string) (*impl, string) {
	if dnnlInit != 0 {
		return nil, fmt.Sprintf("oneDNN: the engine did not start (%d)", dnnlInit)
	}
	alg := dnnlAlgs[fn]
	run := func(dst, src []float32, reps int) {
		if s := C.peers_dnnl_run(alg, f32p(dst), f32p(src), C.size_t(len(src)), C.long(reps)); s != 0 {
			panic(fmt.Sprintf("oneDNN %s failed (%d)", name, s))
		}
	}
	return &impl{name: "oneDNN " + name, kind: peer, f32: func(dst, src []float32) { run(dst, src, 1) }, run32: run}, ""
}

var dnnlInit = C.peers_dnnl_init()
