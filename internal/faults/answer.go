package faults

import (
	"net/http"
	"strings"

	"github.com/forcefield/forcefield/internal/apierror"
)

// Rendering each answer in the Salesforce shape of its family. The REST and composite
// shape is the error array of apierror (REST API Developer Guide, "Status Codes and Error
// Responses"; the reference salesforce-rest.md §5); Bulk 2.0 uses it too (salesforce-bulk.md
// §1); Bulk 1.0 maps these codes to its own exceptions (bulkv1.authError); the token
// endpoint answers OAuth errors (RFC 6749 §5.2; salesforce-oauth.md §2).
//
// Status and text of each, and how sure we are:
//   - REQUEST_LIMIT_EXCEEDED: 403 "TotalRequests Limit exceeded." [DOC, salesforce-rest.md §5].
//   - INVALID_SESSION_ID: 401 "Session expired or invalid", exactly what an expired session
//     gets (apierror.ErrInvalidSession), so clients refresh on it.
//   - SERVER_UNAVAILABLE: 503 (documented among REST's statuses, salesforce-rest.md §5);
//     the message is UNCONFIRMED: real 503s come from Salesforce's edge with a sparse body.
//   - UNABLE_TO_LOCK_ROW: "unable to obtain exclusive access to this record" [FIELD, the
//     Salesforce knowledge article 000229525 and DML error texts]; status 400 with
//     "fields":[] as DML errors carry — the top-level status is UNCONFIRMED.
//   - QUERY_TIMEOUT: "Your query request was running for too long." [FIELD]; status 400
//     UNCONFIRMED.

// Messages of the answers Forcefield renders itself.
const (
	msgServerUnavailable = "Server temporarily unavailable, please try again later."
	msgUnableToLockRow   = "unable to obtain exclusive access to this record"
	msgQueryTimeout      = "Your query request was running for too long."
)

// AppliesTo reports whether the answer means something on family f: the OAuth-only
// invalid_grant only at the token endpoint, the API-only codes only on the API families.
func (a Answer) AppliesTo(f Family) bool {
	switch a {
	case InvalidGrant:
		return f == Token
	case UnableToLockRow, QueryTimeout, InvalidSessionID:
		return f == REST || f == Bulk || f == Composite
	}
	return true
}

// families names the families a applies to, for validation messages.
func (a Answer) families() string {
	var fs []string
	for _, f := range families {
		if f != All && a.AppliesTo(f) {
			fs = append(fs, string(f))
		}
	}
	return "it applies to " + strings.Join(fs, ", ")
}

// REST is the answer on REST, composite and Bulk 2.0: the error array apierror renders.
// Drop and Delay have none (nil).
func (a Answer) REST() *apierror.Error {
	switch a {
	case RequestLimitExceeded:
		return apierror.ErrLimitExceeded
	case InvalidSessionID:
		return apierror.ErrInvalidSession
	case ServerUnavailable:
		return apierror.New(http.StatusServiceUnavailable, string(a), msgServerUnavailable)
	case UnableToLockRow:
		e := apierror.New(http.StatusBadRequest, string(a), msgUnableToLockRow)
		e.Fields = []string{}
		return e
	case QueryTimeout:
		return apierror.New(http.StatusBadRequest, string(a), msgQueryTimeout)
	}
	return nil
}

// OAuthError is an answer at the token endpoint: an RFC 6749 §5.2 error body with its
// HTTP status and the LoginHistory status recorded for the refused login.
type OAuthError struct {
	Status      int
	Code        string
	Description string
	LoginStatus string
}

// OAuth is the answer at the token endpoint. Salesforce has no REQUEST_LIMIT_EXCEEDED or
// SERVER_UNAVAILABLE there, so:
//   - REQUEST_LIMIT_EXCEEDED is Salesforce's own token-endpoint limit error, 400
//     rate_limit_exceeded "number of logins exceeded" (salesforce-oauth.md §2): the code
//     OAuth clients know (Spring Social maps it), and a 400 no client retries in a loop;
//   - SERVER_UNAVAILABLE is a 503 with RFC 6749's temporarily_unavailable: clients treat a
//     5xx as a server failure (jsforce does not retry a POST), and those that parse the
//     body find a registered OAuth code. What a real Salesforce outage returns on the
//     token endpoint is UNCONFIRMED;
//   - invalid_grant is the answer to a refresh token that no longer works, "expired
//     access/refresh token" (salesforce-webflow.md §4), the one that sends a client back
//     to a full login.
func (a Answer) OAuth() *OAuthError {
	switch a {
	case RequestLimitExceeded:
		return &OAuthError{http.StatusBadRequest, "rate_limit_exceeded", "number of logins exceeded", "Login rate exceeded"}
	case ServerUnavailable:
		return &OAuthError{http.StatusServiceUnavailable, "temporarily_unavailable", "server temporarily unavailable", "Failed: Server Unavailable"}
	case InvalidGrant:
		return &OAuthError{http.StatusBadRequest, "invalid_grant", "expired access/refresh token", "Failed: Expired refresh token"}
	}
	return nil
}
