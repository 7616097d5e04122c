package setup

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

// Profiles (Setup → Users → Profiles): New Profile by cloning an existing one, the
// profile's settings (name, user permissions, Session Settings), Login IP Ranges, Object
// Settings, Field-Level Security, and Delete. Salesforce Help: "Create or Clone Profiles"
// (admin_userprofiles_clone.htm: "Existing Profile", "Profile Name"), "Edit Profiles in
// the Enhanced Profile User Interface", "Restrict Login IP Addresses in Profiles", "Set
// Session Timeout in Profiles"; the setup reference §7.
//
// A change to a profile takes effect at once for every user holding it, live sessions
// included: Update invalidates the Setup cache, and every request computes its
// permissions from the cached principal (access.New).

// MaxProfileNameLen is the longest Profile Name Salesforce accepts (Profile.Name).
const MaxProfileNameLen = 255

// ProfileSettings is what the profile's edit page changes.
type ProfileSettings struct {
	Name        string
	Permissions []string // user permission names (org.Permissions)
	// SessionTimeoutMinutes is "Session Times Out After": 0 (the org's) or one of 15
	// minutes to 24 hours.
	SessionTimeoutMinutes int
}

// orgProfile reads profile id of org orgID inside tx, or a NotFound error.
func orgProfile(ctx context.Context, tx store.SetupReader, orgID, id sfid.ID) (org.Profile, error) {
	p, err := tx.Profile(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && p.OrgID != orgID) {
		return org.Profile{}, NotFoundf("no profile %s in this org", id)
	}
	return p, err
}

// uniqueProfileName refuses a name another profile of the org has (ignoring case, as
// Salesforce does: "A profile with this name already exists").
func uniqueProfileName(ctx context.Context, tx store.SetupReader, orgID, self sfid.ID, name string) error {
	all, err := tx.Profiles(ctx, orgID)
	if err != nil {
		return err
	}
	for _, p := range all {
		if p.ID != self && strings.EqualFold(p.Name, name) {
			return &Error{Kind: Conflict, Field: "Name", Message: fmt.Sprintf("Profile Name: a profile named %q already exists", p.Name)}
		}
	}
	return nil
}

// CloneProfile is New Profile: a copy of profile fromID (its user permissions, object
// permissions, field-level security, login IP ranges and session timeout) named name.
// Names are unique in the org (Conflict).
func (s *Service) CloneProfile(ctx context.Context, actor Actor, orgID, fromID sfid.ID, name string) (org.Profile, error) {
	var out org.Profile
	name, err := checkName("Name", "Profile Name", name, MaxProfileNameLen)
	if err != nil {
		return out, err
	}
	if fromID.IsZero() {
		return out, FieldInvalidf("From", "Existing Profile: choose the profile to clone")
	}
	err = s.Update(ctx, actor, func(tx *Tx) error {
		from, err := orgProfile(ctx, tx, orgID, fromID)
		if err != nil {
			return err
		}
		if err := uniqueProfileName(ctx, tx, orgID, "", name); err != nil {
			return err
		}
		out = org.Profile{OrgID: orgID, Name: name, Permissions: slices.Clone(from.Permissions),
			SessionTimeoutMinutes: from.SessionTimeoutMinutes, LoginIPRanges: slices.Clone(from.LoginIPRanges),
			ObjectPermissions: slices.Clone(from.ObjectPermissions), FieldPermissions: slices.Clone(from.FieldPermissions)}
		if err := tx.PutProfile(ctx, &out); err != nil {
			return conflictOnDuplicate(err, "Profile Name: a profile named %q already exists", name)
		}
		return tx.Audit(orgID, org.AuditSectionProfiles, org.AuditCreated, out.ID,
			fmt.Sprintf("Created profile %s (cloned from %s)", out.Name, from.Name))
	})
	return out, err
}

// UpdateProfile changes the profile's name, user permissions and session timeout.
func (s *Service) UpdateProfile(ctx context.Context, actor Actor, orgID, id sfid.ID, in ProfileSettings) (org.Profile, error) {
	var out org.Profile
	name, err := checkName("Name", "Profile Name", in.Name, MaxProfileNameLen)
	if err != nil {
		return out, err
	}
	perms, err := checkPermissions(in.Permissions)
	if err != nil {
		return out, err
	}
	if err := checkTimeout(in.SessionTimeoutMinutes); err != nil {
		return out, err
	}
	err = s.Update(ctx, actor, func(tx *Tx) error {
		p, err := orgProfile(ctx, tx, orgID, id)
		if err != nil {
			return err
		}
		if err := uniqueProfileName(ctx, tx, orgID, p.ID, name); err != nil {
			return err
		}
		var changes []string
		if p.Name != name {
			changes = append(changes, fmt.Sprintf("renamed from %s", p.Name))
		}
		if c := permissionChanges(p.Permissions, perms); c != "" {
			changes = append(changes, c)
		}
		if p.SessionTimeoutMinutes != in.SessionTimeoutMinutes {
			changes = append(changes, fmt.Sprintf("Session Times Out After %s", TimeoutLabel(in.SessionTimeoutMinutes)))
		}
		p.Name, p.Permissions, p.SessionTimeoutMinutes = name, perms, in.SessionTimeoutMinutes
		out = p
		if len(changes) == 0 {
			return nil
		}
		if err := tx.PutProfile(ctx, &out); err != nil {
			return conflictOnDuplicate(err, "Profile Name: a profile named %q already exists", name)
		}
		if err := keepActorAdmin(ctx, tx); err != nil {
			return err
		}
		return tx.Audit(orgID, org.AuditSectionProfiles, org.AuditUpdated, p.ID,
			fmt.Sprintf("Changed profile %s: %s", p.Name, strings.Join(changes, "; ")))
	})
	return out, err
}

// TimeoutLabel is how Salesforce names a session timeout ("15 minutes", "2 hours");
// 0 is "--None--" (the org's timeout applies).
func TimeoutLabel(minutes int) string {
	switch {
	case minutes == 0:
		return "--None--"
	case minutes == 60:
		return "1 hour"
	case minutes%60 == 0:
		return fmt.Sprintf("%d hours", minutes/60)
	}
	return fmt.Sprintf("%d minutes", minutes)
}

// updateProfile runs change on profile id of org orgID and stores it with an audit row
// "Changed profile NAME: display".
func (s *Service) updateProfile(ctx context.Context, actor Actor, orgID, id sfid.ID, change func(tx *Tx, p *org.Profile) (display string, err error)) error {
	return s.Update(ctx, actor, func(tx *Tx) error {
		p, err := orgProfile(ctx, tx, orgID, id)
		if err != nil {
			return err
		}
		display, err := change(tx, &p)
		if err != nil {
			return err
		}
		if err := tx.PutProfile(ctx, &p); err != nil {
			return err
		}
		return tx.Audit(orgID, org.AuditSectionProfiles, org.AuditUpdated, p.ID, fmt.Sprintf("Changed profile %s: %s", p.Name, display))
	})
}

// AddProfileIPRange adds a Login IP Range (Start IP Address, End IP Address: one family,
// start not after end — org.IPRange.Check, the org file's rule).
func (s *Service) AddProfileIPRange(ctx context.Context, actor Actor, orgID, id sfid.ID, r org.IPRange) error {
	r.Start, r.End = strings.TrimSpace(r.Start), strings.TrimSpace(r.End)
	if part, err := r.Check(); err != nil {
		field := map[string]string{"start": "StartAddress", "end": "EndAddress"}[part]
		return &Error{Kind: Invalid, Field: field, Message: "Login IP Range: " + err.Error()}
	}
	return s.updateProfile(ctx, actor, orgID, id, func(tx *Tx, p *org.Profile) (string, error) {
		if slices.Contains(p.LoginIPRanges, r) {
			return "", Conflictf("Login IP Range %s–%s is already on the profile", r.Start, r.End)
		}
		p.LoginIPRanges = append(p.LoginIPRanges, r)
		return fmt.Sprintf("added Login IP Range %s to %s", r.Start, r.End), nil
	})
}

// DeleteProfileIPRange removes a Login IP Range.
func (s *Service) DeleteProfileIPRange(ctx context.Context, actor Actor, orgID, id sfid.ID, r org.IPRange) error {
	return s.updateProfile(ctx, actor, orgID, id, func(tx *Tx, p *org.Profile) (string, error) {
		i := slices.Index(p.LoginIPRanges, r)
		if i < 0 {
			return "", NotFoundf("no Login IP Range %s–%s on profile %s", r.Start, r.End, p.Name)
		}
		p.LoginIPRanges = slices.Delete(p.LoginIPRanges, i, i+1)
		return fmt.Sprintf("deleted Login IP Range %s to %s", r.Start, r.End), nil
	})
}

// SetProfileObjectPermissions replaces the profile's Object Settings of the objects in
// grants (Read, Create, Edit, Delete, View All, Modify All; dependencies ticked as
// Salesforce does) and keeps those of other objects.
func (s *Service) SetProfileObjectPermissions(ctx context.Context, actor Actor, orgID, id sfid.ID, grants []org.ObjectPermission) error {
	cat, err := s.dir.Catalog(ctx, orgID)
	if err != nil {
		return err
	}
	return s.updateProfile(ctx, actor, orgID, id, func(tx *Tx, p *org.Profile) (string, error) {
		merged, err := mergeObjectPermissions(cat, p.ObjectPermissions, grants)
		if err != nil {
			return "", err
		}
		display := objectChanges(p.ObjectPermissions, merged)
		p.ObjectPermissions = merged
		return display, nil
	})
}

// SetProfileFieldPermissions replaces the profile's Field-Level Security of one object
// (Read Access, Edit Access per field).
func (s *Service) SetProfileFieldPermissions(ctx context.Context, actor Actor, orgID, id sfid.ID, object string, fields []org.FieldPermission) error {
	cat, err := s.dir.Catalog(ctx, orgID)
	if err != nil {
		return err
	}
	return s.updateProfile(ctx, actor, orgID, id, func(tx *Tx, p *org.Profile) (string, error) {
		merged, err := mergeFieldPermissions(cat, p.FieldPermissions, object, fields)
		if err != nil {
			return "", err
		}
		p.FieldPermissions = merged
		return "Field-Level Security of " + object, nil
	})
}

// DeleteProfile deletes a profile no user holds (Salesforce: "You can't delete a profile
// that is assigned to users"); connected apps that pre-authorized it lose it.
func (s *Service) DeleteProfile(ctx context.Context, actor Actor, orgID, id sfid.ID) error {
	return s.Update(ctx, actor, func(tx *Tx) error {
		p, err := orgProfile(ctx, tx, orgID, id)
		if err != nil {
			return err
		}
		users, err := tx.Users(ctx, orgID)
		if err != nil {
			return err
		}
		n := 0
		for _, u := range users {
			if u.ProfileID == p.ID {
				n++
			}
		}
		if n > 0 {
			return Invalidf("You can't delete a profile that is assigned to users: %s has %d", p.Name, n)
		}
		apps, err := tx.ConnectedApps(ctx, orgID)
		if err != nil {
			return err
		}
		for _, a := range apps {
			if i := slices.Index(a.ProfileIDs, p.ID); i >= 0 {
				a.ProfileIDs = slices.Delete(a.ProfileIDs, i, i+1)
				if err := tx.PutConnectedApp(ctx, &a); err != nil {
					return err
				}
			}
		}
		if err := tx.DeleteProfile(ctx, p.ID); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return Invalidf("You can't delete a profile that is assigned to users")
			}
			return err
		}
		return tx.Audit(orgID, org.AuditSectionProfiles, org.AuditDeletedProfile, p.ID, "Deleted profile "+p.Name)
	})
}

// objectChanges describes the objects whose grants differ for the audit trail.
func objectChanges(old, new []org.ObjectPermission) string {
	names := map[string]bool{}
	for _, op := range append(slices.Clone(old), new...) {
		names[op.Object] = true
	}
	var keys []string
	for n := range names {
		keys = append(keys, n)
	}
	slices.Sort(keys)
	var parts []string
	for _, n := range keys {
		if a, b := ObjectAccess(old, n), ObjectAccess(new, n); a != b {
			parts = append(parts, grantChanges(b))
		}
	}
	if len(parts) == 0 {
		return "Object Settings unchanged"
	}
	return "Object Settings " + strings.Join(parts, "; ")
}
