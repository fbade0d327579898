package main

//go:generate go run . -arch amd64 -out ../../asm/sigmoid_amd64.s -stubs ../../asm/sigmoid_amd64.go -pkg asm
//go:generate go run . -arch arm64 -out ../../asm/sigmoid_arm64.s -stubs ../../asm/sigmoid_arm64.go
