package dataapi

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// INCLUDES clauses repeating thousands of distinct items exceed SQLite's 32,766 variables:
// a 400 QUERY_TOO_COMPLICATED, not a 500.
func TestIncludesVariables(t *testing.T) {
	st := newDataStack(t)
	const a = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&*+-./:<=>?@^_`{|}~"
	var items []string // the cheapest distinct items first: 2, then 3 bytes with their ';'
	for _, x := range a {
		items = append(items, string(x))
	}
	for _, x := range a {
		for _, y := range a {
			items = append(items, string(x)+string(y))
		}
	}
	for r := rune(0x100); r < 0x800; r++ {
		items = append(items, string(r))
	}
	list := func(items []string) string { return "Tags__c INCLUDES ('" + strings.Join(items, ";") + "')" }
	all := list(items)
	soql := "SELECT Id FROM Invoice__c WHERE " + all + " OR " + all + " OR " + all + " OR " + list(items[:5900])
	vars := 3*len(items) + 5900
	if len(soql) > 100000 || vars <= 32766 {
		t.Fatalf("statement of %d characters, %d variables", len(soql), vars)
	}
	w := st.serve(t, "GET", "/query?q="+url.QueryEscape(soql), "")
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "QUERY_TOO_COMPLICATED") {
		t.Errorf("%d %.300s", w.Code, w.Body)
	}
}
