package fallback_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// TestDocNamesEveryFunction checks that the package documentation names
// every exported function (the float64 ones through their float32 names,
// "the same with 64"), and no function of the family that does not exist.
func TestDocNamesEveryFunction(t *testing.T) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	p := pkgs["fallback"]
	if p == nil {
		t.Fatal("no package fallback")
	}
	var doc string
	funcs := map[string]bool{}
	for _, f := range p.Files {
		if f.Doc != nil {
			doc += f.Doc.Text()
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.IsExported() {
				funcs[fd.Name.Name] = true
			}
		}
	}
	words := map[string]bool{}
	for _, w := range regexp.MustCompile(`\b[A-Z][A-Za-z0-9]+\b`).FindAllString(doc, -1) {
		words[w] = true
	}
	for f := range funcs {
		if !words[strings.TrimSuffix(f, "64")] {
			t.Errorf("the package documentation does not name %s", f)
		}
	}
	for w := range words {
		if !funcs[w] && !funcs[w+"64"] && regexp.MustCompile(`Sigmoid|SiLU|Tanh|Softplus|GLU|BCE`).MatchString(w) {
			t.Errorf("the package documentation names %s, which does not exist", w)
		}
	}
}
