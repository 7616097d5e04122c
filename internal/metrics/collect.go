package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/forcefield/forcefield/internal/store/backend"
)

// scrapeTimeout bounds the one query a scrape makes (bulk jobs by state), so a slow
// database delays a scrape by at most this much.
const scrapeTimeout = 2 * time.Second

// Watch registers the gauges read at scrape: the sessions this node caches (cached, may
// be nil), the backend kind, and — when db offers them (backend.PoolStatser,
// backend.BulkJobCounter) — its connection pools and its bulk jobs by state.
func (m *Metrics) Watch(db backend.Backend, cached func() int) {
	if cached != nil {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "forcefield_sessions_cached",
			Help: "Sessions held in this node's memory (used recently); per node, not the sessions in the database.",
		}, func() float64 { return float64(cached()) }))
	}
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name:        "forcefield_db_info",
		Help:        "Always 1; the backend label names the storage backend.",
		ConstLabels: prometheus.Labels{"backend": db.Kind()},
	}, func() float64 { return 1 }))
	if p, ok := db.(backend.PoolStatser); ok {
		m.reg.MustRegister(poolCollector{p})
	}
	if b, ok := db.(backend.BulkJobCounter); ok {
		m.reg.MustRegister(bulkCollector{b})
	}
}

var (
	poolConns = prometheus.NewDesc("forcefield_db_pool_connections",
		"Open database connections by pool and state (in_use, idle).", []string{"pool", "state"}, nil)
	poolMax = prometheus.NewDesc("forcefield_db_pool_max_connections",
		"The pool's connection limit (0: unbounded).", []string{"pool"}, nil)
	poolWaits = prometheus.NewDesc("forcefield_db_pool_waits_total",
		"Times a caller waited for a free connection.", []string{"pool"}, nil)
	poolWaitSeconds = prometheus.NewDesc("forcefield_db_pool_wait_seconds_total",
		"Total time callers waited for a free connection.", []string{"pool"}, nil)
	bulkJobs = prometheus.NewDesc("forcefield_bulk_jobs",
		"Stored bulk jobs by state.", []string{"state"}, nil)
)

// poolCollector reports backend.PoolStats at scrape; it reads memory only.
type poolCollector struct{ p backend.PoolStatser }

func (c poolCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- poolConns
	ch <- poolMax
	ch <- poolWaits
	ch <- poolWaitSeconds
}

func (c poolCollector) Collect(ch chan<- prometheus.Metric) {
	for _, s := range c.p.PoolStats() {
		ch <- prometheus.MustNewConstMetric(poolConns, prometheus.GaugeValue, float64(s.InUse), s.Pool, "in_use")
		ch <- prometheus.MustNewConstMetric(poolConns, prometheus.GaugeValue, float64(s.Idle), s.Pool, "idle")
		ch <- prometheus.MustNewConstMetric(poolMax, prometheus.GaugeValue, float64(s.MaxOpen), s.Pool)
		ch <- prometheus.MustNewConstMetric(poolWaits, prometheus.CounterValue, float64(s.WaitCount), s.Pool)
		ch <- prometheus.MustNewConstMetric(poolWaitSeconds, prometheus.CounterValue, s.WaitDuration.Seconds(), s.Pool)
	}
}

// bulkCollector counts bulk jobs by state at scrape: one indexed GROUP BY over a table
// the bulk engine keeps to its retention period. A failed count reports an invalid
// metric, which the handler (ContinueOnError) logs in the scrape and skips.
type bulkCollector struct{ b backend.BulkJobCounter }

func (c bulkCollector) Describe(ch chan<- *prometheus.Desc) { ch <- bulkJobs }

func (c bulkCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	counts, err := c.b.BulkJobCounts(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(bulkJobs, err)
		return
	}
	for state, n := range counts {
		ch <- prometheus.MustNewConstMetric(bulkJobs, prometheus.GaugeValue, float64(n), state)
	}
}
