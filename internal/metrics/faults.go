package metrics

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// faultHits counts the requests a fault injected on demand answered (issue 14 §1),
// registered on first use so that a node that never injects one exports nothing.
var faultHits struct {
	vecs sync.Map // *Metrics → *prometheus.CounterVec
}

// FaultHit counts one request answered by an injected fault (faults.Config.OnHit), by
// route family and answer (both from package faults' fixed sets).
func (m *Metrics) FaultHit(family, answer string) {
	if m == nil {
		return
	}
	v, ok := faultHits.vecs.Load(m)
	if !ok {
		vec := prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "forcefield_fault_hits_total",
			Help: "Requests answered by a fault injected on demand, by route family and answer.",
		}, []string{"family", "answer"})
		var loaded bool
		if v, loaded = faultHits.vecs.LoadOrStore(m, vec); !loaded {
			m.reg.MustRegister(vec)
		}
	}
	v.(*prometheus.CounterVec).WithLabelValues(family, answer).Inc()
}
