package dataapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// serveFuzz sends one request to the fuzz stack as the API user.
func (st *dataStack) serve(t *testing.T, method, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, "http://ff.test/services/data/v59.0"+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+st.replacer.Replace("$TOKEN"))
	w := httptest.NewRecorder()
	st.mux.ServeHTTP(w, req)
	checkResponse(t, req, w)
	return w
}

// A deeply nested SOQL statement is refused as QUERY_TOO_COMPLICATED, directly and in a
// /composite subrequest URL (whose 16 MB body once let a million parentheses overflow
// the parser's stack and kill the server).
func TestDeepQueryRefused(t *testing.T) {
	st := newDataStack(t)
	deep := "SELECT Id FROM Account WHERE " + strings.Repeat("(", 200) + "Name = 'x'" + strings.Repeat(")", 200)
	w := st.serve(t, "GET", "/query?q="+url.QueryEscape(deep), "")
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `"errorCode":"QUERY_TOO_COMPLICATED"`) {
		t.Errorf("deep query: %d %s", w.Code, w.Body)
	}
	huge := "SELECT Id FROM Account WHERE " + strings.Repeat("(", 1000000) + "Name = 'x'" + strings.Repeat(")", 1000000)
	body, _ := json.Marshal(map[string]any{"compositeRequest": []map[string]string{
		{"method": "GET", "referenceId": "q", "url": "/services/data/v59.0/query?q=" + url.QueryEscape(huge)}}})
	w = st.serve(t, "POST", "/composite", string(body))
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"errorCode":"QUERY_TOO_COMPLICATED"`) {
		t.Errorf("deep composite query: %d %.300s", w.Code, w.Body)
	}
}

// /composite takes at most 5 query or sObject Collections subrequests (25 × 200 records
// otherwise); a sixth is refused before anything runs.
func TestCompositeHeavyBound(t *testing.T) {
	st := newDataStack(t)
	var subs []map[string]any
	for i := range 6 {
		url := "/services/data/v59.0/query?q=SELECT+Id+FROM+Account"
		if i%2 == 1 {
			url = "/services/data/v59.0/composite/sobjects"
		}
		subs = append(subs, map[string]any{"method": "GET", "referenceId": "r" + string(rune('a'+i)), "url": url})
	}
	body, _ := json.Marshal(map[string]any{"compositeRequest": subs[:5]})
	if w := st.serve(t, "POST", "/composite", string(body)); w.Code != http.StatusOK {
		t.Errorf("5 heavy subrequests: %d %s", w.Code, w.Body)
	}
	body, _ = json.Marshal(map[string]any{"compositeRequest": subs})
	w := st.serve(t, "POST", "/composite", string(body))
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "at most 5 query or sObject Collections") {
		t.Errorf("6 heavy subrequests: %d %s", w.Code, w.Body)
	}
}

// A query takes at most 20 child subqueries, each of which costs a query per page.
func TestSubqueryBound(t *testing.T) {
	st := newDataStack(t)
	q := func(n int) string {
		return "/query?q=" + url.QueryEscape("SELECT Id"+strings.Repeat(", (SELECT Id FROM Contacts)", n)+" FROM Account")
	}
	if w := st.serve(t, "GET", q(20), ""); w.Code != http.StatusOK {
		t.Errorf("20 subqueries: %d %s", w.Code, w.Body)
	}
	w := st.serve(t, "GET", q(21), "")
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "cannot query more than 20 child relationships") {
		t.Errorf("21 subqueries: %d %s", w.Code, w.Body)
	}
}

// The most values a 100,000-character statement can hold still run: SQLite binds at most
// 32,766 variables and nests expressions at most 1,000 deep, and the store must not turn
// either into a 500.
func TestLongestStatements(t *testing.T) {
	st := newDataStack(t)
	fill := func(prefix, item, sep, suffix string) string {
		n := (100000 - len(prefix) - len(suffix)) / (len(item) + len(sep))
		return prefix + strings.Repeat(item+sep, n-1) + item + suffix
	}
	for name, soql := range map[string]string{
		"IN":       fill("SELECT Id FROM Account WHERE AnnualRevenue IN (", "1", ",", ")"),
		"NOT IN":   fill("SELECT Id FROM Account WHERE AnnualRevenue NOT IN (", "1", ",", ")"),
		"OR":       fill("SELECT Id FROM Account WHERE ", "Name='a'", " OR ", ""),
		"AND":      fill("SELECT Id FROM Account WHERE ", "Name!='a'", " AND ", ""),
		"INCLUDES": fill("SELECT Id FROM Invoice__c WHERE Tags__c INCLUDES ('", "a", ";", "')"),
		"values":   fill("SELECT Id FROM Invoice__c WHERE Tags__c INCLUDES (", "'a'", ",", ")"),
	} {
		t.Run(name, func(t *testing.T) {
			w := st.serve(t, "GET", "/query?q="+url.QueryEscape(soql), "")
			if w.Code != http.StatusOK {
				t.Errorf("%d %.300s", w.Code, w.Body)
			}
		})
	}
}

// Long IN lists (bound as one JSON array) keep the semantics of short ones: the columns'
// case-insensitive collation, numeric comparison, NOT IN.
func TestLongInListSemantics(t *testing.T) {
	st := newDataStack(t)
	others := func(format string) string {
		var b strings.Builder
		for i := range 300 {
			fmt.Fprintf(&b, ","+format, i+1000)
		}
		return b.String()
	}
	count := func(soql string) float64 {
		t.Helper()
		w := st.serve(t, "GET", "/query?q="+url.QueryEscape(soql), "")
		var res struct{ TotalSize float64 }
		if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil || w.Code != http.StatusOK {
			t.Fatalf("%.100s: %d %s", soql, w.Code, w.Body)
		}
		return res.TotalSize
	}
	st.serve(t, "PATCH", "/sobjects/Account/"+st.replacer.Replace("$ACC"), `{"AnnualRevenue":42}`)
	for soql, want := range map[string]float64{
		"SELECT Id FROM Account WHERE Name IN ('FUZZ'" + others("'x%d'") + ")":         1,
		"SELECT Id FROM Account WHERE Name NOT IN ('FUZZ'" + others("'x%d'") + ")":     0,
		"SELECT Id FROM Account WHERE AnnualRevenue IN (42.0" + others("%d") + ")":     1,
		"SELECT Id FROM Account WHERE AnnualRevenue IN (42.5" + others("%d") + ")":     0,
		"SELECT Id FROM Account WHERE AnnualRevenue NOT IN (41" + others("%d.5") + ")": 1,
	} {
		if got := count(soql); got != want {
			t.Errorf("%.80s…: totalSize %v, want %v", soql, got, want)
		}
	}
}

// /composite and /composite/batch do not nest in each other (each level would multiply
// the work of one call): the inner one answers 400 INVALID_INPUT inside the outer result.
func TestCompositeNesting(t *testing.T) {
	st := newDataStack(t)
	inner := `{"batchRequests":[{"method":"GET","url":"v59.0/limits"}]}`
	for name, body := range map[string]string{
		"batch in composite":     `{"compositeRequest":[{"method":"POST","url":"/services/data/v59.0/composite/batch","referenceId":"b","body":` + inner + `}]}`,
		"batch in batch":         `{"batchRequests":[{"method":"POST","url":"v59.0/composite/batch","richInput":` + inner + `}]}`,
		"composite in batch":     `{"batchRequests":[{"method":"POST","url":"v59.0/composite","richInput":{"compositeRequest":[{"method":"GET","url":"/services/data/v59.0/limits","referenceId":"l"}]}}]}`,
		"composite in composite": `{"compositeRequest":[{"method":"POST","url":"/services/data/v59.0/composite","referenceId":"c","body":{"compositeRequest":[{"method":"GET","url":"/services/data/v59.0/limits","referenceId":"l"}]}}]}`,
	} {
		path := "/composite"
		if strings.HasPrefix(body, `{"batchRequests"`) {
			path = "/composite/batch"
		}
		w := st.serve(t, "POST", path, body)
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"errorCode":"INVALID_INPUT"`) ||
			!strings.Contains(w.Body.String(), "cannot contain another composite request") {
			t.Errorf("%s: %d %s", name, w.Code, w.Body)
		}
	}
	// A plain batch still works.
	if w := st.serve(t, "POST", "/composite/batch", inner); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"hasErrors":false`) {
		t.Errorf("batch: %d %s", w.Code, w.Body)
	}
}
