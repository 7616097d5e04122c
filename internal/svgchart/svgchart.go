// Package svgchart draws small bar charts as inline SVG on the server, for pages whose
// Content-Security-Policy forbids every script (the Setup console, issue 11: "charts are
// drawn on the server"). A chart is a row of groups (e.g. the hours of a day), each a
// stack of series (e.g. Success and Failure). Every label and value is escaped; every bar
// carries data-group, data-series and data-count attributes so that tests (and people)
// can read the numbers back without measuring pixels.
package svgchart

import (
	"fmt"
	"html/template"
	"strings"
)

// Series is one stacked series: its name and one count per group.
type Series struct {
	Name   string
	Class  string // a CSS class for the bars and legend swatch (e.g. "ok", "fail", "s1")
	Color  string // the bars' fill (a presentation attribute: no inline style, which a strict CSP forbids)
	Counts []int
}

// Chart is a stacked bar chart.
type Chart struct {
	Title  string   // the accessible title (<title>)
	Groups []string // one label per bar, left to right
	Series []Series
	// LabelEvery labels every n-th group on the x axis (0 or 1: every group).
	LabelEvery int
	Width      int // default 720
	Height     int // default 220
}

// geometry
const (
	padLeft   = 40
	padRight  = 10
	padTop    = 10
	padBottom = 40
)

// Max returns the tallest stack.
func (c Chart) Max() int {
	m := 0
	for g := range c.Groups {
		sum := 0
		for _, s := range c.Series {
			if g < len(s.Counts) {
				sum += s.Counts[g]
			}
		}
		m = max(m, sum)
	}
	return m
}

// SVG renders the chart. The result is safe to put in an html/template page as is.
func (c Chart) SVG() template.HTML {
	w, h := c.Width, c.Height
	if w <= 0 {
		w = 720
	}
	if h <= 0 {
		h = 220
	}
	every := max(c.LabelEvery, 1)
	top := niceMax(c.Max())
	plotW, plotH := float64(w-padLeft-padRight), float64(h-padTop-padBottom)
	n := max(len(c.Groups), 1)
	slot := plotW / float64(n)
	barW := slot * 0.7
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s" data-max="%d">`,
		w, h, w, h, esc(c.Title), c.Max())
	fmt.Fprintf(&b, `<title>%s</title>`, esc(c.Title))
	// y axis: 0, half, top
	for _, v := range []int{0, top / 2, top} {
		y := float64(padTop) + plotH - plotH*float64(v)/float64(top)
		fmt.Fprintf(&b, `<line class="grid" x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#dddbda"/>`, padLeft, y, w-padRight, y)
		fmt.Fprintf(&b, `<text class="axis" x="%d" y="%.1f" text-anchor="end" font-size="10" fill="#706e6b">%d</text>`, padLeft-4, y+4, v)
	}
	for g, label := range c.Groups {
		x := float64(padLeft) + slot*float64(g) + (slot-barW)/2
		y := float64(padTop) + plotH
		fmt.Fprintf(&b, `<g class="bar" data-group="%s">`, esc(label))
		for _, s := range c.Series {
			v := 0
			if g < len(s.Counts) {
				v = s.Counts[g]
			}
			bh := plotH * float64(v) / float64(top)
			y -= bh
			fmt.Fprintf(&b, `<rect class="%s" fill="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f" data-group="%s" data-series="%s" data-count="%d"><title>%s %s: %d</title></rect>`,
				esc(s.Class), esc(fill(s.Color)), x, y, barW, bh, esc(label), esc(s.Name), v, esc(label), esc(s.Name), v)
		}
		b.WriteString(`</g>`)
		if g%every == 0 {
			fmt.Fprintf(&b, `<text class="axis" x="%.1f" y="%d" text-anchor="middle" font-size="10" fill="#706e6b">%s</text>`, x+barW/2, h-padBottom+14, esc(label))
		}
	}
	// legend
	lx := padLeft
	for _, s := range c.Series {
		fmt.Fprintf(&b, `<rect class="%s" fill="%s" x="%d" y="%d" width="10" height="10"/><text class="legend" x="%d" y="%d" font-size="11" fill="#3e3e3c">%s</text>`,
			esc(s.Class), esc(fill(s.Color)), lx, h-14, lx+14, h-5, esc(s.Name))
		lx += 24 + 8*len([]rune(s.Name))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // every interpolated string went through esc
}

// niceMax is the y axis top: at least 1, rounded up to 1, 2 or 5 times a power of ten so
// that the half line is a whole number too.
func niceMax(m int) int {
	if m < 2 {
		return 2
	}
	p := 1
	for {
		for _, f := range []int{2, 4, 10} { // even steps keep top/2 whole
			if f*p >= m {
				return f * p
			}
		}
		p *= 10
	}
}

// fill is a series' colour, Salesforce blue by default.
func fill(c string) string {
	if c == "" {
		return "#0176d3"
	}
	return c
}

// esc escapes s for an XML attribute or text node.
func esc(s string) string { return template.HTMLEscapeString(s) }
