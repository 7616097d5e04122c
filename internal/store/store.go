// Package store is Forcefield's storage contract: small per-aggregate interfaces that every
// backend implements, and the sentinel errors they return. Backends live in subpackages
// (sqlite today, postgres later) and must pass the conformance suite in storetest.
//
// Conventions every backend follows:
//   - IDs are assigned by the backend on insert (a zero ID means "new") and are sequential
//     per key prefix; callers never invent IDs.
//   - Times are stored with millisecond precision in UTC and come back in UTC.
//   - Lookups that find nothing return an error wrapping ErrNotFound; a write that breaks
//     a uniqueness rule (org name, username, consumer key per app) wraps ErrConflict.
//   - A write returns only once it is durable: a process killed afterwards keeps it.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// Sentinel errors; backends wrap them with context.
var (
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("conflict")
)

// SetupReader reads Setup objects.
type SetupReader interface {
	Orgs(ctx context.Context) ([]org.Org, error)
	Org(ctx context.Context, id sfid.ID) (org.Org, error)
	OrgByName(ctx context.Context, name string) (org.Org, error)

	Profiles(ctx context.Context, orgID sfid.ID) ([]org.Profile, error)
	Profile(ctx context.Context, id sfid.ID) (org.Profile, error)
	PermissionSets(ctx context.Context, orgID sfid.ID) ([]org.PermissionSet, error)
	PermissionSet(ctx context.Context, id sfid.ID) (org.PermissionSet, error)

	// Users lists an org's users; an empty orgID lists every org's.
	Users(ctx context.Context, orgID sfid.ID) ([]org.User, error)
	User(ctx context.Context, id sfid.ID) (org.User, error)
	UserByUsername(ctx context.Context, username string) (org.User, error)

	// ConnectedApps lists an org's apps; an empty orgID lists every org's.
	ConnectedApps(ctx context.Context, orgID sfid.ID) ([]org.ConnectedApp, error)
	ConnectedApp(ctx context.Context, id sfid.ID) (org.ConnectedApp, error)

	// Credentials lists an app's consumer key/secret pairs, oldest first.
	Credentials(ctx context.Context, appID sfid.ID) ([]org.Credential, error)
	// CredentialsByKey returns every pair carrying the consumer key (several while a
	// secret is being rotated), oldest first; none is not an error.
	CredentialsByKey(ctx context.Context, consumerKey string) ([]org.Credential, error)

	// CustomObjects returns an org's custom object specs in definition order (none: an
	// empty list, not an error). By convention a spec whose Name is a standard object
	// (no __c suffix, e.g. Account) carries only Fields: the custom fields the org adds
	// to that standard object; the other keys are empty.
	CustomObjects(ctx context.Context, orgID sfid.ID) ([]schema.ObjectSpec, error)
	// SeededRecord returns the ID of the record an org file seeded under ref (see
	// docs/org-file.md "records"), or an error wrapping ErrNotFound.
	SeededRecord(ctx context.Context, orgID sfid.ID, ref string) (sfid.ID, error)
}

// SetupWriter changes Setup objects inside one transaction. Put* inserts when the ID is
// zero (assigning ID and CreatedAt into the argument) and otherwise updates in place.
// PutProfile and PutPermissionSet replace the object and field permissions too, which
// reads return in the order given.
type SetupWriter interface {
	SetupReader
	PutOrg(ctx context.Context, o *org.Org) error
	PutProfile(ctx context.Context, p *org.Profile) error
	PutPermissionSet(ctx context.Context, ps *org.PermissionSet) error
	// PutUser also replaces the user's permission set assignments.
	PutUser(ctx context.Context, u *org.User) error
	PutConnectedApp(ctx context.Context, a *org.ConnectedApp) error
	PutCredential(ctx context.Context, c *org.Credential) error
	DeleteCredential(ctx context.Context, id sfid.ID) error
	// DeleteProfile and DeletePermissionSet remove one profile or permission set; one a
	// user still holds (as profile or assignment) wraps ErrConflict, a missing one
	// ErrNotFound. Connected apps' references are the caller's to remove first.
	DeleteProfile(ctx context.Context, id sfid.ID) error
	DeletePermissionSet(ctx context.Context, id sfid.ID) error
	// DeleteConnectedApp removes an app and every consumer credential pair of it (ErrNotFound
	// when there is no such app). Its sessions, refresh tokens and approvals are not in
	// Setup: the caller ends them (setup.Service.DeleteApp).
	DeleteConnectedApp(ctx context.Context, id sfid.ID) error
	// DeleteExpiredCredentials removes the pairs whose ExpiresAt is not after now (those
	// org.Credential.Usable rejects) and returns them.
	DeleteExpiredCredentials(ctx context.Context, now time.Time) ([]org.Credential, error)
	// AddSetupAudit records a setup audit trail row in the same transaction as the change
	// it describes, assigning ID (and CreatedDate when zero).
	AddSetupAudit(ctx context.Context, e *org.SetupAuditEvent) error
	// PutCustomObjects replaces an org's custom object specs with specs, kept in order
	// (see SetupReader.CustomObjects for the standard-object convention). The org must
	// exist (else ErrNotFound).
	PutCustomObjects(ctx context.Context, orgID sfid.ID, specs []schema.ObjectSpec) error
	// PutSeededRecord remembers that the seed ref of an org was inserted as recordID;
	// a ref already recorded for the org wraps ErrConflict.
	PutSeededRecord(ctx context.Context, orgID sfid.ID, ref string, recordID sfid.ID) error
}

// Setup is the Setup aggregate: reads, and writes grouped in all-or-nothing transactions.
type Setup interface {
	SetupReader
	// UpdateSetup runs fn in one transaction. If fn returns an error nothing it wrote
	// is kept and UpdateSetup returns that error.
	UpdateSetup(ctx context.Context, fn func(w SetupWriter) error) error
}

// SessionFilter selects sessions to list; zero fields match everything.
type SessionFilter struct {
	OrgID  sfid.ID
	UserID sfid.ID
	AppID  sfid.ID
	Limit  int // 0: no limit
}

// Touch records that a session was used at a time (see Sessions.TouchSessions).
type Touch struct {
	TokenHash    []byte
	LastActivity time.Time
}

// Sessions stores the sessions that access tokens stand for, by token hash.
type Sessions interface {
	// RecordLogins durably stores new sessions and login-history rows in one transaction,
	// assigning their IDs. Either slice may be empty.
	RecordLogins(ctx context.Context, sessions []*org.Session, logins []*org.LoginEvent) error
	SessionByTokenHash(ctx context.Context, hash []byte) (org.Session, error)
	// TouchSessions moves LastActivity forward (never backward) for the sessions that exist.
	TouchSessions(ctx context.Context, touches []Touch) error
	ListSessions(ctx context.Context, f SessionFilter) ([]org.Session, error)
	// DeleteSession removes one session by ID or by token hash and returns it.
	DeleteSession(ctx context.Context, id sfid.ID) (org.Session, error)
	DeleteSessionByTokenHash(ctx context.Context, hash []byte) (org.Session, error)
	// DeleteUserSessions removes all of a user's sessions and returns them.
	DeleteUserSessions(ctx context.Context, userID sfid.ID) ([]org.Session, error)
	// DeleteExpiredSessions removes sessions whose inactivity timeout passed before now,
	// in transactions of a bounded number of rows (5,000 on both backends), so that a large sweep
	// never holds the database's writers for long.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error)
}

// LoginFilter selects login history rows, newest first; zero fields match everything.
type LoginFilter struct {
	OrgID  sfid.ID
	UserID sfid.ID
	AppID  sfid.ID
	Limit  int // 0: no limit
}

// LoginHistory reads login history rows (written through Sessions.RecordLogins).
type LoginHistory interface {
	LoginHistory(ctx context.Context, f LoginFilter) ([]org.LoginEvent, error)
}

// AuditFilter selects setup audit trail rows, newest first; zero fields match everything.
type AuditFilter struct {
	OrgID sfid.ID
	Limit int // 0: no limit
}

// SetupAuditTrail reads the setup audit trail (written through SetupWriter.AddSetupAudit).
type SetupAuditTrail interface {
	// SetupAuditTrail lists rows newest CreatedDate first, ties newest ID first.
	SetupAuditTrail(ctx context.Context, f AuditFilter) ([]org.SetupAuditEvent, error)
}

// Retention deletes history older than its retention period (package retention runs it).
// Each call is one transaction of at most limit rows, oldest first, and returns how many
// it deleted: a caller loops until fewer than limit come back, pausing between calls, so
// a purge of millions of rows never holds the writer (SQLite's single one) for long.
type Retention interface {
	// PurgeLoginHistory deletes up to limit login-history rows whose Time is before
	// before.
	PurgeLoginHistory(ctx context.Context, before time.Time, limit int) (int, error)
	// PurgeSetupAudit deletes up to limit setup audit trail rows whose CreatedDate is
	// before before.
	PurgeSetupAudit(ctx context.Context, before time.Time, limit int) (int, error)
}

// Settings holds server-wide values such as the admin token's hash.
type Settings interface {
	// Setting returns a value, or ErrNotFound.
	Setting(ctx context.Context, key string) (string, error)
	PutSetting(ctx context.Context, key, value string) error
}

// Lockouts counts invalid password logins per user (the password policy's "Maximum
// invalid login attempts" and "Lockout effective period").
type Lockouts interface {
	// Lockout returns a user's state; none recorded is the zero Lockout, not an error.
	Lockout(ctx context.Context, userID sfid.ID) (org.Lockout, error)
	// RecordLoginFailure atomically counts one failure at now and returns the new state.
	// The failure that reaches maxAttempts locks the user until now+lockFor and restarts
	// the count at zero; a failure after a lockout ended starts a new count.
	RecordLoginFailure(ctx context.Context, userID sfid.ID, now time.Time, maxAttempts int, lockFor time.Duration) (org.Lockout, error)
	// ResetLoginFailures forgets the failures and any lockout.
	ResetLoginFailures(ctx context.Context, userID sfid.ID) error
}

// SigningKeys stores the keys JWT access tokens are signed with.
type SigningKeys interface {
	// SigningKeys lists every stored key, oldest ActivateAt first (ties by KID).
	SigningKeys(ctx context.Context) ([]org.SigningKey, error)
	// PutSigningKey inserts a key, or updates the times of the key with its KID.
	PutSigningKey(ctx context.Context, k org.SigningKey) error
	// DeleteRetiredSigningKeys removes the keys whose non-zero RetireAt is not after now
	// and returns how many it removed.
	DeleteRetiredSigningKeys(ctx context.Context, now time.Time) (int, error)
}

// GrantFilter selects refresh tokens or approvals. Zero fields match everything; a delete
// with an empty filter is refused (it would revoke every grant of the server).
type GrantFilter struct {
	ID       sfid.ID // a refresh token's ID (refresh tokens only)
	FamilyID sfid.ID // every token of one rotation chain (refresh tokens only)
	OrgID    sfid.ID
	UserID   sfid.ID
	AppID    sfid.ID
}

// Empty reports whether f selects everything.
func (f GrantFilter) Empty() bool { return f == GrantFilter{} }

// OAuthGrants stores what the browser-side flows grant (the webflow reference): one-time
// authorization codes, refresh tokens (OauthToken rows) and users' approvals of apps.
// Codes and tokens are stored by hash only.
type OAuthGrants interface {
	// PutAuthCode stores a new authorization code; a hash already stored wraps ErrConflict.
	PutAuthCode(ctx context.Context, c org.AuthCode) error
	// TakeAuthCode deletes the code with this hash and returns it. However many requests
	// race for one code, exactly one takes it; the others, and any later request, get an
	// error wrapping ErrNotFound. Expiry is the caller's to check.
	TakeAuthCode(ctx context.Context, hash []byte) (org.AuthCode, error)
	// DeleteExpiredAuthCodes removes the codes whose ExpiresAt is not after now.
	DeleteExpiredAuthCodes(ctx context.Context, now time.Time) (int, error)

	// PutRefreshToken inserts a refresh token, assigning ID, and FamilyID when it is zero
	// (the token's own ID). A hash already stored wraps ErrConflict.
	PutRefreshToken(ctx context.Context, t *org.RefreshToken) error
	// RefreshTokenByHash returns a token (rotated ones too), or ErrNotFound.
	RefreshTokenByHash(ctx context.Context, hash []byte) (org.RefreshToken, error)
	// UseRefreshToken records one use at now (LastUsedAt, UseCount+1). A token that no
	// longer exists, or was rotated, wraps ErrNotFound.
	UseRefreshToken(ctx context.Context, id sfid.ID, now time.Time) error
	// RotateRefreshToken marks the token id as rotated at now and inserts next, of the
	// same family, in one transaction (refresh token rotation). If id was already rotated
	// or no longer exists, nothing is written and the error wraps ErrConflict: of racing
	// rotations of one token exactly one succeeds.
	RotateRefreshToken(ctx context.Context, id sfid.ID, next *org.RefreshToken, now time.Time) error
	// RefreshTokens lists the tokens f selects, newest first.
	RefreshTokens(ctx context.Context, f GrantFilter) ([]org.RefreshToken, error)
	// DeleteRefreshTokens removes the tokens f selects and every session minted from them
	// (Session.RefreshTokenID), in one transaction, and returns both so that caches can
	// forget them.
	DeleteRefreshTokens(ctx context.Context, f GrantFilter) ([]org.RefreshToken, []org.Session, error)

	// PutApproval records (or renews, with its new scopes and time) a user's approval of
	// an app.
	PutApproval(ctx context.Context, a org.Approval) error
	// Approvals lists the approvals f selects, newest first.
	Approvals(ctx context.Context, f GrantFilter) ([]org.Approval, error)
	// DeleteApprovals removes the approvals f selects and returns them. It does not touch
	// refresh tokens: revoking an approval's tokens is the caller's decision.
	DeleteApprovals(ctx context.Context, f GrantFilter) ([]org.Approval, error)
}

// AuthRequests keeps pending /services/oauth2/authorize requests between the authorize
// call and the browser's login and approval (the webflow reference §1.7), keyed by the
// SHA-256 of their opaque id. In the database, not in memory: any node may serve the
// browser's next request.
type AuthRequests interface {
	// PutAuthRequest stores a pending request (a hash already stored wraps ErrConflict)
	// and deletes the requests expired at r.CreatedAt.
	PutAuthRequest(ctx context.Context, r org.AuthRequest) error
	// AuthRequest returns the pending request with this hash, or ErrNotFound. Expiry is
	// the caller's to check.
	AuthRequest(ctx context.Context, hash []byte) (org.AuthRequest, error)
	// TakeAuthRequest deletes the request with this hash and returns it: of racing takes
	// exactly one gets it, the others ErrNotFound. Expiry is the caller's to check.
	TakeAuthRequest(ctx context.Context, hash []byte) (org.AuthRequest, error)
}

// Store is everything a backend provides.
type Store interface {
	Setup
	Sessions
	OAuthGrants
	AuthRequests
	LoginHistory
	SetupAuditTrail
	Retention
	Settings
	Lockouts
	SigningKeys
	Close() error
}
