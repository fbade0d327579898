//go:build nodnnl

package main

// dnnlImpl reports that this build leaves oneDNN out.
func dnnlImpl(fn int, name string) (*impl, string) {
	return nil, "oneDNN: left out of this build (-tags nodnnl)"
}
