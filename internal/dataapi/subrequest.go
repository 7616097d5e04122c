package dataapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/versions"
)

// A subrequest of /composite or /composite/batch runs through the same router as a
// top-level request, with the caller already authenticated, into an in-memory response.

// recorder is a minimal http.ResponseWriter that keeps the response.
type recorder struct {
	status int
	header http.Header
	body   bytes.Buffer
}

func newRecorder() *recorder { return &recorder{header: http.Header{}} }

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
func (r *recorder) WriteHeader(s int) {
	if r.status == 0 {
		r.status = s
	}
}

// result is the body as it was written (keys in their order), nil when empty.
func (r *recorder) result() any {
	if r.body.Len() == 0 {
		return nil
	}
	if !json.Valid(r.body.Bytes()) {
		return r.body.String()
	}
	return json.RawMessage(r.body.Bytes())
}

// decoded is the body decoded, for reference lookups.
func (r *recorder) decoded() any {
	var v any
	json.Unmarshal(r.body.Bytes(), &v)
	return v
}

// subrequest runs method url (with or without the /services/data/ prefix, e.g.
// "v59.0/sobjects/Account/001…" in a batch) with body for caller c.
func (d *data) subrequest(ctx context.Context, parent *http.Request, c *Caller, method, rawURL string, body []byte) *recorder {
	rec := newRecorder()
	path := strings.TrimPrefix(rawURL, "/")
	path = strings.TrimPrefix(path, "services/data/")
	u, err := url.Parse("/services/data/" + path)
	if err != nil {
		apierror.Write(rec, apierror.ErrNotFound)
		return rec
	}
	segs := splitPath(strings.TrimPrefix(u.Path, "/services/data"))
	if len(segs) == 0 {
		apierror.Write(rec, apierror.ErrNotFound)
		return rec
	}
	version, ok := versions.FromPath(segs[0])
	if !ok {
		apierror.Write(rec, apierror.ErrNotFound)
		return rec
	}
	var rd io.Reader = http.NoBody
	if len(body) > 0 {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		apierror.Write(rec, apierror.New(http.StatusBadRequest, "INVALID_INPUT", "Invalid method: "+method))
		return rec
	}
	req.Header = parent.Header.Clone()
	req.Header.Del("Content-Length")
	sub := *c
	sub.Version = version
	if err := d.api.dispatch(rec, req, &sub, segs[1:]); err != nil {
		apierror.Write(rec, err)
	}
	return rec
}
