package bulk

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Outcomes read back exactly as written: quotes, delimiters, LF, CRLF and lone CR inside
// values, unicode, empty values and fields lists.
func TestOutcomeRoundTrip(t *testing.T) {
	in := []Outcome{
		{Success: true, ID: "0015F0000000001QAA", Created: true, Values: []string{"Acme, \"Inc.\"", "a\r\nb", "c\rd\n", "", "Zoë ☃"}},
		{Code: "REQUIRED_FIELD_MISSING", Message: "Required fields are missing: [Name]", Fields: []string{"Name", "Other"}, Values: []string{"", "x"}},
		{Success: true, ID: "0015F0000000002QAA"},
	}
	w := newOutcomeWriter()
	for _, o := range in {
		w.add(o)
	}
	p := w.part()
	if p.Rows != 3 {
		t.Errorf("rows = %d", p.Rows)
	}
	var got []Outcome
	if err := readOutcomes(bytes.NewReader(p.Data), func(o *Outcome) error { got = append(got, *o); return nil }); err != nil {
		t.Fatal(err)
	}
	want := in
	want[2].Values = []string{} // no values: an empty list comes back
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	for _, bad := range []string{"x", "\"1\"", "\"1\",\"2\"\n", "\"1\"x"} {
		if err := readOutcomes(bytes.NewReader([]byte(bad)), func(*Outcome) error { return nil }); err == nil {
			t.Errorf("readOutcomes(%q) accepted", bad)
		}
	}
}
