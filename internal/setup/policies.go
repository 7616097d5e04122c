package setup

// A connected app's policies: App Manager → Manage → Edit Policies, and the Manage page's
// related lists Profiles and Permission Sets ("Manage Profiles", "Manage Permission Sets";
// the setup reference §3, the oauth reference §3 and §7.2). For an External Client App
// these are its Policies tab (ExtlClntAppOauthConfigurablePolicies, the setup reference
// §8). Only values Forcefield enforces are accepted:
//
//   - Permitted Users: checked at every token request (internal/oauth userPolicy, with
//     org.PreAuthorized). Switching to "Admin approved users are pre-authorized" ends no
//     session here, as in Salesforce, whose help says only that users who are not
//     pre-authorized "lose access": access tokens already issued keep working until they
//     time out; the next token request — a refresh included — is refused.
//   - IP Relaxation: ENFORCE and BYPASS (org.LoginIPAllowed). Salesforce's "Enforce IP
//     restrictions, but relax for refresh tokens" (ENFORCE_RELAXREFRESH) and "Relax IP
//     restrictions for activated devices" (BYPASS_2FACTOR) are not modelled — Forcefield
//     has no device activation, and its refresh grant applies the ranges like every grant —
//     so they are refused rather than stored and silently enforced as something else.
//   - Refresh Token Policy: org.RefreshPolicy, evaluated when a refresh token is used.
//   - Timeout Value: the session timeout of the app's tokens (org.SessionTimeout), 15
//     minutes to 24 hours, or none (the user's profile, then the org, decide).
//   - Run As: the client credentials user, checked by CheckRunAs; settable only while the
//     app has Enable Client Credentials Flow ("Only shown when the flow is enabled").

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// Policies is what Edit Policies changes. Its zero RefreshTokenPolicy is "valid until
// revoked", its zero SessionTimeoutMinutes "none", its zero RunAsUserID "no user".
type Policies struct {
	PermittedUsers        string // org.PermittedAllSelfAuthorized or org.PermittedAdminApprovedPreAuthorized
	IPRelaxation          string // org.IPRelaxEnforce (or "") or org.IPRelaxBypass
	RefreshTokenPolicy    org.RefreshPolicy
	SessionTimeoutMinutes int
	RunAsUserID           sfid.ID
}

// PoliciesOf returns the app's current policies.
func PoliciesOf(app org.ConnectedApp) Policies {
	p := Policies{PermittedUsers: app.PermittedUsers, IPRelaxation: app.IPRelaxation, RefreshTokenPolicy: app.RefreshTokenPolicy,
		SessionTimeoutMinutes: app.SessionTimeoutMinutes, RunAsUserID: app.RunAsUserID}
	if p.PermittedUsers == "" {
		p.PermittedUsers = org.PermittedAllSelfAuthorized
	}
	if p.IPRelaxation == "" {
		p.IPRelaxation = org.IPRelaxEnforce
	}
	if p.RefreshTokenPolicy == "" {
		p.RefreshTokenPolicy = org.RefreshInfinite
	}
	return p
}

// Session timeouts an app may set ("Timeout Value"): Salesforce's 15 minutes to 24 hours.
const (
	MinAppSessionTimeoutMinutes = 15
	MaxAppSessionTimeoutMinutes = 24 * 60
)

// PermittedUsersLabel is Salesforce's label of a Permitted Users value.
func PermittedUsersLabel(v string) string {
	if v == org.PermittedAdminApprovedPreAuthorized {
		return "Admin approved users are pre-authorized"
	}
	return "All users may self-authorize"
}

// IPRelaxationLabel is Salesforce's label of an IP Relaxation value.
func IPRelaxationLabel(v string) string {
	switch v {
	case org.IPRelaxBypass:
		return "Relax IP restrictions"
	case "", org.IPRelaxEnforce:
		return "Enforce IP restrictions"
	}
	return v
}

// RefreshPolicyLabel is Salesforce's wording of a refresh token policy.
func RefreshPolicyLabel(p org.RefreshPolicy) string {
	kind, _, err := org.ParseRefreshPolicy(p)
	if err != nil {
		return string(p)
	}
	switch kind {
	case org.RefreshZero:
		return "Immediately expire refresh token"
	case org.RefreshInactivity, org.RefreshLifetime:
		parts := strings.Split(string(p), ":")
		unit := map[string]string{"HOURS": "Hour(s)", "DAYS": "Day(s)", "MONTHS": "Month(s)"}[strings.ToUpper(parts[2])]
		if kind == org.RefreshInactivity {
			return "Expire refresh token if not used for " + parts[1] + " " + unit
		}
		return "Expire refresh token after " + parts[1] + " " + unit
	}
	return "Refresh token is valid until revoked"
}

// SessionTimeoutLabel is a "Timeout Value" as Salesforce's picklist words it.
func SessionTimeoutLabel(minutes int) string {
	switch {
	case minutes <= 0:
		return "--None--"
	case minutes == 60:
		return "1 hour"
	case minutes%60 == 0:
		return fmt.Sprintf("%d hours", minutes/60)
	}
	return fmt.Sprintf("%d minutes", minutes)
}

// checkPolicies validates p against app (run in tx: Run As reads the user).
func checkPolicies(ctx context.Context, tx store.SetupReader, app org.ConnectedApp, p *Policies) error {
	switch p.PermittedUsers {
	case org.PermittedAllSelfAuthorized, org.PermittedAdminApprovedPreAuthorized:
	default:
		return FieldInvalidf("permittedUsers", "Permitted Users: choose All users may self-authorize or Admin approved users are pre-authorized")
	}
	switch p.IPRelaxation {
	case "", org.IPRelaxEnforce:
		p.IPRelaxation = org.IPRelaxEnforce
	case org.IPRelaxBypass:
	default:
		return FieldInvalidf("ipRelaxation", "IP Relaxation %q is not enforced by Forcefield: choose Enforce IP restrictions or Relax IP restrictions", p.IPRelaxation)
	}
	kind, _, err := org.ParseRefreshPolicy(p.RefreshTokenPolicy)
	if err != nil {
		return FieldInvalidf("refreshTokenPolicy", "Refresh Token Policy: %v", err)
	}
	if kind == org.RefreshInfinite {
		p.RefreshTokenPolicy = org.RefreshInfinite
	}
	if m := p.SessionTimeoutMinutes; m != 0 && (m < MinAppSessionTimeoutMinutes || m > MaxAppSessionTimeoutMinutes) {
		return FieldInvalidf("sessionTimeout", "Timeout Value: %d minutes is outside 15 minutes to 24 hours", m)
	}
	if p.RunAsUserID != app.RunAsUserID {
		if !app.ClientCredentialsEnabled {
			return FieldInvalidf("runAs", "Run As applies only to an app with Enable Client Credentials Flow")
		}
		if err := CheckRunAs(ctx, tx, app, p.RunAsUserID, "runAs"); err != nil {
			return err
		}
	}
	return nil
}

// UpdatePolicies changes the app's policies, with one audit row listing what changed
// (nothing changed: no write, no row). It ends no session (see the file comment).
func (s *Service) UpdatePolicies(ctx context.Context, actor Actor, appID sfid.ID, p Policies) error {
	return s.Update(ctx, actor, func(tx *Tx) error {
		app, err := appIn(ctx, tx, appID)
		if err != nil {
			return err
		}
		if err := checkPolicies(ctx, tx, app, &p); err != nil {
			return err
		}
		old := PoliciesOf(app)
		var changes []string
		change := func(label, from, to string) {
			if from != to {
				changes = append(changes, fmt.Sprintf("%s from %s to %s", label, from, to))
			}
		}
		change("Permitted Users", PermittedUsersLabel(old.PermittedUsers), PermittedUsersLabel(p.PermittedUsers))
		change("IP Relaxation", IPRelaxationLabel(old.IPRelaxation), IPRelaxationLabel(p.IPRelaxation))
		change("Refresh Token Policy", RefreshPolicyLabel(old.RefreshTokenPolicy), RefreshPolicyLabel(p.RefreshTokenPolicy))
		change("Timeout Value", SessionTimeoutLabel(old.SessionTimeoutMinutes), SessionTimeoutLabel(p.SessionTimeoutMinutes))
		if old.RunAsUserID != p.RunAsUserID {
			from, err := usernameOr(ctx, tx, old.RunAsUserID)
			if err != nil {
				return err
			}
			to, err := usernameOr(ctx, tx, p.RunAsUserID)
			if err != nil {
				return err
			}
			change("Run As", from, to)
		}
		if len(changes) == 0 {
			return nil
		}
		app.PermittedUsers, app.IPRelaxation, app.RefreshTokenPolicy = p.PermittedUsers, p.IPRelaxation, p.RefreshTokenPolicy
		app.SessionTimeoutMinutes, app.RunAsUserID = p.SessionTimeoutMinutes, p.RunAsUserID
		if err := tx.PutConnectedApp(ctx, &app); err != nil {
			return err
		}
		return tx.Audit(app.OrgID, org.AuditSectionConnectedApps, org.AuditChangedAppPolicies, app.ID,
			fmt.Sprintf("Changed the policies of connected app %s: %s", app.Name, strings.Join(changes, "; ")))
	})
}

// usernameOr is the user's username, "no user" for a zero id.
func usernameOr(ctx context.Context, tx store.SetupReader, id sfid.ID) (string, error) {
	if id.IsZero() {
		return "no user", nil
	}
	u, err := tx.User(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return id.String(), nil
	}
	return u.Username, err
}

// SetAppProfiles sets the profiles whose users are pre-authorized for the app ("Manage
// Profiles"). Every id must be a profile of the app's org.
func (s *Service) SetAppProfiles(ctx context.Context, actor Actor, appID sfid.ID, ids []sfid.ID) error {
	return s.setAppAccess(ctx, actor, appID, ids, "profiles", "profiles", org.AuditChangedAppProfiles,
		func(app *org.ConnectedApp) *[]sfid.ID { return &app.ProfileIDs },
		func(tx *Tx, id sfid.ID) (sfid.ID, string, error) {
			p, err := tx.Profile(ctx, id)
			return p.OrgID, p.Name, err
		})
}

// SetAppPermissionSets sets the permission sets whose users are pre-authorized for the
// app ("Manage Permission Sets"). Every id must be a permission set of the app's org.
func (s *Service) SetAppPermissionSets(ctx context.Context, actor Actor, appID sfid.ID, ids []sfid.ID) error {
	return s.setAppAccess(ctx, actor, appID, ids, "permissionSets", "permission sets", org.AuditChangedAppPermissionSets,
		func(app *org.ConnectedApp) *[]sfid.ID { return &app.PermissionSetIDs },
		func(tx *Tx, id sfid.ID) (sfid.ID, string, error) {
			ps, err := tx.PermissionSet(ctx, id)
			return ps.OrgID, ps.Name, err
		})
}

// setAppAccess replaces one of the app's pre-authorization lists (list) with ids, each
// checked by get (its org and name), and writes an audit row naming what was added and
// removed.
func (s *Service) setAppAccess(ctx context.Context, actor Actor, appID sfid.ID, ids []sfid.ID, field, what, action string,
	list func(*org.ConnectedApp) *[]sfid.ID, get func(tx *Tx, id sfid.ID) (orgID sfid.ID, name string, err error)) error {
	return s.Update(ctx, actor, func(tx *Tx) error {
		app, err := appIn(ctx, tx, appID)
		if err != nil {
			return err
		}
		want := []sfid.ID{}
		names := map[sfid.ID]string{}
		for _, id := range ids {
			orgID, name, err := get(tx, id)
			if errors.Is(err, store.ErrNotFound) || (err == nil && orgID != app.OrgID) {
				return FieldInvalidf(field, "no %s %s in this org", strings.TrimSuffix(what, "s"), id)
			}
			if err != nil {
				return err
			}
			if !slices.Contains(want, id) {
				want = append(want, id)
				names[id] = name
			}
		}
		cur := list(&app)
		var added, removed []string
		for _, id := range want {
			if !slices.Contains(*cur, id) {
				added = append(added, names[id])
			}
		}
		for _, id := range *cur {
			if !slices.Contains(want, id) {
				_, name, err := get(tx, id)
				if errors.Is(err, store.ErrNotFound) {
					name, err = id.String(), nil
				}
				if err != nil {
					return err
				}
				removed = append(removed, name)
			}
		}
		if len(added) == 0 && len(removed) == 0 {
			return nil
		}
		*cur = want
		if err := tx.PutConnectedApp(ctx, &app); err != nil {
			return err
		}
		var parts []string
		if len(added) > 0 {
			parts = append(parts, "added "+strings.Join(added, ", "))
		}
		if len(removed) > 0 {
			parts = append(parts, "removed "+strings.Join(removed, ", "))
		}
		return tx.Audit(app.OrgID, org.AuditSectionConnectedApps, action, app.ID,
			fmt.Sprintf("Changed the pre-authorized %s of connected app %s: %s", what, app.Name, strings.Join(parts, "; ")))
	})
}
