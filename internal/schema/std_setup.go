package schema

// permissionFieldNames are the Permissions* boolean fields of Profile and PermissionSet:
// the user permissions internal/org knows (org.knownPermissions), one field each
// (salesforce-objects.md §11, §12 "Common permission fields").
var permissionFieldNames = []string{
	"ApiEnabled", "ApiUserOnly", "AuthorApex", "BulkApiHardDelete", "ConvertLeads",
	"CustomizeApplication", "EditReadonlyFields", "EditTask", "ExportReport",
	"LightningExperienceUser", "ManageConnectedApps", "ManageInternalUsers",
	"ManageLoginAccessPolicies", "ManageProfilesPermissionsets", "ManageUsers",
	"ModifyAllData", "ModifyMetadata", "PasswordNeverExpires", "QueryAllFiles",
	"ResetPasswords", "RunReports", "ViewAllData", "ViewAllUsers", "ViewSetup",
	"ViewEventLogFiles", "ViewRoles", "ViewLoginHistory",
}

func permissionFields() []Field {
	out := make([]Field, 0, len(permissionFieldNames))
	for _, n := range permissionFieldNames {
		out = append(out, required(flag("Permissions"+n, n)))
	}
	return out
}

// profileObject is the Setup object Profile (salesforce-objects.md §11). Name and
// Description lengths are not published; 255 is assumed.
func profileObject() *Object {
	name := required(opt("Name", "Name", TypeString, 255))
	name.NameField, name.IDLookup = true, true
	license := required(ref("UserLicenseId", "User License ID", "UserLicense", "UserLicense"))
	fields := concat([]Field{
		idField("Profile ID"), name,
		license,
		readOnly(pick("UserType", "User Type", 40, true, "", userTypeValues...)),
		opt("Description", "Description", TypeString, 255),
		required(flag("IsSsoEnabled", "IsSsoEnabled")),
	}, permissionFields(), auditFields(), viewedFields())
	return setupObject(&Object{
		Name: "Profile", Label: "Profile", LabelPlural: "Profile", KeyPrefix: "00e",
		Searchable: true, Fields: fields,
	})
}

// permissionSetObject is the Setup object PermissionSet (salesforce-objects.md §12).
func permissionSetObject() *Object {
	name := required(opt("Name", "Name", TypeString, 80))
	name.NameField, name.IDLookup, name.Unique = true, true, true
	profile := readOnly(ref("ProfileId", "Profile ID", "Profile", "Profile"))
	fields := concat([]Field{
		idField("Permission Set ID"), name,
		required(opt("Label", "Label", TypeString, 80)),
		ref("LicenseId", "License ID", "License", "PermissionSetLicense", "UserLicense"),
		profile,
		readOnly(required(defaulted(flag("IsOwnedByProfile", "Is Owned By Profile")))),
		readOnly(required(defaulted(flag("IsCustom", "Custom")))),
		opt("Description", "Description", TypeString, 255),
		readOnly(opt("NamespacePrefix", "Namespace Prefix", TypeString, 15)),
		required(flag("HasActivationRequired", "Session Activation Required")),
		readOnly(pick("Type", "Type", 40, true, "", "Regular", "Session", "Standard", "Group", "Profile")),
	}, permissionFields(), auditFields())
	return setupObject(&Object{
		Name: "PermissionSet", Label: "Permission Set", LabelPlural: "Permission Sets", KeyPrefix: "0PS",
		Searchable: true, Fields: fields,
	})
}

// organizationObject is the Setup object Organization (salesforce-objects.md §13): one
// row per org, whose Id is the org ID. In Salesforce a few fields are updateable; through
// Forcefield's data API none is.
func organizationObject() *Object {
	name := required(opt("Name", "Name", TypeString, 80))
	name.NameField, name.IDLookup = true, true
	access := func(n, label string, values ...string) Field { return pick(n, label, 40, false, "", values...) }
	ns := opt("NamespacePrefix", "Namespace Prefix", TypeString, 15)
	ns.IDLookup = true
	fields := concat([]Field{
		idField("Organization ID"), name,
		opt("Division", "Division", TypeString, 80),
	}, address("", "Address"), []Field{
		opt("Phone", "Phone", TypePhone, 40),
		opt("Fax", "Fax", TypePhone, 40),
		opt("PrimaryContact", "Primary Contact", TypeString, 80),
		required(pick("DefaultLocaleSidKey", "Locale", 40, true, "", localeValues...)),
		required(pick("TimeZoneSidKey", "Time Zone", 40, true, "", timeZoneValues...)),
		required(pick("LanguageLocaleKey", "Language", 40, true, "", languageValues...)),
		required(flag("ReceivesInfoEmails", "Info Emails")),
		required(flag("ReceivesAdminInfoEmails", "Info Emails Admin")),
		required(flag("PreferencesRequireOpportunityProducts", "Require Opportunity Products")),
		required(flag("PreferencesTransactionSecurityPolicy", "Transaction Security Policy")),
		required(flag("PreferencesTerminateOldestSession", "Terminate Oldest Session")),
		required(flag("PreferencesConsentManagementEnabled", "Consent Management Enabled")),
		required(flag("PreferencesAutoSelectIndividualOnMerge", "Auto Select Individual On Merge")),
		required(flag("PreferencesLightningLoginEnabled", "Lightning Login Enabled")),
		required(flag("PreferencesOnlyLLPermUserAllowed", "Only LL Perm User Allowed")),
		integer("FiscalYearStartMonth", "Fiscal Year Starts In", 9),
		required(flag("UsesStartDateAsFiscalYearName", "Fiscal Year Name by Start")),
		access("DefaultAccountAccess", "Default Account Access", "None", "Read", "Edit", "ControlledByLeadOrContact", "ControlledByCampaign"),
		access("DefaultContactAccess", "Default Contact Access", "None", "Read", "Edit", "ControlledByParent"),
		access("DefaultOpportunityAccess", "Default Opportunity Access", "None", "Read", "Edit", "ControlledByLeadOrContact", "ControlledByCampaign"),
		access("DefaultLeadAccess", "Default Lead Access", "None", "Read", "Edit", "ReadEditTransfer"),
		access("DefaultCaseAccess", "Default Case Access", "None", "Read", "Edit", "ReadEditTransfer"),
		access("DefaultCalendarAccess", "Default Calendar Access", "HideDetails", "HideDetailsInsert", "ShowDetails", "ShowDetailsInsert", "AllowEdits"),
		access("DefaultPricebookAccess", "Default Price Book Access", "None", "Read", "ReadSelect"),
		access("DefaultCampaignAccess", "Default Campaign Access", "None", "Read", "Edit", "All"),
	}, auditFields(), []Field{
		opt("ComplianceBccEmail", "Compliance BCC Email", TypeEmail, 80),
		pick("UiSkin", "UI Skin", 40, false, "", "Theme1", "Theme2", "Theme3", "Aloha"),
		opt("SignupCountryIsoCode", "Signup Country", TypeString, 2),
		opt("TrialExpirationDate", "Trial Expiration Date", TypeDateTime, 0),
		integer("NumKnowledgeService", "Knowledge Licenses", 9),
		pick("OrganizationType", "Edition", 40, true, "", "Team Edition", "Professional Edition", "Enterprise Edition",
			"Developer Edition", "Personal Edition", "Unlimited Edition", "Base Edition"),
		ns,
		opt("InstanceName", "Instance Name", TypeString, 40),
		defaulted(required(flag("IsSandbox", "Is Sandbox"))),
		opt("WebToCaseDefaultOrigin", "Web to Cases Default Origin", TypeString, 40),
		integer("MonthlyPageViewsUsed", "Monthly Page Views Used", 9),
		integer("MonthlyPageViewsEntitlement", "Monthly Page Views Allowed", 9),
		required(flag("IsReadOnly", "Is Read Only")),
		opt("DelegatedAuthenticationServiceUrl", "Delegated Authentication Service URL", TypeURL, 255),
	})
	return setupObject(&Object{
		Name: "Organization", Label: "Organization", LabelPlural: "Organizations", KeyPrefix: "00D",
		Fields: fields,
	})
}
