package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The admin API under /forcefield/admin/ (docs/operations.md), secret rotation
// (salesforce-oauth.md §7.3) and login history (salesforce-objects.md §14).

// adminAs sends an admin request with a raw Authorization header ("" for none).
func (s *testServer) adminAs(t *testing.T, authorization, method, path, body string) response {
	t.Helper()
	req := newRequest(t, method, s.URL+"/forcefield/admin"+path, strings.NewReader(body))
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	return do(t, req)
}

// decode unmarshals a successful admin response.
func decode[T any](t *testing.T, r response, status int) T {
	t.Helper()
	var v T
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != restContentType {
		t.Errorf("Content-Type = %q, want %q", ct, restContentType)
	}
	if err := json.Unmarshal([]byte(r.Body), &v); err != nil {
		t.Fatalf("%v: %s", err, r.Body)
	}
	return v
}

type credentialJSON struct {
	ID             string     `json:"id"`
	ConsumerKey    string     `json:"consumerKey"`
	State          string     `json:"state"`
	CreatedAt      time.Time  `json:"createdAt"`
	ExpiresAt      *time.Time `json:"expiresAt"`
	ConsumerSecret string     `json:"consumerSecret"`
}

type appJSON struct {
	ID                       string           `json:"id"`
	OrgID                    string           `json:"orgId"`
	Name                     string           `json:"name"`
	Scopes                   []string         `json:"scopes"`
	ClientCredentialsEnabled bool             `json:"clientCredentialsEnabled"`
	RunAs                    string           `json:"runAs"`
	PermittedUsers           string           `json:"permittedUsers"`
	Credentials              []credentialJSON `json:"credentials"`
}

// app returns one app of the admin listing by name.
func (s *testServer) app(t *testing.T, name string) appJSON {
	t.Helper()
	for _, a := range decode[[]appJSON](t, s.admin(t, http.MethodGet, "/apps", ""), http.StatusOK) {
		if a.Name == name {
			return a
		}
	}
	t.Fatalf("no app %q", name)
	return appJSON{}
}

// noSecrets checks that an admin listing reveals no secret and no hash.
func noSecrets(t *testing.T, body string) {
	t.Helper()
	// Two of the web flow settings name secrets without holding one.
	lower := strings.ToLower(strings.NewReplacer(`"consumerSecretOptional"`, "", `"refreshSecretOptional"`, "").Replace(body))
	for _, bad := range []string{"secret", "hash", "pbkdf2", "sha256"} {
		if strings.Contains(lower, bad) {
			t.Errorf("listing contains %q: %s", bad, body)
		}
	}
}

// applyJSON is the answer of POST /forcefield/admin/apply.
type applyJSON struct {
	Summary        string `json:"summary"`
	Changed        bool   `json:"changed"`
	NewCredentials []struct {
		Org            string `json:"org"`
		App            string `json:"app"`
		ConsumerKey    string `json:"consumerKey"`
		ConsumerSecret string `json:"consumerSecret"`
	} `json:"newCredentials"`
}

func summary(orgs, profiles, permSets, users, apps, creds string) string {
	return "orgs: " + orgs + "; profiles: " + profiles + "; permission sets: " + permSets + "; users: " + users +
		"; connected apps: " + apps + "; credentials: " + creds
}

const (
	none      = "0 created, 0 updated, 0 unchanged"
	created1  = "1 created, 0 updated, 0 unchanged"
	unchanged = "0 created, 0 updated, 1 unchanged"
)

// addUserFile adds a user to the test org and restates only what the user needs.
const addUserFile = `orgs:
  - name: Acme
    myDomain: acme
    dailyApiRequests: 1000
    profiles:
      - name: No API
        permissions: []
    users:
      - {username: new@acme.example, lastName: New, email: new@acme.example, profile: No API}
`

// addAppFile adds a connected app without a consumer key or secret: Forcefield generates both.
const addAppFile = `orgs:
  - name: Acme
    myDomain: acme
    dailyApiRequests: 1000
    profiles:
      - name: Acme Integration
        permissions: [ApiEnabled, ApiUserOnly]
    users:
      - {username: integration@acme.example, firstName: Acme, lastName: Integration, email: team@acme.example, profile: Acme Integration, timeZone: Europe/Paris}
    connectedApps:
      - name: Generated App
        scopes: [api, id]
        clientCredentials: {enabled: true, runAs: integration@acme.example}
`

var adminUnauthorized = restError("INVALID_SESSION_ID", "Admin token missing or invalid")

func TestAdmin(t *testing.T) {
	s := start(t)
	orgID, userID := s.ids(t, "integration@acme.example")

	t.Run("authentication required", func(t *testing.T) {
		routes := []struct{ method, path, body string }{
			{"GET", "/orgs", ""},
			{"GET", "/users", ""},
			{"GET", "/apps", ""},
			{"POST", "/apply", addUserFile},
			{"POST", "/apps/Acme%20Integration/secrets", ""},
			{"DELETE", "/apps/Acme%20Integration/secrets/0PS000000000001", ""},
			{"GET", "/sessions", ""},
			{"DELETE", "/sessions/0Ak000000000001", ""},
			{"DELETE", "/users/integration@acme.example/sessions", ""},
			{"GET", "/login-history", ""},
			{"GET", "/no-such-route", ""},
			{"GET", "/apply", ""},
			{"GET", "/", ""},
		}
		for _, auth := range []string{"", "Bearer wrong-token", "Bearer " + s.AdminToken + "x", "Bearer ", "Basic " + s.AdminToken, s.AdminToken} {
			for _, rt := range routes {
				r := s.adminAs(t, auth, rt.method, rt.path, rt.body)
				if r.Status != http.StatusUnauthorized || r.Body != adminUnauthorized {
					t.Errorf("%s %s with Authorization %q: %d %s, want 401 %s", rt.method, rt.path, auth, r.Status, r.Body, adminUnauthorized)
				}
			}
		}
		// Nothing was applied or rotated by those requests.
		if creds := s.app(t, "Acme Integration").Credentials; len(creds) != 1 {
			t.Errorf("Acme Integration has %d credentials after unauthenticated rotations, want 1", len(creds))
		}
		for _, u := range decode[[]struct{ Username string }](t, s.admin(t, http.MethodGet, "/users", ""), 200) {
			if u.Username == "new@acme.example" {
				t.Error("an unauthenticated apply created a user")
			}
		}
	})

	t.Run("unknown route", func(t *testing.T) {
		for _, path := range []string{"/no-such-route", "/orgs/extra", "/"} {
			wantRESTError(t, s.admin(t, http.MethodGet, path, ""), http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
		}
		if r := s.admin(t, http.MethodGet, "/apply", ""); r.Status < 400 {
			t.Errorf("GET /apply: %d %s, want an error", r.Status, r.Body)
		}
	})

	t.Run("orgs", func(t *testing.T) {
		type orgJSON struct {
			ID                    string    `json:"id"`
			Name                  string    `json:"name"`
			MyDomain              string    `json:"myDomain"`
			SessionTimeoutMinutes int       `json:"sessionTimeoutMinutes"`
			DailyAPIRequests      int       `json:"dailyApiRequests"`
			Edition               string    `json:"edition"`
			Licences              int       `json:"licences"`
			CreatedAt             time.Time `json:"createdAt"`
		}
		got := decode[[]orgJSON](t, s.admin(t, http.MethodGet, "/orgs", ""), 200)
		if len(got) != 1 {
			t.Fatalf("%d orgs, want 1: %+v", len(got), got)
		}
		if got[0].CreatedAt.IsZero() {
			t.Error("createdAt missing")
		}
		got[0].CreatedAt = time.Time{}
		want := orgJSON{ID: orgID, Name: "Acme", MyDomain: "acme", SessionTimeoutMinutes: 120, DailyAPIRequests: 1000,
			Edition: "Enterprise", Licences: 4} // the harness org's active users
		if diff := cmp.Diff(want, got[0]); diff != "" {
			t.Errorf("org (-want +got):\n%s", diff)
		}
	})

	t.Run("users", func(t *testing.T) {
		type userJSON struct {
			ID             string   `json:"id"`
			OrgID          string   `json:"orgId"`
			Username       string   `json:"username"`
			Name           string   `json:"name"`
			Email          string   `json:"email"`
			Profile        string   `json:"profile"`
			PermissionSets []string `json:"permissionSets"`
			Active         bool     `json:"active"`
			APIEnabled     bool     `json:"apiEnabled"`
			APIOnly        bool     `json:"apiOnly"`
		}
		r := s.admin(t, http.MethodGet, "/users?org="+orgID, "")
		byName := map[string]userJSON{}
		for _, u := range decode[[]userJSON](t, r, 200) {
			byName[u.Username] = u
		}
		if len(byName) != 5 {
			t.Errorf("%d users, want 5: %s", len(byName), r.Body)
		}
		_, noAPIID := s.ids(t, "noapi@acme.example")
		for _, want := range []userJSON{
			{userID, orgID, "integration@acme.example", "Acme Integration", "team@acme.example", "Acme Integration", []string{}, true, true, true},
			{noAPIID, orgID, "noapi@acme.example", "NoAPI", "team@acme.example", "No API", []string{}, true, false, false},
		} {
			if diff := cmp.Diff(want, byName[want.Username]); diff != "" {
				t.Errorf("%s (-want +got):\n%s", want.Username, diff)
			}
		}
		if u := byName["outsider@acme.example"]; !u.APIEnabled || !cmp.Equal(u.PermissionSets, []string{"Acme API Access"}) {
			t.Errorf("outsider (API Enabled through a permission set): %+v", u)
		}
		if byName["inactive@acme.example"].Active {
			t.Error("inactive@acme.example is listed as active")
		}
		if r := s.admin(t, http.MethodGet, "/users?org=bogus", ""); r.Status != http.StatusBadRequest {
			t.Errorf("?org=bogus: %d %s, want 400", r.Status, r.Body)
		}
	})

	t.Run("apps", func(t *testing.T) {
		r := s.admin(t, http.MethodGet, "/apps", "")
		apps := decode[[]appJSON](t, r, 200)
		if len(apps) != 13 { // the file's 12 and the built-in Salesforce CLI app
			t.Errorf("%d apps, want 13", len(apps))
		}
		noSecrets(t, r.Body)
		a := s.app(t, "Acme Integration")
		if len(a.Credentials) != 1 {
			t.Fatalf("credentials %+v, want one", a.Credentials)
		}
		c := a.Credentials[0]
		if c.ConsumerKey != "AcmeKey0001" || c.State != "Active" || c.ExpiresAt != nil || c.ID == "" || c.ConsumerSecret != "" {
			t.Errorf("credential %+v, want AcmeKey0001 Active without expiry or secret", c)
		}
		a.Credentials = nil
		want := appJSON{ID: a.ID, OrgID: orgID, Name: "Acme Integration", Scopes: []string{"api", "id", "refresh_token", "full"},
			ClientCredentialsEnabled: true, RunAs: "integration@acme.example", PermittedUsers: "AllSelfAuthorized"}
		if diff := cmp.Diff(want, a); diff != "" {
			t.Errorf("app (-want +got):\n%s", diff)
		}
		if got := s.app(t, "Admin Approved").PermittedUsers; got != "AdminApprovedPreAuthorized" {
			t.Errorf("Admin Approved: permittedUsers = %q", got)
		}
		if got := s.app(t, "No Run As").RunAs; got != "" {
			t.Errorf("No Run As: runAs = %q", got)
		}
	})

	t.Run("apply adds a user", func(t *testing.T) {
		r := s.admin(t, http.MethodPost, "/apply?name=add-user.yaml", addUserFile)
		got := decode[applyJSON](t, r, 200)
		if !strings.Contains(r.Body, `"newCredentials":[]`) {
			t.Errorf("newCredentials should be an empty list: %s", r.Body)
		}
		if want := summary(unchanged, unchanged, none, created1, none, none); got.Summary != want || !got.Changed || len(got.NewCredentials) != 0 {
			t.Errorf("apply: %+v, want summary %q, changed=true and no new credentials", got, want)
		}
		s.ids(t, "new@acme.example") // fails the test if the user is not there

		got = decode[applyJSON](t, s.admin(t, http.MethodPost, "/apply", addUserFile), 200)
		if got.Changed || got.Summary != summary(unchanged, unchanged, none, unchanged, none, none) || len(got.NewCredentials) != 0 {
			t.Errorf("applying the same file again: %+v, want changed=false and everything unchanged", got)
		}
	})

	t.Run("apply rejects an invalid file", func(t *testing.T) {
		for _, tc := range []struct{ name, file, msg string }{
			{"dangling profile", strings.Replace(addUserFile, "profile: No API}", "profile: Nope}", 1) + "      - {username: never@acme.example, lastName: N, email: n@acme.example, profile: No API}\n",
				`bad.yaml:9: orgs[0].users[0].profile: no profile "Nope" in org "Acme"`},
			{"YAML syntax", "orgs:\n  - name: Acme\n   bad\n", `bad.yaml:2: did not find expected '-' indicator`},
			{"unknown key", addUserFile + "    colour: blue\n", `bad.yaml:10: orgs[0]: unknown key "colour" (known: name, myDomain, sessionTimeoutMinutes, dailyApiRequests, edition, clockOffset, profiles, permissionSets, users, connectedApps, externalClientApps, allowUsernamePasswordFlow, maxLoginAttempts, lockoutMinutes, objects, records, faults)`},
			// Valid on its own, refused against the store: the username belongs to Acme.
			{"username of another org", "orgs:\n  - name: Other\n    profiles:\n      - name: P\n    users:\n      - {username: never@other.example, lastName: N, email: n@other.example, profile: P}\n      - {username: integration@acme.example, lastName: X, email: x@other.example, profile: P}\n",
				`bad.yaml:7: orgs[0].users[1].username: username "integration@acme.example" is already used by a user of org "Acme" (usernames are unique across the server)`},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := s.admin(t, http.MethodPost, "/apply?name=bad.yaml", tc.file)
				wantRESTError(t, r, http.StatusBadRequest, "INVALID_INPUT", tc.msg)
			})
		}
		// All or nothing: none of those files changed anything.
		for _, u := range decode[[]struct{ Username string }](t, s.admin(t, http.MethodGet, "/users", ""), 200) {
			if u.Username == "never@acme.example" || u.Username == "never@other.example" {
				t.Errorf("an invalid apply created %s", u.Username)
			}
		}
		if orgs := decode[[]struct{ Name string }](t, s.admin(t, http.MethodGet, "/orgs", ""), 200); len(orgs) != 1 {
			t.Errorf("an invalid apply created an org: %+v", orgs)
		}
	})

	t.Run("apply generates credentials for a new app", func(t *testing.T) {
		r := s.admin(t, http.MethodPost, "/apply?name=add-app.yaml", addAppFile)
		got := decode[applyJSON](t, r, 200)
		if want := summary(unchanged, unchanged, none, unchanged, created1, created1); got.Summary != want || !got.Changed {
			t.Errorf("summary %q changed=%v, want %q changed=true", got.Summary, got.Changed, want)
		}
		if len(got.NewCredentials) != 1 {
			t.Fatalf("newCredentials %+v, want one", got.NewCredentials)
		}
		nc := got.NewCredentials[0]
		if nc.Org != "Acme" || nc.App != "Generated App" || !regexp.MustCompile(`^3MVG9[A-Za-z0-9]{80}$`).MatchString(nc.ConsumerKey) ||
			!regexp.MustCompile(`^[0-9A-F]{64}$`).MatchString(nc.ConsumerSecret) {
			t.Errorf("new credential %+v, want Acme/Generated App with a 3MVG9… key and a 64-hex-digit secret", nc)
		}
		body := s.tokenResponse(t, nc.ConsumerKey, nc.ConsumerSecret)
		wantSignature(t, body, nc.ConsumerSecret)
		if body["scope"] != "api id" {
			t.Errorf("scope = %v", body["scope"])
		}
		wantLive(t, s, body["access_token"].(string), "token of the generated app")
		// Nothing is regenerated by a second apply.
		got = decode[applyJSON](t, s.admin(t, http.MethodPost, "/apply", addAppFile), 200)
		if got.Changed || len(got.NewCredentials) != 0 {
			t.Errorf("second apply: %+v, want nothing changed or generated", got)
		}
		s.tokenResponse(t, nc.ConsumerKey, nc.ConsumerSecret)
		noSecrets(t, s.admin(t, http.MethodGet, "/apps", "").Body)
	})

	t.Run("login history", func(t *testing.T) {
		s.token(t, "AcmeKey0001", "AcmeSecret0001")
		wantOAuthError(t, s.postForm(t, "/services/oauth2/token", ccForm("AcmeKey0001", "WrongSecret1")), 400, "invalid_client", "invalid client credentials")
		wantOAuthError(t, s.postForm(t, "/services/oauth2/token", ccForm("NoSuchKey99", "x")), 400, "invalid_client_id", "client identifier invalid")

		type loginJSON struct {
			ID           string    `json:"id"`
			OrgID        string    `json:"orgId"`
			UserID       string    `json:"userId"`
			AppID        string    `json:"appId"`
			LoginTime    time.Time `json:"loginTime"`
			SourceIP     string    `json:"sourceIp"`
			LoginType    string    `json:"loginType"`
			LoginSubType string    `json:"loginSubType"`
			Status       string    `json:"status"`
			Application  string    `json:"application"`
			LoginURL     string    `json:"loginUrl"`
		}
		r := s.admin(t, http.MethodGet, "/login-history?limit=5", "")
		rows := decode[[]loginJSON](t, r, 200)
		if len(rows) != 5 {
			t.Fatalf("%d rows, want 5 (limit)", len(rows))
		}
		appID := s.app(t, "Acme Integration").ID
		now := s.Clock.Now().UTC()
		host := strings.TrimPrefix(s.URL, "http://")
		base := loginJSON{LoginTime: now, SourceIP: "127.0.0.1", LoginType: "Remote Access 2.0", LoginSubType: "OauthClientCredentials", LoginURL: host}
		success, wrong, unknown := base, base, base
		success.OrgID, success.UserID, success.AppID, success.Status, success.Application = orgID, userID, appID, "Success", "Acme Integration"
		wrong.OrgID, wrong.UserID, wrong.AppID, wrong.Status, wrong.Application = orgID, userID, appID, "Invalid client credentials", "Acme Integration"
		unknown.Status = "Invalid client id" // no org, user or app
		ids := map[string]bool{}
		for i := range rows {
			if ids[rows[i].ID] || !strings.HasPrefix(rows[i].ID, "0Ya") {
				t.Errorf("row %d id %q: want a unique 0Ya… LoginHistory id", i, rows[i].ID)
			}
			ids[rows[i].ID] = true
			rows[i].ID = ""
		}
		// Newest first.
		if diff := cmp.Diff([]loginJSON{unknown, wrong, success}, rows[:3]); diff != "" {
			t.Errorf("login history (-want +got):\n%s", diff)
		}
		if strings.Contains(strings.SplitN(r.Body, "},", 2)[0], `"orgId"`) {
			t.Errorf("the unknown key's row names an org: %s", r.Body)
		}
		for _, q := range []string{"?limit=0", "?limit=abc", "?org=nope"} {
			if r := s.admin(t, http.MethodGet, "/login-history"+q, ""); r.Status != http.StatusBadRequest {
				t.Errorf("login-history%s: %d %s, want 400", q, r.Status, r.Body)
			}
		}
		// Filtered by app: every row is that app's.
		for _, row := range decode[[]loginJSON](t, s.admin(t, http.MethodGet, "/login-history?app="+appID, ""), 200) {
			if row.AppID != appID {
				t.Errorf("?app=%s returned a row of app %q", appID, row.AppID)
			}
		}
	})
}

func TestAdminSecretRotation(t *testing.T) {
	programKDF(t) // a subtest weighs token requests against a real PBKDF2 run
	s := start(t)
	const key, oldSecret = "AcmeKey0001", "AcmeSecret0001"
	app := s.app(t, "Acme Integration")
	original := app.Credentials[0]

	rotate := func(t *testing.T, ref string) credentialJSON {
		t.Helper()
		r := s.admin(t, http.MethodPost, "/apps/"+ref+"/secrets", "")
		c := decode[credentialJSON](t, r, http.StatusCreated)
		if c.ConsumerKey != key || c.State != "Active" || c.ID == "" || c.ExpiresAt != nil || !regexp.MustCompile(`^[0-9A-F]{64}$`).MatchString(c.ConsumerSecret) {
			t.Fatalf("rotation answered %s: want the same consumer key, state Active and a new 64-hex-digit secret", r.Body)
		}
		return c
	}
	tokenWith := func(t *testing.T, secret string) {
		t.Helper()
		body := s.tokenResponse(t, key, secret)
		wantSignature(t, body, secret) // signed with the secret that was used (§7.3)
		wantLive(t, s, body["access_token"].(string), "token after rotation")
	}
	refused := func(t *testing.T, secret, when string) {
		t.Helper()
		r := s.postForm(t, "/services/oauth2/token", ccForm(key, secret))
		if r.Status != 400 || r.Body == "" || r.JSON(t)["error"] != "invalid_client" || r.JSON(t)["error_description"] != "invalid client credentials" {
			t.Errorf("%s: %d %s, want 400 invalid_client", when, r.Status, r.Body)
		}
	}

	// First rotation, by app name (URL-encoded).
	second := rotate(t, url.PathEscape("Acme Integration"))
	if second.ID == original.ID || second.ConsumerSecret == oldSecret {
		t.Fatalf("rotation reused the credential: %+v", second)
	}
	t.Run("both secrets work after a rotation", func(t *testing.T) {
		tokenWith(t, oldSecret)
		tokenWith(t, second.ConsumerSecret)
	})
	t.Run("a right secret does not pay for the other pair's KDF", func(t *testing.T) {
		// A wrong secret costs one PBKDF2 run, against the operator-supplied original …
		t0 := time.Now()
		for range 3 {
			refused(t, "WrongSecret0", "wrong secret")
		}
		kdf := time.Since(t0) / 3
		// … the generated secret must not: its SHA-256 hash can be checked first. (Before
		// the fix every token of the new secret ran PBKDF2 against the rotated pair.)
		t0 = time.Now()
		for range 10 {
			s.token(t, key, second.ConsumerSecret)
		}
		if took := time.Since(t0); took > 3*kdf {
			t.Errorf("10 tokens with the new secret took %v; one failed verification takes %v: the new secret pays for a KDF", took, kdf)
		}
	})
	t.Run("listing shows the rotated pair and its expiry, never a secret", func(t *testing.T) {
		r := s.admin(t, http.MethodGet, "/apps", "")
		noSecrets(t, r.Body)
		creds := s.app(t, "Acme Integration").Credentials
		states := map[string]credentialJSON{}
		for _, c := range creds {
			states[c.ID] = c
		}
		old, cur := states[original.ID], states[second.ID]
		wantExpiry := s.Clock.Now().Add(30 * 24 * time.Hour)
		if len(creds) != 2 || old.State != "Rotated" || old.ExpiresAt == nil || !old.ExpiresAt.Equal(wantExpiry) || cur.State != "Active" || cur.ExpiresAt != nil {
			t.Errorf("credentials %+v, want the original Rotated until %v and the new one Active", creds, wantExpiry)
		}
	})

	// Second rotation, by app ID: the first rotated pair is deleted at once.
	third := rotate(t, app.ID)
	t.Run("deleting a rotated pair ends it at once", func(t *testing.T) {
		tokenWith(t, second.ConsumerSecret)
		r := s.admin(t, http.MethodDelete, "/apps/"+app.ID+"/secrets/"+second.ID, "")
		if r.Status != http.StatusNoContent || r.Body != "" {
			t.Fatalf("DELETE rotated credential: %d %q, want 204", r.Status, r.Body)
		}
		refused(t, second.ConsumerSecret, "deleted secret")
		tokenWith(t, oldSecret) // the original is still within its 30 days
		tokenWith(t, third.ConsumerSecret)
		if r := s.admin(t, http.MethodDelete, "/apps/"+app.ID+"/secrets/"+second.ID, ""); r.Status != http.StatusNotFound {
			t.Errorf("DELETE again: %d %s, want 404", r.Status, r.Body)
		}
	})
	t.Run("a rotated secret expires after 30 days", func(t *testing.T) {
		s.Clock.Advance(30*24*time.Hour - time.Minute)
		tokenWith(t, oldSecret)
		s.Clock.Advance(24 * time.Hour) // 31 days after the rotation
		refused(t, oldSecret, "31 days after rotation")
		tokenWith(t, third.ConsumerSecret)
	})
	t.Run("the active pair cannot be deleted", func(t *testing.T) {
		r := s.admin(t, http.MethodDelete, "/apps/Acme%20Integration/secrets/"+third.ID, "")
		if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, `"errorCode":"INVALID_INPUT"`) {
			t.Errorf("DELETE active credential: %d %s, want 400 INVALID_INPUT", r.Status, r.Body)
		}
		tokenWith(t, third.ConsumerSecret)
	})
	t.Run("unknown app or credential", func(t *testing.T) {
		for _, tc := range []struct {
			method, path string
			status       int
		}{
			{"POST", "/apps/No%20Such%20App/secrets", 404},
			{"DELETE", "/apps/No%20Such%20App/secrets/" + third.ID, 404},
			{"DELETE", "/apps/Acme%20Integration/secrets/not-an-id", 400},
			{"DELETE", "/apps/Basic%20Only/secrets/" + original.ID, 404}, // another app's credential
		} {
			if r := s.admin(t, tc.method, tc.path, ""); r.Status != tc.status {
				t.Errorf("%s %s: %d %s, want %d", tc.method, tc.path, r.Status, r.Body, tc.status)
			}
		}
	})
}
