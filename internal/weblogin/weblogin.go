// Package weblogin is Forcefield's browser login: the login page, the UI session cookie,
// CSRF tokens for every form, logout, and a small home page (issue 10 §1; the webflow
// reference ../shared/reference/salesforce-webflow.md §2.1–§2.2).
//
// Routes: GET / (the login page when the browser is not logged in, else "logged in as"),
// GET /login, POST /login (fields username, pw, startURL, csrf), GET|POST
// /secur/logout.jsp, and the stylesheet under /assets/. A successful login sets the cookie
// `sid`, whose value is the access token of a session with LoginType
// UsernamePasswordUiLogin, no connected app and no scopes: it opens the UI, never the API.
// The authorize endpoint (internal/oauth) uses this package through its oauth.Browser
// interface: Session, CSRFToken/ValidCSRF, LoginURL and WritePage.
//
// Salesforce's rules apply (rules.go): API-only users get "Access Restricted for API Only
// Users" after a correct password and no session; inactive users, locked-out users and
// addresses outside the profile's login IP ranges are refused; wrong passwords count
// toward the lockout through the password check the username-password grant uses
// (package passwordlogin); every attempt of a known username is a LoginHistory row.
package weblogin

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/directory"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/passwordlogin"
	"github.com/forcefield/forcefield/internal/session"
	"github.com/forcefield/forcefield/internal/store"
)

// Cookie names. SessionCookie is the UI session (the team's contract); loginCSRFCookie is
// the pre-session value the login form's CSRF token is bound to.
const (
	SessionCookie   = "sid"
	loginCSRFCookie = "login_csrf"
)

// csrfKeySetting is the settings key of the CSRF signing key. In the database, so that
// every node of a future cluster signs and checks with the same key.
const csrfKeySetting = "weblogin.csrf_key"

// Config configures a Login.
type Config struct {
	Directory *directory.Directory
	Sessions  *session.Manager
	Passwords *passwordlogin.Checker
	Settings  store.Settings // holds the CSRF key
	Now       func() time.Time
	Logger    *slog.Logger
}

// Login serves the browser login. Create it with New.
type Login struct {
	dir       *directory.Directory
	sessions  *session.Manager
	passwords *passwordlogin.Checker
	now       func() time.Time
	log       *slog.Logger
	key       []byte // HMAC key of CSRF tokens
}

// New returns a Login, creating the CSRF key on first start.
func New(ctx context.Context, c Config) (*Login, error) {
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	key, err := csrfKey(ctx, c.Settings)
	if err != nil {
		return nil, err
	}
	return &Login{dir: c.Directory, sessions: c.Sessions, passwords: c.Passwords, now: c.Now, log: c.Logger, key: key}, nil
}

// csrfKey reads the CSRF key, or stores a new random one. Two nodes starting together on
// an empty database may both write; the last write wins and a login form served by the
// loser in that instant fails its CSRF check once — harmless.
func csrfKey(ctx context.Context, st store.Settings) ([]byte, error) {
	v, err := st.Setting(ctx, csrfKeySetting)
	if err == nil {
		if key, err := base64.RawURLEncoding.DecodeString(v); err == nil && len(key) == 32 {
			return key, nil
		}
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("weblogin: reading the CSRF key: %w", err)
	}
	key := make([]byte, 32)
	rand.Read(key)
	if err := st.PutSetting(ctx, csrfKeySetting, base64.RawURLEncoding.EncodeToString(key)); err != nil {
		return nil, fmt.Errorf("weblogin: storing the CSRF key: %w", err)
	}
	return key, nil
}

// Register adds the login routes to mux.
func (l *Login) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", l.handleRoot)
	mux.HandleFunc("GET /login", l.handleLoginPage)
	mux.HandleFunc("POST /login", l.handleLogin)
	mux.HandleFunc("/secur/logout.jsp", l.handleLogout)
	mux.HandleFunc("GET /assets/forcefield.css", handleCSS)
}

// Session returns the live UI session of the request's sid cookie. A token of any other
// kind of session (an API access token pasted into the cookie) is not a UI session.
func (l *Login) Session(r *http.Request) (org.Session, bool) {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return org.Session{}, false
	}
	sess, err := l.sessions.Validate(r.Context(), c.Value)
	if err != nil || sess.LoginType != org.LoginSubTypeUILogin || !sess.AppID.IsZero() {
		return org.Session{}, false
	}
	return sess, true
}

// mac is base64url(HMAC-SHA256(key, purpose NUL value)).
func (l *Login) mac(purpose, value string) string {
	m := hmac.New(sha256.New, l.key)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// CSRFToken is the CSRF token of form for the request's UI session: an HMAC of the form's
// name and the session cookie, so it is valid for that session and that form only, and
// a page served to one session is useless to another. "" without a session cookie.
func (l *Login) CSRFToken(r *http.Request, form string) string {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return ""
	}
	return l.mac("form:"+form, c.Value)
}

// ValidCSRF reports whether token is the CSRF token of form for the request's session,
// and the request does not come from another site's page (sameOrigin).
func (l *Login) ValidCSRF(r *http.Request, form, token string) bool {
	want := l.CSRFToken(r, form)
	return want != "" && hmac.Equal([]byte(want), []byte(token)) && sameOrigin(r)
}

// sameOrigin is a second line behind the tokens: a browser's POST carries Origin, and one
// naming another host than the request's is refused. Requests without Origin (curl,
// scripts, older browsers) and with the opaque "null" (privacy modes, pages whose
// referrer policy is no-referrer) rely on the token alone.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" || o == "null" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && u.Host != "" && strings.EqualFold(u.Host, r.Host)
}

// loginCSRF returns the login form's CSRF token and the pre-session cookie it is bound
// to, setting a new cookie when the browser has none.
func (l *Login) loginCSRF(w http.ResponseWriter, r *http.Request) string {
	v := ""
	if c, err := r.Cookie(loginCSRFCookie); err == nil && len(c.Value) == 43 {
		v = c.Value
	} else {
		b := make([]byte, 32)
		rand.Read(b)
		v = base64.RawURLEncoding.EncodeToString(b)
		http.SetCookie(w, cookie(r, loginCSRFCookie, v))
	}
	return l.mac("login", v)
}

// validLoginCSRF checks the login form's token against the pre-session cookie.
func (l *Login) validLoginCSRF(r *http.Request, token string) bool {
	c, err := r.Cookie(loginCSRFCookie)
	if err != nil || c.Value == "" {
		return false
	}
	return hmac.Equal([]byte(l.mac("login", c.Value)), []byte(token)) && sameOrigin(r)
}

// cookie is a cookie of this package: HttpOnly, SameSite=Lax, Path=/, and Secure when the
// request came over TLS (a Secure cookie set over plain HTTP would never come back).
func cookie(r *http.Request, name, value string) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil}
}

// expired is a cookie that deletes name.
func expired(r *http.Request, name string) *http.Cookie {
	c := cookie(r, name, "")
	c.MaxAge = -1
	return c
}

// LoginURL is the login page that continues to startURL (a local path) after the login,
// with the username pre-filled from loginHint. Salesforce's own redirect carries ec=302
// (the webflow reference §1.1); Forcefield keeps it for look-alike URLs.
func (l *Login) LoginURL(startURL, loginHint string) string {
	return loginURL(startURL, loginHint)
}

// WritePage writes an HTML page in the login pages' frame: body is the page's content.
func (l *Login) WritePage(w http.ResponseWriter, status int, title string, body template.HTML) {
	writePage(w, status, "frame", page{Title: title, Body: body})
}
