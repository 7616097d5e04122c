package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

func testLoginHistory(t *testing.T, s store.Store) {
	ctx := t.Context()
	f := newFixture(t, s)
	event := func(u org.User, a org.ConnectedApp, at time.Duration) *org.LoginEvent {
		return &org.LoginEvent{OrgID: u.OrgID, UserID: u.ID, AppID: a.ID, Time: base.Add(at), SourceIP: "192.0.2.1",
			LoginType: org.LoginTypeRemoteAccess2, LoginSubType: org.LoginSubTypeClientCredentials,
			Status: org.LoginStatusSuccess, Application: a.Name}
	}
	e := []*org.LoginEvent{
		event(f.user1, f.app1, 2*time.Minute),
		event(f.user2, f.app1, time.Minute),
		event(f.user3, f.app3, 3*time.Minute),
		{Time: base.Add(2 * time.Minute), SourceIP: "192.0.2.9", Status: "Failed: unknown client"}, // ties with e[0]
		event(f.user1, f.app2, 0),
	}
	must(t, "RecordLogins", s.RecordLogins(ctx, nil, e[:3]))
	must(t, "RecordLogins", s.RecordLogins(ctx, nil, e[3:]))
	pick := func(idx ...int) []org.LoginEvent {
		var out []org.LoginEvent
		for _, i := range idx {
			out = append(out, *e[i])
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		filter store.LoginFilter
		want   []org.LoginEvent
	}{
		{"all, newest first, ties by ID", store.LoginFilter{}, pick(2, 3, 0, 1, 4)},
		{"limit", store.LoginFilter{Limit: 2}, pick(2, 3)},
		{"org", store.LoginFilter{OrgID: f.org1.ID}, pick(0, 1, 4)},
		{"org limit", store.LoginFilter{OrgID: f.org1.ID, Limit: 1}, pick(0)},
		{"user", store.LoginFilter{UserID: f.user1.ID}, pick(0, 4)},
		{"app", store.LoginFilter{AppID: f.app1.ID}, pick(0, 1)},
		{"user and app", store.LoginFilter{UserID: f.user1.ID, AppID: f.app2.ID}, pick(4)},
		{"other org", store.LoginFilter{OrgID: f.org2.ID}, pick(2)},
		{"unknown org", store.LoginFilter{OrgID: missing(sfid.PrefixOrganization)}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.LoginHistory(ctx, tc.filter)
			must(t, "LoginHistory", err)
			diff(t, "LoginHistory", tc.want, got)
		})
	}
}

func testSettings(t *testing.T, s store.Store) {
	ctx := t.Context()
	_, err := s.Setting(ctx, "admin_token_hash")
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Setting(unset) error = %v, want ErrNotFound", err)
	}
	for _, step := range []struct{ key, value string }{
		{"admin_token_hash", "h1"},
		{"other", ""},
		{"admin_token_hash", "h2"}, // overwrite
	} {
		must(t, "PutSetting", s.PutSetting(ctx, step.key, step.value))
		got, err := s.Setting(ctx, step.key)
		must(t, "Setting", err)
		if got != step.value {
			t.Errorf("Setting(%q) = %q, want %q", step.key, got, step.value)
		}
	}
	got, err := s.Setting(ctx, "other")
	must(t, "Setting(other)", err)
	if got != "" {
		t.Errorf("Setting(other) = %q, want the empty value it was given", got)
	}
}
