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
// Staged and Rotated pairs expire StagedLifetime after they entered the slot.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/secret"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// StagedLifetime is how long a staged pair, and a pair replaced by a rotation, keeps
// working unless deleted: "Staged credentials are valid for 30 days" (reference §7.3).
const StagedLifetime = 30 * 24 * time.Hour

// CredentialExpired is the state the admin API shows for a pair past its expiry; it is
// never stored (expired pairs are deleted by the sweeper).
const CredentialExpired = "Expired"

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

func errWrongStep(format string, args ...any) error {
	return apierror.New(http.StatusBadRequest, "INVALID_INPUT", fmt.Sprintf(format, args...))
}

// viewCredentialAt renders a pair as seen at now (Expired when it no longer authenticates).
func viewCredentialAt(c org.Credential, now time.Time) credentialView {
	v := viewCredential(c)
	if !c.Usable(now) {
		v.State = CredentialExpired
	}
	return v
}

// stagedSlot returns the app's usable Staged or Rotated pair, if any.
func stagedSlot(creds []org.Credential, now time.Time) (org.Credential, bool) {
	for _, c := range creds {
		if (c.State == org.CredentialStaged || c.State == org.CredentialRotated) && c.Usable(now) {
			return c, true
		}
	}
	return org.Credential{}, false
}

// auditApp records one change to an app's credentials in tx.
func (a *API) auditApp(ctx context.Context, tx store.SetupWriter, app org.ConnectedApp, action string, obj sfid.ID, display string) error {
	return tx.AddSetupAudit(ctx, &org.SetupAuditEvent{OrgID: app.OrgID, CreatedDate: a.now().UTC(), CreatedBy: ActorAdminToken,
		Action: action, Section: org.AuditSectionConnectedApps, ObjectID: obj, Display: display})
}

// auditUser records a change to a user in the setup audit trail, inside tx.
func (a *API) auditUser(ctx context.Context, tx store.SetupWriter, u org.User, action, display string) error {
	return tx.AddSetupAudit(ctx, &org.SetupAuditEvent{OrgID: u.OrgID, CreatedDate: a.now().UTC(), CreatedBy: ActorAdminToken,
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
	now := a.now()
	out := make([]credentialView, 0, len(creds))
	for _, c := range creds {
		out = append(out, viewCredentialAt(c, now))
	}
	return writeJSON(w, http.StatusOK, out)
}

// stageCredentials is POST …/apps/{app}/credentials/staged: a new consumer key and secret
// that authenticate alongside the Active pair until rotated in, deleted or expired.
func (a *API) stageCredentials(w http.ResponseWriter, r *http.Request) error {
	app, err := a.findApp(r.Context(), r.PathValue("app"))
	if err != nil {
		return err
	}
	plain := secret.ConsumerSecret()
	now := a.now().UTC()
	staged := org.Credential{AppID: app.ID, ConsumerKey: secret.ConsumerKey(), SecretHash: secret.HashGenerated(plain),
		State: org.CredentialStaged, CreatedAt: now, ExpiresAt: now.Add(StagedLifetime)}
	err = a.dir.UpdateSetup(r.Context(), func(tx store.SetupWriter) error {
		creds, err := tx.Credentials(r.Context(), app.ID)
		if err != nil {
			return err
		}
		if c, ok := stagedSlot(creds, now); ok {
			if c.State == org.CredentialStaged {
				return errWrongStep("connected app %q already has staged credentials (%s): rotate or delete them first", app.Name, c.ID)
			}
			return errWrongStep("connected app %q still has rotated credentials (%s) valid until %s: delete them first",
				app.Name, c.ID, c.ExpiresAt.Format(time.RFC3339))
		}
		if err := tx.PutCredential(r.Context(), &staged); err != nil {
			return err
		}
		return a.auditApp(r.Context(), tx, app, org.AuditStagedCredentials, staged.ID,
			fmt.Sprintf("Staged consumer credentials %s (key %s) for connected app %s, expiring %s",
				staged.ID, keyHint(staged.ConsumerKey), app.Name, staged.ExpiresAt.Format(time.RFC3339)))
	})
	if err != nil {
		return err
	}
	a.log.InfoContext(r.Context(), "staged consumer credentials", "app", app.ID, "credential", staged.ID)
	v := viewCredential(staged)
	v.ConsumerSecret = plain
	return writeJSON(w, http.StatusCreated, v)
}

type rotateRequest struct {
	Command string `json:"command"`
}

// rotateCredentials is PATCH …/apps/{app}/credentials/staged[/{credential}] with
// {"command":"rotate"}: the staged pair becomes Active, the Active pair becomes Rotated and
// keeps working StagedLifetime unless deleted.
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
	now := a.now().UTC()
	var promoted org.Credential
	err = a.dir.UpdateSetup(r.Context(), func(tx store.SetupWriter) error {
		creds, err := tx.Credentials(r.Context(), app.ID)
		if err != nil {
			return err
		}
		staged, ok := stagedSlot(creds, now)
		if !ok || staged.State != org.CredentialStaged {
			return errWrongStep("connected app %q has no staged credentials to rotate: stage credentials first", app.Name)
		}
		if !want.IsZero() && staged.ID != want {
			return apierror.New(http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("connected app %q has no staged credentials %s", app.Name, want))
		}
		var old []string
		for _, c := range creds {
			if c.State != org.CredentialActive {
				continue
			}
			c.State, c.ExpiresAt = org.CredentialRotated, now.Add(StagedLifetime)
			if err := tx.PutCredential(r.Context(), &c); err != nil {
				return err
			}
			old = append(old, fmt.Sprintf("%s (key %s)", c.ID, keyHint(c.ConsumerKey)))
		}
		staged.State, staged.ExpiresAt = org.CredentialActive, time.Time{}
		if err := tx.PutCredential(r.Context(), &staged); err != nil {
			return err
		}
		promoted = staged
		return a.auditApp(r.Context(), tx, app, org.AuditRotatedCredentials, staged.ID,
			fmt.Sprintf("Rotated consumer credentials of connected app %s: %s (key %s) is now active; %s valid until %s",
				app.Name, staged.ID, keyHint(staged.ConsumerKey), orNone(strings.Join(old, ", ")), now.Add(StagedLifetime).Format(time.RFC3339)))
	})
	if err != nil {
		return err
	}
	a.log.InfoContext(r.Context(), "rotated consumer credentials", "app", app.ID, "credential", promoted.ID)
	return writeJSON(w, http.StatusOK, viewCredentialAt(promoted, now))
}

// keyHint is the start of a consumer key for audit text: enough to tell pairs apart. A
// consumer key is a client identifier, not a secret, but the trail needs no more.
func keyHint(key string) string {
	if len(key) > 12 {
		return key[:12] + "…"
	}
	return key
}

func orNone(s string) string {
	if s == "" {
		return "no previous pair"
	}
	return "the previous pair " + s + " is"
}
