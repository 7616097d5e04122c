package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// testSetupAuditTrail checks AddSetupAudit and SetupAuditTrail: IDs, CreatedDate defaulting,
// newest-first order with ties by ID, the org filter and the limit.
func testSetupAuditTrail(t *testing.T, s store.Store) {
	ctx := t.Context()
	f := newFixture(t, s)
	before := time.Now()
	row := func(o org.Org, at time.Duration, action string) *org.SetupAuditEvent {
		e := &org.SetupAuditEvent{OrgID: o.ID, CreatedBy: "admin token", Action: action,
			Section: org.AuditSectionConnectedApps, ObjectID: f.app1.ID, Display: "did " + action}
		if at >= 0 {
			e.CreatedDate = base.Add(at)
		}
		return e
	}
	e := []*org.SetupAuditEvent{
		row(f.org1, time.Minute, org.AuditStagedCredentials),
		row(f.org1, 2*time.Minute, org.AuditRotatedCredentials),
		row(f.org2, time.Minute, org.AuditCreated), // ties with e[0]
		{CreatedDate: base, CreatedBy: "Forcefield", Action: org.AuditUpdated, DelegateUser: "someone"},
		row(f.org1, -1, org.AuditDeletedCredentials), // CreatedDate defaults to now
	}
	setup(t, s, func(w store.SetupWriter) error {
		for _, x := range e {
			if err := w.AddSetupAudit(ctx, x); err != nil {
				return err
			}
		}
		return nil
	})
	for i, x := range e {
		checkID(t, "audit row", x.ID, sfid.PrefixSetupAuditTrail)
		if i > 0 && seq(t, x.ID) != seq(t, e[i-1].ID)+1 {
			t.Errorf("audit row %d ID %s does not follow %s", i, x.ID, e[i-1].ID)
		}
	}
	checkStamps(t, "audit row", e[4].CreatedDate, e[4].CreatedDate, before)

	pick := func(idx ...int) []org.SetupAuditEvent {
		var out []org.SetupAuditEvent
		for _, i := range idx {
			out = append(out, *e[i])
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		filter store.AuditFilter
		want   []org.SetupAuditEvent
	}{
		{"all, newest first, ties by ID", store.AuditFilter{}, pick(4, 1, 2, 0, 3)},
		{"limit", store.AuditFilter{Limit: 2}, pick(4, 1)},
		{"org", store.AuditFilter{OrgID: f.org1.ID}, pick(4, 1, 0)},
		{"org limit", store.AuditFilter{OrgID: f.org1.ID, Limit: 1}, pick(4)},
		{"other org", store.AuditFilter{OrgID: f.org2.ID}, pick(2)},
		{"unknown org", store.AuditFilter{OrgID: missing(sfid.PrefixOrganization)}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.SetupAuditTrail(ctx, tc.filter)
			must(t, "SetupAuditTrail", err)
			diff(t, "SetupAuditTrail", tc.want, got)
		})
	}

	// A row written in a transaction that fails is not kept, like the change it records.
	boom := errors.New("boom")
	err := tryPut(t, s, func(ctx context.Context, w store.SetupWriter) error {
		if err := w.AddSetupAudit(ctx, row(f.org2, 3*time.Minute, org.AuditUpdated)); err != nil {
			return err
		}
		return boom
	})
	wantErr(t, "UpdateSetup(rolled back)", err, boom)
	got, err := s.SetupAuditTrail(ctx, store.AuditFilter{OrgID: f.org2.ID})
	must(t, "SetupAuditTrail after rollback", err)
	diff(t, "SetupAuditTrail after rollback", pick(2), got)

	// Rows are append-only.
	again := *e[0]
	if err := tryPut(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.AddSetupAudit(ctx, &again) }); err == nil {
		t.Errorf("AddSetupAudit with an ID: no error, want one (rows are never updated)")
	}
}

// testDeleteExpiredCredentials checks that exactly the pairs org.Credential.Usable rejects
// at now are deleted and returned.
func testDeleteExpiredCredentials(t *testing.T, s store.Store) {
	ctx := t.Context()
	f := newFixture(t, s)
	now := base.Add(time.Hour)
	active := org.Credential{AppID: f.app1.ID, ConsumerKey: "k1", SecretHash: "h1", State: org.CredentialActive, CreatedAt: base}
	expired := org.Credential{AppID: f.app1.ID, ConsumerKey: "k1", SecretHash: "h2", State: org.CredentialRotated, CreatedAt: base, ExpiresAt: now.Add(-time.Millisecond)}
	atNow := org.Credential{AppID: f.app1.ID, ConsumerKey: "k2", SecretHash: "h3", State: org.CredentialStaged, CreatedAt: base, ExpiresAt: now}
	later := org.Credential{AppID: f.app2.ID, ConsumerKey: "k3", SecretHash: "h4", State: org.CredentialRotated, CreatedAt: base, ExpiresAt: now.Add(time.Millisecond)}
	for _, c := range []*org.Credential{&active, &expired, &atNow, &later} {
		put(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.PutCredential(ctx, c) })
	}
	for _, c := range []org.Credential{active, expired, atNow, later} {
		if want := c.ID != expired.ID && c.ID != atNow.ID; c.Usable(now) != want {
			t.Fatalf("fixture: %s Usable(now) = %v, want %v", c.ID, !want, want)
		}
	}
	var deleted []org.Credential
	setup(t, s, func(w store.SetupWriter) error {
		var err error
		deleted, err = w.DeleteExpiredCredentials(ctx, now)
		return err
	})
	diff(t, "DeleteExpiredCredentials", []org.Credential{expired, atNow}, deleted,
		cmpSortCredentials)
	left, err := s.Credentials(ctx, f.app1.ID)
	must(t, "Credentials(app1)", err)
	diff(t, "Credentials(app1) after sweep", []org.Credential{active}, left)
	left, err = s.Credentials(ctx, f.app2.ID)
	must(t, "Credentials(app2)", err)
	diff(t, "Credentials(app2) after sweep", []org.Credential{later}, left)

	setup(t, s, func(w store.SetupWriter) error {
		var err error
		deleted, err = w.DeleteExpiredCredentials(ctx, now)
		return err
	})
	diff(t, "DeleteExpiredCredentials again", []org.Credential(nil), deleted)
}
