// Package access decides what the running user of a request may do with records: object
// permissions (CRUD, View All, Modify All), field-level security, and record visibility
// from the object's organization-wide default and ownership. It is Salesforce's model
// ("User access determines field level and record level access", seed 001), computed
// once per principal from the profile and permission sets, whose grants add up.
//
// Decisions where Salesforce's behaviour needs an org feature Forcefield does not model:
//   - ModifyAllData grants every object permission and every field, ViewAllData grants
//     Read and View All on every object and Read on every field — what the System
//     Administrator profile carries in a real org.
//   - Setup objects (User, Profile, PermissionSet, Organization) are readable by every
//     user; LoginHistory needs ManageUsers or ViewAllData, else a user sees their own rows.
//   - A field permission "Object.*" grants every permissionable field of the object
//     (a Forcefield shorthand; Salesforce lists fields one by one). A grant naming a field
//     takes precedence over the object's "*", so Account.*: [Read, Edit] with
//     Account.AnnualRevenue: [Read] makes that one field read-only.
package access

import (
	"strings"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// Op is an object-level operation.
type Op int

// Object operations.
const (
	Read Op = iota
	Create
	Edit
	Delete
)

// Checker answers access questions for one principal. It is immutable and safe for
// concurrent use.
type Checker struct {
	userID    sfid.ID
	modifyAll bool                            // ModifyAllData
	viewAll   bool                            // ViewAllData
	manage    bool                            // ManageUsers
	objects   map[string]org.ObjectPermission // lower-case object name → merged grant
	fields    map[string]org.FieldPermission  // lower-case "object.field" → merged grant
}

// New merges the grants of p's profile and permission sets.
func New(p org.Principal) *Checker {
	c := &Checker{
		userID:    p.User.ID,
		modifyAll: p.Has("ModifyAllData"),
		viewAll:   p.Has("ViewAllData") || p.Has("ModifyAllData"),
		manage:    p.Has("ManageUsers"),
		objects:   map[string]org.ObjectPermission{},
		fields:    map[string]org.FieldPermission{},
	}
	add := func(ops []org.ObjectPermission, fps []org.FieldPermission) {
		for _, op := range ops {
			k := strings.ToLower(op.Object)
			m := c.objects[k]
			m.Object = op.Object
			m.Read = m.Read || op.Read
			m.Create = m.Create || op.Create
			m.Edit = m.Edit || op.Edit
			m.Delete = m.Delete || op.Delete
			m.ViewAll = m.ViewAll || op.ViewAll
			m.ModifyAll = m.ModifyAll || op.ModifyAll
			c.objects[k] = normalize(m)
		}
		for _, fp := range fps {
			k := strings.ToLower(fp.Field)
			m := c.fields[k]
			m.Field = fp.Field
			m.Read = m.Read || fp.Read || fp.Edit
			m.Edit = m.Edit || fp.Edit
			c.fields[k] = m
		}
	}
	add(p.Profile.ObjectPermissions, p.Profile.FieldPermissions)
	for _, ps := range p.PermSets {
		add(ps.ObjectPermissions, ps.FieldPermissions)
	}
	return c
}

// normalize applies Salesforce's permission dependencies: Edit needs Read, Delete needs
// Edit, View All needs Read, Modify All needs everything.
func normalize(m org.ObjectPermission) org.ObjectPermission { return m.Normalized() }

// grant returns the merged object permission for obj.
func (c *Checker) grant(obj *schema.Object) org.ObjectPermission {
	if obj.Setup {
		return org.ObjectPermission{Object: obj.Name, Read: true, ViewAll: c.viewAll || (obj.Name != "LoginHistory") || c.manage}
	}
	if c.modifyAll {
		return org.ObjectPermission{Object: obj.Name, Read: true, Create: true, Edit: true, Delete: true, ViewAll: true, ModifyAll: true}
	}
	m := c.objects[strings.ToLower(obj.Name)]
	if c.viewAll {
		m.Read, m.ViewAll = true, true
	}
	return m
}

// Object reports whether the user may perform op on obj at all (object permissions).
// Setup objects are never writable through the data API.
func (c *Checker) Object(obj *schema.Object, op Op) bool {
	m := c.grant(obj)
	switch op {
	case Read:
		return m.Read
	case Create:
		return !obj.Setup && obj.Createable && m.Create
	case Edit:
		return !obj.Setup && obj.Updateable && m.Edit
	case Delete:
		return !obj.Setup && obj.Deletable && m.Delete
	}
	return false
}

// FieldReadable reports whether the user sees field f of obj: in describe, records and
// queries. A field the user cannot read behaves as one that does not exist.
func (c *Checker) FieldReadable(obj *schema.Object, f *schema.Field) bool {
	if !c.Object(obj, Read) {
		return false
	}
	if f.Compound() {
		// A compound address or location is a view of its parts: readable when every
		// part is, so that it never shows a value a part's field-level security hides.
		parts := obj.CompoundParts(f)
		for _, p := range parts {
			if !c.FieldReadable(obj, p) {
				return false
			}
		}
		return len(parts) > 0
	}
	if !f.Permissionable || obj.Setup || c.viewAll {
		return true
	}
	fp, ok := c.fieldGrant(obj, f)
	return ok && fp.Read
}

// FieldEditable reports whether the user may write field f of obj (on create when
// creating, on update when updating: the caller also checks f.Createable/f.Updateable).
func (c *Checker) FieldEditable(obj *schema.Object, f *schema.Field) bool {
	if f.System || obj.Setup || !c.FieldReadable(obj, f) {
		return false
	}
	if !f.Permissionable || c.modifyAll {
		return true
	}
	fp, ok := c.fieldGrant(obj, f)
	return ok && fp.Edit
}

func (c *Checker) fieldGrant(obj *schema.Object, f *schema.Field) (org.FieldPermission, bool) {
	o := strings.ToLower(obj.Name)
	if fp, ok := c.fields[o+"."+strings.ToLower(f.Name)]; ok {
		return fp, true // a grant naming the field wins over Object.*
	}
	if cf := f.CompoundName(); cf != "" && f.Custom {
		// A location's part (Loc__Latitude__s) follows the grant of its field (Loc__c),
		// which is what an org file declares.
		if fp, ok := c.fields[o+"."+strings.ToLower(cf)]; ok {
			return fp, true
		}
	}
	fp, ok := c.fields[o+".*"]
	return fp, ok
}

// Visibility is the record-level rule for reading obj: when Restricted, only rows whose
// Field equals UserID are visible.
type Visibility struct {
	Restricted bool
	Field      string // OwnerId, or UserId for LoginHistory
	UserID     sfid.ID
}

// ReadVisibility returns which rows of obj the user may read: all of them under a Read or
// Read/Write org-wide default or with View All; their own under Private.
func (c *Checker) ReadVisibility(obj *schema.Object) Visibility {
	m := c.grant(obj)
	if m.ViewAll {
		return Visibility{}
	}
	if obj.Name == "LoginHistory" {
		return Visibility{Restricted: true, Field: "UserId", UserID: c.userID}
	}
	if obj.Setup || obj.Sharing == schema.SharingRead || obj.Sharing == schema.SharingReadWrite {
		return Visibility{}
	}
	if _, ok := obj.Field("OwnerId"); !ok {
		return Visibility{}
	}
	return Visibility{Restricted: true, Field: "OwnerId", UserID: c.userID}
}

// CanModifyRecord reports whether the user may edit or delete a record of obj owned by
// ownerID (record level, after Object(obj, Edit/Delete) allowed the operation): owners
// always; others under a Read/Write org-wide default or with Modify All.
func (c *Checker) CanModifyRecord(obj *schema.Object, ownerID sfid.ID) bool {
	if c.grant(obj).ModifyAll || ownerID == c.userID {
		return true
	}
	if _, ok := obj.Field("OwnerId"); !ok {
		return true
	}
	return obj.Sharing == schema.SharingReadWrite
}

// CanReadRecord reports whether the user may read a record of obj owned by ownerID.
func (c *Checker) CanReadRecord(obj *schema.Object, ownerID sfid.ID) bool {
	v := c.ReadVisibility(obj)
	return !v.Restricted || v.Field != "OwnerId" || ownerID == c.userID
}

// UserID is the running user.
func (c *Checker) UserID() sfid.ID { return c.userID }
