package org

import (
	"time"

	"github.com/forcefield/forcefield/internal/sfid"
)

// SetupAuditEvent is one row of the setup audit trail: who changed what in Setup, and
// when. It is named after Salesforce's SetupAuditTrail object (fields Action, Section,
// CreatedDate, CreatedById, Display, DelegateUser). Forcefield has no admin users, so the
// actor is a description ("admin token", "org file acme.yaml at start") rather than a
// user ID. A row never carries a secret or a hash of one.
type SetupAuditEvent struct {
	ID           sfid.ID
	OrgID        sfid.ID   // the org the change belongs to; empty for server-wide changes
	CreatedDate  time.Time // when; zero on insert means "now"
	CreatedBy    string    // the actor (Salesforce: CreatedById)
	Action       string    // a stable code, e.g. AuditStagedCredentials
	Section      string    // the Setup area, e.g. AuditSectionConnectedApps
	ObjectID     sfid.ID   // the record changed, when there is one
	Display      string    // the human-readable line Salesforce shows in "View Setup Audit Trail"
	DelegateUser string    // Salesforce: the user a "login as" acted for; unused so far
}

// Sections of the setup audit trail (Salesforce's Setup menu names).
const (
	AuditSectionCompany        = "Company Profile"
	AuditSectionProfiles       = "Manage Users"
	AuditSectionUsers          = "Manage Users"
	AuditSectionConnectedApps  = "Connected Apps"
	AuditSectionPermissionSets = "Permission Sets"
)

// Actions of the setup audit trail. Salesforce's Action values are undocumented lower-case
// codes; these are Forcefield's own, stable for filtering.
const (
	AuditCreated                = "created"
	AuditUpdated                = "updated"
	AuditDeactivatedUser        = "deactivatedUser"
	AuditChangedUserCredentials = "changedUserCredentials" // password etc.; ends sessions
	AuditStagedCredentials      = "stagedConsumerCredentials"
	AuditRotatedCredentials     = "rotatedConsumerCredentials"
	AuditDeletedCredentials     = "deletedConsumerCredentials"
	AuditExpiredCredentials     = "expiredConsumerCredentials"
	AuditRotatedSecret          = "rotatedConsumerSecret"
	AuditRevokedSessions        = "revokedUserSessions"
	AuditAddedCertificate       = "addedCertificate"
	AuditRemovedCertificate     = "removedCertificate"
)

// Actions of the console's Users pages (issue 11): Setup → Users → Freeze, Unfreeze,
// Unlock, and a user's Permission Set Assignments.
const (
	AuditFrozeUser               = "frozeUser"
	AuditUnfrozeUser             = "unfrozeUser"
	AuditUnlockedUser            = "unlockedUser"
	AuditAssignedPermissionSet   = "assignedPermissionSet"
	AuditUnassignedPermissionSet = "unassignedPermissionSet"
)

// Actions of a connected app's Manage page: Edit Policies, Manage Profiles and Manage
// Permission Sets (setup.Service.UpdatePolicies, SetAppProfiles, SetAppPermissionSets).
const (
	AuditChangedAppPolicies       = "changedConnectedAppPolicies"
	AuditChangedAppProfiles       = "changedConnectedAppProfiles"
	AuditChangedAppPermissionSets = "changedConnectedAppPermissionSets"
)

// AuditSectionCustomObjects is the audit trail section of custom objects and of custom
// fields on standard objects (Setup → Object Manager).
const AuditSectionCustomObjects = "Custom Objects"

// Actions of the console's Profiles and Permission Sets pages (issue 11); assignments
// share the Users pages' AuditAssignedPermissionSet and AuditUnassignedPermissionSet.
const (
	AuditDeletedProfile       = "deletedProfile"
	AuditDeletedPermissionSet = "deletedPermSet"
)

// Actions of the monitoring pages (Session Management, Connected Apps OAuth Usage): the
// console's session removals, OAuth token revocations and app blocks (issue 11).
const (
	AuditRevokedSession     = "revokedSession"
	AuditRevokedOAuthTokens = "revokedOAuthTokens"
	AuditRevokedApprovals   = "revokedApprovals"
	AuditMintedRefreshToken = "mintedRefreshToken"
	AuditBlockedApp         = "blockedConnectedApp"
	AuditUnblockedApp       = "unblockedConnectedApp"
)

// Actions of the App Manager's app settings (the console, issue 11).
const (
	AuditDeletedApp = "deletedConnectedApp" // the app, its credentials, sessions and refresh tokens
)

// Actions of an org's clock (time travel, issue 14 §2: setup.Service.SetClockOffset).
const (
	AuditChangedOrgClock = "changedOrgClock"
)
