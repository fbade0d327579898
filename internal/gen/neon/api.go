// Package neon's public API: one function per instruction, returning one line.

package neon

// FADD emits fadd: Vd = Vn + Vm. Arrangement S4 or D2.
func FADD(a Arrangement, d, n, m VReg) string { return enc3("FADD", a, d, n, m).line() }

// FSUB emits fsub: Vd = Vn - Vm. Arrangement S4 or D2.
func FSUB(a Arrangement, d, n, m VReg) string { return enc3("FSUB", a, d, n, m).line() }

// FMUL emits fmul: Vd = Vn * Vm. Arrangement S4 or D2.
func FMUL(a Arrangement, d, n, m VReg) string { return enc3("FMUL", a, d, n, m).line() }

// FDIV emits fdiv: Vd = Vn / Vm. Arrangement S4 or D2.
func FDIV(a Arrangement, d, n, m VReg) string { return enc3("FDIV", a, d, n, m).line() }

// FMAX emits fmax: Vd = max(Vn, Vm), NaN if either is NaN. Arrangement S4 or D2.
func FMAX(a Arrangement, d, n, m VReg) string { return enc3("FMAX", a, d, n, m).line() }

// FMIN emits fmin: Vd = min(Vn, Vm), NaN if either is NaN. Arrangement S4 or D2.
func FMIN(a Arrangement, d, n, m VReg) string { return enc3("FMIN", a, d, n, m).line() }

// FMLA emits fmla: Vd += Vn * Vm (fused). Arrangement S4 or D2.
func FMLA(a Arrangement, d, n, m VReg) string { return enc3("FMLA", a, d, n, m).line() }

// FMLS emits fmls: Vd -= Vn * Vm (fused). Arrangement S4 or D2.
func FMLS(a Arrangement, d, n, m VReg) string { return enc3("FMLS", a, d, n, m).line() }

// FRECPS emits frecps: Vd = 2 - Vn*Vm (Newton step for 1/x). Arrangement S4 or D2.
func FRECPS(a Arrangement, d, n, m VReg) string { return enc3("FRECPS", a, d, n, m).line() }

// FCMGT emits fcmgt: Vd = all-ones where Vn > Vm, else 0. Arrangement S4 or D2.
func FCMGT(a Arrangement, d, n, m VReg) string { return enc3("FCMGT", a, d, n, m).line() }

// FCMGE emits fcmge: Vd = all-ones where Vn >= Vm, else 0. Arrangement S4 or D2.
func FCMGE(a Arrangement, d, n, m VReg) string { return enc3("FCMGE", a, d, n, m).line() }

// FCMEQ emits fcmeq: Vd = all-ones where Vn == Vm, else 0. Arrangement S4 or D2.
func FCMEQ(a Arrangement, d, n, m VReg) string { return enc3("FCMEQ", a, d, n, m).line() }

// FABS emits fabs: Vd = |Vn|. Arrangement S4 or D2.
func FABS(a Arrangement, d, n VReg) string { return enc2("FABS", a, d, n).line() }

// FNEG emits fneg: Vd = -Vn. Arrangement S4 or D2.
func FNEG(a Arrangement, d, n VReg) string { return enc2("FNEG", a, d, n).line() }

// FRECPE emits frecpe: Vd = estimate of 1/Vn. Arrangement S4 or D2.
func FRECPE(a Arrangement, d, n VReg) string { return enc2("FRECPE", a, d, n).line() }

// ADD emits add: Vd = Vn + Vm (integer). Arrangement S4 or D2.
func ADD(a Arrangement, d, n, m VReg) string { return enc3("ADD", a, d, n, m).line() }

// SUB emits sub: Vd = Vn - Vm (integer). Arrangement S4 or D2.
func SUB(a Arrangement, d, n, m VReg) string { return enc3("SUB", a, d, n, m).line() }

// CMGT emits cmgt: Vd = all-ones where Vn > Vm (signed), else 0. Arrangement S4 or D2.
func CMGT(a Arrangement, d, n, m VReg) string { return enc3("CMGT", a, d, n, m).line() }

// UMAX emits umax: unsigned maximum. Arrangement S4 only.
func UMAX(a Arrangement, d, n, m VReg) string { return enc3("UMAX", a, d, n, m).line() }

// FCMLTZero emits fcmlt #0.0: Vd = all-ones where Vn < 0, else 0 (NaN:
// 0). Arrangement S4 or D2.
func FCMLTZero(a Arrangement, d, n VReg) string { return enc2("FCMLTZero", a, d, n).line() }

// CMLTZero emits cmlt #0: Vd = all-ones where Vn < 0 (signed), else 0. Arrangement S4 or D2.
func CMLTZero(a Arrangement, d, n VReg) string { return enc2("CMLTZero", a, d, n).line() }

// SHL emits shl: Vd = Vn << shift; shift 0..31 (S4) or 0..63 (D2).
func SHL(a Arrangement, d, n VReg, shift int) string { return encShift("SHL", a, d, n, shift).line() }

// USHR emits ushr: Vd = Vn >> shift (logical); shift 1..32 (S4) or 1..64 (D2).
func USHR(a Arrangement, d, n VReg, shift int) string { return encShift("USHR", a, d, n, shift).line() }

// AND emits and: Vd = Vn & Vm. Arrangement .16B.
func AND(d, n, m VReg) string { return enc3("AND", B16, d, n, m).line() }

// ORR emits orr: Vd = Vn | Vm. Arrangement .16B. With n == m this is MOV,
// and the disassembly (in a WORD comment and for checks) reads "mov".
func ORR(d, n, m VReg) string { return enc3("ORR", B16, d, n, m).line() }

// EOR emits eor: Vd = Vn ^ Vm. Arrangement .16B.
func EOR(d, n, m VReg) string { return enc3("EOR", B16, d, n, m).line() }

// BSL emits bsl: Vd = (Vd & Vn) | (^Vd & Vm) (Vd is the selector). Arrangement .16B.
func BSL(d, n, m VReg) string { return enc3("BSL", B16, d, n, m).line() }

// BIT emits bit: Vd = (Vn & Vm) | (Vd &^ Vm) (insert Vn where Vm is set). Arrangement .16B.
func BIT(d, n, m VReg) string { return enc3("BIT", B16, d, n, m).line() }

// BIF emits bif: Vd = (Vn &^ Vm) | (Vd & Vm) (insert Vn where Vm is clear). Arrangement .16B.
func BIF(d, n, m VReg) string { return enc3("BIF", B16, d, n, m).line() }

// TBL1 emits tbl Vd.16B, {Vn.16B}, Vm.16B: byte lookup in a 16-byte table (out-of-range index gives 0).
func TBL1(d, n, m VReg) string { return encTBL(d, n, 1, m).line() }

// TBL2 emits tbl Vd.16B, {Vn.16B, Vn+1.16B}, Vm.16B: byte lookup in a 32-byte table held in Vn and the next register (V31 is followed by V0).
func TBL2(d, n, m VReg) string { return encTBL(d, n, 2, m).line() }

// MOV emits mov Vd.16B, Vn.16B (orr Vd.16B, Vn.16B, Vn.16B): copy a vector register.
func MOV(d, n VReg) string { return encMOV(d, n).line() }
