package server

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// startOps runs the data test org with /metrics on its own loopback port.
func startOps(t *testing.T) (*testServer, string) {
	t.Helper()
	dir := t.TempDir()
	orgFile := filepath.Join(dir, "acme.yaml")
	if err := os.WriteFile(orgFile, []byte(dataOrgFile), 0o600); err != nil {
		t.Fatal(err)
	}
	s := startWith(t, Config{DB: filepath.Join(dir, "ff.db"), OrgFile: orgFile, MetricsAddr: "127.0.0.1:0"})
	return s, "http://" + s.MetricsAddr().String()
}

// scrape reads /metrics and returns a lookup of one sample's value (0 when absent;
// for a histogram, its sample count).
func scrape(t *testing.T, metricsURL string) func(name string, labels ...string) float64 {
	t.Helper()
	r := do(t, newRequest(t, http.MethodGet, metricsURL+"/metrics", nil))
	if r.Status != http.StatusOK {
		t.Fatalf("GET /metrics: %d %s", r.Status, r.Body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(r.Body))
	if err != nil {
		t.Fatalf("parsing /metrics: %v", err)
	}
	return func(name string, labels ...string) float64 {
		f := fams[name]
		if f == nil {
			return 0
		}
	metrics:
		for _, m := range f.Metric {
			have := map[string]string{}
			for _, lp := range m.Label {
				have[lp.GetName()] = lp.GetValue()
			}
			for i := 0; i+1 < len(labels); i += 2 {
				if have[labels[i]] != labels[i+1] {
					continue metrics
				}
			}
			return sampleValue(m)
		}
		return 0
	}
}

func sampleValue(m *dto.Metric) float64 {
	switch {
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	case m.Histogram != nil:
		return float64(m.Histogram.GetSampleCount())
	case m.Untyped != nil:
		return m.Untyped.GetValue()
	}
	return 0
}

// TestMetrics issues and refuses tokens, reads data, creates a bulk job, and checks that
// /metrics moved accordingly — and that /metrics is not on the public listener.
func TestMetrics(t *testing.T) {
	s, murl := startOps(t)
	before := scrape(t, murl)
	const cc = "client_credentials"
	issued0 := before("forcefield_oauth_tokens_issued_total", "grant_type", cc)
	badSecret0 := before("forcefield_oauth_tokens_refused_total", "grant_type", cc, "error", "invalid_client", "reason", "Invalid client credentials")

	tok := s.token(t, "IntKey0001", "IntSecret0001")
	s.token(t, "PeerKey0001", "PeerSecret0001")
	for _, form := range []url.Values{
		{"grant_type": {cc}, "client_id": {"IntKey0001"}, "client_secret": {"wrong"}},
		{"grant_type": {"made_up/" + time.Now().String()}, "client_id": {"IntKey0001"}},
	} {
		if r := s.postForm(t, "/services/oauth2/token", form); r.Status != http.StatusBadRequest && r.Status != http.StatusUnauthorized {
			t.Fatalf("refused token request answered %d %s", r.Status, r.Body)
		}
	}
	for _, path := range []string{"/services/data/v59.0/sobjects/Account/describe", "/services/data/v59.0/query?q=SELECT+Id+FROM+Account", "/services/data/v59.0/limits"} {
		if r := s.get(t, path, tok); r.Status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, r.Status, r.Body)
		}
	}
	req := newRequest(t, http.MethodPost, s.URL+"/services/data/v59.0/jobs/ingest", strings.NewReader(`{"object":"Account","operation":"insert"}`))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	if r := do(t, req); r.Status != http.StatusOK {
		t.Fatalf("create bulk job: %d %s", r.Status, r.Body)
	}

	after := scrape(t, murl)
	kind, pool, maxConns := "sqlite", "write", 1.0 // the single writer
	if onPostgres() {
		kind, pool, maxConns = "postgres", "main", float64(max(8, runtime.NumCPU())) // pgxpool: NumCPU, at least 8 (postgres.Open)
	}
	for _, c := range []struct {
		what      string
		got, want float64
	}{
		{"tokens issued (client_credentials)", after("forcefield_oauth_tokens_issued_total", "grant_type", cc) - issued0, 2},
		{"tokens refused for a wrong secret", after("forcefield_oauth_tokens_refused_total", "grant_type", cc, "error", "invalid_client", "reason", "Invalid client credentials") - badSecret0, 1},
		{"tokens refused for an unknown grant type", after("forcefield_oauth_tokens_refused_total", "grant_type", "unsupported", "error", "unsupported_grant_type"), 1},
		{"token endpoint latencies", after("forcefield_http_request_duration_seconds", "route", "oauth_token") - before("forcefield_http_request_duration_seconds", "route", "oauth_token"), 4},
		{"sobjects latencies", after("forcefield_http_request_duration_seconds", "route", "data_sobjects"), 1},
		{"query latencies", after("forcefield_http_request_duration_seconds", "route", "data_query"), 1},
		{"other data API latencies", after("forcefield_http_request_duration_seconds", "route", "data_other"), 1},
		{"bulk latencies", after("forcefield_http_request_duration_seconds", "route", "bulk"), 1},
		{"open bulk jobs", after("forcefield_bulk_jobs", "state", "Open"), 1},
		{"backend", after("forcefield_db_info", "backend", kind), 1},
		{"pool limit", after("forcefield_db_pool_max_connections", "pool", pool), maxConns},
	} {
		if c.got != c.want {
			t.Errorf("%s: moved by %v, want %v", c.what, c.got, c.want)
		}
	}
	// Four token requests wrote rows (two sessions with their logins, two refusals'
	// logins), in one group commit or several.
	if n := after("forcefield_session_commit_duration_seconds") - before("forcefield_session_commit_duration_seconds"); n < 1 || n > 4 {
		t.Errorf("%v group commits for 4 token requests, want 1 to 4", n)
	}
	if n := after("forcefield_session_commit_rows"); n < 1 {
		t.Errorf("no commit sizes recorded")
	}
	if n := after("forcefield_sessions_cached"); n < 1 {
		t.Errorf("forcefield_sessions_cached = %v after a token was used, want ≥ 1", n)
	}
	// The unknown grant type's value never became a label.
	if r := do(t, newRequest(t, http.MethodGet, murl+"/metrics", nil)); strings.Contains(r.Body, "made_up") {
		t.Errorf("a client-sent grant_type became a label:\n%s", r.Body)
	}
	if r := s.get(t, "/metrics", ""); r.Status != http.StatusNotFound {
		t.Errorf("GET /metrics on the public listener: %d, want 404", r.Status)
	}
}

// TestHealth: /healthz answers while the process runs; /readyz says 503 with a short
// reason while the database misses a migration, and 200 once it has it again.
func TestHealth(t *testing.T) {
	s, murl := startOps(t)
	for _, base := range []string{s.URL, murl} {
		if r := do(t, newRequest(t, http.MethodGet, base+"/healthz", nil)); r.Status != http.StatusOK || r.Body != "ok\n" {
			t.Errorf("GET %s/healthz = %d %q, want 200 ok", base, r.Status, r.Body)
		}
	}

	// Take the newest migration's record away behind the server's back.
	driver, ph := "sqlite", "?"
	if onPostgres() {
		driver, ph = "pgx", "$1"
	}
	raw, err := sql.Open(driver, testDB(t, s.DB)) // on PostgreSQL, the schema standing for the path
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var v int
	if err := raw.QueryRow("SELECT MAX(version) FROM schema_migrations").Scan(&v); err != nil {
		t.Fatal(err)
	}
	rows, err := raw.Query("SELECT * FROM schema_migrations WHERE version = "+ph, v)
	if err != nil {
		t.Fatal(err)
	}
	cols, _ := rows.Columns()
	row := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range row {
		ptrs[i] = &row[i]
	}
	if !rows.Next() {
		t.Fatal("no schema_migrations row")
	}
	if err := rows.Scan(ptrs...); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if _, err := raw.Exec("DELETE FROM schema_migrations WHERE version = "+ph, v); err != nil {
		t.Fatal(err)
	}
	r := s.get(t, "/readyz", "")
	if r.Status != http.StatusServiceUnavailable || r.Body != "not ready: database schema not up to date\n" {
		t.Errorf("GET /readyz with a migration missing = %d %q, want 503 and the reason", r.Status, r.Body)
	}
	if strings.Contains(r.Body, s.DB) || strings.Contains(r.Body, filepath.Base(s.DB)) {
		t.Errorf("/readyz names the database: %q", r.Body)
	}

	marks := strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")
	if onPostgres() {
		var ms []string
		for i := range cols {
			ms = append(ms, fmt.Sprintf("$%d", i+1))
		}
		marks = strings.Join(ms, ", ")
	}
	if _, err := raw.Exec("INSERT INTO schema_migrations ("+strings.Join(cols, ", ")+") VALUES ("+marks+")", row...); err != nil {
		t.Fatal(err)
	}
	time.Sleep(readyCacheFor + 100*time.Millisecond) // past the cached answer
	if r := do(t, newRequest(t, http.MethodGet, murl+"/readyz", nil)); r.Status != http.StatusOK || r.Body != "ready\n" {
		t.Errorf("GET /readyz = %d %q, want 200 ready", r.Status, r.Body)
	}
}

// TestRetentionPurge: with retention flags set, the server's purge timer deletes login
// history older than the retention and keeps the rest (SQLite: the timer is always due).
func TestRetentionPurge(t *testing.T) {
	dir := t.TempDir()
	orgFile := filepath.Join(dir, "acme.yaml")
	if err := os.WriteFile(orgFile, []byte(testOrgFile), 0o600); err != nil {
		t.Fatal(err)
	}
	s := startWith(t, Config{DB: filepath.Join(dir, "ff.db"), OrgFile: orgFile,
		LoginHistoryRetention: 30 * 24 * time.Hour, AuditRetention: 30 * 24 * time.Hour, RetentionInterval: 20 * time.Millisecond})
	count := func() int {
		r := s.admin(t, http.MethodGet, "/login-history?limit=1000", "")
		if r.Status != http.StatusOK {
			t.Fatalf("login history: %d %s", r.Status, r.Body)
		}
		var rows []map[string]any
		if err := json.Unmarshal([]byte(r.Body), &rows); err != nil {
			t.Fatalf("login history: %v: %s", err, r.Body)
		}
		return len(rows)
	}
	s.token(t, "AcmeKey0001", "AcmeSecret0001")
	s.postForm(t, "/services/oauth2/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {"AcmeKey0001"}, "client_secret": {"nope"}})
	if n := count(); n != 2 {
		t.Fatalf("%d login history rows after two token requests, want 2", n)
	}
	s.Clock.Advance(31 * 24 * time.Hour) // both rows are now past the retention
	s.token(t, "AcmeKey0001", "AcmeSecret0001")
	deadline := time.Now().Add(5 * time.Second)
	for count() != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("%d login history rows 5 s after the old ones passed their retention, want only the new one", count())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
