package server

import (
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/forcefield/forcefield/internal/metrics"
	"github.com/forcefield/forcefield/internal/oauth"
)

// Prometheus metrics (package metrics) are served on their own listener, --metrics-addr,
// and only there: the public listener is what clients and the load balancer reach, and
// the figures (token rates per grant, refusals per reason, request rates per API, pool
// sizes) describe the traffic. A loopback check on the public listener would not do —
// a reverse proxy on the same host makes every client look like loopback — and the
// admin token is too strong a secret to hand to a scraper. Without --metrics-addr
// nothing is collected (every hook is nil) and the token path pays nothing.

// newMetrics returns the node's metrics, or nil without --metrics-addr.
func newMetrics(cfg Config) *metrics.Metrics {
	if cfg.MetricsAddr == "" {
		return nil
	}
	return metrics.New()
}

// onCommit is the session committer's hook, nil without metrics.
func (s *Server) onCommit() func(int, time.Duration, error) {
	if s.metrics == nil {
		return nil
	}
	return s.metrics.Commit
}

// tokenObserver is the token endpoint's hook, nil without metrics.
func (s *Server) tokenObserver() oauth.TokenObserver {
	if s.metrics == nil {
		return nil
	}
	return s.metrics
}

// serveMetrics starts the --metrics-addr listener: /metrics, and /healthz and /readyz
// for probes that should not go through the public listener.
func (s *Server) serveMetrics() error {
	if s.metrics == nil {
		return nil
	}
	s.metrics.Watch(s.st, s.sessions.Cached)
	ln, err := net.Listen("tcp", s.cfg.MetricsAddr)
	if err != nil {
		return fmt.Errorf("listen on --metrics-addr %s: %w", s.cfg.MetricsAddr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.metrics.Handler())
	s.registerHealth(mux)
	s.metricsSrv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	s.metricsLn = ln
	go s.metricsSrv.Serve(ln)
	return nil
}

// MetricsAddr is the address /metrics is served on, or nil without --metrics-addr.
func (s *Server) MetricsAddr() net.Addr {
	if s.metricsLn == nil {
		return nil
	}
	return s.metricsLn.Addr()
}
