package server

import (
	"github.com/forcefield/forcefield/internal/cluster"
	"github.com/forcefield/forcefield/internal/limits"
	"github.com/forcefield/forcefield/internal/orgclock"
)

// newAppQuotas returns the node's per-app quota counter (issue 14 §4; docs/quotas.md),
// shared with the other nodes through cl's quotas, on each org's own time, refusals
// counted in the metrics.
func (s *Server) newAppQuotas(cl cluster.Coordinator) *limits.AppQuotas {
	// TODO(travel merge): the server's one orgclock.Clock, whose offsets follow the orgs'.
	q := limits.NewAppQuotas(orgclock.New(s.cfg.Now).Org)
	q.Share(cl.Quotas())
	q.Refused = s.metrics.QuotaRefusals()
	return q
}
