// Command gen generates the sigmoid kernels in asm/: the AVX2 and AVX-512
// kernels with avo, the NEON kernel with its own arm64 emitter. Run it
// through `go generate` in this directory (see gen.go).
package main

import (
	"flag"
	"math"

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
	default:
		panic("unknown -arch " + *arch)
	}
}

func float32frombits(b uint32) float32 { return math.Float32frombits(b) }
