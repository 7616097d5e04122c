package oauth

import (
	"context"
	"net"
	"net/http"
	"strings"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
)

// Salesforce's own host names (issue 10 §4; the webflow reference §7; salesforce-oauth.md
// §1.1). Tools such as tap-salesforce, Airbyte, n8n and simple-salesforce hard-code
// https://login.salesforce.com or https://test.salesforce.com; with the machine's hosts file
// mapping those names (and the org's My Domain) to a local Forcefield and its CA trusted
// (`forcefield tls-cert --salesforce`, `forcefield login-hosts`, docs/web-flow.md), their
// requests arrive here with those names in Host. For such a request Forcefield answers as
// Salesforce does on that host:
//
//   - instance_url is the org's My Domain URL, https://<myDomain>.my.salesforce.com (the
//     webflow reference §7.3). An org without a My Domain gets the host the request came to,
//     a name the client certainly reaches (My Domain is mandatory in Salesforce today, so
//     this case does not arise there).
//   - the identity response's service URLs (urls) are on that instance too;
//   - the id URL, the userinfo sub and the discovery document's issuer and endpoints use the
//     host the request came to. Salesforce's id is on the login host (login or test) even
//     for a request to a My Domain; Forcefield keeps the request's host instead because it
//     is the one name sure to be mapped to it on this machine, and clients (jsforce's
//     identity(), sf's id parsing) fetch or parse the id URL.
//   - client credentials are refused on login and test with Salesforce's
//     invalid_grant "request not supported on this domain" (salesforce-oauth.md §1.1): the
//     flow works only on a My Domain.
//
// The port of the Host header is kept (a client told https://login.salesforce.com:8443
// keeps talking to :8443), and the scheme is the listener's: https on the TLS listener.
// Requests to any other host (127.0.0.1, localhost, --base-url) are unaffected: their URLs
// are the configured base URL, as before.

// hostKind is which Salesforce host a request was sent to.
type hostKind int

const (
	hostOther    hostKind = iota // not a Salesforce name
	hostLogin                    // login.salesforce.com
	hostTest                     // test.salesforce.com
	hostMyDomain                 // <name>.my.salesforce.com (and sandbox/enhanced forms)
)

// sfHost is the Salesforce host a request was sent to.
type sfHost struct {
	kind   hostKind
	origin string // scheme://host[:port], as the client addressed it
	port   string // ":port" from the Host header, or ""
	scheme string
}

type sfHostKey struct{}

// classifyHost names the Salesforce host of hostport (a Host header), if it is one.
func classifyHost(hostport string) (hostKind, string, string) {
	host, port := hostport, ""
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		// ":port" sliced from hostport, not concatenated: requests to other hosts (every
		// request on 127.0.0.1) pay no allocation here.
		host, port = h, hostport[strings.LastIndexByte(hostport, ':'):]
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	switch {
	case host == "login.salesforce.com":
		return hostLogin, host, port
	case host == "test.salesforce.com":
		return hostTest, host, port
	case strings.HasSuffix(host, ".my.salesforce.com") && dnsLabels(strings.TrimSuffix(host, ".my.salesforce.com")):
		return hostMyDomain, host, port
	}
	return hostOther, host, port
}

// dnsLabels reports whether s is one or more dot-separated non-empty labels of letters,
// digits and hyphens: only such a name is echoed into the URLs of a response.
func dnsLabels(s string) bool {
	for _, label := range strings.Split(s, ".") {
		if label == "" {
			return false
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// SalesforceHosts marks requests sent to a Salesforce host name (login, test, a My Domain)
// so that the OAuth endpoints answer with that host's URLs (see above). The server wraps
// its whole handler with it.
func SalesforceHosts(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		kind, host, port := classifyHost(r.Host)
		if kind != hostOther {
			scheme := "http"
			if r.TLS != nil {
				scheme = "https"
			}
			h := sfHost{kind: kind, origin: scheme + "://" + host + port, port: port, scheme: scheme}
			r = r.WithContext(context.WithValue(r.Context(), sfHostKey{}, h))
		}
		next.ServeHTTP(w, r)
	})
}

func hostOf(ctx context.Context) (sfHost, bool) {
	h, ok := ctx.Value(sfHostKey{}).(sfHost)
	return h, ok
}

// onLoginHost reports whether the request was sent to login.salesforce.com or
// test.salesforce.com.
func onLoginHost(ctx context.Context) bool {
	h, ok := hostOf(ctx)
	return ok && (h.kind == hostLogin || h.kind == hostTest)
}

// loginURL is the base of the id URL and the discovery document for a request: the
// Salesforce host it was sent to, else the configured base URL.
func (s *Server) loginURL(ctx context.Context) string {
	if h, ok := hostOf(ctx); ok {
		return h.origin
	}
	return s.baseURL
}

// identityURLAt is the id of a session as the request's host names it:
// <login URL>/id/<org18>/<user18>.
func (s *Server) identityURLAt(ctx context.Context, orgID, userID string) string {
	return s.loginURL(ctx) + "/id/" + orgID + "/" + userID
}

// serviceURL is the base of the identity response's service URLs (urls): on a Salesforce
// host the org's instance, as Salesforce lists them; otherwise the configured base URL.
func (s *Server) serviceURL(ctx context.Context, o org.Org) string {
	h, ok := hostOf(ctx)
	if !ok {
		return s.baseURL
	}
	if o.MyDomain != "" {
		return h.scheme + "://" + strings.ToLower(o.MyDomain) + ".my.salesforce.com" + h.port
	}
	return h.origin
}

// instanceURLFor is the instance_url a token response for an org's session announces: on a
// Salesforce host, the org's My Domain URL (or the request's host without one); otherwise
// the listener's or configured URL (instanceURL).
func (s *Server) instanceURLFor(ctx context.Context, orgID sfid.ID) string {
	h, ok := hostOf(ctx)
	if !ok {
		return s.instanceURL(ctx)
	}
	o, err := s.dir.Org(ctx, orgID)
	if err != nil {
		return h.origin
	}
	return s.serviceURL(ctx, o)
}
