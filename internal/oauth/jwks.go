package oauth

import (
	"net/http"
)

// handleJWKS is GET /id/keys: the JWK Set (RFC 7517 §5) of the keys that sign JWT access
// tokens, in Salesforce's shape (the reference §4.6: RSA, alg RS256, use sig, numeric kid,
// no x5c). A key is listed from an hour (the keyring's overlap) before it first signs until
// the last token it signed has expired. Without a keyring the set is empty.
func (s *Server) handleJWKS(w http.ResponseWriter, r *http.Request) {
	body := []byte(`{"keys":[]}`)
	if s.keys != nil {
		body = s.keys.JWKS()
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	// Verifiers may cache the set briefly; the overlap window is far longer.
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(body)
}
