package plot

import (
	"fmt"
	"image/color"
	"math"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// legend is drawn in a strip to the right of the data, never over it (the
// gonum legend draws inside the data area). An entry's text may hold
// several lines.
type legend struct {
	entries []legendEntry
	style   text.Style
	thumbW  vg.Length
}

type legendEntry struct {
	text   string
	thumbs []gplot.Thumbnailer
}

func newLegend() *legend {
	return &legend{style: textStyle(10), thumbW: vg.Points(24)}
}

func (l *legend) Add(text string, thumbs ...gplot.Thumbnailer) {
	l.entries = append(l.entries, legendEntry{text, thumbs})
}

const (
	legendGap = 10 // points between the plot and the legend, and after it
	textGap   = 5  // points between a thumbnail and its text
	entryGap  = 5  // points between entries
)

func (l *legend) width() vg.Length {
	var w vg.Length
	for _, e := range l.entries {
		w = max(w, l.style.Rectangle(e.text).Size().X)
	}
	return l.thumbW + vg.Points(textGap) + w
}

// splitLegend divides c into the part for the plot and the strip on its
// right for the legend.
func splitLegend(c draw.Canvas, l *legend) (left, right draw.Canvas) {
	if len(l.entries) == 0 {
		return c, draw.Crop(c, c.Max.X-c.Min.X, 0, 0, 0)
	}
	w := l.width() + 2*vg.Points(legendGap)
	return draw.Crop(c, 0, -w, 0, 0), draw.Crop(c, c.Max.X-c.Min.X-w, 0, 0, 0)
}

// drawLegend draws l into c, the first entry's top at y.
func drawLegend(c draw.Canvas, l *legend, top vg.Length) {
	x := c.Min.X + vg.Points(legendGap)
	lineH := l.style.Rectangle("Xg").Size().Y
	sty := l.style
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YTop
	y := top
	for _, e := range l.entries {
		icon := &draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: x, Y: y - lineH},
			Max: vg.Point{X: x + l.thumbW, Y: y},
		}}
		for _, t := range e.thumbs {
			t.Thumbnail(icon)
		}
		c.FillText(sty, vg.Point{X: x + l.thumbW + vg.Points(textGap), Y: y}, e.text)
		y -= sty.Rectangle(e.text).Size().Y + vg.Points(entryGap)
	}
}

// drawWithLegend draws p and, to its right, l, level with the top of p's
// data area.
//
// It draws p's title itself, centred on the whole figure, legend
// included, as the accuracy figures' are: centred on the plot alone, a
// long title (LogSigmoidBackward64's) runs off the figure's left edge.
// It draws p's y-axis label itself too: on a log scale gonum reserves room
// for that label as if it were centred on the arithmetic mean of the axis
// range, far above the middle, which leaves a gap under the title.
func drawWithLegend(c draw.Canvas, p *gplot.Plot, l *legend) {
	left, right := splitLegend(c, l)
	if ttl := p.Title.Text; ttl != "" {
		p.Title.Text = ""
		defer func() { p.Title.Text = ttl }()
		sty := p.Title.TextStyle
		sty.XAlign, sty.YAlign = draw.XCenter, draw.YTop
		c.FillText(sty, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Max.Y}, ttl)
		left.Max.Y -= sty.Rectangle(ttl).Size().Y + p.Title.Padding
	}
	if label := p.Y.Label.Text; label != "" {
		p.Y.Label.Text = ""
		defer func() { p.Y.Label.Text = label }()
		sty := p.Y.Label.TextStyle
		sty.Rotation += math.Pi / 2
		sty.XAlign, sty.YAlign = draw.XCenter, draw.YBottom
		h := sty.Height(label)
		data := p.DataCanvas(draw.Crop(left, h+p.Y.Label.Padding, 0, 0, 0))
		left.FillText(sty, vg.Point{X: left.Min.X + h - sty.FontExtents().Descent, Y: (data.Min.Y + data.Max.Y) / 2}, label)
		left = draw.Crop(left, h+p.Y.Label.Padding, 0, 0, 0)
	}
	p.Draw(left)
	drawLegend(right, l, p.DataCanvas(left).Max.Y)
}

// vline is a vertical line across the data area at x, with an optional
// label at the top, on row labelRow (0 the topmost).
type vline struct {
	x        float64
	style    draw.LineStyle
	label    string
	labelRow int
}

func (v *vline) Plot(c draw.Canvas, p *gplot.Plot) {
	trX, _ := p.Transforms(&c)
	x := trX(v.x)
	if x < c.Min.X || x > c.Max.X {
		return
	}
	c.StrokeLine2(v.style, x, c.Min.Y, x, c.Max.Y)
	if v.label == "" {
		return
	}
	sty := textStyle(9)
	sty.Color = v.style.Color
	sty.YAlign = draw.YTop
	size := sty.Rectangle(v.label).Size()
	pad := vg.Points(3)
	y := c.Max.Y - pad - vg.Length(v.labelRow)*(size.Y+pad)
	// Right of the line if the label fits there, else left of it.
	tx := x + pad
	sty.XAlign = draw.XLeft
	if tx+size.X > c.Max.X {
		tx = x - pad
		sty.XAlign = draw.XRight
	}
	box(c, tx, y, size, sty.XAlign)
	c.FillText(sty, vg.Point{X: tx, Y: y}, v.label)
}

func (v *vline) Thumbnail(c *draw.Canvas) {
	x := (c.Min.X + c.Max.X) / 2
	c.StrokeLine2(v.style, x, c.Min.Y, x, c.Max.Y)
}

// box fills a translucent white rectangle behind text of the given size
// whose top is at y and whose left (XLeft) or right (XRight) end is at x,
// so that lines crossing it do not hide it.
func box(c draw.Canvas, x, y vg.Length, size vg.Point, align text.XAlignment) {
	x0 := x + vg.Length(align)*size.X
	pad := vg.Points(1)
	r := vg.Rectangle{
		Min: vg.Point{X: x0 - pad, Y: y - size.Y - pad},
		Max: vg.Point{X: x0 + size.X + pad, Y: y + pad},
	}
	c.SetColor(color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xd0})
	c.Fill(r.Path())
}

// hline is a horizontal line across the data area at y.
type hline struct {
	y     float64
	style draw.LineStyle
}

func (h *hline) Plot(c draw.Canvas, p *gplot.Plot) {
	_, trY := p.Transforms(&c)
	y := trY(h.y)
	if y < c.Min.Y || y > c.Max.Y {
		return
	}
	c.StrokeLine2(h.style, c.Min.X, y, c.Max.X, y)
}

func (h *hline) Thumbnail(c *draw.Canvas) {
	y := (c.Min.Y + c.Max.Y) / 2
	c.StrokeLine2(h.style, c.Min.X, y, c.Max.X, y)
}

// xband shades x in [lo, hi] over the whole height of the data area.
type xband struct {
	lo, hi float64
	color  color.Color
}

func (b *xband) Plot(c draw.Canvas, p *gplot.Plot) {
	if !(b.lo < b.hi) {
		return
	}
	trX, _ := p.Transforms(&c)
	r := vg.Rectangle{
		Min: vg.Point{X: max(c.Min.X, trX(b.lo)), Y: c.Min.Y},
		Max: vg.Point{X: min(c.Max.X, trX(b.hi)), Y: c.Max.Y},
	}
	c.SetColor(b.color)
	c.Fill(r.Path())
}

func (b *xband) Thumbnail(c *draw.Canvas) {
	c.SetColor(b.color)
	c.Fill(c.Rectangle.Path())
}

// panelName writes text at the top of the data area, centred.
type panelName struct {
	text  string
	style text.Style
}

func (l *panelName) Plot(c draw.Canvas, _ *gplot.Plot) {
	sty := l.style
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YTop
	pt := vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Max.Y - vg.Points(3)}
	size := sty.Rectangle(l.text).Size()
	box(c, pt.X-size.X/2, pt.Y, size, draw.XLeft)
	c.FillText(sty, pt, l.text)
}

// pow2Ticks marks every power of two, labelling at most about ten of them
// (1, 2, 4, ..., 512, 1Ki, 2Ki, ..., 1Mi, ...).
type pow2Ticks struct{}

func (pow2Ticks) Ticks(lo, hi float64) []gplot.Tick {
	e0, e1 := int(math.Ceil(math.Log2(lo))), int(math.Floor(math.Log2(hi)))
	step := 1
	for (e1-e0)/step > 10 {
		step *= 2
	}
	var ts []gplot.Tick
	for e := e0; e <= e1; e++ {
		t := gplot.Tick{Value: math.Ldexp(1, e)}
		if e%step == 0 {
			t.Label = pow2Label(e)
		}
		ts = append(ts, t)
	}
	return ts
}

func pow2Label(e int) string {
	switch {
	case e < 0:
		return fmt.Sprintf("2^%d", e)
	case e < 10:
		return fmt.Sprint(1 << e)
	case e < 20:
		return fmt.Sprintf("%dKi", 1<<(e-10))
	case e < 30:
		return fmt.Sprintf("%dMi", 1<<(e-20))
	default:
		return fmt.Sprintf("%dGi", 1<<(e-30))
	}
}

// decadeTicks labels the powers of ten with SI prefixes (1M, 10M, 100M,
// 1G, ...) and marks 2..9 times each as minor ticks.
type decadeTicks struct{}

func (decadeTicks) Ticks(lo, hi float64) []gplot.Tick {
	var ts []gplot.Tick
	for e := int(math.Floor(math.Log10(lo))); e <= int(math.Ceil(math.Log10(hi))); e++ {
		d := math.Pow(10, float64(e))
		for m := 1; m <= 9; m++ {
			v := d * float64(m)
			if v < lo*(1-1e-9) || v > hi*(1+1e-9) {
				continue
			}
			t := gplot.Tick{Value: v}
			if m == 1 {
				t.Label = siLabel(e)
			}
			ts = append(ts, t)
		}
	}
	return ts
}

func siLabel(e int) string {
	prefixes := []string{"", "k", "M", "G", "T", "P"}
	if e < 0 || e >= 3*len(prefixes) {
		return fmt.Sprintf("1e%d", e)
	}
	return fmt.Sprintf("%d%s", []int{1, 10, 100}[e%3], prefixes[e/3])
}

// stepTicks labels the multiples of major and marks those of minor.
type stepTicks struct{ major, minor float64 }

func (s stepTicks) Ticks(lo, hi float64) []gplot.Tick {
	var ts []gplot.Tick
	for k := math.Ceil(lo / s.minor); k*s.minor <= hi; k++ {
		v := k * s.minor
		t := gplot.Tick{Value: v}
		if r := math.Mod(v, s.major); r == 0 {
			t.Label = fmt.Sprintf("%g", v)
		}
		ts = append(ts, t)
	}
	return ts
}
