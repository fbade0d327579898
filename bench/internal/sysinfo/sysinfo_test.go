package sysinfo

import (
	"strings"
	"testing"
)

func TestCPUInfoMHz(t *testing.T) {
	const cpuinfo = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\nmodel\t\t: 2\ncpu MHz\t\t: 2596.094\ncache size\t: 1024 KB\n\nprocessor\t: 1\ncpu MHz\t\t: 3000.000\n"
	if mhz, ok := cpuinfoMHz(cpuinfo); !ok || mhz != 2596.094 {
		t.Errorf("cpuinfoMHz = %v, %v; want 2596.094, true", mhz, ok)
	}
	if _, ok := cpuinfoMHz("processor\t: 0\nBogoMIPS\t: 50.00\n"); ok {
		t.Error("cpuinfoMHz without a cpu MHz line: ok")
	}
}

func TestMarkdown(t *testing.T) {
	md := Markdown()
	for _, want := range []string{"- CPU: ", "- Clock: ", "- Go: ", "- Active kernel: "} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown() has no %q:\n%s", want, md)
		}
	}
	t.Logf("CPUShort(): %s", CPUShort())
}

// TestFillFromCPUInfo covers the CPUs CPUID does not name (other
// architectures, some virtual machines): /proc/cpuinfo fills the gaps,
// CPUID's own answers stay.
func TestFillFromCPUInfo(t *testing.T) {
	const cpuinfo = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 23\nmodel\t\t: 1\nmodel name\t: AMD EPYC\nstepping\t: 2\n\nprocessor\t: 1\nmodel name\t: other\n"
	info := cpuinfoFields(cpuinfo)
	got := fillFromCPUInfo(cpuIdentity{}, info)
	if want := (cpuIdentity{"AMD EPYC", "AuthenticAMD", 23, 1, 2}); got != want {
		t.Errorf("from /proc/cpuinfo alone: %+v, want %+v", got, want)
	}
	own := cpuIdentity{"Brand", "Vendor", 26, 2, 1}
	if got := fillFromCPUInfo(own, info); got != own {
		t.Errorf("CPUID's answers replaced: %+v, want %+v", got, own)
	}
	if got := fillFromCPUInfo(cpuIdentity{}, nil); got.brand != "unknown CPU" {
		t.Errorf("with nothing known, brand %q, want \"unknown CPU\"", got.brand)
	}
}
