package admin

import (
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/setup"
	"github.com/forcefield/forcefield/internal/sfid"
)

// Time travel (issue 14 §2): an org's clock offset, read, set, advanced and reset. No
// real org can be told "pretend two hours have passed"; here the org's sessions, codes,
// refresh tokens, limit windows, staged secrets and SOQL date literals move with it
// (setup.Service.SetClockOffset says what moves; docs/testing.md "Time travel").
//
//	GET    /forcefield/admin/orgs/{org}/clock                     the view
//	PUT    /forcefield/admin/orgs/{org}/clock {"offset":"2h"}      absolute offset
//	PUT    /forcefield/admin/orgs/{org}/clock {"advance":"90m"}    offset += 90m
//	DELETE /forcefield/admin/orgs/{org}/clock                     back to real time
//
// Each change is audited (Company Profile, changedOrgClock).

func (a *API) clockRoutes() map[string]handler {
	return map[string]handler{
		"GET /forcefield/admin/orgs/{org}/clock":    a.getClock,
		"PUT /forcefield/admin/orgs/{org}/clock":    a.putClock,
		"DELETE /forcefield/admin/orgs/{org}/clock": a.resetClock,
	}
}

// clockView is an org's clock: its offset (a Go duration and in seconds) and its time now.
type clockView struct {
	Org           string    `json:"org"`
	OrgID         sfid.ID   `json:"orgId"`
	Offset        string    `json:"offset"`
	OffsetSeconds float64   `json:"offsetSeconds"`
	Now           time.Time `json:"now"`
}

func (a *API) viewClock(o org.Org) clockView {
	return clockView{Org: o.Name, OrgID: o.ID, Offset: o.ClockOffset.String(), OffsetSeconds: o.ClockOffset.Seconds(),
		Now: a.setup.Now().Add(o.ClockOffset).UTC().Truncate(time.Millisecond)}
}

func (a *API) getClock(w http.ResponseWriter, r *http.Request) error {
	o, err := a.findOrg(r.Context(), r.PathValue("org"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.viewClock(o))
}

const clockBodyHelp = `body must be JSON {"offset": "2h"} (the offset ahead of real time) or {"advance": "90m"} (added to it): Go durations, not negative`

func (a *API) putClock(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Offset  *string `json:"offset"`
		Advance *string `json:"advance"`
	}
	dec := json.NewDecoder(io.LimitReader(r.Body, 4<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil || (body.Offset == nil) == (body.Advance == nil) {
		return badRequest(clockBodyHelp)
	}
	o, err := a.findOrg(r.Context(), r.PathValue("org"))
	if err != nil {
		return err
	}
	field, text := "offset", body.Offset
	if body.Advance != nil {
		field, text = "advance", body.Advance
	}
	d, err := time.ParseDuration(*text)
	if err != nil {
		return badRequest("%s %q is not a duration such as 2h, 90m or 25h30m", field, *text)
	}
	if body.Advance != nil {
		o, err = a.setup.AdvanceClock(r.Context(), setup.ActorAdminToken, o.ID, d)
	} else {
		o, err = a.setup.SetClockOffset(r.Context(), setup.ActorAdminToken, o.ID, d)
	}
	if err != nil {
		return err
	}
	a.log.InfoContext(r.Context(), "org clock changed", "org", o.ID, "offset", o.ClockOffset.String())
	return writeJSON(w, http.StatusOK, a.viewClock(o))
}

func (a *API) resetClock(w http.ResponseWriter, r *http.Request) error {
	o, err := a.findOrg(r.Context(), r.PathValue("org"))
	if err != nil {
		return err
	}
	if o, err = a.setup.SetClockOffset(r.Context(), setup.ActorAdminToken, o.ID, 0); err != nil {
		return err
	}
	a.log.InfoContext(r.Context(), "org clock reset", "org", o.ID)
	return writeJSON(w, http.StatusOK, a.viewClock(o))
}
