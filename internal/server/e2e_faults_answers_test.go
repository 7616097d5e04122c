package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/bulkv1"
)

// Each answer on each route family, rendered exactly: status, Content-Type and body.
func TestFaultAnswers(t *testing.T) {
	s := startFaults(t)
	rest := func(status int, code, msg string, fields bool) want {
		body := restError(code, msg)
		if fields {
			body = strings.TrimSuffix(body, "}]") + `,"fields":[]}]`
		}
		return want{status, "application/json;charset=UTF-8", body}
	}
	v1 := func(status int, code, msg string) want {
		return want{status, "application/xml", string((&bulkv1.Error{Code: code, Message: msg}).MarshalXMLBody())}
	}
	oauth := func(status int, code, desc string) want {
		b, _ := json.Marshal(map[string]string{"error": code, "error_description": desc})
		return want{status, "application/json;charset=UTF-8", string(b) + "\n"}
	}
	limit := rest(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.", false)
	unavailable := rest(503, "SERVER_UNAVAILABLE", "Server temporarily unavailable, please try again later.", false)
	lock := rest(400, "UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record", true)
	timeout := rest(400, "QUERY_TIMEOUT", "Your query request was running for too long.", false)
	session := rest(401, "INVALID_SESSION_ID", "Session expired or invalid", false)
	requests := map[string]func() response{
		"rest": func() response { return s.send(t, s.first, http.MethodGet, "/query?q=SELECT+Id+FROM+Account", "", "") },
		"composite": func() response {
			return s.send(t, s.first, http.MethodPost, "/composite", "application/json",
				`{"compositeRequest":[{"method":"GET","url":"/services/data/v59.0/limits","referenceId":"l"}]}`)
		},
		"bulk2": func() response { return s.send(t, s.first, http.MethodGet, "/jobs/ingest", "", "") },
		"bulk1": func() response {
			return s.send(t, s.first, http.MethodGet, "/services/async/59.0/job/750000000000001AAA", "application/xml", "")
		},
		"token": func() response {
			return s.postForm(t, "/services/oauth2/token", url.Values{"grant_type": {"client_credentials"},
				"client_id": {"FirstKey01"}, "client_secret": {"FirstSecret01"}})
		},
	}
	tests := []struct {
		family, answer, request string
		want                    want
	}{
		{"rest", "REQUEST_LIMIT_EXCEEDED", "rest", limit},
		{"rest", "SERVER_UNAVAILABLE", "rest", unavailable},
		{"rest", "UNABLE_TO_LOCK_ROW", "rest", lock},
		{"rest", "QUERY_TIMEOUT", "rest", timeout},
		{"rest", "INVALID_SESSION_ID", "rest", session},
		{"composite", "REQUEST_LIMIT_EXCEEDED", "composite", limit},
		{"composite", "SERVER_UNAVAILABLE", "composite", unavailable},
		{"composite", "UNABLE_TO_LOCK_ROW", "composite", lock},
		{"composite", "QUERY_TIMEOUT", "composite", timeout},
		{"composite", "INVALID_SESSION_ID", "composite", session},
		{"bulk", "REQUEST_LIMIT_EXCEEDED", "bulk2", limit},
		{"bulk", "SERVER_UNAVAILABLE", "bulk2", unavailable},
		{"bulk", "UNABLE_TO_LOCK_ROW", "bulk2", lock},
		{"bulk", "QUERY_TIMEOUT", "bulk2", timeout},
		{"bulk", "INVALID_SESSION_ID", "bulk2", session},
		{"bulk", "REQUEST_LIMIT_EXCEEDED", "bulk1", v1(400, "ExceededQuota", "TotalRequests Limit exceeded.")},
		{"bulk", "SERVER_UNAVAILABLE", "bulk1", v1(503, "Unknown", "Server temporarily unavailable, please try again later.")},
		{"bulk", "UNABLE_TO_LOCK_ROW", "bulk1", v1(400, "TooManyLockFailure", "unable to obtain exclusive access to this record")},
		{"bulk", "QUERY_TIMEOUT", "bulk1", v1(400, "Timeout", "Your query request was running for too long.")},
		{"bulk", "INVALID_SESSION_ID", "bulk1", v1(400, "InvalidSessionId", "Invalid session id")},
		{"token", "REQUEST_LIMIT_EXCEEDED", "token", oauth(400, "rate_limit_exceeded", "number of logins exceeded")},
		{"token", "SERVER_UNAVAILABLE", "token", oauth(503, "temporarily_unavailable", "server temporarily unavailable")},
		{"all", "SERVER_UNAVAILABLE", "token", oauth(503, "temporarily_unavailable", "server temporarily unavailable")},
		{"all", "UNABLE_TO_LOCK_ROW", "composite", lock},
	}
	for _, tc := range tests {
		t.Run(tc.family+"/"+tc.answer+"/"+tc.request, func(t *testing.T) {
			s.inject(t, `{"family":"`+tc.family+`","answer":"`+tc.answer+`","org":"Acme"}`)
			defer s.admin(t, http.MethodDelete, "/faults", "")
			tc.want.check(t, requests[tc.request]())
			if r := requests[tc.request](); r.Body == tc.want.body { // count 1 (the default): spent
				t.Errorf("the second request got the fault too: %d %s", r.Status, r.Body)
			}
		})
	}

	// invalid_grant answers a refresh, and only a refresh.
	t.Run("token/invalid_grant", func(t *testing.T) {
		r := s.admin(t, http.MethodPost, "/oauth-tokens", `{"app":"First","user":"one@acme.example"}`)
		if r.Status != http.StatusCreated && r.Status != http.StatusOK {
			t.Fatalf("mint: %d %s", r.Status, r.Body)
		}
		rt := r.JSON(t)["refreshToken"].(string)
		s.inject(t, `{"org":"Acme","family":"token","answer":"invalid_grant"}`)
		defer s.admin(t, http.MethodDelete, "/faults", "")
		if r := requests["token"](); r.Status != http.StatusOK {
			t.Errorf("client credentials with an invalid_grant fault: %d %s", r.Status, r.Body)
		}
		refresh := func() response {
			return s.postForm(t, "/services/oauth2/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt},
				"client_id": {"FirstKey01"}, "client_secret": {"FirstSecret01"}})
		}
		oauth(400, "invalid_grant", "expired access/refresh token").check(t, refresh())
		if r := refresh(); r.Status != http.StatusOK {
			t.Errorf("the second refresh: %d %s", r.Status, r.Body)
		}
	})
}

// want is an expected error response.
type want struct {
	status      int
	contentType string
	body        string
}

func (w want) check(t *testing.T, r response) {
	t.Helper()
	got := want{r.Status, r.Header.Get("Content-Type"), r.Body}
	if diff := cmp.Diff(w, got, cmp.AllowUnexported(want{})); diff != "" {
		t.Errorf("response (-want +got):\n%s", diff)
	}
}

// Bad fault descriptions are 400 INVALID_INPUT with what is wrong.
func TestFaultValidation(t *testing.T) {
	s := startFaults(t)
	for body, msg := range map[string]string{
		`{"org":"Acme","family":"soap","answer":"drop"}`:                          `family "soap": want one of token, rest, bulk, composite, all`,
		`{"org":"Acme","family":"rest","answer":"invalid_grant"}`:                 "answer invalid_grant does not apply to the rest family (it applies to token)",
		`{"org":"Acme","family":"token","answer":"QUERY_TIMEOUT"}`:                "answer QUERY_TIMEOUT does not apply to the token family (it applies to rest, bulk, composite)",
		`{"org":"Acme","family":"rest","answer":"drop","count":2,"fraction":0.5}`: "give one of count, fraction and duration, not several",
		`{"org":"Acme","family":"rest","answer":"drop","fraction":1.5}`:           "fraction 1.5: want a number in (0, 1]",
		`{"org":"Acme","family":"rest","answer":"delay"}`:                         `answer delay needs a delay (e.g. "2s")`,
		`{"org":"Acme","family":"rest","answer":"drop","duration":"soon"}`:        `duration "soon": want a duration such as "90s", "2m" or "1h"`,
		`{"org":"Acme","family":"rest","answer":"drop","count":-1}`:               "count -1: want a positive number",
		`{"org":"Globex","app":"First","family":"rest","answer":"drop"}`:          `the app or user named is not in org Globex`,
	} {
		wantRESTError(t, s.admin(t, http.MethodPost, "/faults", body), http.StatusBadRequest, "INVALID_INPUT", msg)
	}
	wantRESTError(t, s.admin(t, http.MethodPost, "/faults", `{"org":"Nope","family":"rest","answer":"drop"}`),
		http.StatusNotFound, "NOT_FOUND", `no org named "Nope"`)
	wantRESTError(t, s.admin(t, http.MethodDelete, "/faults/12345", ""), http.StatusNotFound, "NOT_FOUND", "no fault 12345")
	if got := s.faults(t); len(got) != 0 {
		t.Errorf("faults after refused injections: %+v", got)
	}
}
