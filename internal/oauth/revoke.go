package oauth

import (
	"errors"
	"net/http"

	"github.com/forcefield/forcefield/internal/session"
)

// ErrInvalidToken is revocation's answer for a token that is not live (the reference §4.4;
// the description is the documentation's text [UNCONFIRMED on the wire]).
var ErrInvalidToken = oauthErr("invalid_token", "Token was invalid", "")

// handleRevoke is GET|POST /services/oauth2/revoke with token in the query or the form
// body (the Mobile SDK and Camel use GET ?token=). Success is 200 with an empty body, an
// unknown token 400 invalid_token. Like Salesforce, no client authentication is needed:
// whoever holds a token may end it. A refresh token ends with its rotation family and
// every access token minted from them; an access token ends alone, its refresh token
// stays usable (the webflow reference §4.7).
func (s *Server) handleRevoke(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		writeError(w, &Error{Code: "invalid_request", Description: "must use HTTP GET or POST", Status: http.StatusMethodNotAllowed})
		return
	}
	p, e := parseParams(w, r)
	if e != nil {
		writeError(w, e)
		return
	}
	tok := p.get("token")
	if tok == "" {
		writeError(w, invalidRequest("token parameter is required"))
		return
	}
	if s.revokeRefresh(w, r, tok) { // a refresh token: refreshrevoke.go
		return
	}
	if _, err := s.sessions.Revoke(r.Context(), tok); err != nil {
		if errors.Is(err, session.ErrInvalid) {
			writeError(w, ErrInvalidToken)
			return
		}
		s.log.ErrorContext(r.Context(), "revoking token", "err", err)
		writeError(w, errServer)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}
