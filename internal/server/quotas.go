package server

import (
	"github.com/forcefield/forcefield/internal/cluster"
	"github.com/forcefield/forcefield/internal/limits"
)

// newAppQuotas returns the node's per-app quota counter (issue 14 §4; docs/quotas.md),
// shared with the other nodes through cl's quotas, on each org's own time, refusals
// counted in the metrics.
func (s *Server) newAppQuotas(cl cluster.Coordinator) *limits.AppQuotas {
	q := limits.NewAppQuotas(s.clock.Org) // the server's org clock: offsets follow travel
	q.Share(cl.Quotas())
	q.Refused = s.metrics.QuotaRefusals()
	return q
}
