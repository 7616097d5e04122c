package orgfile

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// acmeYAML is the example of docs/org-file.md.
const acmeYAML = `orgs:
  - name: Acme
    myDomain: acme
    sessionTimeoutMinutes: 120
    dailyApiRequests: 15000
    profiles:
      - name: Acme Integration
        permissions: [ApiEnabled, ApiUserOnly]
        sessionTimeoutMinutes: 60
    permissionSets:
      - name: Acme API Access
        permissions: [ApiEnabled]
    users:
      - username: integration@acme.example
        firstName: Acme
        lastName: Integration
        email: team@acme.example
        profile: Acme Integration
        permissionSets: [Acme API Access]
        active: true
        timeZone: America/Los_Angeles
        locale: en_US
        language: en_US
    connectedApps:
      - name: Acme Integration
        contactEmail: team@acme.example
        callbackUrls: [https://localhost]
        scopes: [api, id]
        consumerKey: 3MVG9acmeExampleKey
        consumerSecret: AcmeSecret12345
        clientCredentials:
          enabled: true
          runAs: integration@acme.example
        permittedUsers: AdminApprovedPreAuthorized
        profiles: [Acme Integration]
        permissionSets: []
        sessionTimeoutMinutes: 30
        introspectAllTokens: false
`

// acmeJSON is acmeYAML's minimal core as JSON, indented with tabs as encoding/json does.
const acmeJSON = "{\n\t\"orgs\": [\n\t\t{\n\t\t\t\"name\": \"Acme\",\n" +
	"\t\t\t\"profiles\": [{\"name\": \"P\", \"permissions\": [\"ApiEnabled\"]}],\n" +
	"\t\t\t\"users\": [{\"username\": \"u@acme.example\", \"lastName\": \"U\", \"email\": \"u@acme.example\", \"profile\": \"P\", \"active\": false}],\n" +
	"\t\t\t\"connectedApps\": [{\"name\": \"App\", \"scopes\": [\"api\"], \"clientCredentials\": {\"enabled\": true}}]\n" +
	"\t\t}\n\t]\n}\n"

func acmeFile() *File {
	yes := true
	return &File{Name: "acme.yaml", Orgs: []Org{{
		Name: "Acme", MyDomain: "acme", SessionTimeoutMinutes: 120, DailyAPIRequests: 15000,
		Profiles:       []Profile{{Name: "Acme Integration", Permissions: []string{"ApiEnabled", "ApiUserOnly"}, SessionTimeoutMinutes: 60}},
		PermissionSets: []PermissionSet{{Name: "Acme API Access", Permissions: []string{"ApiEnabled"}}},
		Users: []User{{
			Username: "integration@acme.example", FirstName: "Acme", LastName: "Integration",
			Email: "team@acme.example", Profile: "Acme Integration", PermissionSets: []string{"Acme API Access"},
			Active: &yes, TimeZone: "America/Los_Angeles", Locale: "en_US", Language: "en_US",
		}},
		ConnectedApps: []ConnectedApp{{
			Name: "Acme Integration", ContactEmail: "team@acme.example",
			CallbackURLs: []string{"https://localhost"}, Scopes: []string{"api", "id"},
			ConsumerKey: "3MVG9acmeExampleKey", ConsumerSecret: "AcmeSecret12345",
			ClientCredentials: ClientCredentials{Enabled: true, RunAs: "integration@acme.example"},
			PermittedUsers:    "AdminApprovedPreAuthorized", Profiles: []string{"Acme Integration"},
			PermissionSets: []string{}, SessionTimeoutMinutes: 30,
		}},
	}}}
}

func TestParseGood(t *testing.T) {
	no := false
	tests := []struct {
		name, data string
		want       *File
	}{
		{"acme.yaml", acmeYAML, acmeFile()},
		{"acme.json", acmeJSON, &File{Name: "acme.json", Orgs: []Org{{
			Name:     "Acme",
			Profiles: []Profile{{Name: "P", Permissions: []string{"ApiEnabled"}}},
			Users:    []User{{Username: "u@acme.example", LastName: "U", Email: "u@acme.example", Profile: "P", Active: &no}},
			ConnectedApps: []ConnectedApp{{Name: "App", Scopes: []string{"api"},
				ClientCredentials: ClientCredentials{Enabled: true}}},
		}}}},
		{"empty-orgs.yaml", "orgs: []\n", &File{Name: "empty-orgs.yaml", Orgs: []Org{}}},
		{"null-values.yaml", "orgs:\n  - name: A\n    sessionTimeoutMinutes:\n    profiles:\n    users: ~\n", &File{Name: "null-values.yaml", Orgs: []Org{{Name: "A"}}}},
		{"anchors.yaml", "orgs:\n  - name: A\n    profiles:\n      - name: P\n        permissions: &api [ApiEnabled]\n" +
			"    permissionSets:\n      - name: S\n        permissions: *api\n",
			&File{Name: "anchors.yaml", Orgs: []Org{{Name: "A",
				Profiles:       []Profile{{Name: "P", Permissions: []string{"ApiEnabled"}}},
				PermissionSets: []PermissionSet{{Name: "S", Permissions: []string{"ApiEnabled"}}}}}}},
		{"demo.yaml", string(demoYAML), demoWant()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.name, []byte(tt.data))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.IgnoreUnexported(File{})); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
		})
	}
}

var readEdit = []string{"Read", "Edit"}

func demoWant() *File {
	return &File{Name: "demo.yaml", Orgs: []Org{{
		Name: "Demo",
		Profiles: []Profile{{Name: "Demo Integration", Permissions: []string{"ApiEnabled", "ApiUserOnly"},
			Objects: map[string][]string{"Account": crud, "Contact": crud, "Lead": crud, "Opportunity": crud, "Case": crud, "Task": crud},
			Fields: map[string][]string{"Account.*": readEdit, "Contact.*": readEdit, "Lead.*": readEdit,
				"Opportunity.*": readEdit, "Case.*": readEdit, "Task.*": readEdit}},
			{Name: "Demo System Administrator", Permissions: []string{"ApiEnabled", "ModifyAllData", "ViewAllData",
				"CustomizeApplication", "ManageUsers", "ViewSetup"}},
			{Name: "Standard User", Permissions: []string{"ApiEnabled"},
				Objects: map[string][]string{"Account": {"Read", "Create", "Edit"}, "Contact": {"Read", "Create", "Edit"}},
				Fields:  map[string][]string{"Account.*": readEdit, "Contact.*": readEdit}}},
		Users: []User{{Username: "integration@demo.forcefield.local", FirstName: "Demo", LastName: "Integration",
			Email: "integration@demo.forcefield.local", Profile: "Demo Integration"},
			{Username: "admin@demo.forcefield.local", FirstName: "Demo", LastName: "Administrator",
				Email: "admin@demo.forcefield.local", Profile: "Demo System Administrator"}},
		ConnectedApps: []ConnectedApp{{
			Name: "Demo Integration", ContactEmail: "integration@demo.forcefield.local",
			CallbackURLs: []string{"https://localhost"}, Scopes: []string{"api", "id"},
			ClientCredentials: ClientCredentials{Enabled: true, RunAs: "integration@demo.forcefield.local"},
			PermittedUsers:    "AdminApprovedPreAuthorized", Profiles: []string{"Demo Integration"},
		}},
		Records: []RecordSeed{
			{Object: "Account", Ref: "demo-account", Line: 68, Fields: map[string]any{"Name": "Demo Account", "Industry": "Technology"}},
			{Object: "Contact", Ref: "demo-contact", Line: 69, Fields: map[string]any{"FirstName": "Ada", "LastName": "Lovelace",
				"Email": "ada@demo.forcefield.local", "AccountId": "@demo-account"}},
		},
	}}}
}

// crud is the demo profile's object permissions on each standard data object.
var crud = []string{"Read", "Create", "Edit", "Delete"}

func TestDemo(t *testing.T) {
	if diff := cmp.Diff(demoWant(), Demo(), cmpopts.IgnoreUnexported(File{})); diff != "" {
		t.Errorf("Demo (-want +got):\n%s", diff)
	}
	if Demo() == Demo() {
		t.Error("Demo returned the same *File twice; callers could change each other's")
	}
	// The administrator's password is the caller's (generated at first start), on the
	// administrator only; Demo itself names none.
	want := demoWant()
	want.Orgs[0].Users[1].Password = "generated-at-first-start"
	if diff := cmp.Diff(want, DemoWithAdminPassword("generated-at-first-start"), cmpopts.IgnoreUnexported(File{})); diff != "" {
		t.Errorf("DemoWithAdminPassword (-want +got):\n%s", diff)
	}
}

// base is a valid org; error cases append lines to it (their line numbers start at 10).
const base = `orgs:
  - name: Acme
    profiles:
      - name: P
        permissions: [ApiEnabled]
    users:
      - username: u@acme.example
        lastName: U
        email: u@acme.example
        profile: P
`

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, data string
		want       []string
	}{
		{"unknown key", base + "        profle: P\n", []string{
			`t.yaml:11: orgs[0].users[0]: unknown key "profle" (known: username, firstName, lastName, email, profile, permissionSets, active, timeZone, locale, language, password, securityToken)`}},
		{"misspelled required key", "orgs:\n  - nme: Acme\n", []string{
			`t.yaml:2: orgs[0]: unknown key "nme" (known: name, myDomain, sessionTimeoutMinutes, dailyApiRequests, edition, profiles, permissionSets, users, connectedApps, externalClientApps, allowUsernamePasswordFlow, maxLoginAttempts, lockoutMinutes, objects, records, faults)`}},
		{"unknown top-level key", "org: []\n", []string{`t.yaml:1: unknown key "org" (known: orgs)`}},
		{"string where a list goes", base + "        permissionSets: S\n", []string{
			`t.yaml:11: orgs[0].users[0].permissionSets: expected a list, got the string "S"`}},
		{"list where a string goes", base + "        timeZone: [UTC]\n", []string{
			`t.yaml:11: orgs[0].users[0].timeZone: expected a string, got a list`}},
		{"not a boolean", base + "        active: maybe\n", []string{
			`t.yaml:11: orgs[0].users[0].active: expected true or false, got the string "maybe"`}},
		{"not a whole number", "orgs:\n  - name: A\n    sessionTimeoutMinutes: 15.5\n", []string{
			`t.yaml:3: orgs[0].sessionTimeoutMinutes: expected a whole number, got the number 15.5`}},
		{"orgs not a list", "orgs:\n  name: Acme\n", []string{`t.yaml:2: orgs: expected a list, got a mapping`}},
		{"root not a mapping", "- a\n", []string{`t.yaml:1: expected a mapping of keys to values, got a list`}},
		{"duplicate key", "orgs:\n  - name: A\n    name: B\n", []string{`t.yaml:3: orgs[0].name: key appears twice (first on line 2)`}},
		{"merge key", "orgs:\n  - <<: {name: A}\n", []string{`t.yaml:2: orgs[0]: merge keys (<<) are not supported`}},
		{"syntax error", "orgs:\n  - name: A\n   bad\n", []string{`t.yaml:2: did not find expected '-' indicator`}},
		{"unclosed flow list", "orgs:\n  - name: A\n    profiles: [a, b\n", []string{`t.yaml:3: did not find expected ',' or ']'`}},
		{"empty file", "# nothing\n", []string{`t.yaml: file is empty: it must declare orgs`}},
		{"two documents", "orgs: []\n---\norgs: []\n", []string{`t.yaml:2: a second YAML document starts here; an org file holds one`}},
		{"required", "orgs:\n  - myDomain: a\n    users:\n      - firstName: X\n    connectedApps:\n      - scopes: [api]\n", []string{
			`t.yaml:2: orgs[0].name: name is required`,
			`t.yaml:4: orgs[0].users[0].username: username is required`,
			`t.yaml:4: orgs[0].users[0].lastName: lastName is required`,
			`t.yaml:4: orgs[0].users[0].email: email is required`,
			`t.yaml:4: orgs[0].users[0].profile: profile is required`,
			`t.yaml:6: orgs[0].connectedApps[0].name: name is required`}},
		{"username not email-shaped", strings.Replace(base, "username: u@acme.example", "username: integration", 1), []string{
			`t.yaml:7: orgs[0].users[0].username: "integration" is not a valid username: it must look like an email address (name@example.com), at most 80 characters`}},
		{"email not email-shaped", strings.Replace(base, "email: u@acme.example", "email: u@localhost", 1), []string{
			`t.yaml:9: orgs[0].users[0].email: "u@localhost" is not a valid email address`}},
		{"duplicate names", base + "      - username: U@Acme.Example\n        lastName: V\n        email: v@acme.example\n        profile: P\n" +
			"    connectedApps:\n      - name: App\n      - name: App\n" +
			"  - name: Acme\n    profiles:\n      - name: Q\n      - name: Q\n", []string{
			`t.yaml:11: orgs[0].users[1].username: username "u@acme.example" is declared twice (first at line 7)`,
			`t.yaml:17: orgs[0].connectedApps[1].name: connected app "App" is declared twice (first at line 16)`,
			`t.yaml:18: orgs[1].name: org "Acme" is declared twice (first at line 2)`,
			`t.yaml:21: orgs[1].profiles[1].name: profile "Q" is declared twice (first at line 20)`}},
		{"dangling references", strings.Replace(base, "profile: P", "profile: Q", 1) + "        permissionSets: [S]\n" +
			"    connectedApps:\n      - name: App\n        clientCredentials: {enabled: true, runAs: nobody@acme.example}\n" +
			"        profiles: [P, Q]\n        permissionSets: [S]\n" +
			"      - name: App2\n        clientCredentials: {runAs: o@other.example}\n" +
			"  - name: Other\n    profiles: [{name: P}]\n    users: [{username: o@other.example, lastName: O, email: o@other.example, profile: P}]\n", []string{
			`t.yaml:10: orgs[0].users[0].profile: no profile "Q" in org "Acme"`,
			`t.yaml:11: orgs[0].users[0].permissionSets[0]: no permission set "S" in org "Acme"`,
			`t.yaml:14: orgs[0].connectedApps[0].clientCredentials.runAs: no user "nobody@acme.example" in org "Acme": Enter a valid execution user for the OAuth client credentials flow`,
			`t.yaml:15: orgs[0].connectedApps[0].profiles[1]: no profile "Q" in org "Acme"`,
			`t.yaml:16: orgs[0].connectedApps[0].permissionSets[0]: no permission set "S" in org "Acme"`,
			`t.yaml:18: orgs[0].connectedApps[1].clientCredentials.runAs: user "o@other.example" belongs to org "Other", not "Acme": Enter a valid execution user for the OAuth client credentials flow`}},
		{"permissions", strings.Replace(base, "[ApiEnabled]", "[ApiEnabled, ApiOnlyUser, ApiEnabled]", 1), []string{
			`t.yaml:5: orgs[0].profiles[0].permissions[1]: Unknown user permission: ApiOnlyUser`,
			`t.yaml:5: orgs[0].profiles[0].permissions[2]: permission "ApiEnabled" is declared twice (first at line 5)`}},
		{"scopes", base + "    connectedApps:\n      - name: App\n        scopes:\n          - api\n          - apis\n", []string{
			`t.yaml:15: orgs[0].connectedApps[0].scopes[1]: unknown OAuth scope "apis" (valid: api, id, full, web, refresh_token, openid, …; see docs/org-file.md)`}},
		{"consumer key and secret", base + "    connectedApps:\n      - name: App\n        consumerKey: short\n        consumerSecret: not-alpha-numeric\n" +
			"      - name: App2\n        consumerKey: short\n", []string{
			`t.yaml:13: orgs[0].connectedApps[0].consumerKey: must be 8 to 256 letters and digits (A-Z, a-z, 0-9)`,
			`t.yaml:14: orgs[0].connectedApps[0].consumerSecret: must be 8 to 256 letters and digits (A-Z, a-z, 0-9)`,
			`t.yaml:16: orgs[0].connectedApps[1].consumerKey: must be 8 to 256 letters and digits (A-Z, a-z, 0-9)`,
			`t.yaml:16: orgs[0].connectedApps[1].consumerKey: consumer key "short" is declared twice (first at line 13)`}},
		{"permitted users", base + "    connectedApps:\n      - name: App\n        permittedUsers: Everyone\n", []string{
			`t.yaml:13: orgs[0].connectedApps[0].permittedUsers: "Everyone" is not a permitted users policy: use AllSelfAuthorized or AdminApprovedPreAuthorized`}},
		{"session timeouts", "orgs:\n  - name: Acme\n    sessionTimeoutMinutes: 0\n    profiles:\n      - name: P\n        sessionTimeoutMinutes: 1441\n" +
			"      - name: Q\n        sessionTimeoutMinutes: 1440\n    connectedApps:\n      - name: App\n        sessionTimeoutMinutes: 14\n" +
			"      - name: App2\n        sessionTimeoutMinutes: 15\n", []string{
			`t.yaml:3: orgs[0].sessionTimeoutMinutes: 0 is not a session timeout: use 15 to 1440 minutes (15 minutes to 24 hours)`,
			`t.yaml:6: orgs[0].profiles[0].sessionTimeoutMinutes: 1441 is not a session timeout: use 15 to 1440 minutes (15 minutes to 24 hours)`,
			`t.yaml:11: orgs[0].connectedApps[0].sessionTimeoutMinutes: 14 is not a session timeout: use 15 to 1440 minutes (15 minutes to 24 hours)`}},
		{"user fields", base + "        timeZone: Mars/Olympus_Mons\n        locale: EN-us\n        language: english\n", []string{
			`t.yaml:11: orgs[0].users[0].timeZone: unknown time zone "Mars/Olympus_Mons" (use an IANA name such as America/Los_Angeles)`,
			`t.yaml:12: orgs[0].users[0].locale: "EN-us" is not a Salesforce locale key such as en_US`,
			`t.yaml:13: orgs[0].users[0].language: "english" is not a Salesforce language key such as en_US`}},
		{"org fields", "orgs:\n  - name: A\n    myDomain: my--domain\n    dailyApiRequests: -5\n  - name: B\n    myDomain: My--Domain\n", []string{
			`t.yaml:3: orgs[0].myDomain: "my--domain" is not a My Domain name: 1 to 40 letters, digits and single hyphens, starting with a letter`,
			`t.yaml:4: orgs[0].dailyApiRequests: must be a positive number`,
			`t.yaml:6: orgs[1].myDomain: "My--Domain" is not a My Domain name: 1 to 40 letters, digits and single hyphens, starting with a letter`,
			`t.yaml:6: orgs[1].myDomain: My Domain "my--domain" is declared twice (first at line 3)`}},
		{"app fields", base + "    connectedApps:\n      - name: App\n        contactEmail: nobody\n        callbackUrls: [localhost, 'https://x.example/#f']\n", []string{
			`t.yaml:13: orgs[0].connectedApps[0].contactEmail: "nobody" is not a valid email address`,
			`t.yaml:14: orgs[0].connectedApps[0].callbackUrls[0]: "localhost" is not a callback URL: use an absolute URL without a #fragment, such as https://localhost`,
			`t.yaml:14: orgs[0].connectedApps[0].callbackUrls[1]: "https://x.example/#f" is not a callback URL: use an absolute URL without a #fragment, such as https://localhost`}},
		{"all errors sorted by line", "orgs:\n  - name: A\n    connectedApps:\n      - name: App\n        scopes: [nope]\n" +
			"    users:\n      - username: bad\n        lastName: L\n        email: e@a.example\n        profile: none\n    zzz: 1\n", []string{
			`t.yaml:5: orgs[0].connectedApps[0].scopes[0]: unknown OAuth scope "nope" (valid: api, id, full, web, refresh_token, openid, …; see docs/org-file.md)`,
			`t.yaml:7: orgs[0].users[0].username: "bad" is not a valid username: it must look like an email address (name@example.com), at most 80 characters`,
			`t.yaml:10: orgs[0].users[0].profile: no profile "none" in org "A"`,
			`t.yaml:11: orgs[0]: unknown key "zzz" (known: name, myDomain, sessionTimeoutMinutes, dailyApiRequests, edition, profiles, permissionSets, users, connectedApps, externalClientApps, allowUsernamePasswordFlow, maxLoginAttempts, lockoutMinutes, objects, records, faults)`}},
		{"alias expansion bomb", aliasBomb(), []string{
			`t.yaml:7: orgs[2].profiles[93].permissions[115]: aliases expand to too many values (more than 100000)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("t.yaml", []byte(tt.data))
			if f != nil {
				t.Errorf("Parse returned a File along with errors")
			}
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("Parse error = %v (%T), want Errors", err, err)
			}
			got := strings.Split(err.Error(), "\n")
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse errors (-want +got):\n%s", diff)
			}
		})
	}
}

// aliasBomb is a 3 KB file whose aliases expand to 200 orgs × 200 profiles × 200
// permissions: 8 million values.
func aliasBomb() string {
	return "orgs:\n  - &o\n    name: A\n    profiles:\n      - &p\n        name: P\n" +
		"        permissions: [" + strings.Repeat("ApiEnabled, ", 199) + "ApiEnabled]\n" +
		strings.Repeat("      - *p\n", 199) + strings.Repeat("  - *o\n", 199)
}

func TestValidateBuiltInGo(t *testing.T) {
	f := acmeFile()
	f.Name = "go"
	if err := f.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	f.Orgs[0].Users[0].Profile = "Nope"
	f.Orgs[0].SessionTimeoutMinutes = 5
	want := "go: orgs[0].sessionTimeoutMinutes: 5 is not a session timeout: use 15 to 1440 minutes (15 minutes to 24 hours)\n" +
		`go: orgs[0].users[0].profile: no profile "Nope" in org "Acme"`
	if err := f.Validate(); err == nil || err.Error() != want {
		t.Errorf("Validate = %v, want\n%s", err, want)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(acmeYAML))
	f.Add([]byte(acmeJSON))
	f.Add(demoYAML)
	f.Add([]byte(base))
	f.Add([]byte(`{"orgs": [{"name": "A", "users": [{"username": "a@b.c"}], "connectedApps": [{"name": "x", "clientCredentials": {"runAs": "a@b.c"}}]}]}`))
	f.Add([]byte("orgs:\n  - &o {name: A}\n  - *o\n"))
	f.Add([]byte(objectsFile))
	f.Add([]byte("orgs:\n  - name: A\n    records: [{object: Account, fields: {Name: [1], X: .nan, D: 2025-01-01}}]\n    profiles: [{name: P, fields: {Account.*: [Read]}}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("fuzz.yaml", data)
		if (file == nil) == (err == nil) {
			t.Fatalf("Parse returned file %v and error %v", file != nil, err)
		}
		if err == nil {
			if err := file.Validate(); err != nil {
				t.Fatalf("Parse accepted a file Validate rejects: %v", err)
			}
		}
	})
}

// TestDocExamples parses every yaml and json example of docs/org-file.md.
func TestDocExamples(t *testing.T) {
	doc, err := os.ReadFile("../../docs/org-file.md")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, block := range strings.Split(string(doc), "```")[1:] {
		lang, body, _ := strings.Cut(block, "\n")
		if lang != "yaml" && lang != "json" || !strings.HasPrefix(body, "orgs:") && !strings.HasPrefix(body, "{") {
			continue
		}
		n++
		if _, err := Parse("org-file.md."+lang, []byte(body)); err != nil {
			t.Errorf("example %d:\n%s\nParse: %v", n, body, err)
		}
	}
	if n < 3 {
		t.Errorf("found %d examples in docs/org-file.md, want at least 3", n)
	}
}
