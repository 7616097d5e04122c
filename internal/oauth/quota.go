package oauth

// Per-app token quotas (issue 14 §4; limits.AppQuotas; docs/quotas.md). Every grant type
// of the token endpoint counts one token request of the app once the app is known — after
// client authentication, or after the proof for the JWT bearer grant, whose assertion
// names the app — and before the grant consumes anything (an authorization code, a
// refresh token), so a refused client keeps what it presented. A request that fails after
// it was counted gives its unit back: only granted tokens count.
//
// The refusal. Salesforce has no per-app token quota, so its wire form is Forcefield's
// choice: HTTP 400 {"error":"rate_limit_exceeded","error_description":"…"}. 400 with an
// RFC 6749 §5.2 body is how Salesforce answers every token error (the reference
// salesforce-oauth.md §2), so every client surfaces it as an OAuth error with the text —
// golang.org/x/oauth2 as *oauth2.RetrieveError (ErrorCode "rate_limit_exceeded"), jsforce
// as an Error named by the code, simple-salesforce as SalesforceAuthenticationFailed,
// sfauth as *TokenError; Camel and Spring Social decode the body only on 400.
// rate_limit_exceeded is Salesforce's own documented code for too many logins (the legacy
// table in the reference §2) and the one this server already sends when it throttles
// failed client authentication, so a client that switches on it backs off. Not
// invalid_grant: clients read that as "these credentials are bad" (the Mobile SDK drops a
// refresh token on it) and a quota says nothing about the credentials. Not 429: Camel and
// Spring Social would not decode the body, and jsforce retries 429 with back-off, hiding
// the refusal for some 15 seconds.

import (
	"context"
	"fmt"
	"time"

	"github.com/forcefield/forcefield/internal/limits"
)

// quotaStatus is the LoginHistory status of a refused token request.
const quotaStatus = "Login rate exceeded"

// quotaError is the refusal of r.
func quotaError(r *limits.Refusal) *Error {
	what := "per hour"
	if r.Window == limits.TokensPerDay {
		what = "per day"
	}
	return oauthErr("rate_limit_exceeded", fmt.Sprintf("token request quota exceeded: this connected app may have %d token requests %s; retry after %ds",
		r.Quota, what, int((r.RetryAfter+time.Second-1)/time.Second)), quotaStatus)
}

// takeQuota counts the request against its app's token quotas when the app is known and
// the request was not counted yet.
func (s *Server) takeQuota(_ context.Context, req *grantRequest) *Error {
	if s.quotas == nil || req.taken != nil || req.app.ID.IsZero() {
		return nil
	}
	t, r := s.quotas.TakeToken(req.app.OrgID, req.app.ID, req.app.AppQuotas)
	if r != nil {
		return quotaError(r)
	}
	req.taken = &t
	return nil
}

// settleQuota gives back the unit of a request that was counted and then refused.
func (s *Server) settleQuota(req *grantRequest, e *Error) {
	if e != nil && req.taken != nil {
		s.quotas.Return(*req.taken)
	}
}
