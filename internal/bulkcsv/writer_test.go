package bulkcsv

import (
	"bytes"
	"errors"
	"testing"
)

func TestWriter(t *testing.T) {
	tests := []struct {
		name string
		f    Format
		recs [][]string
		want string
	}{
		{"ingest result", Default, [][]string{{"sf__Id", "sf__Created", "Name"}, {"001xx000003DHP0AAO", "true", "Acme"}},
			"\"sf__Id\",\"sf__Created\",\"Name\"\n\"001xx000003DHP0AAO\",\"true\",\"Acme\"\n"},
		{"empty value", Default, [][]string{{"a", "", "c"}}, "\"a\",\"\",\"c\"\n"},
		{"quotes doubled", Default, [][]string{{`say "hi"`, `"`, `""`}}, "\"say \"\"hi\"\"\",\"\"\"\",\"\"\"\"\"\"\n"},
		{"delimiter and newline inside", Default, [][]string{{"a,b", "l1\nl2", "x\r\ny"}}, "\"a,b\",\"l1\nl2\",\"x\r\ny\"\n"},
		{"CRLF", Format{Delimiter: ',', CRLF: true}, [][]string{{"Id"}, {"1"}}, "\"Id\"\r\n\"1\"\r\n"},
		{"tab", Format{Delimiter: '\t'}, [][]string{{"a", "b"}}, "\"a\"\t\"b\"\n"},
		{"pipe", Format{Delimiter: '|'}, [][]string{{"a", "b|c"}}, "\"a\"|\"b|c\"\n"},
		{"unicode", Default, [][]string{{"Zoë", "東京"}}, "\"Zoë\",\"東京\"\n"},
		{"no fields", Default, [][]string{{}}, "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			w := NewWriter(&buf, tt.f)
			for _, r := range tt.recs {
				if err := w.Write(r); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if buf.String() != tt.want {
				t.Errorf("got %q\nwant %q", buf.String(), tt.want)
			}
			var app []byte
			for _, r := range tt.recs {
				app = AppendRecord(app, r, tt.f)
			}
			if string(app) != tt.want {
				t.Errorf("AppendRecord: got %q\nwant %q", app, tt.want)
			}
		})
	}
}

func TestWriterLarge(t *testing.T) {
	// Records larger than the 64 KB buffer go through whole.
	big := string(bytes.Repeat([]byte{'"'}, 100_000))
	var buf bytes.Buffer
	w := NewWriter(&buf, Default)
	if err := w.Write([]string{big, "x"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if want := 1 + 200_000 + 1 + 1 + 3 + 1; buf.Len() != want {
		t.Errorf("len = %d, want %d", buf.Len(), want)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriterErrors(t *testing.T) {
	w := NewWriter(failWriter{}, Default)
	if err := w.Write([]string{"a"}); err != nil {
		t.Fatalf("buffered write failed early: %v", err)
	}
	if err := w.Flush(); err == nil {
		t.Fatal("Flush: no error")
	}
	if err := w.Write([]string{"b"}); err == nil {
		t.Fatal("Write after failure: no error")
	}
	if err := NewWriter(&bytes.Buffer{}, Format{Delimiter: '"'}).Write([]string{"a"}); err == nil {
		t.Fatal("quote delimiter: no error")
	}
}

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
