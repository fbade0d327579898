//go:build !noxnnpack

package main

// #cgo LDFLAGS: -lXNNPACK
// #include <stdlib.h>
// #include <xnnpack.h>
//
// // The operator the timings use; one for the whole process.
// static xnn_operator_t peers_xnn_op;
//
// // peers_xnn_init initialises XNNPACK and creates a sigmoid operator of
// // one channel (the batch size is then the number of elements, stored
// // contiguously), returning an xnn_status.
// static int peers_xnn_init(void) {
// 	enum xnn_status s = xnn_initialize(NULL);
// 	if (s != xnn_status_success)
// 		return s;
// 	return xnn_create_sigmoid_nc_f32(1, 1, 1, 0, &peers_xnn_op);
// }
//
// // peers_xnn_reps points the operator at src and dst, then runs it reps
// // times with no thread pool (on the calling thread).
// static int peers_xnn_reps(float *dst, const float *src, size_t n, long reps) {
// 	enum xnn_status s = xnn_setup_sigmoid_nc_f32(peers_xnn_op, n, src, dst, NULL);
// 	for (long r = 0; s == xnn_status_success && r < reps; r++)
// 		s = xnn_run_operator(peers_xnn_op, NULL);
// 	return s;
// }
//
// // peers_xnn_once runs a fresh operator once, so that several goroutines
// // may call it at the same time.
// static int peers_xnn_once(float *dst, const float *src, size_t n) {
// 	xnn_operator_t op = NULL;
// 	enum xnn_status s = xnn_create_sigmoid_nc_f32(1, 1, 1, 0, &op);
// 	if (s == xnn_status_success)
// 		s = xnn_setup_sigmoid_nc_f32(op, n, src, dst, NULL);
// 	if (s == xnn_status_success)
// 		s = xnn_run_operator(op, NULL);
// 	if (op != NULL)
// 		xnn_delete_operator(op);
// 	return s;
// }
import "C"

import "fmt"

// xnnpackImpl returns XNNPACK's float32 sigmoid operator, or nil and why
// not.
func xnnpackImpl() (*impl, string) {
	if s := C.peers_xnn_init(); s != C.xnn_status_success {
		return nil, fmt.Sprintf("XNNPACK: xnn_initialize or xnn_create_sigmoid_nc_f32 failed (status %d); left out", int(s))
	}
	check := func(s C.int) {
		if s != C.xnn_status_success {
			panic(fmt.Sprintf("XNNPACK sigmoid failed with status %d", int(s)))
		}
	}
	return &impl{
		name: "XNNPACK", kind: peer,
		f32: func(dst, src []float32) {
			if len(src) > 0 {
				check(C.peers_xnn_once(f32p(dst), f32p(src), C.size_t(len(src))))
			}
		},
		run32: func(dst, src []float32, reps int) {
			check(C.peers_xnn_reps(f32p(dst), f32p(src), C.size_t(len(src)), C.long(reps)))
		},
	}, ""
}
