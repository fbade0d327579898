package neon

import (
	"fmt"
	"strings"
	"testing"
)

// elemCases exercise the encoders of elem.go over their fields. word,
// where given, is the encoding worked out by hand from the Arm ARM's
// layouts (for the float64 forms: "vector x indexed element" with size 11,
// index H; SLI and USRA with immh:immb = 64+shift and 128-shift; DUP
// (element) with imm5 = i:1000), which the assembled line must be.
// TestObjdumpAgrees assembles them and checks each against GNU objdump.
var elemCases = []struct {
	line, arm string
	word      uint32
}{
	{FMLAElem(S4, V0, V1, V2, 0), "fmla v0.4s, v1.4s, v2.s[0]", 0},
	{FMLAElem(S4, V31, V17, V29, 3), "fmla v31.4s, v17.4s, v29.s[3]", 0},
	{FMLSElem(S4, V5, V6, V30, 1), "fmls v5.4s, v6.4s, v30.s[1]", 0},
	{FMULElem(S4, V8, V9, V31, 2), "fmul v8.4s, v9.4s, v31.s[2]", 0},
	{FMLAElem(D2, V0, V1, V2, 0), "fmla v0.2d, v1.2d, v2.d[0]", 0x4fc21020},
	{FMLAElem(D2, V31, V17, V29, 1), "fmla v31.2d, v17.2d, v29.d[1]", 0x4fdd1a3f},
	{FMLSElem(D2, V5, V6, V30, 1), "fmls v5.2d, v6.2d, v30.d[1]", 0x4fde58c5},
	{FMLSElem(D2, V18, V31, V16, 0), "fmls v18.2d, v31.2d, v16.d[0]", 0x4fd053f2},
	{FMULElem(D2, V8, V9, V31, 0), "fmul v8.2d, v9.2d, v31.d[0]", 0x4fdf9128},
	{FMULElem(D2, V23, V4, V15, 1), "fmul v23.2d, v4.2d, v15.d[1]", 0x4fcf9897},
	{MLAElem(V12, V13, V24, 1), "mla v12.4s, v13.4s, v24.s[1]", 0},
	{MLAElem(V7, V0, V31, 2), "mla v7.4s, v0.4s, v31.s[2]", 0x6f9f0807},
	{DUPElem(S4, V4, V31, 2), "dup v4.4s, v31.s[2]", 0},
	{DUPElem(S4, V30, V1, 3), "dup v30.4s, v1.s[3]", 0},
	{DUPElem(D2, V4, V31, 1), "dup v4.2d, v31.d[1]", 0x4e1807e4},
	{DUPElem(D2, V30, V1, 0), "dup v30.2d, v1.d[0]", 0x4e08043e},
	{USRA(S4, V1, V2, 3), "usra v1.4s, v2.4s, #3", 0},
	{USRA(S4, V31, V0, 32), "usra v31.4s, v0.4s, #32", 0},
	{USRA(D2, V1, V2, 2), "usra v1.2d, v2.2d, #2", 0x6f7e1441},
	{USRA(D2, V31, V0, 64), "usra v31.2d, v0.2d, #64", 0x6f40141f},
	{SLI(D2, V3, V3, 32), "sli v3.2d, v3.2d, #32", 0x6f605463},
	{SLI(D2, V30, V1, 0), "sli v30.2d, v1.2d, #0", 0x6f40543e},
	{SLI(D2, V0, V31, 63), "sli v0.2d, v31.2d, #63", 0x6f7f57e0},
	{SLI(S4, V9, V10, 31), "sli v9.4s, v10.4s, #31", 0x6f3f5549},
	{ADDV(V4, V4), "addv s4, v4.4s", 0},
	{ADDV(V31, V0), "addv s31, v0.4s", 0},
	{UMOVS("R8", V4, 0), "mov w8, v4.s[0]", 0},
	{UMOVS("R17", V31, 3), "mov w17, v31.s[3]", 0},
	{FCVTL(V0, V1), "fcvtl v0.2d, v1.2s", 0x0e617820},
	{FCVTL(V31, V16), "fcvtl v31.2d, v16.2s", 0x0e617a1f},
	{FCVTL2(V2, V3), "fcvtl2 v2.2d, v3.4s", 0x4e617862},
	{FCVTL2(V17, V31), "fcvtl2 v17.2d, v31.4s", 0x4e617bf1},
}

// The WORD lines of elemCases carry the hand-derived encoding (no objdump
// needed), and the encoders refuse what the forms do not have.
func TestElemWords(t *testing.T) {
	for _, c := range elemCases {
		w, ok := strings.CutPrefix(c.line, "WORD $")
		if !ok || c.word == 0 {
			continue
		}
		if want := fmt.Sprintf("0x%08x // %s", c.word, c.arm); w != want {
			t.Errorf("got %q, want %q", c.line, "WORD $"+want)
		}
	}
	mustPanic(t, "FMLAElem D2 index 2", func() string { return FMLAElem(D2, V0, V1, V2, 2) })
	mustPanic(t, "FMULElem S4 index 4", func() string { return FMULElem(S4, V0, V1, V2, 4) })
	mustPanic(t, "FMLAElem B16", func() string { return FMLAElem(B16, V0, V1, V2, 0) })
	mustPanic(t, "MLAElem V32", func() string { return MLAElem(V0, V1, 32, 0) })
	mustPanic(t, "DUPElem D2 lane 2", func() string { return DUPElem(D2, V0, V1, 2) })
	mustPanic(t, "USRA D2 #65", func() string { return USRA(D2, V0, V1, 65) })
	mustPanic(t, "USRA S4 #33", func() string { return USRA(S4, V0, V1, 33) })
	mustPanic(t, "SLI D2 #64", func() string { return SLI(D2, V0, V1, 64) })
	mustPanic(t, "SLI S4 #32", func() string { return SLI(S4, V0, V1, 32) })
	mustPanic(t, "FCVTL V32", func() string { return FCVTL(32, V0) })
}
