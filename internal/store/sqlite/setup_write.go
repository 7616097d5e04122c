package sqlite

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

// UpdateSetup runs fn in one write transaction. The writer fn receives reads through the
// same transaction, so it sees its own writes. If fn returns an error (or panics) the
// transaction is rolled back, fn's error is returned unchanged, and IDs fn was handed are
// given back: values passed to Put* may then hold IDs that were never stored.
//
// fn must not call methods of the DB itself that write (that would deadlock); reads
// through the DB rather than the writer do not see the transaction's writes.
func (db *DB) UpdateSetup(ctx context.Context, fn func(w store.SetupWriter) error) error {
	return db.write(ctx, func(w *wtx) error {
		return fn(&setupWriter{reader: reader{q: w.tx}, w: w})
	})
}

// setupWriter is the store.SetupWriter of one UpdateSetup transaction.
type setupWriter struct {
	reader
	w *wtx
}

var _ store.SetupWriter = (*setupWriter)(nil)

// stamp sets the timestamps of an insert (zero CreatedAt becomes now, zero UpdatedAt
// becomes CreatedAt) or of an update (UpdatedAt becomes now).
func stamp(insert bool, created, updated *time.Time) {
	t := now()
	if !insert {
		*updated = t
		return
	}
	if created.IsZero() {
		*created = t
	}
	*created = truncMillis(*created)
	if updated.IsZero() {
		*updated = *created
	}
	*updated = truncMillis(*updated)
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
			return fmt.Errorf("sqlite: put %s: %w", what, mapErr(err))
		}
		*id = newID
		return nil
	}
	var c sql.NullInt64
	if err := update().Scan(&c); err != nil {
		return fmt.Errorf("sqlite: put %s %s: %w", what, *id, mapErr(err))
	}
	*created = fromMillis(c)
	return nil
}

func (s *setupWriter) PutOrg(ctx context.Context, o *org.Org) error {
	stamp(o.ID.IsZero(), &o.CreatedAt, &o.UpdatedAt)
	tx, pp := s.w.tx, o.PasswordPolicy
	return s.put(ctx, fmt.Sprintf("org %q", o.Name), sfid.PrefixOrganization, &o.ID, &o.CreatedAt,
		func(id sfid.ID) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO orgs ("+orgCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				string(id), o.Name, o.MyDomain, o.SessionTimeoutMinutes, o.DailyAPIRequests,
				millis(o.CreatedAt), millis(o.UpdatedAt), pp.DisableUsernamePasswordFlow, pp.LockoutAttempts, pp.LockoutMinutes,
				string(o.Edition), int64(o.ClockOffset))
			return err
		},
		func() *sql.Row {
			return tx.QueryRowContext(ctx, `UPDATE orgs SET name = ?, my_domain = ?, session_timeout_minutes = ?,
				daily_api_requests = ?, updated_at = ?, disable_username_password = ?, lockout_attempts = ?,
				lockout_minutes = ?, edition = ?, clock_offset_ns = ? WHERE id = ? RETURNING created_at`,
				o.Name, o.MyDomain, o.SessionTimeoutMinutes, o.DailyAPIRequests, millis(o.UpdatedAt),
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
			return fmt.Errorf("sqlite: put profile %q: %w", p.Name, err)
		}
		ranges = string(b)
	}
	objPerms, fieldPerms, err := encodeGrants(p.ObjectPermissions, p.FieldPermissions)
	if err != nil {
		return fmt.Errorf("sqlite: put profile %q: %w", p.Name, err)
	}
	return s.put(ctx, fmt.Sprintf("profile %q", p.Name), sfid.PrefixProfile, &p.ID, &p.CreatedAt,
		func(id sfid.ID) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO profiles ("+profileCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				string(id), string(p.OrgID), p.Name, encodeList(p.Permissions), p.SessionTimeoutMinutes,
				millis(p.CreatedAt), millis(p.UpdatedAt), ranges, objPerms, fieldPerms)
			return err
		},
		func() *sql.Row {
			return tx.QueryRowContext(ctx, `UPDATE profiles SET org_id = ?, name = ?, permissions = ?,
				session_timeout_minutes = ?, updated_at = ?, login_ip_ranges = ?, object_permissions = ?,
				field_permissions = ? WHERE id = ? RETURNING created_at`,
				string(p.OrgID), p.Name, encodeList(p.Permissions), p.SessionTimeoutMinutes, millis(p.UpdatedAt), ranges,
				objPerms, fieldPerms, string(p.ID))
		})
}

func (s *setupWriter) PutPermissionSet(ctx context.Context, ps *org.PermissionSet) error {
	stamp(ps.ID.IsZero(), &ps.CreatedAt, &ps.UpdatedAt)
	tx := s.w.tx
	objPerms, fieldPerms, err := encodeGrants(ps.ObjectPermissions, ps.FieldPermissions)
	if err != nil {
		return fmt.Errorf("sqlite: put permission set %q: %w", ps.Name, err)
	}
	return s.put(ctx, fmt.Sprintf("permission set %q", ps.Name), sfid.PrefixPermissionSet, &ps.ID, &ps.CreatedAt,
		func(id sfid.ID) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO permission_sets ("+permSetCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
				string(id), string(ps.OrgID), ps.Name, encodeList(ps.Permissions), millis(ps.CreatedAt), millis(ps.UpdatedAt),
				objPerms, fieldPerms)
			return err
		},
		func() *sql.Row {
			return tx.QueryRowContext(ctx, `UPDATE permission_sets SET org_id = ?, name = ?, permissions = ?,
				updated_at = ?, object_permissions = ?, field_permissions = ? WHERE id = ? RETURNING created_at`,
				string(ps.OrgID), ps.Name, encodeList(ps.Permissions), millis(ps.UpdatedAt), objPerms, fieldPerms, string(ps.ID))
		})
}

func (s *setupWriter) PutUser(ctx context.Context, u *org.User) error {
	for i, id := range u.PermissionSetIDs {
		for _, prev := range u.PermissionSetIDs[:i] {
			if prev == id {
				return fmt.Errorf("sqlite: put user %q: permission set %s assigned twice: %w", u.Username, id, store.ErrConflict)
			}
		}
	}
	stamp(u.ID.IsZero(), &u.CreatedAt, &u.UpdatedAt)
	tx := s.w.tx
	err := s.put(ctx, fmt.Sprintf("user %q", u.Username), sfid.PrefixUser, &u.ID, &u.CreatedAt,
		func(id sfid.ID) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO users ("+userCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				string(id), string(u.OrgID), u.Username, u.FirstName, u.LastName, u.Email, nullID(u.ProfileID),
				u.Active, u.TimeZone, u.Locale, u.Language, millis(u.CreatedAt), millis(u.UpdatedAt),
				u.PasswordHash, u.SecurityTokenHash, u.FilePasswordHash, u.FileSecurityTokenHash, u.Frozen)
			return err
		},
		func() *sql.Row {
			return tx.QueryRowContext(ctx, `UPDATE users SET org_id = ?, username = ?, first_name = ?, last_name = ?,
				email = ?, profile_id = ?, active = ?, time_zone = ?, locale = ?, language = ?, updated_at = ?,
				password_hash = ?, security_token_hash = ?, file_password_hash = ?, file_security_token_hash = ?,
				frozen = ? WHERE id = ? RETURNING created_at`,
				string(u.OrgID), u.Username, u.FirstName, u.LastName, u.Email, nullID(u.ProfileID), u.Active,
				u.TimeZone, u.Locale, u.Language, millis(u.UpdatedAt), u.PasswordHash, u.SecurityTokenHash,
				u.FilePasswordHash, u.FileSecurityTokenHash, u.Frozen, string(u.ID))
		})
	if err != nil {
		return err
	}
	if err := s.assignPermSets(ctx, u.ID, u.PermissionSetIDs); err != nil {
		return fmt.Errorf("sqlite: put user %q: %w", u.Username, err)
	}
	return nil
}

// assignPermSets makes a user's assignments exactly want, in order. Assignments that stay
// keep their 0Pa IDs.
func (s *setupWriter) assignPermSets(ctx context.Context, userID sfid.ID, want []sfid.ID) error {
	tx := s.w.tx
	have := make(map[sfid.ID]string) // permission set → assignment ID
	rows, err := tx.QueryContext(ctx, "SELECT id, permission_set_id FROM permission_set_assignments WHERE user_id = ?", string(userID))
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
			if _, err := tx.ExecContext(ctx, "DELETE FROM permission_set_assignments WHERE id = ?", id); err != nil {
				return mapErr(err)
			}
		}
	}
	for pos, ps := range want {
		if id, ok := have[ps]; ok {
			_, err = tx.ExecContext(ctx, "UPDATE permission_set_assignments SET position = ? WHERE id = ?", pos, id)
		} else {
			var id sfid.ID
			if id, err = s.w.ids.next(ctx, sfid.PrefixPermSetAssignment); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO permission_set_assignments (id, user_id, permission_set_id, position)
				VALUES (?, ?, ?, ?)`, string(id), string(userID), string(ps), pos)
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
			_, err := tx.ExecContext(ctx, "INSERT INTO connected_apps ("+appCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				string(id), string(a.OrgID), a.Name, a.ContactEmail, encodeList(a.CallbackURLs), encodeList(a.Scopes),
				a.ClientCredentialsEnabled, nullID(a.RunAsUserID), a.PermittedUsers, encodeList(a.ProfileIDs),
				encodeList(a.PermissionSetIDs), a.SessionTimeoutMinutes, a.IntrospectAllTokens,
				millis(a.CreatedAt), millis(a.UpdatedAt), encodeList(a.Certificates), encodeList(a.ApprovedUserIDs), a.IPRelaxation, a.JWTAccessTokens,
				a.ConsumerSecretOptional, a.RefreshSecretOptional, a.PKCERequired, string(a.RefreshTokenPolicy),
				a.RefreshTokenRotation, a.IDTokenValidityMinutes, string(a.Kind), a.Description, a.Blocked, a.DeveloperName,
				a.TokenRequestsPerHour, a.TokenRequestsPerDay, a.APIRequestsPerDay)
			return err
		},
		func() *sql.Row {
			return tx.QueryRowContext(ctx, `UPDATE connected_apps SET org_id = ?, name = ?, contact_email = ?,
				callback_urls = ?, scopes = ?, client_credentials_enabled = ?, run_as_user_id = ?, permitted_users = ?,
				profile_ids = ?, permission_set_ids = ?, session_timeout_minutes = ?, introspect_all_tokens = ?,
				updated_at = ?, certificates = ?, approved_user_ids = ?, ip_relaxation = ?, jwt_access_tokens = ?,
				consumer_secret_optional = ?, refresh_secret_optional = ?, pkce_required = ?, refresh_token_policy = ?,
				refresh_token_rotation = ?, id_token_validity_minutes = ?, kind = ?, description = ?, blocked = ?, developer_name = ?,
				token_requests_per_hour = ?, token_requests_per_day = ?, api_requests_per_day = ?
				WHERE id = ? RETURNING created_at`,
				string(a.OrgID), a.Name, a.ContactEmail, encodeList(a.CallbackURLs), encodeList(a.Scopes),
				a.ClientCredentialsEnabled, nullID(a.RunAsUserID), a.PermittedUsers, encodeList(a.ProfileIDs),
				encodeList(a.PermissionSetIDs), a.SessionTimeoutMinutes, a.IntrospectAllTokens,
				millis(a.UpdatedAt), encodeList(a.Certificates), encodeList(a.ApprovedUserIDs), a.IPRelaxation, a.JWTAccessTokens,
				a.ConsumerSecretOptional, a.RefreshSecretOptional, a.PKCERequired, string(a.RefreshTokenPolicy),
				a.RefreshTokenRotation, a.IDTokenValidityMinutes, string(a.Kind), a.Description, a.Blocked, a.DeveloperName,
				a.TokenRequestsPerHour, a.TokenRequestsPerDay, a.APIRequestsPerDay, string(a.ID))
		})
}

// PutCredential inserts or updates a consumer key/secret pair. A consumer key already held
// by another app is a conflict; the same app may hold several pairs with one key.
func (s *setupWriter) PutCredential(ctx context.Context, c *org.Credential) error {
	tx := s.w.tx
	var other string
	err := tx.QueryRowContext(ctx, "SELECT app_id FROM credentials WHERE consumer_key = ? AND app_id <> ? LIMIT 1",
		c.ConsumerKey, string(c.AppID)).Scan(&other)
	switch {
	case err == nil:
		return fmt.Errorf("sqlite: put credential of app %s: consumer key already belongs to app %s: %w", c.AppID, other, store.ErrConflict)
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("sqlite: put credential of app %s: %w", c.AppID, err)
	}
	if c.ID.IsZero() && c.CreatedAt.IsZero() {
		c.CreatedAt = now()
	}
	c.CreatedAt, c.ExpiresAt = truncMillis(c.CreatedAt), truncMillis(c.ExpiresAt)
	return s.put(ctx, fmt.Sprintf("credential of app %s", c.AppID), sfid.PrefixCredential, &c.ID, &c.CreatedAt,
		func(id sfid.ID) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO credentials ("+credentialCols+") VALUES (?, ?, ?, ?, ?, ?, ?)",
				string(id), string(c.AppID), c.ConsumerKey, c.SecretHash, c.State, millis(c.CreatedAt), millis(c.ExpiresAt))
			return err
		},
		func() *sql.Row {
			return tx.QueryRowContext(ctx, `UPDATE credentials SET app_id = ?, consumer_key = ?, secret_hash = ?,
				state = ?, expires_at = ? WHERE id = ? RETURNING created_at`,
				string(c.AppID), c.ConsumerKey, c.SecretHash, c.State, millis(c.ExpiresAt), string(c.ID))
		})
}

func (s *setupWriter) DeleteCredential(ctx context.Context, id sfid.ID) error {
	res, err := s.w.tx.ExecContext(ctx, "DELETE FROM credentials WHERE id = ?", string(id))
	if err != nil {
		return fmt.Errorf("sqlite: delete credential %s: %w", id, mapErr(err))
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("sqlite: delete credential %s: %w", id, err)
	} else if n == 0 {
		return fmt.Errorf("sqlite: delete credential %s: %w", id, store.ErrNotFound)
	}
	return nil
}

// DeleteConnectedApp removes the app and its credentials (the only rows that reference it
// by foreign key).
func (s *setupWriter) DeleteConnectedApp(ctx context.Context, id sfid.ID) error {
	if _, err := s.w.tx.ExecContext(ctx, "DELETE FROM credentials WHERE app_id = ?", string(id)); err != nil {
		return fmt.Errorf("sqlite: delete the credentials of connected app %s: %w", id, mapErr(err))
	}
	res, err := s.w.tx.ExecContext(ctx, "DELETE FROM connected_apps WHERE id = ?", string(id))
	if err != nil {
		return fmt.Errorf("sqlite: delete connected app %s: %w", id, mapErr(err))
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("sqlite: delete connected app %s: %w", id, err)
	} else if n == 0 {
		return fmt.Errorf("sqlite: delete connected app %s: %w", id, store.ErrNotFound)
	}
	return nil
}
