package bulkv1

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var (
	okRow     = Result{ID: "001D000000ISUr3IAH", Success: true, Created: true}
	failedRow = Result{Errors: []ResultError{{StatusCode: "REQUIRED_FIELD_MISSING", Message: "Required fields are missing: [Name]", Fields: []string{"Name"}}}}
)

func TestResultWriter(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    Format
		rows []Result
		want string
	}{
		{"XML", FormatXML, []Result{okRow, failedRow}, `<?xml version="1.0" encoding="UTF-8"?><results
   xmlns="http://www.force.com/2009/06/asyncapi/dataload">
 <result>
  <id>001D000000ISUr3IAH</id>
  <success>true</success>
  <created>true</created>
 </result>
 <result>
  <errors>
   <fields>Name</fields>
   <message>Required fields are missing: [Name]</message>
   <statusCode>REQUIRED_FIELD_MISSING</statusCode>
  </errors>
  <success>false</success>
  <created>false</created>
 </result>
</results>`},
		{"XML empty", FormatXML, nil, `<?xml version="1.0" encoding="UTF-8"?><results
   xmlns="http://www.force.com/2009/06/asyncapi/dataload">
</results>`},
		{"JSON (§4.5)", FormatJSON, []Result{okRow}, `[{"success":true,"created":true,"id":"001D000000ISUr3IAH","errors":[]}]`},
		{"JSON failed row", FormatJSON, []Result{okRow, failedRow, {Errors: []ResultError{{StatusCode: "X", Message: "m"}}}},
			`[{"success":true,"created":true,"id":"001D000000ISUr3IAH","errors":[]},` +
				`{"success":false,"created":false,"id":null,"errors":[{"statusCode":"REQUIRED_FIELD_MISSING","message":"Required fields are missing: [Name]","fields":["Name"]}]},` +
				`{"success":false,"created":false,"id":null,"errors":[{"statusCode":"X","message":"m","fields":[]}]}]`},
		{"JSON empty", FormatJSON, nil, `[]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			rw := NewResultWriter(&buf, tc.f)
			for _, r := range tc.rows {
				if err := rw.Write(r); err != nil {
					t.Fatal(err)
				}
			}
			if err := rw.Close(); err != nil {
				t.Fatal(err)
			}
			if err := rw.Close(); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, buf.String()); diff != "" {
				t.Errorf("-want +got:\n%s", diff)
			}
			if err := rw.Write(okRow); err == nil {
				t.Error("Write after Close succeeded")
			}
		})
	}
}

// 10,000 rows stream out in one piece per row and stay well-formed.
func TestResultWriterLarge(t *testing.T) {
	for _, f := range []Format{FormatXML, FormatJSON} {
		cw := &countWriter{}
		rw := NewResultWriter(cw, f)
		for i := range 10000 {
			r := okRow
			if i%7 == 0 {
				r = failedRow
			}
			if err := rw.Write(r); err != nil {
				t.Fatal(err)
			}
		}
		if err := rw.Close(); err != nil {
			t.Fatal(err)
		}
		if cw.writes != 10001 {
			t.Errorf("%v: %d writes", f, cw.writes)
		}
		if f == FormatJSON {
			var rows []map[string]any
			if err := json.Unmarshal(cw.buf.Bytes(), &rows); err != nil || len(rows) != 10000 {
				t.Errorf("JSON: %d rows, %v", len(rows), err)
			}
			continue
		}
		var doc struct {
			Results []struct {
				ID      string `xml:"id"`
				Success bool   `xml:"success"`
			} `xml:"result"`
		}
		if err := xml.Unmarshal(cw.buf.Bytes(), &doc); err != nil || len(doc.Results) != 10000 || doc.Results[1].ID != okRow.ID {
			t.Errorf("XML: %d rows, %v", len(doc.Results), err)
		}
	}
}

type countWriter struct {
	buf    bytes.Buffer
	writes int
}

func (c *countWriter) Write(p []byte) (int, error) {
	c.writes++
	return c.buf.Write(p)
}

type failWriter struct{ n int }

func (f *failWriter) Write(p []byte) (int, error) {
	if f.n == 0 {
		return 0, errors.New("broken pipe")
	}
	f.n--
	return len(p), nil
}

func TestResultWriterStickyError(t *testing.T) {
	rw := NewResultWriter(&failWriter{n: 1}, FormatJSON)
	if err := rw.Write(okRow); err != nil {
		t.Fatal(err)
	}
	if err := rw.Write(okRow); err == nil || err.Error() != "broken pipe" {
		t.Fatalf("second write: %v", err)
	}
	if err := rw.Close(); err == nil || err.Error() != "broken pipe" {
		t.Fatalf("close: %v", err)
	}
}
