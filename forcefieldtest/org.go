package forcefieldtest

import (
	"net/http"
	"net/url"
	"time"
)

// Clock is an org's clock as the admin API shows it.
type Clock struct {
	Org    string
	Offset time.Duration // how far the org's time is ahead of the server's
	Now    time.Time     // the org's time when the answer was made
}

type clockView struct {
	Org           string    `json:"org"`
	OffsetSeconds float64   `json:"offsetSeconds"`
	Now           time.Time `json:"now"`
}

func (v clockView) clock() Clock {
	return Clock{Org: v.Org, Offset: time.Duration(v.OffsetSeconds * float64(time.Second)), Now: v.Now}
}

// Travel moves the org's time d forward from where it is: its sessions, authorization
// codes and refresh tokens expire as they would after d, its 24-hour limit windows roll,
// and SOQL's TODAY and LAST_N_DAYS move. Other orgs are not affected. Time only moves
// forward (a negative d fails the test); ResetClock returns the org to real time.
func (s *Server) Travel(t TB, d time.Duration) Clock {
	t.Helper()
	var v clockView
	s.adminJSON(t, http.MethodPut, s.orgPath(t)+"/clock", map[string]string{"advance": d.String()}, &v)
	return v.clock()
}

// Clock returns the org's clock.
func (s *Server) Clock(t TB) Clock {
	t.Helper()
	var v clockView
	s.adminJSON(t, http.MethodGet, s.orgPath(t)+"/clock", nil, &v)
	return v.clock()
}

// ResetClock puts the org's time back to the server's (offset 0).
func (s *Server) ResetClock(t TB) Clock {
	t.Helper()
	var v clockView
	s.adminJSON(t, http.MethodDelete, s.orgPath(t)+"/clock", nil, &v)
	return v.clock()
}

// Snapshot is a saved copy of an org's Setup and data.
type Snapshot struct {
	Name      string    `json:"name"`
	Org       string    `json:"org"`
	CreatedAt time.Time `json:"createdAt"`
	Records   int       `json:"records"`
	Bytes     int64     `json:"bytes"`
}

// Restored says what a restore did.
type Restored struct {
	Name          string  `json:"name"`
	Org           string  `json:"org"`
	RestoredInMs  float64 `json:"restoredInMs"`
	Records       int     `json:"records"`
	SessionsEnded int     `json:"sessionsEnded"`
}

// Snapshot saves the org's Setup and data under name. A name already taken fails the
// test (delete it first, or use Admin with ?replace=true).
func (s *Server) Snapshot(t TB, name string) Snapshot {
	t.Helper()
	var v Snapshot
	s.adminJSON(t, http.MethodPost, s.orgPath(t)+"/snapshots", map[string]string{"name": name}, &v)
	return v
}

// Restore puts the org back as it was when the snapshot name was taken. Sessions whose
// user and app still exist and are active keep working (a suite's cached token survives
// a reset); the others end. Login history, the audit trail, API usage and faults are not
// part of a snapshot.
func (s *Server) Restore(t TB, name string) Restored {
	t.Helper()
	var v Restored
	s.adminJSON(t, http.MethodPost, s.orgPath(t)+"/snapshots/"+url.PathEscape(name)+"/restore", nil, &v)
	return v
}

// Quotas are a connected app's quotas; 0 is no quota.
type Quotas struct {
	TokenRequestsPerHour int `json:"tokenRequestsPerHour"`
	TokenRequestsPerDay  int `json:"tokenRequestsPerDay"`
	APIRequestsPerDay    int `json:"apiRequestsPerDay"`
}

// AppQuotas are an app's quotas and what it used of them.
type AppQuotas struct {
	App    string `json:"app"`
	Quotas Quotas `json:"quotas"`
	Usage  struct {
		TokenRequestsLastHour int `json:"tokenRequestsLastHour"`
		TokenRequestsLast24h  int `json:"tokenRequestsLast24h"`
		APIRequestsLast24h    int `json:"apiRequestsLast24h"`
	} `json:"usage"`
}

// SetQuotas sets the quotas of the app (name or ID): past one, its token requests get
// refused and its API calls 403 REQUEST_LIMIT_EXCEEDED.
func (s *Server) SetQuotas(t TB, app string, q Quotas) AppQuotas {
	t.Helper()
	var v AppQuotas
	s.adminJSON(t, http.MethodPut, "/apps/"+url.PathEscape(app)+"/quotas", q, &v)
	return v
}

// Quotas returns the quotas of the app (name or ID) and its usage.
func (s *Server) Quotas(t TB, app string) AppQuotas {
	t.Helper()
	var v AppQuotas
	s.adminJSON(t, http.MethodGet, "/apps/"+url.PathEscape(app)+"/quotas", nil, &v)
	return v
}
