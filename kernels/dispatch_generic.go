//go:build purego || !(amd64 || arm64)

package kernels

func simdKernels() []Kernel { return nil }

// kernelNames names each kernel by its id.
var kernelNames = [...]string{genericID: "generic"}

// runSums and runSums64 run the generic kernel's running sums (blockSum).
func runSums(_ kernelID, s *[16]float64, x []float32)   { addLanes(s, x) }
func runSums64(_ kernelID, s *[16]float64, x []float64) { addLanes(s, x) }
