package dataapi

import (
	"bytes"
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
	// WriteJSON writes MarshalJSON's bytes as they are: they must be json.Marshal's.
	direct, err := rec.MarshalJSON()
	if err != nil || "["+string(direct)+"]" != want {
		t.Errorf("MarshalJSON = %s, %v\nwant %s", direct, err, want[1:len(want)-1])
	}
	if _, err := json.Marshal(object{{"Bad", func() {}}}); err == nil {
		t.Error("an unencodable value: no error")
	}
}

// writeString writes what json.Marshal writes, for every byte and some texts around
// the fast path's edges.
func TestWriteString(t *testing.T) {
	cases := []string{"", "plain", "Account 001", "a\"b", `a\b`, "<>&", "tab\t", "\x7f", "é", "\u2028", "\xff", "~ !"}
	for c := range 256 {
		cases = append(cases, string([]byte{byte(c)}), "x"+string([]byte{byte(c)})+"y")
	}
	for _, s := range cases {
		checkWriteString(t, s)
	}
}

func FuzzWriteString(f *testing.F) {
	for _, s := range []string{"", "Name", "a<b", "é\x00", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(checkWriteString)
}

func checkWriteString(t *testing.T, s string) {
	var b bytes.Buffer
	writeString(&b, s)
	want, _ := json.Marshal(s)
	if b.String() != string(want) {
		t.Errorf("writeString(%q) = %s, want %s", s, b.String(), want)
	}
}
