package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/forcefield/forcefield/sfauth"
)

// tokenCounter counts the requests to the token endpoint going through it.
type tokenCounter struct {
	base   http.RoundTripper
	tokens atomic.Int64
}

func (c *tokenCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Path, "/services/oauth2/token") {
		c.tokens.Add(1)
	}
	return c.base.RoundTrip(r)
}

// sfauth's single-flight renewal under an injected expiry (issue 14 §6): 100 goroutines
// share one client; after the app's sessions are expired through the admin API, they all
// call at once, and exactly one new token is requested — by the client's count and by the
// server's login history — and every call succeeds.
func TestKitSfauthSingleFlight(t *testing.T) {
	s := startKit(t)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 100
	t.Cleanup(tr.CloseIdleConnections)
	counter := &tokenCounter{base: tr}
	cfg := &sfauth.Config{URL: s.URL, ClientID: kitKey, ClientSecret: kitSecret, HTTPClient: &http.Client{Transport: counter}}
	client := cfg.Client(context.Background())
	path := "/services/data/v62.0/query?q=" + url.QueryEscape(kitSOQL)
	query := func() error {
		resp, err := client.Get(path)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if err := sfauth.CheckResponse(resp); err != nil {
			return err
		}
		var body struct{ TotalSize int }
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.TotalSize != 2 {
			return &sfauth.APIError{StatusCode: resp.StatusCode}
		}
		return nil
	}
	if err := query(); err != nil {
		t.Fatalf("first query: %v", err)
	}
	if got := s.adminOK(t, http.StatusOK, http.MethodPost, "/sessions/expire", `{"app":"Orders Sync"}`); got["expired"] != 1.0 {
		t.Fatalf("expire: %v, want 1 session expired", got)
	}

	const callers = 100
	start := make(chan struct{})
	errs := make(chan error, callers)
	var wg sync.WaitGroup
	for range callers {
		wg.Go(func() {
			<-start
			errs <- query()
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("a caller failed: %v", err)
		}
	}
	if n := counter.tokens.Load(); n != 2 {
		t.Errorf("%d token requests, want 2 (the first token and one renewal for %d callers)", n, callers)
	}
	if n := s.kitLogins(t); n != 2 {
		t.Errorf("%d successful logins in the login history, want 2", n)
	}
}
