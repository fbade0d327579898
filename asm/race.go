//go:build race && !purego && (amd64 || arm64)

package asm

import (
	"runtime"
	"unsafe"
)

// Under the race detector the assembly's reads and writes are reported as
// Go code's are (the detector does not see into assembly): before each
// call, its inputs as read and its output as written.

func raceUnary[F float](dst, src []F) {
	raceRead(src)
	raceWrite(dst)
}

func raceBackward[F float](dx, dy, y []F) {
	raceRead(dy)
	raceRead(y)
	raceWrite(dx)
}

func raceTernary[F float](out, a, b, c []F) {
	raceRead(a)
	raceRead(b)
	raceRead(c)
	raceWrite(out)
}

func raceDual[F float](o1, o2, a, b, c []F) {
	raceRead(a)
	raceRead(b)
	raceRead(c)
	raceWrite(o1)
	raceWrite(o2)
}

func raceSums[F float](s *[16]float64, x []F) {
	raceRead(x)
	raceWrite(s[:])
}

func raceRead[F float](s []F) {
	if len(s) > 0 {
		runtime.RaceReadRange(unsafe.Pointer(unsafe.SliceData(s)), len(s)*int(unsafe.Sizeof(s[0])))
	}
}

func raceWrite[F float](s []F) {
	if len(s) > 0 {
		runtime.RaceWriteRange(unsafe.Pointer(unsafe.SliceData(s)), len(s)*int(unsafe.Sizeof(s[0])))
	}
}
