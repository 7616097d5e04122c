package oauth

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/forcefield/forcefield/internal/directory"
	"github.com/forcefield/forcefield/internal/faults"
	"github.com/forcefield/forcefield/internal/limits"
	"github.com/forcefield/forcefield/internal/orgclock"
	"github.com/forcefield/forcefield/internal/passwordlogin"
	"github.com/forcefield/forcefield/internal/session"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
	"github.com/forcefield/forcefield/internal/throttle"
)

// Server holds what the OAuth endpoints need. Create it with NewServer.
type Server struct {
	dir      *directory.Directory
	sessions *session.Manager
	baseURL  string // public URL without a trailing slash: instance_url and the id host
	now      func() time.Time
	// orgNow is an org's time (time travel, package orgclock): everything about one org —
	// its sessions, codes, refresh tokens, credentials' expiry, login history — uses it.
	orgNow func(sfid.ID) time.Time
	log    *slog.Logger
	grants map[string]grant // by grant_type (grant.go)
	// failures limits failed client authentications per consumer key and source address,
	// and per source address for unknown keys (see docs/security.md).
	failures *throttle.Limiter
	verified *verifiedCache
	certs    certKeys // parsed JWT bearer certificates
	// passwords checks passwords with throttling and lockout (shared with the browser
	// login, package passwordlogin).
	passwords *passwordlogin.Checker
	keys      *session.Keyring // JWT access-token signing keys, published at /id/keys
	// grantStore holds authorization codes, refresh tokens and approvals (nil: the
	// authorization_code and refresh_token grants are unavailable, approvals come from
	// the apps' approved users only).
	grantStore store.OAuthGrants

	// The authorize endpoint's (authorize.go); a nil browser leaves it unregistered.
	browser      Browser
	authRequests store.AuthRequests
	// pending limits the pending authorize requests one source address may leave
	// (authorize.go): every valid authorize writes a row that only its completion or
	// expiry removes.
	pending *throttle.Limiter
	observe TokenObserver     // observe.go; never nil
	faults  *faults.Engine    // faults on demand (faults.go); nil: none
	quotas  *limits.AppQuotas // quota.go; nil: no per-app quotas
}

// Config configures a Server.
type Config struct {
	Directory *directory.Directory
	Sessions  *session.Manager
	BaseURL   string
	Now       func() time.Time
	// Clock tells each org's time (time travel); nil: every org is on Now.
	Clock  *orgclock.Clock
	Logger *slog.Logger
	// FailureBurst failed authentications are allowed per consumer key and address, then
	// one more per FailureRefill. Defaults: 10 and 6s (so 10 per minute sustained).
	FailureBurst  int
	FailureRefill time.Duration
	// Lockouts counts invalid password logins (the username-password flow).
	Lockouts store.Lockouts
	// Keys are the signing keys of JWT access tokens (nil: /id/keys is empty).
	Keys *session.Keyring
	// Passwords is the password check to share with the browser login; nil: one over
	// Lockouts and the client-authentication failure limiter.
	Passwords *passwordlogin.Checker
	// Grants stores authorization codes, refresh tokens and approvals (the web server and
	// refresh token flows; mint.go).
	Grants store.OAuthGrants

	// Browser is the browser login the authorize endpoint sends users to (package
	// weblogin); AuthRequests stores pending authorize requests. With a nil Browser there
	// is no authorize endpoint.
	Browser      Browser
	AuthRequests store.AuthRequests
	// Faults answers token requests with the faults injected on demand (issue 14 §1).
	Faults *faults.Engine
	// PendingBurst authorize requests may be left pending per source address at once,
	// then one more per PendingRefill; a completed request gives its token back.
	// Defaults: 300 and 100ms (10 a second sustained, so at most ~9,000 abandoned rows
	// per address live within the requests' 15 minutes).
	PendingBurst  int
	PendingRefill time.Duration
	// Observe is told every token request's outcome (observe.go); nil: nobody.
	Observe TokenObserver
	// Quotas counts and enforces the apps' token quotas (quota.go); nil: none.
	Quotas *limits.AppQuotas
}

// NewServer returns a Server with its grants registered.
func NewServer(c Config) *Server {
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Clock == nil {
		c.Clock = orgclock.New(c.Now)
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.FailureBurst <= 0 {
		c.FailureBurst = 10
	}
	if c.FailureRefill <= 0 {
		c.FailureRefill = 6 * time.Second
	}
	if c.PendingBurst <= 0 {
		c.PendingBurst = 300
	}
	if c.PendingRefill <= 0 {
		c.PendingRefill = 100 * time.Millisecond
	}
	s := &Server{
		dir: c.Directory, sessions: c.Sessions, baseURL: c.BaseURL, now: c.Now, orgNow: c.Clock.Org, log: c.Logger,
		failures: throttle.New(c.FailureBurst, c.FailureRefill, c.Now),
		verified: newVerifiedCache(), keys: c.Keys, passwords: c.Passwords, grantStore: c.Grants,
		browser: c.Browser, authRequests: c.AuthRequests,
		pending: throttle.New(c.PendingBurst, c.PendingRefill, c.Now), faults: c.Faults, quotas: c.Quotas,
	}
	if s.observe = c.Observe; s.observe == nil {
		s.observe = noObserver{}
	}
	if s.passwords == nil {
		s.passwords = passwordlogin.New(s.failures, c.Lockouts, c.Now, c.Logger)
	}
	s.grants = s.newGrants()
	return s
}

// Register adds the OAuth and identity routes to mux.
func (s *Server) Register(mux *http.ServeMux) {
	mux.HandleFunc("/services/oauth2/token", s.handleToken)
	mux.HandleFunc("/services/oauth2/revoke", s.handleRevoke)
	mux.HandleFunc("/services/oauth2/introspect", s.handleIntrospect)
	mux.HandleFunc("/services/oauth2/userinfo", s.handleUserInfo)
	mux.HandleFunc("GET /id/keys", s.handleJWKS)
	mux.HandleFunc("/id/{org}/{user}", s.handleIdentity)
	mux.HandleFunc("GET /.well-known/openid-configuration", s.handleDiscovery)
	if s.browser != nil {
		mux.HandleFunc("/services/oauth2/authorize", s.handleAuthorize)
		mux.HandleFunc("GET "+approvalPath, s.handleApprovalPage)
		mux.HandleFunc("POST "+approvalPath, s.handleApproval)
		mux.HandleFunc("GET "+errorPagePath, s.handleErrorPage)
	}
}
