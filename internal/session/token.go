package session

import (
	"crypto/sha256"
	"encoding/binary"
	"time"

	"github.com/forcefield/forcefield/internal/secret"
	"github.com/forcefield/forcefield/internal/sfid"
)

// Access tokens and the keys they are stored under.
//
// A token is "<15-char org ID>!AQ<8 chars: issue time><88 random chars>" — the shape clients
// expect (the reference §6.1: they split on "!" and some validate ^00D\w{12,15}![.\w]*).
// The store never sees the token, only its key: the issue time in milliseconds (8 bytes,
// big-endian) followed by the first 24 bytes of the token's SHA-256. Leading with the time
// makes new keys sort after old ones, so the store's index on keys grows at its end instead
// of at random pages — at a million sessions that is the difference between appending to a
// few hot pages and rewriting cold ones on every commit. The time is not secret (introspection
// reports it); the 88 random characters (about 530 bits) are what make a token unguessable.

const (
	timeChars   = 8  // base62 digits of the issue time (62^8 ms ≈ 6,900 years)
	randomChars = 88 // random characters after the time
	keyTimeLen  = 8
	keyHashLen  = 24
	// KeyLen is the length of a token key.
	KeyLen = keyTimeLen + keyHashLen
)

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// NewToken returns a new access token for an org, issued at t.
func NewToken(orgID sfid.ID, t time.Time) string {
	ms := uint64(t.UnixMilli())
	var enc [timeChars]byte
	for i := timeChars - 1; i >= 0; i-- {
		enc[i] = base62[ms%62]
		ms /= 62
	}
	// secret.Opaque supplies the "AQ" marker and the random characters.
	op := secret.Opaque(randomChars)
	return orgID.Short() + "!" + op[:2] + string(enc[:]) + op[2:]
}

// TokenKey returns the key a token is stored under. Any string has a key; a malformed token
// simply has one that no session carries.
func TokenKey(token string) []byte {
	key := make([]byte, KeyLen)
	binary.BigEndian.PutUint64(key, issueMillis(token))
	sum := sha256.Sum256([]byte(token))
	copy(key[keyTimeLen:], sum[:keyHashLen])
	return key
}

// issueMillis decodes the issue time of a well-formed token, or returns 0.
func issueMillis(token string) uint64 {
	i := 0
	for i < len(token) && token[i] != '!' {
		i++
	}
	if len(token) < i+3+timeChars || token[i+1:i+3] != "AQ" {
		return 0
	}
	var ms uint64
	for _, c := range []byte(token[i+3 : i+3+timeChars]) {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'A' && c <= 'Z':
			d = c - 'A' + 10
		case c >= 'a' && c <= 'z':
			d = c - 'a' + 36
		default:
			return 0
		}
		ms = ms*62 + uint64(d)
	}
	return ms
}
