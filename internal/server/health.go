package server

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/forcefield/forcefield/internal/store/backend"
)

// Health endpoints for load balancers and orchestrators (docs/operations.md "Health"),
// on the public listener without authentication, and on --metrics-addr:
//
//   - GET /healthz: the process is up and serving — 200 "ok", nothing else checked;
//   - GET /readyz: the database answers and has every migration this binary needs
//     (backend.Backend.Ping) — 200 "ready", or 503 with a short reason. The reason never
//     carries the error itself (which may name hosts and users); the log does.
//
// /readyz is reachable by anyone who can reach the node, so a ping's result is reused for
// readyCacheFor: however often it is polled, it costs the database at most one query a
// second per node.
const readyCacheFor = time.Second

// readyTimeout bounds one ping; a database slower than this is not ready.
const readyTimeout = 2 * time.Second

type readiness struct {
	db  backend.Backend
	now func() time.Time // the wall clock, not Config.Now: tests freeze that one
	log func(msg string, args ...any)

	mu     sync.Mutex
	at     time.Time
	reason string // "" when ready
}

func (s *Server) registerHealth(mux *http.ServeMux) {
	rd := &readiness{db: s.st, now: time.Now, log: s.cfg.Logger.Warn}
	mux.HandleFunc("GET /healthz", handleHealthz)
	mux.HandleFunc("GET /readyz", rd.handle)
}

func handleHealthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte("ok\n"))
}

func (rd *readiness) handle(w http.ResponseWriter, r *http.Request) {
	reason := rd.check(r.Context())
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if reason != "" {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("not ready: " + reason + "\n"))
		return
	}
	w.Write([]byte("ready\n"))
}

// check returns "" when the database is ready, else a short reason; it pings at most
// once per readyCacheFor (callers in between share the last answer).
func (rd *readiness) check(ctx context.Context) string {
	rd.mu.Lock()
	defer rd.mu.Unlock()
	if now := rd.now(); !rd.at.IsZero() && now.Sub(rd.at) < readyCacheFor && now.Sub(rd.at) >= 0 {
		return rd.reason
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), readyTimeout)
	defer cancel()
	rd.reason = ""
	if err := rd.db.Ping(ctx); err != nil {
		rd.reason = readyReason(err)
		rd.log("readyz: not ready", "reason", rd.reason, "err", err)
	}
	rd.at = rd.now()
	return rd.reason
}

// readyReason is a short public text for a failed ping.
func readyReason(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, backend.ErrSchemaBehind):
		return "database schema not up to date"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "database timed out"
	default:
		return "database unreachable"
	}
}
