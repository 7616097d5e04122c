package setup_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/directory"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/orgfile"
	"github.com/forcefield/forcefield/internal/session"
	"github.com/forcefield/forcefield/internal/setup"
	"github.com/forcefield/forcefield/internal/store"
	"github.com/forcefield/forcefield/internal/store/sqlite"
)

// testEnv is a Setup service over a real SQLite store, with the org file applied.
type testEnv struct {
	svc      *setup.Service
	st       *sqlite.DB
	sessions *session.Manager
	now      time.Time
}

// testOrgFile is the org every service test starts from.
const testOrgFile = `
orgs:
  - name: Acme
    profiles:
      - name: System Administrator
        permissions: [ApiEnabled, ModifyAllData, CustomizeApplication, ManageUsers, ViewSetup]
      - name: Standard User
        permissions: [ApiEnabled]
      - name: Integration
        permissions: [ApiEnabled, ApiUserOnly]
    users:
      - {username: admin@acme.test, lastName: Admin, email: admin@acme.test, profile: System Administrator, password: "Admin pass 1"}
      - {username: sam@acme.test, lastName: Sam, email: sam@acme.test, profile: Standard User, password: "Sam pass 1"}
      - {username: bot@acme.test, lastName: Bot, email: bot@acme.test, profile: Integration}
    connectedApps:
      - name: Sync
        contactEmail: admin@acme.test
        scopes: [api]
        consumerKey: SyncKey0001
        consumerSecret: SyncSecret0001
        clientCredentials: {enabled: true, runAs: bot@acme.test}
`

// newTestService returns a service over a fresh database holding testOrgFile, at a fixed
// time.
func newTestService(t *testing.T) *testEnv {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "setup.db"))
	if err != nil {
		t.Fatal(err)
	}
	env := &testEnv{st: st, now: time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)}
	clock := func() time.Time { return env.now }
	env.sessions = session.NewManager(st, session.Options{Now: clock})
	t.Cleanup(func() {
		env.sessions.Close()
		st.Close()
	})
	env.svc = setup.New(st, directory.New(st), env.sessions, clock, nil)
	f, err := orgfile.Parse("acme.yaml", []byte(testOrgFile))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := env.svc.ApplyOrgFile(ctx, setup.Actor{Name: "test"}, f); err != nil {
		t.Fatal(err)
	}
	return env
}

// user returns the user with the username.
func (e *testEnv) user(t *testing.T, username string) org.User {
	t.Helper()
	u, err := e.st.UserByUsername(context.Background(), username)
	if err != nil {
		t.Fatalf("user %s: %v", username, err)
	}
	return u
}

// app returns the connected app with the name.
func (e *testEnv) app(t *testing.T, name string) org.ConnectedApp {
	t.Helper()
	apps, err := e.st.ConnectedApps(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range apps {
		if a.Name == name {
			return a
		}
	}
	t.Fatalf("no app %s", name)
	return org.ConnectedApp{}
}

// audit returns the audit trail's rows after the org file's, oldest first, as
// "CreatedBy|Action|Display".
func (e *testEnv) audit(t *testing.T) []string {
	t.Helper()
	rows, err := e.st.SetupAuditTrail(context.Background(), store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(rows) - 1; i >= 0; i-- {
		if rows[i].CreatedBy == "test" {
			continue
		}
		out = append(out, rows[i].CreatedBy+"|"+rows[i].Action+"|"+rows[i].Display)
	}
	return out
}

// adminActor is the console's admin in service tests.
var adminActor = setup.Actor{Name: "admin@acme.test"}

// isKind reports whether err is a *setup.Error of kind k.
func isKind(err error, k setup.Kind) bool {
	e, ok := setup.AsError(err)
	return ok && e.Kind == k
}

// A change that fails leaves nothing behind (no row, no audit); one that commits ends the
// sessions it asked to end, after the commit.
func TestUpdate(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	sam := env.user(t, "sam@acme.test")
	tok, _, err := env.sessions.Issue(ctx, org.Session{OrgID: sam.OrgID, UserID: sam.ID, LoginType: org.LoginSubTypeUILogin,
		CreatedAt: env.now, LastActivity: env.now, Timeout: time.Hour}, org.LoginEvent{})
	if err != nil {
		t.Fatal(err)
	}
	actor := setup.Actor{Name: "admin@acme.test"}
	err = env.svc.Update(ctx, actor, func(tx *setup.Tx) error {
		u, err := tx.User(ctx, sam.ID)
		if err != nil {
			return err
		}
		u.LastName = "Changed"
		if err := tx.PutUser(ctx, &u); err != nil {
			return err
		}
		if err := tx.Audit(u.OrgID, org.AuditSectionUsers, org.AuditUpdated, u.ID, "should not stay"); err != nil {
			return err
		}
		tx.EndSessions(u.ID)
		return setup.Invalidf("refused")
	})
	if e, ok := setup.AsError(err); !ok || e.Kind != setup.Invalid || e.Message != "refused" {
		t.Fatalf("Update = %v, want the Invalid error", err)
	}
	if got := env.user(t, "sam@acme.test").LastName; got != "Sam" {
		t.Errorf("a refused change was kept: LastName %q", got)
	}
	if _, err := env.sessions.Validate(ctx, tok); err != nil {
		t.Errorf("a refused change ended the session: %v", err)
	}
	if diff := cmp.Diff([]string(nil), env.audit(t)); diff != "" {
		t.Errorf("audit after a refused change (-want +got):\n%s", diff)
	}

	err = env.svc.Update(ctx, actor, func(tx *setup.Tx) error {
		if err := tx.Audit(sam.OrgID, org.AuditSectionUsers, org.AuditUpdated, sam.ID, "ended Sam's sessions"); err != nil {
			return err
		}
		tx.EndSessions(sam.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.sessions.Validate(ctx, tok); err == nil {
		t.Error("the session outlived a change that ended it")
	}
	if diff := cmp.Diff([]string{"admin@acme.test|updated|ended Sam's sessions"}, env.audit(t)); diff != "" {
		t.Errorf("audit (-want +got):\n%s", diff)
	}
}
