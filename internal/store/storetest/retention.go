package storetest

import (
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/store"
)

// RetentionStore is what RunRetention needs of a backend: the purges and the writes and
// reads they are checked with.
type RetentionStore interface {
	store.Setup
	store.Sessions
	store.LoginHistory
	store.SetupAuditTrail
	store.Retention
	Close() error
}

// RunRetention checks store.Retention: a purge deletes only rows strictly older than its
// cutoff, oldest first, at most limit per call (a limit ≤ 0 deletes nothing), and
// reports how many; repeated calls finish the job and then return 0. open must return a
// new, empty store for each call; RunRetention closes it.
func RunRetention(t *testing.T, open func(t *testing.T) RetentionStore) {
	newStore := func(t *testing.T) RetentionStore {
		t.Helper()
		s := open(t)
		t.Cleanup(func() {
			if err := s.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
		return s
	}
	t.Run("LoginHistory", func(t *testing.T) { testPurgeLoginHistory(t, newStore(t)) })
	t.Run("SetupAudit", func(t *testing.T) { testPurgeSetupAudit(t, newStore(t)) })
	t.Run("Batches", func(t *testing.T) { testPurgeBatches(t, newStore(t)) })
}

// purgeSteps runs purge with the limits given and checks each count.
func purgeSteps(t *testing.T, what string, purge func(limit int) (int, error), steps ...[2]int) {
	t.Helper()
	for i, st := range steps {
		n, err := purge(st[0])
		must(t, what, err)
		if n != st[1] {
			t.Errorf("%s call %d (limit %d) = %d, want %d", what, i+1, st[0], n, st[1])
		}
	}
}

func testPurgeLoginHistory(t *testing.T, s RetentionStore) {
	ctx := t.Context()
	// Written out of time order, so that oldest-first cannot be mistaken for ID order.
	at := []time.Duration{-2 * time.Hour, -3 * time.Hour, -2 * time.Hour, -time.Hour, -90 * time.Minute, 0}
	var logins []*org.LoginEvent
	for i, d := range at {
		logins = append(logins, &org.LoginEvent{Time: base.Add(d), Status: org.LoginStatusSuccess,
			SourceIP: "10.0.0." + string(rune('1'+i))})
	}
	must(t, "RecordLogins", s.RecordLogins(ctx, nil, logins))
	cutoff := base.Add(-90 * time.Minute) // the row at exactly the cutoff stays
	purge := func(limit int) (int, error) { return s.PurgeLoginHistory(ctx, cutoff, limit) }

	purgeSteps(t, "PurgeLoginHistory", purge, [2]int{0, 0}, [2]int{1, 1})
	left, err := s.LoginHistory(ctx, store.LoginFilter{})
	must(t, "LoginHistory", err)
	for _, l := range left {
		if l.ID == logins[1].ID {
			t.Errorf("the oldest row (%s) survived a purge of limit 1: purges must go oldest first", l.Time)
		}
	}
	purgeSteps(t, "PurgeLoginHistory", purge, [2]int{5, 2}, [2]int{5, 0})
	left, err = s.LoginHistory(ctx, store.LoginFilter{})
	must(t, "LoginHistory", err)
	diff(t, "login history after purge", []org.LoginEvent{*logins[5], *logins[3], *logins[4]}, left)
}

func testPurgeSetupAudit(t *testing.T, s RetentionStore) {
	ctx := t.Context()
	at := []time.Duration{-48 * time.Hour, -72 * time.Hour, -24 * time.Hour, -24*time.Hour - time.Millisecond, 0}
	var rows []*org.SetupAuditEvent
	must(t, "UpdateSetup", s.UpdateSetup(ctx, func(w store.SetupWriter) error {
		for _, d := range at {
			e := &org.SetupAuditEvent{CreatedDate: base.Add(d), CreatedBy: "admin token", Action: org.AuditUpdated,
				Display: "row at " + d.String()}
			if err := w.AddSetupAudit(ctx, e); err != nil {
				return err
			}
			rows = append(rows, e)
		}
		return nil
	}))
	cutoff := base.Add(-24 * time.Hour)
	purge := func(limit int) (int, error) { return s.PurgeSetupAudit(ctx, cutoff, limit) }
	purgeSteps(t, "PurgeSetupAudit", purge, [2]int{2, 2})
	left, err := s.SetupAuditTrail(ctx, store.AuditFilter{})
	must(t, "SetupAuditTrail", err)
	// The two oldest went first; the one a millisecond before the cutoff is next.
	diff(t, "audit trail after one purge", []org.SetupAuditEvent{*rows[4], *rows[2], *rows[3]}, left)
	purgeSteps(t, "PurgeSetupAudit", purge, [2]int{2, 1}, [2]int{2, 0})
	left, err = s.SetupAuditTrail(ctx, store.AuditFilter{})
	must(t, "SetupAuditTrail", err)
	diff(t, "audit trail after purges", []org.SetupAuditEvent{*rows[4], *rows[2]}, left)
}

// testPurgeBatches: a backlog larger than the limit takes several calls, each bounded.
func testPurgeBatches(t *testing.T, s RetentionStore) {
	ctx := t.Context()
	const old, recent = 1200, 30
	logins := make([]*org.LoginEvent, 0, old+recent)
	for i := range old + recent {
		at := base.Add(-time.Duration(old-i) * time.Second) // old rows: base-1200s … base-1s
		if i >= old {
			at = base.Add(time.Duration(i) * time.Millisecond)
		}
		logins = append(logins, &org.LoginEvent{Time: at, Status: org.LoginStatusSuccess})
	}
	must(t, "RecordLogins", s.RecordLogins(ctx, nil, logins))
	purge := func(limit int) (int, error) { return s.PurgeLoginHistory(ctx, base, limit) }
	purgeSteps(t, "PurgeLoginHistory", purge, [2]int{500, 500}, [2]int{500, 500}, [2]int{500, 200}, [2]int{500, 0})
	left, err := s.LoginHistory(ctx, store.LoginFilter{})
	must(t, "LoginHistory", err)
	if len(left) != recent {
		t.Errorf("%d rows left, want the %d recent ones", len(left), recent)
	}
}
