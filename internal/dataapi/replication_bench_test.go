package dataapi

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/directory"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/sfid"
)

// BenchmarkGetUpdated is GET /sobjects/Account/updated over a day of 100,000 changes (of
// 100,001 Accounts), through the whole data API: authentication, the window rules, the
// store, and the JSON of 100,000 IDs. "store" is the store's Updated alone in the same
// run, the baseline that shows what the resource adds. Medians in median-ms.
func BenchmarkGetUpdated(b *testing.B) {
	ctx := context.Background()
	day := time.Now().UTC().Truncate(24 * time.Hour) // the org's creation day
	now := func() time.Time { return day.Add(25 * time.Hour) }
	st := newDataStackAt(b, now)
	orgs, err := st.db.Orgs(ctx)
	if err != nil || len(orgs) != 1 {
		b.Fatalf("orgs %v %v", orgs, err)
	}
	orgID := orgs[0].ID
	cat, err := directory.New(st.db).Catalog(ctx, orgID)
	if err != nil {
		b.Fatal(err)
	}
	acc, _ := cat.Object("Account")
	users, _ := st.db.Users(ctx, orgID)
	const n = 100_000
	for start := 0; start < n; start += 5000 {
		recs := make([]records.Record, 5000)
		for i := range recs {
			k := start + i
			recs[i] = records.Record{"Name": "Bench", "OwnerId": string(users[0].ID), "IsDeleted": false,
				"SystemModstamp": day.Add(time.Duration(k) * 24 * time.Hour / n)}
		}
		if err := st.db.Write(ctx, orgID, func(tx records.Tx) error { _, err := tx.Insert(ctx, acc, recs); return err }); err != nil {
			b.Fatal(err)
		}
	}
	w := records.ChangeWindow{Start: day, End: day.Add(24 * time.Hour), Limit: maxReplicationIDs + 1}
	path := "/services/data/v59.0/sobjects/Account/updated/?start=" + url.QueryEscape(w.Start.Format(time.RFC3339)) +
		"&end=" + url.QueryEscape(w.End.Format(time.RFC3339))
	for _, name := range []string{"resource", "store"} {
		b.Run(name, func(b *testing.B) {
			times := make([]time.Duration, 0, 64)
			for b.Loop() {
				began := time.Now()
				var got int
				if name == "store" {
					ids, err := st.db.Updated(ctx, orgID, acc, w)
					if err != nil {
						b.Fatal(err)
					}
					got = len(ids)
				} else {
					req := httptest.NewRequest("GET", path, nil)
					req.Header.Set("Authorization", "Bearer "+st.replacer.Replace("$TOKEN"))
					rec := httptest.NewRecorder()
					st.mux.ServeHTTP(rec, req)
					var body struct{ IDs []sfid.ID }
					if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != 200 {
						b.Fatalf("%d %.200s", rec.Code, rec.Body)
					}
					got = len(body.IDs)
				}
				times = append(times, time.Since(began))
				if got != n {
					b.Fatalf("%d ids, want %d", got, n)
				}
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
		})
	}
}
