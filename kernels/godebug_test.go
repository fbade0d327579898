package kernels_test

import (
	"os"
	"strings"
)

// godebugOff reports whether GODEBUG switches the CPU feature off for
// golang.org/x/sys/cpu: cpu.<name>=off or cpu.all=off, the last setting
// of a name winning.
func godebugOff(name string) bool {
	off := false
	for _, f := range strings.Split(os.Getenv("GODEBUG"), ",") {
		key, value, ok := strings.Cut(f, "=")
		if !ok || (key != "cpu."+name && key != "cpu.all") {
			continue
		}
		switch value {
		case "off":
			off = true
		case "on":
			off = false
		}
	}
	return off
}
