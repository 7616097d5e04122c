package bulkv1

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/bulk"
	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/query/querytest"
	"github.com/forcefield/forcefield/internal/soql"
)

func plan(t *testing.T, text string) *query.Plan {
	t.Helper()
	ast, err := soql.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	p, err := query.Resolve(ast, querytest.Catalog(), querytest.Admin(), query.Options{Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// row fills a plan's values (hidden columns too) by column path.
func row(p *query.Plan, byPath map[string]any) []any {
	vals := make([]any, len(p.Columns))
	for i, c := range p.Columns {
		vals[i] = byPath[c.Path.Name]
	}
	return vals
}

func TestJSONRows(t *testing.T) {
	p := plan(t, "SELECT Id, LastName, Account.Name, Account.Owner.Name, Account.Industry, Birthdate FROM Contact")
	enc := JSONRows{}.ForJob(&bulk.Job{APIVersion: "59.0"})
	birth := time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC)
	b := enc.Row(nil, 0, p, row(p, map[string]any{
		"Id": "0035F0000000001QAA", "LastName": `Q "uote"`, "Account.Id": "0015F0000000001QAA", "Account.Name": "Acme",
		"Account.Owner.Id": "0055F0000000001QAA", "Account.Owner.Name": "Ada", "Account.Industry": nil, "Birthdate": birth,
	}))
	b = enc.Row(b, 1, p, row(p, map[string]any{"Id": "0035F0000000002QAA", "LastName": "Solo"}))
	want := `{"attributes":{"type":"Contact","url":"/services/data/v59.0/sobjects/Contact/0035F0000000001QAA"},` +
		`"Id":"0035F0000000001QAA","LastName":"Q \"uote\"",` +
		`"Account":{"attributes":{"type":"Account","url":"/services/data/v59.0/sobjects/Account/0015F0000000001QAA"},"Name":"Acme",` +
		`"Owner":{"attributes":{"type":"User","url":"/services/data/v59.0/sobjects/User/0055F0000000001QAA"},"Name":"Ada"},"Industry":null},` +
		`"Birthdate":642902400000},` +
		`{"attributes":{"type":"Contact","url":"/services/data/v59.0/sobjects/Contact/0035F0000000002QAA"},` +
		`"Id":"0035F0000000002QAA","LastName":"Solo","Account":null,"Birthdate":null}`
	if string(b) != want {
		t.Errorf("got\n%s\nwant\n%s", b, want)
	}
	var v []any
	if err := json.Unmarshal(append(append([]byte{'['}, b...), ']'), &v); err != nil {
		t.Errorf("not a JSON array once bracketed: %v", err)
	}
}
