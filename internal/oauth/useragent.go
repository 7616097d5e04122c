package oauth

import (
	"net/http"

	"github.com/forcefield/forcefield/internal/org"
)

// userAgentRedirect ends the user-agent flow (response_type=token): not yet wired to the
// grants' issuing.
func (s *Server) userAgentRedirect(w http.ResponseWriter, r *http.Request, req org.AuthRequest, app org.ConnectedApp, p org.Principal, sess org.Session) {
	s.authzFail(w, r, req, &authzError{how: errorPage, code: "unsupported_response_type", desc: "response type not supported"})
}
