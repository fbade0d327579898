// Command checkwords checks the NEON instructions of Go arm64 assembly files
// against GNU objdump's disassembly of a binary built from them.
//
// Usage:
//
//	checkwords [-objdump tool] BINARY FILE.s...
//
// BINARY is an arm64 ELF binary that links the files' functions, e.g. the
// test binary of their package:
//
//	GOARCH=arm64 go test -c -o /tmp/asm.test ./asm
//	cd internal/gen && go run ./neon/cmd/checkwords /tmp/asm.test ../../asm/sigmoid_arm64.s
//
// For every `WORD $0x........ // mnemonic` line it checks that the word is in
// the disassembly of the enclosing TEXT symbol and that objdump prints it as
// the comment says (white space aside). For every line in the Go-mnemonic
// form that package neon emits (VFMLA, VSUB, VTBL, ...) it checks that the
// Arm ARM encoding of the intended instruction is there. A WORD without a
// comment, a TEXT symbol missing from the binary, or a file with nothing to
// check is an error too.
//
// The disassembler is -objdump, else $OBJDUMP, else aarch64-linux-gnu-objdump
// (Debian: apt-get install binutils-aarch64-linux-gnu). Exit status: 0 when
// everything agrees, 1 on disagreement, 2 on usage or tool errors.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/simdsigmoid/sigmoid/internal/gen/neon"
)

func main() {
	tool := flag.String("objdump", neon.ObjdumpPath(), "AArch64 objdump to run")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: checkwords [-objdump tool] BINARY FILE.s...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() < 2 {
		flag.Usage()
		os.Exit(2)
	}
	disasm, err := neon.Objdump(*tool, flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "checkwords:", err)
		os.Exit(2)
	}
	status := 0
	for _, name := range flag.Args()[1:] {
		src, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, "checkwords:", err)
			os.Exit(2)
		}
		rep := neon.CheckAsm(name, src, disasm)
		for _, p := range rep.Problems {
			fmt.Println(p)
		}
		switch {
		case len(rep.Problems) > 0:
			fmt.Printf("checkwords: %s: %d problems (%d WORD and %d Go NEON lines agree)\n", name, len(rep.Problems), rep.Words, rep.GoLines)
			status = 1
		case rep.Words+rep.GoLines == 0:
			fmt.Printf("checkwords: %s: no WORD or Go NEON lines found to check\n", name)
			status = 1
		default:
			fmt.Printf("checkwords: %s: %d WORD and %d Go NEON lines agree with %s\n", name, rep.Words, rep.GoLines, *tool)
		}
	}
	os.Exit(status)
}
