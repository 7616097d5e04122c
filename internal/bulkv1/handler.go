package bulkv1

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/bulk"
	"github.com/forcefield/forcefield/internal/dataapi"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/versions"
)

// Prefix is the path the handler serves: /services/async/{version}/…
const Prefix = "/services/async/"

// Authenticator resolves a session token with the REST API's checks
// (dataapi.API.Authenticate).
type Authenticator interface {
	Authenticate(w http.ResponseWriter, r *http.Request, tok string) (*dataapi.Caller, error)
}

// Handler serves Bulk API 1.0 under Prefix. It is a thin adapter: jobs, batches and
// their processing live in internal/bulk; bodies are this package's codec.
type Handler struct {
	auth Authenticator
	eng  *bulk.Engine
	log  *slog.Logger
}

// New returns the Bulk API 1.0 handler. Register it with mux.Handle(Prefix, h).
func New(auth Authenticator, eng *bulk.Engine, log *slog.Logger) *Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Handler{auth: auth, eng: eng, log: log}
}

// Resources of the URL space (reference §4.1).
type resource int

const (
	resJobs       resource = iota + 1 // /job
	resJob                            // /job/{jobId}
	resBatches                        // /job/{jobId}/batch
	resBatch                          // /job/{jobId}/batch/{batchId}
	resRequest                        // /job/{jobId}/batch/{batchId}/request
	resResults                        // /job/{jobId}/batch/{batchId}/result
	resResultFile                     // /job/{jobId}/batch/{batchId}/result/{resultId}
)

// route is a parsed request path.
type route struct {
	version string // "59.0"
	res     resource
	job     string
	batch   string
	result  string
}

// allowed is the Allow header of each resource; other methods are 405.
var allowed = map[resource]string{
	resJobs: "POST", resJob: "GET, POST", resBatches: "GET, POST", resBatch: "GET",
	resRequest: "GET", resResults: "GET", resResultFile: "GET",
}

// parseRoute parses a path under Prefix. The version has no "v" in Salesforce's
// URLs (/services/async/59.0/job, reference §0 item 2); a leading "v" is accepted too.
// Resource names (job, batch, request, result) match case-insensitively; one trailing
// slash is ignored. Errors are InvalidUrl.
func parseRoute(path string) (route, *Error) {
	rest, ok := strings.CutPrefix(path, Prefix)
	if !ok {
		return route{}, errorf(InvalidUrl, "Invalid URL: %s", truncate(path, 128))
	}
	segs := strings.Split(strings.TrimSuffix(rest, "/"), "/")
	v := strings.TrimPrefix(strings.TrimPrefix(segs[0], "v"), "V")
	if !versions.Valid(v) {
		return route{}, errorf(InvalidUrl, "Unsupported API version: %s", truncate(segs[0], 32))
	}
	rt := route{version: v}
	segs = segs[1:]
	for _, s := range segs {
		if s == "" {
			return route{}, errorf(InvalidUrl, "Invalid URL: %s", truncate(path, 128))
		}
	}
	name := func(i int, want string) bool { return len(segs) > i && strings.EqualFold(segs[i], want) }
	switch {
	case len(segs) == 0 || !name(0, "job"):
		if len(segs) > 0 {
			return route{}, errorf(InvalidOperation, "Unknown operation: %s", truncate(segs[0], 64))
		}
		return route{}, errorf(InvalidUrl, "Invalid URL: %s", truncate(path, 128))
	case len(segs) == 1:
		rt.res = resJobs
	case len(segs) == 2:
		rt.res, rt.job = resJob, segs[1]
	case len(segs) == 3 && name(2, "batch"):
		rt.res, rt.job = resBatches, segs[1]
	case len(segs) == 4 && name(2, "batch"):
		rt.res, rt.job, rt.batch = resBatch, segs[1], segs[3]
	case len(segs) == 5 && name(2, "batch") && name(4, "request"):
		rt.res, rt.job, rt.batch = resRequest, segs[1], segs[3]
	case len(segs) == 5 && name(2, "batch") && name(4, "result"):
		rt.res, rt.job, rt.batch = resResults, segs[1], segs[3]
	case len(segs) == 6 && name(2, "batch") && name(4, "result"):
		rt.res, rt.job, rt.batch, rt.result = resResultFile, segs[1], segs[3], segs[5]
	default:
		return route{}, errorf(InvalidUrl, "Invalid URL: %s", truncate(path, 128))
	}
	return rt, nil
}

// methodAllowed reports whether method may be used on res (HEAD with GET).
func methodAllowed(res resource, method string) bool {
	if method == http.MethodHead {
		method = http.MethodGet
	}
	return strings.Contains(allowed[res], method)
}

// sessionToken is the token of a Bulk API 1.0 request: the X-SFDC-Session header (any
// case of the name; jsforce sends X-SFDC-SESSION), or Authorization: Bearer / OAuth
// (reference §0 item 1; Bearer is not used by any listed client, §9 item 13).
func sessionToken(h http.Header) string {
	if tok := strings.TrimSpace(h.Get("X-SFDC-Session")); tok != "" {
		return tok
	}
	scheme, tok, _ := strings.Cut(strings.TrimSpace(h.Get("Authorization")), " ")
	if strings.EqualFold(scheme, "Bearer") || strings.EqualFold(scheme, "OAuth") {
		return strings.TrimSpace(tok)
	}
	return ""
}

// ServeHTTP authenticates, routes and answers one request. Every error is a Bulk 1.0
// error body (reference §1) in the request's format (FormatFor) until the job is known,
// in the job's format (FormatForJob) on batch and result resources after that.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f := FormatFor(r.Header.Get("Content-Type"))
	c, err := h.auth.Authenticate(w, r, sessionToken(r.Header))
	if err != nil {
		var ae *apierror.Error
		if errors.As(err, &ae) && ae.Status == http.StatusServiceUnavailable { // a SERVER_UNAVAILABLE fault
			h.writeStatusError(w, f, ae.Status, errorf(Unknown, "%s", ae.Message))
			return
		}
		h.writeError(w, r, f, authError(err))
		return
	}
	rt, rerr := parseRoute(r.URL.Path)
	if rerr != nil {
		h.writeError(w, r, f, rerr)
		return
	}
	if !methodAllowed(rt.res, r.Method) {
		w.Header().Set("Allow", allowed[rt.res])
		h.writeStatusError(w, f, http.StatusMethodNotAllowed,
			errorf(InvalidUrl, "HTTP Method '%s' not allowed. Allowed are %s", r.Method, allowed[rt.res]))
		return
	}
	c.Version = rt.version
	a := bulk.Actor{OrgID: c.Org.ID, Principal: c.Principal, Version: rt.version}
	rq := &request{h: h, w: w, r: r, a: a, rt: rt, format: f}
	if err := rq.serve(); err != nil {
		h.writeError(w, r, rq.format, err)
	}
}

// authError maps the REST checks' refusals (dataapi.Authenticate) to Bulk 1.0 codes:
//   - no, unknown, expired or revoked token, a session not valid for the API, an
//     Authorization scheme other than Bearer: InvalidSessionId "Invalid session id" —
//     the only code jsforce refreshes its token on (reference §0 item 20);
//   - a user without API Enabled: InvalidUser (Salesforce: "the user … doesn't have the
//     correct permission");
//   - the org's daily API requests spent: ExceededQuota with REST's text;
//   - the faults injected on demand (package faults): UNABLE_TO_LOCK_ROW is
//     TooManyLockFailure, QUERY_TIMEOUT is Timeout, with REST's texts (SERVER_UNAVAILABLE
//     is a 503 Unknown, in ServeHTTP).
func authError(err error) error {
	var ae *apierror.Error
	if !errors.As(err, &ae) {
		return err
	}
	switch ae.Code {
	case "INVALID_SESSION_ID", "INVALID_AUTH_HEADER":
		return errorf(InvalidSessionId, "Invalid session id")
	case "API_DISABLED_FOR_ORG":
		return errorf(InvalidUser, "API is not enabled for this user: the API Enabled permission is required")
	case "REQUEST_LIMIT_EXCEEDED":
		return errorf(ExceededQuota, "%s", ae.Message)
	case "UNABLE_TO_LOCK_ROW":
		return errorf(TooManyLockFailure, "%s", ae.Message)
	case "QUERY_TIMEOUT":
		return errorf(Timeout, "%s", ae.Message)
	}
	return errorf(Unknown, "%s", ae.Message)
}

// writeError renders err: a codec *Error or an engine *bulk.Error with status 400
// (ErrorStatus, every Bulk 1.0 error); anything else is logged and answered as a 500
// Unknown that reveals nothing internal.
func (h *Handler) writeError(w http.ResponseWriter, r *http.Request, f Format, err error) {
	var e *Error
	var be *bulk.Error
	switch {
	case errors.As(err, &e):
	case errors.As(err, &be):
		e = &Error{Code: be.Code, Message: be.Message}
	default:
		h.log.ErrorContext(r.Context(), "bulk 1.0 request failed", "err", err, "path", r.URL.Path)
		h.writeStatusError(w, f, http.StatusInternalServerError, errorf(Unknown, "An unexpected error occurred"))
		return
	}
	h.writeStatusError(w, f, ErrorStatus, e)
}

func (h *Handler) writeStatusError(w http.ResponseWriter, f Format, status int, e *Error) {
	w.Header().Set("Content-Type", f.ContentType())
	w.WriteHeader(status)
	w.Write(e.Marshal(f))
}

// parseID reads a job or batch id from the URL: 15 or 18 characters with the key
// prefix (plugin-data sends 15-character job ids, reference §0 item 3).
func parseID(s, prefix string) (sfid.ID, bool) {
	id, err := sfid.Parse(s)
	if err != nil || id.Prefix() != prefix {
		return "", false
	}
	return id, true
}

// errNoJob and errNoBatch are unknown ids, or ids of another user's job.
func errNoJob(id string) *Error { return errorf(InvalidJob, "Invalid job id: %s", truncate(id, 32)) }
func errNoBatch(id string) *Error {
	return errorf(InvalidBatch, "Invalid batch id: %s", truncate(id, 32))
}
