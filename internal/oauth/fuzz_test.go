package oauth

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/forcefield/forcefield/internal/directory"
	"github.com/forcefield/forcefield/internal/session"
)

// fuzzOrg has apps with fixed consumer keys and generated secrets: a generated secret is
// stored as SHA-256, so verifying a wrong one is cheap and the fuzzer stays fast (an
// operator-supplied secret would cost a PBKDF2 run per wrong guess).
const fuzzOrg = `
orgs:
  - name: Fuzz
    profiles:
      - name: API
        permissions: [ApiEnabled]
      - name: None
        permissions: []
    users:
      - {username: api@fuzz.example, lastName: API, email: api@fuzz.example, profile: API}
      - {username: other@fuzz.example, lastName: Other, email: other@fuzz.example, profile: None}
    connectedApps:
      - name: Main
        scopes: [api, id, refresh_token]
        consumerKey: FuzzKey0001
        clientCredentials: {enabled: true, runAs: api@fuzz.example}
      - name: Introspector
        scopes: [id]
        consumerKey: FuzzKey0002
        introspectAllTokens: true
        clientCredentials: {enabled: true, runAs: other@fuzz.example}
      - name: Disabled
        scopes: [api]
        consumerKey: FuzzKey0003
        clientCredentials: {enabled: false}
`

// fuzzStack is the OAuth server over a real SQLite store, with the values the inputs'
// placeholders stand for. Placeholders, not literal values, go into the corpus because
// every fuzzing worker process builds its own stack with its own secrets and tokens.
type fuzzStack struct {
	mux     *http.ServeMux
	orgID   string
	userID  string
	secrets map[string]string // consumer key → generated secret
	token   string            // a live token of app Main
}

func newFuzzStack(tb testing.TB) *fuzzStack {
	tb.Helper()
	ctx := context.Background()
	to := openTestOrg(tb, fuzzOrg, session.Options{})
	db, log := to.db, to.log
	res := to.applied
	st := &fuzzStack{mux: http.NewServeMux(), secrets: map[string]string{}}
	for _, c := range res.NewCredentials {
		st.secrets[c.ConsumerKey] = c.ConsumerSecret
	}
	sessions := to.sessions
	NewServer(Config{Directory: directory.New(db), Sessions: sessions, BaseURL: "http://ff.test", Logger: log}).Register(st.mux)
	st.reissue(tb)
	users, err := db.Users(ctx, "")
	if err != nil {
		tb.Fatal(err)
	}
	for _, u := range users {
		if u.Username == "api@fuzz.example" {
			st.orgID, st.userID = u.OrgID.String(), u.ID.String()
		}
	}
	return st
}

// reissue gets a new live token of app Main through the token endpoint.
func (st *fuzzStack) reissue(tb testing.TB) {
	tb.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"FuzzKey0001"}, "client_secret": {st.secrets["FuzzKey0001"]}}
	req := httptest.NewRequest(http.MethodPost, "/services/oauth2/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = "198.51.100.1:1234" // an address no input uses
	w := httptest.NewRecorder()
	st.mux.ServeHTTP(w, req)
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &body) != nil || body.AccessToken == "" {
		tb.Fatalf("issuing a token: %d %s", w.Code, w.Body)
	}
	st.token = body.AccessToken
}

// expand replaces the placeholders $KEY1, $SECRET1, $KEY2, $SECRET2, $TOKEN, $BASIC1 (a
// Basic credential of app Main), $ORG and $USER.
func (st *fuzzStack) expand(s string) string {
	if !strings.Contains(s, "$") {
		return s
	}
	return strings.NewReplacer(
		"$KEY1", "FuzzKey0001", "$SECRET1", st.secrets["FuzzKey0001"],
		"$KEY2", "FuzzKey0002", "$SECRET2", st.secrets["FuzzKey0002"],
		"$BASIC1", base64.StdEncoding.EncodeToString([]byte("FuzzKey0001:"+st.secrets["FuzzKey0001"])),
		"$TOKEN", st.token, "$ORG", st.orgID, "$USER", st.userID,
	).Replace(s)
}

// fuzzEndpoints are the routes fuzzed, with the statuses each may answer.
var fuzzEndpoints = []struct {
	path    string
	oauth   bool // errors are {"error","error_description"} JSON
	allowed []int
}{
	{"/services/oauth2/token", true, []int{200, 400, 405}},
	{"/services/oauth2/revoke", true, []int{200, 400, 405}},
	{"/services/oauth2/introspect", true, []int{200, 400, 401, 405}},
	{"/services/oauth2/userinfo", false, []int{200, 403, 405, 406}},
	{"/id/$ORG/$USER", false, []int{200, 403, 404, 405, 406}},
	{"/.well-known/openid-configuration", false, []int{200, 405}},
}

func FuzzTokenRequest(f *testing.F) {
	st := newFuzzStack(f)
	const form = "application/x-www-form-urlencoded"
	for _, s := range []struct {
		endpoint                                        uint8
		method, contentType, authorization, query, body string
		remote                                          string
	}{
		{0, "POST", form, "", "", "grant_type=client_credentials&client_id=$KEY1&client_secret=$SECRET1", ""},
		{0, "POST", form, "Basic $BASIC1", "", "grant_type=client_credentials", ""},
		{0, "POST", form + "; charset=UTF-8", "", "device_id=abc&format=json", "grant_type=client_credentials&client_id=$KEY1&client_secret=$SECRET1&format=json", ""},
		{0, "POST", "", "", "grant_type=client_credentials&client_id=$KEY1&client_secret=$SECRET1", "", ""},
		{0, "POST", form, "", "", "grant_type=client_credentials&client_id=$KEY1&client_secret=wrong", "203.0.113.9:555"},
		{0, "POST", form, "", "", "grant_type=client_credentials&client_id=$KEY1&client_secret=$SECRET1&scope=api", ""},
		{0, "POST", form, "", "", "grant_type=client_credentials&client_id=FuzzKey0003&client_secret=x", ""},
		{0, "POST", form, "", "", "grant_type=password&username=a&password=b", ""},
		{0, "POST", form, "", "", "grant_type=password&client_id=$KEY1&client_secret=$SECRET1&username=api@fuzz.example&password=x", ""},
		{0, "POST", form, "", "", "grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJGdXp6S2V5MDAwMSIsImV4cCI6IjEifQ.AA", ""},
		{0, "POST", form, "", "grant_type=password", "grant_type=client_credentials", ""},
		{0, "POST", "application/json", "", "", `{"grant_type":"client_credentials"}`, ""},
		{0, "POST", form, "Basic %%%", "", "grant_type=client_credentials", ""},
		{0, "POST", form, "Basic Rm9vOmJhcg==", "", "grant_type=client_credentials&client_id=$KEY1", ""},
		{0, "GET", "", "", "grant_type=client_credentials&client_id=$KEY1&client_secret=$SECRET1", "", ""},
		{0, "POST", form, "", "", "grant_type=client_credentials&client_id=%zz", "not-an-address"},
		{1, "POST", form, "", "", "token=$TOKEN", ""},
		{1, "GET", "", "", "token=$TOKEN", "", ""},
		{1, "POST", form, "", "", "token=garbage", ""},
		{1, "DELETE", "", "", "token=x", "", ""},
		{2, "POST", form, "", "", "token=$TOKEN&token_type_hint=access_token&client_id=$KEY1&client_secret=$SECRET1", ""},
		{2, "POST", form, "Basic $BASIC1", "", "token=$TOKEN", ""},
		{2, "POST", form, "", "", "token=$TOKEN&client_id=$KEY2&client_secret=$SECRET2", ""},
		{2, "POST", form, "", "", "token=$TOKEN&client_id=$KEY1&client_secret=bad", ""},
		{2, "POST", form, "", "", "client_id=$KEY1&client_secret=$SECRET1", ""},
		{3, "GET", "", "Bearer $TOKEN", "", "", ""},
		{3, "GET", "", "", "oauth_token=$TOKEN&format=json", "", ""},
		{3, "POST", form, "OAuth $TOKEN", "", "", ""},
		{3, "GET", "", "Bearer garbage", "format=xml", "", ""},
		{4, "GET", "", "Bearer $TOKEN", "version=59.0", "", ""},
		{4, "GET", "", "", "oauth_token=$TOKEN&version=latest", "", ""},
		{4, "HEAD", "", "Bearer $TOKEN", "", "", ""},
		{5, "GET", "", "", "", "", ""},
	} {
		f.Add(s.endpoint, s.method, s.contentType, s.authorization, s.query, s.body, s.remote)
	}
	f.Fuzz(func(t *testing.T, endpoint uint8, method, contentType, authorization, query, body, remote string) {
		ep := fuzzEndpoints[int(endpoint)%len(fuzzEndpoints)]
		target := "http://ff.test" + st.expand(ep.path)
		if q := st.expand(query); q != "" {
			target += "?" + q
		}
		req, err := http.NewRequest(method, target, strings.NewReader(st.expand(body)))
		if err != nil {
			return // not a request an HTTP server would hand to a handler
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		if authorization != "" {
			req.Header.Set("Authorization", st.expand(authorization))
		}
		req.RemoteAddr = remote
		if remote == "" {
			req.RemoteAddr = "192.0.2.1:1234"
		}
		w := httptest.NewRecorder()
		st.mux.ServeHTTP(w, req) // a panic fails the fuzz target

		if !slices.Contains(ep.allowed, w.Code) {
			t.Fatalf("%s %s: status %d, want one of %v\nbody: %s", method, ep.path, w.Code, ep.allowed, w.Body)
		}
		ct := w.Header().Get("Content-Type")
		if strings.HasPrefix(ct, "application/json") && !json.Valid(w.Body.Bytes()) {
			t.Fatalf("%s %s: Content-Type %s but the body is not JSON: %q", method, ep.path, ct, w.Body)
		}
		if ep.oauth && w.Code >= 400 {
			var e struct {
				Error       *string `json:"error"`
				Description *string `json:"error_description"`
			}
			if json.Unmarshal(w.Body.Bytes(), &e) != nil || e.Error == nil || *e.Error == "" || e.Description == nil {
				t.Fatalf("%s %s: %d error body is not {\"error\",\"error_description\"}: %q", method, ep.path, w.Code, w.Body)
			}
		}
		switch {
		case ep.path == "/services/oauth2/token" && w.Code == http.StatusOK:
			var ok struct {
				AccessToken string `json:"access_token"`
				ID          string `json:"id"`
			}
			if json.Unmarshal(w.Body.Bytes(), &ok) != nil || !strings.HasPrefix(ok.AccessToken, st.orgID[:15]+"!") || ok.ID == "" {
				t.Fatalf("token success body: %s", w.Body)
			}
		case ep.path == "/services/oauth2/revoke" && w.Code == http.StatusOK:
			if w.Body.Len() != 0 {
				t.Fatalf("revoke success with a body: %q", w.Body)
			}
			st.reissue(t) // the live token may have been the one revoked
		case !ep.oauth && w.Code == http.StatusForbidden:
			if w.Body.String() != "Bad_OAuth_Token" {
				t.Fatalf("%s: 403 body %q, want Bad_OAuth_Token", ep.path, w.Body)
			}
		}
	})
}
