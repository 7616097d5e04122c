package server

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// getUpdated and getDeleted on the wire (salesforce-rest-more.md §2): exact bodies of the
// answers and of every error, record visibility, and a Bulk hardDelete reported.

// startReplication is startData with the Bulk API Hard Delete permission on the
// Integration profile and the server's clock moved to base, a noon UTC 35 days after
// today: the org's creation day (the store dates it with the real clock) is then more
// than 30 days back, so the 30- and 15-day rules, not the org's age, bound windows.
// Tokens are issued after the move.
func startReplication(t *testing.T) (*dataServer, time.Time) {
	t.Helper()
	dir := t.TempDir()
	orgFile := filepath.Join(dir, "data.yaml")
	yaml := strings.Replace(dataOrgFile, "permissions: [ApiEnabled, ApiUserOnly]", "permissions: [ApiEnabled, ApiUserOnly, BulkApiHardDelete]", 1)
	if err := os.WriteFile(orgFile, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	s := startWith(t, Config{DB: filepath.Join(dir, "ff.db"), OrgFile: orgFile})
	base := time.Now().UTC().AddDate(0, 0, 35).Truncate(24 * time.Hour).Add(12 * time.Hour)
	s.Clock.Advance(base.Sub(s.Clock.Now()))
	return &dataServer{
		testServer: s,
		int:        s.token(t, "IntKey0001", "IntSecret0001"),
		peer:       s.token(t, "PeerKey0001", "PeerSecret0001"),
		reader:     s.token(t, "ReaderKey0001", "ReaderSecret0001"),
		auditor:    s.token(t, "AuditorKey0001", "AuditorSecret0001"),
	}, base
}

// repDate is the date form of getUpdated/getDeleted answers.
func repDate(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000+0000") }

// window is the query string of a window, the dates as jsforce encodes them.
func window(start, end time.Time) string {
	f := func(t time.Time) string { return url.QueryEscape(t.UTC().Format("2006-01-02T15:04:05-07:00")) }
	return "start=" + f(start) + "&end=" + f(end)
}

func TestReplicationWire(t *testing.T) {
	s, b := startReplication(t)
	at := func(d time.Duration) time.Time { return b.Add(d) }
	step := func(to time.Duration) { s.Clock.Advance(at(to).Sub(s.Clock.Now())) }

	a0 := s.create(t, s.int, "Account", `{"Name":"Zeroth"}`) // b, never changed
	a1 := s.create(t, s.int, "Account", `{"Name":"First"}`)  // b, then b+90s
	step(30 * time.Second)
	a2 := s.create(t, s.int, "Account", `{"Name":"Second"}`) // b+30s
	c2 := s.create(t, s.int, "Contact", `{"LastName":"Child","AccountId":"`+a2+`"}`)
	step(90 * time.Second)
	if r := s.call(t, s.int, "PATCH", "/sobjects/Account/"+a1, `{"Name":"First, changed"}`); r.Status != 204 { // b+90s
		t.Fatalf("update: %d %s", r.Status, r.Body)
	}
	step(150 * time.Second)
	if r := s.call(t, s.int, "DELETE", "/sobjects/Account/"+a2, ""); r.Status != 204 { // b+150s
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	// Invoice__c is Private: int owns one, peer two and deletes one.
	step(200 * time.Second)
	i1 := s.create(t, s.int, "Invoice__c", `{"Number__c":"R-1"}`)
	i2 := s.create(t, s.peer, "Invoice__c", `{"Number__c":"R-2"}`)
	i3 := s.create(t, s.peer, "Invoice__c", `{"Number__c":"R-3"}`)
	step(210 * time.Second)
	if r := s.call(t, s.peer, "DELETE", "/sobjects/Invoice__c/"+i2, ""); r.Status != 204 {
		t.Fatalf("delete invoice: %d %s", r.Status, r.Body)
	}
	// A Bulk API 2.0 hardDelete of a live record (b+240s): its row is gone, its log stays.
	step(240 * time.Second)
	a3 := s.create(t, s.int, "Account", `{"Name":"Third"}`)
	if _, info := s.runIngest(t, s.int, `{"object":"Account","operation":"hardDelete"}`, "Id\n"+a3+"\n"); info["numberRecordsFailed"] != 0.0 {
		t.Fatalf("hardDelete: %v", info)
	}
	step(10 * time.Minute)
	earliest := repDate(at(10*time.Minute - 15*24*time.Hour))

	for _, tc := range []struct {
		name, token, path string
		status            int
		body              string
	}{
		{"updated, jsforce form (no slash), seconds truncated", s.int,
			"/sobjects/Account/updated?" + window(at(15*time.Second), at(2*time.Minute+59*time.Second)), 200,
			`{"ids":["` + a0 + `","` + a1 + `"],"latestDateCovered":"` + repDate(at(2*time.Minute)) + `"}`},
		{"updated, simple-salesforce form (slash), creates count", s.int,
			"/sobjects/Account/updated/?start=" + url.QueryEscape(b.Format("2006-01-02T15:04:05+00:00")) +
				"&end=" + url.QueryEscape(at(time.Minute).Format("2006-01-02T15:04:05+00:00")), 200,
			`{"ids":["` + a0 + `"],"latestDateCovered":"` + repDate(at(time.Minute)) + `"}`},
		{"updated, the later update moves a1, a2 deleted", s.int,
			"/sobjects/Account/updated/?" + window(at(time.Minute), at(10*time.Minute)), 200,
			`{"ids":["` + a1 + `"],"latestDateCovered":"` + repDate(at(10*time.Minute)) + `"}`},
		{"updated, naive datetime with a trailing colon, a '+' as a space", s.int,
			"/sobjects/Account/updated/?start=" + url.PathEscape(b.Format("2006-01-02T15:04:05")) + "%3A&end=" +
				at(time.Hour).Format("2006-01-02T15:04:05") + "+00:00", 200,
			`{"ids":["` + a0 + `","` + a1 + `"],"latestDateCovered":"` + repDate(at(10*time.Minute)) + `"}`},
		{"updated, the user's own invoices only (Private)", s.int,
			"/sobjects/Invoice__c/updated/?" + window(b, at(time.Hour)), 200,
			`{"ids":["` + i1 + `"],"latestDateCovered":"` + repDate(at(10*time.Minute)) + `"}`},
		{"updated, View All sees every live invoice", s.auditor,
			"/sobjects/Invoice__c/updated/?" + window(b, at(time.Hour)), 200,
			`{"ids":["` + i1 + `","` + i3 + `"],"latestDateCovered":"` + repDate(at(10*time.Minute)) + `"}`},
		{"updated, empty window", s.int,
			"/sobjects/Contact/updated/?" + window(b, at(time.Hour)), 200,
			`{"ids":[],"latestDateCovered":"` + repDate(at(10*time.Minute)) + `"}`},
		{"deleted: a soft delete and a Bulk hardDelete, seconds kept", s.int,
			"/sobjects/Account/deleted/?" + window(b, at(time.Hour)), 200,
			`{"deletedRecords":[{"deletedDate":"` + repDate(at(150*time.Second)) + `","id":"` + a2 + `"},{"deletedDate":"` +
				repDate(at(240*time.Second)) + `","id":"` + a3 + `"}],"earliestDateAvailable":"` + earliest +
				`","latestDateCovered":"` + repDate(at(10*time.Minute)) + `"}`},
		{"deleted, no slash, end excludes", s.int,
			"/sobjects/Account/deleted?" + window(b, at(4*time.Minute)), 200,
			`{"deletedRecords":[{"deletedDate":"` + repDate(at(150*time.Second)) + `","id":"` + a2 + `"}],"earliestDateAvailable":"` + earliest +
				`","latestDateCovered":"` + repDate(at(4*time.Minute)) + `"}`},
		{"deleted, a cascade-deleted child", s.int,
			"/sobjects/Contact/deleted/?" + window(b, at(time.Hour)), 200,
			`{"deletedRecords":[{"deletedDate":"` + repDate(at(150*time.Second)) + `","id":"` + c2 + `"}],"earliestDateAvailable":"` + earliest +
				`","latestDateCovered":"` + repDate(at(10*time.Minute)) + `"}`},
		{"deleted, another owner's invoice is not seen", s.int,
			"/sobjects/Invoice__c/deleted/?" + window(b, at(time.Hour)), 200,
			`{"deletedRecords":[],"earliestDateAvailable":"` + earliest + `","latestDateCovered":"` + repDate(at(10*time.Minute)) + `"}`},
		{"deleted, by its owner", s.peer,
			"/sobjects/Invoice__c/deleted/?" + window(b, at(time.Hour)), 200,
			`{"deletedRecords":[{"deletedDate":"` + repDate(at(210*time.Second)) + `","id":"` + i2 + `"}],"earliestDateAvailable":"` + earliest +
				`","latestDateCovered":"` + repDate(at(10*time.Minute)) + `"}`},
		{"deleted, with View All", s.auditor,
			"/sobjects/Invoice__c/deleted/?" + window(b, at(time.Hour)), 200,
			`{"deletedRecords":[{"deletedDate":"` + repDate(at(210*time.Second)) + `","id":"` + i2 + `"}],"earliestDateAvailable":"` + earliest +
				`","latestDateCovered":"` + repDate(at(10*time.Minute)) + `"}`},

		{"a window under one minute", s.int, "/sobjects/Account/updated/?" + window(at(10*time.Second), at(59*time.Second)), 400,
			`[{"message":"startDate must be at least one minute greater than endDate","errorCode":"INVALID_REPLICATION_DATE"}]`},
		{"end before start", s.int, "/sobjects/Account/deleted/?" + window(at(time.Hour), b), 400,
			`[{"message":"startDate must be at least one minute greater than endDate","errorCode":"INVALID_REPLICATION_DATE"}]`},
		{"before the org existed", s.int, "/sobjects/Account/updated/?start=2001-01-01T00%3A00%3A00%2B00%3A00&end=2001-01-02T00%3A00%3A00%2B00%3A00", 400,
			`[{"message":"startDate before org replication enabled date","errorCode":"INVALID_REPLICATION_DATE"}]`},
		{"updated: more than 30 days back", s.int, "/sobjects/Account/updated/?" + window(at(-31*24*time.Hour+10*time.Minute), b), 400,
			`[{"message":"startDate cannot be more than 30 days ago","errorCode":"INVALID_REPLICATION_DATE"}]`},
		{"deleted: more than 15 days back", s.int, "/sobjects/Account/deleted/?" + window(at(-16*24*time.Hour), b), 400,
			`[{"message":"startDate cannot be more than 15 days ago","errorCode":"INVALID_REPLICATION_DATE"}]`},
		{"no start", s.int, "/sobjects/Account/updated/?end=2026-11-22T10%3A00%3A00Z", 400,
			`[{"message":"start not specified","errorCode":"MISSING_ARGUMENT"}]`},
		{"no parameters", s.int, "/sobjects/Account/deleted/", 400,
			`[{"message":"start not specified","errorCode":"MISSING_ARGUMENT"}]`},
		{"no end", s.int, "/sobjects/Account/updated?start=2026-11-22T10%3A00%3A00Z", 400,
			`[{"message":"end not specified","errorCode":"MISSING_ARGUMENT"}]`},
		{"unparseable start", s.int, "/sobjects/Account/updated/?start=yesterday&end=2026-11-22T10%3A00%3A00Z", 400,
			`[{"message":"startDate is not a valid dateTime: yesterday","errorCode":"INVALID_REPLICATION_DATE"}]`},
		{"unparseable end", s.int, "/sobjects/Account/updated/?start=2026-11-22T10%3A00%3A00Z&end=2026-02-30T00%3A00%3A00Z", 400,
			`[{"message":"endDate is not a valid dateTime: 2026-02-30T00:00:00Z","errorCode":"INVALID_REPLICATION_DATE"}]`},
		{"a Setup object: its users were created with the real clock, weeks before", s.int, "/sobjects/User/updated/?" + window(b, at(time.Hour)), 200,
			`{"ids":[],"latestDateCovered":"` + repDate(at(10*time.Minute)) + `"}`},
		{"a Setup object has no deletes", s.int, "/sobjects/User/deleted/?" + window(b, at(time.Hour)), 200,
			`{"deletedRecords":[],"earliestDateAvailable":"` + earliest + `","latestDateCovered":"` + repDate(at(10*time.Minute)) + `"}`},
		{"an object without SystemModstamp", s.int, "/sobjects/LoginHistory/updated/?" + window(b, at(time.Hour)), 400,
			`[{"message":"sObject type 'LoginHistory' is not supported.","errorCode":"INVALID_TYPE"}]`},
		{"an object the user cannot read", s.reader, "/sobjects/Contact/updated/?" + window(b, at(time.Hour)), 404, notFoundBody},
		{"a path below it", s.int, "/sobjects/Account/deleted/x?" + window(b, at(time.Hour)), 404, notFoundBody},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.call(t, tc.token, "GET", tc.path, "")
			if r.Status != tc.status || r.Body != tc.body {
				t.Errorf("GET %s\ngot  %d %s\nwant %d %s", tc.path, r.Status, r.Body, tc.status, tc.body)
			}
			if ct := r.Header.Get("Content-Type"); ct != "application/json;charset=UTF-8" {
				t.Errorf("Content-Type = %q", ct)
			}
		})
	}
	t.Run("POST is not allowed", func(t *testing.T) {
		wantErrorBody(t, s.call(t, s.int, http.MethodPost, "/sobjects/Account/updated/?"+window(b, at(time.Hour)), "{}"), 405,
			`[{"message":"HTTP Method 'POST' not allowed. Allowed are GET,HEAD","errorCode":"METHOD_NOT_ALLOWED"}]`)
	})
}
