//go:build ignore

// Helpers shared by gen_exp2table.go and gen_exp2table64.go, each run
// together with this file.
package main

import (
	"go/format"
	"log"
	"math/big"
	"os"
)

const (
	tableBits = 10
	tableSize = 1 << tableBits
)

// exp2Frac returns 2^(j/tableSize) at 200 bits, as tableBits square roots
// of 2^j.
func exp2Frac(j int) *big.Float {
	// SetMantExp takes the precision of its mantissa argument: build 2^j
	// from a 200-bit 1, not from big.NewFloat(1) (53 bits).
	v := new(big.Float).SetPrec(200).SetInt64(1)
	v.SetMantExp(v, j)
	for range tableBits {
		v.Sqrt(v)
	}
	return v
}

// writeSource gofmts src and writes it to the file name.
func writeSource(name string, src []byte) {
	src, err := format.Source(src)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(name, src, 0o644); err != nil {
		log.Fatal(err)
	}
}
