// The tests check every kernel this CPU runs (kernels.Kernels()) against
// the spec that internal/accuracy enforces: for float32 with
// accuracy.SigmoidWide as the exact value, for float64 against a
// double-double reference, both with a bound of 1 ULP; the backward pass
// within 1.5 ULP of dy·y·(1-y) evaluated exactly.
//
// Most tests are written once, generic over the element type F (float32 or
// float64), and run for both as subtests named after the functions:
// TestLengthsOffsets/Sigmoid/avx2 and TestLengthsOffsets/Sigmoid64/avx2.
//
//	go test ./kernels/                     # everything quick
//	go test -short ./kernels/              # less of it (also under -race)
//	go test -race ./kernels/               # concurrency
//	go test -tags purego ./kernels/        # generic only
//	go test ./kernels/ -run Sweep -sweep.stride 61   # a denser sweep
//	SIGMOID_EXHAUSTIVE=1 go test -run 'Exhaustive(64)?$|^TestSameBitsSweep$' -v -timeout 60m ./kernels/
//	go test ./kernels/ -run Exhaustive -v -timeout 60m -exhaustive   # same
//	go test -run '^$' -fuzz '^FuzzSigmoid64$' -fuzztime 1m ./kernels/
//	SIGMOID_EXPECT_KERNEL=avx2 go test ./kernels/  # CI: the kernel this CPU must pick
//	go test ./kernels/ -run TestFuzzCorpus -update-fuzz-corpus  # rewrite testdata/fuzz
package kernels_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"unsafe"

	"github.com/simdsigmoid/sigmoid/fallback"
	"github.com/simdsigmoid/sigmoid/internal/accuracy"
	"github.com/simdsigmoid/sigmoid/kernels"
)

// inParallel runs the jobs 0 to n-1 on GOMAXPROCS goroutines, which take
// them in turn: each goroutine gets from worker its own work, which runs
// a job, and done, which it calls under a lock once no job is left (to
// merge what its jobs found).
func inParallel(n uint64, worker func() (work func(j uint64), done func())) {
	var (
		mu   sync.Mutex
		next atomic.Uint64
		wg   sync.WaitGroup
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			work, done := worker()
			for j := next.Add(1) - 1; j < n; j = next.Add(1) - 1 {
				work(j)
			}
			mu.Lock()
			done()
			mu.Unlock()
		})
	}
	wg.Wait()
}

// beyond32 is input i of the float64 sweeps' inputs beyond 32, either
// sign: the even ones uniform in [32, 1500], the odd ones in a binade
// from 2^5 to 2^1023 drawn uniformly.
func beyond32(r *rand.Rand, i int) float64 {
	s := float64(1 - 2*r.IntN(2))
	if i%2 == 0 {
		return s * (32 + 1468*r.Float64())
	}
	return s * math.Ldexp(1+r.Float64(), 5+r.IntN(1019))
}

// bound is the spec's error bound in ULPs of the exact value.
const bound = 1

// backwardBound is the spec's bound for SigmoidBackward and
// SigmoidBackward64 against dy·y·(1-y) evaluated exactly.
const backwardBound = 1.5

// float is the element types under test.
type float interface{ float32 | float64 }

// is64 reports whether F is float64.
func is64[F float]() bool {
	var x F
	return unsafe.Sizeof(x) == 8
}

// size is the size of an F in bytes.
func size[F float]() uintptr {
	var x F
	return unsafe.Sizeof(x)
}

// bitsOf returns x's bit pattern, NaN payloads and all.
func bitsOf[F float](x F) uint64 {
	if is64[F]() {
		return math.Float64bits(float64(x))
	}
	return uint64(math.Float32bits(float32(x)))
}

// fromBits is the F with bit pattern b.
func fromBits[F float](b uint64) F {
	if is64[F]() {
		return F(math.Float64frombits(b))
	}
	return F(math.Float32frombits(uint32(b)))
}

func sameBits[F float](a, b F) bool { return bitsOf(a) == bitsOf(b) }

// hex formats x's bits with all their hex digits.
func hex[F float](x F) string {
	return fmt.Sprintf("%#0*x", 2*size[F](), bitsOf(x))
}

// impl is the functions under test of one element type: kernels.Sigmoid and
// SigmoidBackward (or Sigmoid64 and SigmoidBackward64), named after the
// function, or those of one kernel, named after the kernel.
type impl[F float] struct {
	name     string
	sigmoid  func(dst, src []F)
	backward func(dx, dy, y []F)
}

// sigmoidName is "Sigmoid" or "Sigmoid64", as the panic messages name it.
func sigmoidName[F float]() string {
	if is64[F]() {
		return "Sigmoid64"
	}
	return "Sigmoid"
}

// backwardName is "SigmoidBackward" or "SigmoidBackward64".
func backwardName[F float]() string {
	if is64[F]() {
		return "SigmoidBackward64"
	}
	return "SigmoidBackward"
}

// kernelImpl returns k's functions of element type F.
func kernelImpl[F float](k kernels.Kernel) impl[F] {
	var s, b any = k.Sigmoid, k.SigmoidBackward
	if is64[F]() {
		s, b = k.Sigmoid64, k.SigmoidBackward64
	}
	return impl[F]{k.Name(), s.(func(dst, src []F)), b.(func(dx, dy, y []F))}
}

// packageImpl returns the package-level functions of element type F, named
// sigmoidName[F]().
func packageImpl[F float]() impl[F] {
	var s, b any = kernels.Sigmoid, kernels.SigmoidBackward
	if is64[F]() {
		s, b = kernels.Sigmoid64, kernels.SigmoidBackward64
	}
	return impl[F]{sigmoidName[F](), s.(func(dst, src []F)), b.(func(dx, dy, y []F))}
}

// kernelImpls lists every kernel's functions of element type F.
func kernelImpls[F float]() []impl[F] {
	var is []impl[F]
	for _, k := range kernels.Kernels() {
		is = append(is, kernelImpl[F](k))
	}
	return is
}

// impls lists the package-level functions, then every kernel's.
func impls[F float]() []impl[F] {
	return append([]impl[F]{packageImpl[F]()}, kernelImpls[F]()...)
}

// backwardImpls is impls for the backward tests: the package-level
// functions named backwardName[F](), then every kernel's.
func backwardImpls[F float]() []impl[F] {
	is := impls[F]()
	is[0].name = backwardName[F]()
	return is
}

// bothTypes runs test for float32 and for float64, as subtests named after
// the functions under test ("Sigmoid" and "Sigmoid64").
func bothTypes(t *testing.T, test32 func(*testing.T), test64 func(*testing.T)) {
	t.Run(sigmoidName[float32](), test32)
	t.Run(sigmoidName[float64](), test64)
}

// slow reports whether tests should do less: -short, the race detector
// (which slows the Go code here about tenfold), qemu-user, or a platform
// whose math.FMA is software (386, wasm), where the generic kernel's
// float64 functions are many times slower.
func slow() bool {
	return testing.Short() || raceEnabled || underQEMU() || runtime.GOARCH == "386" || runtime.GOARCH == "wasm"
}

// maxReports is how many bad elements a test reports before giving up.
const maxReports = 10

// sigmoidWhy returns "" if got is a correct result for input x under the
// spec, else what is wrong.
func sigmoidWhy[F float](x, got F) string {
	if is64[F]() {
		return accuracy.Check64(float64(x), float64(got), bound)
	}
	x32 := float32(x)
	if why := accuracy.Check(x32, float32(got), bound); why != "" {
		return fmt.Sprintf("%s (fallback.SigmoidScalar gives %v)", why, fallback.SigmoidScalar(x32))
	}
	return ""
}

// backwardWhy returns "" if got is a correct SigmoidBackward result for dy
// and y, else what is wrong: within backwardBound of dy·y·(1-y) evaluated
// exactly, or for inputs no sigmoid returns IEEE arithmetic on dy·(y - y·y)
// with y - y·y rounded once (y = +Inf gives NaN; y = -Inf and any y where
// y - y·y overflows give dy·(-Inf)).
func backwardWhy[F float](dy, y, got F) string {
	if is64[F]() {
		return backwardWhy64(float64(dy), float64(y), float64(got))
	}
	return backwardWhy32(float32(dy), float32(y), float32(got))
}

func backwardWhy32(dy, y, got float32) string {
	_, why := backwardCheck32(dy, y, got)
	return why
}

// backwardCheck32 is backwardWhy32 that also returns the error in ULPs of
// a finite result (0 for NaN and infinite ones).
func backwardCheck32(dy, y, got float32) (float64, string) {
	// In float64, 1-y and y·(1-y) are exact (48 significant bits), the
	// product with dy is off by 2^-53 at most.
	d, v := float64(dy), float64(y)
	want := d * (v * (1 - v))
	if g := v * (1 - v); math.IsInf(v, 0) {
		// y - y·y: NaN for +Inf (Inf - Inf), -Inf for -Inf.
		want = d * math.FMA(-v, v, v)
	} else if math.Abs(g) > math.MaxFloat32 {
		// y - y·y overflows float32 (only for |y| > 2^64, never a
		// sigmoid's output): IEEE gives dy·(-Inf).
		want = d * math.Inf(-1)
	}
	switch {
	case math.IsNaN(want):
		if !math.IsNaN(float64(got)) {
			return 0, fmt.Sprintf("dy=%v y=%v: got %v, want NaN", dy, y, got)
		}
	case math.IsInf(want, 0) || math.Abs(want) > math.MaxFloat32:
		if float64(got) != float64(float32(want)) {
			return 0, fmt.Sprintf("dy=%v y=%v: got %v, want %v", dy, y, got, float32(want))
		}
	default:
		e := accuracy.ULP(got, want)
		if e > backwardBound {
			return e, fmt.Sprintf("dy=%v (%#08x) y=%v (%#08x): got %v (%#08x), want %v (%.2f ULP)",
				dy, math.Float32bits(dy), y, math.Float32bits(y), got, math.Float32bits(got), want, e)
		}
		return e, ""
	}
	return 0, ""
}

func backwardWhy64(dy, y, got float64) string {
	describe := func(want string) string {
		return fmt.Sprintf("dy=%v (%#016x) y=%v (%#016x): got %v (%#016x), want %s",
			dy, math.Float64bits(dy), y, math.Float64bits(y), got, math.Float64bits(got), want)
	}
	// y - y·y rounded once, as the kernels compute it.
	if g := math.FMA(-y, y, y); math.IsInf(g, 0) || math.IsNaN(g) {
		// y = ±Inf, NaN, or |y| past 2^512: IEEE on dy·g.
		if want := dy * g; !sameBits(got, want) && !(math.IsNaN(want) && math.IsNaN(got)) {
			return describe(fmt.Sprint(want))
		}
		return ""
	}
	hi, lo := accuracy.BackwardExact64(dy, y)
	switch {
	case math.IsNaN(hi):
		if !math.IsNaN(got) {
			return describe("NaN")
		}
	case math.IsInf(hi, 0):
		if got != hi {
			return describe(fmt.Sprint(hi))
		}
	default:
		if e := accuracy.ULP64(got, hi, lo); e > backwardBound {
			return describe(fmt.Sprintf("%v (%.2f ULP)", hi, e))
		}
	}
	return ""
}

// reporter counts a test's failures and stops it after maxReports.
type reporter struct {
	t       testing.TB
	reports int
}

// fail reports a failure and returns whether to go on.
func (r *reporter) fail(format string, args ...any) bool {
	r.t.Helper()
	r.t.Errorf(format, args...)
	r.reports++
	return r.reports < maxReports
}

// sigmoidRef is a function's results on a pool of inputs, checked against
// the spec once: a test that calls the function on parts of the pool
// compares the bits, and checks a result that differs against the spec.
type sigmoidRef[F float] struct {
	src, want []F
}

// newSigmoidRef runs f on all of src and checks every result, failing the
// test now if one breaks the spec. A result with the bits of known's (a
// reference on the same src, or nil), already checked, is not checked again.
func newSigmoidRef[F float](t testing.TB, name string, f func(dst, src []F), src []F, known *sigmoidRef[F]) *sigmoidRef[F] {
	t.Helper()
	r := &sigmoidRef[F]{src: src, want: make([]F, len(src))}
	f(r.want, src)
	rep := &reporter{t: t}
	for i, x := range src {
		if known != nil && sameBits(r.want[i], known.want[i]) {
			continue
		}
		if why := sigmoidWhy(x, r.want[i]); why != "" && !rep.fail("%s on a %d-element pool: element %d: %s", name, len(src), i, why) {
			break
		}
	}
	if rep.reports > 0 {
		t.FailNow()
	}
	return r
}

// why returns "" if got is a correct result for src[i].
func (r *sigmoidRef[F]) why(i int, got F) string {
	if sameBits(got, r.want[i]) {
		return ""
	}
	return sigmoidWhy(r.src[i], got)
}

// check checks the results dst of the inputs from index from, reporting the
// first bad one; it returns false if it reported one.
func (r *sigmoidRef[F]) check(rep *reporter, dst []F, from int, what string, args ...any) bool {
	rep.t.Helper()
	for i, got := range dst {
		if why := r.why(from+i, got); why != "" {
			rep.fail("%s: element %d: %s", sprintf(what, args...), i, why)
			return false
		}
	}
	return true
}

// backwardRef is sigmoidRef for the backward pass.
type backwardRef[F float] struct {
	dy, y, want []F
}

// newBackwardRef is newSigmoidRef for the backward pass.
func newBackwardRef[F float](t testing.TB, name string, f func(dx, dy, y []F), dy, y []F, known *backwardRef[F]) *backwardRef[F] {
	t.Helper()
	r := &backwardRef[F]{dy: dy, y: y, want: make([]F, len(y))}
	f(r.want, dy, y)
	rep := &reporter{t: t}
	for i := range y {
		if known != nil && sameBits(r.want[i], known.want[i]) {
			continue
		}
		if why := backwardWhy(dy[i], y[i], r.want[i]); why != "" && !rep.fail("%s on %d-element pools: element %d: %s", name, len(y), i, why) {
			break
		}
	}
	if rep.reports > 0 {
		t.FailNow()
	}
	return r
}

// why returns "" if got is a correct result for dy[i] and y[i].
func (r *backwardRef[F]) why(i int, got F) string {
	if sameBits(got, r.want[i]) {
		return ""
	}
	return backwardWhy(r.dy[i], r.y[i], got)
}

func (r *backwardRef[F]) check(rep *reporter, dx []F, from int, what string, args ...any) bool {
	rep.t.Helper()
	for i, got := range dx {
		if why := r.why(from+i, got); why != "" {
			rep.fail("%s: dx[%d]: %s", sprintf(what, args...), i, why)
			return false
		}
	}
	return true
}

// checkBackwardAll checks dx = SigmoidBackward(dy, y) elementwise, reporting
// the first bad element; it returns false if there was one.
func checkBackwardAll[F float](t testing.TB, name string, dx, dy, y []F) bool {
	t.Helper()
	for i := range dx {
		if why := backwardWhy(dy[i], y[i], dx[i]); why != "" {
			t.Errorf("%s: element %d: %s", name, i, why)
			return false
		}
	}
	return true
}

// mixedInputs returns n sigmoid inputs of type F: for float32
// mixedInputs32, for float64 accuracy.Inputs64.
func mixedInputs[F float](n int, seed uint64) []F {
	var xs any
	if is64[F]() {
		xs = accuracy.Inputs64(n, seed)
	} else {
		xs = mixedInputs32(n, seed)
	}
	return xs.([]F)
}

// mixedInputs32 returns n inputs: mostly ordinary values over the whole
// interesting range [-110, 25], with random bit patterns, the specials and
// values near the edges mixed in, so that every lane position of every
// vector sees every kind of value.
func mixedInputs32(n int, seed uint64) []float32 {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	specials := accuracy.Specials()
	out := make([]float32, n)
	for i := range out {
		switch r.IntN(10) {
		case 0:
			out[i] = math.Float32frombits(r.Uint32())
		case 1:
			out[i] = specials[r.IntN(len(specials))]
		case 2:
			out[i] = float32(-87 - 17*r.Float64()) // subnormal results and 0
		case 3:
			out[i] = float32(15.5 + 2.5*r.Float64()) // saturation to 1
		default:
			out[i] = float32(-110 + 135*r.Float64())
		}
	}
	return out
}

// limits are the edges of an element type's range.
type limits struct {
	max          float64 // the largest finite value
	minNormal    float64 // the smallest positive normal value
	minSubnormal float64 // the smallest positive value
	halfEps      float64 // half the spacing of the values just below 1
}

func limitsOf[F float]() limits {
	if is64[F]() {
		return limits{math.MaxFloat64, 0x1p-1022, 0x1p-1074, 0x1p-53}
	}
	return limits{math.MaxFloat32, 0x1p-126, 0x1p-149, 0x1p-24}
}

// backwardInputs returns n gradients and n sigmoid outputs in [0, 1]:
// mostly what a sigmoid layer sees, with zeros, ones, subnormals, values
// next to 1, huge and tiny gradients, infinities and NaNs mixed in.
func backwardInputs[F float](n int, seed uint64) (dy, y []F) {
	r := rand.New(rand.NewPCG(seed, 0xbac4))
	l := limitsOf[F]()
	dy, y = make([]F, n), make([]F, n)
	// A random subnormal: below the smallest normal's bit pattern.
	subnormal := func() F { return fromBits[F](r.Uint64N(bitsOf(F(l.minNormal)))) }
	for i := range n {
		switch r.IntN(16) {
		case 0:
			y[i] = F([]float64{0, 1, 0.5, l.minSubnormal, l.minNormal, 1 - l.halfEps, 1 - 2*l.halfEps}[r.IntN(7)])
		case 1:
			y[i] = subnormal()
		case 2:
			y[i] = 1 - F(r.Float64()*0x1p-12) // next to 1
		default:
			y[i] = F(r.Float64())
		}
		switch r.IntN(16) {
		case 0:
			dy[i] = F([]float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1),
				math.NaN(), l.max, -l.max, l.minSubnormal}[r.IntN(8)])
		case 1:
			dy[i] = F(r.NormFloat64() * l.minNormal * 0x1p6) // subnormal products
		case 2:
			dy[i] = F(r.NormFloat64() * 0x1p100)
		default:
			dy[i] = F(r.NormFloat64())
		}
	}
	return dy, y
}

// backwardAnyInputs returns n gradients and n outputs of any kind: a
// quarter random bit patterns, an eighth tiny y with tiny dy (subnormal
// products), the rest what a sigmoid layer sees.
func backwardAnyInputs[F float](n int, seed uint64) (dy, y []F) {
	r := rand.New(rand.NewPCG(seed, 2))
	l := limitsOf[F]()
	bitsMask := uint64(1)<<(8*size[F]()) - 1 // all ones for float64
	dy, y = make([]F, n), make([]F, n)
	for i := range y {
		switch r.IntN(8) {
		case 0, 1: // any bit pattern
			y[i] = fromBits[F](r.Uint64() & bitsMask)
			dy[i] = fromBits[F](r.Uint64() & bitsMask)
		case 2: // tiny y, tiny dy: subnormal products
			y[i] = fromBits[F](r.Uint64N(2 * bitsOf(F(l.minNormal))))
			dy[i] = F(r.NormFloat64() * l.minNormal * 0x1p96)
		default: // what a sigmoid layer produces
			y[i] = F(r.Float64())
			dy[i] = F(r.NormFloat64())
		}
	}
	return dy, y
}

// canary is the bit pattern kept around every output under test: a
// signalling NaN no kernel produces.
func canary[F float]() F {
	if is64[F]() {
		return fromBits[F](0x7ff5a5a5a5a5a5a5)
	}
	return fromBits[F](0x7fa5a5a5)
}

func fillCanary[F float](s []F) {
	c := canary[F]()
	for i := range s {
		s[i] = c
	}
}

// firstTouched returns the index of the first element of s that is not the
// canary, or -1.
func firstTouched[F float](s []F) int {
	c := bitsOf(canary[F]())
	for i, x := range s {
		if bitsOf(x) != c {
			return i
		}
	}
	return -1
}

// aligned64 returns the smallest index i >= from with &s[i] 64-byte
// aligned, so that offsets from it are offsets from a cache line (and a
// ZMM-register) boundary.
func aligned64[F float](s []F, from int) int {
	for i := from; i < from+64; i++ {
		if uintptr(unsafe.Pointer(&s[i]))%64 == 0 {
			return i
		}
	}
	panic("no 64-byte aligned element")
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// checkMirrored runs f on xs, f in place on a copy of them and mirror on
// -xs, and checks each result with why, that in place gives the bits out
// of place does, and that mirror(-x) is -f(x) bit for bit (mirror named
// so in the messages): tanh is odd, LogSigmoid(-x) is -Softplus(x).
func checkMirrored[F float](t *testing.T, xs []F, f, mirror func(dst, src []F), mirrorName string, why func(x, got F) string) {
	rep := &reporter{t: t}
	n := len(xs)
	neg := make([]F, n)
	for i, x := range xs {
		neg[i] = -x
	}
	got, gotNeg := make([]F, n), make([]F, n)
	f(got, xs)
	mirror(gotNeg, neg)
	inPlace := append([]F(nil), xs...)
	f(inPlace, inPlace)
	for i, x := range xs {
		if w := why(x, got[i]); w != "" && !rep.fail("%s", w) {
			return
		}
		if !sameBits(gotNeg[i], -got[i]) && !rep.fail("x=%s: %s = %s, not -%s", hex(x), mirrorName, hex(gotNeg[i]), hex(got[i])) {
			return
		}
		if !sameBits(inPlace[i], got[i]) && !rep.fail("x=%s: in place %s, out of place %s", hex(x), hex(inPlace[i]), hex(got[i])) {
			return
		}
	}
}
