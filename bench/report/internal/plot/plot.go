// Package plot draws the figures of the benchmark report, throughput against
// slice length and error in ULPs against x, as SVG and PNG files, and checks
// such files (Check) for CI.
//
// It lives in the report's own module (bench/report), with gonum.org/v1/plot,
// so that the plotting libraries never reach the module graph of programs
// that use the kernels.
//
// The package computes nothing: its callers hand it the measured series and
// the marks to draw.
package plot

import (
	"bytes"
	"cmp"
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// File names written into the output directory, without extensions: each
// is written as .svg and .png. The float64 figures are the same figures
// with a File field naming the second pair.
const (
	ThroughputFile   = "throughput"
	AccuracyFile     = "accuracy"
	ThroughputFile64 = "throughput64"
	AccuracyFile64   = "accuracy64"
)

// Files are the figures a report run writes, which Check looks for.
var Files = []string{ThroughputFile, AccuracyFile, ThroughputFile64, AccuracyFile64}

// DPI is the resolution of the PNG files.
const DPI = 144

// Series is one line of a figure: a kernel or a baseline.
type Series struct {
	Name string
	X, Y []float64
	// Baseline series (naive Go, copy) are drawn dashed, kernels solid.
	Baseline bool
}

// Mark is a vertical line at X, named Label in the legend and Short (a
// few characters, such as "L1d 32 KiB" or "-87.34") next to the line.
type Mark struct {
	X            float64
	Short, Label string
}

// Throughput describes the throughput figure.
type Throughput struct {
	// Title is the first line of the figure's title, Subtitle the second
	// (the machine, say).
	Title, Subtitle string
	// Series are elements per second (Y) against slice length in elements
	// (X), both positive.
	Series []Series
	// Caches are the cache sizes in elements, drawn as vertical lines, and
	// CacheNote the legend entry saying how bytes became elements.
	Caches    []Mark
	CacheNote string
	// XLabel is the x-axis label (default: float32 elements).
	XLabel string
	// File is the base name written in the directory (default
	// ThroughputFile).
	File string
}

// Accuracy describes the accuracy figure: one panel per series, all with
// the same axes.
type Accuracy struct {
	Title, Subtitle string
	// Series are the largest error in ULPs (Y) in bins of x centred on X,
	// one panel each.
	Series []Series
	// Lo and Hi bound the x-axis, with a labelled tick every Ticks.Major
	// and a tick every Ticks.Minor (default 10 and 5).
	Lo, Hi float64
	Ticks  struct{ Major, Minor float64 }
	// Shade, if Label is set, shades x in [Shade.Lo, Shade.Hi].
	Shade struct {
		Lo, Hi float64
		Label  string
	}
	// Marks are vertical lines, such as the saturation points.
	Marks []Mark
	// Bound, if positive, is drawn as a horizontal line: the largest
	// error the accuracy rules accept.
	Bound float64
	// Zoom, if it has series (one per entry of Series, in the same order,
	// usually on finer bins), adds a narrower panel right of each panel
	// over x in [Zoom.Lo, Zoom.Hi], with the marks that fall in it: a
	// close-up of a range too narrow to read at the full scale.
	Zoom struct {
		Lo, Hi float64
		Series []Series
	}
	// File is the base name written in the directory (default
	// AccuracyFile).
	File string
}

var (
	sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

	// Okabe–Ito colours, distinguishable with the common colour-vision
	// deficiencies.
	palette = []color.Color{
		rgb(0x00, 0x72, 0xB2), // blue
		rgb(0xE6, 0x9F, 0x00), // orange
		rgb(0x00, 0x9E, 0x73), // green
		rgb(0xCC, 0x79, 0xA7), // purple
		rgb(0x56, 0xB4, 0xE9), // sky blue
	}
	baselineColors = []color.Color{
		rgb(0xD5, 0x5E, 0x00), // vermilion
		rgb(0x55, 0x55, 0x55), // grey
	}
	markColors = []color.Color{
		rgb(0x22, 0x22, 0x22),
		rgb(0x33, 0x66, 0x99),
		rgb(0x88, 0x55, 0x00),
		rgb(0x66, 0x66, 0x66),
	}
	markDashes = [][]vg.Length{
		{vg.Points(6), vg.Points(3)},
		{vg.Points(2), vg.Points(2)},
		{vg.Points(8), vg.Points(2), vg.Points(2), vg.Points(2)},
		{vg.Points(4), vg.Points(4)},
	}
	shadeColor = color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0x38}
	boundColor = rgb(0xCC, 0x00, 0x00)
)

func rgb(r, g, b uint8) color.Color { return color.NRGBA{R: r, G: g, B: b, A: 0xff} }

func textStyle(size float64) text.Style {
	return text.Style{
		Color:   color.Black,
		Font:    font.From(sans, vg.Points(size)),
		Handler: gplot.DefaultTextHandler,
	}
}

// newPlot returns a plot in the package's style: sans-serif text, grey
// grid-free axes.
func newPlot() *gplot.Plot {
	p := gplot.New()
	p.Title.TextStyle.Font = font.From(sans, vg.Points(13))
	p.Title.Padding = vg.Points(8)
	for _, a := range []*gplot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, vg.Points(11))
		a.Tick.Label.Font = font.From(sans, vg.Points(10))
		a.Label.Padding = vg.Points(4)
	}
	return p
}

// WriteThroughput draws t into dir/throughput.svg and dir/throughput.png.
func WriteThroughput(dir string, t Throughput) error {
	if len(t.Series) == 0 {
		return fmt.Errorf("plot: throughput: no series")
	}
	p := newPlot()
	p.Title.Text = title(t.Title, t.Subtitle)
	p.X.Label.Text = "slice length n (float32 elements, log scale)"
	if t.XLabel != "" {
		p.X.Label.Text = t.XLabel
	}
	p.Y.Label.Text = "throughput (elements per second, log scale)"
	p.X.Scale, p.Y.Scale = gplot.LogScale{}, gplot.LogScale{}
	p.X.Tick.Marker = pow2Ticks{}
	p.Y.Tick.Marker = decadeTicks{}

	xmin, xmax := math.Inf(1), math.Inf(-1)
	ymin, ymax := math.Inf(1), math.Inf(-1)
	for _, s := range t.Series {
		if len(s.X) != len(s.Y) || len(s.X) == 0 {
			return fmt.Errorf("plot: throughput: series %q has %d x and %d y values", s.Name, len(s.X), len(s.Y))
		}
		for i := range s.X {
			if !(s.X[i] > 0 && s.Y[i] > 0) || math.IsInf(s.X[i], 0) || math.IsInf(s.Y[i], 0) {
				return fmt.Errorf("plot: throughput: series %q: point (%v, %v) not positive and finite", s.Name, s.X[i], s.Y[i])
			}
			xmin, xmax = math.Min(xmin, s.X[i]), math.Max(xmax, s.X[i])
			ymin, ymax = math.Min(ymin, s.Y[i]), math.Max(ymax, s.Y[i])
		}
	}
	// The cache lines widen the x range, so that a quick run over small
	// sizes still shows where the caches end.
	for _, m := range t.Caches {
		if m.X > 0 {
			xmin, xmax = math.Min(xmin, m.X), math.Max(xmax, m.X)
		}
	}
	p.X.Min, p.X.Max = xmin/1.25, xmax*1.25
	// Room at the top for the cache labels.
	p.Y.Min, p.Y.Max = ymin/1.6, ymax*2.2

	legend := newLegend()
	var kernelIdx, baseIdx int
	for _, s := range t.Series {
		xys := make(plotter.XYs, len(s.X))
		for i := range s.X {
			xys[i] = plotter.XY{X: s.X[i], Y: s.Y[i]}
		}
		l, sc, err := plotter.NewLinePoints(xys)
		if err != nil {
			return err
		}
		var c color.Color
		if s.Baseline {
			c = baselineColors[baseIdx%len(baselineColors)]
			l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
			sc.Shape = draw.BoxGlyph{}
			sc.Radius = vg.Points(2.2)
			baseIdx++
		} else {
			c = palette[kernelIdx%len(palette)]
			sc.Shape = draw.CircleGlyph{}
			sc.Radius = vg.Points(2.5)
			kernelIdx++
		}
		l.Color, sc.Color = c, c
		l.Width = vg.Points(1.6)
		p.Add(l, sc)
		legend.Add(s.Name, l, sc)
	}
	for i, m := range t.Caches {
		if !(m.X > 0) {
			continue
		}
		v := &vline{x: m.X, label: m.Short, style: markStyle(3)}
		p.Add(v)
		if i == 0 && t.CacheNote != "" {
			legend.Add(t.CacheNote, v)
		}
	}

	return save(filepath.Join(dir, cmp.Or(t.File, ThroughputFile)), vg.Inch*10, vg.Inch*5.6, func(c draw.Canvas) {
		drawWithLegend(c, p, legend)
	})
}

// WriteAccuracy draws a into dir/accuracy.svg and dir/accuracy.png.
func WriteAccuracy(dir string, a Accuracy) error {
	if len(a.Series) == 0 {
		return fmt.Errorf("plot: accuracy: no series")
	}
	if !(a.Lo < a.Hi) {
		return fmt.Errorf("plot: accuracy: empty x range [%v, %v]", a.Lo, a.Hi)
	}
	ymax := 1.0
	if a.Bound > 0 {
		ymax = math.Max(ymax, a.Bound)
	}
	for _, s := range a.Series {
		if len(s.X) != len(s.Y) || len(s.X) == 0 {
			return fmt.Errorf("plot: accuracy: series %q has %d x and %d y values", s.Name, len(s.X), len(s.Y))
		}
		for _, y := range s.Y {
			if y != y || y < 0 {
				return fmt.Errorf("plot: accuracy: series %q: error %v", s.Name, y)
			}
			if !math.IsInf(y, 1) {
				ymax = math.Max(ymax, y)
			}
		}
	}
	if len(a.Zoom.Series) > 0 {
		if len(a.Zoom.Series) != len(a.Series) {
			return fmt.Errorf("plot: accuracy: %d zoom series for %d series", len(a.Zoom.Series), len(a.Series))
		}
		if !(a.Zoom.Lo < a.Zoom.Hi) {
			return fmt.Errorf("plot: accuracy: empty zoom range [%v, %v]", a.Zoom.Lo, a.Zoom.Hi)
		}
		for _, s := range a.Zoom.Series {
			if len(s.X) != len(s.Y) || len(s.X) == 0 {
				return fmt.Errorf("plot: accuracy: zoom series %q has %d x and %d y values", s.Name, len(s.X), len(s.Y))
			}
			for _, y := range s.Y {
				if y != y || y < 0 {
					return fmt.Errorf("plot: accuracy: zoom series %q: error %v", s.Name, y)
				}
				if !math.IsInf(y, 1) {
					ymax = math.Max(ymax, y)
				}
			}
		}
	}
	ymax *= 1.3 // room for the panel's name above the bound line

	legend := newLegend()
	plots := make([][]*gplot.Plot, len(a.Series))
	var zooms [][]*gplot.Plot
	if len(a.Zoom.Series) > 0 {
		zooms = make([][]*gplot.Plot, len(a.Series))
	}
	for i, s := range a.Series {
		last := i == len(a.Series)-1
		ticks := stepTicks{major: 10, minor: 5}
		if a.Ticks.Major > 0 && a.Ticks.Minor > 0 {
			ticks = stepTicks{major: a.Ticks.Major, minor: a.Ticks.Minor}
		}
		p, err := a.panel(i, s, a.Lo, a.Hi, ymax, last, ticks, i == 0)
		if err != nil {
			return err
		}
		p.Y.Label.Text = "max error (ULP)"
		p.Add(&panelName{text: s.Name, style: textStyle(11)})
		plots[i] = []*gplot.Plot{p}
		if zooms != nil {
			z, err := a.panel(i, a.Zoom.Series[i], a.Zoom.Lo, a.Zoom.Hi, ymax, last, gplot.DefaultTicks{}, i == 0)
			if err != nil {
				return err
			}
			if last {
				z.X.Label.Text = fmt.Sprintf("x, close-up of [%g, %g]", a.Zoom.Lo, a.Zoom.Hi)
			}
			zooms[i] = []*gplot.Plot{z}
		}
		if i == 0 {
			for k, m := range a.Marks {
				legend.Add(m.Label, &vline{x: m.X, style: markStyle(k)})
			}
		}
	}
	if a.Shade.Label != "" {
		legend.entries = append([]legendEntry{{a.Shade.Label, []gplot.Thumbnailer{&xband{color: shadeColor}}}}, legend.entries...)
	}
	if a.Bound > 0 {
		legend.Add(fmt.Sprintf("%g ULP: the accuracy bound", a.Bound),
			&hline{style: draw.LineStyle{Color: boundColor, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}}})
	}

	const panel = 2.1 // inches per panel
	h := vg.Inch * vg.Length(0.9+panel*float64(len(a.Series)))
	w := vg.Inch * 10
	if zooms != nil {
		w = vg.Inch * 13
	}
	return save(filepath.Join(dir, cmp.Or(a.File, AccuracyFile)), w, h, func(c draw.Canvas) {
		tc := textStyle(13)
		tc.XAlign, tc.YAlign = draw.XCenter, draw.YTop
		ttl := title(a.Title, a.Subtitle)
		left, right := splitLegend(c, legend)
		if ttl != "" {
			// Centred on the whole figure, legend included: the legend
			// starts below it, level with the first panel.
			c.FillText(tc, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Max.Y - vg.Points(4)}, ttl)
			left.Max.Y -= tc.Rectangle(ttl).Size().Y + vg.Points(12)
		}
		main := left
		var zoom draw.Canvas
		if zooms != nil {
			// The close-ups take the right quarter; both columns have the
			// same rows, so their panels line up.
			wz := (left.Max.X - left.Min.X) / 4
			main = draw.Crop(left, 0, -wz, 0, 0)
			zoom = draw.Crop(left, left.Max.X-left.Min.X-wz+vg.Points(8), 0, 0, 0)
		}
		tiles := draw.Tiles{Rows: len(plots), Cols: 1, PadY: vg.Points(6), PadTop: vg.Points(2), PadBottom: vg.Points(4), PadLeft: vg.Points(4)}
		canvases := gplot.Align(plots, tiles, main)
		for j := range plots {
			plots[j][0].Draw(canvases[j][0])
		}
		if zooms != nil {
			zc := gplot.Align(zooms, tiles, zoom)
			for j := range zooms {
				zooms[j][0].Draw(zc[j][0])
			}
		}
		drawLegend(right, legend, canvases[0][0].Max.Y-vg.Points(18))
	})
}

// panel returns the plot of series s (the i-th) over [lo, hi]: the shaded
// range, the bound, the error curve and the marks, labelled if
// labelMarks. Only the bottom panel (last) labels its x-axis.
func (a *Accuracy) panel(i int, s Series, lo, hi, ymax float64, last bool, ticks gplot.Ticker, labelMarks bool) (*gplot.Plot, error) {
	p := newPlot()
	p.X.Min, p.X.Max = lo, hi
	p.Y.Min, p.Y.Max = 0, ymax
	p.X.Tick.Marker = ticks
	p.Y.Tick.Marker = gplot.DefaultTicks{}
	if last {
		p.X.Label.Text = "x (input)"
	} else {
		p.X.Tick.Label.Color = color.Transparent
	}
	if a.Shade.Label != "" && a.Shade.Lo < hi && a.Shade.Hi > lo {
		p.Add(&xband{lo: math.Max(a.Shade.Lo, lo), hi: math.Min(a.Shade.Hi, hi), color: shadeColor})
	}
	if a.Bound > 0 {
		p.Add(&hline{y: a.Bound, style: draw.LineStyle{Color: boundColor, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}}})
	}
	xys := make(plotter.XYs, len(s.X))
	for j := range s.X {
		y := s.Y[j]
		if math.IsInf(y, 1) {
			y = ymax
		}
		xys[j] = plotter.XY{X: s.X[j], Y: y}
	}
	l, err := plotter.NewLine(xys)
	if err != nil {
		return nil, err
	}
	c := palette[i%len(palette)]
	l.Color, l.Width = c, vg.Points(0.6)
	l.FillColor = withAlpha(c, 0x70)
	l.StepStyle = plotter.MidStep
	p.Add(l)
	for k, m := range a.Marks {
		if m.X < lo || m.X > hi {
			continue
		}
		v := &vline{x: m.X, style: markStyle(k)}
		if labelMarks {
			// Label the marks in the top panel only, on alternating
			// rows so that close marks stay legible.
			v.label, v.labelRow = m.Short, k%2
		}
		p.Add(v)
	}
	return p, nil
}

func title(t, sub string) string {
	if sub == "" {
		return t
	}
	return t + "\n" + sub
}

func withAlpha(c color.Color, a uint8) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = a
	return n
}

func markStyle(i int) draw.LineStyle {
	return draw.LineStyle{
		Color:  markColors[i%len(markColors)],
		Width:  vg.Points(1.1),
		Dashes: markDashes[i%len(markDashes)],
	}
}

// save draws into an SVG and a PNG canvas of size w×h and writes them to
// base.svg and base.png.
func save(base string, w, h vg.Length, drawFn func(draw.Canvas)) error {
	svg := vgsvg.New(w, h)
	png := vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(DPI), vgimg.UseBackgroundColor(color.White))}
	for _, cw := range []struct {
		ext string
		c   interface {
			vg.CanvasSizer
			io.WriterTo
		}
	}{{".svg", svg}, {".png", png}} {
		dc := draw.New(cw.c)
		dc.SetColor(color.White)
		dc.Fill(dc.Rectangle.Path())
		drawFn(dc)
		var buf bytes.Buffer
		if _, err := cw.c.WriteTo(&buf); err != nil {
			return err
		}
		data := buf.Bytes()
		if cw.ext == ".svg" {
			// The fonts are not embedded (that would add about 400 kB).
			// Liberation Sans has the metrics of Arial and Helvetica, so
			// with those as fallbacks the text keeps its measured width
			// where Liberation is not installed.
			data = bytes.ReplaceAll(data, []byte("font-family:Liberation Sans;"),
				[]byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"))
		}
		if err := os.WriteFile(base+cw.ext, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
