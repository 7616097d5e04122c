package forcefieldtest

import (
	"net/http"
	"net/url"
	"time"
)

// FaultSpec is a fault to inject (POST /forcefield/admin/faults; docs/testing.md "Faults").
type FaultSpec struct {
	// Org, App and User narrow the requests it matches (a name, My Domain, username or
	// ID); Org defaults to the org the handles act on.
	Org, App, User string
	// Family is the requests it matches: token, rest, bulk, composite or all.
	Family string
	// Answer is what they get: REQUEST_LIMIT_EXCEEDED, SERVER_UNAVAILABLE,
	// UNABLE_TO_LOCK_ROW, QUERY_TIMEOUT, INVALID_SESSION_ID, invalid_grant, drop (the
	// connection is closed) or delay (a normal answer after Delay).
	Answer string
	// At most one of Count (the next Count matching requests), Fraction (that share of
	// them, in (0,1]) and For (every matching request for that long); none is Count 1.
	Count    int
	Fraction float64
	For      time.Duration
	Delay    time.Duration
}

// Fault is an injected fault as the admin API shows it.
type Fault struct {
	ID        string    `json:"id"`
	Org       string    `json:"org"`  // the org's ID
	App       string    `json:"app"`  // the app's ID, "" for every app
	User      string    `json:"user"` // the user's ID, "" for every user
	Family    string    `json:"family"`
	Answer    string    `json:"answer"`
	Count     int       `json:"count"`
	Remaining int       `json:"remaining"`
	Fraction  float64   `json:"fraction"`
	Until     time.Time `json:"until"` // zero unless the fault was given a duration
	Delay     string    `json:"delay"`
	Hits      int       `json:"hits"`   // the requests it answered so far
	Source    string    `json:"source"` // where it was declared: the admin API or the org file
	CreatedAt time.Time `json:"createdAt"`
}

// Fault injects a fault and returns it.
func (s *Server) Fault(t TB, f FaultSpec) Fault {
	t.Helper()
	if f.Org == "" {
		f.Org = s.org
	}
	body := map[string]any{"org": f.Org, "app": f.App, "user": f.User, "family": f.Family, "answer": f.Answer,
		"count": f.Count, "fraction": f.Fraction}
	if f.For > 0 {
		body["duration"] = f.For.String()
	}
	if f.Delay > 0 {
		body["delay"] = f.Delay.String()
	}
	var out Fault
	s.adminJSON(t, http.MethodPost, "/faults", body, &out)
	return out
}

// Faults lists the faults of the org the handles act on (all orgs' when there are several
// and none was chosen), with their hits.
func (s *Server) Faults(t TB) []Fault {
	t.Helper()
	var out []Fault
	s.adminJSON(t, http.MethodGet, "/faults"+s.orgQuery(), nil, &out)
	return out
}

// ClearFaults removes the faults of the org the handles act on (every org's when there
// are several and none was chosen) and returns how many there were.
func (s *Server) ClearFaults(t TB) int {
	t.Helper()
	var out struct{ Deleted int }
	s.adminJSON(t, http.MethodDelete, "/faults"+s.orgQuery(), nil, &out)
	return out.Deleted
}

func (s *Server) orgQuery() string {
	if s.org == "" {
		return ""
	}
	return "?org=" + url.QueryEscape(s.org)
}

// SessionsOf selects sessions: exactly one field is set — a session ID, a user (username
// or ID), an app (name or ID) or an org (name, My Domain or ID).
type SessionsOf struct {
	Session, User, App, Org string
}

// ExpireSessions ends the selected sessions now, as if they had timed out: the next call
// with one of their access tokens gets 401 INVALID_SESSION_ID, and their refresh tokens
// stay valid. It returns how many it expired.
func (s *Server) ExpireSessions(t TB, sel SessionsOf) int {
	t.Helper()
	body := map[string]string{}
	for k, v := range map[string]string{"session": sel.Session, "user": sel.User, "app": sel.App, "org": sel.Org} {
		if v != "" {
			body[k] = v
		}
	}
	var out struct{ Expired int }
	s.adminJSON(t, http.MethodPost, "/sessions/expire", body, &out)
	return out.Expired
}

// ExhaustDailyLimit uses up the org's DailyApiRequests: its next API call gets 403
// REQUEST_LIMIT_EXCEEDED (until the 24-hour window rolls, see Travel).
func (s *Server) ExhaustDailyLimit(t TB) {
	t.Helper()
	s.adminJSON(t, http.MethodPost, s.orgPath(t)+"/limits/exhaust", map[string]string{"limit": "DailyApiRequests"}, nil)
}
