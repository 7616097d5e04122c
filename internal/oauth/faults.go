package oauth

import (
	"net/http"

	"github.com/forcefield/forcefield/internal/faults"
)

// injectedFault answers a token request with a fault injected on demand (issue 14 §1,
// package faults), once the grant has proven the app and user so that a fault scoped to
// an org, app or user can match. The refusal is recorded in LoginHistory like any other,
// so a test can assert what its client saw. A drop fault never returns (the connection
// is closed); a delay fault waits, then the request goes on.
func (s *Server) injectedFault(r *http.Request, p params, req *grantRequest) *Error {
	f := s.faults.Token(r, p.get("grant_type"), faults.Who{Org: req.app.OrgID, App: req.app.ID, User: req.principal.User.ID})
	if f == nil {
		return nil
	}
	return &Error{Code: f.Code, Description: f.Description, Status: f.Status, LoginStatus: f.LoginStatus}
}
