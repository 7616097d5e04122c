package admin

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/faults"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// Faults on demand (issue 14 §1, package faults): inject a fault, list faults with their
// hits, clear them; expire sessions now; exhaust an org's DailyApiRequests now. Each
// change is logged at Info (each hit too, by package faults), so a test can assert what
// its client saw.

func (a *API) faultRoutes() map[string]handler {
	return map[string]handler{
		"POST /forcefield/admin/faults":                    a.addFault,
		"GET /forcefield/admin/faults":                     a.listFaults,
		"DELETE /forcefield/admin/faults/{id}":             a.deleteFault,
		"DELETE /forcefield/admin/faults":                  a.clearFaults,
		"POST /forcefield/admin/sessions/expire":           a.expireSessions,
		"POST /forcefield/admin/orgs/{org}/limits/exhaust": a.exhaustLimit,
	}
}

// faultView is a fault in the admin API.
type faultView struct {
	ID        string     `json:"id"`
	Org       sfid.ID    `json:"org"`
	App       sfid.ID    `json:"app"`
	User      sfid.ID    `json:"user"`
	Family    string     `json:"family"`
	Answer    string     `json:"answer"`
	Count     int        `json:"count"`
	Remaining int        `json:"remaining"`
	Fraction  float64    `json:"fraction"`
	Until     *time.Time `json:"until"`
	Delay     string     `json:"delay"`
	Hits      int        `json:"hits"`
	Source    string     `json:"source,omitempty"`
	CreatedAt time.Time  `json:"createdAt"`
}

func viewFault(f faults.Fault) faultView {
	v := faultView{ID: strconv.FormatInt(f.ID, 10), Org: f.OrgID, App: f.AppID, User: f.UserID,
		Family: string(f.Family), Answer: string(f.Answer), Count: f.Count, Remaining: f.Remaining,
		Fraction: f.Fraction, Until: timePtr(f.Until), Hits: f.Hits, Source: f.Source, CreatedAt: f.CreatedAt}
	if f.Delay > 0 {
		v.Delay = f.Delay.String()
	}
	return v
}

// faultBody is POST /forcefield/admin/faults's body.
type faultBody struct {
	Org      string  `json:"org"`
	App      string  `json:"app"`
	User     string  `json:"user"`
	Family   string  `json:"family"`
	Answer   string  `json:"answer"`
	Count    int     `json:"count"`
	Fraction float64 `json:"fraction"`
	Duration string  `json:"duration"`
	Delay    string  `json:"delay"`
}

var errNoFaults = apierror.New(http.StatusNotImplemented, "NOT_IMPLEMENTED", "faults are not enabled on this server")

// addFault is POST /forcefield/admin/faults → 201 with the fault's view.
func (a *API) addFault(w http.ResponseWriter, r *http.Request) error {
	if a.Faults == nil {
		return errNoFaults
	}
	var b faultBody
	dec := json.NewDecoder(io.LimitReader(r.Body, maxAuthBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return badRequest("body must be JSON {\"org\",\"app\",\"user\",\"family\",\"answer\",\"count\",\"fraction\",\"duration\",\"delay\"}: %v", err)
	}
	f, err := a.faultFrom(r, b)
	if err != nil {
		return err
	}
	if err := a.Faults.Add(r.Context(), &f); err != nil {
		if faults.IsInvalid(err) {
			return badRequest("%v", err)
		}
		return err
	}
	return writeJSON(w, http.StatusCreated, viewFault(f))
}

// faultFrom resolves a body's org, app and user and reads its durations.
func (a *API) faultFrom(r *http.Request, b faultBody) (faults.Fault, error) {
	ctx := r.Context()
	f := faults.Fault{Family: faults.Family(b.Family), Answer: faults.Answer(b.Answer), Count: b.Count, Fraction: b.Fraction}
	if b.App != "" {
		app, err := a.findApp(ctx, b.App)
		if err != nil {
			return f, err
		}
		f.OrgID, f.AppID = app.OrgID, app.ID
	}
	if b.User != "" {
		u, err := a.findUser(ctx, b.User)
		if err != nil {
			return f, err
		}
		if f.OrgID != "" && u.OrgID != f.OrgID {
			return f, badRequest("user %s is not in the org of app %s", b.User, b.App)
		}
		f.OrgID, f.UserID = u.OrgID, u.ID
	}
	if b.Org != "" || f.OrgID == "" {
		o, err := a.findOrg(ctx, b.Org)
		if err != nil {
			return f, err
		}
		if f.OrgID != "" && f.OrgID != o.ID {
			return f, badRequest("the app or user named is not in org %s", b.Org)
		}
		f.OrgID = o.ID
	}
	d, err := faults.ParseDuration("duration", b.Duration)
	if err != nil {
		return f, badRequest("%v", err)
	}
	if d > 0 {
		f.Until = a.Faults.OrgNow(f.OrgID).Add(d)
	}
	if f.Delay, err = faults.ParseDuration("delay", b.Delay); err != nil {
		return f, badRequest("%v", err)
	}
	return f, nil
}

// orgParam resolves ?org=, or "" (every org) when absent.
func (a *API) orgParam(r *http.Request) (sfid.ID, error) {
	ref := r.URL.Query().Get("org")
	if ref == "" {
		return "", nil
	}
	o, err := a.findOrg(r.Context(), ref)
	return o.ID, err
}

// listFaults is GET /forcefield/admin/faults[?org=]: every fault, spent ones too, with
// its hits and what remains, oldest first.
func (a *API) listFaults(w http.ResponseWriter, r *http.Request) error {
	if a.Faults == nil {
		return errNoFaults
	}
	orgID, err := a.orgParam(r)
	if err != nil {
		return err
	}
	fs, err := a.Faults.List(r.Context(), orgID)
	if err != nil {
		return err
	}
	out := make([]faultView, len(fs))
	for i, f := range fs {
		out[i] = viewFault(f)
	}
	return writeJSON(w, http.StatusOK, out)
}

// deleteFault is DELETE /forcefield/admin/faults/{id} → 204.
func (a *API) deleteFault(w http.ResponseWriter, r *http.Request) error {
	if a.Faults == nil {
		return errNoFaults
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return apierror.New(http.StatusNotFound, "NOT_FOUND", "no fault "+r.PathValue("id"))
	}
	if _, err := a.Faults.Remove(r.Context(), id); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return apierror.New(http.StatusNotFound, "NOT_FOUND", "no fault "+r.PathValue("id"))
		}
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// clearFaults is DELETE /forcefield/admin/faults[?org=] → {"deleted": n}.
func (a *API) clearFaults(w http.ResponseWriter, r *http.Request) error {
	if a.Faults == nil {
		return errNoFaults
	}
	orgID, err := a.orgParam(r)
	if err != nil {
		return err
	}
	n, err := a.Faults.Clear(r.Context(), orgID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]int{"deleted": n})
}

// expireSessions is POST /forcefield/admin/sessions/expire with one of {"session": id},
// {"user": username or id}, {"app": name or id}, {"org": name, My Domain or id} →
// {"expired": n}. The sessions end on every node at once; the next call with their
// tokens gets 401 INVALID_SESSION_ID "Session expired or invalid", exactly as a
// timed-out session does. Refresh tokens stay valid, so a client that holds one can
// refresh — which is what the test usually wants to see.
func (a *API) expireSessions(w http.ResponseWriter, r *http.Request) error {
	var b struct{ Session, User, App, Org string }
	if err := json.NewDecoder(io.LimitReader(r.Body, maxAuthBody)).Decode(&b); err != nil {
		return badRequest("body must be JSON with one of \"session\", \"user\", \"app\", \"org\"")
	}
	given := 0
	for _, v := range []string{b.Session, b.User, b.App, b.Org} {
		if v != "" {
			given++
		}
	}
	if given != 1 {
		return badRequest("name exactly one of \"session\", \"user\", \"app\", \"org\"")
	}
	ctx := r.Context()
	var n int
	var err error
	switch {
	case b.Session != "":
		id, perr := sfid.Parse(b.Session)
		if perr != nil {
			return badRequest("session: malformed id %q", b.Session)
		}
		_, err = a.sessions.RevokeID(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return apierror.New(http.StatusNotFound, "NOT_FOUND", "no session "+b.Session)
		}
		n = 1
	case b.User != "":
		var u org.User
		if u, err = a.findUser(ctx, b.User); err != nil {
			return err
		}
		n, err = a.sessions.RevokeUser(ctx, u.ID)
	case b.App != "":
		var app org.ConnectedApp
		if app, err = a.findApp(ctx, b.App); err != nil {
			return err
		}
		n, err = a.sessions.RevokeSessions(ctx, store.SessionFilter{OrgID: app.OrgID, AppID: app.ID})
	default:
		var o org.Org
		if o, err = a.findOrg(ctx, b.Org); err != nil {
			return err
		}
		n, err = a.sessions.RevokeSessions(ctx, store.SessionFilter{OrgID: o.ID})
	}
	if err != nil {
		return err
	}
	a.log.InfoContext(ctx, "sessions expired on demand", slog.Int("expired", n), "session", b.Session,
		"user", b.User, "app", b.App, "org", b.Org)
	return writeJSON(w, http.StatusOK, map[string]int{"expired": n})
}

// exhaustLimit is POST /forcefield/admin/orgs/{org}/limits/exhaust with
// {"limit": "DailyApiRequests"} (the default; the only limit it knows) → {"limit", "max",
// "remaining": 0}: GET /limits then shows Remaining 0 and the next REST call gets 403
// REQUEST_LIMIT_EXCEEDED, on every node.
func (a *API) exhaustLimit(w http.ResponseWriter, r *http.Request) error {
	if a.Usage == nil {
		return errNoFaults
	}
	o, err := a.findOrg(r.Context(), r.PathValue("org"))
	if err != nil {
		return err
	}
	var b struct{ Limit string }
	if err := json.NewDecoder(io.LimitReader(r.Body, maxAuthBody)).Decode(&b); err != nil && !errors.Is(err, io.EOF) {
		return badRequest("body must be JSON {\"limit\": \"DailyApiRequests\"}")
	}
	if b.Limit == "" {
		b.Limit = "DailyApiRequests"
	}
	if b.Limit != "DailyApiRequests" {
		return badRequest("limit %q: only DailyApiRequests can be exhausted", b.Limit)
	}
	max := o.APIRequestLimit()
	n, err := a.Usage.Exhaust(r.Context(), "", o.ID, max)
	if err != nil {
		return err
	}
	a.log.InfoContext(r.Context(), "limit exhausted on demand", "org", o.ID, "limit", b.Limit, "max", max, "counted", n)
	return writeJSON(w, http.StatusOK, map[string]any{"limit": b.Limit, "max": max, "remaining": 0})
}
