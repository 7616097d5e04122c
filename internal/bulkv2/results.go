package bulkv2

import (
	"net/http"
	"strconv"

	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/bulk"
	"github.com/forcefield/forcefield/internal/httpgzip"
	"github.com/forcefield/forcefield/internal/sfid"
)

// csvContentType is the Content-Type of every CSV answer; Airbyte honours its charset.
const csvContentType = "text/csv; charset=UTF-8"

// ingestResults is GET …/jobs/ingest/{id}/successfulResults, failedResults and
// unprocessedrecords (any case: simple-salesforce asks for unprocessedRecords).
func (h *Handler) ingestResults(w http.ResponseWriter, r *http.Request, a bulk.Actor, id sfid.ID, res string) error {
	j, err := h.job(r, a, id, false)
	if err != nil {
		return err
	}
	which := map[string]string{"successfulresults": bulk.ResultsSuccessful, "failedresults": bulk.ResultsFailed,
		"unprocessedrecords": bulk.ResultsUnprocessed}[res]
	w.Header().Set("Content-Type", csvContentType)
	if r.Method == http.MethodHead {
		return nil
	}
	body, end := httpgzip.Response(w, r)
	w.WriteHeader(http.StatusOK)
	if err := h.eng.WriteIngestResults(r.Context(), j, which, body); err != nil {
		return h.errAfterHeader(r, err)
	}
	return end()
}

// queryResults is GET …/jobs/query/{id}/results[?locator=&maxRecords=]: one page of CSV
// with its header row, Sforce-NumberOfRecords and Sforce-Locator ("null" on the last
// page — clients loop until they see that string).
func (h *Handler) queryResults(w http.ResponseWriter, r *http.Request, a bulk.Actor, id sfid.ID) error {
	j, err := h.job(r, a, id, true)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	var from int64
	if loc := q.Get("locator"); loc != "" && loc != "null" {
		var ok bool
		if from, ok = parseLocator(loc); !ok {
			return apierror.New(http.StatusBadRequest, "INVALID_LOCATOR", "Invalid locator: "+loc)
		}
	}
	max := int64(DefaultMaxRecords)
	if s := q.Get("maxRecords"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 {
			return apierror.New(http.StatusBadRequest, "INVALID_MAX_RECORDS", "maxRecords must be a positive integer: "+s)
		}
		max = n
	}
	n, next, write, err := h.eng.QueryPage(r.Context(), j, from, max)
	if err != nil {
		return err
	}
	hdr := w.Header()
	hdr.Set("Content-Type", csvContentType)
	hdr.Set("Sforce-NumberOfRecords", strconv.FormatInt(n, 10))
	if next < 0 {
		hdr.Set("Sforce-Locator", "null")
	} else {
		hdr.Set("Sforce-Locator", locator(next))
	}
	if r.Method == http.MethodHead {
		return nil
	}
	body, end := httpgzip.Response(w, r)
	w.WriteHeader(http.StatusOK)
	if err := write(body); err != nil {
		return h.errAfterHeader(r, err)
	}
	return end()
}

// errAfterHeader is an error once the status line is out: nothing can be rendered any
// more, so the connection is cut (the client sees a truncated body, not a partial file
// that looks whole).
func (h *Handler) errAfterHeader(r *http.Request, err error) error {
	h.log.ErrorContext(r.Context(), "bulk results: failed after the response started", "err", err, "path", r.URL.Path)
	panic(http.ErrAbortHandler)
}
