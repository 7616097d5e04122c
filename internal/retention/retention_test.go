package retention_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/retention"
	"github.com/forcefield/forcefield/internal/store"
	"github.com/forcefield/forcefield/internal/store/sqlite"
)

// TestPurge: batches repeat until the backlog is gone, each period applies to its own
// history, and a zero period keeps everything.
func TestPurge(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "ff.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	var logins []*org.LoginEvent
	for i := range 10 { // 7 rows 8…14 days old, 3 rows of today
		at := now.Add(-time.Duration(8+i) * 24 * time.Hour)
		if i >= 7 {
			at = now.Add(-time.Duration(i) * time.Minute)
		}
		logins = append(logins, &org.LoginEvent{Time: at, Status: org.LoginStatusSuccess})
	}
	if err := db.RecordLogins(ctx, nil, logins); err != nil {
		t.Fatal(err)
	}
	if err := db.UpdateSetup(ctx, func(w store.SetupWriter) error {
		for _, age := range []time.Duration{2, 40} {
			e := &org.SetupAuditEvent{CreatedDate: now.Add(-age * 24 * time.Hour), CreatedBy: "admin token", Action: org.AuditUpdated}
			if err := w.AddSetupAudit(ctx, e); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	keepAll := retention.Policy{Batch: 3, Pause: time.Millisecond}
	if res, err := retention.Purge(ctx, db, keepAll, now); err != nil || res != (retention.Result{}) {
		t.Errorf("Purge with zero periods = %+v, %v; want nothing deleted", res, err)
	}
	p := retention.Policy{LoginHistory: 7 * 24 * time.Hour, SetupAudit: 30 * 24 * time.Hour, Batch: 3, Pause: time.Millisecond}
	res, err := retention.Purge(ctx, db, p, now)
	if err != nil || res != (retention.Result{LoginHistory: 7, SetupAudit: 1}) {
		t.Errorf("Purge = %+v, %v; want 7 login rows (three batches) and 1 audit row", res, err)
	}
	left, err := db.LoginHistory(ctx, store.LoginFilter{})
	if err != nil || len(left) != 3 {
		t.Errorf("login history left: %d rows, %v; want 3", len(left), err)
	}
	trail, err := db.SetupAuditTrail(ctx, store.AuditFilter{})
	if err != nil || len(trail) != 1 {
		t.Errorf("audit trail left: %d rows, %v; want 1", len(trail), err)
	}
}
