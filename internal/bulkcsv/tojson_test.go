package bulkcsv

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/schema"
)

func field(typ schema.FieldType) *schema.Field {
	return &schema.Field{Name: "F__c", Label: "F", Type: typ}
}

func TestToJSON(t *testing.T) {
	tests := []struct {
		typ     schema.FieldType
		text    string
		raw     string // "" when an error is expected
		null    bool
		errType string // the xsd type of the ValueError
	}{
		{schema.TypeString, "#N/A", "null", true, ""},
		{schema.TypeInt, "#N/A", "null", true, ""},
		{schema.TypeDateTime, "#N/A", "null", true, ""},
		{schema.TypeString, "#n/a", `"#n/a"`, false, ""},
		{schema.TypeString, "", "null", false, ""},
		{schema.TypeBoolean, "", "null", false, ""},
		{schema.TypeString, `say "hi", <b>&`, `"say \"hi\", \u003cb\u003e\u0026"`, false, ""},
		{schema.TypeString, " kept ", `" kept "`, false, ""},
		{schema.TypeTextArea, "l1\nl2", `"l1\nl2"`, false, ""},
		{schema.TypePicklist, "Hot", `"Hot"`, false, ""},
		{schema.TypeMultiPicklist, "A;B", `"A;B"`, false, ""},
		{schema.TypeEmail, "a@b.co", `"a@b.co"`, false, ""},
		{schema.TypeReference, "001000000000001AAA", `"001000000000001AAA"`, false, ""},
		{schema.TypeString, "東京", `"東京"`, false, ""},

		{schema.TypeBoolean, "true", "true", false, ""},
		{schema.TypeBoolean, "TRUE", "true", false, ""},
		{schema.TypeBoolean, "False", "false", false, ""},
		{schema.TypeBoolean, "1", "true", false, ""},
		{schema.TypeBoolean, "0", "false", false, ""},
		{schema.TypeBoolean, " true ", "true", false, ""},
		{schema.TypeBoolean, "yes", "", false, "boolean"},
		{schema.TypeBoolean, "no", "", false, "boolean"},
		{schema.TypeBoolean, "2", "", false, "boolean"},
		{schema.TypeBoolean, "t", "", false, "boolean"},

		{schema.TypeInt, "42", "42", false, ""},
		{schema.TypeInt, "+5", "5", false, ""},
		{schema.TypeInt, "-7", "-7", false, ""},
		{schema.TypeInt, "007", "7", false, ""},
		{schema.TypeInt, "-0", "-0", false, ""},
		{schema.TypeInt, "1.5", "", false, "int"},
		{schema.TypeInt, "1e3", "", false, "int"},
		{schema.TypeInt, "1,000", "", false, "int"},
		{schema.TypeInt, "abc", "", false, "int"},
		{schema.TypeInt, "-", "", false, "int"},

		{schema.TypeDouble, "12.5", "12.5", false, ""},
		{schema.TypeDouble, "+5", "5", false, ""},
		{schema.TypeDouble, ".5", "0.5", false, ""},
		{schema.TypeDouble, "-.5", "-0.5", false, ""},
		{schema.TypeDouble, "5.", "5", false, ""},
		{schema.TypeDouble, "00.50", "0.50", false, ""},
		{schema.TypeDouble, "1.5E7", "1.5E7", false, ""},
		{schema.TypeDouble, "1e-04", "1e-04", false, ""},
		{schema.TypeDouble, "2.E+3", "2E+3", false, ""},
		{schema.TypeCurrency, "1000000.25", "1000000.25", false, ""},
		{schema.TypePercent, "12", "12", false, ""},
		{schema.TypeDouble, ".", "", false, "double"},
		{schema.TypeDouble, "1e", "", false, "double"},
		{schema.TypeDouble, "INF", "", false, "double"},
		{schema.TypeDouble, "NaN", "", false, "double"},
		{schema.TypeDouble, "1,5", "", false, "double"},
		{schema.TypeCurrency, "$5", "", false, "double"},
		{schema.TypeDouble, "0x10", "", false, "double"},

		{schema.TypeDate, "2024-01-31", `"2024-01-31"`, false, ""},
		{schema.TypeDate, "2024-01-31T23:30:00-05:00", `"2024-01-31"`, false, ""},
		{schema.TypeDate, "2024-01-31T10:00:00.000Z", `"2024-01-31"`, false, ""},
		{schema.TypeDate, "2024-02-30", "", false, "date"},
		{schema.TypeDate, "1/31/2024", "", false, "date"},
		{schema.TypeDate, "2024-1-31", "", false, "date"},
		{schema.TypeDate, "2024-01-31T", "", false, "date"},
		{schema.TypeDate, "2024-01-31Z", "", false, "date"},

		{schema.TypeDateTime, "2024-01-31T10:00:00.000Z", `"2024-01-31T10:00:00.000+0000"`, false, ""},
		{schema.TypeDateTime, "2024-01-31T10:00:00Z", `"2024-01-31T10:00:00.000+0000"`, false, ""},
		{schema.TypeDateTime, "2024-01-31T10:00:00", `"2024-01-31T10:00:00.000+0000"`, false, ""},
		{schema.TypeDateTime, "2002-10-10T12:00:00+05:00", `"2002-10-10T07:00:00.000+0000"`, false, ""},
		{schema.TypeDateTime, "2002-10-10T00:00:00+0500", `"2002-10-09T19:00:00.000+0000"`, false, ""},
		{schema.TypeDateTime, "2024-01-31T10:00:00.123456-01:30", `"2024-01-31T11:30:00.123+0000"`, false, ""},
		{schema.TypeDateTime, "2024-01-31", `"2024-01-31T00:00:00.000+0000"`, false, ""},
		{schema.TypeDateTime, "2024-01-31 10:00:00", "", false, "dateTime"},
		{schema.TypeDateTime, "2024-01-31T24:00:00Z", "", false, "dateTime"},
		{schema.TypeDateTime, "2024-01-31T10:00Z", "", false, "dateTime"},
		{schema.TypeDateTime, "2024-01-31T10:00:00.Z", "", false, "dateTime"},
		{schema.TypeDateTime, "2024-01-31T10:00:00+5:00", "", false, "dateTime"},
		{schema.TypeDateTime, "0000-01-01", "", false, "dateTime"},
		{schema.TypeDateTime, "yesterday", "", false, "dateTime"},
	}
	for _, tt := range tests {
		raw, null, err := ToJSON(field(tt.typ), tt.text)
		if tt.errType != "" {
			var ve *ValueError
			if !errors.As(err, &ve) || ve.Type != tt.errType || ve.Text != tt.text || ve.Field != "F__c" {
				t.Errorf("ToJSON(%s, %q) = %s, %v; want a ValueError for xsd:%s", tt.typ, tt.text, raw, err, tt.errType)
			}
			continue
		}
		if err != nil || string(raw) != tt.raw || null != tt.null {
			t.Errorf("ToJSON(%s, %q) = %s, %v, %v; want %s, %v", tt.typ, tt.text, raw, null, err, tt.raw, tt.null)
		}
		if !json.Valid(raw) {
			t.Errorf("ToJSON(%s, %q): invalid JSON %s", tt.typ, tt.text, raw)
		}
	}
}

// TestToJSONDecodes checks that schema.DecodeValue reads what ToJSON makes into the
// storage forms of records.go, and applies its own rules.
func TestToJSONDecodes(t *testing.T) {
	tests := []struct {
		f    *schema.Field
		text string
		want any
		code string // schema.ValueError code expected from DecodeValue
	}{
		{field(schema.TypeBoolean), "1", true, ""},
		{field(schema.TypeInt), "+0042", int64(42), ""},
		{field(schema.TypeDouble), ".25", 0.25, ""},
		{field(schema.TypeDouble), "1.5E3", 1500.0, ""},
		{field(schema.TypeDate), "2024-01-31T23:30:00-05:00", "2024-01-31", ""},
		{field(schema.TypeDateTime), "2024-01-31T10:00:00.5+01:00", time.Date(2024, 1, 31, 9, 0, 0, 5e8, time.UTC), ""},
		{field(schema.TypeString), "#N/A", nil, ""},
		{&schema.Field{Name: "S", Label: "S", Type: schema.TypeString, Length: 3}, "abcd", nil, schema.CodeStringTooLong},
		{field(schema.TypeEmail), "not-an-email", nil, schema.CodeInvalidEmail},
		{&schema.Field{Name: "N", Label: "N", Type: schema.TypeDouble, Precision: 3, Scale: 0}, "1e5", nil, schema.CodeNumberOutsideRange},
	}
	for _, tt := range tests {
		raw, _, err := ToJSON(tt.f, tt.text)
		if err != nil {
			t.Errorf("ToJSON(%s, %q): %v", tt.f.Type, tt.text, err)
			continue
		}
		got, err := schema.DecodeValue(tt.f, raw)
		if tt.code != "" {
			var ve *schema.ValueError
			if !errors.As(err, &ve) || ve.Code != tt.code {
				t.Errorf("DecodeValue(%s, %s) = %v, %v; want code %s", tt.f.Type, raw, got, err, tt.code)
			}
			continue
		}
		if err != nil {
			t.Errorf("DecodeValue(%s, %s): %v", tt.f.Type, raw, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("DecodeValue(%s, %s) (-want +got):\n%s", tt.f.Type, raw, diff)
		}
	}
}

func TestValueError(t *testing.T) {
	_, _, err := ToJSON(&schema.Field{Name: "Birthdate", Type: schema.TypeDate}, "6/15/19")
	var ve *ValueError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v", err)
	}
	if got, want := ve.Error(), "INVALID_FIELD:Failed to deserialize field. Due to, '6/15/19' is not a valid value for the type xsd:date"; got != want {
		t.Errorf("no column:\n got %s\nwant %s", got, want)
	}
	ve.Column = 4
	want := &schema.ValueError{
		Code:    "INVALID_FIELD",
		Message: "Failed to deserialize field at col 4. Due to, '6/15/19' is not a valid value for the type xsd:date",
		Fields:  []string{"Birthdate"},
	}
	if diff := cmp.Diff(want, ve.Schema()); diff != "" {
		t.Errorf("Schema (-want +got):\n%s", diff)
	}
}

var fuzzTypes = []schema.FieldType{
	schema.TypeID, schema.TypeString, schema.TypeTextArea, schema.TypeEmail, schema.TypePhone, schema.TypeURL,
	schema.TypeBoolean, schema.TypeInt, schema.TypeDouble, schema.TypeCurrency, schema.TypePercent,
	schema.TypeDate, schema.TypeDateTime, schema.TypePicklist, schema.TypeMultiPicklist, schema.TypeCombobox,
	schema.TypeReference,
}

// FuzzToJSON: ToJSON never panics; every success is valid JSON that schema.DecodeValue
// reads without panicking; every failure is a *ValueError.
func FuzzToJSON(f *testing.F) {
	for _, s := range []string{"#N/A", "", "true", "0", "+5", ".5", "5.", "1e308", "1e999", "-0",
		"2024-01-31", "2024-01-31T10:00:00.123+05:30", "2024-02-29T23:59:59Z", "\xff", "a\"b"} {
		f.Add(uint8(0), s)
	}
	f.Fuzz(func(t *testing.T, ti uint8, text string) {
		fld := &schema.Field{Name: "F", Label: "F", Type: fuzzTypes[int(ti)%len(fuzzTypes)], Precision: 18, Scale: 2, Length: 255}
		raw, null, err := ToJSON(fld, text)
		if err != nil {
			var ve *ValueError
			if !errors.As(err, &ve) {
				t.Fatalf("ToJSON(%s, %q): error %T %v", fld.Type, text, err, err)
			}
			return
		}
		if !json.Valid(raw) {
			t.Fatalf("ToJSON(%s, %q) = %q: invalid JSON", fld.Type, text, raw)
		}
		if null && string(raw) != "null" {
			t.Fatalf("ToJSON(%s, %q): null with %s", fld.Type, text, raw)
		}
		schema.DecodeValue(fld, raw)
	})
}
