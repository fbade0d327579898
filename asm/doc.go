// Package asm holds the generated SIMD kernels and their Go declarations.
// Nothing here is written by hand: internal/gen generates every file but
// this one (cd internal/gen && go generate). The kernels do no argument
// checks beyond processing min(len(dst), len(src)) elements; package
// kernels is the API.
package asm
