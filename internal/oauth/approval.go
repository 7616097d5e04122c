package oauth

import (
	"bytes"
	"context"
	"embed"
	"html/template"
	"net/http"
	"net/url"
	"slices"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// The approval page ("Allow Access?", the webflow reference §2.3), the error page (§1.5)
// and the end of an authorize request: the code (or, in the user-agent flow, the tokens)
// redirected to the callback.

//go:embed pages/*.html
var pageFiles embed.FS

var (
	approvalTmpl  = template.Must(template.ParseFS(pageFiles, "pages/approval.html"))
	errorPageTmpl = template.Must(template.ParseFS(pageFiles, "pages/error.html"))
)

// approvalForm is the CSRF form name of the approval page.
const approvalForm = "approval"

// decision is what a completion may do.
type decision int

const (
	decideShowPage  decision = iota // the approval page may be shown
	decideImmediate                 // immediate=true: no page; immediate_unsuccessful instead
	decideAllowed                   // the user clicked Allow
)

// scopeDescriptions are the approval page's human descriptions of scopes (§2.3; the exact
// strings are [UNCONFIRMED], these follow Salesforce's setup labels).
var scopeDescriptions = map[string]string{
	"api":                "Access and manage your data (api)",
	"refresh_token":      "Perform requests on your behalf at any time (refresh_token, offline_access)",
	"offline_access":     "Perform requests on your behalf at any time (refresh_token, offline_access)",
	"web":                "Provide access to your data via the Web (web)",
	"full":               "Full access (full)",
	"openid":             "Access unique user identifiers (openid)",
	"id":                 "Access your basic information (id, profile, email, address, phone)",
	"profile":            "Access your basic information (id, profile, email, address, phone)",
	"email":              "Access your basic information (id, profile, email, address, phone)",
	"address":            "Access your basic information (id, profile, email, address, phone)",
	"phone":              "Access your basic information (id, profile, email, address, phone)",
	"chatter_api":        "Access Connect REST API resources (chatter_api)",
	"custom_permissions": "Access custom permissions (custom_permissions)",
	"visualforce":        "Provide access to custom applications (visualforce)",
	"wave_api":           "Access Analytics REST API resources (wave_api)",
	"content":            "Access content resources (content)",
}

// describeScopes lists the descriptions of scopes, each once, in the order of scopes.
func describeScopes(scopes []string) []string {
	var out []string
	for _, sc := range scopes {
		d, ok := scopeDescriptions[sc]
		if !ok {
			d = "Access " + sc + " (" + sc + ")"
		}
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

// handleApprovalPage is GET /setup/secur/RemoteAccessAuthorizationPage.apexp?source=…:
// the login page first when needed, then the code or the "Allow Access?" page.
func (s *Server) handleApprovalPage(w http.ResponseWriter, r *http.Request) {
	source := r.URL.Query().Get("source")
	req, err := s.pendingRequest(r.Context(), source)
	if err != nil {
		s.log.ErrorContext(r.Context(), "reading authorize request", "err", err)
	}
	if req == nil {
		s.setupErrorPage(w)
		return
	}
	sess, ok := s.browser.Session(r)
	// prompt=login: a session from before the request does not count; the one the login
	// page creates after it does, so the browser does not loop (§1.7).
	if !ok || req.NeedsLogin(sess) {
		noStore(w.Header())
		http.Redirect(w, r, s.browser.LoginURL(approvalURL(source), req.LoginHint), http.StatusFound)
		return
	}
	s.complete(w, r, *req, source, sess, decideShowPage)
}

// handleApproval is POST /setup/secur/RemoteAccessAuthorizationPage.apexp: the approval
// page's Allow or Deny (fields source, csrf, action).
func (s *Server) handleApproval(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.invalidPageRequest(w)
		return
	}
	source, action := r.PostForm.Get("source"), r.PostForm.Get("action")
	sess, ok := s.browser.Session(r)
	if !ok || !s.browser.ValidCSRF(r, approvalForm, r.PostForm.Get("csrf")) || (action != "allow" && action != "deny") {
		s.invalidPageRequest(w)
		return
	}
	req, err := s.pendingRequest(r.Context(), source)
	if err != nil {
		s.log.ErrorContext(r.Context(), "reading authorize request", "err", err)
	}
	if req == nil {
		s.setupErrorPage(w)
		return
	}
	if action == "deny" {
		// The request ends here; Deny records nothing (§1.4 row 11).
		if _, err := s.takePending(r, req.IDHash); err != nil {
			s.setupErrorPage(w)
			return
		}
		s.authzFail(w, r, *req, errAuthzDenied)
		return
	}
	s.complete(w, r, *req, source, sess, decideAllowed)
}

// complete ends an authorize request for the session's user: the app's permitted-users
// policy, then the approval, then the code or tokens (§1.7, §2.3). source is the pending
// request's id ("" for immediate=true, which stores none).
func (s *Server) complete(w http.ResponseWriter, r *http.Request, req org.AuthRequest, source string, sess org.Session, d decision) {
	ctx := r.Context()
	app, err := s.dir.App(ctx, req.AppID)
	if err != nil {
		s.log.ErrorContext(ctx, "loading connected app", "err", err, "app", req.AppID)
		s.setupErrorPage(w)
		return
	}
	p, err := s.dir.Principal(ctx, sess.UserID)
	if err != nil {
		s.log.ErrorContext(ctx, "loading user", "err", err, "user", sess.UserID)
		s.authzFail(w, r, req, errAuthzServer)
		return
	}
	// Refusals end the pending request: retrying it cannot succeed.
	fail := func(e *authzError) {
		if source != "" {
			s.takePending(r, req.IDHash)
		}
		s.authzFail(w, r, req, e)
	}
	switch {
	case p.User.OrgID != app.OrgID:
		// The app belongs to another org of this server (§1.4 row 7).
		fail(errAuthzNotInstalled)
		return
	case !p.User.Active || p.User.Frozen:
		// Deactivation and freezing end sessions; this is a session that raced it.
		fail(errAuthzServer)
		return
	case p.Has(org.PermAPIUserOnly):
		// A user made API-only after logging in: the UI, and so the authorize request,
		// is closed to them (the webflow reference §2.1). The login page tells them so.
		if source == "" {
			s.authzFail(w, r, req, errAuthzImmediate)
			return
		}
		noStore(w.Header())
		http.Redirect(w, r, s.browser.LoginURL(approvalURL(source), p.User.Username), http.StatusFound)
		return
	case app.AdminApproved():
		// "Admin approved users are pre-authorized": no page; the user has one of the
		// app's profiles or permission sets, or is refused (§1.4 row 10).
		if !org.PreAuthorized(app, p.User) {
			fail(errAuthzNotApproved)
			return
		}
	case d == decideAllowed:
		if err := s.grantStore.PutApproval(ctx, org.Approval{OrgID: app.OrgID, UserID: p.User.ID, AppID: app.ID,
			Scopes: req.Scopes, CreatedAt: s.orgNow(app.OrgID).UTC()}); err != nil {
			s.log.ErrorContext(ctx, "recording approval", "err", err)
			s.authzFail(w, r, req, errAuthzServer)
			return
		}
	default:
		// "All users may self-authorize": the page unless the user approved already (and
		// no prompt=consent asks again).
		approved, err := s.approvedScopes(ctx, app, p.User.ID, req.Scopes)
		if err != nil {
			s.log.ErrorContext(ctx, "reading approvals", "err", err)
			s.authzFail(w, r, req, errAuthzServer)
			return
		}
		if !approved || req.HasPrompt("consent") {
			if d == decideImmediate {
				s.authzFail(w, r, req, errAuthzImmediate)
				return
			}
			s.approvalPage(w, r, req, source, app, p)
			return
		}
	}
	if source != "" {
		// Exactly one completion per request, however many tabs or double clicks race.
		if _, err := s.takePending(r, req.IDHash); err != nil {
			s.setupErrorPage(w)
			return
		}
	}
	if req.TokenFlow() {
		s.userAgentRedirect(w, r, req, app, p, sess)
		return
	}
	s.codeRedirect(w, r, req, sess)
}

// approvedScopes reports whether the user approved the app for scopes: the app's declared
// ApprovedUserIDs (org file), or an approval given on the approval page that covers the
// requested scopes (a request for more scopes than were approved shows the page again).
func (s *Server) approvedScopes(ctx context.Context, app org.ConnectedApp, userID sfid.ID, scopes []string) (bool, error) {
	if org.Approved(app, userID) {
		return true, nil
	}
	as, err := s.grantStore.Approvals(ctx, store.GrantFilter{UserID: userID, AppID: app.ID})
	if err != nil {
		return false, err
	}
	for _, a := range as {
		if !slices.ContainsFunc(scopes, func(sc string) bool { return !slices.Contains(a.Scopes, sc) }) {
			return true, nil
		}
	}
	return false, nil
}

// codeRedirect issues the authorization code and redirects to the callback with it
// (§1.6): single use, 15 minutes, bound to the client, redirect URI, PKCE challenge,
// scopes and nonce; only its hash is stored.
func (s *Server) codeRedirect(w http.ResponseWriter, r *http.Request, req org.AuthRequest, sess org.Session) {
	code := newOpaque(codePrefix)
	now := s.orgNow(req.OrgID).UTC()
	if err := s.grantStore.PutAuthCode(r.Context(), org.AuthCode{CodeHash: opaqueHash(code), OrgID: req.OrgID,
		UserID: sess.UserID, AppID: req.AppID, RedirectURI: req.RedirectURI, Challenge: req.Challenge,
		ChallengeMethod: req.ChallengeMethod, Scopes: req.Scopes, Nonce: req.Nonce, AuthTime: sess.CreatedAt,
		CreatedAt: now, ExpiresAt: now.Add(org.AuthCodeLifetime)}); err != nil {
		s.log.ErrorContext(r.Context(), "storing authorization code", "err", err)
		s.authzFail(w, r, req, errAuthzServer)
		return
	}
	v := url.Values{"code": {code}}
	if req.State != "" {
		v.Set("state", req.State)
	}
	noStore(w.Header())
	http.Redirect(w, r, callbackURL(req, encodePairs(v, "code", "state")), http.StatusFound)
}

// approvalPage renders "Allow Access?".
func (s *Server) approvalPage(w http.ResponseWriter, r *http.Request, req org.AuthRequest, source string, app org.ConnectedApp, p org.Principal) {
	var b bytes.Buffer
	err := approvalTmpl.Execute(&b, struct {
		AppName, Username, Source, CSRF, Action, NotYou string
		Scopes                                          []string
	}{app.Name, p.User.Username, source, s.browser.CSRFToken(r, approvalForm), approvalPath,
		s.browser.LoginURL(approvalURL(source), ""), describeScopes(req.Scopes)})
	if err != nil {
		s.log.ErrorContext(r.Context(), "rendering approval page", "err", err)
		s.authzFail(w, r, req, errAuthzServer)
		return
	}
	s.browser.WritePage(w, http.StatusOK, "Allow Access?", template.HTML(b.String()))
}

// handleErrorPage is GET /setup/secur/RemoteAccessErrorPage.apexp?error=…&error_description=…:
// Salesforce's branded page with the generic text; the URL carries the reason (§1.5).
func (s *Server) handleErrorPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.writeErrorPage(w, http.StatusOK, "OAUTH_APPROVAL_ERROR_GENERIC : An unexpected error has occurred during authentication. Please try again.",
		truncate(q.Get("error"), 100), truncate(q.Get("error_description"), 200))
}

// setupErrorPage is row 13's page: an unknown, expired or already completed request.
func (s *Server) setupErrorPage(w http.ResponseWriter) {
	s.writeErrorPage(w, http.StatusBadRequest, "1800 : There was a problem in setting up your remote access.", "", "")
}

func (s *Server) writeErrorPage(w http.ResponseWriter, status int, message, code, desc string) {
	var b bytes.Buffer
	if err := errorPageTmpl.Execute(&b, struct{ Message, Error, Description string }{message, code, desc}); err != nil {
		http.Error(w, message, status)
		return
	}
	s.browser.WritePage(w, status, "Remote Access Error", template.HTML(b.String()))
}

// invalidPageRequest is a form without a session or a valid CSRF token: 403.
func (s *Server) invalidPageRequest(w http.ResponseWriter) {
	s.browser.WritePage(w, http.StatusForbidden, "Invalid Page Request", template.HTML(
		`<div class="card"><h1 id="invalid_request">Invalid Page Request</h1><p>The page you submitted was invalid for your session. Reload the page and try again.</p></div>`))
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
