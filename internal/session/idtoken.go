package session

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// SignJWT signs an arbitrary claims object (serialised with encoding/json, so a struct's
// field order is the payload's) as an RS256 JWS in compact form, with the key of this
// keyring that signs at now: the key published at /id/keys under the header's kid. The
// OpenID Connect id_token of the web server and refresh token flows (the webflow reference
// §8.1) is signed so, which lets a relying party verify it with the JWKS it already reads.
func (k *Keyring) SignJWT(now time.Time, claims any) (string, error) {
	key, ok := k.signer(now)
	if !ok {
		return "", errors.New("session: no signing key is active")
	}
	return signJWT(key.kid, key.priv, claims)
}

// VerifyJWT checks an RS256 JWS against the published keys and decodes its payload into
// claims. It checks no claim. It is SignJWT's counterpart, for callers holding an id_token.
func (k *Keyring) VerifyJWT(token string, claims any) error {
	if _, err := parseJWT(token, k.publicKey); err != nil {
		return err
	}
	_, rest, _ := strings.Cut(token, ".")
	payload, _, _ := strings.Cut(rest, ".")
	b, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return errMalformed
	}
	return json.Unmarshal(b, claims)
}
