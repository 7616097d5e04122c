package bulkv1

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

func readXML(body string) ([][]XMLField, error) {
	var recs [][]XMLField
	err := ReadXMLRecords(strings.NewReader(body), func(f []XMLField) error {
		recs = append(recs, f)
		return nil
	})
	return recs, err
}

func readJSON(body string) ([][]JSONField, error) {
	var recs [][]JSONField
	err := ReadJSONRecords(strings.NewReader(body), func(f []JSONField) error {
		recs = append(recs, f)
		return nil
	})
	return recs, err
}

func TestReadXMLRecords(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       [][]XMLField
	}{
		{"docs example with nil and relationship", `<?xml version="1.0" encoding="UTF-8"?>
<sObjects xmlns="http://www.force.com/2009/06/asyncapi/dataload" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <sObject>
    <Name>Acme &amp; Co</Name>
    <Phone xsi:nil="true"/>
    <Account><External_Id__c>X</External_Id__c></Account>
    <Description>  two
lines  </Description>
  </sObject>
  <sObject><Name>B</Name><Empty></Empty><Owner><Manager><Ext__c>M</Ext__c></Manager></Owner></sObject>
</sObjects>`, [][]XMLField{
			{{Name: "Name", Value: "Acme & Co"}, {Name: "Phone", Null: true}, {Name: "Account.External_Id__c", Value: "X"},
				{Name: "Description", Value: "  two\nlines  "}},
			{{Name: "Name", Value: "B"}, {Name: "Empty"}, {Name: "Owner.Manager.Ext__c", Value: "M"}},
		}},
		{"no namespace, undeclared xsi prefix, nil relationship", `<sObjects><sObject><Account xsi:nil="1"/><x xsi:nil="false">v</x></sObject></sObjects>`,
			[][]XMLField{{{Name: "Account", Null: true}, {Name: "x", Value: "v"}}}},
		{"empty list", `<sObjects xmlns="http://www.force.com/2009/06/asyncapi/dataload"/>`, nil},
		{"empty record", `<sObjects><sObject/></sObjects>`, [][]XMLField{nil}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readXML(tc.body)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("-want +got:\n%s", diff)
			}
		})
	}
}

func TestReadJSONRecords(t *testing.T) {
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }
	for _, tc := range []struct {
		name, body string
		want       [][]JSONField
	}{
		{"simple-salesforce records", `[{"Name": "Acme", "NumberOfEmployees": 1.5e3, "Phone": null, "IsActive__c": true},
			{"attributes": {"type": "Account", "url": "/x"}, "Id": "001000000000001AAA", "Name": "B\u00e9"}]`, [][]JSONField{
			{{"Name", raw(`"Acme"`)}, {"NumberOfEmployees", raw(`1.5e3`)}, {"Phone", raw(`null`)}, {"IsActive__c", raw(`true`)}},
			{{"Id", raw(`"001000000000001AAA"`)}, {"Name", raw(`"B\u00e9"`)}},
		}},
		{"relationships, attributes nested, order kept", `[{"Z":"1","Account":{"attributes":{"type":"Account"},"Ext__c":"X"},` +
			`"Owner":{"Manager":{"Ext__c":"M"}},"A":"2","Parent":null,"Multi":["a","b"]}]`, [][]JSONField{
			{{"Z", raw(`"1"`)}, {"Account.Ext__c", raw(`"X"`)}, {"Owner.Manager.Ext__c", raw(`"M"`)}, {"A", raw(`"2"`)},
				{"Parent", raw(`null`)}, {"Multi", raw(`["a","b"]`)}},
		}},
		{"empty array", " [ ] \n", nil},
		{"empty record", `[{}]`, [][]JSONField{nil}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readJSON(tc.body)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("-want +got:\n%s", diff)
			}
		})
	}
}

func TestReadRecordsErrors(t *testing.T) {
	// okXML's field is a.a.a.a.a.b: five relationship levels; deepXML's six.
	deepXML := "<sObjects><sObject>" + strings.Repeat("<a>", MaxRelationshipDepth+2) + "v" +
		strings.Repeat("</a>", MaxRelationshipDepth+2) + "</sObject></sObjects>"
	okXML := "<sObjects><sObject>" + strings.Repeat("<a>", MaxRelationshipDepth) + "<b>v</b>" +
		strings.Repeat("</a>", MaxRelationshipDepth) + "</sObject></sObjects>"
	deepJSON := `[{` + strings.Repeat(`"a":{`, MaxRelationshipDepth+1) + `"b":1` + strings.Repeat("}", MaxRelationshipDepth+1) + `}]`
	var wideXML, wideJSON strings.Builder
	wideXML.WriteString("<sObjects><sObject>")
	wideJSON.WriteString("[{")
	for i := range MaxFieldsPerRecord + 1 {
		fmt.Fprintf(&wideXML, "<f%d>x</f%d>", i, i)
		fmt.Fprintf(&wideJSON, `"f%d":1,`, i)
	}
	wideXML.WriteString("</sObject></sObjects>")
	wideJSON.WriteString(`"last":1}]`)

	for _, tc := range []struct {
		name, body string
		json       bool
		want       *Error
	}{
		{"XML empty", "  ", false, &Error{ClientInputError, "Unable to find any data to create batch"}},
		{"XML wrong root", "<records/>", false, &Error{InvalidBatch, "Expected element sObjects, found records"}},
		{"XML wrong record", "<sObjects><record/></sObjects>", false, &Error{InvalidBatch, "Expected element sObject, found record"}},
		{"XML malformed", "<sObjects><sObject><a></b></sObject></sObjects>", false, &Error{InvalidBatch,
			"Failed to parse XML: XML syntax error on line 1: element <a> closed by </b>"}},
		{"XML cut", "<sObjects><sObject><a>x", false, &Error{InvalidBatch, "Failed to parse XML: XML syntax error on line 1: unexpected EOF"}},
		{"XML too deep", deepXML, false, &Error{InvalidBatch, "Relationship a.a.a.a.a.a nested deeper than 5"}},
		{"XML too wide", wideXML.String(), false, &Error{InvalidBatch, "A record has more than 1000 fields"}},
		{"JSON empty", "", true, &Error{ClientInputError, "Unable to find any data to create batch"}},
		{"JSON object", `{"Name":"x"}`, true, &Error{InvalidBatch, "Failed to parse JSON: expected an array of records"}},
		{"JSON array of strings", `["x"]`, true, &Error{InvalidBatch, "Failed to parse JSON: expected a record object"}},
		{"JSON empty key", `[{"":1}]`, true, &Error{InvalidBatch, "A record has a field with an empty name"}},
		{"JSON malformed", `[{"a":}]`, true, &Error{InvalidBatch, "Failed to parse JSON: invalid character '}' looking for beginning of value"}},
		{"JSON cut", `[{"a":1}`, true, &Error{InvalidBatch, "Failed to parse JSON: unexpected end of body"}},
		{"JSON trailing", `[] []`, true, &Error{InvalidBatch, "Failed to parse JSON: data after the array of records"}},
		{"JSON too deep", deepJSON, true, &Error{InvalidBatch, "Relationship a.a.a.a.a.a nested deeper than 5"}},
		{"JSON too wide", wideJSON.String(), true, &Error{InvalidBatch, "A record has more than 1000 fields"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if tc.json {
				_, err = readJSON(tc.body)
			} else {
				_, err = readXML(tc.body)
			}
			if diff := cmp.Diff(tc.want, err); diff != "" {
				t.Errorf("-want +got:\n%s", diff)
			}
		})
	}
	if recs, err := readXML(okXML); err != nil || len(recs) != 1 || recs[0][0].Name != "a.a.a.a.a.b" {
		t.Errorf("XML depth %d refused: %v %v", MaxRelationshipDepth, recs, err)
	}
	okJSON := `[{` + strings.Repeat(`"a":{`, MaxRelationshipDepth) + `"b":1` + strings.Repeat("}", MaxRelationshipDepth) + `}]`
	if recs, err := readJSON(okJSON); err != nil || len(recs) != 1 || recs[0][0].Name != "a.a.a.a.a.b" {
		t.Errorf("JSON depth %d refused: %v %v", MaxRelationshipDepth, recs, err)
	}
}

// fn's error and the reader's error come back as they are.
func TestReadRecordsPassErrors(t *testing.T) {
	stop := errors.New("stop")
	if err := ReadXMLRecords(strings.NewReader("<sObjects><sObject/><sObject/></sObjects>"), func([]XMLField) error { return stop }); err != stop {
		t.Errorf("XML fn error: %v", err)
	}
	if err := ReadJSONRecords(strings.NewReader("[{},{}]"), func([]JSONField) error { return stop }); err != stop {
		t.Errorf("JSON fn error: %v", err)
	}
	tooLarge := errors.New("http: request body too large")
	body := func(s string) io.Reader { return io.MultiReader(strings.NewReader(s), iotest.ErrReader(tooLarge)) }
	if err := ReadXMLRecords(body("<sObjects><sObject><a>x"), func([]XMLField) error { return nil }); err != tooLarge {
		t.Errorf("XML read error: %v", err)
	}
	if err := ReadJSONRecords(body(`[{"a":`), func([]JSONField) error { return nil }); err != tooLarge {
		t.Errorf("JSON read error: %v", err)
	}
}
