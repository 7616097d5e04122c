package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// reader implements store.SetupReader over the read pool (DB) or a write transaction
// (setupWriter, which so sees its own writes). Lists come in ID order, which is creation
// order; credentials oldest first.
type reader struct{ q querier }

// queryAll runs a query and scans every row with scan.
func queryAll[T any](ctx context.Context, q querier, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

const orgCols = "id, name, my_domain, session_timeout_minutes, daily_api_requests, created_at, updated_at, " +
	"disable_username_password, lockout_attempts, lockout_minutes, edition, clock_offset_ns"

// orgSelect reads orgCols and the org's licences: its active users (org.Org.Licences),
// counted through the users_org index.
const orgSelect = "SELECT " + orgCols + ", (SELECT count(*) FROM users u WHERE u.org_id = orgs.id AND u.active <> 0) FROM orgs"

func scanOrg(s scanner) (org.Org, error) {
	var o org.Org
	var created, updated sql.NullInt64
	var edition string
	err := s.Scan(&o.ID, &o.Name, &o.MyDomain, &o.SessionTimeoutMinutes, &o.DailyAPIRequests, &created, &updated,
		&o.PasswordPolicy.DisableUsernamePasswordFlow, &o.PasswordPolicy.LockoutAttempts, &o.PasswordPolicy.LockoutMinutes,
		&edition, &o.ClockOffset, &o.Licences)
	o.CreatedAt, o.UpdatedAt, o.Edition = fromMillis(created), fromMillis(updated), org.Edition(edition)
	return o, err
}

func (r reader) Orgs(ctx context.Context) ([]org.Org, error) {
	out, err := queryAll(ctx, r.q, scanOrg, orgSelect+" ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("sqlite: orgs: %w", err)
	}
	return out, nil
}

func (r reader) Org(ctx context.Context, id sfid.ID) (org.Org, error) {
	o, err := scanOrg(r.q.QueryRowContext(ctx, orgSelect+" WHERE id = ?", string(id)))
	if err != nil {
		return org.Org{}, fmt.Errorf("sqlite: org %s: %w", id, mapErr(err))
	}
	return o, nil
}

func (r reader) OrgByName(ctx context.Context, name string) (org.Org, error) {
	o, err := scanOrg(r.q.QueryRowContext(ctx, orgSelect+" WHERE name = ?", name))
	if err != nil {
		return org.Org{}, fmt.Errorf("sqlite: org %q: %w", name, mapErr(err))
	}
	return o, nil
}

const profileCols = "id, org_id, name, permissions, session_timeout_minutes, created_at, updated_at, login_ip_ranges, " +
	"object_permissions, field_permissions"

func scanProfile(s scanner) (org.Profile, error) {
	var p org.Profile
	var perms, ranges, objPerms, fieldPerms string
	var created, updated sql.NullInt64
	if err := s.Scan(&p.ID, &p.OrgID, &p.Name, &perms, &p.SessionTimeoutMinutes, &created, &updated, &ranges,
		&objPerms, &fieldPerms); err != nil {
		return p, err
	}
	var err error
	if p.ObjectPermissions, p.FieldPermissions, err = decodeGrants(objPerms, fieldPerms); err != nil {
		return p, err
	}
	if ranges != "" && ranges != "[]" {
		if err := json.Unmarshal([]byte(ranges), &p.LoginIPRanges); err != nil {
			return p, fmt.Errorf("decode login IP ranges: %w", err)
		}
	}
	p.CreatedAt, p.UpdatedAt = fromMillis(created), fromMillis(updated)
	p.Permissions, err = decodeList[string](perms)
	return p, err
}

func (r reader) Profiles(ctx context.Context, orgID sfid.ID) ([]org.Profile, error) {
	out, err := queryAll(ctx, r.q, scanProfile, "SELECT "+profileCols+" FROM profiles WHERE org_id = ? ORDER BY id", string(orgID))
	if err != nil {
		return nil, fmt.Errorf("sqlite: profiles of %s: %w", orgID, err)
	}
	return out, nil
}

func (r reader) Profile(ctx context.Context, id sfid.ID) (org.Profile, error) {
	p, err := scanProfile(r.q.QueryRowContext(ctx, "SELECT "+profileCols+" FROM profiles WHERE id = ?", string(id)))
	if err != nil {
		return org.Profile{}, fmt.Errorf("sqlite: profile %s: %w", id, mapErr(err))
	}
	return p, nil
}

const permSetCols = "id, org_id, name, permissions, created_at, updated_at, object_permissions, field_permissions"

func scanPermSet(s scanner) (org.PermissionSet, error) {
	var ps org.PermissionSet
	var perms, objPerms, fieldPerms string
	var created, updated sql.NullInt64
	if err := s.Scan(&ps.ID, &ps.OrgID, &ps.Name, &perms, &created, &updated, &objPerms, &fieldPerms); err != nil {
		return ps, err
	}
	ps.CreatedAt, ps.UpdatedAt = fromMillis(created), fromMillis(updated)
	var err error
	if ps.ObjectPermissions, ps.FieldPermissions, err = decodeGrants(objPerms, fieldPerms); err != nil {
		return ps, err
	}
	ps.Permissions, err = decodeList[string](perms)
	return ps, err
}

func (r reader) PermissionSets(ctx context.Context, orgID sfid.ID) ([]org.PermissionSet, error) {
	out, err := queryAll(ctx, r.q, scanPermSet, "SELECT "+permSetCols+" FROM permission_sets WHERE org_id = ? ORDER BY id", string(orgID))
	if err != nil {
		return nil, fmt.Errorf("sqlite: permission sets of %s: %w", orgID, err)
	}
	return out, nil
}

func (r reader) PermissionSet(ctx context.Context, id sfid.ID) (org.PermissionSet, error) {
	ps, err := scanPermSet(r.q.QueryRowContext(ctx, "SELECT "+permSetCols+" FROM permission_sets WHERE id = ?", string(id)))
	if err != nil {
		return org.PermissionSet{}, fmt.Errorf("sqlite: permission set %s: %w", id, mapErr(err))
	}
	return ps, nil
}

const userCols = "id, org_id, username, first_name, last_name, email, profile_id, active, time_zone, locale, language, created_at, updated_at, " +
	"password_hash, security_token_hash, file_password_hash, file_security_token_hash, frozen"

func scanUser(s scanner) (org.User, error) {
	var u org.User
	var profile sql.NullString
	var created, updated sql.NullInt64
	err := s.Scan(&u.ID, &u.OrgID, &u.Username, &u.FirstName, &u.LastName, &u.Email, &profile,
		&u.Active, &u.TimeZone, &u.Locale, &u.Language, &created, &updated, &u.PasswordHash, &u.SecurityTokenHash,
		&u.FilePasswordHash, &u.FileSecurityTokenHash, &u.Frozen)
	u.ProfileID = fromNullID(profile)
	u.CreatedAt, u.UpdatedAt = fromMillis(created), fromMillis(updated)
	return u, err
}

// permSetIDs returns users' permission set assignments, in order, keyed by user ID.
// The where clause filters the users table (aliased u).
func (r reader) permSetIDs(ctx context.Context, where string, args ...any) (map[sfid.ID][]sfid.ID, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT a.user_id, a.permission_set_id
		FROM permission_set_assignments a JOIN users u ON u.id = a.user_id
		WHERE `+where+` ORDER BY a.user_id, a.position`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[sfid.ID][]sfid.ID)
	for rows.Next() {
		var user, ps sfid.ID
		if err := rows.Scan(&user, &ps); err != nil {
			return nil, err
		}
		out[user] = append(out[user], ps)
	}
	return out, rows.Err()
}

func (r reader) Users(ctx context.Context, orgID sfid.ID) ([]org.User, error) {
	where, args := "1", []any(nil)
	if !orgID.IsZero() {
		where, args = "u.org_id = ?", []any{string(orgID)}
	}
	users, err := queryAll(ctx, r.q, scanUser, "SELECT "+userCols+" FROM users u WHERE "+where+" ORDER BY id", args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: users of %q: %w", orgID, err)
	}
	ps, err := r.permSetIDs(ctx, where, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: users of %q: %w", orgID, err)
	}
	for i := range users {
		users[i].PermissionSetIDs = ps[users[i].ID]
	}
	return users, nil
}

func (r reader) User(ctx context.Context, id sfid.ID) (org.User, error) {
	return r.user(ctx, "id", string(id))
}

func (r reader) UserByUsername(ctx context.Context, username string) (org.User, error) {
	return r.user(ctx, "username", username)
}

// user reads one user by a unique column (id or username).
func (r reader) user(ctx context.Context, col, val string) (org.User, error) {
	u, err := scanUser(r.q.QueryRowContext(ctx, "SELECT "+userCols+" FROM users u WHERE "+col+" = ?", val))
	if err != nil {
		return org.User{}, fmt.Errorf("sqlite: user %q: %w", val, mapErr(err))
	}
	ps, err := r.permSetIDs(ctx, "u.id = ?", string(u.ID))
	if err != nil {
		return org.User{}, fmt.Errorf("sqlite: user %q: %w", val, err)
	}
	u.PermissionSetIDs = ps[u.ID]
	return u, nil
}

const appCols = `id, org_id, name, contact_email, callback_urls, scopes, client_credentials_enabled,
	run_as_user_id, permitted_users, profile_ids, permission_set_ids, session_timeout_minutes,
	introspect_all_tokens, created_at, updated_at, certificates, approved_user_ids, ip_relaxation,
	jwt_access_tokens, consumer_secret_optional, refresh_secret_optional, pkce_required,
	refresh_token_policy, refresh_token_rotation, id_token_validity_minutes, kind, description, blocked, developer_name,
	token_requests_per_hour, token_requests_per_day, api_requests_per_day`

func scanApp(s scanner) (org.ConnectedApp, error) {
	var a org.ConnectedApp
	var callbacks, scopes, profiles, permSets, certs, approved string
	var runAs sql.NullString
	var created, updated sql.NullInt64
	err := s.Scan(&a.ID, &a.OrgID, &a.Name, &a.ContactEmail, &callbacks, &scopes,
		&a.ClientCredentialsEnabled, &runAs, &a.PermittedUsers, &profiles, &permSets,
		&a.SessionTimeoutMinutes, &a.IntrospectAllTokens, &created, &updated, &certs, &approved, &a.IPRelaxation,
		&a.JWTAccessTokens, &a.ConsumerSecretOptional, &a.RefreshSecretOptional, &a.PKCERequired,
		&a.RefreshTokenPolicy, &a.RefreshTokenRotation, &a.IDTokenValidityMinutes, &a.Kind, &a.Description, &a.Blocked, &a.DeveloperName,
		&a.TokenRequestsPerHour, &a.TokenRequestsPerDay, &a.APIRequestsPerDay)
	if err != nil {
		return a, err
	}
	a.RunAsUserID = fromNullID(runAs)
	a.CreatedAt, a.UpdatedAt = fromMillis(created), fromMillis(updated)
	if a.CallbackURLs, err = decodeList[string](callbacks); err != nil {
		return a, err
	}
	if a.Scopes, err = decodeList[string](scopes); err != nil {
		return a, err
	}
	if a.ProfileIDs, err = decodeList[sfid.ID](profiles); err != nil {
		return a, err
	}
	if a.Certificates, err = decodeList[string](certs); err != nil {
		return a, err
	}
	if a.ApprovedUserIDs, err = decodeList[sfid.ID](approved); err != nil {
		return a, err
	}
	a.PermissionSetIDs, err = decodeList[sfid.ID](permSets)
	return a, err
}

func (r reader) ConnectedApps(ctx context.Context, orgID sfid.ID) ([]org.ConnectedApp, error) {
	query, args := "SELECT "+appCols+" FROM connected_apps ORDER BY id", []any(nil)
	if !orgID.IsZero() {
		query, args = "SELECT "+appCols+" FROM connected_apps WHERE org_id = ? ORDER BY id", []any{string(orgID)}
	}
	out, err := queryAll(ctx, r.q, scanApp, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: connected apps of %q: %w", orgID, err)
	}
	return out, nil
}

func (r reader) ConnectedApp(ctx context.Context, id sfid.ID) (org.ConnectedApp, error) {
	a, err := scanApp(r.q.QueryRowContext(ctx, "SELECT "+appCols+" FROM connected_apps WHERE id = ?", string(id)))
	if err != nil {
		return org.ConnectedApp{}, fmt.Errorf("sqlite: connected app %s: %w", id, mapErr(err))
	}
	return a, nil
}

const credentialCols = "id, app_id, consumer_key, secret_hash, state, created_at, expires_at"

func scanCredential(s scanner) (org.Credential, error) {
	var c org.Credential
	var created, expires sql.NullInt64
	err := s.Scan(&c.ID, &c.AppID, &c.ConsumerKey, &c.SecretHash, &c.State, &created, &expires)
	c.CreatedAt, c.ExpiresAt = fromMillis(created), fromMillis(expires)
	return c, err
}

func (r reader) Credentials(ctx context.Context, appID sfid.ID) ([]org.Credential, error) {
	out, err := queryAll(ctx, r.q, scanCredential,
		"SELECT "+credentialCols+" FROM credentials WHERE app_id = ? ORDER BY created_at, id", string(appID))
	if err != nil {
		return nil, fmt.Errorf("sqlite: credentials of %s: %w", appID, err)
	}
	return out, nil
}

func (r reader) CredentialsByKey(ctx context.Context, consumerKey string) ([]org.Credential, error) {
	out, err := queryAll(ctx, r.q, scanCredential,
		"SELECT "+credentialCols+" FROM credentials WHERE consumer_key = ? ORDER BY created_at, id", consumerKey)
	if err != nil {
		// The key is a client identifier, but keep it out of errors anyway.
		return nil, fmt.Errorf("sqlite: credentials by consumer key: %w", err)
	}
	return out, nil
}

var _ store.SetupReader = reader{}
