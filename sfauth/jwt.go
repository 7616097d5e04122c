package sfauth

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// jwtLifetime is how long an assertion is valid. Salesforce documents "within 3 minutes"
// (the reference §1.4).
const jwtLifetime = 3 * 60 // seconds

// assertion builds the RS256-signed JWT of the JWT bearer grant (RFC 7523 §2.1, §3):
// iss = consumer key, sub = username, aud = audience, exp = now + 3 minutes as a
// NumericDate (RFC 7519 §2). The header is {"alg":"RS256"}, the only algorithm Salesforce
// accepts.
func (c *Config) assertion() (string, error) {
	claims, err := json.Marshal(struct {
		Iss string `json:"iss"`
		Sub string `json:"sub"`
		Aud string `json:"aud"`
		Exp int64  `json:"exp"`
	}{c.ClientID, c.Username, c.audience(), c.now().Unix() + jwtLifetime})
	if err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding // RFC 7515 §2: base64url without padding
	signing := enc.EncodeToString([]byte(`{"alg":"RS256"}`)) + "." + enc.EncodeToString(claims)
	sum := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(rand.Reader, c.PrivateKey, crypto.SHA256, sum[:])
	if err != nil {
		return "", fmt.Errorf("sfauth: signing the JWT assertion: %w", err)
	}
	return signing + "." + enc.EncodeToString(sig), nil
}

// audience is Config.Audience, or the default go-salesforce uses for Salesforce hosts
// (test.salesforce.com for sandboxes, login.salesforce.com otherwise) and the URL itself
// for any other server, such as Forcefield.
func (c *Config) audience() string {
	if c.Audience != "" {
		return c.Audience
	}
	base := c.baseURL()
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	host := strings.ToLower(u.Hostname())
	switch {
	case strings.Contains(host, "test.salesforce") || strings.Contains(host, "sandbox"):
		return "https://test.salesforce.com"
	case host == "salesforce.com" || strings.HasSuffix(host, ".salesforce.com") || strings.HasSuffix(host, ".force.com"):
		return "https://login.salesforce.com"
	}
	return base
}

// ParsePrivateKey reads an RSA private key from PEM: PKCS #1 ("RSA PRIVATE KEY", what
// openssl genrsa writes) or PKCS #8 ("PRIVATE KEY").
func ParsePrivateKey(pemBytes []byte) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		return nil, errors.New("sfauth: no PEM block in the private key")
	}
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("sfauth: parsing the private key: %w", err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("sfauth: the private key is %T; Salesforce needs RSA (RS256)", k)
	}
	return rk, nil
}
