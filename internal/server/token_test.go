package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func ccForm(key, secret string) url.Values {
	return url.Values{"grant_type": {"client_credentials"}, "client_id": {key}, "client_secret": {secret}}
}

func TestClientCredentialsSuccessBody(t *testing.T) {
	s := start(t)
	r := s.postForm(t, "/services/oauth2/token", ccForm("AcmeKey0001", "AcmeSecret0001"))
	if r.Status != http.StatusOK {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	for h, want := range map[string]string{"Cache-Control": "no-store", "Content-Type": "application/json;charset=UTF-8"} {
		if got := r.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	body := r.JSON(t)
	var keys []string
	for k, v := range body {
		keys = append(keys, k)
		if _, ok := v.(string); !ok {
			t.Errorf("%s is %T, want a string (Salesforce sends every value as a string)", k, v)
		}
	}
	sort.Strings(keys)
	// No refresh_token and no expires_in: Salesforce sends neither for this flow.
	if diff := cmp.Diff([]string{"access_token", "id", "instance_url", "issued_at", "scope", "signature", "token_type"}, keys); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	orgID, userID := s.ids(t, "integration@acme.example")
	tok := body["access_token"].(string)
	if !regexp.MustCompile(`^00D\w{12}![.\w]+$`).MatchString(tok) || !strings.HasPrefix(tok, orgID[:15]+"!") {
		t.Errorf("access_token %q is not <15-char org id>!<opaque> (org %s)", tok, orgID)
	}
	wantID := s.URL + "/id/" + orgID + "/" + userID
	if body["id"] != wantID || body["instance_url"] != s.URL || body["token_type"] != "Bearer" {
		t.Errorf("id=%v instance_url=%v token_type=%v; want %s %s Bearer", body["id"], body["instance_url"], body["token_type"], wantID, s.URL)
	}
	// scope: the app's scopes less full, web, refresh_token and offline_access.
	if body["scope"] != "api id" {
		t.Errorf("scope = %q, want %q", body["scope"], "api id")
	}
	issued := body["issued_at"].(string)
	if want := "1795341600000"; issued != want { // the test clock, in epoch milliseconds
		t.Errorf("issued_at = %q, want %q", issued, want)
	}
	mac := hmac.New(sha256.New, []byte("AcmeSecret0001"))
	mac.Write([]byte(wantID + issued))
	if want := base64.StdEncoding.EncodeToString(mac.Sum(nil)); body["signature"] != want {
		t.Errorf("signature = %v, want %s", body["signature"], want)
	}
}

func TestClientCredentialsRequestStyles(t *testing.T) {
	s := start(t)
	for _, tc := range []struct {
		name string
		req  func() *http.Request
	}{
		{"secret in body", func() *http.Request {
			req := newRequest(t, http.MethodPost, s.URL+"/services/oauth2/token", strings.NewReader(ccForm("AcmeKey0001", "AcmeSecret0001").Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return req
		}},
		{"HTTP Basic (simple-salesforce)", func() *http.Request {
			req := newRequest(t, http.MethodPost, s.URL+"/services/oauth2/token", strings.NewReader("grant_type=client_credentials"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.SetBasicAuth("AcmeKey0001", "AcmeSecret0001")
			return req
		}},
		{"Basic and the same values in the body", func() *http.Request {
			req := newRequest(t, http.MethodPost, s.URL+"/services/oauth2/token", strings.NewReader(ccForm("AcmeKey0001", "AcmeSecret0001").Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.SetBasicAuth("AcmeKey0001", "AcmeSecret0001")
			return req
		}},
		{"everything in the query string, empty body", func() *http.Request {
			return newRequest(t, http.MethodPost, s.URL+"/services/oauth2/token?"+ccForm("AcmeKey0001", "AcmeSecret0001").Encode(), nil)
		}},
		{"query merged with body, format=json (Camel, Mobile SDK)", func() *http.Request {
			req := newRequest(t, http.MethodPost, s.URL+"/services/oauth2/token?device_id=abc&format=json",
				strings.NewReader("grant_type=client_credentials&client_id=AcmeKey0001&client_secret=AcmeSecret0001&format=json"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
			return req
		}},
		{"chunked body without Content-Length (jsforce 3.10)", func() *http.Request {
			pr, pw := io.Pipe()
			go func() {
				pw.Write([]byte("grant_type=client_credentials&client_id=AcmeKey0001"))
				pw.Write([]byte("&client_secret=AcmeSecret0001"))
				pw.Close()
			}()
			req := newRequest(t, http.MethodPost, s.URL+"/services/oauth2/token", pr)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return req
		}},
		{"permission set pre-authorizes an admin-approved app", func() *http.Request {
			req := newRequest(t, http.MethodPost, s.URL+"/services/oauth2/token", strings.NewReader(ccForm("PermSetKey0012", "PermSetSecret0012").Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return req
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := tc.req()
			r := do(t, req)
			if r.Status != http.StatusOK {
				t.Fatalf("status %d: %s", r.Status, r.Body)
			}
			if tok, _ := r.JSON(t)["access_token"].(string); tok == "" {
				t.Errorf("no access_token in %s", r.Body)
			}
		})
	}
}

func TestTokenErrors(t *testing.T) {
	s := start(t)
	type e struct{ Error, Description string }
	for _, tc := range []struct {
		name   string
		form   url.Values
		header map[string]string
		status int
		want   e
	}{
		{"unknown consumer key", ccForm("NoSuchKey", "x"), nil, 400, e{"invalid_client_id", "client identifier invalid"}},
		{"no client_id", url.Values{"grant_type": {"client_credentials"}}, nil, 400, e{"invalid_client_id", "client identifier invalid"}},
		{"wrong secret", ccForm("AcmeKey0001", "AcmeSecret0002"), nil, 400, e{"invalid_client", "invalid client credentials"}},
		{"no secret", url.Values{"grant_type": {"client_credentials"}, "client_id": {"AcmeKey0001"}}, nil, 400, e{"invalid_client", "invalid client credentials"}},
		{"another app's secret", ccForm("AcmeKey0001", "OtherSecret0002"), nil, 400, e{"invalid_client", "invalid client credentials"}},
		{"flow not enabled", ccForm("DisabledKey0004", "DisabledSecret0004"), nil, 400, e{"invalid_grant", "no client credentials user enabled"}},
		{"no run-as user", ccForm("NoRunAsKey0005", "NoRunAsSecret0005"), nil, 400, e{"invalid_grant", "no client credentials user enabled"}},
		{"inactive run-as user", ccForm("InactiveKey0006", "InactiveSecret0006"), nil, 400, e{"invalid_grant", "inactive user"}},
		{"admin approved, run-as user not pre-authorized", ccForm("ApprovedKey0007", "ApprovedSecret0007"), nil, 400, e{"invalid_app_access", "user is not admin approved to access this app"}},
		{"scope parameter", func() url.Values { f := ccForm("AcmeKey0001", "AcmeSecret0001"); f.Set("scope", "api"); return f }(), nil, 400, e{"invalid_request", "scope parameter not supported"}},
		{"no valid scopes", ccForm("FullOnlyKey0008", "FullOnlySecret0008"), nil, 400, e{"invalid_grant", "no valid scopes defined"}},
		{"missing grant_type", url.Values{"client_id": {"AcmeKey0001"}}, nil, 400, e{"unsupported_grant_type", "grant type not supported"}},
		{"unknown grant_type", url.Values{"grant_type": {"magic"}}, nil, 400, e{"unsupported_grant_type", "grant type not supported"}},
		{"conflicting duplicate parameter", url.Values{"grant_type": {"client_credentials", "password"}}, nil, 400, e{"invalid_request", "parameter grant_type given more than once with different values"}},
		{"JSON body", nil, map[string]string{"Content-Type": "application/json"}, 400, e{"invalid_request", `unsupported Content-Type "application/json": send application/x-www-form-urlencoded`}},
		{"Basic and body disagree", ccForm("AcmeKey0001", "AcmeSecret0001"), map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte("OtherKey0002:OtherSecret0002"))}, 400,
			e{"invalid_request", "client credentials in the Authorization header and the body differ"}},
		{"malformed Basic", url.Values{"grant_type": {"client_credentials"}}, map[string]string{"Authorization": "Basic %%%"}, 400, e{"invalid_request", "malformed Basic authorization header"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := newRequest(t, http.MethodPost, s.URL+"/services/oauth2/token", strings.NewReader(tc.form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			r := do(t, req)
			if r.Status != tc.status {
				t.Errorf("status = %d, want %d", r.Status, tc.status)
			}
			if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control = %q", cc)
			}
			body := r.JSON(t)
			if diff := cmp.Diff(tc.want, e{body["error"].(string), body["error_description"].(string)}); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if len(body) != 2 {
				t.Errorf("error body has extra keys: %s", r.Body)
			}
		})
	}
	t.Run("GET", func(t *testing.T) {
		r := s.get(t, "/services/oauth2/token?"+ccForm("AcmeKey0001", "AcmeSecret0001").Encode(), "")
		if r.Status != http.StatusMethodNotAllowed || !strings.Contains(r.Body, `"error":"invalid_request"`) {
			t.Errorf("GET token: %d %s", r.Status, r.Body)
		}
	})
	t.Run("oversized body", func(t *testing.T) {
		body := "grant_type=client_credentials&junk=" + strings.Repeat("x", 70<<10)
		r := s.postForm(t, "/services/oauth2/token", mustParseQuery(t, body))
		if r.Status != 400 || !strings.Contains(r.Body, "request body larger than") {
			t.Errorf("oversized body: %d %s", r.Status, r.Body)
		}
	})
}

func mustParseQuery(t *testing.T, s string) url.Values {
	v, err := url.ParseQuery(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
