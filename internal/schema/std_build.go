package schema

// Builders for the hand-written standard objects (Task and the Setup objects), which have
// no recorded describe: flags follow the salesforce-objects.md tables (Nil, C/U, D columns)
// and the §2 property patterns.

// opt is an optional field clients may set: nillable, createable, updateable and subject to
// field-level security.
func opt(name, label string, t FieldType, length int) Field {
	return Field{Name: name, Label: label, Type: t, Length: length, Nillable: true, Createable: true, Updateable: true, Permissionable: true}
}

// flag is a boolean field: never null, defaulted to false on create (§2 "boolean").
func flag(name, label string) Field {
	return Field{Name: name, Label: label, Type: TypeBoolean, Createable: true, Updateable: true, DefaultedOnCreate: true, Permissionable: true}
}

// number is an optional double, currency or percent field.
func number(name, label string, t FieldType, precision, scale int) Field {
	f := opt(name, label, t, 0)
	f.Precision, f.Scale = precision, scale
	return f
}

// integer is an optional int field of the given digits.
func integer(name, label string, digits int) Field {
	f := opt(name, label, TypeInt, 0)
	f.Digits = digits
	return f
}

// ref is an optional reference field to targets, parent relationship rel.
func ref(name, label, rel string, targets ...string) Field {
	f := opt(name, label, TypeReference, 0)
	f.ReferenceTo, f.RelationshipName = targets, rel
	return f
}

// pick is an optional picklist; def ("" for none) is its default value.
func pick(name, label string, length int, restricted bool, def string, values ...string) Field {
	f := opt(name, label, TypePicklist, length)
	f.Restricted = restricted
	for _, v := range values {
		f.Picklist = append(f.Picklist, PicklistValue{Value: v, Label: v, Active: true, DefaultValue: v == def})
	}
	if def != "" {
		f.DefaultValue, f.DefaultedOnCreate = def, true
	}
	return f
}

// required makes f non-nillable and outside field-level security.
func required(f Field) Field {
	f.Nillable, f.Permissionable = false, false
	return f
}

// readOnly makes f neither createable nor updateable.
func readOnly(f Field) Field {
	f.Createable, f.Updateable = false, false
	return f
}

// defaulted marks f defaultedOnCreate.
func defaulted(f Field) Field {
	f.DefaultedOnCreate = true
	return f
}

// idField is the Id field (salesforce-objects.md §2 "id", §3).
func idField(label string) Field {
	return Field{Name: "Id", Label: label, Type: TypeID, DefaultedOnCreate: true, IDLookup: true, System: true}
}

// isDeletedField is IsDeleted (§3).
func isDeletedField() Field {
	return Field{Name: "IsDeleted", Label: "Deleted", Type: TypeBoolean, DefaultedOnCreate: true, System: true}
}

// auditFields are CreatedDate … SystemModstamp (§3), as the recorded describes have them.
func auditFields() []Field {
	return []Field{
		{Name: "CreatedDate", Label: "Created Date", Type: TypeDateTime, DefaultedOnCreate: true, System: true},
		{Name: "CreatedById", Label: "Created By ID", Type: TypeReference, DefaultedOnCreate: true, System: true, ReferenceTo: []string{"User"}, RelationshipName: "CreatedBy"},
		{Name: "LastModifiedDate", Label: "Last Modified Date", Type: TypeDateTime, DefaultedOnCreate: true, System: true},
		{Name: "LastModifiedById", Label: "Last Modified By ID", Type: TypeReference, DefaultedOnCreate: true, System: true, ReferenceTo: []string{"User"}, RelationshipName: "LastModifiedBy"},
		{Name: "SystemModstamp", Label: "System Modstamp", Type: TypeDateTime, DefaultedOnCreate: true, System: true},
	}
}

// viewedFields are LastViewedDate and LastReferencedDate (§3).
func viewedFields() []Field {
	return []Field{
		{Name: "LastViewedDate", Label: "Last Viewed Date", Type: TypeDateTime, Nillable: true},
		{Name: "LastReferencedDate", Label: "Last Referenced Date", Type: TypeDateTime, Nillable: true},
	}
}

// ownerField is OwnerId → targets, relationship Owner (§3).
func ownerField(targets ...string) Field {
	return Field{Name: "OwnerId", Label: "Owner ID", Type: TypeReference, Createable: true, Updateable: true, DefaultedOnCreate: true, ReferenceTo: targets, RelationshipName: "Owner"}
}

// setupObject makes o a read-only Setup object: through the data API its rows cannot be
// created, updated or deleted, and none of its fields is writable. Field-level security
// does not apply to Setup objects in Forcefield (Permissionable false): their visibility
// is governed by the object permission and the Setup permissions (View Setup, Manage
// Users, …) that the access package checks.
func setupObject(o *Object) *Object {
	o.Setup = true
	o.Createable, o.Updateable, o.Deletable, o.Undeletable, o.Mergeable = false, false, false, false, false
	o.Queryable, o.Retrieveable, o.Replicateable = true, true, true
	o.Sharing = SharingRead
	for i := range o.Fields {
		o.Fields[i].Createable, o.Fields[i].Updateable, o.Fields[i].Permissionable = false, false, false
	}
	return o
}

func concat(parts ...[]Field) []Field {
	var out []Field
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// address returns a compound address field's parts as the real describes give them:
// prefix+Street (plain text area), City, State, PostalCode, Country, Latitude, Longitude
// and GeocodeAccuracy, labelled "<prefix> Street" and so on, then (compound not "") the
// compound field itself, as the recordings place it right after its parts. prefix is
// Billing, Shipping, Mailing, Other, or "" (Lead's, User's and Organization's Address);
// compound names the compound field (BillingAddress, Address) the parts carry as
// compoundFieldName, "" for none.
func address(prefix, compound string) []Field {
	label := prefix
	if label != "" {
		label += " "
	}
	street := opt(prefix+"Street", label+"Street", TypeTextArea, 255)
	fields := []Field{
		street,
		opt(prefix+"City", label+"City", TypeString, 40),
		opt(prefix+"State", label+"State/Province", TypeString, 80),
		opt(prefix+"PostalCode", label+"Zip/Postal Code", TypeString, 20),
		opt(prefix+"Country", label+"Country", TypeString, 80),
		number(prefix+"Latitude", label+"Latitude", TypeDouble, 18, 15),
		number(prefix+"Longitude", label+"Longitude", TypeDouble, 18, 15),
		pick(prefix+"GeocodeAccuracy", label+"Geocode Accuracy", 40, true, "", geocodeValues...),
	}
	if compound == "" {
		return fields
	}
	for i := range fields {
		fields[i].Extra = map[string]any{"compoundFieldName": compound}
		fields[i].CompoundKey = lowerFirst(fields[i].Name[len(prefix):])
	}
	fields[0].Extra["extraTypeInfo"] = "plaintextarea"
	return append(fields, Field{Name: compound, Label: label + "Address", Type: TypeAddress, Nillable: true, Permissionable: true})
}
