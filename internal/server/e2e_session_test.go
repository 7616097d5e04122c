package server

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Session lifetime, sliding, persistence and revocation (salesforce-oauth.md §3.4, §6.2).

const limitsPath = "/services/data/v59.0/limits"

// wantLive checks that a token still works on the REST API.
func wantLive(t *testing.T, s *testServer, tok, when string) {
	t.Helper()
	if r := s.get(t, limitsPath, tok); r.Status != http.StatusOK {
		t.Errorf("%s: status %d, want 200: %s", when, r.Status, r.Body)
	}
}

// wantDead checks that a token gets the REST API's 401 INVALID_SESSION_ID.
func wantDead(t *testing.T, s *testServer, tok, when string) {
	t.Helper()
	r := s.get(t, limitsPath, tok)
	if r.Status != http.StatusUnauthorized || r.Body != restError("INVALID_SESSION_ID", "Session expired or invalid") {
		t.Errorf("%s: got %d %s, want 401 INVALID_SESSION_ID", when, r.Status, r.Body)
	}
}

func TestSessionTimeout(t *testing.T) {
	s := start(t)
	t.Run("profile timeout of 15 minutes slides on use", func(t *testing.T) {
		tok := s.token(t, "ShortKey0010", "ShortSecret0010")
		s.Clock.Advance(14 * time.Minute)
		wantLive(t, s, tok, "14 minutes after issue")
		s.Clock.Advance(14 * time.Minute)
		wantLive(t, s, tok, "28 minutes after issue, 14 after last use")
		s.Clock.Advance(16 * time.Minute)
		wantDead(t, s, tok, "16 minutes idle")
		// Once expired it stays expired, even though the failed call was a "use".
		wantDead(t, s, tok, "right after expiry")
	})
	t.Run("exactly the timeout idle is expired", func(t *testing.T) {
		tok := s.token(t, "ShortKey0010", "ShortSecret0010")
		s.Clock.Advance(15*time.Minute - time.Millisecond)
		wantLive(t, s, tok, "15 minutes less 1 ms")
		s.Clock.Advance(15 * time.Minute)
		wantDead(t, s, tok, "15 minutes idle")
	})
	t.Run("org default of 120 minutes", func(t *testing.T) {
		tok := s.token(t, "AcmeKey0001", "AcmeSecret0001")
		s.Clock.Advance(119 * time.Minute)
		wantLive(t, s, tok, "119 minutes after issue")
		s.Clock.Advance(121 * time.Minute)
		wantDead(t, s, tok, "121 minutes idle")
	})
	t.Run("identity and userinfo slide the session too", func(t *testing.T) {
		tok := s.token(t, "ShortKey0010", "ShortSecret0010")
		s.Clock.Advance(10 * time.Minute)
		if r := s.get(t, "/services/oauth2/userinfo", tok); r.Status != http.StatusOK {
			t.Fatalf("userinfo: %d %s", r.Status, r.Body)
		}
		s.Clock.Advance(10 * time.Minute)
		wantLive(t, s, tok, "20 minutes after issue, 10 after userinfo")
		s.Clock.Advance(15 * time.Minute)
		if r := s.get(t, "/services/oauth2/userinfo", tok); r.Status != http.StatusForbidden || r.Body != "Bad_OAuth_Token" {
			t.Errorf("userinfo after expiry: %d %q, want 403 Bad_OAuth_Token", r.Status, r.Body)
		}
	})
}

func TestSessionSurvivesRestart(t *testing.T) {
	orgFile, dir := writeOrgFile(t, testOrgFile)
	cfg := Config{DB: filepath.Join(dir, "ff.db"), OrgFile: orgFile}
	var tok, usedTok string
	// The first server lives in a subtest so that its cleanup (a graceful stop) runs when
	// the subtest ends. Calling ts.stop() directly would make the harness's own cleanup
	// wait for a second Run result that never comes.
	t.Run("first server", func(t *testing.T) {
		s := startWith(t, cfg)
		tok = s.token(t, "AcmeKey0001", "AcmeSecret0001")
		usedTok = s.token(t, "ShortKey0010", "ShortSecret0010")
		// Use the short session 10 minutes in: the activity is in memory only until the
		// flush at shutdown.
		s.Clock.Advance(10 * time.Minute)
		wantLive(t, s, usedTok, "before restart")
	})
	s := startWith(t, cfg)
	wantLive(t, s, tok, "after restart")
	// The new server's clock starts again at the instant of issue. At +20 minutes the short
	// session is alive only if its use at +10 minutes was written at the graceful shutdown
	// (the session package flushes activity on Close).
	s.Clock.Advance(20 * time.Minute)
	wantLive(t, s, usedTok, "short session 20 minutes after issue, 10 after its last use before the restart")
	// And a restored session still expires.
	s.Clock.Advance(15 * time.Minute)
	wantDead(t, s, usedTok, "short session 15 minutes idle after restart")
	wantLive(t, s, tok, "default session after restart")
	wantDead(t, s, "00D000000000000!nope", "garbage token after restart")
}

// sessionView is the admin API's session listing.
type sessionView struct {
	ID       string `json:"id"`
	OrgID    string `json:"orgId"`
	UserID   string `json:"userId"`
	AppID    string `json:"appId"`
	SourceIP string `json:"sourceIp"`
}

func (s *testServer) sessions(t *testing.T, query string) []sessionView {
	t.Helper()
	r := s.admin(t, http.MethodGet, "/sessions"+query, "")
	if r.Status != http.StatusOK {
		t.Fatalf("list sessions: %d %s", r.Status, r.Body)
	}
	var out []sessionView
	if err := json.Unmarshal([]byte(r.Body), &out); err != nil {
		t.Fatalf("list sessions: %v: %s", err, r.Body)
	}
	return out
}

func TestSessionRevocationByAdmin(t *testing.T) {
	s := start(t)
	t.Run("one session by id", func(t *testing.T) {
		keep := s.token(t, "AcmeKey0001", "AcmeSecret0001")
		before := s.sessions(t, "")
		victim := s.token(t, "AcmeKey0001", "AcmeSecret0001")
		after := s.sessions(t, "")
		if len(after) != len(before)+1 {
			t.Fatalf("sessions: %d before, %d after issuing one", len(before), len(after))
		}
		// Newest first: the victim's session heads the list.
		id := after[0].ID
		orgID, userID := s.ids(t, "integration@acme.example")
		if after[0].UserID != userID || after[0].OrgID != orgID || after[0].SourceIP != "127.0.0.1" {
			t.Errorf("newest session = %+v, want user %s org %s from 127.0.0.1", after[0], userID, orgID)
		}
		wantLive(t, s, victim, "before revocation")
		r := s.admin(t, http.MethodDelete, "/sessions/"+id, "")
		if r.Status != http.StatusNoContent || r.Body != "" {
			t.Fatalf("DELETE session: %d %q, want 204 and no body", r.Status, r.Body)
		}
		wantDead(t, s, victim, "after revocation")
		wantLive(t, s, keep, "the other session")
		if r := s.admin(t, http.MethodDelete, "/sessions/"+id, ""); r.Status != http.StatusNotFound {
			t.Errorf("DELETE again: %d %s, want 404", r.Status, r.Body)
		}
		if got := s.sessions(t, ""); len(got) != len(before) {
			t.Errorf("%d sessions listed after revocation, want %d", len(got), len(before))
		}
	})
	t.Run("every session of a user", func(t *testing.T) {
		var toks []string
		for _, c := range [][2]string{{"AcmeKey0001", "AcmeSecret0001"}, {"OtherKey0002", "OtherSecret0002"}, {"IntroKey0003", "IntroSecret0003"}} {
			toks = append(toks, s.token(t, c[0], c[1]))
		}
		other := s.token(t, "ShortKey0010", "ShortSecret0010") // runs as short@acme.example
		_, userID := s.ids(t, "integration@acme.example")
		n := len(s.sessions(t, "?user="+userID))
		if n < len(toks) {
			t.Fatalf("%d sessions listed for the user, want at least %d", n, len(toks))
		}
		r := s.admin(t, http.MethodDelete, "/users/integration@acme.example/sessions", "")
		if r.Status != http.StatusOK {
			t.Fatalf("DELETE user sessions: %d %s", r.Status, r.Body)
		}
		if want := fmt.Sprintf(`{"revoked":%d}`, n); r.Body != want {
			t.Errorf("body %s, want %s", r.Body, want)
		}
		for i, tok := range toks {
			wantDead(t, s, tok, fmt.Sprintf("token %d after revoking the user's sessions", i))
		}
		wantLive(t, s, other, "another user's token")
		if got := s.sessions(t, "?user="+userID); len(got) != 0 {
			t.Errorf("%d sessions left for the user", len(got))
		}
		r = s.admin(t, http.MethodDelete, "/users/integration@acme.example/sessions", "")
		if r.Status != http.StatusOK || r.Body != `{"revoked":0}` {
			t.Errorf("second DELETE: %d %s, want {\"revoked\":0}", r.Status, r.Body)
		}
		// New tokens for the user work again.
		wantLive(t, s, s.token(t, "AcmeKey0001", "AcmeSecret0001"), "a new token")
	})
	t.Run("unknown ids", func(t *testing.T) {
		for _, tc := range []struct {
			path   string
			status int
		}{
			{"/sessions/not-an-id", 400},
			{"/users/nobody@acme.example/sessions", 404},
		} {
			if r := s.admin(t, http.MethodDelete, tc.path, ""); r.Status != tc.status {
				t.Errorf("DELETE %s: %d %s, want %d", tc.path, r.Status, r.Body, tc.status)
			}
		}
	})
}

func TestSessionConcurrentIssue(t *testing.T) {
	s := start(t)
	// Prime the verified-secret cache so the goroutines race on the session path, not on
	// 50 PBKDF2 computations.
	s.token(t, "AcmeKey0001", "AcmeSecret0001")
	const n = 50
	toks := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	startGate := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-startGate
			toks[i], errs[i] = issue(s.URL, "AcmeKey0001", "AcmeSecret0001")
		}()
	}
	close(startGate)
	wg.Wait()
	seen := map[string]bool{}
	for i := range n {
		if errs[i] != nil {
			t.Errorf("goroutine %d: %v", i, errs[i])
			continue
		}
		if seen[toks[i]] {
			t.Errorf("token %d issued twice", i)
		}
		seen[toks[i]] = true
	}
	// Use them concurrently as well.
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if toks[i] == "" {
				return
			}
			req, _ := http.NewRequest(http.MethodGet, s.URL+limitsPath, nil)
			req.Header.Set("Authorization", "Bearer "+toks[i])
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				errs[i] = err
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				errs[i] = fmt.Errorf("limits with token %d: status %d", i, resp.StatusCode)
			}
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("goroutine %d: %v", i, err)
		}
	}
	orgID, _ := s.ids(t, "integration@acme.example")
	if got := len(s.sessions(t, "?org="+orgID)); got != n+1 {
		t.Errorf("%d sessions stored, want %d", got, n+1)
	}
	// Every request was counted exactly once.
	r := s.get(t, limitsPath, toks[0])
	if got, want := topLimits(t, r.Body)["DailyApiRequests"], (limitPair{1000, 1000 - n - 1}); got != want {
		t.Errorf("limits after %d concurrent calls: DailyApiRequests %v, want %v", n, got, want)
	}
}

// issue requests a token without a *testing.T, for use from goroutines.
func issue(base, key, secret string) (string, error) {
	resp, err := http.PostForm(base+"/services/oauth2/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {key}, "client_secret": {secret}})
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("token: %d %s", resp.StatusCode, body)
	}
	var tr struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(body, &tr); err != nil || tr.AccessToken == "" {
		return "", fmt.Errorf("token body %s: %v", body, err)
	}
	return tr.AccessToken, nil
}
