package schema

// ObjectSpec is a custom object as an org file defines it (docs/org-file.md "objects"):
// what is persisted for the org; CustomObject builds the Object, adding the standard
// fields every custom object has (Id, OwnerId, Name, IsDeleted, CreatedDate, CreatedById,
// LastModifiedDate, LastModifiedById, SystemModstamp).
type ObjectSpec struct {
	Name        string       `json:"name"` // ends in __c
	Label       string       `json:"label,omitempty"`
	LabelPlural string       `json:"labelPlural,omitempty"`
	Sharing     SharingModel `json:"sharingModel,omitempty"` // default ReadWrite
	KeyPrefix   string       `json:"keyPrefix,omitempty"`    // assigned (a00, a01, …) when empty
	// NameField describes the Name field: a text name (default) or an auto number.
	NameFieldLabel string      `json:"nameFieldLabel,omitempty"`
	NameAutoNumber bool        `json:"nameAutoNumber,omitempty"`
	Fields         []FieldSpec `json:"fields,omitempty"`
}

// FieldSpec is a custom field of an ObjectSpec (or a custom field added to a standard
// object).
type FieldSpec struct {
	Name             string    `json:"name"` // ends in __c
	Label            string    `json:"label,omitempty"`
	Type             FieldType `json:"type"`
	Length           int       `json:"length,omitempty"`
	Precision        int       `json:"precision,omitempty"`
	Scale            int       `json:"scale,omitempty"`
	Required         bool      `json:"required,omitempty"`
	Unique           bool      `json:"unique,omitempty"`
	ExternalID       bool      `json:"externalId,omitempty"`
	ReferenceTo      string    `json:"referenceTo,omitempty"`
	RelationshipName string    `json:"relationshipName,omitempty"` // the child relationship name, e.g. Invoices
	Values           []string  `json:"values,omitempty"`           // picklist values
	Restricted       bool      `json:"restricted,omitempty"`
	Default          any       `json:"default,omitempty"`
}
