package console

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/setup"
)

// Access is what a page needs of the logged-in user.
type Access int

const (
	// AccessView: any Setup permission (ViewSetup, ModifyAllData, CustomizeApplication,
	// ManageUsers) — the page is shown, its forms only to those who may use them.
	AccessView Access = iota
	// AccessManageUsers: ManageUsers or ModifyAllData (users, profiles, permission sets,
	// sessions, login history).
	AccessManageUsers
	// AccessCustomize: CustomizeApplication or ModifyAllData (apps and their policies).
	AccessCustomize
)

// Viewer is the logged-in user a page is rendered for.
type Viewer struct {
	org.Principal
	Org       org.Org
	SessionID string // the UI session's ID (Session Management marks it "current")
}

// Actor is the Setup service's actor for the viewer's changes.
func (v *Viewer) Actor() setup.Actor { return setup.UserActor(v.User) }

// CanView reports whether the viewer may see Setup at all.
func (v *Viewer) CanView() bool {
	return v.Has("ViewSetup") || v.CanManageUsers() || v.CanCustomize()
}

// CanManageUsers reports whether the viewer may change users, profiles, permission sets
// and sessions (Salesforce: Manage Users; Modify All Data implies it here).
func (v *Viewer) CanManageUsers() bool { return v.Has("ManageUsers") || v.Has("ModifyAllData") }

// CanCustomize reports whether the viewer may change apps and their policies (Salesforce:
// Customize Application; Modify All Data implies it here).
func (v *Viewer) CanCustomize() bool { return v.Has("CustomizeApplication") || v.Has("ModifyAllData") }

// Allows reports whether the viewer has access a.
func (v *Viewer) Allows(a Access) bool {
	switch a {
	case AccessManageUsers:
		return v.CanManageUsers()
	case AccessCustomize:
		return v.CanCustomize()
	}
	return v.CanView()
}

// handler is a console page: it returns an error for wrap to render.
type handler func(w http.ResponseWriter, r *http.Request, v *Viewer) error

// pageError is an error page with a status.
type pageError struct {
	status  int
	title   string
	message string
}

func (e *pageError) Error() string { return e.message }

var (
	errNotFound     = &pageError{http.StatusNotFound, "Page Not Found", "The page you requested does not exist."}
	errInsufficient = &pageError{http.StatusForbidden, "Insufficient Privileges",
		"You do not have the level of access necessary to perform the operation you requested. Please contact the owner of the record or your administrator if access is necessary."}
	errCSRF = &pageError{http.StatusForbidden, "Invalid Request",
		"This form has expired or did not come from this page. Reload the page and try again."}
)

// notFound is a 404 page naming what was not found.
func notFound(what string) error {
	return &pageError{http.StatusNotFound, "Data Not Available", "The data you were trying to access could not be found: " + what + "."}
}

// wrap resolves the viewer, checks access and renders a returned error. Without a UI
// session the browser goes to the login page, which brings it back here.
func (c *Console) wrap(need Access, h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess, ok := c.cfg.Login.Session(r)
		if !ok {
			if r.Method != http.MethodGet {
				c.renderError(w, r, nil, errCSRF)
				return
			}
			http.Redirect(w, r, "/?startURL="+url.QueryEscape(r.URL.RequestURI()), http.StatusFound)
			return
		}
		dir := c.cfg.Setup.Directory()
		p, err := dir.Principal(r.Context(), sess.UserID)
		if err != nil {
			c.renderError(w, r, nil, err)
			return
		}
		o, err := dir.Org(r.Context(), sess.OrgID)
		if err != nil {
			c.renderError(w, r, nil, err)
			return
		}
		v := &Viewer{Principal: p, Org: o, SessionID: sess.ID.String()}
		if !v.CanView() || !v.Allows(need) {
			c.renderError(w, r, v, errInsufficient)
			return
		}
		if err := h(w, r, v); err != nil {
			c.renderError(w, r, v, err)
		}
	})
}

// renderError renders err: a page error as itself, a refused Setup change as 400, anything
// else as a logged 500 whose details stay in the log.
func (c *Console) renderError(w http.ResponseWriter, r *http.Request, v *Viewer, err error) {
	var pe *pageError
	switch {
	case errors.As(err, &pe):
	default:
		if se, ok := setup.AsError(err); ok {
			status := http.StatusBadRequest
			if se.Kind == setup.NotFound {
				status = http.StatusNotFound
			}
			pe = &pageError{status, "Error", se.Message}
			break
		}
		c.log.ErrorContext(r.Context(), "console page failed", "err", err, "path", r.URL.Path)
		pe = &pageError{http.StatusInternalServerError, "Error", "An internal server error has occurred. The details are in Forcefield's log."}
	}
	c.render(w, r, v, pe.status, "error", Page{Title: pe.title, Data: pe.message})
}
