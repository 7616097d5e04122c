package console

// A user's detail page (Setup → Users → <user>) and its buttons: Edit, Freeze/Unfreeze,
// Reset Password, Reset Security Token, Unlock; related lists Permission Set Assignments
// (add/remove), Login History (the last 20 rows) and Sessions (the live ones; removing
// them is Session Management's). A new password or token is shown once, as the response
// to the POST that made it (no-store, never in a URL).

import (
	"net/http"
	"slices"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/setup"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// userLoginRows is how many rows of Login History the user's page shows.
const userLoginRows = 20

type userPermSetRow struct {
	ID       sfid.ID
	Name     string
	Assigned bool
}

type userView struct {
	User        org.User
	Alias       string
	Profile     org.Profile
	Locked      bool
	RunAsApps   []string
	Assigned    []userPermSetRow
	Assignable  []userPermSetRow
	ShowHistory bool // Login History and Sessions need ManageUsers
	Logins      []org.LoginEvent
	Sessions    []org.Session
	Apps        map[sfid.ID]string
	Self        bool
}

// userView is a user's detail page.
func (c *Console) userView(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	u, err := c.orgUser(r, v)
	if err != nil {
		return err
	}
	ctx := r.Context()
	st := c.cfg.Setup.Store()
	d := userView{User: u, Alias: setup.Alias(u), Self: u.ID == v.User.ID, Apps: map[sfid.ID]string{}}
	if !u.ProfileID.IsZero() {
		if d.Profile, err = st.Profile(ctx, u.ProfileID); err != nil {
			return err
		}
	}
	l, err := st.Lockout(ctx, u.ID)
	if err != nil {
		return err
	}
	d.Locked = l.Locked(c.now())
	if d.RunAsApps, err = c.runAsApps(r, u); err != nil {
		return err
	}
	sets, err := st.PermissionSets(ctx, v.Org.ID)
	if err != nil {
		return err
	}
	for _, ps := range sets {
		row := userPermSetRow{ID: ps.ID, Name: ps.Name, Assigned: slices.Contains(u.PermissionSetIDs, ps.ID)}
		if row.Assigned {
			d.Assigned = append(d.Assigned, row)
		} else {
			d.Assignable = append(d.Assignable, row)
		}
	}
	if v.CanManageUsers() {
		d.ShowHistory = true
		if d.Logins, err = st.LoginHistory(ctx, store.LoginFilter{UserID: u.ID, Limit: userLoginRows}); err != nil {
			return err
		}
		if c.cfg.Sessions != nil {
			if d.Sessions, err = c.cfg.Sessions.List(ctx, store.SessionFilter{UserID: u.ID}); err != nil {
				return err
			}
		}
		apps, err := st.ConnectedApps(ctx, v.Org.ID)
		if err != nil {
			return err
		}
		for _, a := range apps {
			d.Apps[a.ID] = a.Name
		}
	}
	c.render(w, r, v, http.StatusOK, "users_view", Page{Title: "User: " + u.Name(), Nav: "ManageUsers", Data: d})
	return nil
}

// userAction is a POST button of the user's page: it checks the form's CSRF token (one
// form name per action and user), runs do, and goes back to the page. A refused change
// (a *setup.Error) is an error page with the service's message.
func (c *Console) userAction(w http.ResponseWriter, r *http.Request, v *Viewer, name string, do func(u org.User) error) error {
	u, err := c.orgUser(r, v)
	if err != nil {
		return err
	}
	if _, err := c.form(w, r, name+":"+u.ID.String()); err != nil {
		return err
	}
	if err := do(u); err != nil {
		return err
	}
	return seeOther(w, r, userPath(u.ID, "view"))
}

func (c *Console) userFreeze(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	return c.userAction(w, r, v, "freeze", func(u org.User) error {
		return c.cfg.Setup.FreezeUser(r.Context(), setup.UserActor(v.User), v.Org.ID, u.ID)
	})
}

func (c *Console) userUnfreeze(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	return c.userAction(w, r, v, "unfreeze", func(u org.User) error {
		return c.cfg.Setup.UnfreezeUser(r.Context(), setup.UserActor(v.User), v.Org.ID, u.ID)
	})
}

func (c *Console) userUnlock(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	return c.userAction(w, r, v, "unlock", func(u org.User) error {
		return c.cfg.Setup.UnlockUser(r.Context(), setup.UserActor(v.User), v.Org.ID, u.ID)
	})
}

func (c *Console) userAssignPermSet(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	u, err := c.orgUser(r, v)
	if err != nil {
		return err
	}
	f, err := c.form(w, r, "assignPermSet:"+u.ID.String())
	if err != nil {
		return err
	}
	ps, err := sfid.Parse(f.Get("PermissionSet"))
	if err != nil {
		return setup.FieldInvalidf("PermissionSet", "Choose a permission set to assign.")
	}
	if err := c.cfg.Setup.AssignPermissionSet(r.Context(), setup.UserActor(v.User), v.Org.ID, u.ID, ps); err != nil {
		return err
	}
	return seeOther(w, r, userPath(u.ID, "view"))
}

func (c *Console) userUnassignPermSet(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	return c.userAction(w, r, v, "removePermSet:"+r.PathValue("ps"), func(u org.User) error {
		ps, err := sfid.Parse(r.PathValue("ps"))
		if err != nil {
			return notFound("permission set " + r.PathValue("ps"))
		}
		return c.cfg.Setup.UnassignPermissionSet(r.Context(), setup.UserActor(v.User), v.Org.ID, u.ID, ps)
	})
}

// userResetPassword is Reset Password: a new generated password, shown once. The user's
// sessions end.
func (c *Console) userResetPassword(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	u, err := c.orgUser(r, v)
	if err != nil {
		return err
	}
	if _, err := c.form(w, r, "resetPassword:"+u.ID.String()); err != nil {
		return err
	}
	pw, err := c.cfg.Setup.ResetPassword(r.Context(), setup.UserActor(v.User), v.Org.ID, u.ID)
	if err != nil {
		return err
	}
	return c.renderSecret(w, r, v, u, "Reset Password", "New Password", pw,
		"The password was reset and every session of the user ended. Give them this password: it is shown only now, and Forcefield keeps only its hash.")
}

// userResetSecurityToken is Reset Security Token: a new token, shown once.
func (c *Console) userResetSecurityToken(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	u, err := c.orgUser(r, v)
	if err != nil {
		return err
	}
	if _, err := c.form(w, r, "resetSecurityToken:"+u.ID.String()); err != nil {
		return err
	}
	tok, err := c.cfg.Setup.ResetSecurityToken(r.Context(), setup.UserActor(v.User), v.Org.ID, u.ID)
	if err != nil {
		return err
	}
	return c.renderSecret(w, r, v, u, "Reset Security Token", "Security Token", tok,
		"The security token was reset; the old one no longer works. It is shown only now, and Forcefield keeps only its hash. The username-password flow takes the password followed by this token.")
}

type secretData struct {
	User    org.User
	Label   string
	Secret  string
	Message string
}

// renderSecret is the page that shows a new secret once: the POST's own response, sent
// no-store like every console page.
func (c *Console) renderSecret(w http.ResponseWriter, r *http.Request, v *Viewer, u org.User, title, label, secret, msg string) error {
	c.render(w, r, v, http.StatusOK, "users_secret", Page{Title: title, Nav: "ManageUsers",
		Data: secretData{User: u, Label: label, Secret: secret, Message: msg}})
	return nil
}
