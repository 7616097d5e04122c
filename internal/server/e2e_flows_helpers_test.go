package server

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A signing key and its self-signed certificate, as an admin creates them with openssl
// before uploading the certificate to the connected app.
type signer struct {
	key     *rsa.PrivateKey
	certPEM string
}

func newSigner(t testing.TB) signer {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "forcefield test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return signer{key, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))}
}

// writeFile writes a file next to the org file (certificates given by path).
func writeFile(t testing.TB, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// jwtStyle is how a client encodes an assertion.
type jwtStyle struct {
	header string // the JSON header; "" means {"alg":"RS256"}
	padded bool   // base64url with '=' padding (Apache Camel, Java's URL encoder)
}

// sign builds a signed assertion from raw claims JSON.
func (s signer) sign(t testing.TB, claims any, style jwtStyle) string {
	t.Helper()
	enc := base64.RawURLEncoding
	if style.padded {
		enc = base64.URLEncoding
	}
	header := style.header
	if header == "" {
		header = `{"alg":"RS256"}`
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	input := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString(payload)
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, s.key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return input + "." + enc.EncodeToString(sig)
}

// jwtToken posts a JWT bearer token request.
func (s *testServer) jwtToken(t *testing.T, assertion string) response {
	t.Helper()
	return s.postForm(t, "/services/oauth2/token", url.Values{
		"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"}, "assertion": {assertion}})
}

// lastLogin returns the newest LoginHistory row through the admin API.
func (s *testServer) lastLogin(t *testing.T) map[string]any {
	t.Helper()
	r := s.admin(t, http.MethodGet, "/login-history?limit=1", "")
	var rows []map[string]any
	if err := json.Unmarshal([]byte(r.Body), &rows); err != nil || len(rows) != 1 {
		t.Fatalf("login history: %v: %s", err, r.Body)
	}
	return rows[0]
}

// wantLogin checks the newest LoginHistory row's subtype, status and user.
func (s *testServer) wantLogin(t *testing.T, subType, status, userID string) {
	t.Helper()
	row := s.lastLogin(t)
	if row["loginType"] != "Remote Access 2.0" || row["loginSubType"] != subType || row["status"] != status {
		t.Errorf("login history = %v/%v/%v, want Remote Access 2.0/%s/%s", row["loginType"], row["loginSubType"], row["status"], subType, status)
	}
	if got, _ := row["userId"].(string); got != userID {
		t.Errorf("login history userId = %q, want %q", got, userID)
	}
}
