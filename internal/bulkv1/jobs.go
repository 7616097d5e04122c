package bulkv1

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/forcefield/forcefield/internal/bulk"
)

// request is one authenticated, routed request.
type request struct {
	h      *Handler
	w      http.ResponseWriter
	r      *http.Request
	a      bulk.Actor
	rt     route
	format Format // of the answer and of its errors; the job's once it is known
}

func (q *request) serve() error {
	switch q.rt.res {
	case resJobs:
		return q.createJob()
	case resJob:
		if q.r.Method == http.MethodPost {
			return q.setJobState()
		}
		return q.getJob()
	}
	j, err := q.job()
	if err != nil {
		return err
	}
	// Batch, batch-list and result endpoints answer in the job's format, whatever the
	// request says (reference §0 item 17; singer sends application/json and parses XML).
	q.format = FormatForJob(j.ContentType)
	switch q.rt.res {
	case resBatches:
		if q.r.Method == http.MethodPost {
			return q.addBatch(j)
		}
		return q.listBatches(j)
	case resBatch:
		b, err := q.batch(j)
		if err != nil {
			return err
		}
		return q.write(http.StatusOK, batchInfo(b).Marshal(q.format))
	case resRequest:
		return q.requestData(j)
	case resResults:
		return q.results(j)
	case resResultFile:
		return q.resultFile(j)
	}
	return errorf(InvalidUrl, "Invalid URL: %s", q.r.URL.Path)
}

// job is the Bulk 1.0 job of the URL; unknown ids, ids of another user's job and Bulk
// 2.0 jobs are all InvalidJob.
func (q *request) job() (*bulk.Job, error) {
	id, ok := parseID(q.rt.job, bulk.JobPrefix)
	if !ok {
		return nil, errNoJob(q.rt.job)
	}
	j, err := q.h.eng.Job(q.r.Context(), q.a, id)
	var be *bulk.Error
	if errors.As(err, &be) && be.Code == bulk.CodeInvalidJob {
		return nil, errNoJob(q.rt.job)
	}
	if err != nil {
		return nil, err
	}
	if j.Type != bulk.TypeClassic {
		return nil, errNoJob(q.rt.job)
	}
	return j, nil
}

// write sends a body in q.format.
func (q *request) write(status int, body []byte) error {
	q.w.Header().Set("Content-Type", q.format.ContentType())
	q.w.WriteHeader(status)
	if q.r.Method != http.MethodHead {
		q.w.Write(body)
	}
	return nil
}

// createJob is POST /job. The answer is 201 Created, as Salesforce documents it
// ("Create a Job"); every listed client accepts any 2xx (reference §4.1, §9 item 5).
func (q *request) createJob() error {
	body, err := q.readSmall()
	if err != nil {
		return err
	}
	req, err := ParseJobInfo(body, q.r.Header.Get("Content-Type"))
	if err != nil {
		return err
	}
	if req, err = req.ValidateCreate(); err != nil {
		return err
	}
	query := req.Operation == bulk.OpQuery || req.Operation == bulk.OpQueryAll
	switch {
	case strings.HasPrefix(req.ContentType, "ZIP_"):
		// Binary attachments in zip files are not emulated.
		return errorf(FeatureNotEnabled, "Content type %s is not supported by this server: use CSV, XML or JSON", req.ContentType)
	case query && req.ContentType == ContentXML:
		// XML query results are not rendered (encode.go): refuse the job up front rather
		// than fail every batch of it.
		return errorf(FeatureNotEnabled, "Query jobs with content type XML are not supported by this server: use CSV or JSON")
	}
	j := &bulk.Job{Type: bulk.TypeClassic, Operation: req.Operation, Object: req.Object,
		ExternalIDField: req.ExternalIDFieldName, ContentType: req.ContentType,
		ConcurrencyMode: req.ConcurrencyMode, AssignmentRuleID: req.AssignmentRuleID}
	if h := q.r.Header.Get("Sforce-Enable-PKChunking"); h != "" {
		pk, on, err := ParsePKChunking(h)
		if err != nil {
			return err
		}
		if on && query {
			j.PKChunking = bulk.PKChunk{Size: pk.ChunkSize, StartRow: pk.StartRow, Parent: pk.Parent}.String()
		}
		// PK chunking applies to query jobs only; the header is ignored on others.
	}
	j, err = q.h.eng.CreateJob(q.r.Context(), q.a, j)
	if err != nil {
		return err
	}
	return q.writeJob(http.StatusCreated, j)
}

// getJob is GET /job/{id}.
func (q *request) getJob() error {
	j, err := q.job()
	if err != nil {
		return err
	}
	return q.writeJob(http.StatusOK, j)
}

// setJobState is POST /job/{id} with state Closed or Aborted (reference §4.6).
func (q *request) setJobState() error {
	j, err := q.job()
	if err != nil {
		return err
	}
	body, err := q.readSmall()
	if err != nil {
		return err
	}
	req, err := ParseJobInfo(body, q.r.Header.Get("Content-Type"))
	if err != nil {
		return err
	}
	if req.State != bulk.StateClosed && req.State != bulk.StateAborted {
		return errorf(InvalidJobState, "Invalid state: %q; a job can be set to Closed or Aborted", req.State)
	}
	j, err = q.h.eng.SetState(q.r.Context(), q.a, j.ID, req.State)
	if err != nil {
		return err
	}
	return q.writeJob(http.StatusOK, j)
}

// writeJob answers a jobInfo, its batch counts from the job's batches.
func (q *request) writeJob(status int, j *bulk.Job) error {
	batches, err := q.h.eng.Batches(q.r.Context(), q.a, j)
	if err != nil {
		return err
	}
	return q.write(status, jobInfo(j, batches).Marshal(q.format))
}

// jobInfo renders a job (reference §4.2). The processing times are the batches' summed
// processing time; apex time is always 0 (no Apex runs here).
func jobInfo(j *bulk.Job, batches []*bulk.Batch) *JobInfo {
	v, _ := strconv.ParseFloat(j.APIVersion, 64)
	info := &JobInfo{ID: string(j.ID), Operation: j.Operation, Object: j.Object, CreatedByID: string(j.CreatedByID),
		CreatedDate: j.CreatedDate, SystemModstamp: j.SystemModstamp, State: j.State,
		ExternalIDFieldName: j.ExternalIDField, ConcurrencyMode: j.ConcurrencyMode, ContentType: j.ContentType,
		NumberBatchesTotal: len(batches), NumberRecordsProcessed: j.RecordsProcessed, NumberRetries: j.Retries,
		APIVersion: v, AssignmentRuleID: j.AssignmentRuleID, NumberRecordsFailed: j.RecordsFailed,
		TotalProcessingTime: j.ProcessingMillis, APIActiveProcessingTime: j.ProcessingMillis}
	for _, b := range batches {
		switch b.State {
		case bulk.BatchQueued:
			info.NumberBatchesQueued++
		case bulk.BatchInProgress:
			info.NumberBatchesInProgress++
		case bulk.BatchCompleted:
			info.NumberBatchesCompleted++
		case bulk.BatchFailed:
			info.NumberBatchesFailed++
		}
	}
	return info
}

// readSmall reads a jobInfo body, at most MaxJobInfoBytes.
func (q *request) readSmall() ([]byte, error) {
	body, err := requestBody(q.r)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(body, MaxJobInfoBytes+1))
	if err != nil {
		return nil, errorf(ClientInputError, "The request body could not be read")
	}
	return b, nil // ParseJobInfo refuses a body over the limit
}

// requestBody is r's body. The server decodes Content-Encoding: gzip before any handler
// (internal/server, reference §0 item 4); another encoding is ClientInputError.
func requestBody(r *http.Request) (io.Reader, error) {
	if ce := strings.TrimSpace(r.Header.Get("Content-Encoding")); ce != "" && !strings.EqualFold(ce, "identity") {
		return nil, errorf(ClientInputError, "Unsupported Content-Encoding: %s", truncate(ce, 32))
	}
	return r.Body, nil
}
