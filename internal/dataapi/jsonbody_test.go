package dataapi

import (
	"encoding/json"
	"testing"
)

// object renders its members in order, nested objects in place, with encoding/json's
// escaping of every value.
func TestObjectJSON(t *testing.T) {
	rec := object{
		{"attributes", object{{"type", "Account"}, {"url", "/services/data/v59.0/sobjects/Account/001"}}},
		{"Name", "<Tom & Jerry>\n\"q\""},
		{"Owner", object{{"attributes", object{{"type", "User"}}}, {"Name", "é"}}},
		{"Parent", nil},
		{"Empty", object(nil)},
		{"Amount", 12.5},
		{"Active", true},
		{"Tags", []any{"a", 1, nil}},
	}
	got, err := json.Marshal([]any{rec})
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"attributes":{"type":"Account","url":"/services/data/v59.0/sobjects/Account/001"},` +
		`"Name":"\u003cTom \u0026 Jerry\u003e\n\"q\"","Owner":{"attributes":{"type":"User"},"Name":"é"},` +
		`"Parent":null,"Empty":{},"Amount":12.5,"Active":true,"Tags":["a",1,null]}]`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if _, err := json.Marshal(object{{"Bad", func() {}}}); err == nil {
		t.Error("an unencodable value: no error")
	}
}
