package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"time"

	"github.com/forcefield/forcefield/internal/retention"
	"github.com/forcefield/forcefield/internal/server"
	"github.com/forcefield/forcefield/internal/store/backend"
)

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "", stderr)
	var cfg server.Config
	var level string
	fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:8080", "listen address")
	fs.StringVar(&cfg.DB, "db", "forcefield.db", "database: a SQLite file (created if missing) or a postgres://user:pass@host/db URL for several nodes on one PostgreSQL (also $FORCEFIELD_DB)")
	fs.StringVar(&cfg.BaseURL, "base-url", "", "public URL used in instance_url and id (default http://<addr>)")
	fs.StringVar(&cfg.OrgFile, "org-file", "", "org definition file (YAML or JSON) applied at start")
	fs.StringVar(&cfg.AdminToken, "admin-token", "", "admin API token (default: generated at first start and printed once)")
	fs.DurationVar(&cfg.FlushInterval, "session-flush", 15*time.Second, "how often session activity is written to the database")
	fs.StringVar(&cfg.DebugAddr, "debug-addr", "", "serve Go profiling (/debug/pprof/) on this address, e.g. 127.0.0.1:6060 (off by default)")
	fs.StringVar(&cfg.MetricsAddr, "metrics-addr", "", "serve Prometheus metrics at /metrics on this address, e.g. 127.0.0.1:9090 (off by default; never on --addr, see docs/operations.md)")
	fs.DurationVar(&cfg.LoginHistoryRetention, "login-history-retention", retention.DefaultLoginHistory, "delete login history older than this (Salesforce shows six months); 0 keeps it forever")
	fs.DurationVar(&cfg.AuditRetention, "audit-retention", retention.DefaultSetupAudit, "delete setup audit trail rows older than this (Salesforce keeps 180 days); 0 keeps them forever")
	fs.StringVar(&cfg.TLSAddr, "tls-addr", "", "also serve HTTPS on this address, e.g. 127.0.0.1:8443 (needs --tls-cert and --tls-key; see docs/tls.md)")
	fs.StringVar(&cfg.TLSCertFile, "tls-cert", "", "PEM certificate for --tls-addr (make a local one with `forcefield tls-cert`)")
	fs.StringVar(&cfg.TLSKeyFile, "tls-key", "", "PEM private key for --tls-addr")
	fs.StringVar(&level, "log-level", "info", "log level: debug, info, warn or error")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("serve takes no arguments, got %q", fs.Args())
	}
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	cfg.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: lv}))
	// The live heap is small (tens of MB) while the token path allocates fast, so the
	// default GOGC=100 runs the collector very often; 400 measured ~12% more tokens/s
	// (docs/performance.md) for a few hundred MB at most. GOGC in the environment wins.
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(400)
	}
	cfg.Out = stdout
	s, err := server.Open(ctx, cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Forcefield %s listening on http://%s (base URL %s, database %s)\n", version, s.Addr(), s.BaseURL(), backend.Redact(cfg.DB))
	if u := s.TLSURL(); u != "" {
		fmt.Fprintf(stdout, "Forcefield %s listening on %s (certificate %s)\n", version, u, cfg.TLSCertFile)
	}
	return s.Run(ctx)
}
