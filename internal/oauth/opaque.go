package oauth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// Authorization codes (and pending authorize requests' ids) are opaque strings of 256
// random bits behind a Salesforce-looking prefix. They fit sf's sfdx-url pattern
// [A-Za-z0-9._-]+={0,2} (the webflow reference §5.2: no + or /), and only their SHA-256 is
// stored. Refresh tokens have the same shape with their own prefix: secret.RefreshToken.
const codePrefix = "aPrx" // observed authorization codes start so (the webflow reference §1.6)

// newOpaque returns prefix followed by 43 base64url characters of fresh randomness.
func newOpaque(prefix string) string {
	var b [32]byte
	rand.Read(b[:]) // never fails (crypto/rand, Go 1.24+)
	return prefix + base64.RawURLEncoding.EncodeToString(b[:])
}

// opaqueHash is the key a code or refresh token is stored under.
func opaqueHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}
