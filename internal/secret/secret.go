// Package secret generates consumer keys, consumer secrets and access tokens, and hashes
// secrets for storage so that no secret is ever kept in plaintext.
//
// Two hash schemes, chosen by where the secret came from:
//   - "sha256": secrets Forcefield generates carry 256 bits of entropy, so a single SHA-256
//     is as strong as any KDF and verifying one costs about a microsecond (the reason peer
//     servers that PBKDF2 every secret issue only hundreds of tokens per second).
//   - "pbkdf2-sha256": secrets an operator typed into an org file may be short or guessable,
//     so they get a salted, slow PBKDF2 (600,000 iterations, OWASP 2023). The verifier in
//     package oauth remembers a successful verification in memory so the cost is paid once
//     per process, not once per token.
package secret

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

const (
	schemeSHA256 = "sha256"
	schemePBKDF2 = "pbkdf2-sha256"
)

// PBKDF2Iterations is the work factor for operator-supplied secrets. A hash records its
// own count, so Verify accepts hashes made with any. Only test binaries lower it (see
// internal/server's TestMain: every test server hashes the test org's dozen consumer
// secrets, ~1.4 s of CPU at 600,000 each); the program never changes it.
var PBKDF2Iterations = 600_000

const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// ConsumerKey returns a new consumer key shaped like Salesforce's: "3MVG9" followed by 80
// random alphanumeric characters (85 in all, about 476 bits).
func ConsumerKey() string { return "3MVG9" + randomString(alnum, 80) }

// ConsumerSecret returns a new consumer secret: 64 uppercase hexadecimal digits (256 bits),
// the shape of Salesforce's generated secrets.
func ConsumerSecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return strings.ToUpper(hex.EncodeToString(b))
}

// AdminToken returns a new admin API token (256 bits, URL-safe).
func AdminToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return "ffadm_" + base64.RawURLEncoding.EncodeToString(b)
}

// Password returns a new user password: 24 random letters and digits (about 143 bits),
// for a password Forcefield generates and shows once (the demo org's administrator).
// Users' passwords are stored as argon2id hashes (package password) like any other.
func Password() string { return randomString(alnum, 24) }

// Opaque returns n random characters from Salesforce's session-ID alphabet [A-Za-z0-9._]
// after an "AQ" marker (observed tokens start with AR or AQ; the reference §6.1).
func Opaque(n int) string {
	return "AQ" + randomString(alnum+"._", n)
}

// RefreshTokenPrefix starts every refresh token, as observed ones do (the webflow reference
// §5.2); the revocation endpoint tells refresh tokens from access tokens by it.
const RefreshTokenPrefix = "5Aep861"

// RefreshToken returns a new OAuth refresh token and the SHA-256 it is stored under:
// Salesforce's observed prefix "5Aep861" and 256 random bits as 43 base64url characters,
// which fit sf's sfdx-url pattern [A-Za-z0-9._-]+ (the webflow reference §5.2). The token
// endpoint's grants and the Setup service's test shortcut both mint them here.
func RefreshToken() (token string, hash []byte) {
	var b [32]byte
	rand.Read(b[:]) // never fails (crypto/rand, Go 1.24+)
	token = RefreshTokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	return token, TokenHash(token)
}

func randomString(alphabet string, n int) string {
	// Rejection sampling keeps every character uniformly likely.
	limit := 256 - 256%len(alphabet)
	out := make([]byte, 0, n)
	buf := make([]byte, n+n/4+8)
	for len(out) < n {
		rand.Read(buf)
		for _, b := range buf {
			if int(b) < limit {
				out = append(out, alphabet[int(b)%len(alphabet)])
				if len(out) == n {
					break
				}
			}
		}
	}
	return string(out)
}

// HashGenerated hashes a secret that Forcefield generated (≥ 256 bits of entropy).
func HashGenerated(s string) string {
	sum := sha256.Sum256([]byte(s))
	return schemeSHA256 + "$" + hex.EncodeToString(sum[:])
}

// HashSupplied hashes an operator-supplied secret with a salted, slow KDF.
func HashSupplied(s string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	return hashPBKDF2(s, salt, PBKDF2Iterations)
}

func hashPBKDF2(s string, salt []byte, iter int) string {
	dk, err := pbkdf2.Key(sha256.New, s, salt, iter, 32)
	if err != nil {
		panic(err) // only for out-of-range parameters, which are constants here
	}
	return fmt.Sprintf("%s$%d$%s$%s", schemePBKDF2, iter,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(dk))
}

// ErrBadHash reports a stored hash in no known format.
var ErrBadHash = errors.New("secret: unrecognised hash format")

// Verify reports whether s matches the stored hash, in constant time for the comparison.
func Verify(hash, s string) (bool, error) {
	scheme, rest, _ := strings.Cut(hash, "$")
	switch scheme {
	case schemeSHA256:
		want, err := hex.DecodeString(rest)
		if err != nil || len(want) != sha256.Size {
			return false, ErrBadHash
		}
		got := sha256.Sum256([]byte(s))
		return subtle.ConstantTimeCompare(want, got[:]) == 1, nil
	case schemePBKDF2:
		parts := strings.Split(rest, "$")
		if len(parts) != 3 {
			return false, ErrBadHash
		}
		iter, err := strconv.Atoi(parts[0])
		if err != nil || iter < 1 || iter > 10_000_000 {
			return false, ErrBadHash
		}
		salt, err := base64.RawStdEncoding.DecodeString(parts[1])
		if err != nil {
			return false, ErrBadHash
		}
		recomputed := hashPBKDF2(s, salt, iter)
		return subtle.ConstantTimeCompare([]byte(recomputed), []byte(hash)) == 1, nil
	}
	return false, ErrBadHash
}

// Slow reports whether verifying against hash runs a KDF (worth caching).
func Slow(hash string) bool { return strings.HasPrefix(hash, schemePBKDF2+"$") }

// TokenHash returns the SHA-256 of an access token: the only form in which tokens are stored.
func TokenHash(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}
