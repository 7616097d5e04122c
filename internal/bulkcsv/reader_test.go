package bulkcsv

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// readAll reads in with f and returns the header, the records, and every error met
// (as "Line N: msg" or the error text), going on after per-record errors.
func readAll(in string, f Format) (header []string, recs [][]string, errs []string) {
	r := NewReader(strings.NewReader(in), f)
	h, err := r.Header()
	if err != nil {
		return nil, nil, []string{err.Error()}
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return h, recs, errs
		}
		if err != nil {
			errs = append(errs, err.Error())
			var e *Error
			if !errors.As(err, &e) || strings.Contains(e.Msg, "longer than") {
				return h, recs, errs
			}
			continue
		}
		recs = append(recs, append([]string(nil), rec...))
	}
}

func TestReader(t *testing.T) {
	crlf := Format{Delimiter: ',', CRLF: true}
	lfErr := "Line %d: ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF"
	crlfErr := "Line %d: ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is CRLF"
	tests := []struct {
		name   string
		in     string
		f      Format
		header []string
		recs   [][]string
		errs   []string
	}{
		{name: "simple", in: "Name,Phone\nAcme,123\nGlobex,456\n", f: Default,
			header: []string{"Name", "Phone"}, recs: [][]string{{"Acme", "123"}, {"Globex", "456"}}},
		{name: "no final line end", in: "Name\nAcme", f: Default,
			header: []string{"Name"}, recs: [][]string{{"Acme"}}},
		{name: "one empty last line is not a record", in: "Name\nAcme\n\n", f: Default,
			header: []string{"Name"}, recs: [][]string{{"Acme"}}},
		{name: "inner empty line is a record", in: "Name\n\nAcme\n", f: Default,
			header: []string{"Name"}, recs: [][]string{{""}, {"Acme"}}},
		{name: "two empty last lines", in: "A,B\nx,y\n\n\n", f: Default,
			header: []string{"A", "B"}, recs: [][]string{{"x", "y"}}, errs: []string{"Line 3: expected 2 columns, found 1"}},
		{name: "header only", in: "Id\n", f: Default, header: []string{"Id"}},
		{name: "BOM dropped", in: "\uFEFFName,Id\nx,1\n", f: Default,
			header: []string{"Name", "Id"}, recs: [][]string{{"x", "1"}}},
		{name: "BOM only at the start", in: "Name\n\uFEFFx\n", f: Default,
			header: []string{"Name"}, recs: [][]string{{"\uFEFFx"}}},
		{name: "nothing trimmed", in: " Name ,Id\n a , b \n", f: Default,
			header: []string{" Name ", "Id"}, recs: [][]string{{" a ", " b "}}},
		{name: "empty values", in: "A,B,C\n,,\n\"\",x,\n", f: Default,
			header: []string{"A", "B", "C"}, recs: [][]string{{"", "", ""}, {"", "x", ""}}},
		{name: "quoting", in: "A,B\n\"x,y\",\"say \"\"hi\"\"\"\n\"\"\"\",\"\"\n", f: Default,
			header: []string{"A", "B"}, recs: [][]string{{"x,y", `say "hi"`}, {`"`, ""}}},
		{name: "newlines inside quotes", in: "A,B\n\"l1\nl2\",x\n\"r1\r\nr2\",y\nlast,z\n", f: Default,
			header: []string{"A", "B"}, recs: [][]string{{"l1\nl2", "x"}, {"r1\r\nr2", "y"}, {"last", "z"}}},
		{name: "line numbers count newlines in quotes", in: "A,B\n\"l1\nl2\nl3\",x\na,b,c\n", f: Default,
			header: []string{"A", "B"}, recs: [][]string{{"l1\nl2\nl3", "x"}}, errs: []string{"Line 5: expected 2 columns, found 3"}},
		{name: "unicode", in: "Name,City\nZoë,東京\n\"😀,x\",y\n", f: Default,
			header: []string{"Name", "City"}, recs: [][]string{{"Zoë", "東京"}, {"😀,x", "y"}}},
		{name: "#N/A is text here", in: "A\n#N/A\n", f: Default, header: []string{"A"}, recs: [][]string{{"#N/A"}}},
		{name: "field count", in: "A,B,C\n1,2,3\n1,2,3,4\n1,2\n1,2,3\n", f: Default,
			header: []string{"A", "B", "C"}, recs: [][]string{{"1", "2", "3"}, {"1", "2", "3"}},
			errs: []string{"Line 3: expected 3 columns, found 4", "Line 4: expected 3 columns, found 2"}},
		{name: "CRLF file", in: "A,B\r\n1,2\r\n\"x\r\ny\",3\r\n", f: crlf,
			header: []string{"A", "B"}, recs: [][]string{{"1", "2"}, {"x\r\ny", "3"}}},
		{name: "CRLF file, empty last line", in: "A\r\n1\r\n\r\n", f: crlf, header: []string{"A"}, recs: [][]string{{"1"}}},
		{name: "CRLF data in an LF job", in: "A,B\r\n1,2\r\n", f: Default, errs: []string{fmt.Sprintf(lfErr, 1)}},
		{name: "LF data in a CRLF job", in: "A,B\n1,2\n", f: crlf, errs: []string{fmt.Sprintf(crlfErr, 1)}},
		{name: "mixed: one CRLF record in an LF job", in: "A\n1\n2\r\n3\n", f: Default,
			header: []string{"A"}, recs: [][]string{{"1"}, {"3"}}, errs: []string{fmt.Sprintf(lfErr, 3)}},
		{name: "lone CR is data in LF", in: "A,B\nx\ry,z\n", f: Default, header: []string{"A", "B"}, recs: [][]string{{"x\ry", "z"}}},
		{name: "space after quote", in: "A,B\n\"John\" ,Smith\nx,y\n", f: Default, header: []string{"A", "B"},
			recs: [][]string{{"x", "y"}}, errs: []string{"Line 2: a quoted value must be followed by the delimiter or the line end"}},
		{name: "space before quote", in: "A,B\n\"John\", \"Smith\"\n", f: Default, header: []string{"A", "B"},
			errs: []string{"Line 2: a double quote inside an unquoted value; quote the value and double the quote"}},
		{name: "bare quote", in: "A\nab\"c\"\nx\n", f: Default, header: []string{"A"}, recs: [][]string{{"x"}},
			errs: []string{"Line 2: a double quote inside an unquoted value; quote the value and double the quote"}},
		{name: "unclosed quote", in: "A\n\"abc\nx\n", f: Default, header: []string{"A"},
			errs: []string{"Line 2: a quoted value is not closed"}},
		{name: "empty input", in: "", f: Default, errs: []string{ErrNoHeader.Error()}},
		{name: "BOM only", in: "\uFEFF", f: Default, errs: []string{ErrNoHeader.Error()}},
		{name: "newline only", in: "\n", f: Default, errs: []string{ErrNoHeader.Error()}},
		{name: "empty column name", in: "A,,C\n", f: Default, errs: []string{"Line 1: column 2 of the header has no name"}},
		{name: "duplicate column", in: "Name,Id,name\n", f: Default,
			errs: []string{`Line 1: duplicate column name "name" in the header (columns 1 and 3)`}},
	}
	for _, d := range delimiters {
		f := Format{Delimiter: d.r}
		s := string(d.r)
		tests = append(tests, struct {
			name   string
			in     string
			f      Format
			header []string
			recs   [][]string
			errs   []string
		}{name: "delimiter " + d.name, f: f,
			in:     "A" + s + "B" + s + "C\n" + "x" + s + "\"y" + s + "z\"" + s + "a,b;c|d^e`f\tg\n",
			header: []string{"A", "B", "C"}, recs: [][]string{{"x", "y" + s + "z", strings.ReplaceAll("a,b;c|d^e`f\tg", s, "")}}})
		if d.r != ',' { // the last value above holds the other delimiters; drop this one
			tests[len(tests)-1].in = "A" + s + "B" + s + "C\n" + "x" + s + "\"y" + s + "z\"" + s + strings.ReplaceAll("a,b;c|d^e`f\tg", s, "") + "\n"
		} else {
			tests[len(tests)-1].in = "A,B,C\nx,\"y,z\"," + "ab;c|d^e`f\tg\n"
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header, recs, errs := readAll(tt.in, tt.f)
			if diff := cmp.Diff(tt.header, header); diff != "" {
				t.Errorf("header (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.recs, recs); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.errs, errs); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReaderLineAndOffset(t *testing.T) {
	in := "\uFEFFA,B\n\"1\n2\",x\ny,z\n"
	r := NewReader(strings.NewReader(in), Default)
	if _, err := r.Header(); err != nil {
		t.Fatal(err)
	}
	type pos struct {
		Line   int
		Offset int64
	}
	got := []pos{{r.Line(), r.Offset()}}
	for {
		if _, err := r.Read(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		got = append(got, pos{r.Line(), r.Offset()})
	}
	got = append(got, pos{r.Line(), r.Offset()})
	want := []pos{{1, 3 + 4}, {2, 3 + 4 + 8}, {4, int64(len(in))}, {4, int64(len(in))}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("positions (-want +got):\n%s", diff)
	}
}

func TestReaderRecordLimit(t *testing.T) {
	// An unclosed quote swallows the rest of the input; it stops at MaxRecordSize.
	in := io.MultiReader(strings.NewReader("A\n\""), &endless{})
	r := NewReader(in, Default)
	_, err := r.Read()
	var e *Error
	if !errors.As(err, &e) || e.Line != 2 || !strings.Contains(e.Msg, "longer than 33554432 bytes") {
		t.Fatalf("err = %v, want the size error at line 2", err)
	}
	if _, err2 := r.Read(); err2 != err {
		t.Errorf("error not sticky: %v", err2)
	}
}

// endless is an input that never ends and has no line break.
type endless struct{}

func (*endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

func TestReaderReusesSlice(t *testing.T) {
	r := NewReader(strings.NewReader("A,B\n1,2\n3,4\n"), Default)
	a, _ := r.Read()
	first := a[0]
	b, _ := r.Read()
	if &a[0] != &b[0] {
		t.Error("slice not reused")
	}
	if first != "1" {
		t.Errorf("kept string changed to %q", first)
	}
}

func TestReaderInvalidFormat(t *testing.T) {
	if _, err := NewReader(strings.NewReader("A\n"), Format{Delimiter: '\n'}).Header(); err == nil {
		t.Fatal("newline delimiter: no error")
	}
}
