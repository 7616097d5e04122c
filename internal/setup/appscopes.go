package setup

import (
	"slices"
	"strings"

	"github.com/forcefield/forcefield/internal/org"
)

// ScopeOption is one entry of "Selected OAuth Scopes" on the New Connected App form: the
// label Salesforce shows and the scope names it stands for (some labels stand for several,
// e.g. "Perform requests at any time (refresh_token, offline_access)").
type ScopeOption struct {
	Label string
	Names []string
}

// Value is the option's form value: its scope names joined by commas.
func (o ScopeOption) Value() string { return strings.Join(o.Names, ",") }

// labelledScopes are the Available OAuth Scopes Salesforce labels on the connected app
// form (the setup reference §2; the oauth reference §7.2 for the names). Every other scope
// Forcefield accepts (org.Scopes) is offered under its own name.
var labelledScopes = []ScopeOption{
	{"Manage user data via APIs (api)", []string{"api"}},
	{"Manage user data via Web browsers (web)", []string{"web"}},
	{"Full access (full)", []string{"full"}},
	{"Perform requests at any time (refresh_token, offline_access)", []string{"refresh_token", "offline_access"}},
	{"Access the identity URL service (id, profile, email, address, phone)", []string{"id", "profile", "email", "address", "phone"}},
	{"Access unique user identifiers (openid)", []string{"openid"}},
	{"Access content resources (content)", []string{"content"}},
	{"Access Connect REST API resources (chatter_api)", []string{"chatter_api"}},
	{"Access custom permissions (custom_permissions)", []string{"custom_permissions"}},
	{"Access Lightning applications (lightning)", []string{"lightning"}},
	{"Access Visualforce applications (visualforce)", []string{"visualforce"}},
	{"Access Analytics REST API resources (wave_api)", []string{"wave_api"}},
	{"Access Interaction API resources (interaction_api)", []string{"interaction_api"}},
	{"Manage Pardot services (pardot_api)", []string{"pardot_api"}},
	{"Access chatbot services (chatbot_api)", []string{"chatbot_api"}},
}

// ScopeOptions lists every scope the form offers: Salesforce's labelled ones, then each
// remaining accepted scope under its name, so that nothing Forcefield accepts is hidden.
func ScopeOptions() []ScopeOption {
	out := slices.Clone(labelledScopes)
	for _, name := range org.Scopes {
		covered := false
		for _, o := range labelledScopes {
			covered = covered || slices.Contains(o.Names, name)
		}
		if !covered {
			out = append(out, ScopeOption{Label: name, Names: []string{name}})
		}
	}
	return out
}

// Selected reports whether the option is selected for an app holding scopes.
func (o ScopeOption) Selected(scopes []string) bool {
	return slices.Contains(scopes, o.Names[0])
}

// ParseScopeValues turns the form's option values (comma-joined names) into scope names,
// each once, in the order given. An unknown name is an error on the scopes field.
func ParseScopeValues(values []string) ([]string, error) {
	var out []string
	for _, v := range values {
		for _, n := range strings.Split(v, ",") {
			n = strings.TrimSpace(n)
			if n == "" {
				continue
			}
			if err := org.CheckScopes([]string{n}); err != nil {
				return nil, FieldInvalidf("scopes", "%v", err)
			}
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	return out, nil
}

// DeveloperName is the API Name Salesforce derives from a Connected App Name
// (org.DeriveDeveloperName); an app's API Name is org.ConnectedApp.APIName.
func DeveloperName(name string) string { return org.DeriveDeveloperName(name) }
