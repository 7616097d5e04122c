package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Selecting 2,000 or more columns reached SQLite (SQLITE_MAX_COLUMN) and answered 500
// (issue 13 §2). Every path that names columns is bounded before any SQL runs at
// soql.MaxColumns (1,900, hidden Ids included) with Salesforce's QUERY_TOO_COMPLICATED.
func TestTooManyColumns(t *testing.T) {
	s := startData(t)
	id := s.create(t, s.int, "Account", `{"Name":"Wide"}`)
	const want = `[{"message":"Query is too complicated: too many columns","errorCode":"QUERY_TOO_COMPLICATED"}]`
	repeat := func(name string, n int) string { return strings.TrimSuffix(strings.Repeat(name+",", n), ",") }

	for _, tc := range []struct{ name, method, path, body string }{
		{"SOQL, 2,000 fields", http.MethodGet, "/query?q=" + url.QueryEscape("SELECT "+repeat("Name", 2000)+" FROM Account"), ""},
		// 1,899 fields, the root's hidden Id and the Owner's: 1,901 columns.
		{"SOQL, over by the hidden Ids", http.MethodGet, "/query?q=" + url.QueryEscape("SELECT "+repeat("Owner.Name", 1899)+" FROM Account"), ""},
		{"record GET ?fields=", http.MethodGet, "/sobjects/Account/" + id + "?fields=" + repeat("Name", 2000), ""},
		{"collections retrieve GET", http.MethodGet, "/composite/sobjects/Account?ids=" + id + "&fields=" + repeat("Name", 2000), ""},
		{"collections retrieve POST", http.MethodPost, "/composite/sobjects/Account", `{"ids":["` + id + `"],"fields":` + jsonStrings(strings.Split(repeat("Name", 2000), ",")) + `}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantErrorBody(t, s.call(t, s.int, tc.method, tc.path, tc.body), http.StatusBadRequest, want)
		})
	}

	t.Run("at the bound the query runs", func(t *testing.T) {
		// 1,899 fields and the hidden root Id: exactly 1,900 columns.
		a := s.query(t, s.int, "SELECT "+repeat("Name", 1899)+" FROM Account WHERE Id = '"+id+"'")
		if a.TotalSize != 1 || a.Records[0]["Name"] != "Wide" {
			t.Errorf("answer %+v", a)
		}
	})
	t.Run("a field named twice in ?fields= is rendered once", func(t *testing.T) {
		r := s.call(t, s.int, http.MethodGet, "/sobjects/Account/"+id+"?fields=Name,name,Name", "")
		want := `{"attributes":{"type":"Account","url":"/services/data/v59.0/sobjects/Account/` + id + `"},"Name":"Wide"}`
		if r.Status != http.StatusOK || r.Body != want {
			t.Errorf("got %d %s\nwant 200 %s", r.Status, r.Body, want)
		}
	})
}

func jsonStrings(ss []string) string {
	b, _ := json.Marshal(ss)
	return string(b)
}
