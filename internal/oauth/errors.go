package oauth

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// Error is an OAuth 2.0 error response (RFC 6749 §5.2) with Salesforce's codes and texts.
type Error struct {
	Code        string
	Description string
	Status      int    // 0 means 400, the status Salesforce uses for every token error
	LoginStatus string // LoginHistory.Status recorded for a refused token request
}

func (e *Error) Error() string { return e.Code + ": " + e.Description }

func oauthErr(code, desc, loginStatus string) *Error {
	return &Error{Code: code, Description: desc, LoginStatus: loginStatus}
}

// Salesforce's token-endpoint errors (the reference §2), each with the LoginHistory status
// Forcefield records for it.
var (
	ErrInvalidClientID = oauthErr("invalid_client_id", "client identifier invalid", "Invalid client id")
	ErrInvalidClient   = oauthErr("invalid_client", "invalid client credentials", "Invalid client credentials")
	ErrNoRunAsUser     = oauthErr("invalid_grant", "no client credentials user enabled", "No client credentials user enabled")
	ErrInactiveUser    = oauthErr("invalid_grant", "inactive user", "User is Inactive")
	// ErrFrozenUser: a frozen user (UserLogin.IsFrozen). UNCONFIRMED: Salesforce's
	// token-endpoint text for a frozen user is not documented; the webflow reference §3.4
	// observes "inactive user" for a user deactivated, frozen or locked, so the wire error
	// is the inactive user's and only LoginHistory says "User is Frozen" [OBS].
	ErrFrozenUser        = oauthErr("invalid_grant", "inactive user", "User is Frozen")
	ErrNotAdminApproved  = oauthErr("invalid_app_access", "user is not admin approved to access this app", "User not admin approved to access this app")
	ErrScopeParam        = oauthErr("invalid_request", "scope parameter not supported", "Failed: Unexpected parameter")
	ErrNoValidScopes     = oauthErr("invalid_grant", "no valid scopes defined", "No valid scopes defined")
	ErrUnsupportedGrant  = oauthErr("unsupported_grant_type", "grant type not supported", "Unsupported grant type")
	ErrRateLimitExceeded = oauthErr("rate_limit_exceeded", "number of logins exceeded", "Login rate exceeded")
	// ErrDomain: client credentials sent to login or test instead of a My Domain (the
	// reference §1.1). The LoginHistory status is the Login event catalogue's "Restricted
	// domain" (salesforce-objects.md §14) [UNCONFIRMED for this case].
	ErrDomain = oauthErr("invalid_grant", "request not supported on this domain", "Restricted domain")
)

// invalidRequest is a malformed request with a description of what is wrong.
func invalidRequest(format string, args ...any) *Error {
	return oauthErr("invalid_request", fmt.Sprintf(format, args...), "Invalid request")
}

// writeJSON writes a JSON body with the no-store headers every token response carries.
func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json;charset=UTF-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// writeError renders an OAuth error.
func writeError(w http.ResponseWriter, e *Error) {
	status := e.Status
	if status == 0 {
		status = http.StatusBadRequest
	}
	writeJSON(w, status, struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}{e.Code, e.Description})
}
