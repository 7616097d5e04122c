package schema

// ObjectSpec is a custom object as an org file defines it (docs/org-file.md "objects"):
// what is persisted for the org; CustomObject builds the Object, adding the standard
// fields every custom object has (Id, OwnerId, Name, IsDeleted, CreatedDate, CreatedById,
// LastModifiedDate, LastModifiedById, SystemModstamp). The yaml keys (package orgfile) are
// the json ones but for keyPrefix, which the org file's Apply assigns.
type ObjectSpec struct {
	Name        string       `json:"name" yaml:"name"` // ends in __c
	Label       string       `json:"label,omitempty" yaml:"label"`
	LabelPlural string       `json:"labelPlural,omitempty" yaml:"labelPlural"`
	Sharing     SharingModel `json:"sharingModel,omitempty" yaml:"sharingModel"` // default ReadWrite
	KeyPrefix   string       `json:"keyPrefix,omitempty" yaml:"-"`               // assigned (a00, a01, …) when empty
	// NameField describes the Name field: a text name (default) or an auto number.
	NameFieldLabel string      `json:"nameFieldLabel,omitempty" yaml:"nameFieldLabel"`
	NameAutoNumber bool        `json:"nameAutoNumber,omitempty" yaml:"nameAutoNumber"`
	Fields         []FieldSpec `json:"fields,omitempty" yaml:"fields"`
}

// FieldSpec is a custom field of an ObjectSpec (or a custom field added to a standard
// object).
type FieldSpec struct {
	Name             string    `json:"name" yaml:"name"` // ends in __c
	Label            string    `json:"label,omitempty" yaml:"label"`
	Type             FieldType `json:"type" yaml:"type"`
	Length           int       `json:"length,omitempty" yaml:"length"`
	Precision        int       `json:"precision,omitempty" yaml:"precision"`
	Scale            int       `json:"scale,omitempty" yaml:"scale"`
	Required         bool      `json:"required,omitempty" yaml:"required"`
	Unique           bool      `json:"unique,omitempty" yaml:"unique"`
	ExternalID       bool      `json:"externalId,omitempty" yaml:"externalId"`
	ReferenceTo      string    `json:"referenceTo,omitempty" yaml:"referenceTo"`
	RelationshipName string    `json:"relationshipName,omitempty" yaml:"relationshipName"` // the child relationship name, e.g. Invoices
	Values           []string  `json:"values,omitempty" yaml:"values"`                     // picklist values
	Restricted       bool      `json:"restricted,omitempty" yaml:"restricted"`
	Default          any       `json:"default,omitempty" yaml:"default"`
}
