// Command gen generates the sigmoid kernels: in asm/ the AVX2 and AVX-512
// kernels with avo and the NEON kernels with its own arm64 emitter, and
// the pure-Go kernel in fallback/ (-arch go). Run it through `go generate`
// in this directory (see gen.go). For the assembly it writes its two files
// only once both are made, so that a failed run changes nothing.
package main

import (
	"flag"
	"os"
)

func main() {
	arch := flag.String("arch", "amd64", "target architecture: amd64, arm64, or go (the pure-Go kernel)")
	asmFile := flag.String("asm", "", "the assembly file to write (amd64, arm64)")
	goFile := flag.String("go", "", "the file of Go declarations to write, or with -arch go the Go kernel")
	// (avo's build package registers -pkg, among others.)
	flag.Parse()
	if *arch == "go" {
		if *goFile == "" || *asmFile != "" {
			panic("-arch go takes -go and no -asm")
		}
		if err := os.WriteFile(*goFile, goFileSource("fallback", os.Args[1:]), 0o644); err != nil {
			panic(err)
		}
		return
	}
	if *asmFile == "" || *goFile == "" {
		panic("-asm and -go are required")
	}
	pkg := flag.Lookup("pkg").Value.String()
	if pkg == "" {
		pkg = "asm"
	}
	var asm, decls []byte
	switch *arch {
	case "amd64":
		asm, decls = amd64Files(pkg, os.Args[1:])
	case "arm64":
		s, g := arm64Files(pkg, os.Args[1:])
		asm, decls = []byte(s), []byte(g)
	default:
		panic("unknown -arch " + *arch)
	}
	if err := os.WriteFile(*asmFile, asm, 0o644); err != nil {
		panic(err)
	}
	if err := os.WriteFile(*goFile, decls, 0o644); err != nil {
		panic(err)
	}
}
