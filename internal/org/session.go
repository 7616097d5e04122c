package org

import (
	"time"

	"github.com/forcefield/forcefield/internal/sfid"
)

// Session is what an access token stands for. The token itself is never stored: only its
// SHA-256 (TokenHash). A session expires after Timeout of inactivity.
type Session struct {
	ID           sfid.ID // AuthSession-style ID, assigned by the store
	TokenHash    []byte  // the key the token is stored under: session.TokenKey, never the token
	OrgID        sfid.ID
	UserID       sfid.ID
	AppID        sfid.ID
	Scopes       []string
	SourceIP     string
	LoginType    string // e.g. LoginSubTypeClientCredentials
	CreatedAt    time.Time
	LastActivity time.Time
	Timeout      time.Duration
	// RefreshTokenID is the refresh token the session was minted from, or from whose
	// authorization code grant it came with one; revoking that token ends the session.
	RefreshTokenID sfid.ID
}

// ExpiresAt returns when the session ends if it is not used again.
func (s Session) ExpiresAt() time.Time { return s.LastActivity.Add(s.Timeout) }

// Expired reports whether the session has timed out at now.
func (s Session) Expired(now time.Time) bool { return !now.Before(s.ExpiresAt()) }

// SessionTimeout resolves a session's inactivity timeout as Salesforce does for connected
// apps: the app's own timeout, else the user's profile's, else the org's
// (ConnectedAppSessionPolicy.sessionTimeout, the reference §3.4).
func SessionTimeout(app ConnectedApp, profile Profile, o Org) time.Duration {
	switch {
	case app.SessionTimeoutMinutes > 0:
		return time.Duration(app.SessionTimeoutMinutes) * time.Minute
	case profile.SessionTimeoutMinutes > 0:
		return time.Duration(profile.SessionTimeoutMinutes) * time.Minute
	}
	return o.SessionTimeout()
}

// LoginHistory values (the objects reference §14).
const (
	LoginTypeRemoteAccess2        = "Remote Access 2.0"
	LoginSubTypeClientCredentials = "OauthClientCredentials"
	LoginSubTypeUsernamePassword  = "OauthUsernamePassword"
	// LoginSubTypeJWTBearer is Forcefield's choice: Salesforce documents no JWT bearer
	// subtype (the objects reference §14); see docs/compatibility.md.
	LoginSubTypeJWTBearer = "OauthJwtBearer"
	LoginStatusSuccess    = "Success"
)

// LoginEvent is one LoginHistory row: every token request, successful or not.
// OrgID, UserID and AppID are empty when the request named none that exists.
type LoginEvent struct {
	ID           sfid.ID
	OrgID        sfid.ID
	UserID       sfid.ID
	AppID        sfid.ID
	Time         time.Time
	SourceIP     string
	LoginType    string
	LoginSubType string
	Status       string
	Application  string // the connected app's name
	LoginURL     string // the host the request was sent to
	APIType      string
	APIVersion   string
	Browser      string
	Platform     string
}
