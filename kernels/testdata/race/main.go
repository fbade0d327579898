// Command race makes a deliberate data race through the kernels: a
// goroutine writes (or reads) a slice, without synchronisation, while the
// main goroutine's call reads (or writes) it. TestRaceDetected builds it
// with -race and expects a "DATA RACE" report for every kernel and both
// directions.
package main

import (
	"fmt"
	"os"

	"github.com/simdsigmoid/sigmoid/kernels"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: race KERNEL read|write")
		os.Exit(2)
	}
	var k kernels.Kernel
	found := false
	for _, kk := range kernels.Kernels() {
		if kk.Name() == os.Args[1] {
			k, found = kk, true
		}
	}
	if !found {
		fmt.Fprintf(os.Stderr, "no kernel %q\n", os.Args[1])
		os.Exit(2)
	}
	shared := make([]float32, 4096)
	other := make([]float32, 4096)
	done := make(chan bool)
	var sink float32
	go func() {
		// Unsynchronised with the call below.
		if os.Args[2] == "read" {
			for i := range shared {
				shared[i] = float32(i)
			}
		} else {
			for _, v := range shared {
				sink += v
			}
		}
		done <- true
	}()
	if os.Args[2] == "read" {
		k.Sigmoid(other, shared) // reads shared
	} else {
		k.Sigmoid(shared, other) // writes shared
	}
	<-done
	fmt.Println("done", sink)
}
