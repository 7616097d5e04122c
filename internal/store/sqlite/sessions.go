package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// expiredChunk is how many expired sessions one DeleteExpiredSessions transaction removes,
// so that a large purge never holds the writer for long. A variable for the tests.
var expiredChunk = 5000

const (
	sessionCols = "seq, token_hash, org_id, user_id, app_id, scopes, source_ip, login_type, created_at, last_activity, timeout_ms, refresh_token_id"

	insertSessionCols = `seq, token_hash, org_id, user_id, app_id, scopes, source_ip, login_type,
		created_at, last_activity, timeout_ms, expires_at, refresh_token_id`

	touchSessionSQL = `UPDATE sessions SET last_activity = ?1, expires_at = ?1 + timeout_ms
		WHERE token_hash = ?2 AND last_activity < ?1`

	loginCols = `seq, org_id, user_id, app_id, time, source_ip, login_type, login_sub_type, status, application,
		login_url, api_type, api_version, browser, platform`
)

func scanSession(s scanner) (org.Session, error) {
	var x org.Session
	var seq, created, last, timeout int64
	var orgID, userID, appID, refreshID sql.NullString
	var scopes string
	if err := s.Scan(&seq, &x.TokenHash, &orgID, &userID, &appID, &scopes, &x.SourceIP, &x.LoginType,
		&created, &last, &timeout, &refreshID); err != nil {
		return x, err
	}
	x.ID = newID(sfid.PrefixAuthSession, uint64(seq))
	x.RefreshTokenID = fromNullID(refreshID)
	x.OrgID, x.UserID, x.AppID = fromNullID(orgID), fromNullID(userID), fromNullID(appID)
	x.CreatedAt, x.LastActivity = time.UnixMilli(created).UTC(), time.UnixMilli(last).UTC()
	x.Timeout = time.Duration(timeout) * time.Millisecond
	var err error
	x.Scopes, err = decodeList[string](scopes)
	return x, err
}

// RecordLogins stores sessions and login events in one transaction and, once it has
// committed, writes their IDs into them (and normalises their times to what was stored:
// UTC milliseconds; a zero CreatedAt becomes now, a zero LastActivity CreatedAt). A token
// hash already stored fails the whole batch with store.ErrConflict.
func (db *DB) RecordLogins(ctx context.Context, sessions []*org.Session, logins []*org.LoginEvent) error {
	if len(sessions) == 0 && len(logins) == 0 {
		return nil
	}
	var firstSession, firstLogin uint64
	t := now()
	err := db.write(ctx, func(w *wtx) error {
		var err error
		if len(sessions) > 0 {
			if firstSession, err = w.ids.take(ctx, sfid.PrefixAuthSession, len(sessions)); err != nil {
				return err
			}
			args := make([]any, 0, len(sessions)*13)
			for i, s := range sessions {
				created, last := s.CreatedAt, s.LastActivity
				if created.IsZero() {
					created = t
				}
				if last.IsZero() {
					last = created
				}
				timeout := s.Timeout.Milliseconds()
				args = append(args, int64(firstSession)+int64(i), s.TokenHash, nullID(s.OrgID),
					nullID(s.UserID), nullID(s.AppID), encodeList(s.Scopes), s.SourceIP, s.LoginType,
					created.UnixMilli(), last.UnixMilli(), timeout, last.UnixMilli()+timeout, nullID(s.RefreshTokenID))
			}
			if err := db.sessionRows.exec(ctx, w.tx, args); err != nil {
				return fmt.Errorf("sqlite: record %d sessions: %w", len(sessions), mapErr(err))
			}
		}
		if len(logins) > 0 {
			if firstLogin, err = w.ids.take(ctx, sfid.PrefixLoginHistory, len(logins)); err != nil {
				return err
			}
			args := make([]any, 0, len(logins)*15)
			for i, l := range logins {
				when := l.Time
				if when.IsZero() {
					when = t
				}
				args = append(args, int64(firstLogin)+int64(i), nullID(l.OrgID), nullID(l.UserID),
					nullID(l.AppID), when.UnixMilli(), l.SourceIP, l.LoginType, l.LoginSubType, l.Status,
					l.Application, l.LoginURL, l.APIType, l.APIVersion, l.Browser, l.Platform)
			}
			if err := db.loginRows.exec(ctx, w.tx, args); err != nil {
				return fmt.Errorf("sqlite: record %d logins: %w", len(logins), mapErr(err))
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i, s := range sessions {
		s.ID = newID(sfid.PrefixAuthSession, firstSession+uint64(i))
		if s.CreatedAt.IsZero() {
			s.CreatedAt = t
		}
		if s.LastActivity.IsZero() {
			s.LastActivity = s.CreatedAt
		}
		s.CreatedAt, s.LastActivity = truncMillis(s.CreatedAt), truncMillis(s.LastActivity)
		s.Timeout = s.Timeout.Truncate(time.Millisecond)
	}
	for i, l := range logins {
		l.ID = newID(sfid.PrefixLoginHistory, firstLogin+uint64(i))
		if l.Time.IsZero() {
			l.Time = t
		}
		l.Time = truncMillis(l.Time)
	}
	return nil
}

// SessionByTokenHash returns the session with the token hash, expired or not.
func (db *DB) SessionByTokenHash(ctx context.Context, hash []byte) (org.Session, error) {
	s, err := scanSession(db.r.QueryRowContext(ctx, "SELECT "+sessionCols+" FROM sessions WHERE token_hash = ?", hash))
	if err != nil {
		return org.Session{}, fmt.Errorf("sqlite: session by token hash %x: %w", hash, mapErr(err))
	}
	return s, nil
}

// TouchSessions moves LastActivity (and with it the expiry) forward for the sessions that
// exist; touches that are older than the stored activity, or name no session, do nothing.
func (db *DB) TouchSessions(ctx context.Context, touches []store.Touch) error {
	if len(touches) == 0 {
		return nil
	}
	return db.write(ctx, func(w *wtx) error {
		stmt := w.tx.StmtContext(ctx, db.touchSession)
		defer stmt.Close()
		for _, t := range touches {
			if _, err := stmt.ExecContext(ctx, t.LastActivity.UnixMilli(), t.TokenHash); err != nil {
				return fmt.Errorf("sqlite: touch sessions: %w", mapErr(err))
			}
		}
		return nil
	})
}

// filterSQL builds a WHERE clause matching the non-empty IDs.
func filterSQL(orgID, userID, appID sfid.ID) (string, []any) {
	var conds []string
	var args []any
	for _, f := range []struct {
		col string
		id  sfid.ID
	}{{"org_id", orgID}, {"user_id", userID}, {"app_id", appID}} {
		if !f.id.IsZero() {
			conds = append(conds, f.col+" = ?")
			args = append(args, string(f.id))
		}
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func limitSQL(limit int) string {
	if limit <= 0 {
		return ""
	}
	return fmt.Sprintf(" LIMIT %d", limit)
}

// ListSessions lists the sessions matching f, newest (highest ID, the creation order)
// first.
func (db *DB) ListSessions(ctx context.Context, f store.SessionFilter) ([]org.Session, error) {
	where, args := filterSQL(f.OrgID, f.UserID, f.AppID)
	out, err := queryAll(ctx, db.r, scanSession, "SELECT "+sessionCols+" FROM sessions"+where+" ORDER BY seq DESC"+limitSQL(f.Limit), args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list sessions: %w", err)
	}
	return out, nil
}

// deleteSessions deletes the sessions matching where and returns them, newest first.
func (db *DB) deleteSessions(ctx context.Context, where string, args ...any) ([]org.Session, error) {
	var out []org.Session
	err := db.write(ctx, func(w *wtx) error {
		var err error
		out, err = queryAll(ctx, w.tx, scanSession, "DELETE FROM sessions WHERE "+where+" RETURNING "+sessionCols, args...)
		return err
	})
	slices.SortFunc(out, func(a, b org.Session) int { return strings.Compare(string(b.ID), string(a.ID)) })
	return out, err
}

// DeleteSession removes the session with the ID and returns it.
func (db *DB) DeleteSession(ctx context.Context, id sfid.ID) (org.Session, error) {
	seq, ok := seqOf(id, sfid.PrefixAuthSession)
	if !ok {
		return org.Session{}, fmt.Errorf("sqlite: delete session %s: %w", id, store.ErrNotFound)
	}
	out, err := db.deleteSessions(ctx, "seq = ?", seq)
	if err == nil && len(out) == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		return org.Session{}, fmt.Errorf("sqlite: delete session %s: %w", id, mapErr(err))
	}
	return out[0], nil
}

// DeleteSessionByTokenHash removes the session with the token hash and returns it.
func (db *DB) DeleteSessionByTokenHash(ctx context.Context, hash []byte) (org.Session, error) {
	out, err := db.deleteSessions(ctx, "token_hash = ?", hash)
	if err == nil && len(out) == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		return org.Session{}, fmt.Errorf("sqlite: delete session by token hash %x: %w", hash, mapErr(err))
	}
	return out[0], nil
}

// DeleteUserSessions removes all of a user's sessions and returns them, newest first.
func (db *DB) DeleteUserSessions(ctx context.Context, userID sfid.ID) ([]org.Session, error) {
	out, err := db.deleteSessions(ctx, "user_id = ?", string(userID))
	if err != nil {
		return nil, fmt.Errorf("sqlite: delete sessions of user %s: %w", userID, mapErr(err))
	}
	return out, nil
}

// DeleteExpiredSessions removes the sessions expired at now (org.Session.Expired: their
// LastActivity+Timeout is not after now) and returns how many. It works in transactions of
// expiredChunk rows, each durable, so other writes interleave with a large purge; if one
// fails, the count of those already committed is returned with the error.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	cutoff := now.UnixMilli()
	total := 0
	for {
		var n int64
		err := db.write(ctx, func(w *wtx) error {
			res, err := w.tx.ExecContext(ctx, `DELETE FROM sessions WHERE seq IN
				(SELECT seq FROM sessions WHERE expires_at <= ? LIMIT ?)`, cutoff, expiredChunk)
			if err != nil {
				return err
			}
			n, err = res.RowsAffected()
			return err
		})
		if err != nil {
			return total, fmt.Errorf("sqlite: delete expired sessions: %w", err)
		}
		total += int(n)
		if n < int64(expiredChunk) {
			return total, nil
		}
	}
}

func scanLogin(s scanner) (org.LoginEvent, error) {
	var l org.LoginEvent
	var seq, when int64
	var orgID, userID, appID sql.NullString
	err := s.Scan(&seq, &orgID, &userID, &appID, &when, &l.SourceIP, &l.LoginType, &l.LoginSubType, &l.Status,
		&l.Application, &l.LoginURL, &l.APIType, &l.APIVersion, &l.Browser, &l.Platform)
	l.ID = newID(sfid.PrefixLoginHistory, uint64(seq))
	l.OrgID, l.UserID, l.AppID = fromNullID(orgID), fromNullID(userID), fromNullID(appID)
	l.Time = time.UnixMilli(when).UTC()
	return l, err
}

// LoginHistory lists the login events matching f, newest first (by Time, then by ID).
func (db *DB) LoginHistory(ctx context.Context, f store.LoginFilter) ([]org.LoginEvent, error) {
	where, args := filterSQL(f.OrgID, f.UserID, f.AppID)
	out, err := queryAll(ctx, db.r, scanLogin, "SELECT "+loginCols+" FROM login_history"+where+
		" ORDER BY time DESC, seq DESC"+limitSQL(f.Limit), args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: login history: %w", err)
	}
	return out, nil
}
