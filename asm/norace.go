//go:build !race && !purego && (amd64 || arm64)

package asm

// Without the race detector there is nothing to report: see race.go.

func raceUnary[F float](dst, src []F)         {}
func raceBackward[F float](dx, dy, y []F)     {}
func raceTernary[F float](out, a, b, c []F)   {}
func raceDual[F float](o1, o2, a, b, c []F)   {}
func raceSums[F float](s *[16]float64, x []F) {}
