package org

import (
	"slices"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/sfid"
)

// AuthRequestLifetime is how long a pending authorize request waits for the user to log
// in and approve. Salesforce documents no value; 15 minutes matches the authorization
// code's lifetime and is ample for a person at a login page.
const AuthRequestLifetime = 15 * time.Minute

// AuthRequest is a validated /services/oauth2/authorize request waiting for the browser
// to log in and approve (the webflow reference §1.1, §1.7): it is kept server-side under
// an opaque id (the approval page's `source` parameter), so that the login form does not
// round-trip every parameter. Only the id's SHA-256 is stored.
type AuthRequest struct {
	IDHash       []byte // SHA-256 of the source id
	OrgID        sfid.ID
	AppID        sfid.ID
	ClientID     string // the consumer key the request named
	ResponseType string // "code", "token" or "token id_token"
	RedirectURI  string
	State        string
	Scopes       []string // the requested scopes (all the app's when scope was omitted)
	// Prompt holds the prompt values (login, consent, select_account).
	Prompt          []string
	LoginHint       string
	Nonce           string
	Challenge       string
	ChallengeMethod string // S256 or plain; empty when there is no challenge
	// StaleSessionID is, for prompt=login, the UI session the browser had at authorize
	// time: it must log in again, so that session does not count.
	StaleSessionID sfid.ID
	CreatedAt      time.Time
	ExpiresAt      time.Time
}

// HasPrompt reports whether the request's prompt includes v.
func (r AuthRequest) HasPrompt(v string) bool { return slices.Contains(r.Prompt, v) }

// NeedsLogin reports whether a UI session may not complete the request: with
// prompt=login, the session the browser had at authorize time, or any session from before
// the request, must log in again (the webflow reference §1.7). Times are compared to the
// millisecond, the precision sessions are stored with, so a login in the same millisecond
// as the request counts as after it and the browser never loops back to the login page.
func (r AuthRequest) NeedsLogin(s Session) bool {
	if !r.HasPrompt("login") {
		return false
	}
	if !r.StaleSessionID.IsZero() && s.ID == r.StaleSessionID {
		return true
	}
	return s.CreatedAt.Before(r.CreatedAt.Truncate(time.Millisecond))
}

// TokenFlow reports whether the request is the user-agent flow (its answer goes in the
// redirect URI's fragment).
func (r AuthRequest) TokenFlow() bool { return strings.HasPrefix(r.ResponseType, "token") }
