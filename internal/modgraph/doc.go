// Package modgraph holds no code, only a test of the module's dependencies:
// a program that imports the sigmoid packages must get nothing in its
// module graph but github.com/klauspost/cpuid/v2 and golang.org/x/sys, and
// must build with the two most recent Go releases (the go line of go.mod
// is at most the older one). The report, with its plotting libraries, is a
// module of its own (bench/report).
package modgraph
