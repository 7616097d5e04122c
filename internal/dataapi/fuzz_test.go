package dataapi

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/directory"
	"github.com/forcefield/forcefield/internal/limits"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/orgfile"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/session"
	"github.com/forcefield/forcefield/internal/store/sqlite"
)

// fuzzOrg's daily limit is high enough that the fuzzer does not spend it in a run.
const fuzzOrg = `
orgs:
  - name: Fuzz
    dailyApiRequests: 1000000000
    profiles:
      - name: API
        permissions: [ApiEnabled, ViewSetup]
        objects:
          Account: [Read, Create, Edit, Delete]
          Contact: [Read, Create, Edit, Delete]
          Invoice__c: [Read, Create, Edit, Delete]
        fields:
          Account.*: [Read, Edit]
          Contact.*: [Read, Edit]
          Invoice__c.*: [Read, Edit]
      - name: None
        permissions: []
    objects:
      - name: Invoice__c
        label: Invoice
        sharingModel: Private
        fields:
          - {name: Amount__c, type: currency, precision: 18, scale: 2}
          - {name: Account__c, type: reference, referenceTo: Account, relationshipName: Invoices}
          - {name: Number__c, type: string, length: 32, externalId: true, unique: true}
          - {name: Status__c, type: picklist, values: [Draft, Sent, Paid], restricted: true}
          - {name: Tags__c, type: multipicklist, values: [Red, Green, Blue]}
          - {name: Due__c, type: date}
          - {name: Paid__c, type: boolean}
      - name: Account
        fields:
          - {name: Code__c, type: string, length: 20, externalId: true}
    users:
      - {username: api@fuzz.example, lastName: API, email: api@fuzz.example, profile: API}
      - {username: noapi@fuzz.example, lastName: NoAPI, email: noapi@fuzz.example, profile: None}
    connectedApps:
      - name: Main
        scopes: [api, id]
        clientCredentials: {enabled: true, runAs: api@fuzz.example}
`

// dataStack is the REST API over a real SQLite store and real sessions. The corpus holds
// placeholders — $TOKEN (api scope, API Enabled user), $NOAPI (user without API Enabled),
// $IDONLY (id scope only) — because each fuzzing worker issues its own tokens.
type dataStack struct {
	mux      *http.ServeMux
	replacer *strings.Replacer
	db       *sqlite.DB
}

func newDataStack(tb testing.TB) *dataStack {
	tb.Helper()
	return newDataStackAt(tb, nil)
}

// newDataStackAt is newDataStack with the data API's clock (nil: time.Now).
func newDataStackAt(tb testing.TB, now func() time.Time) *dataStack {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "ff.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	f, err := orgfile.Parse("fuzz.yaml", []byte(fuzzOrg))
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := orgfile.Apply(ctx, db, f); err != nil {
		tb.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	sessions := session.NewManager(db, session.Options{Logger: log})
	tb.Cleanup(func() { sessions.Close() }) // runs before db.Close
	dir := directory.New(db)
	st := &dataStack{mux: http.NewServeMux(), db: db}
	api := New(dir, sessions, limits.New(nil), "http://ff.test", log)
	api.EnableData(db, records.NewCatalogs(db, dir), now)
	api.Register(st.mux)

	users, err := db.Users(ctx, "")
	if err != nil {
		tb.Fatal(err)
	}
	apps, err := db.ConnectedApps(ctx, "")
	if err != nil || len(apps) != 1 {
		tb.Fatalf("apps %v: %v", apps, err)
	}
	byName := map[string]org.User{}
	for _, u := range users {
		byName[u.Username] = u
	}
	issue := func(username string, scopes ...string) string {
		u := byName[username]
		now := time.Now().UTC()
		tok, _, err := sessions.Issue(ctx, org.Session{OrgID: u.OrgID, UserID: u.ID, AppID: apps[0].ID, Scopes: scopes,
			SourceIP: "192.0.2.1", LoginType: org.LoginSubTypeClientCredentials, CreatedAt: now, LastActivity: now, Timeout: 2 * time.Hour},
			org.LoginEvent{OrgID: u.OrgID, UserID: u.ID, AppID: apps[0].ID, Time: now, Status: org.LoginStatusSuccess})
		if err != nil {
			tb.Fatal(err)
		}
		return tok
	}
	token := issue("api@fuzz.example", "api", "id")
	req := httptest.NewRequest("POST", "/services/data/v59.0/sobjects/Account", strings.NewReader(`{"Name":"Fuzz","Code__c":"A-1"}`))
	req.Header.Set("Authorization", "Bearer "+token)
	w := httptest.NewRecorder()
	st.mux.ServeHTTP(w, req)
	var created struct{ ID string }
	if err := json.Unmarshal(w.Body.Bytes(), &created); err != nil || w.Code != http.StatusCreated {
		tb.Fatalf("creating the fuzz Account: %d %s", w.Code, w.Body)
	}
	st.replacer = strings.NewReplacer(
		"$TOKEN", token,
		"$NOAPI", issue("noapi@fuzz.example", "api"),
		"$IDONLY", issue("api@fuzz.example", "id"),
		"$ACC", created.ID,
	)
	return st
}

var usageHeaderRE = regexp.MustCompile(`^api-usage=\d+/1000000000$`)

func FuzzDataRequest(f *testing.F) {
	st := newDataStack(f)
	for _, s := range []struct{ method, path, authorization, query, contentType, body string }{
		{"GET", "", "", "", "", ""},
		{"GET", "/", "", "", "", ""},
		{"HEAD", "", "", "", "", ""},
		{"POST", "", "", "", "application/json", "{}"},
		{"GET", "/v59.0", "Bearer $TOKEN", "", "", ""},
		{"GET", "/v59.0/", "Bearer $TOKEN", "", "", ""},
		{"GET", "/v59.0/limits", "Bearer $TOKEN", "", "", ""},
		{"GET", "/v59.0/limits/", "OAuth $TOKEN", "", "", ""},
		{"HEAD", "/v67.0/limits", "bearer $TOKEN", "", "", ""},
		{"POST", "/v59.0/limits", "Bearer $TOKEN", "", "application/json", `{"a":1}`},
		{"DELETE", "/v59.0/", "Bearer $TOKEN", "", "", ""},
		{"GET", "/v59.0/limits/x/y", "Bearer $TOKEN", "", "", ""},
		{"GET", "/v59.0/sobjects/Account", "Bearer $TOKEN", "fields=Id,Name", "", ""},
		{"GET", "/v59.0/query", "Bearer $TOKEN", "q=SELECT+Id+FROM+Account", "", ""},
		{"GET", "/v19.0/limits", "Bearer $TOKEN", "", "", ""},
		{"GET", "/vfoo/limits", "", "", "", ""},
		{"GET", "/latest", "Bearer $TOKEN", "", "", ""},
		{"GET", "/v59.0/limits", "", "", "", ""},
		{"GET", "/v59.0/limits", "Bearer garbage", "", "", ""},
		{"GET", "/v59.0/limits", "Bearer ", "", "", ""},
		{"GET", "/v59.0/limits", "Basic xxx", "", "", ""},
		{"GET", "/v59.0/limits", "Bearer $NOAPI", "", "", ""},
		{"GET", "/v59.0/limits", "Bearer $IDONLY", "", "", ""},
		{"GET", "//v59.0//limits//", "Bearer $TOKEN", "", "", ""},
		{"GET", "/v59.0/../limits", "Bearer $TOKEN", "", "", ""},
		{"GET", "/v59.0%2Flimits", "Bearer $TOKEN", "", "", ""},
		{"GET", "/v59.0/limits/recordCount", "Bearer $TOKEN", "sObjects=Account,Contact", "", ""},
		{"GET", "/v59.0/limits/recordCount/", "Bearer $TOKEN", "sObjects", "", ""},
		{"GET", "/v59.0/limits/recordCount", "Bearer $TOKEN", "sObjects=%2C%2C%20account%00&sObjects=Invoice__c", "", ""},
		{"GET", "/v39.0/limits/recordCount", "Bearer $TOKEN", "sObjects=Account", "", ""},
		{"PUT", "/v59.0/limits/recordCount", "Bearer $TOKEN", "", "application/json", "{}"},
	} {
		f.Add(s.method, s.path, s.authorization, s.query, s.contentType, s.body)
	}
	f.Fuzz(func(t *testing.T, method, path, authorization, query, contentType, body string) {
		if path != "" && !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		target := "http://ff.test/services/data" + path
		if query != "" {
			target += "?" + query
		}
		req, err := http.NewRequest(method, target, strings.NewReader(body))
		if err != nil {
			return // not a request an HTTP server would hand to a handler
		}
		if authorization != "" {
			req.Header.Set("Authorization", st.replacer.Replace(authorization))
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		req.RemoteAddr = "192.0.2.1:1234"
		w := httptest.NewRecorder()
		st.mux.ServeHTTP(w, req) // a panic fails the fuzz target

		if w.Code == http.StatusMovedPermanently || w.Code == http.StatusTemporaryRedirect || w.Code == http.StatusPermanentRedirect {
			// ServeMux cleaning the path (…/../…, //) before any handler runs.
			if w.Header().Get("Location") == "" {
				t.Fatalf("redirect %d without Location", w.Code)
			}
			return
		}
		if w.Code == http.StatusNotFound && !strings.HasPrefix(req.URL.Path, "/services/data") {
			return // the mux's own 404 for a path that left /services/data
		}
		checkResponse(t, req, w)
	})
}
