package admin

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/setup"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// Users' passwords and security tokens, and connected apps' JWT bearer certificates.
// Neither a password nor a token is ever stored or logged in plaintext; a new security
// token is in the response that created it only.

const maxAuthBody = 64 << 10

// findUser resolves a username (case-insensitive) or a user ID.
func (a *API) findUser(ctx context.Context, ref string) (org.User, error) {
	u, err := a.st.UserByUsername(ctx, strings.ToLower(ref))
	if id, perr := sfid.Parse(ref); perr == nil {
		u, err = a.st.User(ctx, id)
	}
	if errors.Is(err, store.ErrNotFound) {
		return u, apierror.New(http.StatusNotFound, "NOT_FOUND", "no user "+ref)
	}
	return u, err
}

// setPassword is PUT /forcefield/admin/users/{user}/password with {"password": "…"}: the
// Setup service's SetPassword (clears invalid logins and any lockout, ends every session
// and refresh token of the user).
func (a *API) setPassword(w http.ResponseWriter, r *http.Request) error {
	u, err := a.findUser(r.Context(), r.PathValue("user"))
	if err != nil {
		return err
	}
	var body struct{ Password string }
	if err := json.NewDecoder(io.LimitReader(r.Body, maxAuthBody)).Decode(&body); err != nil {
		return badRequest("body must be JSON {\"password\": \"…\"}")
	}
	if err := a.setup.SetPassword(r.Context(), setup.ActorAdminToken, "", u.ID, body.Password); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// resetSecurityToken is POST /forcefield/admin/users/{user}/security-token: a new
// 24-character token, returned once (the Setup service's ResetSecurityToken).
func (a *API) resetSecurityToken(w http.ResponseWriter, r *http.Request) error {
	u, err := a.findUser(r.Context(), r.PathValue("user"))
	if err != nil {
		return err
	}
	tok, err := a.setup.ResetSecurityToken(r.Context(), setup.ActorAdminToken, "", u.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]string{"username": u.Username, "securityToken": tok})
}

// certificateView describes a certificate without repeating its PEM.
type certificateView struct {
	Fingerprint string `json:"fingerprint"` // SHA-256 of the DER, hex
	Subject     string `json:"subject"`
	NotAfter    string `json:"notAfter"`
}

func viewCertificate(c setup.CertificateInfo) certificateView {
	v := certificateView{Fingerprint: c.Fingerprint, Subject: c.Subject}
	if !c.NotAfter.IsZero() {
		v.NotAfter = c.NotAfter.Format("2006-01-02T15:04:05Z")
	}
	return v
}

// listCertificates is GET /forcefield/admin/apps/{app}/certificates.
func (a *API) listCertificates(w http.ResponseWriter, r *http.Request) error {
	app, err := a.findApp(r.Context(), r.PathValue("app"))
	if err != nil {
		return err
	}
	out := []certificateView{}
	for _, c := range app.Certificates {
		out = append(out, viewCertificate(setup.Certificate(c)))
	}
	return writeJSON(w, http.StatusOK, out)
}

// addCertificate is POST /forcefield/admin/apps/{app}/certificates with a PEM body
// (setup.Service.AddCertificate).
func (a *API) addCertificate(w http.ResponseWriter, r *http.Request) error {
	app, err := a.findApp(r.Context(), r.PathValue("app"))
	if err != nil {
		return err
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxAuthBody))
	if err != nil {
		return badRequest("could not read the body")
	}
	c, err := a.setup.AddCertificate(r.Context(), setup.ActorAdminToken, app.ID, string(data))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, viewCertificate(c))
}

// removeCertificate is DELETE /forcefield/admin/apps/{app}/certificates/{fingerprint}
// (setup.Service.RemoveCertificate).
func (a *API) removeCertificate(w http.ResponseWriter, r *http.Request) error {
	app, err := a.findApp(r.Context(), r.PathValue("app"))
	if err != nil {
		return err
	}
	if err := a.setup.RemoveCertificate(r.Context(), setup.ActorAdminToken, app.ID, r.PathValue("fingerprint")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
