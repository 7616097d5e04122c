package console

// Manage → Edit Policies (the setup reference §3): OAuth Policies (Permitted Users, IP
// Relaxation, Refresh Token Policy), Session Policies (Timeout Value) and, when the app has
// Enable Client Credentials Flow, Client Credentials Flow → Run As. The rules are
// setup.Service.UpdatePolicies's; this page offers only the values it accepts.

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/setup"
	"github.com/forcefield/forcefield/internal/sfid"
)

// policyOption is one <option> of a select.
type policyOption struct {
	Value, Label string
	Selected     bool
}

// sessionTimeoutChoices are the "Timeout Value" picklist's minutes (0: --None--), as
// Salesforce's session timeout picklists offer them (15 minutes to 24 hours).
var sessionTimeoutChoices = []int{0, 15, 30, 60, 120, 240, 480, 720, 1440}

// policiesForm is the Edit Policies form: its values as the inputs hold them.
type policiesForm struct {
	PermittedUsers, IPRelaxation, RefreshKind, RefreshPeriod, RefreshUnit, SessionTimeout, RunAs string
}

// formOf is the form holding the app's current policies.
func formOf(app org.ConnectedApp) policiesForm {
	p := setup.PoliciesOf(app)
	f := policiesForm{PermittedUsers: p.PermittedUsers, IPRelaxation: p.IPRelaxation, RefreshKind: org.RefreshInfinite,
		RefreshUnit: "DAYS", SessionTimeout: strconv.Itoa(p.SessionTimeoutMinutes)}
	if kind, _, err := org.ParseRefreshPolicy(p.RefreshTokenPolicy); err == nil {
		f.RefreshKind = kind
		if parts := strings.Split(string(p.RefreshTokenPolicy), ":"); len(parts) == 3 {
			f.RefreshPeriod, f.RefreshUnit = parts[1], strings.ToUpper(parts[2])
		}
	}
	if !p.RunAsUserID.IsZero() {
		f.RunAs = p.RunAsUserID.String()
	}
	return f
}

// formFrom reads a posted form.
func formFrom(v url.Values) policiesForm {
	return policiesForm{PermittedUsers: v.Get("permittedUsers"), IPRelaxation: v.Get("ipRelaxation"),
		RefreshKind: v.Get("refreshTokenPolicy"), RefreshPeriod: strings.TrimSpace(v.Get("refreshTokenValidityPeriod")),
		RefreshUnit: v.Get("refreshTokenValidityUnit"), SessionTimeout: v.Get("sessionTimeout"), RunAs: v.Get("runAs")}
}

// policies turns the form into the service's input; a malformed value is a field error.
func (f policiesForm) policies(app org.ConnectedApp) (setup.Policies, error) {
	p := setup.Policies{PermittedUsers: f.PermittedUsers, IPRelaxation: f.IPRelaxation, RunAsUserID: app.RunAsUserID}
	switch f.RefreshKind {
	case org.RefreshInfinite, org.RefreshZero:
		p.RefreshTokenPolicy = org.RefreshPolicy(f.RefreshKind)
	case org.RefreshInactivity, org.RefreshLifetime:
		if n, err := strconv.Atoi(f.RefreshPeriod); err != nil || n < 1 || n > 999 {
			return p, setup.FieldInvalidf("refreshTokenValidityPeriod", "Enter a whole number from 1 to 999")
		}
		p.RefreshTokenPolicy = org.RefreshPolicy(f.RefreshKind + ":" + f.RefreshPeriod + ":" + f.RefreshUnit)
	default:
		return p, setup.FieldInvalidf("refreshTokenPolicy", "Choose a Refresh Token Policy")
	}
	m, err := strconv.Atoi(f.SessionTimeout)
	if err != nil {
		return p, setup.FieldInvalidf("sessionTimeout", "Choose a Timeout Value")
	}
	p.SessionTimeoutMinutes = m
	if app.ClientCredentialsEnabled {
		p.RunAsUserID = ""
		if f.RunAs != "" {
			id, err := sfid.Parse(f.RunAs)
			if err != nil {
				return p, setup.FieldInvalidf("runAs", "Run As: choose a user")
			}
			p.RunAsUserID = id
		}
	}
	return p, nil
}

type policiesData struct {
	App                                   org.ConnectedApp
	ECA                                   bool
	PermittedUsers, IPRelaxation, Refresh []policyOption
	Units, SessionTimeout, RunAs          []policyOption
	RefreshPeriod                         string
	RunAsAPIOnlyNotice                    bool
}

func (c *Console) policiesData(r *http.Request, v *Viewer, app org.ConnectedApp, f policiesForm) (policiesData, error) {
	opts := func(cur string, pairs ...string) []policyOption {
		var out []policyOption
		for i := 0; i+1 < len(pairs); i += 2 {
			out = append(out, policyOption{Value: pairs[i], Label: pairs[i+1], Selected: pairs[i] == cur})
		}
		return out
	}
	d := policiesData{App: app, ECA: app.Kind == org.AppKindExternalClient, RefreshPeriod: f.RefreshPeriod,
		PermittedUsers: opts(f.PermittedUsers,
			org.PermittedAllSelfAuthorized, setup.PermittedUsersLabel(org.PermittedAllSelfAuthorized),
			org.PermittedAdminApprovedPreAuthorized, setup.PermittedUsersLabel(org.PermittedAdminApprovedPreAuthorized)),
		IPRelaxation: opts(f.IPRelaxation,
			org.IPRelaxEnforce, setup.IPRelaxationLabel(org.IPRelaxEnforce),
			org.IPRelaxBypass, setup.IPRelaxationLabel(org.IPRelaxBypass)),
		Refresh: opts(f.RefreshKind,
			org.RefreshInfinite, "Refresh token is valid until revoked",
			org.RefreshZero, "Immediately expire refresh token",
			org.RefreshInactivity, "Expire refresh token if not used for",
			org.RefreshLifetime, "Expire refresh token after"),
		Units:              opts(f.RefreshUnit, "HOURS", "Hour(s)", "DAYS", "Day(s)", "MONTHS", "Month(s)"),
		RunAsAPIOnlyNotice: app.Kind == org.AppKindExternalClient,
	}
	choices := sessionTimeoutChoices
	if m, err := strconv.Atoi(f.SessionTimeout); err == nil && !slices.Contains(choices, m) {
		choices = append(slices.Clone(choices), m) // a value set by an org file
	}
	for _, m := range choices {
		d.SessionTimeout = append(d.SessionTimeout, policyOption{Value: strconv.Itoa(m), Label: setup.SessionTimeoutLabel(m),
			Selected: strconv.Itoa(m) == f.SessionTimeout})
	}
	if app.ClientCredentialsEnabled {
		users, err := c.cfg.Setup.Store().Users(r.Context(), v.Org.ID)
		if err != nil {
			return d, err
		}
		d.RunAs = append(d.RunAs, policyOption{Value: "", Label: "--None--", Selected: f.RunAs == ""})
		for _, u := range users {
			if (u.Active && !u.Frozen) || u.ID.String() == f.RunAs {
				d.RunAs = append(d.RunAs, policyOption{Value: u.ID.String(), Label: u.Username, Selected: u.ID.String() == f.RunAs})
			}
		}
	}
	return d, nil
}

// appPolicies is GET Edit Policies.
func (c *Console) appPolicies(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	app, err := c.viewerApp(r, v)
	if err != nil {
		return err
	}
	return c.renderPolicies(w, r, v, app, formOf(app), http.StatusOK, nil)
}

func (c *Console) renderPolicies(w http.ResponseWriter, r *http.Request, v *Viewer, app org.ConnectedApp, f policiesForm, status int, err error) error {
	d, derr := c.policiesData(r, v, app, f)
	if derr != nil {
		return derr
	}
	p := Page{Title: "Edit Policies: " + app.Name, Nav: "NavigationMenus", Data: d}
	if se, ok := setup.AsError(err); ok {
		if se.Field != "" {
			p.FieldErrors = map[string]string{se.Field: se.Message}
			p.Error = "Review the errors on this page."
		} else {
			p.Error = se.Message
		}
	}
	c.render(w, r, v, status, "appmanage_policies", p)
	return nil
}

// appPoliciesSave is POST Edit Policies: saved, back to the Manage page; refused, the form
// again with the error beside its field.
func (c *Console) appPoliciesSave(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	form, err := c.form(w, r, "appPolicies")
	if err != nil {
		return err
	}
	app, err := c.viewerApp(r, v)
	if err != nil {
		return err
	}
	f := formFrom(form)
	p, err := f.policies(app)
	if err == nil {
		err = c.cfg.Setup.UpdatePolicies(r.Context(), v.Actor(), app.ID, p)
	}
	if err != nil {
		if _, ok := setup.AsError(err); ok {
			return c.renderPolicies(w, r, v, app, f, http.StatusBadRequest, err)
		}
		return err
	}
	return seeOther(w, r, appURL(app, "manage")+"?saved=policies")
}
