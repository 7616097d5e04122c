package org

import (
	"fmt"
	"slices"
)

// User permissions that Forcefield acts on, by their Salesforce metadata names
// (the reference §8.1: ApiEnabled is PermissionsApiEnabled, ApiUserOnly is
// PermissionsApiUserOnly; "ApiOnlyUser" is not a valid name).
const (
	PermAPIEnabled  = "ApiEnabled"
	PermAPIUserOnly = "ApiUserOnly"
)

// knownPermissions are the user permission names accepted on profiles and permission sets:
// the ones Forcefield enforces plus common ones an org file copied from real metadata may
// carry. Unknown names are rejected as Salesforce's deploy does ("Unknown user permission").
var knownPermissions = []string{
	"ApiEnabled", "ApiUserOnly", "AuthorApex", "BulkApiHardDelete", "ConvertLeads",
	"CustomizeApplication", "EditReadonlyFields", "EditTask", "ExportReport",
	"LightningExperienceUser", "ManageConnectedApps", "ManageInternalUsers",
	"ManageLoginAccessPolicies", "ManageProfilesPermissionsets", "ManageUsers",
	"ModifyAllData", "ModifyMetadata", "PasswordNeverExpires", "QueryAllFiles",
	"ResetPasswords", "RunReports", "ViewAllData", "ViewAllUsers", "ViewSetup",
	"ViewEventLogFiles", "ViewRoles", "ViewLoginHistory",
}

// ValidPermission reports whether name is a user permission Forcefield knows.
func ValidPermission(name string) bool { return slices.Contains(knownPermissions, name) }

// CheckPermissions returns an error naming the first unknown permission.
func CheckPermissions(names []string) error {
	for _, n := range names {
		if !ValidPermission(n) {
			return fmt.Errorf("Unknown user permission: %s", n)
		}
	}
	return nil
}

// Principal is a user together with the permissions they hold from their profile and
// permission sets: what a session can do.
type Principal struct {
	User     User
	Profile  Profile
	PermSets []PermissionSet
}

// Has reports whether the user holds permission name from the profile or any permission set
// (both grant, KB 000003819).
func (p Principal) Has(name string) bool {
	if slices.Contains(p.Profile.Permissions, name) {
		return true
	}
	for _, ps := range p.PermSets {
		if slices.Contains(ps.Permissions, name) {
			return true
		}
	}
	return false
}

// PreAuthorized reports whether the user is pre-authorized for an admin-approved app:
// they hold one of the app's profiles or permission sets.
func PreAuthorized(app ConnectedApp, u User) bool {
	if slices.Contains(app.ProfileIDs, u.ProfileID) {
		return true
	}
	for _, id := range u.PermissionSetIDs {
		if slices.Contains(app.PermissionSetIDs, id) {
			return true
		}
	}
	return false
}
