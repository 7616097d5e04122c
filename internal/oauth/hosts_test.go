package oauth

import (
	"crypto/tls"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/directory"
	"github.com/forcefield/forcefield/internal/session"
)

func TestClassifyHost(t *testing.T) {
	type got struct {
		Kind       hostKind
		Host, Port string
	}
	for in, want := range map[string]got{
		"login.salesforce.com":                    {hostLogin, "login.salesforce.com", ""},
		"LOGIN.Salesforce.com.":                   {hostLogin, "login.salesforce.com", ""},
		"login.salesforce.com:8443":               {hostLogin, "login.salesforce.com", ":8443"},
		"test.salesforce.com":                     {hostTest, "test.salesforce.com", ""},
		"acme.my.salesforce.com":                  {hostMyDomain, "acme.my.salesforce.com", ""},
		"acme--dev.sandbox.my.salesforce.com:443": {hostMyDomain, "acme--dev.sandbox.my.salesforce.com", ":443"},
		".my.salesforce.com":                      {hostOther, ".my.salesforce.com", ""},
		"a..b.my.salesforce.com":                  {hostOther, "a..b.my.salesforce.com", ""},
		"a_b.my.salesforce.com":                   {hostOther, "a_b.my.salesforce.com", ""},
		"a%2f.my.salesforce.com":                  {hostOther, "a%2f.my.salesforce.com", ""},
		"my.salesforce.com":                       {hostOther, "my.salesforce.com", ""},
		"login.salesforce.com.example.com":        {hostOther, "login.salesforce.com.example.com", ""},
		"salesforce.com":                          {hostOther, "salesforce.com", ""},
		"127.0.0.1:8443":                          {hostOther, "127.0.0.1", ":8443"},
		"[::1]:443":                               {hostOther, "::1", ":443"},
		"":                                        {hostOther, "", ""},
	} {
		k, h, p := classifyHost(in)
		if diff := cmp.Diff(want, got{k, h, p}); diff != "" {
			t.Errorf("classifyHost(%q) (-want +got):\n%s", in, diff)
		}
	}
}

const hostsOrg = `orgs:
  - name: Acme
    myDomain: Acme
    profiles:
      - {name: Open, permissions: [ApiEnabled]}
    users:
      - {username: run@acme.example, lastName: Run, email: run@acme.example, profile: Open, password: "hosts pass 01"}
    connectedApps:
      - {name: CC, scopes: [api], consumerKey: HostsCc01, consumerSecret: HostsSecret01, clientCredentials: {enabled: true, runAs: run@acme.example}}
  - name: Plain
    profiles:
      - {name: Open, permissions: [ApiEnabled]}
    users:
      - {username: run@plain.example, lastName: Run, email: run@plain.example, profile: Open, password: "hosts pass 01"}
    connectedApps:
      - {name: PW, scopes: [api], consumerKey: HostsPw02, consumerSecret: HostsSecret01}
`

// TestSalesforceHostURLs: a request sent to login, test or a My Domain host is answered
// with that host's URLs (hosts.go) — instance_url the org's My Domain, id and discovery
// the host asked — and client credentials are refused on login and test with Salesforce's
// exact body; any other host keeps the configured base URL.
func TestSalesforceHostURLs(t *testing.T) {
	to := openTestOrg(t, hostsOrg, session.Options{})
	db, log := to.db, to.log
	sessions := to.sessions
	mux := http.NewServeMux()
	NewServer(Config{Directory: directory.New(db), Sessions: sessions, BaseURL: "http://127.0.0.1:8080", Logger: log, Lockouts: db}).Register(mux)
	h := SalesforceHosts(mux)

	send := func(method, host, path string, tlsConn bool, form url.Values, bearer string) (int, map[string]any) {
		var body *strings.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		} else {
			body = strings.NewReader("")
		}
		r := httptest.NewRequest(method, "http://x"+path, body)
		r.Host = host
		if form != nil {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		if bearer != "" {
			r.Header.Set("Authorization", "Bearer "+bearer)
		}
		if tlsConn {
			r.TLS = &tls.ConnectionState{}
		} else {
			r.TLS = nil
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		var m map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil {
			t.Fatalf("%s %s%s: %d %q is not a JSON object", method, host, path, w.Code, w.Body.String())
		}
		return w.Code, m
	}
	cc := url.Values{"grant_type": {"client_credentials"}, "client_id": {"HostsCc01"}, "client_secret": {"HostsSecret01"}}
	ccBad := url.Values{"grant_type": {"client_credentials"}, "client_id": {"HostsCc01"}, "client_secret": {"wrong"}}
	pw := func(user, app string) url.Values {
		return url.Values{"grant_type": {"password"}, "client_id": {app}, "client_secret": {"HostsSecret01"},
			"username": {user}, "password": {"hosts pass 01"}}
	}
	domainErr := map[string]any{"error": "invalid_grant", "error_description": "request not supported on this domain"}

	type urls struct {
		Status                int
		Error                 map[string]any
		InstanceURL, IDPrefix string
	}
	for _, tc := range []struct {
		name string
		host string
		tls  bool
		form url.Values
		want urls
	}{
		{"cc at login", "login.salesforce.com", true, cc, urls{400, domainErr, "", ""}},
		{"cc at test with a port", "test.salesforce.com:8443", true, cc, urls{400, domainErr, "", ""}},
		{"cc at login with a wrong secret: the domain first", "Login.Salesforce.com", true, ccBad, urls{400, domainErr, "", ""}},
		{"cc at the My Domain", "acme.my.salesforce.com", true, cc, urls{200, nil, "https://acme.my.salesforce.com", "https://acme.my.salesforce.com/id/"}},
		{"cc at another org's My Domain host", "other.my.salesforce.com:8443", true, cc, urls{200, nil, "https://acme.my.salesforce.com:8443", "https://other.my.salesforce.com:8443/id/"}},
		{"cc at 127.0.0.1", "127.0.0.1:8443", true, cc, urls{200, nil, "http://127.0.0.1:8080", "http://127.0.0.1:8080/id/"}},
		{"password at login", "login.salesforce.com", true, pw("run@acme.example", "HostsCc01"), urls{200, nil, "https://acme.my.salesforce.com", "https://login.salesforce.com/id/"}},
		{"password at test:8443", "test.salesforce.com:8443", true, pw("run@acme.example", "HostsCc01"), urls{200, nil, "https://acme.my.salesforce.com:8443", "https://test.salesforce.com:8443/id/"}},
		{"password at login, org without My Domain", "login.salesforce.com", true, pw("run@plain.example", "HostsPw02"), urls{200, nil, "https://login.salesforce.com", "https://login.salesforce.com/id/"}},
		{"password at login over plain HTTP", "login.salesforce.com:8080", false, pw("run@acme.example", "HostsCc01"), urls{200, nil, "http://acme.my.salesforce.com:8080", "http://login.salesforce.com:8080/id/"}},
		{"password at localhost", "localhost:8080", false, pw("run@plain.example", "HostsPw02"), urls{200, nil, "http://127.0.0.1:8080", "http://127.0.0.1:8080/id/"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, m := send(http.MethodPost, tc.host, "/services/oauth2/token", tc.tls, tc.form, "")
			got := urls{Status: status}
			if status != 200 {
				got.Error = m
			} else {
				got.InstanceURL, _ = m["instance_url"].(string)
				id, _ := m["id"].(string)
				if i := strings.Index(id, "/id/"); i >= 0 {
					got.IDPrefix = id[:i+4]
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}

	// The identity URL, userinfo and introspection name the host asked, like the token's id.
	_, tok := send(http.MethodPost, "login.salesforce.com", "/services/oauth2/token", true, pw("run@acme.example", "HostsCc01"), "")
	access, id := tok["access_token"].(string), tok["id"].(string)
	idPath := strings.TrimPrefix(id, "https://login.salesforce.com")
	_, ident := send(http.MethodGet, "login.salesforce.com", idPath, true, nil, access)
	if ident["id"] != id {
		t.Errorf("identity id = %v, want the token's %s", ident["id"], id)
	}
	// The service URLs are on the org's instance, as instance_url is.
	if u, _ := ident["urls"].(map[string]any); u["rest"] != "https://acme.my.salesforce.com/services/data/v{version}/" ||
		u["custom_domain"] != "https://acme.my.salesforce.com" {
		t.Errorf("identity urls at the login host: rest %v, custom_domain %v", u["rest"], u["custom_domain"])
	}
	_, ident = send(http.MethodGet, "127.0.0.1:8080", idPath, false, nil, access)
	if u, _ := ident["urls"].(map[string]any); u["rest"] != "http://127.0.0.1:8080/services/data/v{version}/" {
		t.Errorf("identity urls at 127.0.0.1: rest %v", u["rest"])
	}
	if _, ui := send(http.MethodGet, "login.salesforce.com", "/services/oauth2/userinfo", true, nil, access); ui["sub"] != id {
		t.Errorf("userinfo sub = %v, want %s", ui["sub"], id)
	}
	if _, ui := send(http.MethodGet, "127.0.0.1:8080", "/services/oauth2/userinfo", false, nil, access); ui["sub"] != "http://127.0.0.1:8080"+idPath {
		t.Errorf("userinfo sub on 127.0.0.1 = %v", ui["sub"])
	}
	for host, issuer := range map[string]string{
		"login.salesforce.com":        "https://login.salesforce.com",
		"test.salesforce.com:8443":    "https://test.salesforce.com:8443",
		"acme.my.salesforce.com":      "https://acme.my.salesforce.com",
		"127.0.0.1:8443":              "http://127.0.0.1:8080",
		"login.salesforce.com.evil.x": "http://127.0.0.1:8080",
	} {
		_, d := send(http.MethodGet, host, "/.well-known/openid-configuration", true, nil, "")
		if d["issuer"] != issuer || d["token_endpoint"] != issuer+"/services/oauth2/token" {
			t.Errorf("discovery at %s: issuer %v, token_endpoint %v; want %s", host, d["issuer"], d["token_endpoint"], issuer)
		}
	}
}

// FuzzClassifyHost: any Host header is classified without panicking, and only names under
// salesforce.com are ever taken for Salesforce's hosts.
func FuzzClassifyHost(f *testing.F) {
	for _, s := range []string{"login.salesforce.com", "test.salesforce.com:8443", "a.my.salesforce.com.", "[::1]:443", "", ":", "x.my.salesforce.com:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, hostport string) {
		kind, host, port := classifyHost(hostport)
		if kind != hostOther && (!strings.HasSuffix(host, ".salesforce.com") || strings.ContainsAny(host, "/?#@%[]:\"\\ ")) {
			t.Errorf("classifyHost(%q) = %v for host %q", hostport, kind, host)
		}
		if port != "" && !strings.HasPrefix(port, ":") {
			t.Errorf("classifyHost(%q) port %q", hostport, port)
		}
	})
}
