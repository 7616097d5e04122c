package console

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// Connected Apps OAuth Usage (the setup reference §4): the apps users of the org are
// connected to — an app with a live session or refresh token — with their user counts
// and Block / Unblock; User Count opens Connected App User's Usage, per user with Revoke
// and Revoke All. A blocked app stays listed (so that it can be unblocked) although its
// tokens are gone; Salesforce does the same.

// appUse is one user's use of one app.
type appUse struct {
	UserID    sfid.ID
	Username  string
	FirstUse  time.Time
	LastUse   time.Time
	UseCount  int // successful token requests in Login History
	Sessions  int // live sessions
	Refreshes int // live refresh tokens
}

type usageRow struct {
	App       org.ConnectedApp
	UserCount int
}

type usageData struct {
	Rows      []usageRow
	CanBlock  bool
	CanRevoke bool
}

// liveUse collects the live sessions and (not rotated-out) refresh tokens of the org by
// app and user.
func (c *Console) liveUse(ctx context.Context, orgID sfid.ID) (map[sfid.ID]map[sfid.ID]*appUse, error) {
	now := c.now()
	out := map[sfid.ID]map[sfid.ID]*appUse{}
	get := func(app, user sfid.ID) *appUse {
		if out[app] == nil {
			out[app] = map[sfid.ID]*appUse{}
		}
		u := out[app][user]
		if u == nil {
			u = &appUse{UserID: user}
			out[app][user] = u
		}
		return u
	}
	ss, err := c.cfg.Sessions.List(ctx, store.SessionFilter{OrgID: orgID})
	if err != nil {
		return nil, err
	}
	for _, s := range ss {
		if s.AppID.IsZero() || s.Expired(now) {
			continue
		}
		u := get(s.AppID, s.UserID)
		u.Sessions++
		u.see(s.CreatedAt, s.LastActivity)
	}
	ts, err := c.cfg.Setup.Store().RefreshTokens(ctx, store.GrantFilter{OrgID: orgID})
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		if !t.RotatedAt.IsZero() {
			continue
		}
		u := get(t.AppID, t.UserID)
		u.Refreshes++
		u.see(t.CreatedAt, t.LastUsedAt)
	}
	return out, nil
}

// see widens the use's first and last times.
func (u *appUse) see(first, last time.Time) {
	if !first.IsZero() && (u.FirstUse.IsZero() || first.Before(u.FirstUse)) {
		u.FirstUse = first
	}
	for _, t := range []time.Time{first, last} {
		if t.After(u.LastUse) {
			u.LastUse = t
		}
	}
}

func (c *Console) usageList(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	ctx := r.Context()
	use, err := c.liveUse(ctx, v.Org.ID)
	if err != nil {
		return err
	}
	apps, err := c.cfg.Setup.Store().ConnectedApps(ctx, v.Org.ID)
	if err != nil {
		return err
	}
	d := usageData{CanBlock: v.CanCustomize(), CanRevoke: v.CanManageUsers()}
	for _, a := range apps {
		if len(use[a.ID]) > 0 || a.Blocked {
			d.Rows = append(d.Rows, usageRow{App: a, UserCount: len(use[a.ID])})
		}
	}
	slices.SortFunc(d.Rows, func(a, b usageRow) int { return strings.Compare(a.App.Name, b.App.Name) })
	c.render(w, r, v, http.StatusOK, "usage", Page{Title: "Connected Apps OAuth Usage", Nav: "ConnectedAppsUsage", Data: d})
	return nil
}

// orgApp resolves the {app} path segment to an app of the viewer's org.
func (c *Console) orgApp(r *http.Request, v *Viewer) (org.ConnectedApp, error) {
	id, err := parseID(r.PathValue("app"), "connected app")
	if err != nil {
		return org.ConnectedApp{}, err
	}
	app, err := c.cfg.Setup.Store().ConnectedApp(r.Context(), id)
	if err != nil || app.OrgID != v.Org.ID {
		return app, notFound("connected app")
	}
	return app, nil
}

// usageBlock is the Action column: Block or Unblock (form field "blocked" = "true"/"false").
func (c *Console) usageBlock(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	app, err := c.orgApp(r, v)
	if err != nil {
		return err
	}
	f, err := c.form(w, r, "usage-block")
	if err != nil {
		return err
	}
	switch f.Get("blocked") {
	case "true":
		err = c.cfg.Setup.BlockApp(r.Context(), v.Actor(), app.ID)
	case "false":
		err = c.cfg.Setup.UnblockApp(r.Context(), v.Actor(), app.ID)
	default:
		return &pageError{http.StatusBadRequest, "Invalid Request", "Choose Block or Unblock."}
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, Prefix+"ConnectedAppsUsage/home")
}

type usageUsersData struct {
	App       org.ConnectedApp
	Users     []*appUse
	CanRevoke bool
}

// usageUsers is Connected App User's Usage: per user the first and last use and the use
// count. First Use and Last Use come from the user's live sessions and refresh tokens and
// their Login History rows for the app; Use Count is the user's successful token requests
// for the app in Login History (Forcefield keeps no per-token use counter for access
// tokens; a refresh token's own UseCount is one of those requests).
func (c *Console) usageUsers(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	ctx := r.Context()
	app, err := c.orgApp(r, v)
	if err != nil {
		return err
	}
	use, err := c.liveUse(ctx, v.Org.ID)
	if err != nil {
		return err
	}
	names, err := c.orgNames(ctx, v.Org.ID)
	if err != nil {
		return err
	}
	logins, err := c.cfg.Setup.Store().LoginHistory(ctx, store.LoginFilter{OrgID: v.Org.ID, AppID: app.ID, Limit: loginHistoryMax})
	if err != nil {
		return err
	}
	d := usageUsersData{App: app, CanRevoke: v.CanManageUsers()}
	for _, u := range use[app.ID] {
		u.Username = names.users[u.UserID]
		for _, e := range logins {
			if e.UserID == u.UserID && e.Status == org.LoginStatusSuccess {
				u.UseCount++
				u.see(e.Time, e.Time)
			}
		}
		d.Users = append(d.Users, u)
	}
	slices.SortFunc(d.Users, func(a, b *appUse) int { return strings.Compare(a.Username, b.Username) })
	c.render(w, r, v, http.StatusOK, "usageusers", Page{Title: "Connected App User's Usage", Nav: "ConnectedAppsUsage", Data: d})
	return nil
}

// usageRevoke is Revoke (form field "user") and Revoke All (no user).
func (c *Console) usageRevoke(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	app, err := c.orgApp(r, v)
	if err != nil {
		return err
	}
	f, err := c.form(w, r, "usage-revoke")
	if err != nil {
		return err
	}
	var user sfid.ID
	if ref := f.Get("user"); ref != "" {
		if user, err = parseID(ref, "user"); err != nil {
			return err
		}
	}
	if _, err := c.cfg.Setup.RevokeAppAccess(r.Context(), v.Actor(), app.ID, user); err != nil {
		return err
	}
	return seeOther(w, r, Prefix+"ConnectedAppsUsage/"+app.ID.String()+"/users")
}
