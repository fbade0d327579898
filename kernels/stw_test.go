package kernels_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/simdsigmoid/sigmoid/kernels"
)

// stwLimit is the stop-the-world latency a goroutine busy in the kernels
// may cause: the time runtime.ReadMemStats takes (it stops the world,
// waiting for every goroutine to reach a safe point) while another
// goroutine runs kernels.Sigmoid in a loop. Assembly cannot be preempted,
// so this bounds the time of one assembly call.
const stwLimit = 2 * time.Millisecond

// TestStopTheWorldLatency runs kernels.Sigmoid on 2^24 and 2^26 float32
// elements in a loop on one goroutine while this one stops the world
// (runtime.ReadMemStats) at random moments, and fails if the median
// latency over the samples exceeds stwLimit in each of up to three
// attempts. The median, and the retries, keep the test robust against the
// noise of a loaded machine (where the OS may not run the kernel's thread
// for a while): noise only adds latency, while a kernel that cannot be
// stopped gives tens of milliseconds every time.
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
	for _, n := range []int{1 << 24, 1 << 26} {
		t.Run(fmt.Sprintf("n=2^%d", bitsLen(n)), func(t *testing.T) {
			var medians []time.Duration
			for range 3 {
				median, worst := stwLatency(n, 15)
				t.Logf("%s, n = %d float32: stop-the-world latency median %v, max %v over 15 samples", kernels.Active(), n, median, worst)
				if median <= stwLimit {
					return
				}
				medians = append(medians, median)
			}
			t.Errorf("n = %d: median stop-the-world latency %v in three attempts, > %v: an assembly call runs too long", n, medians, stwLimit)
		})
	}
}

func bitsLen(n int) int {
	b := 0
	for n > 1 {
		n >>= 1
		b++
	}
	return b
}

// stwLatency returns the median and the largest of samples timings of
// runtime.ReadMemStats while another goroutine runs kernels.Sigmoid in
// place on n float32 elements in a loop.
func stwLatency(n, samples int) (median, worst time.Duration) {
	buf := make([]float32, n)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range buf {
		buf[i] = rng.Float32()*32 - 16
	}
	var stop atomic.Bool
	var calls atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for !stop.Load() {
			kernels.Sigmoid(buf, buf)
			calls.Add(1)
		}
	}()
	for calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	var ms runtime.MemStats
	d := make([]time.Duration, samples)
	for i := range d {
		time.Sleep(time.Duration(1+rng.IntN(5000)) * time.Microsecond)
		t0 := time.Now()
		runtime.ReadMemStats(&ms)
		d[i] = time.Since(t0)
	}
	stop.Store(true)
	wg.Wait()
	slices.Sort(d)
	return d[len(d)/2], d[len(d)-1]
}
