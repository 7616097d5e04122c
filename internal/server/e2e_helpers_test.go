package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Helpers shared by the e2e_*_test.go files.

// restContentType is the Content-Type of every JSON response (salesforce-rest.md §0 item 4).
const restContentType = "application/json;charset=UTF-8"

// getAuth sends a GET with a raw Authorization header ("" for none).
func (s *testServer) getAuth(t *testing.T, path, authorization string) response {
	t.Helper()
	req := newRequest(t, http.MethodGet, s.URL+path, nil)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	return do(t, req)
}

// tokenResponse requests a client credentials token and returns the whole success body.
func (s *testServer) tokenResponse(t *testing.T, key, secret string) map[string]any {
	t.Helper()
	r := s.postForm(t, "/services/oauth2/token", ccForm(key, secret))
	if r.Status != http.StatusOK {
		t.Fatalf("token request for %s: %d %s", key, r.Status, r.Body)
	}
	return r.JSON(t)
}

// restError renders Salesforce's one-element REST error array.
func restError(code, message string) string {
	type wire struct {
		Message   string `json:"message"`
		ErrorCode string `json:"errorCode"`
	}
	b, err := json.Marshal([]wire{{message, code}})
	if err != nil {
		panic(err)
	}
	return string(b)
}

// wantRESTError checks a REST error response: status, Content-Type and the exact body.
func wantRESTError(t *testing.T, r response, status int, code, message string) {
	t.Helper()
	if r.Status != status {
		t.Errorf("status = %d, want %d (body %s)", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != restContentType {
		t.Errorf("Content-Type = %q, want %q", ct, restContentType)
	}
	if want := restError(code, message); r.Body != want {
		t.Errorf("body = %s\nwant   %s", r.Body, want)
	}
}

// wantOAuthError checks an OAuth error response: status and exactly {"error","error_description"}.
func wantOAuthError(t *testing.T, r response, status int, code, description string) {
	t.Helper()
	if r.Status != status {
		t.Errorf("status = %d, want %d (body %s)", r.Status, status, r.Body)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(r.Body), &got); err != nil {
		t.Fatalf("body is not JSON: %v: %q", err, r.Body)
	}
	if diff := cmp.Diff(map[string]any{"error": code, "error_description": description}, got); diff != "" {
		t.Errorf("error body (-want +got):\n%s", diff)
	}
}

// writeOrgFile writes an org file into a fresh directory and returns its path and the
// directory (for the database file).
func writeOrgFile(t *testing.T, content string) (orgFile, dir string) {
	t.Helper()
	dir = t.TempDir()
	orgFile = filepath.Join(dir, "org.yaml")
	if err := os.WriteFile(orgFile, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return orgFile, dir
}

// wantSignature checks a token response's signature against the consumer secret used
// (salesforce-oauth.md §1.10).
func wantSignature(t *testing.T, body map[string]any, consumerSecret string) {
	t.Helper()
	id, _ := body["id"].(string)
	issued, _ := body["issued_at"].(string)
	mac := hmac.New(sha256.New, []byte(consumerSecret))
	mac.Write([]byte(id + issued))
	if want := base64.StdEncoding.EncodeToString(mac.Sum(nil)); body["signature"] != want {
		t.Errorf("signature = %v, want %s (HMAC with the secret used)", body["signature"], want)
	}
}

// identityURL is the expected id of a user's tokens.
func (s *testServer) identityURL(t *testing.T, username string) string {
	t.Helper()
	orgID, userID := s.ids(t, username)
	return s.URL + "/id/" + orgID + "/" + userID
}

// postFormBasic POSTs a form with HTTP Basic client authentication.
func (s *testServer) postFormBasic(t *testing.T, path string, form url.Values, user, pass string) response {
	t.Helper()
	req := newRequest(t, http.MethodPost, s.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(user, pass)
	return do(t, req)
}
