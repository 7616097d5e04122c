package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/forcefield/forcefield/sfauth"
)

// Time travel (issue 14 §2): an org's clock offset, set through the admin API, moves
// everything about that org — and nothing about another org on the same server.

// travelOrgFile is two orgs with the same shape: Acme travels, Globex stays on real time.
const travelOrgFile = `
orgs:
  - name: Acme
    dailyApiRequests: 500
    profiles:
      - name: Integration
        permissions: [ApiEnabled, ApiUserOnly]
        objects: {Account: [Read, Create, Edit, Delete]}
        fields: {Account.*: [Read, Edit]}
    users:
      - {username: int@acme.example, lastName: Int, email: int@acme.example, profile: Integration, timeZone: Europe/London}
    connectedApps:
      - name: Acme App
        scopes: [api, refresh_token]
        consumerKey: AcmeTravel01
        consumerSecret: AcmeTravelSecret01
        refreshTokenPolicy: specific_lifetime:1:HOURS
        clientCredentials: {enabled: true, runAs: int@acme.example}
  - name: Globex
    dailyApiRequests: 500
    profiles:
      - name: Integration
        permissions: [ApiEnabled, ApiUserOnly]
        objects: {Account: [Read, Create, Edit, Delete]}
        fields: {Account.*: [Read, Edit]}
    users:
      - {username: int@globex.example, lastName: Int, email: int@globex.example, profile: Integration, timeZone: Europe/London}
    connectedApps:
      - name: Globex App
        scopes: [api, refresh_token]
        consumerKey: GlobexTravel01
        consumerSecret: GlobexTravelSecret01
        refreshTokenPolicy: specific_lifetime:1:HOURS
        clientCredentials: {enabled: true, runAs: int@globex.example}
`

const travelAPI = "/services/data/v62.0"

func startTravel(t *testing.T) *testServer {
	t.Helper()
	orgFile, dir := writeOrgFile(t, travelOrgFile)
	return startWith(t, Config{DB: dir + "/ff.db", OrgFile: orgFile})
}

// travel PUTs an org's clock and returns the view.
func (s *testServer) travel(t *testing.T, org, body string) map[string]any {
	t.Helper()
	r := s.admin(t, http.MethodPut, "/orgs/"+org+"/clock", body)
	if r.Status != http.StatusOK {
		t.Fatalf("PUT clock of %s %s: %d %s", org, body, r.Status, r.Body)
	}
	return r.JSON(t)
}

func (s *testServer) dailyAPI(t *testing.T, token string) limitPair {
	t.Helper()
	r := s.get(t, travelAPI+"/limits", token)
	if r.Status != http.StatusOK {
		t.Fatalf("GET /limits: %d %s", r.Status, r.Body)
	}
	return topLimits(t, r.Body)["DailyApiRequests"]
}

// TestTravelSessionsAndLimits: a session outlives nothing its org's time says it should;
// the other org's session and counts do not move.
func TestTravelSessionsAndLimits(t *testing.T) {
	s := startTravel(t)
	acme, globex := s.token(t, "AcmeTravel01", "AcmeTravelSecret01"), s.token(t, "GlobexTravel01", "GlobexTravelSecret01")
	for range 3 {
		s.dailyAPI(t, acme)
		s.dailyAPI(t, globex)
	}
	if got := s.dailyAPI(t, acme); got != (limitPair{500, 496}) {
		t.Fatalf("Acme DailyApiRequests before travel = %+v, want {500 496}", got)
	}

	// The default session timeout is 2 hours: 2h30m later the session is over.
	v := s.travel(t, "Acme", `{"advance":"2h30m"}`)
	if v["offset"] != "2h30m0s" || v["offsetSeconds"] != 9000.0 || v["org"] != "Acme" {
		t.Errorf("clock view = %v", v)
	}
	if want := s.Clock.Now().Add(150 * time.Minute).UTC().Format(time.RFC3339); !strings.HasPrefix(fmt.Sprint(v["now"]), want[:19]) {
		t.Errorf("clock now = %v, want %s", v["now"], want)
	}
	wantRESTError(t, s.get(t, travelAPI+"/limits", acme), http.StatusUnauthorized, "INVALID_SESSION_ID", "Session expired or invalid")
	if r := s.get(t, travelAPI+"/limits", globex); r.Status != http.StatusOK {
		t.Errorf("Globex (not travelled) after Acme's travel: %d %s", r.Status, r.Body)
	}

	// A new token is issued in the org's time (issued_at) and works.
	resp := s.tokenResponse(t, "AcmeTravel01", "AcmeTravelSecret01")
	if want := strconv.FormatInt(s.Clock.Now().Add(150*time.Minute).UnixMilli(), 10); resp["issued_at"] != want {
		t.Errorf("issued_at = %v, want the org's time %s", resp["issued_at"], want)
	}
	acme = resp["access_token"].(string)

	// 25 hours on, the 24-hour window has rolled: only this request counts.
	s.travel(t, "Acme", `{"offset":"25h"}`)
	acme = s.token(t, "AcmeTravel01", "AcmeTravelSecret01")
	if got := s.dailyAPI(t, acme); got != (limitPair{500, 499}) {
		t.Errorf("Acme DailyApiRequests after 25h = %+v, want {500 499}", got)
	}
	if got := s.dailyAPI(t, globex); got != (limitPair{500, 495}) {
		t.Errorf("Globex DailyApiRequests = %+v, want {500 495}: its window did not move", got)
	}

	// Reset: back to real time; the audit trail has each change.
	r := s.admin(t, http.MethodDelete, "/orgs/Acme/clock", "")
	if r.Status != http.StatusOK || r.JSON(t)["offset"] != "0s" {
		t.Errorf("DELETE clock: %d %s", r.Status, r.Body)
	}
	if r := s.admin(t, http.MethodGet, "/orgs/Globex/clock", ""); r.Status != http.StatusOK || r.JSON(t)["offset"] != "0s" {
		t.Errorf("GET Globex clock: %d %s", r.Status, r.Body)
	}
}

// TestTravelRecords: a record created while travelled carries the travelled time, and
// TODAY is the org's day.
func TestTravelRecords(t *testing.T) {
	s := startTravel(t)
	s.travel(t, "Acme", `{"offset":"25h"}`) // 2026-11-23 11:00 in Acme, 2026-11-22 10:00 elsewhere
	acme, globex := s.token(t, "AcmeTravel01", "AcmeTravelSecret01"), s.token(t, "GlobexTravel01", "GlobexTravelSecret01")
	create := func(token, name string) string {
		req := newRequest(t, http.MethodPost, s.URL+travelAPI+"/sobjects/Account", strings.NewReader(`{"Name":"`+name+`"}`))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		r := do(t, req)
		if r.Status != http.StatusCreated {
			t.Fatalf("create Account: %d %s", r.Status, r.Body)
		}
		return r.JSON(t)["id"].(string)
	}
	id := create(acme, "Travelled")
	create(globex, "Stayed")
	r := s.get(t, travelAPI+"/sobjects/Account/"+id+"?fields=CreatedDate,LastModifiedDate,SystemModstamp", acme)
	want := "2026-11-23T11:00:00.000+0000"
	for _, f := range []string{"CreatedDate", "LastModifiedDate", "SystemModstamp"} {
		if got := r.JSON(t)[f]; got != want {
			t.Errorf("%s = %v, want the org's time %s", f, got, want)
		}
	}
	count := func(token, where string) string {
		r := s.get(t, travelAPI+"/query?q="+url.QueryEscape("SELECT Name FROM Account WHERE "+where), token)
		if r.Status != http.StatusOK {
			t.Fatalf("query %s: %d %s", where, r.Status, r.Body)
		}
		var names []string
		for _, rec := range r.JSON(t)["records"].([]any) {
			names = append(names, rec.(map[string]any)["Name"].(string))
		}
		return strings.Join(names, ",")
	}
	tests := []struct {
		token, where, want string
	}{
		{acme, "CreatedDate = TODAY", "Travelled"},
		{acme, "CreatedDate = YESTERDAY", ""},
		{acme, "CreatedDate = LAST_N_DAYS:1", "Travelled"},
		{globex, "CreatedDate = TODAY", "Stayed"},
		{globex, "CreatedDate = YESTERDAY", ""},
	}
	for _, tt := range tests {
		if got := count(tt.token, tt.where); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.where, got, tt.want)
		}
	}
}

// TestTravelRefreshTokenAndSecrets: a refresh token past its app's lifetime in the org's
// time is refused; a rotated secret's 30 days run out in the org's time.
func TestTravelRefreshTokenAndSecrets(t *testing.T) {
	s := startTravel(t)
	mintFor := func(app, user string) string {
		r := s.admin(t, http.MethodPost, "/oauth-tokens", `{"app":"`+app+`","user":"`+user+`"}`)
		if r.Status != http.StatusCreated && r.Status != http.StatusOK {
			t.Fatalf("mint refresh token: %d %s", r.Status, r.Body)
		}
		return r.JSON(t)["refreshToken"].(string)
	}
	acmeRT, globexRT := mintFor("Acme App", "int@acme.example"), mintFor("Globex App", "int@globex.example")
	refresh := func(key, secret, rt string) response {
		return s.postForm(t, "/services/oauth2/token", url.Values{"grant_type": {"refresh_token"}, "client_id": {key},
			"client_secret": {secret}, "refresh_token": {rt}})
	}
	if r := refresh("AcmeTravel01", "AcmeTravelSecret01", acmeRT); r.Status != http.StatusOK {
		t.Fatalf("refresh before travel: %d %s", r.Status, r.Body)
	}
	s.travel(t, "Acme", `{"advance":"61m"}`) // the apps' refresh tokens live one hour
	wantOAuthError(t, refresh("AcmeTravel01", "AcmeTravelSecret01", acmeRT), http.StatusBadRequest, "invalid_grant", "expired access/refresh token")
	if r := refresh("GlobexTravel01", "GlobexTravelSecret01", globexRT); r.Status != http.StatusOK {
		t.Errorf("Globex refresh (not travelled): %d %s", r.Status, r.Body)
	}

	// Rotate Acme's secret: the old one keeps working for 30 days of Acme's time.
	r := s.admin(t, http.MethodPost, "/apps/Acme%20App/secrets", "")
	if r.Status != http.StatusCreated {
		t.Fatalf("rotate secret: %d %s", r.Status, r.Body)
	}
	newSecret := r.JSON(t)["consumerSecret"].(string)
	tokenWith := func(secret string) int {
		return s.postForm(t, "/services/oauth2/token", url.Values{"grant_type": {"client_credentials"},
			"client_id": {"AcmeTravel01"}, "client_secret": {secret}}).Status
	}
	if got := tokenWith("AcmeTravelSecret01"); got != http.StatusOK {
		t.Errorf("old secret right after the rotation: %d, want 200", got)
	}
	s.travel(t, "Acme", `{"advance":"721h"}`) // 30 days and an hour
	if got := tokenWith("AcmeTravelSecret01"); got != http.StatusBadRequest {
		t.Errorf("old secret 30 days later in Acme's time: %d, want 400", got)
	}
	if got := tokenWith(newSecret); got != http.StatusOK {
		t.Errorf("new secret: %d, want 200", got)
	}
	// The sweep deletes the expired pair in Acme's time (the server's is 30 days short).
	if n, err := s.setup.SweepExpiredCredentials(context.Background()); err != nil || n != 1 {
		t.Errorf("SweepExpiredCredentials = %d, %v; want 1 (Acme's rotated pair)", n, err)
	}
}

// TestTravelAdminAPI: the admin API's validation and the audit row.
func TestTravelAdminAPI(t *testing.T) {
	s := startTravel(t)
	tests := []struct {
		method, path, body string
		status             int
		contains           string
	}{
		{http.MethodPut, "/orgs/Acme/clock", `{"offset":"-1h"}`, 400, "time only moves forward"},
		{http.MethodPut, "/orgs/Acme/clock", `{"advance":"-1h"}`, 400, "time only moves forward"},
		{http.MethodPut, "/orgs/Acme/clock", `{"offset":"2 hours"}`, 400, "is not a duration"},
		{http.MethodPut, "/orgs/Acme/clock", `{"offset":"1h","advance":"1h"}`, 400, "body must be JSON"},
		{http.MethodPut, "/orgs/Acme/clock", `{}`, 400, "body must be JSON"},
		{http.MethodPut, "/orgs/Acme/clock", `{"offset":"100000h"}`, 400, "more than the maximum"},
		{http.MethodPut, "/orgs/Nowhere/clock", `{"offset":"1h"}`, 404, "NOT_FOUND"},
		{http.MethodGet, "/orgs/Nowhere/clock", ``, 404, "NOT_FOUND"},
		{http.MethodPut, "/orgs/Acme/clock", `{"offset":"90m"}`, 200, `"offset":"1h30m0s"`},
		{http.MethodPut, "/orgs/acme/clock", `{"advance":"30m"}`, 200, `"offset":"2h0m0s"`},
		{http.MethodGet, "/orgs/Acme/clock", ``, 200, `"offsetSeconds":7200`},
	}
	for _, tt := range tests {
		r := s.admin(t, tt.method, tt.path, tt.body)
		if r.Status != tt.status || !strings.Contains(r.Body, tt.contains) {
			t.Errorf("%s %s %s: %d %s, want %d containing %q", tt.method, tt.path, tt.body, r.Status, r.Body, tt.status, tt.contains)
		}
	}
	id := s.admin(t, http.MethodGet, "/orgs/Acme/clock", "").JSON(t)["orgId"].(string)
	r := s.admin(t, http.MethodGet, "/audit-trail?org="+id, "")
	if !strings.Contains(r.Body, "changedOrgClock") || !strings.Contains(r.Body, "from 1h30m0s to 2h0m0s ahead of real time") {
		t.Errorf("audit trail lacks the clock changes: %d %s", r.Status, r.Body)
	}
}

// TestTravelSfauth: a real client, sfauth's Transport, renews its token by itself when a
// travel expires the session, and the call it was making succeeds.
func TestTravelSfauth(t *testing.T) {
	s := startTravel(t)
	cfg := &sfauth.Config{URL: s.URL, ClientID: "AcmeTravel01", ClientSecret: "AcmeTravelSecret01"}
	src := cfg.TokenSource(context.Background())
	client := &http.Client{Transport: &sfauth.Transport{Source: src}, Timeout: 30 * time.Second}
	get := func() {
		t.Helper()
		resp, err := client.Get(s.URL + travelAPI + "/limits")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET /limits through sfauth: %d", resp.StatusCode)
		}
	}
	get()
	before, err := src.Current(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s.travel(t, "Acme", `{"advance":"3h"}`)
	get() // 401 INVALID_SESSION_ID, renewed, retried
	after, err := src.Current(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if after.AccessToken == before.AccessToken {
		t.Error("sfauth kept the expired token: the travel did not expire the session")
	}
}
