// Package asm holds the generated SIMD kernels and their Go declarations.
// Nothing here is written by hand: internal/gen generates every file but
// this one (cd internal/gen && go generate). The kernels do no argument
// checks beyond processing min(len(dst), len(src)) elements; package
// kernels is the API.
//
// Each amd64 function's doc names the CPU features its "Requires:" line in
// sigmoid_amd64.s lists, less those implied by the others: AVX, which every
// CPU with AVX2 or AVX-512F has, and MMX+ (SFENCE), part of the SSE
// baseline of every amd64 CPU. TestAsmFeatures in package kernels checks
// the docs, the Requires lines and the dispatcher's checks against each
// other.
package asm
