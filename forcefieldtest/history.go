package forcefieldtest

import (
	"net/http"
	"time"
)

// Login is a row of the login history: every token request, granted or refused.
type Login struct {
	ID           string    `json:"id"`
	OrgID        string    `json:"orgId"`
	UserID       string    `json:"userId"`
	AppID        string    `json:"appId"`
	LoginTime    time.Time `json:"loginTime"`
	SourceIP     string    `json:"sourceIp"`
	LoginType    string    `json:"loginType"`
	LoginSubType string    `json:"loginSubType"`
	Status       string    `json:"status"`      // Success, or the reason of a refusal
	Application  string    `json:"application"` // the connected app's name
	LoginURL     string    `json:"loginUrl"`
}

// LoginHistory returns the server's login history, every org's, newest first (up to
// 10,000 rows).
func (s *Server) LoginHistory(t TB) []Login {
	t.Helper()
	var out []Login
	s.adminJSON(t, http.MethodGet, "/login-history?limit=10000", nil, &out)
	return out
}

// Session is a live session as the admin API lists it.
type Session struct {
	ID           string    `json:"id"`
	OrgID        string    `json:"orgId"`
	UserID       string    `json:"userId"`
	AppID        string    `json:"appId"`
	Scopes       []string  `json:"scopes"`
	LoginType    string    `json:"loginType"`
	CreatedAt    time.Time `json:"createdAt"`
	LastActivity time.Time `json:"lastActivity"`
	ExpiresAt    time.Time `json:"expiresAt"`
}

// Sessions returns the server's live sessions (up to 10,000).
func (s *Server) Sessions(t TB) []Session {
	t.Helper()
	var out []Session
	s.adminJSON(t, http.MethodGet, "/sessions?limit=10000", nil, &out)
	return out
}
