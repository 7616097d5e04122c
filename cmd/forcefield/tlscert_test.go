package main

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tls-cert writes a key pair; serve reads FORCEFIELD_TLS_* and serves HTTPS with it.
func TestTLSCertAndServe(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tls")
	var out strings.Builder
	if err := run(t.Context(), []string{"tls-cert", "--dir", dir}, &out, &out); err != nil {
		t.Fatalf("tls-cert: %v\n%s", err, out.String())
	}
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if !strings.Contains(out.String(), "REQUESTS_CA_BUNDLE="+certFile) {
		t.Errorf("tls-cert output does not say how to trust the certificate:\n%s", out.String())
	}
	if err := run(t.Context(), []string{"tls-cert"}, &out, &out); err == nil {
		t.Error("tls-cert without --dir succeeded")
	}

	// A free port for the HTTPS listener (the binary prints only the first URL we wait for).
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tlsAddr := l.Addr().String()
	l.Close()
	p := startServe(t, []string{"FORCEFIELD_TLS_ADDR=" + tlsAddr, "FORCEFIELD_TLS_CERT=" + certFile, "FORCEFIELD_TLS_KEY=" + keyFile},
		"--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "ff.db"))
	pemBytes, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pemBytes)
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	defer client.CloseIdleConnections()
	var resp *http.Response
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, err = client.Get("https://" + tlsAddr + "/services/data"); err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		t.Fatalf("GET /services/data over TLS: %v (server at %s)", err, p.URL)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /services/data over TLS: %d", resp.StatusCode)
	}
}
