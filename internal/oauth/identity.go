package oauth

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/session"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/versions"
)

// Identity URL and UserInfo (the reference §4.1, §4.2). Both take the token as
// Authorization: Bearer or ?oauth_token= (jsforce sends both) and answer a bad token with
// HTTP 403 and the plain-text body Bad_OAuth_Token, which clients key on.

func writeText(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write([]byte(body))
}

// caller resolves the request's token to its session and user, or writes the 403.
func (s *Server) caller(w http.ResponseWriter, r *http.Request) (org.Session, org.Principal, bool) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, POST, HEAD")
		writeText(w, http.StatusMethodNotAllowed, "Method Not Allowed")
		return org.Session{}, org.Principal{}, false
	}
	if f := r.URL.Query().Get("format"); f != "" && f != "json" {
		writeText(w, http.StatusNotAcceptable, "Forcefield answers only format=json")
		return org.Session{}, org.Principal{}, false
	}
	tok := bearerToken(r)
	sess, err := s.sessions.Validate(r.Context(), tok)
	if tok == "" || errors.Is(err, session.ErrInvalid) {
		writeText(w, http.StatusForbidden, "Bad_OAuth_Token")
		return org.Session{}, org.Principal{}, false
	}
	if err != nil {
		s.log.ErrorContext(r.Context(), "validating token", "err", err)
		writeText(w, http.StatusInternalServerError, "Internal Server Error")
		return org.Session{}, org.Principal{}, false
	}
	p, err := s.dir.Principal(r.Context(), sess.UserID)
	if err != nil {
		s.log.ErrorContext(r.Context(), "loading session user", "err", err)
		writeText(w, http.StatusInternalServerError, "Internal Server Error")
		return org.Session{}, org.Principal{}, false
	}
	return sess, p, true
}

// handleIdentity is GET /id/{orgId}/{userId}. A token reads its own user's identity; it
// reads another user of its org only with the api or full scope and API Enabled (the
// reference §4.1). Unknown or foreign IDs answer 404 Bad_Id [UNCONFIRMED text].
func (s *Server) handleIdentity(w http.ResponseWriter, r *http.Request) {
	sess, caller, ok := s.caller(w, r)
	if !ok {
		return
	}
	orgID, err1 := sfid.Parse(r.PathValue("org"))
	userID, err2 := sfid.Parse(r.PathValue("user"))
	if err1 != nil || err2 != nil || orgID != sess.OrgID {
		writeText(w, http.StatusNotFound, "Bad_Id")
		return
	}
	target := caller
	if userID != sess.UserID {
		if !org.AllowsREST(sess.Scopes) || !caller.Has(org.PermAPIEnabled) {
			writeText(w, http.StatusForbidden, "Bad_OAuth_Token")
			return
		}
		p, err := s.dir.Principal(r.Context(), userID)
		if err != nil || p.User.OrgID != sess.OrgID {
			writeText(w, http.StatusNotFound, "Bad_Id")
			return
		}
		target = p
	}
	o, err := s.dir.Org(r.Context(), sess.OrgID)
	if err != nil {
		s.log.ErrorContext(r.Context(), "loading org", "err", err)
		writeText(w, http.StatusInternalServerError, "Internal Server Error")
		return
	}
	writeJSON(w, http.StatusOK, s.identity(r.Context(), target, o, target.User.ID == sess.UserID, r.URL.Query().Get("version")))
}

// urls are the identity response's service URLs on b. Without ?version= they carry the
// literal "{version}", as Salesforce's do.
func (s *Server) urls(b string, o org.Org, userID sfid.ID, version string) map[string]string {
	orgID := o.ID
	v := "{version}"
	if version == "latest" {
		version = versions.Latest
	}
	if versions.Valid(version) {
		v = version
	}
	data := b + "/services/data/v" + v
	urls := map[string]string{
		"enterprise":    b + "/services/Soap/c/" + v + "/" + orgID.String(),
		"metadata":      b + "/services/Soap/m/" + v + "/" + orgID.String(),
		"partner":       b + "/services/Soap/u/" + v + "/" + orgID.String(),
		"rest":          data + "/",
		"sobjects":      data + "/sobjects/",
		"search":        data + "/search/",
		"query":         data + "/query/",
		"recent":        data + "/recent/",
		"tooling_soap":  b + "/services/Soap/T/" + v + "/" + orgID.String(),
		"tooling_rest":  data + "/tooling/",
		"profile":       b + "/" + userID.String(),
		"feeds":         data + "/chatter/feeds",
		"groups":        data + "/chatter/groups",
		"users":         data + "/chatter/users",
		"feed_items":    data + "/chatter/feed-items",
		"feed_elements": data + "/chatter/feed-elements",
	}
	if o.MyDomain != "" { // omitted without a My Domain (the reference §4.1)
		urls["custom_domain"] = b
	}
	return urls
}

func (s *Server) photos(userID sfid.ID) map[string]string {
	return map[string]string{
		"picture":   s.baseURL + "/profilephoto/005/F",
		"thumbnail": s.baseURL + "/profilephoto/005/T",
	}
}

// utcOffset is the user's current offset from UTC in milliseconds.
func utcOffset(tz string, now time.Time) int {
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return 0
	}
	_, off := now.In(loc).Zone()
	return off * 1000
}

// nickname mirrors CommunityNickname's default: the username's local part.
func nickname(u org.User) string {
	local, _, _ := strings.Cut(u.Username, "@")
	return local
}

// sfTime formats a timestamp as Salesforce's JSON does: 2021-04-28T20:54:09.000+0000.
func sfTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000-0700") }

// identity builds the identity-URL body; every key clients read is present even when null
// (the Mobile SDK fails on a missing key).
func (s *Server) identity(ctx context.Context, p org.Principal, o org.Org, asserted bool, version string) map[string]any {
	u := p.User
	return map[string]any{
		"id":                      s.identityURLAt(ctx, o.ID.String(), u.ID.String()),
		"asserted_user":           asserted,
		"user_id":                 u.ID,
		"organization_id":         o.ID,
		"username":                u.Username,
		"nick_name":               nickname(u),
		"display_name":            u.Name(),
		"email":                   u.Email,
		"email_verified":          true,
		"first_name":              u.FirstName,
		"last_name":               u.LastName,
		"timezone":                u.TimeZone,
		"photos":                  s.photos(u.ID),
		"addr_street":             nil,
		"addr_city":               nil,
		"addr_state":              nil,
		"addr_country":            nil,
		"addr_zip":                nil,
		"mobile_phone":            nil,
		"mobile_phone_verified":   false,
		"is_lightning_login_user": false,
		"status":                  map[string]any{"created_date": nil, "body": nil},
		"urls":                    s.urls(s.serviceURL(ctx, o), o, u.ID, version),
		"active":                  u.Active,
		"user_type":               "STANDARD",
		"language":                u.Language,
		"locale":                  u.Locale,
		"utcOffset":               utcOffset(u.TimeZone, s.now()),
		"last_modified_date":      sfTime(u.UpdatedAt),
		"is_app_installed":        true,
	}
}

// handleUserInfo is GET|POST /services/oauth2/userinfo: OpenID Connect claims of the
// token's own user.
func (s *Server) handleUserInfo(w http.ResponseWriter, r *http.Request) {
	sess, p, ok := s.caller(w, r)
	if !ok {
		return
	}
	o, err := s.dir.Org(r.Context(), sess.OrgID)
	if err != nil {
		s.log.ErrorContext(r.Context(), "loading org", "err", err)
		writeText(w, http.StatusInternalServerError, "Internal Server Error")
		return
	}
	u := p.User
	photos := s.photos(u.ID)
	writeJSON(w, http.StatusOK, map[string]any{
		"sub":                            s.identityURLAt(r.Context(), o.ID.String(), u.ID.String()),
		"user_id":                        u.ID,
		"organization_id":                o.ID,
		"preferred_username":             u.Username,
		"nickname":                       nickname(u),
		"name":                           u.Name(),
		"email":                          u.Email,
		"email_verified":                 true,
		"given_name":                     u.FirstName,
		"family_name":                    u.LastName,
		"zoneinfo":                       u.TimeZone,
		"photos":                         photos,
		"profile":                        s.baseURL + "/" + u.ID.String(),
		"picture":                        photos["picture"],
		"address":                        map[string]any{},
		"is_salesforce_integration_user": false,
		"urls":                           s.urls(s.serviceURL(r.Context(), o), o, u.ID, r.URL.Query().Get("version")),
		"active":                         u.Active,
		"user_type":                      "STANDARD",
		"language":                       u.Language,
		"locale":                         u.Locale,
		"utcOffset":                      utcOffset(u.TimeZone, s.now()),
		"updated_at":                     sfTime(u.UpdatedAt),
		"is_app_installed":               true,
	})
}
