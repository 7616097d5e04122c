package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// UpdateSetup runs fn in one write transaction (db.write: retried from the start if
// PostgreSQL aborts it for a deadlock or serialization failure, so fn must be safe to run
// again). The writer fn receives reads through the same transaction, so it sees its own
// writes. If fn returns an error (or panics) the transaction is rolled back, fn's error is
// returned unchanged, and IDs fn was handed are given back: values passed to Put* may then
// hold IDs that were never stored.
//
// fn must not call methods of the DB itself that write; reads through the DB rather than
// the writer do not see the transaction's writes. Unlike SQLite, a write that fails (a
// conflict, a missing reference) aborts the PostgreSQL transaction: fn must return its
// error rather than write on (reads that find nothing are not failures).
//
// Setup transactions take turns across every node of the database: each first takes a
// transaction-level advisory lock (PostgreSQL docs §13.3.5, "Advisory Locks"), as SQLite's
// single writer makes them. The Setup service checks rules by reading before it writes
// (an app's API Name unique in its org, a consumer key held by one app), which only holds
// if no other Setup transaction commits in between; and since Setup transactions then
// never interleave, they cannot deadlock on each other's ID allocations, so the retry of
// db.write — which would run fn again on values the failed attempt already gave IDs —
// does not arise between them. Setup changes are rare and small: the queue costs nothing
// that matters.
func (db *DB) UpdateSetup(ctx context.Context, fn func(w store.SetupWriter) error) error {
	return db.write(ctx, func(w *wtx) error {
		if _, err := w.tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))", setupLock); err != nil {
			return fmt.Errorf("postgres: setup lock: %w", err)
		}
		return fn(&setupWriter{reader: reader{q: w.tx}, w: w})
	})
}

// setupLock is the first key of the advisory lock Setup transactions take; the second is
// the hash of the schema, so that the tests' schemas do not queue behind each other.
const setupLock = 0x5355 // "SU"

// setupWriter is the store.SetupWriter of one UpdateSetup transaction.
type setupWriter struct {
	reader
	w *wtx
}

var _ store.SetupWriter = (*setupWriter)(nil)

// stamp sets the timestamps of an insert (zero CreatedAt becomes now, zero UpdatedAt
// becomes CreatedAt) or of an update (UpdatedAt becomes now).
func stamp(insert bool, created, updated *time.Time) {
	t := nowMS()
	if !insert {
		*updated = t
		return
	}
	if created.IsZero() {
		*created = t
	}
	*created = truncMS(*created)
	if updated.IsZero() {
		*updated = *created
	}
	*updated = truncMS(*updated)
}

// put inserts (when *id is zero: allocating an ID with prefix first) or updates a row.
// insert takes the new ID; update returns the stored created_at via RETURNING, or no rows.
func (s *setupWriter) put(ctx context.Context, what string, prefix string, id *sfid.ID, created *time.Time,
	insert func(id sfid.ID) error, update func() *sql.Row) error {
	if id.IsZero() {
		newID, err := s.w.ids.next(ctx, prefix)
		if err != nil {
			return err
		}
		if err := insert(newID); err != nil {
			return fmt.Errorf("postgres: put %s: %w", what, mapErr(err))
		}
		*id = newID
		return nil
	}
	var c sql.NullInt64
	if err := update().Scan(&c); err != nil {
		return fmt.Errorf("postgres: put %s %s: %w", what, *id, mapErr(err))
	}
	*created = fromMS(c)
	return nil
}

func (s *setupWriter) PutOrg(ctx context.Context, o *org.Org) error {
	stamp(o.ID.IsZero(), &o.CreatedAt, &o.UpdatedAt)
	tx, pp := s.w.tx, o.PasswordPolicy
	return s.put(ctx, fmt.Sprintf("org %q", o.Name), sfid.PrefixOrganization, &o.ID, &o.CreatedAt,
		func(id sfid.ID) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO orgs ("+orgCols+") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
				string(id), o.Name, o.MyDomain, o.SessionTimeoutMinutes, o.DailyAPIRequests,
				ms(o.CreatedAt), ms(o.UpdatedAt), pp.DisableUsernamePasswordFlow, pp.LockoutAttempts, pp.LockoutMinutes,
				string(o.Edition), int64(o.ClockOffset))
			return err
		},
		func() *sql.Row {
			return tx.QueryRowContext(ctx, `UPDATE orgs SET name = $1, my_domain = $2, session_timeout_minutes = $3,
				daily_api_requests = $4, updated_at = $5, disable_username_password = $6, lockout_attempts = $7,
				lockout_minutes = $8, edition = $9, clock_offset_ns = $10 WHERE id = $11 RETURNING created_at`,
				o.Name, o.MyDomain, o.SessionTimeoutMinutes, o.DailyAPIRequests, ms(o.UpdatedAt),
				pp.DisableUsernamePasswordFlow, pp.LockoutAttempts, pp.LockoutMinutes, string(o.Edition), int64(o.ClockOffset), string(o.ID))
		})
}

func (s *setupWriter) PutProfile(ctx context.Context, p *org.Profile) error {
	stamp(p.ID.IsZero(), &p.CreatedAt, &p.UpdatedAt)
	tx := s.w.tx
	ranges := "[]"
	if len(p.LoginIPRanges) > 0 {
		b, err := json.Marshal(p.LoginIPRanges)
		if err != nil {
			return fmt.Errorf("postgres: put profile %q: %w", p.Name, err)
		}
		ranges = string(b)
	}
	objPerms, fieldPerms, err := encodeGrants(p.ObjectPermissions, p.FieldPermissions)
	if err != nil {
		return fmt.Errorf("postgres: put profile %q: %w", p.Name, err)
	}
	return s.put(ctx, fmt.Sprintf("profile %q", p.Name), sfid.PrefixProfile, &p.ID, &p.CreatedAt,
		func(id sfid.ID) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO profiles ("+profileCols+") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
				string(id), string(p.OrgID), p.Name, encodeList(p.Permissions), p.SessionTimeoutMinutes,
				ms(p.CreatedAt), ms(p.UpdatedAt), ranges, objPerms, fieldPerms)
			return err
		},
		func() *sql.Row {
			return tx.QueryRowContext(ctx, `UPDATE profiles SET org_id = $1, name = $2, permissions = $3,
				session_timeout_minutes = $4, updated_at = $5, login_ip_ranges = $6, object_permissions = $7,
				field_permissions = $8 WHERE id = $9 RETURNING created_at`,
				string(p.OrgID), p.Name, encodeList(p.Permissions), p.SessionTimeoutMinutes, ms(p.UpdatedAt), ranges,
				objPerms, fieldPerms, string(p.ID))
		})
}

func (s *setupWriter) PutPermissionSet(ctx context.Context, ps *org.PermissionSet) error {
	stamp(ps.ID.IsZero(), &ps.CreatedAt, &ps.UpdatedAt)
	tx := s.w.tx
	objPerms, fieldPerms, err := encodeGrants(ps.ObjectPermissions, ps.FieldPermissions)
	if err != nil {
		return fmt.Errorf("postgres: put permission set %q: %w", ps.Name, err)
	}
	return s.put(ctx, fmt.Sprintf("permission set %q", ps.Name), sfid.PrefixPermissionSet, &ps.ID, &ps.CreatedAt,
		func(id sfid.ID) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO permission_sets ("+permSetCols+") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
				string(id), string(ps.OrgID), ps.Name, encodeList(ps.Permissions), ms(ps.CreatedAt), ms(ps.UpdatedAt),
				objPerms, fieldPerms)
			return err
		},
		func() *sql.Row {
			return tx.QueryRowContext(ctx, `UPDATE permission_sets SET org_id = $1, name = $2, permissions = $3,
				updated_at = $4, object_permissions = $5, field_permissions = $6 WHERE id = $7 RETURNING created_at`,
				string(ps.OrgID), ps.Name, encodeList(ps.Permissions), ms(ps.UpdatedAt), objPerms, fieldPerms, string(ps.ID))
		})
}

func (s *setupWriter) PutUser(ctx context.Context, u *org.User) error {
	for i, id := range u.PermissionSetIDs {
		for _, prev := range u.PermissionSetIDs[:i] {
			if prev == id {
				return fmt.Errorf("postgres: put user %q: permission set %s assigned twice: %w", u.Username, id, store.ErrConflict)
			}
		}
	}
	stamp(u.ID.IsZero(), &u.CreatedAt, &u.UpdatedAt)
	tx := s.w.tx
	err := s.put(ctx, fmt.Sprintf("user %q", u.Username), sfid.PrefixUser, &u.ID, &u.CreatedAt,
		func(id sfid.ID) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO users ("+userCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
				$10, $11, $12, $13, $14, $15, $16, $17, $18)`,
				string(id), string(u.OrgID), u.Username, u.FirstName, u.LastName, u.Email, nullID(u.ProfileID),
				u.Active, u.TimeZone, u.Locale, u.Language, ms(u.CreatedAt), ms(u.UpdatedAt),
				u.PasswordHash, u.SecurityTokenHash, u.FilePasswordHash, u.FileSecurityTokenHash, u.Frozen)
			return err
		},
		func() *sql.Row {
			return tx.QueryRowContext(ctx, `UPDATE users SET org_id = $1, username = $2, first_name = $3, last_name = $4,
				email = $5, profile_id = $6, active = $7, time_zone = $8, locale = $9, language = $10, updated_at = $11,
				password_hash = $12, security_token_hash = $13, file_password_hash = $14, file_security_token_hash = $15,
				frozen = $16 WHERE id = $17 RETURNING created_at`,
				string(u.OrgID), u.Username, u.FirstName, u.LastName, u.Email, nullID(u.ProfileID), u.Active,
				u.TimeZone, u.Locale, u.Language, ms(u.UpdatedAt), u.PasswordHash, u.SecurityTokenHash,
				u.FilePasswordHash, u.FileSecurityTokenHash, u.Frozen, string(u.ID))
		})
	if err != nil {
		return err
	}
	if err := s.assignPermSets(ctx, u.ID, u.PermissionSetIDs); err != nil {
		return fmt.Errorf("postgres: put user %q: %w", u.Username, err)
	}
	return nil
}

// assignPermSets makes a user's assignments exactly want, in order. Assignments that stay
// keep their 0Pa IDs.
func (s *setupWriter) assignPermSets(ctx context.Context, userID sfid.ID, want []sfid.ID) error {
	tx := s.w.tx
	have := make(map[sfid.ID]string) // permission set → assignment ID
	rows, err := tx.QueryContext(ctx, "SELECT id, permission_set_id FROM permission_set_assignments WHERE user_id = $1", string(userID))
	if err != nil {
		return err
	}
	for rows.Next() {
		var id string
		var ps sfid.ID
		if err := rows.Scan(&id, &ps); err != nil {
			rows.Close()
			return err
		}
		have[ps] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	keep := make(map[sfid.ID]bool, len(want))
	for _, ps := range want {
		keep[ps] = true
	}
	for ps, id := range have {
		if !keep[ps] {
			if _, err := tx.ExecContext(ctx, "DELETE FROM permission_set_assignments WHERE id = $1", id); err != nil {
				return mapErr(err)
			}
		}
	}
	for pos, ps := range want {
		if id, ok := have[ps]; ok {
			_, err = tx.ExecContext(ctx, "UPDATE permission_set_assignments SET position = $1 WHERE id = $2", pos, id)
		} else {
			var id sfid.ID
			if id, err = s.w.ids.next(ctx, sfid.PrefixPermSetAssignment); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO permission_set_assignments (id, user_id, permission_set_id, position)
				VALUES ($1, $2, $3, $4)`, string(id), string(userID), string(ps), pos)
		}
		if err != nil {
			return fmt.Errorf("assign permission set %s: %w", ps, mapErr(err))
		}
	}
	return nil
}

func (s *setupWriter) PutConnectedApp(ctx context.Context, a *org.ConnectedApp) error {
	stamp(a.ID.IsZero(), &a.CreatedAt, &a.UpdatedAt)
	tx := s.w.tx
	return s.put(ctx, fmt.Sprintf("connected app %q", a.Name), sfid.PrefixConnectedApp, &a.ID, &a.CreatedAt,
		func(id sfid.ID) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO connected_apps ("+appCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7,
				$8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29,
				$30, $31, $32)`,
				string(id), string(a.OrgID), a.Name, a.ContactEmail, encodeList(a.CallbackURLs), encodeList(a.Scopes),
				a.ClientCredentialsEnabled, nullID(a.RunAsUserID), a.PermittedUsers, encodeList(a.ProfileIDs),
				encodeList(a.PermissionSetIDs), a.SessionTimeoutMinutes, a.IntrospectAllTokens,
				ms(a.CreatedAt), ms(a.UpdatedAt), encodeList(a.Certificates), encodeList(a.ApprovedUserIDs), a.IPRelaxation, a.JWTAccessTokens,
				a.ConsumerSecretOptional, a.RefreshSecretOptional, a.PKCERequired, string(a.RefreshTokenPolicy),
				a.RefreshTokenRotation, a.IDTokenValidityMinutes, string(a.Kind), a.Description, a.Blocked, a.DeveloperName,
				a.TokenRequestsPerHour, a.TokenRequestsPerDay, a.APIRequestsPerDay)
			return err
		},
		func() *sql.Row {
			return tx.QueryRowContext(ctx, `UPDATE connected_apps SET org_id = $1, name = $2, contact_email = $3,
				callback_urls = $4, scopes = $5, client_credentials_enabled = $6, run_as_user_id = $7, permitted_users = $8,
				profile_ids = $9, permission_set_ids = $10, session_timeout_minutes = $11, introspect_all_tokens = $12,
				updated_at = $13, certificates = $14, approved_user_ids = $15, ip_relaxation = $16, jwt_access_tokens = $17,
				consumer_secret_optional = $18, refresh_secret_optional = $19, pkce_required = $20, refresh_token_policy = $21,
				refresh_token_rotation = $22, id_token_validity_minutes = $23, kind = $24, description = $25, blocked = $26,
				developer_name = $27, token_requests_per_hour = $28, token_requests_per_day = $29,
				api_requests_per_day = $30 WHERE id = $31 RETURNING created_at`,
				string(a.OrgID), a.Name, a.ContactEmail, encodeList(a.CallbackURLs), encodeList(a.Scopes),
				a.ClientCredentialsEnabled, nullID(a.RunAsUserID), a.PermittedUsers, encodeList(a.ProfileIDs),
				encodeList(a.PermissionSetIDs), a.SessionTimeoutMinutes, a.IntrospectAllTokens,
				ms(a.UpdatedAt), encodeList(a.Certificates), encodeList(a.ApprovedUserIDs), a.IPRelaxation, a.JWTAccessTokens,
				a.ConsumerSecretOptional, a.RefreshSecretOptional, a.PKCERequired, string(a.RefreshTokenPolicy),
				a.RefreshTokenRotation, a.IDTokenValidityMinutes, string(a.Kind), a.Description, a.Blocked, a.DeveloperName,
				a.TokenRequestsPerHour, a.TokenRequestsPerDay, a.APIRequestsPerDay, string(a.ID))
		})
}

// PutCredential inserts or updates a consumer key/secret pair. A consumer key already held
// by another app is a conflict; the same app may hold several pairs with one key.
//
// The key is not unique in the table (an app holds several pairs while a secret rotates),
// so the check is a read; it holds because Setup transactions take turns (UpdateSetup).
func (s *setupWriter) PutCredential(ctx context.Context, c *org.Credential) error {
	tx := s.w.tx
	var other string
	err := tx.QueryRowContext(ctx, "SELECT app_id FROM credentials WHERE consumer_key = $1 AND app_id <> $2 LIMIT 1",
		c.ConsumerKey, string(c.AppID)).Scan(&other)
	switch {
	case err == nil:
		return fmt.Errorf("postgres: put credential of app %s: consumer key already belongs to app %s: %w", c.AppID, other, store.ErrConflict)
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("postgres: put credential of app %s: %w", c.AppID, err)
	}
	if c.ID.IsZero() && c.CreatedAt.IsZero() {
		c.CreatedAt = nowMS()
	}
	c.CreatedAt, c.ExpiresAt = truncMS(c.CreatedAt), truncMS(c.ExpiresAt)
	return s.put(ctx, fmt.Sprintf("credential of app %s", c.AppID), sfid.PrefixCredential, &c.ID, &c.CreatedAt,
		func(id sfid.ID) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO credentials ("+credentialCols+") VALUES ($1, $2, $3, $4, $5, $6, $7)",
				string(id), string(c.AppID), c.ConsumerKey, c.SecretHash, c.State, ms(c.CreatedAt), ms(c.ExpiresAt))
			return err
		},
		func() *sql.Row {
			return tx.QueryRowContext(ctx, `UPDATE credentials SET app_id = $1, consumer_key = $2, secret_hash = $3,
				state = $4, expires_at = $5 WHERE id = $6 RETURNING created_at`,
				string(c.AppID), c.ConsumerKey, c.SecretHash, c.State, ms(c.ExpiresAt), string(c.ID))
		})
}

func (s *setupWriter) DeleteCredential(ctx context.Context, id sfid.ID) error {
	res, err := s.w.tx.ExecContext(ctx, "DELETE FROM credentials WHERE id = $1", string(id))
	if err != nil {
		return fmt.Errorf("postgres: delete credential %s: %w", id, mapErr(err))
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("postgres: delete credential %s: %w", id, err)
	} else if n == 0 {
		return fmt.Errorf("postgres: delete credential %s: %w", id, store.ErrNotFound)
	}
	return nil
}

// DeleteConnectedApp removes the app and its credentials (the only rows that reference it
// by foreign key).
func (s *setupWriter) DeleteConnectedApp(ctx context.Context, id sfid.ID) error {
	if _, err := s.w.tx.ExecContext(ctx, "DELETE FROM credentials WHERE app_id = $1", string(id)); err != nil {
		return fmt.Errorf("postgres: delete the credentials of connected app %s: %w", id, mapErr(err))
	}
	res, err := s.w.tx.ExecContext(ctx, "DELETE FROM connected_apps WHERE id = $1", string(id))
	if err != nil {
		return fmt.Errorf("postgres: delete connected app %s: %w", id, mapErr(err))
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("postgres: delete connected app %s: %w", id, err)
	} else if n == 0 {
		return fmt.Errorf("postgres: delete connected app %s: %w", id, store.ErrNotFound)
	}
	return nil
}
