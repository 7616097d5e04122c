package orgfile

import (
	"fmt"
	"slices"
	"strings"

	"github.com/forcefield/forcefield/internal/org"
)

// Object and field permissions of profiles and permission sets (docs/org-file.md
// "Object and field permissions"), stored as org.ObjectPermission and org.FieldPermission
// (Salesforce's ObjectPermissions and FieldPermissions).

// fieldPermissionNames are the names the org file uses for FieldPermission flags.
var fieldPermissionNames = []string{"Read", "Edit"}

// grants checks the objects and fields maps of a profile or permission set at p.
func (v *validator) grants(o *Org, p string, objects, fields map[string][]string, oo orgObjects) {
	for _, object := range sortedKeys(objects) {
		kp := p + ".objects." + object
		if !oo.grantable(object) {
			v.errorf(kp, "no object %q in org %q: use %s", object, o.Name, knownObjectsHint(oo, true))
		}
		v.names(kp, objects[object], "object permission", func(n string) error {
			if !slices.Contains(org.ObjectPermissionNames, n) {
				return fmt.Errorf("%q is not an object permission: use %s", n, strings.Join(org.ObjectPermissionNames, ", "))
			}
			return nil
		})
	}
	for _, key := range sortedKeys(fields) {
		kp := p + ".fields." + key
		object, field, ok := strings.Cut(key, ".")
		switch {
		case !ok || field == "":
			v.errorf(kp, "%q is not a field: write Object.Field, e.g. Account.Industry, or Object.* for every field", key)
		case !oo.grantable(object):
			v.errorf(kp, "no object %q in org %q: use %s", object, o.Name, knownObjectsHint(oo, true))
		case field == "*":
		case !apiNameRE.MatchString(strings.TrimSuffix(field, "__c")) || strings.Contains(field, "."):
			v.errorf(kp, "%q is not a field name", field)
		case strings.HasSuffix(field, "__c") && !oo.fields[object][field]:
			v.errorf(kp, "no custom field %s on %s in org %q: declare it in the org's objects", field, object, o.Name)
		}
		v.names(kp, fields[key], "field permission", func(n string) error {
			if !slices.Contains(fieldPermissionNames, n) {
				return fmt.Errorf("%q is not a field permission: use Read or Edit", n)
			}
			return nil
		})
	}
}

// objectPermissions converts an objects map to grants, ordered by object name.
func objectPermissions(objects map[string][]string) []org.ObjectPermission {
	var out []org.ObjectPermission
	for _, object := range sortedKeys(objects) {
		op := org.ObjectPermission{Object: object}
		for _, n := range objects[object] {
			switch n {
			case "Read":
				op.Read = true
			case "Create":
				op.Create = true
			case "Edit":
				op.Edit = true
			case "Delete":
				op.Delete = true
			case "ViewAllRecords":
				op.ViewAll = true
			case "ModifyAllRecords":
				op.ModifyAll = true
			}
		}
		out = append(out, op)
	}
	return out
}

// fieldPermissions converts a fields map to grants, ordered by field.
func fieldPermissions(fields map[string][]string) []org.FieldPermission {
	var out []org.FieldPermission
	for _, key := range sortedKeys(fields) {
		fp := org.FieldPermission{Field: key}
		for _, n := range fields[key] {
			fp.Read = fp.Read || n == "Read"
			fp.Edit = fp.Edit || n == "Edit"
		}
		out = append(out, fp)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
