package bulkv1

import (
	"bufio"
	"io"
	"net/http"

	"github.com/forcefield/forcefield/internal/bulk"
	"github.com/forcefield/forcefield/internal/bulkcsv"
	"github.com/forcefield/forcefield/internal/httpgzip"
	"github.com/forcefield/forcefield/internal/sfid"
)

// csvContentType is the Content-Type of CSV answers. jsforce picks its parser by the media
// type (text/csv, reference §0 item 19); the charset makes Python requests — singer reads
// results with decode_unicode — decode UTF-8 instead of its text/* default, ISO-8859-1.
const csvContentType = "text/csv; charset=UTF-8"

// csvResultHeader is the first row of a CSV ingest batch's results (reference §4.5).
var csvResultHeader = []string{"Id", "Success", "Created", "Error"}

// errNotCompleted is the results of a batch that has none (yet).
func errNotCompleted(b *bulk.Batch) *Error {
	return errorf(InvalidBatch, "Batch not completed: its state is %s", b.State)
}

// results is GET …/batch/{id}/result. Ingest: one result per record in upload order — a
// CSV job's as text/csv ("Id","Success","Created","Error"; a failed record's Error
// "CODE:message:fields --"), an XML job's as <results>, a JSON job's as a JSON array.
// A Failed batch answers the records it committed before failing (jsforce fetches them
// when numberRecordsProcessed > 0, §7.2); a batch not yet run is InvalidBatch. Query: the
// result-list with the batch's result id once Completed, in the job's format.
func (q *request) results(j *bulk.Job) error {
	b, err := q.batch(j)
	if err != nil {
		return err
	}
	if j.IsQuery() {
		if b.State != bulk.BatchCompleted || b.ResultID == "" {
			return errNotCompleted(b)
		}
		return q.write(http.StatusOK, ResultList{string(b.ResultID)}.Marshal(q.format))
	}
	if b.State != bulk.BatchCompleted && b.State != bulk.BatchFailed {
		return errNotCompleted(b)
	}
	ct := q.format.ContentType()
	if j.ContentType == ContentCSV {
		ct = csvContentType
	}
	q.w.Header().Set("Content-Type", ct)
	if q.r.Method == http.MethodHead {
		return nil
	}
	body, end := httpgzip.Response(q.w, q.r)
	q.w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriterSize(body, 64<<10)
	if j.ContentType == ContentCSV {
		err = q.csvResults(j, b, bw)
	} else {
		err = q.recordResults(j, b, bw)
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return q.errAfterHeader(err)
	}
	return end()
}

func (q *request) csvResults(j *bulk.Job, b *bulk.Batch, w io.Writer) error {
	cw := bulkcsv.NewWriter(w, bulkcsv.Default)
	if err := cw.Write(csvResultHeader); err != nil {
		return err
	}
	row := make([]string, 4)
	err := q.h.eng.Outcomes(q.r.Context(), j, b, func(o *bulk.Outcome) error {
		row[0], row[1], row[2], row[3] = o.ID, boolText(o.Success), boolText(o.Created), o.ErrorText()
		return cw.Write(row)
	})
	if err != nil {
		return err
	}
	return cw.Flush()
}

func (q *request) recordResults(j *bulk.Job, b *bulk.Batch, w io.Writer) error {
	rw := NewResultWriter(w, q.format)
	err := q.h.eng.Outcomes(q.r.Context(), j, b, func(o *bulk.Outcome) error {
		r := Result{ID: o.ID, Success: o.Success, Created: o.Created}
		if !o.Success {
			fields := o.Fields
			if fields == nil {
				fields = []string{}
			}
			r.Errors = []ResultError{{StatusCode: o.Code, Message: o.Message, Fields: fields}}
		}
		return rw.Write(r)
	})
	if err != nil {
		return err
	}
	return rw.Close()
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// resultFile is GET …/batch/{id}/result/{resultId}: a Completed query batch's rows. CSV
// jobs: text/csv, the header row (the SELECT list's names) then one row per record,
// every field quoted, null as "" — also when there are no rows. JSON jobs: a JSON array
// of records (encode.go). Another id than the batch's result id is InvalidBatch.
func (q *request) resultFile(j *bulk.Job) error {
	b, err := q.batch(j)
	if err != nil {
		return err
	}
	if !j.IsQuery() {
		return errorf(InvalidBatch, "Batch %s of an ingest job has no result files", b.ID)
	}
	if b.State != bulk.BatchCompleted || b.ResultID == "" {
		return errNotCompleted(b)
	}
	if rid, err := sfid.Parse(q.rt.result); err != nil || rid != b.ResultID {
		return errorf(InvalidBatch, "Invalid result id: %s", truncate(q.rt.result, 32))
	}
	ct := csvContentType
	if j.ContentType == ContentJSON {
		ct = ContentTypeJSON
	}
	q.w.Header().Set("Content-Type", ct)
	if q.r.Method == http.MethodHead {
		return nil
	}
	body, end := httpgzip.Response(q.w, q.r)
	q.w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriterSize(body, 64<<10)
	if j.ContentType == ContentJSON {
		bw.WriteByte('[')
	} else {
		bw.Write(bulkcsv.AppendRecord(nil, b.Header, bulkcsv.Default))
	}
	err = q.h.eng.ResultRows(q.r.Context(), j, b, bw)
	if err == nil && j.ContentType == ContentJSON {
		err = bw.WriteByte(']')
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return q.errAfterHeader(err)
	}
	return end()
}

// errAfterHeader is an error once the status line is out: nothing can be rendered any
// more, so the connection is cut (the client sees a truncated body, not a partial file
// that looks whole).
func (q *request) errAfterHeader(err error) error {
	q.h.log.ErrorContext(q.r.Context(), "bulk 1.0: failed after the response started", "err", err, "path", q.r.URL.Path)
	panic(http.ErrAbortHandler)
}
