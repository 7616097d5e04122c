package weblogin

import (
	"net/url"
	"strings"
	"testing"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/passwordlogin"
)

func TestLocalPath(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"/", "/"},
		{"/home/home.jsp", "/home/home.jsp"},
		{"/setup/secur/RemoteAccessAuthorizationPage.apexp?source=a-b_c", "/setup/secur/RemoteAccessAuthorizationPage.apexp?source=a-b_c"},
		{"/a?next=https://x.example", "/a?next=https://x.example"}, // a query naming a URL is still a local path
		{"", "/"},
		{"https://evil.example/", "/"},
		{"HTTPS://evil.example/", "/"},
		{"//evil.example", "/"},
		{"///evil.example", "/"},
		{"/\\evil.example", "/"},
		{"\\\\evil.example", "/"},
		{"/\t/evil.example", "/"},
		{"/\n/evil.example", "/"},
		{" /x", "/"},
		{"/x y", "/"},
		{"/\x7f", "/"},
		{"javascript:alert(1)", "/"},
		{"evil.example", "/"},
		{"/%zz", "/"},
	} {
		if got := localPath(tc.in); got != tc.want {
			t.Errorf("localPath(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLoginURL(t *testing.T) {
	for _, tc := range []struct{ start, hint, want string }{
		{"/setup/x?source=1", "", "/?ec=302&startURL=%2Fsetup%2Fx%3Fsource%3D1"},
		{"/setup/x", "a@b.example", "/?ec=302&login_hint=a%40b.example&startURL=%2Fsetup%2Fx"},
		{"https://evil.example", "", "/?ec=302&startURL=%2F"},
	} {
		if got := loginURL(tc.start, tc.hint); got != tc.want {
			t.Errorf("loginURL(%q, %q) = %q, want %q", tc.start, tc.hint, got, tc.want)
		}
	}
}

// The LoginHistory status and page text of each outcome (the webflow reference §2.1–§2.2).
func TestRefusals(t *testing.T) {
	for _, tc := range []struct {
		name  string
		out   passwordlogin.Outcome
		known bool
		want  refusal
		ok    bool
	}{
		{"valid", passwordlogin.Valid, true, refusal{}, true},
		{"wrong password", passwordlogin.Invalid, true, refusal{msgGeneric, "Invalid Password"}, false},
		{"unknown user: no row", passwordlogin.Invalid, false, refusal{msgGeneric, ""}, false},
		{"locked out", passwordlogin.LockedOut, true, refusal{msgLockedOut, "Password Lockout"}, false},
		{"throttled", passwordlogin.Throttled, true, refusal{msgThrottled, "Login rate exceeded"}, false},
		{"throttled unknown user: no row", passwordlogin.Throttled, false, refusal{msgThrottled, ""}, false},
	} {
		got, ok := checkRefusal(tc.out, tc.known)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: checkRefusal = %+v, %v; want %+v, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
	office := org.Profile{LoginIPRanges: []org.IPRange{{Start: "203.0.113.0", End: "203.0.113.255"}}}
	for _, tc := range []struct {
		name string
		p    org.Principal
		ip   string
		want refusal
		ok   bool
	}{
		{"active", org.Principal{User: org.User{Active: true}}, "127.0.0.1", refusal{}, true},
		{"inactive", org.Principal{User: org.User{Active: false}}, "127.0.0.1", refusal{msgGeneric, "User is Inactive"}, false},
		{"frozen", org.Principal{User: org.User{Active: true, Frozen: true}}, "127.0.0.1", refusal{msgGeneric, "User is Frozen"}, false},
		{"frozen and inactive: inactive first", org.Principal{User: org.User{Frozen: true}}, "127.0.0.1", refusal{msgGeneric, "User is Inactive"}, false},
		{"inside the ranges", org.Principal{User: org.User{Active: true}, Profile: office}, "203.0.113.7", refusal{}, true},
		{"outside the ranges", org.Principal{User: org.User{Active: true}, Profile: office}, "127.0.0.1", refusal{msgIP, "Restricted IP"}, false},
		{"inactive and outside: inactive first", org.Principal{Profile: office}, "127.0.0.1", refusal{msgGeneric, "User is Inactive"}, false},
	} {
		got, ok := userRefusal(tc.p, tc.ip)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: userRefusal = %+v, %v; want %+v, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
	if !apiOnly(org.Principal{Profile: org.Profile{Permissions: []string{"ApiEnabled", "ApiUserOnly"}}}) ||
		!apiOnly(org.Principal{PermSets: []org.PermissionSet{{Permissions: []string{"ApiUserOnly"}}}}) ||
		apiOnly(org.Principal{Profile: org.Profile{Permissions: []string{"ApiEnabled"}}}) {
		t.Error("apiOnly: the profile and permission sets grant ApiUserOnly, nothing else does")
	}
}

func TestBrowserAndPlatform(t *testing.T) {
	for _, tc := range []struct{ ua, browser, platform string }{
		{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36", "Chrome 120", "Linux"},
		{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36", "Chrome 131", "Linux"},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91", "Edge 120", "Windows"},
		{"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15", "Safari 17", "Mac OSX"},
		{"Mozilla/5.0 (Macintosh; Intel Mac OS X 14.2; rv:121.0) Gecko/20100101 Firefox/121.0", "Firefox 121", "Mac OSX"},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1", "Safari 17", "iOS"},
		{"Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.43 Mobile Safari/537.36", "Chrome 120", "Android"},
		{"curl/8.5.0", "Unknown", "Unknown"},
		{"", "Unknown", "Unknown"},
	} {
		if b, p := browserOf(tc.ua), platformOf(tc.ua); b != tc.browser || p != tc.platform {
			t.Errorf("%q: %q, %q; want %q, %q", tc.ua, b, p, tc.browser, tc.platform)
		}
	}
}

// FuzzLocalPath: whatever startURL a form carries, the redirect stays on this server.
func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/", "//evil", "/\\evil", "https://evil", "/a?b=c#d", "/\t/evil", "/%2F%2Fevil", "/.%2e/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := localPath(in)
		if got != "/" && got != in {
			t.Fatalf("localPath(%q) = %q: neither the input nor /", in, got)
		}
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.ContainsAny(got, "\\\t\r\n ") {
			t.Fatalf("localPath(%q) = %q leaves the server", in, got)
		}
		u, err := url.Parse(got)
		if err != nil || u.Host != "" || u.Scheme != "" {
			t.Fatalf("localPath(%q) = %q parses with host %q scheme %q (%v)", in, got, u.Host, u.Scheme, err)
		}
		// A browser resolving it against this server stays on this server.
		base, _ := url.Parse("https://forcefield.example/login")
		if r := base.ResolveReference(u); r.Host != "forcefield.example" {
			t.Fatalf("localPath(%q) = %q resolves to host %q", in, got, r.Host)
		}
	})
}
