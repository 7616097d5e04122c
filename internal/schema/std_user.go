package schema

// Setup picklists with large real value lists (salesforce-objects.md §10 "large restricted
// lists"): Forcefield lists common values only. Writes to Setup objects do not go through
// the data API, so the lists only feed describe.
var (
	timeZoneValues = []string{"America/Los_Angeles", "America/Denver", "America/Chicago", "America/New_York",
		"America/Sao_Paulo", "Europe/London", "Europe/Paris", "Europe/Berlin", "Asia/Kolkata", "Asia/Tokyo",
		"Australia/Sydney", "GMT"}
	localeValues   = []string{"en_US", "en_GB", "en_CA", "en_AU", "fr_FR", "de_DE", "es_ES", "it_IT", "ja_JP", "pt_BR"}
	languageValues = []string{"en_US", "en_GB", "fr", "de", "es", "it", "ja", "pt_BR"}
	encodingValues = []string{"UTF-8", "ISO-8859-1", "Shift_JIS", "ISO-2022-JP", "EUC-JP", "ks_c_5601-1987", "Big5", "GB2312"}
	userTypeValues = []string{"Standard", "PowerPartner", "CspLitePortal", "CustomerSuccess", "PowerCustomerSuccess", "CsnOnly", "Guest"}
)

// userObject is the Setup object User (salesforce-objects.md §10): no IsDeleted, no
// OwnerId; deactivated with IsActive rather than deleted. The ~100 UserPreferences* flags and portal/multi-currency fields are left out; the
// EmailPreferences* and UserPermissions* families are included.
func userObject() *Object {
	profile := required(ref("ProfileId", "Profile ID", "Profile", "Profile"))
	profile.ChildRelationshipName = "Users"
	manager := ref("ManagerId", "Manager ID", "Manager", "User")
	manager.ChildRelationshipName = "ManagedUsers"
	delegated := ref("DelegatedApproverId", "Delegated Approver ID", "DelegatedApprover", "Group", "User")
	delegated.ChildRelationshipName = "DelegatedUsers"
	contact := ref("ContactId", "Contact ID", "Contact", "Contact")
	contact.ChildRelationshipName, contact.RestrictedDelete = "Users", true
	account := readOnly(ref("AccountId", "Account ID", "Account", "Account"))
	account.ChildRelationshipName = "Users"
	username := required(opt("Username", "Username", TypeString, 80))
	username.IDLookup, username.Unique = true, true
	name := readOnly(required(opt("Name", "Full Name", TypeString, 121)))
	name.NameField = true

	fields := concat([]Field{
		idField("User ID"),
		username,
		required(opt("LastName", "Last Name", TypeString, 80)),
		opt("FirstName", "First Name", TypeString, 40),
		name,
		opt("CompanyName", "Company Name", TypeString, 80),
		opt("Division", "Division", TypeString, 80),
		opt("Department", "Department", TypeString, 80),
		opt("Title", "Title", TypeString, 80),
	}, address("", "Address"), []Field{
		required(opt("Email", "Email", TypeEmail, 128)),
		opt("SenderEmail", "Email Sender Address", TypeEmail, 80),
		opt("SenderName", "Email Sender Name", TypeString, 80),
		opt("Signature", "Email Signature", TypeTextArea, 1333),
		opt("Phone", "Phone", TypePhone, 40),
		opt("Fax", "Fax", TypePhone, 40),
		opt("MobilePhone", "Mobile", TypePhone, 40),
		required(opt("Alias", "Alias", TypeString, 8)),
		required(opt("CommunityNickname", "Nickname", TypeString, 40)),
		readOnly(opt("BadgeText", "User Photo badge text overlay", TypeString, 80)),
		defaulted(required(flag("IsActive", "Active"))),
		required(pick("TimeZoneSidKey", "Time Zone", 40, true, "", timeZoneValues...)),
		ref("UserRoleId", "Role ID", "UserRole", "UserRole"),
		required(pick("LocaleSidKey", "Locale", 40, true, "", localeValues...)),
		required(flag("ReceivesInfoEmails", "Info Emails")),
		required(flag("ReceivesAdminInfoEmails", "Admin Info Emails")),
		required(pick("EmailEncodingKey", "Email Encoding", 40, true, "", encodingValues...)),
		profile,
		readOnly(pick("UserType", "User Type", 40, true, "", userTypeValues...)),
		required(pick("LanguageLocaleKey", "Language", 40, true, "", languageValues...)),
		opt("EmployeeNumber", "Employee Number", TypeString, 20),
		delegated, manager,
		readOnly(opt("LastLoginDate", "Last Login", TypeDateTime, 0)),
		readOnly(opt("LastPasswordChangeDate", "Last Password Change or Reset", TypeDateTime, 0)),
	})
	fields = append(fields, auditFields()...)
	fields = append(fields,
		readOnly(integer("NumberOfFailedLogins", "Failed Login Attempts", 9)),
		required(flag("ForecastEnabled", "Allow Forecasting")),
		contact, account,
		opt("Extension", "Extension", TypePhone, 40),
		opt("FederationIdentifier", "SAML Federation ID", TypeString, 512),
		opt("AboutMe", "About Me", TypeTextArea, 1000),
		readOnly(opt("FullPhotoUrl", "Url for full-sized Photo", TypeURL, 1024)),
		readOnly(opt("SmallPhotoUrl", "Photo", TypeURL, 1024)),
		readOnly(opt("MediumPhotoUrl", "Url for medium profile photo", TypeURL, 1024)),
		required(pick("DigestFrequency", "Chatter Email Highlights Frequency", 40, true, "D", "D", "W", "N")),
		required(pick("DefaultGroupNotificationFrequency", "Default Notification Frequency when Joining Groups", 40, true, "N", "P", "D", "W", "N")),
	)
	fields = append(fields, viewedFields()...)
	for _, n := range []string{"EmailPreferencesAutoBcc", "EmailPreferencesAutoBccStayInTouch", "EmailPreferencesStayInTouchReminder",
		"UserPermissionsMarketingUser", "UserPermissionsOfflineUser", "UserPermissionsCallCenterAutoLogin",
		"UserPermissionsSFContentUser", "UserPermissionsKnowledgeUser", "UserPermissionsInteractionUser",
		"UserPermissionsSupportUser", "UserPermissionsJigsawProspectingUser", "UserPermissionsSiteforceContributorUser",
		"UserPermissionsSiteforcePublisherUser", "UserPermissionsWorkDotComUserFeature",
		"UserPreferencesActivityRemindersPopup", "UserPreferencesLightningExperiencePreferred",
		"UserPreferencesHideS1BrowserUI", "UserPreferencesShowEmailToExternalUsers", "UserPreferencesApexPagesDeveloperMode"} {
		fields = append(fields, required(flag(n, n)))
	}
	return setupObject(&Object{
		Name: "User", Label: "User", LabelPlural: "Users", KeyPrefix: "005",
		Searchable: true, Layoutable: true, FeedEnabled: true, Triggerable: true, MruEnabled: true,
		Fields: fields,
	})
}

// geocodeValues are the values of every *GeocodeAccuracy picklist (salesforce-objects.md §4).
var geocodeValues = []string{"Address", "NearAddress", "Block", "Street", "ExtendedZip", "Zip", "Neighborhood", "City", "County", "State", "Unknown"}
