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
	if c := CPU(); !strings.Contains(c, "Hz") && !strings.Contains(c, "unknown frequency") {
		t.Errorf("CPU() = %q: no frequency", c)
	}
	t.Logf("CPU(): %s", CPU())
}
