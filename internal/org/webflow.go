package org

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/sfid"
)

// What the browser-side flows add to the model (../shared/reference/salesforce-webflow.md):
// authorization codes, refresh tokens (Salesforce's OauthToken object), the approvals users
// give on the "Allow Access?" page, and the connected-app settings that govern them.

// AuthCodeLifetime is how long an authorization code may be exchanged (the webflow
// reference §3.2: "the authorization code expires after 15 minutes").
const AuthCodeLifetime = 15 * time.Minute

// AuthCode is one authorization code of the web server flow. Only its hash is stored; it
// is single use and bound to the client, the redirect URI and the PKCE challenge (§3.2).
type AuthCode struct {
	CodeHash    []byte // SHA-256 of the code; the code itself is never stored
	OrgID       sfid.ID
	UserID      sfid.ID
	AppID       sfid.ID
	RedirectURI string
	// Challenge and ChallengeMethod are the PKCE code_challenge and its method (S256 or
	// plain); Challenge is empty when the authorize request carried none.
	Challenge       string
	ChallengeMethod string
	Scopes          []string // the granted scopes
	Nonce           string   // echoed into the id_token
	AuthTime        time.Time
	CreatedAt       time.Time
	ExpiresAt       time.Time
}

// RefreshToken is one refresh-token grant: Salesforce's OauthToken row. Only the token's
// hash is stored. Access tokens minted from it carry its ID (Session.RefreshTokenID) so
// that revoking it ends them (the webflow reference §4.7).
type RefreshToken struct {
	ID         sfid.ID // assigned by the store
	TokenHash  []byte
	OrgID      sfid.ID
	UserID     sfid.ID
	AppID      sfid.ID
	Scopes     []string
	CreatedAt  time.Time
	LastUsedAt time.Time // zero: never used
	UseCount   int
	// RotatedAt is set when refresh token rotation replaced this token by another of the
	// same family: presenting it again is reuse, which revokes the whole family (§4.4).
	RotatedAt time.Time
	// FamilyID is the ID of the first token of a rotation chain (its own ID when it was
	// not issued by a rotation).
	FamilyID sfid.ID
}

// Approval is a user's "Allow" on an app's approval page: the prior approval a
// self-authorized app needs (the webflow reference §2.3; it also satisfies the JWT
// bearer flow's "user hasn't approved this consumer" check).
type Approval struct {
	OrgID     sfid.ID
	UserID    sfid.ID
	AppID     sfid.ID
	Scopes    []string
	CreatedAt time.Time
}

// Refresh token policy kinds (ConnectedAppOauthPolicy.refreshTokenPolicy, the webflow
// reference §4.5).
const (
	RefreshInfinite   = "infinite"            // valid until revoked (the default)
	RefreshZero       = "zero"                // immediately expire
	RefreshInactivity = "specific_inactivity" // expire if not used for N units
	RefreshLifetime   = "specific_lifetime"   // expire N units after issue
)

// RefreshPolicy is an app's refresh token policy in its metadata form: "infinite" (or
// empty), "zero", "specific_inactivity:N:UNIT" or "specific_lifetime:N:UNIT", where UNIT is
// HOURS, DAYS or MONTHS.
type RefreshPolicy string

// ParseRefreshPolicy checks a policy and returns its kind and duration (a month is 30
// days; zero for infinite and zero).
func ParseRefreshPolicy(p RefreshPolicy) (kind string, d time.Duration, err error) {
	s := strings.TrimSpace(string(p))
	switch s {
	case "", RefreshInfinite:
		return RefreshInfinite, 0, nil
	case RefreshZero:
		return RefreshZero, 0, nil
	}
	parts := strings.Split(s, ":")
	if len(parts) != 3 || (parts[0] != RefreshInactivity && parts[0] != RefreshLifetime) {
		return "", 0, fmt.Errorf("refresh token policy %q: use infinite, zero, specific_inactivity:N:UNIT or specific_lifetime:N:UNIT (UNIT: HOURS, DAYS, MONTHS)", s)
	}
	n, err := strconv.Atoi(parts[1])
	if err != nil || n < 1 {
		return "", 0, fmt.Errorf("refresh token policy %q: N must be a whole number of at least 1", s)
	}
	var unit time.Duration
	switch strings.ToUpper(parts[2]) {
	case "HOURS":
		unit = time.Hour
	case "DAYS":
		unit = 24 * time.Hour
	case "MONTHS":
		unit = 30 * 24 * time.Hour
	default:
		return "", 0, fmt.Errorf("refresh token policy %q: UNIT must be HOURS, DAYS or MONTHS", s)
	}
	return parts[0], time.Duration(n) * unit, nil
}

// Expired reports whether a refresh token created at created and last used at lastUsed
// (zero: never) may no longer be used at now under the policy. The policy is evaluated
// only when the token is used (§4.5); an invalid policy expires every token.
func (p RefreshPolicy) Expired(created, lastUsed, now time.Time) bool {
	kind, d, err := ParseRefreshPolicy(p)
	if err != nil {
		return true
	}
	switch kind {
	case RefreshZero:
		return true
	case RefreshLifetime:
		return !now.Before(created.Add(d))
	case RefreshInactivity:
		last := lastUsed
		if last.IsZero() {
			last = created
		}
		return !now.Before(last.Add(d))
	}
	return false
}

// GrantsRefresh reports whether scopes include refresh_token or its alias offline_access
// (the webflow reference §4.8).
func GrantsRefresh(scopes []string) bool {
	for _, s := range scopes {
		if s == "refresh_token" || s == "offline_access" {
			return true
		}
	}
	return false
}

// LoginHistory values of the browser-side flows (the webflow reference §2.2).
const (
	LoginTypeApplication        = "Application"
	LoginSubTypeUILogin         = "UsernamePasswordUiLogin"
	LoginSubTypeWebServer       = "OauthWebServer"
	LoginSubTypeRefreshToken    = "OauthRefreshToken"
	LoginSubTypeUserAgent       = "OauthUserAgent"
	LoginStatusInvalidPassword  = "Invalid Password"
	LoginStatusPasswordLockout  = "Password Lockout"
	LoginStatusUserInactive     = "User is Inactive"
	LoginStatusUserFrozen       = "User is Frozen" // UserLogin.IsFrozen (the webflow reference §2.1) [OBS]
	LoginStatusAPIOnly          = "Failed: API-only user"
	LoginStatusRestrictedIP     = "Restricted IP"
	LoginStatusInvalidVerifier  = "Failed: Invalid Code Verifier"
	LoginStatusInvalidChallenge = "Failed: Invalid Code Challenge"
)
