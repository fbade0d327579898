// Command gen generates the sigmoid kernels in asm/: the AVX2 and AVX-512
// kernels with avo, the NEON kernel with its own arm64 emitter. Run it
// through `go generate` in this directory (see gen.go).
package main

import (
	"flag"
	"os"

	. "github.com/mmcloughlin/avo/build"
)

func main() {
	arch := flag.String("arch", "amd64", "target architecture: amd64 or arm64")
	flag.Parse()
	switch *arch {
	case "amd64":
		ConstraintExpr("!purego")
		for _, v := range variants {
			genAMD64(v)
		}
		Generate()
	case "arm64":
		// avo's -out and -stubs flags name the files; the NEON back end
		// writes them itself (avo creates them empty when parsing flags).
		pkg := flag.Lookup("pkg").Value.String()
		if pkg == "" {
			pkg = "asm"
		}
		genARM64Files(flag.Lookup("out").Value.String(), flag.Lookup("stubs").Value.String(), pkg, os.Args[1:])
	default:
		panic("unknown -arch " + *arch)
	}
}
