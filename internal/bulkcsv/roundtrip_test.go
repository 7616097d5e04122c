package bulkcsv

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// pieces are the awkward parts random values are made of.
var pieces = []string{"a", "Zoë", "東京", "😀", " ", "\"", "\"\"", ",", ";", "|", "^", "`", "\t", "\n", "\r\n", "\r", "#N/A", "\uFEFF", "x y", ""}

func randomValue(rng *rand.Rand) string {
	var b []byte
	for n := rng.IntN(5); n > 0; n-- {
		b = append(b, pieces[rng.IntN(len(pieces))]...)
	}
	return string(b)
}

func TestRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 500; i++ {
		d := delimiters[rng.IntN(len(delimiters))].r
		f := Format{Delimiter: d, CRLF: rng.IntN(2) == 0}
		cols := 1 + rng.IntN(6)
		header := make([]string, cols)
		for c := range header {
			header[c] = fmt.Sprintf("%sCol%d", randomValue(rng), c)
		}
		var want [][]string
		for r := rng.IntN(20); r > 0; r-- {
			rec := make([]string, cols)
			for c := range rec {
				rec[c] = randomValue(rng)
			}
			want = append(want, rec)
		}
		var buf bytes.Buffer
		w := NewWriter(&buf, f)
		w.Write(header)
		for _, rec := range want {
			w.Write(rec)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		h, got, errs := readAll(buf.String(), f)
		if len(errs) > 0 {
			t.Fatalf("case %d (%q, crlf %v): errors %v reading %q", i, f.Delimiter, f.CRLF, errs, buf.String())
		}
		if diff := cmp.Diff(header, h); diff != "" {
			t.Fatalf("case %d: header (-want +got):\n%s", i, diff)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("case %d: records (-want +got):\n%s", i, diff)
		}
	}
}

// FuzzReader: the Reader never panics, consumes the whole input when it ends without a
// fatal error, and every record it returns survives Writer → Reader unchanged.
func FuzzReader(f *testing.F) {
	f.Add([]byte("Name,Id\nAcme,1\n\"a,\"\"b\"\"\nc\",2\n"), uint8(2), false)
	f.Add([]byte("\uFEFFA\r\n1\r\n\r\n"), uint8(2), true)
	f.Add([]byte("A|B\n1|2|3\nx\"y|z\n"), uint8(3), false)
	f.Add([]byte("A\tB\n\"\t\"\t\n"), uint8(5), false)
	f.Add([]byte("A,B\n\"unclosed,x\n"), uint8(0), false)
	f.Fuzz(func(t *testing.T, data []byte, di uint8, crlf bool) {
		format := Format{Delimiter: delimiters[int(di)%len(delimiters)].r, CRLF: crlf}
		r := NewReader(bytes.NewReader(data), format)
		header, err := r.Header()
		if err != nil {
			return
		}
		var recs [][]string
		var last int64
		for {
			rec, err := r.Read()
			if r.Offset() < last || r.Offset() > int64(len(data)) {
				t.Fatalf("offset %d after %d, input %d bytes", r.Offset(), last, len(data))
			}
			last = r.Offset()
			if err == io.EOF {
				if r.Offset() != int64(len(data)) {
					t.Fatalf("EOF at offset %d of %d", r.Offset(), len(data))
				}
				break
			}
			var e *Error
			if errors.As(err, &e) && e.Line > 0 && !bytes.Contains([]byte(e.Msg), []byte("longer than")) {
				continue
			}
			if err != nil {
				t.Fatalf("unexpected error %v", err)
			}
			recs = append(recs, append([]string(nil), rec...))
		}
		var buf bytes.Buffer
		w := NewWriter(&buf, format)
		w.Write(header)
		for _, rec := range recs {
			w.Write(rec)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		h2, recs2, errs := readAll(buf.String(), format)
		if len(errs) > 0 {
			t.Fatalf("re-reading %q: %v", buf.String(), errs)
		}
		if diff := cmp.Diff(header, h2); diff != "" {
			t.Fatalf("header (-first +second):\n%s", diff)
		}
		if diff := cmp.Diff(recs, recs2); diff != "" {
			t.Fatalf("records (-first +second):\n%s", diff)
		}
	})
}
