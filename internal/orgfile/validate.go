package orgfile

import (
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"time"
	_ "time/tzdata" // timeZone values are checked the same on every machine

	"github.com/forcefield/forcefield/internal/org"
)

// Session timeouts Salesforce allows: 15 minutes to 24 hours.
const (
	MinSessionTimeoutMinutes = 15
	MaxSessionTimeoutMinutes = 24 * 60
)

// Validate checks a File built or changed in Go by the rules Parse applies; Apply calls it.
func (f *File) Validate() error {
	if errs := f.validate(nil, nil); len(errs) > 0 {
		return errs.sorted()
	}
	return nil
}

// validator checks a decoded File. Problems at paths the decoder already reported (bad),
// and "is required" at mappings holding an unknown key (likely a misspelling of the
// required one), are not reported again.
type validator struct {
	f            *File
	errs         Errors
	bad, unknown map[string]bool
	usernames    map[string]string // lower-case username → path of its first declaration
	everyone     map[string]string // lower-case username → org name, every org's users
}

func (v *validator) errorf(path, format string, args ...any) {
	for p := path; ; {
		if v.bad[p] {
			return
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	v.errs = append(v.errs, v.f.errorf(path, format, args...))
}

func (f *File) validate(bad, unknown map[string]bool) Errors {
	v := &validator{f: f, bad: bad, unknown: unknown, usernames: map[string]string{}, everyone: map[string]string{}}
	for _, o := range f.Orgs {
		for _, u := range o.Users {
			v.everyone[strings.ToLower(u.Username)] = o.Name
		}
	}
	orgs, domains, keys := map[string]string{}, map[string]string{}, map[string]string{}
	for i := range f.Orgs {
		o, p := &f.Orgs[i], fmt.Sprintf("orgs[%d]", i)
		v.required(p, "name", o.Name)
		v.unique(orgs, o.Name, p+".name", "org")
		if o.MyDomain != "" {
			if !myDomainRE.MatchString(o.MyDomain) || strings.Contains(o.MyDomain, "--") || strings.HasSuffix(o.MyDomain, "-") {
				v.errorf(p+".myDomain", "%q is not a My Domain name: 1 to 40 letters, digits and single hyphens, starting with a letter", o.MyDomain)
			}
			v.unique(domains, strings.ToLower(o.MyDomain), p+".myDomain", "My Domain")
		}
		v.timeout(p+".sessionTimeoutMinutes", o.SessionTimeoutMinutes)
		if o.DailyAPIRequests < 0 || (o.DailyAPIRequests == 0 && f.has(p+".dailyApiRequests")) {
			v.errorf(p+".dailyApiRequests", "must be a positive number")
		}
		v.edition(o, p)
		if _, _, err := o.Clock(); err != nil {
			v.errorf(p+".clockOffset", "%v", err)
		}
		v.orgAuth(o, p)
		v.org(o, p, keys)
	}
	return v.errs
}

var myDomainRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]{0,39}$`)

func (v *validator) org(o *Org, p string, keys map[string]string) {
	profiles, permSets, users := map[string]string{}, map[string]string{}, map[string]string{}
	oo := v.objects(o, p)
	for i, pr := range o.Profiles {
		pp := fmt.Sprintf("%s.profiles[%d]", p, i)
		v.required(pp, "name", pr.Name)
		v.unique(profiles, pr.Name, pp+".name", "profile")
		v.permissions(pp+".permissions", pr.Permissions)
		v.timeout(pp+".sessionTimeoutMinutes", pr.SessionTimeoutMinutes)
		v.profileAuth(pr, pp)
		v.grants(o, pp, pr.Objects, pr.Fields, oo)
	}
	for i, ps := range o.PermissionSets {
		pp := fmt.Sprintf("%s.permissionSets[%d]", p, i)
		v.required(pp, "name", ps.Name)
		v.unique(permSets, ps.Name, pp+".name", "permission set")
		v.permissions(pp+".permissions", ps.Permissions)
		v.grants(o, pp, ps.Objects, ps.Fields, oo)
	}
	for i := range o.Users {
		up := fmt.Sprintf("%s.users[%d]", p, i)
		v.user(o, &o.Users[i], up, profiles, permSets)
		users[strings.ToLower(o.Users[i].Username)] = up
	}
	apps := map[string]string{}
	for i := range o.ConnectedApps {
		ap := fmt.Sprintf("%s.connectedApps[%d]", p, i)
		v.app(o, &o.ConnectedApps[i], ap, apps, keys, users, profiles, permSets)
	}
	for i := range o.ExternalClientApps {
		v.eca(o, &o.ExternalClientApps[i], fmt.Sprintf("%s.externalClientApps[%d]", p, i), apps, keys, users, profiles, permSets)
	}
	v.apiNames(o, p)
	v.records(o, p, oo)
	v.faults(o, p) // faults.go
}

func (v *validator) user(o *Org, u *User, p string, profiles, permSets map[string]string) {
	for _, r := range [...]struct{ key, val string }{
		{"username", u.Username}, {"lastName", u.LastName}, {"email", u.Email}, {"profile", u.Profile},
	} {
		v.required(p, r.key, r.val)
	}
	if u.Username != "" {
		if !emailShaped(u.Username) || len(u.Username) > 80 {
			v.errorf(p+".username", "%q is not a valid username: it must look like an email address (name@example.com), at most 80 characters", u.Username)
		}
		v.unique(v.usernames, strings.ToLower(u.Username), p+".username", "username")
	}
	if u.Email != "" && (!emailShaped(u.Email) || len(u.Email) > 128) {
		v.errorf(p+".email", "%q is not a valid email address", u.Email)
	}
	if _, ok := profiles[u.Profile]; u.Profile != "" && !ok {
		v.errorf(p+".profile", "no profile %q in org %q", u.Profile, o.Name)
	}
	v.refs(o, p+".permissionSets", u.PermissionSets, permSets, "permission set")
	v.userAuth(u, p)
	if u.TimeZone != "" {
		if _, err := time.LoadLocation(u.TimeZone); err != nil || u.TimeZone == "Local" {
			v.errorf(p+".timeZone", "unknown time zone %q (use an IANA name such as America/Los_Angeles)", u.TimeZone)
		}
	}
	for _, k := range [...]struct{ key, val string }{{"locale", u.Locale}, {"language", u.Language}} {
		if k.val != "" && !localeRE.MatchString(k.val) {
			v.errorf(p+"."+k.key, "%q is not a Salesforce %s key such as en_US", k.val, k.key)
		}
	}
}

var localeRE = regexp.MustCompile(`^[a-z]{2,3}(_[A-Za-z0-9]{2,8}){0,3}$`)

func (v *validator) app(o *Org, a *ConnectedApp, p string, apps, keys, users, profiles, permSets map[string]string) {
	v.required(p, "name", a.Name)
	v.unique(apps, a.Name, p+".name", "connected app")
	if len(a.Description) > 256 {
		v.errorf(p+".description", "at most 256 characters")
	}
	if a.ContactEmail != "" && !emailShaped(a.ContactEmail) {
		v.errorf(p+".contactEmail", "%q is not a valid email address", a.ContactEmail)
	}
	for i, cb := range a.CallbackURLs {
		u, err := url.Parse(cb)
		if err != nil || u.Scheme == "" || (u.Host == "" && u.Path == "" && u.Opaque == "") || u.Fragment != "" {
			v.errorf(fmt.Sprintf("%s.callbackUrls[%d]", p, i), "%q is not a callback URL: use an absolute URL without a #fragment, such as https://localhost", cb)
		}
	}
	v.names(p+".scopes", a.Scopes, "scope", func(s string) error { return org.CheckScopes([]string{s}) })
	if a.ConsumerKey != "" {
		if !credentialShaped(a.ConsumerKey) {
			v.errorf(p+".consumerKey", "must be 8 to 256 letters and digits (A-Z, a-z, 0-9)")
		}
		v.unique(keys, a.ConsumerKey, p+".consumerKey", "consumer key")
	}
	if a.ConsumerSecret != "" && !credentialShaped(a.ConsumerSecret) {
		v.errorf(p+".consumerSecret", "must be 8 to 256 letters and digits (A-Z, a-z, 0-9)")
	}
	if r := a.ClientCredentials.RunAs; r != "" {
		rp := p + ".clientCredentials.runAs"
		if _, ok := users[strings.ToLower(r)]; ok {
			// a user of this org
		} else if other, ok := v.everyone[strings.ToLower(r)]; ok {
			v.errorf(rp, "user %q belongs to org %q, not %q: Enter a valid execution user for the OAuth client credentials flow", r, other, o.Name)
		} else {
			v.errorf(rp, "no user %q in org %q: Enter a valid execution user for the OAuth client credentials flow", r, o.Name)
		}
	}
	switch a.PermittedUsers {
	case "", org.PermittedAllSelfAuthorized, org.PermittedAdminApprovedPreAuthorized:
	default:
		v.errorf(p+".permittedUsers", "%q is not a permitted users policy: use %s or %s",
			a.PermittedUsers, org.PermittedAllSelfAuthorized, org.PermittedAdminApprovedPreAuthorized)
	}
	v.refs(o, p+".profiles", a.Profiles, profiles, "profile")
	v.refs(o, p+".permissionSets", a.PermissionSets, permSets, "permission set")
	v.timeout(p+".sessionTimeoutMinutes", a.SessionTimeoutMinutes)
	v.appAuth(o, a, p, users)
	v.appWebFlow(a, p)
	v.appQuotas(a, p)
}

// required reports key of the mapping at p when it is empty.
func (v *validator) required(p, key, val string) {
	if val == "" && !v.unknown[p] {
		v.errorf(p+"."+key, "%s is required", key)
	}
}

// unique reports key at path when an earlier path in seen has it.
func (v *validator) unique(seen map[string]string, key, path, what string) {
	if key == "" {
		return
	}
	if first, ok := seen[key]; ok {
		v.errorf(path, "%s %q is declared twice (first at %s)", what, key, v.f.where(first))
		return
	}
	seen[key] = path
}

// timeout reports a session timeout that is set (or spelled out as 0) but out of range.
func (v *validator) timeout(path string, minutes int) {
	if minutes == 0 && !v.f.has(path) {
		return
	}
	if minutes < MinSessionTimeoutMinutes || minutes > MaxSessionTimeoutMinutes {
		v.errorf(path, "%d is not a session timeout: use %d to %d minutes (15 minutes to 24 hours)",
			minutes, MinSessionTimeoutMinutes, MaxSessionTimeoutMinutes)
	}
}

func (v *validator) permissions(path string, names []string) {
	v.names(path, names, "permission", func(n string) error { return org.CheckPermissions([]string{n}) })
}

// names checks each item of a list of names and reports items listed twice.
func (v *validator) names(path string, names []string, what string, check func(string) error) {
	seen := map[string]string{}
	for i, n := range names {
		ip := fmt.Sprintf("%s[%d]", path, i)
		if err := check(n); err != nil {
			v.errorf(ip, "%v", err)
		}
		v.unique(seen, n, ip, what)
	}
}

// refs reports names that are not declared in the same org.
func (v *validator) refs(o *Org, path string, names []string, declared map[string]string, what string) {
	v.names(path, names, what, func(n string) error {
		if _, ok := declared[n]; ok {
			return nil
		}
		return fmt.Errorf("no %s %q in org %q", what, n, o.Name)
	})
}

func emailShaped(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return false
	}
	_, domain, _ := strings.Cut(s, "@")
	labels := strings.Split(domain, ".")
	for _, l := range labels {
		if l == "" {
			return false
		}
	}
	return len(labels) >= 2
}

func credentialShaped(s string) bool {
	if len(s) < 8 || len(s) > 256 {
		return false
	}
	for _, c := range []byte(s) {
		if !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z') {
			return false
		}
	}
	return true
}
