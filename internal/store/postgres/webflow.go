package postgres

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

// The store.OAuthGrants of the browser-side flows: authorization codes, refresh tokens
// and approvals (tables oauth_codes, refresh_tokens, oauth_approvals).
//
// Exactly-one-wins without a single writer: a DELETE … RETURNING or an UPDATE … WHERE
// rotated_at IS NULL that races another on the same row waits for the other's row lock
// and then re-checks its WHERE against the committed row (READ COMMITTED, PostgreSQL
// docs §13.2.1), so the loser finds no row.

const (
	codeCols = `code_hash, org_id, user_id, app_id, redirect_uri, challenge, challenge_method, scopes,
		nonce, auth_time, created_at, expires_at`
	refreshCols  = "seq, token_hash, family_seq, org_id, user_id, app_id, scopes, created_at, last_used_at, use_count, rotated_at"
	approvalCols = "org_id, user_id, app_id, scopes, created_at"
)

// PutAuthCode stores a new authorization code.
func (db *DB) PutAuthCode(ctx context.Context, c org.AuthCode) error {
	_, err := db.pool.Exec(ctx, "INSERT INTO oauth_codes ("+codeCols+") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
		c.CodeHash, string(c.OrgID), string(c.UserID), string(c.AppID), c.RedirectURI, c.Challenge,
		c.ChallengeMethod, encodeList(c.Scopes), c.Nonce, ms(c.AuthTime), c.CreatedAt.UnixMilli(), c.ExpiresAt.UnixMilli())
	if err != nil {
		return fmt.Errorf("postgres: put authorization code: %w", mapErr(err))
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
	c.AuthTime = fromMS(auth)
	c.CreatedAt, c.ExpiresAt = time.UnixMilli(created).UTC(), time.UnixMilli(expires).UTC()
	c.Scopes, err = decodeList[string](scopes)
	return c, err
}

// TakeAuthCode deletes and returns a code in one statement: of racing takes the first
// DELETE … RETURNING gets the row, the others find none.
func (db *DB) TakeAuthCode(ctx context.Context, hash []byte) (org.AuthCode, error) {
	c, err := scanCode(db.pool.QueryRow(ctx, "DELETE FROM oauth_codes WHERE code_hash = $1 RETURNING "+codeCols, hash))
	if err != nil {
		return org.AuthCode{}, fmt.Errorf("postgres: take authorization code: %w", mapErr(err))
	}
	return c, nil
}

// DeleteExpiredAuthCodes removes the codes expired at now.
func (db *DB) DeleteExpiredAuthCodes(ctx context.Context, now time.Time) (int, error) {
	tag, err := db.pool.Exec(ctx, "DELETE FROM oauth_codes WHERE expires_at <= $1", now.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("postgres: delete expired authorization codes: %w", err)
	}
	return int(tag.RowsAffected()), nil
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
	t.LastUsedAt, t.RotatedAt = fromMS(used), fromMS(rotated)
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
		t.CreatedAt = nowMS()
	}
	_, err = w.tx.ExecContext(ctx, "INSERT INTO refresh_tokens ("+refreshCols+") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
		int64(n), t.TokenHash, family, string(t.OrgID), string(t.UserID), string(t.AppID), encodeList(t.Scopes),
		t.CreatedAt.UnixMilli(), ms(t.LastUsedAt), t.UseCount, ms(t.RotatedAt))
	if err != nil {
		return err
	}
	t.ID, t.FamilyID = newID(sfid.PrefixOauthToken, n), newID(sfid.PrefixOauthToken, uint64(family))
	t.CreatedAt, t.LastUsedAt, t.RotatedAt = truncMS(t.CreatedAt), truncMS(t.LastUsedAt), truncMS(t.RotatedAt)
	return nil
}

// PutRefreshToken inserts a refresh token.
func (db *DB) PutRefreshToken(ctx context.Context, t *org.RefreshToken) error {
	var cp org.RefreshToken
	err := db.write(ctx, func(w *wtx) error {
		cp = *t // afresh on a retry
		return insertRefresh(ctx, w, &cp)
	})
	if err != nil {
		return fmt.Errorf("postgres: put refresh token: %w", mapErr(err))
	}
	*t = cp
	return nil
}

// RefreshTokenByHash returns the token with the hash (every refresh reads its token: a
// prepared statement on the unique index of token_hash).
func (db *DB) RefreshTokenByHash(ctx context.Context, hash []byte) (org.RefreshToken, error) {
	t, err := scanRefresh(db.pool.QueryRow(ctx, "SELECT "+refreshCols+" FROM refresh_tokens WHERE token_hash = $1", hash))
	if err != nil {
		return org.RefreshToken{}, fmt.Errorf("postgres: refresh token: %w", mapErr(err))
	}
	return t, nil
}

// UseRefreshToken records one use of a token that is not rotated.
func (db *DB) UseRefreshToken(ctx context.Context, id sfid.ID, now time.Time) error {
	seq, ok := seqOf(id, sfid.PrefixOauthToken)
	if !ok {
		return fmt.Errorf("postgres: use refresh token %s: %w", id, store.ErrNotFound)
	}
	tag, err := db.pool.Exec(ctx, `UPDATE refresh_tokens SET last_used_at = greatest(coalesce(last_used_at, 0), $1),
		use_count = use_count + 1 WHERE seq = $2 AND rotated_at IS NULL`, now.UnixMilli(), seq)
	if err == nil && tag.RowsAffected() == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("postgres: use refresh token %s: %w", id, mapErr(err))
	}
	return nil
}

// RotateRefreshToken marks id rotated and inserts next in its family, atomically. Of
// racing rotations the first UPDATE … WHERE rotated_at IS NULL wins; the others wait for
// its commit, then match no row and fail with ErrConflict.
func (db *DB) RotateRefreshToken(ctx context.Context, id sfid.ID, next *org.RefreshToken, now time.Time) error {
	seq, ok := seqOf(id, sfid.PrefixOauthToken)
	if !ok {
		return fmt.Errorf("postgres: rotate refresh token %s: %w", id, store.ErrConflict)
	}
	var cp org.RefreshToken
	err := db.write(ctx, func(w *wtx) error {
		cp = *next
		var family int64
		err := w.tx.QueryRowContext(ctx, `UPDATE refresh_tokens SET rotated_at = $1,
			last_used_at = greatest(coalesce(last_used_at, 0), $1), use_count = use_count + 1
			WHERE seq = $2 AND rotated_at IS NULL RETURNING family_seq`, now.UnixMilli(), seq).Scan(&family)
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
		return fmt.Errorf("postgres: rotate refresh token %s: %w", id, mapErr(err))
	}
	*next = cp
	return nil
}

// grantWhere builds the conditions of a GrantFilter; withTokens adds the ID and family
// conditions, which only refresh tokens have. ok is false when the filter names an ID this
// backend cannot have allocated (it then matches nothing).
func grantWhere(f store.GrantFilter, withTokens bool) (cond string, args []any, ok bool) {
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
			args = append(args, seq)
			conds = append(conds, fmt.Sprintf("%s = $%d", c.col, len(args)))
		}
	}
	rest, restArgs := idFilterSQL(len(args)+1, f.OrgID, f.UserID, f.AppID)
	if rest != "" {
		conds, args = append(conds, rest), append(args, restArgs...)
	}
	return strings.Join(conds, " AND "), args, true
}

// RefreshTokens lists the tokens f selects, newest first.
func (db *DB) RefreshTokens(ctx context.Context, f store.GrantFilter) ([]org.RefreshToken, error) {
	cond, args, ok := grantWhere(f, true)
	if !ok {
		return nil, nil
	}
	rows, err := db.pool.Query(ctx, "SELECT "+refreshCols+" FROM refresh_tokens"+where(cond)+" ORDER BY seq DESC", args...)
	out, err := collect(rows, err, scanRefresh)
	if err != nil {
		return nil, fmt.Errorf("postgres: list refresh tokens: %w", err)
	}
	return out, nil
}

// DeleteRefreshTokens removes the tokens f selects and the sessions minted from them, in
// one transaction.
func (db *DB) DeleteRefreshTokens(ctx context.Context, f store.GrantFilter) ([]org.RefreshToken, []org.Session, error) {
	if f.Empty() {
		return nil, nil, errors.New("postgres: delete refresh tokens: empty filter")
	}
	cond, args, ok := grantWhere(f, true)
	if !ok {
		return nil, nil, nil
	}
	var tokens []org.RefreshToken
	var sessions []org.Session
	err := db.write(ctx, func(w *wtx) error {
		var err error
		tokens, err = queryAll(ctx, w.tx, scanRefresh, "DELETE FROM refresh_tokens"+where(cond)+" RETURNING "+refreshCols, args...)
		if err != nil || len(tokens) == 0 {
			sessions = nil
			return err
		}
		// The sessions are found through their users' index (sessions_user; migration
		// 0002 says why there is no index on refresh_token_id).
		var users, ids []string
		seen := map[sfid.ID]bool{}
		for _, t := range tokens {
			ids = append(ids, string(t.ID))
			if !seen[t.UserID] {
				seen[t.UserID] = true
				users = append(users, string(t.UserID))
			}
		}
		sessions, err = queryAll(ctx, w.tx, scanSession, `DELETE FROM sessions WHERE user_id = ANY($1::text[])
			AND refresh_token_id = ANY($2::text[]) RETURNING `+sessionCols, users, ids)
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("postgres: delete refresh tokens: %w", mapErr(err))
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

// PutApproval records or renews an approval (one upsert).
func (db *DB) PutApproval(ctx context.Context, a org.Approval) error {
	if a.CreatedAt.IsZero() {
		a.CreatedAt = nowMS()
	}
	_, err := db.pool.Exec(ctx, "INSERT INTO oauth_approvals ("+approvalCols+`) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (user_id, app_id) DO UPDATE SET scopes = excluded.scopes, created_at = excluded.created_at`,
		string(a.OrgID), string(a.UserID), string(a.AppID), encodeList(a.Scopes), a.CreatedAt.UnixMilli())
	if err != nil {
		return fmt.Errorf("postgres: put approval: %w", mapErr(err))
	}
	return nil
}

// Approvals lists the approvals f selects, newest first.
func (db *DB) Approvals(ctx context.Context, f store.GrantFilter) ([]org.Approval, error) {
	cond, args, _ := grantWhere(f, false)
	rows, err := db.pool.Query(ctx, "SELECT "+approvalCols+" FROM oauth_approvals"+where(cond)+
		` ORDER BY created_at DESC, user_id COLLATE "C", app_id COLLATE "C"`, args...)
	out, err := collect(rows, err, scanApproval)
	if err != nil {
		return nil, fmt.Errorf("postgres: list approvals: %w", err)
	}
	return out, nil
}

// DeleteApprovals removes the approvals f selects.
func (db *DB) DeleteApprovals(ctx context.Context, f store.GrantFilter) ([]org.Approval, error) {
	if f.Empty() {
		return nil, errors.New("postgres: delete approvals: empty filter")
	}
	cond, args, _ := grantWhere(f, false)
	rows, err := db.pool.Query(ctx, "DELETE FROM oauth_approvals"+where(cond)+" RETURNING "+approvalCols, args...)
	out, err := collect(rows, err, scanApproval)
	if err != nil {
		return nil, fmt.Errorf("postgres: delete approvals: %w", mapErr(err))
	}
	return out, nil
}
