package dataapi

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzListViewsExplain sends arbitrary list view paths, ?limit=/?offset= values and
// /query?explain= arguments: every answer is a well-formed success or Salesforce error
// (checkResponse), never a crash.
func FuzzListViewsExplain(f *testing.F) {
	st := newDataStack(f)
	for _, s := range []struct{ method, object, rest, params, explain string }{
		{"GET", "Account", "", "", "SELECT Id FROM Account"},
		{"GET", "Account", "/recent", "", "SELECT Id FROM Account WHERE Name = 'x' LIMIT 5"},
		{"GET", "Invoice__c", "", "", "SELECT Id, Account__r.Name FROM Invoice__c WHERE Status__c IN ('Draft') ORDER BY Due__c"},
		{"GET", "Account", "/00B000000000000/describe", "", "00B000000000000"},
		{"GET", "Account", "/00B000000000000AAA/results", "limit=2000&offset=5", "00B000000000000AAA"},
		{"GET", "Account", "/x/results", "limit=-1", "SELECT COUNT() FROM Account"},
		{"POST", "Contact", "/recent/x", "offset=99999999999999999999", ""},
		{"GET", "User", "", "", "SELECT Id FROM User WHERE Id IN (SELECT OwnerId FROM Account)"},
		{"GET", "Account", "", "", "SELECT Industry, COUNT(Id) FROM Account GROUP BY Industry HAVING COUNT(Id) > 1"},
	} {
		f.Add(s.method, s.object, s.rest, s.params, s.explain)
	}
	f.Fuzz(func(t *testing.T, method, object, rest, params, explain string) {
		if strings.ContainsAny(object, "/?#%") || rest != "" && !strings.HasPrefix(rest, "/") {
			return
		}
		for _, target := range []string{
			"http://ff.test/services/data/v59.0/sobjects/" + object + "/listviews" + rest + "?" + params,
			"http://ff.test/services/data/v59.0/query/?explain=" + url.QueryEscape(explain),
		} {
			req, err := http.NewRequest(method, target, nil)
			if err != nil {
				continue
			}
			req.Header.Set("Authorization", st.replacer.Replace("Bearer $TOKEN"))
			req.RemoteAddr = "192.0.2.1:1234"
			w := httptest.NewRecorder()
			st.mux.ServeHTTP(w, req)
			if w.Code >= 300 && w.Code < 400 {
				continue // ServeMux cleaning the path
			}
			checkResponse(t, req, w)
		}
	})
}
