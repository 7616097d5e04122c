package dataapi

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/directory"
	"github.com/forcefield/forcefield/internal/limits"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/orgfile"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/session"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store/sqlite"
)

// benchAccounts is the size of the benchmarks' Account table.
const benchAccounts = 100_000

// BenchmarkListViews100k measures list view results and /query?explain= on 100,000
// Accounts through the REST handlers (in-process, real SQLite), with the same query run
// through /query as the baseline:
//
//	go test ./internal/dataapi -run '^$' -bench ListViews100k -benchtime 10x -count 5
func BenchmarkListViews100k(b *testing.B) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "ff.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	f, err := orgfile.Parse("fuzz.yaml", []byte(fuzzOrg))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := orgfile.Apply(ctx, db, f); err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	sessions := session.NewManager(db, session.Options{Logger: log})
	defer sessions.Close()
	dir := directory.New(db)
	cats := records.NewCatalogs(db, dir)
	mux := http.NewServeMux()
	api := New(dir, sessions, limits.New(nil), "http://ff.test", log)
	api.EnableData(db, cats, nil)
	api.Register(mux)

	users, err := db.Users(ctx, "")
	if err != nil {
		b.Fatal(err)
	}
	apps, err := db.ConnectedApps(ctx, "")
	if err != nil {
		b.Fatal(err)
	}
	var user, other org.User
	for _, u := range users {
		if u.Username == "api@fuzz.example" {
			user = u
		} else {
			other = u
		}
	}
	now := time.Now().UTC()
	token, _, err := sessions.Issue(ctx, org.Session{OrgID: user.OrgID, UserID: user.ID, AppID: apps[0].ID, Scopes: []string{"api"},
		SourceIP: "192.0.2.1", LoginType: org.LoginSubTypeClientCredentials, CreatedAt: now, LastActivity: now, Timeout: 2 * time.Hour},
		org.LoginEvent{OrgID: user.OrgID, UserID: user.ID, AppID: apps[0].ID, Time: now, Status: org.LoginStatusSuccess})
	if err != nil {
		b.Fatal(err)
	}

	// 100,000 Accounts, half the user's, created over the last 100 days.
	cat, err := cats.Catalog(ctx, user.OrgID)
	if err != nil {
		b.Fatal(err)
	}
	acct, _ := cat.Object("Account")
	for start := 0; start < benchAccounts; start += 5000 {
		err := db.Write(ctx, user.OrgID, func(tx records.Tx) error {
			recs := make([]records.Record, 0, 5000)
			for i := start; i < start+5000; i++ {
				owner := user.ID
				if i%2 == 1 {
					owner = other.ID
				}
				at := now.Add(-time.Duration(i%100) * 24 * time.Hour).Truncate(time.Millisecond)
				recs = append(recs, records.Record{"Name": fmt.Sprintf("Account %06d", (i*7919)%benchAccounts), "OwnerId": string(owner),
					"Phone": "555-0100", "Type": "Prospect", "CreatedDate": at, "LastModifiedDate": at, "SystemModstamp": at,
					"CreatedById": string(user.ID), "LastModifiedById": string(user.ID), "IsDeleted": false})
			}
			_, err := tx.Insert(ctx, acct, recs)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	views := objectViews(user.OrgID, acct)
	viewID := func(dev string) sfid.ID {
		for _, v := range views {
			if v.DevName == dev {
				return v.ID
			}
		}
		b.Fatalf("no view %s", dev)
		return ""
	}
	get := func(b *testing.B, path string) {
		req := httptest.NewRequest(http.MethodGet, "http://ff.test/services/data/v59.0"+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		req.RemoteAddr = "192.0.2.1:1234"
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", path, w.Code, w.Body)
		}
	}
	lv := "/sobjects/Account/listviews/"
	for _, bc := range []struct{ name, path string }{
		// The baseline: All Accounts' first page as a plain /query (the SOQL the view runs,
		// LIMIT 25).
		{"query-baseline", "/query?q=" + url.QueryEscape("SELECT Name, Site, BillingState, Phone, Type, Owner.Alias, Id, CreatedDate, LastModifiedDate, SystemModstamp FROM Account ORDER BY Name ASC NULLS FIRST LIMIT 25")},
		{"results-AllAccounts", lv + string(viewID("AllAccounts")) + "/results"},
		{"results-AllAccounts-offset-5000", lv + string(viewID("AllAccounts")) + "/results?offset=5000"},
		{"results-MyAccounts", lv + string(viewID("MyAccounts")) + "/results"},
		{"results-NewThisWeek", lv + string(viewID("NewThisWeek")) + "/results"},
		{"describe-AllAccounts", lv + string(viewID("AllAccounts")) + "/describe"},
		{"explain-indexed", "/query?explain=" + url.QueryEscape("SELECT Id FROM Account WHERE Name = 'Account 001234'")},
		{"explain-unindexed", "/query?explain=" + url.QueryEscape("SELECT Id FROM Account WHERE Phone = '555-0100' AND OwnerId = '"+string(user.ID)+"'")},
		{"explain-listview", "/query?explain=" + string(viewID("AllAccounts"))},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var times []time.Duration
			for b.Loop() {
				start := time.Now()
				get(b, bc.path)
				times = append(times, time.Since(start))
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
		})
	}
}
