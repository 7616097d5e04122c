package admin

import (
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
)

// The admin API's JSON shapes. They never include a secret or a hash of one.

type orgView struct {
	ID                    sfid.ID   `json:"id"`
	Name                  string    `json:"name"`
	MyDomain              string    `json:"myDomain,omitempty"`
	SessionTimeoutMinutes int       `json:"sessionTimeoutMinutes"`
	DailyAPIRequests      int       `json:"dailyApiRequests"`
	Edition               string    `json:"edition"`  // Developer, Enterprise, …
	Licences              int       `json:"licences"` // active users: the allocations' base
	CreatedAt             time.Time `json:"createdAt"`
}

func viewOrg(o org.Org) orgView {
	return orgView{o.ID, o.Name, o.MyDomain, int(o.SessionTimeout().Minutes()), o.APIRequestLimit(),
		string(o.Edition.OrDefault()), o.Licences, o.CreatedAt}
}

type userView struct {
	ID             sfid.ID   `json:"id"`
	OrgID          sfid.ID   `json:"orgId"`
	Username       string    `json:"username"`
	Name           string    `json:"name"`
	Email          string    `json:"email"`
	Profile        string    `json:"profile"`
	PermissionSets []string  `json:"permissionSets"`
	Active         bool      `json:"active"`
	APIEnabled     bool      `json:"apiEnabled"`
	APIOnly        bool      `json:"apiOnly"`
	CreatedAt      time.Time `json:"createdAt"`
}

func viewUser(p org.Principal) userView {
	v := userView{
		ID: p.User.ID, OrgID: p.User.OrgID, Username: p.User.Username, Name: p.User.Name(),
		Email: p.User.Email, Profile: p.Profile.Name, PermissionSets: []string{}, Active: p.User.Active,
		APIEnabled: p.Has(org.PermAPIEnabled), APIOnly: p.Has(org.PermAPIUserOnly), CreatedAt: p.User.CreatedAt,
	}
	for _, ps := range p.PermSets {
		v.PermissionSets = append(v.PermissionSets, ps.Name)
	}
	return v
}

type credentialView struct {
	ID          sfid.ID    `json:"id"`
	ConsumerKey string     `json:"consumerKey"`
	State       string     `json:"state"`
	CreatedAt   time.Time  `json:"createdAt"`
	ExpiresAt   *time.Time `json:"expiresAt,omitempty"`
	// ConsumerSecret is set only in the response that created the pair: shown once.
	ConsumerSecret string `json:"consumerSecret,omitempty"`
}

func viewCredential(c org.Credential) credentialView {
	v := credentialView{ID: c.ID, ConsumerKey: c.ConsumerKey, State: c.State, CreatedAt: c.CreatedAt}
	if !c.ExpiresAt.IsZero() {
		t := c.ExpiresAt
		v.ExpiresAt = &t
	}
	return v
}

type appView struct {
	ID                       sfid.ID          `json:"id"`
	OrgID                    sfid.ID          `json:"orgId"`
	Name                     string           `json:"name"`
	Scopes                   []string         `json:"scopes"`
	ClientCredentialsEnabled bool             `json:"clientCredentialsEnabled"`
	RunAs                    string           `json:"runAs,omitempty"`
	PermittedUsers           string           `json:"permittedUsers"`
	Credentials              []credentialView `json:"credentials"`
	// The web server and refresh token flows' settings (docs/web-flow.md "App settings").
	CallbackURLs           []string `json:"callbackUrls"`
	ConsumerSecretOptional bool     `json:"consumerSecretOptional"`
	RefreshSecretOptional  bool     `json:"refreshSecretOptional"`
	PKCERequired           bool     `json:"pkceRequired"`
	RefreshTokenPolicy     string   `json:"refreshTokenPolicy"` // "infinite" when unset
	RefreshTokenRotation   bool     `json:"refreshTokenRotation"`
	IDTokenValidityMinutes int      `json:"idTokenValidityMinutes"` // 2 when unset

	Quotas *quotasJSON `json:"quotas"` // per-app quotas (quotas.go)
}

type sessionView struct {
	ID           sfid.ID   `json:"id"`
	OrgID        sfid.ID   `json:"orgId"`
	UserID       sfid.ID   `json:"userId"`
	AppID        sfid.ID   `json:"appId"`
	Scopes       []string  `json:"scopes"`
	SourceIP     string    `json:"sourceIp"`
	LoginType    string    `json:"loginType"`
	CreatedAt    time.Time `json:"createdAt"`
	LastActivity time.Time `json:"lastActivity"`
	ExpiresAt    time.Time `json:"expiresAt"`
}

func viewSession(s org.Session) sessionView {
	return sessionView{s.ID, s.OrgID, s.UserID, s.AppID, s.Scopes, s.SourceIP, s.LoginType, s.CreatedAt, s.LastActivity, s.ExpiresAt()}
}

type loginView struct {
	ID           sfid.ID   `json:"id"`
	OrgID        sfid.ID   `json:"orgId,omitempty"`
	UserID       sfid.ID   `json:"userId,omitempty"`
	AppID        sfid.ID   `json:"appId,omitempty"`
	LoginTime    time.Time `json:"loginTime"`
	SourceIP     string    `json:"sourceIp"`
	LoginType    string    `json:"loginType"`
	LoginSubType string    `json:"loginSubType"`
	Status       string    `json:"status"`
	Application  string    `json:"application"`
	LoginURL     string    `json:"loginUrl"`
}

func viewLogin(e org.LoginEvent) loginView {
	return loginView{e.ID, e.OrgID, e.UserID, e.AppID, e.Time, e.SourceIP, e.LoginType, e.LoginSubType, e.Status, e.Application, e.LoginURL}
}
