package weblogin

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/passwordlogin"
	"github.com/forcefield/forcefield/internal/store"
)

// maxFormBytes bounds a login form body; a username and a password are small.
const maxFormBytes = 16 << 10

// handleRoot is GET /: the home page for a logged-in browser, else the login page. With a
// startURL (the authorize endpoint sends the browser here to log in, prompt=login
// included) it is always the login page.
func (l *Login) handleRoot(w http.ResponseWriter, r *http.Request) {
	if !r.URL.Query().Has("startURL") {
		if sess, ok := l.Session(r); ok {
			l.home(w, r, sess)
			return
		}
	}
	l.handleLoginPage(w, r)
}

// home is the page of a logged-in browser; issue 11's console builds on it.
func (l *Login) home(w http.ResponseWriter, r *http.Request, sess org.Session) {
	p, err := l.dir.Principal(r.Context(), sess.UserID)
	if err != nil {
		l.log.ErrorContext(r.Context(), "loading user", "err", err)
		writePage(w, http.StatusInternalServerError, "login", page{Title: "Login", Error: msgServer})
		return
	}
	o, err := l.dir.Org(r.Context(), sess.OrgID)
	if err != nil {
		l.log.ErrorContext(r.Context(), "loading org", "err", err)
		writePage(w, http.StatusInternalServerError, "login", page{Title: "Login", Error: msgServer})
		return
	}
	writePage(w, http.StatusOK, "home", page{Title: "Home", Username: p.User.Username, Name: p.User.Name(), OrgName: o.Name, OrgID: o.ID.String()})
}

// handleLoginPage is GET /login (and / without a session): the form, with the username
// pre-filled from login_hint.
func (l *Login) handleLoginPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	l.loginForm(w, r, http.StatusOK, q.Get("login_hint"), q.Get("startURL"), "")
}

// loginForm renders the login form (with an error text when errText is set).
func (l *Login) loginForm(w http.ResponseWriter, r *http.Request, status int, username, startURL, errText string) {
	writePage(w, status, "login", page{Title: "Login", Error: errText, Username: username,
		StartURL: localPath(startURL), CSRF: l.loginCSRF(w, r)})
}

// invalidRequest is the answer to a form without a valid CSRF token: 403 and Salesforce's
// words for it.
func invalidRequest(w http.ResponseWriter) {
	writePage(w, http.StatusForbidden, "invalid", page{Title: "Invalid Page Request"})
}

// handleLogin is POST /login: check the CSRF token, the password (throttled, counted
// toward the lockout), then the user's rules; record the attempt; on success set the
// session cookie and go to startURL (a local path only).
func (l *Login) handleLogin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		invalidRequest(w)
		return
	}
	f := r.PostForm
	if !l.validLoginCSRF(r, f.Get("csrf")) {
		invalidRequest(w)
		return
	}
	username, pw, startURL := strings.TrimSpace(f.Get("username")), f.Get("pw"), localPath(f.Get("startURL"))
	ctx := r.Context()
	ev := loginEvent(r)
	ev.Time = l.now().UTC()
	fail := func(status int, rf refusal) {
		if rf.status != "" {
			ev.Status = rf.status
			if !ev.OrgID.IsZero() {
				ev.Time = l.sessions.OrgNow(ev.OrgID).UTC()
			}
			if err := l.sessions.RecordFailure(ctx, ev); err != nil {
				l.log.ErrorContext(ctx, "recording failed login", "err", err)
			}
		}
		l.loginForm(w, r, status, username, startURL, rf.message)
	}
	if username == "" || pw == "" || len(username) > 255 || len(pw) > 1024 {
		fail(http.StatusOK, refusal{message: msgGeneric})
		return
	}
	p, known, err := l.principal(ctx, username)
	if err != nil {
		l.log.ErrorContext(ctx, "looking up user", "err", err)
		fail(http.StatusInternalServerError, refusal{message: msgServer})
		return
	}
	var o org.Org
	if known {
		ev.OrgID, ev.UserID = p.User.OrgID, p.User.ID
		if o, err = l.dir.Org(ctx, p.User.OrgID); err != nil {
			l.log.ErrorContext(ctx, "loading org", "err", err)
			fail(http.StatusInternalServerError, refusal{message: msgServer})
			return
		}
	}
	out, err := l.passwords.Check(ctx, passwordlogin.Attempt{User: p.User, Known: known, Username: strings.ToLower(username),
		Password: pw, SourceIP: ev.SourceIP, Policy: o.PasswordPolicy})
	if err != nil {
		if ctx.Err() == nil {
			l.log.ErrorContext(ctx, "checking password", "err", err)
		}
		fail(http.StatusInternalServerError, refusal{message: msgServer})
		return
	}
	if rf, ok := checkRefusal(out, known); !ok {
		fail(http.StatusOK, rf)
		return
	}
	if rf, ok := userRefusal(p, ev.SourceIP); !ok {
		fail(http.StatusOK, rf)
		return
	}
	if apiOnly(p) {
		// The password was right, but the UI is closed to API-only users: Salesforce's
		// page, a LoginHistory row, and no session (the webflow reference §2.1).
		ev.Status = org.LoginStatusAPIOnly
		if err := l.sessions.RecordFailure(ctx, ev); err != nil {
			l.log.ErrorContext(ctx, "recording failed login", "err", err)
		}
		writePage(w, http.StatusOK, "apionly", page{Title: "Access Restricted for API Only Users"})
		return
	}
	now := l.sessions.OrgNow(p.User.OrgID).UTC() // the org's time (time travel)
	sess := org.Session{OrgID: p.User.OrgID, UserID: p.User.ID, SourceIP: ev.SourceIP, LoginType: org.LoginSubTypeUILogin,
		CreatedAt: now, LastActivity: now, Timeout: org.SessionTimeout(org.ConnectedApp{}, p.Profile, o)}
	ev.Status, ev.Time = org.LoginStatusSuccess, now
	token, _, err := l.sessions.Issue(ctx, sess, ev)
	if err != nil {
		l.log.ErrorContext(ctx, "issuing UI session", "err", err)
		fail(http.StatusInternalServerError, refusal{message: msgServer})
		return
	}
	// A browser that logs in again (prompt=login, another user) leaves no live session
	// behind.
	if old, err := r.Cookie(SessionCookie); err == nil && old.Value != "" {
		if prev, ok := l.Session(r); ok {
			if _, err := l.sessions.Revoke(ctx, old.Value); err != nil && ctx.Err() == nil {
				l.log.WarnContext(ctx, "revoking the previous UI session", "err", err, "session", prev.ID)
			}
		}
	}
	http.SetCookie(w, cookie(r, SessionCookie, token))
	http.SetCookie(w, expired(r, loginCSRFCookie))
	securityHeaders(w.Header())
	http.Redirect(w, r, startURL, http.StatusFound)
}

// principal loads the user a username names (usernames are unique server-wide and
// compared in lower case). known is false for an unknown username.
func (l *Login) principal(ctx context.Context, username string) (org.Principal, bool, error) {
	id, err := l.dir.UserID(ctx, strings.ToLower(username))
	if errors.Is(err, store.ErrNotFound) {
		return org.Principal{}, false, nil
	}
	if err != nil {
		return org.Principal{}, false, err
	}
	p, err := l.dir.Principal(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return org.Principal{}, false, nil
	}
	return p, err == nil, err
}

// handleLogout is GET|POST /secur/logout.jsp (Salesforce's path): it ends the UI session
// (revoked in the store, not just forgotten by the browser) and goes to the login page.
// It needs no CSRF token: Salesforce logs out on a GET, and a forged logout only ends a
// session.
func (l *Login) handleLogout(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if _, ok := l.Session(r); ok {
		c, _ := r.Cookie(SessionCookie)
		if _, err := l.sessions.Revoke(r.Context(), c.Value); err != nil && r.Context().Err() == nil {
			l.log.WarnContext(r.Context(), "revoking UI session at logout", "err", err)
		}
	}
	http.SetCookie(w, expired(r, SessionCookie))
	securityHeaders(w.Header())
	http.Redirect(w, r, "/", http.StatusFound)
}

// loginEvent is the LoginHistory row of a UI login attempt (the webflow reference §2.2).
func loginEvent(r *http.Request) org.LoginEvent {
	ua := r.UserAgent()
	return org.LoginEvent{
		SourceIP:     sourceIP(r),
		LoginType:    org.LoginTypeApplication,
		LoginSubType: org.LoginSubTypeUILogin,
		Application:  "Browser",
		LoginURL:     r.Host,
		APIType:      "N/A",
		APIVersion:   "N/A",
		Browser:      browserOf(ua),
		Platform:     platformOf(ua),
	}
}

// sourceIP is the client address of the connection (proxies are not trusted).
func sourceIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
