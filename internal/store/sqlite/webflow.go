package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// The store.OAuthGrants of the browser-side flows (migration 0012): authorization codes,
// refresh tokens and approvals.

const (
	codeCols = `code_hash, org_id, user_id, app_id, redirect_uri, challenge, challenge_method, scopes,
		nonce, auth_time, created_at, expires_at`
	refreshCols  = "seq, token_hash, family_seq, org_id, user_id, app_id, scopes, created_at, last_used_at, use_count, rotated_at"
	approvalCols = "org_id, user_id, app_id, scopes, created_at"
)

// PutAuthCode stores a new authorization code.
func (db *DB) PutAuthCode(ctx context.Context, c org.AuthCode) error {
	err := db.write(ctx, func(w *wtx) error {
		_, err := w.tx.ExecContext(ctx, "INSERT INTO oauth_codes ("+codeCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			c.CodeHash, string(c.OrgID), string(c.UserID), string(c.AppID), c.RedirectURI, c.Challenge,
			c.ChallengeMethod, encodeList(c.Scopes), c.Nonce, millis(c.AuthTime), c.CreatedAt.UnixMilli(), c.ExpiresAt.UnixMilli())
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: put authorization code: %w", mapErr(err))
	}
	return nil
}

func scanCode(s scanner) (org.AuthCode, error) {
	var c org.AuthCode
	var scopes string
	var auth sql.NullInt64
	var created, expires int64
	err := s.Scan(&c.CodeHash, &c.OrgID, &c.UserID, &c.AppID, &c.RedirectURI, &c.Challenge, &c.ChallengeMethod,
		&scopes, &c.Nonce, &auth, &created, &expires)
	if err != nil {
		return c, err
	}
	c.AuthTime = fromMillis(auth)
	c.CreatedAt, c.ExpiresAt = time.UnixMilli(created).UTC(), time.UnixMilli(expires).UTC()
	c.Scopes, err = decodeList[string](scopes)
	return c, err
}

// TakeAuthCode deletes and returns a code. The single writer connection serialises racing
// takes: the first DELETE … RETURNING gets the row, the others find none.
func (db *DB) TakeAuthCode(ctx context.Context, hash []byte) (org.AuthCode, error) {
	var c org.AuthCode
	err := db.write(ctx, func(w *wtx) error {
		var err error
		c, err = scanCode(w.tx.QueryRowContext(ctx, "DELETE FROM oauth_codes WHERE code_hash = ? RETURNING "+codeCols, hash))
		return err
	})
	if err != nil {
		return org.AuthCode{}, fmt.Errorf("sqlite: take authorization code: %w", mapErr(err))
	}
	return c, nil
}

// DeleteExpiredAuthCodes removes the codes expired at now.
func (db *DB) DeleteExpiredAuthCodes(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := db.write(ctx, func(w *wtx) error {
		res, err := w.tx.ExecContext(ctx, "DELETE FROM oauth_codes WHERE expires_at <= ?", now.UnixMilli())
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("sqlite: delete expired authorization codes: %w", err)
	}
	return int(n), nil
}

func scanRefresh(s scanner) (org.RefreshToken, error) {
	var t org.RefreshToken
	var seq, family, created int64
	var scopes string
	var used, rotated sql.NullInt64
	err := s.Scan(&seq, &t.TokenHash, &family, &t.OrgID, &t.UserID, &t.AppID, &scopes, &created, &used, &t.UseCount, &rotated)
	if err != nil {
		return t, err
	}
	t.ID, t.FamilyID = newID(sfid.PrefixOauthToken, uint64(seq)), newID(sfid.PrefixOauthToken, uint64(family))
	t.CreatedAt = time.UnixMilli(created).UTC()
	t.LastUsedAt, t.RotatedAt = fromMillis(used), fromMillis(rotated)
	t.Scopes, err = decodeList[string](scopes)
	return t, err
}

// insertRefresh inserts t inside w, assigning its ID and (when zero) FamilyID.
func insertRefresh(ctx context.Context, w *wtx, t *org.RefreshToken) error {
	n, err := w.ids.take(ctx, sfid.PrefixOauthToken, 1)
	if err != nil {
		return err
	}
	family := int64(n)
	if !t.FamilyID.IsZero() {
		f, ok := seqOf(t.FamilyID, sfid.PrefixOauthToken)
		if !ok {
			return fmt.Errorf("family %s: %w", t.FamilyID, store.ErrNotFound)
		}
		family = f
	}
	if t.CreatedAt.IsZero() {
		t.CreatedAt = now()
	}
	_, err = w.tx.ExecContext(ctx, "INSERT INTO refresh_tokens ("+refreshCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		int64(n), t.TokenHash, family, string(t.OrgID), string(t.UserID), string(t.AppID), encodeList(t.Scopes),
		t.CreatedAt.UnixMilli(), millis(t.LastUsedAt), t.UseCount, millis(t.RotatedAt))
	if err != nil {
		return err
	}
	t.ID, t.FamilyID = newID(sfid.PrefixOauthToken, n), newID(sfid.PrefixOauthToken, uint64(family))
	t.CreatedAt, t.LastUsedAt, t.RotatedAt = truncMillis(t.CreatedAt), truncMillis(t.LastUsedAt), truncMillis(t.RotatedAt)
	return nil
}

// PutRefreshToken inserts a refresh token.
func (db *DB) PutRefreshToken(ctx context.Context, t *org.RefreshToken) error {
	cp := *t
	if err := db.write(ctx, func(w *wtx) error { return insertRefresh(ctx, w, &cp) }); err != nil {
		return fmt.Errorf("sqlite: put refresh token: %w", mapErr(err))
	}
	*t = cp
	return nil
}

// RefreshTokenByHash returns the token with the hash.
func (db *DB) RefreshTokenByHash(ctx context.Context, hash []byte) (org.RefreshToken, error) {
	// A prepared statement (stmtcache.go): every refresh reads its token.
	t, err := scanRefresh(db.rc.QueryRowContext(ctx, "SELECT "+refreshCols+" FROM refresh_tokens WHERE token_hash = ?", hash))
	if err != nil {
		return org.RefreshToken{}, fmt.Errorf("sqlite: refresh token: %w", mapErr(err))
	}
	return t, nil
}

// UseRefreshToken records one use of a token that is not rotated.
func (db *DB) UseRefreshToken(ctx context.Context, id sfid.ID, now time.Time) error {
	seq, ok := seqOf(id, sfid.PrefixOauthToken)
	if !ok {
		return fmt.Errorf("sqlite: use refresh token %s: %w", id, store.ErrNotFound)
	}
	var n int64
	err := db.write(ctx, func(w *wtx) error {
		res, err := w.tx.ExecContext(ctx, `UPDATE refresh_tokens SET last_used_at = max(coalesce(last_used_at, 0), ?),
			use_count = use_count + 1 WHERE seq = ? AND rotated_at IS NULL`, now.UnixMilli(), seq)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err == nil && n == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("sqlite: use refresh token %s: %w", id, mapErr(err))
	}
	return nil
}

// RotateRefreshToken marks id rotated and inserts next in its family, atomically.
func (db *DB) RotateRefreshToken(ctx context.Context, id sfid.ID, next *org.RefreshToken, now time.Time) error {
	seq, ok := seqOf(id, sfid.PrefixOauthToken)
	if !ok {
		return fmt.Errorf("sqlite: rotate refresh token %s: %w", id, store.ErrConflict)
	}
	cp := *next
	err := db.write(ctx, func(w *wtx) error {
		var family int64
		err := w.tx.QueryRowContext(ctx, `UPDATE refresh_tokens SET rotated_at = ?, last_used_at = max(coalesce(last_used_at, 0), ?),
			use_count = use_count + 1 WHERE seq = ? AND rotated_at IS NULL RETURNING family_seq`,
			now.UnixMilli(), now.UnixMilli(), seq).Scan(&family)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrConflict
		}
		if err != nil {
			return err
		}
		cp.FamilyID = newID(sfid.PrefixOauthToken, uint64(family))
		return insertRefresh(ctx, w, &cp)
	})
	if err != nil {
		return fmt.Errorf("sqlite: rotate refresh token %s: %w", id, mapErr(err))
	}
	*next = cp
	return nil
}

// grantWhere builds the WHERE clause of a GrantFilter; withTokens adds the ID and family
// conditions, which only refresh tokens have. ok is false when the filter names an ID this
// backend cannot have allocated (it then matches nothing).
func grantWhere(f store.GrantFilter, withTokens bool) (where string, args []any, ok bool) {
	var conds []string
	if withTokens {
		for _, c := range []struct {
			col string
			id  sfid.ID
		}{{"seq", f.ID}, {"family_seq", f.FamilyID}} {
			if c.id.IsZero() {
				continue
			}
			seq, valid := seqOf(c.id, sfid.PrefixOauthToken)
			if !valid {
				return "", nil, false
			}
			conds, args = append(conds, c.col+" = ?"), append(args, seq)
		}
	}
	rest, restArgs := filterSQL(f.OrgID, f.UserID, f.AppID)
	if rest != "" {
		conds, args = append(conds, strings.TrimPrefix(rest, " WHERE ")), append(args, restArgs...)
	}
	if len(conds) == 0 {
		return "", nil, true
	}
	return " WHERE " + strings.Join(conds, " AND "), args, true
}

// RefreshTokens lists the tokens f selects, newest first.
func (db *DB) RefreshTokens(ctx context.Context, f store.GrantFilter) ([]org.RefreshToken, error) {
	where, args, ok := grantWhere(f, true)
	if !ok {
		return nil, nil
	}
	out, err := queryAll(ctx, db.r, scanRefresh, "SELECT "+refreshCols+" FROM refresh_tokens"+where+" ORDER BY seq DESC", args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list refresh tokens: %w", err)
	}
	return out, nil
}

// DeleteRefreshTokens removes the tokens f selects and the sessions minted from them.
func (db *DB) DeleteRefreshTokens(ctx context.Context, f store.GrantFilter) ([]org.RefreshToken, []org.Session, error) {
	if f.Empty() {
		return nil, nil, errors.New("sqlite: delete refresh tokens: empty filter")
	}
	where, args, ok := grantWhere(f, true)
	if !ok {
		return nil, nil, nil
	}
	var tokens []org.RefreshToken
	var sessions []org.Session
	err := db.write(ctx, func(w *wtx) error {
		var err error
		tokens, err = queryAll(ctx, w.tx, scanRefresh, "DELETE FROM refresh_tokens"+where+" RETURNING "+refreshCols, args...)
		if err != nil || len(tokens) == 0 {
			return err
		}
		// The sessions are found through their users' index (sessions_user; migration
		// 0012 says why there is no index on refresh_token_id).
		var users, ids []any
		var userMarks, marks []string
		seen := map[sfid.ID]bool{}
		for _, t := range tokens {
			ids, marks = append(ids, string(t.ID)), append(marks, "?")
			if !seen[t.UserID] {
				seen[t.UserID] = true
				users, userMarks = append(users, string(t.UserID)), append(userMarks, "?")
			}
		}
		sessions, err = queryAll(ctx, w.tx, scanSession, "DELETE FROM sessions WHERE user_id IN ("+strings.Join(userMarks, ", ")+
			") AND refresh_token_id IN ("+strings.Join(marks, ", ")+") RETURNING "+sessionCols, append(users, ids...)...)
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("sqlite: delete refresh tokens: %w", mapErr(err))
	}
	return tokens, sessions, nil
}

func scanApproval(s scanner) (org.Approval, error) {
	var a org.Approval
	var scopes string
	var created int64
	if err := s.Scan(&a.OrgID, &a.UserID, &a.AppID, &scopes, &created); err != nil {
		return a, err
	}
	a.CreatedAt = time.UnixMilli(created).UTC()
	var err error
	a.Scopes, err = decodeList[string](scopes)
	return a, err
}

// PutApproval records or renews an approval.
func (db *DB) PutApproval(ctx context.Context, a org.Approval) error {
	if a.CreatedAt.IsZero() {
		a.CreatedAt = now()
	}
	err := db.write(ctx, func(w *wtx) error {
		_, err := w.tx.ExecContext(ctx, "INSERT INTO oauth_approvals ("+approvalCols+`) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (user_id, app_id) DO UPDATE SET scopes = excluded.scopes, created_at = excluded.created_at`,
			string(a.OrgID), string(a.UserID), string(a.AppID), encodeList(a.Scopes), a.CreatedAt.UnixMilli())
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: put approval: %w", mapErr(err))
	}
	return nil
}

// Approvals lists the approvals f selects, newest first.
func (db *DB) Approvals(ctx context.Context, f store.GrantFilter) ([]org.Approval, error) {
	where, args, _ := grantWhere(f, false)
	out, err := queryAll(ctx, db.r, scanApproval, "SELECT "+approvalCols+" FROM oauth_approvals"+where+
		" ORDER BY created_at DESC, user_id, app_id", args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list approvals: %w", err)
	}
	return out, nil
}

// DeleteApprovals removes the approvals f selects.
func (db *DB) DeleteApprovals(ctx context.Context, f store.GrantFilter) ([]org.Approval, error) {
	if f.Empty() {
		return nil, errors.New("sqlite: delete approvals: empty filter")
	}
	where, args, _ := grantWhere(f, false)
	var out []org.Approval
	err := db.write(ctx, func(w *wtx) error {
		var err error
		out, err = queryAll(ctx, w.tx, scanApproval, "DELETE FROM oauth_approvals"+where+" RETURNING "+approvalCols, args...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: delete approvals: %w", mapErr(err))
	}
	return out, nil
}
