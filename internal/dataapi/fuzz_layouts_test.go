package dataapi

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzLayoutRequest: whatever object, sub-resource, record type, layout name or q a
// client sends to the describe-layout resources (layouts.go), the answer keeps
// checkResponse's invariants (no 5xx, Salesforce's JSON and error array), a 200 is
// JSON of the expected shape, and Lead — an object the caller's profile may not read in
// fuzzOrg — never shows up (its own paths are 404, and it is no related list of another).
func FuzzLayoutRequest(f *testing.F) {
	st := newDataStack(f)
	for _, s := range []struct{ method, object, sub, rest, q string }{
		{"GET", "Account", "layouts", "", ""},
		{"GET", "Account", "layouts", "012000000000000AAA", ""},
		{"GET", "account", "layouts", "012000000000000", ""},
		{"GET", "Account", "layouts", "012000000000000AAA/x", ""},
		{"GET", "Invoice__c", "compactLayouts", "primary", ""},
		{"GET", "Contact", "compactLayouts", "012000000000001AAA", ""},
		{"GET", "User", "namedLayouts", "UserAlt", ""},
		{"GET", "User", "namedLayouts", "", ""},
		{"GET", "Account", "approvalLayouts", "P", ""},
		{"GET", "Lead", "layouts", "", ""},
		{"GET", "Profile", "layouts", "", ""},
		{"PATCH", "Account", "layouts", "", ""},
		{"GET", "", "", "", "Account,Contact"},
		{"GET", "", "", "", ",,"},
		{"GET", "", "", "", "Account,Lead"},
		{"HEAD", "", "", "", "Invoice__c"},
	} {
		f.Add(s.method, s.object, s.sub, s.rest, s.q)
	}
	f.Fuzz(func(t *testing.T, method, object, sub, rest, q string) {
		target := "http://ff.test/services/data/v59.0/compactLayouts?q=" + url.QueryEscape(q)
		if object != "" {
			target = "http://ff.test/services/data/v59.0/sobjects/" + url.PathEscape(object) + "/describe/" + url.PathEscape(sub)
			if rest != "" {
				target += "/" + rest
			}
		}
		req, err := http.NewRequest(method, target, nil)
		if err != nil {
			return
		}
		req.Header.Set("Authorization", st.replacer.Replace("Bearer $TOKEN"))
		req.RemoteAddr = "192.0.2.1:1234"
		w := httptest.NewRecorder()
		st.mux.ServeHTTP(w, req)
		if w.Code == http.StatusMovedPermanently || w.Code == http.StatusTemporaryRedirect || w.Code == http.StatusPermanentRedirect {
			return // ServeMux cleaning the path before any handler runs
		}
		if w.Code == http.StatusNotFound && !strings.HasPrefix(req.URL.Path, "/services/data") {
			return
		}
		checkResponse(t, req, w)
		if w.Code == http.StatusOK && method == http.MethodGet {
			body := w.Body.String()
			switch {
			case object == "":
			case sub == "layouts" && rest == "", sub == "namedLayouts":
				if !strings.HasPrefix(body, `{"layouts":[{`) {
					t.Fatalf("%s: %.100s", target, body)
				}
			case sub == "approvalLayouts":
				if body != `{"approvalLayouts":[]}` {
					t.Fatalf("%s: %s", target, body)
				}
			}
			if strings.Contains(body, `"objectType":"Lead"`) || strings.Contains(body, `"sobject":"Lead"`) {
				t.Fatalf("%s: Lead, which the caller may not read, is in %.200s", target, body)
			}
		}
	})
}
