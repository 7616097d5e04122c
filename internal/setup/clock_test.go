package setup_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/forcefield/forcefield/internal/directory"
	"github.com/forcefield/forcefield/internal/orgclock"
	"github.com/forcefield/forcefield/internal/orgfile"
	"github.com/forcefield/forcefield/internal/setup"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// TestClockOffset: the rules of an org's clock (time travel), each change audited.
func TestClockOffset(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	acme := env.user(t, "admin@acme.test").OrgID
	steps := []struct {
		name    string
		advance bool
		d       time.Duration
		want    time.Duration // offset after the step
		kind    setup.Kind    // when refused
		refused bool
		audit   string // the row it adds, "" for none
	}{
		{"set", false, 2 * time.Hour, 2 * time.Hour, 0, false, "Changed the clock of org Acme from 0s to 2h0m0s ahead of real time"},
		{"advance", true, 90 * time.Minute, 3*time.Hour + 30*time.Minute, 0, false, "Changed the clock of org Acme from 2h0m0s to 3h30m0s ahead of real time"},
		{"same offset: nothing to audit", false, 3*time.Hour + 30*time.Minute, 3*time.Hour + 30*time.Minute, 0, false, ""},
		{"advance by 0: nothing to audit", true, 0, 3*time.Hour + 30*time.Minute, 0, false, ""},
		{"negative offset", false, -time.Hour, 3*time.Hour + 30*time.Minute, setup.Invalid, true, ""},
		{"negative advance", true, -time.Minute, 3*time.Hour + 30*time.Minute, setup.Invalid, true, ""},
		{"past the maximum", false, orgclock.MaxOffset + 1, 3*time.Hour + 30*time.Minute, setup.Invalid, true, ""},
		{"advance past the maximum", true, orgclock.MaxOffset, 3*time.Hour + 30*time.Minute, setup.Invalid, true, ""},
		{"the maximum", false, orgclock.MaxOffset, orgclock.MaxOffset, 0, false, "Changed the clock of org Acme from 3h30m0s to 87600h0m0s ahead of real time"},
		{"reset", false, 0, 0, 0, false, "Reset the clock of org Acme to real time (was 87600h0m0s ahead)"},
	}
	for _, s := range steps {
		before := len(env.audit(t))
		var err error
		if s.advance {
			_, err = env.svc.AdvanceClock(ctx, adminActor, acme, s.d)
		} else {
			_, err = env.svc.SetClockOffset(ctx, adminActor, acme, s.d)
		}
		if s.refused != (err != nil) || (s.refused && !isKind(err, s.kind)) {
			t.Errorf("%s: err = %v, want refused %v", s.name, err, s.refused)
		}
		o, err := env.st.Org(ctx, acme)
		if err != nil {
			t.Fatal(err)
		}
		if o.ClockOffset != s.want {
			t.Errorf("%s: stored offset %s, want %s", s.name, o.ClockOffset, s.want)
		}
		rows := env.audit(t)[before:]
		var want []string
		if s.audit != "" {
			want = []string{"admin@acme.test|changedOrgClock|" + s.audit}
		}
		if diff := cmp.Diff(want, rows, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s: audit rows (-want +got):\n%s", s.name, diff)
		}
	}
	if _, err := env.svc.SetClockOffset(ctx, adminActor, sfid.ID("00D000000000009AAA"), time.Hour); !isKind(err, setup.NotFound) {
		t.Errorf("unknown org: %v, want NotFound", err)
	}
}

// TestClockAuditInOrgTime: with a Clock, an org's audit rows and staged credentials are
// in its time; the org file's clockOffset goes through the same rules, and an org file
// without the key leaves the offset alone.
func TestClockAuditInOrgTime(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	clock := orgclock.New(func() time.Time { return env.now })
	dir := directory.New(env.st)
	clock.SetOffsets(func(id sfid.ID) time.Duration {
		o, err := dir.Org(ctx, id)
		if err != nil {
			return 0
		}
		return o.ClockOffset
	})
	svc := setup.New(env.st, dir, env.sessions, func() time.Time { return env.now }, nil)
	svc.Clock = clock
	apply := func(yaml string) error {
		f, err := orgfile.Parse("acme.yaml", []byte(yaml))
		if err != nil {
			return err
		}
		_, _, err = svc.ApplyOrgFile(ctx, setup.Actor{Name: "file"}, f)
		return err
	}
	withClock := testOrgFile[:len("\norgs:\n  - name: Acme\n")] + "    clockOffset: 48h\n" + testOrgFile[len("\norgs:\n  - name: Acme\n"):]
	if err := apply(withClock); err != nil {
		t.Fatalf("apply with clockOffset: %v", err)
	}
	acme := env.user(t, "admin@acme.test").OrgID
	offset := func() time.Duration {
		o, err := env.st.Org(ctx, acme)
		if err != nil {
			t.Fatal(err)
		}
		return o.ClockOffset
	}
	if got := offset(); got != 48*time.Hour {
		t.Fatalf("offset after the org file = %s, want 48h", got)
	}
	if err := apply(testOrgFile); err != nil || offset() != 48*time.Hour {
		t.Errorf("org file without clockOffset: err %v, offset %s; want 48h kept", err, offset())
	}
	bad := testOrgFile[:len("\norgs:\n  - name: Acme\n")] + "    clockOffset: -1h\n" + testOrgFile[len("\norgs:\n  - name: Acme\n"):]
	if err := apply(bad); err == nil {
		t.Error("org file with a negative clockOffset was applied")
	}

	nc, err := svc.StageCredentials(ctx, adminActor, env.app(t, "Sync").ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := env.now.Add(48 * time.Hour); !nc.Credential.CreatedAt.Equal(want) {
		t.Errorf("staged pair CreatedAt = %v, want the org's time %v", nc.Credential.CreatedAt, want)
	}
	rows, err := env.st.SetupAuditTrail(ctx, store.AuditFilter{OrgID: acme, Limit: 1})
	if err != nil || len(rows) != 1 {
		t.Fatalf("audit trail: %v %v", rows, err)
	}
	if want := env.now.Add(48 * time.Hour); !rows[0].CreatedDate.Equal(want) {
		t.Errorf("audit row CreatedDate = %v, want the org's time %v", rows[0].CreatedDate, want)
	}
}
