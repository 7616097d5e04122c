package bulkv1

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/forcefield/forcefield/internal/bulk"
)

func readAll(t *testing.T, src bulk.Source) ([][]bulk.Cell, error) {
	t.Helper()
	if src.Columns() != nil {
		t.Error("XML and JSON sources have no columns")
	}
	var out [][]bulk.Cell
	for {
		cells, values, err := src.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		if values != nil {
			t.Error("values are for Bulk 2.0 results only")
		}
		out = append(out, cells)
	}
}

func TestDecodeXML(t *testing.T) {
	src, _ := DecodeXML(strings.NewReader(`<?xml version="1.0" encoding="UTF-8"?>
<sObjects xmlns="http://www.force.com/2009/06/asyncapi/dataload" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <sObject><Name>A &amp; B</Name><Phone xsi:nil="true"/><Account><Ext__c>X1</Ext__c></Account></sObject>
  <sObject><Name></Name></sObject>
</sObjects>`))
	got, err := readAll(t, src)
	want := [][]bulk.Cell{
		{{Name: "Name", Text: "A & B"}, {Name: "Phone", Null: true}, {Name: "Account.Ext__c", Text: "X1"}},
		{{Name: "Name"}},
	}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v %v\nwant %+v", got, err, want)
	}
}

func TestDecodeJSON(t *testing.T) {
	src, _ := DecodeJSON(strings.NewReader(`[{"attributes":{"type":"Account"},"Name":"A","Amount":1.5,"Phone":null,"Account":{"Ext__c":"X1"}},{}]`))
	got, err := readAll(t, src)
	want := [][]bulk.Cell{
		{{Name: "Name", Raw: []byte(`"A"`)}, {Name: "Amount", Raw: []byte(`1.5`)}, {Name: "Phone", Null: true}, {Name: "Account.Ext__c", Raw: []byte(`"X1"`)}},
		{},
	}
	if err != nil || len(got) != 2 || !reflect.DeepEqual(got[0], want[0]) || len(got[1]) != 0 {
		t.Errorf("got %+v %v\nwant %+v", got, err, want)
	}
}

// A malformed body is a *bulk.FormatError (the batch fails with it) after the records
// before the error; the engine maps nothing else.
func TestDecodeErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		dec  bulk.Decoder
		body string
		n    int
		msg  string
	}{
		{"xml cut", DecodeXML, `<sObjects><sObject><Name>a</Name></sObject><sObject>`, 1, "InvalidBatch : Failed to parse XML: "},
		{"xml root", DecodeXML, `<records/>`, 0, "InvalidBatch : Expected element sObjects, found records"},
		{"xml empty", DecodeXML, ``, 0, "ClientInputError : Unable to find any data to create batch"},
		{"json cut", DecodeJSON, `[{"Name":"a"},{"Name":`, 1, "InvalidBatch : Failed to parse JSON: "},
		{"json object", DecodeJSON, `{"Name":"a"}`, 0, "InvalidBatch : Failed to parse JSON: expected an array of records"},
		{"json trailing", DecodeJSON, `[{"Name":"a"}] []`, 1, "InvalidBatch : Failed to parse JSON: data after the array of records"},
	} {
		src, _ := c.dec(strings.NewReader(c.body))
		got, err := readAll(t, src)
		var fe *bulk.FormatError
		if len(got) != c.n || !errors.As(err, &fe) || !strings.HasPrefix(fe.Message, c.msg) {
			t.Errorf("%s: %d records, %v; want %d, %q…", c.name, len(got), err, c.n, c.msg)
		}
		if _, _, again := src.Next(); !errors.Is(again, err) && again.Error() != err.Error() {
			t.Errorf("%s: Next after an error: %v", c.name, again)
		}
	}
}

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// The sources pull: reading the first record of a large batch reads a small prefix of
// it, and stopping there leaves nothing behind (no goroutine, nothing buffered).
func TestDecodeStreams(t *testing.T) {
	const n = 20000
	xmlBody := "<sObjects>" + strings.Repeat("<sObject><Name>record</Name></sObject>", n) + "</sObjects>"
	jsonBody := "[" + strings.Repeat(`{"Name":"record"},`, n) + `{"Name":"last"}]`
	for name, c := range map[string]struct {
		dec  bulk.Decoder
		body string
	}{"xml": {DecodeXML, xmlBody}, "json": {DecodeJSON, jsonBody}} {
		cr := &countingReader{r: strings.NewReader(c.body)}
		src, _ := c.dec(cr)
		if _, _, err := src.Next(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if cr.n > 64<<10 || cr.n >= len(c.body) {
			t.Errorf("%s: read %d of %d bytes for one record", name, cr.n, len(c.body))
		}
	}
}
