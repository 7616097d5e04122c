package server

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// BenchmarkLimits measures GET /limits and GET /limits/recordCount over HTTP on loopback
// with an org of 0 and of 100,000 Accounts, against GET /services/data/v59.0/ (the
// resource list: authentication and a small body, nothing counted) in the same run, and
// reports the median latency (median-ms). Run:
//
//	go test ./internal/server -run '^$' -bench BenchmarkLimits -benchtime 300x -count 5
func BenchmarkLimits(b *testing.B) {
	s := &devServer{dataServer: &dataServer{testServer: func() *testServer {
		dir := b.TempDir()
		if err := os.WriteFile(dir+"/org.yaml", []byte(devOrgFile), 0o600); err != nil {
			b.Fatal(err)
		}
		return startWith(b, Config{DB: dir + "/ff.db", OrgFile: dir + "/org.yaml"})
	}()}}
	s.adm = s.token(b, "DevKey0001", "DevSecret0001")
	client := &http.Client{}
	measure := func(b *testing.B, path, want string) {
		times := make([]time.Duration, 0, 1024)
		for b.Loop() {
			req, _ := http.NewRequest(http.MethodGet, s.URL+"/services/data/v59.0"+path, nil)
			req.Header.Set("Authorization", "Bearer "+s.adm)
			start := time.Now()
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			body := make([]byte, 0, 8192)
			buf := make([]byte, 8192)
			for {
				n, err := resp.Body.Read(buf)
				body = append(body, buf[:n]...)
				if err != nil {
					break
				}
			}
			resp.Body.Close()
			times = append(times, time.Since(start))
			if resp.StatusCode != http.StatusOK || (want != "" && string(body) != want) {
				b.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
			}
		}
		slices.Sort(times)
		b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
	}
	run := func(records int) {
		b.Run(fmt.Sprintf("resources/records=%d", records), func(b *testing.B) { measure(b, "/", "") })
		b.Run(fmt.Sprintf("limits/records=%d", records), func(b *testing.B) { measure(b, "/limits", "") })
		b.Run(fmt.Sprintf("recordCount-all/records=%d", records), func(b *testing.B) {
			measure(b, "/limits/recordCount?sObjects", "")
		})
		b.Run(fmt.Sprintf("recordCount-Account/records=%d", records), func(b *testing.B) {
			measure(b, "/limits/recordCount?sObjects=Account", fmt.Sprintf(`{"sObjects":[{"count":%d,"name":"Account"}]}`, records+3))
		})
	}
	run(0)
	seedLimitAccounts(b, s.testServer, "admin@dev.example", 100_000)
	run(100_000)
}

// seedLimitAccounts inserts n Accounts owned by username straight into the server's store,
// 5,000 per transaction.
func seedLimitAccounts(b *testing.B, s *testServer, username string, n int) {
	b.Helper()
	ctx := context.Background()
	orgID, userID := s.ids(b, username)
	cat, err := schema.NewOrgCatalog(nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	acc, _ := cat.Object("Account")
	for lo := 0; lo < n; lo += 5000 {
		recs := make([]records.Record, 0, 5000)
		for i := lo; i < min(lo+5000, n); i++ {
			recs = append(recs, records.Record{"Name": fmt.Sprintf("Seed %d", i), "OwnerId": userID})
		}
		if err := s.st.Write(ctx, sfid.ID(orgID), func(tx records.Tx) error {
			_, err := tx.Insert(ctx, acc, recs)
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
}
