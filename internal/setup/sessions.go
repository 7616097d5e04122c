package setup

import (
	"context"
	"errors"
	"fmt"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// Sessions and blocked apps (Setup → Session Management, Setup → Connected Apps OAuth
// Usage). Sessions are not Setup objects: they live in the session store and its cache,
// so a revocation ends them through the session manager first and then records the
// audit row in a Setup transaction of its own — a session that is gone stays gone even
// if the row could not be written, and the row never claims a revocation that did not
// happen.

// RevokeSession ends one session (Salesforce: AuthSession delete(), the page's Remove)
// and records who ended it. It returns the session that ended; NotFound when there is no
// such session (an expired session may already have been swept).
func (s *Service) RevokeSession(ctx context.Context, actor Actor, id sfid.ID) (org.Session, error) {
	sess, err := s.sessions.RevokeID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return sess, NotFoundf("no session %s", id)
	}
	if err != nil {
		return sess, err
	}
	username := s.username(ctx, sess.UserID)
	err = s.Update(ctx, actor, func(tx *Tx) error {
		return tx.Audit(sess.OrgID, org.AuditSectionUsers, org.AuditRevokedSession, sess.UserID,
			fmt.Sprintf("Removed session %s of user %s", sess.ID, username))
	})
	return sess, err
}

// RevokeUserSessions ends every session of a user and returns how many ended. Refresh
// tokens stay (Salesforce's Session Management removes sessions, not OAuth grants; the
// OAuth usage page revokes those).
func (s *Service) RevokeUserSessions(ctx context.Context, actor Actor, userID sfid.ID) (int, error) {
	u, err := s.st.User(ctx, userID)
	if errors.Is(err, store.ErrNotFound) {
		return 0, NotFoundf("no user %s", userID)
	}
	if err != nil {
		return 0, err
	}
	n, err := s.sessions.RevokeUser(ctx, u.ID)
	if err != nil {
		return n, err
	}
	err = s.Update(ctx, actor, func(tx *Tx) error {
		return tx.Audit(u.OrgID, org.AuditSectionUsers, org.AuditRevokedSessions, u.ID,
			fmt.Sprintf("Revoked %d session(s) of user %s", n, u.Username))
	})
	return n, err
}

// BlockApp blocks a connected app: after the change commits every session and refresh
// token of the app ends, and the token endpoint and the authorize endpoint refuse the
// app until it is unblocked (package oauth checks org.ConnectedApp.Blocked). Salesforce:
// "Block to end all current user sessions with the connected app and block all new
// sessions" (the setup reference §4). Blocking a blocked app changes nothing and writes
// no row.
func (s *Service) BlockApp(ctx context.Context, actor Actor, appID sfid.ID) error {
	changed, err := s.setBlocked(ctx, actor, appID, true)
	if err != nil || !changed {
		return err
	}
	return s.endAppSessions(ctx, appID)
}

// UnblockApp lets a blocked app get tokens again. Sessions ended by the block stay ended.
func (s *Service) UnblockApp(ctx context.Context, actor Actor, appID sfid.ID) error {
	_, err := s.setBlocked(ctx, actor, appID, false)
	return err
}

func (s *Service) setBlocked(ctx context.Context, actor Actor, appID sfid.ID, blocked bool) (bool, error) {
	changed := false
	err := s.Update(ctx, actor, func(tx *Tx) error {
		app, err := tx.ConnectedApp(ctx, appID)
		if errors.Is(err, store.ErrNotFound) {
			return NotFoundf("no connected app %s", appID)
		}
		if err != nil {
			return err
		}
		if app.Blocked == blocked {
			return nil
		}
		changed = true
		app.Blocked = blocked
		if err := tx.PutConnectedApp(ctx, &app); err != nil {
			return err
		}
		action, verb := org.AuditUnblockedApp, "Unblocked"
		if blocked {
			action, verb = org.AuditBlockedApp, "Blocked"
		}
		return tx.Audit(app.OrgID, org.AuditSectionConnectedApps, action, app.ID,
			fmt.Sprintf("%s connected app %s", verb, app.Name))
	})
	return changed, err
}

// endAppSessions ends every refresh token of the app (with the sessions minted from
// them) and every other session of the app, the session cache included. The app is
// already blocked, so no new session can appear while this runs except one whose request
// passed the check before the block committed; a second sweep catches those.
func (s *Service) endAppSessions(ctx context.Context, appID sfid.ID) error {
	for range 2 {
		if _, _, err := s.sessions.RevokeRefreshTokens(ctx, s.st, store.GrantFilter{AppID: appID}); err != nil {
			return fmt.Errorf("revoking the refresh tokens of app %s: %w", appID, err)
		}
		ss, err := s.st.ListSessions(ctx, store.SessionFilter{AppID: appID})
		if err != nil {
			return err
		}
		for _, sess := range ss {
			if _, err := s.sessions.RevokeID(ctx, sess.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("ending session %s of app %s: %w", sess.ID, appID, err)
			}
		}
	}
	return nil
}

// username is the user's username for an audit row, or the ID when the user is gone.
func (s *Service) username(ctx context.Context, id sfid.ID) string {
	u, err := s.st.User(ctx, id)
	if err != nil {
		return id.String()
	}
	return u.Username
}
