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

// tokenResponse is the success body, fields in the order of Salesforce's own samples.
// Values are strings; issued_at is epoch milliseconds (the reference §1.9).
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	// RefreshToken is present only when the granted scopes include refresh_token or
	// offline_access (the webflow reference §3.5), and on a refresh only with rotation.
	RefreshToken string `json:"refresh_token,omitempty"`
	Signature    string `json:"signature,omitempty"`
	Scope        string `json:"scope,omitempty"`
	// IDToken is present when openid is granted (the webflow reference §8.1).
	IDToken     string `json:"id_token,omitempty"`
	InstanceURL string `json:"instance_url"`
	ID          string `json:"id"`
	TokenType   string `json:"token_type"`
	IssuedAt    string `json:"issued_at,omitempty"`
	// TokenFormat is "jwt" for apps with JWT access tokens and absent otherwise, so
	// opaque responses stay byte-for-byte what they were (docs/compatibility.md).
	TokenFormat string `json:"token_format,omitempty"`
}

// handleToken is POST /services/oauth2/token: it parses the request, dispatches on
// grant_type and renders the answer. Methods, parsing and unknown grants are decided here.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	p, ok := postParams(w, r)
	if !ok {
		return
	}
	grantType := p.get("grant_type")
	g, ok := s.grants[grantType]
	if !ok {
		s.observe.TokenRefused("unsupported", ErrUnsupportedGrant.Code, ErrUnsupportedGrant.LoginStatus)
		writeError(w, ErrUnsupportedGrant)
		return
	}
	ev := s.loginEvent(r, g.subType)
	resp, e := s.dispatch(r.Context(), r, p, g, &ev)
	if e == nil {
		e = s.recheckBlocked(r.Context(), resp, &ev) // blocked.go
	}
	if e != nil {
		// A refused request records its LoginHistory row with the error's status (a
		// successful one is recorded with its session, in one transaction).
		ev.Status = e.LoginStatus
		if !ev.OrgID.IsZero() {
			ev.Time = s.orgNow(ev.OrgID).UTC() // the org's login history is in its time
		}
		s.observe.TokenRefused(grantType, e.Code, e.LoginStatus)
		if err := s.sessions.RecordFailure(r.Context(), ev); err != nil {
			s.log.ErrorContext(r.Context(), "recording failed login", "err", err)
		}
		writeError(w, e)
		return
	}
	s.observe.TokenIssued(grantType)
	writeJSON(w, http.StatusOK, resp)
}

// dispatch runs one token request through g (grant.go says in which order, and why each
// grant's policy is what it is).
func (s *Server) dispatch(ctx context.Context, r *http.Request, p params, g grant, ev *org.LoginEvent) (*tokenResponse, *Error) {
	req := &grantRequest{r: r, p: p, ev: ev}
	resp, e := s.dispatchReq(ctx, g, req)
	s.settleQuota(req, e) // quota.go: a refused request's token does not count
	return resp, e
}

func (s *Server) dispatchReq(ctx context.Context, g grant, req *grantRequest) (*tokenResponse, *Error) {
	r, p, ev := req.r, req.p, req.ev
	if g.myDomainOnly && onLoginHost(ctx) {
		return nil, ErrDomain
	}
	if g.validate != nil {
		if e := g.validate(p); e != nil {
			return nil, e
		}
	}
	if g.client == clientSecret || g.client == clientSecretPerApp {
		var client *authenticatedClient
		var e *Error
		if g.client == clientSecret {
			client, e = s.authenticateClient(ctx, r, p)
		} else {
			client, e = s.authenticatePerApp(ctx, r, p, g.secretOptional)
		}
		if client != nil { // the key named an app, even if its secret was wrong
			req.setApp(client.app)
			if g.appUser != nil {
				ev.UserID = g.appUser(client.app)
			}
		}
		if e != nil {
			return nil, e
		}
		req.client, req.clientID = client, client.credential.ConsumerKey
	}
	if e := s.takeQuota(ctx, req); e != nil { // quota.go
		return nil, e
	}
	if e := g.prove(ctx, req); e != nil {
		return nil, e
	}
	if e := s.injectedFault(r, p, req); e != nil { // faults.go
		return nil, e
	}
	if e := s.takeQuota(ctx, req); e != nil { // the JWT bearer grant's app is known now
		return nil, e
	}
	if e := s.userPolicy(ctx, g.policy, req); e != nil {
		return nil, e
	}
	if g.issue != nil {
		return g.issue(ctx, req)
	}
	scopes, e := g.scopes(req.app)
	if e != nil {
		return nil, e
	}
	o, err := s.dir.Org(ctx, req.app.OrgID)
	if err != nil {
		s.log.ErrorContext(ctx, "loading org", "err", err, "org", req.app.OrgID)
		return nil, errServer
	}
	now := s.orgNow(req.app.OrgID).UTC()
	sess := org.Session{
		OrgID: req.app.OrgID, UserID: req.principal.User.ID, AppID: req.app.ID, Scopes: scopes,
		SourceIP: ev.SourceIP, LoginType: g.subType, CreatedAt: now, LastActivity: now,
		Timeout: org.SessionTimeout(req.app, req.principal.Profile, o),
	}
	ev.Status, ev.Time = org.LoginStatusSuccess, now
	consumerSecret := ""
	if g.signed && req.client != nil {
		consumerSecret = req.client.secret
	}
	resp, e := s.issueSession(ctx, req.app, req.clientID, sess, ev, consumerSecret)
	if e != nil {
		return nil, e
	}
	if !g.signed {
		resp.IssuedAt = "" // the reference §1.4: not in JWT bearer responses
	}
	return resp, nil
}

// userPolicy applies to a proven user the rules every grant shares — the app not
// blocked, active, admin approval — and those its policy names: login IP ranges, the user's own approval.
func (s *Server) userPolicy(ctx context.Context, pol userPolicy, req *grantRequest) *Error {
	u, app := req.principal.User, req.app
	if app.Blocked { // blocked.go
		return ErrAppBlocked
	}
	if !u.Active {
		return ErrInactiveUser
	}
	if u.Frozen {
		return ErrFrozenUser
	}
	if pol.ipRanges && !org.LoginIPAllowed(app, req.principal.Profile, req.ev.SourceIP) {
		if pol.refresh {
			return ErrRefreshIPRestricted
		}
		return ErrIPRestricted
	}
	// The reference §3.3 (client credentials) and §1.4 (JWT bearer): with "Admin approved
	// users are pre-authorized" the user needs one of the app's profiles or permission
	// sets; a self-authorized app needs the user's approval where the grant asks for it.
	if app.AdminApproved() {
		if !org.PreAuthorized(app, u) {
			return ErrNotAdminApproved
		}
	} else if pol.selfApproval {
		ok, err := s.approved(ctx, app, u.ID)
		if err != nil {
			s.log.ErrorContext(ctx, "reading approvals", "err", err)
			return errServer
		}
		if !ok {
			return ErrNotApproved
		}
	}
	return nil
}

// identityURL is the id of a session at the configured base URL:
// <base>/id/<org18>/<user18>. Answers to a request use identityURLAt, which follows the
// Salesforce host the request was sent to (hosts.go).
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
	id := s.identityURLAt(ctx, sess.OrgID.String(), sess.UserID.String())
	issued := strconv.FormatInt(sess.CreatedAt.UnixMilli(), 10)
	resp := &tokenResponse{
		AccessToken: token,
		Scope:       strings.Join(sess.Scopes, " "),
		InstanceURL: s.instanceURLFor(ctx, sess.OrgID),
		ID:          id,
		TokenType:   "Bearer",
		IssuedAt:    issued,
	}
	if consumerSecret != "" {
		resp.Signature = signature(consumerSecret, id, issued)
	}
	return resp
}
