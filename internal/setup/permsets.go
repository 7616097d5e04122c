package setup

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// Permission Sets (Setup → Users → Permission Sets): New (Label; the API Name follows
// from it), the set's user permissions, Object Settings and Field-Level Security, Manage
// Assignments, Delete. Salesforce Help: "Create Permission Sets" (perm_sets_create.htm),
// "Manage Permission Set Assignments" (perm_sets_mass_assign.htm).
//
// The store keeps one name per permission set (org.PermissionSet.Name, what the org file
// and a connected app's pre-authorized sets refer to): it is the Label, and the API Name
// is derived from it (PermissionSetAPIName), not stored on its own.
//
// Deleting a set that is assigned removes the assignments with it, as Salesforce does
// (its Delete asks to confirm that the set is removed from the users it is assigned to)
// [INF: the setup reference has no page for it].

// MaxPermissionSetLabelLen is the longest permission set Label Salesforce accepts.
const MaxPermissionSetLabelLen = 80

var notAPIName = regexp.MustCompile(`[^A-Za-z0-9]+`)

// PermissionSetAPIName is the API Name Salesforce proposes for a Label: letters and
// digits, other characters as single underscores, starting with a letter.
func PermissionSetAPIName(label string) string {
	n := strings.Trim(notAPIName.ReplaceAllString(label, "_"), "_")
	if n == "" || (n[0] >= '0' && n[0] <= '9') {
		n = "X" + n
	}
	return n
}

// PermissionSetSettings is what the permission set's edit page changes.
type PermissionSetSettings struct {
	Label       string
	Permissions []string
}

func orgPermissionSet(ctx context.Context, tx store.SetupReader, orgID, id sfid.ID) (org.PermissionSet, error) {
	ps, err := tx.PermissionSet(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && ps.OrgID != orgID) {
		return org.PermissionSet{}, NotFoundf("no permission set %s in this org", id)
	}
	return ps, err
}

// uniquePermissionSetLabel refuses a Label, or an API Name, another set of the org has.
func uniquePermissionSetLabel(ctx context.Context, tx store.SetupReader, orgID, self sfid.ID, label string) error {
	all, err := tx.PermissionSets(ctx, orgID)
	if err != nil {
		return err
	}
	api := PermissionSetAPIName(label)
	for _, ps := range all {
		if ps.ID == self {
			continue
		}
		if strings.EqualFold(ps.Name, label) || strings.EqualFold(PermissionSetAPIName(ps.Name), api) {
			return &Error{Kind: Conflict, Field: "Label", Message: fmt.Sprintf("Label: the permission set %q already has this label or API Name (%s)", ps.Name, api)}
		}
	}
	return nil
}

// CreatePermissionSet is New Permission Set: an empty set labelled label.
func (s *Service) CreatePermissionSet(ctx context.Context, actor Actor, orgID sfid.ID, label string) (org.PermissionSet, error) {
	var out org.PermissionSet
	label, err := checkName("Label", "Label", label, MaxPermissionSetLabelLen)
	if err != nil {
		return out, err
	}
	err = s.Update(ctx, actor, func(tx *Tx) error {
		if err := uniquePermissionSetLabel(ctx, tx, orgID, "", label); err != nil {
			return err
		}
		out = org.PermissionSet{OrgID: orgID, Name: label}
		if err := tx.PutPermissionSet(ctx, &out); err != nil {
			return conflictOnDuplicate(err, "Label: a permission set labelled %q already exists", label)
		}
		return tx.Audit(orgID, org.AuditSectionPermissionSets, org.AuditCreated, out.ID, "Created permission set "+label)
	})
	return out, err
}

// updatePermissionSet runs change on set id and stores it with an audit row "Changed
// permission set NAME: display".
func (s *Service) updatePermissionSet(ctx context.Context, actor Actor, orgID, id sfid.ID, change func(tx *Tx, ps *org.PermissionSet) (string, error)) (org.PermissionSet, error) {
	var out org.PermissionSet
	err := s.Update(ctx, actor, func(tx *Tx) error {
		ps, err := orgPermissionSet(ctx, tx, orgID, id)
		if err != nil {
			return err
		}
		old := ps.Name
		display, err := change(tx, &ps)
		if err != nil {
			return err
		}
		out = ps
		if display == "" {
			return nil
		}
		if err := tx.PutPermissionSet(ctx, &out); err != nil {
			return conflictOnDuplicate(err, "Label: a permission set labelled %q already exists", ps.Name)
		}
		if err := keepActorAdmin(ctx, tx); err != nil {
			return err
		}
		return tx.Audit(orgID, org.AuditSectionPermissionSets, org.AuditUpdated, ps.ID, fmt.Sprintf("Changed permission set %s: %s", old, display))
	})
	return out, err
}

// UpdatePermissionSet changes the set's Label and user permissions.
func (s *Service) UpdatePermissionSet(ctx context.Context, actor Actor, orgID, id sfid.ID, in PermissionSetSettings) (org.PermissionSet, error) {
	label, err := checkName("Label", "Label", in.Label, MaxPermissionSetLabelLen)
	if err != nil {
		return org.PermissionSet{}, err
	}
	perms, err := checkPermissions(in.Permissions)
	if err != nil {
		return org.PermissionSet{}, err
	}
	return s.updatePermissionSet(ctx, actor, orgID, id, func(tx *Tx, ps *org.PermissionSet) (string, error) {
		if err := uniquePermissionSetLabel(ctx, tx, orgID, ps.ID, label); err != nil {
			return "", err
		}
		var changes []string
		if ps.Name != label {
			changes = append(changes, "relabelled "+label)
		}
		if c := permissionChanges(ps.Permissions, perms); c != "" {
			changes = append(changes, c)
		}
		ps.Name, ps.Permissions = label, perms
		return strings.Join(changes, "; "), nil
	})
}

// SetPermissionSetObjectPermissions replaces the set's Object Settings of the objects in
// grants and keeps the others (as SetProfileObjectPermissions).
func (s *Service) SetPermissionSetObjectPermissions(ctx context.Context, actor Actor, orgID, id sfid.ID, grants []org.ObjectPermission) error {
	cat, err := s.dir.Catalog(ctx, orgID)
	if err != nil {
		return err
	}
	_, err = s.updatePermissionSet(ctx, actor, orgID, id, func(tx *Tx, ps *org.PermissionSet) (string, error) {
		merged, err := mergeObjectPermissions(cat, ps.ObjectPermissions, grants)
		if err != nil {
			return "", err
		}
		display := objectChanges(ps.ObjectPermissions, merged)
		ps.ObjectPermissions = merged
		return display, nil
	})
	return err
}

// SetPermissionSetFieldPermissions replaces the set's Field-Level Security of one object.
func (s *Service) SetPermissionSetFieldPermissions(ctx context.Context, actor Actor, orgID, id sfid.ID, object string, fields []org.FieldPermission) error {
	cat, err := s.dir.Catalog(ctx, orgID)
	if err != nil {
		return err
	}
	_, err = s.updatePermissionSet(ctx, actor, orgID, id, func(tx *Tx, ps *org.PermissionSet) (string, error) {
		merged, err := mergeFieldPermissions(cat, ps.FieldPermissions, object, fields)
		if err != nil {
			return "", err
		}
		ps.FieldPermissions = merged
		return "Field-Level Security of " + object, nil
	})
	return err
}

// SetPermissionSetAssignments is Manage Assignments: it assigns the set to the users in
// add and removes it from those in remove (users of the set's org; assigning twice or
// removing an absent assignment changes nothing). Permissions change at once for the
// users' live sessions; their sessions do not end.
func (s *Service) SetPermissionSetAssignments(ctx context.Context, actor Actor, orgID, id sfid.ID, add, remove []sfid.ID) error {
	return s.Update(ctx, actor, func(tx *Tx) error {
		ps, err := orgPermissionSet(ctx, tx, orgID, id)
		if err != nil {
			return err
		}
		for _, uid := range add {
			u, err := orgUser(ctx, tx, orgID, uid)
			if err != nil {
				return err
			}
			if slices.Contains(u.PermissionSetIDs, ps.ID) {
				continue
			}
			u.PermissionSetIDs = append(u.PermissionSetIDs, ps.ID)
			if err := tx.PutUser(ctx, &u); err != nil {
				return err
			}
			if err := tx.Audit(orgID, org.AuditSectionPermissionSets, org.AuditAssignedPermissionSet, u.ID,
				fmt.Sprintf("Permission set %s: assigned to user %s", ps.Name, u.Username)); err != nil {
				return err
			}
		}
		for _, uid := range remove {
			u, err := orgUser(ctx, tx, orgID, uid)
			if err != nil {
				return err
			}
			i := slices.Index(u.PermissionSetIDs, ps.ID)
			if i < 0 {
				continue
			}
			u.PermissionSetIDs = slices.Delete(u.PermissionSetIDs, i, i+1)
			if err := tx.PutUser(ctx, &u); err != nil {
				return err
			}
			if err := tx.Audit(orgID, org.AuditSectionPermissionSets, org.AuditUnassignedPermissionSet, u.ID,
				fmt.Sprintf("Permission set %s: unassigned from user %s", ps.Name, u.Username)); err != nil {
				return err
			}
		}
		return keepActorAdmin(ctx, tx)
	})
}

// DeletePermissionSet deletes a permission set, removing it from the users it is
// assigned to and from the connected apps that pre-authorized it.
func (s *Service) DeletePermissionSet(ctx context.Context, actor Actor, orgID, id sfid.ID) error {
	return s.Update(ctx, actor, func(tx *Tx) error {
		ps, err := orgPermissionSet(ctx, tx, orgID, id)
		if err != nil {
			return err
		}
		users, err := tx.Users(ctx, orgID)
		if err != nil {
			return err
		}
		removed := 0
		for _, u := range users {
			if i := slices.Index(u.PermissionSetIDs, ps.ID); i >= 0 {
				u.PermissionSetIDs = slices.Delete(u.PermissionSetIDs, i, i+1)
				if err := tx.PutUser(ctx, &u); err != nil {
					return err
				}
				removed++
			}
		}
		apps, err := tx.ConnectedApps(ctx, orgID)
		if err != nil {
			return err
		}
		for _, a := range apps {
			if i := slices.Index(a.PermissionSetIDs, ps.ID); i >= 0 {
				a.PermissionSetIDs = slices.Delete(a.PermissionSetIDs, i, i+1)
				if err := tx.PutConnectedApp(ctx, &a); err != nil {
					return err
				}
			}
		}
		if err := tx.DeletePermissionSet(ctx, ps.ID); err != nil {
			return err
		}
		if err := keepActorAdmin(ctx, tx); err != nil {
			return err
		}
		return tx.Audit(orgID, org.AuditSectionPermissionSets, org.AuditDeletedPermissionSet, ps.ID,
			fmt.Sprintf("Deleted permission set %s (removed from %d users)", ps.Name, removed))
	})
}
