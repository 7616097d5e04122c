package setup_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/setup"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

var sprintf = fmt.Sprintf

// grantFixture: Sync gets the refresh_token scope; sam holds an approval, a refresh token
// with a session minted from it, and a client-credentials-style session of Sync; admin
// holds a refresh token of Sync too.
type grantFixture struct {
	env               *testEnv
	sync              org.ConnectedApp
	sam, admin        org.User
	samRT, adminRT    org.RefreshToken
	samRTTok, samCC   string
	adminRTTok, samUI string
}

func newGrantFixture(t *testing.T) *grantFixture {
	t.Helper()
	env := newTestService(t)
	ctx := context.Background()
	f := &grantFixture{env: env, sam: env.user(t, "sam@acme.test"), admin: env.user(t, "admin@acme.test")}
	err := env.svc.Update(ctx, setup.Actor{Name: "test"}, func(tx *setup.Tx) error {
		a, err := tx.ConnectedApp(ctx, env.app(t, "Sync").ID)
		if err != nil {
			return err
		}
		a.Scopes = []string{"api", "refresh_token"}
		f.sync = a
		return tx.PutConnectedApp(ctx, &a)
	})
	if err != nil {
		t.Fatal(err)
	}
	mint := func(u org.User) (org.RefreshToken, string) {
		_, rt, err := env.svc.MintRefreshToken(ctx, setup.Actor{Name: "test"}, f.sync.ID, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		tok, _, err := env.sessions.Issue(ctx, org.Session{OrgID: u.OrgID, UserID: u.ID, AppID: f.sync.ID, RefreshTokenID: rt.ID,
			CreatedAt: env.now, LastActivity: env.now, Timeout: 3600e9}, org.LoginEvent{})
		if err != nil {
			t.Fatal(err)
		}
		return rt, tok
	}
	f.samRT, f.samRTTok = mint(f.sam)
	f.adminRT, f.adminRTTok = mint(f.admin)
	f.samCC, _ = env.issue(t, f.sam, f.sync.ID)
	f.samUI, _ = env.issue(t, f.sam, "")
	return f
}

func (f *grantFixture) alive() map[string]bool {
	return map[string]bool{"samRT": f.env.alive(f.samRTTok), "samCC": f.env.alive(f.samCC),
		"adminRT": f.env.alive(f.adminRTTok), "samUI": f.env.alive(f.samUI)}
}

func TestGrantRevocations(t *testing.T) {
	all := map[string]bool{"samRT": true, "samCC": true, "adminRT": true, "samUI": true}
	tests := []struct {
		name      string
		do        func(f *grantFixture) (setup.Revoked, error)
		want      setup.Revoked
		wantAlive map[string]bool
		approvals int // sam's approvals left
		audit     string
	}{
		{"RevokeOAuthToken ends the token's family and its sessions",
			func(f *grantFixture) (setup.Revoked, error) {
				return f.env.svc.RevokeOAuthToken(context.Background(), console, f.samRT.ID)
			},
			setup.Revoked{OAuthTokens: 1, Sessions: 1}, with(all, "samRT", false), 1,
			"admin@acme.test|revokedOAuthTokens|Revoked OAuth token %s (1 token(s), 1 session(s)) for connected app Sync"},
		{"RevokeUserOAuthTokens ends the user's tokens only",
			func(f *grantFixture) (setup.Revoked, error) {
				return f.env.svc.RevokeUserOAuthTokens(context.Background(), console, f.sam.ID, "")
			},
			setup.Revoked{OAuthTokens: 1, Sessions: 1}, with(all, "samRT", false), 1,
			"admin@acme.test|revokedOAuthTokens|Revoked 1 OAuth token(s) and 1 session(s) of user sam@acme.test"},
		{"RevokeUserApprovals removes the approval and the tokens",
			func(f *grantFixture) (setup.Revoked, error) {
				return f.env.svc.RevokeUserApprovals(context.Background(), console, f.sam.ID, f.sync.ID)
			},
			setup.Revoked{OAuthTokens: 1, Sessions: 1, Approvals: 1}, with(all, "samRT", false), 0,
			"admin@acme.test|revokedApprovals|Revoked 1 approval(s), 1 OAuth token(s) and 1 session(s) of user sam@acme.test for connected app Sync"},
		{"RevokeAppAccess for one user ends every token and session of the app the user holds",
			func(f *grantFixture) (setup.Revoked, error) {
				return f.env.svc.RevokeAppAccess(context.Background(), console, f.sync.ID, f.sam.ID)
			},
			setup.Revoked{OAuthTokens: 1, Sessions: 2}, with(with(all, "samRT", false), "samCC", false), 1,
			"admin@acme.test|revokedOAuthTokens|Revoked connected app Sync for user sam@acme.test: 1 OAuth token(s), 2 session(s)"},
		{"RevokeAppAccess for every user (Revoke All)",
			func(f *grantFixture) (setup.Revoked, error) {
				return f.env.svc.RevokeAppAccess(context.Background(), console, f.sync.ID, "")
			},
			setup.Revoked{OAuthTokens: 2, Sessions: 3}, map[string]bool{"samRT": false, "samCC": false, "adminRT": false, "samUI": true}, 1,
			"admin@acme.test|revokedOAuthTokens|Revoked connected app Sync for every user: 2 OAuth token(s), 3 session(s)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newGrantFixture(t)
			got, err := tt.do(f)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Revoked (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantAlive, f.alive()); diff != "" {
				t.Errorf("alive (-want +got):\n%s", diff)
			}
			as, err := f.env.st.Approvals(context.Background(), store.GrantFilter{UserID: f.sam.ID})
			if err != nil || len(as) != tt.approvals {
				t.Errorf("sam's approvals = %d (%v), want %d", len(as), err, tt.approvals)
			}
			want := []string{tt.audit}
			if strings.Contains(tt.audit, "%s") {
				want[0] = sprintf(tt.audit, f.samRT.ID)
			}
			if diff := cmp.Diff(want, lastAudit(f.env.audit(t), 1)); diff != "" {
				t.Errorf("audit (-want +got):\n%s", diff)
			}
		})
	}
}

func with(m map[string]bool, k string, v bool) map[string]bool {
	out := map[string]bool{}
	for kk, vv := range m {
		out[kk] = vv
	}
	out[k] = v
	return out
}

func lastAudit(rows []string, n int) []string { return rows[max(0, len(rows)-n):] }

// The test shortcut applies the grant rules, a blocked app included, and writes nothing
// when it refuses.
func TestMintRefreshTokenRules(t *testing.T) {
	f := newGrantFixture(t)
	ctx := context.Background()
	bot := f.env.user(t, "bot@acme.test")
	if err := f.env.svc.BlockApp(ctx, console, f.sync.ID); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		app    sfid.ID
		user   sfid.ID
		kind   setup.Kind
		substr string
	}{
		{"blocked app", f.sync.ID, bot.ID, setup.Invalid, "is blocked"},
		{"unknown app", sfid.New("0H4", "9Z", 5), bot.ID, setup.NotFound, "no connected app"},
		{"unknown user", f.sync.ID, sfid.New("005", "9Z", 5), setup.NotFound, "no user"},
	}
	for _, tt := range tests {
		before, _ := f.env.st.RefreshTokens(ctx, store.GrantFilter{})
		v, _, err := f.env.svc.MintRefreshToken(ctx, console, tt.app, tt.user)
		e, ok := setup.AsError(err)
		if !ok || e.Kind != tt.kind || v != "" || !strings.Contains(e.Message, tt.substr) {
			t.Errorf("%s: MintRefreshToken = %q, %v; want kind %v mentioning %q", tt.name, v, err, tt.kind, tt.substr)
		}
		after, _ := f.env.st.RefreshTokens(ctx, store.GrantFilter{})
		if len(after) != len(before) {
			t.Errorf("%s: a refused mint stored a token", tt.name)
		}
	}
}
