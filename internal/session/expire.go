package session

import (
	"context"
	"errors"

	"github.com/forcefield/forcefield/internal/store"
)

// RevokeSessions ends every session f selects — all of an app's, of an org's, or of a
// user's of one app (issue 14 §1: "expire … all of an app's sessions now") — and returns
// how many. As RevokeID does for one, it deletes each row and drops it from every node's
// cache, so the next call with any of their tokens gets what a timed-out session gets.
// Refresh tokens are not touched: a client holding one can refresh. A session issued
// while this runs may survive it; an empty filter is refused (it would end every session
// of the server).
func (m *Manager) RevokeSessions(ctx context.Context, f store.SessionFilter) (int, error) {
	if f.OrgID == "" && f.UserID == "" && f.AppID == "" {
		return 0, errors.New("session: revoking sessions needs an org, app or user")
	}
	f.Limit = 0
	ss, err := m.st.ListSessions(ctx, f)
	if err != nil {
		return 0, err
	}
	var keys [][32]byte
	for _, s := range ss {
		d, err := m.st.DeleteSession(ctx, s.ID)
		if errors.Is(err, store.ErrNotFound) {
			continue // revoked meanwhile
		}
		if err != nil {
			m.revoked(ctx, keys...)
			return len(keys), err
		}
		keys = append(keys, keyOf(d.TokenHash))
	}
	m.revoked(ctx, keys...)
	return len(keys), nil
}
