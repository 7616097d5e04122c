// Package bulkv2 serves Bulk API 2.0 — ingest and query jobs under
// /services/data/vXX.X/jobs — as a resource of the REST data API (internal/dataapi), so
// requests are authenticated, counted and answered with errors exactly as REST's are. It
// is a thin adapter: the jobs, their states and their processing live in internal/bulk.
//
// Wire reference: ../shared/reference/salesforce-bulk.md §2 (ingest), §3 (query), §0
// (what each client needs).
package bulkv2

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/bulk"
	"github.com/forcefield/forcefield/internal/dataapi"
	"github.com/forcefield/forcefield/internal/sfid"
)

// DefaultMaxRecords is the page size of query results when the client does not send
// maxRecords (Salesforce picks a size-based default; clients send 50,000 or nothing).
const DefaultMaxRecords = 100000

// Handler serves /jobs.
type Handler struct {
	eng *bulk.Engine
	log *slog.Logger
}

// Register adds the jobs resource to api.
func Register(api *dataapi.API, eng *bulk.Engine, log *slog.Logger) {
	h := &Handler{eng: eng, log: log}
	api.Handle("jobs", h.serve)
	for name, max := range bulk.DailyMax {
		api.ReportLimit(name, max)
	}
}

func actor(c *dataapi.Caller) bulk.Actor {
	return bulk.Actor{OrgID: c.Org.ID, Principal: c.Principal, Version: c.Version}
}

// serve routes /jobs/{ingest|query}[/{id}[/{resource}]].
func (h *Handler) serve(w http.ResponseWriter, r *http.Request, c *dataapi.Caller, rest []string) error {
	if len(rest) == 0 {
		return apierror.ErrNotFound
	}
	var query bool
	since := 41.0 // Bulk API 2.0 ingest: API 41.0; query: 47.0 (salesforce-bulk.md §2.1, §3.1)
	switch rest[0] {
	case "ingest":
	case "query":
		query, since = true, 47.0
	default:
		return apierror.ErrNotFound
	}
	if v, err := strconv.ParseFloat(c.Version, 64); err != nil || v < since {
		return apierror.ErrNotFound
	}
	a := actor(c)
	err := h.route(w, r, a, query, rest[1:])
	return wireError(err)
}

func (h *Handler) route(w http.ResponseWriter, r *http.Request, a bulk.Actor, query bool, rest []string) error {
	switch len(rest) {
	case 0:
		switch r.Method {
		case http.MethodPost:
			return h.create(w, r, a, query)
		case http.MethodGet, http.MethodHead:
			return h.list(w, r, a, query)
		}
		return apierror.MethodNotAllowed(r.Method, "GET,HEAD,POST")
	case 1:
		id := sfid.ID(rest[0])
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			j, err := h.job(r, a, id, query)
			if err != nil {
				return err
			}
			return dataapi.WriteJSON(w, http.StatusOK, jobInfo(j, true))
		case http.MethodPatch:
			return h.patch(w, r, a, id, query)
		case http.MethodDelete:
			if _, err := h.job(r, a, id, query); err != nil {
				return err
			}
			if err := h.eng.DeleteJob(r.Context(), a, id); err != nil {
				return err
			}
			w.WriteHeader(http.StatusNoContent)
			return nil
		}
		return apierror.MethodNotAllowed(r.Method, "GET,HEAD,PATCH,DELETE")
	case 2:
		id, res := sfid.ID(rest[0]), strings.ToLower(rest[1])
		switch {
		case !query && res == "batches":
			if r.Method != http.MethodPut {
				return apierror.MethodNotAllowed(r.Method, "PUT")
			}
			return h.upload(w, r, a, id)
		case !query && (res == "successfulresults" || res == "failedresults" || res == "unprocessedrecords"):
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				return apierror.MethodNotAllowed(r.Method, "GET,HEAD")
			}
			return h.ingestResults(w, r, a, id, res)
		case query && res == "results":
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				return apierror.MethodNotAllowed(r.Method, "GET,HEAD")
			}
			return h.queryResults(w, r, a, id)
		}
	}
	return apierror.ErrNotFound
}

// job returns a visible job of the right kind (an ingest id under /jobs/query is 404).
func (h *Handler) job(r *http.Request, a bulk.Actor, id sfid.ID, query bool) (*bulk.Job, error) {
	j, err := h.eng.Job(r.Context(), a, id)
	if err != nil {
		return nil, err
	}
	if (j.Type == bulk.TypeV2Query) != query {
		return nil, bulk.ErrJobNotFound()
	}
	return j, nil
}

// createBody is the JSON of POST /jobs/ingest and /jobs/query. Unknown keys are ignored
// (go-salesforce sends "id" in PATCH bodies, and clients add keys over versions).
type createBody struct {
	Object              string `json:"object"`
	Operation           string `json:"operation"`
	ExternalIDFieldName string `json:"externalIdFieldName"`
	ContentType         string `json:"contentType"`
	ColumnDelimiter     string `json:"columnDelimiter"`
	LineEnding          string `json:"lineEnding"`
	AssignmentRuleID    string `json:"assignmentRuleId"`
	Query               string `json:"query"`
	State               string `json:"state"`
}

// readJSON decodes a small JSON request body.
func readJSON(r *http.Request, v any) error {
	in, err := requestBody(r)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(io.LimitReader(in, 1<<20+1))
	if err != nil {
		return apierror.New(http.StatusBadRequest, "JSON_PARSER_ERROR", "The request body could not be read")
	}
	if len(body) > 1<<20 {
		return apierror.New(http.StatusRequestEntityTooLarge, "JSON_PARSER_ERROR", "The request body is larger than 1 MB")
	}
	if err := json.Unmarshal(body, v); err != nil {
		return apierror.New(http.StatusBadRequest, "JSON_PARSER_ERROR", "The request body is not a JSON object: "+err.Error())
	}
	return nil
}

func (h *Handler) create(w http.ResponseWriter, r *http.Request, a bulk.Actor, query bool) error {
	var body createBody
	if err := readJSON(r, &body); err != nil {
		return err
	}
	j := &bulk.Job{Type: bulk.TypeV2Ingest, Object: body.Object, Operation: body.Operation,
		ExternalIDField: body.ExternalIDFieldName, ContentType: body.ContentType, ColumnDelimiter: body.ColumnDelimiter,
		LineEnding: body.LineEnding, AssignmentRuleID: body.AssignmentRuleID}
	if query {
		j = &bulk.Job{Type: bulk.TypeV2Query, Operation: body.Operation, Query: body.Query, ContentType: body.ContentType,
			ColumnDelimiter: body.ColumnDelimiter, LineEnding: body.LineEnding}
	}
	j, err := h.eng.CreateJob(r.Context(), a, j)
	if err != nil {
		return err
	}
	return dataapi.WriteJSON(w, http.StatusOK, jobInfo(j, false))
}

func (h *Handler) patch(w http.ResponseWriter, r *http.Request, a bulk.Actor, id sfid.ID, query bool) error {
	if _, err := h.job(r, a, id, query); err != nil {
		return err
	}
	var body createBody
	if err := readJSON(r, &body); err != nil {
		return err
	}
	switch {
	case body.State == bulk.StateAborted, body.State == bulk.StateUploadComplete && !query:
	default:
		return &bulk.Error{Code: bulk.CodeInvalidJobState, Status: http.StatusBadRequest,
			Message: "Invalid state transition: " + strconv.Quote(body.State)}
	}
	j, err := h.eng.SetState(r.Context(), a, id, body.State)
	if err != nil {
		return err
	}
	return dataapi.WriteJSON(w, http.StatusOK, jobInfo(j, true))
}

// upload is PUT /jobs/ingest/{id}/batches: the CSV, streamed into the store.
func (h *Handler) upload(w http.ResponseWriter, r *http.Request, a bulk.Actor, id sfid.ID) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(strings.ToLower(strings.TrimSpace(ct)), "text/csv") {
		return &bulk.Error{Code: bulk.CodeClientInput, V2Code: "INVALIDCONTENTTYPE", Status: http.StatusBadRequest,
			Message: "Content-Type must be text/csv, not " + ct}
	}
	if _, err := h.job(r, a, id, false); err != nil {
		return err
	}
	body, err := requestBody(r)
	if err != nil {
		return err
	}
	if err := h.eng.Upload(r.Context(), a, id, body); err != nil {
		return err
	}
	w.WriteHeader(http.StatusCreated)
	return nil
}

// requestBody is r's body. The server decodes Content-Encoding: gzip before any handler
// (internal/server); another encoding is refused.
func requestBody(r *http.Request) (io.Reader, error) {
	if ce := strings.TrimSpace(r.Header.Get("Content-Encoding")); ce != "" && !strings.EqualFold(ce, "identity") {
		return nil, &bulk.Error{Code: bulk.CodeClientInput, Status: http.StatusUnsupportedMediaType,
			Message: "Unsupported Content-Encoding: " + ce}
	}
	return r.Body, nil
}

// wireError turns the engine's errors into REST's error array: Bulk 2.0 errorCodes are
// the Bulk 1.0 exception names upper-cased (INVALIDJOBSTATE), or a REST code.
func wireError(err error) error {
	var be *bulk.Error
	if !errors.As(err, &be) {
		return err
	}
	code := be.V2Code
	if code == "" {
		code = strings.ToUpper(be.Code)
	}
	status := be.Status
	if status == 0 {
		status = http.StatusBadRequest
	}
	return apierror.New(status, code, be.Message)
}

// locator is the opaque Sforce-Locator of a result offset (base64 of the row number,
// as Salesforce's look: "MTAwMDA" is 10000).
func locator(offset int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(offset, 10)))
}

func parseLocator(s string) (int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil {
		return 0, false
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	return n, err == nil && n >= 0
}
