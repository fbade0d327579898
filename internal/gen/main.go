// Command gen generates the sigmoid kernels: in asm/ the AVX2 and AVX-512
// kernels with avo and the NEON kernels with its own arm64 emitter, and
// the pure-Go kernel in fallback/ (-arch go). Run it through `go generate`
// in this directory (see gen.go). For the assembly it writes its files
// (the assembly, its unexported Go declarations, the exported, checked
// entry points and their list for the tests) only once all are made, so
// that a failed run changes nothing.
package main

import (
	"flag"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
)

func main() {
	arch := flag.String("arch", "amd64", "target architecture: amd64, arm64, go (the pure-Go kernel), or api (package kernels' functions and dispatch)")
	asmFile := flag.String("asm", "", "the assembly file to write (amd64, arm64)")
	goFile := flag.String("go", "", "the file of Go declarations to write, with -arch go the Go kernel, with -arch api package kernels' directory")
	entryFile := flag.String("entry", "", "the file of checked entry points to write (amd64, arm64)")
	// (avo's build package registers -pkg, among others.)
	flag.Parse()
	// avo's register allocator makes garbage at a high rate: collecting a
	// quarter as often took the amd64 file from 41 s to 34 s (226 MB).
	debug.SetGCPercent(400)
	if *arch == "api" {
		if *goFile == "" {
			panic("-arch api takes -go, the directory of package kernels")
		}
		apiFiles(*goFile, os.Args[1:])
		return
	}
	if *arch == "go" {
		if *goFile == "" || *asmFile != "" {
			panic("-arch go takes -go and no -asm")
		}
		if err := os.WriteFile(*goFile, goFileSource("fallback", os.Args[1:]), 0o644); err != nil {
			panic(err)
		}
		// The list of its functions for its tests, next to it.
		if err := os.WriteFile(filepath.Join(filepath.Dir(*goFile), "funcs_gen_test.go"), testListSource("fallback", os.Args[1:]), 0o644); err != nil {
			panic(err)
		}
		return
	}
	if *asmFile == "" || *goFile == "" || *entryFile == "" {
		panic("-asm, -go and -entry are required")
	}
	pkg := flag.Lookup("pkg").Value.String()
	if pkg == "" {
		pkg = "asm"
	}
	var asm, decls, entries, entryTests []byte
	switch *arch {
	case "amd64":
		asm, decls = amd64Files(pkg, os.Args[1:])
		entries = entrySource(pkg, os.Args[1:], variants, true)
		entryTests = entryTestSource(pkg, os.Args[1:], variants)
	case "arm64":
		s, g := arm64Files(pkg, os.Args[1:])
		asm, decls = []byte(s), []byte(g)
		entries = entrySource(pkg, os.Args[1:], arm64Variants, false)
		entryTests = entryTestSource(pkg, os.Args[1:], arm64Variants)
	default:
		panic("unknown -arch " + *arch)
	}
	if err := os.WriteFile(*asmFile, asm, 0o644); err != nil {
		panic(err)
	}
	if err := os.WriteFile(*goFile, decls, 0o644); err != nil {
		panic(err)
	}
	if err := os.WriteFile(*entryFile, entries, 0o644); err != nil {
		panic(err)
	}
	// The list of entry points for asm's tests, next to them.
	if err := os.WriteFile(strings.TrimSuffix(*entryFile, ".go")+"_test.go", entryTests, 0o644); err != nil {
		panic(err)
	}
}
