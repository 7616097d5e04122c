package sfauth_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/forcefieldtest"
	"github.com/forcefield/forcefield/sfauth"
)

// The refresh token grant (RFC 6749 §6; the webflow reference §4): what the package sends,
// how a TokenSource follows a rotated refresh token, and the whole thing against a real
// Forcefield — renewal after the access token is revoked, one refresh for 64 callers.

func TestRefreshTokenRequest(t *testing.T) {
	var got []url.Values
	var basic []string
	var mu sync.Mutex
	srv := tokenEndpoint(t, func(r *http.Request, form url.Values) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, form)
		u, p, _ := r.BasicAuth()
		basic = append(basic, u+":"+p)
	})
	for _, cfg := range []*sfauth.Config{
		{URL: srv.URL, ClientID: "PlatformCLI", RefreshToken: "5Aep861.rt=="},
		{URL: srv.URL, ClientID: "Key", ClientSecret: "Sec ret", RefreshToken: "5Aep861.rt=="},
		{URL: srv.URL, ClientID: "Key", ClientSecret: "Sec ret", RefreshToken: "5Aep861.rt==", AuthStyle: sfauth.AuthStyleInHeader},
		{URL: srv.URL, ClientID: "PlatformCLI", RefreshToken: "5Aep861.rt==", AuthStyle: sfauth.AuthStyleInHeader},
	} {
		if _, err := cfg.Token(context.Background()); err != nil {
			t.Fatalf("Token: %v", err)
		}
	}
	want := []url.Values{
		// No client_secret parameter at all without a secret, as sf sends it.
		{"grant_type": {"refresh_token"}, "refresh_token": {"5Aep861.rt=="}, "client_id": {"PlatformCLI"}},
		{"grant_type": {"refresh_token"}, "refresh_token": {"5Aep861.rt=="}, "client_id": {"Key"}, "client_secret": {"Sec ret"}},
		{"grant_type": {"refresh_token"}, "refresh_token": {"5Aep861.rt=="}},
		{"grant_type": {"refresh_token"}, "refresh_token": {"5Aep861.rt=="}, "client_id": {"PlatformCLI"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("forms sent (-want +got):\n%s", diff)
	}
	// Basic: each part form-urlencoded (RFC 6749 §2.3.1), and only with a secret.
	if diff := cmp.Diff([]string{":", ":", "Key:Sec+ret", ":"}, basic); diff != "" {
		t.Errorf("Basic credentials (-want +got):\n%s", diff)
	}
	for _, bad := range []*sfauth.Config{
		{URL: srv.URL, ClientID: "K", RefreshToken: "rt", Password: "pw", Username: "u"},
		{URL: srv.URL, ClientID: "", RefreshToken: "rt"},
	} {
		if _, err := bad.Token(context.Background()); err == nil || !strings.HasPrefix(err.Error(), "sfauth: ") {
			t.Errorf("Config %+v: %v, want a configuration error", bad, err)
		}
	}
}

// A server that rotates: each refresh returns a new refresh token and refuses the old one,
// as Salesforce does with Refresh Token Rotation (the webflow reference §4.4). The
// TokenSource presents the newest one each time and reports each to OnRefreshToken.
func TestRefreshTokenRotationIsFollowed(t *testing.T) {
	var mu sync.Mutex
	current, n := "rt-0", 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		mu.Lock()
		defer mu.Unlock()
		if form.Get("refresh_token") != current {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"error":"invalid_grant","error_description":"expired access/refresh token"}`)
			return
		}
		n++
		current = fmt.Sprintf("rt-%d", n)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":"00D!AT%d","refresh_token":%q,"instance_url":"http://%s","id":"http://%s/id/00D000000000001AAA/005000000000001AAA","token_type":"Bearer"}`,
			n, current, r.Host, r.Host)
	}))
	t.Cleanup(srv.Close)
	var stored []string
	cfg := &sfauth.Config{URL: srv.URL, ClientID: "Key", RefreshToken: "rt-0",
		OnRefreshToken: func(rt string) { stored = append(stored, rt) }}
	src := cfg.TokenSource(context.Background())
	tok, err := src.Current(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if tok, err = src.Renew(context.Background(), tok); err != nil {
			t.Fatalf("Renew after rotation: %v", err)
		}
	}
	if tok.AccessToken != "00D!AT4" || tok.RefreshToken != "rt-4" || src.RefreshToken() != "rt-4" {
		t.Errorf("after 4 refreshes: access %s, refresh %s, source's %s", tok.AccessToken, tok.RefreshToken, src.RefreshToken())
	}
	if diff := cmp.Diff([]string{"rt-1", "rt-2", "rt-3", "rt-4"}, stored); diff != "" {
		t.Errorf("OnRefreshToken calls (-want +got):\n%s", diff)
	}
	// The Config itself still holds the first token, which the server now refuses.
	_, err = cfg.Token(context.Background())
	var te *sfauth.TokenError
	if !errors.As(err, &te) || te.Code != "invalid_grant" {
		t.Errorf("the rotated-out token: %v, want invalid_grant", err)
	}
}

// refreshOrg has an app that issues refresh tokens without requiring the secret on
// refresh (like the Salesforce CLI's), one that requires it, and one that rotates.
const refreshOrg = `
orgs:
  - name: Acme
    myDomain: acme
    profiles:
      - {name: Web, permissions: [ApiEnabled]}
    users:
      - {username: web@acme.example, lastName: Web, email: web@acme.example, profile: Web}
    connectedApps:
      - {name: Public, scopes: [api, refresh_token], consumerKey: RefreshPublic01, consumerSecret: RefreshSecret01, refreshSecretOptional: true}
      - {name: Confidential, scopes: [api, refresh_token], consumerKey: RefreshConf02, consumerSecret: RefreshSecret02}
      - {name: Rotating, scopes: [api, refresh_token], consumerKey: RefreshRot03, consumerSecret: RefreshSecret03, refreshSecretOptional: true, refreshTokenRotation: true}
`

// startRefreshOrg runs a Forcefield with refreshOrg for one test.
func startRefreshOrg(t *testing.T) *forcefield {
	t.Helper()
	return &forcefield{forcefieldtest.Start(t, refreshOrg)}
}

// mintRefreshToken gets a refresh token for (app, user) from the admin API's shortcut,
// as if the user had completed the web server flow.
func (ff *forcefield) mintRefreshToken(t *testing.T, app, user string) string {
	t.Helper()
	body := ff.adminOrSkip(t, http.MethodPost, "/oauth-tokens", fmt.Sprintf(`{"app":%q,"user":%q}`, app, user))
	var v struct{ RefreshToken string }
	if err := json.Unmarshal(body, &v); err != nil || v.RefreshToken == "" {
		t.Fatalf("minting a refresh token: %v %s", err, body)
	}
	return v.RefreshToken
}

// revokeAccessToken revokes one access token at /services/oauth2/revoke, which leaves its
// refresh token valid (the webflow reference §4.7).
func (ff *forcefield) revokeAccessToken(t *testing.T, token string) {
	t.Helper()
	resp, err := http.PostForm(ff.URL+"/services/oauth2/revoke", url.Values{"token": {token}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("revoke: HTTP %d", resp.StatusCode)
	}
}

func TestRefreshTokenForcefield(t *testing.T) {
	ff := startRefreshOrg(t)
	rt := ff.mintRefreshToken(t, "Public", "web@acme.example")
	rec := &recorder{counter: counter{base: transport(t)}}
	cfg := &sfauth.Config{URL: ff.URL, ClientID: "RefreshPublic01", RefreshToken: rt, HTTPClient: &http.Client{Transport: rec}}
	src := cfg.TokenSource(context.Background())
	client := &http.Client{Transport: &sfauth.Transport{Source: src, Base: rec}}
	if s := get(t, client, "/services/data/v59.0/limits"); s != http.StatusOK {
		t.Fatalf("first call: %d", s)
	}
	first, err := src.Current(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if first.RefreshToken != "" || src.RefreshToken() != rt {
		t.Errorf("without rotation the response carries no refresh_token (got %q) and the source keeps the one it has", first.RefreshToken)
	}

	// The access token is revoked: the next call gets 401, renews with the refresh token
	// and succeeds on its retry.
	ff.revokeAccessToken(t, first.AccessToken)
	if s := get(t, client, "/services/data/v59.0/limits"); s != http.StatusOK {
		t.Fatalf("call after revoking the access token: %d", s)
	}
	if got := rec.tokens.Load(); got != 2 {
		t.Errorf("%d token requests, want 2", got)
	}

	// 64 callers hit the revoked token at once: one refresh for all of them.
	second, _ := src.Current(context.Background())
	ff.revokeAccessToken(t, second.AccessToken)
	const n = 64
	var failed atomic.Int64
	var wg sync.WaitGroup
	startGun := make(chan struct{})
	for range n {
		wg.Go(func() {
			<-startGun
			resp, err := client.Get("/services/data/v59.0/limits")
			if err != nil {
				failed.Add(1)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				failed.Add(1)
			}
		})
	}
	close(startGun)
	wg.Wait()
	if f := failed.Load(); f != 0 {
		t.Errorf("%d of %d calls failed", f, n)
	}
	if got := rec.tokens.Load(); got != 3 {
		t.Errorf("%d token requests, want 3 (exactly one for the 64 callers)", got)
	}

	// An app that requires the secret on refresh: with it, a token; without, refused.
	conf := ff.mintRefreshToken(t, "Confidential", "web@acme.example")
	ok := &sfauth.Config{URL: ff.URL, ClientID: "RefreshConf02", ClientSecret: "RefreshSecret02", RefreshToken: conf}
	tok, err := ok.Token(context.Background())
	if err != nil {
		t.Fatalf("refresh with the secret: %v", err)
	}
	if tok.Signature == "" {
		t.Error("no signature on a refresh with the secret")
	}
	noSecret := &sfauth.Config{URL: ff.URL, ClientID: "RefreshConf02", RefreshToken: conf}
	var te *sfauth.TokenError
	if _, err := noSecret.Token(context.Background()); !errors.As(err, &te) || te.Code != "invalid_client" {
		t.Errorf("refresh without the required secret: %v, want invalid_client", err)
	}
}

// With Refresh Token Rotation the server answers each refresh with a new refresh token:
// the TokenSource uses it for the next renewal (after another revocation), and the
// rotated-out one is refused.
func TestRefreshTokenRotationForcefield(t *testing.T) {
	ff := startRefreshOrg(t)
	rt := ff.mintRefreshToken(t, "Rotating", "web@acme.example")
	var rotated []string
	cfg := &sfauth.Config{URL: ff.URL, ClientID: "RefreshRot03", RefreshToken: rt, HTTPClient: &http.Client{Transport: transport(t)},
		OnRefreshToken: func(s string) { rotated = append(rotated, s) }}
	src := cfg.TokenSource(context.Background())
	client := &http.Client{Transport: &sfauth.Transport{Source: src, Base: transport(t)}}
	for i := range 3 {
		if s := get(t, client, "/services/data/v59.0/limits"); s != http.StatusOK {
			t.Fatalf("call %d: %d", i, s)
		}
		cur, _ := src.Current(context.Background())
		ff.revokeAccessToken(t, cur.AccessToken)
	}
	if len(rotated) != 3 || src.RefreshToken() != rotated[2] || rotated[0] == rt {
		t.Fatalf("rotations seen: %d (source holds the newest: %v)", len(rotated), src.RefreshToken() == rotated[len(rotated)-1])
	}
	stale := &sfauth.Config{URL: ff.URL, ClientID: "RefreshRot03", RefreshToken: rt}
	var te *sfauth.TokenError
	if _, err := stale.Token(context.Background()); !errors.As(err, &te) || te.Code != "invalid_grant" || te.Description != "expired access/refresh token" {
		t.Errorf("the first, rotated-out refresh token: %v, want invalid_grant / expired access/refresh token", err)
	}
}
