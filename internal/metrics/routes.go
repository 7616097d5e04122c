package metrics

import (
	"net/http"
	"strings"
	"time"
)

// routes lists every route family, for Metrics.byRoute.
var routes = []string{RouteOAuthToken, RouteOAuth, RouteIdentity, RouteLogin, RouteDataSObjects, RouteDataQuery,
	RouteDataSearch, RouteDataComposite, RouteData, RouteBulk, RouteConsole, RouteAdmin, RouteHealth, RouteOther}

// Route families, the values of the route label. A fixed set: the raw path (record IDs,
// object names, job IDs) never becomes a label.
const (
	RouteOAuthToken    = "oauth_token"    // POST /services/oauth2/token
	RouteOAuth         = "oauth"          // revoke, introspect, authorize, the approval pages
	RouteIdentity      = "identity"       // /id/…, userinfo, /.well-known/openid-configuration
	RouteLogin         = "login"          // the browser login: /, /login, /secur/logout.jsp
	RouteDataSObjects  = "data_sobjects"  // /services/data/vNN.0/sobjects/…
	RouteDataQuery     = "data_query"     // query, queryAll (and their nextRecordsUrl)
	RouteDataSearch    = "data_search"    // search, parameterizedSearch
	RouteDataComposite = "data_composite" // composite, composite/sobjects, tree, batch
	RouteData          = "data_other"     // versions, limits, recent, tabs, …
	RouteBulk          = "bulk"           // Bulk API 2.0 (/services/data/vNN.0/jobs/…) and 1.0 (/services/async/…)
	RouteConsole       = "console"        // the Setup console: /lightning/…, /setup, /assets/…
	RouteAdmin         = "admin"          // the admin API: /forcefield/admin/…
	RouteHealth        = "health"         // /healthz, /readyz
	RouteOther         = "other"          // anything else (answered 404)
)

// RouteFamily maps a request path to its route family. It ignores repeated slashes (the
// server folds them, withSingleSlashes) and allocates nothing.
func RouteFamily(path string) string {
	first, rest := segment(path)
	switch first {
	case "services":
		second, rest := segment(rest)
		switch second {
		case "oauth2":
			switch third, _ := segment(rest); third {
			case "token":
				return RouteOAuthToken
			case "userinfo":
				return RouteIdentity
			}
			return RouteOAuth
		case "data":
			if _, rest = segment(rest); rest == "" { // /services/data, /services/data/vNN.0
				return RouteData
			}
			switch res, _ := segment(rest); res {
			case "sobjects":
				return RouteDataSObjects
			case "query", "queryAll":
				return RouteDataQuery
			case "search", "parameterizedSearch":
				return RouteDataSearch
			case "composite":
				return RouteDataComposite
			case "jobs":
				return RouteBulk
			}
			return RouteData
		case "async":
			return RouteBulk
		}
	case "id", ".well-known":
		return RouteIdentity
	case "", "login":
		return RouteLogin
	case "secur":
		return RouteLogin
	case "setup":
		if second, _ := segment(rest); second == "secur" { // the OAuth approval pages
			return RouteOAuth
		}
		return RouteConsole
	case "lightning", "assets":
		return RouteConsole
	case "forcefield":
		if second, _ := segment(rest); second == "admin" {
			return RouteAdmin
		}
	case "healthz", "readyz":
		return RouteHealth
	}
	return RouteOther
}

// segment returns the first non-empty path segment of p and what follows it.
func segment(p string) (string, string) {
	p = strings.TrimLeft(p, "/")
	if i := strings.IndexByte(p, '/'); i >= 0 {
		return p[:i], p[i:]
	}
	return p, ""
}

// Middleware observes every request's latency under its route family: the time until the
// handler returns (for a streamed response, until the last byte was handed to the
// connection). It does not wrap the ResponseWriter, so Flusher and Hijacker keep working
// and the cost is one clock read and one histogram update.
func (m *Metrics) Middleware(next http.Handler) http.Handler {
	if m == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		defer func() { m.byRoute[RouteFamily(r.URL.Path)].Observe(time.Since(start).Seconds()) }()
		next.ServeHTTP(w, r)
	})
}
