package console

import "testing"

// A CSV value a spreadsheet would run as a formula gets a leading apostrophe; others stay.
func TestCSVSafe(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"admin@console.example", "admin@console.example"},
		{"=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"},
		{"+1", "'+1"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tcmd", "'\tcmd"},
		{"\rcmd", "'\rcmd"},
		{"a=b", "a=b"},
		{"<script>", "<script>"}, // CSV is not HTML: escaping is the page's job
	} {
		if got := csvSafe(tt.in); got != tt.want {
			t.Errorf("csvSafe(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
