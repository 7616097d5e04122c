// Package dataapi serves the REST data API under /services/data: the versions list, the
// per-version resource map, and the resources registered on it (limits here; sObjects and
// query build on the same router). Every authenticated request carries one resolved Caller
// — session, user with permissions, org — from the bearer check down to the resource, and
// every error leaves through apierror.Write as Salesforce's JSON array.
package dataapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strings"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/directory"
	"github.com/forcefield/forcefield/internal/faults"
	"github.com/forcefield/forcefield/internal/limits"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/session"
	"github.com/forcefield/forcefield/internal/versions"
)

// Caller is the authenticated principal of a request.
type Caller struct {
	Session   org.Session
	Principal org.Principal
	Org       org.Org
	Version   string // e.g. "59.0"

	access *access.Checker // built on first use
}

// Handler serves one resource. rest holds the path segments after the resource name.
type Handler func(w http.ResponseWriter, r *http.Request, c *Caller, rest []string) error

// API is the /services/data router.
type API struct {
	dir       *directory.Directory
	sessions  *session.Manager
	usage     *limits.Counter
	baseURL   string
	log       *slog.Logger
	resources map[string]Handler
	// extraLimits are the allocations GET /limits reports besides DailyApiRequests.
	extraLimits map[string]int
	data        *data // the record resources, once EnableData ran (limits.go counts records)
	// Faults answers requests with the faults injected on demand (issue 14 §1); nil: none.
	Faults *faults.Engine
	// quotas are the apps' API request quotas (quotas.go); nil: none.
	quotas *limits.AppQuotas
}

// New returns an API with the limits resource registered.
func New(dir *directory.Directory, sessions *session.Manager, usage *limits.Counter, baseURL string, log *slog.Logger) *API {
	a := &API{dir: dir, sessions: sessions, usage: usage, baseURL: baseURL, log: log, resources: map[string]Handler{}}
	a.Handle("limits", a.limits)
	return a
}

// Handle registers a resource under /services/data/vNN.0/<name>.
func (a *API) Handle(name string, h Handler) { a.resources[name] = h }

// Register adds the routes to mux.
func (a *API) Register(mux *http.ServeMux) {
	mux.HandleFunc("/services/data", a.serve)
	mux.HandleFunc("/services/data/", a.serve)
}

// WriteJSON writes a REST success body.
func WriteJSON(w http.ResponseWriter, status int, v any) error {
	var body []byte
	var err error
	if o, ok := v.(object); ok {
		// A record or a query page: its MarshalJSON writes compact JSON already (see
		// jsonbody.go), which json.Marshal would scan and copy once more.
		body, err = o.MarshalJSON()
	} else {
		body, err = json.Marshal(v)
	}
	if err != nil {
		return fmt.Errorf("encoding response: %w", err)
	}
	w.Header().Set("Content-Type", apierror.ContentType)
	w.WriteHeader(status)
	w.Write(body) // a client that went away is not an error of ours
	return nil
}

func (a *API) serve(w http.ResponseWriter, r *http.Request) {
	segs := splitPath(strings.TrimPrefix(r.URL.Path, "/services/data"))
	if len(segs) == 0 { // GET /services/data: the versions list, no authentication
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			apierror.Write(w, apierror.MethodNotAllowed(r.Method, "GET,HEAD"))
			return
		}
		WriteJSON(w, http.StatusOK, versions.All())
		return
	}
	version, ok := versions.FromPath(segs[0])
	if !ok {
		apierror.Write(w, apierror.ErrNotFound)
		return
	}
	c, err := a.authenticate(w, r)
	if err != nil {
		apierror.Write(w, err)
		return
	}
	c.Version = version
	if err := a.dispatch(w, r, c, segs[1:]); err != nil {
		var e *apierror.Error
		if !errors.As(err, &e) {
			a.log.ErrorContext(r.Context(), "REST request failed", "err", err, "path", r.URL.Path,
				"org", c.Org.ID, "user", c.Principal.User.ID)
		}
		apierror.Write(w, err)
	}
}

func (a *API) dispatch(w http.ResponseWriter, r *http.Request, c *Caller, segs []string) error {
	if len(segs) == 0 {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			return apierror.MethodNotAllowed(r.Method, "GET,HEAD")
		}
		return WriteJSON(w, http.StatusOK, a.resourceMap(c))
	}
	segs = undouble(segs)
	h, ok := a.resources[segs[0]]
	if !ok {
		return apierror.ErrNotFound
	}
	return h(w, r, c, segs[1:])
}

// resourceMap is GET /services/data/vNN.0/: name → root-relative URL of every resource
// served, plus the caller's identity URL (jsforce reads "identity").
func (a *API) resourceMap(c *Caller) map[string]string {
	names := make([]string, 0, len(a.resources))
	for n := range a.resources {
		names = append(names, n)
	}
	sort.Strings(names)
	m := map[string]string{}
	for _, n := range names {
		m[n] = "/services/data/v" + c.Version + "/" + n
	}
	m["identity"] = a.baseURL + "/id/" + c.Org.ID.String() + "/" + c.Principal.User.ID.String()
	return m
}

// splitPath splits a path into non-empty segments, so trailing slashes are tolerated as
// clients send them (the reference salesforce-rest.md §0 item 5). (Doubled slashes, as sf sends
// after an instance URL with a trailing slash, are collapsed before the router.)
func splitPath(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// undouble accepts go-salesforce's paging path /services/data/vA/services/data/vB/query/…
// (it trims a constant v63.0 from nextRecordsUrl, so other versions double the prefix;
// the reference salesforce-rest.md §4) as an alias of …/query/…: harmless, and it keeps
// that client from failing on page two.
func undouble(segs []string) []string {
	if len(segs) >= 4 && segs[0] == "services" && segs[1] == "data" && (segs[3] == "query" || segs[3] == "queryAll") {
		if _, ok := versions.FromPath(segs[2]); ok {
			return segs[3:]
		}
	}
	return segs
}
