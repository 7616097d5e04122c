package console

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/setup"
	"github.com/forcefield/forcefield/internal/sfid"
)

// Permission Sets (PermSets): list, New Permission Set (Label; the API Name follows from
// it), the set's page, its edit pages (permissions, Object Settings, Field-Level
// Security), Manage Assignments and Delete. Salesforce Help: "Create Permission Sets",
// "Manage Permission Set Assignments".

func (c *Console) permSetRoutes() []route {
	p := "PermSets/"
	return []route{
		{"GET " + Prefix + p + "home", AccessView, c.permSetsList},
		{"GET " + Prefix + p + "new", AccessManageUsers, c.permSetNew},
		{"POST " + Prefix + p + "new", AccessManageUsers, c.permSetNew},
		{"GET " + Prefix + p + "{id}/view", AccessView, c.permSetView},
		{"GET " + Prefix + p + "{id}/edit", AccessManageUsers, c.permSetEdit},
		{"POST " + Prefix + p + "{id}/edit", AccessManageUsers, c.permSetEdit},
		{"GET " + Prefix + p + "{id}/objects", AccessManageUsers, c.permSetObjects},
		{"POST " + Prefix + p + "{id}/objects", AccessManageUsers, c.permSetObjects},
		{"GET " + Prefix + p + "{id}/fields/{object}", AccessManageUsers, c.permSetFields},
		{"POST " + Prefix + p + "{id}/fields/{object}", AccessManageUsers, c.permSetFields},
		{"GET " + Prefix + p + "{id}/assignments", AccessManageUsers, c.permSetAssignments},
		{"POST " + Prefix + p + "{id}/assignments", AccessManageUsers, c.permSetAssignments},
		{"POST " + Prefix + p + "{id}/delete", AccessManageUsers, c.permSetDelete},
	}
}

type permSetRow struct {
	Set     org.PermissionSet
	APIName string
	Users   int
}

// permSetsList lists the org's permission sets: Label, API Name, assigned users, Last
// Modified.
func (c *Console) permSetsList(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	st := c.cfg.Setup.Store()
	sets, err := st.PermissionSets(r.Context(), v.Org.ID)
	if err != nil {
		return err
	}
	users, err := st.Users(r.Context(), v.Org.ID)
	if err != nil {
		return err
	}
	counts := map[sfid.ID]int{}
	for _, u := range users {
		for _, id := range u.PermissionSetIDs {
			counts[id]++
		}
	}
	rows := make([]permSetRow, 0, len(sets))
	for _, ps := range sets {
		rows = append(rows, permSetRow{Set: ps, APIName: setup.PermissionSetAPIName(ps.Name), Users: counts[ps.ID]})
	}
	slices.SortFunc(rows, func(a, b permSetRow) int {
		return strings.Compare(strings.ToLower(a.Set.Name), strings.ToLower(b.Set.Name))
	})
	c.render(w, r, v, http.StatusOK, "permsets-list", Page{Title: "Permission Sets", Nav: "PermSets", Data: rows})
	return nil
}

// permSetNew is New Permission Set.
func (c *Console) permSetNew(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	page := Page{Title: "New Permission Set", Nav: "PermSets", Data: ""}
	if r.Method == http.MethodPost {
		f, err := c.form(w, r, "newPermSet")
		if err != nil {
			return err
		}
		ps, err := c.cfg.Setup.CreatePermissionSet(r.Context(), v.Actor(), v.Org.ID, f.Get("Label"))
		if err == nil {
			return seeOther(w, r, consolePath("PermSets", ps.ID.String(), "view"))
		}
		if !formFailure(&page, err) {
			return err
		}
		page.Data = f.Get("Label")
		c.render(w, r, v, http.StatusBadRequest, "permsets-new", page)
		return nil
	}
	c.render(w, r, v, http.StatusOK, "permsets-new", page)
	return nil
}

func (c *Console) loadPermSet(ctx context.Context, r *http.Request, v *Viewer) (org.PermissionSet, error) {
	id, err := pathID(r, "permission set")
	if err != nil {
		return org.PermissionSet{}, err
	}
	ps, err := c.cfg.Setup.Store().PermissionSet(ctx, id)
	if err != nil || ps.OrgID != v.Org.ID {
		return org.PermissionSet{}, notFound("permission set " + id.String())
	}
	return ps, nil
}

type permSetViewData struct {
	Set      org.PermissionSet
	APIName  string
	Sections []permSection
	Users    []org.User
	Grants   grantsView
	ReadOnly bool
}

// permSetView is the permission set's page: its permissions, Object Settings, Field-Level
// Security links and assigned users.
func (c *Console) permSetView(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	ps, err := c.loadPermSet(r.Context(), r, v)
	if err != nil {
		return err
	}
	users, err := c.cfg.Setup.Store().Users(r.Context(), v.Org.ID)
	if err != nil {
		return err
	}
	d := permSetViewData{Set: ps, APIName: setup.PermissionSetAPIName(ps.Name), Sections: permSections(ps.Permissions), ReadOnly: !v.CanManageUsers()}
	for _, u := range users {
		if slices.Contains(u.PermissionSetIDs, ps.ID) {
			d.Users = append(d.Users, u)
		}
	}
	d.Grants = grantsView{Base: consolePath("PermSets", ps.ID.String()), ReadOnlyLinks: d.ReadOnly}
	if d.Grants.Summary, err = c.grantSummary(r.Context(), v.Org.ID, ps.ObjectPermissions); err != nil {
		return err
	}
	c.render(w, r, v, http.StatusOK, "permsets-view", Page{Title: "Permission Set: " + ps.Name, Nav: "PermSets", Data: d})
	return nil
}

type permSetEditData struct {
	Set      org.PermissionSet
	Label    string
	Sections []permSection
}

// permSetEdit edits the Label and the user permissions.
func (c *Console) permSetEdit(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	ps, err := c.loadPermSet(r.Context(), r, v)
	if err != nil {
		return err
	}
	d := permSetEditData{Set: ps, Label: ps.Name, Sections: permSections(ps.Permissions)}
	page := Page{Title: "Edit Permission Set: " + ps.Name, Nav: "PermSets"}
	if r.Method == http.MethodPost {
		f, err := c.form(w, r, "editPermSet")
		if err != nil {
			return err
		}
		d.Label = f.Get("Label")
		perms := formPermissions(f)
		d.Sections = permSections(perms)
		_, err = c.cfg.Setup.UpdatePermissionSet(r.Context(), v.Actor(), v.Org.ID, ps.ID, setup.PermissionSetSettings{Label: d.Label, Permissions: perms})
		if err == nil {
			return seeOther(w, r, consolePath("PermSets", ps.ID.String(), "view"))
		}
		if !formFailure(&page, err) {
			return err
		}
		page.Data = d
		c.render(w, r, v, http.StatusBadRequest, "permsets-edit", page)
		return nil
	}
	page.Data = d
	c.render(w, r, v, http.StatusOK, "permsets-edit", page)
	return nil
}

func (c *Console) permSetTarget(ps org.PermissionSet) grantTarget {
	return grantTarget{Kind: "Permission Set", Nav: "PermSets", ID: ps.ID, Name: ps.Name, Objects: ps.ObjectPermissions, Fields: ps.FieldPermissions,
		setObjects: func(ctx context.Context, v *Viewer, g []org.ObjectPermission) error {
			return c.cfg.Setup.SetPermissionSetObjectPermissions(ctx, v.Actor(), v.Org.ID, ps.ID, g)
		},
		setFields: func(ctx context.Context, v *Viewer, object string, f []org.FieldPermission) error {
			return c.cfg.Setup.SetPermissionSetFieldPermissions(ctx, v.Actor(), v.Org.ID, ps.ID, object, f)
		}}
}

func (c *Console) permSetObjects(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	ps, err := c.loadPermSet(r.Context(), r, v)
	if err != nil {
		return err
	}
	return c.grantObjects(w, r, v, c.permSetTarget(ps))
}

func (c *Console) permSetFields(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	ps, err := c.loadPermSet(r.Context(), r, v)
	if err != nil {
		return err
	}
	return c.grantFields(w, r, v, c.permSetTarget(ps))
}

type assignmentRow struct {
	User     org.User
	Assigned bool
}

type assignmentsData struct {
	Set  org.PermissionSet
	Rows []assignmentRow
}

// permSetAssignments is Manage Assignments: every active user of the org with a checkbox;
// Save assigns the ticked ones and removes the others.
func (c *Console) permSetAssignments(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	ps, err := c.loadPermSet(r.Context(), r, v)
	if err != nil {
		return err
	}
	users, err := c.cfg.Setup.Store().Users(r.Context(), v.Org.ID)
	if err != nil {
		return err
	}
	slices.SortFunc(users, func(a, b org.User) int { return strings.Compare(a.Username, b.Username) })
	d := assignmentsData{Set: ps}
	for _, u := range users {
		if u.Active || slices.Contains(u.PermissionSetIDs, ps.ID) {
			d.Rows = append(d.Rows, assignmentRow{User: u, Assigned: slices.Contains(u.PermissionSetIDs, ps.ID)})
		}
	}
	page := Page{Title: "Manage Assignments: " + ps.Name, Nav: "PermSets", Data: d}
	if r.Method == http.MethodPost {
		f, err := c.form(w, r, "permSetAssignments")
		if err != nil {
			return err
		}
		var add, remove []sfid.ID
		for _, row := range d.Rows {
			switch want := f.Get("user_"+row.User.ID.String()) != ""; {
			case want && !row.Assigned:
				add = append(add, row.User.ID)
			case !want && row.Assigned:
				remove = append(remove, row.User.ID)
			}
		}
		err = c.cfg.Setup.SetPermissionSetAssignments(r.Context(), v.Actor(), v.Org.ID, ps.ID, add, remove)
		if err == nil {
			return seeOther(w, r, consolePath("PermSets", ps.ID.String(), "view"))
		}
		if !formFailure(&page, err) {
			return err
		}
		c.render(w, r, v, http.StatusBadRequest, "permsets-assignments", page)
		return nil
	}
	c.render(w, r, v, http.StatusOK, "permsets-assignments", page)
	return nil
}

// permSetDelete deletes a permission set and its assignments.
func (c *Console) permSetDelete(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	ps, err := c.loadPermSet(r.Context(), r, v)
	if err != nil {
		return err
	}
	if _, err := c.form(w, r, "deletePermSet"); err != nil {
		return err
	}
	if err := c.cfg.Setup.DeletePermissionSet(r.Context(), v.Actor(), v.Org.ID, ps.ID); err != nil {
		return err
	}
	return seeOther(w, r, Prefix+"PermSets/home")
}
