package server

import (
	"net/http"
	"strings"
	"testing"

	salesforce "github.com/k-capehart/go-salesforce/v3"
)

// go-salesforce v3.1.0 against injected faults (issue 14 §6): it logs in again once after
// its session is expired through the admin API, and returns an injected
// REQUEST_LIMIT_EXCEEDED — from a fault, and from the org's exhausted DailyApiRequests —
// as its error.
func TestKitGoSalesforce(t *testing.T) {
	s := startKit(t)
	sf, err := salesforce.Init(salesforce.Creds{Domain: s.URL, ConsumerKey: kitKey, ConsumerSecret: kitSecret})
	if err != nil {
		t.Fatalf("Init: %v", err)
	}
	query := func() (string, error) {
		t.Helper()
		var got []gsAccount
		err := sf.Query(kitSOQL, &got)
		var names []string
		for _, a := range got {
			names = append(names, a.Name)
		}
		return strings.Join(names, ","), err
	}
	if names, err := query(); err != nil || names != "Acme,Globex" {
		t.Fatalf("first query: %q, %v", names, err)
	}

	// Expired: 401 INVALID_SESSION_ID, one client-credentials login, one retry.
	before := sf.GetAccessToken()
	if got := s.adminOK(t, http.StatusOK, http.MethodPost, "/sessions/expire", `{"app":"Orders Sync"}`); got["expired"] != 1.0 {
		t.Fatalf("expire: %v, want 1 session expired", got)
	}
	if names, err := query(); err != nil || names != "Acme,Globex" {
		t.Fatalf("query after expiry: %q, %v", names, err)
	}
	if after := sf.GetAccessToken(); after == before || after == "" {
		t.Errorf("access token not renewed after the expiry")
	}
	if n := s.kitLogins(t); n != 2 {
		t.Errorf("%d successful logins of the app, want 2", n)
	}

	// A fault on the next REST request: go-salesforce returns Salesforce's error array.
	s.adminOK(t, http.StatusCreated, http.MethodPost, "/faults", `{"app":"Orders Sync","family":"rest","answer":"REQUEST_LIMIT_EXCEEDED","count":1}`)
	if _, err := query(); err == nil || !strings.Contains(err.Error(), `"errorCode":"REQUEST_LIMIT_EXCEEDED"`) {
		t.Errorf("query under the fault: %v, want REQUEST_LIMIT_EXCEEDED", err)
	}
	if names, err := query(); err != nil || names != "Acme,Globex" {
		t.Fatalf("query after the fault: %q, %v", names, err)
	}

	// The org's daily API requests used up: every call is refused, with no new login.
	s.adminOK(t, http.StatusOK, http.MethodPost, "/orgs/Acme/limits/exhaust", `{"limit":"DailyApiRequests"}`)
	for range 2 {
		if _, err := query(); err == nil || !strings.Contains(err.Error(), `"errorCode":"REQUEST_LIMIT_EXCEEDED"`) {
			t.Errorf("query with the daily limit exhausted: %v, want REQUEST_LIMIT_EXCEEDED", err)
		}
	}
	if n := s.kitLogins(t); n != 2 {
		t.Errorf("%d successful logins of the app at the end, want still 2", n)
	}
}
