package dataapi

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzSearchRequest sends fuzzed SOSL statements to /search and fuzzed options to
// /parameterizedSearch (query string and JSON body) and /search/suggestions, through the
// whole REST stack over a real store: every answer must be a 2xx JSON body or a
// Salesforce-shaped 4xx, never a panic or a 500 (checkResponse).
func FuzzSearchRequest(f *testing.F) {
	st := newDataStack(f)
	for _, s := range []struct{ sosl, params, body string }{
		{`FIND {Fuzz}`, "q=Fuzz", ""},
		{`FIND {Fuzz}`, "q=fuz&sobject=Account,Contact&limit=2", ""},
		{`FIND {Fuzz} IN NAME FIELDS RETURNING Account(Name, Owner.Name WHERE Name LIKE 'F%' ORDER BY Name DESC NULLS LAST LIMIT 5), Contact, Invoice__c(Number__c)`,
			"q=fuzz&sobject=Account&Account.fields=Name&Account.where=Name!=null&Account.orderBy=Name%20DESC%20NULLS_LAST&Account.limit=3", ""},
		{`FIND {"a b" OR (fu* AND NOT fu?z)} RETURNING Account(Id) WITH SNIPPET(target_length=5) LIMIT 3 UPDATE VIEWSTAT`,
			"q=fuzz&in=EMAIL&overallLimit=2&defaultLimit=1&offset=0&sobject=Account", `{"q":"Fuzz","fields":["id","name"],"sobjects":[{"name":"Account","where":"Name != null","limit":5,"orderBy":"Name"}]}`},
		{`FIND {a}`, "q=a", `{"q":"x"}`},
		{`FIND 'x'`, "sobject=Nope&q=zz", `[]`},
		{`FIND {Fuzz} RETURNING Account(Name OFFSET 2001)`, "q=zz&fields=Name", `{"q":"zz","overallLimit":-1}`},
	} {
		f.Add(s.sosl, s.params, s.body)
	}
	f.Fuzz(func(t *testing.T, sosl, params, body string) {
		token := st.replacer.Replace("$TOKEN")
		for _, req := range []*http.Request{
			httptest.NewRequest(http.MethodGet, "http://ff.test/services/data/v59.0/search?q="+url.QueryEscape(sosl), nil),
			newFuzzRequest(http.MethodGet, "http://ff.test/services/data/v59.0/parameterizedSearch?"+params, ""),
			newFuzzRequest(http.MethodPost, "http://ff.test/services/data/v59.0/parameterizedSearch", body),
			newFuzzRequest(http.MethodGet, "http://ff.test/services/data/v59.0/search/suggestions?"+params, ""),
		} {
			if req == nil {
				continue
			}
			req.Header.Set("Authorization", "Bearer "+token)
			req.RemoteAddr = "192.0.2.1:1234"
			w := httptest.NewRecorder()
			st.mux.ServeHTTP(w, req) // a panic fails the fuzz target
			checkResponse(t, req, w)
		}
	})
}

// newFuzzRequest is http.NewRequest, nil for a target no server would receive.
func newFuzzRequest(method, target, body string) *http.Request {
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		return nil
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}
