package schema

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func mustField(t *testing.T, obj, field string) *Field {
	t.Helper()
	for _, o := range Standard() {
		if o.Name == obj {
			for i := range o.Fields {
				if o.Fields[i].Name == field {
					return &o.Fields[i]
				}
			}
		}
	}
	t.Fatalf("no field %s.%s", obj, field)
	return nil
}

func TestDecodeValue(t *testing.T) {
	ms := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		obj, field, raw string
		want            any
	}{
		{"Account", "Name", `"Acme"`, "Acme"},
		{"Account", "Name", `null`, nil},
		{"Account", "Name", `""`, nil},
		{"Account", "Name", `123`, "123"},
		{"Account", "Name", `true`, "true"},
		{"Account", "Name", `"é漢字"`, "é漢字"},
		{"Account", "Site", `"` + string(make80('x')) + `"`, string(make80('x'))},
		{"Account", "ParentId", `"001000000000001"`, "001000000000001AAA"},
		{"Account", "ParentId", `"001000000000001AAA"`, "001000000000001AAA"},
		{"Account", "ParentId", `""`, nil},
		{"Account", "Type", `"Prospect"`, "Prospect"},
		{"Account", "Type", `"Not a listed value"`, "Not a listed value"}, // unrestricted
		{"Account", "BillingGeocodeAccuracy", `"Zip"`, "Zip"},
		{"Contact", "Email", `"a.b@example.com"`, "a.b@example.com"},
		{"Account", "NumberOfEmployees", `42`, int64(42)},
		{"Account", "NumberOfEmployees", `"42"`, int64(42)},
		{"Account", "NumberOfEmployees", `42.0`, int64(42)},
		{"Account", "NumberOfEmployees", `-99999999`, int64(-99999999)},
		{"Account", "AnnualRevenue", `1000000`, 1000000.0},
		{"Account", "AnnualRevenue", `"12.5"`, 13.0}, // scale 0: rounded
		{"Opportunity", "Amount", `100.5`, 100.5},
		{"Opportunity", "Amount", `100.555`, 100.56},
		{"Opportunity", "Amount", `-0`, 0.0},
		{"Opportunity", "Amount", `1e3`, 1000.0},
		{"Opportunity", "Probability", `50`, 50.0},
		{"Account", "BillingLatitude", `37.7749295`, 37.7749295},
		{"Opportunity", "IsPrivate", `true`, true},
		{"Opportunity", "IsPrivate", `"false"`, false},
		{"Opportunity", "IsPrivate", `"TRUE"`, true},
		{"Opportunity", "CloseDate", `"2024-01-15"`, "2024-01-15"},
		{"Opportunity", "CloseDate", `"2024-01-15T23:30:00.000Z"`, "2024-01-15"},
		{"Opportunity", "CloseDate", `""`, nil},
		{"Contact", "EmailBouncedDate", `"2018-03-18T07:38:12.000+0000"`, ms("2018-03-18T07:38:12Z")},
		{"Contact", "EmailBouncedDate", `"2018-03-18T07:38:12Z"`, ms("2018-03-18T07:38:12Z")},
		{"Contact", "EmailBouncedDate", `"2018-03-18T09:38:12.123+02:00"`, ms("2018-03-18T07:38:12.123Z")},
		{"Contact", "EmailBouncedDate", `"2018-03-18T07:38:12.123456789Z"`, ms("2018-03-18T07:38:12.123Z")},
		{"Contact", "EmailBouncedDate", `"2018-03-18T07:38:12"`, ms("2018-03-18T07:38:12Z")},
		{"Contact", "EmailBouncedDate", `"2018-03-18"`, ms("2018-03-18T00:00:00Z")},
		{"Case", "Description", `"line1\nline2"`, "line1\nline2"},
		{"Task", "Subject", `"Anything goes"`, "Anything goes"}, // combobox
	}
	for _, tc := range tests {
		f := mustField(t, tc.obj, tc.field)
		got, err := DecodeValue(f, json.RawMessage(tc.raw))
		if err != nil {
			t.Errorf("%s.%s %s: %v", tc.obj, tc.field, tc.raw, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s.%s %s (-want +got):\n%s", tc.obj, tc.field, tc.raw, diff)
		}
	}
}

func make80(c byte) []byte {
	b := make([]byte, 80)
	for i := range b {
		b[i] = c
	}
	return b
}

func TestDecodeValueErrors(t *testing.T) {
	tests := []struct {
		obj, field, raw string
		want            ValueError
	}{
		{"Account", "Site", `"` + string(make80('x')) + `x"`, ValueError{CodeStringTooLong,
			"Account Site: data value too large: " + string(make80('x')) + "x (max length=80)", []string{"Site"}}},
		{"Account", "Name", `{"a":1}`, ValueError{CodeJSONParser,
			"Cannot deserialize instance of string from START_OBJECT value { or request may be missing a required field at [line:1, column:1]", nil}},
		{"Account", "Name", `[1]`, ValueError{CodeJSONParser,
			"Cannot deserialize instance of string from START_ARRAY value [ or request may be missing a required field at [line:1, column:1]", nil}},
		{"Opportunity", "Amount", `"abc"`, ValueError{CodeJSONParser,
			"Cannot deserialize instance of double from VALUE_STRING value abc or request may be missing a required field at [line:1, column:1]", nil}},
		{"Opportunity", "Amount", `"NaN"`, ValueError{CodeJSONParser,
			"Cannot deserialize instance of double from VALUE_STRING value NaN or request may be missing a required field at [line:1, column:1]", nil}},
		{"Opportunity", "Amount", `true`, ValueError{CodeJSONParser,
			"Cannot deserialize instance of double from VALUE_TRUE value true or request may be missing a required field at [line:1, column:1]", nil}},
		{"Opportunity", "Amount", `1e30`, ValueError{CodeNumberOutsideRange,
			"Amount: value outside of valid range on numeric field: 1e30", []string{"Amount"}}},
		{"Opportunity", "Amount", `1e400`, ValueError{CodeNumberOutsideRange,
			"Amount: value outside of valid range on numeric field: 1e400", []string{"Amount"}}},
		{"Opportunity", "Probability", `1000`, ValueError{CodeNumberOutsideRange,
			"Probability (%): value outside of valid range on numeric field: 1000", []string{"Probability"}}},
		{"Account", "NumberOfEmployees", `123456789`, ValueError{CodeNumberOutsideRange,
			"Employees: value outside of valid range on numeric field: 123456789", []string{"NumberOfEmployees"}}},
		{"Account", "NumberOfEmployees", `1.5`, ValueError{CodeJSONParser,
			"Cannot deserialize instance of int from VALUE_NUMBER_FLOAT value 1.5 or request may be missing a required field at [line:1, column:1]", nil}},
		{"Opportunity", "IsPrivate", `"yes"`, ValueError{CodeJSONParser,
			"Cannot deserialize instance of boolean from VALUE_STRING value yes or request may be missing a required field at [line:1, column:1]", nil}},
		{"Opportunity", "IsPrivate", `1`, ValueError{CodeJSONParser,
			"Cannot deserialize instance of boolean from VALUE_NUMBER_INT value 1 or request may be missing a required field at [line:1, column:1]", nil}},
		{"Account", "BillingGeocodeAccuracy", `"Galaxy"`, ValueError{CodeRestrictedPicklist,
			"Billing Geocode Accuracy: bad value for restricted picklist field: Galaxy", []string{"BillingGeocodeAccuracy"}}},
		{"Contact", "Email", `"not-an-email"`, ValueError{CodeInvalidEmail,
			"Email: invalid email address: not-an-email", []string{"Email"}}},
		{"Contact", "Email", `"a@b"`, ValueError{CodeInvalidEmail, "Email: invalid email address: a@b", []string{"Email"}}},
		{"Account", "ParentId", `"xyz"`, ValueError{CodeMalformedID,
			"Parent Account ID: id value of incorrect type: xyz", []string{"ParentId"}}},
		{"Opportunity", "CloseDate", `"15/01/2024"`, ValueError{CodeJSONParser,
			"Cannot deserialize value of type `java.util.Date` from String \"15/01/2024\": expected format \"yyyy-MM-dd\" at [line:1, column:1]", nil}},
		{"Opportunity", "CloseDate", `20240115`, ValueError{CodeJSONParser,
			"Cannot deserialize value of type `java.util.Date` from VALUE_NUMBER_INT value 20240115 at [line:1, column:1]", nil}},
		{"Contact", "EmailBouncedDate", `"yesterday"`, ValueError{CodeJSONParser,
			"Cannot deserialize value of type `java.util.Date` from String \"yesterday\": expected format \"yyyy-MM-dd'T'HH:mm:ss.SSSZ\" at [line:1, column:1]", nil}},
	}
	for _, tc := range tests {
		f := mustField(t, tc.obj, tc.field)
		got, err := DecodeValue(f, json.RawMessage(tc.raw))
		var ve *ValueError
		if !errors.As(err, &ve) {
			t.Errorf("%s.%s %s = %v, %v; want a ValueError", tc.obj, tc.field, tc.raw, got, err)
			continue
		}
		if diff := cmp.Diff(tc.want, *ve); diff != "" {
			t.Errorf("%s.%s %s (-want +got):\n%s", tc.obj, tc.field, tc.raw, diff)
		}
	}
}

func TestDecodeMalformedJSON(t *testing.T) {
	f := mustField(t, "Account", "Name")
	for _, raw := range []string{``, `"unterminated`, `1 2`, `{`, `tru`} {
		_, err := DecodeValue(f, json.RawMessage(raw))
		var ve *ValueError
		if !errors.As(err, &ve) || ve.Code != CodeJSONParser {
			t.Errorf("DecodeValue(%q) = %v, want JSON_PARSER_ERROR", raw, err)
		}
	}
}

func TestMultiPicklist(t *testing.T) {
	o, err := CustomObject(ObjectSpec{Name: "Thing__c", KeyPrefix: "a00", Fields: []FieldSpec{
		{Name: "Tags__c", Type: TypeMultiPicklist, Values: []string{"Red", "Green", "Blue"}, Restricted: true},
	}})
	if err != nil {
		t.Fatal(err)
	}
	f := &o.Fields[len(o.Fields)-1]
	got, err := DecodeValue(f, json.RawMessage(`"Red; Blue"`))
	if err != nil || got != "Red;Blue" {
		t.Errorf(`DecodeValue("Red; Blue") = %v, %v; want "Red;Blue"`, got, err)
	}
	if _, err := DecodeValue(f, json.RawMessage(`"Red;Pink"`)); err == nil {
		t.Error("Pink accepted on a restricted multipicklist")
	}
}

func TestEncodeValue(t *testing.T) {
	at := time.Date(2018, 3, 18, 9, 38, 12, 0, time.FixedZone("x", 7200))
	tests := []struct {
		obj, field string
		v          any
		want       any
	}{
		{"Contact", "EmailBouncedDate", at, "2018-03-18T07:38:12.000+0000"},
		{"Contact", "EmailBouncedDate", "2018-03-18T07:38:12Z", "2018-03-18T07:38:12.000+0000"},
		{"Opportunity", "CloseDate", "2024-01-15", "2024-01-15"},
		{"Opportunity", "CloseDate", at, "2018-03-18"},
		{"Account", "NumberOfEmployees", int64(7), int64(7)},
		{"Account", "NumberOfEmployees", 7.0, int64(7)},
		{"Opportunity", "Amount", 100.5, 100.5},
		{"Opportunity", "Amount", int64(100), 100.0},
		{"Opportunity", "IsPrivate", true, true},
		{"Account", "Name", "Acme", "Acme"},
		{"Account", "Name", nil, nil},
	}
	for _, tc := range tests {
		got := EncodeValue(mustField(t, tc.obj, tc.field), tc.v)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("EncodeValue(%s.%s, %v) (-want +got):\n%s", tc.obj, tc.field, tc.v, diff)
		}
	}
	// JSON text of encoded numbers: currency stays 100.5, ints stay integers.
	b, _ := json.Marshal([]any{EncodeValue(mustField(t, "Opportunity", "Amount"), 100.5), EncodeValue(mustField(t, "Account", "NumberOfEmployees"), int64(12))})
	if string(b) != "[100.5,12]" {
		t.Errorf("JSON = %s, want [100.5,12]", b)
	}
}

// TestRoundTrip: decoding what EncodeValue wrote gives the stored value back.
func TestRoundTrip(t *testing.T) {
	stored := map[[2]string]any{
		{"Contact", "EmailBouncedDate"}:  time.Date(2020, 2, 29, 23, 59, 59, 999e6, time.UTC),
		{"Opportunity", "CloseDate"}:     "2020-02-29",
		{"Opportunity", "Amount"}:        1234.56,
		{"Account", "NumberOfEmployees"}: int64(-5),
		{"Opportunity", "IsPrivate"}:     false,
		{"Account", "Name"}:              "Ünïcode \"quoted\"",
	}
	for k, v := range stored {
		f := mustField(t, k[0], k[1])
		raw, err := json.Marshal(EncodeValue(f, v))
		if err != nil {
			t.Fatal(err)
		}
		got, err := DecodeValue(f, raw)
		if err != nil {
			t.Errorf("%v: decode %s: %v", k, raw, err)
			continue
		}
		if diff := cmp.Diff(v, got); diff != "" {
			t.Errorf("%v round trip (-want +got):\n%s", k, diff)
		}
	}
}
