package org

import "time"

// SigningKey is one RSA key the server signs JWT access tokens with (the reference §4.6,
// §6.3). Its lifetime has three instants: it is published in the JWKS from CreatedAt, signs
// new tokens from ActivateAt until the next key activates, and leaves the JWKS at RetireAt,
// after the last token it signed has expired. See docs/operations.md.
type SigningKey struct {
	KID        string // short numeric string, e.g. "1" (Salesforce uses "188", "210")
	PrivateDER []byte // PKCS #8 DER of the RSA private key; never logged
	CreatedAt  time.Time
	ActivateAt time.Time
	RetireAt   time.Time // zero while the key still signs or may sign
}
