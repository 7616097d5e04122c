package bulkv1

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
)

// Every failure of the parsers is an *Error with a known code and a message.
func checkErr(t *testing.T, input []byte, err error, codes ...string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Message == "" {
		t.Fatalf("%q: error %#v", input, err)
	}
	for _, c := range codes {
		if e.Code == c {
			return
		}
	}
	t.Fatalf("%q: code %s, want one of %v", input, e.Code, codes)
}

// FuzzParseJobInfo: any body, as XML and as JSON, parses to canonical enum values or fails
// with InvalidXML/InvalidJob/ClientInputError — never a panic.
func FuzzParseJobInfo(f *testing.F) {
	for _, s := range []string{
		jsforceOpen, jsforceClose, `{"state":"Closed"}`, `{"operation":"insert","object":"A","concurrencyMode":1}`,
		`<jobInfo><state>Closed</state></jobInfo>`, `<?xml version="1.0" encoding="latin1"?><jobInfo/>`,
		`<!DOCTYPE x [<!ENTITY a "b">]><jobInfo><object>&a;</object></jobInfo>`, `<jobInfo><object><![CDATA[x]]></object>`,
		`{"concurrencyMode":0.0}`, `{"state":null}`, `[]`, ``, `<`, "\ufeff<jobInfo/>", `<a:jobInfo xmlns:a="x"/>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, ct := range []string{"application/xml", "application/json"} {
			r, err := ParseJobInfo(body, ct)
			if err != nil {
				checkErr(t, body, err, InvalidXML, InvalidJob, ClientInputError)
				continue
			}
			for _, v := range []struct {
				got   string
				allow []string
			}{{r.Operation, operations}, {r.ConcurrencyMode, concurrency}, {r.ContentType, contentTypes}, {r.State, jobStates}} {
				if c, ok := canonical(v.got, v.allow); v.got != "" && (!ok || c != v.got) {
					t.Fatalf("%q as %s: non-canonical %q", body, ct, v.got)
				}
			}
		}
	})
}

// FuzzReadXMLRecords: any body yields records within the bounds or an InvalidBatch /
// ClientInputError — never a panic, never more than MaxFieldsPerRecord fields. (Depth is
// checked by TestReadRecordsErrors: XML names may themselves hold dots.)
func FuzzReadXMLRecords(f *testing.F) {
	for _, s := range []string{
		`<sObjects xmlns="http://www.force.com/2009/06/asyncapi/dataload"><sObject><Name>A</Name><Phone xsi:nil="true"/>` +
			`<Account><External_Id__c>X</External_Id__c></Account></sObject></sObjects>`,
		`<sObjects/>`, `<sObjects><sObject/><sObject><a><b><c>1</c></b></a></sObject></sObjects>`, ``, `<x/>`,
		`<sObjects><sObject><a>`, `<sObjects><sObject><a xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true">t</a></sObject></sObjects>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		err := ReadXMLRecords(bytes.NewReader(body), func(fields []XMLField) error {
			if len(fields) > MaxFieldsPerRecord {
				t.Fatalf("%q: %d fields", body, len(fields))
			}
			for _, fl := range fields {
				if fl.Name == "" {
					t.Fatalf("%q: field name %q", body, fl.Name)
				}
				if fl.Null && fl.Value != "" {
					t.Fatalf("%q: null field %q with a value", body, fl.Name)
				}
			}
			return nil
		})
		if err != nil {
			checkErr(t, body, err, InvalidBatch, ClientInputError)
		}
	})
}

// FuzzReadJSONRecords: any body yields fields whose values are valid JSON (never an
// object), within the bounds, or an InvalidBatch / ClientInputError — never a panic.
func FuzzReadJSONRecords(f *testing.F) {
	for _, s := range []string{
		`[{"Name":"Acme","Phone":null,"Account":{"attributes":{"type":"Account"},"Ext__c":"X"}}]`,
		`[]`, `[{}]`, `{}`, `[1]`, `[{"a":[{"b":1}]}]`, `[{"a":{"b":{"c":{}}}}]`, ``, `[`, `[{"a":1}] x`, `[{"":1}]`,
		`[{"a":"\ud800"}]`, "[{\"a\":1e999}]",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		err := ReadJSONRecords(bytes.NewReader(body), func(fields []JSONField) error {
			if len(fields) > MaxFieldsPerRecord {
				t.Fatalf("%q: %d fields", body, len(fields))
			}
			for _, fl := range fields {
				if fl.Name == "" {
					t.Fatalf("%q: field name %q", body, fl.Name)
				}
				if !json.Valid(fl.Value) || fl.Value[0] == '{' {
					t.Fatalf("%q: field %q value %q", body, fl.Name, fl.Value)
				}
			}
			return nil
		})
		if err != nil {
			checkErr(t, body, err, InvalidBatch, ClientInputError)
		}
	})
}
