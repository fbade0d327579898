package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/simdsigmoid/sigmoid/bench/internal/sysinfo"
)

// #include <sleef.h>
import "C"

// header describes the machine, the Go toolchain and this package's
// kernels (as bench/report and bench/cmd/verify do), and the C compiler
// and the libraries, as a Markdown list.
func header() string {
	return sysinfo.Markdown() + fmt.Sprintf("- C: %s\n- Libraries: %s\n", ccVersion(), libVersions())
}

// ccVersion is the first line of `$CC --version`, the compiler cgo used
// for the C side unless CC changed since the build.
func ccVersion() string {
	cc := os.Getenv("CC")
	if cc == "" {
		cc = "gcc"
	}
	out, err := exec.Command(cc, "--version").Output()
	if err != nil {
		return cc + " (version unknown)"
	}
	line, _, _ := strings.Cut(string(out), "\n")
	return line + ", -O2 (cgo's default)"
}

// libVersions names the XNNPACK, SLEEF and oneDNN packages (dpkg-query
// where there is one) and the SLEEF version its header declares.
func libVersions() string {
	sleef := fmt.Sprintf("SLEEF %d.%d.%d (sleef.h)", C.SLEEF_VERSION_MAJOR, C.SLEEF_VERSION_MINOR, C.SLEEF_VERSION_PATCHLEVEL)
	out, err := exec.Command("dpkg-query", "-W", "-f", "${Package} ${Version}, ", "libxnnpack-dev", "libsleef-dev", "libdnnl-dev").Output()
	if err != nil && len(out) == 0 {
		return sleef + "; XNNPACK version unknown (no dpkg-query)"
	}
	return strings.TrimSuffix(string(out), ", ") + "; " + sleef
}
