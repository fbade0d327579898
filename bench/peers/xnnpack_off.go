//go:build noxnnpack

package main

// xnnpackImpl reports that this build leaves XNNPACK out.
func xnnpackImpl() (*impl, string) {
	return nil, "XNNPACK: left out of this build (-tags noxnnpack)"
}
