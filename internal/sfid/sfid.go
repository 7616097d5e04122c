// Package sfid implements Salesforce record IDs: the 15-character case-sensitive form,
// the 18-character case-insensitive-safe form with its 3-character checksum suffix, key
// prefixes, and sequential allocation.
//
// Reference: ../shared/reference/salesforce-oauth.md §5 (suffix algorithm verified against
// real IDs such as 00D260000001G7l → 00D260000001G7lEAE).
package sfid

import (
	"errors"
	"fmt"
)

// ID is a Salesforce record ID, always held in its canonical 18-character form.
// The zero value is the empty ID ("no record").
type ID string

// Key prefixes of the objects Forcefield stores (the first three characters of an ID).
const (
	PrefixOrganization      = "00D"
	PrefixUser              = "005"
	PrefixProfile           = "00e"
	PrefixPermissionSet     = "0PS"
	PrefixPermSetAssignment = "0Pa"
	PrefixConnectedApp      = "0H4" // [UNCONFIRMED] per the reference; no public source
	PrefixLoginHistory      = "0Ya"
	PrefixAuthSession       = "0Ak"
	PrefixCredential        = "0Hx" // Forcefield's own: consumer key/secret pairs (no Salesforce object)
	PrefixSetupAuditTrail   = "0Ym" // SetupAuditTrail [UNCONFIRMED]: from memory, not in the reference
	PrefixOauthToken        = "0CQ" // OauthToken (refresh tokens) [UNCONFIRMED]: Salesforce documents its Id as always null
)

// base62 is the ID alphabet in ASCII order, so fixed-width numbers written with it sort
// the same way as strings under a binary collation.
const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// suffixAlphabet maps the 5-bit uppercase flags of each 5-character chunk to one symbol.
const suffixAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"

// ErrMalformed reports a string that is not a 15- or 18-character Salesforce ID.
var ErrMalformed = errors.New("sfid: malformed id")

// Suffix returns the 3-character checksum suffix of a 15-character ID.
func Suffix(id15 string) string {
	var out [3]byte
	for i := 0; i < 3; i++ {
		flags := 0
		for j := 0; j < 5; j++ {
			c := id15[5*i+j]
			if c >= 'A' && c <= 'Z' {
				flags |= 1 << j
			}
		}
		out[i] = suffixAlphabet[flags]
	}
	return string(out[:])
}

// Parse accepts a 15- or 18-character ID and returns its canonical 18-character form.
// For 18-character input the suffix is re-derived from the first 15 characters rather than
// trusted, but it must match case-insensitively, as Salesforce requires.
func Parse(s string) (ID, error) {
	if len(s) != 15 && len(s) != 18 {
		return "", ErrMalformed
	}
	for i := 0; i < 15; i++ {
		if !isBase62(s[i]) {
			return "", ErrMalformed
		}
	}
	suffix := Suffix(s[:15])
	if len(s) == 18 && !equalFoldASCII(s[15:], suffix) {
		return "", ErrMalformed
	}
	return ID(s[:15] + suffix), nil
}

// MustParse is Parse for constants in tests and tables; it panics on a malformed ID.
func MustParse(s string) ID {
	id, err := Parse(s)
	if err != nil {
		panic(fmt.Sprintf("sfid.MustParse(%q): %v", s, err))
	}
	return id
}

// New builds the ID with the given key prefix, pod and sequence number.
// The layout is prefix(3) + pod(2) + '0'(reserved) + number(9, base 62).
func New(prefix, pod string, n uint64) ID {
	if len(prefix) != 3 || len(pod) != 2 {
		panic("sfid.New: prefix must be 3 and pod 2 characters")
	}
	var num [9]byte
	for i := 8; i >= 0; i-- {
		num[i] = base62[n%62]
		n /= 62
	}
	id15 := prefix + pod + "0" + string(num[:])
	return ID(id15 + Suffix(id15))
}

// Sequence returns the record number encoded in an ID created by New.
func (id ID) Sequence() (uint64, bool) {
	if len(id) != 18 {
		return 0, false
	}
	var n uint64
	for i := 6; i < 15; i++ {
		d := indexBase62(id[i])
		if d < 0 {
			return 0, false
		}
		n = n*62 + uint64(d)
	}
	return n, true
}

// String returns the 18-character form.
func (id ID) String() string { return string(id) }

// Short returns the 15-character case-sensitive form ("" for the empty ID).
func (id ID) Short() string {
	if len(id) < 15 {
		return string(id)
	}
	return string(id[:15])
}

// Prefix returns the key prefix ("" for the empty ID).
func (id ID) Prefix() string {
	if len(id) < 3 {
		return ""
	}
	return string(id[:3])
}

// IsZero reports whether id is the empty ID.
func (id ID) IsZero() bool { return id == "" }

func isBase62(c byte) bool { return indexBase62(c) >= 0 }

func indexBase62(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 36
	}
	return -1
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x >= 'a' && x <= 'z' {
			x -= 'a' - 'A'
		}
		if y >= 'a' && y <= 'z' {
			y -= 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
