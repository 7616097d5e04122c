package console

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// Session Management (the setup reference §6, Salesforce's AuthSession): the org's live
// sessions — UI logins and every access token — filtered by user; Remove ends the ticked
// sessions, Remove All the filtered user's. The viewer's own UI session is marked
// Current Session; removing it logs the viewer out.

type sessionRow struct {
	org.Session
	Username    string
	AppName     string
	SessionType string // UI for a browser login, Oauth2 for an access token
	Login       string // LoginHistory's Login Type
	ValidFor    string
	Current     bool
}

type sessionsData struct {
	Users     []org.User
	User      string // the filter's username
	UserID    sfid.ID
	Rows      []sessionRow
	CanRemove bool
}

func (c *Console) sessionList(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	ctx := r.Context()
	names, err := c.orgNames(ctx, v.Org.ID)
	if err != nil {
		return err
	}
	d := sessionsData{Users: names.userList, User: r.URL.Query().Get("user"), CanRemove: v.CanManageUsers()}
	if d.User != "" {
		for _, u := range names.userList {
			if u.Username == d.User {
				d.UserID = u.ID
			}
		}
		if d.UserID.IsZero() {
			return notFound("user " + d.User)
		}
	}
	ss, err := c.cfg.Sessions.List(ctx, store.SessionFilter{OrgID: v.Org.ID, UserID: d.UserID})
	if err != nil {
		return err
	}
	now := c.now()
	for _, s := range ss {
		if s.Expired(now) {
			continue
		}
		row := sessionRow{Session: s, Username: names.users[s.UserID], AppName: names.apps[s.AppID],
			SessionType: "Oauth2", Login: org.LoginTypeRemoteAccess2, ValidFor: validFor(s.Timeout),
			Current: s.ID.String() == v.SessionID}
		if s.AppID.IsZero() {
			row.SessionType, row.Login = "UI", org.LoginTypeApplication
		}
		d.Rows = append(d.Rows, row)
	}
	c.render(w, r, v, http.StatusOK, "sessions", Page{Title: "Session Management", Nav: "SessionManagementPage", Data: d})
	return nil
}

// validFor is AuthSession's Valid For (NumSecondsValid) in words.
func validFor(d time.Duration) string {
	switch {
	case d%time.Hour == 0 && d >= time.Hour:
		return fmt.Sprintf("%d hour(s)", d/time.Hour)
	case d >= time.Minute:
		return fmt.Sprintf("%d minute(s)", d/time.Minute)
	}
	return fmt.Sprintf("%d second(s)", d/time.Second)
}

// sessionRemove is Remove (fields "session-<ID>" ticked) or Remove All (field "user").
func (c *Console) sessionRemove(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	f, err := c.form(w, r, "sessions-remove")
	if err != nil {
		return err
	}
	ctx := r.Context()
	loggedOut := false
	back := Prefix + "SessionManagementPage/home"
	if ref := f.Get("user"); ref != "" {
		id, err := parseID(ref, "user")
		if err != nil {
			return err
		}
		u, err := c.cfg.Setup.Store().User(ctx, id)
		if err != nil || u.OrgID != v.Org.ID {
			return notFound("user")
		}
		if _, err := c.cfg.Setup.RevokeUserSessions(ctx, v.Actor(), u.ID); err != nil {
			return err
		}
		loggedOut = u.ID == v.User.ID
	} else {
		var ids []sfid.ID
		for k := range f {
			if ref, ok := strings.CutPrefix(k, "session-"); ok {
				id, err := parseID(ref, "session")
				if err != nil {
					return err
				}
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			return &pageError{http.StatusBadRequest, "Invalid Request", "Select at least one session to remove."}
		}
		// Only the viewer's org's sessions: list them once rather than trusting the IDs.
		mine := map[sfid.ID]bool{}
		ss, err := c.cfg.Sessions.List(ctx, store.SessionFilter{OrgID: v.Org.ID})
		if err != nil {
			return err
		}
		for _, s := range ss {
			mine[s.ID] = true
		}
		for _, id := range ids {
			if !mine[id] {
				return notFound("session " + id.String())
			}
			if _, err := c.cfg.Setup.RevokeSession(ctx, v.Actor(), id); err != nil {
				return err
			}
			loggedOut = loggedOut || id.String() == v.SessionID
		}
		if u := f.Get("filter"); u != "" {
			back += "?user=" + url.QueryEscape(u)
		}
	}
	if loggedOut {
		return seeOther(w, r, "/")
	}
	return seeOther(w, r, back)
}
