package oauth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"

	"github.com/forcefield/forcefield/internal/org"
)

// grantHandler runs one grant type. It returns the response to send or an *Error. Every
// handler records its login-history row, successful or not.
type grantHandler func(ctx context.Context, r *http.Request, p params) (*tokenResponse, *Error)

// recorded wraps a grant so that a refused request records its LoginHistory row with the
// error's status (a successful one records it with the session, in one transaction).
func (s *Server) recorded(subType string, run func(context.Context, *http.Request, params, *org.LoginEvent) (*tokenResponse, *Error)) grantHandler {
	return func(ctx context.Context, r *http.Request, p params) (*tokenResponse, *Error) {
		ev := s.loginEvent(r, subType)
		resp, e := run(ctx, r, p, &ev)
		if e != nil {
			ev.Status = e.LoginStatus
			if err := s.sessions.RecordFailure(ctx, ev); err != nil {
				s.log.ErrorContext(ctx, "recording failed login", "err", err)
			}
		}
		return resp, e
	}
}

// tokenResponse is the success body, fields in the order of Salesforce's own samples.
// Values are strings; issued_at is epoch milliseconds (the reference §1.9).
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	Signature   string `json:"signature,omitempty"`
	Scope       string `json:"scope,omitempty"`
	InstanceURL string `json:"instance_url"`
	ID          string `json:"id"`
	TokenType   string `json:"token_type"`
	IssuedAt    string `json:"issued_at,omitempty"`
	// TokenFormat is "jwt" for apps with JWT access tokens and absent otherwise, so
	// opaque responses stay byte-for-byte what they were (docs/compatibility.md).
	TokenFormat string `json:"token_format,omitempty"`
}

// handleToken is POST /services/oauth2/token: it parses the request and dispatches on
// grant_type. Everything else (methods, parsing, unknown grants) is decided here.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	p, ok := postParams(w, r)
	if !ok {
		return
	}
	grant, ok := s.grants[p.get("grant_type")]
	if !ok {
		writeError(w, ErrUnsupportedGrant)
		return
	}
	resp, e := grant(r.Context(), r, p)
	if e != nil {
		writeError(w, e)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// identityURL is the id of a session: <base>/id/<org18>/<user18>.
func (s *Server) identityURL(orgID, userID string) string {
	return s.baseURL + "/id/" + orgID + "/" + userID
}

// signature is base64(HMAC-SHA256(key=consumer secret, id+issued_at)) in standard, padded
// base64 (the reference §1.10).
func signature(consumerSecret, id, issuedAt string) string {
	mac := hmac.New(sha256.New, []byte(consumerSecret))
	mac.Write([]byte(id + issuedAt))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// issueSession stores sess with its login-history row and builds the response: a JWT
// access token if the app asked for them (the reference §6.3), else an opaque one.
func (s *Server) issueSession(ctx context.Context, app org.ConnectedApp, clientID string, sess org.Session, ev *org.LoginEvent, consumerSecret string) (*tokenResponse, *Error) {
	var token string
	var err error
	if app.JWTAccessTokens {
		token, sess, err = s.sessions.IssueJWT(ctx, sess, *ev, clientID)
	} else {
		token, sess, err = s.sessions.Issue(ctx, sess, *ev)
	}
	if err != nil {
		s.log.ErrorContext(ctx, "issuing session", "err", err)
		return nil, errServer
	}
	resp := s.response(ctx, token, sess, consumerSecret)
	if app.JWTAccessTokens {
		resp.TokenFormat = "jwt"
	}
	return resp, nil
}

// response builds the success body for a new session.
func (s *Server) response(ctx context.Context, token string, sess org.Session, consumerSecret string) *tokenResponse {
	id := s.identityURL(sess.OrgID.String(), sess.UserID.String())
	issued := strconv.FormatInt(sess.CreatedAt.UnixMilli(), 10)
	resp := &tokenResponse{
		AccessToken: token,
		Scope:       strings.Join(sess.Scopes, " "),
		InstanceURL: s.instanceURL(ctx),
		ID:          id,
		TokenType:   "Bearer",
		IssuedAt:    issued,
	}
	if consumerSecret != "" {
		resp.Signature = signature(consumerSecret, id, issued)
	}
	return resp
}
