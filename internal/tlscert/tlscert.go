// Package tlscert makes the self-signed certificate `forcefield tls-cert` writes for local
// HTTPS: an ECDSA P-256 key and a one-year certificate whose subject alternative names are
// the given hosts (IP addresses become IP SANs, the rest DNS SANs). The certificate is its
// own CA (IsCA, cert signing allowed) so that clients can trust it directly: Python
// requests through REQUESTS_CA_BUNDLE, Node through NODE_EXTRA_CA_CERTS, Go through an
// x509.CertPool (docs/tls.md).
//
// simple-salesforce hard-codes https for every REST URL (salesforce-rest.md §8.3 (e)),
// which is why Forcefield has a TLS listener at all.
package tlscert

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Validity is how long a generated certificate is valid.
const Validity = 365 * 24 * time.Hour

// DefaultHosts are the SANs when none are given.
var DefaultHosts = []string{"127.0.0.1", "localhost"}

// Generate returns a PEM certificate and PEM PKCS#8 private key valid from now (minus a
// minute for clock skew) for Validity, naming hosts.
func Generate(hosts []string, now time.Time) (certPEM, keyPEM []byte, err error) {
	var ips []net.IP
	var names []string
	for _, h := range hosts {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		if ip := net.ParseIP(h); ip != nil {
			ips = append(ips, ip)
		} else {
			names = append(names, h)
		}
	}
	if len(ips)+len(names) == 0 {
		return nil, nil, errors.New("no host names or addresses for the certificate")
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{Organization: []string{"Forcefield"}, CommonName: "Forcefield local TLS"},
		NotBefore:             now.Add(-time.Minute),
		NotAfter:              now.Add(Validity),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           ips,
		DNSNames:              names,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})
	return certPEM, keyPEM, nil
}

// Write generates a certificate and writes dir/cert.pem (0644) and dir/key.pem (0600),
// creating dir if needed. It returns the two paths.
func Write(dir string, hosts []string, now time.Time) (certFile, keyFile string, err error) {
	certPEM, keyPEM, err := Generate(hosts, now)
	if err != nil {
		return "", "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", err
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(keyFile, keyPEM, 0o600); err != nil {
		return "", "", fmt.Errorf("write key: %w", err)
	}
	if err := os.WriteFile(certFile, certPEM, 0o644); err != nil {
		return "", "", fmt.Errorf("write certificate: %w", err)
	}
	return certFile, keyFile, nil
}
