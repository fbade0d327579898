package modgraph

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/simdsigmoid/sigmoid"

// allowed are the only modules, besides this one, that may be in the
// module graph.
var allowed = []string{"github.com/klauspost/cpuid/v2", "golang.org/x/sys"}

// oldestGo is the oldest Go release the module supports: the go line of
// go.mod must not ask for more.
const oldestGo = "1.25"

// TestModuleGraph runs go list -m all in the module root and fails if any
// module but this one and those of allowed is in the graph.
func TestModuleGraph(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	cmd := exec.Command(gobin, "list", "-m", "-f", "{{.Path}}", "all")
	cmd.Dir = root(t)
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("go list -m all: %v\n%s", err, stderr)
	}
	mods := strings.Fields(string(out))
	if len(mods) == 0 || mods[0] != module {
		t.Fatalf("go list -m all: %q, want %s first", mods, module)
	}
	for _, m := range mods[1:] {
		if !slices.Contains(allowed, m) {
			t.Errorf("module graph holds %s: only %s may be there (tools with other dependencies belong in a module of their own, as bench/report)", m, strings.Join(allowed, " and "))
		}
	}
}

// TestGoVersion fails if go.mod's go line asks for a newer Go than oldestGo.
func TestGoVersion(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(root(t), "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		v, ok := strings.CutPrefix(strings.TrimSpace(line), "go ")
		if !ok {
			continue
		}
		if v != oldestGo && !strings.HasPrefix(v, oldestGo+".") {
			t.Errorf("go.mod: go %s, want go %s.x so that Go %s users can build it", v, oldestGo, oldestGo)
		}
		return
	}
	t.Error("go.mod: no go line")
}

// root returns the module root: two directories up from this package.
func root(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Fatal(err)
	}
	return dir
}
