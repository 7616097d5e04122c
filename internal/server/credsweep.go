package server

import (
	"context"
	"fmt"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/store"
)

// ActorExpiry is the audit trail's actor for credentials deleted because they expired.
const ActorExpiry = "Forcefield (credential expiry)"

// sweepCredentials deletes the consumer key/secret pairs that have expired — staged pairs
// never rotated in and rotated pairs past their 30 days — with an audit row each, in one
// transaction. Expired pairs already fail authentication (org.Credential.Usable is checked
// on every token request), so the sweep is housekeeping, not a security boundary.
func (s *Server) sweepCredentials(ctx context.Context) (int, error) {
	now := s.cfg.Now().UTC()
	var n int
	err := s.st.UpdateSetup(ctx, func(tx store.SetupWriter) error {
		gone, err := tx.DeleteExpiredCredentials(ctx, now)
		if err != nil {
			return err
		}
		n = len(gone)
		for _, c := range gone {
			app, err := tx.ConnectedApp(ctx, c.AppID)
			if err != nil {
				return err
			}
			if err := tx.AddSetupAudit(ctx, &org.SetupAuditEvent{OrgID: app.OrgID, CreatedDate: now, CreatedBy: ActorExpiry,
				Action: org.AuditExpiredCredentials, Section: org.AuditSectionConnectedApps, ObjectID: c.ID,
				Display: fmt.Sprintf("Deleted expired %s consumer credentials %s of connected app %s (expired %s)",
					c.State, c.ID, app.Name, c.ExpiresAt.Format(time.RFC3339))}); err != nil {
				return err
			}
		}
		return nil
	})
	if n > 0 {
		s.dir.Invalidate() // only then: an idle sweep must not empty the hot-path cache
	}
	return n, err
}
