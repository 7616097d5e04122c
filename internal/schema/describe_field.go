package schema

import (
	"strconv"
	"strings"
)

// Per-field describe entries. Every key a real describe has is written; values that
// follow from the field's type are derived by the rules of salesforce-objects.md §2
// "Property patterns by field type", and Field.Extra overrides the few that do not.

// soapTypes maps describe types to their soapType (salesforce-objects.md §2).
var soapTypes = map[FieldType]string{
	TypeID: "tns:ID", TypeReference: "tns:ID", TypeBoolean: "xsd:boolean", TypeInt: "xsd:int",
	TypeDouble: "xsd:double", TypeCurrency: "xsd:double", TypePercent: "xsd:double",
	TypeDate: "xsd:date", TypeDateTime: "xsd:dateTime",
}

// IsText reports whether values of t are strings with a maximum length (string, textarea,
// email, phone, url, picklist, multipicklist, combobox).
func (t FieldType) IsText() bool {
	switch t {
	case TypeString, TypeTextArea, TypeEmail, TypePhone, TypeURL, TypePicklist, TypeMultiPicklist, TypeCombobox:
		return true
	}
	return false
}

// IsNumber reports whether values of t are float64 (double, currency, percent).
func (t FieldType) IsNumber() bool {
	return t == TypeDouble || t == TypeCurrency || t == TypePercent
}

// longText reports a long text area (more than 255 characters): not filterable, sortable,
// groupable nor aggregatable (salesforce-objects.md §2).
func (f *Field) longText() bool { return f.Type == TypeTextArea && f.Length > 255 }

// DescribeField is the describe entry of one field (salesforce-rest.md §3 "Each field
// carries these keys").
func DescribeField(f *Field) map[string]any {
	length, byteLength := 0, 0
	switch {
	case f.Type.IsText():
		length, byteLength = f.Length, 3*f.Length
	case f.Type == TypeID || f.Type == TypeReference:
		length, byteLength = 18, 18
	}
	digits, precision, scale := 0, 0, 0
	if f.Type == TypeInt {
		digits = f.Digits
	}
	if f.Type.IsNumber() {
		precision, scale = f.Precision, f.Scale
	}
	soap, ok := soapTypes[f.Type]
	if !ok {
		soap = "xsd:string"
	}
	long := f.longText()
	poly := f.Type == TypeReference && len(f.ReferenceTo) > 1
	refTo := make([]any, 0, len(f.ReferenceTo))
	for _, r := range f.ReferenceTo {
		refTo = append(refTo, r)
	}
	var rel any
	if f.RelationshipName != "" {
		rel = f.RelationshipName
	}
	picklist := make([]any, 0, len(f.Picklist))
	for _, p := range f.Picklist {
		picklist = append(picklist, map[string]any{
			"active": p.Active, "defaultValue": p.DefaultValue, "label": p.Label, "validFor": nil, "value": p.Value,
		})
	}
	def := f.DefaultValue
	if def == nil && f.Type == TypeBoolean {
		def = false
	}
	groupable := !long
	switch f.Type {
	case TypeDouble, TypeCurrency, TypePercent, TypeDateTime, TypeMultiPicklist:
		groupable = false
	}
	d := map[string]any{
		"aggregatable":                 f.Type != TypeBoolean && !long,
		"aiPredictionField":            false,
		"autoNumber":                   f.AutoNumber,
		"byteLength":                   byteLength,
		"calculated":                   f.Calculated,
		"calculatedFormula":            nil,
		"cascadeDelete":                false,
		"caseSensitive":                false,
		"compoundFieldName":            nil,
		"controllerName":               nil,
		"createable":                   f.Createable,
		"custom":                       f.Custom,
		"defaultValue":                 def,
		"defaultValueFormula":          nil,
		"defaultedOnCreate":            f.DefaultedOnCreate,
		"dependentPicklist":            false,
		"deprecatedAndHidden":          false,
		"digits":                       digits,
		"displayLocationInDecimal":     false,
		"encrypted":                    false,
		"externalId":                   f.ExternalID,
		"extraTypeInfo":                nil,
		"filterable":                   !long,
		"filteredLookupInfo":           nil,
		"formulaTreatNullNumberAsZero": false,
		"groupable":                    groupable,
		"highScaleNumber":              false,
		"htmlFormatted":                false,
		"idLookup":                     f.IDLookup,
		"inlineHelpText":               nil,
		"label":                        f.Label,
		"length":                       length,
		"mask":                         nil,
		"maskType":                     nil,
		"name":                         f.Name,
		"nameField":                    f.NameField,
		"namePointing":                 poly,
		"nillable":                     f.Nillable,
		"permissionable":               f.Permissionable,
		"picklistValues":               picklist,
		"polymorphicForeignKey":        poly,
		"precision":                    precision,
		"queryByDistance":              false,
		"referenceTargetField":         nil,
		"referenceTo":                  refTo,
		"relationshipName":             rel,
		"relationshipOrder":            nil,
		"restrictedDelete":             false,
		"restrictedPicklist":           f.Restricted,
		"scale":                        scale,
		"searchPrefilterable":          f.Type == TypeReference && f.Updateable && f.Nillable,
		"soapType":                     soap,
		"sortable":                     !long && f.Type != TypeMultiPicklist,
		"type":                         string(f.Type),
		"unique":                       f.Unique,
		"updateable":                   f.Updateable,
		"writeRequiresMasterRead":      false,
	}
	if f.Compound() {
		// As the recorded describes of Account.BillingAddress, Contact.MailingAddress and
		// Lead.Address give them (testdata/*.describe.json): filterable is true although a
		// filter fails ("isFilterable() … erroneously returns true for address fields",
		// salesforce-rest-more.md §7.2); only DISTANCE() may use it.
		d["aggregatable"], d["groupable"], d["sortable"] = false, false, false
		d["filterable"], d["queryByDistance"] = true, true
		d["soapType"] = "urn:" + string(f.Type) // [UNCONFIRMED for location]
		d["displayLocationInDecimal"] = f.Type == TypeLocation && f.DisplayLocationInDecimal
		if f.Type == TypeLocation {
			d["scale"] = f.Scale
		}
	}
	for k, v := range f.Extra {
		d[k] = v
	}
	return d
}

// CompoundSince is the first API version with compound address and location fields
// (salesforce-rest-more.md §7.2: "Address fields exist from API 30.0 on"); below it they
// are left out of describe and unknown to SOQL.
const CompoundSince = 30

// HasCompound reports whether API version (e.g. "59.0"; "" for the newest) has compound
// fields.
func HasCompound(version string) bool {
	return MajorVersion(version) >= CompoundSince
}

// MajorVersion is the major number of an API version such as "59.0"; "" or a version it
// cannot read counts as the newest (1<<30).
func MajorVersion(version string) int {
	major, _, _ := strings.Cut(version, ".")
	n, err := strconv.Atoi(major)
	if err != nil || n <= 0 {
		return 1 << 30
	}
	return n
}
