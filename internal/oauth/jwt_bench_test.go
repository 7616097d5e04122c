package oauth

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"crypto/rand"

	"github.com/forcefield/forcefield/internal/directory"
	"github.com/forcefield/forcefield/internal/session"
)

// BenchmarkJWTBearerHandler issues JWT bearer tokens through the real handler, session
// manager and SQLite store (no network), reusing one assertion, on every core. Compare
// with BenchmarkRSAVerifyParallel in the same run: go test -bench 'JWTBearerHandler|RSAVerify' -cpu 2.
func BenchmarkJWTBearerHandler(b *testing.B) {
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "bench"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &fuzzKey.PublicKey, fuzzKey)
	if err != nil {
		b.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	const org = `orgs:
  - name: B
    profiles: [{name: P, permissions: [ApiEnabled]}]
    users: [{username: b@b.example, lastName: B, email: b@b.example, profile: P}]
    connectedApps: [{name: J, scopes: [api], consumerKey: BenchJwt01, certificates: [%q], approvedUsers: [b@b.example]}]
`
	to := openTestOrg(b, fmt.Sprintf(org, certPEM), session.Options{})
	db, log := to.db, to.log
	sessions := to.sessions
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
