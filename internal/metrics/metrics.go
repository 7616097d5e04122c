// Package metrics is what a Forcefield node tells Prometheus about itself
// (github.com/prometheus/client_golang), served at /metrics on --metrics-addr (and on
// --debug-addr), never on the public listener: the figures reveal traffic.
//
// Each Metrics has its own registry (no globals: tests run many servers in one process).
// Every label has a bounded set of values; nothing a client sends becomes a label as it is.
//
//	forcefield_oauth_tokens_issued_total{grant_type}
//	    Token requests answered with a token, by grant_type (client_credentials, password,
//	    urn:ietf:params:oauth:grant-type:jwt-bearer, authorization_code, refresh_token).
//	forcefield_oauth_tokens_refused_total{grant_type, error, reason}
//	    Token requests refused: error is the OAuth error code sent (invalid_grant, …),
//	    reason the LoginHistory status recorded ("Invalid Password", "Restricted IP", …).
//	    An unknown grant_type is counted as grant_type="unsupported".
//	forcefield_app_quota_refusals_total{window, app}
//	    Requests a connected app's per-app quota refused (quotas.go; docs/quotas.md).
//	forcefield_http_request_duration_seconds{route} (histogram)
//	    Time from the request's arrival to the end of its handler, by route family
//	    (RouteFamily: oauth_token, oauth, identity, data_sobjects, data_query, …).
//	forcefield_sessions_cached
//	    Sessions this node holds in memory: those used since they were last swept or
//	    trimmed (session.Manager.Cached). Per node; not the sessions in the database
//	    (a token issued and never used is not counted).
//	forcefield_session_commit_duration_seconds (histogram)
//	    Duration of each group commit of new sessions and login-history rows
//	    (session.Manager's committer): one database transaction per batch.
//	forcefield_session_commit_rows (histogram)
//	    Rows (sessions plus login-history rows) per group commit.
//	forcefield_session_commit_errors_total
//	    Group commits that failed (every request in the batch was refused).
//	forcefield_db_pool_connections{pool, state="in_use"|"idle"}, forcefield_db_pool_max_connections{pool}
//	forcefield_db_pool_waits_total{pool}, forcefield_db_pool_wait_seconds_total{pool}
//	    The backend's connection pools (backend.PoolStats), read at scrape.
//	forcefield_db_info{backend}
//	    1, labelled with the backend kind ("sqlite" or "postgres").
//	forcefield_bulk_jobs{state}
//	    Stored bulk jobs by state (Open, UploadComplete, InProgress, JobComplete, Failed,
//	    Aborted, Closed), counted at scrape by one indexed query; absent when it fails.
//
// plus the Go runtime's and the process's standard collectors (go_*, process_*).
package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is one node's metrics. Its methods are safe for concurrent use; a nil *Metrics
// records nothing.
type Metrics struct {
	reg *prometheus.Registry

	issued    *prometheus.CounterVec
	refused   *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	byRoute   map[string]prometheus.Observer // latency's child per route family, made once
	commit    prometheus.Histogram
	commitN   prometheus.Histogram
	commitErr prometheus.Counter
}

// latencyBuckets span a cached bearer read (~0.2 ms) to a slow bulk upload. The issue's
// goal, p99 under 20 ms, falls between two buckets' bounds so it can be read off.
var latencyBuckets = []float64{.0005, .001, .0025, .005, .01, .02, .05, .1, .25, .5, 1, 2.5, 5, 10}

// New returns Metrics with the counters and histograms registered; Watch adds the
// gauges read at scrape.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.issued = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "forcefield_oauth_tokens_issued_total",
		Help: "Token requests answered with a token, by grant type.",
	}, []string{"grant_type"})
	m.refused = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "forcefield_oauth_tokens_refused_total",
		Help: "Token requests refused, by grant type, OAuth error code and LoginHistory status.",
	}, []string{"grant_type", "error", "reason"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "forcefield_http_request_duration_seconds",
		Help:    "HTTP request latency by route family.",
		Buckets: latencyBuckets,
	}, []string{"route"})
	m.byRoute = make(map[string]prometheus.Observer, len(routes))
	for _, r := range routes {
		m.byRoute[r] = m.latency.WithLabelValues(r)
	}
	m.commit = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "forcefield_session_commit_duration_seconds",
		Help:    "Duration of each group commit of new sessions and login-history rows.",
		Buckets: []float64{.0002, .0005, .001, .002, .005, .01, .02, .05, .1, .25, 1},
	})
	m.commitN = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "forcefield_session_commit_rows",
		Help:    "Sessions plus login-history rows written per group commit.",
		Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024},
	})
	m.commitErr = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "forcefield_session_commit_errors_total",
		Help: "Group commits of sessions and login history that failed.",
	})
	m.reg.MustRegister(m.issued, m.refused, m.latency, m.commit, m.commitN, m.commitErr,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the registry in Prometheus's exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// TokenIssued counts a token request answered with a token (oauth.TokenObserver).
func (m *Metrics) TokenIssued(grantType string) {
	if m != nil {
		m.issued.WithLabelValues(grantType).Inc()
	}
}

// TokenRefused counts a refused token request (oauth.TokenObserver). The caller passes
// only values from a bounded set: a registered grant type or "unsupported", an error code
// and LoginHistory status from the oauth package's fixed errors.
func (m *Metrics) TokenRefused(grantType, code, reason string) {
	if m != nil {
		m.refused.WithLabelValues(grantType, code, reason).Inc()
	}
}

// Commit records one group commit of rows rows that took d (session.Options.OnCommit).
func (m *Metrics) Commit(rows int, d time.Duration, err error) {
	if m == nil {
		return
	}
	m.commit.Observe(d.Seconds())
	m.commitN.Observe(float64(rows))
	if err != nil {
		m.commitErr.Inc()
	}
}
