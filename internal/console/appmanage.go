package console

// App Manager → Manage: a connected app's Manage page (read-only app info, OAuth Policies,
// Session Policies, Client Credentials Flow, the related lists Profiles and Permission
// Sets, the JWT bearer certificates, read only: they are added and removed on the app's
// Edit page, apps.go), Edit Policies (appmanage_policies.go), Manage
// Profiles and Manage Permission Sets, and Manage Consumer Details
// (appmanage_consumer.go) — the setup reference §2, §3 and §8. An External Client App's
// Manage page is its Policies tab (Settings | Policies), the Settings tab being the App
// Manager's view page (apps.go).
//
// Who may do what (Salesforce's "User Permissions Needed" for connected apps): the Manage
// page is read-only for any Setup user; Edit Policies and Manage Consumer Details need
// Customize Application (or Modify All Data); the Profiles and
// Permission Sets lists need Modify All Data as well ("To update Profiles, Permission
// Sets…: Customize Application AND Modify All Data").

import (
	"errors"
	"net/http"
	"slices"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/setup"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// appsPrefix is the root of an app's pages: NavigationMenus/apps/{id}/…
const appsPrefix = Prefix + "NavigationMenus/apps/"

func (c *Console) appManageRoutes() []route {
	p := "NavigationMenus/apps/{id}/"
	return []route{
		{"GET " + Prefix + p + "manage", AccessView, c.appManage},
		{"GET " + Prefix + p + "policies", AccessCustomize, c.appPolicies},
		{"POST " + Prefix + p + "policies", AccessCustomize, c.appPoliciesSave},
		{"GET " + Prefix + p + "profiles", AccessCustomize, c.appAccess(appProfilesList)},
		{"POST " + Prefix + p + "profiles", AccessCustomize, c.appAccessSave(appProfilesList)},
		{"GET " + Prefix + p + "permsets", AccessCustomize, c.appAccess(appPermSetsList)},
		{"POST " + Prefix + p + "permsets", AccessCustomize, c.appAccessSave(appPermSetsList)},
		{"GET " + Prefix + p + "consumer", AccessCustomize, c.consumerVerify},
		{"POST " + Prefix + p + "consumer", AccessCustomize, c.consumerVerified},
		{"POST " + Prefix + p + "consumer/{action}", AccessCustomize, c.consumerAction},
	}
}

// appURL is the console path of one of the app's pages.
func appURL(app org.ConnectedApp, page string) string {
	return appsPrefix + app.ID.String() + "/" + page
}

// viewerApp is the app {id} of the request, if it belongs to the viewer's org.
func (c *Console) viewerApp(r *http.Request, v *Viewer) (org.ConnectedApp, error) {
	id, err := sfid.Parse(r.PathValue("id"))
	if err != nil || id.Prefix() != sfid.PrefixConnectedApp {
		return org.ConnectedApp{}, notFound("connected app " + r.PathValue("id"))
	}
	app, err := c.cfg.Setup.Store().ConnectedApp(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && app.OrgID != v.Org.ID) {
		return org.ConnectedApp{}, notFound("connected app " + id.String())
	}
	return app, err
}

// manageData is the Manage page.
type manageData struct {
	App            org.ConnectedApp
	ECA            bool
	ConsumerKey    string // the Active pair's key
	PermittedUsers string
	IPRelaxation   string
	RefreshPolicy  string
	Timeout        string
	RunAs          string // username, "" when none
	Profiles       []string
	PermissionSets []string
	Certificates   []setup.CertificateInfo
	CanEdit        bool // Customize Application: Edit Policies, Manage Consumer Details
	CanManageLists bool // Modify All Data as well: Manage Profiles / Manage Permission Sets
	Message        string
}

// appManage is the Manage page (an ECA's Policies tab).
func (c *Console) appManage(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	app, err := c.viewerApp(r, v)
	if err != nil {
		return err
	}
	d, err := c.manageData(r, v, app)
	if err != nil {
		return err
	}
	switch r.URL.Query().Get("saved") { // set by this area's own redirects only
	case "policies":
		d.Message = "The policies were saved."
	case "profiles", "permsets":
		d.Message = "The pre-authorized list was saved."
	}
	c.render(w, r, v, http.StatusOK, "appmanage", Page{Title: app.Name, Nav: "NavigationMenus", Data: d})
	return nil
}

func (c *Console) manageData(r *http.Request, v *Viewer, app org.ConnectedApp) (manageData, error) {
	ctx := r.Context()
	st := c.cfg.Setup.Store()
	p := setup.PoliciesOf(app)
	d := manageData{App: app, ECA: app.Kind == org.AppKindExternalClient,
		PermittedUsers: setup.PermittedUsersLabel(p.PermittedUsers), IPRelaxation: setup.IPRelaxationLabel(p.IPRelaxation),
		RefreshPolicy: setup.RefreshPolicyLabel(p.RefreshTokenPolicy), Timeout: setup.SessionTimeoutLabel(p.SessionTimeoutMinutes),
		CanEdit: v.CanCustomize(), CanManageLists: v.CanCustomize() && v.Has("ModifyAllData")}
	creds, err := st.Credentials(ctx, app.ID)
	if err != nil {
		return d, err
	}
	for _, cr := range creds {
		if cr.State == org.CredentialActive {
			d.ConsumerKey = cr.ConsumerKey
		}
	}
	if !app.RunAsUserID.IsZero() {
		u, err := st.User(ctx, app.RunAsUserID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return d, err
		}
		d.RunAs = u.Username
	}
	for _, id := range app.ProfileIDs {
		if p, err := st.Profile(ctx, id); err == nil {
			d.Profiles = append(d.Profiles, p.Name)
		}
	}
	for _, id := range app.PermissionSetIDs {
		if ps, err := st.PermissionSet(ctx, id); err == nil {
			d.PermissionSets = append(d.PermissionSets, ps.Name)
		}
	}
	for _, pem := range app.Certificates {
		d.Certificates = append(d.Certificates, setup.Certificate(pem))
	}
	return d, nil
}

// accessList is one of the Manage page's related lists.
type accessList struct {
	Page  string // the path segment: profiles or permsets
	Title string // "Manage Profiles"
	Label string // the list's name: "Profiles"
	Field string // the form field and the service's error field
	items func(c *Console, r *http.Request, v *Viewer) ([]accessItem, error)
	ids   func(app org.ConnectedApp) []sfid.ID
	save  func(c *Console, r *http.Request, v *Viewer, app org.ConnectedApp, ids []sfid.ID) error
}

type accessItem struct {
	ID   sfid.ID
	Name string
	On   bool
}

var appProfilesList = accessList{Page: "profiles", Title: "Manage Profiles", Label: "Profiles", Field: "profiles",
	items: func(c *Console, r *http.Request, v *Viewer) ([]accessItem, error) {
		ps, err := c.cfg.Setup.Store().Profiles(r.Context(), v.Org.ID)
		var out []accessItem
		for _, p := range ps {
			out = append(out, accessItem{ID: p.ID, Name: p.Name})
		}
		return out, err
	},
	ids: func(app org.ConnectedApp) []sfid.ID { return app.ProfileIDs },
	save: func(c *Console, r *http.Request, v *Viewer, app org.ConnectedApp, ids []sfid.ID) error {
		return c.cfg.Setup.SetAppProfiles(r.Context(), v.Actor(), app.ID, ids)
	}}

var appPermSetsList = accessList{Page: "permsets", Title: "Manage Permission Sets", Label: "Permission Sets", Field: "permissionSets",
	items: func(c *Console, r *http.Request, v *Viewer) ([]accessItem, error) {
		ps, err := c.cfg.Setup.Store().PermissionSets(r.Context(), v.Org.ID)
		var out []accessItem
		for _, p := range ps {
			out = append(out, accessItem{ID: p.ID, Name: p.Name})
		}
		return out, err
	},
	ids: func(app org.ConnectedApp) []sfid.ID { return app.PermissionSetIDs },
	save: func(c *Console, r *http.Request, v *Viewer, app org.ConnectedApp, ids []sfid.ID) error {
		return c.cfg.Setup.SetAppPermissionSets(r.Context(), v.Actor(), app.ID, ids)
	}}

type accessData struct {
	App   org.ConnectedApp
	List  accessList
	Items []accessItem
}

// appAccess is Manage Profiles / Manage Permission Sets: a checkbox per profile or
// permission set of the org.
func (c *Console) appAccess(l accessList) handler {
	return func(w http.ResponseWriter, r *http.Request, v *Viewer) error {
		return c.renderAccess(w, r, v, l, http.StatusOK, "", nil)
	}
}

func (c *Console) renderAccess(w http.ResponseWriter, r *http.Request, v *Viewer, l accessList, status int, pageErr string, checked []sfid.ID) error {
	if !v.Has("ModifyAllData") {
		return errInsufficient
	}
	app, err := c.viewerApp(r, v)
	if err != nil {
		return err
	}
	items, err := l.items(c, r, v)
	if err != nil {
		return err
	}
	if checked == nil {
		checked = l.ids(app)
	}
	for i := range items {
		items[i].On = slices.Contains(checked, items[i].ID)
	}
	c.render(w, r, v, status, "appmanage_access", Page{Title: l.Title + ": " + app.Name, Nav: "NavigationMenus",
		Data: accessData{App: app, List: l, Items: items}, Error: pageErr})
	return nil
}

func (c *Console) appAccessSave(l accessList) handler {
	return func(w http.ResponseWriter, r *http.Request, v *Viewer) error {
		f, err := c.form(w, r, "appAccess:"+l.Page)
		if err != nil {
			return err
		}
		if !v.Has("ModifyAllData") {
			return errInsufficient
		}
		app, err := c.viewerApp(r, v)
		if err != nil {
			return err
		}
		var ids []sfid.ID
		for _, s := range f[l.Field] {
			id, err := sfid.Parse(s)
			if err != nil {
				return c.renderAccess(w, r, v, l, http.StatusBadRequest, "Not a valid id: "+s, ids)
			}
			ids = append(ids, id)
		}
		if err := l.save(c, r, v, app, ids); err != nil {
			if se, ok := setup.AsError(err); ok {
				return c.renderAccess(w, r, v, l, http.StatusBadRequest, se.Message, ids)
			}
			return err
		}
		return seeOther(w, r, appURL(app, "manage")+"?saved="+l.Page)
	}
}
