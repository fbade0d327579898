package kernels_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/simdsigmoid/sigmoid/kernels"
)

// TestRaceDetected builds testdata/race with -race and runs it for every
// kernel: a goroutine writes a slice while the kernel reads it, and reads
// one while the kernel writes it. The race detector does not see into
// assembly, so it reports these only because the package tells it of the
// assembly's accesses; the output must hold "DATA RACE" each time.
func TestRaceDetected(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a -race program")
	}
	if underQEMU() {
		t.Skip("runs the go command and a host binary")
	}
	goCmd := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := exec.LookPath(goCmd); err != nil {
		t.Skipf("no go command: %v", err)
	}
	exe := filepath.Join(t.TempDir(), "race")
	out, err := exec.Command(goCmd, "build", "-race", "-o", exe, "./testdata/race").CombinedOutput()
	if err != nil {
		if strings.Contains(string(out), "-race") && strings.Contains(string(out), "not supported") {
			t.Skipf("-race is not supported here: %s", out)
		}
		t.Fatalf("go build -race ./testdata/race: %v\n%s", err, out)
	}
	for _, k := range kernels.Kernels() {
		for _, dir := range []string{"read", "write"} {
			cmd := exec.Command(exe, k.Name(), dir)
			cmd.Env = append(os.Environ(), "GORACE=halt_on_error=0 exitcode=66 atexit_sleep_ms=0")
			out, err := cmd.CombinedOutput()
			if !strings.Contains(string(out), "DATA RACE") {
				t.Errorf("%s, the kernel's %s racing with a goroutine: no DATA RACE reported (err %v)\n%s", k.Name(), dir, err, out)
			}
		}
	}
}
