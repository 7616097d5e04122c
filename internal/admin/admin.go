// Package admin is Forcefield's authenticated admin API under /forcefield/admin/: apply an
// org file to the running server, list orgs, users and apps, rotate an app's consumer
// secret or stage and rotate its consumer key and secret, list and revoke sessions, and read
// login history and the setup audit trail, list Bulk API jobs. The CLI verbs are its
// clients.
//
// Every request needs "Authorization: Bearer <admin token>"; the token is compared with the
// SHA-256 kept in the store's settings, in constant time. There is no unauthenticated admin
// surface. Errors use the Salesforce REST error array, like the data API.
package admin

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/bulk"
	"github.com/forcefield/forcefield/internal/dataapi"
	"github.com/forcefield/forcefield/internal/directory"
	"github.com/forcefield/forcefield/internal/faults"
	"github.com/forcefield/forcefield/internal/limits"
	"github.com/forcefield/forcefield/internal/session"
	"github.com/forcefield/forcefield/internal/setup"
	"github.com/forcefield/forcefield/internal/store"
)

// SettingAdminTokenHash is the settings key holding the hex SHA-256 of the admin token.
const SettingAdminTokenHash = "admin_token_sha256"

// HashToken returns the stored form of an admin token.
func HashToken(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}

// API serves the admin endpoints.
type API struct {
	setup    *setup.Service // every change goes through it (issue 11 §2)
	st       store.Store
	dir      *directory.Directory
	sessions *session.Manager
	now      func() time.Time
	log      *slog.Logger
	// Bulk holds the Bulk API jobs listed by GET /forcefield/admin/bulk-jobs; nil lists none.
	Bulk bulk.Store
	// Faults and Usage serve faults on demand and exhausting a limit (faults.go).
	Faults *faults.Engine
	Usage  *limits.Counter
	// Quotas counts the per-app quotas GET …/apps/{app}/quotas shows the usage of (quotas.go); nil shows none.
	Quotas *limits.AppQuotas
}

// New returns the admin API, a thin adapter over the Setup service svc.
func New(svc *setup.Service, sessions *session.Manager, log *slog.Logger) *API {
	return &API{setup: svc, st: svc.Store(), dir: svc.Directory(), sessions: sessions, now: svc.Now, log: log}
}

type handler func(w http.ResponseWriter, r *http.Request) error

// Register adds the routes to mux.
func (a *API) Register(mux *http.ServeMux) {
	routes := map[string]handler{
		"POST /forcefield/admin/apply":                                   a.apply,
		"GET /forcefield/admin/orgs":                                     a.listOrgs,
		"GET /forcefield/admin/users":                                    a.listUsers,
		"GET /forcefield/admin/apps":                                     a.listApps,
		"POST /forcefield/admin/apps/{app}/secrets":                      a.rotateSecret,
		"DELETE /forcefield/admin/apps/{app}/secrets/{credential}":       a.deleteSecret,
		"GET /forcefield/admin/sessions":                                 a.listSessions,
		"DELETE /forcefield/admin/sessions/{id}":                         a.revokeSession,
		"DELETE /forcefield/admin/users/{user}/sessions":                 a.revokeUserSessions,
		"GET /forcefield/admin/login-history":                            a.loginHistory,
		"GET /forcefield/admin/bulk-jobs":                                a.listBulkJobs,
		"PUT /forcefield/admin/users/{user}/password":                    a.setPassword,
		"POST /forcefield/admin/users/{user}/security-token":             a.resetSecurityToken,
		"GET /forcefield/admin/apps/{app}/certificates":                  a.listCertificates,
		"POST /forcefield/admin/apps/{app}/certificates":                 a.addCertificate,
		"DELETE /forcefield/admin/apps/{app}/certificates/{fingerprint}": a.removeCertificate,
	}
	for pattern, h := range a.rotationRoutes() { // credentials.go, audit.go
		routes[pattern] = h
	}
	for pattern, h := range a.grantRoutes() { // grants.go
		routes[pattern] = h
	}
	for pattern, h := range a.faultRoutes() { // faults.go
		routes[pattern] = h
	}
	for pattern, h := range a.snapshotRoutes() { // snapshots.go
		routes[pattern] = h
	}
	for pattern, h := range a.clockRoutes() { // clock.go
		routes[pattern] = h
	}
	for pattern, h := range a.quotaRoutes() { // quotas.go
		routes[pattern] = h
	}
	for pattern, h := range routes {
		mux.Handle(pattern, a.wrap(h))
	}
	mux.Handle("/forcefield/admin/", a.wrap(func(http.ResponseWriter, *http.Request) error { return apierror.ErrNotFound }))
}

var errUnauthorized = apierror.New(http.StatusUnauthorized, "INVALID_SESSION_ID", "Admin token missing or invalid")

// wrap authenticates the request and renders a returned error.
func (a *API) wrap(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		if err := a.authorize(r); err != nil {
			apierror.Write(w, err)
			return
		}
		if err := h(w, r); err != nil {
			err = fromSetup(err)
			var e *apierror.Error
			if !errors.As(err, &e) {
				a.log.ErrorContext(r.Context(), "admin request failed", "err", err, "path", r.URL.Path)
			}
			apierror.Write(w, err)
		}
	})
}

func (a *API) authorize(r *http.Request) error {
	scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") || tok == "" {
		return errUnauthorized
	}
	want, err := a.st.Setting(r.Context(), SettingAdminTokenHash)
	if errors.Is(err, store.ErrNotFound) {
		return errUnauthorized
	}
	if err != nil {
		return fmt.Errorf("reading admin token hash: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(want), []byte(HashToken(strings.TrimSpace(tok)))) != 1 {
		return errUnauthorized
	}
	return nil
}

func badRequest(format string, args ...any) error {
	return apierror.New(http.StatusBadRequest, "INVALID_INPUT", fmt.Sprintf(format, args...))
}

var writeJSON = dataapi.WriteJSON

// fromSetup renders a change the Setup service refused as the Salesforce error it stands
// for; other errors pass through.
func fromSetup(err error) error {
	e, ok := setup.AsError(err)
	if !ok {
		return err
	}
	switch e.Kind {
	case setup.NotFound:
		return apierror.New(http.StatusNotFound, "NOT_FOUND", e.Message)
	case setup.Conflict:
		return apierror.New(http.StatusConflict, "DUPLICATE_VALUE", e.Message)
	}
	return apierror.New(http.StatusBadRequest, "INVALID_INPUT", e.Message)
}
