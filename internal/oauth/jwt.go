package oauth

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/forcefield/forcefield/internal/org"
)

// assertion is a parsed JWT bearer assertion (RFC 7523 §3). Parsing is lenient in the
// ways real Salesforce clients need (the reference §0 item 7, §1.4): base64url segments
// with or without '=' padding, a header of only {"alg":"RS256"}, exp as a number or a
// numeric string, in seconds or in milliseconds (sfdx-core sends Date.now()+300), and
// prn as the legacy name of sub.
type assertion struct {
	Issuer   string
	Subject  string
	Audience []string
	Expiry   time.Time
	signed   []byte // header.payload, the signing input (RFC 7515 §5.1)
	sig      []byte
}

// maxAssertionLen bounds an assertion; real ones are well under 2 KiB.
const maxAssertionLen = 16 << 10

// errAssertion is any reason an assertion cannot be parsed; callers answer
// invalid_grant/invalid assertion without detail.
var errAssertion = errors.New("invalid assertion")

// decodeSegment decodes a base64url segment with or without padding.
func decodeSegment(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}

// parseAssertion parses and checks the form of a JWS compact serialisation. It does not
// verify the signature or the claims' values.
func parseAssertion(s string) (*assertion, error) {
	if len(s) > maxAssertionLen {
		return nil, errAssertion
	}
	h, rest, ok1 := strings.Cut(s, ".")
	p, sg, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || strings.Contains(sg, ".") {
		return nil, errAssertion
	}
	hb, err := decodeSegment(h)
	if err != nil {
		return nil, errAssertion
	}
	var header struct {
		Alg  string `json:"alg"`
		Crit any    `json:"crit"`
	}
	if err := json.Unmarshal(hb, &header); err != nil || header.Alg != "RS256" || header.Crit != nil {
		return nil, errAssertion // Salesforce supports RS256 only
	}
	pb, err := decodeSegment(p)
	if err != nil {
		return nil, errAssertion
	}
	sig, err := decodeSegment(sg)
	if err != nil || len(sig) == 0 {
		return nil, errAssertion
	}
	var c struct {
		Iss any             `json:"iss"`
		Sub any             `json:"sub"`
		Prn any             `json:"prn"`
		Aud any             `json:"aud"`
		Exp json.RawMessage `json:"exp"`
	}
	d := json.NewDecoder(bytes.NewReader(pb))
	d.UseNumber()
	if err := d.Decode(&c); err != nil {
		return nil, errAssertion
	}
	a := &assertion{signed: []byte(s[:len(h)+1+len(p)]), sig: sig}
	var ok bool
	if a.Issuer, ok = c.Iss.(string); !ok {
		return nil, errAssertion
	}
	sub, _ := c.Sub.(string)
	if sub == "" {
		sub, _ = c.Prn.(string)
	}
	a.Subject = sub
	switch aud := c.Aud.(type) {
	case string:
		a.Audience = []string{aud}
	case []any:
		for _, v := range aud {
			if s, ok := v.(string); ok {
				a.Audience = append(a.Audience, s)
			}
		}
	}
	if a.Expiry, ok = parseExp(c.Exp); !ok {
		return nil, errAssertion
	}
	return a, nil
}

// msThreshold separates exp in seconds from exp in milliseconds: 10^11 seconds is the
// year 5138, while milliseconds since 1973 exceed it.
const msThreshold = 1e11

// parseExp reads exp: a JSON number or a string holding one (simple-salesforce, Camel and
// go-salesforce send strings), in seconds or milliseconds. Fractions are allowed.
func parseExp(raw json.RawMessage) (time.Time, bool) {
	if len(raw) == 0 {
		return time.Time{}, false
	}
	var text string
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &text); err != nil {
			return time.Time{}, false
		}
		text = strings.TrimSpace(text)
	} else {
		text = string(raw)
	}
	v, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 || v > 1e15 {
		return time.Time{}, false
	}
	if v >= msThreshold {
		return time.UnixMilli(int64(v)).UTC(), true
	}
	sec, frac := math.Modf(v)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC(), true
}

// verify checks the RS256 signature against each certificate's public key.
func (a *assertion) verify(keys []*rsa.PublicKey) bool {
	sum := sha256.Sum256(a.signed)
	for _, k := range keys {
		if rsa.VerifyPKCS1v15(k, crypto.SHA256, sum[:], a.sig) == nil {
			return true
		}
	}
	return false
}

// certKeys caches the RSA public keys of PEM certificates, by PEM text.
type certKeys struct{ m sync.Map } // string → *rsa.PublicKey (nil: unusable)

// keys returns the RSA keys of certificates, skipping any that are not RSA X.509
// certificates (the org file and the admin API refuse those; a stored one is ignored).
func (c *certKeys) keys(pems []string) []*rsa.PublicKey {
	out := make([]*rsa.PublicKey, 0, len(pems))
	for _, p := range pems {
		v, ok := c.m.Load(p)
		if !ok {
			k, _ := org.RSACertificateKey(p)
			v, _ = c.m.LoadOrStore(p, k)
		}
		if k := v.(*rsa.PublicKey); k != nil {
			out = append(out, k)
		}
	}
	return out
}
