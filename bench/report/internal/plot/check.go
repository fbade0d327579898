package plot

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
)

// Check verifies that dir holds the figures named by bases (default Files)
// as WriteThroughput and WriteAccuracy write them: each .svg parses as XML
// with an <svg> root and some drawing and text in it, and each .png
// decodes, is at least 600×300 pixels, and is not blank.
func Check(dir string, bases ...string) error {
	if len(bases) == 0 {
		bases = Files
	}
	var errs []error
	for _, base := range bases {
		errs = append(errs, checkSVG(filepath.Join(dir, base+".svg")), checkPNG(filepath.Join(dir, base+".png")))
	}
	return errors.Join(errs...)
}

func checkSVG(name string) error {
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	var root string
	var paths, texts int
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: not valid XML: %v", name, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if root == "" {
				root = se.Name.Local
			}
			switch se.Name.Local {
			case "path", "line", "polyline", "rect", "circle":
				paths++
			case "text":
				texts++
			}
		}
	}
	switch {
	case root != "svg":
		return fmt.Errorf("%s: root element <%s>, want <svg>", name, root)
	case paths < 10 || texts < 5:
		return fmt.Errorf("%s: only %d shapes and %d texts: not a figure", name, paths, texts)
	}
	return nil
}

func checkPNG(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	b := img.Bounds()
	if b.Dx() < 600 || b.Dy() < 300 {
		return fmt.Errorf("%s: %d×%d pixels, want at least 600×300", name, b.Dx(), b.Dy())
	}
	if f := inkFraction(img); f < 0.01 {
		return fmt.Errorf("%s: %.2f%% of the pixels differ from the corner's colour: blank", name, 100*f)
	}
	return nil
}

// inkFraction returns the fraction of pixels, sampled on a grid, whose
// colour differs from the top left pixel's.
func inkFraction(img image.Image) float64 {
	b := img.Bounds()
	r0, g0, b0, a0 := img.At(b.Min.X, b.Min.Y).RGBA()
	var n, ink int
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, a := img.At(x, y).RGBA()
			n++
			if r != r0 || g != g0 || bl != b0 || a != a0 {
				ink++
			}
		}
	}
	return float64(ink) / float64(max(n, 1))
}
