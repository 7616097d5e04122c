package sfauth_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/forcefield/forcefield/sfauth"
)

// recorder counts the token requests and records the REST requests' bodies.
type recorder struct {
	counter
	mu     sync.Mutex
	bodies []string // of non-token requests, in order
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if !strings.HasSuffix(req.URL.Path, "/services/oauth2/token") {
		var b []byte
		if req.Body != nil {
			b, _ = io.ReadAll(req.Body)
			req.Body.Close()
			req.Body = io.NopCloser(bytes.NewReader(b))
		}
		r.mu.Lock()
		r.bodies = append(r.bodies, string(b))
		r.mu.Unlock()
	}
	return r.counter.RoundTrip(req)
}

func (r *recorder) requests() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.bodies...)
}

// newClient returns a client whose token and REST requests both go through rec.
func newClient(ff *forcefield, rec *recorder) *http.Client {
	cfg := &sfauth.Config{URL: ff.URL, ClientID: testKey, ClientSecret: testSecret, HTTPClient: &http.Client{Transport: rec}}
	return &http.Client{Transport: &sfauth.Transport{Source: cfg.TokenSource(context.Background()), Base: rec}}
}

func get(t *testing.T, c *http.Client, path string) int {
	t.Helper()
	resp, err := c.Get(path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// 200 goroutines share one client when the session is revoked: all of them get 401
// INVALID_SESSION_ID for the same stale token, exactly one new token is requested, and
// every call succeeds on its retry.
func TestConcurrentRenewalIsSingleFlight(t *testing.T) {
	ff := start(t)
	rec := &recorder{counter: counter{base: transport(t)}}
	client := newClient(ff, rec)
	if s := get(t, client, "/services/data/v59.0/limits"); s != 200 {
		t.Fatalf("first call: %d", s)
	}
	ff.revokeSessions(t, testUser)

	const n = 200
	var failed atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			resp, err := client.Get("/services/data/v59.0/limits")
			if err != nil {
				failed.Add(1)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				failed.Add(1)
			}
		}()
	}
	began := time.Now()
	close(start)
	wg.Wait()
	if f := failed.Load(); f != 0 {
		t.Errorf("%d of %d calls failed", f, n)
	}
	if got := rec.tokens.Load(); got != 2 {
		t.Errorf("%d token requests, want 2 (the first and exactly one after the revocation)", got)
	}
	// Each call is sent once or, if it went out with the stale token, twice.
	if got := len(rec.requests()); got < 1+n || got > 1+2*n {
		t.Errorf("%d REST requests, want between %d and %d", got, 1+n, 1+2*n)
	}
	t.Logf("%d token requests, %d REST requests in %v", rec.tokens.Load(), len(rec.requests()), time.Since(began))
}

// A request whose body cannot be read again (GetBody nil) is not retried: the 401 is
// returned, and the next request gets a new token.
func TestNonReplayableBodyIsNotRetried(t *testing.T) {
	ff := start(t)
	rec := &recorder{counter: counter{base: http.DefaultTransport}}
	client := newClient(ff, rec)
	get(t, client, "/services/data/v59.0/limits")
	ff.revokeSessions(t, testUser)

	body := io.MultiReader(strings.NewReader(`{"Name":"Acme"}`)) // not a type NewRequest can replay
	req, _ := http.NewRequest(http.MethodPost, "/services/data/v59.0/sobjects/Account", body)
	if req.GetBody != nil {
		t.Fatal("test request is replayable")
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	err = sfauth.CheckResponse(resp)
	ae, ok := err.(*sfauth.APIError)
	if !ok || ae.StatusCode != 401 || ae.Errors[0].ErrorCode != "INVALID_SESSION_ID" {
		t.Fatalf("error %v, want the 401 INVALID_SESSION_ID", err)
	}
	if got := len(rec.requests()); got != 2 {
		t.Errorf("%d REST requests, want 2 (no retry)", got)
	}
	if got := rec.tokens.Load(); got != 1 {
		t.Errorf("%d token requests before the next call, want 1", got)
	}
	if s := get(t, client, "/services/data/v59.0/limits"); s != 200 || rec.tokens.Load() != 2 {
		t.Errorf("next call: %d after %d token requests, want 200 after a new token", s, rec.tokens.Load())
	}
}

// A replayable body is sent again, unchanged, with the new token.
func TestReplayableBodyIsRetried(t *testing.T) {
	ff := start(t)
	rec := &recorder{counter: counter{base: http.DefaultTransport}}
	client := newClient(ff, rec)
	get(t, client, "/services/data/v59.0/limits")
	ff.revokeSessions(t, testUser)

	resp, err := client.Post("/services/data/v59.0/limits", "application/json", strings.NewReader(`{"x":1}`))
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode == 401 {
		t.Errorf("retried request got 401")
	}
	got := rec.requests()
	if len(got) != 3 || got[1] != `{"x":1}` || got[2] != `{"x":1}` {
		t.Errorf("REST request bodies %q, want the body sent twice after the first GET", got)
	}
}

// When the new token is refused too, the 401 is returned: one retry, never a loop.
func TestAtMostOneRetry(t *testing.T) {
	var tokens, calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/services/oauth2/token" {
			n := tokens.Add(1)
			json.NewEncoder(w).Encode(map[string]string{"access_token": "00D!t" + string(rune('0'+n)), "instance_url": "http://" + r.Host, "token_type": "Bearer"})
			return
		}
		calls.Add(1)
		w.WriteHeader(401)
		io.WriteString(w, `[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`)
	}))
	defer srv.Close()
	cfg := &sfauth.Config{URL: srv.URL, ClientID: "k", ClientSecret: "s"}
	resp, err := cfg.Client(context.Background()).Get("/services/data/v59.0/limits")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 401 || !strings.Contains(string(b), "INVALID_SESSION_ID") {
		t.Errorf("got %d %s, want the second 401 with its body", resp.StatusCode, b)
	}
	if tokens.Load() != 2 || calls.Load() != 2 {
		t.Errorf("%d token requests and %d calls, want 2 and 2", tokens.Load(), calls.Load())
	}
}

// A proxy that rewrites the id of the token response is caught by the signature check.
func TestTamperedIDFailsSignature(t *testing.T) {
	ff := start(t)
	target, _ := url.Parse(ff.URL)
	var tamper atomic.Bool
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = func(resp *http.Response) error {
		if !tamper.Load() || resp.Request.URL.Path != "/services/oauth2/token" {
			return nil
		}
		var m map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
			return err
		}
		resp.Body.Close()
		m["id"] = strings.Replace(m["id"].(string), "/id/", "/id/00D000000000001AAA/", 1)
		b, _ := json.Marshal(m)
		resp.Body = io.NopCloser(bytes.NewReader(b))
		resp.ContentLength = int64(len(b))
		resp.Header.Del("Content-Length")
		return nil
	}
	srv := httptest.NewServer(proxy)
	defer srv.Close()

	cfg := &sfauth.Config{URL: srv.URL, ClientID: testKey, ClientSecret: testSecret}
	if _, err := cfg.Token(context.Background()); err != nil {
		t.Fatalf("through the untouched proxy: %v", err)
	}
	tamper.Store(true)
	if _, err := cfg.Token(context.Background()); err != sfauth.ErrSignature {
		t.Errorf("tampered id: error %v, want ErrSignature", err)
	}
	// The same with the secret sent in HTTP Basic.
	tok, err := (&sfauth.Config{URL: srv.URL, ClientID: testKey, ClientSecret: testSecret, AuthStyle: sfauth.AuthStyleInHeader}).Token(context.Background())
	if err != sfauth.ErrSignature || tok != nil {
		t.Errorf("tampered id, Basic: %v, %v, want ErrSignature", tok, err)
	}
}

// A caller whose context ends stops waiting for a slow token request; the request itself
// goes on for the others, who get its token.
func TestWaitingCallerCanGiveUp(t *testing.T) {
	release := make(chan struct{})
	var tokens atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tokens.Add(1)
		<-release
		io.WriteString(w, `{"access_token":"00D!slow","instance_url":"http://`+r.Host+`","token_type":"Bearer"}`)
	}))
	defer srv.Close()
	src := (&sfauth.Config{URL: srv.URL, ClientID: "k", ClientSecret: "s"}).TokenSource(context.Background())

	ctx, cancel := context.WithCancel(context.Background())
	gaveUp := make(chan error)
	go func() { _, err := src.Current(ctx); gaveUp <- err }()
	patient := make(chan string)
	go func() {
		tok, err := src.Current(context.Background())
		if err != nil {
			t.Error(err)
			patient <- ""
			return
		}
		patient <- tok.AccessToken
	}()
	for tokens.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-gaveUp; err != context.Canceled {
		t.Errorf("cancelled caller: %v, want context.Canceled", err)
	}
	close(release)
	if got := <-patient; got != "00D!slow" {
		t.Errorf("patient caller got %q", got)
	}
	if n := tokens.Load(); n != 1 {
		t.Errorf("%d token requests, want 1", n)
	}
}
