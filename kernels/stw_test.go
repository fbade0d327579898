package kernels_test

import (
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/metrics"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/simdsigmoid/sigmoid/kernels"
)

// stwStopLimit bounds the time a stop-the-world waits for a goroutine busy
// in the kernels to stop. Assembly cannot be preempted: package asm runs
// it in chunks of at most 128 KiB of output, each call a preemption
// point, so the wait is one chunk's time (tens of µs) where a single call
// on the whole slices would hold the world for its whole length.
const stwStopLimit = time.Millisecond

// TestStopTheWorldLatency (SIGMOID_STW=1, on a machine doing nothing
// else: CI runs it as a leg of its own) runs Sigmoid on 2^26 float32
// elements in place
// (2^22 with the generic kernel), in a loop on one goroutine, with every
// kernel, while this goroutine
// stops the world 20 times, 7 ms apart (runtime.ReadMemStats), and does so
// in 10 runs a kernel. In every run, the longest time the runtime took to
// stop the world (runtime/metrics' /sched/pauses/stopping/other:seconds,
// the part of a pause a running goroutine decides) must be within
// stwStopLimit. A run above it is repeated once, next to a control: the
// same measurement with a loop of Go arithmetic, which the runtime can
// stop anywhere. The test fails if the repeat is above the limit while
// the control is not; where the control is above it too, the machine is
// too busy for the run to tell anything (its other work keeps the
// threads from running), and the run is logged and counted as
// inconclusive; the test is skipped if most runs are. A kernel that cannot
// be stopped, one call on the whole slices, takes 100 ms or more in every
// run.
//
// It logs the whole pauses too, as ReadMemStats's callers see them: on a
// 2-vCPU virtual machine they are sometimes 1-5 ms, but that time is spent
// after the world has stopped (the stopping part stays under 0.2 ms), and
// the generic kernel, whose code is Go, shows it too.
func TestStopTheWorldLatency(t *testing.T) {
	if os.Getenv("SIGMOID_STW") != "1" {
		// Other packages' tests, which go test runs alongside, keep the
		// threads from running and would make the stops long.
		t.Skip("measures latency, alone: SIGMOID_STW=1 go test -run TestStopTheWorldLatency ./kernels/")
	}
	if raceEnabled {
		t.Skip("measures latency: not under -race")
	}
	if underQEMU() {
		t.Skip("latency under emulation means nothing")
	}
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("needs GOMAXPROCS >= 2: the kernel loop and the measuring goroutine run in parallel")
	}
	const n, runs = 1 << 26, 10
	buf := make([]float32, n)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range buf {
		buf[i] = rng.Float32()*32 - 16
	}
	inconclusive, total := 0, 0
	for _, k := range kernels.Kernels() {
		b := buf
		if k.Name() == "generic" {
			// Go code, preemptible anywhere, and 30 times slower: a
			// shorter slice keeps each run's last call short.
			b = buf[:n/16]
		}
		for run := range runs {
			total++
			stop, pause, call := stwRun(func() { k.Sigmoid(b, b) }, 20)
			t.Logf("%s run %d, n = %d: stopping the world took at most %v; pauses (ReadMemStats) median %v, max %v; calls completed: %d", k.Name(), run, len(b), stop, pause[len(pause)/2], pause[len(pause)-1], call)
			if stop <= stwStopLimit {
				continue
			}
			again, _, _ := stwRun(func() { k.Sigmoid(b, b) }, 20)
			control, _, _ := stwRun(spin, 20)
			t.Logf("%s run %d repeated: %v; the control (Go arithmetic): %v", k.Name(), run, again, control)
			switch {
			case again <= stwStopLimit:
			case control > stwStopLimit:
				inconclusive++
			default:
				t.Errorf("%s run %d: stopping the world took up to %v, then %v when repeated (> %v, the control %v) while Sigmoid ran on %d elements: an assembly call runs too long", k.Name(), run, stop, again, stwStopLimit, control, len(b))
			}
		}
	}
	if 2*inconclusive > total {
		t.Skipf("%d of %d runs inconclusive: the machine is too busy to time a stop", inconclusive, total)
	}
}

// spinSink keeps spin's arithmetic from being optimized away.
var spinSink float64

// spin is a stretch of Go arithmetic with no call in it: the runtime can
// stop it anywhere (asynchronous preemption).
func spin() {
	x := 1.0
	for range 1 << 20 {
		x = x*1.0000001 + 1e-9
	}
	spinSink = x
}

// stwRun runs work in a loop on another goroutine while this one calls
// runtime.ReadMemStats samples times, 7 ms apart. It returns the upper
// bound of the longest stopping time the runtime recorded meanwhile, the
// sorted ReadMemStats times, and how many calls of work completed.
func stwRun(work func(), samples int) (stop time.Duration, pauses []time.Duration, calls int64) {
	var done, started atomic.Bool
	var count atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		started.Store(true)
		for !done.Load() {
			work()
			count.Add(1)
		}
	}()
	for !started.Load() {
		time.Sleep(time.Millisecond)
	}
	before := stopping()
	var ms runtime.MemStats
	pauses = make([]time.Duration, samples)
	for i := range pauses {
		time.Sleep(7 * time.Millisecond)
		t0 := time.Now()
		runtime.ReadMemStats(&ms)
		pauses[i] = time.Since(t0)
	}
	after := stopping()
	done.Store(true)
	wg.Wait()
	slices.Sort(pauses)
	// The longest stop recorded between the two reads: the upper bound of
	// the highest bucket whose count grew.
	for i := len(after.Counts) - 1; i >= 0; i-- {
		if after.Counts[i] > before.Counts[i] {
			stop = time.Duration(after.Buckets[i+1] * 1e9)
			break
		}
	}
	return stop, pauses, count.Load()
}

// stopping reads the histogram of the times the runtime took to stop the
// world for reasons other than the garbage collector (ReadMemStats's).
func stopping() *metrics.Float64Histogram {
	s := []metrics.Sample{{Name: "/sched/pauses/stopping/other:seconds"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindFloat64Histogram {
		panic("runtime/metrics has no " + s[0].Name)
	}
	return s[0].Value.Float64Histogram()
}
