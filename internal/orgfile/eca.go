package orgfile

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
)

// External Client Apps (the setup reference §8, the oauth reference §7): Salesforce's
// successor of connected apps splits the developer's Settings (ExternalClientApplication,
// ExtlClntAppGlobalOauthSettings, ExtlClntAppOauthSettings) from the admin's Policies
// (ExtlClntAppOauthConfigurablePolicies), and keeps the client credentials flow's user
// among the Policies. An org file declares them under externalClientApps, split the same
// way; each is stored as an app of kind org.AppKindExternalClient, sharing the connected
// apps' runtime model, names (unique across both lists) and consumer keys.

// ExternalClientApp declares an External Client App of the enclosing org.
type ExternalClientApp struct {
	Name         string `yaml:"name"`
	APIName      string `yaml:"apiName"` // "" means derived from name
	ContactEmail string `yaml:"contactEmail"`
	Description  string `yaml:"description"`
	// DistributionState is Local (the default). Packaged needs a packaging org, which
	// Forcefield does not have.
	DistributionState string      `yaml:"distributionState"`
	Settings          ECASettings `yaml:"settings"`
	Policies          ECAPolicies `yaml:"policies"`
}

// ECASettings are the app's OAuth settings (ExtlClntAppGlobalOauthSettings and
// ExtlClntAppOauthSettings: callback, scopes, consumer credentials, Flow Enablement,
// Security).
type ECASettings struct {
	CallbackURLs   []string `yaml:"callbackUrls"`
	Scopes         []string `yaml:"scopes"`
	ConsumerKey    string   `yaml:"consumerKey"`    // "" means generated
	ConsumerSecret string   `yaml:"consumerSecret"` // "" means generated
	// IsClientCredentialsFlowEnabled is Flow Enablement → Enable Client Credentials Flow.
	IsClientCredentialsFlowEnabled bool `yaml:"isClientCredentialsFlowEnabled"`
	// Certificates enable the JWT bearer flow (PEM text or file paths, as for connected apps).
	Certificates           []string `yaml:"certificates"`
	PKCERequired           bool     `yaml:"pkceRequired"`
	ConsumerSecretOptional bool     `yaml:"consumerSecretOptional"` // !"Require secret for Web Server Flow"
	RefreshSecretOptional  bool     `yaml:"refreshSecretOptional"`  // !"Require secret for Refresh Token Flow"
	JWTAccessTokens        bool     `yaml:"jwtAccessTokens"`
	IntrospectAllTokens    bool     `yaml:"introspectAllTokens"`
	RefreshTokenRotation   bool     `yaml:"refreshTokenRotation"`
	IDTokenValidityMinutes int      `yaml:"idTokenValidityMinutes"`
}

// ECAPolicies are the admin's policies (ExtlClntAppOauthConfigurablePolicies).
type ECAPolicies struct {
	PermittedUsersPolicyType string   `yaml:"permittedUsersPolicyType"` // AllSelfAuthorized (default) | AdminApprovedPreAuthorized
	Profiles                 []string `yaml:"profiles"`                 // commaSeparatedProfile
	PermissionSets           []string `yaml:"permissionSets"`           // commaSeparatedPermissionSet
	IPRelaxationPolicyType   string   `yaml:"ipRelaxationPolicyType"`   // Enforce (default) | Bypass
	RefreshTokenPolicy       string   `yaml:"refreshTokenPolicy"`       // as connectedApps' refreshTokenPolicy
	SessionTimeoutInMinutes  int      `yaml:"sessionTimeoutInMinutes"`
	// IsClientCredentialsFlowEnabled is the admin's side of the flow; nil follows the
	// settings. The flow works only when both are on.
	IsClientCredentialsFlowEnabled *bool `yaml:"isClientCredentialsFlowEnabled"`
	// ClientCredentialsFlowUser is the Run As user: "This user must have the API Only
	// permission".
	ClientCredentialsFlowUser string `yaml:"clientCredentialsFlowUser"`
}

// ecaIPRelaxation maps the policy's values to the connected apps' ones.
var ecaIPRelaxation = map[string]string{"": "", "Enforce": org.IPRelaxEnforce, "Bypass": org.IPRelaxBypass}

// connectedApp is the ECA in the connected apps' shape (for the shared rules and apply).
// Certificates share e's slice, so that certificate files read during validation are
// read into e.
func (e *ExternalClientApp) connectedApp() ConnectedApp {
	s, p := &e.Settings, &e.Policies
	cc := s.IsClientCredentialsFlowEnabled && (p.IsClientCredentialsFlowEnabled == nil || *p.IsClientCredentialsFlowEnabled)
	return ConnectedApp{
		Name: e.Name, APIName: e.APIName, ContactEmail: e.ContactEmail, Description: e.Description, Kind: org.AppKindExternalClient,
		CallbackURLs: s.CallbackURLs, Scopes: s.Scopes, ConsumerKey: s.ConsumerKey, ConsumerSecret: s.ConsumerSecret,
		ClientCredentials: ClientCredentials{Enabled: cc, RunAs: p.ClientCredentialsFlowUser},
		PermittedUsers:    p.PermittedUsersPolicyType, Profiles: p.Profiles, PermissionSets: p.PermissionSets,
		SessionTimeoutMinutes: p.SessionTimeoutInMinutes, IntrospectAllTokens: s.IntrospectAllTokens,
		Certificates: s.Certificates, IPRelaxation: ecaIPRelaxation[p.IPRelaxationPolicyType],
		JWTAccessTokens: s.JWTAccessTokens, ConsumerSecretOptional: s.ConsumerSecretOptional,
		RefreshSecretOptional: s.RefreshSecretOptional, PKCERequired: s.PKCERequired,
		RefreshTokenPolicy: p.RefreshTokenPolicy, RefreshTokenRotation: s.RefreshTokenRotation,
		IDTokenValidityMinutes: s.IDTokenValidityMinutes,
	}
}

// ecaPaths maps the connected app keys the shared rules report to the ECA's own keys.
var ecaPaths = map[string]string{
	"callbackUrls": "settings.callbackUrls", "scopes": "settings.scopes", "consumerKey": "settings.consumerKey",
	"consumerSecret": "settings.consumerSecret", "certificates": "settings.certificates",
	"idTokenValidityMinutes": "settings.idTokenValidityMinutes",
	"clientCredentials":      "policies.clientCredentialsFlowUser", "permittedUsers": "policies.permittedUsersPolicyType",
	"profiles": "policies.profiles", "permissionSets": "policies.permissionSets",
	"sessionTimeoutMinutes": "policies.sessionTimeoutInMinutes", "refreshTokenPolicy": "policies.refreshTokenPolicy",
}

// ecaPath rewrites a path under p reported for the connectedApp shape to the ECA's key.
func ecaPath(path, p string) string {
	rest, ok := strings.CutPrefix(path, p+".")
	if !ok {
		return path
	}
	key, tail := rest, ""
	if i := strings.IndexAny(rest, ".["); i >= 0 {
		key, tail = rest[:i], rest[i:]
	}
	if to, ok := ecaPaths[key]; ok {
		if key == "clientCredentials" {
			tail = ""
		}
		return p + "." + to + tail
	}
	return path
}

// eca checks an External Client App: the connected apps' rules under the ECA's keys, and
// its own (distribution state, IP relaxation values, an API Only Run As user).
func (v *validator) eca(o *Org, e *ExternalClientApp, p string, apps, keys, users, profiles, permSets map[string]string) {
	if e.DistributionState != "" && e.DistributionState != "Local" {
		v.errorf(p+".distributionState", "%q is not supported: Forcefield's External Client Apps are Local", e.DistributionState)
	}
	if _, ok := ecaIPRelaxation[e.Policies.IPRelaxationPolicyType]; !ok {
		v.errorf(p+".policies.ipRelaxationPolicyType", "%q is not an IP relaxation policy: use Enforce or Bypass", e.Policies.IPRelaxationPolicyType)
	}
	ca := e.connectedApp()
	from := len(v.errs)
	v.app(o, &ca, p, apps, keys, users, profiles, permSets)
	for _, err := range v.errs[from:] {
		err.Path = ecaPath(err.Path, p)
		err.Line = v.f.line(err.Path)
	}
	if u := e.Policies.ClientCredentialsFlowUser; u != "" {
		if _, ok := users[strings.ToLower(u)]; ok && !apiOnly(o, u) {
			v.errorf(p+".policies.clientCredentialsFlowUser", "user %q must have the API Only User permission (ApiUserOnly) to run an External Client App's client credentials flow", u)
		}
	}
}

// apiOnly reports whether the file gives the user ApiUserOnly through its profile or a
// permission set.
func apiOnly(o *Org, username string) bool {
	i := slices.IndexFunc(o.Users, func(u User) bool { return strings.EqualFold(u.Username, username) })
	if i < 0 {
		return false
	}
	u := o.Users[i]
	for _, p := range o.Profiles {
		if p.Name == u.Profile && slices.Contains(p.Permissions, org.PermAPIUserOnly) {
			return true
		}
	}
	for _, ps := range o.PermissionSets {
		if slices.Contains(u.PermissionSets, ps.Name) && slices.Contains(ps.Permissions, org.PermAPIUserOnly) {
			return true
		}
	}
	return false
}

// ecas applies the org's External Client Apps (after its connected apps).
func (a *applier) ecas(o org.Org, fo *Org, p string, oldApps []org.ConnectedApp, users, profiles, permSets map[string]sfid.ID) error {
	for j := range fo.ExternalClientApps {
		ca := fo.ExternalClientApps[j].connectedApp()
		if err := a.app(o, &ca, fmt.Sprintf("%s.externalClientApps[%d]", p, j), oldApps, users, profiles, permSets); err != nil {
			return err
		}
	}
	return nil
}

// apiNames checks the API Names of the org's connected apps and External Client Apps:
// well formed when set, and unique in the org (a name's derived API Name counts too, as
// in Salesforce, where two apps cannot share one).
func (v *validator) apiNames(o *Org, p string) {
	seen, names := map[string]string{}, map[string]bool{}
	check := func(name, apiName, path string) {
		dup := names[name]
		names[name] = true
		if dup && apiName == "" {
			return // the name itself is reported twice
		}
		if apiName != "" {
			if msg := org.CheckDeveloperName(apiName); msg != "" {
				v.errorf(path+".apiName", "API Name %q: %s", apiName, msg)
				return
			}
		}
		eff := cmp.Or(apiName, org.DeriveDeveloperName(name))
		if eff == "" {
			return
		}
		key := strings.ToLower(eff)
		if first, ok := seen[key]; ok {
			v.errorf(path+".apiName", "API Name %s is also the API Name of the app at line %d: set a different apiName", eff, v.f.line(first))
			return
		}
		seen[key] = path
	}
	for i, a := range o.ConnectedApps {
		check(a.Name, a.APIName, fmt.Sprintf("%s.connectedApps[%d]", p, i))
	}
	for i, e := range o.ExternalClientApps {
		check(e.Name, e.APIName, fmt.Sprintf("%s.externalClientApps[%d]", p, i))
	}
}

// developerName is the API Name the store keeps for an app of the file: "" when it is
// the one derived from the name (org.ConnectedApp.APIName derives it again).
func developerName(fa *ConnectedApp) string {
	if fa.APIName == org.DeriveDeveloperName(fa.Name) {
		return ""
	}
	return fa.APIName
}
