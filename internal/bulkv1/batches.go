package bulkv1

import (
	"bufio"
	"errors"
	"io"
	"net/http"

	"github.com/forcefield/forcefield/internal/bulk"
	"github.com/forcefield/forcefield/internal/httpgzip"
)

// addBatch is POST /job/{id}/batch: the records of an ingest job in its content type
// (CSV, XML or JSON), or the SOQL of a query job whatever the Content-Type says
// (simple-salesforce posts SOQL as application/json, reference §4.4). The body may be
// gzip-compressed and chunked; the engine stores it as it streams in and refuses more
// than 10 MB (bulk.MaxBatchV1). The request's Content-Type is not checked against the
// job's: clients send text/csv or application/json inconsistently (singer, §7.7). The
// answer is the Queued batchInfo with 201 Created, as Salesforce documents it.
func (q *request) addBatch(j *bulk.Job) error {
	body, err := requestBody(q.r)
	if err != nil {
		return err
	}
	if !j.IsQuery() {
		// An empty batch is refused up front, as Salesforce does (reference §1).
		br := bufio.NewReader(body)
		if _, err := br.Peek(1); errors.Is(err, io.EOF) {
			return errorf(ClientInputError, "Unable to find any data to create batch")
		}
		body = br
	}
	b, err := q.h.eng.AddBatch(q.r.Context(), q.a, j.ID, body)
	var be *bulk.Error
	if errors.As(err, &be) && be.Code == bulk.CodeInvalidJob {
		return errNoJob(q.rt.job)
	}
	if err != nil {
		return err
	}
	return q.write(http.StatusCreated, batchInfo(b).Marshal(q.format))
}

// listBatches is GET /job/{id}/batch: every batch of the job in the order added, PK
// chunks after the batch they were cut from.
func (q *request) listBatches(j *bulk.Job) error {
	batches, err := q.h.eng.Batches(q.r.Context(), q.a, j)
	if err != nil {
		return err
	}
	list := make(BatchInfoList, len(batches))
	for i, b := range batches {
		list[i] = *batchInfo(b)
	}
	return q.write(http.StatusOK, list.Marshal(q.format))
}

// batch is the batch of the URL, of job j; unknown ids are InvalidBatch.
func (q *request) batch(j *bulk.Job) (*bulk.Batch, error) {
	id, ok := parseID(q.rt.batch, bulk.BatchPrefix)
	if !ok {
		return nil, errNoBatch(q.rt.batch)
	}
	batches, err := q.h.eng.Batches(q.r.Context(), q.a, j)
	if err != nil {
		return nil, err
	}
	for _, b := range batches {
		if b.ID == id {
			return b, nil
		}
	}
	return nil, errNoBatch(q.rt.batch)
}

// batchInfo renders a batch (reference §4.3).
func batchInfo(b *bulk.Batch) *BatchInfo {
	return &BatchInfo{ID: string(b.ID), JobID: string(b.JobID), State: b.State, StateMessage: b.StateMessage,
		CreatedDate: b.CreatedDate, SystemModstamp: b.SystemModstamp,
		NumberRecordsProcessed: b.RecordsProcessed, NumberRecordsFailed: b.RecordsFailed,
		TotalProcessingTime: b.ProcessingMillis, APIActiveProcessingTime: b.ProcessingMillis}
}

// requestData is GET …/batch/{id}/request: the batch as uploaded, with its job's content
// type — the SOQL as text/plain for a query batch (a PK chunk's with its Id range).
func (q *request) requestData(j *bulk.Job) error {
	b, err := q.batch(j)
	if err != nil {
		return err
	}
	ct := map[string]string{ContentCSV: csvContentType, ContentXML: ContentTypeXML, ContentJSON: ContentTypeJSON}[j.ContentType]
	if j.IsQuery() {
		ct = "text/plain; charset=UTF-8"
	}
	q.w.Header().Set("Content-Type", ct)
	if q.r.Method == http.MethodHead {
		return nil
	}
	body, end := httpgzip.Response(q.w, q.r)
	q.w.WriteHeader(http.StatusOK)
	if err := q.h.eng.RequestData(q.r.Context(), j, b, body); err != nil {
		return q.errAfterHeader(err)
	}
	return end()
}
