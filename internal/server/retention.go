package server

import (
	"context"
	"time"

	"github.com/forcefield/forcefield/internal/retention"
)

// defaultRetentionInterval is how often a node asks whether the history purge is due.
const defaultRetentionInterval = 10 * time.Minute

// retentionJob names the purge among the cluster's timers (cluster.Timers.Due).
const retentionJob = "retention"

// purgeHistory deletes login history and setup audit trail rows past their retention
// (Config.LoginHistoryRetention, Config.AuditRetention; package retention), on one node
// of the cluster per interval: the backend's Cluster().Due decides which (on SQLite, one
// node, it is always due). It returns the rows deleted, for the sweeper's log line.
func (s *Server) purgeHistory(ctx context.Context) (int, error) {
	p := retention.Policy{LoginHistory: s.cfg.LoginHistoryRetention, SetupAudit: s.cfg.AuditRetention}
	if p.LoginHistory <= 0 && p.SetupAudit <= 0 {
		return 0, nil
	}
	now := s.cfg.Now()
	due, err := s.st.Cluster().Due(ctx, retentionJob, now, s.retentionInterval())
	if err != nil || !due {
		return 0, err
	}
	res, err := retention.Purge(ctx, s.st, p, now)
	if res.LoginHistory > 0 || res.SetupAudit > 0 {
		s.cfg.Logger.Info("retention: purged history", "login_history", res.LoginHistory, "setup_audit_trail", res.SetupAudit)
	}
	return 0, err // logged above, by kind; the sweeper logs only errors
}

func (s *Server) retentionInterval() time.Duration {
	if s.cfg.RetentionInterval > 0 {
		return s.cfg.RetentionInterval
	}
	return defaultRetentionInterval
}
