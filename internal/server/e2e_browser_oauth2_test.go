package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"
)

// golang.org/x/oauth2's web server flow with a real browser (issue 10 §5,
// salesforce-webflow.md §6.3): AuthCodeURL with an S256 challenge, chromium logs in and
// approves, Exchange with the verifier, and a TokenSource that refreshes.
func TestBrowserOAuth2WebFlow(t *testing.T) {
	cb := newCallback(t)
	s := startWebOrg(t, cb.URL, false)
	b := newChromium(t)

	// Record how the library authenticates to the token endpoint: the requests go to the
	// real server unchanged.
	rec := &authRecorder{next: http.DefaultTransport}
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, &http.Client{Transport: rec})
	cfg := oauth2.Config{
		ClientID:     webKey,
		ClientSecret: webSecret,
		Endpoint:     oauth2.Endpoint{AuthURL: s.URL + "/services/oauth2/authorize", TokenURL: s.URL + "/services/oauth2/token"},
		RedirectURL:  cb.URL,
		Scopes:       []string{"api", "id", "refresh_token"},
	}
	verifier := oauth2.GenerateVerifier()
	state := randomState(t)
	authz := cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))
	if u, _ := url.Parse(authz); u.Query().Get("code_challenge_method") != "S256" {
		t.Fatalf("AuthCodeURL %s has no code_challenge_method=S256", authz)
	}

	b.open(authz)
	b.login(webUser, webPassword)
	b.approve()
	got := cb.wait(t)
	if got.Get("state") != state || got.Has("error") {
		t.Fatalf("callback query %v, want a code and state %s", got, state)
	}

	tok, err := cfg.Exchange(ctx, got.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("Exchange: %v", err)
	}
	// AuthStyleAutoDetect tries HTTP Basic first and falls back to the body only on an
	// error; the server accepts Basic, so one request did it.
	if diff := cmp.Diff([]string{"Basic"}, rec.styles()); diff != "" {
		t.Errorf("client authentication of the exchange (-want +got):\n%s", diff)
	}
	if tok.TokenType != "Bearer" || !strings.HasPrefix(tok.RefreshToken, "5Aep861") || !tok.Expiry.IsZero() {
		t.Errorf("token: type %q, refresh token %.12q…, expiry %v; want Bearer, 5Aep861…, none (Salesforce sends no expires_in)",
			tok.TokenType, tok.RefreshToken, tok.Expiry)
	}
	for k, want := range map[string]string{"instance_url": s.URL, "id": s.identityURL(t, webUser), "scope": "api id refresh_token"} {
		if got := tok.Extra(k); got != want {
			t.Errorf("Extra(%q) = %v, want %q", k, got, want)
		}
	}
	wantAccounts(t, oauth2.NewClient(ctx, oauth2.StaticTokenSource(tok)), s.URL)

	// No expires_in means Valid() forever and no refresh ever: an app learns of expiry from a
	// 401 and marks the token expired itself, as here; the TokenSource then refreshes.
	expired := *tok
	expired.Expiry = time.Now().Add(-time.Minute)
	src := cfg.TokenSource(ctx, &expired)
	fresh, err := src.Token()
	if err != nil {
		t.Fatalf("refresh through the TokenSource: %v", err)
	}
	if fresh.AccessToken == tok.AccessToken || fresh.AccessToken == "" {
		t.Errorf("the refresh returned the same access token")
	}
	// Rotation is off by default: no refresh_token in the response, and x/oauth2 keeps the
	// one it had (§4.4).
	if fresh.RefreshToken != tok.RefreshToken {
		t.Errorf("refresh token after the refresh = %.12q…, want the original kept", fresh.RefreshToken)
	}
	if styles := rec.styles(); len(styles) != 2 || styles[1] != "Basic" {
		t.Errorf("client authentication so far %v, want Basic for the refresh too", styles)
	}
	wantAccounts(t, oauth2.NewClient(ctx, src), s.URL)

	// A second authorization in the same browser: its sid cookie skips the login page and
	// the stored approval skips "Allow Access?" — the browser goes straight to the callback.
	verifier2, state2 := oauth2.GenerateVerifier(), randomState(t)
	b.open(cfg.AuthCodeURL(state2, oauth2.S256ChallengeOption(verifier2)))
	again := cb.wait(t)
	if again.Get("state") != state2 || again.Has("error") {
		t.Fatalf("second authorization: callback query %v, want a code and state %s", again, state2)
	}
	if _, err := cfg.Exchange(ctx, again.Get("code"), oauth2.VerifierOption(verifier2)); err != nil {
		t.Errorf("second Exchange: %v", err)
	}
	// The first code is spent (single use, §3.2).
	_, err = cfg.Exchange(ctx, got.Get("code"), oauth2.VerifierOption(verifier))
	if re := (*oauth2.RetrieveError)(nil); !errors.As(err, &re) || re.ErrorCode != "invalid_grant" || re.ErrorDescription != "expired authorization code" {
		t.Errorf("reused code: %v, want invalid_grant / expired authorization code", err)
	}

	// One UI login for both authorizations; the spent code names no user, so no row.
	wantRows := []string{
		"Application/UsernamePasswordUiLogin/Success/Browser",
		"Remote Access 2.0/OauthRefreshToken/Success/Web App",
		"Remote Access 2.0/OauthWebServer/Success/Web App",
		"Remote Access 2.0/OauthWebServer/Success/Web App",
	}
	if diff := cmp.Diff(wantRows, s.userLoginRows(t, webUser)); diff != "" {
		t.Errorf("LoginHistory of %s (-want +got):\n%s", webUser, diff)
	}
}

// wantAccounts queries the seeded Accounts through an authorized client.
func wantAccounts(t *testing.T, c *http.Client, base string) {
	t.Helper()
	resp, err := c.Get(base + "/services/data/v59.0/query?q=" + url.QueryEscape("SELECT Name FROM Account ORDER BY Name"))
	if err != nil {
		t.Fatalf("query: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var res struct{ Records []struct{ Name string } }
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &res) != nil {
		t.Fatalf("query: %d %s", resp.StatusCode, body)
	}
	var names []string
	for _, r := range res.Records {
		names = append(names, r.Name)
	}
	if diff := cmp.Diff(webAccounts, names); diff != "" {
		t.Errorf("Accounts (-want +got):\n%s", diff)
	}
}

// authRecorder notes how each token request authenticated the client ("Basic" or "body").
type authRecorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	seen []string
}

func (a *authRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Path != "/services/oauth2/token" {
		return a.next.RoundTrip(r)
	}
	style := "body"
	if strings.HasPrefix(r.Header.Get("Authorization"), "Basic ") {
		style = "Basic"
	}
	a.mu.Lock()
	a.seen = append(a.seen, style)
	a.mu.Unlock()
	return a.next.RoundTrip(r)
}

func (a *authRecorder) styles() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.seen...)
}
