package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Expiring sessions now, by session, user, app and org: the next call with an expired
// token gets exactly a timed-out session's answer; the others keep working; refresh
// tokens stay valid.
func TestExpireSessions(t *testing.T) {
	s := startFaults(t)
	expired := func(t *testing.T, tok string) {
		t.Helper()
		wantRESTError(t, s.get(t, "/services/data/v59.0/limits", tok), http.StatusUnauthorized, "INVALID_SESSION_ID", "Session expired or invalid")
	}
	live := func(t *testing.T, tok string) {
		t.Helper()
		if r := s.get(t, "/services/data/v59.0/limits", tok); r.Status != http.StatusOK {
			t.Errorf("a session that should live: %d %s", r.Status, r.Body)
		}
	}
	expire := func(t *testing.T, body string, n int) {
		t.Helper()
		r := s.admin(t, http.MethodPost, "/sessions/expire", body)
		if r.Status != http.StatusOK || r.Body != `{"expired":`+itoa(n)+`}`+"\n" && r.Body != `{"expired":`+itoa(n)+`}` {
			t.Fatalf("expire %s: %d %s, want %d expired", body, r.Status, r.Body, n)
		}
	}
	t.Run("session", func(t *testing.T) {
		f := s.faultsTokens(t)
		r := s.admin(t, http.MethodGet, "/sessions?app="+appID(t, s.testServer, "First"), "")
		var ss []struct{ ID string }
		json.Unmarshal([]byte(r.Body), &ss)
		if len(ss) == 0 {
			t.Fatalf("sessions: %s", r.Body)
		}
		for _, sess := range ss {
			expire(t, `{"session":"`+sess.ID+`"}`, 1)
		}
		expired(t, f.first)
		live(t, f.second)
		wantRESTError(t, s.admin(t, http.MethodPost, "/sessions/expire", `{"session":"`+ss[0].ID+`"}`), http.StatusNotFound, "NOT_FOUND", "no session "+ss[0].ID)
	})
	t.Run("user", func(t *testing.T) {
		f := s.faultsTokens(t)
		expire(t, `{"user":"two@acme.example"}`, countSessions(t, s.testServer, "Second"))
		expired(t, f.second)
		live(t, f.first)
	})
	t.Run("app", func(t *testing.T) {
		f := s.faultsTokens(t)
		expire(t, `{"app":"First"}`, countSessions(t, s.testServer, "First"))
		expired(t, f.first)
		live(t, f.second)
		live(t, f.globex)
	})
	t.Run("org", func(t *testing.T) {
		f := s.faultsTokens(t)
		r := s.admin(t, http.MethodPost, "/oauth-tokens", `{"app":"First","user":"one@acme.example"}`)
		rt := r.JSON(t)["refreshToken"].(string)
		expire(t, `{"org":"Acme"}`, countSessions(t, s.testServer, "First")+countSessions(t, s.testServer, "Second"))
		expired(t, f.first)
		expired(t, f.second)
		live(t, f.globex)
		// The refresh token still works: the client refreshes, as after a timeout.
		r = s.postForm(t, "/services/oauth2/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt},
			"client_id": {"FirstKey01"}, "client_secret": {"FirstSecret01"}})
		if r.Status != http.StatusOK {
			t.Fatalf("refresh after expiring the org's sessions: %d %s", r.Status, r.Body)
		}
		live(t, r.JSON(t)["access_token"].(string))
	})
	for body, msg := range map[string]string{
		`{}`:                      `name exactly one of "session", "user", "app", "org"`,
		`{"user":"a","app":"b"}`:  `name exactly one of "session", "user", "app", "org"`,
		`{"session":"not an id"}`: `session: malformed id "not an id"`,
	} {
		wantRESTError(t, s.admin(t, http.MethodPost, "/sessions/expire", body), http.StatusBadRequest, "INVALID_INPUT", msg)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// appID returns the id of the app named name.
func appID(t *testing.T, s *testServer, name string) string {
	t.Helper()
	var apps []struct{ ID, Name string }
	json.Unmarshal([]byte(s.admin(t, http.MethodGet, "/apps", "").Body), &apps)
	for _, a := range apps {
		if a.Name == name {
			return a.ID
		}
	}
	t.Fatalf("no app %s", name)
	return ""
}

// countSessions counts the live sessions of an app.
func countSessions(t *testing.T, s *testServer, app string) int {
	t.Helper()
	var ss []json.RawMessage
	json.Unmarshal([]byte(s.admin(t, http.MethodGet, "/sessions?limit=1000&app="+appID(t, s, app), "").Body), &ss)
	return len(ss)
}

// Exhausting DailyApiRequests: the next REST call gets 403 REQUEST_LIMIT_EXCEEDED with
// the whole limit used in Sforce-Limit-Info; another org is untouched.
func TestExhaustLimit(t *testing.T) {
	s := startFaults(t)
	r := s.admin(t, http.MethodPost, "/orgs/Acme/limits/exhaust", `{"limit":"DailyApiRequests"}`)
	if r.Status != http.StatusOK || strings.TrimSpace(r.Body) != `{"limit":"DailyApiRequests","max":5000,"remaining":0}` {
		t.Fatalf("exhaust: %d %s", r.Status, r.Body)
	}
	r = s.get(t, "/services/data/v59.0/limits", s.first)
	wantRESTError(t, r, http.StatusForbidden, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
	if got := r.Header.Get("Sforce-Limit-Info"); got != "api-usage=5000/5000" {
		t.Errorf("Sforce-Limit-Info = %q, want api-usage=5000/5000", got)
	}
	if r := s.get(t, "/services/data/v59.0/limits", s.globex); r.Status != http.StatusOK {
		t.Errorf("Globex after Acme's limit was exhausted: %d %s", r.Status, r.Body)
	}
	wantRESTError(t, s.admin(t, http.MethodPost, "/orgs/Acme/limits/exhaust", `{"limit":"DailyBulkApiBatches"}`),
		http.StatusBadRequest, "INVALID_INPUT", `limit "DailyBulkApiBatches": only DailyApiRequests can be exhausted`)
}
