package admin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/secret"
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

// rotateSecret creates a new consumer secret for the app's primary consumer key: the
// legacy one-step rotation, kept beside the staged model (credentials.go) as "stage a new
// secret for the same key and rotate it in at once". It refuses while a pair is staged. The
// new pair becomes Active; the previous Active pair becomes Rotated and keeps working until
// RotatedSecretLifetime passes or it is deleted (the reference §7.3). The new secret is in
// this response only.
func (a *API) rotateSecret(w http.ResponseWriter, r *http.Request) error {
	app, err := a.findApp(r.Context(), r.PathValue("app"))
	if err != nil {
		return err
	}
	plain := secret.ConsumerSecret()
	now := a.now().UTC()
	var created org.Credential
	err = a.dir.UpdateSetup(r.Context(), func(tx store.SetupWriter) error {
		creds, err := tx.Credentials(r.Context(), app.ID)
		if err != nil {
			return err
		}
		if c, ok := stagedSlot(creds, now); ok && c.State == org.CredentialStaged {
			return errWrongStep("connected app %q has staged credentials (%s): rotate or delete them before rotating the secret", app.Name, c.ID)
		}
		key := ""
		for i := range creds {
			c := creds[i]
			if c.State != org.CredentialActive {
				continue
			}
			key = c.ConsumerKey
			c.State, c.ExpiresAt = org.CredentialRotated, now.Add(a.RotatedSecretLifetime)
			if err := tx.PutCredential(r.Context(), &c); err != nil {
				return err
			}
		}
		if key == "" {
			return badRequest("connected app %q has no active consumer key to rotate", app.Name)
		}
		created = org.Credential{AppID: app.ID, ConsumerKey: key, SecretHash: secret.HashGenerated(plain), State: org.CredentialActive}
		if err := tx.PutCredential(r.Context(), &created); err != nil {
			return err
		}
		return a.auditApp(r.Context(), tx, app, org.AuditRotatedSecret, created.ID,
			fmt.Sprintf("Rotated the consumer secret of connected app %s (key %s): new pair %s; the previous secret is valid until %s",
				app.Name, keyHint(key), created.ID, now.Add(a.RotatedSecretLifetime).Format(time.RFC3339)))
	})
	if err != nil {
		return err
	}
	a.log.InfoContext(r.Context(), "rotated consumer secret", "app", app.ID, "credential", created.ID)
	v := viewCredential(created)
	v.ConsumerSecret = plain
	return writeJSON(w, http.StatusCreated, v)
}

// deleteSecret removes a Staged or Rotated credential pair at once (e.g. a leaked secret
// after rotation); it serves DELETE …/secrets/{credential} and …/credentials/{credential}.
// The app's Active pair cannot be deleted: rotate first.
func (a *API) deleteSecret(w http.ResponseWriter, r *http.Request) error {
	app, err := a.findApp(r.Context(), r.PathValue("app"))
	if err != nil {
		return err
	}
	credID, err := sfid.Parse(r.PathValue("credential"))
	if err != nil {
		return badRequest("malformed credential id %q", r.PathValue("credential"))
	}
	err = a.dir.UpdateSetup(r.Context(), func(tx store.SetupWriter) error {
		creds, err := tx.Credentials(r.Context(), app.ID)
		if err != nil {
			return err
		}
		for _, c := range creds {
			if c.ID != credID {
				continue
			}
			if c.State == org.CredentialActive {
				return badRequest("credential %s is the app's active pair: rotate first (stage credentials and rotate them in, or rotate the secret)", credID)
			}
			if err := tx.DeleteCredential(r.Context(), credID); err != nil {
				return err
			}
			return a.auditApp(r.Context(), tx, app, org.AuditDeletedCredentials, credID,
				fmt.Sprintf("Deleted %s consumer credentials %s (key %s) of connected app %s",
					viewCredentialAt(c, a.now()).State, credID, keyHint(c.ConsumerKey), app.Name))
		}
		return apierror.New(http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("connected app %q has no credential %s", app.Name, credID))
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
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
		return fromSetup(err)
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
		return fromSetup(err)
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
