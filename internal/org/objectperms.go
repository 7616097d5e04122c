package org

// ObjectPermission is what a profile or permission set grants on one object (Salesforce's
// ObjectPermissions: PermissionsRead, …Create, …Edit, …Delete, …ViewAllRecords,
// …ModifyAllRecords). Grants from the profile and every permission set add up.
type ObjectPermission struct {
	Object    string // API name, canonical case
	Read      bool
	Create    bool
	Edit      bool
	Delete    bool
	ViewAll   bool
	ModifyAll bool
}

// FieldPermission is field-level security for one field (Salesforce's FieldPermissions:
// PermissionsRead, PermissionsEdit). Field is "Object.Field", e.g. Account.AnnualRevenue.
type FieldPermission struct {
	Field string
	Read  bool
	Edit  bool
}

// ObjectPermissionNames are the names the org file uses for ObjectPermission flags.
var ObjectPermissionNames = []string{"Read", "Create", "Edit", "Delete", "ViewAllRecords", "ModifyAllRecords"}
