package oauth

import (
	"errors"
	"net/http"
	"strings"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/session"
	"github.com/forcefield/forcefield/internal/sfid"
)

// introspection is the RFC 7662 response as Salesforce shapes it (the reference §4.3):
// exp/iat/nbf are epoch seconds and token_type is "access_token", not "Bearer".
type introspection struct {
	Active    bool   `json:"active"`
	Scope     string `json:"scope,omitempty"`
	ClientID  string `json:"client_id,omitempty"`
	Username  string `json:"username,omitempty"`
	Sub       string `json:"sub,omitempty"`
	TokenType string `json:"token_type,omitempty"`
	Exp       int64  `json:"exp,omitempty"`
	Iat       int64  `json:"iat,omitempty"`
	Nbf       int64  `json:"nbf,omitempty"`
}

// handleIntrospect is POST /services/oauth2/introspect. The caller authenticates as a
// connected app (body or Basic). An app sees its own tokens; an app with
// introspectAllTokens sees every token of its org; anything else is {"active":false}.
// Failed client authentication answers 401 invalid_client (RFC 7662 §2.3; Salesforce's
// status is unconfirmed).
func (s *Server) handleIntrospect(w http.ResponseWriter, r *http.Request) {
	p, ok := postParams(w, r)
	if !ok {
		return
	}
	client, e := s.authenticateClient(r.Context(), r, p)
	if e != nil {
		if e == ErrInvalidClient || e == ErrInvalidClientID {
			e = &Error{Code: e.Code, Description: e.Description, Status: http.StatusUnauthorized}
			w.Header().Set("WWW-Authenticate", `Basic realm="introspect"`)
		}
		writeError(w, e)
		return
	}
	tok := p.get("token")
	if tok == "" {
		writeError(w, invalidRequest("token parameter is required"))
		return
	}
	if s.introspectRefresh(w, r, client, tok) { // refreshrevoke.go
		return
	}
	sess, err := s.sessions.Peek(r.Context(), tok)
	if errors.Is(err, session.ErrInvalid) || (err == nil && !visible(client.app, sess)) {
		writeJSON(w, http.StatusOK, introspection{Active: false})
		return
	}
	if err != nil {
		s.log.ErrorContext(r.Context(), "introspecting", "err", err)
		writeError(w, errServer)
		return
	}
	u, err := s.dir.Principal(r.Context(), sess.UserID)
	if err != nil {
		s.log.ErrorContext(r.Context(), "loading token user", "err", err)
		writeError(w, errServer)
		return
	}
	clientID := client.credential.ConsumerKey
	if sess.AppID != client.app.ID {
		clientID = s.consumerKey(r, sess.AppID)
	}
	writeJSON(w, http.StatusOK, introspection{
		Active:    true,
		Scope:     strings.Join(sess.Scopes, " "),
		ClientID:  clientID,
		Username:  u.User.Username,
		Sub:       s.identityURLAt(r.Context(), sess.OrgID.String(), sess.UserID.String()),
		TokenType: "access_token",
		Exp:       sess.ExpiresAt().Unix(),
		Iat:       sess.CreatedAt.Unix(),
		Nbf:       sess.CreatedAt.Unix(),
	})
}

// visible reports whether app may introspect sess.
func visible(app org.ConnectedApp, sess org.Session) bool {
	return sess.AppID == app.ID || (app.IntrospectAllTokens && sess.OrgID == app.OrgID)
}

// consumerKey returns the primary consumer key of another app of the org.
func (s *Server) consumerKey(r *http.Request, appID sfid.ID) string {
	creds, err := s.dir.Store().Credentials(r.Context(), appID)
	if err != nil {
		s.log.ErrorContext(r.Context(), "loading credentials", "err", err)
		return ""
	}
	for _, c := range creds {
		if c.State == org.CredentialActive {
			return c.ConsumerKey
		}
	}
	if len(creds) > 0 {
		return creds[0].ConsumerKey
	}
	return ""
}
