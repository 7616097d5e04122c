package session

import (
	"crypto/rand"
	"crypto/rsa"
	"strings"
	"testing"
)

// FuzzParseJWT feeds the JWT access-token parser arbitrary input. It must never panic, and
// it must accept nothing but the exact tokens the key signed: with a canonical (strict)
// base64url decoder and an RS256 check, any other accepted string would be a forgery.
//
//	go test ./internal/session -run '^$' -fuzz FuzzParseJWT -fuzztime 60s
func FuzzParseJWT(f *testing.F) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		f.Fatal(err)
	}
	signed := map[string]bool{}
	for _, c := range []Claims{
		{Issuer: testIssuer, Expiry: 2, IssuedAt: 1, ID: "a", OrgID: "00D5F0000000001UAA", UserID: "0055F0000000001QAA", Scope: "api"},
		{},
	} {
		tok, err := signJWT("1", key, c)
		if err != nil {
			f.Fatal(err)
		}
		signed[tok] = true
		f.Add(tok)
		f.Add(tok + "=")
		f.Add(strings.Replace(tok, ".", "..", 1))
	}
	f.Add("00D5F0000000001!AQ0000")
	f.Add("eyJhbGciOiJub25lIn0.e30.")
	f.Add("..")
	lookup := func(kid string) *rsa.PublicKey {
		if kid == "1" {
			return &key.PublicKey
		}
		return nil
	}
	f.Fuzz(func(t *testing.T, token string) {
		_, err := parseJWT(token, lookup)
		if err == nil && !signed[token] {
			t.Fatalf("parseJWT accepted a token the key never signed: %q", token)
		}
		if signed[token] && err != nil {
			t.Fatalf("parseJWT rejected a signed token: %v", err)
		}
	})
}
