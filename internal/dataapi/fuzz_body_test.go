package dataapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/forcefield/forcefield/internal/apierror"
)

// FuzzDecodeInput: any body either decodes to fields whose raw values are valid JSON, or
// fails with a 400 JSON_PARSER_ERROR — never a panic, never another error.
func FuzzDecodeInput(f *testing.F) {
	for _, s := range []string{
		`{}`, `{"Name":"Acme"}`, `{"attributes":{"type":"Account"},"Name":"A","AnnualRevenue":1.5e3,"Industry":null}`,
		`{"a":[1,{"b":2}],"c":true}`, `[]`, `[{"Name":"x"}]`, `"x"`, `12`, `null`, ``, `{`, `{"a"`, `{"a":}`,
		`{"a":1}{"b":2}`, `{"a":1} x`, "{\n\"a\":\n01}", `{"a":1,}`, `{1:2}`, `{"a":"\ud800"}`, "\xff",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		in, err := decodeInput(body)
		if err != nil {
			var e *apierror.Error
			if !errors.As(err, &e) || e.Status != http.StatusBadRequest || e.Code != "JSON_PARSER_ERROR" || e.Message == "" {
				t.Fatalf("%q: error %#v", body, err)
			}
			return
		}
		if !json.Valid(body) {
			t.Fatalf("%q is not JSON yet decoded to %v", body, in)
		}
		for _, fld := range in {
			if !json.Valid(fld.Raw) {
				t.Fatalf("%q: field %q has invalid raw %q", body, fld.Name, fld.Raw)
			}
		}
	})
}

// FuzzSubstitute: replacing composite references (@{ref.path}) in a valid JSON body with
// values of earlier results keeps it valid JSON, whatever the results hold; in a URL it
// never panics.
func FuzzSubstitute(f *testing.F) {
	for _, s := range [][2]string{
		{`{"LastName":"L","AccountId":"@{a.id}"}`, `{"id":"001000000000000AAA","success":true,"errors":[]}`},
		{`{"Id":"@{q.records[0].Id}","n":"@{q.totalSize}","x":"@{q.records[5].Id}"}`, `{"totalSize":1,"done":true,"records":[{"attributes":{"type":"Account"},"Id":"001"}]}`},
		{`{"@{a.id}":"@{a.name}"}`, `{"id":"a\"b\\c\n<>&\u2028","name":{"nested":[1,2]}}`},
		{`["@{a[0]}", "@{a[99999999999999999999]}"]`, `["x"]`},
		{`{"v":"@{a.n}"}`, `{"n":1e400}`},
		{`{"v":"@{missing.id} @{a}"}`, `{}`},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, body, result string) {
		var decoded any
		if json.Unmarshal([]byte(result), &decoded) != nil {
			return
		}
		values := map[string]any{"a": decoded, "q": decoded}
		substitute(body, values, false) // a URL: anything goes but a panic
		if !json.Valid([]byte(body)) {
			return
		}
		out, _ := substitute(body, values, true)
		if !json.Valid([]byte(out)) {
			t.Fatalf("substituting %s into %s gave invalid JSON %s", result, body, out)
		}
	})
}
