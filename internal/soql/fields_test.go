package soql

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParseFields: FIELDS(ALL|STANDARD|CUSTOM) in any case, alone, mixed with named
// fields and in a subquery (salesforce-rest-more.md §8.1); FIELDS not followed by "(" is
// a plain field name.
func TestParseFields(t *testing.T) {
	for _, tc := range []struct {
		text string
		want *Query
	}{
		{"SELECT FIELDS(ALL) FROM Account LIMIT 200",
			with(q("Account", &FieldsItem{Kind: "ALL"}), func(x *Query) { x.Limit = 200 })},
		{"SELECT Name, Id, fields(Custom) FROM Account",
			q("Account", fld("Name"), fld("Id"), &FieldsItem{Kind: "CUSTOM"})},
		{"SELECT Account.Name, (SELECT FIELDS(STANDARD) FROM Account.Contacts) FROM Account",
			q("Account", fld("Account.Name"), &SubqueryItem{Query: q("Account.Contacts", &FieldsItem{Kind: "STANDARD"})})},
		{"SELECT Fields FROM Account", q("Account", fld("Fields"))},
	} {
		got, err := Parse(tc.text)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tc.text, err)
		}
		if diff := cmp.Diff(tc.want, got, ignorePos); diff != "" {
			t.Errorf("Parse(%q) (-want +got):\n%s", tc.text, diff)
		}
		again, err := Parse(got.String())
		if err != nil || !cmp.Equal(got, again, ignorePos) {
			t.Errorf("round trip of %q via %q: %v", tc.text, got.String(), err)
		}
	}
	pq, err := Parse("SELECT Id, FIELDS(ALL) FROM X")
	if err != nil {
		t.Fatal(err)
	}
	fi := pq.Select[1].(*FieldsItem)
	if fi.Pos != 11 || fi.ParenPos != 17 {
		t.Errorf("positions %d, %d; want 11, 17", fi.Pos, fi.ParenPos)
	}
}

// TestParseFieldsAndDistanceErrors: exact messages, caret included.
func TestParseFieldsAndDistanceErrors(t *testing.T) {
	for _, tc := range []struct{ text, code, msg string }{
		{"SELECT FIELDS(Name) FROM Account", "MALFORMED_QUERY",
			"\nSELECT FIELDS(Name) FROM Account\n              ^\nERROR at Row:1:Column:15\nunexpected token: 'Name'"},
		{"SELECT FIELDS(ALL FROM Account", "MALFORMED_QUERY",
			"\nSELECT FIELDS(ALL FROM Account\n                  ^\nERROR at Row:1:Column:19\nunexpected token: 'FROM'"},
		{"SELECT DISTANCE(BillingAddress, GEOLOCATION(37.775,-122.418), 'mi') FROM Account", "MALFORMED_QUERY",
			"\nSELECT DISTANCE(BillingAddress, GEOLOCATION(37.775,-122.418), 'mi') FROM Account\n       ^\nERROR at Row:1:Column:8\n" + MsgNoDistance},
		{"SELECT Id FROM Account WHERE DISTANCE(BillingAddress, GEOLOCATION('a', 1), 'mi') < 1", "MALFORMED_QUERY",
			"\nSELECT Id FROM Account WHERE DISTANCE(BillingAddress, GEOLOCATION('a', 1), 'mi') < 1\n                                                                  ^\nERROR at Row:1:Column:67\nunexpected token: ''a''"},
		{"SELECT Id FROM Account WHERE DISTANCE(BillingAddress, 1, 'mi') < 1", "MALFORMED_QUERY",
			"\nSELECT Id FROM Account WHERE DISTANCE(BillingAddress, 1, 'mi') < 1\n                                                      ^\nERROR at Row:1:Column:55\nunexpected token: '1'"},
		{"SELECT Id FROM Account WHERE DISTANCE(BillingAddress, GEOLOCATION(1, 2), mi) < 1", "MALFORMED_QUERY",
			"\nSELECT Id FROM Account WHERE DISTANCE(BillingAddress, GEOLOCATION(1, 2), mi) < 1\n                                                                         ^\nERROR at Row:1:Column:74\nunexpected token: 'mi'"},
	} {
		_, err := Parse(tc.text)
		e, ok := err.(*Error)
		if !ok {
			t.Fatalf("Parse(%q) = %v, want *Error", tc.text, err)
		}
		if e.Code != tc.code || e.Message(tc.text) != tc.msg {
			t.Errorf("Parse(%q) = %s %q, want %s %q", tc.text, e.Code, e.Message(tc.text), tc.code, tc.msg)
		}
	}
}

// TestParseDistance: DISTANCE(field, GEOLOCATION(lat, lon), 'unit') in WHERE and ORDER BY.
func TestParseDistance(t *testing.T) {
	text := "SELECT Name FROM Account WHERE DISTANCE(BillingAddress, GEOLOCATION(37.775, -122.418), 'mi') < 20 ORDER BY DISTANCE(BillingAddress, GEOLOCATION(37.775, -122.418), 'km') DESC"
	got, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	lat := Value{Kind: Number, Num: 37.775, NumText: "37.775"}
	lon := Value{Kind: Number, Num: -122.418, NumText: "-122.418"}
	twenty := Value{Kind: Number, Num: 20, NumText: "20"}
	want := with(q("Account", fld("Name")), func(x *Query) {
		x.Where = &Comparison{Distance: &Distance{Field: nm("BillingAddress"), Lat: lat, Lon: lon, Unit: "mi"}, Op: "<", Value: &twenty}
		x.OrderBy = []Order{{Distance: &Distance{Field: nm("BillingAddress"), Lat: lat, Lon: lon, Unit: "km"}, Desc: true}}
	})
	if diff := cmp.Diff(want, got, ignorePos); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if again, err := Parse(got.String()); err != nil || !cmp.Equal(got, again, ignorePos) {
		t.Errorf("round trip via %q: %v", got.String(), err)
	}
}
