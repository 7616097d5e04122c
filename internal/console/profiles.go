package console

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/setup"
	"github.com/forcefield/forcefield/internal/sfid"
)

// Profiles (EnhancedProfiles) and Permission Sets (PermSets, permsets.go): Salesforce's
// enhanced profile pages (Help: "Work in the Enhanced Profile User Interface Page"), one
// edit form per section — the profile's settings (Profile Name, Administrative and General
// User Permissions, Session Times Out After), Login IP Ranges, Object Settings, and
// Field-Level Security per object. Viewing needs any Setup permission; changing needs
// Manage Users (or Modify All Data). Every change is a Setup service call (package setup).

func (c *Console) profileRoutes() []route {
	p := "EnhancedProfiles/"
	routes := []route{
		{"GET " + Prefix + p + "home", AccessView, c.profilesList},
		{"GET " + Prefix + p + "new", AccessManageUsers, c.profileNew},
		{"POST " + Prefix + p + "new", AccessManageUsers, c.profileNew},
		{"GET " + Prefix + p + "{id}/view", AccessView, c.profileView},
		{"GET " + Prefix + p + "{id}/edit", AccessManageUsers, c.profileEdit},
		{"POST " + Prefix + p + "{id}/edit", AccessManageUsers, c.profileEdit},
		{"GET " + Prefix + p + "{id}/ips", AccessManageUsers, c.profileIPs},
		{"POST " + Prefix + p + "{id}/ips", AccessManageUsers, c.profileIPs},
		{"POST " + Prefix + p + "{id}/ips/delete", AccessManageUsers, c.profileIPDelete},
		{"GET " + Prefix + p + "{id}/objects", AccessManageUsers, c.profileObjects},
		{"POST " + Prefix + p + "{id}/objects", AccessManageUsers, c.profileObjects},
		{"GET " + Prefix + p + "{id}/fields/{object}", AccessManageUsers, c.profileFields},
		{"POST " + Prefix + p + "{id}/fields/{object}", AccessManageUsers, c.profileFields},
		{"POST " + Prefix + p + "{id}/delete", AccessManageUsers, c.profileDelete},
	}
	return append(routes, c.permSetRoutes()...)
}

// standardProfiles are the names of Salesforce's standard profiles: the list's "Custom"
// column is unticked for them (Forcefield stores no such flag; every profile comes from
// an org file or the console).
var standardProfiles = []string{"System Administrator", "Standard User", "Read Only", "Minimum Access - Salesforce",
	"Minimum Access - API Only Integrations", "Standard Platform User", "Solution Manager", "Marketing User", "Contract Manager"}

type profileRow struct {
	Profile org.Profile
	Custom  bool
	Users   int
}

// profilesList is the Profiles list: Profile Name, Custom, User count, Last Modified.
func (c *Console) profilesList(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	st := c.cfg.Setup.Store()
	profiles, err := st.Profiles(r.Context(), v.Org.ID)
	if err != nil {
		return err
	}
	users, err := st.Users(r.Context(), v.Org.ID)
	if err != nil {
		return err
	}
	counts := map[sfid.ID]int{}
	for _, u := range users {
		counts[u.ProfileID]++
	}
	rows := make([]profileRow, 0, len(profiles))
	for _, p := range profiles {
		rows = append(rows, profileRow{Profile: p, Custom: !slices.Contains(standardProfiles, p.Name), Users: counts[p.ID]})
	}
	slices.SortFunc(rows, func(a, b profileRow) int {
		return strings.Compare(strings.ToLower(a.Profile.Name), strings.ToLower(b.Profile.Name))
	})
	c.render(w, r, v, http.StatusOK, "profiles-list", Page{Title: "Profiles", Nav: "EnhancedProfiles", Data: rows})
	return nil
}

type profileNewData struct {
	Profiles []org.Profile
	From     sfid.ID
	Name     string
}

// profileNew is New Profile: Existing Profile (the one to clone) and Profile Name.
func (c *Console) profileNew(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	profiles, err := c.cfg.Setup.Store().Profiles(r.Context(), v.Org.ID)
	if err != nil {
		return err
	}
	slices.SortFunc(profiles, func(a, b org.Profile) int { return strings.Compare(a.Name, b.Name) })
	d := profileNewData{Profiles: profiles}
	for _, p := range profiles {
		if p.Name == "Standard User" {
			d.From = p.ID // Salesforce's guides clone Standard User
		}
	}
	if id, err := sfid.Parse(r.URL.Query().Get("from")); err == nil {
		d.From = id
	}
	page := Page{Title: "New Profile", Nav: "EnhancedProfiles"}
	if r.Method == http.MethodPost {
		f, err := c.form(w, r, "newProfile")
		if err != nil {
			return err
		}
		d.Name = f.Get("Name")
		d.From, _ = sfid.Parse(f.Get("From"))
		p, err := c.cfg.Setup.CloneProfile(r.Context(), v.Actor(), v.Org.ID, d.From, d.Name)
		if err == nil {
			return seeOther(w, r, consolePath("EnhancedProfiles", p.ID.String(), "edit"))
		}
		if se, ok := setup.AsError(err); ok && se.Kind == setup.NotFound {
			se.Field = "From"
		}
		if !formFailure(&page, err) && !fieldNotFound(&page, err) {
			return err
		}
		page.Data = d
		c.render(w, r, v, http.StatusBadRequest, "profiles-new", page)
		return nil
	}
	page.Data = d
	c.render(w, r, v, http.StatusOK, "profiles-new", page)
	return nil
}

// fieldNotFound renders a NotFound error about a form field (a chosen option that does not
// exist) beside the field.
func fieldNotFound(p *Page, err error) bool {
	se, ok := setup.AsError(err)
	if !ok || se.Kind != setup.NotFound || se.Field == "" {
		return false
	}
	p.FieldErrors = map[string]string{se.Field: se.Message}
	p.Error = "Review the errors on this page."
	return true
}

// consolePath is the template function path for Go code: a console URL from segments.
func consolePath(parts ...string) string { return funcs["path"].(func(...string) string)(parts...) }

// loadProfile reads the profile of the page's {id} in the viewer's org.
func (c *Console) loadProfile(ctx context.Context, r *http.Request, v *Viewer) (org.Profile, error) {
	id, err := pathID(r, "profile")
	if err != nil {
		return org.Profile{}, err
	}
	p, err := c.cfg.Setup.Store().Profile(ctx, id)
	if err != nil || p.OrgID != v.Org.ID {
		return org.Profile{}, notFound("profile " + id.String())
	}
	return p, nil
}

type profileViewData struct {
	Profile     org.Profile
	Custom      bool
	Sections    []permSection
	Timeout     string
	Users       []org.User
	Grants      grantsView
	FieldGrants int
	ReadOnly    bool
}

// profileView is the profile's detail page, every section read-only with its Edit link.
func (c *Console) profileView(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	p, err := c.loadProfile(r.Context(), r, v)
	if err != nil {
		return err
	}
	users, err := c.cfg.Setup.Store().Users(r.Context(), v.Org.ID)
	if err != nil {
		return err
	}
	d := profileViewData{Profile: p, Custom: !slices.Contains(standardProfiles, p.Name), Sections: permSections(p.Permissions),
		Timeout: setup.TimeoutLabel(p.SessionTimeoutMinutes), FieldGrants: len(p.FieldPermissions), ReadOnly: !v.CanManageUsers()}
	for _, u := range users {
		if u.ProfileID == p.ID {
			d.Users = append(d.Users, u)
		}
	}
	d.Grants = grantsView{Base: consolePath("EnhancedProfiles", p.ID.String()), ReadOnlyLinks: d.ReadOnly}
	if d.Grants.Summary, err = c.grantSummary(r.Context(), v.Org.ID, p.ObjectPermissions); err != nil {
		return err
	}
	c.render(w, r, v, http.StatusOK, "profiles-view", Page{Title: "Profile: " + p.Name, Nav: "EnhancedProfiles", Data: d})
	return nil
}

type timeoutOption struct {
	Minutes int
	Label   string
}

type profileEditData struct {
	Profile  org.Profile
	Name     string
	Sections []permSection
	Timeouts []timeoutOption
	Timeout  int
}

func timeoutOptions(current int) []timeoutOption {
	opts := []timeoutOption{{0, setup.TimeoutLabel(0)}}
	values := setup.SessionTimeouts
	if current != 0 && !slices.Contains(values, current) {
		values = append(slices.Clone(values), current) // an org file's own value stays choosable
		slices.Sort(values)
	}
	for _, m := range values {
		opts = append(opts, timeoutOption{m, setup.TimeoutLabel(m)})
	}
	return opts
}

// profileEdit edits Profile Name, the user permissions and Session Times Out After.
func (c *Console) profileEdit(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	p, err := c.loadProfile(r.Context(), r, v)
	if err != nil {
		return err
	}
	d := profileEditData{Profile: p, Name: p.Name, Sections: permSections(p.Permissions), Timeout: p.SessionTimeoutMinutes}
	page := Page{Title: "Edit Profile: " + p.Name, Nav: "EnhancedProfiles"}
	if r.Method == http.MethodPost {
		f, err := c.form(w, r, "editProfile")
		if err != nil {
			return err
		}
		d.Name = f.Get("Name")
		perms := formPermissions(f)
		d.Sections = permSections(perms)
		d.Timeout, err = strconv.Atoi(f.Get("SessionTimeout"))
		if err != nil {
			err = setup.FieldInvalidf("SessionTimeout", "Session Times Out After: choose one of the values offered")
		} else {
			_, err = c.cfg.Setup.UpdateProfile(r.Context(), v.Actor(), v.Org.ID, p.ID,
				setup.ProfileSettings{Name: d.Name, Permissions: perms, SessionTimeoutMinutes: d.Timeout})
		}
		if err == nil {
			return seeOther(w, r, consolePath("EnhancedProfiles", p.ID.String(), "view"))
		}
		if !formFailure(&page, err) {
			return err
		}
		d.Timeouts = timeoutOptions(p.SessionTimeoutMinutes)
		page.Data = d
		c.render(w, r, v, http.StatusBadRequest, "profiles-edit", page)
		return nil
	}
	d.Timeouts = timeoutOptions(p.SessionTimeoutMinutes)
	page.Data = d
	c.render(w, r, v, http.StatusOK, "profiles-edit", page)
	return nil
}

type profileIPsData struct {
	Profile    org.Profile
	Start, End string
}

// profileIPs lists the Login IP Ranges with a Delete button each and adds one.
func (c *Console) profileIPs(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	p, err := c.loadProfile(r.Context(), r, v)
	if err != nil {
		return err
	}
	d := profileIPsData{Profile: p}
	page := Page{Title: "Login IP Ranges: " + p.Name, Nav: "EnhancedProfiles"}
	if r.Method == http.MethodPost {
		f, err := c.form(w, r, "profileIPs")
		if err != nil {
			return err
		}
		d.Start, d.End = f.Get("StartAddress"), f.Get("EndAddress")
		err = c.cfg.Setup.AddProfileIPRange(r.Context(), v.Actor(), v.Org.ID, p.ID, org.IPRange{Start: d.Start, End: d.End})
		if err == nil {
			return seeOther(w, r, consolePath("EnhancedProfiles", p.ID.String(), "ips"))
		}
		if !formFailure(&page, err) {
			return err
		}
		page.Data = d
		c.render(w, r, v, http.StatusBadRequest, "profiles-ips", page)
		return nil
	}
	page.Data = d
	c.render(w, r, v, http.StatusOK, "profiles-ips", page)
	return nil
}

// profileIPDelete deletes one Login IP Range.
func (c *Console) profileIPDelete(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	p, err := c.loadProfile(r.Context(), r, v)
	if err != nil {
		return err
	}
	f, err := c.form(w, r, "profileIPs")
	if err != nil {
		return err
	}
	err = c.cfg.Setup.DeleteProfileIPRange(r.Context(), v.Actor(), v.Org.ID, p.ID, org.IPRange{Start: f.Get("Start"), End: f.Get("End")})
	if err != nil {
		return err
	}
	return seeOther(w, r, consolePath("EnhancedProfiles", p.ID.String(), "ips"))
}

// profileTarget is the profile as a grants page's target.
func (c *Console) profileTarget(p org.Profile) grantTarget {
	return grantTarget{Kind: "Profile", Nav: "EnhancedProfiles", ID: p.ID, Name: p.Name, Objects: p.ObjectPermissions, Fields: p.FieldPermissions,
		setObjects: func(ctx context.Context, v *Viewer, g []org.ObjectPermission) error {
			return c.cfg.Setup.SetProfileObjectPermissions(ctx, v.Actor(), v.Org.ID, p.ID, g)
		},
		setFields: func(ctx context.Context, v *Viewer, object string, f []org.FieldPermission) error {
			return c.cfg.Setup.SetProfileFieldPermissions(ctx, v.Actor(), v.Org.ID, p.ID, object, f)
		}}
}

func (c *Console) profileObjects(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	p, err := c.loadProfile(r.Context(), r, v)
	if err != nil {
		return err
	}
	return c.grantObjects(w, r, v, c.profileTarget(p))
}

func (c *Console) profileFields(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	p, err := c.loadProfile(r.Context(), r, v)
	if err != nil {
		return err
	}
	return c.grantFields(w, r, v, c.profileTarget(p))
}

// profileDelete deletes a profile no user holds; otherwise the view page says why not.
func (c *Console) profileDelete(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	p, err := c.loadProfile(r.Context(), r, v)
	if err != nil {
		return err
	}
	if _, err := c.form(w, r, "deleteProfile"); err != nil {
		return err
	}
	if err := c.cfg.Setup.DeleteProfile(r.Context(), v.Actor(), v.Org.ID, p.ID); err != nil {
		return err
	}
	return seeOther(w, r, Prefix+"EnhancedProfiles/home")
}
