package server

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestAuthorizePendingLimit: every valid authorize request stores a pending row that only
// its 15-minute expiry removes, so one source address may store at most 300 at once and
// 10 a second after that (oauth.Config.PendingBurst/PendingRefill). 64 goroutines race
// 400 requests past the limit: no more rows than the limit allows are stored, the rest
// are redirected to the callback with the rate-limit error, and another address is not
// affected.
func TestAuthorizePendingLimit(t *testing.T) {
	s := startOrg(t, webOrgFile, false)
	noRedirects := func(c *http.Client) *http.Client {
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		return c
	}
	client := noRedirects(&http.Client{})
	const total = 400
	var stored, limited, other atomic.Int64
	var badLoc atomic.Value
	want := "http://localhost:1717/OauthRedirect?error=rate_limit_exceeded&error_description=number+of+logins+exceeded&state=st"
	start := time.Now()
	var wg sync.WaitGroup
	next := make(chan int, total)
	for i := range total {
		next <- i
	}
	close(next)
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range next {
				resp, err := client.Get(s.URL + webAuthorize(""))
				if err != nil {
					other.Add(1)
					continue
				}
				resp.Body.Close()
				loc := resp.Header.Get("Location")
				switch {
				case resp.StatusCode == http.StatusFound && loc == want:
					limited.Add(1)
				case resp.StatusCode == http.StatusFound && strings.HasPrefix(loc, "/?ec=302&startURL="): // the login page
					stored.Add(1)
				default:
					other.Add(1)
					badLoc.Store(resp.Status + " " + loc)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if other.Load() != 0 {
		t.Fatalf("%d answers were neither the login page nor the rate-limit redirect, e.g. %v", other.Load(), badLoc.Load())
	}
	// 300 at once, plus one per 100 ms of the test's run (and one for a partial tick).
	max := int64(300 + elapsed/(100*time.Millisecond) + 1)
	if n := stored.Load(); n < 300 || n > max {
		t.Errorf("stored %d pending requests in %v; want between 300 and %d", n, elapsed, max)
	}
	if limited.Load() == 0 {
		t.Errorf("no request was limited (stored %d of %d)", stored.Load(), total)
	}
	// Another address stores its own.
	resp, err := noRedirects(fromAddress(t, "127.0.0.2")).Get(s.URL + webAuthorize(""))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc, _ := url.Parse(resp.Header.Get("Location")); resp.StatusCode != http.StatusFound || loc == nil || loc.Path != "/" || loc.Query().Get("startURL") == "" {
		t.Errorf("from 127.0.0.2: %s %q; want a 302 to the login page", resp.Status, resp.Header.Get("Location"))
	}
}
