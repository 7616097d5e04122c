package orgfile

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

const auditOrgFile = `
orgs:
  - name: Audit
    profiles:
      - {name: Integration, permissions: [ApiEnabled]}
    users:
      - {username: a@audit.example, lastName: A, email: a@audit.example, profile: Integration}
      - {username: b@audit.example, lastName: B, email: b@audit.example, profile: Integration}
    connectedApps:
      - name: App
        scopes: [api]
        consumerKey: AuditKey
        consumerSecret: AuditSecret
        clientCredentials: {enabled: true, runAs: a@audit.example}
`

type auditRow struct{ By, Action, Section, Display string }

func trail(t *testing.T, st store.Store) []auditRow {
	t.Helper()
	rows, err := st.SetupAuditTrail(context.Background(), store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []auditRow
	for i := len(rows) - 1; i >= 0; i-- { // oldest first reads like the apply
		out = append(out, auditRow{rows[i].CreatedBy, rows[i].Action, rows[i].Section, rows[i].Display})
	}
	return out
}

func TestApplyRecordsAuditTrail(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if _, err := ApplyAs(ctx, st, mustParse(t, "audit.yaml", auditOrgFile), "org file audit.yaml at start", at); err != nil {
		t.Fatal(err)
	}
	by := "org file audit.yaml at start"
	want := []auditRow{
		{by, org.AuditCreated, org.AuditSectionCompany, "Created org Audit"},
		{by, org.AuditCreated, org.AuditSectionProfiles, "Created profile Integration"},
		{by, org.AuditCreated, org.AuditSectionUsers, "Created user a@audit.example"},
		{by, org.AuditCreated, org.AuditSectionUsers, "Created user b@audit.example"},
		{by, org.AuditCreated, org.AuditSectionConnectedApps, "Created connected app App"},
	}
	got := trail(t, st)
	if len(got) != len(want)+1 {
		t.Fatalf("audit trail has %d rows, want %d:\n%v", len(got), len(want)+1, got)
	}
	// The credential row names the new credential's ID; check its shape separately.
	if d := cmp.Diff(want, got[:len(want)]); d != "" {
		t.Errorf("audit trail (-want +got):\n%s", d)
	}
	if c := got[len(want)]; c.Action != org.AuditCreated || c.Section != org.AuditSectionConnectedApps ||
		!strings.Contains(c.Display, "Created consumer credentials ") {
		t.Errorf("credential row = %+v", c)
	}
	rows, _ := st.SetupAuditTrail(ctx, store.AuditFilter{Limit: 1})
	if len(rows) != 1 || !rows[0].CreatedDate.Equal(at) || rows[0].OrgID.Prefix() != sfid.PrefixOrganization {
		t.Errorf("newest row = %+v, want CreatedDate %v and an org ID", rows, at)
	}
	for _, r := range got {
		if strings.Contains(r.Display, "AuditSecret") {
			t.Errorf("audit row holds the secret: %+v", r)
		}
	}

	// The same file again changes nothing and records nothing.
	res, err := Apply(ctx, st, mustParse(t, "audit.yaml", auditOrgFile))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(trail(t, st)); n != len(want)+1 || len(res.EndSessions) != 0 {
		t.Errorf("second apply: %d rows (want %d), EndSessions %v", n, len(want)+1, res.EndSessions)
	}

	// Deactivating b: one row, and b's sessions must end.
	deactivate := replaceOnce(t, auditOrgFile, "profile: Integration}\n    connectedApps", "profile: Integration, active: false}\n    connectedApps")
	res, err = Apply(ctx, st, mustParse(t, "audit.yaml", deactivate))
	if err != nil {
		t.Fatal(err)
	}
	b, err := st.UserByUsername(ctx, "b@audit.example")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]sfid.ID{b.ID}, res.EndSessions); d != "" {
		t.Errorf("EndSessions (-want +got):\n%s", d)
	}
	got = trail(t, st)
	if d := cmp.Diff(auditRow{"org file audit.yaml", org.AuditDeactivatedUser, org.AuditSectionUsers,
		"Deactivated user b@audit.example: all of the user's sessions end"}, got[len(got)-1]); d != "" {
		t.Errorf("deactivation row (-want +got):\n%s", d)
	}

	// The supplied secret changing: one "Changed" row without the secret.
	res, err = Apply(ctx, st, mustParse(t, "audit.yaml", replaceOnce(t, deactivate, "AuditSecret", "AuditSecret2")))
	if err != nil {
		t.Fatal(err)
	}
	got = trail(t, st)
	last := got[len(got)-1]
	if last.Action != org.AuditUpdated || !strings.Contains(last.Display, "Changed the consumer secret") || strings.Contains(last.Display, "AuditSecret") {
		t.Errorf("secret change row = %+v", last)
	}
}

func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	i := strings.Index(s, old)
	if i < 0 {
		t.Fatalf("%q not in the file", old)
	}
	return s[:i] + new + s[i+len(old):]
}

// TestCredentialsChangedHook checks the hook the password work calls: the user's sessions
// are to end (once per user) and one audit row without a secret is written.
func TestCredentialsChangedHook(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	if _, err := Apply(ctx, st, mustParse(t, "audit.yaml", auditOrgFile)); err != nil {
		t.Fatal(err)
	}
	u, err := st.UserByUsername(ctx, "a@audit.example")
	if err != nil {
		t.Fatal(err)
	}
	res := &Result{}
	err = st.UpdateSetup(ctx, func(w store.SetupWriter) error {
		a := &applier{ctx: ctx, w: w, res: res, actor: "test"}
		if err := a.credentialsChanged(u); err != nil {
			return err
		}
		return a.deactivated(u) // the same user again: EndSessions lists it once
	})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]sfid.ID{u.ID}, res.EndSessions); d != "" {
		t.Errorf("EndSessions (-want +got):\n%s", d)
	}
	got := trail(t, st)
	if d := cmp.Diff(auditRow{"test", org.AuditChangedUserCredentials, org.AuditSectionUsers,
		"Changed the login credentials of user a@audit.example: all of the user's sessions end"}, got[len(got)-2]); d != "" {
		t.Errorf("hook row (-want +got):\n%s", d)
	}
}
