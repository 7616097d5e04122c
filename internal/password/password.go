// Package password hashes user passwords and security tokens with argon2id (RFC 9106),
// the slow salted hash the username-password flow verifies against. Only hashes are
// stored; Verify compares in constant time.
//
// Parameters: memory 19 MiB (19456 KiB), 2 passes, 1 lane, 16-byte random salt, 32-byte
// key — the OWASP Password Storage Cheat Sheet's first argon2id configuration. They are
// encoded in each hash, so they can be raised later without invalidating old hashes.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"golang.org/x/crypto/argon2"
)

// The argon2id parameters of new hashes.
const (
	Memory  = 19 * 1024 // KiB
	Time    = 2
	Threads = 1
	saltLen = 16
	keyLen  = 32
)

var b64 = base64.RawStdEncoding

// slots bounds concurrent argon2id runs to the number of CPUs: each holds Memory KiB, so a
// burst of password logins cannot take the process's memory (64 concurrent attempts would
// otherwise need 1.2 GiB), and queued runs finish sooner than interleaved ones.
var slots = make(chan struct{}, runtime.GOMAXPROCS(0))

func idKey(pw, salt []byte, t, m uint32, p uint8, n uint32) []byte {
	slots <- struct{}{}
	defer func() { <-slots }()
	return argon2.IDKey(pw, salt, t, m, p, n)
}

// Hash returns the argon2id hash of s in the PHC string format:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<key>.
func Hash(s string) string {
	salt := make([]byte, saltLen)
	rand.Read(salt)
	key := idKey([]byte(s), salt, Time, Memory, Threads, keyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, Memory, Time, Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// ErrMalformed is returned for a stored value that is not an argon2id hash.
var ErrMalformed = errors.New("password: malformed hash")

// Verify reports whether s matches hash. An empty hash matches nothing.
func Verify(hash, s string) (bool, error) {
	if hash == "" {
		return false, nil
	}
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return false, ErrMalformed
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 || m > 1<<20 || t > 100 {
		return false, ErrMalformed
	}
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, ErrMalformed
	}
	got := idKey([]byte(s), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummy is a hash verified when there is nothing to verify against (an unknown user, or
// one without a password), so that a response's timing does not tell the cases apart.
var dummy = Hash("forcefield-dummy-password")

// VerifyDummy spends the time of one verification and returns false.
func VerifyDummy(s string) bool {
	Verify(dummy, s)
	return false
}
