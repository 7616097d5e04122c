package admin

// Staged consumer key and secret rotation, shaped after the External Client App Connect
// REST API (the reference salesforce-oauth.md §7.3, "App Oauth Staged Credentials"):
//
//	GET    /forcefield/admin/apps/{app}/credentials                    list the pairs
//	POST   /forcefield/admin/apps/{app}/credentials/staged             stage a new key AND secret (shown once)
//	PATCH  /forcefield/admin/apps/{app}/credentials/staged[/{id}]      {"command":"rotate"}: promote it
//	DELETE /forcefield/admin/apps/{app}/credentials/{id}               delete a staged or rotated pair now
//
// States (org.Credential.State) and the ECA staged object's states:
//
//	Active  — the primary pair (ECA: the consumer's current key and secret)
//	Staged  — a staged pair not yet rotated in (ECA: staged object in state "Active")
//	Rotated — the previous primary after a rotation (ECA: staged object in state "Rotated")
//	Expired — shown for a Staged or Rotated pair past ExpiresAt until the sweeper deletes it
//
// The staged slot holds at most one pair per app: Staged before a rotation, Rotated after.
// Staged and Rotated pairs expire setup.StagedLifetime after they entered the slot. The
// rules live in the Setup service (internal/setup/credentials.go); these handlers parse,
// call and render.

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/setup"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// ActorAdminToken is the audit trail's actor for changes made through the admin API.
const ActorAdminToken = "admin token"

// rotationRoutes are the staged-rotation and audit trail routes, kept out of Register's
// table so that the table stays as other branches know it.
func (a *API) rotationRoutes() map[string]handler {
	return map[string]handler{
		"GET /forcefield/admin/apps/{app}/credentials":                       a.listCredentials,
		"POST /forcefield/admin/apps/{app}/credentials/staged":               a.stageCredentials,
		"PATCH /forcefield/admin/apps/{app}/credentials/staged":              a.rotateCredentials,
		"PATCH /forcefield/admin/apps/{app}/credentials/staged/{credential}": a.rotateCredentials,
		"DELETE /forcefield/admin/apps/{app}/credentials/{credential}":       a.deleteSecret,
		"GET /forcefield/admin/audit-trail":                                  a.auditTrail,
	}
}

// viewCredentialAt renders a pair as seen at now (Expired when it no longer authenticates).
func viewCredentialAt(c org.Credential, now time.Time) credentialView {
	v := viewCredential(c)
	v.State = setup.CredentialState(c, now)
	return v
}

// auditUser records a change to a user in the setup audit trail, inside tx.
func (a *API) auditUser(ctx context.Context, tx store.SetupWriter, u org.User, action, display string) error {
	return tx.AddSetupAudit(ctx, &org.SetupAuditEvent{OrgID: u.OrgID, CreatedDate: setup.TxOrgNow(ctx, tx, nil, a.now(), u.OrgID).UTC(), CreatedBy: ActorAdminToken,
		Action: action, Section: org.AuditSectionUsers, ObjectID: u.ID, Display: display})
}

// listCredentials is GET …/apps/{app}/credentials.
func (a *API) listCredentials(w http.ResponseWriter, r *http.Request) error {
	app, err := a.findApp(r.Context(), r.PathValue("app"))
	if err != nil {
		return err
	}
	creds, err := a.st.Credentials(r.Context(), app.ID)
	if err != nil {
		return err
	}
	now := a.setup.OrgNow(app.OrgID) // pairs expire in their org's time (time travel)
	out := make([]credentialView, 0, len(creds))
	for _, c := range creds {
		out = append(out, viewCredentialAt(c, now))
	}
	return writeJSON(w, http.StatusOK, out)
}

// stageCredentials is POST …/apps/{app}/credentials/staged: a new consumer key and secret
// that authenticate alongside the Active pair until rotated in, deleted or expired
// (setup.Service.StageCredentials). The secret is in this response only.
func (a *API) stageCredentials(w http.ResponseWriter, r *http.Request) error {
	app, err := a.findApp(r.Context(), r.PathValue("app"))
	if err != nil {
		return err
	}
	nc, err := a.setup.StageCredentials(r.Context(), setup.ActorAdminToken, app.ID)
	if err != nil {
		return err
	}
	v := viewCredential(nc.Credential)
	v.ConsumerSecret = nc.Secret
	return writeJSON(w, http.StatusCreated, v)
}

type rotateRequest struct {
	Command string `json:"command"`
}

// rotateCredentials is PATCH …/apps/{app}/credentials/staged[/{credential}] with
// {"command":"rotate"}: the staged pair becomes Active, the Active pair becomes Rotated and
// keeps working setup.StagedLifetime unless deleted (setup.Service.RotateCredentials).
func (a *API) rotateCredentials(w http.ResponseWriter, r *http.Request) error {
	app, err := a.findApp(r.Context(), r.PathValue("app"))
	if err != nil {
		return err
	}
	var want sfid.ID
	if ref := r.PathValue("credential"); ref != "" {
		if want, err = sfid.Parse(ref); err != nil {
			return badRequest("malformed credential id %q", ref)
		}
	}
	var req rotateRequest
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 4096))
	if err != nil {
		return badRequest("reading the request body: %v", err)
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return badRequest(`the body must be {"command":"rotate"}: %v`, err)
	}
	if req.Command != "rotate" {
		return badRequest(`unknown command %q: the only command is "rotate"`, req.Command)
	}
	promoted, err := a.setup.RotateCredentials(r.Context(), setup.ActorAdminToken, app.ID, want)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, viewCredentialAt(promoted, a.setup.OrgNow(app.OrgID)))
}

// rotateSecret is POST …/apps/{app}/secrets: a new consumer secret for the app's primary
// consumer key, the previous one kept as Rotated (setup.Service.RotateSecret). The new
// secret is in this response only.
func (a *API) rotateSecret(w http.ResponseWriter, r *http.Request) error {
	app, err := a.findApp(r.Context(), r.PathValue("app"))
	if err != nil {
		return err
	}
	nc, err := a.setup.RotateSecret(r.Context(), setup.ActorAdminToken, app.ID)
	if err != nil {
		return err
	}
	v := viewCredential(nc.Credential)
	v.ConsumerSecret = nc.Secret
	return writeJSON(w, http.StatusCreated, v)
}

// deleteSecret removes a Staged or Rotated credential pair at once
// (setup.Service.DeleteCredential); it serves DELETE …/secrets/{credential} and
// …/credentials/{credential}.
func (a *API) deleteSecret(w http.ResponseWriter, r *http.Request) error {
	app, err := a.findApp(r.Context(), r.PathValue("app"))
	if err != nil {
		return err
	}
	credID, err := sfid.Parse(r.PathValue("credential"))
	if err != nil {
		return badRequest("malformed credential id %q", r.PathValue("credential"))
	}
	if err := a.setup.DeleteCredential(r.Context(), setup.ActorAdminToken, app.ID, credID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
