//go:build !purego

package asm

import "golang.org/x/sys/cpu"

// hasNEON: Advanced SIMD is mandatory in AArch64; golang.org/x/sys/cpu
// reports it (from the kernel's HWCAP on Linux, also under qemu-aarch64,
// which passes its emulated CPU's HWCAP on) and honours
// GODEBUG=cpu.asimd=off.
var hasNEON = cpu.ARM64.HasASIMD

// HasNEON reports whether this CPU runs the neon functions (those named
// …NEON): it has Advanced SIMD and GODEBUG (cpu.asimd=off) does not take
// it away.
func HasNEON() bool { return hasNEON }

// kernelLacks names the features of the kernel's that this CPU lacks, for
// a panic's message.
func kernelLacks(string) string { return "Advanced SIMD (ASIMD)" }
