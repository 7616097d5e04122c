package storetest

import (
	"crypto/sha256"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// hash returns a token hash for a test token name.
func hash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// session builds a session of user u through app a created at base+at.
func session(token string, u org.User, a org.ConnectedApp, at, timeout time.Duration) *org.Session {
	t := base.Add(at)
	return &org.Session{
		TokenHash: hash(token), OrgID: u.OrgID, UserID: u.ID, AppID: a.ID,
		Scopes: []string{"api", "id"}, SourceIP: "203.0.113.7", LoginType: org.LoginSubTypeClientCredentials,
		CreatedAt: t, LastActivity: t, Timeout: timeout,
	}
}

// record stores sessions (and no logins) and returns them as values.
func record(t *testing.T, s store.Store, sessions ...*org.Session) []org.Session {
	t.Helper()
	must(t, "RecordLogins", s.RecordLogins(t.Context(), sessions, nil))
	out := make([]org.Session, len(sessions))
	for i, x := range sessions {
		out[i] = *x
	}
	return out
}

func testRecordLogins(t *testing.T, s store.Store) {
	ctx := t.Context()
	f := newFixture(t, s)
	must(t, "RecordLogins(nil, nil)", s.RecordLogins(ctx, nil, nil))

	// A time in another zone with sub-millisecond digits comes back in UTC, truncated.
	east := time.FixedZone("UTC+5", 5*3600)
	odd := base.Add(1234567 * time.Nanosecond).In(east)
	sessions := []*org.Session{
		session("t1", f.user1, f.app1, 0, 2*time.Hour),
		session("t2", f.user2, f.app2, time.Second, 15*time.Minute),
		{TokenHash: hash("t3"), OrgID: f.org2.ID, UserID: f.user3.ID, AppID: f.app3.ID, CreatedAt: odd, LastActivity: odd, Timeout: time.Minute},
	}
	logins := []*org.LoginEvent{
		{OrgID: f.org1.ID, UserID: f.user1.ID, AppID: f.app1.ID, Time: base, SourceIP: "203.0.113.7",
			LoginType: org.LoginTypeRemoteAccess2, LoginSubType: org.LoginSubTypeClientCredentials, Status: org.LoginStatusSuccess,
			Application: f.app1.Name, LoginURL: "acme.my.salesforce.test", APIType: "N/A", APIVersion: "N/A",
			Browser: "Unknown", Platform: "Unknown"},
		{Time: odd, SourceIP: "198.51.100.1", Status: "Failed: invalid client credentials"}, // names no org
	}
	must(t, "RecordLogins", s.RecordLogins(ctx, sessions, logins))

	for i, x := range sessions {
		checkID(t, "session", x.ID, sfid.PrefixAuthSession)
		if i > 0 && seq(t, x.ID) != seq(t, sessions[i-1].ID)+1 {
			t.Errorf("session IDs %s, %s are not consecutive", sessions[i-1].ID, x.ID)
		}
	}
	for i, l := range logins {
		checkID(t, "login", l.ID, sfid.PrefixLoginHistory)
		if i > 0 && seq(t, l.ID) != seq(t, logins[i-1].ID)+1 {
			t.Errorf("login IDs %s, %s are not consecutive", logins[i-1].ID, l.ID)
		}
	}

	wantOdd := time.UnixMilli(base.UnixMilli() + 1).UTC()
	for i, x := range sessions {
		want := *x
		if i == 2 {
			want.CreatedAt, want.LastActivity = wantOdd, wantOdd
		}
		got, err := s.SessionByTokenHash(ctx, x.TokenHash)
		must(t, "SessionByTokenHash", err)
		diff(t, fmt.Sprintf("SessionByTokenHash(t%d)", i+1), want, got)
		diff(t, fmt.Sprintf("session t%d argument after RecordLogins", i+1), want, *x)
	}
	history, err := s.LoginHistory(ctx, store.LoginFilter{})
	must(t, "LoginHistory", err)
	wantLogins := []org.LoginEvent{*logins[1], *logins[0]} // newest first
	wantLogins[0].Time = wantOdd
	diff(t, "LoginHistory", wantLogins, history)
	diff(t, "login arguments after RecordLogins", wantLogins, []org.LoginEvent{*logins[1], *logins[0]})

	// A second batch continues the sequences.
	more := session("t4", f.user1, f.app1, time.Minute, time.Hour)
	login := &org.LoginEvent{OrgID: f.org1.ID, Time: base.Add(time.Minute), Status: org.LoginStatusSuccess}
	must(t, "RecordLogins(second batch)", s.RecordLogins(ctx, []*org.Session{more}, []*org.LoginEvent{login}))
	if seq(t, more.ID) != seq(t, sessions[2].ID)+1 || seq(t, login.ID) != seq(t, logins[1].ID)+1 {
		t.Errorf("second batch IDs %s, %s do not follow %s, %s", more.ID, login.ID, sessions[2].ID, logins[1].ID)
	}
	// Logins alone, sessions alone.
	must(t, "RecordLogins(logins only)", s.RecordLogins(ctx, nil, []*org.LoginEvent{{Time: base, Status: "Failed"}}))
	must(t, "RecordLogins(sessions only)", s.RecordLogins(ctx, []*org.Session{session("t5", f.user1, f.app1, 0, time.Hour)}, nil))
	history, err = s.LoginHistory(ctx, store.LoginFilter{})
	must(t, "LoginHistory", err)
	if len(history) != 4 {
		t.Errorf("LoginHistory has %d rows, want 4", len(history))
	}
}

// testRecordLoginsAtomic checks that a batch with a duplicate token hash stores nothing.
func testRecordLoginsAtomic(t *testing.T, s store.Store) {
	ctx := t.Context()
	f := newFixture(t, s)
	first := record(t, s, session("dup", f.user1, f.app1, 0, time.Hour))

	fresh := session("fresh", f.user1, f.app1, time.Second, time.Hour)
	dup := session("dup", f.user2, f.app2, time.Second, time.Hour)
	login := &org.LoginEvent{OrgID: f.org1.ID, Time: base, Status: org.LoginStatusSuccess}
	err := s.RecordLogins(ctx, []*org.Session{fresh, dup}, []*org.LoginEvent{login})
	wantErr(t, "RecordLogins(duplicate token hash)", err, store.ErrConflict)

	_, err = s.SessionByTokenHash(ctx, hash("fresh"))
	wantErr(t, "SessionByTokenHash(fresh) after failed batch", err, store.ErrNotFound)
	got, err := s.SessionByTokenHash(ctx, hash("dup"))
	must(t, "SessionByTokenHash(dup)", err)
	diff(t, "SessionByTokenHash(dup)", first[0], got)
	history, err := s.LoginHistory(ctx, store.LoginFilter{})
	must(t, "LoginHistory", err)
	diff(t, "LoginHistory after failed batch", []org.LoginEvent(nil), history)

	// The failed batch consumed no IDs.
	next := record(t, s, session("next", f.user1, f.app1, 0, time.Hour))
	if seq(t, next[0].ID) != seq(t, first[0].ID)+1 {
		t.Errorf("session after failed batch got ID %s, want the one after %s", next[0].ID, first[0].ID)
	}
}

func testTouchSessions(t *testing.T, s store.Store) {
	ctx := t.Context()
	f := newFixture(t, s)
	got := record(t, s,
		session("a", f.user1, f.app1, 0, 10*time.Minute),
		session("b", f.user1, f.app1, 0, 10*time.Minute),
	)
	a, b := got[0], got[1]
	must(t, "TouchSessions(empty)", s.TouchSessions(ctx, nil))

	for _, step := range []struct {
		name    string
		touches []store.Touch
		wantA   time.Time // LastActivity of a afterwards
		wantB   time.Time
	}{
		{"forward", []store.Touch{{TokenHash: a.TokenHash, LastActivity: base.Add(5 * time.Minute)}}, base.Add(5 * time.Minute), base},
		{"backward is ignored", []store.Touch{{TokenHash: a.TokenHash, LastActivity: base.Add(time.Minute)}}, base.Add(5 * time.Minute), base},
		{"equal is a no-op", []store.Touch{{TokenHash: a.TokenHash, LastActivity: base.Add(5 * time.Minute)}}, base.Add(5 * time.Minute), base},
		{"several, unknown ignored", []store.Touch{
			{TokenHash: hash("unknown"), LastActivity: base.Add(time.Hour)},
			{TokenHash: b.TokenHash, LastActivity: base.Add(7 * time.Minute)},
			{TokenHash: a.TokenHash, LastActivity: base.Add(9 * time.Minute)},
			{TokenHash: a.TokenHash, LastActivity: base.Add(8 * time.Minute)}, // older than the one before
		}, base.Add(9 * time.Minute), base.Add(7 * time.Minute)},
	} {
		must(t, "TouchSessions "+step.name, s.TouchSessions(ctx, step.touches))
		for _, c := range []struct {
			s    org.Session
			want time.Time
		}{{a, step.wantA}, {b, step.wantB}} {
			want := c.s
			want.LastActivity = c.want
			got, err := s.SessionByTokenHash(ctx, c.s.TokenHash)
			must(t, "SessionByTokenHash", err)
			diff(t, "session after "+step.name, want, got)
		}
	}
	_, err := s.SessionByTokenHash(ctx, hash("unknown"))
	wantErr(t, "touch created a session", err, store.ErrNotFound)

	// The expiry moved with the activity: at base+15m only b (active until base+17m) and
	// a (until base+19m) are alive, at base+18m only a.
	n, err := s.DeleteExpiredSessions(ctx, base.Add(15*time.Minute))
	must(t, "DeleteExpiredSessions", err)
	if n != 0 {
		t.Errorf("DeleteExpiredSessions(base+15m) = %d, want 0: touches must extend the expiry", n)
	}
	n, err = s.DeleteExpiredSessions(ctx, base.Add(18*time.Minute))
	must(t, "DeleteExpiredSessions", err)
	if n != 1 {
		t.Errorf("DeleteExpiredSessions(base+18m) = %d, want 1", n)
	}
	if _, err := s.SessionByTokenHash(ctx, a.TokenHash); err != nil {
		t.Errorf("session a, active until base+19m, is gone at base+18m: %v", err)
	}
}

func testListSessions(t *testing.T, s store.Store) {
	ctx := t.Context()
	f := newFixture(t, s)
	all := record(t, s,
		session("l1", f.user1, f.app1, 0, time.Hour),
		session("l2", f.user2, f.app1, time.Second, time.Hour),
		session("l3", f.user1, f.app2, 2*time.Second, time.Hour),
	)
	all = append(all, record(t, s,
		session("l4", f.user3, f.app3, 3*time.Second, time.Hour),
		session("l5", f.user1, f.app1, 4*time.Second, time.Hour),
	)...)
	pick := func(idx ...int) []org.Session { // newest first
		var out []org.Session
		for _, i := range slices.Backward(idx) {
			out = append(out, all[i-1])
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		filter store.SessionFilter
		want   []org.Session
	}{
		{"all", store.SessionFilter{}, pick(1, 2, 3, 4, 5)},
		{"limit", store.SessionFilter{Limit: 2}, pick(4, 5)},
		{"org", store.SessionFilter{OrgID: f.org1.ID}, pick(1, 2, 3, 5)},
		{"user", store.SessionFilter{UserID: f.user1.ID}, pick(1, 3, 5)},
		{"user limit", store.SessionFilter{UserID: f.user1.ID, Limit: 1}, pick(5)},
		{"app", store.SessionFilter{AppID: f.app1.ID}, pick(1, 2, 5)},
		{"user and app", store.SessionFilter{UserID: f.user1.ID, AppID: f.app1.ID}, pick(1, 5)},
		{"org and app of another org", store.SessionFilter{OrgID: f.org1.ID, AppID: f.app3.ID}, nil},
		{"unknown user", store.SessionFilter{UserID: missing(sfid.PrefixUser)}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.ListSessions(ctx, tc.filter)
			must(t, "ListSessions", err)
			diff(t, "ListSessions", tc.want, got)
		})
	}
}

func testDeleteSession(t *testing.T, s store.Store) {
	ctx := t.Context()
	f := newFixture(t, s)
	got := record(t, s,
		session("d1", f.user1, f.app1, 0, time.Hour),
		session("d2", f.user1, f.app1, 0, time.Hour),
		session("d3", f.user1, f.app1, 0, time.Hour),
	)
	deleted, err := s.DeleteSession(ctx, got[0].ID)
	must(t, "DeleteSession", err)
	diff(t, "DeleteSession", got[0], deleted)
	deleted, err = s.DeleteSessionByTokenHash(ctx, got[1].TokenHash)
	must(t, "DeleteSessionByTokenHash", err)
	diff(t, "DeleteSessionByTokenHash", got[1], deleted)

	_, err = s.DeleteSession(ctx, got[0].ID)
	wantErr(t, "DeleteSession again", err, store.ErrNotFound)
	_, err = s.DeleteSessionByTokenHash(ctx, got[1].TokenHash)
	wantErr(t, "DeleteSessionByTokenHash again", err, store.ErrNotFound)
	for _, x := range got[:2] {
		_, err = s.SessionByTokenHash(ctx, x.TokenHash)
		wantErr(t, "SessionByTokenHash(deleted)", err, store.ErrNotFound)
	}
	left, err := s.ListSessions(ctx, store.SessionFilter{})
	must(t, "ListSessions", err)
	diff(t, "sessions left", got[2:], left)

	// A deleted session's ID is not handed out again.
	next := record(t, s, session("d4", f.user1, f.app1, 0, time.Hour))
	if slices.ContainsFunc(got, func(x org.Session) bool { return x.ID == next[0].ID }) {
		t.Errorf("new session reuses ID %s", next[0].ID)
	}
}

func testDeleteUserSessions(t *testing.T, s store.Store) {
	ctx := t.Context()
	f := newFixture(t, s)
	got := record(t, s,
		session("u1", f.user1, f.app1, 0, time.Hour),
		session("u2", f.user2, f.app1, 0, time.Hour),
		session("u3", f.user1, f.app2, time.Second, time.Hour),
	)
	deleted, err := s.DeleteUserSessions(ctx, f.user1.ID)
	must(t, "DeleteUserSessions", err)
	diff(t, "DeleteUserSessions", []org.Session{got[2], got[0]}, deleted,
		cmpSortSessions)
	left, err := s.ListSessions(ctx, store.SessionFilter{})
	must(t, "ListSessions", err)
	diff(t, "sessions left", []org.Session{got[1]}, left)
	deleted, err = s.DeleteUserSessions(ctx, f.user1.ID)
	must(t, "DeleteUserSessions again", err)
	diff(t, "DeleteUserSessions again", []org.Session(nil), deleted)
}

func testDeleteExpiredSessions(t *testing.T, s store.Store) {
	ctx := t.Context()
	f := newFixture(t, s)
	var all []*org.Session
	for i := range 30 {
		// Expiries at base+1m … base+30m, with a mix of timeouts and creation times.
		created := time.Duration(i%3) * time.Minute
		all = append(all, session(fmt.Sprint("e", i), f.user1, f.app1, created, time.Duration(i+1)*time.Minute-created))
	}
	record(t, s, all...)
	for _, step := range []struct {
		now  time.Duration
		want int
	}{
		{0, 0},
		{time.Minute - time.Millisecond, 0},
		{time.Minute, 1}, // expiring exactly now: expired, as org.Session.Expired says
		{10*time.Minute + 30*time.Second, 9},
		{10*time.Minute + 30*time.Second, 0},
		{time.Hour, 20},
	} {
		now := base.Add(step.now)
		var wantLeft []org.Session
		for _, x := range slices.Backward(all) {
			if !x.Expired(now) {
				wantLeft = append(wantLeft, *x)
			}
		}
		n, err := s.DeleteExpiredSessions(ctx, now)
		must(t, "DeleteExpiredSessions", err)
		if n != step.want {
			t.Errorf("DeleteExpiredSessions(base+%v) = %d, want %d", step.now, n, step.want)
		}
		left, err := s.ListSessions(ctx, store.SessionFilter{})
		must(t, "ListSessions", err)
		diff(t, fmt.Sprintf("sessions left at base+%v", step.now), wantLeft, left)
	}
}
