package session

// JWT access tokens: the compact serialisation of RFC 7515 §7.1 (JWS) carrying an RFC 7519
// claims set, signed RS256 (RSASSA-PKCS1-v1_5 with SHA-256, RFC 7518 §3.3) — the only
// algorithm Salesforce uses for them (the reference §6.3).

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
)

// jwtHeader is the JOSE header (RFC 7515 §4.1): {"alg":"RS256","typ":"JWT","kid":"N"}.
type jwtHeader struct {
	Alg string `json:"alg"`
	Typ string `json:"typ,omitempty"`
	Kid string `json:"kid"`
}

// Claims is the claims set of a JWT access token. The registered claims are RFC 7519 §4.1;
// client_id and scope follow RFC 9068 §2.2; organization_id and user_id are the names
// Salesforce's identity and userinfo responses use. app_id is Forcefield's own.
type Claims struct {
	Issuer   string `json:"iss"`
	Subject  string `json:"sub"` // the identity URL <base>/id/<org>/<user>
	Audience string `json:"aud"`
	Expiry   int64  `json:"exp"` // seconds since the epoch
	IssuedAt int64  `json:"iat"`
	ID       string `json:"jti"`
	ClientID string `json:"client_id"` // the consumer key
	Scope    string `json:"scope"`     // space-separated
	OrgID    string `json:"organization_id"`
	UserID   string `json:"user_id"`
	AppID    string `json:"app_id"`
}

var errMalformed = errors.New("session: malformed JWT")

// LooksLikeJWT reports whether token has the shape of a JWS compact serialisation (two
// dots, a base64url header starting "eyJ"). Opaque tokens never do: they contain "!".
func LooksLikeJWT(token string) bool {
	return strings.HasPrefix(token, "eyJ") && strings.Count(token, ".") == 2
}

// signJWT serialises and signs claims (an access token's Claims, an id_token's) with key
// kid, RS256.
func signJWT(kid string, key *rsa.PrivateKey, c any) (string, error) {
	h, err := json.Marshal(jwtHeader{Alg: "RS256", Typ: "JWT", Kid: kid})
	if err != nil {
		return "", err
	}
	p, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding
	input := enc.EncodeToString(h) + "." + enc.EncodeToString(p)
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, sum[:])
	if err != nil {
		return "", err
	}
	return input + "." + enc.EncodeToString(sig), nil
}

// parseJWT checks the structure and the RS256 signature of token against the key its kid
// names (lookup returns nil for an unknown kid) and returns its claims. It checks no
// claim: the caller checks iss and exp.
func parseJWT(token string, lookup func(kid string) *rsa.PublicKey) (Claims, error) {
	var c Claims
	hs, rest, ok := strings.Cut(token, ".")
	if !ok {
		return c, errMalformed
	}
	ps, ss, ok := strings.Cut(rest, ".")
	if !ok || strings.Contains(ss, ".") {
		return c, errMalformed
	}
	// RFC 7515 §2: base64url without padding; Strict rejects non-canonical trailing bits.
	enc := base64.RawURLEncoding.Strict()
	hb, err := enc.DecodeString(hs)
	if err != nil {
		return c, errMalformed
	}
	var h jwtHeader
	if err := json.Unmarshal(hb, &h); err != nil {
		return c, errMalformed
	}
	// RFC 8725 §3.1: accept exactly the algorithm we sign with, never the header's choice.
	if h.Alg != "RS256" {
		return c, errMalformed
	}
	pub := lookup(h.Kid)
	if pub == nil {
		return c, errMalformed
	}
	sig, err := enc.DecodeString(ss)
	if err != nil || len(sig) != pub.Size() {
		return c, errMalformed
	}
	sum := sha256.Sum256([]byte(token[:len(hs)+1+len(ps)]))
	if rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig) != nil {
		return c, errMalformed
	}
	pb, err := enc.DecodeString(ps)
	if err != nil {
		return c, errMalformed
	}
	if err := json.Unmarshal(pb, &c); err != nil {
		return c, errMalformed
	}
	return c, nil
}
