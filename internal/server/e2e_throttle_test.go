package server

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Throttling of failed client authentication (docs/operations.md "Security"): per consumer
// key and source address, 10 failures in a burst, then one more every 6 seconds.

const tokenPath = "/services/oauth2/token"

// clientFrom returns an HTTP client whose connections come from ip, or skips the test when
// the address cannot be bound.
func clientFrom(t *testing.T, s *testServer, ip string) *http.Client {
	t.Helper()
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	c, err := dialer.Dial("tcp", s.Addr().String())
	if err != nil {
		t.Skipf("cannot connect from %s: %v", ip, err)
	}
	c.Close()
	return &http.Client{Transport: &http.Transport{DialContext: dialer.DialContext}}
}

// postFormWith POSTs a form with a given client.
func postFormWith(t *testing.T, c *http.Client, u string, form url.Values) response {
	t.Helper()
	resp, err := c.PostForm(u, form)
	if err != nil {
		t.Fatalf("POST %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{resp.StatusCode, resp.Header, string(body)}
}

func TestFailedSecretThrottle(t *testing.T) {
	s := start(t)
	const key, right = "AcmeKey0001", "AcmeSecret0001"
	rateLimited := func(t *testing.T, r response) {
		t.Helper()
		wantOAuthError(t, r, http.StatusBadRequest, "rate_limit_exceeded", "number of logins exceeded")
	}

	for i := 1; i <= 10; i++ {
		r := s.postForm(t, tokenPath, ccForm(key, fmt.Sprintf("WrongSecret%02d", i)))
		wantOAuthError(t, r, http.StatusBadRequest, "invalid_client", "invalid client credentials")
	}
	// The 11th attempt is refused before the secret is even looked at.
	rateLimited(t, s.postForm(t, tokenPath, ccForm(key, right)))
	rateLimited(t, s.postFormBasic(t, tokenPath, url.Values{"grant_type": {"client_credentials"}}, key, right))

	t.Run("login history records the refusal", func(t *testing.T) {
		var rows []struct{ Status, SourceIP, Application string }
		if err := json.Unmarshal([]byte(s.admin(t, http.MethodGet, "/login-history?limit=3", "").Body), &rows); err != nil || len(rows) != 3 {
			t.Fatalf("login history: %v %+v", err, rows)
		}
		for i, want := range []string{"Login rate exceeded", "Login rate exceeded", "Invalid client credentials"} {
			if rows[i].Status != want || rows[i].SourceIP != "127.0.0.1" {
				t.Errorf("row %d = %+v, want status %q from 127.0.0.1", i, rows[i], want)
			}
		}
		if rows[2].Application != "Acme Integration" {
			t.Errorf("row 2 application = %q, want Acme Integration", rows[2].Application)
		}
	})

	t.Run("other consumer keys from the same address", func(t *testing.T) {
		if r := s.postForm(t, tokenPath, ccForm("OtherKey0002", "OtherSecret0002")); r.Status != http.StatusOK {
			t.Errorf("OtherKey0002 from 127.0.0.1: %d %s", r.Status, r.Body)
		}
	})

	t.Run("the same key from another address", func(t *testing.T) {
		c := clientFrom(t, s, "127.0.0.2")
		r := postFormWith(t, c, s.URL+tokenPath, ccForm(key, right))
		if r.Status != http.StatusOK {
			t.Fatalf("from 127.0.0.2: %d %s", r.Status, r.Body)
		}
		var rows []struct{ Status, SourceIP string }
		json.Unmarshal([]byte(s.admin(t, http.MethodGet, "/login-history?limit=1", "").Body), &rows)
		if len(rows) != 1 || rows[0].Status != "Success" || rows[0].SourceIP != "127.0.0.2" {
			t.Errorf("login history %+v, want a success from 127.0.0.2", rows)
		}
		// 127.0.0.2 has its own allowance of failures.
		r = postFormWith(t, c, s.URL+tokenPath, ccForm(key, "WrongSecretX"))
		wantOAuthError(t, r, http.StatusBadRequest, "invalid_client", "invalid client credentials")
	})

	t.Run("unknown consumer keys are throttled per address", func(t *testing.T) {
		c := clientFrom(t, s, "127.0.0.3")
		for i := 1; i <= 10; i++ {
			r := postFormWith(t, c, s.URL+tokenPath, ccForm(fmt.Sprintf("Unknown%02d", i), "x"))
			wantOAuthError(t, r, http.StatusBadRequest, "invalid_client_id", "client identifier invalid")
		}
		rateLimited(t, postFormWith(t, c, s.URL+tokenPath, ccForm("Unknown11", "x")))
		// Another address is unaffected.
		c2 := clientFrom(t, s, "127.0.0.4")
		r := postFormWith(t, c2, s.URL+tokenPath, ccForm("Unknown12", "x"))
		wantOAuthError(t, r, http.StatusBadRequest, "invalid_client_id", "client identifier invalid")
	})

	t.Run("the allowance returns with time", func(t *testing.T) {
		s.Clock.Advance(5 * time.Second)
		rateLimited(t, s.postForm(t, tokenPath, ccForm(key, right)))
		s.Clock.Advance(time.Second) // one failure's worth every 6 seconds
		if r := s.postForm(t, tokenPath, ccForm(key, right)); r.Status != http.StatusOK {
			t.Errorf("6 seconds later: %d %s", r.Status, r.Body)
		}
		// A success costs nothing; one more failure spends the returned allowance.
		wantOAuthError(t, s.postForm(t, tokenPath, ccForm(key, "WrongSecret11")), 400, "invalid_client", "invalid client credentials")
		rateLimited(t, s.postForm(t, tokenPath, ccForm(key, right)))
		s.Clock.Advance(time.Minute)
		r := s.postForm(t, tokenPath, ccForm(key, right))
		if r.Status != http.StatusOK || !strings.Contains(r.Body, `"access_token"`) {
			t.Fatalf("a minute later: %d %s", r.Status, r.Body)
		}
		// A full burst is available again.
		for i := 1; i <= 10; i++ {
			wantOAuthError(t, s.postForm(t, tokenPath, ccForm(key, fmt.Sprintf("Again%02d", i))), 400, "invalid_client", "invalid client credentials")
		}
		rateLimited(t, s.postForm(t, tokenPath, ccForm(key, right)))
	})
}
