package forcefieldtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Admin sends one admin API request and returns the answer's body: path is relative to
// /forcefield/admin (e.g. "/apps") or absolute ("/forcefield/admin/apps"); body is nil, a
// string or []byte sent as is, or any other value sent as JSON. An answer other than 2xx
// fails the test with its body. For a request whose refusal the test expects, use
// net/http with AdminToken.
func (s *Server) Admin(t TB, method, path string, body any) []byte {
	t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			t.Fatalf("forcefieldtest: %s %s: encoding the body: %v", method, path, err)
		}
	}
	if !strings.HasPrefix(path, "/forcefield/") {
		path = "/forcefield/admin" + path
	}
	status, out, err := s.do(method, path, raw)
	if err != nil {
		t.Fatalf("forcefieldtest: %s %s: %v", method, path, err)
	}
	if status < 200 || status > 299 {
		t.Fatalf("forcefieldtest: %s %s: HTTP %d: %s", method, path, status, out)
	}
	return out
}

// adminJSON sends an admin request and decodes its JSON answer into out (nil: ignored).
func (s *Server) adminJSON(t TB, method, path string, body, out any) {
	t.Helper()
	raw := s.Admin(t, method, path, body)
	if out == nil {
		return
	}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("forcefieldtest: %s %s: decoding the answer: %v: %s", method, path, err, raw)
	}
}

// do sends an authenticated admin request.
func (s *Server) do(method, path string, body []byte) (int, []byte, error) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, s.URL+path, r)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+s.AdminToken)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	return resp.StatusCode, out, err
}

// orgPath is "/orgs/{org}" for the org the handles act on.
func (s *Server) orgPath(t TB) string {
	t.Helper()
	if s.org == "" {
		names := make([]string, 0, len(s.orgs))
		for _, o := range s.orgs {
			names = append(names, o.Name)
		}
		t.Fatalf("forcefieldtest: the org file declares %d orgs (%s): choose one with srv.Org(name)", len(s.orgs), strings.Join(names, ", "))
	}
	return "/orgs/" + url.PathEscape(s.org)
}

// Token gets an access token for the app named app with the client credentials flow
// (the app must enable it) and returns it; a refusal fails the test.
func (s *Server) Token(t TB, app string) string {
	t.Helper()
	c := s.App(app)
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {c.ConsumerKey}, "client_secret": {c.ConsumerSecret}}
	resp, err := s.client.PostForm(s.URL+"/services/oauth2/token", form)
	if err != nil {
		t.Fatalf("forcefieldtest: token for %s: %v", app, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &tok) != nil || tok.AccessToken == "" {
		t.Fatalf("forcefieldtest: token for %s: HTTP %d: %s", app, resp.StatusCode, body)
	}
	return tok.AccessToken
}

func (c Credentials) String() string {
	return fmt.Sprintf("{ConsumerKey:%s ConsumerSecret:(%d characters)}", c.ConsumerKey, len(c.ConsumerSecret))
}
