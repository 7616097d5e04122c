package postgres

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

// Sessions and login history (store.Sessions, store.LoginHistory): the token hot path.
// Every statement here is one round trip on the pool (pgx, statements cached prepared per
// connection); the writes are single statements, which PostgreSQL runs atomically in
// their own transaction, so none needs BEGIN/COMMIT round trips.

// expiredChunk is how many expired sessions one DeleteExpiredSessions statement removes,
// so that a large purge never holds many row locks for long. A variable for the tests.
var expiredChunk = 5000

const (
	sessionCols = "seq, token_hash, org_id, user_id, app_id, scopes, source_ip, login_type, created_at, last_activity, timeout_ms, refresh_token_id"

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

// recordLoginsSQL stores a batch of sessions and login events in ONE statement, whatever
// the batch's size (so one prepared statement serves every batch, and one round trip
// commits it): data-modifying CTEs (PostgreSQL docs §7.8.4) allocate both ID ranges from
// id_sequences — locking the two rows, always sessions first, as idAlloc does — and insert
// the rows from arrays with unnest … WITH ORDINALITY, whose ordinal gives each row its
// sequence number. A statement is atomic: a duplicate token hash fails the whole batch,
// IDs included. A prefix with no rows is not touched (WHERE n > 0).
//
// $1/$2 the session/login prefixes, $3/$4 their counts; sessions $5…$15, logins $16…$29.
// Empty IDs are stored NULL (NULLIF), as nullID does.
const recordLoginsSQL = `WITH ids AS (
	INSERT INTO id_sequences AS q (prefix, last)
	SELECT p, n FROM (VALUES ($1::text, $3::bigint), ($2::text, $4::bigint)) AS v (p, n) WHERE n > 0
	ON CONFLICT (prefix) DO UPDATE SET last = q.last + excluded.last
	RETURNING prefix, last
), s AS (
	INSERT INTO sessions (seq, token_hash, org_id, user_id, app_id, scopes, source_ip, login_type,
		created_at, last_activity, timeout_ms, expires_at, refresh_token_id)
	SELECT (SELECT last FROM ids WHERE prefix = $1) - $3 + t.ord, t.h, NULLIF(t.o, ''), NULLIF(t.u, ''),
		NULLIF(t.a, ''), t.sc, t.ip, t.lt, t.c, t.la, t.tm, t.la + t.tm, NULLIF(t.r, '')
	FROM unnest($5::bytea[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
		$12::bigint[], $13::bigint[], $14::bigint[], $15::text[]) WITH ORDINALITY
		AS t (h, o, u, a, sc, ip, lt, c, la, tm, r, ord)
), l AS (
	INSERT INTO login_history (seq, org_id, user_id, app_id, time, source_ip, login_type, login_sub_type,
		status, application, login_url, api_type, api_version, browser, platform)
	SELECT (SELECT last FROM ids WHERE prefix = $2) - $4 + t.ord, NULLIF(t.o, ''), NULLIF(t.u, ''),
		NULLIF(t.a, ''), t.tm, t.ip, t.lt, t.lst, t.st, t.app, t.url, t.at, t.av, t.br, t.pl
	FROM unnest($16::text[], $17::text[], $18::text[], $19::bigint[], $20::text[], $21::text[], $22::text[],
		$23::text[], $24::text[], $25::text[], $26::text[], $27::text[], $28::text[], $29::text[]) WITH ORDINALITY
		AS t (o, u, a, tm, ip, lt, lst, st, app, url, at, av, br, pl, ord)
)
SELECT coalesce((SELECT last FROM ids WHERE prefix = $1), 0), coalesce((SELECT last FROM ids WHERE prefix = $2), 0)`

// RecordLogins stores sessions and login events in one transaction (one statement,
// recordLoginsSQL) and, once it has committed, writes their IDs into them (and normalises
// their times to what was stored: UTC milliseconds; a zero CreatedAt becomes now, a zero
// LastActivity CreatedAt). A token hash already stored fails the whole batch with
// store.ErrConflict.
func (db *DB) RecordLogins(ctx context.Context, sessions []*org.Session, logins []*org.LoginEvent) error {
	if len(sessions) == 0 && len(logins) == 0 {
		return nil
	}
	t := nowMS()
	tms := t.UnixMilli()
	ns, nl := len(sessions), len(logins)
	var (
		hashes                                 = make([][]byte, ns)
		sOrg, sUser, sApp, sScopes, sIP, sType = make([]string, ns), make([]string, ns), make([]string, ns), make([]string, ns), make([]string, ns), make([]string, ns)
		sCreated, sLast, sTimeout              = make([]int64, ns), make([]int64, ns), make([]int64, ns)
		sRefresh                               = make([]string, ns)
	)
	for i, s := range sessions {
		created, last := tms, int64(0)
		if !s.CreatedAt.IsZero() {
			created = s.CreatedAt.UnixMilli()
		}
		last = created
		if !s.LastActivity.IsZero() {
			last = s.LastActivity.UnixMilli()
		}
		hashes[i], sOrg[i], sUser[i], sApp[i] = s.TokenHash, string(s.OrgID), string(s.UserID), string(s.AppID)
		sScopes[i], sIP[i], sType[i] = encodeList(s.Scopes), s.SourceIP, s.LoginType
		sCreated[i], sLast[i], sTimeout[i], sRefresh[i] = created, last, s.Timeout.Milliseconds(), string(s.RefreshTokenID)
	}
	lOrg, lUser, lApp, lTime := make([]string, nl), make([]string, nl), make([]string, nl), make([]int64, nl)
	lIP, lType, lSub, lStatus, lApplication := make([]string, nl), make([]string, nl), make([]string, nl), make([]string, nl), make([]string, nl)
	lURL, lAPIType, lAPIVersion, lBrowser, lPlatform := make([]string, nl), make([]string, nl), make([]string, nl), make([]string, nl), make([]string, nl)
	for i, l := range logins {
		lTime[i] = tms
		if !l.Time.IsZero() {
			lTime[i] = l.Time.UnixMilli()
		}
		lOrg[i], lUser[i], lApp[i] = string(l.OrgID), string(l.UserID), string(l.AppID)
		lIP[i], lType[i], lSub[i], lStatus[i], lApplication[i] = l.SourceIP, l.LoginType, l.LoginSubType, l.Status, l.Application
		lURL[i], lAPIType[i], lAPIVersion[i], lBrowser[i], lPlatform[i] = l.LoginURL, l.APIType, l.APIVersion, l.Browser, l.Platform
	}
	var lastSession, lastLogin int64
	err := db.retry(ctx, func() error {
		return db.pool.QueryRow(ctx, recordLoginsSQL, sfid.PrefixAuthSession, sfid.PrefixLoginHistory, ns, nl,
			hashes, sOrg, sUser, sApp, sScopes, sIP, sType, sCreated, sLast, sTimeout, sRefresh,
			lOrg, lUser, lApp, lTime, lIP, lType, lSub, lStatus, lApplication, lURL, lAPIType, lAPIVersion, lBrowser, lPlatform,
		).Scan(&lastSession, &lastLogin)
	})
	if err != nil {
		return fmt.Errorf("postgres: record %d sessions and %d logins: %w", ns, nl, mapErr(err))
	}
	firstSession, firstLogin := uint64(lastSession-int64(ns)+1), uint64(lastLogin-int64(nl)+1)
	for i, s := range sessions {
		s.ID = newID(sfid.PrefixAuthSession, firstSession+uint64(i))
		if s.CreatedAt.IsZero() {
			s.CreatedAt = t
		}
		if s.LastActivity.IsZero() {
			s.LastActivity = s.CreatedAt
		}
		s.CreatedAt, s.LastActivity = truncMS(s.CreatedAt), truncMS(s.LastActivity)
		s.Timeout = s.Timeout.Truncate(time.Millisecond)
	}
	for i, l := range logins {
		l.ID = newID(sfid.PrefixLoginHistory, firstLogin+uint64(i))
		if l.Time.IsZero() {
			l.Time = t
		}
		l.Time = truncMS(l.Time)
	}
	return nil
}

// retry runs a single-statement write again when PostgreSQL aborted it for a deadlock or
// serialization failure (as db.write does for transactions).
func (db *DB) retry(ctx context.Context, fn func() error) error {
	for attempt := 0; ; attempt++ {
		err := fn()
		if attempt < writeRetries && retryable(err) && ctx.Err() == nil {
			continue
		}
		return err
	}
}

const sessionByHashSQL = "SELECT " + sessionCols + " FROM sessions WHERE token_hash = $1"

// SessionByTokenHash returns the session with the token hash, expired or not: one
// prepared statement (cached per connection by pgx) on the unique index of token_hash.
func (db *DB) SessionByTokenHash(ctx context.Context, hash []byte) (org.Session, error) {
	s, err := scanSession(db.pool.QueryRow(ctx, sessionByHashSQL, hash))
	if err != nil {
		return org.Session{}, fmt.Errorf("postgres: session by token hash %x: %w", hash, mapErr(err))
	}
	return s, nil
}

// touchSQL applies a batch of touches in one statement: UPDATE … FROM unnest of two arrays
// (PostgreSQL docs, UPDATE "FROM from_item"), through the unique index of token_hash.
// The WHERE keeps activity from moving backward.
const touchSQL = `UPDATE sessions AS s SET last_activity = t.at, expires_at = t.at + s.timeout_ms
	FROM unnest($1::bytea[], $2::bigint[]) AS t (h, at)
	WHERE s.token_hash = t.h AND s.last_activity < t.at`

// TouchSessions moves LastActivity (and with it the expiry) forward for the sessions that
// exist; touches that are older than the stored activity, or name no session, do nothing.
// A hash touched several times in the batch counts its latest time (UPDATE … FROM would
// apply an arbitrary one of several matches), and hashes go in byte order so that nodes
// touching overlapping batches lock rows in one order.
func (db *DB) TouchSessions(ctx context.Context, touches []store.Touch) error {
	if len(touches) == 0 {
		return nil
	}
	latest := make(map[string]int64, len(touches))
	for _, t := range touches {
		at := t.LastActivity.UnixMilli()
		if prev, ok := latest[string(t.TokenHash)]; !ok || at > prev {
			latest[string(t.TokenHash)] = at
		}
	}
	keys := make([]string, 0, len(latest))
	for h := range latest {
		keys = append(keys, h)
	}
	slices.Sort(keys)
	hashes, ats := make([][]byte, len(keys)), make([]int64, len(keys))
	for i, h := range keys {
		hashes[i], ats[i] = []byte(h), latest[h]
	}
	err := db.retry(ctx, func() error {
		_, err := db.pool.Exec(ctx, touchSQL, hashes, ats)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: touch %d sessions: %w", len(hashes), mapErr(err))
	}
	return nil
}

// ListSessions lists the sessions matching f, newest (highest ID, the creation order)
// first.
func (db *DB) ListSessions(ctx context.Context, f store.SessionFilter) ([]org.Session, error) {
	cond, args := idFilterSQL(1, f.OrgID, f.UserID, f.AppID)
	rows, err := db.pool.Query(ctx, "SELECT "+sessionCols+" FROM sessions"+where(cond)+" ORDER BY seq DESC"+limitSQL(f.Limit), args...)
	out, err := collect(rows, err, scanSession)
	if err != nil {
		return nil, fmt.Errorf("postgres: list sessions: %w", err)
	}
	return out, nil
}

// deleteSessions deletes the sessions matching cond and returns them, newest first.
func (db *DB) deleteSessions(ctx context.Context, cond string, args ...any) ([]org.Session, error) {
	var out []org.Session
	err := db.retry(ctx, func() error {
		rows, err := db.pool.Query(ctx, "DELETE FROM sessions WHERE "+cond+" RETURNING "+sessionCols, args...)
		out, err = collect(rows, err, scanSession)
		return err
	})
	slices.SortFunc(out, func(a, b org.Session) int { return strings.Compare(string(b.ID), string(a.ID)) })
	return out, err
}

// DeleteSession removes the session with the ID and returns it.
func (db *DB) DeleteSession(ctx context.Context, id sfid.ID) (org.Session, error) {
	seq, ok := seqOf(id, sfid.PrefixAuthSession)
	if !ok {
		return org.Session{}, fmt.Errorf("postgres: delete session %s: %w", id, store.ErrNotFound)
	}
	out, err := db.deleteSessions(ctx, "seq = $1", seq)
	if err == nil && len(out) == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		return org.Session{}, fmt.Errorf("postgres: delete session %s: %w", id, mapErr(err))
	}
	return out[0], nil
}

// DeleteSessionByTokenHash removes the session with the token hash and returns it.
func (db *DB) DeleteSessionByTokenHash(ctx context.Context, hash []byte) (org.Session, error) {
	out, err := db.deleteSessions(ctx, "token_hash = $1", hash)
	if err == nil && len(out) == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		return org.Session{}, fmt.Errorf("postgres: delete session by token hash %x: %w", hash, mapErr(err))
	}
	return out[0], nil
}

// DeleteUserSessions removes all of a user's sessions and returns them, newest first.
func (db *DB) DeleteUserSessions(ctx context.Context, userID sfid.ID) ([]org.Session, error) {
	out, err := db.deleteSessions(ctx, "user_id = $1", string(userID))
	if err != nil {
		return nil, fmt.Errorf("postgres: delete sessions of user %s: %w", userID, mapErr(err))
	}
	return out, nil
}

// DeleteExpiredSessions removes the sessions expired at now (org.Session.Expired: their
// LastActivity+Timeout is not after now) and returns how many. It works in statements of
// expiredChunk rows, each durable, found through sessions_expiry; if one fails, the count
// of those already committed is returned with the error.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	cutoff := now.UnixMilli()
	total := 0
	for {
		var n int64
		err := db.retry(ctx, func() error {
			tag, err := db.pool.Exec(ctx, `DELETE FROM sessions WHERE seq IN
				(SELECT seq FROM sessions WHERE expires_at <= $1 LIMIT $2)`, cutoff, expiredChunk)
			n = tag.RowsAffected()
			return err
		})
		if err != nil {
			return total, fmt.Errorf("postgres: delete expired sessions: %w", err)
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
	cond, args := idFilterSQL(1, f.OrgID, f.UserID, f.AppID)
	rows, err := db.pool.Query(ctx, "SELECT "+loginCols+" FROM login_history"+where(cond)+
		" ORDER BY time DESC, seq DESC"+limitSQL(f.Limit), args...)
	out, err := collect(rows, err, scanLogin)
	if err != nil {
		return nil, fmt.Errorf("postgres: login history: %w", err)
	}
	return out, nil
}
