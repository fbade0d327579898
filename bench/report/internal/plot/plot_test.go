package plot

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func testThroughput() Throughput {
	t := Throughput{
		Title:     "test throughput",
		Subtitle:  "a machine",
		Caches:    []Mark{{X: 4096, Short: "L1d 32 KiB"}, {X: 1 << 17, Short: "L2 1 MiB"}},
		CacheNote: "cache size ÷ 8",
	}
	for i, name := range []string{"fast", "slow", "naive", "copy"} {
		s := Series{Name: name, Baseline: i >= 2}
		for n := 16; n <= 1<<20; n *= 4 {
			s.X = append(s.X, float64(n))
			s.Y = append(s.Y, 1e9/float64(i+1)*(1+0.1*math.Sin(float64(n))))
		}
		t.Series = append(t.Series, s)
	}
	return t
}

func testAccuracy() Accuracy {
	a := Accuracy{Title: "test accuracy", Lo: -110, Hi: 20, Bound: 1,
		Marks: []Mark{{X: -103.97, Short: "-103.97", Label: "zero"}, {X: 16.23, Short: "16.23", Label: "below one"}, {X: 17.33, Short: "17.33", Label: "one"}}}
	a.Shade.Lo, a.Shade.Hi, a.Shade.Label = -110, -87.34, "subnormal"
	for k, name := range []string{"k1", "k2"} {
		s := Series{Name: name}
		for i := range 1300 {
			s.X = append(s.X, -110+0.1*(float64(i)+0.5))
			s.Y = append(s.Y, 0.5*math.Abs(math.Sin(float64(i*(k+1)))))
		}
		s.Y[100] = math.Inf(1) // clamped to the top, not an error
		a.Series = append(a.Series, s)
		z := Series{Name: name}
		for i := range 250 {
			z.X = append(z.X, 15.5+0.01*(float64(i)+0.5))
			z.Y = append(z.Y, 0.4*math.Abs(math.Cos(float64(i*(k+1)))))
		}
		a.Zoom.Series = append(a.Zoom.Series, z)
	}
	a.Zoom.Lo, a.Zoom.Hi = 15.5, 18
	return a
}

// writeAll writes the four figures of a report run into dir.
func writeAll(t *testing.T, dir string) {
	t.Helper()
	t64, a64 := testThroughput(), testAccuracy()
	t64.File, a64.File = ThroughputFile64, AccuracyFile64
	a64.Zoom.Series = nil // without a close-up
	for _, err := range []error{
		WriteThroughput(dir, testThroughput()), WriteAccuracy(dir, testAccuracy()),
		WriteThroughput(dir, t64), WriteAccuracy(dir, a64),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestWriteAndCheck(t *testing.T) {
	dir := t.TempDir()
	if err := Check(dir); err == nil {
		t.Fatal("Check of an empty directory: no error")
	}
	writeAll(t, dir)
	if err := Check(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, AccuracyFile64+".png")); err != nil {
		t.Fatal(err)
	}
	if err := Check(dir); err == nil {
		t.Error("Check without accuracy64.png: no error")
	}
	if err := Check(dir, ThroughputFile, AccuracyFile); err != nil {
		t.Errorf("Check of the float32 figures only: %v", err)
	}
	acc, err := os.ReadFile(filepath.Join(dir, AccuracyFile+".svg"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(acc), "close-up of [15.5, 18]") || !strings.Contains(string(acc), "the accuracy bound") {
		t.Error("accuracy.svg: no close-up panel or no bound in the legend")
	}
	svg, err := os.ReadFile(filepath.Join(dir, ThroughputFile+".svg"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"test throughput", "L1d 32 KiB", "naive", "Arial"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("throughput.svg does not contain %q", want)
		}
	}
}

func TestCheckRejects(t *testing.T) {
	dir := t.TempDir()
	writeAll(t, dir)
	for _, tc := range []struct{ file, content, want string }{
		{ThroughputFile + ".svg", "<svg><path></svg>", "XML"},
		{AccuracyFile + ".svg", "<html><p>hi</p></html>", "root"},
		{AccuracyFile + ".svg", `<svg xmlns="http://www.w3.org/2000/svg"></svg>`, "not a figure"},
		{ThroughputFile + ".png", "\x89PNG\r\n\x1a\n", "png"},
	} {
		name := filepath.Join(dir, tc.file)
		orig, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(tc.content), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := Check(dir); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Check with %s = %q: error %v, want one mentioning %q", tc.file, tc.content, err, tc.want)
		}
		if err := os.WriteFile(name, orig, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := Check(dir); err != nil {
		t.Fatalf("Check after restoring the files: %v", err)
	}
}

func TestWriteRejects(t *testing.T) {
	dir := t.TempDir()
	bad := testThroughput()
	bad.Series[1].Y[0] = 0
	if err := WriteThroughput(dir, bad); err == nil {
		t.Error("WriteThroughput with y = 0 on a log axis: no error")
	}
	if err := WriteThroughput(dir, Throughput{}); err == nil {
		t.Error("WriteThroughput with no series: no error")
	}
	badA := testAccuracy()
	badA.Series[0].Y = badA.Series[0].Y[1:]
	if err := WriteAccuracy(dir, badA); err == nil {
		t.Error("WriteAccuracy with mismatched x and y: no error")
	}
	badZ := testAccuracy()
	badZ.Zoom.Series = badZ.Zoom.Series[:1]
	if err := WriteAccuracy(dir, badZ); err == nil {
		t.Error("WriteAccuracy with fewer zoom series than series: no error")
	}
}

func TestTicks(t *testing.T) {
	var got []string
	for _, tk := range (pow2Ticks{}).Ticks(12, 1<<25) {
		if tk.Label != "" {
			got = append(got, tk.Label)
		}
	}
	if want := []string{"16", "64", "256", "1Ki", "4Ki", "16Ki", "64Ki", "256Ki", "1Mi", "4Mi", "16Mi"}; !slices.Equal(got, want) {
		t.Errorf("pow2Ticks(12, 2^25) labels %v, want %v", got, want)
	}
	got = nil
	ticks := (decadeTicks{}).Ticks(3e7, 2e10)
	for _, tk := range ticks {
		if tk.Label != "" {
			got = append(got, tk.Label)
		}
		if tk.Value < 3e7 || tk.Value > 2e10 {
			t.Errorf("decadeTicks(3e7, 2e10): tick %v outside the range", tk.Value)
		}
	}
	if want := []string{"100M", "1G", "10G"}; !slices.Equal(got, want) {
		t.Errorf("decadeTicks(3e7, 2e10) labels %v, want %v", got, want)
	}
	got = nil
	for _, tk := range (stepTicks{major: 10, minor: 5}).Ticks(-110, 20) {
		if tk.Label != "" {
			got = append(got, tk.Label)
		}
	}
	if len(got) != 14 || got[0] != "-110" || got[13] != "20" {
		t.Errorf("stepTicks(-110, 20) labels %v", got)
	}
}
