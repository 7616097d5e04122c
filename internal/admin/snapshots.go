package admin

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/forcefield/forcefield/internal/setup"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// Snapshots and resets of one org (issue 14 §3; setup/snapshots.go):
//
//	POST   /forcefield/admin/orgs/{org}/snapshots[?replace=true]  {"name":"clean"} → 201 view
//	GET    /forcefield/admin/orgs/{org}/snapshots                 → [view]
//	POST   /forcefield/admin/orgs/{org}/snapshots/{name}/restore[?endSessions=true] → 200
//	       {"name","org","restoredInMs","records","sessionsEnded"}
//	DELETE /forcefield/admin/orgs/{org}/snapshots/{name}          → 204
//
// A name already taken is 409 DUPLICATE_VALUE unless ?replace=true; a missing name 404.
func (a *API) snapshotRoutes() map[string]handler {
	return map[string]handler{
		"POST /forcefield/admin/orgs/{org}/snapshots":                a.takeSnapshot,
		"GET /forcefield/admin/orgs/{org}/snapshots":                 a.listSnapshots,
		"POST /forcefield/admin/orgs/{org}/snapshots/{name}/restore": a.restoreSnapshot,
		"DELETE /forcefield/admin/orgs/{org}/snapshots/{name}":       a.deleteSnapshot,
	}
}

type snapshotView struct {
	Name      string    `json:"name"`
	Org       sfid.ID   `json:"org"`
	CreatedAt time.Time `json:"createdAt"`
	Records   int       `json:"records"`
	Bytes     int64     `json:"bytes"`
}

func viewSnapshot(s store.SnapshotInfo) snapshotView {
	return snapshotView{Name: s.Name, Org: s.OrgID, CreatedAt: s.CreatedAt, Records: s.Records, Bytes: s.Bytes}
}

type restoreView struct {
	Name          string  `json:"name"`
	Org           sfid.ID `json:"org"`
	RestoredInMs  float64 `json:"restoredInMs"`
	Records       int     `json:"records"`
	SessionsEnded int     `json:"sessionsEnded"`
}

// boolParam reads an optional true/false query parameter.
func boolParam(r *http.Request, name string) (bool, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, badRequest("%s: want true or false, not %q", name, v)
	}
	return b, nil
}

func (a *API) takeSnapshot(w http.ResponseWriter, r *http.Request) error {
	o, err := a.findOrg(r.Context(), r.PathValue("org"))
	if err != nil {
		return err
	}
	replace, err := boolParam(r, "replace")
	if err != nil {
		return err
	}
	var body struct {
		Name string `json:"name"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, maxAuthBody)).Decode(&body); err != nil {
		return badRequest("body: want {\"name\":\"…\"}: %v", err)
	}
	info, err := a.setup.Snapshot(r.Context(), setup.ActorAdminToken, o.ID, body.Name, replace)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, viewSnapshot(info))
}

func (a *API) listSnapshots(w http.ResponseWriter, r *http.Request) error {
	o, err := a.findOrg(r.Context(), r.PathValue("org"))
	if err != nil {
		return err
	}
	list, err := a.setup.Snapshots(r.Context(), o.ID)
	if err != nil {
		return err
	}
	out := make([]snapshotView, 0, len(list))
	for _, s := range list {
		out = append(out, viewSnapshot(s))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) restoreSnapshot(w http.ResponseWriter, r *http.Request) error {
	o, err := a.findOrg(r.Context(), r.PathValue("org"))
	if err != nil {
		return err
	}
	endAll, err := boolParam(r, "endSessions")
	if err != nil {
		return err
	}
	res, err := a.setup.Restore(r.Context(), setup.ActorAdminToken, o.ID, r.PathValue("name"), endAll)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, restoreView{Name: res.Name, Org: res.OrgID, Records: res.Records,
		SessionsEnded: res.SessionsEnded, RestoredInMs: float64(res.Took.Microseconds()) / 1000})
}

func (a *API) deleteSnapshot(w http.ResponseWriter, r *http.Request) error {
	o, err := a.findOrg(r.Context(), r.PathValue("org"))
	if err != nil {
		return err
	}
	if err := a.setup.DeleteSnapshot(r.Context(), setup.ActorAdminToken, o.ID, r.PathValue("name")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
