// Package server wires Forcefield together and runs it: it listens, opens the store,
// bootstraps the org (the demo org on first start, or an org file), registers the OAuth,
// data API and admin routes, and shuts down gracefully — in-flight requests finish, queued
// logins are committed, session activity is flushed and the database is closed cleanly.
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/admin"
	"github.com/forcefield/forcefield/internal/bulk"
	"github.com/forcefield/forcefield/internal/bulkv1"
	"github.com/forcefield/forcefield/internal/bulkv2"
	"github.com/forcefield/forcefield/internal/console"
	"github.com/forcefield/forcefield/internal/dataapi"
	"github.com/forcefield/forcefield/internal/directory"
	"github.com/forcefield/forcefield/internal/faults"
	"github.com/forcefield/forcefield/internal/httpgzip"
	"github.com/forcefield/forcefield/internal/limits"
	"github.com/forcefield/forcefield/internal/metrics"
	"github.com/forcefield/forcefield/internal/oauth"
	"github.com/forcefield/forcefield/internal/orgclock"
	"github.com/forcefield/forcefield/internal/passwordlogin"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/reqlog"
	"github.com/forcefield/forcefield/internal/session"
	"github.com/forcefield/forcefield/internal/setup"
	"github.com/forcefield/forcefield/internal/store/backend"
	"github.com/forcefield/forcefield/internal/throttle"
	"github.com/forcefield/forcefield/internal/weblogin"
)

// Config is everything `forcefield serve` is told.
type Config struct {
	Addr string // listen address; default 127.0.0.1:8080
	// DB names the storage backend: a SQLite file path (created if missing; default
	// ./forcefield.db) or a postgres:// URL (docs/operations.md "Several nodes").
	DB         string
	BaseURL    string // public URL for instance_url and id; default http://<listen address>
	OrgFile    string // optional org file applied at start
	AdminToken string // optional; replaces the stored admin token when set
	DebugAddr  string // optional listen address for /debug/pprof/
	// MetricsAddr, when set, is a listen address serving Prometheus metrics at /metrics
	// (and /healthz, /readyz); see metrics.go for why not on Addr.
	MetricsAddr string
	// LoginHistoryRetention and AuditRetention are how long login history and setup
	// audit trail rows are kept (0: forever); RetentionInterval how often the purge runs
	// (default 10m). See retention.go.
	LoginHistoryRetention time.Duration
	AuditRetention        time.Duration
	RetentionInterval     time.Duration
	// TLSAddr, when set, is a second listen address serving the same handler over HTTPS
	// with the PEM certificate TLSCertFile and key TLSKeyFile (docs/tls.md).
	TLSAddr     string
	TLSCertFile string
	TLSKeyFile  string

	Now           func() time.Time
	Logger        *slog.Logger
	Out           io.Writer     // where first-start credentials are printed; default io.Discard
	FlushInterval time.Duration // session activity flush; default 15s
	ShutdownGrace time.Duration // how long in-flight requests may take at shutdown; default 10s
	// CredentialSweepInterval is how often expired consumer credentials are deleted;
	// default 1m. Expired pairs stop authenticating at their expiry regardless.
	CredentialSweepInterval time.Duration
	// SigningKeyPeriod is how long one JWT access-token signing key signs (default 24h);
	// SigningKeyOverlap is how long a key is published before it signs (default 1h). Key
	// rotation is checked every KeyRotationInterval (default 1m). See docs/operations.md.
	SigningKeyPeriod    time.Duration
	SigningKeyOverlap   time.Duration
	KeyRotationInterval time.Duration
	// BodyIdleTimeout cuts a connection whose request body sends no byte for that long
	// (default DefaultBodyIdleTimeout, 60s; see bodytimeout.go and docs/operations.md).
	BodyIdleTimeout time.Duration

	noFaults bool // benchmarks: no faults engine, to measure the hooks' cost (faults.go)
}

func (c *Config) defaults() {
	if c.Addr == "" {
		c.Addr = "127.0.0.1:8080"
	}
	if c.DB == "" {
		c.DB = "forcefield.db"
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Out == nil {
		c.Out = io.Discard
	}
	if c.ShutdownGrace <= 0 {
		c.ShutdownGrace = 10 * time.Second
	}
	if c.CredentialSweepInterval <= 0 {
		c.CredentialSweepInterval = time.Minute
	}
	if c.KeyRotationInterval <= 0 {
		c.KeyRotationInterval = time.Minute
	}
	if c.BodyIdleTimeout <= 0 {
		c.BodyIdleTimeout = DefaultBodyIdleTimeout
	}
}

// Server is a running Forcefield.
type Server struct {
	cfg        Config
	ln         net.Listener
	st         backend.Backend
	sessions   *session.Manager
	setup      *setup.Service
	bulk       *bulk.Engine
	dir        *directory.Directory
	clock      *orgclock.Clock // each org's time (clock.go)
	keys       *session.Keyring
	usage      *limits.Counter
	faults     *faults.Engine // faults on demand (issue 14 §1)
	http       *http.Server
	debug      *http.Server
	metrics    *metrics.Metrics // nil without Config.MetricsAddr (metrics.go)
	metricsSrv *http.Server
	metricsLn  net.Listener
	baseURL    string
	tls        *tlsListener // nil without Config.TLSAddr
}

// Open listens on cfg.Addr, opens and bootstraps the store, and builds the handlers.
// Call Run to serve. On error everything opened is closed again.
func Open(ctx context.Context, cfg Config) (_ *Server, err error) {
	cfg.defaults()
	cfg.Logger = slog.New(reqlog.Handler{Handler: cfg.Logger.Handler()})
	s := &Server{cfg: cfg}
	defer func() {
		if err != nil {
			s.closeAll()
		}
	}()
	if s.ln, err = net.Listen("tcp", cfg.Addr); err != nil {
		return nil, fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	s.baseURL = strings.TrimSuffix(cfg.BaseURL, "/")
	if s.baseURL == "" {
		s.baseURL = "http://" + s.ln.Addr().String()
	}
	if cfg.TLSAddr != "" {
		if s.tls, err = listenTLS(cfg); err != nil {
			return nil, err
		}
	}
	st, err := backend.Open(ctx, cfg.DB)
	if err != nil { // st may be a typed nil: closeAll must not see it
		return nil, fmt.Errorf("open database %s: %w", backend.Redact(cfg.DB), err)
	}
	s.st = st
	// What this node caches stays correct with other nodes on the same database
	// (cluster.Local on SQLite: one node; docs/cluster.md).
	cl := s.st.Cluster()
	dir := directory.New(s.st)
	dir.Share(cl)
	s.dir = dir
	s.metrics = newMetrics(cfg)
	// Each org's time: the server's plus the org's clock offset, read from the Setup
	// cache (time travel, issue 14 §2; clock.go).
	s.clock = orgClock(cfg.Now, dir)
	s.sessions = session.NewManager(s.st, session.Options{Now: cfg.Now, Clock: s.clock, FlushInterval: cfg.FlushInterval, Logger: cfg.Logger, OnCommit: s.onCommit(), Cluster: cl})
	// Every Setup change — the org file at start, the admin API, the console — goes through
	// this one service (issue 11 §2).
	s.setup = setup.New(s.st, dir, s.sessions, cfg.Now, cfg.Logger)
	s.setup.Clock = s.clock
	s.setup.Seed = s.seed
	if err := s.openFaults(ctx, cl); err != nil { // faults.go
		return nil, err
	}
	if err := s.bootstrap(ctx); err != nil {
		return nil, err
	}
	s.keys = session.NewKeyring(s.st, session.KeyringOptions{Now: cfg.Now, Period: cfg.SigningKeyPeriod, Overlap: cfg.SigningKeyOverlap, Cluster: cl})
	if err := s.keys.Maintain(ctx); err != nil {
		return nil, fmt.Errorf("JWT signing keys: %w", err)
	}
	if err := s.sessions.EnableJWT(ctx, s.keys, s.baseURL); err != nil {
		return nil, err
	}

	mux := http.NewServeMux()
	// One password check for the password grant and the browser login (issue 10 §1).
	passwords := passwordlogin.New(throttle.New(10, 6*time.Second, cfg.Now), s.st, cfg.Now, cfg.Logger)
	passwords.SetClock(s.clock)
	web, err := weblogin.New(ctx, weblogin.Config{Directory: dir, Sessions: s.sessions, Passwords: passwords, Settings: s.st, Now: cfg.Now, Logger: cfg.Logger})
	if err != nil {
		return nil, err
	}
	web.Register(mux)
	quotas := s.newAppQuotas(cl) // quotas.go
	oauth.NewServer(oauth.Config{Directory: dir, Sessions: s.sessions, BaseURL: s.baseURL, Now: cfg.Now, Clock: s.clock, Logger: cfg.Logger,
		Lockouts: s.st, Keys: s.keys, Passwords: passwords, Browser: web, Grants: s.st, AuthRequests: s.st, Observe: s.tokenObserver(),
		Faults: s.faults, Quotas: quotas}).Register(mux)
	usage := limits.New(cfg.Now)
	usage.SetClock(s.clock)
	usage.Share(cl.Quotas())
	usage.Listen(cl)
	s.usage = usage
	cats := records.NewCatalogs(s.st, dir)
	api := dataapi.New(dir, s.sessions, usage, s.baseURL, cfg.Logger)
	api.EnableData(s.st, cats, cfg.Now)
	api.Faults = s.faults
	api.SetClock(s.clock)
	api.ShareCursorSweep(cl)
	api.EnableQuotas(quotas)
	s.bulk = bulk.New(bulk.Config{Store: s.st, Records: s.st, Catalogs: cats, Dir: dir, Usage: usage, Timers: cl,
		Now: cfg.Now, Clock: s.clock, Logger: cfg.Logger, Decoders: bulkv1.Decoders(), Encoders: bulkv1.Encoders()})
	if err := s.bulk.Start(ctx); err != nil {
		return nil, err
	}
	bulkv2.Register(api, s.bulk, cfg.Logger)
	mux.Handle(bulkv1.Prefix, bulkv1.New(api, s.bulk, cfg.Logger))
	api.Register(mux)
	adm := admin.New(s.setup, s.sessions, cfg.Logger)
	console.New(console.Config{Setup: s.setup, Login: web, Sessions: s.sessions, Passwords: passwords, Usage: usage,
		BaseURL: s.baseURL, Logger: cfg.Logger}).Register(mux)
	adm.Bulk = s.st
	adm.Faults, adm.Usage = s.faults, usage
	adm.Quotas = quotas
	adm.Register(mux)
	s.registerHealth(mux) // health.go
	s.http = &http.Server{
		Handler: s.metrics.Middleware(withBodyIdleTimeout(reqlog.Middleware(withRecovery(withSingleSlashes(oauth.SalesforceHosts(httpgzip.DecodeRequests(withJSONNotFound(mux)))), cfg.Logger)),
			cfg.BodyIdleTimeout)),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelWarn),
		ConnContext:       s.connContext,
	}
	if cfg.DebugAddr != "" {
		dln, err := net.Listen("tcp", cfg.DebugAddr)
		if err != nil {
			return nil, fmt.Errorf("listen on --debug-addr %s: %w", cfg.DebugAddr, err)
		}
		s.debug = serveDebug(dln)
	}
	if err := s.serveMetrics(); err != nil {
		return nil, err
	}
	return s, nil
}

// BaseURL is the public URL the server announces.
func (s *Server) BaseURL() string { return s.baseURL }

// Addr is the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Run serves until ctx is cancelled, then shuts down gracefully and returns.
func (s *Server) Run(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(s.ln) }()
	if s.tls != nil {
		go func() { errc <- s.http.Serve(s.tls.ln) }()
	}
	sweepCtx, stopSweep := context.WithCancel(ctx)
	swept := make(chan struct{})
	go s.sweeper(sweepCtx, s.cfg.CredentialSweepInterval, swept, "expired consumer credentials", s.setup.SweepExpiredCredentials)
	rotated := make(chan struct{})
	go s.keyRotator(sweepCtx, s.cfg.KeyRotationInterval, rotated)
	codesSwept := make(chan struct{})
	go s.sweeper(sweepCtx, s.cfg.CredentialSweepInterval, codesSwept, "expired authorization codes", s.sweepAuthCodes)
	purged := make(chan struct{})
	go s.sweeper(sweepCtx, s.retentionInterval(), purged, "history past its retention", s.purgeHistory) // retention.go

	s.cfg.Logger.Info("forcefield serving", "addr", s.ln.Addr().String(), "tls_addr", s.TLSAddr(), "base_url", s.baseURL, "db", backend.Redact(s.cfg.DB))
	var serveErr error
	select {
	case serveErr = <-errc:
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownGrace)
	defer cancel()
	if err := s.http.Shutdown(shutdownCtx); err != nil {
		s.cfg.Logger.Warn("shutdown: in-flight requests did not finish in time", "err", err)
	}
	stopSweep()
	<-swept // before the store closes
	<-rotated
	<-codesSwept
	<-purged
	if closeErr := s.closeAll(); closeErr != nil && serveErr == nil {
		serveErr = closeErr
	}
	if errors.Is(serveErr, http.ErrServerClosed) {
		serveErr = nil
	}
	s.cfg.Logger.Info("forcefield stopped")
	return serveErr
}

// closeAll releases what Open acquired, in reverse order.
func (s *Server) closeAll() error {
	var errs []error
	if s.debug != nil {
		s.debug.Close()
		s.debug = nil
	}
	if s.metricsSrv != nil {
		s.metricsSrv.Close()
		s.metricsSrv = nil
	} else if s.metricsLn != nil {
		s.metricsLn.Close()
	}
	if s.bulk != nil {
		s.bulk.Close() // before the store: a worker may be committing a chunk
		s.bulk = nil
	}
	if s.sessions != nil {
		errs = append(errs, s.sessions.Close())
		s.sessions = nil
	}
	if s.usage != nil {
		errs = append(errs, s.usage.Close()) // gives the other nodes this one's unspent limit units
		s.usage = nil
	}
	if s.st != nil {
		errs = append(errs, s.st.Close())
		s.st = nil
	}
	if s.ln != nil {
		s.ln.Close()
	}
	if s.tls != nil {
		s.tls.ln.Close()
	}
	return errors.Join(errs...)
}
