package schema

// loginTypeValues are the LoginHistory.LoginType values as queries return them
// (salesforce-objects.md §14 "Value returned").
var loginTypeValues = []string{
	"Application", "Remote Access 2.0", "Remote Access Client", "Other Apex API", "Partner Product",
	"SAML Idp Initiated SSO", "SAML Sfdc Initiated SSO", "Certificate-based login", "Lightning Login",
	"Passwordless Login", "Employee Login to Community", "Chatter Communities External User",
	"Chatter Communities External User Third Party SSO", "SAML Chatter Communities External User SSO",
	"Third Party SSO",
}

// loginSubTypeValues are the LoginHistory.LoginSubType values (salesforce-objects.md §14).
var loginSubTypeValues = []string{
	"OauthClientCredentials", "OauthHybridRefreshToken", "OauthHybridTokenExchange", "OauthHybridUserAgent",
	"OauthHybridWebServer", "OauthOtpLogin", "OauthRefreshToken", "OauthTokenExchange", "OauthUserAgent",
	"OauthUserAgentIdToken", "OauthUsernamePassword", "OauthWebServer", "SoapApiLogin", "SoapApiLoginMobile",
	"SoapApiLoginNetworksPortal", "SoapApiLoginPortal", "SoapApiLoginSelfService", "UiPasswordReset",
	"UsernamePasswordUiLogin", "InternalSalesforceAuthentication",
}

// loginHistoryObject is the Setup object LoginHistory (salesforce-objects.md §14): only Id
// plus the log fields, no audit fields, IsDeleted or owner. NetworkId (Experience Cloud
// only) and AuthContextClassRef (v67+) are left out.
func loginHistoryObject() *Object {
	user := ref("UserId", "User ID", "User", "User")
	loginTime := required(opt("LoginTime", "Login Time", TypeDateTime, 0))
	return setupObject(&Object{
		Name: "LoginHistory", Label: "Login History", LabelPlural: "Login History", KeyPrefix: "0Ya",
		Fields: []Field{
			idField("Login History ID"),
			user,
			loginTime,
			required(pick("LoginType", "Login Type", 40, true, "", loginTypeValues...)),
			unfilterable(opt("SourceIp", "Source IP", TypeString, 39)),
			opt("LoginUrl", "Login URL", TypeString, 255),
			ref("AuthenticationServiceId", "Authentication Service ID", "AuthenticationService", "AuthProvider", "SamlSsoConfig"),
			ref("LoginGeoId", "Login Geo Data ID", "LoginGeo", "LoginGeo"),
			pick("TlsProtocol", "TLS Protocol", 40, true, "", "TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3", "Unknown"),
			pick("CipherSuite", "TLS Cipher Suite", 40, true, "", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES128-GCM-SHA256", "AES128-GCM-SHA256", "AES256-GCM-SHA384", "Unknown"),
			required(flag("OptionsIsGet", "Http Method is GET")),
			required(flag("OptionsIsPost", "Http Method is POST")),
			unfilterable(opt("Browser", "Browser", TypeString, 64)),
			opt("Platform", "Platform", TypeString, 64),
			unfilterable(opt("Status", "Status", TypeString, 128)),
			unfilterable(opt("Application", "Application", TypeString, 64)),
			opt("ClientVersion", "Client Version", TypeString, 64),
			opt("ApiType", "API Type", TypeString, 64),
			opt("ApiVersion", "API Version", TypeString, 32),
			opt("CountryIso", "Country Code", TypeString, 3),
			opt("AuthMethodReference", "Authentication Method Reference", TypeString, 128),
			pick("LoginSubType", "Login Subtype", 40, true, "", loginSubTypeValues...),
			opt("ForwardedForIp", "X-Forwarded-For IP Address", TypeString, 255),
		},
	})
}

// unfilterable marks a LoginHistory field that WHERE may not use (salesforce-objects.md §14
// "Filterable fields").
func unfilterable(f Field) Field {
	f.Extra = map[string]any{"filterable": false}
	return f
}
