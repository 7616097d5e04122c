package schema

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// Custom objects and custom fields as an org file defines them (ObjectSpec, FieldSpec).
// Salesforce's rules: API names are letters, digits and single underscores, start with a
// letter, and end in __c (Salesforce Help "Custom Field Attributes", "Create a Custom
// Object"); custom lookups get the relationship name <Field>__r on the child and
// <RelationshipName>__r on the parent's childRelationships (SOQL and SOSL Reference,
// "Relationship Names for Custom Objects and Custom Fields").

// customNameRE matches a custom API name: an optional namespace prefix, then letters,
// digits and single underscores, then __c; at most 40 characters before the suffix.
var customNameRE = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9]*__)?[A-Za-z]([A-Za-z0-9]|_[A-Za-z0-9]){0,39}__c$`)

// relNameRE matches a relationship name without its __r suffix.
var relNameRE = regexp.MustCompile(`^[A-Za-z]([A-Za-z0-9]|_[A-Za-z0-9]){0,39}$`)

// keyPrefixRE matches a custom object key prefix: 3 characters, the first a lower-case
// letter or a digit (Salesforce's custom prefixes look like a01, a0B).
var keyPrefixRE = regexp.MustCompile(`^[a-z0-9][A-Za-z0-9]{2}$`)

// Field size limits (Salesforce Help "Custom Field Types"):
const (
	maxTextLength     = 255    // Text: 1–255, default 255
	maxLongTextLength = 131072 // Long Text Area: 256–131072
	// textarea without a length is a plain Text Area (always 255); a length above 255 makes
	// it a Long Text Area.
	defaultTextAreaLength = 255
	maxPrecision          = 18 // Number, Currency, Percent: at most 18 digits
	picklistLength        = 255
	multiPicklistLength   = 4099
	emailLength           = 80
	phoneLength           = 40
	urlLength             = 255
	autoNumberLength      = 30
	customNameLength      = 80
)

// CustomObject builds the Object a spec defines: the standard fields every custom object
// has (Id, OwnerId, IsDeleted, Name, the audit fields, LastViewedDate, LastReferencedDate)
// followed by the spec's fields. spec.KeyPrefix must be set (NewOrgCatalog assigns one).
//
// A text Name is optional on create (nillable): Salesforce then sets it to the record ID.
// An auto-number Name is not createable and is defaulted on create.
func CustomObject(spec ObjectSpec) (*Object, error) {
	if !customNameRE.MatchString(spec.Name) {
		return nil, fmt.Errorf("object %q: a custom object name is letters, digits and single underscores, starts with a letter and ends in __c", spec.Name)
	}
	if !keyPrefixRE.MatchString(spec.KeyPrefix) {
		return nil, fmt.Errorf("object %s: key prefix %q is not 3 letters or digits starting with a lower-case letter or digit", spec.Name, spec.KeyPrefix)
	}
	sharing := spec.Sharing
	switch sharing {
	case "":
		sharing = SharingReadWrite
	case SharingPrivate, SharingRead, SharingReadWrite:
	default:
		return nil, fmt.Errorf("object %s: sharing model %q is not Private, Read or ReadWrite", spec.Name, sharing)
	}
	label := spec.Label
	if label == "" {
		label = labelOf(spec.Name)
	}
	plural := spec.LabelPlural
	if plural == "" {
		plural = label + "s"
	}
	o := &Object{
		Name: spec.Name, Label: label, LabelPlural: plural, KeyPrefix: spec.KeyPrefix, Custom: true, Sharing: sharing,
		Createable: true, Updateable: true, Deletable: true, Queryable: true, Searchable: true, Undeletable: true,
		Layoutable: true, Triggerable: true, Replicateable: true, Retrieveable: true, MruEnabled: true,
	}
	nameLabel := spec.NameFieldLabel
	if nameLabel == "" {
		nameLabel = label + " Name"
	}
	name := Field{Name: "Name", Label: nameLabel, Type: TypeString, Length: customNameLength, Nillable: true,
		Createable: true, Updateable: true, NameField: true, IDLookup: true}
	if spec.NameAutoNumber {
		name = Field{Name: "Name", Label: nameLabel, Type: TypeString, Length: autoNumberLength, DefaultedOnCreate: true,
			NameField: true, IDLookup: true, AutoNumber: true}
	}
	o.Fields = concat([]Field{idField("Record ID"), ownerField("Group", "User"), isDeletedField(), name},
		auditFields(), viewedFields())
	if err := AddCustomFields(o, spec.Fields); err != nil {
		return nil, err
	}
	return o, nil
}

// AddCustomFields appends custom fields to obj (a custom object, or custom fields on a
// standard object). Reference targets are not checked here: NewOrgCatalog checks them
// against the whole catalog.
func AddCustomFields(obj *Object, fields []FieldSpec) error {
	seen := map[string]bool{}
	for _, f := range obj.Fields {
		seen[strings.ToLower(f.Name)] = true
	}
	for _, fs := range fields {
		f, err := customField(obj.Name, fs)
		if err != nil {
			return fmt.Errorf("object %s: %w", obj.Name, err)
		}
		if seen[strings.ToLower(f.Name)] {
			return fmt.Errorf("object %s: field %s is defined twice", obj.Name, f.Name)
		}
		seen[strings.ToLower(f.Name)] = true
		add := []Field{f}
		if f.Type == TypeLocation {
			add = append(locationParts(f), f)
			for _, p := range add[:2] {
				if seen[strings.ToLower(p.Name)] {
					return fmt.Errorf("object %s: field %s is defined twice", obj.Name, p.Name)
				}
				seen[strings.ToLower(p.Name)] = true
			}
		}
		for _, f := range add {
			if obj.Setup {
				f.Createable, f.Updateable, f.Permissionable = false, false, false
			}
			obj.Fields = append(obj.Fields, f)
		}
	}
	if obj.byName != nil {
		return obj.index()
	}
	return nil
}

// customField validates one FieldSpec of object objName and builds its Field.
func customField(objName string, fs FieldSpec) (Field, error) {
	if !customNameRE.MatchString(fs.Name) {
		return Field{}, fmt.Errorf("field %q: a custom field name is letters, digits and single underscores, starts with a letter and ends in __c", fs.Name)
	}
	label := fs.Label
	if label == "" {
		label = labelOf(fs.Name)
	}
	f := Field{Name: fs.Name, Label: label, Type: fs.Type, Custom: true, Nillable: true, Createable: true,
		Updateable: true, Permissionable: true, Unique: fs.Unique, ExternalID: fs.ExternalID, IDLookup: fs.ExternalID || fs.Unique}
	bad := func(format string, args ...any) (Field, error) {
		return Field{}, fmt.Errorf("field %s: "+format, append([]any{fs.Name}, args...)...)
	}
	switch fs.Type {
	case TypeString:
		f.Length = fs.Length
		if f.Length == 0 {
			f.Length = maxTextLength
		}
		if f.Length < 1 || f.Length > maxTextLength {
			return bad("length %d is not between 1 and %d", fs.Length, maxTextLength)
		}
	case TypeTextArea:
		f.Length = fs.Length
		if f.Length == 0 {
			f.Length = defaultTextAreaLength
		}
		if f.Length < 1 || f.Length > maxLongTextLength {
			return bad("length %d is not between 1 and %d", fs.Length, maxLongTextLength)
		}
		f.Extra = map[string]any{"extraTypeInfo": "plaintextarea"}
	case TypeEmail:
		f.Length = emailLength
	case TypePhone:
		f.Length = phoneLength
	case TypeURL:
		f.Length = urlLength
	case TypeBoolean:
		f.Nillable, f.DefaultedOnCreate, f.DefaultValue = false, true, false
	case TypeInt:
		f.Digits = fs.Precision
		if f.Digits == 0 {
			f.Digits = 9
		}
		if f.Digits < 1 || f.Digits > maxPrecision {
			return bad("precision %d is not between 1 and %d", fs.Precision, maxPrecision)
		}
	case TypeDouble, TypeCurrency, TypePercent:
		f.Precision, f.Scale = fs.Precision, fs.Scale
		if f.Precision == 0 {
			f.Precision = maxPrecision
			if fs.Type == TypeCurrency && fs.Scale == 0 {
				f.Scale = 2
			}
		}
		if f.Precision < 1 || f.Precision > maxPrecision || f.Scale < 0 || f.Scale > f.Precision {
			return bad("precision %d, scale %d: precision is 1 to %d and scale 0 to the precision", fs.Precision, fs.Scale, maxPrecision)
		}
	case TypeDate, TypeDateTime:
	case TypePicklist, TypeMultiPicklist:
		f.Length, f.Restricted = picklistLength, fs.Restricted
		if fs.Type == TypeMultiPicklist {
			f.Length = multiPicklistLength
		}
		if len(fs.Values) == 0 {
			return bad("a picklist needs values")
		}
		dup := map[string]bool{}
		for _, v := range fs.Values {
			if v == "" || dup[v] || (fs.Type == TypeMultiPicklist && strings.Contains(v, ";")) {
				return bad("picklist value %q is empty, repeated or contains ';'", v)
			}
			dup[v] = true
			f.Picklist = append(f.Picklist, PicklistValue{Value: v, Label: v, Active: true})
		}
	case TypeLocation:
		// A geolocation field (salesforce-rest-more.md §7.1): the compound Loc__c, read-only,
		// over two stored doubles Loc__Latitude__s and Loc__Longitude__s (locationParts).
		// scale is the decimal places, 0 to 15.
		f.Scale, f.Createable, f.Updateable, f.IDLookup = fs.Scale, false, false, false
		if f.Scale < 0 || f.Scale > 15 {
			return bad("scale %d is not between 0 and 15", fs.Scale)
		}
		if fs.Required || fs.Default != nil {
			return bad("a location field cannot be required or have a default")
		}
	case TypeReference:
		if fs.ReferenceTo == "" {
			return bad("a reference needs referenceTo")
		}
		base := strings.TrimSuffix(fs.Name, "__c")
		f.ReferenceTo, f.RelationshipName = []string{fs.ReferenceTo}, base+"__r"
		child := strings.TrimSuffix(fs.RelationshipName, "__r")
		if child == "" {
			child = strings.TrimSuffix(objName, "__c") + "s"
		}
		if !relNameRE.MatchString(child) {
			return bad("relationship name %q is not letters, digits and single underscores", fs.RelationshipName)
		}
		f.ChildRelationshipName = child + "__r"
		// A required lookup cannot be cleared when its parent is deleted: Salesforce then
		// only offers "Don't allow deletion of the lookup record".
		f.RestrictedDelete = fs.Required
	default:
		return bad("type %q is not one of string, textarea, email, phone, url, boolean, int, double, currency, percent, date, datetime, picklist, multipicklist, reference, location", fs.Type)
	}
	if (fs.Unique || fs.ExternalID) && !uniqueable(fs.Type) {
		return bad("only text, email and number fields can be unique or an external ID")
	}
	if fs.Required && fs.Type != TypeBoolean {
		f.Nillable, f.Permissionable = false, false
	}
	if fs.Default != nil {
		raw, err := json.Marshal(fs.Default)
		if err != nil {
			return bad("default: %v", err)
		}
		v, err := DecodeValue(&f, raw)
		if err != nil || v == nil {
			return bad("default %s is not a valid %s value", raw, fs.Type)
		}
		f.DefaultValue, f.DefaultedOnCreate = EncodeValue(&f, v), true
		if fs.Type == TypePicklist || fs.Type == TypeMultiPicklist {
			for i := range f.Picklist {
				f.Picklist[i].DefaultValue = f.Picklist[i].Value == v
			}
		}
	}
	return f, nil
}

// locationParts are the stored parts of location field loc (Loc__c): Loc__Latitude__s and
// Loc__Longitude__s, doubles of loc's scale, labelled "Loc (Latitude)" and
// "Loc (Longitude)", each naming Loc__c as its compoundFieldName [UNCONFIRMED labels].
func locationParts(loc Field) []Field {
	base := strings.TrimSuffix(loc.Name, "__c")
	part := func(suffix string) Field {
		return Field{Name: base + "__" + suffix + "__s", Label: loc.Label + " (" + suffix + ")", Type: TypeDouble,
			Precision: 18, Scale: loc.Scale, Custom: true, Nillable: true, Createable: true, Updateable: true,
			Permissionable: loc.Permissionable, CompoundKey: lowerFirst(suffix),
			Extra: map[string]any{"compoundFieldName": loc.Name}}
	}
	return []Field{part("Latitude"), part("Longitude")}
}

// uniqueable reports whether fields of t may be unique or external IDs (Salesforce: text,
// number, email and auto-number fields).
func uniqueable(t FieldType) bool {
	switch t {
	case TypeString, TypeEmail, TypeInt, TypeDouble:
		return true
	}
	return false
}

// labelOf derives a label from an API name: Invoice_Line__c → "Invoice Line".
func labelOf(apiName string) string {
	s := strings.TrimSuffix(apiName, "__c")
	if i := strings.Index(s, "__"); i >= 0 {
		s = s[i+2:]
	}
	return strings.ReplaceAll(s, "_", " ")
}
