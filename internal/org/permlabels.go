package org

import "slices"

// Labels of the user permissions Forcefield knows (knownPermissions), as Salesforce's
// profile and permission set pages show them, grouped as those pages group them
// ("Administrative Permissions", "General User Permissions"). Every surface that names a
// permission to a person (the console's checkboxes, its detail pages) uses these, so a
// person following a Salesforce guide finds "API Enabled", not "ApiEnabled".
//
// Sources: the setup reference §7 and the OAuth reference §8.1 (API Enabled, API Only
// User); Salesforce Help "User Permissions" (platform.admin_userperms.htm) for the others.
// "View Login History" is [UNCONFIRMED]: Salesforce's closest label is "Monitor Login
// History"; the metadata name ViewLoginHistory is what org files carry.

// Permission sections of a profile or permission set page.
const (
	PermSectionAdministrative = "Administrative Permissions"
	PermSectionGeneral        = "General User Permissions"
)

// PermissionInfo is one user permission as a person sees it.
type PermissionInfo struct {
	Name    string // metadata name, e.g. ApiEnabled
	Label   string // Salesforce's label, e.g. API Enabled
	Section string // PermSectionAdministrative or PermSectionGeneral
}

var permissionInfo = map[string]PermissionInfo{}

func init() {
	admin, general := PermSectionAdministrative, PermSectionGeneral
	for _, p := range []PermissionInfo{
		{"ApiEnabled", "API Enabled", admin},
		{"ApiUserOnly", "API Only User", admin},
		{"AuthorApex", "Author Apex", admin},
		{"BulkApiHardDelete", "Bulk API Hard Delete", admin},
		{"ConvertLeads", "Convert Leads", general},
		{"CustomizeApplication", "Customize Application", admin},
		{"EditReadonlyFields", "Edit Read Only Fields", general},
		{"EditTask", "Edit Tasks", general},
		{"ExportReport", "Export Reports", general},
		{"LightningExperienceUser", "Lightning Experience User", general},
		{"ManageConnectedApps", "Manage Connected Apps", admin},
		{"ManageInternalUsers", "Manage Internal Users", admin},
		{"ManageLoginAccessPolicies", "Manage Login Access Policies", admin},
		{"ManageProfilesPermissionsets", "Manage Profiles and Permission Sets", admin},
		{"ManageUsers", "Manage Users", admin},
		{"ModifyAllData", "Modify All Data", admin},
		{"ModifyMetadata", "Modify Metadata Through Metadata API Functions", admin},
		{"PasswordNeverExpires", "Password Never Expires", admin},
		{"QueryAllFiles", "Query All Files", admin},
		{"ResetPasswords", "Reset User Passwords and Unlock Users", admin},
		{"RunReports", "Run Reports", general},
		{"ViewAllData", "View All Data", admin},
		{"ViewAllUsers", "View All Users", admin},
		{"ViewSetup", "View Setup and Configuration", admin},
		{"ViewEventLogFiles", "View Event Log Files", admin},
		{"ViewRoles", "View Roles and Role Hierarchy", admin},
		{"ViewLoginHistory", "View Login History", admin},
	} {
		permissionInfo[p.Name] = p
	}
	for _, n := range knownPermissions {
		if _, ok := permissionInfo[n]; !ok {
			panic("org: permission " + n + " has no label")
		}
	}
}

// PermissionLabel returns Salesforce's label of a user permission; an unknown name is
// returned as it is.
func PermissionLabel(name string) string {
	if p, ok := permissionInfo[name]; ok {
		return p.Label
	}
	return name
}

// Permissions returns every user permission Forcefield knows, Administrative Permissions
// first, each section in label order (as Salesforce lists them).
func Permissions() []PermissionInfo {
	out := make([]PermissionInfo, 0, len(knownPermissions))
	for _, n := range knownPermissions {
		out = append(out, permissionInfo[n])
	}
	slices.SortFunc(out, func(a, b PermissionInfo) int {
		if a.Section != b.Section {
			if a.Section == PermSectionAdministrative {
				return -1
			}
			return 1
		}
		if a.Label < b.Label {
			return -1
		}
		if a.Label > b.Label {
			return 1
		}
		return 0
	})
	return out
}
