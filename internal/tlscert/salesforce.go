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

// Salesforce's login hosts on a developer machine (issue 10 §4; the webflow reference §7.2).
//
// Tools such as tap-salesforce, Airbyte, n8n and simple-salesforce hard-code
// https://login.salesforce.com and https://test.salesforce.com. To point them at a local
// Forcefield, the machine maps those names to 127.0.0.1 (hosts file) and trusts a
// certificate for them. WriteSalesforce makes that certificate as a real, small PKI: a CA
// certificate (ca.pem, the one file a trust store or NODE_EXTRA_CA_CERTS /
// REQUESTS_CA_BUNDLE / SSL_CERT_FILE is given) and a leaf certificate signed by it (cert.pem
// and key.pem, what `serve --tls-cert/--tls-key` reads). Trust stores want exactly that
// shape: macOS and some runtimes refuse a self-signed certificate that is also the server's
// leaf, and a CA makes the wildcard *.my.salesforce.com leaf verify everywhere.
//
// Trusting a CA is a big thing to ask of a machine, so this CA is made harmless:
//
//   - it is name-constrained (RFC 5280 §4.2.1.10, critical): it can vouch only for
//     salesforce.com and its subdomains, localhost, the extra hosts asked for, and loopback
//     addresses, so even a stolen ca.pem cannot impersonate any other site;
//   - its private key is never written anywhere: it signs the one leaf and is dropped, so
//     nothing on disk can ever sign another certificate with it. Re-running the command
//     makes a new CA, which has to be trusted again (the old one should be removed).

// SalesforceHosts are the names of the leaf certificate of WriteSalesforce besides
// DefaultHosts: Salesforce's login hosts, every My Domain (a wildcard covers exactly one
// label, the webflow reference §7.2: *.salesforce.com does not cover x.my.salesforce.com),
// and enhanced-domain sandboxes (Name--Sandbox.sandbox.my.salesforce.com).
var SalesforceHosts = []string{
	"login.salesforce.com",
	"test.salesforce.com",
	"*.my.salesforce.com",
	"*.sandbox.my.salesforce.com",
}

// CA file names written by WriteSalesforce; the leaf pair keeps the cert.pem / key.pem
// names of Write, so `serve` flags are the same in both modes.
const (
	CAFile   = "ca.pem"
	CertFile = "cert.pem"
	KeyFile  = "key.pem"
)

// SalesforcePKI is what WriteSalesforce produces, in PEM.
type SalesforcePKI struct {
	CA   []byte // the CA certificate to trust
	Cert []byte // the leaf certificate followed by the CA certificate (the chain to serve)
	Key  []byte // the leaf's PKCS#8 private key
}

// GenerateSalesforce makes a name-constrained CA and a leaf certificate it signs for
// SalesforceHosts, DefaultHosts and extra (host names or IP addresses), both valid from
// now (minus a minute) for Validity. The CA's key is discarded.
func GenerateSalesforce(extra []string, now time.Time) (*SalesforcePKI, error) {
	hosts := append(append(append([]string{}, SalesforceHosts...), DefaultHosts...), "::1")
	hosts = append(hosts, extra...)
	ips, names := splitHosts(hosts)

	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	caTmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject: pkix.Name{Organization: []string{"Forcefield"},
			CommonName: "Forcefield local CA for Salesforce login hosts " + now.UTC().Format("2006-01-02 15:04:05")},
		NotBefore:             now.Add(-time.Minute),
		NotAfter:              now.Add(Validity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true, // it signs leaves only, never another CA
		// Name constraints: only what the leaf names. The DNS constraint "salesforce.com"
		// permits salesforce.com and every subdomain (RFC 5280; Go and OpenSSL agree).
		PermittedDNSDomainsCritical: true,
		PermittedDNSDomains:         constraintDomains(names),
		PermittedIPRanges:           constraintIPs(ips),
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, err
	}
	leafTmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{Organization: []string{"Forcefield"}, CommonName: "login.salesforce.com"},
		NotBefore:    now.Add(-time.Minute),
		NotAfter:     now.Add(Validity),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		// BasicConstraints CA:FALSE, stated: macOS expects it on a TLS leaf.
		BasicConstraintsValid: true,
		DNSNames:              names,
		IPAddresses:           ips,
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, &leafKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(leafKey)
	if err != nil {
		return nil, err
	}
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	leafPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leafDER})
	return &SalesforcePKI{
		CA:   caPEM,
		Cert: append(leafPEM, caPEM...),
		Key:  pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}),
	}, nil
}

// WriteSalesforce generates a SalesforcePKI and writes dir/ca.pem (0644), dir/cert.pem
// (0644) and dir/key.pem (0600), creating dir if needed, and returns the three paths.
func WriteSalesforce(dir string, extra []string, now time.Time) (caFile, certFile, keyFile string, err error) {
	pki, err := GenerateSalesforce(extra, now)
	if err != nil {
		return "", "", "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", "", err
	}
	caFile, certFile, keyFile = filepath.Join(dir, CAFile), filepath.Join(dir, CertFile), filepath.Join(dir, KeyFile)
	if err := os.WriteFile(keyFile, pki.Key, 0o600); err != nil {
		return "", "", "", fmt.Errorf("write key: %w", err)
	}
	if err := os.WriteFile(certFile, pki.Cert, 0o644); err != nil {
		return "", "", "", fmt.Errorf("write certificate: %w", err)
	}
	if err := os.WriteFile(caFile, pki.CA, 0o644); err != nil {
		return "", "", "", fmt.Errorf("write CA certificate: %w", err)
	}
	return caFile, certFile, keyFile, nil
}

// splitHosts sorts trimmed, non-empty hosts into IP SANs and DNS SANs, without repeats.
func splitHosts(hosts []string) (ips []net.IP, names []string) {
	seen := map[string]bool{}
	for _, h := range hosts {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "" || seen[h] {
			continue
		}
		seen[h] = true
		if ip := net.ParseIP(h); ip != nil {
			ips = append(ips, ip)
		} else {
			names = append(names, h)
		}
	}
	return ips, names
}

// constraintDomains are the permitted DNS subtrees for names: salesforce.com for every
// Salesforce name, otherwise the name itself without a leading "*.".
func constraintDomains(names []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range names {
		d := strings.TrimPrefix(n, "*.")
		if d == "salesforce.com" || strings.HasSuffix(d, ".salesforce.com") {
			d = "salesforce.com"
		}
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}

// constraintIPs permits exactly the leaf's addresses (a /32 or /128 each).
func constraintIPs(ips []net.IP) []*net.IPNet {
	out := make([]*net.IPNet, 0, len(ips))
	for _, ip := range ips {
		if v4 := ip.To4(); v4 != nil {
			out = append(out, &net.IPNet{IP: v4, Mask: net.CIDRMask(32, 32)})
		} else {
			out = append(out, &net.IPNet{IP: ip, Mask: net.CIDRMask(128, 128)})
		}
	}
	return out
}

// serial is a random 128-bit serial number (RFC 5280 §4.1.2.2: positive, unique).
func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		panic(errors.New("tlscert: no randomness: " + err.Error())) // crypto/rand never fails on supported systems
	}
	return n.Add(n, big.NewInt(1))
}
