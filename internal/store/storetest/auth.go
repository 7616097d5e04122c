package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// testAuthFields checks that the JWT bearer and password flow fields (org password policy,
// profile login IP ranges, user password hashes, app certificates, approvals, IP
// relaxation) round-trip through inserts and updates.
func testAuthFields(t *testing.T, s store.Store) {
	ctx := t.Context()
	o := org.Org{Name: "Auth", PasswordPolicy: org.PasswordPolicy{DisableUsernamePasswordFlow: true, LockoutAttempts: 3, LockoutMinutes: 5}}
	put(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.PutOrg(ctx, &o) })
	p := org.Profile{OrgID: o.ID, Name: "Integration", LoginIPRanges: []org.IPRange{{Start: "10.0.0.0", End: "10.0.0.255"}, {Start: "::1", End: "::1"}}}
	put(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.PutProfile(ctx, &p) })
	u := org.User{OrgID: o.ID, Username: "pw@auth.example", LastName: "Pw", ProfileID: p.ID, Active: true,
		PasswordHash: "argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", SecurityTokenHash: "argon2id$x",
		FilePasswordHash: "argon2id$file-pw", FileSecurityTokenHash: "argon2id$file-tok"}
	put(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.PutUser(ctx, &u) })
	a := org.ConnectedApp{OrgID: o.ID, Name: "JWT", Certificates: []string{"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"},
		ApprovedUserIDs: []sfid.ID{u.ID}, IPRelaxation: org.IPRelaxBypass}
	put(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.PutConnectedApp(ctx, &a) })

	o.Licences = 1 // read back with its one active user
	gotO, err := s.Org(ctx, o.ID)
	must(t, "Org", err)
	diff(t, "Org", o, gotO)
	gotP, err := s.Profile(ctx, p.ID)
	must(t, "Profile", err)
	diff(t, "Profile", p, gotP)
	gotU, err := s.User(ctx, u.ID)
	must(t, "User", err)
	diff(t, "User", u, gotU)
	gotA, err := s.ConnectedApp(ctx, a.ID)
	must(t, "ConnectedApp", err)
	diff(t, "ConnectedApp", a, gotA)

	// Updates clear every new field.
	o.PasswordPolicy = org.PasswordPolicy{}
	p.LoginIPRanges = nil
	u.PasswordHash, u.SecurityTokenHash, u.FilePasswordHash, u.FileSecurityTokenHash = "", "", "", ""
	a.Certificates, a.ApprovedUserIDs, a.IPRelaxation = nil, nil, ""
	put(t, s, func(ctx context.Context, w store.SetupWriter) error {
		if err := w.PutOrg(ctx, &o); err != nil {
			return err
		}
		if err := w.PutProfile(ctx, &p); err != nil {
			return err
		}
		if err := w.PutUser(ctx, &u); err != nil {
			return err
		}
		return w.PutConnectedApp(ctx, &a)
	})
	gotO, _ = s.Org(ctx, o.ID)
	diff(t, "Org after update", o, gotO)
	gotP, _ = s.Profile(ctx, p.ID)
	diff(t, "Profile after update", p, gotP)
	gotU, _ = s.User(ctx, u.ID)
	diff(t, "User after update", u, gotU)
	gotA, _ = s.ConnectedApp(ctx, a.ID)
	diff(t, "ConnectedApp after update", a, gotA)
}

// testLockouts checks the invalid-login counter: counting, locking at the maximum,
// restarting after a lockout ends, and resetting.
func testLockouts(t *testing.T, s store.Store) {
	ctx := t.Context()
	o := org.Org{Name: "Lock"}
	put(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.PutOrg(ctx, &o) })
	u := org.User{OrgID: o.ID, Username: "lock@lock.example", LastName: "Lock", Active: true}
	put(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.PutUser(ctx, &u) })

	l, err := s.Lockout(ctx, u.ID)
	must(t, "Lockout (none)", err)
	diff(t, "Lockout (none)", org.Lockout{}, l)

	const lockFor = 15 * time.Minute
	for i := 1; i <= 2; i++ {
		l, err = s.RecordLoginFailure(ctx, u.ID, base, 3, lockFor)
		must(t, "RecordLoginFailure", err)
		diff(t, "after a failure", org.Lockout{Failures: i}, l)
	}
	l, err = s.RecordLoginFailure(ctx, u.ID, base, 3, lockFor)
	must(t, "RecordLoginFailure (third)", err)
	want := org.Lockout{LockedUntil: base.Add(lockFor)}
	diff(t, "third failure locks", want, l)
	got, err := s.Lockout(ctx, u.ID)
	must(t, "Lockout (locked)", err)
	diff(t, "Lockout (locked)", want, got)
	if !got.Locked(base.Add(lockFor-time.Millisecond)) || got.Locked(base.Add(lockFor)) {
		t.Errorf("Locked: want locked until exactly %v", base.Add(lockFor))
	}

	// A failure after the lockout ended starts a new count.
	l, err = s.RecordLoginFailure(ctx, u.ID, base.Add(lockFor), 3, lockFor)
	must(t, "RecordLoginFailure after lockout", err)
	diff(t, "after lockout", org.Lockout{Failures: 1}, l)

	must(t, "ResetLoginFailures", s.ResetLoginFailures(ctx, u.ID))
	got, err = s.Lockout(ctx, u.ID)
	must(t, "Lockout after reset", err)
	diff(t, "Lockout after reset", org.Lockout{}, got)
	must(t, "ResetLoginFailures (nothing recorded)", s.ResetLoginFailures(ctx, u.ID))
}
