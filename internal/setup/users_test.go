package setup_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/password"
	"github.com/forcefield/forcefield/internal/setup"
	"github.com/forcefield/forcefield/internal/sfid"
)

// profileID returns the Acme profile with the name.
func (e *testEnv) profileID(t *testing.T, name string) sfid.ID {
	t.Helper()
	ps, err := e.st.Profiles(context.Background(), e.user(t, "admin@acme.test").OrgID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Name == name {
			return p.ID
		}
	}
	t.Fatalf("no profile %s", name)
	return ""
}

// liveSession issues a UI session of the user and returns its token.
func (e *testEnv) liveSession(t *testing.T, u org.User) string {
	t.Helper()
	tok, _, err := e.sessions.Issue(context.Background(), org.Session{OrgID: u.OrgID, UserID: u.ID, LoginType: org.LoginSubTypeUILogin,
		CreatedAt: e.now, LastActivity: e.now, Timeout: time.Hour}, org.LoginEvent{})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func (e *testEnv) wantSession(t *testing.T, tok string, live bool) {
	t.Helper()
	_, err := e.sessions.Validate(context.Background(), tok)
	if (err == nil) != live {
		t.Errorf("session valid = %v (%v), want %v", err == nil, err, live)
	}
}

func TestCreateUser(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	orgID := env.user(t, "admin@acme.test").OrgID
	integration := env.profileID(t, "Integration")
	valid := setup.UserInput{FirstName: "Ivy", LastName: "Int", Email: "ivy@acme.test", Username: " Ivy@Acme.Test ",
		ProfileID: integration, Active: true, Password: "a good password"}

	u, generated, err := env.svc.CreateUser(ctx, adminActor, orgID, valid)
	if err != nil {
		t.Fatal(err)
	}
	if generated != "" {
		t.Errorf("a typed password came back as generated: %q", generated)
	}
	got := env.user(t, "ivy@acme.test")
	if diff := cmp.Diff([]string{u.ID.String(), "ivy@acme.test", "Ivy Int", "America/Los_Angeles", "en_US", "en_US", "iint"},
		[]string{got.ID.String(), got.Username, got.Name(), got.TimeZone, got.Locale, got.Language, setup.Alias(got)}); diff != "" {
		t.Errorf("stored user (-want +got):\n%s", diff)
	}
	if ok, _ := password.Verify(got.PasswordHash, "a good password"); !ok {
		t.Error("the typed password does not verify")
	}

	gen := valid
	gen.Username, gen.Password, gen.GeneratePassword = "gen@acme.test", "", true
	_, pw, err := env.svc.CreateUser(ctx, adminActor, orgID, gen)
	if err != nil || len(pw) < 8 {
		t.Fatalf("generated password %q, %v", pw, err)
	}
	if ok, _ := password.Verify(env.user(t, "gen@acme.test").PasswordHash, pw); !ok {
		t.Error("the generated password does not verify")
	}
	if diff := cmp.Diff([]string{"admin@acme.test|created|Created new user ivy@acme.test", "admin@acme.test|created|Created new user gen@acme.test"}, env.audit(t)); diff != "" {
		t.Errorf("audit (-want +got):\n%s", diff)
	}

	for _, tc := range []struct {
		name  string
		edit  func(*setup.UserInput)
		kind  setup.Kind
		field string
	}{
		{"no last name", func(in *setup.UserInput) { in.LastName = " " }, setup.Invalid, setup.FieldLastName},
		{"no email", func(in *setup.UserInput) { in.Email = "" }, setup.Invalid, setup.FieldEmail},
		{"username not an email", func(in *setup.UserInput) { in.Username = "ivy" }, setup.Invalid, setup.FieldUsername},
		{"no profile", func(in *setup.UserInput) { in.ProfileID = "" }, setup.Invalid, setup.FieldProfile},
		{"unknown profile", func(in *setup.UserInput) { in.ProfileID = "00eXXXXXXXXXXXXXXX" }, setup.Invalid, setup.FieldProfile},
		{"short password", func(in *setup.UserInput) { in.Password = "short" }, setup.Invalid, setup.FieldPassword},
		{"bad time zone", func(in *setup.UserInput) { in.TimeZone = "Mars/Olympus" }, setup.Invalid, setup.FieldTimeZone},
		{"duplicate username, other case", func(in *setup.UserInput) { in.Username = "SAM@acme.test" }, setup.Conflict, setup.FieldUsername},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := valid
			in.Username = "new@acme.test"
			tc.edit(&in)
			_, _, err := env.svc.CreateUser(ctx, adminActor, orgID, in)
			e, ok := setup.AsError(err)
			if !ok || e.Kind != tc.kind || e.Field != tc.field {
				t.Fatalf("CreateUser = %#v, want kind %d on %s", err, tc.kind, tc.field)
			}
			if tc.kind == setup.Conflict && e.Message != setup.MsgDuplicateUsername {
				t.Errorf("message %q", e.Message)
			}
			if _, err := env.st.UserByUsername(ctx, "new@acme.test"); err == nil {
				t.Error("a refused user was stored")
			}
		})
	}
	// Several problems at once: each beside its field.
	_, _, err = env.svc.CreateUser(ctx, adminActor, orgID, setup.UserInput{Username: "x"})
	if got := setup.FieldErrors(err); len(got) != 4 {
		t.Errorf("FieldErrors = %v, want LastName, Email, Username and Profile", got)
	}
}

// Usernames are unique across the server even when 16 admins create the same one at once:
// exactly one wins, the others get Salesforce's Duplicate Username.
func TestCreateUserRace(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	orgID := env.user(t, "admin@acme.test").OrgID
	in := setup.UserInput{LastName: "Racer", Email: "race@acme.test", Username: "race@acme.test", ProfileID: env.profileID(t, "Standard User"), Active: true}
	const n = 16
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := in
			in.FirstName = fmt.Sprint(i)
			_, _, errs[i] = env.svc.CreateUser(ctx, setup.Actor{Name: fmt.Sprintf("admin%d", i)}, orgID, in)
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
			continue
		}
		if e, ok := setup.AsError(err); !ok || e.Kind != setup.Conflict || e.Message != setup.MsgDuplicateUsername {
			t.Errorf("a loser got %v", err)
		}
	}
	if won != 1 {
		t.Errorf("%d creates succeeded, want 1", won)
	}
	if n := len(env.audit(t)); n != 1 {
		t.Errorf("%d audit rows, want 1", n)
	}
}

func TestUpdateUserDeactivate(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	bot := env.user(t, "bot@acme.test")
	tok := env.liveSession(t, bot)
	in := setup.UserInput{FirstName: "Robo", LastName: bot.LastName, Email: bot.Email, Username: bot.Username,
		ProfileID: bot.ProfileID, Active: true, TimeZone: bot.TimeZone, Locale: bot.Locale, Language: bot.Language}
	if _, err := env.svc.UpdateUser(ctx, adminActor, bot.OrgID, bot.ID, in); err != nil {
		t.Fatal(err)
	}
	env.wantSession(t, tok, true)
	// The Run As user of Sync may be deactivated, as in Salesforce; its sessions end.
	in.Active = false
	if _, err := env.svc.UpdateUser(ctx, adminActor, bot.OrgID, bot.ID, in); err != nil {
		t.Fatal(err)
	}
	env.wantSession(t, tok, false)
	if got := env.user(t, "bot@acme.test"); got.Active || got.FirstName != "Robo" {
		t.Errorf("after the edits: active %v, first name %q", got.Active, got.FirstName)
	}
	want := []string{"admin@acme.test|updated|Changed user bot@acme.test",
		"admin@acme.test|deactivatedUser|Deactivated user bot@acme.test: all of the user's sessions end"}
	if diff := cmp.Diff(want, env.audit(t)); diff != "" {
		t.Errorf("audit (-want +got):\n%s", diff)
	}
	// Taking another user's username, deactivating oneself, another org's user: refused.
	in.Username = "sam@acme.test"
	if _, err := env.svc.UpdateUser(ctx, adminActor, bot.OrgID, bot.ID, in); !isKind(err, setup.Conflict) {
		t.Errorf("taking sam's username: %v", err)
	}
	admin := env.user(t, "admin@acme.test")
	self := setup.UserInput{LastName: admin.LastName, Email: admin.Email, Username: admin.Username, ProfileID: admin.ProfileID}
	if _, err := env.svc.UpdateUser(ctx, setup.UserActor(admin), admin.OrgID, admin.ID, self); !isKind(err, setup.Invalid) {
		t.Errorf("deactivating oneself: %v", err)
	}
	if _, err := env.svc.UpdateUser(ctx, adminActor, "00DXXXXXXXXXXXXXXX", bot.ID, in); !isKind(err, setup.NotFound) {
		t.Errorf("a user of another org: %v", err)
	}
}

func TestPermissionSetAssignments(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	sam := env.user(t, "sam@acme.test")
	var ps org.PermissionSet
	err := env.svc.Update(ctx, setup.Actor{Name: "test"}, func(tx *setup.Tx) error {
		ps = org.PermissionSet{OrgID: sam.OrgID, Name: "API_Access"}
		return tx.PutPermissionSet(ctx, &ps)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := env.svc.AssignPermissionSet(ctx, adminActor, sam.OrgID, sam.ID, ps.ID); err != nil {
		t.Fatal(err)
	}
	if got := env.user(t, "sam@acme.test").PermissionSetIDs; !cmp.Equal(got, []sfid.ID{ps.ID}) {
		t.Errorf("assignments %v", got)
	}
	if err := env.svc.AssignPermissionSet(ctx, adminActor, sam.OrgID, sam.ID, ps.ID); !isKind(err, setup.Conflict) {
		t.Errorf("assigning twice: %v", err)
	}
	if err := env.svc.UnassignPermissionSet(ctx, adminActor, sam.OrgID, sam.ID, ps.ID); err != nil {
		t.Fatal(err)
	}
	if err := env.svc.UnassignPermissionSet(ctx, adminActor, sam.OrgID, sam.ID, ps.ID); !isKind(err, setup.NotFound) {
		t.Errorf("unassigning twice: %v", err)
	}
	want := []string{"admin@acme.test|assignedPermissionSet|Permission set API_Access: assigned to user sam@acme.test",
		"admin@acme.test|unassignedPermissionSet|Permission set API_Access: unassigned from user sam@acme.test"}
	if diff := cmp.Diff(want, env.audit(t)); diff != "" {
		t.Errorf("audit (-want +got):\n%s", diff)
	}
}

func TestFreezeUser(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	sam := env.user(t, "sam@acme.test")
	tok := env.liveSession(t, sam)
	if err := env.svc.FreezeUser(ctx, adminActor, sam.OrgID, sam.ID); err != nil {
		t.Fatal(err)
	}
	env.wantSession(t, tok, false)
	if !env.user(t, "sam@acme.test").Frozen {
		t.Fatal("not frozen")
	}
	// A frozen user cannot be chosen as an app's Run As user (CheckRunAs).
	app, err := env.st.ConnectedApps(ctx, sam.OrgID)
	if err != nil {
		t.Fatal(err)
	}
	if err := setup.CheckRunAs(ctx, env.st, app[0], sam.ID, "RunAs"); err == nil {
		t.Error("a frozen user passed CheckRunAs")
	}
	if err := env.svc.FreezeUser(ctx, adminActor, sam.OrgID, sam.ID); err != nil {
		t.Errorf("freezing twice: %v", err)
	}
	if err := env.svc.UnfreezeUser(ctx, adminActor, sam.OrgID, sam.ID); err != nil {
		t.Fatal(err)
	}
	if env.user(t, "sam@acme.test").Frozen {
		t.Fatal("still frozen")
	}
	admin := env.user(t, "admin@acme.test")
	if err := env.svc.FreezeUser(ctx, setup.UserActor(admin), admin.OrgID, admin.ID); !isKind(err, setup.Invalid) {
		t.Errorf("freezing oneself: %v", err)
	}
	want := []string{"admin@acme.test|frozeUser|Froze user sam@acme.test: all of the user's sessions end",
		"admin@acme.test|unfrozeUser|Unfroze user sam@acme.test"}
	if diff := cmp.Diff(want, env.audit(t)); diff != "" {
		t.Errorf("audit (-want +got):\n%s", diff)
	}
}

func TestUserCredentials(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	sam := env.user(t, "sam@acme.test")
	tok := env.liveSession(t, sam)
	for range 3 {
		if _, err := env.st.RecordLoginFailure(ctx, sam.ID, env.now, 3, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	if err := env.svc.SetPassword(ctx, adminActor, sam.OrgID, sam.ID, "short"); !isKind(err, setup.Invalid) {
		t.Errorf("a short password: %v", err)
	}
	if err := env.svc.SetPassword(ctx, adminActor, sam.OrgID, sam.ID, "a new password"); err != nil {
		t.Fatal(err)
	}
	env.wantSession(t, tok, false)
	if l, _ := env.st.Lockout(ctx, sam.ID); l.Locked(env.now) || l.Failures != 0 {
		t.Errorf("lockout after SetPassword: %+v", l)
	}
	if ok, _ := password.Verify(env.user(t, "sam@acme.test").PasswordHash, "a new password"); !ok {
		t.Error("the set password does not verify")
	}

	tok = env.liveSession(t, sam)
	pw, err := env.svc.ResetPassword(ctx, adminActor, sam.OrgID, sam.ID)
	if err != nil {
		t.Fatal(err)
	}
	env.wantSession(t, tok, false)
	if ok, _ := password.Verify(env.user(t, "sam@acme.test").PasswordHash, pw); !ok {
		t.Error("the reset password does not verify")
	}

	st, err := env.svc.ResetSecurityToken(ctx, adminActor, sam.OrgID, sam.ID)
	if err != nil || len(st) != org.SecurityTokenLen {
		t.Fatalf("security token %q, %v", st, err)
	}
	if ok, _ := password.Verify(env.user(t, "sam@acme.test").SecurityTokenHash, st); !ok {
		t.Error("the security token does not verify")
	}

	// Unlock: only a locked-out user.
	if err := env.svc.UnlockUser(ctx, adminActor, sam.OrgID, sam.ID); !isKind(err, setup.Invalid) {
		t.Errorf("unlocking a user who is not locked out: %v", err)
	}
	for range 3 {
		if _, err := env.st.RecordLoginFailure(ctx, sam.ID, env.now, 3, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	if err := env.svc.UnlockUser(ctx, adminActor, sam.OrgID, sam.ID); err != nil {
		t.Fatal(err)
	}
	if l, _ := env.st.Lockout(ctx, sam.ID); l.Locked(env.now) {
		t.Error("still locked out")
	}
	want := []string{
		"admin@acme.test|changedUserCredentials|Changed the password of user sam@acme.test: all of the user's sessions end",
		"admin@acme.test|changedUserCredentials|Reset the password of user sam@acme.test: all of the user's sessions end",
		"admin@acme.test|changedUserCredentials|Reset the security token of user sam@acme.test",
		"admin@acme.test|unlockedUser|Unlocked user sam@acme.test",
	}
	if diff := cmp.Diff(want, env.audit(t)); diff != "" {
		t.Errorf("audit (-want +got):\n%s", diff)
	}
	for _, row := range env.audit(t) {
		for _, s := range []string{pw, st, "a new password"} {
			if strings.Contains(row, s) {
				t.Errorf("audit row %q carries a secret", row)
			}
		}
	}
}
