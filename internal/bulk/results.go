package bulk

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"unicode"

	"github.com/forcefield/forcefield/internal/bulkcsv"
)

// Which rows of an ingest job's results a file holds (salesforce-bulk.md §2.6).
const (
	ResultsSuccessful  = "successfulResults"
	ResultsFailed      = "failedResults"
	ResultsUnprocessed = "unprocessedrecords"
)

// WriteIngestResults writes one of a Bulk 2.0 ingest job's results files to w: the
// header row, then one row per record — successful: sf__Id, sf__Created and the uploaded
// values; failed: sf__Id, sf__Error and the uploaded values; unprocessed: the uploaded
// values of the records an aborted or failed job did not reach. Every field is quoted;
// delimiter and line ending are the job's. Records committed so far are reported at any
// time; a job that has not finished may gain more.
func (e *Engine) WriteIngestResults(ctx context.Context, j *Job, which string, w io.Writer) error {
	batches, err := e.cfg.Store.Batches(ctx, j.OrgID, j.ID)
	if err != nil {
		return err
	}
	f := CSVFormat(j)
	bw := bufio.NewWriterSize(w, 64<<10)
	cw := bulkcsv.NewWriter(bw, f)
	wroteHeader := false
	for _, b := range batches {
		cols, err := e.requestColumns(ctx, j, b)
		if err != nil {
			return err
		}
		if !wroteHeader {
			var h []string
			switch which {
			case ResultsSuccessful:
				h = append([]string{"sf__Id", "sf__Created"}, cols...)
			case ResultsFailed:
				h = append([]string{"sf__Id", "sf__Error"}, cols...)
			default:
				h = cols
			}
			if len(h) > 0 {
				if err := cw.Write(h); err != nil {
					return err
				}
			}
			wroteHeader = true
		}
		if which == ResultsUnprocessed {
			if err := e.writeUnprocessed(ctx, j, b, cw); err != nil {
				return err
			}
			continue
		}
		if err := e.writeOutcomes(ctx, j, b, which, cw); err != nil {
			return err
		}
	}
	if err := cw.Flush(); err != nil {
		return err
	}
	return bw.Flush()
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// writeOutcomes writes the successful or failed records of an ingest batch: each stored
// outcome beside the uploaded values of its record, read again from the upload in the
// same order (outcomes do not repeat them: that halved what a chunk's transaction writes
// besides the records).
func (e *Engine) writeOutcomes(ctx context.Context, j *Job, b *Batch, which string, cw *bulkcsv.Writer) error {
	req := e.openParts(ctx, j.OrgID, b.ID, PartRequest, 0)
	defer req.Close()
	var src Source = emptySource{}
	if s, err := NewCSVSource(req, CSVFormat(j)); err == nil {
		src = s
	}
	r := e.openParts(ctx, j.OrgID, b.ID, PartOutcome, 0)
	defer r.Close()
	return readOutcomes(r, func(o *Outcome) error {
		_, values, err := src.Next()
		if err != nil && !errors.Is(err, io.EOF) {
			var fe *FormatError
			if !errors.As(err, &fe) {
				return err
			}
			values = nil // the record the job failed on has no outcome; cannot happen here
		}
		switch {
		case which == ResultsSuccessful && o.Success:
			return cw.Write(append([]string{o.ID, boolText(o.Created)}, values...))
		case which == ResultsFailed && !o.Success:
			return cw.Write(append([]string{o.ID, o.ErrorText()}, values...))
		}
		return nil
	})
}

// requestColumns is the header row of a batch's upload.
func (e *Engine) requestColumns(ctx context.Context, j *Job, b *Batch) ([]string, error) {
	if len(b.Header) > 0 {
		return b.Header, nil
	}
	r := e.openParts(ctx, j.OrgID, b.ID, PartRequest, 0)
	defer r.Close()
	src, err := NewCSVSource(r, CSVFormat(j))
	var fe *FormatError
	if errors.As(err, &fe) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return src.Columns(), nil
}

// writeUnprocessed writes the records of b after the last committed one, for a job that
// ended without processing them.
func (e *Engine) writeUnprocessed(ctx context.Context, j *Job, b *Batch, cw *bulkcsv.Writer) error {
	if j.State != StateAborted && j.State != StateFailed {
		return nil
	}
	r := e.openParts(ctx, j.OrgID, b.ID, PartRequest, 0)
	defer r.Close()
	src, err := NewCSVSource(r, CSVFormat(j))
	if err != nil {
		return nil // nothing readable was uploaded
	}
	for n := int64(0); ; n++ {
		_, values, err := src.Next()
		if err != nil {
			return nil // the end, or the malformed record the job failed on
		}
		if n >= b.RowsDone {
			if err := cw.Write(values); err != nil {
				return err
			}
		}
	}
}

// upperState is a job state as the JOB_NOT_COMPLETE message spells it (IN_PROGRESS).
func upperState(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && unicode.IsUpper(r) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// QueryPage writes rows from … from+max-1 of a complete query job's result to w after
// the header row, and returns how many rows that is and the offset of the next page
// (-1 at the end). Before the job completes it is Salesforce's 412 JOB_NOT_COMPLETE.
// Counts are known before the first byte is written, so callers can send
// Sforce-NumberOfRecords as a header.
func (e *Engine) QueryPage(ctx context.Context, j *Job, from, max int64) (n, next int64, write func(io.Writer) error, err error) {
	if j.State != StateJobComplete {
		return 0, 0, nil, &Error{Code: CodeInvalidJobState, V2Code: "JOB_NOT_COMPLETE", Status: http.StatusPreconditionFailed,
			Message: "can only download query results of successfully completed bulk job with status: JOB_COMPLETE. Current status: " + upperState(j.State)}
	}
	batches, err := e.cfg.Store.Batches(ctx, j.OrgID, j.ID)
	if err != nil {
		return 0, 0, nil, err
	}
	if len(batches) != 1 {
		return 0, 0, nil, errors.New("bulk: a query job without its query batch")
	}
	b := batches[0]
	total := b.ResultRows
	from = min(max64(from, 0), total)
	n = min(max, total-from)
	next = from + n
	if next >= total {
		next = -1
	}
	write = func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 64<<10)
		if _, err := bw.Write(bulkcsv.AppendRecord(nil, b.Header, CSVFormat(j))); err != nil {
			return err
		}
		if err := e.copyRows(ctx, j, b, from, n, bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	return n, next, write, nil
}

func max64(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

// copyRows copies rows from … from+n-1 of a batch's result parts to w.
func (e *Engine) copyRows(ctx context.Context, j *Job, b *Batch, from, n int64, w io.Writer) error {
	if n <= 0 {
		return nil
	}
	var left = n
	errDone := errors.New("done")
	err := e.cfg.Store.Parts(ctx, j.OrgID, b.ID, PartResult, from, func(p Part) error {
		data := p.Data
		if skip := from - p.FirstRow; skip > 0 {
			data = data[recordsEnd(data, int(skip)):]
		}
		avail := int64(p.Rows) - max64(from-p.FirstRow, 0)
		if avail > left {
			data = data[:recordsEnd(data, int(left))]
			avail = left
		}
		if _, err := w.Write(data); err != nil {
			return err
		}
		left -= avail
		if left <= 0 {
			return errDone
		}
		return nil
	})
	if errors.Is(err, errDone) {
		return nil
	}
	return err
}

// recordsEnd returns the offset just after the first k records of data, CSV written by
// bulkcsv with every field quoted: a record ends at a newline outside quotes.
func recordsEnd(data []byte, k int) int {
	quoted := false
	for i, c := range data {
		switch c {
		case '"':
			quoted = !quoted
		case '\n':
			if !quoted {
				k--
				if k == 0 {
					return i + 1
				}
			}
		}
	}
	return len(data)
}
