package setup

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/orgfile"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// What profiles and permission sets share: user permissions, Object Settings (object
// permissions) and Field-Level Security, checked against the org's catalog (the objects
// the data API serves, standard and custom) — the same objects and fields the org file's
// grants may name, and the same dependencies access enforces (org.ObjectPermission.
// Normalized).

// SessionTimeouts are the values of a profile's "Session Times Out After" that Salesforce
// offers (Session Settings: 15 minutes to 24 hours); 0 is "--None--", the org's timeout.
var SessionTimeouts = []int{15, 30, 60, 120, 240, 480, 720, 1440}

// checkPermissions refuses unknown user permission names (org.CheckPermissions, as the org
// file and Salesforce's deploy do) and returns the names sorted, without duplicates.
func checkPermissions(names []string) ([]string, error) {
	if err := org.CheckPermissions(names); err != nil {
		return nil, Invalidf("%v", err)
	}
	out := slices.Clone(names)
	slices.Sort(out)
	return slices.Compact(out), nil
}

// checkTimeout is the org file's rule for a profile's session timeout (orgfile: 15 minutes
// to 24 hours, or 0 for the org's).
func checkTimeout(minutes int) error {
	if minutes != 0 && (minutes < orgfile.MinSessionTimeoutMinutes || minutes > orgfile.MaxSessionTimeoutMinutes) {
		return FieldInvalidf("SessionTimeout", "Session Times Out After: %d minutes is not between %d minutes and %d hours",
			minutes, orgfile.MinSessionTimeoutMinutes, orgfile.MaxSessionTimeoutMinutes/60)
	}
	return nil
}

// checkName checks a profile name or permission set label.
func checkName(field, label, name string, max int) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", FieldInvalidf(field, "%s: You must enter a value", label)
	case utf8.RuneCountInString(name) > max:
		return "", FieldInvalidf(field, "%s: at most %d characters", label, max)
	case strings.ContainsFunc(name, func(r rune) bool { return r < ' ' }):
		return "", FieldInvalidf(field, "%s: no control characters", label)
	}
	return name, nil
}

// grantableObject returns the catalog's object named name, which a grant may name.
func grantableObject(cat *schema.Catalog, name string) (*schema.Object, error) {
	obj, ok := cat.Object(name)
	if !ok {
		return nil, NotFoundf("no object %q in this org", name)
	}
	return obj, nil
}

// mergeObjectPermissions replaces the grants of the objects in changed (normalized, those
// granting nothing dropped) and keeps the others; every object must be in the catalog.
func mergeObjectPermissions(cat *schema.Catalog, old, changed []org.ObjectPermission) ([]org.ObjectPermission, error) {
	byName := map[string]org.ObjectPermission{}
	for _, op := range changed {
		obj, err := grantableObject(cat, op.Object)
		if err != nil {
			return nil, err
		}
		op.Object = obj.Name
		byName[strings.ToLower(obj.Name)] = op.Normalized()
	}
	var out []org.ObjectPermission
	for _, op := range old {
		if _, ok := byName[strings.ToLower(op.Object)]; !ok {
			out = append(out, op)
		}
	}
	for _, op := range byName {
		if op.Any() {
			out = append(out, op)
		}
	}
	slices.SortFunc(out, func(a, b org.ObjectPermission) int { return strings.Compare(a.Object, b.Object) })
	return out, nil
}

// mergeFieldPermissions replaces the field-level security of object with fields (Edit
// Access implies Read Access; fields granting nothing dropped), the object's "Object.*"
// shorthand included: the page lists every field, so what it saves is complete. Every
// field must be a permissionable field of the object.
func mergeFieldPermissions(cat *schema.Catalog, old []org.FieldPermission, object string, fields []org.FieldPermission) ([]org.FieldPermission, error) {
	obj, err := grantableObject(cat, object)
	if err != nil {
		return nil, err
	}
	prefix := strings.ToLower(obj.Name) + "."
	var out []org.FieldPermission
	for _, fp := range old {
		if !strings.HasPrefix(strings.ToLower(fp.Field), prefix) {
			out = append(out, fp)
		}
	}
	for _, fp := range fields {
		f, ok := obj.Field(fp.Field)
		if !ok || !f.Permissionable {
			return nil, Invalidf("%s has no field %q whose access can be set", obj.Name, fp.Field)
		}
		if fp.Read || fp.Edit {
			out = append(out, org.FieldPermission{Field: obj.Name + "." + f.Name, Read: true, Edit: fp.Edit && !f.Calculated && !f.AutoNumber})
		}
	}
	slices.SortFunc(out, func(a, b org.FieldPermission) int { return strings.Compare(a.Field, b.Field) })
	return out, nil
}

// FieldAccess is the field-level security a grant list gives one field: the grant naming
// the field, else the object's "Object.*" (access.Checker's precedence).
func FieldAccess(grants []org.FieldPermission, object, field string) org.FieldPermission {
	var star org.FieldPermission
	for _, fp := range grants {
		switch {
		case strings.EqualFold(fp.Field, object+"."+field):
			return fp
		case strings.EqualFold(fp.Field, object+".*"):
			star = fp
		}
	}
	return star
}

// ObjectAccess is the grant a list gives object (zero when none).
func ObjectAccess(grants []org.ObjectPermission, object string) org.ObjectPermission {
	for _, op := range grants {
		if strings.EqualFold(op.Object, object) {
			return op
		}
	}
	return org.ObjectPermission{Object: object}
}

// permissionChanges describes a permission change for the audit trail: "API Enabled on,
// Modify All Data off".
func permissionChanges(old, new []string) string {
	var parts []string
	for _, p := range org.Permissions() {
		was, is := slices.Contains(old, p.Name), slices.Contains(new, p.Name)
		switch {
		case is && !was:
			parts = append(parts, p.Label+" on")
		case was && !is:
			parts = append(parts, p.Label+" off")
		}
	}
	return strings.Join(parts, ", ")
}

// grantChanges describes an object permission change for the audit trail.
func grantChanges(op org.ObjectPermission) string {
	var on []string
	for _, f := range []struct {
		set   bool
		label string
	}{{op.Read, "Read"}, {op.Create, "Create"}, {op.Edit, "Edit"}, {op.Delete, "Delete"}, {op.ViewAll, "View All"}, {op.ModifyAll, "Modify All"}} {
		if f.set {
			on = append(on, f.label)
		}
	}
	if len(on) == 0 {
		return op.Object + ": no access"
	}
	return op.Object + ": " + strings.Join(on, ", ")
}

// orgUser returns the user id of org orgID, or a NotFound error.
func orgUser(ctx context.Context, tx store.SetupReader, orgID, id sfid.ID) (org.User, error) {
	u, err := tx.User(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && u.OrgID != orgID) {
		return org.User{}, NotFoundf("no user %s in this org", id)
	}
	return u, err
}

// conflictOnDuplicate turns the store's unique-name conflict into a Conflict error.
func conflictOnDuplicate(err error, format string, args ...any) error {
	if errors.Is(err, store.ErrConflict) {
		return &Error{Kind: Conflict, Field: "Name", Message: fmt.Sprintf(format, args...)}
	}
	return err
}

// keepActorAdmin refuses a change, read in tx after it was made, that would take away the
// console user's own way back: Manage Users (or Modify All Data), or would make them API
// only (no more UI login). Salesforce gets the same protection by not letting anyone edit
// the System Administrator profile's administrative permissions; Forcefield's profiles
// are all editable, so the rule is on the person instead. The admin token and the org
// file (no UserID) are not concerned.
func keepActorAdmin(ctx context.Context, tx *Tx) error {
	if tx.actor.UserID.IsZero() {
		return nil
	}
	u, err := tx.User(ctx, tx.actor.UserID)
	if err != nil {
		return err
	}
	p, err := principal(ctx, tx, u)
	if err != nil {
		return err
	}
	switch {
	case !p.Has("ManageUsers") && !p.Has("ModifyAllData"):
		return Invalidf("This change would remove your own Manage Users permission: ask another administrator to make it")
	case p.Has(org.PermAPIUserOnly):
		return Invalidf("This change would make you an API Only User, unable to log in to Setup: ask another administrator to make it")
	}
	return nil
}
