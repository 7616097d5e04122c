package setup

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// Snapshots and resets of one org (issue 14 §3): Snapshot copies the org's Setup and data
// into a named snapshot in the database, Restore puts them back in one transaction (see
// store.Snapshots for what a snapshot holds). No real org can do this; it is what lets a
// test suite reset between tests.
//
// Sessions on restore (the team's binding rule): a live session is kept when its user and
// its app still exist after the restore, the user active and not frozen, the app not
// blocked — so a suite's cached token keeps working across resets. The others end, with
// their refresh tokens (and approvals of users or apps that are gone), through the
// session manager so that every node drops them. EndAll ends every session and refresh
// token of the org. Restoring one org never touches another's data or sessions.

// Audit trail actions of snapshots.
const (
	AuditRestoredSnapshot = "restoredOrgSnapshot"
)

// snapshotName is what a snapshot may be called: it travels in URL paths and CLI
// arguments.
var snapshotName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$`)

// Restored is what a restore did.
type Restored struct {
	store.SnapshotInfo
	Took          time.Duration // the whole restore: data, caches and sessions
	SessionsEnded int
}

func (s *Service) snapshots() (store.Snapshots, error) {
	sn, ok := s.st.(store.Snapshots)
	if !ok {
		return nil, fmt.Errorf("setup: the store does not keep snapshots")
	}
	return sn, nil
}

func checkSnapshotName(name string) error {
	if !snapshotName.MatchString(name) {
		return FieldInvalidf("name", "snapshot name %q: want 1 to 80 letters, digits, '_', '.' or '-', starting with a letter or digit", name)
	}
	return nil
}

// Snapshot takes a snapshot of the org named name (replace: replace one of that name).
func (s *Service) Snapshot(ctx context.Context, actor Actor, orgID sfid.ID, name string, replace bool) (store.SnapshotInfo, error) {
	if err := checkSnapshotName(name); err != nil {
		return store.SnapshotInfo{}, err
	}
	sn, err := s.snapshots()
	if err != nil {
		return store.SnapshotInfo{}, err
	}
	info, err := sn.SnapshotOrg(ctx, orgID, name, s.now(), replace)
	switch {
	case errors.Is(err, store.ErrSnapshotExists):
		return info, Conflictf("org %s already has a snapshot named %q (replace it with ?replace=true)", orgID, name)
	case errors.Is(err, store.ErrNotFound):
		return info, NotFoundf("no org %s", orgID)
	case err != nil:
		return info, err
	}
	s.log.InfoContext(ctx, "org snapshot taken", "org", orgID, "snapshot", name, "records", info.Records, "bytes", info.Bytes, "by", actor.Name)
	return info, nil
}

// Snapshots lists the org's snapshots by name.
func (s *Service) Snapshots(ctx context.Context, orgID sfid.ID) ([]store.SnapshotInfo, error) {
	sn, err := s.snapshots()
	if err != nil {
		return nil, err
	}
	return sn.OrgSnapshots(ctx, orgID)
}

// DeleteSnapshot removes one of the org's snapshots.
func (s *Service) DeleteSnapshot(ctx context.Context, actor Actor, orgID sfid.ID, name string) error {
	sn, err := s.snapshots()
	if err != nil {
		return err
	}
	err = sn.DeleteOrgSnapshot(ctx, orgID, name)
	if errors.Is(err, store.ErrNotFound) {
		return NotFoundf("org %s has no snapshot named %q", orgID, name)
	}
	if err == nil {
		s.log.InfoContext(ctx, "org snapshot deleted", "org", orgID, "snapshot", name, "by", actor.Name)
	}
	return err
}

// Restore puts the org back as snapshot name holds it, drops every cache of the org's
// Setup and records on every node, ends the sessions the rule above ends (all of the
// org's when endAll) and records one audit row.
func (s *Service) Restore(ctx context.Context, actor Actor, orgID sfid.ID, name string, endAll bool) (Restored, error) {
	start := time.Now()
	sn, err := s.snapshots()
	if err != nil {
		return Restored{}, err
	}
	info, err := sn.RestoreOrg(ctx, orgID, name)
	if errors.Is(err, store.ErrNotFound) {
		return Restored{}, NotFoundf("org %s has no snapshot named %q", orgID, name)
	}
	if errors.Is(err, store.ErrConflict) {
		return Restored{}, Conflictf("restoring %q: %v", name, err)
	}
	if err != nil {
		return Restored{}, err
	}
	// The directory holds the org, its users, apps, credentials and catalog; a new
	// catalog makes records.Catalogs sync the restored tables again.
	s.dir.Invalidate()
	res := Restored{SnapshotInfo: info}
	res.SessionsEnded, err = s.endRestoredSessions(ctx, orgID, endAll)
	if err != nil {
		return res, fmt.Errorf("restored %q, but ending sessions failed: %w", name, err)
	}
	res.Took = time.Since(start)
	err = s.Update(ctx, actor, func(tx *Tx) error {
		return tx.Audit(orgID, org.AuditSectionCompany, AuditRestoredSnapshot, orgID,
			fmt.Sprintf("Restored org snapshot %s taken %s (%d records); %d sessions ended",
				name, info.CreatedAt.Format(time.RFC3339), info.Records, res.SessionsEnded))
	})
	s.log.InfoContext(ctx, "org snapshot restored", "org", orgID, "snapshot", name, "records", info.Records,
		"sessionsEnded", res.SessionsEnded, "took", res.Took, "by", actor.Name)
	return res, err
}

// endRestoredSessions ends the org's sessions and grants the restored Setup no longer
// allows (or all of them), and returns how many sessions ended.
func (s *Service) endRestoredSessions(ctx context.Context, orgID sfid.ID, all bool) (int, error) {
	users, err := s.st.Users(ctx, orgID)
	if err != nil {
		return 0, err
	}
	apps, err := s.st.ConnectedApps(ctx, orgID)
	if err != nil {
		return 0, err
	}
	okUser, okApp := map[sfid.ID]bool{}, map[sfid.ID]bool{}
	for _, u := range users {
		okUser[u.ID] = u.Active && !u.Frozen && !all
	}
	for _, a := range apps {
		okApp[a.ID] = !a.Blocked && !all
	}
	allowed := func(user, app sfid.ID) bool { return okUser[user] && (app == "" || okApp[app]) }

	ended := 0
	tokens, err := s.st.RefreshTokens(ctx, store.GrantFilter{OrgID: orgID})
	if err != nil {
		return 0, err
	}
	for _, t := range tokens {
		if allowed(t.UserID, t.AppID) {
			continue
		}
		_, n, err := s.sessions.RevokeRefreshTokens(ctx, s.st, store.GrantFilter{ID: t.ID})
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return ended, err
		}
		ended += n
	}
	approvals, err := s.st.Approvals(ctx, store.GrantFilter{OrgID: orgID})
	if err != nil {
		return ended, err
	}
	for _, a := range approvals {
		if exists(users, a.UserID) && existsApp(apps, a.AppID) {
			continue // an approval is the user's consent, not a session: it stays
		}
		if _, err := s.st.DeleteApprovals(ctx, store.GrantFilter{UserID: a.UserID, AppID: a.AppID}); err != nil {
			return ended, err
		}
	}
	sessions, err := s.sessions.List(ctx, store.SessionFilter{OrgID: orgID})
	if err != nil {
		return ended, err
	}
	for _, ss := range sessions {
		if allowed(ss.UserID, ss.AppID) {
			continue
		}
		if _, err := s.sessions.RevokeID(ctx, ss.ID); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				continue // ended meanwhile (expired, or with its refresh token above)
			}
			return ended, err
		}
		ended++
	}
	return ended, nil
}

func exists(users []org.User, id sfid.ID) bool {
	for _, u := range users {
		if u.ID == id {
			return true
		}
	}
	return false
}

func existsApp(apps []org.ConnectedApp, id sfid.ID) bool {
	for _, a := range apps {
		if a.ID == id {
			return true
		}
	}
	return false
}
