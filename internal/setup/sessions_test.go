package setup_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/setup"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// issue starts a session of the user (of app, when set) and returns its token and row.
func (e *testEnv) issue(t *testing.T, u org.User, app sfid.ID) (string, org.Session) {
	t.Helper()
	tok, s, err := e.sessions.Issue(context.Background(), org.Session{OrgID: u.OrgID, UserID: u.ID, AppID: app,
		LoginType: org.LoginSubTypeClientCredentials, CreatedAt: e.now, LastActivity: e.now, Timeout: time.Hour}, org.LoginEvent{})
	if err != nil {
		t.Fatal(err)
	}
	return tok, s
}

// alive reports whether the token's session still validates.
func (e *testEnv) alive(tok string) bool {
	_, err := e.sessions.Validate(context.Background(), tok)
	return err == nil
}

var console = setup.Actor{Name: "admin@acme.test"}

func TestRevokeSession(t *testing.T) {
	tests := []struct {
		name      string
		id        func(s org.Session) sfid.ID
		wantKind  setup.Kind
		wantErr   bool
		wantAlive bool
		wantAudit []string
	}{
		{name: "a live session ends, the row names the console user",
			id:        func(s org.Session) sfid.ID { return s.ID },
			wantAudit: []string{"admin@acme.test|revokedSession|Removed session %s of user sam@acme.test"}},
		{name: "an unknown session is NotFound and writes nothing",
			id:      func(org.Session) sfid.ID { return sfid.New("0Ak", "9Z", 424242) },
			wantErr: true, wantKind: setup.NotFound, wantAlive: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newTestService(t)
			tok, s := env.issue(t, env.user(t, "sam@acme.test"), "")
			_, err := env.svc.RevokeSession(context.Background(), console, tt.id(s))
			if tt.wantErr {
				if e, ok := setup.AsError(err); !ok || e.Kind != tt.wantKind {
					t.Fatalf("err = %v, want kind %v", err, tt.wantKind)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if got := env.alive(tok); got != tt.wantAlive {
				t.Errorf("session alive = %v, want %v", got, tt.wantAlive)
			}
			var want []string
			for _, w := range tt.wantAudit {
				want = append(want, sprintf(w, s.ID))
			}
			if diff := cmp.Diff(want, env.audit(t)); diff != "" {
				t.Errorf("audit (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRevokeUserSessions(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	sam, admin := env.user(t, "sam@acme.test"), env.user(t, "admin@acme.test")
	s1, _ := env.issue(t, sam, "")
	s2, _ := env.issue(t, sam, env.app(t, "Sync").ID)
	other, _ := env.issue(t, admin, "")
	n, err := env.svc.RevokeUserSessions(ctx, console, sam.ID)
	if err != nil || n != 2 {
		t.Fatalf("RevokeUserSessions = %d, %v; want 2", n, err)
	}
	if env.alive(s1) || env.alive(s2) || !env.alive(other) {
		t.Errorf("alive: sam %v %v (want false), admin %v (want true)", env.alive(s1), env.alive(s2), env.alive(other))
	}
	if _, err := env.svc.RevokeUserSessions(ctx, console, sfid.New("005", "9Z", 999999)); err == nil {
		t.Error("an unknown user was accepted")
	}
	if diff := cmp.Diff([]string{"admin@acme.test|revokedUserSessions|Revoked 2 session(s) of user sam@acme.test"}, env.audit(t)); diff != "" {
		t.Errorf("audit (-want +got):\n%s", diff)
	}
}

// Blocking ends the app's sessions and refresh tokens (and nobody else's), is recorded
// once, and is undone by UnblockApp without bringing the sessions back.
func TestBlockApp(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	sync, bot, sam := env.app(t, "Sync"), env.user(t, "bot@acme.test"), env.user(t, "sam@acme.test")
	appTok, _ := env.issue(t, bot, sync.ID)
	uiTok, _ := env.issue(t, sam, "")
	rt := org.RefreshToken{TokenHash: []byte("hash-of-a-refresh-token-000000001"), OrgID: sync.OrgID, UserID: sam.ID, AppID: sync.ID, CreatedAt: env.now}
	if err := env.st.PutRefreshToken(ctx, &rt); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name        string
		do          func() error
		wantBlocked bool
	}{
		{"block", func() error { return env.svc.BlockApp(ctx, console, sync.ID) }, true},
		{"block again changes nothing", func() error { return env.svc.BlockApp(ctx, console, sync.ID) }, true},
		{"unblock", func() error { return env.svc.UnblockApp(ctx, console, sync.ID) }, false},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		a, err := env.svc.Directory().App(ctx, sync.ID)
		if err != nil || a.Blocked != st.wantBlocked {
			t.Errorf("%s: cached app Blocked = %v (%v), want %v", st.name, a.Blocked, err, st.wantBlocked)
		}
	}
	if env.alive(appTok) {
		t.Error("the app's session outlived the block")
	}
	if !env.alive(uiTok) {
		t.Error("a session of no app ended")
	}
	if ts, _ := env.st.RefreshTokens(ctx, store.GrantFilter{AppID: sync.ID}); len(ts) != 0 {
		t.Errorf("%d refresh tokens outlived the block", len(ts))
	}
	if err := env.svc.BlockApp(ctx, console, sfid.New("0H4", "9Z", 987654)); err == nil {
		t.Error("blocking an unknown app succeeded")
	}
	want := []string{"admin@acme.test|blockedConnectedApp|Blocked connected app Sync", "admin@acme.test|unblockedConnectedApp|Unblocked connected app Sync"}
	if diff := cmp.Diff(want, env.audit(t)); diff != "" {
		t.Errorf("audit (-want +got):\n%s", diff)
	}
}
