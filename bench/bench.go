// Package bench holds the sigmoid benchmarks; it exports nothing. The
// inputs and the baselines they are measured against, shared with
// bench/report and bench/cmd/verify, are in bench/internal/workload.
//
// The benchmarks (bench_test.go) are, for float32 and (with the suffix 64)
// for float64:
//
//   - BenchmarkSigmoid, BenchmarkSigmoid64: every kernel this CPU runs
//     (kernels.Kernels()), the naive Go loop (kernel=naive) and copy()
//     (kernel=copy), at sizes from 16 to 1<<24 elements, named
//     kernel=<name>/n=<size>. All of them are in one benchmark function so
//     that ratios come from one run.
//   - BenchmarkSigmoidBackward, BenchmarkSigmoidBackward64: the backward
//     pass dx = dy·y·(1-y) of every kernel, a naive Go loop and copy(), at
//     n = 4096, 1<<20 and 1<<24, named the same way.
//   - BenchmarkSigmoidSubnormal, BenchmarkSigmoidSubnormal64: every kernel
//     at n=4096 on inputs whose results are subnormal (range=subnormal: x in
//     [-100, -88] for float32, [-740, -710] for float64) and on ordinary
//     inputs (range=normal, x in [-10, 10]), in one function so the ratio,
//     which must stay at or under 2x, comes from one run.
//   - BenchmarkDispatched, BenchmarkDispatched64: the public kernels.Sigmoid
//     (kernels.Sigmoid64) at n=16 and n=4096, for the per-call overhead of
//     the checks and the dispatch.
//
// Each reports ns/elem besides ns/op, and MB/s counts the input bytes of
// each element (4 or 8; for the backward pass the 3 streams it moves, 2 for
// copy).
//
// Install benchstat once, outside the module so that go.mod is untouched:
//
//	(cd /tmp && go install golang.org/x/perf/cmd/benchstat@latest)
//
// Compare kernels within one run (one column per kernel, naive and copy
// included):
//
//	go test -run XXX -bench 'Sigmoid$' -count 10 ./bench/ | tee new.txt
//	benchstat -col /kernel new.txt
//
// and the same for float64 with -bench 'Sigmoid64$'. Compare two commits
// (run the same command on each, then):
//
//	benchstat old.txt new.txt
//
// The largest size (1<<24 elements, 64 MiB per float32 slice, 128 MiB per
// float64 one) is slow; a quicker look at small sizes only:
//
//	go test -run XXX -bench 'Sigmoid(64)?$/.*/n=(16|4096)$' -count 10 ./bench/
//
// For a Markdown summary with speed-ups, bandwidth and accuracy, use
// go -C bench/report run . (add -quick for a quicker run).
package bench
