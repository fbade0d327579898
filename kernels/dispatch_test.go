package kernels_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/simdsigmoid/sigmoid/kernels"
)

// TestAvailable fails when this CPU could run a kernel that the package
// does not offer (or offers one it cannot run).
func TestAvailable(t *testing.T) {
	avail := kernels.Available()
	t.Logf("CPU %s; Available() = %v, Active() = %q", cpuDescription(), avail, kernels.Active())
	if want := expectedAvailable(); !slices.Equal(avail, want) {
		t.Errorf("Available() = %v, want %v for this CPU (%s)", avail, want, cpuDescription())
	}
	if len(avail) == 0 || avail[len(avail)-1] != "generic" {
		t.Errorf("Available() = %v, want it to end with \"generic\"", avail)
	}
	var names []string
	for _, k := range kernels.Kernels() {
		names = append(names, k.Name())
	}
	if !slices.Equal(names, avail) {
		t.Errorf("Kernels() names %v, Available() %v: want the same", names, avail)
	}
	// Available returns a copy.
	avail[0] = "changed"
	if kernels.Available()[0] == "changed" {
		t.Error("Available() returns a shared slice")
	}
}

// TestKernelUnforgeable checks that a Kernel cannot be made up: it has no
// exported field, so no literal can name a kernel the CPU may not run (such
// a Kernel used to run the generic code under any name it was given), and
// the zero Kernel, which runs the generic code, says so.
func TestKernelUnforgeable(t *testing.T) {
	typ := reflect.TypeFor[kernels.Kernel]()
	for i := range typ.NumField() {
		if f := typ.Field(i); f.IsExported() {
			t.Errorf("kernels.Kernel has the exported field %s: a caller can write a Kernel that Kernels() did not return", f.Name)
		}
	}
	var zero kernels.Kernel
	if got := zero.Name(); got != "generic" {
		t.Errorf("the zero Kernel's Name() = %q, want \"generic\"", got)
	}
	ks := kernels.Kernels()
	generic := ks[len(ks)-1]
	src := []float32{-100, -87.5, -3, -0.5, 0, 0.25, 4, 17, 90}
	want, got := make([]float32, len(src)), make([]float32, len(src))
	generic.Sigmoid(want, src)
	zero.Sigmoid(got, src)
	if !slices.Equal(got, want) {
		t.Errorf("the zero Kernel's Sigmoid gives %v, the generic kernel's %v", got, want)
	}
}

// TestActive checks the kernel chosen at init against SIGMOID_KERNEL.
func TestActive(t *testing.T) {
	avail := kernels.Available()
	want := avail[0]
	if env, set := os.LookupEnv("SIGMOID_KERNEL"); set && slices.Contains(avail, strings.ToLower(strings.TrimSpace(env))) {
		want = strings.ToLower(strings.TrimSpace(env))
	}
	if got := kernels.Active(); got != want {
		t.Errorf("Active() = %q with SIGMOID_KERNEL=%q and Available() = %v, want %q", got, os.Getenv("SIGMOID_KERNEL"), avail, want)
	}
}

// TestExpectKernel lets CI say which kernel must be active on each CPU
// model it emulates: SIGMOID_EXPECT_KERNEL=avx2 go test ./kernels/.
func TestExpectKernel(t *testing.T) {
	want := os.Getenv("SIGMOID_EXPECT_KERNEL")
	if want == "" {
		t.Skip("SIGMOID_EXPECT_KERNEL not set")
	}
	if got := kernels.Active(); got != want {
		t.Errorf("Active() = %q, SIGMOID_EXPECT_KERNEL = %q (Available() = %v; CPU %s)", got, want, kernels.Available(), cpuDescription())
	}
}

// TestPrintActive is run by TestKernelOverride in a child process.
func TestPrintActive(t *testing.T) {
	if os.Getenv("SIGMOID_TEST_PRINT_ACTIVE") != "1" {
		t.Skip("helper for TestKernelOverride")
	}
	fmt.Printf("ACTIVE=%s AVAILABLE=%s EXPECTED=%s\n", kernels.Active(), strings.Join(kernels.Available(), ","), strings.Join(expectedAvailable(), ","))
}

// TestKernelOverride runs this test binary with SIGMOID_KERNEL set to each
// kernel name and to names that no CPU or no kernel has: Active must be the
// named kernel when the CPU runs it, the best available one otherwise.
//
// The child judges its own CPU: under qemu-user (go test -exec qemu-x86_64
// -cpu ...) it runs natively on the host, which may offer more kernels.
func TestKernelOverride(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Skipf("cannot find the test binary: %v", err)
	}
	loggedOther := false
	for _, name := range []string{"generic", "avx2", "avx512", "neon", "bogus", "", "AVX2", " Generic\t", "  avx512 ", "NEON", "avx 2"} {
		cmd := exec.Command(exe, "-test.run=^TestPrintActive$", "-test.count=1")
		env := []string{"SIGMOID_TEST_PRINT_ACTIVE=1", "SIGMOID_KERNEL=" + name}
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "SIGMOID_") && !strings.HasPrefix(kv, "GOCOVERDIR=") && !strings.HasPrefix(kv, "GORACE=") {
				env = append(env, kv)
			}
		}
		// Without this a race-enabled child sleeps a second before exiting.
		cmd.Env = append(env, "GORACE="+os.Getenv("GORACE")+" atexit_sleep_ms=0")
		out, err := cmd.CombinedOutput()
		if errors.Is(err, syscall.ENOEXEC) {
			// Under qemu-user without binfmt_misc the host cannot run
			// the (foreign) test binary directly.
			t.Skipf("cannot run the test binary as a child: %v", err)
		}
		if err != nil {
			t.Errorf("SIGMOID_KERNEL=%q: %v\n%s", name, err, out)
			continue
		}
		var active, available, expected string
		for _, line := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(line, "ACTIVE=") {
				fmt.Sscanf(line, "ACTIVE=%s AVAILABLE=%s EXPECTED=%s", &active, &available, &expected)
			}
		}
		avail := strings.Split(available, ",")
		if available == "" || expected == "" {
			t.Errorf("SIGMOID_KERNEL=%q: child printed no kernels:\n%s", name, out)
			continue
		}
		// The name is matched case-insensitively, spaces trimmed.
		want := avail[0]
		if n := strings.ToLower(strings.TrimSpace(name)); slices.Contains(avail, n) {
			want = n
		}
		if active != want {
			t.Errorf("SIGMOID_KERNEL=%q: Active() = %q, want %q (Available() = %v)\n%s", name, active, want, avail, out)
		}
		if available != expected {
			t.Errorf("SIGMOID_KERNEL=%q: child's Available() = %s, want %s", name, available, expected)
		}
		if parent := strings.Join(kernels.Available(), ","); available != parent && !loggedOther {
			loggedOther = true
			t.Logf("the child runs on another CPU (Available() = %s there, %s here): qemu-user?", available, parent)
		}
	}
}

// TestGODEBUG runs this test binary with GODEBUG settings that hide CPU
// features (golang.org/x/sys/cpu honours them): on amd64,
// cpu.avx512f=off must leave "avx2" (where the CPU has it) the active
// kernel, cpu.avx2=off and cpu.fma=off "generic"; on arm64, cpu.asimd=off
// "generic".
func TestGODEBUG(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Skipf("cannot find the test binary: %v", err)
	}
	avail := kernels.Available()
	var cases []struct{ godebug, want string }
	switch runtime.GOARCH {
	case "amd64":
		if slices.Contains(avail, "avx512") && slices.Contains(avail, "avx2") {
			cases = append(cases, struct{ godebug, want string }{"cpu.avx512f=off", "avx2"})
		}
		if slices.Contains(avail, "avx2") {
			cases = append(cases,
				struct{ godebug, want string }{"cpu.avx2=off", "generic"},
				struct{ godebug, want string }{"cpu.fma=off", "generic"})
		}
	case "arm64":
		if slices.Contains(avail, "neon") {
			cases = append(cases, struct{ godebug, want string }{"cpu.asimd=off", "generic"})
		}
	}
	// What the README says the Go runtime prints, not knowing the option
	// that golang.org/x/sys/cpu honours.
	runtimeWarns := map[string]string{"cpu.asimd=off": `GODEBUG: unknown cpu feature "asimd"`}
	if len(cases) == 0 {
		t.Skipf("no SIMD kernel to hide here (Available() = %v)", avail)
	}
	for _, c := range cases {
		args := []string{"-test.run=^TestPrintActive$", "-test.count=1"}
		env := []string{"SIGMOID_TEST_PRINT_ACTIVE=1", "GODEBUG=" + c.godebug}
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "SIGMOID_") && !strings.HasPrefix(kv, "GOCOVERDIR=") && !strings.HasPrefix(kv, "GORACE=") && !strings.HasPrefix(kv, "GODEBUG=") {
				env = append(env, kv)
			}
		}
		env = append(env, "GORACE="+os.Getenv("GORACE")+" atexit_sleep_ms=0")
		cmd := exec.Command(exe, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if errors.Is(err, syscall.ENOEXEC) {
			// Under qemu-user with no binfmt_misc entry for it: the child
			// runs through the emulator itself, on its default CPU model
			// (each case's GODEBUG hides the SIMD kernel on any model).
			q, lerr := exec.LookPath("qemu-" + qemuArch() + "-static")
			if lerr != nil {
				t.Skipf("cannot run the test binary as a child: %v (and %v)", err, lerr)
			}
			cmd = exec.Command(q, append([]string{exe}, args...)...)
			cmd.Env = env
			out, err = cmd.CombinedOutput()
		}
		if err != nil {
			t.Errorf("GODEBUG=%s: %v\n%s", c.godebug, err, out)
			continue
		}
		var active string
		for _, line := range strings.Split(string(out), "\n") {
			if rest, ok := strings.CutPrefix(line, "ACTIVE="); ok {
				active, _, _ = strings.Cut(rest, " ")
			}
		}
		if active != c.want {
			t.Errorf("GODEBUG=%s: Active() = %q, want %q\n%s", c.godebug, active, c.want, out)
		}
		if w := runtimeWarns[c.godebug]; !strings.Contains(string(out), w) {
			t.Errorf("GODEBUG=%s: the output does not contain %q (the README says the runtime prints it)\n%s", c.godebug, w, out)
		}
	}
}

// qemuArch is qemu-user's name for this architecture.
func qemuArch() string {
	switch runtime.GOARCH {
	case "arm64":
		return "aarch64"
	case "amd64":
		return "x86_64"
	}
	return runtime.GOARCH
}
