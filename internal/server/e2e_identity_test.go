package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Identity URL, UserInfo and OpenID discovery: salesforce-oauth.md §0 item 10, §4.1, §4.2, §4.5.

// identityURLs is the urls object of the identity response (§4.1) for version v
// ("{version}" when the request names none).
func identityURLs(base, orgID, userID, v string) map[string]any {
	data := base + "/services/data/v" + v
	return map[string]any{
		"enterprise":    base + "/services/Soap/c/" + v + "/" + orgID,
		"metadata":      base + "/services/Soap/m/" + v + "/" + orgID,
		"partner":       base + "/services/Soap/u/" + v + "/" + orgID,
		"rest":          data + "/",
		"sobjects":      data + "/sobjects/",
		"search":        data + "/search/",
		"query":         data + "/query/",
		"recent":        data + "/recent/",
		"tooling_soap":  base + "/services/Soap/T/" + v + "/" + orgID,
		"tooling_rest":  data + "/tooling/",
		"profile":       base + "/" + userID,
		"feeds":         data + "/chatter/feeds",
		"groups":        data + "/chatter/groups",
		"users":         data + "/chatter/users",
		"feed_items":    data + "/chatter/feed-items",
		"feed_elements": data + "/chatter/feed-elements",
		"custom_domain": base,
	}
}

// sfDateTimeRE is Salesforce's JSON dateTime, e.g. 2021-04-28T20:54:09.000+0000.
var sfDateTimeRE = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$`)

// wantJSONKeys checks that got has every key of want (null values included) with want's value.
func wantJSONKeys(t *testing.T, want, got map[string]any) {
	t.Helper()
	sub := map[string]any{}
	for k := range want {
		v, ok := got[k]
		if !ok {
			t.Errorf("key %q missing (clients fail on a missing key, even a null one)", k)
			continue
		}
		sub[k] = v
	}
	if diff := cmp.Diff(want, sub); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
}

// wantBadToken checks the 403 text/plain Bad_OAuth_Token answer of identity and UserInfo.
func wantBadToken(t *testing.T, r response) {
	t.Helper()
	if r.Status != http.StatusForbidden || r.Body != "Bad_OAuth_Token" {
		t.Errorf("got %d %q, want 403 Bad_OAuth_Token", r.Status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type = %q, want text/plain", ct)
	}
}

func TestIdentity(t *testing.T) {
	s := start(t)
	tok := s.token(t, "AcmeKey0001", "AcmeSecret0001")
	orgID, userID := s.ids(t, "integration@acme.example")
	idURL := s.URL + "/id/" + orgID + "/" + userID
	idPath := "/id/" + orgID + "/" + userID

	want := func(version string) map[string]any {
		return map[string]any{
			"id":                      idURL,
			"asserted_user":           true,
			"user_id":                 userID,
			"organization_id":         orgID,
			"username":                "integration@acme.example",
			"nick_name":               "integration",
			"display_name":            "Acme Integration",
			"email":                   "team@acme.example",
			"email_verified":          true,
			"first_name":              "Acme",
			"last_name":               "Integration",
			"timezone":                "Europe/Paris",
			"photos":                  map[string]any{"picture": s.URL + "/profilephoto/005/F", "thumbnail": s.URL + "/profilephoto/005/T"},
			"addr_street":             nil,
			"addr_city":               nil,
			"addr_state":              nil,
			"addr_country":            nil,
			"addr_zip":                nil,
			"mobile_phone":            nil,
			"mobile_phone_verified":   false,
			"is_lightning_login_user": false,
			"status":                  map[string]any{"created_date": nil, "body": nil},
			"urls":                    identityURLs(s.URL, orgID, userID, version),
			"active":                  true,
			"user_type":               "STANDARD",
			"language":                "en_US",
			"locale":                  "en_US",
			"utcOffset":               float64(3600000), // Paris in November (the test clock): UTC+1, in ms
			"is_app_installed":        true,
		}
	}

	// The newest version served, for ?version=latest.
	var versions []struct{ Version string }
	if err := json.Unmarshal([]byte(s.get(t, "/services/data", "").Body), &versions); err != nil || len(versions) == 0 {
		t.Fatalf("versions list: %v", err)
	}
	latest := versions[len(versions)-1].Version

	t.Run("identity URL", func(t *testing.T) {
		for _, tc := range []struct {
			name, path, bearer, version string
		}{
			{"Bearer header", idPath, tok, "{version}"},
			{"oauth_token parameter", idPath + "?oauth_token=" + url.QueryEscape(tok), "", "{version}"},
			{"jsforce: format=json, oauth_token and Bearer", idPath + "?format=json&oauth_token=" + url.QueryEscape(tok), tok, "{version}"},
			{"15-character IDs", "/id/" + orgID[:15] + "/" + userID[:15], tok, "{version}"},
			{"version=59.0", idPath + "?version=59.0", tok, "59.0"},
			{"version=latest", idPath + "?version=latest", tok, latest},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := s.get(t, tc.path, tc.bearer)
				if r.Status != http.StatusOK {
					t.Fatalf("status %d: %s", r.Status, r.Body)
				}
				if ct := r.Header.Get("Content-Type"); ct != restContentType {
					t.Errorf("Content-Type = %q, want %q", ct, restContentType)
				}
				got := r.JSON(t)
				wantJSONKeys(t, want(tc.version), got)
				if lm, _ := got["last_modified_date"].(string); !sfDateTimeRE.MatchString(lm) {
					t.Errorf("last_modified_date = %v, want like 2021-04-28T20:54:09.000+0000", got["last_modified_date"])
				}
				if tc.version == "{version}" && !strings.Contains(r.Body, `/services/data/v{version}/`) {
					t.Errorf("urls do not carry the literal {version}: %s", r.Body)
				}
			})
		}
	})

	t.Run("identity URL of another user of the org", func(t *testing.T) {
		_, noAPIID := s.ids(t, "noapi@acme.example")
		r := s.get(t, "/id/"+orgID+"/"+noAPIID, tok) // api scope, user API Enabled
		if r.Status != http.StatusOK {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
		got := r.JSON(t)
		if got["asserted_user"] != false || got["username"] != "noapi@acme.example" || got["user_id"] != noAPIID {
			t.Errorf("asserted_user=%v username=%v user_id=%v, want false noapi@acme.example %s", got["asserted_user"], got["username"], got["user_id"], noAPIID)
		}
		// Without the api or full scope a token reads only its own identity (§4.1).
		idOnly := s.token(t, "IdOnlyKey0011", "IdOnlySecret0011")
		if r := s.get(t, "/id/"+orgID+"/"+noAPIID, idOnly); r.Status == http.StatusOK {
			t.Errorf("id-only token read another user's identity: %s", r.Body)
		}
		if r := s.get(t, idPath, idOnly); r.Status != http.StatusOK {
			t.Errorf("id-only token, own identity: %d %s", r.Status, r.Body)
		}
	})

	t.Run("identity URL bad token", func(t *testing.T) {
		for _, tc := range []struct{ name, path, bearer string }{
			{"garbage Bearer", idPath, "garbage"},
			{"garbage oauth_token", idPath + "?oauth_token=garbage", ""},
			{"well-formed unknown token", idPath, orgID[:15] + "!AQnotatoken"},
			{"no token", idPath, ""},
			{"no token, format=json", idPath + "?format=json", ""},
		} {
			t.Run(tc.name, func(t *testing.T) { wantBadToken(t, s.get(t, tc.path, tc.bearer)) })
		}
	})

	t.Run("userinfo", func(t *testing.T) {
		for _, tc := range []struct{ name, path, bearer string }{
			{"Bearer", "/services/oauth2/userinfo", tok},
			{"oauth_token", "/services/oauth2/userinfo?oauth_token=" + url.QueryEscape(tok), ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := s.get(t, tc.path, tc.bearer)
				if r.Status != http.StatusOK {
					t.Fatalf("status %d: %s", r.Status, r.Body)
				}
				if ct := r.Header.Get("Content-Type"); ct != restContentType {
					t.Errorf("Content-Type = %q", ct)
				}
				wantJSONKeys(t, map[string]any{
					// sf CLI (sfdx-core) needs user_id, organization_id and preferred_username.
					"user_id":            userID,
					"organization_id":    orgID,
					"preferred_username": "integration@acme.example",
					"sub":                idURL,
					"nickname":           "integration",
					"name":               "Acme Integration",
					"email":              "team@acme.example",
					"email_verified":     true,
					"given_name":         "Acme",
					"family_name":        "Integration",
					"zoneinfo":           "Europe/Paris",
					"photos":             map[string]any{"picture": s.URL + "/profilephoto/005/F", "thumbnail": s.URL + "/profilephoto/005/T"},
					"picture":            s.URL + "/profilephoto/005/F",
					"profile":            s.URL + "/" + userID,
					"urls":               identityURLs(s.URL, orgID, userID, "{version}"),
					"active":             true,
					"user_type":          "STANDARD",
					"language":           "en_US",
					"locale":             "en_US",
					"utcOffset":          float64(3600000),
					"is_app_installed":   true,
				}, r.JSON(t))
			})
		}
		for _, tc := range []struct{ name, path, bearer string }{
			{"garbage Bearer", "/services/oauth2/userinfo", "garbage"},
			{"garbage oauth_token", "/services/oauth2/userinfo?oauth_token=garbage", ""},
			{"no token", "/services/oauth2/userinfo", ""},
		} {
			t.Run("bad token: "+tc.name, func(t *testing.T) { wantBadToken(t, s.get(t, tc.path, tc.bearer)) })
		}
	})

	t.Run("discovery", func(t *testing.T) {
		r := s.get(t, "/.well-known/openid-configuration", "") // no session needed
		if r.Status != http.StatusOK {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
		if ct := r.Header.Get("Content-Type"); ct != restContentType {
			t.Errorf("Content-Type = %q", ct)
		}
		got := r.JSON(t)
		b := s.URL
		wantJSONKeys(t, map[string]any{
			"issuer":                                b,
			"authorization_endpoint":                b + "/services/oauth2/authorize",
			"token_endpoint":                        b + "/services/oauth2/token",
			"revocation_endpoint":                   b + "/services/oauth2/revoke",
			"userinfo_endpoint":                     b + "/services/oauth2/userinfo",
			"introspection_endpoint":                b + "/services/oauth2/introspect",
			"jwks_uri":                              b + "/id/keys",
			"registration_endpoint":                 b + "/services/oauth2/register",
			"end_session_endpoint":                  b + "/services/auth/idp/oidc/logout",
			"frontchannel_logout_supported":         true,
			"frontchannel_logout_session_supported": false,
			"response_types_supported":              []any{"code", "token", "token id_token"},
			"subject_types_supported":               []any{"public"},
			"id_token_signing_alg_values_supported": []any{"RS256"},
			"display_values_supported":              []any{"page", "popup", "touch"},
			"token_endpoint_auth_methods_supported": []any{"client_secret_post", "client_secret_basic", "private_key_jwt"},
			"code_challenge_methods_supported":      []any{"plain", "S256"},
			"grant_types_supported": []any{"authorization_code", "refresh_token", "client_credentials", "password",
				"urn:ietf:params:oauth:grant-type:jwt-bearer"},
		}, got)
		scopes, _ := got["scopes_supported"].([]any)
		for _, want := range []string{"api", "id", "refresh_token", "full", "openid"} {
			found := false
			for _, sc := range scopes {
				found = found || sc == want
			}
			if !found {
				t.Errorf("scopes_supported %v lacks %q", scopes, want)
			}
		}
		claims, _ := got["claims_supported"].([]any)
		for _, want := range []string{"preferred_username", "organization_id", "user_id", "sub"} {
			found := false
			for _, c := range claims {
				found = found || c == want
			}
			if !found {
				t.Errorf("claims_supported %v lacks %q", claims, want)
			}
		}
	})
}
