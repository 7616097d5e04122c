package bulkv1

import (
	"errors"
	"net/http"
	"testing"

	"github.com/forcefield/forcefield/internal/apierror"
)

func TestParseRoute(t *testing.T) {
	const j, b, r = "7505F0000000001QAA", "7515F0000000001QAA", "7525F0000000001QAA"
	for _, c := range []struct {
		path    string
		want    route
		errCode string
	}{
		{"/services/async/59.0/job", route{version: "59.0", res: resJobs}, ""},
		{"/services/async/v61.0/job/", route{version: "61.0", res: resJobs}, ""},
		{"/services/async/50.0/job/" + j, route{version: "50.0", res: resJob, job: j}, ""},
		{"/services/async/59.0/job/" + j + "/batch", route{version: "59.0", res: resBatches, job: j}, ""},
		{"/services/async/59.0/JOB/" + j + "/Batch/" + b, route{version: "59.0", res: resBatch, job: j, batch: b}, ""},
		{"/services/async/59.0/job/" + j + "/batch/" + b + "/request", route{version: "59.0", res: resRequest, job: j, batch: b}, ""},
		{"/services/async/59.0/job/" + j + "/batch/" + b + "/result", route{version: "59.0", res: resResults, job: j, batch: b}, ""},
		{"/services/async/59.0/job/" + j + "/batch/" + b + "/result/" + r, route{version: "59.0", res: resResultFile, job: j, batch: b, result: r}, ""},
		{"/services/async/59/job", route{}, InvalidUrl},
		{"/services/async/19.0/job", route{}, InvalidUrl},
		{"/services/async/59.0", route{}, InvalidUrl},
		{"/services/async/59.0/", route{}, InvalidUrl},
		{"/services/async/59.0/jobs", route{}, InvalidOperation},
		{"/services/async/59.0/job//batch", route{}, InvalidUrl},
		{"/services/async/59.0/job/" + j + "/batches", route{}, InvalidUrl},
		{"/services/async/59.0/job/" + j + "/batch/" + b + "/results", route{}, InvalidUrl},
		{"/services/async/59.0/job/" + j + "/batch/" + b + "/result/" + r + "/x", route{}, InvalidUrl},
	} {
		got, err := parseRoute(c.path)
		switch {
		case c.errCode != "" && (err == nil || err.Code != c.errCode):
			t.Errorf("%s: got %+v %v, want %s", c.path, got, err, c.errCode)
		case c.errCode == "" && (err != nil || got != c.want):
			t.Errorf("%s: got %+v %v, want %+v", c.path, got, err, c.want)
		}
	}
}

func TestMethodAllowed(t *testing.T) {
	for _, c := range []struct {
		res    resource
		method string
		want   bool
	}{
		{resJobs, "POST", true}, {resJobs, "GET", false},
		{resJob, "GET", true}, {resJob, "HEAD", true}, {resJob, "POST", true}, {resJob, "DELETE", false}, {resJob, "PATCH", false},
		{resBatches, "POST", true}, {resBatches, "GET", true}, {resBatches, "PUT", false},
		{resBatch, "GET", true}, {resBatch, "POST", false},
		{resRequest, "GET", true}, {resResults, "GET", true}, {resResultFile, "GET", true}, {resResultFile, "POST", false},
	} {
		if got := methodAllowed(c.res, c.method); got != c.want {
			t.Errorf("%v %s: %v, want %v", c.res, c.method, got, c.want)
		}
	}
}

func TestSessionToken(t *testing.T) {
	for _, c := range []struct {
		name, value, want string
	}{
		{"X-SFDC-Session", "tok1", "tok1"},
		{"X-SFDC-SESSION", " tok2 ", "tok2"}, // jsforce's spelling
		{"x-sfdc-session", "tok3", "tok3"},
		{"Authorization", "Bearer tok4", "tok4"},
		{"Authorization", "OAuth tok5", "tok5"},
		{"Authorization", "Basic dXNlcg==", ""},
		{"Authorization", "tok6", ""},
		{"X-Other", "tok7", ""},
	} {
		h := http.Header{}
		h.Set(c.name, c.value)
		if got := sessionToken(h); got != c.want {
			t.Errorf("%s: %q: got %q, want %q", c.name, c.value, got, c.want)
		}
	}
}

func TestAuthError(t *testing.T) {
	for _, c := range []struct {
		in   error
		code string
	}{
		{apierror.ErrInvalidSession, InvalidSessionId},
		{apierror.ErrNotREST, InvalidSessionId},
		{apierror.ErrAuthHeader, InvalidSessionId},
		{apierror.ErrAPIDisabled, InvalidUser},
		{apierror.ErrLimitExceeded, ExceededQuota},
	} {
		var e *Error
		if !errors.As(authError(c.in), &e) || e.Code != c.code {
			t.Errorf("%v: got %v, want %s", c.in, authError(c.in), c.code)
		}
	}
	other := errors.New("database down")
	if authError(other) != other {
		t.Error("an internal error is passed on as is")
	}
}

// The format rules of reference §0 item 17, as the handler applies them: job resources
// follow the request's Content-Type, batch resources the job's contentType.
func TestResponseFormats(t *testing.T) {
	for _, c := range []struct {
		reqCT string
		want  Format
	}{
		{"application/json", FormatJSON}, {"application/json; charset=UTF-8", FormatJSON}, {"APPLICATION/JSON", FormatJSON},
		{"application/xml; charset=utf-8", FormatXML}, {"text/csv", FormatXML}, {"", FormatXML},
	} {
		if got := FormatFor(c.reqCT); got != c.want {
			t.Errorf("FormatFor(%q) = %v", c.reqCT, got)
		}
	}
	for _, c := range []struct {
		jobCT string
		want  Format
	}{{ContentCSV, FormatXML}, {ContentXML, FormatXML}, {ContentJSON, FormatJSON}} {
		if got := FormatForJob(c.jobCT); got != c.want {
			t.Errorf("FormatForJob(%q) = %v", c.jobCT, got)
		}
	}
}

func TestParseID(t *testing.T) {
	if id, ok := parseID("7505F0000000001", "750"); !ok || id != "7505F0000000001QAA" {
		t.Errorf("15 characters: %q %v", id, ok)
	}
	if _, ok := parseID("7515F0000000001QAA", "750"); ok {
		t.Error("a batch id is not a job id")
	}
	if _, ok := parseID("nope", "750"); ok {
		t.Error("nope is no id")
	}
}
