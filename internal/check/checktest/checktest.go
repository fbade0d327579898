// Package checktest checks, for the tests of the packages with exported
// slice functions, that every such function rejects bad slices as package
// check says: a panic naming the package and the function, before any
// element is written.
package checktest

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/simdsigmoid/sigmoid/internal/check"
)

// PanicOf runs f and returns what it panicked with ("" if nothing).
func PanicOf(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
			if msg == "" {
				msg = "(empty panic)"
			}
		}
	}()
	f()
	return ""
}

const canary = 12345

// expect checks that f panics with a message that starts "pkg: name: "
// and contains want, and that out, filled with canaries, was not written.
func expect[F check.Float](t *testing.T, pkg, name, what, want string, out []F, f func()) {
	t.Helper()
	for i := range out {
		out[i] = canary
	}
	msg := PanicOf(f)
	if !strings.HasPrefix(msg, pkg+": "+name+": ") || !strings.Contains(msg, want) {
		t.Errorf("%s.%s, %s: panic %q, want one starting %q and saying %q", pkg, name, what, msg, pkg+": "+name+": ", want)
	}
	for i, v := range out {
		if v != canary {
			t.Errorf("%s.%s, %s: wrote element %d before panicking", pkg, name, what, i)
			break
		}
	}
}

// Unary checks that f, function name of package pkg, panics on lengths
// that differ and on a dst that partially overlaps src.
func Unary[F check.Float](t *testing.T, pkg, name string, f func(dst, src []F)) {
	t.Helper()
	for _, c := range []struct{ nd, ns int }{{7, 13}, {13, 7}, {0, 1}, {1, 0}} {
		dst, src := make([]F, c.nd), make([]F, c.ns)
		expect(t, pkg, name, fmt.Sprintf("len(dst) %d, len(src) %d", c.nd, c.ns), "lengths differ", dst, func() { f(dst, src) })
	}
	buf := make([]F, 64)
	for _, c := range []struct{ out, in int }{{1, 0}, {0, 5}} {
		dst, src := buf[c.out:c.out+40], buf[c.in:c.in+40]
		expect(t, pkg, name, fmt.Sprintf("dst at %d, src at %d", c.out, c.in), "partially overlap", buf[:0], func() { f(dst, src) })
	}
}

// Backward checks that f, function name of package pkg, panics on any of
// its three lengths differing and on a dx that partially overlaps dy or
// the last input.
func Backward[F check.Float](t *testing.T, pkg, name string, f func(dx, dy, y []F)) {
	t.Helper()
	for _, c := range [][3]int{{5, 5, 4}, {5, 4, 5}, {4, 5, 5}, {0, 0, 1}} {
		dx, dy, y := make([]F, c[0]), make([]F, c[1]), make([]F, c[2])
		expect(t, pkg, name, fmt.Sprintf("lengths %v", c), "lengths differ", dx, func() { f(dx, dy, y) })
	}
	buf := make([]F, 64)
	other := make([]F, 40)
	for _, c := range []struct {
		what string
		run  func()
	}{
		{"dx overlapping dy", func() { f(buf[1:41], buf[0:40], other) }},
		{"dx overlapping the input", func() { f(buf[0:40], other, buf[3:43]) }},
	} {
		expect(t, pkg, name, c.what, "partially overlap", buf[:0], c.run)
	}
}

// Ternary checks that f, function name of package pkg, panics on any of
// its four lengths differing and on an output that partially overlaps any
// of its three inputs.
func Ternary[F check.Float](t *testing.T, pkg, name string, f func(out, a, b, c []F)) {
	t.Helper()
	for _, c := range [][4]int{{5, 5, 5, 4}, {5, 5, 4, 5}, {5, 4, 5, 5}, {4, 5, 5, 5}, {0, 0, 0, 1}} {
		out, a, b, cc := make([]F, c[0]), make([]F, c[1]), make([]F, c[2]), make([]F, c[3])
		expect(t, pkg, name, fmt.Sprintf("lengths %v", c), "lengths differ", out, func() { f(out, a, b, cc) })
	}
	buf := make([]F, 64)
	o1, o2 := make([]F, 40), make([]F, 40)
	for _, c := range []struct {
		what string
		run  func()
	}{
		{"the output overlapping the first input", func() { f(buf[1:41], buf[0:40], o1, o2) }},
		{"the output overlapping the second input", func() { f(buf[0:40], o1, buf[3:43], o2) }},
		{"the output overlapping the third input", func() { f(buf[2:42], o1, o2, buf[0:40]) }},
	} {
		expect(t, pkg, name, c.what, "partially overlap", buf[:0], c.run)
	}
}

// Dual checks that f, function name of package pkg, a function of two
// outputs and three inputs, panics on any of its five lengths differing,
// on an output that partially overlaps an input, and on outputs that
// overlap, even as the same slice.
func Dual[F check.Float](t *testing.T, pkg, name string, f func(o1, o2, a, b, c []F)) {
	t.Helper()
	for _, c := range [][5]int{{5, 5, 5, 5, 4}, {5, 5, 5, 4, 5}, {5, 5, 4, 5, 5}, {5, 4, 5, 5, 5}, {4, 5, 5, 5, 5}, {0, 0, 0, 0, 1}} {
		o1, o2, a, b, cc := make([]F, c[0]), make([]F, c[1]), make([]F, c[2]), make([]F, c[3]), make([]F, c[4])
		expect(t, pkg, name, fmt.Sprintf("lengths %v", c), "lengths differ", o1, func() { f(o1, o2, a, b, cc) })
	}
	buf := make([]F, 64)
	o, i1, i2 := make([]F, 40), make([]F, 40), make([]F, 40)
	for _, c := range []struct {
		what, want string
		run        func()
	}{
		{"the first output overlapping the first input", "partially overlap", func() { f(buf[1:41], o, buf[0:40], i1, i2) }},
		{"the second output overlapping the third input", "partially overlap", func() { f(o, buf[0:40], i1, i2, buf[5:45]) }},
		{"the outputs overlapping", "overlap", func() { f(buf[0:40], buf[2:42], i1, i2, o) }},
		{"the outputs the same slice", "overlap", func() { f(buf[0:40], buf[0:40], i1, i2, o) }},
	} {
		expect(t, pkg, name, c.what, c.want, buf[:0], c.run)
	}
}

// Listed checks that names holds every exported function of the package
// in dir that takes a slice, and every such method as "Type.Method".
func Listed(t *testing.T, dir string, names map[string]bool) {
	t.Helper()
	pkg, err := build.Default.ImportDir(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	found := 0
	for _, file := range pkg.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(dir, file), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || !fd.Name.IsExported() || !takesSlice(fd.Type) {
				continue
			}
			name := fd.Name.Name
			if fd.Recv != nil {
				typ := fd.Recv.List[0].Type
				if s, ok := typ.(*ast.StarExpr); ok {
					typ = s.X
				}
				name = fmt.Sprint(typ) + "." + name
			}
			found++
			if !names[name] {
				t.Errorf("%s (%s) takes a slice and is not listed for the bad-argument tests", name, file)
			}
		}
	}
	if found != len(names) {
		t.Errorf("%d exported functions take slices, %d are listed", found, len(names))
	}
}

// takesSlice reports whether a function type has a slice parameter.
func takesSlice(ft *ast.FuncType) bool {
	for _, p := range ft.Params.List {
		if a, ok := p.Type.(*ast.ArrayType); ok && a.Len == nil {
			return true
		}
	}
	return false
}
