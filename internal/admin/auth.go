package admin

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
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

func viewCertificate(pemText string) certificateView {
	block, _ := pem.Decode([]byte(pemText))
	if block == nil {
		return certificateView{}
	}
	sum := sha256.Sum256(block.Bytes)
	v := certificateView{Fingerprint: hex.EncodeToString(sum[:])}
	if c, err := x509.ParseCertificate(block.Bytes); err == nil {
		v.Subject, v.NotAfter = c.Subject.String(), c.NotAfter.UTC().Format("2006-01-02T15:04:05Z")
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
		out = append(out, viewCertificate(c))
	}
	return writeJSON(w, http.StatusOK, out)
}

// addCertificate is POST /forcefield/admin/apps/{app}/certificates with a PEM body.
func (a *API) addCertificate(w http.ResponseWriter, r *http.Request) error {
	app, err := a.findApp(r.Context(), r.PathValue("app"))
	if err != nil {
		return err
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxAuthBody))
	if err != nil {
		return badRequest("could not read the body")
	}
	pemText := string(data)
	if _, err := org.RSACertificateKey(pemText); err != nil {
		return badRequest("%v", err)
	}
	v := viewCertificate(pemText)
	err = a.dir.UpdateSetup(r.Context(), func(tx store.SetupWriter) error {
		cur, err := tx.ConnectedApp(r.Context(), app.ID)
		if err != nil {
			return err
		}
		for _, c := range cur.Certificates {
			if viewCertificate(c).Fingerprint == v.Fingerprint {
				return apierror.New(http.StatusConflict, "DUPLICATE_VALUE", "the app already holds this certificate")
			}
		}
		cur.Certificates = append(cur.Certificates, pemText)
		if err := tx.PutConnectedApp(r.Context(), &cur); err != nil {
			return err
		}
		return a.auditApp(r.Context(), tx, cur, org.AuditAddedCertificate, cur.ID,
			fmt.Sprintf("Added certificate %s (%s) to connected app %s", v.Fingerprint, v.Subject, cur.Name))
	})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, v)
}

// removeCertificate is DELETE /forcefield/admin/apps/{app}/certificates/{fingerprint}.
func (a *API) removeCertificate(w http.ResponseWriter, r *http.Request) error {
	app, err := a.findApp(r.Context(), r.PathValue("app"))
	if err != nil {
		return err
	}
	fp := strings.ToLower(r.PathValue("fingerprint"))
	err = a.dir.UpdateSetup(r.Context(), func(tx store.SetupWriter) error {
		cur, err := tx.ConnectedApp(r.Context(), app.ID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(cur.Certificates, func(c string) bool { return viewCertificate(c).Fingerprint == fp })
		if i < 0 {
			return apierror.New(http.StatusNotFound, "NOT_FOUND", "the app holds no certificate with fingerprint "+fp)
		}
		cur.Certificates = slices.Delete(cur.Certificates, i, i+1)
		if err := tx.PutConnectedApp(r.Context(), &cur); err != nil {
			return err
		}
		return a.auditApp(r.Context(), tx, cur, org.AuditRemovedCertificate, cur.ID,
			fmt.Sprintf("Removed certificate %s from connected app %s", fp, cur.Name))
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
