package server

import (
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// BenchmarkFaultHooks measures what the fault hooks cost when no fault is set (issue 14
// §7: "within noise — show it, same run"): a client credentials token request and an
// authenticated REST GET (/limits) over HTTP on loopback, against two servers started in
// the same process — one with the faults engine (no fault injected) and one without
// (a nil engine: each hook returns at its first comparison) — alternated sub-benchmark by
// sub-benchmark. It reports the median latency (median-us). Run:
//
//	go test ./internal/server -run '^$' -bench BenchmarkFaultHooks -benchtime 2000x -count 6
func BenchmarkFaultHooks(b *testing.B) {
	start := func(noFaults bool) *testServer {
		dir := b.TempDir()
		if err := os.WriteFile(dir+"/org.yaml", []byte(strings.Replace(faultsOrgFile, "dailyApiRequests: 5000", "dailyApiRequests: 10000000", 1)), 0o600); err != nil {
			b.Fatal(err)
		}
		return startWith(b, Config{DB: dir + "/ff.db", OrgFile: dir + "/org.yaml", noFaults: noFaults})
	}
	servers := map[string]*testServer{"hook": start(false), "nil": start(true)}
	if servers["hook"].Server.faults == nil || servers["nil"].Server.faults != nil {
		b.Fatal("the two servers do not differ by their faults engine")
	}
	client := &http.Client{}
	measure := func(b *testing.B, req func() *http.Request) {
		times := make([]time.Duration, 0, 4096)
		for b.Loop() {
			r := req()
			began := time.Now()
			resp, err := client.Do(r)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			times = append(times, time.Since(began))
			if resp.StatusCode != http.StatusOK {
				b.Fatalf("%s %s: %d", r.Method, r.URL.Path, resp.StatusCode)
			}
		}
		slices.Sort(times)
		b.ReportMetric(float64(times[len(times)/2].Nanoseconds())/1000, "median-us")
	}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"FirstKey01"}, "client_secret": {"FirstSecret01"}}.Encode()
	for _, path := range []string{"token", "rest"} {
		for _, engine := range []string{"hook", "nil"} {
			s := servers[engine]
			tok := s.token(b, "FirstKey01", "FirstSecret01")
			b.Run(path+"/"+engine, func(b *testing.B) {
				measure(b, func() *http.Request {
					if path == "token" {
						r, _ := http.NewRequest(http.MethodPost, s.URL+"/services/oauth2/token", strings.NewReader(form))
						r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
						return r
					}
					r, _ := http.NewRequest(http.MethodGet, s.URL+"/services/data/v59.0/limits", nil)
					r.Header.Set("Authorization", "Bearer "+tok)
					return r
				})
			})
		}
	}
}
