package admin

// Per-app quotas (issue 14 §4; docs/quotas.md): read and set a connected app's token and
// API request quotas, with what the app used in their windows.
//
//	GET /forcefield/admin/apps/{app}/quotas → quotaView
//	PUT /forcefield/admin/apps/{app}/quotas  {"tokenRequestsPerHour":100,…} → quotaView
//
// PUT sets the keys it names and keeps the others (so `forcefield set-quotas APP
// --api-requests-per-day 500` leaves the token quotas alone); 0 removes a quota. The app
// view of GET /forcefield/admin/apps carries the quotas too.

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/setup"
	"github.com/forcefield/forcefield/internal/sfid"
)

func (a *API) quotaRoutes() map[string]handler {
	return map[string]handler{
		"GET /forcefield/admin/apps/{app}/quotas": a.getQuotas,
		"PUT /forcefield/admin/apps/{app}/quotas": a.putQuotas,
	}
}

// quotasJSON are an app's quotas on the wire (0: none).
type quotasJSON struct {
	TokenRequestsPerHour int `json:"tokenRequestsPerHour"`
	TokenRequestsPerDay  int `json:"tokenRequestsPerDay"`
	APIRequestsPerDay    int `json:"apiRequestsPerDay"`
}

func viewQuotas(q org.AppQuotas) quotasJSON {
	return quotasJSON{TokenRequestsPerHour: q.TokenRequestsPerHour, TokenRequestsPerDay: q.TokenRequestsPerDay,
		APIRequestsPerDay: q.APIRequestsPerDay}
}

// usageJSON is what the app used in its quotas' windows: the last 60 minutes and the last
// 24 hours of its org's time, as the quotas count them (limits.AppQuotas).
type usageJSON struct {
	TokenRequestsLastHour int `json:"tokenRequestsLastHour"`
	TokenRequestsLast24h  int `json:"tokenRequestsLast24h"`
	APIRequestsLast24h    int `json:"apiRequestsLast24h"`
}

type quotaView struct {
	App    string     `json:"app"`
	AppID  sfid.ID    `json:"appId"`
	OrgID  sfid.ID    `json:"orgId"`
	Quotas quotasJSON `json:"quotas"`
	Usage  usageJSON  `json:"usage"`
}

func (a *API) quotaView(app org.ConnectedApp) quotaView {
	v := quotaView{App: app.Name, AppID: app.ID, OrgID: app.OrgID, Quotas: viewQuotas(app.AppQuotas)}
	if a.Quotas != nil {
		u := a.Quotas.Usage(app.OrgID, app.ID, app.AppQuotas)
		v.Usage = usageJSON{TokenRequestsLastHour: u.TokenRequestsLastHour, TokenRequestsLast24h: u.TokenRequestsLast24h,
			APIRequestsLast24h: u.APIRequestsLast24h}
	}
	return v
}

// getQuotas is GET /forcefield/admin/apps/{app}/quotas.
func (a *API) getQuotas(w http.ResponseWriter, r *http.Request) error {
	app, err := a.findApp(r.Context(), r.PathValue("app"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.quotaView(app))
}

// putQuotas is PUT /forcefield/admin/apps/{app}/quotas (setup.Service.SetAppQuotas).
func (a *API) putQuotas(w http.ResponseWriter, r *http.Request) error {
	app, err := a.findApp(r.Context(), r.PathValue("app"))
	if err != nil {
		return err
	}
	q, err := quotasBody(r.Body, app.AppQuotas)
	if err != nil {
		return err
	}
	if app, err = a.setup.SetAppQuotas(r.Context(), setup.ActorAdminToken, app.ID, q); err != nil {
		return err
	}
	a.log.InfoContext(r.Context(), "set an app's quotas through the admin API", "app", app.Name, "app_id", app.ID,
		"token_requests_per_hour", q.TokenRequestsPerHour, "token_requests_per_day", q.TokenRequestsPerDay,
		"api_requests_per_day", q.APIRequestsPerDay)
	return writeJSON(w, http.StatusOK, a.quotaView(app))
}

const quotasUsage = `body must be JSON {"tokenRequestsPerHour": n, "tokenRequestsPerDay": n, "apiRequestsPerDay": n} (each optional, whole numbers, 0 = no quota)`

// quotasBody reads a PUT body over the current quotas: keys it names replace them.
func quotasBody(body io.Reader, cur org.AppQuotas) (org.AppQuotas, error) {
	data, err := io.ReadAll(io.LimitReader(body, maxAuthBody))
	if err != nil {
		return cur, badRequest("could not read the body")
	}
	var in struct {
		TokenRequestsPerHour *int `json:"tokenRequestsPerHour"`
		TokenRequestsPerDay  *int `json:"tokenRequestsPerDay"`
		APIRequestsPerDay    *int `json:"apiRequestsPerDay"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return cur, badRequest("%s: %v", quotasUsage, err)
	}
	if dec.More() {
		return cur, badRequest("%s: trailing data after the object", quotasUsage)
	}
	q := cur
	for _, f := range []struct {
		in  *int
		out *int
	}{{in.TokenRequestsPerHour, &q.TokenRequestsPerHour}, {in.TokenRequestsPerDay, &q.TokenRequestsPerDay},
		{in.APIRequestsPerDay, &q.APIRequestsPerDay}} {
		if f.in != nil {
			*f.out = *f.in
		}
	}
	return q, nil
}

// appQuotas fills an app view's quotas.
func appQuotas(v *appView, app org.ConnectedApp) {
	q := viewQuotas(app.AppQuotas)
	v.Quotas = &q
}
