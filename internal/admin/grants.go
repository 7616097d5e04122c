package admin

import (
	"context"
	"encoding/json"

	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/setup"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// The web server flow's grants (the webflow reference §2.3, §4.7): users' approvals of
// apps and their refresh tokens (Salesforce's OauthToken rows, Setup → Connected Apps
// OAuth Usage), listed and revoked per user and app; and a test shortcut that mints a
// refresh token for a user and an app without a browser (§7.4: tap-salesforce, Airbyte
// and Go programs only need a refresh token). Refresh tokens are never shown except in
// the response that minted one.

func (a *API) grantRoutes() map[string]handler {
	return map[string]handler{
		"GET /forcefield/admin/oauth-tokens":                 a.listOauthTokens,
		"POST /forcefield/admin/oauth-tokens":                a.mintRefreshToken,
		"DELETE /forcefield/admin/oauth-tokens/{id}":         a.revokeOauthToken,
		"DELETE /forcefield/admin/users/{user}/oauth-tokens": a.revokeUserOauthTokens,
		"GET /forcefield/admin/approvals":                    a.listApprovals,
		"DELETE /forcefield/admin/users/{user}/approvals":    a.revokeUserApprovals,
	}
}

type oauthTokenView struct {
	ID         sfid.ID    `json:"id"`
	OrgID      sfid.ID    `json:"orgId"`
	UserID     sfid.ID    `json:"userId"`
	Username   string     `json:"username"`
	AppID      sfid.ID    `json:"appId"`
	AppName    string     `json:"appName"`
	Scopes     []string   `json:"scopes"`
	CreatedAt  time.Time  `json:"createdAt"`
	LastUsedAt *time.Time `json:"lastUsedAt,omitempty"`
	UseCount   int        `json:"useCount"`
	FamilyID   sfid.ID    `json:"familyId"`
	RotatedAt  *time.Time `json:"rotatedAt,omitempty"`
	// RefreshToken is set only in the response of the test shortcut that minted it.
	RefreshToken string `json:"refreshToken,omitempty"`
	// SfdxAuthURL is the force://<key>::<token>@<host> line `sf org login sfdx-url`
	// reads (the webflow reference §5.2), in the minting response only.
	SfdxAuthURL string `json:"sfdxAuthUrl,omitempty"`
}

type approvalView struct {
	OrgID     sfid.ID   `json:"orgId"`
	UserID    sfid.ID   `json:"userId"`
	Username  string    `json:"username"`
	AppID     sfid.ID   `json:"appId"`
	AppName   string    `json:"appName"`
	Scopes    []string  `json:"scopes"`
	CreatedAt time.Time `json:"createdAt"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// names resolves user and app IDs to names for the views, caching lookups.
type names struct {
	a     *API
	users map[sfid.ID]string
	apps  map[sfid.ID]string
}

func (a *API) names() *names {
	return &names{a: a, users: map[sfid.ID]string{}, apps: map[sfid.ID]string{}}
}

func (n *names) user(ctx context.Context, id sfid.ID) string {
	return lookupName(n.users, id, func() (string, error) {
		u, err := n.a.st.User(ctx, id)
		return u.Username, err
	})
}

func (n *names) app(ctx context.Context, id sfid.ID) string {
	return lookupName(n.apps, id, func() (string, error) {
		app, err := n.a.st.ConnectedApp(ctx, id)
		return app.Name, err
	})
}

// lookupName returns the cached name of id, else loads it (caching only a found one; a
// missing user or app has no name).
func lookupName(cache map[sfid.ID]string, id sfid.ID, load func() (string, error)) string {
	if v, ok := cache[id]; ok {
		return v
	}
	v, err := load()
	if err != nil {
		return ""
	}
	cache[id] = v
	return v
}

func (n *names) token(ctx context.Context, t org.RefreshToken) oauthTokenView {
	return oauthTokenView{ID: t.ID, OrgID: t.OrgID, UserID: t.UserID, Username: n.user(ctx, t.UserID),
		AppID: t.AppID, AppName: n.app(ctx, t.AppID), Scopes: t.Scopes, CreatedAt: t.CreatedAt,
		LastUsedAt: timePtr(t.LastUsedAt), UseCount: t.UseCount, FamilyID: t.FamilyID, RotatedAt: timePtr(t.RotatedAt)}
}

// grantFilter reads the optional user and app query parameters (a username or user ID,
// an app name or ID).
func (a *API) grantFilter(r *http.Request) (store.GrantFilter, error) {
	var f store.GrantFilter
	if ref := r.URL.Query().Get("user"); ref != "" {
		u, err := a.findUser(r.Context(), ref)
		if err != nil {
			return f, err
		}
		f.UserID = u.ID
	}
	if ref := r.URL.Query().Get("app"); ref != "" {
		app, err := a.findApp(r.Context(), ref)
		if err != nil {
			return f, err
		}
		f.AppID = app.ID
	}
	return f, nil
}

// listOauthTokens is GET /forcefield/admin/oauth-tokens[?user=…][&app=…]: refresh tokens,
// newest first, rotated-out ones included (rotatedAt set).
func (a *API) listOauthTokens(w http.ResponseWriter, r *http.Request) error {
	f, err := a.grantFilter(r)
	if err != nil {
		return err
	}
	ts, err := a.st.RefreshTokens(r.Context(), f)
	if err != nil {
		return err
	}
	n := a.names()
	out := make([]oauthTokenView, 0, len(ts))
	for _, t := range ts {
		out = append(out, n.token(r.Context(), t))
	}
	return writeJSON(w, http.StatusOK, out)
}

// revokeOauthToken is DELETE /forcefield/admin/oauth-tokens/{id}: the refresh token, its
// rotation family and every session minted from them end (204; 404 when none).
func (a *API) revokeOauthToken(w http.ResponseWriter, r *http.Request) error {
	id, err := sfid.Parse(r.PathValue("id"))
	if err != nil {
		return badRequest("malformed OauthToken id %q", r.PathValue("id"))
	}
	if _, err := a.setup.RevokeOAuthToken(r.Context(), setup.ActorAdminToken, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type revokedView struct {
	OauthTokens int `json:"oauthTokens"`
	Sessions    int `json:"sessions"`
	Approvals   int `json:"approvals,omitempty"`
}

// revokeUserOauthTokens is DELETE /forcefield/admin/users/{user}/oauth-tokens[?app=…]: the
// user's refresh tokens (of one app, or all) and the sessions minted from them.
func (a *API) revokeUserOauthTokens(w http.ResponseWriter, r *http.Request) error {
	u, err := a.findUser(r.Context(), r.PathValue("user"))
	if err != nil {
		return err
	}
	f, err := a.grantFilter(r)
	if err != nil {
		return err
	}
	rv, err := a.setup.RevokeUserOAuthTokens(r.Context(), setup.ActorAdminToken, u.ID, f.AppID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, revokedView{OauthTokens: rv.OAuthTokens, Sessions: rv.Sessions})
}

// listApprovals is GET /forcefield/admin/approvals[?user=…][&app=…]: approvals given on
// the approval page (an app's org-file approvedUsers are listed with the app).
func (a *API) listApprovals(w http.ResponseWriter, r *http.Request) error {
	f, err := a.grantFilter(r)
	if err != nil {
		return err
	}
	as, err := a.st.Approvals(r.Context(), f)
	if err != nil {
		return err
	}
	n := a.names()
	out := make([]approvalView, 0, len(as))
	for _, ap := range as {
		out = append(out, approvalView{OrgID: ap.OrgID, UserID: ap.UserID, Username: n.user(r.Context(), ap.UserID),
			AppID: ap.AppID, AppName: n.app(r.Context(), ap.AppID), Scopes: ap.Scopes, CreatedAt: ap.CreatedAt})
	}
	return writeJSON(w, http.StatusOK, out)
}

// revokeUserApprovals is DELETE /forcefield/admin/users/{user}/approvals[?app=…]: the
// approvals go, and with them the user's refresh tokens of those apps and their sessions
// (issue 10 §3: removing the approval ends them). The next authorization shows the
// approval page again.
func (a *API) revokeUserApprovals(w http.ResponseWriter, r *http.Request) error {
	u, err := a.findUser(r.Context(), r.PathValue("user"))
	if err != nil {
		return err
	}
	f, err := a.grantFilter(r)
	if err != nil {
		return err
	}
	rv, err := a.setup.RevokeUserApprovals(r.Context(), setup.ActorAdminToken, u.ID, f.AppID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, revokedView{OauthTokens: rv.OAuthTokens, Sessions: rv.Sessions, Approvals: rv.Approvals})
}

// mintRefreshToken is POST /forcefield/admin/oauth-tokens with {"app": "…", "user": "…"}:
// the test shortcut. It records the user's approval of the app and stores a new refresh
// token with the app's scopes, as if the user had completed the web server flow, and
// returns it once (with an sfdx auth URL for `sf org login sfdx-url`). The app must have
// the refresh_token (or offline_access) scope, the user must be active and belong to the
// app's org, and an admin-approved app's user must be pre-authorized: the shortcut skips
// the browser, not the rules. Not a Salesforce API.
func (a *API) mintRefreshToken(w http.ResponseWriter, r *http.Request) error {
	var body struct{ App, User string }
	if err := json.NewDecoder(io.LimitReader(r.Body, maxAuthBody)).Decode(&body); err != nil || body.App == "" || body.User == "" {
		return badRequest(`body must be JSON {"app": "<app name or id>", "user": "<username or id>"}`)
	}
	app, err := a.findApp(r.Context(), body.App)
	if err != nil {
		return err
	}
	u, err := a.findUser(r.Context(), body.User)
	if err != nil {
		return err
	}
	value, t, err := a.setup.MintRefreshToken(r.Context(), setup.ActorAdminToken, app.ID, u.ID)
	if err != nil {
		return err
	}
	key, err := a.consumerKey(r.Context(), app.ID)
	if err != nil {
		return err
	}
	v := a.names().token(r.Context(), t)
	v.RefreshToken = value
	if key != "" {
		v.SfdxAuthURL = fmt.Sprintf("force://%s::%s@%s", key, value, r.Host)
	}
	a.log.InfoContext(r.Context(), "minted a refresh token through the admin API", "user", u.Username, "app", app.Name, "oauth_token", t.ID)
	return writeJSON(w, http.StatusCreated, v)
}

// consumerKey returns the app's active consumer key ("" when it has none).
func (a *API) consumerKey(ctx context.Context, appID sfid.ID) (string, error) {
	creds, err := a.st.Credentials(ctx, appID)
	if err != nil {
		return "", err
	}
	for _, c := range creds {
		if c.State == org.CredentialActive {
			return c.ConsumerKey, nil
		}
	}
	return "", nil
}

// webFlowView fills an app view's web flow settings, defaults spelled out.
func webFlowView(v *appView, app org.ConnectedApp) {
	v.CallbackURLs = append([]string{}, app.CallbackURLs...)
	v.ConsumerSecretOptional, v.RefreshSecretOptional = app.ConsumerSecretOptional, app.RefreshSecretOptional
	v.PKCERequired, v.RefreshTokenRotation = app.PKCERequired, app.RefreshTokenRotation
	v.RefreshTokenPolicy = string(app.RefreshTokenPolicy)
	if v.RefreshTokenPolicy == "" {
		v.RefreshTokenPolicy = org.RefreshInfinite
	}
	v.IDTokenValidityMinutes = int(app.IDTokenValidity() / time.Minute)
}
