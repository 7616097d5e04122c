package admin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/setup"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// optionalID parses an optional ID query parameter.
func optionalID(r *http.Request, name string) (sfid.ID, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return "", nil
	}
	id, err := sfid.Parse(v)
	if err != nil {
		return "", badRequest("%s: malformed id %q", name, v)
	}
	return id, nil
}

func limitParam(r *http.Request, def int) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 10000 {
		return 0, badRequest("limit must be a number from 1 to 10000")
	}
	return n, nil
}

func (a *API) listOrgs(w http.ResponseWriter, r *http.Request) error {
	orgs, err := a.st.Orgs(r.Context())
	if err != nil {
		return err
	}
	out := make([]orgView, 0, len(orgs))
	for _, o := range orgs {
		out = append(out, viewOrg(o))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) listUsers(w http.ResponseWriter, r *http.Request) error {
	orgID, err := optionalID(r, "org")
	if err != nil {
		return err
	}
	users, err := a.st.Users(r.Context(), orgID)
	if err != nil {
		return err
	}
	out := make([]userView, 0, len(users))
	for _, u := range users {
		p, err := a.dir.Principal(r.Context(), u.ID)
		if err != nil {
			return err
		}
		out = append(out, viewUser(p))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) appView(ctx context.Context, app org.ConnectedApp) (appView, error) {
	v := appView{ID: app.ID, OrgID: app.OrgID, Name: app.Name, Scopes: app.Scopes,
		ClientCredentialsEnabled: app.ClientCredentialsEnabled, PermittedUsers: app.PermittedUsers,
		Credentials: []credentialView{}}
	webFlowView(&v, app)
	appQuotas(&v, app) // quotas.go
	if !app.RunAsUserID.IsZero() {
		u, err := a.st.User(ctx, app.RunAsUserID)
		if err != nil {
			return v, err
		}
		v.RunAs = u.Username
	}
	creds, err := a.st.Credentials(ctx, app.ID)
	if err != nil {
		return v, err
	}
	for _, c := range creds {
		v.Credentials = append(v.Credentials, viewCredential(c))
	}
	return v, nil
}

func (a *API) listApps(w http.ResponseWriter, r *http.Request) error {
	orgID, err := optionalID(r, "org")
	if err != nil {
		return err
	}
	apps, err := a.st.ConnectedApps(r.Context(), orgID)
	if err != nil {
		return err
	}
	out := make([]appView, 0, len(apps))
	for _, app := range apps {
		v, err := a.appView(r.Context(), app)
		if err != nil {
			return err
		}
		out = append(out, v)
	}
	return writeJSON(w, http.StatusOK, out)
}

// findApp resolves {app}: an ID, or a name that is unique across orgs.
func (a *API) findApp(ctx context.Context, ref string) (org.ConnectedApp, error) {
	if id, err := sfid.Parse(ref); err == nil && id.Prefix() == "0H4" {
		app, err := a.st.ConnectedApp(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return app, apierror.New(http.StatusNotFound, "NOT_FOUND", "no connected app with id "+ref)
		}
		return app, err
	}
	apps, err := a.st.ConnectedApps(ctx, "")
	if err != nil {
		return org.ConnectedApp{}, err
	}
	var found []org.ConnectedApp
	for _, app := range apps {
		if app.Name == ref {
			found = append(found, app)
		}
	}
	switch len(found) {
	case 0:
		return org.ConnectedApp{}, apierror.New(http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("no connected app named %q", ref))
	case 1:
		return found[0], nil
	}
	return org.ConnectedApp{}, badRequest("%d orgs have a connected app named %q: use its id", len(found), ref)
}

// filterParams reads the org, user, app and limit query parameters shared by the
// session and login-history lists.
func filterParams(r *http.Request, defaultLimit int) (orgID, userID, appID sfid.ID, limit int, err error) {
	if orgID, err = optionalID(r, "org"); err != nil {
		return
	}
	if userID, err = optionalID(r, "user"); err != nil {
		return
	}
	if appID, err = optionalID(r, "app"); err != nil {
		return
	}
	limit, err = limitParam(r, defaultLimit)
	return
}

func (a *API) listSessions(w http.ResponseWriter, r *http.Request) error {
	var f store.SessionFilter
	var err error
	if f.OrgID, f.UserID, f.AppID, f.Limit, err = filterParams(r, 1000); err != nil {
		return err
	}
	ss, err := a.sessions.List(r.Context(), f)
	if err != nil {
		return err
	}
	out := make([]sessionView, 0, len(ss))
	for _, s := range ss {
		out = append(out, viewSession(s))
	}
	return writeJSON(w, http.StatusOK, out)
}

// revokeSession is DELETE …/sessions/{id}: the Setup service ends it (204; 404 when none).
func (a *API) revokeSession(w http.ResponseWriter, r *http.Request) error {
	id, err := sfid.Parse(r.PathValue("id"))
	if err != nil {
		return badRequest("malformed session id %q", r.PathValue("id"))
	}
	if _, err := a.setup.RevokeSession(r.Context(), setup.ActorAdminToken, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// revokeUserSessions is DELETE …/users/{user}/sessions: every session of the user ends.
func (a *API) revokeUserSessions(w http.ResponseWriter, r *http.Request) error {
	u, err := a.findUser(r.Context(), r.PathValue("user"))
	if err != nil {
		return err
	}
	n, err := a.setup.RevokeUserSessions(r.Context(), setup.ActorAdminToken, u.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]int{"revoked": n})
}

func (a *API) loginHistory(w http.ResponseWriter, r *http.Request) error {
	var f store.LoginFilter
	var err error
	if f.OrgID, f.UserID, f.AppID, f.Limit, err = filterParams(r, 100); err != nil {
		return err
	}
	rows, err := a.st.LoginHistory(r.Context(), f)
	if err != nil {
		return err
	}
	out := make([]loginView, 0, len(rows))
	for _, e := range rows {
		out = append(out, viewLogin(e))
	}
	return writeJSON(w, http.StatusOK, out)
}

// findOrg resolves {org}: an org ID, or a name (case-insensitive) or My Domain name that
// is unique; "" is the only org when there is exactly one (the common local set-up).
func (a *API) findOrg(ctx context.Context, ref string) (org.Org, error) {
	if id, err := sfid.Parse(ref); err == nil && id.Prefix() == "00D" {
		o, err := a.st.Org(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return o, apierror.New(http.StatusNotFound, "NOT_FOUND", "no org with id "+ref)
		}
		return o, err
	}
	orgs, err := a.st.Orgs(ctx)
	if err != nil {
		return org.Org{}, err
	}
	if ref == "" {
		if len(orgs) == 1 {
			return orgs[0], nil
		}
		return org.Org{}, badRequest("%d orgs: name one", len(orgs))
	}
	var found []org.Org
	for _, o := range orgs {
		if strings.EqualFold(o.Name, ref) || (o.MyDomain != "" && strings.EqualFold(o.MyDomain, ref)) {
			found = append(found, o)
		}
	}
	switch len(found) {
	case 0:
		return org.Org{}, apierror.New(http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("no org named %q", ref))
	case 1:
		return found[0], nil
	}
	return org.Org{}, badRequest("%d orgs are named %q: use its id", len(found), ref)
}
