package org

import (
	"time"

	"github.com/forcefield/forcefield/internal/sfid"
)

// DefaultSessionTimeout is Salesforce's org-wide default session timeout (Session Settings).
const DefaultSessionTimeout = 120 * time.Minute

// DefaultDailyAPIRequests is the DailyApiRequests limit of a Developer Edition org; other
// editions compute theirs from their licences (EditionAllocations).
const DefaultDailyAPIRequests = 15000

// Org is one Salesforce organization.
type Org struct {
	ID                    sfid.ID
	Name                  string
	MyDomain              string  // optional My Domain name, e.g. "acme"
	SessionTimeoutMinutes int     // 0 means DefaultSessionTimeout
	DailyAPIRequests      int     // 0 means the edition's allocation (APIRequestLimit)
	Edition               Edition // "" means Enterprise
	// Licences is the number of user licences the org's allocations are computed from:
	// its active users, counted by the store when it reads the org (never written).
	Licences       int
	PasswordPolicy PasswordPolicy
	// ClockOffset is how far the org's time is ahead of the server's: Forcefield's time
	// travel (issue 14 §2, package orgclock). 0 is real time; never negative.
	ClockOffset time.Duration
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// SessionTimeout returns the org's session timeout with the default applied.
func (o Org) SessionTimeout() time.Duration {
	if o.SessionTimeoutMinutes > 0 {
		return time.Duration(o.SessionTimeoutMinutes) * time.Minute
	}
	return DefaultSessionTimeout
}

// APIRequestLimit returns the DailyApiRequests maximum: the org file's dailyApiRequests
// when set, else the edition's allocation for the org's licences.
func (o Org) APIRequestLimit() int { return o.Allocations().DailyAPIRequests }

// Allocations returns the org's edition allocations for its licences, DailyAPIRequests
// overridden by the org's own setting.
func (o Org) Allocations() Allocations {
	a := EditionAllocations(o.Edition, o.Licences)
	if o.DailyAPIRequests > 0 {
		a.DailyAPIRequests = o.DailyAPIRequests
	}
	return a
}

// Profile is a user profile: a named set of user permissions, one per user.
type Profile struct {
	ID                    sfid.ID
	OrgID                 sfid.ID
	Name                  string
	Permissions           []string  // Salesforce metadata names, e.g. ApiEnabled
	SessionTimeoutMinutes int       // 0 means "not set": the org's applies
	LoginIPRanges         []IPRange // empty: logins from any address
	ObjectPermissions     []ObjectPermission
	FieldPermissions      []FieldPermission
	CreatedAt             time.Time
	UpdatedAt             time.Time
}

// PermissionSet is a named set of user permissions assigned to users on top of their profile.
type PermissionSet struct {
	ID                sfid.ID
	OrgID             sfid.ID
	Name              string
	Permissions       []string
	ObjectPermissions []ObjectPermission
	FieldPermissions  []FieldPermission
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// User is a Salesforce user. Usernames are unique across every org of the server.
type User struct {
	ID               sfid.ID
	OrgID            sfid.ID
	Username         string
	FirstName        string
	LastName         string
	Email            string
	ProfileID        sfid.ID
	PermissionSetIDs []sfid.ID
	Active           bool
	// Frozen blocks every login of an active user without deactivating them (Salesforce's
	// UserLogin.IsFrozen, Setup → Users → Freeze): no UI login, no token from any flow, and
	// the user's sessions end when frozen.
	Frozen   bool
	TimeZone string // TimeZoneSidKey, e.g. America/Los_Angeles
	Locale   string // LocaleSidKey, e.g. en_US
	Language string // LanguageLocaleKey, e.g. en_US
	// PasswordHash and SecurityTokenHash are slow salted hashes (package password);
	// empty means none is set, and the username-password flow then always fails.
	PasswordHash      string
	SecurityTokenHash string
	// FilePasswordHash and FileSecurityTokenHash are the hashes of the values the org
	// file last set (the same slow salted hashes, never the plaintext); empty when the
	// file has not set one. Applying the file sets a secret again only when the file's
	// value differs from its last one, so a secret changed since through the admin API
	// survives a restart with an unchanged file (package orgfile, fileSecret).
	FilePasswordHash      string
	FileSecurityTokenHash string
	CreatedAt             time.Time
	UpdatedAt             time.Time
}

// Name is the user's full name as Salesforce composes it (FirstName LastName).
func (u User) Name() string {
	if u.FirstName == "" {
		return u.LastName
	}
	return u.FirstName + " " + u.LastName
}

// Permitted-users policies of a connected app (ECA metadata names).
const (
	PermittedAllSelfAuthorized          = "AllSelfAuthorized"
	PermittedAdminApprovedPreAuthorized = "AdminApprovedPreAuthorized"
)

// ConnectedApp is an OAuth client of one org. Its consumer keys and secrets live in
// Credential values so that an app can hold several pairs during a rotation.
type ConnectedApp struct {
	ID    sfid.ID
	OrgID sfid.ID
	Name  string
	// Kind is AppKindConnected (the zero value) or AppKindExternalClient: the same runtime
	// model, shown by the console as a classic Connected App or as an External Client App
	// whose Settings and Policies are split (the setup reference §8).
	Kind        AppKind
	Description string
	// DeveloperName is the app's API Name as set (the console's API Name, the org file's
	// apiName); "" means derived from Name (APIName).
	DeveloperName string
	// Blocked ends every session of the app and refuses new tokens ("Connected Apps OAuth
	// Usage" → Block; the setup reference §4) until unblocked.
	Blocked                  bool
	ContactEmail             string
	CallbackURLs             []string
	Scopes                   []string // Salesforce scope names, e.g. api, id
	ClientCredentialsEnabled bool
	RunAsUserID              sfid.ID // the client credentials execution user; empty if unset
	PermittedUsers           string  // PermittedAllSelfAuthorized or PermittedAdminApprovedPreAuthorized
	ProfileIDs               []sfid.ID
	PermissionSetIDs         []sfid.ID
	SessionTimeoutMinutes    int // 0 means "not set": the user's profile, then the org applies
	IntrospectAllTokens      bool
	// Certificates are the PEM-encoded X.509 certificates whose keys may sign JWT bearer
	// assertions ("Use Digital Signatures"; ConnectedAppOauthConfig.certificate).
	Certificates []string
	// ApprovedUserIDs are the users who approved the app (AllSelfAuthorized apps: the
	// "prior approval" the JWT bearer flow needs).
	ApprovedUserIDs []sfid.ID
	IPRelaxation    string // IPRelaxEnforce (default when empty) or IPRelaxBypass
	// JWTAccessTokens makes the app's access tokens RS256 JWTs instead of opaque tokens
	// (isNamedUserJwtEnabled, the reference §6.3).
	JWTAccessTokens bool
	// The web server and refresh token flows' settings (the webflow reference §1.3, §3.3,
	// §4.2, §4.4, §4.5). The zero values are Salesforce's defaults: a secret is required
	// for both flows, PKCE is optional, refresh tokens are valid until revoked and are not
	// rotated, an id_token is valid for 2 minutes.
	ConsumerSecretOptional bool          // !"Require Secret for Web Server Flow"
	RefreshSecretOptional  bool          // !"Require Secret for Refresh Token Flow"
	PKCERequired           bool          // "Require PKCE" (isPkceRequired)
	RefreshTokenPolicy     RefreshPolicy // "" means infinite
	RefreshTokenRotation   bool          // isRefreshTokenRotationEnabled
	IDTokenValidityMinutes int           // 0 means 2 (idTokenValidity, 1–720)
	CreatedAt              time.Time
	UpdatedAt              time.Time
	// AppQuotas are the app's token and API request quotas (issue 14 §4; quota.go).
	AppQuotas
}

// IDTokenValidity returns how long the app's id_tokens are valid (default 2 minutes).
func (a ConnectedApp) IDTokenValidity() time.Duration {
	if a.IDTokenValidityMinutes > 0 {
		return time.Duration(a.IDTokenValidityMinutes) * time.Minute
	}
	return 2 * time.Minute
}

// AdminApproved reports whether the app's permitted-users policy is "Admin approved users
// are pre-authorized".
func (a ConnectedApp) AdminApproved() bool {
	return a.PermittedUsers == PermittedAdminApprovedPreAuthorized
}

// States of a consumer credential pair (the reference §7.3, "App Oauth Staged Credentials").
const (
	CredentialActive  = "Active"  // the primary pair
	CredentialStaged  = "Staged"  // created by a rotation, not yet promoted
	CredentialRotated = "Rotated" // replaced; valid until ExpiresAt unless deleted
)

// Credential is one consumer key and secret pair of a connected app. Only a hash of the
// secret is kept; see package secret.
type Credential struct {
	ID          sfid.ID
	AppID       sfid.ID
	ConsumerKey string
	SecretHash  string
	State       string
	CreatedAt   time.Time
	ExpiresAt   time.Time // zero: does not expire
}

// Usable reports whether the pair authenticates at time now.
func (c Credential) Usable(now time.Time) bool {
	return c.ExpiresAt.IsZero() || now.Before(c.ExpiresAt)
}

// AppKind tells a classic Connected App from an External Client App.
type AppKind string

// App kinds. Both share one runtime model; they differ in how Setup presents them.
const (
	AppKindConnected      AppKind = ""
	AppKindExternalClient AppKind = "ExternalClientApp"
)
