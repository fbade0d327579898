module github.com/simdsigmoid/sigmoid/bench/peers

go 1.26.0

require (
	github.com/simdsigmoid/sigmoid v0.0.0
	golang.org/x/sys v0.50.0
)

require github.com/klauspost/cpuid/v2 v2.4.2 // indirect

replace github.com/simdsigmoid/sigmoid => ../..
