package orgfile

import (
	"context"
	"strings"
	"testing"

	"github.com/forcefield/forcefield/internal/org"
)

const ecaYAML = `
orgs:
  - name: Acme
    profiles:
      - {name: Integration, permissions: [ApiEnabled, ApiUserOnly]}
      - {name: Standard, permissions: [ApiEnabled]}
    users:
      - {username: bot@acme.test, lastName: Bot, email: bot@acme.test, profile: Integration}
      - {username: sam@acme.test, lastName: Sam, email: sam@acme.test, profile: Standard}
    connectedApps:
      - {name: Classic, contactEmail: ops@acme.test, scopes: [api], description: the old one}
    externalClientApps:
      - name: Partner Feed
        contactEmail: ops@acme.test
        description: Nightly partner feed
        distributionState: Local
        settings:
          callbackUrls: [https://localhost]
          scopes: [api, refresh_token]
          consumerKey: PartnerKey0001
          consumerSecret: PartnerSecret0001
          isClientCredentialsFlowEnabled: true
          pkceRequired: true
        policies:
          permittedUsersPolicyType: AdminApprovedPreAuthorized
          profiles: [Integration]
          ipRelaxationPolicyType: Bypass
          sessionTimeoutInMinutes: 30
          clientCredentialsFlowUser: bot@acme.test
      - name: Admin Off
        apiName: AdminOff
        contactEmail: ops@acme.test
        settings: {scopes: [api], isClientCredentialsFlowEnabled: true}
        policies: {isClientCredentialsFlowEnabled: false}
`

// An External Client App of the file is stored as an app of kind ExternalClientApp with
// its settings and policies, and applying the file again changes nothing.
func TestApplyExternalClientApps(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	f := mustParse(t, "acme.yaml", ecaYAML)
	if _, err := Apply(ctx, st, f); err != nil {
		t.Fatal(err)
	}
	s := dump(t, st)
	byName := map[string]org.ConnectedApp{}
	for _, a := range s.Apps {
		byName[a.Name] = a
	}
	var bot org.User
	for _, u := range s.Users {
		if u.Username == "bot@acme.test" {
			bot = u
		}
	}
	p := byName["Partner Feed"]
	if p.Kind != org.AppKindExternalClient || p.Description != "Nightly partner feed" || !p.ClientCredentialsEnabled ||
		p.RunAsUserID != bot.ID || p.IPRelaxation != org.IPRelaxBypass || p.SessionTimeoutMinutes != 30 || !p.PKCERequired ||
		!p.AdminApproved() || len(p.ProfileIDs) != 1 || strings.Join(p.Scopes, " ") != "api refresh_token" {
		t.Errorf("Partner Feed stored as %+v", p)
	}
	if off := byName["Admin Off"]; off.Kind != org.AppKindExternalClient || off.ClientCredentialsEnabled || off.APIName() != "AdminOff" {
		t.Errorf("an ECA whose policies turn the flow off: %+v", off)
	}
	if c := byName["Classic"]; c.Kind != org.AppKindConnected || c.Description != "the old one" || c.DeveloperName != "" || c.APIName() != "Classic" {
		t.Errorf("the connected app: %+v", c)
	}
	key := false
	for _, c := range s.Credentials {
		key = key || (c.AppID == p.ID && c.ConsumerKey == "PartnerKey0001")
	}
	if !key {
		t.Error("the ECA's consumer key from its settings is not stored")
	}
	res, err := Apply(ctx, st, mustParse(t, "acme.yaml", ecaYAML))
	if err != nil || res.Changed() {
		t.Errorf("applying again: %v, changed %v (%s)", err, res.Changed(), res)
	}
}

// The ECA's problems are reported at its own keys, with their lines.
func TestExternalClientAppErrors(t *testing.T) {
	for _, tc := range []struct {
		name, from, to, want string
	}{
		{"Run As not API only", "clientCredentialsFlowUser: bot@acme.test", "clientCredentialsFlowUser: sam@acme.test",
			`acme.yaml:29: orgs[0].externalClientApps[0].policies.clientCredentialsFlowUser: user "sam@acme.test" must have the API Only User permission`},
		{"Run As unknown", "clientCredentialsFlowUser: bot@acme.test", "clientCredentialsFlowUser: who@acme.test",
			`acme.yaml:29: orgs[0].externalClientApps[0].policies.clientCredentialsFlowUser: no user "who@acme.test"`},
		{"unknown scope", "scopes: [api, refresh_token]", "scopes: [api, admin]",
			`acme.yaml:19: orgs[0].externalClientApps[0].settings.scopes[1]: unknown OAuth scope "admin"`},
		{"bad callback", "callbackUrls: [https://localhost]", "callbackUrls: [/cb]",
			`acme.yaml:18: orgs[0].externalClientApps[0].settings.callbackUrls[0]: "/cb" is not a callback URL`},
		{"name of a connected app", "name: Admin Off", "name: Classic", `acme.yaml:30: orgs[0].externalClientApps[1].name: connected app "Classic" is declared twice (first at line 11)`},
		{"packaged", "distributionState: Local", "distributionState: Packaged",
			`acme.yaml:16: orgs[0].externalClientApps[0].distributionState: "Packaged" is not supported`},
		{"IP relaxation", "ipRelaxationPolicyType: Bypass", "ipRelaxationPolicyType: BYPASS",
			`acme.yaml:27: orgs[0].externalClientApps[0].policies.ipRelaxationPolicyType: "BYPASS" is not an IP relaxation policy`},
		{"no profile", "profiles: [Integration]", "profiles: [Nope]",
			`acme.yaml:26: orgs[0].externalClientApps[0].policies.profiles[0]: no profile "Nope"`},
		{"bad API Name", "apiName: AdminOff", "apiName: Admin Off",
			`acme.yaml:31: orgs[0].externalClientApps[1].apiName: API Name "Admin Off": can contain only underscores`},
		{"API Name taken", "apiName: AdminOff", "apiName: classic",
			`acme.yaml:31: orgs[0].externalClientApps[1].apiName: API Name classic is also the API Name of the app at line 11`},
		{"settings misspelt", "settings:\n          callbackUrls", "setings:\n          callbackUrls", `unknown key "setings"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(ecaYAML, tc.from) {
				t.Fatalf("the test file lacks %q", tc.from)
			}
			_, err := Parse("acme.yaml", []byte(strings.Replace(ecaYAML, tc.from, tc.to, 1)))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Parse = %v\nwant an error containing %s", err, tc.want)
			}
		})
	}
}
