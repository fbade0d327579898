package kernels_test

import (
	"math/rand/v2"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/simdsigmoid/sigmoid/kernels"
)

// The stop-the-world test: stwRuns runs, each with a goroutine running a
// kernel's Sigmoid in place on 2^26 float32 elements in a loop while this
// one stops the world (runtime.ReadMemStats) stwSamples times, stwGap
// apart. In every run the longest stop must be at most stwLimit. Ten runs
// catch an event that hits one run in three with probability
// 1 - (2/3)^10, about 98%.
const (
	stwLimit   = time.Millisecond
	stwRuns    = 10
	stwSamples = 20
	stwGap     = 7 * time.Millisecond
)

// TestStopTheWorldLatency checks that a goroutine busy in a SIMD kernel
// lets the world stop within stwLimit: assembly cannot be preempted, so
// this bounds the time between two of the chunk loop's preemption points.
//
// A stop is timed by the runtime, from the request to the moment every
// goroutine has stopped (runtime/metrics /sched/pauses/stopping/other:
// seconds): that is the part a kernel can hold up. The time ReadMemStats
// takes is longer and logged only: on a machine with as many busy threads
// as cores, the OS often runs the caller again only a scheduling slice
// after the world has restarted (about 4.9 ms on a 2-core VM), whatever
// the other goroutine runs. A run over the limit is repeated with the
// generic kernel, pure Go and preemptible anywhere: if that run is over
// the limit too, the machine was too busy to tell, and the run does not
// count.
func TestStopTheWorldLatency(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("allocates 256 MiB and measures latency: not under -short or -race")
	}
	if underQEMU() {
		t.Skip("latency under emulation means nothing")
	}
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("needs GOMAXPROCS >= 2: the kernel loop and the measuring goroutine run in parallel")
	}
	ks := kernels.Kernels()
	if len(ks) == 1 {
		t.Skip("no SIMD kernel: the generic kernel is pure Go, preemptible anywhere")
	}
	buf := make([]float32, 1<<26)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range buf {
		buf[i] = rng.Float32()*32 - 16
	}
	generic := ks[len(ks)-1]
	for _, k := range ks[:len(ks)-1] {
		t.Run(k.Name(), func(t *testing.T) {
			var stops, walls []time.Duration
			busy := 0
			for len(stops) < stwRuns {
				stop, wall := stwRun(k, buf)
				if stop > stwLimit {
					if control, _ := stwRun(generic, buf); control > stwLimit {
						t.Logf("a run took %v to stop, and one on the generic kernel %v: the machine is too busy to tell", stop, control)
						if busy++; busy > stwRuns {
							t.Skipf("the machine was too busy to tell in %d runs", busy)
						}
						continue
					}
				}
				stops, walls = append(stops, stop), append(walls, wall)
			}
			t.Logf("longest stop of each run (at most): %v; longest ReadMemStats: %v", stops, walls)
			for i, d := range stops {
				if d > stwLimit {
					t.Errorf("run %d: stopping the world took up to %v, > %v, while the generic kernel's runs stayed within it: an assembly call runs too long", i, d, stwLimit)
				}
			}
		})
	}
}

// stwRun runs k.Sigmoid in place on buf in a loop on another goroutine and
// stops the world stwSamples times. It returns the longest time the
// runtime took to stop the world (the upper bound of its histogram bucket;
// 0 if none was recorded) and the longest time a ReadMemStats took.
func stwRun(k kernels.Kernel, buf []float32) (stop, wall time.Duration) {
	var quit atomic.Bool
	var calls atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for !quit.Load() {
			k.Sigmoid(buf, buf)
			calls.Add(1)
		}
	}()
	for calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	before := stopLatencies()
	var ms runtime.MemStats
	for range stwSamples {
		time.Sleep(stwGap)
		t0 := time.Now()
		runtime.ReadMemStats(&ms)
		wall = max(wall, time.Since(t0))
	}
	after := stopLatencies()
	quit.Store(true)
	wg.Wait()
	for i := len(after.Counts) - 1; i >= 0; i-- {
		if after.Counts[i] > before.Counts[i] {
			return time.Duration(after.Buckets[i+1] * 1e9), wall
		}
	}
	return 0, wall
}

// stopLatencies is the runtime's histogram of the time it took to stop the
// world for something other than the garbage collector (ReadMemStats).
func stopLatencies() *metrics.Float64Histogram {
	s := []metrics.Sample{{Name: "/sched/pauses/stopping/other:seconds"}}
	metrics.Read(s)
	return s[0].Value.Float64Histogram()
}
