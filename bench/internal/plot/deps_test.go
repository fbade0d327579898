package plot

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The library must not depend on gonum: only bench/cmd/report, through this
// package, may import it.
var libraryPatterns = []string{
	"github.com/simdsigmoid/sigmoid/kernels/...",
	"github.com/simdsigmoid/sigmoid/fallback/...",
	"github.com/simdsigmoid/sigmoid/asm/...",
	"github.com/simdsigmoid/sigmoid/internal/...",
}

// TestLibraryDoesNotImportGonum runs go list -deps -test on the library's
// packages (for amd64 and arm64, so that every dispatch file is seen) and
// fails if any gonum.org package is among their dependencies.
func TestLibraryDoesNotImportGonum(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go not on PATH")
	}
	if testing.Short() {
		t.Skip("runs go list; skipped with -short")
	}
	for _, arch := range []string{"amd64", "arm64"} {
		cmd := exec.Command(gobin, append([]string{"list", "-deps", "-test"}, libraryPatterns...)...)
		cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+arch)
		out, err := cmd.Output()
		if err != nil {
			var stderr string
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = string(ee.Stderr)
			}
			t.Fatalf("GOARCH=%s go list -deps -test %s: %v\n%s", arch, strings.Join(libraryPatterns, " "), err, stderr)
		}
		pkgs := strings.Fields(string(out))
		if len(pkgs) < 5 {
			t.Fatalf("GOARCH=%s go list -deps -test: only %d packages: %q", arch, len(pkgs), out)
		}
		for _, p := range pkgs {
			if strings.HasPrefix(p, "gonum.org/") {
				t.Errorf("GOARCH=%s: the library depends on %s", arch, p)
			}
		}
	}
}
