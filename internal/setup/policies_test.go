package setup_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/setup"
	"github.com/forcefield/forcefield/internal/sfid"
)

// Edit Policies: each rule of UpdatePolicies, one row each; a refused change keeps
// nothing and writes no audit row.
func TestUpdatePolicies(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	sync := env.app(t, "Sync")
	bot, sam := env.user(t, "bot@acme.test"), env.user(t, "sam@acme.test")
	actor := setup.Actor{Name: "admin@acme.test"}
	// An app without the client credentials flow, and an External Client App.
	var noCC, eca org.ConnectedApp
	if err := env.svc.Update(ctx, setup.Actor{Name: "test"}, func(tx *setup.Tx) error {
		noCC = org.ConnectedApp{OrgID: sync.OrgID, Name: "Web Only", ContactEmail: "admin@acme.test"}
		eca = org.ConnectedApp{OrgID: sync.OrgID, Name: "Eca", ContactEmail: "admin@acme.test", Kind: org.AppKindExternalClient,
			ClientCredentialsEnabled: true}
		if err := tx.PutConnectedApp(ctx, &noCC); err != nil {
			return err
		}
		return tx.PutConnectedApp(ctx, &eca)
	}); err != nil {
		t.Fatal(err)
	}
	base := setup.PoliciesOf(sync) // each accepted row on Sync moves it on
	for _, tc := range []struct {
		name  string
		app   sfid.ID
		p     func(p *setup.Policies) // applied to base
		field string                  // "" when accepted
		audit string                  // the row an accepted change writes; "" for none
	}{
		{"nothing changed", sync.ID, func(*setup.Policies) {}, "", ""},
		{"admin approved", sync.ID, func(p *setup.Policies) { p.PermittedUsers = org.PermittedAdminApprovedPreAuthorized }, "",
			"Changed the policies of connected app Sync: Permitted Users from All users may self-authorize to Admin approved users are pre-authorized"},
		{"unknown permitted users", sync.ID, func(p *setup.Policies) { p.PermittedUsers = "Everyone" }, "permittedUsers", ""},
		{"relax IP", sync.ID, func(p *setup.Policies) { p.IPRelaxation = org.IPRelaxBypass }, "",
			"Changed the policies of connected app Sync: IP Relaxation from Enforce IP restrictions to Relax IP restrictions"},
		{"unenforced IP relaxation", sync.ID, func(p *setup.Policies) { p.IPRelaxation = "BYPASS_2FACTOR" }, "ipRelaxation", ""},
		{"refresh inactivity", sync.ID, func(p *setup.Policies) { p.RefreshTokenPolicy = "specific_inactivity:3:DAYS" }, "",
			"Changed the policies of connected app Sync: Refresh Token Policy from Refresh token is valid until revoked to Expire refresh token if not used for 3 Day(s)"},
		{"malformed refresh policy", sync.ID, func(p *setup.Policies) { p.RefreshTokenPolicy = "specific_lifetime:0:DAYS" }, "refreshTokenPolicy", ""},
		{"two hours", sync.ID, func(p *setup.Policies) { p.SessionTimeoutMinutes = 120 }, "",
			"Changed the policies of connected app Sync: Timeout Value from --None-- to 2 hours"},
		{"ten minutes", sync.ID, func(p *setup.Policies) { p.SessionTimeoutMinutes = 10 }, "sessionTimeout", ""},
		{"run as sam", sync.ID, func(p *setup.Policies) { p.RunAsUserID = sam.ID }, "",
			"Changed the policies of connected app Sync: Run As from bot@acme.test to sam@acme.test"},
		{"run as nobody known", sync.ID, func(p *setup.Policies) { p.RunAsUserID = sfid.New(sfid.PrefixUser, "zz", 9) }, "runAs", ""},
		{"run as without the flow", noCC.ID, func(p *setup.Policies) { p.RunAsUserID = bot.ID }, "runAs", ""},
		{"ECA run as not API only", eca.ID, func(p *setup.Policies) { p.RunAsUserID = sam.ID }, "runAs", ""},
		{"ECA run as API only", eca.ID, func(p *setup.Policies) { p.RunAsUserID = bot.ID }, "",
			"Changed the policies of connected app Eca: Run As from no user to bot@acme.test"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := base
			if tc.app != sync.ID {
				p = setup.PoliciesOf(org.ConnectedApp{})
			}
			tc.p(&p)
			before := len(env.audit(t))
			appBefore, _ := env.st.ConnectedApp(ctx, tc.app)
			err := env.svc.UpdatePolicies(ctx, actor, tc.app, p)
			rows := env.audit(t)[before:]
			if tc.field != "" {
				if e, ok := setup.AsError(err); !ok || e.Kind != setup.Invalid || e.Field != tc.field {
					t.Fatalf("UpdatePolicies = %v, want Invalid on %s", err, tc.field)
				}
				if appAfter, _ := env.st.ConnectedApp(ctx, tc.app); !cmp.Equal(setup.PoliciesOf(appBefore), setup.PoliciesOf(appAfter)) {
					t.Error("a refused change was kept")
				}
				if len(rows) != 0 {
					t.Errorf("a refused change wrote %q", rows)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			if tc.audit != "" {
				want = []string{"admin@acme.test|changedConnectedAppPolicies|" + tc.audit}
			}
			if d := cmp.Diff(want, rows); d != "" {
				t.Errorf("audit (-want +got):\n%s", d)
			}
			app, _ := env.st.ConnectedApp(ctx, tc.app)
			if got := setup.PoliciesOf(app); !cmp.Equal(got, setup.PoliciesOf(org.ConnectedApp{PermittedUsers: p.PermittedUsers,
				IPRelaxation: p.IPRelaxation, RefreshTokenPolicy: p.RefreshTokenPolicy, SessionTimeoutMinutes: p.SessionTimeoutMinutes,
				RunAsUserID: p.RunAsUserID})) {
				t.Errorf("stored policies = %+v, want %+v", got, p)
			}
			if tc.app == sync.ID {
				base = setup.PoliciesOf(app) // the next row starts from here
			}
		})
	}
}

// Switching Permitted Users to admin-approved ends no session (as in Salesforce: users
// who are not pre-authorized lose access at their next token request).
func TestAdminApprovedEndsNoSession(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	sync, bot := env.app(t, "Sync"), env.user(t, "bot@acme.test")
	tok, _, err := env.sessions.Issue(ctx, org.Session{OrgID: bot.OrgID, UserID: bot.ID, AppID: sync.ID, LoginType: org.LoginSubTypeClientCredentials,
		CreatedAt: env.now, LastActivity: env.now, Timeout: time.Hour}, org.LoginEvent{})
	if err != nil {
		t.Fatal(err)
	}
	p := setup.PoliciesOf(sync)
	p.PermittedUsers = org.PermittedAdminApprovedPreAuthorized
	if err := env.svc.UpdatePolicies(ctx, setup.Actor{Name: "admin@acme.test"}, sync.ID, p); err != nil {
		t.Fatal(err)
	}
	if _, err := env.sessions.Validate(ctx, tok); err != nil {
		t.Errorf("the app's session ended: %v", err)
	}
	if org.PreAuthorized(env.app(t, "Sync"), bot) {
		t.Error("bot is pre-authorized without a profile or permission set on the app")
	}
}

// Manage Profiles / Manage Permission Sets: the lists are replaced, each id checked, one
// audit row naming what was added and removed.
func TestSetAppProfilesAndPermissionSets(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	sync, bot := env.app(t, "Sync"), env.user(t, "bot@acme.test")
	actor := setup.Actor{Name: "admin@acme.test"}
	profiles, err := env.st.Profiles(ctx, sync.OrgID)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]sfid.ID{}
	for _, p := range profiles {
		byName[p.Name] = p.ID
	}
	if err := env.svc.SetAppProfiles(ctx, actor, sync.ID, []sfid.ID{byName["Integration"], byName["Integration"]}); err != nil {
		t.Fatal(err)
	}
	if !org.PreAuthorized(env.app(t, "Sync"), bot) {
		t.Error("bot's profile is on the app, but bot is not pre-authorized")
	}
	if err := env.svc.SetAppProfiles(ctx, actor, sync.ID, []sfid.ID{byName["Standard User"]}); err != nil {
		t.Fatal(err)
	}
	err = env.svc.SetAppProfiles(ctx, actor, sync.ID, []sfid.ID{sfid.New(sfid.PrefixProfile, "zz", 5)})
	if e, ok := setup.AsError(err); !ok || e.Field != "profiles" {
		t.Errorf("an unknown profile = %v, want Invalid on profiles", err)
	}
	err = env.svc.SetAppPermissionSets(ctx, actor, sync.ID, []sfid.ID{byName["Integration"]}) // a profile id
	if e, ok := setup.AsError(err); !ok || e.Field != "permissionSets" {
		t.Errorf("a profile id as a permission set = %v, want Invalid on permissionSets", err)
	}
	if got := env.app(t, "Sync").ProfileIDs; !cmp.Equal(got, []sfid.ID{byName["Standard User"]}) {
		t.Errorf("profiles = %v", got)
	}
	want := []string{
		"admin@acme.test|changedConnectedAppProfiles|Changed the pre-authorized profiles of connected app Sync: added Integration",
		"admin@acme.test|changedConnectedAppProfiles|Changed the pre-authorized profiles of connected app Sync: added Standard User; removed Integration",
	}
	if d := cmp.Diff(want, env.audit(t)); d != "" {
		t.Errorf("audit (-want +got):\n%s", d)
	}
}
