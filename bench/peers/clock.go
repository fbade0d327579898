package main

import (
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// now reads the clock -clock names: the CPU time of the calling OS thread
// (the timings run on one locked thread, C calls included), which leaves
// out the time other processes hold the core, or the wall clock.
func now() time.Duration {
	if *clock == "wall" {
		return time.Duration(time.Now().UnixNano())
	}
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		fmt.Fprintln(os.Stderr, "peers: thread CPU clock:", err, "(use -clock wall)")
		os.Exit(1)
	}
	return time.Duration(ts.Nano())
}

func clockName() string {
	if *clock == "wall" {
		return "wall-clock time"
	}
	return "CPU time of the timing thread (time the core spends on other processes is left out; -clock wall for wall-clock time)"
}
