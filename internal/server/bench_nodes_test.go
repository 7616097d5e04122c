package server

// The §6 benchmark of issue 12: client-credentials issuance and bearer REST reads on
// (a) one SQLite node, (b) one node on PostgreSQL, (c) two nodes on one PostgreSQL with the
// load split between them — same run, same machine, ratios against (a). Method and
// figures: docs/performance.md ("One node, PostgreSQL, two nodes").
//
//	../shared/scripts/postgres.sh   # or FORCEFIELD_TEST_POSTGRES=postgres://…
//	FORCEFIELD_BENCH_NODES=1 go test ./internal/server -run TestBenchNodes -v -timeout 30m
//
// Settings (environment): FORCEFIELD_BENCH_ROUNDS (3), FORCEFIELD_BENCH_SECS (5, seconds
// per measurement), FORCEFIELD_BENCH_CONNS (64, as bench/run.sh's wrk -c64),
// FORCEFIELD_BENCH_ACCOUNTS (1000), FORCEFIELD_BENCH_SETUPS (abc: the setups to run, e.g.
// "b" alone under -cpuprofile to see where one setup's time goes).
//
// It is a test gated by the variable, not a Benchmark, because it runs fixed-duration
// loads; it never fails on speed, only on wrong answers (any non-200 response).
//
// Method, as bench/run.sh (wrk) but in Go so that it can hold a fixed rate, which wrk
// cannot:
//   - Peak: a closed loop of CONNS connections, each sending its next request when the
//     previous one is answered (wrk's model); requests per second over the run.
//   - Latency at load: an open loop at 80% of that setup's median peak — requests sent on
//     a fixed schedule over the same CONNS connections (wrk2's model), each one's latency
//     counted from the time it was due (so a stalled server is charged for the requests
//     it held back: no coordinated omission); p50 and p99 over the run.
//   - Rounds alternate the setups (a, b, c for one workload, then the next), so all of
//     them see the same machine; the table shows medians of the rounds and each setup's
//     ratio to (a) in the same run. Client and servers share the machine's cores, as wrk
//     did in bench/run.sh. GOGC is set to 400 as `forcefield serve` does.
//
// Until the PostgreSQL backend is registered with internal/store/backend (and a
// PostgreSQL answers), (b) and (c) are skipped and the table says why.

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/store/postgres/pgtest"
)

// benchNodesOrg is bench/data.yaml's org: an integration user allowed every object.
const benchNodesOrg = `orgs:
  - name: BenchNodes
    dailyApiRequests: 2000000000
    profiles:
      - name: Bench Admin
        permissions: [ApiEnabled, ApiUserOnly, ModifyAllData]
    users:
      - {username: nodes@bench.example, lastName: Nodes, email: nodes@bench.example, profile: Bench Admin}
    connectedApps:
      - name: BenchNodes
        scopes: [api]
        consumerKey: BenchNodesKey01
        consumerSecret: BenchNodesSecret01
        clientCredentials: {enabled: true, runAs: nodes@bench.example}
`

// benchSetup is one of (a), (b), (c): the base URLs of its nodes, a bearer token issued on
// the first node, and the Accounts seeded through it.
type benchSetup struct {
	name  string
	skip  string // why it does not run, if it does not
	urls  []string
	token string
	ids   []string
}

// benchWorkload builds the i-th request of a run for a node.
type benchWorkload struct {
	name string
	req  func(s *benchSetup, node string, r *rand.Rand) *http.Request
}

var benchWorkloads = []benchWorkload{
	{"client credentials token", func(s *benchSetup, node string, _ *rand.Rand) *http.Request {
		req, _ := http.NewRequest(http.MethodPost, node+"/services/oauth2/token", strings.NewReader(
			"grant_type=client_credentials&client_id=BenchNodesKey01&client_secret=BenchNodesSecret01"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return req
	}},
	{"GET sobjects/Account/<id>", func(s *benchSetup, node string, r *rand.Rand) *http.Request {
		req, _ := http.NewRequest(http.MethodGet, node+"/services/data/v59.0/sobjects/Account/"+s.ids[r.IntN(len(s.ids))], nil)
		req.Header.Set("Authorization", "Bearer "+s.token)
		return req
	}},
	{"GET query (Name = one row)", func(s *benchSetup, node string, r *rand.Rand) *http.Request {
		q := fmt.Sprintf("SELECT Id, Name FROM Account WHERE Name = 'P%07d'", r.IntN(len(s.ids)))
		req, _ := http.NewRequest(http.MethodGet, node+"/services/data/v59.0/query?q="+url.QueryEscape(q), nil)
		req.Header.Set("Authorization", "Bearer "+s.token)
		return req
	}},
}

func benchEnvInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func TestBenchNodes(t *testing.T) {
	if os.Getenv("FORCEFIELD_BENCH_NODES") != "1" {
		t.Skip("the node benchmark runs only with FORCEFIELD_BENCH_NODES=1 (minutes of load)")
	}
	if db := os.Getenv("FORCEFIELD_TEST_DB"); db != "" && db != "sqlite" {
		// The wire tests' switch would put (a) on PostgreSQL too; the baseline must be SQLite.
		t.Skipf("FORCEFIELD_TEST_DB=%s: unset it, setup (a) must run on SQLite", db)
	}
	rounds := benchEnvInt("FORCEFIELD_BENCH_ROUNDS", 3)
	secs := time.Duration(benchEnvInt("FORCEFIELD_BENCH_SECS", 5)) * time.Second
	conns := benchEnvInt("FORCEFIELD_BENCH_CONNS", 64)
	accounts := benchEnvInt("FORCEFIELD_BENCH_ACCOUNTS", 1000)
	defer debug.SetGCPercent(debug.SetGCPercent(400))

	dir := t.TempDir()
	orgFile := filepath.Join(dir, "org.yaml")
	if err := os.WriteFile(orgFile, []byte(benchNodesOrg), 0o600); err != nil {
		t.Fatal(err)
	}
	setups := []*benchSetup{{name: "(a) 1 node, SQLite"}, {name: "(b) 1 node, PostgreSQL"}, {name: "(c) 2 nodes, 1 PostgreSQL"}}
	only := os.Getenv("FORCEFIELD_BENCH_SETUPS")
	for i, s := range setups {
		if only != "" && !strings.ContainsRune(only, rune('a'+i)) {
			s.skip = "not in FORCEFIELD_BENCH_SETUPS"
		}
	}
	// (a)
	if setups[0].skip == "" {
		a := startWith(t, Config{DB: filepath.Join(dir, "ff.db"), OrgFile: orgFile})
		setups[0].urls = []string{a.URL}
	}
	// (b) and (c), each on its own new schema.
	for i, nodes := range []int{1, 2} {
		s := setups[1+i]
		if s.skip == "" {
			s.skip = benchPostgresMissing()
		}
		if s.skip != "" {
			continue
		}
		db := pgtest.URL(t)
		for n := range nodes {
			cfg := Config{DB: db}
			if n == 0 {
				cfg.OrgFile = orgFile // applied once, by the first node
			}
			s.urls = append(s.urls, startWith(t, cfg).URL)
		}
	}
	for _, s := range setups {
		if s.skip == "" {
			benchSeed(t, s, accounts)
		}
	}

	type key struct{ setup, load int }
	peaks := map[key][]float64{}
	lat := map[key][][2]time.Duration{}
	late := map[key]int64{}
	for li, w := range benchWorkloads {
		for _, s := range setups { // warm-up: caches, connections, the secret's verification
			if s.skip == "" {
				benchClosed(t, s, w, conns, time.Second)
			}
		}
		for r := range rounds {
			for si, s := range setups {
				if s.skip == "" {
					rps, _ := benchClosed(t, s, w, conns, secs)
					peaks[key{si, li}] = append(peaks[key{si, li}], rps)
					t.Logf("round %d %-28s %-24s peak %8.0f req/s", r+1, w.name, s.name, rps)
				}
			}
		}
		for r := range rounds {
			for si, s := range setups {
				if s.skip == "" {
					rate := 0.8 * benchMedianOf(peaks[key{si, li}])
					p50, p99, n := benchOpen(t, s, w, conns, rate, secs)
					late[key{si, li}] += n
					lat[key{si, li}] = append(lat[key{si, li}], [2]time.Duration{p50, p99})
					t.Logf("round %d %-28s %-24s at %6.0f req/s p50 %6.2f ms p99 %6.2f ms", r+1, w.name, s.name, rate, ms64(p50), ms64(p99))
				}
			}
		}
	}

	var out strings.Builder
	fmt.Fprintf(&out, "\nMedians of %d rounds of %s; peak: closed loop, %d connections; latency: fixed rate at 80%% of the setup's peak.\n", rounds, secs, conns)
	fmt.Fprintf(&out, "| workload | setup | peak req/s | rounds | vs (a) | p50 at 80%% | p99 at 80%% | late |\n|---|---|---|---|---|---|---|---|\n")
	for li, w := range benchWorkloads {
		base := benchMedianOf(peaks[key{0, li}])
		for si, s := range setups {
			if s.skip != "" {
				fmt.Fprintf(&out, "| %s | %s | skipped: %s | | | | | |\n", w.name, s.name, s.skip)
				continue
			}
			p := peaks[key{si, li}]
			var p50s, p99s []float64
			for _, l := range lat[key{si, li}] {
				p50s, p99s = append(p50s, ms64(l[0])), append(p99s, ms64(l[1]))
			}
			ratio := "–" // no (a) in this run
			if base > 0 {
				ratio = fmt.Sprintf("%.2f", benchMedianOf(p)/base)
			}
			fmt.Fprintf(&out, "| %s | %s | %.0f | %.0f – %.0f | %s | %.2f ms | %.2f ms | %.1f%% |\n", w.name, s.name,
				benchMedianOf(p), slices.Min(p), slices.Max(p), ratio, benchMedianOf(p50s), benchMedianOf(p99s),
				100*float64(late[key{si, li}])/(0.8*benchMedianOf(p)*secs.Seconds()*float64(rounds)))
		}
	}
	fmt.Fprintf(&out, "late: share of the fixed-rate requests sent over 1 ms after they were due (the rate was not held). GOGC=400, GOMAXPROCS=%d.\n", runtime.GOMAXPROCS(0))
	fmt.Print(out.String())
	if f := os.Getenv("FORCEFIELD_BENCH_OUT"); f != "" {
		if err := os.WriteFile(f, []byte(out.String()), 0o644); err != nil {
			t.Error(err)
		}
	}
}

// benchPostgresMissing says why the PostgreSQL setups cannot run, or "".
func benchPostgresMissing() string {
	if !pgtest.Available() {
		return "no PostgreSQL answers (run ../shared/scripts/postgres.sh or set FORCEFIELD_TEST_POSTGRES)"
	}
	return ""
}

// benchSeed takes a token on the first node and loads n Accounts named P0000000… through
// sObject Collections, keeping their IDs; it checks that a read and the query answer.
func benchSeed(t *testing.T, s *benchSetup, n int) {
	t.Helper()
	post := func(path, contentType, body string, auth bool) []byte {
		req, _ := http.NewRequest(http.MethodPost, s.urls[0]+path, strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		if auth {
			req.Header.Set("Authorization", "Bearer "+s.token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s: POST %s: %v", s.name, path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusCreated {
			t.Fatalf("%s: POST %s: %d %s", s.name, path, resp.StatusCode, b)
		}
		return b
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	json.Unmarshal(post("/services/oauth2/token", "application/x-www-form-urlencoded",
		"grant_type=client_credentials&client_id=BenchNodesKey01&client_secret=BenchNodesSecret01", false), &tok)
	s.token = tok.AccessToken
	for from := 0; from < n; from += 200 {
		var recs []string
		for i := from; i < min(from+200, n); i++ {
			recs = append(recs, fmt.Sprintf(`{"attributes":{"type":"Account"},"Name":"P%07d"}`, i))
		}
		var res []struct {
			ID      string `json:"id"`
			Success bool   `json:"success"`
		}
		body := post("/services/data/v59.0/composite/sobjects", "application/json", `{"allOrNone":true,"records":[`+strings.Join(recs, ",")+`]}`, true)
		if err := json.Unmarshal(body, &res); err != nil || len(res) != len(recs) {
			t.Fatalf("%s: seeding Accounts: %v %s", s.name, err, body)
		}
		for _, r := range res {
			s.ids = append(s.ids, r.ID)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, w := range benchWorkloads[1:] {
		for _, node := range s.urls {
			resp, err := http.DefaultClient.Do(w.req(s, node, r))
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), `"Name":"P`) {
				t.Fatalf("%s: %s on %s: %d %s", s.name, w.name, node, resp.StatusCode, b)
			}
		}
	}
}

// benchClient is an HTTP client keeping up to conns connections per node.
func benchClient(conns int) *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConns: 0, MaxIdleConnsPerHost: conns, IdleConnTimeout: time.Minute}}
}

// benchDo sends req and drains the answer; anything but 200 fails the test.
func benchDo(t *testing.T, c *http.Client, req *http.Request) bool {
	resp, err := c.Do(req)
	if err != nil {
		t.Errorf("%s %s: %v", req.Method, req.URL.Path, err)
		return false
	}
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		t.Errorf("%s %s: %d %s", req.Method, req.URL.Path, resp.StatusCode, b)
		return false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return true
}

// benchClosed runs conns connections in a closed loop for d, connection i sending to node
// i mod the number of nodes, and returns the answers per second.
func benchClosed(t *testing.T, s *benchSetup, w benchWorkload, conns int, d time.Duration) (float64, int64) {
	c := benchClient(conns)
	defer c.CloseIdleConnections()
	var done atomic.Int64
	stop := time.Now().Add(d)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(i), uint64(start.UnixNano())))
			node := s.urls[i%len(s.urls)]
			for time.Now().Before(stop) {
				if !benchDo(t, c, w.req(s, node, r)) {
					return
				}
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	return float64(done.Load()) / time.Since(start).Seconds(), done.Load()
}

// benchOpen sends requests at a fixed rate for d over conns connections (as wrk2 -R: the
// same connections as the peak's closed loop, so the server sees the same concurrency),
// alternating the nodes, and returns the p50 and p99 latency counted from when each
// request was due — a request that waits for a free connection is charged its wait — and
// how many requests left more than a millisecond after they were due (the server, or the
// client's share of the CPU, fell behind the rate).
func benchOpen(t *testing.T, s *benchSetup, w benchWorkload, conns int, rate float64, d time.Duration) (p50, p99 time.Duration, late int64) {
	senders := conns
	c := benchClient(senders)
	defer c.CloseIdleConnections()
	type job struct {
		due  time.Time
		node string
	}
	jobs := make(chan job, 4096)
	n := int(rate * d.Seconds())
	lat := make([][]time.Duration, senders)
	var wg sync.WaitGroup
	var lateN atomic.Int64
	start := time.Now()
	for i := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(i), uint64(start.UnixNano())))
			for j := range jobs {
				sent := time.Now()
				if sent.Sub(j.due) > time.Millisecond {
					lateN.Add(1)
				}
				req := w.req(s, j.node, r)
				if !benchDo(t, c, req) {
					continue
				}
				from := j.due // a request sent a little early counts from when it was sent
				if sent.Before(from) {
					from = sent
				}
				lat[i] = append(lat[i], time.Since(from))
			}
		}()
	}
	interval := time.Duration(float64(time.Second) / rate)
	for i := range n {
		due := start.Add(time.Duration(i) * interval)
		if wait := time.Until(due); wait > 200*time.Microsecond {
			time.Sleep(wait)
		}
		jobs <- job{due, s.urls[i%len(s.urls)]}
	}
	close(jobs)
	wg.Wait()
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	if len(all) == 0 {
		return 0, 0, lateN.Load()
	}
	slices.Sort(all)
	return all[len(all)/2], all[len(all)*99/100], lateN.Load()
}

func benchMedianOf(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms64(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
