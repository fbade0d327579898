// Package asm holds the SIMD kernels: generated assembly, and the checked
// Go functions that are its only way in. Package kernels is the API, which
// picks the best kernel for the CPU; the functions here run one kernel by
// name, for programs that want exactly that one.
//
// There is one function per element-wise function and kernel, named by
// both: SigmoidAVX2, SiLUBackward64AVX512, SigmoidNEON. Every one takes
// the same slices as its kernels counterpart, on every architecture, and
// returns the same bits as every kernel of package kernels. Each kernel
// also has the running sums BCEWithLogitsMean adds its losses in,
// SumsAVX512 and Sums64AVX512 for example, which add x[i] to s[i%16] in
// float64, in order of i: the same bits on every kernel. Every function
// panics, with a message, where kernels would (lengths that differ, an
// output that partially overlaps an input, a nil s) and where this CPU
// cannot run its kernel (HasAVX512, HasAVX2 and HasNEON report whether it
// can, GODEBUG's cpu.* settings included). None reads or writes outside
// the slices' lengths; each runs the assembly in chunks of at most 128 KiB
// of output (the sums: 2^15 elements), so that no call holds off the
// garbage collector for long; under the race detector each chunk's reads
// and writes are reported.
//
// Nothing here is written by hand but this file, chunk.go, cpu_*.go and
// the race annotations: internal/gen generates the assembly
// (sigmoid_*.s), its unexported Go declarations (sigmoid_*.go, each
// function's doc naming the CPU features its "Requires:" line lists, less
// those implied by the others) and the exported functions (entry_*.go):
// cd internal/gen && go generate. TestAsmFeatures checks the docs, the
// Requires lines and the feature checks against each other.
package asm
