package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/klauspost/cpuid/v2"

	"github.com/simdsigmoid/sigmoid/kernels"
)

// #include <sleef.h>
import "C"

// header describes the machine, the Go toolchain and the libraries as a
// Markdown list.
func header() string {
	var b strings.Builder
	item := func(format string, args ...any) { fmt.Fprintf(&b, "- "+format+"\n", args...) }
	c := cpuid.CPU
	info := procCPUInfo()
	brand := strings.TrimSpace(c.BrandName)
	if brand == "" {
		brand = info["model name"]
	}
	vendor := c.VendorString
	if vendor == "" {
		vendor = info["vendor_id"]
	}
	family, model := fmt.Sprint(c.Family), fmt.Sprint(c.Model)
	if c.Family == 0 && info["cpu family"] != "" {
		family, model = info["cpu family"], info["model"]
	}
	item("Date: %s", time.Now().UTC().Format("2006-01-02 15:04 MST"))
	item("CPU: %s (%s), family %s, model %s, stepping %d; %d logical cores, GOMAXPROCS %d",
		brand, vendor, family, model, c.Stepping, c.LogicalCores, runtime.GOMAXPROCS(0))
	var clock []string
	if c.Hz > 0 {
		clock = append(clock, fmt.Sprintf("%.2f GHz base", float64(c.Hz)/1e9))
	}
	if c.BoostFreq > 0 {
		clock = append(clock, fmt.Sprintf("%.2f GHz boost", float64(c.BoostFreq)/1e9))
	}
	if mhz := info["cpu MHz"]; mhz != "" {
		clock = append(clock, fmt.Sprintf("%s MHz now (/proc/cpuinfo)", mhz))
	}
	if len(clock) > 0 {
		item("Clock: %s", strings.Join(clock, ", "))
	}
	var feats []string
	for _, f := range []cpuid.FeatureID{cpuid.AVX512F, cpuid.AVX512DQ, cpuid.AVX512VL, cpuid.AVX2, cpuid.FMA3} {
		if c.Supports(f) {
			feats = append(feats, f.String())
		}
	}
	item("CPU features used here: %s", strings.Join(feats, " "))
	item("Go: %s, %s/%s%s; this package's kernels here: %s", runtime.Version(), runtime.GOOS, runtime.GOARCH,
		buildSettings(), strings.Join(kernels.Available(), ", "))
	item("C: %s", ccVersion())
	item("Libraries: %s", libVersions())
	return b.String()
}

// procCPUInfo is the first processor's entries in /proc/cpuinfo (empty
// where there is none).
func procCPUInfo() map[string]string {
	m := map[string]string{}
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return m
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := s.Text()
		if line == "" {
			break
		}
		if k, v, ok := strings.Cut(line, ":"); ok {
			m[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return m
}

func buildSettings() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	var s []string
	for _, kv := range bi.Settings {
		switch kv.Key {
		case "GOAMD64", "-tags", "CGO_ENABLED":
			s = append(s, kv.Key+"="+kv.Value)
		}
	}
	if len(s) == 0 {
		return ""
	}
	return " (" + strings.Join(s, ", ") + ")"
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

// libVersions names the XNNPACK and SLEEF packages (dpkg-query where
// there is one) and the SLEEF version its header declares.
func libVersions() string {
	sleef := fmt.Sprintf("SLEEF %d.%d.%d (sleef.h)", C.SLEEF_VERSION_MAJOR, C.SLEEF_VERSION_MINOR, C.SLEEF_VERSION_PATCHLEVEL)
	out, err := exec.Command("dpkg-query", "-W", "-f", "${Package} ${Version}, ", "libxnnpack-dev", "libsleef-dev").Output()
	if err != nil && len(out) == 0 {
		return sleef + "; XNNPACK version unknown (no dpkg-query)"
	}
	return strings.TrimSuffix(string(out), ", ") + "; " + sleef
}
