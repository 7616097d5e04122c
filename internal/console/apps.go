package console

// App Manager (NavigationMenus): the list of connected apps and External Client Apps, New
// Connected App, New External Client App, an app's detail (View), Edit and Delete — the
// app's Settings side (the setup reference §1, §2, §8). Manage, Edit Policies and Manage
// Consumer Details are appmanage.go's.

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/setup"
	"github.com/forcefield/forcefield/internal/sfid"
)

const appsHome = Prefix + "NavigationMenus/home"

func (c *Console) appRoutes() []route {
	p := "NavigationMenus/apps/"
	return []route{
		{"GET " + Prefix + "NavigationMenus/home", AccessView, c.appsList},
		{"GET " + Prefix + p + "new", AccessCustomize, c.appNew(org.AppKindConnected)},
		{"POST " + Prefix + p + "new", AccessCustomize, c.appCreate(org.AppKindConnected)},
		{"GET " + Prefix + p + "new-external", AccessCustomize, c.appNew(org.AppKindExternalClient)},
		{"POST " + Prefix + p + "new-external", AccessCustomize, c.appCreate(org.AppKindExternalClient)},
		{"GET " + Prefix + p + "{id}/view", AccessView, c.appView},
		{"GET " + Prefix + p + "{id}/edit", AccessCustomize, c.appEdit},
		{"POST " + Prefix + p + "{id}/edit", AccessCustomize, c.appSave},
		{"GET " + Prefix + p + "{id}/delete", AccessCustomize, c.appDeleteConfirm},
		{"POST " + Prefix + p + "{id}/delete", AccessCustomize, c.appDelete},
	}
}

// appRow is one row of the App Manager list.
type appRow struct {
	App           org.ConnectedApp
	DeveloperName string
}

// appsList is the App Manager: every app of the org by name, with its type and actions.
func (c *Console) appsList(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	apps, err := c.cfg.Setup.Store().ConnectedApps(r.Context(), v.Org.ID)
	if err != nil {
		return err
	}
	slices.SortFunc(apps, func(a, b org.ConnectedApp) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.ID, b.ID))
	})
	rows := make([]appRow, len(apps))
	for i, a := range apps {
		rows[i] = appRow{App: a, DeveloperName: a.APIName()}
	}
	c.render(w, r, v, http.StatusOK, "apps", Page{Title: "App Manager", Nav: "NavigationMenus", Data: rows})
	return nil
}

// appFormData is the New / Edit settings form.
type appFormData struct {
	ECA         bool
	Edit        bool
	AppID       string // on Edit
	Action      string
	In          setup.AppInput
	HasCert     bool // the app has a certificate on file (Edit)
	Scopes      []scopeChoice
	Users       []userChoice
	Warning     string
	CCWasOn     bool // the flow was already on: no warning to accept again
	SecretShown bool
}

type scopeChoice struct {
	Value, Label string
	Selected     bool
}

type userChoice struct {
	ID, Username string
	Selected     bool
}

// appNew is the empty New Connected App (or New External Client App) form.
func (c *Console) appNew(kind org.AppKind) handler {
	return func(w http.ResponseWriter, r *http.Request, v *Viewer) error {
		in := setup.AppInput{Kind: kind, OAuthEnabled: true, RequireSecretWeb: true, RequireSecretRefresh: true, ContactEmail: v.User.Email}
		return c.renderAppForm(w, r, v, http.StatusOK, in, nil, nil)
	}
}

// appCreate creates the app; its response (never a URL) shows the consumer secret once.
func (c *Console) appCreate(kind org.AppKind) handler {
	return func(w http.ResponseWriter, r *http.Request, v *Viewer) error {
		f, err := c.settingsForm(w, r)
		if err != nil {
			return err
		}
		in := appInput(f)
		in.Kind = kind
		app, key, secret, err := c.cfg.Setup.CreateApp(r.Context(), v.Actor(), v.Org.ID, in)
		if err != nil {
			return c.appFormError(w, r, v, in, nil, err)
		}
		c.render(w, r, v, http.StatusOK, "apps_created", Page{Title: app.Name, Nav: "NavigationMenus",
			Data: createdData{App: app, ConsumerKey: key, ConsumerSecret: secret}})
		return nil
	}
}

type createdData struct {
	App                         org.ConnectedApp
	ConsumerKey, ConsumerSecret string
}

// appEdit is the Edit form of an app's settings.
func (c *Console) appEdit(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	app, err := c.app(r, v)
	if err != nil {
		return err
	}
	in := setup.AppInput{Kind: app.Kind, Name: app.Name, APIName: app.APIName(), ContactEmail: app.ContactEmail, Description: app.Description,
		OAuthEnabled: setup.OAuthEnabled(app), CallbackURL: strings.Join(app.CallbackURLs, "\n"),
		UseDigitalSignatures: len(app.Certificates) > 0, Scopes: app.Scopes, PKCERequired: app.PKCERequired,
		RequireSecretWeb: !app.ConsumerSecretOptional, RequireSecretRefresh: !app.RefreshSecretOptional,
		ClientCredentials: app.ClientCredentialsEnabled, RunAsUserID: app.RunAsUserID,
		JWTAccessTokens: app.JWTAccessTokens, IntrospectAllTokens: app.IntrospectAllTokens}
	return c.renderAppForm(w, r, v, http.StatusOK, in, &app, nil)
}

// appSave saves the Edit form.
func (c *Console) appSave(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	app, err := c.app(r, v)
	if err != nil {
		return err
	}
	f, err := c.settingsForm(w, r)
	if err != nil {
		return err
	}
	in := appInput(f)
	in.Kind = app.Kind
	if _, err := c.cfg.Setup.UpdateAppSettings(r.Context(), v.Actor(), v.Org.ID, app.ID, in); err != nil {
		return c.appFormError(w, r, v, in, &app, err)
	}
	return seeOther(w, r, appPath(app.ID, "view"))
}

// appDeleteConfirm asks before deleting (Salesforce asks with a dialog; this console runs
// no script, so it is a page).
func (c *Console) appDeleteConfirm(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	app, err := c.app(r, v)
	if err != nil {
		return err
	}
	c.render(w, r, v, http.StatusOK, "apps_delete", Page{Title: "Delete " + app.Name, Nav: "NavigationMenus", Data: app})
	return nil
}

// appDelete deletes the app (and ends what it issued) and returns to the App Manager.
func (c *Console) appDelete(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	app, err := c.app(r, v)
	if err != nil {
		return err
	}
	if _, err := c.form(w, r, "appDelete"); err != nil {
		return err
	}
	if err := c.cfg.Setup.DeleteApp(r.Context(), v.Actor(), v.Org.ID, app.ID); err != nil {
		return err
	}
	return seeOther(w, r, appsHome)
}

// appFormError re-renders the form with a refused change's message beside its field.
func (c *Console) appFormError(w http.ResponseWriter, r *http.Request, v *Viewer, in setup.AppInput, app *org.ConnectedApp, err error) error {
	se, ok := setup.AsError(err)
	if !ok || se.Kind == setup.NotFound {
		return err
	}
	if se.Field == "" {
		return c.renderAppForm(w, r, v, http.StatusBadRequest, in, app, &Page{Error: se.Message})
	}
	return c.renderAppForm(w, r, v, http.StatusBadRequest, in, app, &Page{Error: "Review the errors on this page.", FieldErrors: map[string]string{se.Field: se.Message}})
}

// renderAppForm renders the settings form for in (app is nil on New).
func (c *Console) renderAppForm(w http.ResponseWriter, r *http.Request, v *Viewer, status int, in setup.AppInput, app *org.ConnectedApp, errs *Page) error {
	d := appFormData{ECA: in.Kind == org.AppKindExternalClient, In: in, Warning: setup.ClientCredentialsWarning}
	title := "New Connected App"
	d.Action = Prefix + "NavigationMenus/apps/new"
	if d.ECA {
		title, d.Action = "New External Client App", Prefix+"NavigationMenus/apps/new-external"
	}
	if app != nil {
		d.Edit, d.AppID, d.HasCert, d.CCWasOn = true, app.ID.String(), len(app.Certificates) > 0, app.ClientCredentialsEnabled
		d.Action, title = appPath(app.ID, "edit"), "Edit "+app.Name
	}
	scopes, _ := setup.ParseScopeValues(in.Scopes)
	for _, o := range setup.ScopeOptions() {
		d.Scopes = append(d.Scopes, scopeChoice{Value: o.Value(), Label: o.Label, Selected: o.Selected(scopes)})
	}
	if !d.ECA {
		users, err := c.cfg.Setup.Store().Users(r.Context(), v.Org.ID)
		if err != nil {
			return err
		}
		slices.SortFunc(users, func(a, b org.User) int { return cmp.Compare(a.Username, b.Username) })
		for _, u := range users {
			if u.Active && !u.Frozen || u.ID == in.RunAsUserID {
				d.Users = append(d.Users, userChoice{ID: u.ID.String(), Username: u.Username, Selected: u.ID == in.RunAsUserID})
			}
		}
	}
	p := Page{Title: title, Nav: "NavigationMenus", Data: d}
	if errs != nil {
		p.Error, p.FieldErrors = errs.Error, errs.FieldErrors
	}
	c.render(w, r, v, status, "apps_form", p)
	return nil
}

// appInput reads the settings form. Checkboxes are on when present.
func appInput(f url.Values) setup.AppInput {
	on := func(k string) bool { return f.Get(k) != "" }
	return setup.AppInput{
		Name: f.Get("name"), APIName: f.Get("apiName"), ContactEmail: f.Get("contactEmail"), Description: f.Get("description"),
		OAuthEnabled: on("oauthEnabled"), CallbackURL: f.Get("callbackUrl"),
		UseDigitalSignatures: on("useDigitalSignatures"), Certificate: f.Get("certificate"),
		Scopes: f["scopes"], PKCERequired: on("pkceRequired"),
		RequireSecretWeb: on("requireSecretWeb"), RequireSecretRefresh: on("requireSecretRefresh"),
		ClientCredentials: on("clientCredentials"), AcceptedClientCredentialsWarning: on("acceptClientCredentials"),
		RunAsUserID: sfid.ID(f.Get("runAs")), JWTAccessTokens: on("jwtAccessTokens"), IntrospectAllTokens: on("introspectAllTokens"),
	}
}

// viewData is an app's detail page.
type viewData struct {
	App           org.ConnectedApp
	DeveloperName string
	OAuthEnabled  bool
	Scopes        []string // the selected options' labels
	RunAs         string   // the Run As user's username
	ConsumerKey   string   // the Active pair's key
}

// appView is an app's detail: its settings and its Consumer Key (never the secret).
func (c *Console) appView(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	app, err := c.app(r, v)
	if err != nil {
		return err
	}
	st := c.cfg.Setup.Store()
	d := viewData{App: app, DeveloperName: app.APIName(), OAuthEnabled: setup.OAuthEnabled(app)}
	for _, o := range setup.ScopeOptions() {
		if o.Selected(app.Scopes) {
			d.Scopes = append(d.Scopes, o.Label)
		}
	}
	if !app.RunAsUserID.IsZero() {
		if u, err := st.User(r.Context(), app.RunAsUserID); err == nil {
			d.RunAs = u.Username
		}
	}
	creds, err := st.Credentials(r.Context(), app.ID)
	if err != nil {
		return err
	}
	for _, cr := range creds {
		if cr.State == org.CredentialActive {
			d.ConsumerKey = cr.ConsumerKey
		}
	}
	c.render(w, r, v, http.StatusOK, "apps_view", Page{Title: app.Name, Nav: "NavigationMenus", Data: d})
	return nil
}

// app is the request's {id}: an app of the viewer's org, else a 404.
func (c *Console) app(r *http.Request, v *Viewer) (org.ConnectedApp, error) {
	id, err := sfid.Parse(r.PathValue("id"))
	if err != nil {
		return org.ConnectedApp{}, notFound("app " + r.PathValue("id"))
	}
	app, err := c.cfg.Setup.Directory().App(r.Context(), id)
	if err != nil || app.OrgID != v.Org.ID {
		return org.ConnectedApp{}, notFound("app " + id.String())
	}
	return app, nil
}

// appPath is the console path of one of an app's pages.
func appPath(id sfid.ID, page string) string {
	return Prefix + "NavigationMenus/apps/" + url.PathEscape(id.String()) + "/" + page
}
