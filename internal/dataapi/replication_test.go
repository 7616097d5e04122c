package dataapi

import (
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/apierror"
)

func TestParseReplicationDate(t *testing.T) {
	at := func(h, m, s, ns int) time.Time { return time.Date(2026, 11, 3, h, m, s, ns, time.UTC) }
	for _, tc := range []struct {
		in   string
		want time.Time // zero: refused
	}{
		{"2026-11-03T10:14:42+00:00", at(10, 14, 42, 0)}, // jsforce, simple-salesforce (aware)
		{"2026-11-03T10:14:42Z", at(10, 14, 42, 0)},
		{"2026-11-03T10:14:42z", at(10, 14, 42, 0)},
		{"2026-11-03T10:14:42+0000", at(10, 14, 42, 0)},
		{"2026-11-03T10:14:42.000+0000", at(10, 14, 42, 0)},
		{"2026-11-03T10:14:42.5Z", at(10, 14, 42, 500000000)},
		{"2026-11-03T10:14:42.123456789Z", at(10, 14, 42, 123456789)},
		{"2026-11-03T10:14:42 00:00", at(10, 14, 42, 0)}, // "+" decoded to a space
		{"2026-11-03T10:14:42:", at(10, 14, 42, 0)},      // simple-salesforce, naive datetime
		{"2026-11-03T10:14:42", at(10, 14, 42, 0)},
		{"2026-11-03T10:14", at(10, 14, 0, 0)},
		{"2026-11-03T10:14Z", at(10, 14, 0, 0)},
		{"2026-11-03t10:14:42Z", at(10, 14, 42, 0)},
		{"2026-11-03T12:14:42+02:00", at(10, 14, 42, 0)},
		{"2026-11-03T05:14:42-0500", at(10, 14, 42, 0)},
		{"2026-11-03T10:14:42 0530", at(4, 44, 42, 0)},
		{"", time.Time{}},
		{"2026-11-03", time.Time{}},
		{"2026-11-03 10:14:42Z", time.Time{}},
		{"2026-13-03T10:14:42Z", time.Time{}},
		{"2026-02-30T10:14:42Z", time.Time{}},
		{"2026-11-00T10:14:42Z", time.Time{}},
		{"2026-11-03T24:00:00Z", time.Time{}},
		{"2026-11-03T10:60:00Z", time.Time{}},
		{"2026-11-03T10:14:60Z", time.Time{}},
		{"2026-11-03T10:14:42+24:00", time.Time{}},
		{"2026-11-03T10:14:42+00:60", time.Time{}},
		{"2026-11-03T10:14:42+0", time.Time{}},
		{"2026-11-03T10:14:42+00:00:00", time.Time{}},
		{"2026-11-03T10:14:42.Z", time.Time{}},
		{"2026-11-03T10:14:42.1234567890Z", time.Time{}},
		{"2026-11-03T10:14:4Z", time.Time{}},
		{"2026-11-03T10:14:42PST", time.Time{}},
		{"+026-11-03T10:14:42Z", time.Time{}},
		{"2026-11-03T1a:14:42Z", time.Time{}},
		{"1699000000", time.Time{}},
		{"2026-11-03T10:14:42::", time.Time{}},
	} {
		got, err := parseReplicationDate(tc.in)
		if tc.want.IsZero() {
			if err == nil {
				t.Errorf("parseReplicationDate(%q) = %v, want an error", tc.in, got)
			}
			continue
		}
		if err != nil || !got.Equal(tc.want) || got.Location() != time.UTC {
			t.Errorf("parseReplicationDate(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

func FuzzParseReplicationDate(f *testing.F) {
	for _, s := range []string{"2026-11-03T10:14:42+00:00", "2026-11-03T10:14:42.000+0000", "2026-11-03T10:14:42:",
		"2026-11-03T10:14:42 00:00", "2026-11-03T10:14", "2026-02-30T10:14:42Z", "9999-12-31T23:59:59.999999999-23:59"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseReplicationDate(s)
		if err != nil {
			return
		}
		if got.Location() != time.UTC {
			t.Fatalf("%q: %v is not UTC", s, got)
		}
		// What is accepted is a real instant: written back in UTC it parses again to the
		// same instant (unless the offset pushed it out of four-digit years).
		if got.Year() < 0 || got.Year() > 9999 {
			return
		}
		again, err := parseReplicationDate(got.Format("2006-01-02T15:04:05.999999999Z07:00"))
		if err != nil || !again.Equal(got) {
			t.Fatalf("%q → %v → %v, %v", s, got, again, err)
		}
	})
}

func TestCheckWindow(t *testing.T) {
	now := time.Date(2026, 11, 22, 10, 30, 45, 0, time.UTC)
	created := time.Date(2026, 9, 1, 15, 0, 0, 0, time.UTC) // enabled 2026-09-01T00:00Z
	fresh := time.Date(2026, 11, 22, 10, 29, 0, 0, time.UTC)
	iso := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	type want struct {
		start, end, covered, earliest string
		code, msg                     string
	}
	ok := func(start, end, covered, earliest string) want {
		return want{start: start, end: end, covered: covered, earliest: earliest}
	}
	bad := func(code, msg string) want { return want{code: code, msg: msg} }
	const (
		lessThanAMinute = "startDate must be at least one minute greater than endDate"
		beforeOrg       = "startDate before org replication enabled date"
	)
	for _, tc := range []struct {
		name         string
		start, end   string
		noStart, noE bool
		created      time.Time
		deleted      bool
		want         want
	}{
		{name: "jsforce: exactly 60 s, seconds truncated", start: "2026-11-22T10:29:45+00:00", end: "2026-11-22T10:30:45+00:00",
			want: ok("2026-11-22T10:29:00Z", "2026-11-22T10:30:00Z", "2026-11-22T10:30:00Z", "2026-10-23T10:30:00Z")},
		{name: "59 s inside one minute", start: "2026-11-22T10:29:00Z", end: "2026-11-22T10:29:59Z", want: bad("INVALID_REPLICATION_DATE", lessThanAMinute)},
		{name: "61 s across a minute but under one after truncation", start: "2026-11-22T10:28:59Z", end: "2026-11-22T10:29:59Z",
			want: ok("2026-11-22T10:28:00Z", "2026-11-22T10:29:00Z", "2026-11-22T10:29:00Z", "2026-10-23T10:30:00Z")},
		{name: "same minute", start: "2026-11-22T10:29:10Z", end: "2026-11-22T10:29:50Z", want: bad("INVALID_REPLICATION_DATE", lessThanAMinute)},
		{name: "end before start", start: "2026-11-22T10:29:00Z", end: "2026-11-22T10:20:00Z", want: bad("INVALID_REPLICATION_DATE", lessThanAMinute)},
		{name: "end in the future: covered is now's minute", start: "2026-11-22T10:00:00Z", end: "2026-11-22T12:00:00Z",
			want: ok("2026-11-22T10:00:00Z", "2026-11-22T12:00:00Z", "2026-11-22T10:30:00Z", "2026-10-23T10:30:00Z")},
		{name: "all in the future: covered is start", start: "2026-11-22T11:00:00Z", end: "2026-11-22T12:00:00Z",
			want: ok("2026-11-22T11:00:00Z", "2026-11-22T12:00:00Z", "2026-11-22T11:00:00Z", "2026-10-23T10:30:00Z")},
		{name: "updated: 30 days back is allowed", start: "2026-10-23T10:30:00Z", end: "2026-10-24T00:00:00Z",
			want: ok("2026-10-23T10:30:00Z", "2026-10-24T00:00:00Z", "2026-10-24T00:00:00Z", "2026-10-23T10:30:00Z")},
		{name: "updated: a minute more is not", start: "2026-10-23T10:29:59Z", end: "2026-10-24T00:00:00Z",
			want: bad("INVALID_REPLICATION_DATE", "startDate cannot be more than 30 days ago")},
		{name: "deleted: 15 days", deleted: true, start: "2026-11-07T10:30:00Z", end: "2026-11-08T00:00:00Z",
			want: ok("2026-11-07T10:30:00Z", "2026-11-08T00:00:00Z", "2026-11-08T00:00:00Z", "2026-11-07T10:30:00Z")},
		{name: "deleted: 16 days", deleted: true, start: "2026-11-06T10:30:00Z", end: "2026-11-08T00:00:00Z",
			want: bad("INVALID_REPLICATION_DATE", "startDate cannot be more than 15 days ago")},
		{name: "before the org existed wins over too old", start: "2010-01-01T00:00:00Z", end: "2010-01-02T00:00:00Z",
			want: bad("INVALID_REPLICATION_DATE", beforeOrg)},
		{name: "fresh org: its creation day counts", created: fresh, deleted: true, start: "2026-11-22T00:00:00Z", end: "2026-11-22T10:31:00Z",
			want: ok("2026-11-22T00:00:00Z", "2026-11-22T10:31:00Z", "2026-11-22T10:30:00Z", "2026-11-22T00:00:00Z")},
		{name: "fresh org: the day before", created: fresh, start: "2026-11-21T23:59:00Z", end: "2026-11-22T10:31:00Z",
			want: bad("INVALID_REPLICATION_DATE", beforeOrg)},
		{name: "missing start", noStart: true, end: "2026-11-22T10:30:00Z", want: bad("MISSING_ARGUMENT", "start not specified")},
		{name: "missing end", start: "2026-11-22T10:30:00Z", noE: true, want: bad("MISSING_ARGUMENT", "end not specified")},
		{name: "empty start", start: "", end: "2026-11-22T10:30:00Z", want: bad("INVALID_REPLICATION_DATE", "startDate is not a valid dateTime: ")},
		{name: "bad end", start: "2026-11-22T10:00:00Z", end: "yesterday", want: bad("INVALID_REPLICATION_DATE", "endDate is not a valid dateTime: yesterday")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := created
			if !tc.created.IsZero() {
				c = tc.created
			}
			w, err := checkWindow(tc.start, tc.end, !tc.noStart, !tc.noE, now, c, tc.deleted)
			if tc.want.code != "" {
				var e *apierror.Error
				if !errors.As(err, &e) || e.Status != 400 || e.Code != tc.want.code || e.Message != tc.want.msg {
					t.Fatalf("err = %v, want 400 %s %q", err, tc.want.code, tc.want.msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := []time.Time{w.start, w.end, w.covered, w.earliest}
			exp := []time.Time{iso(tc.want.start), iso(tc.want.end), iso(tc.want.covered), iso(tc.want.earliest)}
			if d := cmp.Diff(exp, got); d != "" {
				t.Errorf("start, end, covered, earliest (-want +got):\n%s", d)
			}
		})
	}
}

func TestReplicationDate(t *testing.T) {
	got := replicationDate(time.Date(2013, 5, 7, 22, 7, 19, 123456789, time.FixedZone("x", 3600)))
	if want := "2013-05-07T21:07:19.123+0000"; got != want || !strings.HasSuffix(got, "+0000") {
		t.Errorf("replicationDate = %q, want %q", got, want)
	}
}

// More IDs than a call may return is EXCEEDED_ID_LIMIT, for updated and deleted alike
// (the limit, 600,000, is lowered to 1 here).
func TestReplicationIDLimit(t *testing.T) {
	var mu sync.Mutex
	clock := time.Now().UTC().Truncate(time.Minute).Add(10 * time.Second)
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	advance := func(d time.Duration) { mu.Lock(); clock = clock.Add(d); mu.Unlock() }
	from := now().Add(-time.Minute)
	st := newDataStackAt(t, now)
	var ids []string
	for _, name := range []string{"A", "B", "C", "D"} {
		w := st.serve(t, "POST", "/sobjects/Account", `{"Name":"`+name+`","Code__c":"ID-`+name+`"}`)
		var res struct{ ID string }
		if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil || w.Code != 201 {
			t.Fatalf("create: %d %s", w.Code, w.Body)
		}
		ids = append(ids, res.ID)
	}
	advance(time.Minute)
	for _, id := range ids[2:] {
		if w := st.serve(t, "DELETE", "/sobjects/Account/"+id, ""); w.Code != 204 {
			t.Fatalf("delete: %d %s", w.Code, w.Body)
		}
	}
	advance(3 * time.Minute)
	q := "?start=" + url.QueryEscape(from.Format(time.RFC3339)) + "&end=" + url.QueryEscape(from.Add(4*time.Minute).Format(time.RFC3339))
	for _, res := range []string{"updated", "deleted"} {
		if w := st.serve(t, "GET", "/sobjects/Account/"+res+q, ""); w.Code != 200 || strings.Count(w.Body.String(), `"001`) < 2 {
			t.Fatalf("%s: %d %s", res, w.Code, w.Body)
		}
	}
	defer func(n int) { maxReplicationIDs = n }(maxReplicationIDs)
	maxReplicationIDs = 1
	const want = `[{"message":"ID limit exceeded: more than 1 IDs in the window","errorCode":"EXCEEDED_ID_LIMIT"}]`
	for _, res := range []string{"updated", "deleted"} {
		if w := st.serve(t, "GET", "/sobjects/Account/"+res+q, ""); w.Code != 400 || w.Body.String() != want {
			t.Errorf("%s over the limit: %d %s", res, w.Code, w.Body)
		}
	}
}
