package oauth

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/forcefield/forcefield/internal/directory"
	"github.com/forcefield/forcefield/internal/session"
	"github.com/forcefield/forcefield/internal/store"
	"github.com/forcefield/forcefield/internal/throttle"
)

// Server holds what the OAuth endpoints need. Create it with NewServer.
type Server struct {
	dir      *directory.Directory
	sessions *session.Manager
	baseURL  string // public URL without a trailing slash: instance_url and the id host
	now      func() time.Time
	log      *slog.Logger
	grants   map[string]grant // by grant_type (grant.go)
	// failures limits failed client authentications per consumer key and source address,
	// and per source address for unknown keys (see docs/security.md).
	failures *throttle.Limiter
	verified *verifiedCache
	certs    certKeys         // parsed JWT bearer certificates
	lockouts store.Lockouts   // invalid password logins; nil disables lockout
	keys     *session.Keyring // JWT access-token signing keys, published at /id/keys
	// grantStore holds authorization codes, refresh tokens and approvals (nil: the
	// authorization_code and refresh_token grants are unavailable, approvals come from
	// the apps' approved users only).
	grantStore store.OAuthGrants
}

// Config configures a Server.
type Config struct {
	Directory *directory.Directory
	Sessions  *session.Manager
	BaseURL   string
	Now       func() time.Time
	Logger    *slog.Logger
	// FailureBurst failed authentications are allowed per consumer key and address, then
	// one more per FailureRefill. Defaults: 10 and 6s (so 10 per minute sustained).
	FailureBurst  int
	FailureRefill time.Duration
	// Lockouts counts invalid password logins (the username-password flow).
	Lockouts store.Lockouts
	// Keys are the signing keys of JWT access tokens (nil: /id/keys is empty).
	Keys *session.Keyring
	// Grants stores authorization codes, refresh tokens and approvals (the web server and
	// refresh token flows; mint.go).
	Grants store.OAuthGrants
}

// NewServer returns a Server with its grants registered.
func NewServer(c Config) *Server {
	if c.Now == nil {
		c.Now = time.Now
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
	s := &Server{
		dir: c.Directory, sessions: c.Sessions, baseURL: c.BaseURL, now: c.Now, log: c.Logger,
		failures: throttle.New(c.FailureBurst, c.FailureRefill, c.Now),
		verified: newVerifiedCache(), lockouts: c.Lockouts, keys: c.Keys, grantStore: c.Grants,
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
}
