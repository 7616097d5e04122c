package bulkcsv

import "testing"

func TestParseDelimiter(t *testing.T) {
	tests := []struct {
		name string
		want rune
		ok   bool
	}{
		{"BACKQUOTE", '`', true},
		{"CARET", '^', true},
		{"COMMA", ',', true},
		{"PIPE", '|', true},
		{"SEMICOLON", ';', true},
		{"TAB", '\t', true},
		{"comma", 0, false},
		{"Tab", 0, false},
		{"", 0, false},
		{",", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseDelimiter(tt.name)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseDelimiter(%q) = %q, %v; want %q, %v", tt.name, got, ok, tt.want, tt.ok)
		}
		if ok && DelimiterName(got) != tt.name {
			t.Errorf("DelimiterName(%q) = %q, want %q", got, DelimiterName(got), tt.name)
		}
	}
	if got := DelimiterName('x'); got != "" {
		t.Errorf("DelimiterName('x') = %q, want empty", got)
	}
}

func TestParseLineEnding(t *testing.T) {
	tests := []struct {
		name     string
		crlf, ok bool
	}{
		{"LF", false, true},
		{"CRLF", true, true},
		{"lf", false, false},
		{"CR", false, false},
		{"", false, false},
	}
	for _, tt := range tests {
		crlf, ok := ParseLineEnding(tt.name)
		if crlf != tt.crlf || ok != tt.ok {
			t.Errorf("ParseLineEnding(%q) = %v, %v; want %v, %v", tt.name, crlf, ok, tt.crlf, tt.ok)
		}
		if ok && (Format{CRLF: crlf}).LineEndingName() != tt.name {
			t.Errorf("LineEndingName round trip of %q failed", tt.name)
		}
	}
}
