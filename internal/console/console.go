// Package console is Forcefield's Setup console: the pages of Salesforce Setup that the
// client-credentials walk-through needs (Setup Home, Users, Profiles, Permission Sets, App
// Manager with Manage and Edit Policies and Manage Consumer Details, Connected Apps OAuth
// Usage, Login History, Session Management, View Setup Audit Trail, API usage), served
// under Salesforce's own Lightning Setup paths (/lightning/setup/<Page>/home) with
// Salesforce's labels (issue 11; the setup reference ../shared/reference/salesforce-setup.md).
//
// The console is a thin adapter: every change goes through the Setup service (package
// setup) with the logged-in user as the audit trail's actor; pages read the store and the
// Setup cache directly and never write them.
//
// Who may use it (access.go): a UI session (the weblogin cookie) of a user holding
// ViewSetup, ModifyAllData, CustomizeApplication or ManageUsers. Users without any of them
// get "Insufficient Privileges". Users may change only what their permissions cover:
// ManageUsers or ModifyAllData for users, profiles, permission sets and sessions;
// CustomizeApplication or ModifyAllData for apps. ViewSetup alone shows every page read
// only (forms are not rendered and their POSTs are refused).
//
// Every form carries a CSRF token bound to the session and the form (weblogin's), every
// page is html/template-escaped and sent with a Content-Security-Policy that allows no
// script at all, X-Frame-Options DENY and Cache-Control no-store (render.go). A secret the
// console shows (a new consumer secret, a new security token or password) is rendered in
// the response to the POST that created it — never put in a URL, a log or the audit trail.
package console

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/forcefield/forcefield/internal/limits"
	"github.com/forcefield/forcefield/internal/passwordlogin"
	"github.com/forcefield/forcefield/internal/session"
	"github.com/forcefield/forcefield/internal/setup"
	"github.com/forcefield/forcefield/internal/weblogin"
)

// Prefix is the root of every console page: Lightning Setup's.
const Prefix = "/lightning/setup/"

// Config configures a Console.
type Config struct {
	Setup     *setup.Service
	Login     *weblogin.Login        // the UI session and CSRF tokens
	Sessions  *session.Manager       // live sessions (Session Management)
	Passwords *passwordlogin.Checker // re-entering the password before secrets are shown
	Usage     *limits.Counter        // API requests per org (Setup Home, API usage)
	BaseURL   string                 // the instance URL shown on Setup Home and in curl lines
	Logger    *slog.Logger
}

// Console serves the Setup pages. Create it with New.
type Console struct {
	cfg Config
	log *slog.Logger
	now func() time.Time
}

// New returns a Console.
func New(cfg Config) *Console {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Console{cfg: cfg, log: cfg.Logger, now: cfg.Setup.Now}
}

// route is one page: its pattern (method and path under Prefix), the access it needs
// and its handler.
type route struct {
	pattern string
	need    Access
	h       handler
}

// Register adds every page to mux. Each area's file lists its own routes (routes*).
func (c *Console) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /assets/console.css", handleCSS)
	mux.Handle("GET /lightning/setup/{$}", http.RedirectHandler(Prefix+"SetupOneHome/home", http.StatusFound))
	mux.Handle("GET /setup", http.RedirectHandler(Prefix+"SetupOneHome/home", http.StatusFound))
	for _, group := range c.routeGroups() {
		for _, rt := range group {
			mux.Handle(rt.pattern, c.wrap(rt.need, rt.h))
		}
	}
	mux.Handle(Prefix, c.wrap(AccessView, func(w http.ResponseWriter, r *http.Request, v *Viewer) error {
		return errNotFound
	}))
}
