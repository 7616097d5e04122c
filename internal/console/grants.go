package console

import (
	"context"
	"net/http"
	"net/url"
	"slices"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/setup"
	"github.com/forcefield/forcefield/internal/sfid"
)

// What the Profiles and Permission Sets pages share: user permission checkboxes with
// Salesforce's labels (org.Permissions), Object Settings (Read, Create, Edit, Delete, View
// All, Modify All per object of the org's catalog) and Field-Level Security (Read Access,
// Edit Access per field). The rules are the Setup service's; these pages only read forms.

// grantTarget is the profile or permission set a grants page edits.
type grantTarget struct {
	Kind    string // "Profile" or "Permission Set"
	Nav     string // EnhancedProfiles or PermSets
	ID      sfid.ID
	Name    string
	Objects []org.ObjectPermission
	Fields  []org.FieldPermission
	// setObjects and setFields call the Setup service.
	setObjects func(ctx context.Context, v *Viewer, grants []org.ObjectPermission) error
	setFields  func(ctx context.Context, v *Viewer, object string, fields []org.FieldPermission) error
}

// Base is the target's view page.
func (g grantTarget) Base() string { return Prefix + g.Nav + "/" + url.PathEscape(g.ID.String()) }

// permRow is one user permission checkbox.
type permRow struct {
	org.PermissionInfo
	Checked bool
}

// permSection is a group of permission checkboxes (Administrative, General).
type permSection struct {
	Title string
	Perms []permRow
}

// permSections lays out every known permission, ticked when in held.
func permSections(held []string) []permSection {
	var out []permSection
	for _, p := range org.Permissions() {
		if len(out) == 0 || out[len(out)-1].Title != p.Section {
			out = append(out, permSection{Title: p.Section})
		}
		s := &out[len(out)-1]
		s.Perms = append(s.Perms, permRow{PermissionInfo: p, Checked: slices.Contains(held, p.Name)})
	}
	return out
}

// formPermissions reads the ticked permission checkboxes (perm_NAME).
func formPermissions(f url.Values) []string {
	var out []string
	for _, p := range org.Permissions() {
		if f.Get("perm_"+p.Name) != "" {
			out = append(out, p.Name)
		}
	}
	return out
}

// objectRow is one object of Object Settings.
type objectRow struct {
	Name, Label string
	Grant       org.ObjectPermission
}

// dataObjects are the catalog's objects a grant is about (Setup objects are readable by
// everyone and never writable through the data API, so they have no row).
func dataObjects(cat *schema.Catalog) []*schema.Object {
	var out []*schema.Object
	for _, o := range cat.Objects() {
		if !o.Setup {
			out = append(out, o)
		}
	}
	return out
}

func objectRows(cat *schema.Catalog, grants []org.ObjectPermission) []objectRow {
	var out []objectRow
	for _, o := range dataObjects(cat) {
		out = append(out, objectRow{Name: o.Name, Label: o.Label, Grant: setup.ObjectAccess(grants, o.Name)})
	}
	return out
}

// fieldRow is one field of Field-Level Security.
type fieldRow struct {
	Name, Label string
	Grant       org.FieldPermission
}

func fieldRows(obj *schema.Object, grants []org.FieldPermission) []fieldRow {
	var out []fieldRow
	for _, f := range obj.Fields {
		if f.Permissionable {
			out = append(out, fieldRow{Name: f.Name, Label: f.Label, Grant: setup.FieldAccess(grants, obj.Name, f.Name)})
		}
	}
	return out
}

type objectsData struct {
	Target grantTarget
	Rows   []objectRow
}

type fieldsData struct {
	Target grantTarget
	Object string
	Label  string
	Rows   []fieldRow
}

// grantObjects is Object Settings: GET shows the checkboxes, POST saves them all.
func (c *Console) grantObjects(w http.ResponseWriter, r *http.Request, v *Viewer, g grantTarget) error {
	cat, err := c.cfg.Setup.Directory().Catalog(r.Context(), v.Org.ID)
	if err != nil {
		return err
	}
	page := Page{Title: g.Kind + ": " + g.Name + " — Object Settings", Nav: g.Nav}
	if r.Method == http.MethodPost {
		f, err := c.form(w, r, "grantObjects")
		if err != nil {
			return err
		}
		var grants []org.ObjectPermission
		for _, o := range dataObjects(cat) {
			on := func(p string) bool { return f.Get("obj_"+o.Name+"_"+p) != "" }
			grants = append(grants, org.ObjectPermission{Object: o.Name, Read: on("Read"), Create: on("Create"), Edit: on("Edit"),
				Delete: on("Delete"), ViewAll: on("ViewAll"), ModifyAll: on("ModifyAll")})
		}
		err = g.setObjects(r.Context(), v, grants)
		if err == nil {
			return seeOther(w, r, g.Base()+"/view")
		}
		if !formFailure(&page, err) {
			return err
		}
		g.Objects = grants
		page.Data = objectsData{Target: g, Rows: objectRows(cat, grants)}
		c.render(w, r, v, http.StatusBadRequest, "profiles-objects", page)
		return nil
	}
	page.Data = objectsData{Target: g, Rows: objectRows(cat, g.Objects)}
	c.render(w, r, v, http.StatusOK, "profiles-objects", page)
	return nil
}

// grantFields is Field-Level Security of one object.
func (c *Console) grantFields(w http.ResponseWriter, r *http.Request, v *Viewer, g grantTarget) error {
	cat, err := c.cfg.Setup.Directory().Catalog(r.Context(), v.Org.ID)
	if err != nil {
		return err
	}
	obj, ok := cat.Object(r.PathValue("object"))
	if !ok || obj.Setup {
		return notFound("object " + r.PathValue("object"))
	}
	page := Page{Title: g.Kind + ": " + g.Name + " — Field-Level Security: " + obj.Label, Nav: g.Nav}
	if r.Method == http.MethodPost {
		f, err := c.form(w, r, "grantFields")
		if err != nil {
			return err
		}
		var fields []org.FieldPermission
		for _, fr := range fieldRows(obj, nil) {
			fields = append(fields, org.FieldPermission{Field: fr.Name,
				Read: f.Get("fld_"+fr.Name+"_Read") != "", Edit: f.Get("fld_"+fr.Name+"_Edit") != ""})
		}
		err = g.setFields(r.Context(), v, obj.Name, fields)
		if err == nil {
			return seeOther(w, r, g.Base()+"/view")
		}
		if !formFailure(&page, err) {
			return err
		}
		page.Data = fieldsData{Target: g, Object: obj.Name, Label: obj.Label, Rows: fieldRows(obj, g.Fields)}
		c.render(w, r, v, http.StatusBadRequest, "profiles-fields", page)
		return nil
	}
	page.Data = fieldsData{Target: g, Object: obj.Name, Label: obj.Label, Rows: fieldRows(obj, g.Fields)}
	c.render(w, r, v, http.StatusOK, "profiles-fields", page)
	return nil
}

// grantSummary is the view page's Object Settings and Field-Level Security sections.
type grantSummary struct {
	Objects []objectRow // objects with some access
	FLS     []objectRow // every data object, for its Field-Level Security link
}

// grantsView is what the "grants-view" template shows.
type grantsView struct {
	Base          string // the target's path, without /view
	Summary       grantSummary
	ReadOnlyLinks bool // the viewer may not edit: no Edit links
}

func (c *Console) grantSummary(ctx context.Context, orgID sfid.ID, grants []org.ObjectPermission) (grantSummary, error) {
	cat, err := c.cfg.Setup.Directory().Catalog(ctx, orgID)
	if err != nil {
		return grantSummary{}, err
	}
	var s grantSummary
	for _, row := range objectRows(cat, grants) {
		if row.Grant.Any() {
			s.Objects = append(s.Objects, row)
		}
		s.FLS = append(s.FLS, row)
	}
	return s, nil
}

// formFailure puts a refused change's message on the page (beside its field when it names
// one) and reports whether err was such a refusal; other errors go to wrap.
func formFailure(p *Page, err error) bool {
	se, ok := setup.AsError(err)
	if !ok || se.Kind == setup.NotFound {
		return false
	}
	if se.Field != "" {
		p.FieldErrors = map[string]string{se.Field: se.Message}
		p.Error = "Review the errors on this page."
	} else {
		p.Error = se.Message
	}
	return true
}

// pathID parses the {id} of a page's path.
func pathID(r *http.Request, what string) (sfid.ID, error) {
	id, err := sfid.Parse(r.PathValue("id"))
	if err != nil {
		return "", notFound(what + " " + r.PathValue("id"))
	}
	return id, nil
}
