package admin

import (
	"errors"
	"io"
	"net/http"

	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/orgfile"
	"github.com/forcefield/forcefield/internal/setup"
)

// maxOrgFileBytes bounds an org file sent to the admin API.
const maxOrgFileBytes = 8 << 20

// applyResponse is what POST /forcefield/admin/apply answers: the counts, and the consumer
// keys and secrets this apply generated, which are never shown again.
type applyResponse struct {
	Summary        string              `json:"summary"`
	Changed        bool                `json:"changed"`
	NewCredentials []newCredentialView `json:"newCredentials"`
}

type newCredentialView struct {
	Org            string `json:"org"`
	App            string `json:"app"`
	ConsumerKey    string `json:"consumerKey"`
	ConsumerSecret string `json:"consumerSecret,omitempty"`
}

// apply is POST /forcefield/admin/apply?name=acme.yaml with the org file (YAML or JSON) as
// the body. It is all or nothing: an invalid file changes nothing and the 400 lists every
// problem with its line.
func (a *API) apply(w http.ResponseWriter, r *http.Request) error {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxOrgFileBytes))
	if err != nil {
		return badRequest("reading the org file: %v", err)
	}
	name := r.URL.Query().Get("name")
	if name == "" {
		name = "request body"
	}
	f, err := orgfile.Parse(name, data)
	if err != nil {
		return badRequest("%v", err)
	}
	res, n, err := a.setup.ApplyOrgFile(r.Context(), setup.Actor{Name: "org file " + name + " via the admin API"}, f)
	var fileErrs orgfile.Errors
	if errors.As(err, &fileErrs) {
		return apierror.New(http.StatusBadRequest, "INVALID_INPUT", err.Error())
	}
	if err != nil {
		return err
	}
	if n > 0 {
		a.log.InfoContext(r.Context(), "seeded records", "name", name, "records", n)
	}
	a.log.InfoContext(r.Context(), "applied org file", "name", name, "summary", res.String())
	for _, n := range res.SecretNotes { // which of the file and the admin API won a secret
		a.log.InfoContext(r.Context(), "org file secret", "name", name, "note", n)
	}
	creds := []newCredentialView{}
	for _, c := range res.NewCredentials {
		creds = append(creds, newCredentialView{c.Org, c.App, c.ConsumerKey, c.ConsumerSecret})
	}
	return writeJSON(w, http.StatusOK, applyResponse{Summary: res.String(), Changed: res.Changed(), NewCredentials: creds})
}
