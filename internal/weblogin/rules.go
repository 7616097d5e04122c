package weblogin

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/passwordlogin"
)

// The pure rules of the login page, table-tested in rules_test.go.

// Texts shown on the login page. Salesforce deliberately shows one generic text for most
// failures (the webflow reference §2.1; the exact wording there is [UNCONFIRMED]).
const (
	msgGeneric   = "Please check your username and password. If you still can't log in, contact your Salesforce administrator."
	msgLockedOut = "Your account has been locked due to too many failed login attempts. Contact your Salesforce administrator, or wait until the lockout period expires."
	msgThrottled = "Too many login attempts. Wait a minute and try again."
	msgIP        = "You can't log in from this IP address. Contact your Salesforce administrator."
	msgServer    = "Something went wrong. Please try again."
)

// Statuses Forcefield records that the reference's table does not list: the throttle's
// status is the one the token endpoint records for the same refusal.
const statusThrottled = "Login rate exceeded"

// refusal is what a refused login shows and records.
type refusal struct {
	message string // the page's error text
	status  string // LoginHistory.Status; "" records no row
}

// checkRefusal maps a password check's outcome onto the page and the LoginHistory row
// (the webflow reference §2.1–§2.2). An unknown username records no row: there is no user
// to attach it to (Salesforce Support: no failed attempts in the login history means the
// username was wrong). ok is true for a valid password.
func checkRefusal(out passwordlogin.Outcome, known bool) (refusal, bool) {
	var f refusal
	switch out {
	case passwordlogin.Valid:
		return refusal{}, true
	case passwordlogin.Throttled:
		f = refusal{msgThrottled, statusThrottled}
	case passwordlogin.LockedOut:
		f = refusal{msgLockedOut, org.LoginStatusPasswordLockout}
	default:
		f = refusal{msgGeneric, org.LoginStatusInvalidPassword}
	}
	if !known {
		f.status = ""
	}
	return f, false
}

// userRefusal applies the rules that follow a correct password, in order: an inactive
// user, then the profile's login IP ranges (with no app: the UI has no IP relaxation). An
// API-only user is not refused here: the login succeeds and the UI is refused, on a page
// of its own. ok is true when the user may log in.
func userRefusal(p org.Principal, sourceIP string) (refusal, bool) {
	if !p.User.Active {
		return refusal{msgGeneric, org.LoginStatusUserInactive}, false
	}
	if p.User.Frozen {
		// UNCONFIRMED page text: the webflow reference §2.1 leaves it open ("generic or
		// 'Your account has been frozen…'"); admins report Salesforce shows the generic
		// login failure to a frozen user, so it is the generic one here too.
		return refusal{msgGeneric, org.LoginStatusUserFrozen}, false
	}
	if !org.LoginIPAllowed(org.ConnectedApp{}, p.Profile, sourceIP) {
		return refusal{msgIP, org.LoginStatusRestrictedIP}, false
	}
	return refusal{}, true
}

// apiOnly reports whether the user may not use the UI (PermissionsApiUserOnly from the
// profile or a permission set).
func apiOnly(p org.Principal) bool { return p.Has(org.PermAPIUserOnly) }

// localPath returns startURL when it is a path on this server, else "/". Anything that
// could leave the server is refused — an absolute URL, a scheme, a network-path reference
// (//host), backslashes (browsers read /\host as //host), and control characters or
// whitespace (browsers strip tabs and newlines, turning "/\t/host" into "//host") — so the
// login form is no open redirect.
func localPath(startURL string) string {
	if startURL == "" || startURL[0] != '/' || strings.HasPrefix(startURL, "//") || strings.ContainsRune(startURL, '\\') {
		return "/"
	}
	for _, c := range startURL {
		if c <= ' ' || c == 0x7f {
			return "/"
		}
	}
	u, err := url.Parse(startURL)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	return startURL
}

// loginURL is the login page continuing to startURL with the username pre-filled.
func loginURL(startURL, loginHint string) string {
	q := url.Values{}
	q.Set("ec", "302")
	q.Set("startURL", localPath(startURL))
	if loginHint != "" {
		q.Set("login_hint", loginHint)
	}
	return "/?" + q.Encode()
}

var (
	browserRE = regexp.MustCompile(`(Edg|Firefox|HeadlessChrome|Chrome|Version)/(\d+)`)
	browsers  = map[string]string{"Edg": "Edge", "Firefox": "Firefox", "HeadlessChrome": "Chrome", "Chrome": "Chrome", "Version": "Safari"}
)

// browserOf is LoginHistory's Browser for a User-Agent: the browser's name and major
// version ("Chrome 120"), or "Unknown".
func browserOf(ua string) string {
	best := ""
	for _, m := range browserRE.FindAllStringSubmatch(ua, -1) {
		name := browsers[m[1]]
		if name == "Safari" && !strings.Contains(ua, "Safari/") {
			continue
		}
		// Edge's User-Agent also names Chrome and Safari; Chrome's names Safari.
		if best == "" || name == "Edge" || (name == "Chrome" && strings.HasPrefix(best, "Safari")) {
			best = name + " " + m[2]
		}
	}
	if best == "" {
		return "Unknown"
	}
	return best
}

// platformOf is LoginHistory's Platform for a User-Agent.
func platformOf(ua string) string {
	switch {
	case strings.Contains(ua, "Windows"):
		return "Windows"
	case strings.Contains(ua, "iPhone"), strings.Contains(ua, "iPad"):
		return "iOS"
	case strings.Contains(ua, "Mac OS X"):
		return "Mac OSX"
	case strings.Contains(ua, "Android"):
		return "Android"
	case strings.Contains(ua, "Linux"):
		return "Linux"
	}
	return "Unknown"
}
