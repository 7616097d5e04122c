package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/forcefield/forcefield/internal/limits"
	"github.com/forcefield/forcefield/internal/sfid"
)

// QuotaRefusals registers
//
//	forcefield_app_quota_refusals_total{window, app}
//	    Requests a connected app's per-app quota refused (issue 14 §4; docs/quotas.md):
//	    window is tokens_per_hour, tokens_per_day or api_per_day, app the app's record id
//	    (bounded by the apps that have a quota; never a consumer key or secret).
//
// and returns the hook that counts one refusal (limits.AppQuotas.Refused). Nil Metrics
// return nil: nothing is counted.
func (m *Metrics) QuotaRefusals() func(app sfid.ID, w limits.QuotaWindow) {
	if m == nil {
		return nil
	}
	c := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "forcefield_app_quota_refusals_total",
		Help: "Requests refused by a connected app's per-app quota, by window and app id.",
	}, []string{"window", "app"})
	m.reg.MustRegister(c)
	return func(app sfid.ID, w limits.QuotaWindow) { c.WithLabelValues(w.String(), app.String()).Inc() }
}
