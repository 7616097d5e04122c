package dataapi

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/faults"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/session"
	"github.com/forcefield/forcefield/internal/store"
)

// authenticate resolves the bearer token to a Caller and counts the request against the
// org's daily limit. The checks and their errors, in order (the reference
// salesforce-oauth.md §6.2, §8.2):
//   - no token, or an unknown, expired or revoked one: 401 INVALID_SESSION_ID;
//   - an Authorization scheme other than Bearer or OAuth: 401 INVALID_AUTH_HEADER;
//   - a session without the api or full scope: 401 "This session is not valid for use with
//     the REST API" (jsforce deliberately does not refresh on this text);
//   - a user without ApiEnabled: 403 API_DISABLED_FOR_ORG;
//   - the org's DailyApiRequests or the app's APIRequestsPerDay spent: 403 REQUEST_LIMIT_EXCEEDED.
//
// Every response from here on carries Sforce-Limit-Info.
func (a *API) authenticate(w http.ResponseWriter, r *http.Request) (*Caller, error) {
	auth := r.Header.Get("Authorization")
	if auth == "" {
		return nil, apierror.ErrInvalidSession
	}
	scheme, tok, _ := strings.Cut(auth, " ")
	if !strings.EqualFold(scheme, "Bearer") && !strings.EqualFold(scheme, "OAuth") {
		return nil, apierror.ErrAuthHeader
	}
	return a.Authenticate(w, r, strings.TrimSpace(tok))
}

// Authenticate resolves a session token sent some other way than a bearer header — the
// Bulk API 1.0's X-SFDC-Session — with the same checks, errors and counting as the
// REST API's (from "an unknown, expired or revoked one" on, above).
func (a *API) Authenticate(w http.ResponseWriter, r *http.Request, tok string) (*Caller, error) {
	if tok == "" {
		return nil, apierror.ErrInvalidSession
	}
	sess, err := a.sessions.Validate(r.Context(), tok)
	if errors.Is(err, session.ErrInvalid) {
		return nil, apierror.ErrInvalidSession
	}
	if err != nil {
		return nil, fmt.Errorf("validating session: %w", err)
	}
	if err := a.Faults.Data(r, faults.Who{Org: sess.OrgID, App: sess.AppID, User: sess.UserID}); err != nil {
		return nil, err // a fault injected on demand (package faults)
	}
	p, err := a.dir.Principal(r.Context(), sess.UserID)
	if errors.Is(err, store.ErrNotFound) { // the user is gone (a restored snapshot without it)
		return nil, apierror.ErrInvalidSession
	}
	if err != nil {
		return nil, fmt.Errorf("loading session user: %w", err)
	}
	if !p.User.Active || p.User.Frozen { // both end sessions; this one raced the change
		return nil, apierror.ErrInvalidSession
	}
	o, err := a.dir.Org(r.Context(), sess.OrgID)
	if err != nil {
		return nil, fmt.Errorf("loading org: %w", err)
	}
	limitInfo, ok, err := a.useRequest(r.Context(), o, sess.AppID) // quotas.go
	if err != nil {
		return nil, err
	}
	w.Header().Set("Sforce-Limit-Info", limitInfo)
	if !org.AllowsREST(sess.Scopes) {
		return nil, apierror.ErrNotREST
	}
	if !p.Has(org.PermAPIEnabled) {
		return nil, apierror.ErrAPIDisabled
	}
	if !ok {
		return nil, apierror.ErrLimitExceeded
	}
	return &Caller{Session: sess, Principal: p, Org: o}, nil
}
