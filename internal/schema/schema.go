// Package schema is the metadata of sObjects: objects, their fields and relationships, as
// describe reports them (the reference salesforce-objects.md gives the content,
// salesforce-rest.md §3 the wire shape). It knows nothing of storage or HTTP; a Catalog is
// the set of objects one org has — the standard ones plus the custom objects its org file
// defines — looked up case-insensitively as SOQL and the REST paths do.
package schema

import (
	"fmt"
	"strings"
)

// FieldType is a describe field type (salesforce-rest.md §3 "Values of type").
type FieldType string

// The field types Forcefield stores and validates.
const (
	TypeID            FieldType = "id"
	TypeString        FieldType = "string"
	TypeTextArea      FieldType = "textarea"
	TypeEmail         FieldType = "email"
	TypePhone         FieldType = "phone"
	TypeURL           FieldType = "url"
	TypeBoolean       FieldType = "boolean"
	TypeInt           FieldType = "int"
	TypeDouble        FieldType = "double"
	TypeCurrency      FieldType = "currency"
	TypePercent       FieldType = "percent"
	TypeDate          FieldType = "date"
	TypeDateTime      FieldType = "datetime"
	TypePicklist      FieldType = "picklist"
	TypeMultiPicklist FieldType = "multipicklist"
	TypeCombobox      FieldType = "combobox"
	TypeReference     FieldType = "reference"

	// Compound fields (salesforce-rest-more.md §7): read-only views of their parts, with
	// no storage of their own. An address (BillingAddress, …) groups Street … GeocodeAccuracy;
	// a location (a custom geolocation field Loc__c) groups Loc__Latitude__s and
	// Loc__Longitude__s. Their value in a query result is an object keyed by the parts'
	// CompoundKey.
	TypeAddress  FieldType = "address"
	TypeLocation FieldType = "location"
)

// Compound reports whether fields of t are compound fields (address, location).
func (t FieldType) Compound() bool { return t == TypeAddress || t == TypeLocation }

// SharingModel is an object's organization-wide default for record access.
type SharingModel string

// Organization-wide defaults. ReadWrite: everyone with object access reads and edits every
// record; Read: everyone reads, owners (and Modify All) edit; Private: owners (and View All /
// Modify All) only.
const (
	SharingPrivate   SharingModel = "Private"
	SharingRead      SharingModel = "Read"
	SharingReadWrite SharingModel = "ReadWrite"
)

// PicklistValue is one entry of a picklist field.
type PicklistValue struct {
	Value        string
	Label        string
	Active       bool
	DefaultValue bool
}

// Field is one field of an object.
type Field struct {
	Name  string // API name in its canonical case, e.g. AccountId, Amount__c
	Label string
	Type  FieldType

	Length    int // text types: maximum characters
	Precision int // double, currency, percent: total digits
	Scale     int // digits right of the decimal point
	Digits    int // int

	Nillable          bool
	Createable        bool
	Updateable        bool
	DefaultedOnCreate bool
	Custom            bool
	ExternalID        bool
	Unique            bool
	IDLookup          bool
	NameField         bool
	AutoNumber        bool
	Calculated        bool
	// Permissionable: field-level security applies (describe "permissionable"); fields that
	// are not (Id, Name, required and system fields) are readable by anyone who reads the
	// object.
	Permissionable bool
	// System: maintained by the server on every write (Id, CreatedDate, CreatedById,
	// LastModifiedDate, LastModifiedById, SystemModstamp, IsDeleted); never accepted from a
	// client.
	System bool

	ReferenceTo      []string // reference: target objects (several: polymorphic)
	RelationshipName string   // reference: name of the parent relationship, e.g. Account, Account__r
	// ChildRelationshipName is the name the parent's childRelationships give this
	// reference, e.g. Contacts for Contact.AccountId, Invoices__r for Invoice__c.Account__c;
	// empty when the parent cannot navigate to the children.
	ChildRelationshipName string
	CascadeDelete         bool
	RestrictedDelete      bool

	Picklist   []PicklistValue
	Restricted bool // restricted picklist

	DefaultValue any // describe defaultValue (JSON value), nil when none

	// CompoundKey is a compound field part's key in the compound's value (street, city,
	// latitude, …); "" for a field that is not part of an address or location.
	CompoundKey string
	// DisplayLocationInDecimal is a location field's describe displayLocationInDecimal.
	DisplayLocationInDecimal bool

	// Extra describe keys whose value differs from what Describe derives (e.g.
	// compoundFieldName, extraTypeInfo); copied onto the describe entry as they are.
	Extra map[string]any
}

// Compound reports whether f is a compound address or location field, which is not
// stored: its value is made of its parts (Object.CompoundParts).
func (f *Field) Compound() bool { return f.Type.Compound() }

// CompoundName is the compound field f is part of (its describe compoundFieldName), or ""
// when f is not part of an address or location.
func (f *Field) CompoundName() string {
	if f.CompoundKey == "" {
		return ""
	}
	s, _ := f.Extra["compoundFieldName"].(string)
	return s
}

// Required reports whether a create must supply a value: not nillable, createable, and not
// defaulted by the server (salesforce-objects.md table legend "Nil").
func (f *Field) Required() bool {
	return !f.Nillable && f.Createable && !f.DefaultedOnCreate && f.Type != TypeBoolean
}

// Object is one sObject type.
type Object struct {
	Name        string // API name, e.g. Account, Invoice__c
	Label       string
	LabelPlural string
	KeyPrefix   string // 3 characters, the start of every record ID
	Custom      bool
	Sharing     SharingModel

	// Setup objects (User, Profile, PermissionSet, Organization, LoginHistory) are read-only
	// through the data API: their rows are the org's Setup, not records.
	Setup bool

	Createable, Updateable, Deletable, Queryable, Searchable     bool
	Undeletable, Mergeable, Layoutable, FeedEnabled, Triggerable bool
	Replicateable, Retrieveable, MruEnabled, DeepCloneable       bool

	Fields []Field

	byName  map[string]int // lower-case field name → index
	byExact map[string]int // field name as defined → index (the common spelling, no ToLower)
	byRel   map[string]int // lower-case relationship name → index of its reference field
	parts   map[string][]*Field
}

// ChildRelationship is a reference from another object to this one (describe
// childRelationships), e.g. {Contact, AccountId, Contacts}.
type ChildRelationship struct {
	ChildObject      string
	Field            string
	RelationshipName string // empty when the child side has no relationship name
	CascadeDelete    bool
	RestrictedDelete bool
}

// index builds the lookup maps; Catalog calls it.
func (o *Object) index() error {
	o.byName = make(map[string]int, len(o.Fields))
	o.byExact = make(map[string]int, len(o.Fields))
	o.byRel = map[string]int{}
	for i, f := range o.Fields {
		k := strings.ToLower(f.Name)
		if _, dup := o.byName[k]; dup {
			return fmt.Errorf("object %s: field %s is defined twice", o.Name, f.Name)
		}
		o.byName[k] = i
		o.byExact[f.Name] = i
		if f.Type == TypeReference && f.RelationshipName != "" {
			o.byRel[strings.ToLower(f.RelationshipName)] = i
		}
	}
	o.parts = map[string][]*Field{}
	for i := range o.Fields {
		f := &o.Fields[i]
		if c := f.CompoundName(); c != "" {
			o.parts[c] = append(o.parts[c], f)
		}
	}
	for i := range o.Fields {
		f := &o.Fields[i]
		if f.Compound() && len(o.parts[f.Name]) == 0 {
			return fmt.Errorf("object %s: compound field %s has no parts", o.Name, f.Name)
		}
		if c := f.CompoundName(); c != "" {
			if cf, ok := o.byExact[c]; !ok || !o.Fields[cf].Compound() {
				return fmt.Errorf("object %s: field %s is part of %s, which is not a compound field", o.Name, f.Name, c)
			}
		}
	}
	return nil
}

// CompoundParts returns the parts of compound field f in field order (nil when f is not
// a compound field of o).
func (o *Object) CompoundParts(f *Field) []*Field {
	if !f.Compound() {
		return nil
	}
	return o.parts[f.Name]
}

// Field returns the field named name, ignoring case.
func (o *Object) Field(name string) (*Field, bool) {
	if i, ok := o.byExact[name]; ok {
		return &o.Fields[i], true
	}
	i, ok := o.byName[strings.ToLower(name)]
	if !ok {
		return nil, false
	}
	return &o.Fields[i], true
}

// Relationship returns the reference field whose relationship name is name (ignoring
// case), e.g. "Owner" → OwnerId.
func (o *Object) Relationship(name string) (*Field, bool) {
	i, ok := o.byRel[strings.ToLower(name)]
	if !ok {
		return nil, false
	}
	return &o.Fields[i], true
}

// lowerFirst lower-cases the first letter of s: PostalCode → postalCode.
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// NameField returns the object's name field (Name, or Subject for Task, CaseNumber for
// Case), if any.
func (o *Object) NameField() (*Field, bool) {
	for i := range o.Fields {
		if o.Fields[i].NameField {
			return &o.Fields[i], true
		}
	}
	return nil, false
}

// Catalog is the set of objects of one org.
type Catalog struct {
	objects  []*Object
	byName   map[string]*Object
	byPrefix map[string]*Object
	children map[string][]ChildRelationship // lower-case parent name → relationships
}

// NewCatalog indexes objs. Names and key prefixes must be unique.
func NewCatalog(objs []*Object) (*Catalog, error) {
	c := &Catalog{byName: map[string]*Object{}, byPrefix: map[string]*Object{}, children: map[string][]ChildRelationship{}}
	for _, o := range objs {
		if err := o.index(); err != nil {
			return nil, err
		}
		k := strings.ToLower(o.Name)
		if _, dup := c.byName[k]; dup {
			return nil, fmt.Errorf("object %s is defined twice", o.Name)
		}
		if p, dup := c.byPrefix[o.KeyPrefix]; dup {
			return nil, fmt.Errorf("objects %s and %s share key prefix %s", p.Name, o.Name, o.KeyPrefix)
		}
		c.byName[k] = o
		c.byPrefix[o.KeyPrefix] = o
		c.objects = append(c.objects, o)
	}
	for _, o := range c.objects {
		for _, f := range o.Fields {
			if f.Type != TypeReference {
				continue
			}
			for _, target := range f.ReferenceTo {
				k := strings.ToLower(target)
				c.children[k] = append(c.children[k], ChildRelationship{
					ChildObject: o.Name, Field: f.Name, CascadeDelete: f.CascadeDelete,
					RestrictedDelete: f.RestrictedDelete, RelationshipName: f.ChildRelationshipName,
				})
			}
		}
	}
	return c, nil
}

// Objects returns every object in definition order.
func (c *Catalog) Objects() []*Object { return c.objects }

// Object returns the object named name, ignoring case.
func (c *Catalog) Object(name string) (*Object, bool) {
	o, ok := c.byName[strings.ToLower(name)]
	return o, ok
}

// ByPrefix returns the object whose records' IDs start with prefix.
func (c *Catalog) ByPrefix(prefix string) (*Object, bool) {
	o, ok := c.byPrefix[prefix]
	return o, ok
}

// Children returns the references to object name from every object of the catalog.
func (c *Catalog) Children(name string) []ChildRelationship {
	return c.children[strings.ToLower(name)]
}

// ChildRelationship finds the child relationship named rel (ignoring case) of parent.
func (c *Catalog) ChildRelationship(parent, rel string) (ChildRelationship, bool) {
	for _, cr := range c.children[strings.ToLower(parent)] {
		if cr.RelationshipName != "" && strings.EqualFold(cr.RelationshipName, rel) {
			return cr, true
		}
	}
	return ChildRelationship{}, false
}
