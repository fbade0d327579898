package main

import (
	"fmt"
	"go/format"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// goMachine implements machine by writing Go: the pure-Go kernel of
// package fallback (-arch go), generated from the same algorithm as the
// SIMD kernels so that it returns the same bits. Each value is one Go
// variable per unrolled copy (lane), and every method writes its statement
// once per lane, one after the other, so that the copies interleave.
//
// Every arithmetic result is wrapped in a conversion to the element type:
// Go may fuse x*y + z into an FMA unless an explicit conversion rounds in
// between, and each machine operation must be rounded once, on its own.
// The FMAs are math.FMA for float64 and, for float32, fallback/fma32.go's
// correctly rounded float32 FMA written out in place.
type goMachine struct {
	e     elem
	k     *consts
	lanes int
	fail  string // the statement that leaves the code when a check fails
	// masked is set once a lane's check (requireNoNaN at several lanes)
	// has marked a failing lane in the variable bad, a bit per lane,
	// instead of leaving the code: the other lanes keep their results.
	masked bool
	w      *strings.Builder
	n      int      // variables made so far
	vars   []*goVal // every variable made, for the unused ones
	gf     *goFile

	// Value numbering: the algorithm recomputes what a SIMD back end
	// cannot keep in a register (hold and release, the safe codes'
	// fix-ups), which in Go costs an emulated FMA each time. An operation
	// on the same operands' values as an earlier one whose result a
	// variable in scope still holds copies that variable instead.
	values int                  // value numbers given so far
	vns    map[string]int       // an operation's key: its result's number
	memo   map[string]memoEntry // an operation's key: where its result is
	all    []*goVal             // every variable, at any depth
	depth  int                  // of the Go block being written (only)
}

// goVal is a value: one variable per lane. used records whether any
// statement reads it; vn numbers the value it holds now, set at block
// depth vnDepth; dead is set once its block is closed.
type goVal struct {
	names   []string
	used    bool
	vn      int
	vnDepth int
	dead    bool
}

// memoEntry is a variable that held an operation's result, the value
// numbered vn: it still does if it is alive and its vn is unchanged.
type memoEntry struct {
	v  *goVal
	vn int
}

// renumber gives v a value number of its own: what it holds now equals
// nothing computed before.
func (m *goMachine) renumber(v *goVal) {
	m.values++
	v.vn, v.vnDepth = m.values, m.depth
}

// setNumber sets v's value number to that of the result of the
// operation with key k: the same operation on the same values gives the
// same value, wherever it is computed.
func (m *goMachine) setNumber(v *goVal, k string) {
	if m.vns == nil {
		m.vns = map[string]int{}
	}
	n, ok := m.vns[k]
	if !ok {
		m.values++
		n = m.values
		m.vns[k] = n
	}
	v.vn, v.vnDepth = n, m.depth
}

// key is an operation's key from its name and its operands' values.
func (m *goMachine) key(op string, operands ...any) string {
	var b strings.Builder
	b.WriteString(op)
	for _, o := range operands {
		switch o := o.(type) {
		case *goVal:
			fmt.Fprintf(&b, " v%d", o.vn)
		case *constant:
			b.WriteString(" c" + o.name)
		default:
			panic(fmt.Sprintf("goMachine: key of %T", o))
		}
	}
	return b.String()
}

// cached is the variable that holds the result of the operation with key
// k, if one does.
func (m *goMachine) cached(k string) (*goVal, bool) {
	e, ok := m.memo[k]
	if !ok || e.v.dead || e.v.vn != e.vn {
		return nil, false
	}
	return e.v, true
}

// remember records that v holds the result of the operation with key k.
func (m *goMachine) remember(k string, v *goVal) {
	if m.memo == nil {
		m.memo = map[string]memoEntry{}
	}
	m.memo[k] = memoEntry{v, v.vn}
}

// defineOp is define for the operation with key k: a copy of the
// variable that holds its result if one does.
func (m *goMachine) defineOp(k string, expr func(i int) string) *goVal {
	if c, ok := m.cached(k); ok {
		return m.copyOf(c).(*goVal)
	}
	v := m.define(expr)
	m.setNumber(v, k)
	m.remember(k, v)
	return v
}

// setOp is an operation with key k that changes v: emit writes it, unless
// a variable holds its result already, which v copies.
func (m *goMachine) setOp(v *goVal, k string, emit func()) {
	if c, ok := m.cached(k); ok && c != v {
		c.used = true
		m.each(func(i int) string { return v.names[i] + " = " + c.names[i] })
		v.vn, v.vnDepth = c.vn, m.depth
		return
	}
	emit()
	m.setNumber(v, k)
	m.remember(k, v)
}

// goFile collects the constants the functions use, each declared once.
type goFile struct {
	decls []string
	names map[string]bool
}

// constName is the name of constant c of element type e in the generated
// file, declared on first use: c32Magic, c64Exptabhi.
func (f *goFile) constName(e elem, c *constant) string {
	name := fmt.Sprintf("c%d%s", 8*e.bytes, export(c.name))
	if f.names[name] {
		return name
	}
	f.names[name] = true
	if strings.HasSuffix(c.name, "scaled") {
		// Bit patterns: expScaled adds t's shifted bits to them.
		var s []string
		for _, b := range c.bits {
			s = append(s, fmt.Sprintf("%#x", b))
		}
		f.decls = append(f.decls, fmt.Sprintf("var %s = [%d]%s{%s}", name, len(c.bits), e.uint(), strings.Join(s, ", ")))
		return name
	}
	var s []string
	for _, b := range c.bits {
		s = append(s, e.literal(b))
	}
	if len(c.bits) == 1 && c.bits[0] == e.bits(math.Inf(1)) {
		f.decls = append(f.decls, fmt.Sprintf("var %s = %s(math.Inf(1))", name, e.name))
		return name
	}
	if len(c.bits) == 1 && c.bits[0] == e.bits(math.Copysign(0, -1)) {
		// -0 is no Go constant: a constant -0.0 is 0.
		f.decls = append(f.decls, fmt.Sprintf("var %s = %s(%#x)", name, e.fromBitsFn(), c.bits[0]))
		return name
	}
	if len(c.bits) == 1 {
		f.decls = append(f.decls, fmt.Sprintf("const %s %s = %s", name, e.name, s[0]))
	} else {
		f.decls = append(f.decls, fmt.Sprintf("var %s = [%d]%s{%s}", name, len(c.bits), e.name, strings.Join(s, ", ")))
	}
	return name
}

// literal is the exact hex float literal of the element with bits b.
func (e elem) literal(b uint64) string {
	if e == f32 {
		return strconv.FormatFloat(float64(math.Float32frombits(uint32(b))), 'x', -1, 32)
	}
	return strconv.FormatFloat(math.Float64frombits(b), 'x', -1, 64)
}

// uint is the unsigned integer type of the element's width.
func (e elem) uint() string { return fmt.Sprintf("uint%d", 8*e.bytes) }

// bitsFn and fromBitsFn are the math functions to and from bit patterns.
func (e elem) bitsFn() string {
	if e == f32 {
		return "math.Float32bits"
	}
	return "math.Float64bits"
}

func (e elem) fromBitsFn() string {
	if e == f32 {
		return "math.Float32frombits"
	}
	return "math.Float64frombits"
}

func export(s string) string {
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

func unexport(s string) string {
	// A leading acronym is lowered whole, but for the capital that starts
	// the next word: BCEWithLogits is bceWithLogits, GLU glu.
	r := []rune(s)
	n := 1
	for n < len(r) && unicode.IsUpper(r[n]) && (n+1 == len(r) || !unicode.IsLower(r[n+1])) {
		n++
	}
	for i := range n {
		r[i] = unicode.ToLower(r[i])
	}
	return string(r)
}

// newVal makes a value, its variables named v<n> (one lane) or v<n>_<i>.
func (m *goMachine) newVal() *goVal {
	m.n++
	v := &goVal{}
	for i := range m.lanes {
		if m.lanes == 1 {
			v.names = append(v.names, fmt.Sprintf("v%d", m.n))
		} else {
			v.names = append(v.names, fmt.Sprintf("v%d_%d", m.n, i))
		}
	}
	m.vars = append(m.vars, v)
	m.all = append(m.all, v)
	m.renumber(v)
	return v
}

// in is a value of the given lane variables, which exist already.
func (m *goMachine) in(names ...string) *goVal {
	v := &goVal{names: names, used: true}
	m.all = append(m.all, v)
	m.renumber(v)
	return v
}

// op is lane i of operand o (a value or a constant), which is read.
func (m *goMachine) op(o any, i int) string {
	switch o := o.(type) {
	case *goVal:
		o.used = true
		return o.names[i]
	case *constant:
		return m.gf.constName(m.e, o)
	}
	panic(fmt.Sprintf("goMachine: operand %T", o))
}

func (m *goMachine) line(format string, args ...any) {
	fmt.Fprintf(m.w, format+"\n", args...)
}

// each writes one statement per lane, f giving lane i's.
func (m *goMachine) each(f func(i int) string) {
	for i := range m.lanes {
		m.line("%s", f(i))
	}
}

// define makes a value whose lane i is expr(i).
func (m *goMachine) define(expr func(i int) string) *goVal {
	v := m.newVal()
	m.each(func(i int) string { return v.names[i] + " := " + expr(i) })
	return v
}

// set assigns lane i of v from expr(i); v is not marked read.
func (m *goMachine) set(v value, expr func(i int) string) {
	g := v.(*goVal)
	m.each(func(i int) string { return g.names[i] + " = " + expr(i) })
}

// setWith is set for the operation with key k (setOp).
func (m *goMachine) setWith(v value, k string, expr func(i int) string) {
	m.setOp(v.(*goVal), k, func() { m.set(v, expr) })
}

// round wraps an arithmetic expression in the conversion that rounds it.
func (m *goMachine) round(expr string) string { return m.e.name + "(" + expr + ")" }

// fmaInto sets (or with define, declares) each lane of v to a·b + c
// rounded once, ops giving lane i's operands, mult the operand b stands
// for. float64 has math.FMA; float32's is fallback/fma32.go's fma32
// written out in place (a call, even on the rare path, makes the Go
// compiler spill every live value), but where b is 2^k, k < 0, and |a|
// ≥ 2^(-126-k): there a·b is normal, so exact in float32, and a float32
// product and sum round once, as the FMA. (Softplus 120 to 102 µs at
// n = 4096, its three FMAs by 1/2; for 2 the same form made Tanh, with
// one FMA by 2, 4% slower, so a factor above 1 keeps the emulation.)
func (m *goMachine) fmaInto(v *goVal, define bool, mult operand, ops func(i int) (a, b, c string)) {
	for i, name := range v.names {
		a, b, c := ops(i)
		if m.e == f64 {
			if define {
				m.line("%s := math.FMA(%s, %s, %s)", name, a, b, c)
			} else {
				m.line("%s = math.FMA(%s, %s, %s)", name, a, b, c)
			}
			continue
		}
		if define {
			m.line("var %s float32", name)
		}
		if k, ok := m.powerOfTwo(mult); ok {
			m.line("if ax := %s; ax >= 0x1p%d || ax <= -0x1p%d {\n%s = float32(float32(ax*%s) + %s)\n} else", a, -126-k, -126-k, name, b, c)
		}
		m.line("{\np := float64(float64(%s) * float64(%s))\ns := float64(p + float64(%s))", a, b, c)
		m.line("if u := math.Float64bits(s); u&(1<<29-1) == 1<<28 || u&(0x7ff<<52) < (1023-126)<<52 {")
		m.line("bb := float64(s - p)\nif e := float64(p-float64(s-bb)) + float64(float64(%s)-bb); e*e > 0 {", c)
		m.line("if e*s < 0 {\nu--\n}\ns = math.Float64frombits(u | 1)\n}\n}")
		m.line("%s = float32(s)\n}", name)
	}
}

// powerOfTwo returns k where o is the float32 constant 2^k, k < 0.
func (m *goMachine) powerOfTwo(o operand) (int, bool) {
	c, ok := o.(*constant)
	if !ok || len(c.bits) != 1 || m.e != f32 {
		return 0, false
	}
	frac, exp := math.Frexp(float64(math.Float32frombits(uint32(c.bits[0]))))
	return exp - 1, frac == 0.5 && exp <= 0
}

func (m *goMachine) bits(x string) string { return m.e.bitsFn() + "(" + x + ")" }

func (m *goMachine) limitBits() uint64 { return m.e.bits(m.e.fastLimit) }

func (m *goMachine) requireFast(x value) {
	if m.lanes == 1 {
		l := m.op(m.k.large, 0)
		m.line("if !(%s <= %s && %s >= -%s) {", m.op(x, 0), l, m.op(x, 0), l)
	} else {
		// One test for every lane: the largest |x|'s bits (NaN's are
		// larger than every number's).
		var abs []string
		for i := range m.lanes {
			abs = append(abs, fmt.Sprintf("%s&%#x", m.bits(m.op(x, i)), m.e.signBit()-1))
		}
		m.line("if max(%s) > %#x {", strings.Join(abs, ", "), m.limitBits())
	}
	m.line("%s\n}", m.fail)
}

func (m *goMachine) requireTiny(x value) {
	var c []string
	for i := range m.lanes {
		c = append(c, m.op(x, i)+" < -"+m.op(m.k.large, 0))
	}
	m.line("if !(%s) {\n%s\n}", strings.Join(c, " && "), m.fail)
}

func (m *goMachine) requireNoNaN(y value) {
	if m.lanes > 1 {
		// A NaN lane fails alone: its neighbours' results stand. One
		// test on the common path, the lanes' on the rare one.
		m.masked = true
		var any, each []string
		for i := range m.lanes {
			any = append(any, m.op(y, i)+" != "+m.op(y, i))
			each = append(each, fmt.Sprintf("if %s != %s {\nbad |= %d\n}", m.op(y, i), m.op(y, i), 1<<i))
		}
		m.line("if %s {\n%s\n}", strings.Join(any, " || "), strings.Join(each, "\n"))
		return
	}
	m.line("if %s != %s {\n%s\n}", m.op(y, 0), m.op(y, 0), m.fail)
}

func (m *goMachine) absMin(x value, limit *constant) value {
	return m.defineOp(m.key("absMin", x, limit), func(i int) string {
		return fmt.Sprintf("min(%s(%s&^%#x), %s)", m.e.fromBitsFn(), m.bits(m.op(x, i)), m.e.signBit(), m.op(limit, 0))
	})
}

// fmaNew is a new value a·b + c, ops giving lane i's operands, for the
// operation with key k.
func (m *goMachine) fmaNew(k string, mult operand, ops func(i int) (a, b, c string)) *goVal {
	if c, ok := m.cached(k); ok {
		return m.copyOf(c).(*goVal)
	}
	v := m.newVal()
	m.fmaInto(v, true, mult, ops)
	m.setNumber(v, k)
	m.remember(k, v)
	return v
}

func (m *goMachine) fma(a value, b, c *constant) value {
	return m.fmaNew(m.key("fma", a, b, c), b, func(i int) (string, string, string) { return m.op(a, i), m.op(b, i), m.op(c, i) })
}

func (m *goMachine) sub(a value, b operand) value {
	return m.defineOp(m.key("sub", a, b), func(i int) string { return m.round(m.op(a, i) + " - " + m.op(b, i)) })
}

func (m *goMachine) add(a value, b operand) value {
	return m.defineOp(m.key("add", a, b), func(i int) string { return m.round(m.op(a, i) + " + " + m.op(b, i)) })
}

func (m *goMachine) mul(a value, b operand) value {
	return m.defineOp(m.key("mul", a, b), func(i int) string { return m.round(m.op(a, i) + " * " + m.op(b, i)) })
}

func (m *goMachine) minOf(a value, b *constant) value {
	return m.defineOp(m.key("min", a, b), func(i int) string { return "min(" + m.op(a, i) + ", " + m.op(b, i) + ")" })
}

func (m *goMachine) maxOf(a value, b *constant) value {
	return m.defineOp(m.key("max", a, b), func(i int) string { return "max(" + m.op(a, i) + ", " + m.op(b, i) + ")" })
}

// fmaSet sets acc to a·b + c, ops giving lane i's operands, for the
// operation with key k.
func (m *goMachine) fmaSet(acc value, k string, mult operand, ops func(i int) (a, b, c string)) {
	v := acc.(*goVal)
	m.setOp(v, k, func() { m.fmaInto(v, false, mult, ops) })
}

func (m *goMachine) fmaTo(acc, a value, b operand) {
	m.fmaSet(acc, m.key("fma", a, b, acc), b, func(i int) (string, string, string) { return m.op(a, i), m.op(b, i), m.op(acc, i) })
}

func (m *goMachine) fnmaTo(acc, a value, b operand) {
	m.fmaSet(acc, m.key("fnma", a, b, acc), b, func(i int) (string, string, string) { return "-" + m.op(a, i), m.op(b, i), m.op(acc, i) })
}

func (m *goMachine) mulSubFrom(acc, a value, b operand) {
	m.fmaSet(acc, m.key("fms", a, b, acc), b, func(i int) (string, string, string) { return m.op(a, i), m.op(b, i), "-" + m.op(acc, i) })
}

func (m *goMachine) negMulAdd(a, b value, c operand) value {
	return m.fmaNew(m.key("fnma", a, b, c), b, func(i int) (string, string, string) { return "-" + m.op(a, i), m.op(b, i), m.op(c, i) })
}

// copyOf is a new variable of x's value.
func (m *goMachine) copyOf(x value) value {
	v := m.define(func(i int) string { return m.op(x, i) })
	v.vn = x.(*goVal).vn
	return v
}

func (m *goMachine) neg(x value) value {
	return m.defineOp(m.key("neg", x), func(i int) string {
		return fmt.Sprintf("%s(%s ^ %#x)", m.e.fromBitsFn(), m.bits(m.op(x, i)), m.e.signBit())
	})
}

func (m *goMachine) setSign(y value) {
	m.setWith(y, m.key("setSign", y), func(i int) string {
		return fmt.Sprintf("%s(%s | %#x)", m.e.fromBitsFn(), m.bits(m.op(y, i)), m.e.signBit())
	})
}

func (m *goMachine) orSign(y, x value) {
	m.setWith(y, m.key("orSign", y, x), func(i int) string {
		return fmt.Sprintf("%s(%s | %s&%#x)", m.e.fromBitsFn(), m.bits(m.op(y, i)), m.bits(m.op(x, i)), m.e.signBit())
	})
}

func (m *goMachine) above(y, x value, limit *constant, v operand) {
	m.setOp(y.(*goVal), m.key("above", y, x, limit, v), func() {
		m.each(func(i int) string {
			return fmt.Sprintf("if %s > %s {\n%s = %s\n}", m.op(x, i), m.op(limit, 0), m.op(y, i), m.op(v, i))
		})
	})
}

func (m *goMachine) subTo(acc, b value) {
	m.setWith(acc, m.key("sub", acc, b), func(i int) string { return m.round(m.op(acc, i) + " - " + m.op(b, i)) })
}

func (m *goMachine) addTo(acc, b value) {
	m.setWith(acc, m.key("add", acc, b), func(i int) string { return m.round(m.op(acc, i) + " + " + m.op(b, i)) })
}

// index is the table index of t: its low log2 N bits.
func (m *goMachine) index(t value, i int) string {
	return fmt.Sprintf("%s&%d", m.bits(m.op(t, i)), m.e.tableSize-1)
}

func (m *goMachine) lookup(t value, table *constant) value {
	return m.defineOp(m.key("lookup", t, table), func(i int) string { return m.op(table, 0) + "[" + m.index(t, i) + "]" })
}

func (m *goMachine) horner(s value, poly []*constant) value {
	operands := []any{s}
	for _, c := range poly {
		operands = append(operands, c)
	}
	k := m.key("horner", operands...)
	if c, ok := m.cached(k); ok {
		return m.copyOf(c)
	}
	last := len(poly) - 1
	u := m.newVal()
	defer func() {
		m.setNumber(u, k)
		m.remember(k, u)
	}()
	m.fmaInto(u, true, s, func(i int) (string, string, string) { return m.op(poly[last], 0), m.op(s, i), m.op(poly[last-1], 0) })
	for j := last - 2; j >= 0; j-- {
		m.fmaInto(u, false, s, func(i int) (string, string, string) { return m.op(u, i), m.op(s, i), m.op(poly[j], 0) })
	}
	return u
}

func (m *goMachine) expScaled(n, t value, tabHi *constant) value {
	tab := scaledTable(tabHi, variant{elem: m.e})
	shift := m.e.mant - log2(m.e.tableSize)
	return m.defineOp(m.key("expScaled", n, t, tabHi), func(i int) string {
		return fmt.Sprintf("%s(%s[%s] + %s<<%d)", m.e.fromBitsFn(), m.op(tab, 0), m.index(t, i), m.bits(m.op(t, i)), shift)
	})
}

// exp2 is 2^(k+c), c the element's scaleBias, k = floor(n): t's bits
// shifted right by log2 N less magic's are k (exact: t = magic + k + j/N,
// with magic's last log2 N bits clear). 2^(k+c) is normal for every k the
// tiny code makes, and scaleDown multiplies by 2^-c after it.
func (m *goMachine) exp2(t value) power {
	lg := log2(m.e.tableSize)
	off := m.k.magic.bits[0]>>lg - uint64(m.e.bias+m.e.scaleBias)
	return m.defineOp(m.key("exp2", t), func(i int) string {
		return fmt.Sprintf("%s((%s>>%d - %#x) << %d)", m.e.fromBitsFn(), m.bits(m.op(t, i)), lg, off, m.e.mant)
	})
}

// expTimes: the significand is f's mantissa bits under 1's exponent; the
// power's exponent field is k + e + c + B (B the bias), from t's bits as
// in exp2 and f's exponent field, raised to 1.
func (m *goMachine) expTimes(t, f value) (value, power) {
	e := m.e
	lg := log2(e.tableSize)
	mantMask := uint64(1)<<e.mant - 1
	sig := m.defineOp(m.key("significand", f), func(i int) string {
		return fmt.Sprintf("%s(%s&%#x | %#x)", e.fromBitsFn(), m.bits(m.op(f, i)), mantMask, e.bits(1))
	})
	off := int64(e.scaleBias) - int64(m.k.magic.bits[0]>>lg)
	w := 8 * e.bytes
	p := m.defineOp(m.key("power", t, f), func(i int) string {
		field := fmt.Sprintf("max(int%d(%s>>%d)+int%d(%s<<1>>%d)%+d, 1)", w, m.bits(m.op(t, i)), lg, w, m.bits(m.op(f, i)), e.mant+1, off)
		return fmt.Sprintf("%s(%s(%s) << %d)", e.fromBitsFn(), e.uint(), field, e.mant)
	})
	return sig, p
}

// scaleDown is v·2^(k+c), exact (normal), then ·2^-c, the one rounding.
func (m *goMachine) scaleDown(v value, p power) {
	twoNegC := &constant{name: "twoNegScale", bits: []uint64{m.e.bits(math.Ldexp(1, -m.e.scaleBias))}}
	m.setWith(v, m.key("scaleDown", v, p), func(i int) string {
		return m.round(m.round(m.op(v, i)+" * "+m.op(p, i)) + " * " + m.op(twoNegC, 0))
	})
}

func (m *goMachine) recip(d value) value {
	return m.defineOp(m.key("recip", d), func(i int) string { return m.round("1 / " + m.op(d, i)) })
}

func (m *goMachine) below(x value, c *constant) predicate {
	return m.defineOp(m.key("below", x, c), func(i int) string { return m.op(x, i) + " < " + m.op(c, 0) })
}

func (m *goMachine) saturated(y, x value, lo, hi, v *constant) {
	name, ops := "saturated", []any{y, x, v}
	if lo != nil {
		name, ops = name+"Below", append(ops, lo)
	}
	if hi != nil {
		name, ops = name+"Above", append(ops, hi)
	}
	m.setOp(y.(*goVal), m.key(name, ops...), func() {
		m.each(func(i int) string {
			var out []string
			if lo != nil {
				out = append(out, m.op(x, i)+" < "+m.op(lo, 0))
			}
			if hi != nil {
				out = append(out, m.op(x, i)+" > "+m.op(hi, 0))
			}
			return fmt.Sprintf("if %s {\n%s = %s\n}", strings.Join(out, " || "), m.op(y, i), m.op(v, 0))
		})
	})
}

func (m *goMachine) selectTo(p predicate, acc, v value) {
	m.setOp(acc.(*goVal), m.key("select", p, acc, v), func() {
		m.each(func(i int) string {
			return fmt.Sprintf("if %s {\n%s = %s\n}", m.op(p, i), m.op(acc, i), m.op(v, i))
		})
	})
}

func (m *goMachine) quietNaN(y, x value) {
	quiet := m.e.quietBit()
	m.setOp(y.(*goVal), m.key("quietNaN", y, x), func() {
		m.each(func(i int) string {
			x := m.op(x, i)
			return fmt.Sprintf("if %s != %s {\n%s = %s(%s | %#x)\n}", x, x, m.op(y, i), m.e.fromBitsFn(), m.bits(x), quiet)
		})
	})
}

func (m *goMachine) canonNaN(y value) {
	nan := m.e.canonNaN()
	m.setOp(y.(*goVal), m.key("canonNaN", y), func() {
		m.each(func(i int) string {
			y := m.op(y, i)
			return fmt.Sprintf("if %s != %s {\n%s = %s(%#x)\n}", y, y, y, m.e.fromBitsFn(), nan)
		})
	})
}

// only computes f inside an if that holds where some lane is within the
// bounds, its variables scoped to the block (those nothing reads marked
// read there): a block whose lanes all lie outside skips f, and the code
// of one element computes it only where it is read.
func (m *goMachine) only(x value, lo, hi *constant, f func() value) value {
	var lanes []string
	for i := range m.lanes {
		var conds []string
		if lo != nil {
			conds = append(conds, m.op(x, i)+" >= "+m.op(lo, 0))
		}
		if hi != nil {
			conds = append(conds, m.op(x, i)+" <= "+m.op(hi, 0))
		}
		lanes = append(lanes, strings.Join(conds, " && "))
	}
	r := m.newVal()
	m.line("var %s %s", strings.Join(r.names, ", "), m.e.name)
	if m.lanes == 1 {
		m.line("if %s {", lanes[0])
	} else {
		m.line("if (%s) {", strings.Join(lanes, ") || ("))
	}
	outer := m.vars
	m.vars = nil
	m.depth++
	y := f().(*goVal)
	y.used = true
	m.line("%s = %s", strings.Join(r.names, ", "), strings.Join(y.names, ", "))
	m.finish()
	// The block's variables are gone; those it changed hold, after it,
	// what they held before or what it gave them.
	for _, v := range m.vars {
		v.dead = true
	}
	m.depth--
	for _, v := range m.all {
		if !v.dead && v.vnDepth > m.depth {
			m.renumber(v)
		}
	}
	m.vars = outer
	m.line("}")
	return r
}

func (m *goMachine) hold(x value) held { return m.copyOf(x) }

// release gives a copy of the copy: each release may be consumed.
func (m *goMachine) release(h held) value { return m.copyOf(h.(*goVal)) }

// finish marks as read, with _ = v, every variable no statement reads.
func (m *goMachine) finish() {
	for _, v := range m.vars {
		if !v.used {
			for _, n := range v.names {
				m.line("_ = %s", n)
			}
		}
	}
}

// goCode is the one code of function f that a Go function computes.
type goCode struct {
	suffix string // of the Go function's name: Fast, Tiny, Safe
	code   func(m machine, k *consts, in []value) value
	check  bool // whether the code has checks: it returns (y, ok)
}

// goFileSource returns the Go file of package pkg with every function of
// functions for float32 and float64.
func goFileSource(pkg string, args []string) []byte {
	gf := &goFile{names: map[string]bool{}}
	var body strings.Builder
	for _, e := range []elem{f32, f64} {
		v := variant{name: "generic", elem: e}
		k := newConsts(v)
		for _, f := range functions {
			goFunction(&body, gf, f, v, k)
		}
	}
	var out strings.Builder
	fmt.Fprintf(&out, "// Code generated by command: go run . %s. DO NOT EDIT.\n\n", strings.Join(args, " "))
	fmt.Fprintf(&out, "package %s\n\nimport (\n\"math\"\n\n\"github.com/simdsigmoid/sigmoid/internal/check\"\n)\n\n", pkg)
	for _, d := range gf.decls {
		out.WriteString(d + "\n")
	}
	out.WriteString("\n")
	out.WriteString(fallbackAPI())
	out.WriteString(body.String())
	src, err := format.Source([]byte(out.String()))
	if err != nil {
		panic(fmt.Sprintf("formatting the Go file: %v", err))
	}
	return src
}

// goFunction writes f's Go functions in variant v: its codes at one lane,
// the codes with checks (fast, tiny) at 4 lanes over arrays, the function
// of one element and the slice loop, which tries them in that order.
func goFunction(w *strings.Builder, gf *goFile, f function, v variant, k *consts) {
	e := v.elem
	sym := f.symbol(v)
	low := f.unexported(v)
	outs, ins := f.outs(), f.ins()
	// res is the results' type, ret the return of values ys at lane i.
	res := e.name
	if len(outs) > 1 {
		res = "(" + strings.Repeat(e.name+", ", len(outs)-1) + e.name + ")"
	}
	ret := func(m *goMachine, ys []value, i int) string {
		var r []string
		for _, y := range ys {
			r = append(r, m.op(y, i))
		}
		return strings.Join(r, ", ")
	}
	zeros := strings.TrimSuffix(strings.Repeat("0, ", len(outs)), ", ")
	codes := []goCode{{"Fast", f.fast, true}}
	if f.tiny != nil {
		codes = append(codes, goCode{"Tiny", f.tiny, true})
	}
	codes = append(codes, goCode{"Safe", f.safe, false})

	// Each code at one lane: func sigmoidFast(src float32) (float32, bool).
	for _, c := range codes {
		m := &goMachine{e: e, k: k, lanes: 1, w: &strings.Builder{}, gf: gf}
		res := res
		if c.check {
			m.fail = "return " + zeros + ", false"
			res = "(" + strings.Repeat(e.name+", ", len(outs)) + "bool)"
		}
		var vals []value
		for _, p := range ins {
			vals = append(vals, m.in(p))
		}
		ys := asValues(c.code(m, k, vals))
		m.finish()
		fmt.Fprintf(w, "// %s%s is %s's %s code on one element", low, c.suffix, sym, strings.ToLower(c.suffix))
		if c.check {
			fmt.Fprintf(w, ": ok is false, and y to be ignored, where the element is not in its domain")
		}
		fmt.Fprintf(w, ".\nfunc %s%s(%s %s) %s {\n%s", low, c.suffix, strings.Join(ins, ", "), e.name, res, m.w.String())
		if c.check {
			fmt.Fprintf(w, "return %s, true\n}\n\n", ret(m, ys, 0))
		} else {
			fmt.Fprintf(w, "return %s\n}\n\n", ret(m, ys, 0))
		}
	}

	// The codes with checks at 4 lanes, interleaved: the loads, every
	// check, then the stores (the output may be an input). Each takes one
	// block and returns the lanes it leaves to the next codes, a bit per
	// lane: all of them where a check of the block's inputs fails, only
	// the NaN lanes where requireNoNaN does (the others' results are
	// stored). A short fast code (SigmoidBackward's, TanhBackward's),
	// which costs no more than the call, runs as a loop over the slices
	// instead (…FastRun), up to the first block with a failing lane: a
	// loop around a longer one holds registers its arithmetic needs, and
	// it ran slower so (Sigmoid, Tanh: 5–7%, AMD Zen 4).
	const lanes, runLines = 4, 100
	const failMark = "\x00fail\x00"
	allLanes := 1<<lanes - 1
	fastRun := false
	masked := make([]bool, len(codes))
	for ci, c := range codes {
		if !c.check {
			continue
		}
		m := &goMachine{e: e, k: k, lanes: lanes, w: &strings.Builder{}, gf: gf, fail: failMark}
		var vals []value
		for _, p := range ins {
			var names []string
			for i := range lanes {
				names = append(names, fmt.Sprintf("%s%d", p, i))
			}
			vals = append(vals, m.in(names...))
			var loads []string
			for i := range lanes {
				loads = append(loads, fmt.Sprintf("%s[%d]", p, i))
			}
			m.line("%s := %s", strings.Join(names, ", "), strings.Join(loads, ", "))
		}
		ys := asValues(c.code(m, k, vals))
		m.finish()
		// store(i) stores lane i's results, every lane's for i < 0.
		store := func(i int) string {
			var outsAt, results []string
			for j, y := range ys {
				for l := range lanes {
					if i < 0 || l == i {
						outsAt = append(outsAt, fmt.Sprintf("%s[%d]", outs[j], l))
						results = append(results, y.(*goVal).names[l])
					}
				}
			}
			return strings.Join(outsAt, ", ") + " = " + strings.Join(results, ", ") + "\n"
		}
		body := m.w.String()
		masked[ci] = m.masked
		if m.masked {
			body = "var bad uint8\n" + body
		}
		if ci == 0 {
			fastRun = strings.Count(body, "\n") < runLines
		}
		if ci > 0 || !fastRun {
			body = strings.ReplaceAll(body, failMark, fmt.Sprintf("return %#x", allLanes))
			fmt.Fprintf(w, "// %s%s%d is %s's %s code on %d elements, interleaved: it stores the results of those in the code's domain and returns the others, bit i set for element i (all of them where the block's inputs are not).\n", low, c.suffix, lanes, sym, strings.ToLower(c.suffix), lanes)
			fmt.Fprintf(w, "func %s%s%d(%s *[%d]%s) uint8 {\n%s", low, c.suffix, lanes, strings.Join(f.params, ", "), lanes, e.name, body)
			if !m.masked {
				fmt.Fprintf(w, "%sreturn 0\n}\n\n", store(-1))
				continue
			}
			fmt.Fprintf(w, "if bad == 0 {\n%sreturn 0\n}\n", store(-1))
			for i := range lanes {
				fmt.Fprintf(w, "if bad&%d == 0 {\n%s}\n", 1<<i, store(i))
			}
			fmt.Fprintf(w, "return bad\n}\n\n")
			continue
		}
		var blocks []string
		for _, p := range f.params {
			blocks = append(blocks, fmt.Sprintf("(*[%d]%s)(%s[i:i+%d])", lanes, e.name, p, lanes))
		}
		fmt.Fprintf(w, "// %s%sRun runs %s's %s code on the slices' elements from the first, %d at a time, interleaved, as long as every element of a block is in the code's domain: it stores those blocks and returns how many elements they hold. The other slices are as long as %s.\n", low, c.suffix, sym, strings.ToLower(c.suffix), lanes, f.params[0])
		fmt.Fprintf(w, "func %s%sRun(%s []%s) int {\nn := len(%s)\n", low, c.suffix, strings.Join(f.params, ", "), e.name, f.params[0])
		for _, p := range f.params[1:] {
			fmt.Fprintf(w, "%s = %s[:n]\n", p, p)
		}
		body = strings.ReplaceAll(body, failMark, "return i")
		if m.masked {
			body += "if bad != 0 {\nreturn i\n}\n"
		}
		fmt.Fprintf(w, "for i := 0; i+%d <= n; i += %d {\n%s := %s\n%s", lanes, lanes, strings.Join(f.params, ", "), strings.Join(blocks, ", "), body)
		fmt.Fprintf(w, "%s}\nreturn n &^ %d\n}\n\n", store(-1), lanes-1)
	}

	// One element: the first code whose domain holds it. elemCodes writes
	// the function that tries codes in order, the last without checks.
	args := strings.Join(ins, ", ")
	rs := []string{"r"}
	if len(outs) > 1 {
		rs = nil
		for j := range outs {
			rs = append(rs, fmt.Sprintf("r%d", j))
		}
	}
	elemCodes := func(doc, name string, codes []goCode) {
		fmt.Fprintf(w, "// %s\nfunc %s(%s %s) %s {\n", doc, name, args, e.name, res)
		for _, c := range codes {
			if c.check {
				fmt.Fprintf(w, "if %s, ok := %s%s(%s); ok {\nreturn %s\n}\n", strings.Join(rs, ", "), low, c.suffix, args, strings.Join(rs, ", "))
			} else {
				fmt.Fprintf(w, "return %s%s(%s)\n}\n\n", low, c.suffix, args)
			}
		}
	}
	elemCodes(fmt.Sprintf("elem%s is %s of one element.", sym, sym), "elem"+sym, codes)

	// The slice loop: blocks of 4 through the codes with checks, as the
	// vector kernels take them (or a short fast code's run up to the
	// first block it leaves, that block through the tiny code); the
	// elements of a block that neither takes, and the last few, one by
	// one, each by the first code whose domain holds it (where a block's
	// elements call for different codes, each computes only its own).
	out := f.params[0]
	var outElems []string
	for _, o := range outs {
		outElems = append(outElems, o+"[j]")
	}
	gen := &strings.Builder{}
	fromNeeded := map[int]bool{}
	fmt.Fprintf(gen, "// gen%s sets %s for i below len(%s), which the other slices have. %s may be an input itself.\n", sym, f.sets, out, strings.Join(outs, " or "))
	fmt.Fprintf(gen, "func gen%s(%s []%s) {\n", sym, strings.Join(f.params, ", "), e.name)
	fmt.Fprintf(gen, "n := len(%s)\n", out)
	for _, p := range f.params[1:] {
		fmt.Fprintf(gen, "%s = %s[:n]\n", p, p)
	}
	var blocks, elems []string
	for _, p := range f.params {
		blocks = append(blocks, fmt.Sprintf("(*[%d]%s)(%s[i:i+%d])", lanes, e.name, p, lanes))
	}
	for _, p := range ins {
		elems = append(elems, p+"[j]")
	}
	// from(ci) is the block's statement once code ci has left every lane
	// (ci = -1: the fast code's run has left the block): the next code
	// with checks on the block, the lanes it leaves on from the code
	// after it, each alone; past the last, each element by elem….
	each := fmt.Sprintf("for j := i; j < i+%d; j++ {\n%s = elem%s(%s)\n}\n", lanes, strings.Join(outElems, ", "), sym, strings.Join(elems, ", "))
	var from func(ci int) string
	from = func(ci int) string {
		next := ci + 1
		if !codes[next].check {
			return each
		}
		call := fmt.Sprintf("%s%s%d(%s)", low, codes[next].suffix, lanes, strings.Join(blocks, ", "))
		if !masked[next] {
			return fmt.Sprintf("if %s != 0 {\n%s}\n", call, from(next))
		}
		// The lanes left alone go on from the code after next: elem…'s
		// codes after next, which their domains hold.
		rest := fmt.Sprintf("%s%s(%s)", low, codes[next+1].suffix, strings.Join(elems, ", "))
		if codes[next+1].check {
			rest = fmt.Sprintf("elem%sFrom%s(%s)", sym, codes[next+1].suffix, strings.Join(elems, ", "))
			fromNeeded[next+1] = true
		}
		alone := fmt.Sprintf("for j := i; j < i+%d; j++ {\nif bad>>(j-i)&1 != 0 {\n%s = %s\n}\n}\n", lanes, strings.Join(outElems, ", "), rest)
		return fmt.Sprintf("if bad := %s; bad == %#x {\n%s} else if bad != 0 {\n%s}\n", call, allLanes, from(next), alone)
	}
	if fastRun {
		var slices []string
		for _, p := range f.params {
			slices = append(slices, p+"[i:]")
		}
		fmt.Fprintf(gen, "i := 0\nfor {\ni += %s%sRun(%s)\nif i+%d > n {\nbreak\n}\n%si += %d\n}\n", low, codes[0].suffix, strings.Join(slices, ", "), lanes, from(0), lanes)
	} else {
		fmt.Fprintf(gen, "i := 0\nfor ; i+%d <= n; i += %d {\n%s}\n", lanes, lanes, from(-1))
	}
	fmt.Fprintf(gen, "for j := i; j < n; j++ {\n%s = elem%s(%s)\n}\n}\n\n", strings.Join(outElems, ", "), sym, strings.Join(elems, ", "))
	// The codes after one with checks, for the elements it leaves alone.
	for ci := range codes {
		if !fromNeeded[ci] {
			continue
		}
		elemCodes(fmt.Sprintf("elem%sFrom%s is %s of one element that the codes before its %s code have left.", sym, codes[ci].suffix, sym, strings.ToLower(codes[ci].suffix)),
			"elem"+sym+"From"+codes[ci].suffix, codes[ci:])
	}
	w.WriteString(gen.String())
}
