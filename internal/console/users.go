package console

// Users (Setup → Users, Lightning path ManageUsers): the list, New User and Edit. The
// detail page and its actions (Freeze, Reset Password, …) are in users_view.go. Labels are
// Salesforce's New User page's (help.salesforce.com "Add a Single User",
// admin_users_add.htm). Every change goes through the Setup service (setup/users.go).

import (
	"cmp"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/setup"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

func (c *Console) userRoutes() []route {
	u := Prefix + "ManageUsers/"
	return []route{
		{"GET " + u + "home", AccessView, c.usersList},
		{"GET " + u + "new", AccessManageUsers, c.userNew},
		{"POST " + u + "new", AccessManageUsers, c.userCreate},
		{"GET " + u + "{id}/view", AccessView, c.userView},
		{"GET " + u + "{id}/edit", AccessManageUsers, c.userEdit},
		{"POST " + u + "{id}/edit", AccessManageUsers, c.userSave},
		{"POST " + u + "{id}/freeze", AccessManageUsers, c.userFreeze},
		{"POST " + u + "{id}/unfreeze", AccessManageUsers, c.userUnfreeze},
		{"POST " + u + "{id}/resetPassword", AccessManageUsers, c.userResetPassword},
		{"POST " + u + "{id}/resetSecurityToken", AccessManageUsers, c.userResetSecurityToken},
		{"POST " + u + "{id}/unlock", AccessManageUsers, c.userUnlock},
		{"POST " + u + "{id}/permissionSets", AccessManageUsers, c.userAssignPermSet},
		{"POST " + u + "{id}/permissionSets/{ps}/remove", AccessManageUsers, c.userUnassignPermSet},
	}
}

// userPath is a user's page under ManageUsers.
func userPath(id sfid.ID, page string) string {
	return Prefix + "ManageUsers/" + url.PathEscape(id.String()) + "/" + page
}

// userRow is one row of the Users list.
type userRow struct {
	User      org.User
	Alias     string
	Profile   string
	LastLogin time.Time
}

// lastLoginScan is how many of the org's most recent login history rows the list reads
// (one query, newest first) to find each user's last successful login (Last Login). A user
// whose last success is older than that shows none. Forcefield stores no LastLoginDate on
// the user; a query per user would scan the history once per user (it has no index by
// user), so the list's cost is bounded by this instead.
const lastLoginScan = 5000

// usersList is Setup → Users: every user of the org with Salesforce's columns (Full Name,
// Alias, Username, Last Login, Active, Profile) and Frozen, by full name.
func (c *Console) usersList(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	ctx := r.Context()
	st := c.cfg.Setup.Store()
	users, err := st.Users(ctx, v.Org.ID)
	if err != nil {
		return err
	}
	profiles, err := profileNames(r, st, v.Org.ID)
	if err != nil {
		return err
	}
	logins, err := st.LoginHistory(ctx, store.LoginFilter{OrgID: v.Org.ID, Limit: lastLoginScan})
	if err != nil {
		return err
	}
	last := map[sfid.ID]time.Time{}
	for _, l := range logins { // newest first: the first success of a user is their last
		if _, seen := last[l.UserID]; !seen && l.Status == org.LoginStatusSuccess {
			last[l.UserID] = l.Time
		}
	}
	rows := make([]userRow, 0, len(users))
	for _, u := range users {
		rows = append(rows, userRow{User: u, Alias: setup.Alias(u), Profile: profiles[u.ProfileID], LastLogin: last[u.ID]})
	}
	slices.SortFunc(rows, func(a, b userRow) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.User.LastName), strings.ToLower(b.User.LastName)),
			cmp.Compare(strings.ToLower(a.User.FirstName), strings.ToLower(b.User.FirstName)), cmp.Compare(a.User.Username, b.User.Username))
	})
	c.render(w, r, v, http.StatusOK, "users", Page{Title: "Users", Nav: "ManageUsers", Data: rows})
	return nil
}

func profileNames(r *http.Request, st store.Store, orgID sfid.ID) (map[sfid.ID]string, error) {
	ps, err := st.Profiles(r.Context(), orgID)
	if err != nil {
		return nil, err
	}
	m := make(map[sfid.ID]string, len(ps))
	for _, p := range ps {
		m[p.ID] = p.Name
	}
	return m, nil
}

// option is one <option> of a select.
type option struct{ Value, Label string }

// Locale Settings choices: the common ones of Salesforce's picklists (TimeZoneSidKey,
// LocaleSidKey, LanguageLocaleKey). A user's current value not in the list is offered too.
var (
	timeZones = []option{{"Pacific/Honolulu", "(GMT-10:00) Hawaii-Aleutian Standard Time (Pacific/Honolulu)"},
		{"America/Anchorage", "(GMT-09:00) Alaska Standard Time (America/Anchorage)"},
		{"America/Los_Angeles", "(GMT-08:00) Pacific Standard Time (America/Los_Angeles)"},
		{"America/Denver", "(GMT-07:00) Mountain Standard Time (America/Denver)"},
		{"America/Chicago", "(GMT-06:00) Central Standard Time (America/Chicago)"},
		{"America/New_York", "(GMT-05:00) Eastern Standard Time (America/New_York)"},
		{"America/Sao_Paulo", "(GMT-03:00) Brasilia Standard Time (America/Sao_Paulo)"},
		{"GMT", "(GMT+00:00) Greenwich Mean Time (GMT)"},
		{"Europe/London", "(GMT+00:00) Greenwich Mean Time (Europe/London)"},
		{"Europe/Paris", "(GMT+01:00) Central European Standard Time (Europe/Paris)"},
		{"Europe/Berlin", "(GMT+01:00) Central European Standard Time (Europe/Berlin)"},
		{"Asia/Kolkata", "(GMT+05:30) India Standard Time (Asia/Kolkata)"},
		{"Asia/Singapore", "(GMT+08:00) Singapore Standard Time (Asia/Singapore)"},
		{"Asia/Tokyo", "(GMT+09:00) Japan Standard Time (Asia/Tokyo)"},
		{"Australia/Sydney", "(GMT+10:00) Australian Eastern Standard Time (Australia/Sydney)"}}
	locales = []option{{"en_US", "English (United States)"}, {"en_GB", "English (United Kingdom)"},
		{"de_DE", "German (Germany)"}, {"fr_FR", "French (France)"}, {"es_ES", "Spanish (Spain)"},
		{"ja_JP", "Japanese (Japan)"}, {"pt_BR", "Portuguese (Brazil)"}}
	languages = []option{{"en_US", "English"}, {"de", "German"}, {"fr", "French"}, {"es", "Spanish"},
		{"ja", "Japanese"}, {"pt_BR", "Portuguese (Brazil)"}}
)

// withCurrent returns opts with cur added when it is not one of them.
func withCurrent(opts []option, cur string) []option {
	if cur == "" || slices.ContainsFunc(opts, func(o option) bool { return o.Value == cur }) {
		return opts
	}
	return append(slices.Clone(opts), option{cur, cur})
}

// userForm is the New User and Edit page's data.
type userForm struct {
	New       bool
	User      org.User // the user edited (zero on New)
	In        setup.UserInput
	Profiles  []org.Profile
	TimeZones []option
	Locales   []option
	Languages []option
	RunAsApps []string // apps the user runs as: deactivating them stops those apps' tokens
}

func (c *Console) renderUserForm(w http.ResponseWriter, r *http.Request, v *Viewer, status int, f userForm, err error) error {
	ps, perr := c.cfg.Setup.Store().Profiles(r.Context(), v.Org.ID)
	if perr != nil {
		return perr
	}
	f.Profiles = ps
	f.TimeZones = withCurrent(timeZones, f.In.TimeZone)
	f.Locales = withCurrent(locales, f.In.Locale)
	f.Languages = withCurrent(languages, f.In.Language)
	p := Page{Title: "New User", Nav: "ManageUsers", Data: f}
	if !f.New {
		p.Title = "Edit User: " + f.User.Name()
	}
	if err != nil {
		p.FieldErrors = setup.FieldErrors(err)
		if e, ok := setup.AsError(err); ok {
			p.Error = "Review the errors on this page."
			if e.Field == "" {
				p.Error = e.Message
			}
		}
	}
	c.render(w, r, v, status, "users_edit", p)
	return nil
}

// userNew is the empty New User form: Active ticked, the Locale Settings defaulted.
func (c *Console) userNew(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	in := setup.UserInput{Active: true, TimeZone: setup.DefaultTimeZone, Locale: setup.DefaultLocale, Language: setup.DefaultLanguage}
	return c.renderUserForm(w, r, v, http.StatusOK, userForm{New: true, In: in}, nil)
}

// userInput reads the form; an unknown profile ID is left to the service to refuse.
func userInput(f url.Values) setup.UserInput {
	return setup.UserInput{
		FirstName: f.Get(setup.FieldFirstName), LastName: f.Get(setup.FieldLastName),
		Email: f.Get(setup.FieldEmail), Username: f.Get(setup.FieldUsername),
		ProfileID: sfid.ID(strings.TrimSpace(f.Get(setup.FieldProfile))), Active: f.Get(setup.FieldActive) != "",
		TimeZone: f.Get(setup.FieldTimeZone), Locale: f.Get(setup.FieldLocale), Language: f.Get(setup.FieldLanguage),
		Password: f.Get(setup.FieldPassword), GeneratePassword: f.Get("GeneratePassword") != "",
	}
}

// userCreate saves New User. With a generated password the response is the page that
// shows it once (never a redirect: the password must not reach a URL or history).
func (c *Console) userCreate(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	f, err := c.form(w, r, "newUser")
	if err != nil {
		return err
	}
	in := userInput(f)
	u, pw, err := c.cfg.Setup.CreateUser(r.Context(), setup.UserActor(v.User), v.Org.ID, in)
	if _, ok := setup.AsError(err); ok {
		in.Password = "" // never echoed back into the page
		return c.renderUserForm(w, r, v, http.StatusBadRequest, userForm{New: true, In: in}, err)
	}
	if err != nil {
		return err
	}
	if pw != "" {
		return c.renderSecret(w, r, v, u, "New User Password", "Password", pw,
			"The user was created. Give them this password: it is shown only now, and Forcefield keeps only its hash.")
	}
	return seeOther(w, r, userPath(u.ID, "view"))
}

// orgUser reads the {id} user of the viewer's org, or a 404.
func (c *Console) orgUser(r *http.Request, v *Viewer) (org.User, error) {
	id, err := sfid.Parse(r.PathValue("id"))
	if err != nil {
		return org.User{}, notFound("user " + r.PathValue("id"))
	}
	u, err := c.cfg.Setup.Store().User(r.Context(), id)
	if err == nil && u.OrgID != v.Org.ID {
		err = store.ErrNotFound
	}
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return u, notFound("user " + id.String())
		}
		return u, err
	}
	return u, nil
}

// runAsApps names the org's apps whose client credentials flow runs as the user.
func (c *Console) runAsApps(r *http.Request, u org.User) ([]string, error) {
	apps, err := c.cfg.Setup.Store().ConnectedApps(r.Context(), u.OrgID)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, a := range apps {
		if a.RunAsUserID == u.ID {
			out = append(out, a.Name)
		}
	}
	return out, nil
}

// userEdit is the Edit User form filled with the user's values.
func (c *Console) userEdit(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	u, err := c.orgUser(r, v)
	if err != nil {
		return err
	}
	apps, err := c.runAsApps(r, u)
	if err != nil {
		return err
	}
	in := setup.UserInput{FirstName: u.FirstName, LastName: u.LastName, Email: u.Email, Username: u.Username,
		ProfileID: u.ProfileID, Active: u.Active, TimeZone: u.TimeZone, Locale: u.Locale, Language: u.Language}
	return c.renderUserForm(w, r, v, http.StatusOK, userForm{User: u, In: in, RunAsApps: apps}, nil)
}

// userSave saves Edit User.
func (c *Console) userSave(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	u, err := c.orgUser(r, v)
	if err != nil {
		return err
	}
	f, err := c.form(w, r, "editUser:"+u.ID.String())
	if err != nil {
		return err
	}
	in := userInput(f)
	in.Password, in.GeneratePassword = "", false
	_, err = c.cfg.Setup.UpdateUser(r.Context(), setup.UserActor(v.User), v.Org.ID, u.ID, in)
	if _, ok := setup.AsError(err); ok {
		apps, aerr := c.runAsApps(r, u)
		if aerr != nil {
			return aerr
		}
		return c.renderUserForm(w, r, v, http.StatusBadRequest, userForm{User: u, In: in, RunAsApps: apps}, err)
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, userPath(u.ID, "view"))
}
