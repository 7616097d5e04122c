package server

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/tlscert"
)

// TLS listener tests (salesforce-rest.md §0 item 1, §8.3 (e); docs/tls.md).

// tlsServer is a test server with an HTTPS listener on 127.0.0.1:0 and a client that
// trusts its generated certificate.
type tlsServer struct {
	*testServer
	HTTPS    string       // https://127.0.0.1:PORT
	CertFile string       // the self-signed certificate, for REQUESTS_CA_BUNDLE and friends
	Client   *http.Client // trusts CertFile only
}

// startTLS starts the test org with both listeners. baseURL may be "".
func startTLS(t *testing.T, baseURL string) *tlsServer {
	t.Helper()
	orgFile, dir := writeOrgFile(t, testOrgFile)
	certFile, keyFile, err := tlscert.Write(filepath.Join(dir, "tls"), tlscert.DefaultHosts, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	s := startWith(t, Config{DB: filepath.Join(dir, "ff.db"), OrgFile: orgFile, BaseURL: baseURL,
		TLSAddr: "127.0.0.1:0", TLSCertFile: certFile, TLSKeyFile: keyFile})
	pemBytes, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		t.Fatal("generated cert.pem holds no certificate")
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	t.Cleanup(client.CloseIdleConnections)
	return &tlsServer{testServer: s, HTTPS: s.TLSURL(), CertFile: certFile, Client: client}
}

// tlsToken gets a client credentials token over HTTPS and returns the response body.
func (s *tlsServer) tlsToken(t *testing.T, base string) map[string]any {
	t.Helper()
	resp, err := s.Client.PostForm(base+"/services/oauth2/token", ccForm("AcmeKey0001", "AcmeSecret0001"))
	if err != nil {
		t.Fatalf("token over TLS: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("token over TLS: %d %s", resp.StatusCode, body)
	}
	if resp.TLS == nil && strings.HasPrefix(base, "https:") {
		t.Error("https response carries no TLS state")
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestTLSListener(t *testing.T) {
	s := startTLS(t, "")
	if !strings.HasPrefix(s.HTTPS, "https://127.0.0.1:") || s.HTTPS == "https://127.0.0.1:0" {
		t.Fatalf("TLSURL = %q", s.HTTPS)
	}
	wantID := s.identityURL(t, "integration@acme.example")

	// Over TLS: instance_url is the HTTPS listener; id stays the base URL (one issuer).
	tok := s.tlsToken(t, s.HTTPS)
	if tok["instance_url"] != s.HTTPS || tok["id"] != wantID {
		t.Errorf("over TLS: instance_url %v, id %v; want %s and %s", tok["instance_url"], tok["id"], s.HTTPS, wantID)
	}
	wantSignature(t, tok, "AcmeSecret0001")
	// The token works on both listeners.
	for _, base := range []string{s.HTTPS, s.URL} {
		req := newRequest(t, http.MethodGet, base+"/services/data/v59.0/limits/", nil)
		req.Header.Set("Authorization", "Bearer "+tok["access_token"].(string))
		resp, err := s.Client.Do(req)
		if err != nil {
			t.Fatalf("limits on %s: %v", base, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"DailyApiRequests"`) {
			t.Errorf("limits on %s: %d %s", base, resp.StatusCode, body)
		}
	}
	// Over plain HTTP: instance_url is still the HTTP base URL.
	if plain := s.tokenResponse(t, "AcmeKey0001", "AcmeSecret0001"); plain["instance_url"] != s.URL {
		t.Errorf("over HTTP: instance_url %v, want %s", plain["instance_url"], s.URL)
	}
	// A client that does not trust the certificate is refused.
	if _, err := http.Post(s.HTTPS+"/services/oauth2/token", "application/x-www-form-urlencoded", strings.NewReader("grant_type=client_credentials")); err == nil {
		t.Error("a client without the certificate completed a TLS handshake")
	}
}

// With a base URL configured, both listeners announce it.
func TestTLSListenerWithBaseURL(t *testing.T) {
	s := startTLS(t, "https://acme.example.test")
	tok := s.tlsToken(t, s.HTTPS)
	if tok["instance_url"] != "https://acme.example.test" {
		t.Errorf("instance_url %v, want the configured base URL", tok["instance_url"])
	}
}

func TestTLSConfigErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "missing.pem")
	certFile, keyFile, err := tlscert.Write(dir, tlscert.DefaultHosts, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for name, cfg := range map[string]Config{
		"no key pair":      {TLSAddr: "127.0.0.1:0"},
		"missing files":    {TLSAddr: "127.0.0.1:0", TLSCertFile: bad, TLSKeyFile: bad},
		"unusable address": {TLSAddr: "256.0.0.1:99999", TLSCertFile: certFile, TLSKeyFile: keyFile},
		"key for cert":     {TLSAddr: "127.0.0.1:0", TLSCertFile: keyFile, TLSKeyFile: certFile},
	} {
		t.Run(name, func(t *testing.T) {
			cfg.Addr = "127.0.0.1:0"
			cfg.DB = filepath.Join(t.TempDir(), "ff.db")
			if s, err := Open(t.Context(), cfg); err == nil {
				s.closeAll()
				t.Fatal("Open succeeded")
			}
		})
	}
}
