package svgchart

import (
	"encoding/xml"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// bars parses the chart's bars back: "group|series" → count.
func bars(t *testing.T, svg string) map[string]int {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	out := map[string]int{}
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "rect" {
			continue
		}
		attrs := map[string]string{}
		for _, a := range se.Attr {
			attrs[a.Name.Local] = a.Value
		}
		if _, ok := attrs["data-count"]; !ok {
			continue // a legend swatch
		}
		n, err := strconv.Atoi(attrs["data-count"])
		if err != nil {
			t.Fatalf("data-count %q", attrs["data-count"])
		}
		out[attrs["data-group"]+"|"+attrs["data-series"]] = n
	}
	return out
}

func TestSVG(t *testing.T) {
	tests := []struct {
		name  string
		chart Chart
		want  map[string]int
		max   string
	}{
		{"empty groups", Chart{Title: "none"}, map[string]int{}, `data-max="0"`},
		{"stacked", Chart{Title: "Logins", Groups: []string{"09", "10"}, Series: []Series{
			{Name: "Success", Class: "ok", Counts: []int{3, 0}}, {Name: "Failure", Class: "fail", Counts: []int{1, 2}}}},
			map[string]int{"09|Success": 3, "09|Failure": 1, "10|Success": 0, "10|Failure": 2}, `data-max="4"`},
		{"short series count as zero", Chart{Groups: []string{"a", "b"}, Series: []Series{{Name: "x", Counts: []int{5}}}},
			map[string]int{"a|x": 5, "b|x": 0}, `data-max="5"`},
		{"hostile labels are escaped", Chart{Title: `<script>alert(1)</script>`, Groups: []string{`"><script>`},
			Series: []Series{{Name: `<b onload=x>`, Class: `"x`, Counts: []int{1}}}},
			map[string]int{`"><script>|<b onload=x>`: 1}, `data-max="1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svg := string(tt.chart.SVG())
			if diff := cmp.Diff(tt.want, bars(t, svg)); diff != "" {
				t.Errorf("bars (-want +got):\n%s", diff)
			}
			if !strings.Contains(svg, tt.max) {
				t.Errorf("no %s in %s", tt.max, svg)
			}
			if strings.Contains(svg, "<script") || strings.Contains(svg, "<b ") {
				t.Errorf("unescaped markup in %s", svg)
			}
		})
	}
}

func TestNiceMax(t *testing.T) {
	for _, tt := range []struct{ in, want int }{{0, 2}, {1, 2}, {2, 2}, {3, 4}, {5, 10}, {11, 20}, {39, 40}, {41, 100}, {1001, 2000}} {
		if got := niceMax(tt.in); got != tt.want || got%2 != 0 {
			t.Errorf("niceMax(%d) = %d, want %d", tt.in, got, tt.want)
		}
	}
}
