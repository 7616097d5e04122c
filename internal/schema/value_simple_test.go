package schema

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// decoderValue is what DecodeValue's json.Decoder gives for raw, and whether it accepts it.
func decoderValue(raw []byte) (any, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil || dec.More() {
		return nil, false
	}
	return v, true
}

var simpleJSONCases = []string{
	`null`, `true`, `false`, `nul`, `truex`, `0`, `-0`, `12`, `-12`, `012`, `1.`, `1.5`, `.5`, `-`, `1e5`, `1E+5`,
	`1e-05`, `1e`, `1e+`, `-1.25E-3`, `00`, `1 `, ` 1`, `1,2`, `""`, `"a"`, `"a b"`, `"é"`, `"\u00e9"`, `"a\"b"`,
	`"a\\b"`, "\"tab\there\"", "\"\x7f\"", "\"\xff\"", `"`, `"a`, `a"`, `"a""b"`, `"<&>"`, `{}`, `[]`, `[1]`,
	`{"a":1}`, ``, ` `, `"日本語"`, "\"\xe2\x80\xa8\"", `1e999`, `-9223372036854775809`,
}

// TestSimpleJSONMatchesDecoder: whenever the fast path takes a value, it gives what the
// decoder gives.
func TestSimpleJSONMatchesDecoder(t *testing.T) {
	for _, c := range simpleJSONCases {
		checkSimpleJSON(t, []byte(c))
	}
}

func checkSimpleJSON(t *testing.T, raw []byte) {
	t.Helper()
	got, ok := simpleJSON(raw)
	if !ok {
		return
	}
	want, valid := decoderValue(raw)
	if !valid {
		t.Fatalf("simpleJSON(%q) = %#v, but the decoder refuses it", raw, got)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("simpleJSON(%q) = %#v, decoder %#v", raw, got, want)
	}
}

func FuzzSimpleJSON(f *testing.F) {
	for _, c := range simpleJSONCases {
		f.Add([]byte(c))
	}
	f.Fuzz(checkSimpleJSON)
}

func BenchmarkDecodeValueString(b *testing.B) {
	f := &Field{Name: "Name", Type: TypeString, Length: 255}
	raw := json.RawMessage(`"Acme Corporation 0012345"`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeValue(f, raw); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkObjectField(b *testing.B) {
	c, err := NewCatalog(Standard())
	if err != nil {
		b.Fatal(err)
	}
	o, _ := c.Object("Account")
	for b.Loop() {
		if _, ok := o.Field("NumberOfEmployees"); !ok {
			b.Fatal("no field")
		}
	}
}
