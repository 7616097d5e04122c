package tlscert

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestWrite(t *testing.T) {
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	dir := filepath.Join(t.TempDir(), "tls")
	certFile, keyFile, err := Write(dir, []string{"127.0.0.1", " localhost", "", "::1"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(keyFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode: %v, %v; want 0600", fi.Mode(), err)
	}
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatalf("not a usable key pair: %v", err)
	}
	cert, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	pub, ok := cert.PublicKey.(*ecdsa.PublicKey)
	if !ok || pub.Curve != elliptic.P256() {
		t.Errorf("public key %T, want ECDSA P-256", cert.PublicKey)
	}
	if got := cert.NotAfter.Sub(now); got != Validity {
		t.Errorf("valid for %v after now, want %v", got, Validity)
	}
	if diff := cmp.Diff([]string{"localhost"}, cert.DNSNames); diff != "" {
		t.Errorf("DNS SANs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"127.0.0.1", "::1"}, ipStrings(cert.IPAddresses)); diff != "" {
		t.Errorf("IP SANs (-want +got):\n%s", diff)
	}
	// The certificate trusts itself for every SAN, as a client's CA bundle would.
	pool := x509.NewCertPool()
	pemBytes, _ := os.ReadFile(certFile)
	if !pool.AppendCertsFromPEM(pemBytes) {
		t.Fatal("cert.pem holds no PEM certificate")
	}
	for _, name := range []string{"127.0.0.1", "localhost", "::1"} {
		if _, err := cert.Verify(x509.VerifyOptions{DNSName: name, Roots: pool, CurrentTime: now.Add(time.Hour)}); err != nil {
			t.Errorf("verify for %s: %v", name, err)
		}
	}
	if _, err := cert.Verify(x509.VerifyOptions{DNSName: "example.com", Roots: pool, CurrentTime: now}); err == nil {
		t.Error("certificate verified for a host it does not name")
	}
	if _, err := cert.Verify(x509.VerifyOptions{DNSName: "localhost", Roots: pool, CurrentTime: now.Add(Validity + time.Hour)}); err == nil {
		t.Error("certificate verified after its expiry")
	}
	keyPEM, _ := os.ReadFile(keyFile)
	if b, _ := pem.Decode(keyPEM); b == nil || b.Type != "PRIVATE KEY" {
		t.Errorf("key.pem is not a PKCS#8 PEM block")
	}
}

func TestGenerateNeedsAHost(t *testing.T) {
	if _, _, err := Generate([]string{" ", ""}, time.Now()); err == nil {
		t.Error("Generate with no hosts succeeded")
	}
}

func ipStrings(ips []net.IP) []string {
	var s []string
	for _, ip := range ips {
		s = append(s, ip.String())
	}
	return s
}
