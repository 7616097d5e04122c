package server

import (
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// BenchmarkOrgClock measures what reading each org's clock (time travel: the offset read
// from the Setup cache on every org-time reading) costs the two hot paths — a client
// credentials token request and a REST call (GET /limits, which also counts the request
// in the org's 24-hour window) — over HTTP on loopback, against the same server with no
// offset source (every org on the server's time), in the same run. It reports the median
// latency (median-us). Run:
//
//	go test ./internal/server -run '^$' -bench BenchmarkOrgClock -benchtime 2000x -count 6
func BenchmarkOrgClock(b *testing.B) {
	dir := b.TempDir()
	// Room in Acme's DailyApiRequests for every counted request of the run.
	yaml := strings.Replace(travelOrgFile, "dailyApiRequests: 500", "dailyApiRequests: 100000000", 1)
	if err := os.WriteFile(dir+"/org.yaml", []byte(yaml), 0o600); err != nil {
		b.Fatal(err)
	}
	s := startWith(b, Config{DB: dir + "/ff.db", OrgFile: dir + "/org.yaml"})
	source := orgOffsets(s.dir) // what Open installed
	token := s.token(b, "AcmeTravel01", "AcmeTravelSecret01")
	client := &http.Client{}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"AcmeTravel01"}, "client_secret": {"AcmeTravelSecret01"}}.Encode()
	request := map[string]func() *http.Request{
		"token": func() *http.Request {
			req, _ := http.NewRequest(http.MethodPost, s.URL+"/services/oauth2/token", strings.NewReader(form))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return req
		},
		"rest": func() *http.Request {
			req, _ := http.NewRequest(http.MethodGet, s.URL+travelAPI+"/limits", nil)
			req.Header.Set("Authorization", "Bearer "+token)
			return req
		},
	}
	measure := func(b *testing.B, path string) {
		times := make([]time.Duration, 0, 4096)
		for b.Loop() {
			req := request[path]()
			start := time.Now()
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			buf := make([]byte, 16<<10)
			for {
				if _, err := resp.Body.Read(buf); err != nil {
					break
				}
			}
			resp.Body.Close()
			times = append(times, time.Since(start))
			if resp.StatusCode != http.StatusOK {
				b.Fatalf("%s: %d", path, resp.StatusCode)
			}
		}
		slices.Sort(times)
		b.ReportMetric(float64(times[len(times)/2].Nanoseconds())/1000, "median-us")
	}
	for _, path := range []string{"token", "rest"} {
		b.Run(path+"/clock=none", func(b *testing.B) {
			s.clock.SetOffsets(nil) // every org on the server's time, no lookup
			measure(b, path)
		})
		b.Run(path+"/clock=org", func(b *testing.B) {
			s.clock.SetOffsets(source) // the server's: the Setup cache, per reading
			measure(b, path)
		})
	}
}
