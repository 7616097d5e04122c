package metrics

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestRouteFamily(t *testing.T) {
	for path, want := range map[string]string{
		"/services/oauth2/token":                           RouteOAuthToken,
		"//services//oauth2/token":                         RouteOAuthToken,
		"/services/oauth2/revoke":                          RouteOAuth,
		"/services/oauth2/authorize":                       RouteOAuth,
		"/setup/secur/RemoteAccessAuthorizationPage.apexp": RouteOAuth,
		"/services/oauth2/userinfo":                        RouteIdentity,
		"/id/00D5F0000000001AAA/0055F0000000001AAA":        RouteIdentity,
		"/id/keys":                          RouteIdentity,
		"/.well-known/openid-configuration": RouteIdentity,
		"/":                                 RouteLogin,
		"/login":                            RouteLogin,
		"/secur/logout.jsp":                 RouteLogin,
		"/services/data":                    RouteData,
		"/services/data/v59.0":              RouteData,
		"/services/data/v59.0/":             RouteData,
		"/services/data/v59.0/limits":       RouteData,
		"/services/data/v59.0/sobjects/Account/001000000000001": RouteDataSObjects,
		"/services/data/v59.0/query":                            RouteDataQuery,
		"/services/data/v59.0/query/01g5F00000000001-2000":      RouteDataQuery,
		"/services/data/v59.0/queryAll":                         RouteDataQuery,
		"/services/data/v59.0/search":                           RouteDataSearch,
		"/services/data/v59.0/parameterizedSearch":              RouteDataSearch,
		"/services/data/v59.0/composite/sobjects":               RouteDataComposite,
		"/services/data/v59.0/jobs/ingest/7505F000000001AAA":    RouteBulk,
		"/services/async/59.0/job/7505F000000001AAA/batch":      RouteBulk,
		"/lightning/setup/SetupOneHome/home":                    RouteConsole,
		"/setup":                                                RouteConsole,
		"/assets/console.css":                                   RouteConsole,
		"/forcefield/admin/users":                               RouteAdmin,
		"/forcefield/other":                                     RouteOther,
		"/healthz":                                              RouteHealth,
		"/readyz":                                               RouteHealth,
		"/favicon.ico":                                          RouteOther,
		"/services/apexrest/x":                                  RouteOther,
	} {
		if got := RouteFamily(path); got != want {
			t.Errorf("RouteFamily(%q) = %q, want %q", path, got, want)
		}
	}
}

func BenchmarkRouteFamily(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		RouteFamily("/services/data/v59.0/sobjects/Account/001000000000001")
	}
}

// BenchmarkMiddleware is what --metrics-addr adds to every request: route family, one
// clock read, one histogram update.
func BenchmarkMiddleware(b *testing.B) {
	m := New()
	h := m.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	r := httptest.NewRequest(http.MethodGet, "/services/data/v59.0/sobjects/Account/001000000000001", nil)
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(nil, r)
	}
}
