// Package orgfile reads org files: the YAML (or JSON) documents that declare a Forcefield
// server's Setup — orgs, profiles, permission sets, users and connected apps, and for the
// data API custom objects, object and field permissions and seed records — the way an
// admin would click them together in Salesforce Setup.
//
// Parse decodes a file strictly (an unknown key or a wrong type is an error with its line)
// and validates it as a whole, reporting every problem at once. Apply writes a parsed file
// to a store in one transaction, idempotently: applying the same file twice changes
// nothing. Demo returns the built-in demo org. The format is documented in docs/org-file.md.
//
// To add a key: add a field with a yaml tag to the struct below, then a rule in
// validate.go and, if it is stored, a line in apply.go.
package orgfile

import (
	"fmt"
	"sort"
	"strings"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/schema"
)

// File is a parsed org file. Its fields mirror the file's keys; see docs/org-file.md.
type File struct {
	Name string `yaml:"-"` // the file name used in error messages, e.g. acme.yaml
	Orgs []Org  `yaml:"orgs"`

	// lines maps key paths such as "orgs[0].users[1].profile" to their line in the file.
	// It is empty for a File built in Go.
	lines map[string]int
}

// Org declares one org and everything in it.
type Org struct {
	Name                  string `yaml:"name"`
	MyDomain              string `yaml:"myDomain"`
	SessionTimeoutMinutes int    `yaml:"sessionTimeoutMinutes"`
	DailyAPIRequests      int    `yaml:"dailyApiRequests"`
	// Edition is Developer, Enterprise (the default when empty), Unlimited or Performance.
	Edition string `yaml:"edition"`
	// ClockOffset is the org's time travel (issue 14 §2), a Go duration such as "2h" or
	// "25h30m": how far its clock runs ahead of the server's. Absent leaves the org's
	// current offset as it is (a travel made through the admin API survives a re-apply);
	// "0s" returns it to real time. Never negative.
	ClockOffset    string          `yaml:"clockOffset"`
	Profiles       []Profile       `yaml:"profiles"`
	PermissionSets []PermissionSet `yaml:"permissionSets"`
	Users          []User          `yaml:"users"`
	ConnectedApps  []ConnectedApp  `yaml:"connectedApps"`
	// ExternalClientApps are stored as apps of kind ExternalClientApp (eca.go).
	ExternalClientApps []ExternalClientApp `yaml:"externalClientApps"`
	// AllowUsernamePasswordFlow is "Allow OAuth Username-Password Flows"; nil means true.
	AllowUsernamePasswordFlow *bool `yaml:"allowUsernamePasswordFlow"`
	MaxLoginAttempts          int   `yaml:"maxLoginAttempts"` // 0 means 10
	LockoutMinutes            int   `yaml:"lockoutMinutes"`   // 0 means 15
	// Objects are the org's custom objects, and custom fields on standard objects (an
	// entry named after a standard object, with fields only); see objects.go.
	Objects []schema.ObjectSpec `yaml:"objects"`
	// Records are seed records: parsed and validated here, inserted by the caller through
	// the data layer (see Result.Seeds).
	Records []RecordSeed `yaml:"records"`
	// Faults are faults on demand (faults.go): applying the file replaces the ones it declared.
	Faults []Fault `yaml:"faults"`
}

// Profile declares a profile of the enclosing org.
type Profile struct {
	Name                  string    `yaml:"name"`
	Permissions           []string  `yaml:"permissions"`
	SessionTimeoutMinutes int       `yaml:"sessionTimeoutMinutes"`
	LoginIPRanges         []IPRange `yaml:"loginIpRanges"`
	// Objects maps an object name to the org.ObjectPermissionNames the profile grants on
	// it, e.g. Account: [Read, Edit]; Fields maps "Object.Field" (or "Object.*": every
	// field) to Read and/or Edit. See grants.go.
	Objects map[string][]string `yaml:"objects"`
	Fields  map[string][]string `yaml:"fields"`
}

// IPRange is one profile login IP range, inclusive.
type IPRange struct {
	Start string `yaml:"start"`
	End   string `yaml:"end"`
}

// PermissionSet declares a permission set of the enclosing org.
type PermissionSet struct {
	Name        string              `yaml:"name"`
	Permissions []string            `yaml:"permissions"`
	Objects     map[string][]string `yaml:"objects"` // as Profile.Objects
	Fields      map[string][]string `yaml:"fields"`  // as Profile.Fields
}

// User declares a user of the enclosing org.
type User struct {
	Username       string   `yaml:"username"`
	FirstName      string   `yaml:"firstName"`
	LastName       string   `yaml:"lastName"`
	Email          string   `yaml:"email"`
	Profile        string   `yaml:"profile"`
	PermissionSets []string `yaml:"permissionSets"`
	Active         *bool    `yaml:"active"` // nil means true
	TimeZone       string   `yaml:"timeZone"`
	Locale         string   `yaml:"locale"`
	Language       string   `yaml:"language"`
	Password       string   `yaml:"password"`      // stored only as an argon2id hash
	SecurityToken  string   `yaml:"securityToken"` // 24 letters and digits; hashed too
}

// ConnectedApp declares a connected app of the enclosing org.
type ConnectedApp struct {
	Name                  string            `yaml:"name"`
	APIName               string            `yaml:"apiName"` // "" means derived from name
	Description           string            `yaml:"description"`
	Kind                  org.AppKind       `yaml:"-"` // set for externalClientApps entries
	ContactEmail          string            `yaml:"contactEmail"`
	CallbackURLs          []string          `yaml:"callbackUrls"`
	Scopes                []string          `yaml:"scopes"`
	ConsumerKey           string            `yaml:"consumerKey"`    // "" means generated
	ConsumerSecret        string            `yaml:"consumerSecret"` // "" means generated
	ClientCredentials     ClientCredentials `yaml:"clientCredentials"`
	PermittedUsers        string            `yaml:"permittedUsers"` // "" means AllSelfAuthorized
	Profiles              []string          `yaml:"profiles"`
	PermissionSets        []string          `yaml:"permissionSets"`
	SessionTimeoutMinutes int               `yaml:"sessionTimeoutMinutes"`
	IntrospectAllTokens   bool              `yaml:"introspectAllTokens"`
	// Certificates are PEM X.509 certificates, or paths of PEM files relative to the org
	// file, whose keys may sign JWT bearer assertions.
	Certificates  []string `yaml:"certificates"`
	ApprovedUsers []string `yaml:"approvedUsers"` // usernames that approved the app
	IPRelaxation  string   `yaml:"ipRelaxation"`  // ENFORCE (default) or BYPASS
	// JWTAccessTokens issues RS256 JWT access tokens instead of opaque ones
	// (isNamedUserJwtEnabled, the reference §6.3).
	JWTAccessTokens bool `yaml:"jwtAccessTokens"`
	// The web server and refresh token flows' settings (webflow.go; docs/org-file.md).
	ConsumerSecretOptional bool   `yaml:"consumerSecretOptional"` // !"Require Secret for Web Server Flow"
	RefreshSecretOptional  bool   `yaml:"refreshSecretOptional"`  // !"Require Secret for Refresh Token Flow"
	PKCERequired           bool   `yaml:"pkceRequired"`           // "Require PKCE"
	RefreshTokenPolicy     string `yaml:"refreshTokenPolicy"`     // infinite (default), zero, specific_inactivity:N:UNIT, specific_lifetime:N:UNIT
	RefreshTokenRotation   bool   `yaml:"refreshTokenRotation"`   // "Enable Refresh Token Rotation"
	IDTokenValidityMinutes int    `yaml:"idTokenValidityMinutes"` // 1–720; 0: 2 minutes
	Quotas                 Quotas `yaml:"quotas"`                 // per-app quotas (quotas.go)
}

// ClientCredentials is a connected app's client credentials flow policy.
type ClientCredentials struct {
	Enabled bool   `yaml:"enabled"`
	RunAs   string `yaml:"runAs"` // the execution user's username
}

// Error is one problem in an org file.
type Error struct {
	File string
	Line int    // 0 when unknown (a File built in Go)
	Path string // the key, e.g. orgs[0].users[1].profile; "" for the whole file
	Msg  string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem found in a file, sorted by line. Parse, Validate and Apply
// return it (as an error) when the file is at fault.
type Errors []*Error

// maxReported bounds the problems Errors.Error spells out.
const maxReported = 100

func (es Errors) Error() string {
	var s []string
	for i, e := range es {
		if i == maxReported {
			s = append(s, fmt.Sprintf("… and %d more", len(es)-i))
			break
		}
		s = append(s, e.Error())
	}
	return strings.Join(s, "\n")
}

func (es Errors) sorted() Errors {
	sort.SliceStable(es, func(i, j int) bool { return es[i].Line < es[j].Line })
	return es
}

// line returns the line of path, else of the nearest enclosing key or item that has one.
func (f *File) line(path string) int {
	for {
		if n, ok := f.lines[path]; ok {
			return n
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			return f.lines[""]
		}
		path = path[:i]
	}
}

// has reports whether the file spelled out path (always false for a File built in Go).
func (f *File) has(path string) bool {
	_, ok := f.lines[path]
	return ok
}

// errorf returns an Error at path.
func (f *File) errorf(path, format string, args ...any) *Error {
	return &Error{File: f.Name, Line: f.line(path), Path: path, Msg: fmt.Sprintf(format, args...)}
}

// where describes path's position for a message: "line 12", or the path itself.
func (f *File) where(path string) string {
	if n := f.line(path); n > 0 {
		return fmt.Sprintf("line %d", n)
	}
	return path
}
