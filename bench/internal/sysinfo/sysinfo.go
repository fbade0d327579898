// Package sysinfo describes the machine and build a measurement ran on, for
// the headers of the bench commands (bench/report, bench/cmd/verify and
// bench/peers): one place names the CPU for all of them.
package sysinfo

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/klauspost/cpuid/v2"

	"github.com/simdsigmoid/sigmoid/kernels"
)

// features are the CPU features the kernels' dispatch tests, plus those
// that explain a difference in speed between machines.
var features = []cpuid.FeatureID{
	cpuid.AVX2, cpuid.FMA3, cpuid.AVX512F, cpuid.AVX512DQ, cpuid.AVX512BW,
	cpuid.AVX512VL, cpuid.BMI2, cpuid.CMOV, cpuid.ASIMD,
}

// Markdown returns a bulleted list: date, Go version and target, CPU and
// its relevant features, caches, and the active and available kernels.
func Markdown() string {
	var b strings.Builder
	item := func(format string, args ...any) {
		fmt.Fprintf(&b, "- "+format+"\n", args...)
	}
	item("Date: %s", time.Now().UTC().Format(time.RFC3339))
	item("Go: %s, %s/%s%s", runtime.Version(), runtime.GOOS, runtime.GOARCH, buildSettings())
	c := cpuid.CPU
	item("CPU: %s, %d logical / %d physical cores, GOMAXPROCS %d", cpuModel(), c.LogicalCores, c.PhysicalCores, runtime.GOMAXPROCS(0))
	item("Clock: %s", Clock())
	item("Caches: L1d %s, L2 %s, L3 %s", size(c.Cache.L1D), size(c.Cache.L2), size(c.Cache.L3))
	var have, lack []string
	for _, f := range features {
		if f == cpuid.ASIMD && runtime.GOARCH != "arm64" || f != cpuid.ASIMD && runtime.GOARCH != "amd64" {
			continue
		}
		if c.Supports(f) {
			have = append(have, f.String())
		} else {
			lack = append(lack, f.String())
		}
	}
	item("CPU features: %s; without: %s", list(have), list(lack))
	active := kernels.Active()
	if env := os.Getenv("SIGMOID_KERNEL"); env != "" {
		active += fmt.Sprintf(" (SIGMOID_KERNEL=%s)", env)
	}
	item("Active kernel: **%s**; available: %s", active, strings.Join(kernels.Available(), ", "))
	return b.String()
}

// CPUShort names the CPU in a few words, for a figure's subtitle: "AMD
// EPYC, family 0x1a model 0x2, 2.60 GHz".
func CPUShort() string {
	id := identify()
	s := id.brand
	if id.family != 0 || id.model != 0 {
		s += fmt.Sprintf(", family %#x model %#x", id.family, id.model)
	}
	if ghz := clockGHz(); ghz > 0 {
		s += fmt.Sprintf(", %.2f GHz", ghz)
	}
	return s
}

// clockGHz is the base clock of Clock in GHz, 0 if unknown.
func clockGHz() float64 {
	if cpuid.CPU.Hz > 0 {
		return float64(cpuid.CPU.Hz) / 1e9
	}
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		if mhz, ok := cpuinfoMHz(string(data)); ok {
			return mhz / 1e3
		}
	}
	return 0
}

// cpuModel names the CPU: brand, vendor, family, model and stepping (in
// decimal, as /proc/cpuinfo gives them, and in hex, as vendors' tables
// do), such as "AMD EPYC (AuthenticAMD, family 26 (0x1a), model 2 (0x2),
// stepping 1)".
func cpuModel() string {
	id := identify()
	if id.family == 0 && id.model == 0 {
		return fmt.Sprintf("%s (%s)", id.brand, id.vendor)
	}
	return fmt.Sprintf("%s (%s, family %d (%#x), model %d (%#x), stepping %d)",
		id.brand, id.vendor, id.family, id.family, id.model, id.model, id.stepping)
}

// cpuIdentity is what names a CPU.
type cpuIdentity struct {
	brand, vendor           string
	family, model, stepping int
}

// identify names the CPU from CPUID, and where CPUID says nothing (other
// architectures, some virtual machines) from /proc/cpuinfo.
func identify() cpuIdentity {
	c := cpuid.CPU
	id := cpuIdentity{strings.TrimSpace(c.BrandName), c.VendorString, c.Family, c.Model, c.Stepping}
	if id.brand != "" && id.vendor != "" && (id.family != 0 || id.model != 0) {
		return id
	}
	data, _ := os.ReadFile("/proc/cpuinfo")
	return fillFromCPUInfo(id, cpuinfoFields(string(data)))
}

// fillFromCPUInfo completes id with the fields of /proc/cpuinfo that CPUID
// left empty.
func fillFromCPUInfo(id cpuIdentity, info map[string]string) cpuIdentity {
	if id.brand == "" {
		id.brand = info["model name"]
	}
	if id.brand == "" {
		id.brand = "unknown CPU"
	}
	if id.vendor == "" {
		id.vendor = info["vendor_id"]
	}
	if id.family == 0 && id.model == 0 {
		id.family, _ = strconv.Atoi(info["cpu family"])
		id.model, _ = strconv.Atoi(info["model"])
		id.stepping, _ = strconv.Atoi(info["stepping"])
	}
	return id
}

// cpuinfoFields returns the first processor's fields of a /proc/cpuinfo.
func cpuinfoFields(cpuinfo string) map[string]string {
	m := map[string]string{}
	for line := range strings.SplitSeq(cpuinfo, "\n") {
		if strings.TrimSpace(line) == "" {
			break
		}
		if k, v, ok := strings.Cut(line, ":"); ok {
			m[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return m
}

// Clock returns the CPU's frequency: base and boost as CPUID reports them,
// else the "cpu MHz" of /proc/cpuinfo (the current clock of the first core,
// or on a virtual machine what the hypervisor reports), else "unknown".
func Clock() string {
	c := cpuid.CPU
	switch {
	case c.Hz > 0 && c.BoostFreq > 0:
		return fmt.Sprintf("%.2f GHz base, %.2f GHz boost (CPUID)", float64(c.Hz)/1e9, float64(c.BoostFreq)/1e9)
	case c.Hz > 0:
		return fmt.Sprintf("%.2f GHz (CPUID)", float64(c.Hz)/1e9)
	}
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		if mhz, ok := cpuinfoMHz(string(data)); ok {
			return fmt.Sprintf("%.2f GHz (/proc/cpuinfo cpu MHz)", mhz/1e3)
		}
	}
	return "unknown frequency"
}

// cpuinfoMHz returns the first processor's "cpu MHz" of a /proc/cpuinfo.
func cpuinfoMHz(cpuinfo string) (float64, bool) {
	mhz, err := strconv.ParseFloat(cpuinfoFields(cpuinfo)["cpu MHz"], 64)
	return mhz, err == nil && mhz > 0
}

// buildSettings names the build options that change the code: GOAMD64 and
// friends, and build tags such as purego.
func buildSettings() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	var s []string
	for _, kv := range bi.Settings {
		switch kv.Key {
		case "GOAMD64", "GOARM64", "-tags", "CGO_ENABLED":
			s = append(s, kv.Key+"="+kv.Value)
		}
	}
	if len(s) == 0 {
		return ""
	}
	return " (" + strings.Join(s, ", ") + ")"
}

func size(n int) string {
	switch {
	case n <= 0:
		return "unknown"
	case n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	default:
		return fmt.Sprintf("%d KiB", n>>10)
	}
}

func list(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, " ")
}
