package oauth

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/store"
)

// GET|POST /services/oauth2/authorize: the start of the web server flow
// (response_type=code, with PKCE) and of the user-agent flow (response_type=token), the
// webflow reference §1. The request is validated in the order of §1.4; a valid one is kept
// server-side (store.AuthRequests) under an opaque `source` id and the browser goes to the
// approval page, through the login page when it has no UI session (§1.7):
//
//	authorize ─validate 1-6─► pending request ─► approval page URL
//	approval page: no session (or prompt=login and a session older than the request) ─► login page ─► back
//	               admin-approved app: pre-authorized ─► code; not ─► OAUTH_APP_ACCESS_DENIED
//	               self-authorized app: approved and no prompt=consent ─► code; else "Allow Access?"
//	immediate=true: decided at once, without pages ─► code or immediate_unsuccessful
//
// The pages and the cookie are the browser login's (package weblogin, through Browser).

// Browser is what the authorize endpoint needs of the browser login (package weblogin,
// wired in internal/server): the request's UI session, CSRF tokens for the approval form,
// the login page's URL, and the pages' frame.
type Browser interface {
	// Session returns the live UI session of the request's session cookie.
	Session(r *http.Request) (org.Session, bool)
	// CSRFToken is the token of form for the request's UI session; ValidCSRF checks one.
	CSRFToken(r *http.Request, form string) string
	ValidCSRF(r *http.Request, form, token string) bool
	// LoginURL is the login page continuing to startURL (a local path) after the login,
	// the username pre-filled with loginHint.
	LoginURL(startURL, loginHint string) string
	// WritePage writes an HTML page whose content is body.
	WritePage(w http.ResponseWriter, status int, title string, body template.HTML)
}

// Paths of the approval and error pages (Salesforce's own, the webflow reference §1.1).
const (
	approvalPath  = "/setup/secur/RemoteAccessAuthorizationPage.apexp"
	errorPagePath = "/setup/secur/RemoteAccessErrorPage.apexp"
)

// disposition is how an authorize error reaches the user (the webflow reference §1.4).
type disposition int

const (
	// bare: HTTP 400 with the form-encoded pair as a text body (rows 1–3: the client or
	// its redirect URI is not trusted, so nothing is redirected there).
	bare disposition = iota
	// redirected to the callback with error, error_description and state (in the query
	// for the code flow, the fragment for the token flow).
	redirected
	// errorPage: a redirect to the branded OAUTH_APPROVAL_ERROR_GENERIC page whose URL
	// carries the reason (rows 5 and 6).
	errorPage
)

// authzError is a refused authorize request.
type authzError struct {
	how         disposition
	code, desc  string
	bareEncoded string // rows 1–3: the exact body Salesforce sends (%20 for spaces)
}

// The authorize errors of the webflow reference §1.4, in its order.
var (
	errAuthzClient = &authzError{how: bare, code: "invalid_client_id", desc: "client identifier invalid",
		bareEncoded: "error=invalid_client_id&error_description=client%20identifier%20invalid"}
	errAuthzNoRedirect = &authzError{how: bare, code: "redirect_uri_missing", desc: "redirect_uri not provided",
		bareEncoded: "error=redirect_uri_missing&error_description=redirect_uri%20not%20provided"}
	errAuthzRedirect = &authzError{how: bare, code: "redirect_uri_mismatch", desc: "redirect_uri must match configuration",
		bareEncoded: "error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%20configuration"}
	errAuthzResponseType = &authzError{how: redirected, code: "unsupported_response_type", desc: "response type not supported"}
	// PKCE required and no challenge: Salesforce shows OAUTH_APPROVAL_ERROR_GENERIC
	// (airbyte#85057); the code and text in the page's URL are [UNCONFIRMED] — these are
	// RFC 7636 §4.4.1's error with a plain description.
	errAuthzPKCERequired = &authzError{how: errorPage, code: "invalid_request", desc: "missing required code challenge"}
	errAuthzScope        = &authzError{how: errorPage, code: "invalid_scope", desc: "the requested scope is not allowed"}
	// A malformed challenge or an unknown method: RFC 7636 §4.4.1 redirects invalid_request
	// (Salesforce's own answer is [UNCONFIRMED]).
	errAuthzChallenge       = &authzError{how: redirected, code: "invalid_request", desc: "invalid code challenge"}
	errAuthzChallengeMethod = &authzError{how: redirected, code: "invalid_request", desc: "invalid code challenge method"}
	// response_type=token id_token without the openid scope: OIDC Core §3.2.2.1 requires
	// it; Salesforce's text is [UNCONFIRMED].
	errAuthzNoOpenID     = &authzError{how: redirected, code: "invalid_request", desc: "openid scope required for id_token"}
	errAuthzImmediate    = &authzError{how: redirected, code: "immediate_unsuccessful", desc: "immediate unsuccessful"}
	errAuthzDenied       = &authzError{how: redirected, code: "access_denied", desc: "end-user denied authorization"}
	errAuthzNotApproved  = &authzError{how: redirected, code: "OAUTH_APP_ACCESS_DENIED", desc: "user is not admin approved to access this app"}
	errAuthzNotInstalled = &authzError{how: redirected, code: "invalid_client", desc: "app must be installed into org"}
	errAuthzServer       = &authzError{how: errorPage, code: "server_error", desc: "internal server error"}
	// Too many pending requests from one address: the legacy table's rate-limit error
	// (§1.4 row 12), redirected since client and callback are valid by then.
	errAuthzRateLimit = &authzError{how: redirected, code: "rate_limit_exceeded", desc: "number of logins exceeded"}
)

// challengeRE is RFC 7636 §4.1's code_challenge: 43 to 128 unreserved characters (an S256
// challenge is exactly 43 base64url characters).
var challengeRE = regexp.MustCompile(`^[A-Za-z0-9._~-]{43,128}$`)

// responseType normalises response_type: "code", "token" or "token id_token" (the values
// discovery lists; OIDC allows the two words in either order), else "".
func responseType(v string) string {
	f := strings.Fields(v)
	slices.Sort(f)
	switch strings.Join(f, " ") {
	case "code":
		return "code"
	case "token":
		return "token"
	case "id_token token":
		return "token id_token"
	}
	return ""
}

// requestedScopes resolves the scope parameter against the app's scopes (the webflow
// reference §1.2): omitted or empty means all the app's scopes; any scope the app does not
// have is refused. refresh_token and offline_access are aliases (§4.8).
func requestedScopes(app org.ConnectedApp, p params) ([]string, bool) {
	if strings.TrimSpace(p.get("scope")) == "" {
		return slices.Clone(app.Scopes), true
	}
	var out []string
	for _, sc := range strings.Fields(p.get("scope")) {
		ok := slices.Contains(app.Scopes, sc)
		if !ok && (sc == "refresh_token" || sc == "offline_access") {
			ok = slices.Contains(app.Scopes, "refresh_token") || slices.Contains(app.Scopes, "offline_access")
		}
		if !ok {
			return nil, false
		}
		if !slices.Contains(out, sc) {
			out = append(out, sc)
		}
	}
	return out, true
}

// checkAuthorize validates an authorize request for app (client_id already resolved)
// in the order of the webflow reference §1.4, rows 2–6, and returns the pending request
// (without its id and times). It reads nothing but its arguments: TestAuthorizeRules
// tables it.
func checkAuthorize(app org.ConnectedApp, p params) (org.AuthRequest, *authzError) {
	req := org.AuthRequest{OrgID: app.OrgID, AppID: app.ID, ClientID: p.get("client_id"),
		RedirectURI: p.get("redirect_uri"), State: p.get("state")}
	if req.RedirectURI == "" {
		return req, errAuthzNoRedirect
	}
	// Exact string equality with one of the registered callback URLs (§1.2).
	if !slices.Contains(app.CallbackURLs, req.RedirectURI) {
		return req, errAuthzRedirect
	}
	req.ResponseType = responseType(p.get("response_type"))
	if req.ResponseType == "" {
		return req, errAuthzResponseType
	}
	if req.ResponseType == "code" {
		req.Challenge, req.ChallengeMethod = p.get("code_challenge"), p.get("code_challenge_method")
		if req.Challenge == "" {
			if app.PKCERequired {
				return req, errAuthzPKCERequired
			}
			req.ChallengeMethod = ""
		} else {
			// No method means S256: jsforce, sfdx-core and the Mobile SDK send an S256
			// challenge without one (§1.3).
			switch req.ChallengeMethod {
			case "":
				req.ChallengeMethod = "S256"
			case "S256", "plain":
			default:
				return req, errAuthzChallengeMethod
			}
			if !challengeRE.MatchString(req.Challenge) || (req.ChallengeMethod == "S256" && len(req.Challenge) != 43) {
				return req, errAuthzChallenge
			}
		}
	}
	scopes, ok := requestedScopes(app, p)
	if !ok {
		return req, errAuthzScope
	}
	req.Scopes = scopes
	if req.ResponseType == "token id_token" && !slices.Contains(scopes, "openid") {
		return req, errAuthzNoOpenID
	}
	req.Prompt = strings.Fields(p.get("prompt"))
	req.LoginHint, req.Nonce = p.get("login_hint"), p.get("nonce")
	return req, nil
}

// handleAuthorize is GET|POST /services/oauth2/authorize.
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		writeBare(w, http.StatusMethodNotAllowed, "error=invalid_request&error_description=must%20use%20HTTP%20GET%20or%20POST")
		return
	}
	p, e := parseParams(w, r)
	if e != nil {
		writeBare(w, http.StatusBadRequest, "error=invalid_request&error_description="+pathEscape(e.Description))
		return
	}
	ctx := r.Context()
	app, e := s.appByKey(ctx, p.get("client_id"))
	if e == ErrInvalidClientID {
		s.authzFail(w, r, org.AuthRequest{}, errAuthzClient)
		return
	}
	if e != nil {
		s.authzFail(w, r, org.AuthRequest{}, errAuthzServer)
		return
	}
	req, ae := checkAuthorize(app, p)
	if ae == nil && app.Blocked { // blocked.go
		ae = errAuthzBlocked
	}
	if ae != nil {
		s.authzFail(w, r, req, ae)
		return
	}
	sess, loggedIn := s.browser.Session(r)
	if req.HasPrompt("login") {
		// Re-authenticate even with a session: that session will not count.
		if loggedIn {
			req.StaleSessionID = sess.ID
		}
		loggedIn = false
	}
	if p.get("immediate") == "true" {
		// Decided at once: a logged-in user who needs no approval page gets the code,
		// anybody else immediate_unsuccessful (§1.2).
		if !loggedIn {
			s.authzFail(w, r, req, errAuthzImmediate)
			return
		}
		s.complete(w, r, req, "", sess, decideImmediate)
		return
	}
	// Every request that reaches here stores a row that only its completion or its expiry
	// removes: spend one of the address's tokens (given back at completion, takePending),
	// so that one address cannot fill the database with requests it leaves pending.
	res, ok, _ := s.pending.Reserve(ctx, sourceIP(r))
	if !ok {
		s.authzFail(w, r, req, errAuthzRateLimit)
		return
	}
	res.Fail()
	source := newOpaque("")
	now := s.orgNow(req.OrgID).UTC()
	req.IDHash, req.CreatedAt, req.ExpiresAt = opaqueHash(source), now, now.Add(org.AuthRequestLifetime)
	if err := s.authRequests.PutAuthRequest(ctx, req); err != nil {
		s.log.ErrorContext(ctx, "storing authorize request", "err", err)
		s.authzFail(w, r, req, errAuthzServer)
		return
	}
	// Salesforce answers with a page that replaces the location (§1.1); a plain 302 does
	// the same for every browser and test driver.
	next := approvalURL(source)
	if !loggedIn {
		next = s.browser.LoginURL(next, req.LoginHint)
	}
	noStore(w.Header())
	http.Redirect(w, r, next, http.StatusFound)
}

// approvalURL is the approval page of a pending request.
func approvalURL(source string) string { return approvalPath + "?source=" + url.QueryEscape(source) }

// pendingRequest reads the pending request of source, nil when it is unknown or expired.
func (s *Server) pendingRequest(ctx context.Context, source string) (*org.AuthRequest, error) {
	if source == "" || len(source) > 256 {
		return nil, nil
	}
	req, err := s.authRequests.AuthRequest(ctx, opaqueHash(source))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !s.orgNow(req.OrgID).Before(req.ExpiresAt) {
		return nil, nil
	}
	return &req, nil
}

// takePending ends the pending request with this hash (store.AuthRequests.TakeAuthRequest)
// and gives the address that ends it back the token its authorize spent, so that the limit
// counts requests left pending, not completed ones. (Per process: on another node the
// token is not given back, which is only stricter.)
func (s *Server) takePending(r *http.Request, hash []byte) (org.AuthRequest, error) {
	req, err := s.authRequests.TakeAuthRequest(r.Context(), hash)
	if err == nil {
		s.pending.Refund(sourceIP(r))
	}
	return req, err
}

// authzFail answers a refused authorize request as its disposition says.
func (s *Server) authzFail(w http.ResponseWriter, r *http.Request, req org.AuthRequest, e *authzError) {
	noStore(w.Header())
	switch e.how {
	case bare:
		writeBare(w, http.StatusBadRequest, e.bareEncoded)
	case errorPage:
		q := url.Values{"error": {e.code}, "error_description": {e.desc}}
		http.Redirect(w, r, errorPagePath+"?"+q.Encode(), http.StatusFound)
	default:
		v := url.Values{"error": {e.code}, "error_description": {e.desc}}
		if req.State != "" {
			v.Set("state", req.State)
		}
		http.Redirect(w, r, callbackURL(req, encodePairs(v, "error", "error_description", "state")), http.StatusFound)
	}
}

// callbackURL is the redirect URI with the answer appended: in the query for the web
// server flow (after any query the registered URL has, joined with &), in the fragment
// for the user-agent flow (§1.4 "Redirect encoding"). encoded is form encoding.
func callbackURL(req org.AuthRequest, encoded string) string {
	base, _, _ := strings.Cut(req.RedirectURI, "#")
	if req.TokenFlow() {
		return base + "#" + encoded
	}
	switch {
	case strings.HasSuffix(base, "?") || strings.HasSuffix(base, "&"):
		return base + encoded
	case strings.Contains(base, "?"):
		return base + "&" + encoded
	}
	return base + "?" + encoded
}

// encodePairs form-encodes v's keys in the given order (Salesforce's order, not
// url.Values' alphabetical one), skipping absent keys.
func encodePairs(v url.Values, keys ...string) string {
	var b strings.Builder
	for _, k := range keys {
		if !v.Has(k) {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(k) + "=" + url.QueryEscape(v.Get(k)))
	}
	return b.String()
}

// writeBare writes rows 1–3's bare form-encoded page (§1.5: "a web browser with the
// following text").
func writeBare(w http.ResponseWriter, status int, body string) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	noStore(h)
	w.WriteHeader(status)
	w.Write([]byte(body))
}

// pathEscape encodes spaces as %20, as rows 1–3's bodies do.
func pathEscape(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }

func noStore(h http.Header) {
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
}
