package bulkv2

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/forcefield/forcefield/internal/bulk"
	"github.com/forcefield/forcefield/internal/dataapi"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// info is a job's JSON in Salesforce's key order (salesforce-bulk.md §2.3, §3.2).
// Pointers and omitempty leave out what a kind of job or a state does not have.
type info struct {
	ID                      string          `json:"id"`
	Operation               string          `json:"operation"`
	Object                  string          `json:"object"`
	CreatedByID             string          `json:"createdById"`
	CreatedDate             string          `json:"createdDate"`
	SystemModstamp          string          `json:"systemModstamp"`
	State                   string          `json:"state"`
	ExternalIDFieldName     string          `json:"externalIdFieldName,omitempty"`
	AssignmentRuleID        string          `json:"assignmentRuleId,omitempty"`
	ConcurrencyMode         string          `json:"concurrencyMode"`
	ContentType             string          `json:"contentType"`
	APIVersion              json.RawMessage `json:"apiVersion"`
	ContentURL              string          `json:"contentUrl,omitempty"`
	JobType                 string          `json:"jobType,omitempty"`
	LineEnding              string          `json:"lineEnding"`
	ColumnDelimiter         string          `json:"columnDelimiter"`
	NumberRecordsProcessed  *int64          `json:"numberRecordsProcessed,omitempty"`
	NumberRecordsFailed     *int64          `json:"numberRecordsFailed,omitempty"`
	Retries                 *int            `json:"retries,omitempty"`
	TotalProcessingTime     *int64          `json:"totalProcessingTime,omitempty"`
	APIActiveProcessingTime *int64          `json:"apiActiveProcessingTime,omitempty"`
	ApexProcessingTime      *int64          `json:"apexProcessingTime,omitempty"`
	IsPkChunkingSupported   *bool           `json:"isPkChunkingSupported,omitempty"`
	ErrorMessage            string          `json:"errorMessage,omitempty"`
}

// jobInfo renders j: the create response (full false) has the fields of the real
// create responses; GET and PATCH add the job type and the counters. Counters are
// always present in GET, 0 while Open: simple-salesforce and the sf CLI read them as
// integers (salesforce-bulk.md §2.3 recommendation).
func jobInfo(j *bulk.Job, full bool) info {
	in := info{
		ID: string(j.ID), Operation: j.Operation, Object: j.Object, CreatedByID: string(j.CreatedByID),
		CreatedDate: j.CreatedDate.UTC().Format(schema.DateTimeLayout), SystemModstamp: j.SystemModstamp.UTC().Format(schema.DateTimeLayout),
		State: j.State, ExternalIDFieldName: j.ExternalIDField, AssignmentRuleID: j.AssignmentRuleID,
		ConcurrencyMode: j.ConcurrencyMode, ContentType: j.ContentType, APIVersion: apiVersion(j.APIVersion),
		LineEnding: j.LineEnding, ColumnDelimiter: j.ColumnDelimiter,
	}
	query := j.Type == bulk.TypeV2Query
	if !query && j.Type != bulk.TypeClassic {
		in.ContentURL = "services/data/v" + j.APIVersion + "/jobs/ingest/" + string(j.ID) + "/batches"
	}
	if !full {
		return in
	}
	in.JobType = j.Type
	processed, zero, retries := j.RecordsProcessed, int64(0), j.Retries
	millis := j.ProcessingMillis
	in.NumberRecordsProcessed, in.Retries, in.TotalProcessingTime = &processed, &retries, &millis
	if query {
		f := false
		in.IsPkChunkingSupported = &f
	} else {
		failed := j.RecordsFailed
		in.NumberRecordsFailed = &failed
		in.APIActiveProcessingTime, in.ApexProcessingTime = &millis, &zero
	}
	if j.State == bulk.StateFailed {
		in.ErrorMessage = j.ErrorMessage
	}
	return in
}

// apiVersion renders "59.0" as the JSON number 59.0 (Salesforce writes the ".0").
func apiVersion(v string) json.RawMessage {
	if v == "" {
		v = "0.0"
	}
	if !strings.Contains(v, ".") {
		v += ".0"
	}
	return json.RawMessage(v)
}

// listPage is GET /jobs/ingest and /jobs/query (salesforce-bulk.md §2.7).
type listPage struct {
	Done           bool    `json:"done"`
	Records        []info  `json:"records"`
	NextRecordsURL *string `json:"nextRecordsUrl"`
}

const listPageSize = 1000

// list answers the job lists: Bulk 2.0 ingest and Bulk 1.0 jobs under /jobs/ingest,
// query jobs under /jobs/query; jobType= filters, queryLocator= pages.
func (h *Handler) list(w http.ResponseWriter, r *http.Request, a bulk.Actor, query bool) error {
	types := []string{bulk.TypeV2Ingest, bulk.TypeClassic}
	if query {
		types = []string{bulk.TypeV2Query}
	}
	if t := r.URL.Query().Get("jobType"); t != "" {
		types = []string{t}
	}
	f := bulk.JobFilter{Types: types, Limit: listPageSize + 1}
	if loc := r.URL.Query().Get("queryLocator"); loc != "" {
		f.After = sfid.ID(loc)
	}
	jobs, err := h.eng.Jobs(r.Context(), a, f)
	if err != nil {
		return err
	}
	page := listPage{Done: true, Records: []info{}}
	for i, j := range jobs {
		if i == listPageSize {
			page.Done = false
			kind := "ingest"
			if query {
				kind = "query"
			}
			next := "/services/data/v" + a.Version + "/jobs/" + kind + "?queryLocator=" + string(jobs[i-1].ID)
			page.NextRecordsURL = &next
			break
		}
		page.Records = append(page.Records, jobInfo(j, true))
	}
	return dataapi.WriteJSON(w, http.StatusOK, page)
}
