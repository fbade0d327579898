package main

//go:generate go run . -arch amd64 -asm ../../asm/sigmoid_amd64.s -go ../../asm/sigmoid_amd64.go -entry ../../asm/entry_amd64.go
//go:generate go run . -arch arm64 -asm ../../asm/sigmoid_arm64.s -go ../../asm/sigmoid_arm64.go -entry ../../asm/entry_arm64.go
//go:generate go run . -arch go -go ../../fallback/generic_gen.go
//go:generate go run . -arch api -go ../../kernels
