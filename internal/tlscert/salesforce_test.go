package tlscert

import (
	"crypto/ecdsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// WriteSalesforce: a name-constrained CA whose key is gone, and a leaf for Salesforce's
// login hosts, every My Domain, loopback and the extra hosts, which verifies against the CA
// alone (the trust-store setup docs/web-flow.md describes).
func TestWriteSalesforce(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	dir := filepath.Join(t.TempDir(), "tls")
	caFile, certFile, keyFile, err := WriteSalesforce(dir, []string{"ff.internal", " 10.0.0.7", "login.salesforce.com"}, now)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		files = append(files, e.Name())
	}
	// No CA key on disk: nothing can sign another certificate with this CA.
	if diff := cmp.Diff([]string{"ca.pem", "cert.pem", "key.pem"}, files); diff != "" {
		t.Errorf("files written (-want +got):\n%s", diff)
	}
	if fi, err := os.Stat(keyFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode: %v, %v; want 0600", fi.Mode(), err)
	}
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatalf("cert.pem and key.pem are not a usable key pair: %v", err)
	}
	if len(pair.Certificate) != 2 {
		t.Fatalf("cert.pem holds %d certificates, want the leaf and the CA", len(pair.Certificate))
	}
	leaf, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	caPEM, _ := os.ReadFile(caFile)
	block, _ := pem.Decode(caPEM)
	if block == nil {
		t.Fatal("ca.pem holds no PEM block")
	}
	ca, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if !ca.Equal(mustParse(t, pair.Certificate[1])) {
		t.Error("the chain in cert.pem does not end in ca.pem's certificate")
	}

	type shape struct {
		IsCA, MaxPathLenZero, Critical bool
		DNS                            []string
		IPs                            []string
		KeyUsage                       x509.KeyUsage
		ExtKeyUsage                    []x509.ExtKeyUsage
	}
	var ipNets []string
	for _, n := range ca.PermittedIPRanges {
		ipNets = append(ipNets, n.String())
	}
	gotCA := shape{ca.IsCA, ca.MaxPathLenZero, ca.PermittedDNSDomainsCritical, ca.PermittedDNSDomains, ipNets, ca.KeyUsage, ca.ExtKeyUsage}
	wantCA := shape{true, true, true, []string{"salesforce.com", "localhost", "ff.internal"},
		[]string{"127.0.0.1/32", "::1/128", "10.0.0.7/32"}, x509.KeyUsageCertSign | x509.KeyUsageCRLSign, nil}
	if diff := cmp.Diff(wantCA, gotCA); diff != "" {
		t.Errorf("CA certificate (-want +got):\n%s", diff)
	}
	gotLeaf := shape{leaf.IsCA, false, false, leaf.DNSNames, ipStrings(leaf.IPAddresses), leaf.KeyUsage, leaf.ExtKeyUsage}
	wantLeaf := shape{false, false, false,
		[]string{"login.salesforce.com", "test.salesforce.com", "*.my.salesforce.com", "*.sandbox.my.salesforce.com", "localhost", "ff.internal"},
		[]string{"127.0.0.1", "::1", "10.0.0.7"}, x509.KeyUsageDigitalSignature, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	if diff := cmp.Diff(wantLeaf, gotLeaf); diff != "" {
		t.Errorf("leaf certificate (-want +got):\n%s", diff)
	}
	if leaf.CheckSignatureFrom(ca) != nil {
		t.Error("the leaf is not signed by the CA")
	}
	if pub, ok := pair.PrivateKey.(*ecdsa.PrivateKey); !ok || !pub.PublicKey.Equal(leaf.PublicKey) || pub.PublicKey.Equal(ca.PublicKey) {
		t.Error("key.pem is not the leaf's key (or is the CA's)")
	}

	roots := x509.NewCertPool()
	roots.AddCert(ca)
	verify := func(name string, at time.Time) error {
		_, err := leaf.Verify(x509.VerifyOptions{DNSName: name, Roots: roots, CurrentTime: at})
		return err
	}
	for _, name := range []string{"login.salesforce.com", "test.salesforce.com", "acme.my.salesforce.com",
		"acme--dev.sandbox.my.salesforce.com", "localhost", "127.0.0.1", "::1", "ff.internal", "10.0.0.7"} {
		if err := verify(name, now.Add(time.Hour)); err != nil {
			t.Errorf("verify for %s: %v", name, err)
		}
	}
	for _, name := range []string{"salesforce.com", "www.salesforce.com", "a.b.my.salesforce.com", "example.com",
		"login.salesforce.com.example.com", "127.0.0.2"} {
		if err := verify(name, now.Add(time.Hour)); err == nil {
			t.Errorf("verified for %s, which the leaf does not name", name)
		}
	}
	if err := verify("login.salesforce.com", now.Add(Validity+time.Hour)); err == nil {
		t.Error("verified after expiry")
	}
	if err := verify("login.salesforce.com", now.Add(-2*time.Minute)); err == nil {
		t.Error("verified before its start")
	}
}

// Two runs make two unrelated CAs: a leaf of one does not verify against the other.
func TestWriteSalesforceFreshCA(t *testing.T) {
	a, err := GenerateSalesforce(nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	b, err := GenerateSalesforce(nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(a.CA)
	leafB, _ := pem.Decode(b.Cert)
	if _, err := mustParse(t, leafB.Bytes).Verify(x509.VerifyOptions{DNSName: "login.salesforce.com", Roots: roots}); err == nil {
		t.Error("a leaf of one run verified against another run's CA")
	}
}

func mustParse(t *testing.T, der []byte) *x509.Certificate {
	t.Helper()
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
