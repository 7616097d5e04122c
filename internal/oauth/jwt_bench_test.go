package oauth

import (
	"context"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"crypto/rand"

	"github.com/forcefield/forcefield/internal/directory"
	"github.com/forcefield/forcefield/internal/orgfile"
	"github.com/forcefield/forcefield/internal/session"
	"github.com/forcefield/forcefield/internal/store/sqlite"
)

// BenchmarkJWTBearerHandler issues JWT bearer tokens through the real handler, session
// manager and SQLite store (no network), reusing one assertion, on every core. Compare
// with BenchmarkRSAVerifyParallel in the same run: go test -bench 'JWTBearerHandler|RSAVerify' -cpu 2.
func BenchmarkJWTBearerHandler(b *testing.B) {
	dir := b.TempDir()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "bench"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &fuzzKey.PublicKey, fuzzKey)
	if err != nil {
		b.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "app.crt"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	const org = `orgs:
  - name: B
    profiles: [{name: P, permissions: [ApiEnabled]}]
    users: [{username: b@b.example, lastName: B, email: b@b.example, profile: P}]
    connectedApps: [{name: J, scopes: [api], consumerKey: BenchJwt01, certificates: [app.crt], approvedUsers: [b@b.example]}]
`
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "ff.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	f, err := orgfile.Parse(filepath.Join(dir, "b.yaml"), []byte(org))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := orgfile.Apply(ctx, db, f); err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	sessions := session.NewManager(db, session.Options{Logger: log})
	defer sessions.Close()
	mux := http.NewServeMux()
	NewServer(Config{Directory: directory.New(db), Sessions: sessions, BaseURL: "http://ff.test", Logger: log, Lockouts: db}).Register(mux)
	assertion := signFuzz(`{"alg":"RS256"}`, `{"iss":"BenchJwt01","sub":"b@b.example","aud":"https://login.salesforce.com","exp":`+
		strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)+`}`, false)
	body := url.Values{"grant_type": {grantJWTBearer}, "assertion": {assertion}}.Encode()
	b.SetParallelism(32) // 32 goroutines per CPU: enough requests in flight for group commit
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(http.MethodPost, "/services/oauth2/token", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w := httptest.NewRecorder()
			mux.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("%d %s", w.Code, w.Body)
			}
		}
	})
}
