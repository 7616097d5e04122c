package bulk

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"

	"github.com/forcefield/forcefield/internal/bulkcsv"
)

// csvSource reads CSV request data (Bulk 2.0 ingest, Bulk 1.0 CSV batches).
type csvSource struct {
	r      *bulkcsv.Reader
	header []string
}

// CSVFormat is the CSV format of a job: its column delimiter and line ending.
func CSVFormat(j *Job) bulkcsv.Format {
	f := bulkcsv.Default
	if d, ok := bulkcsv.ParseDelimiter(j.ColumnDelimiter); ok {
		f.Delimiter = d
	}
	f.CRLF = j.LineEnding == "CRLF"
	return f
}

// NewCSVSource reads the header row of r. Empty data is a source of no records.
func NewCSVSource(r io.Reader, f bulkcsv.Format) (Source, error) {
	cr := bulkcsv.NewReader(r, f)
	h, err := cr.Header()
	if errors.Is(err, bulkcsv.ErrNoHeader) {
		return emptySource{}, nil
	}
	if err != nil {
		return nil, formatError("InvalidBatch", err)
	}
	return &csvSource{r: cr, header: slices.Clone(h)}, nil
}

func (s *csvSource) Columns() []string { return s.header }

func (s *csvSource) Next() ([]Cell, []string, error) {
	row, err := s.r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, io.EOF
		}
		return nil, nil, formatError("ClientInputError", err)
	}
	values := slices.Clone(row)
	cells := make([]Cell, len(values))
	for i, v := range values {
		cells[i] = Cell{Name: s.header[i], Text: v}
	}
	return cells, values, nil
}

type emptySource struct{}

func (emptySource) Columns() []string               { return nil }
func (emptySource) Next() ([]Cell, []string, error) { return nil, nil, io.EOF }

// runV2Ingest processes a Bulk 2.0 ingest job after UploadComplete: InProgress, its
// upload's records, then JobComplete (or Failed for malformed data).
func (e *Engine) runV2Ingest(ctx context.Context, j *Job) error {
	j, err := e.startV2(ctx, j)
	if j == nil || err != nil {
		return err
	}
	batches, err := e.cfg.Store.Batches(ctx, j.OrgID, j.ID)
	if err != nil {
		return err
	}
	for _, b := range batches {
		if b.Terminal() {
			continue
		}
		err := e.ingestCSV(ctx, j, b)
		if errors.Is(err, errBatchEnded) {
			return nil // aborted
		}
		var fe *FormatError
		if errors.As(err, &fe) {
			e.endBatch(ctx, j, b, BatchFailed, fe.Message)
			e.failJob(ctx, j, fe.Message)
			return nil
		}
		if err != nil {
			return err
		}
		if ctx.Err() != nil {
			return nil
		}
		e.endBatch(ctx, j, b, BatchCompleted, "")
	}
	return e.completeJob(ctx, j)
}

// startV2 moves a Bulk 2.0 job from UploadComplete to InProgress (or finds it there,
// resumed) and returns it; nil when it ended meanwhile (aborted).
func (e *Engine) startV2(ctx context.Context, j *Job) (*Job, error) {
	j, err := e.cfg.Store.UpdateJob(ctx, j.OrgID, j.ID, func(cur *Job) error {
		if cur.State != StateUploadComplete && cur.State != StateInProgress {
			return errAlreadyEnded
		}
		cur.State, cur.SystemModstamp = StateInProgress, e.orgNow(j.OrgID)
		return nil
	})
	if errors.Is(err, errAlreadyEnded) {
		return nil, nil
	}
	return j, err
}

// ingestCSV runs one CSV batch of a job.
func (e *Engine) ingestCSV(ctx context.Context, j *Job, b *Batch) error {
	r := e.openParts(ctx, j.OrgID, b.ID, PartRequest, 0)
	defer r.Close()
	src, err := NewCSVSource(r, CSVFormat(j))
	if err != nil {
		return err
	}
	if err := e.startBatch(ctx, j, b, src); err != nil {
		return err
	}
	return e.ingest(ctx, j, b, src)
}

// startBatch checks an ingest batch's columns (a CSV header naming no field fails it),
// then marks it InProgress with its header, refreshing b. A batch that an abort ended
// since it was listed is errBatchEnded: skipped, not revived.
func (e *Engine) startBatch(ctx context.Context, j *Job, b *Batch, src Source) error {
	cols := src.Columns()
	if cols != nil {
		env, obj, err := e.runAs(ctx, j)
		if err != nil {
			return err
		}
		if err := CheckColumns(env, obj, j.Operation, cols); err != nil {
			return err
		}
	}
	_, err := e.cfg.Store.UpdateBatch(ctx, j.OrgID, b.ID, func(cur *Batch) error {
		if cur.Terminal() {
			return errBatchEnded
		}
		if cur.State == BatchQueued {
			cur.State, cur.SystemModstamp = BatchInProgress, e.orgNow(j.OrgID)
		}
		if len(cur.Header) == 0 {
			cur.Header = cols
		}
		*b = *cur
		return nil
	})
	return err
}

// endBatch records a batch's end.
func (e *Engine) endBatch(ctx context.Context, j *Job, b *Batch, state, msg string) {
	_, err := e.cfg.Store.UpdateBatch(ctx, j.OrgID, b.ID, func(cur *Batch) error {
		if cur.Terminal() {
			return nil
		}
		cur.State, cur.StateMessage, cur.SystemModstamp = state, msg, e.orgNow(j.OrgID)
		return nil
	})
	if err != nil {
		e.cfg.Logger.Error("bulk batch: recording its end", "batch", b.ID, "err", err)
	}
}

// completeJob adds up a Bulk 2.0 job's batches and marks it JobComplete, unless it was
// aborted meanwhile.
func (e *Engine) completeJob(ctx context.Context, j *Job) error {
	batches, err := e.cfg.Store.Batches(ctx, j.OrgID, j.ID)
	if err != nil {
		return err
	}
	var processed, failed, millis int64
	for _, b := range batches {
		processed += b.RecordsProcessed
		failed += b.RecordsFailed
		millis += b.ProcessingMillis
	}
	_, err = e.cfg.Store.UpdateJob(ctx, j.OrgID, j.ID, func(cur *Job) error {
		if cur.State != StateInProgress {
			return errAlreadyEnded
		}
		cur.State, cur.SystemModstamp = StateJobComplete, e.orgNow(j.OrgID)
		cur.RecordsProcessed, cur.RecordsFailed, cur.ProcessingMillis = processed, failed, millis
		return nil
	})
	if errors.Is(err, errAlreadyEnded) {
		return nil
	}
	if err == nil && processed > 0 { // one batch per 10,000 records (salesforce-bulk.md §5)
		e.cfg.Usage.UseN(LimitBatches, j.OrgID, int((processed+9999)/10000), DailyMax[LimitBatches])
	}
	return err
}

// formatError is a CSV reading error as the job's errorMessage: Salesforce's own text
// for a wrong line ending, "<code> : Line N: …" for the rest.
func formatError(code string, err error) error {
	var fe *bulkcsv.Error
	if !errors.As(err, &fe) {
		if errors.Is(err, bulkcsv.ErrNoHeader) {
			return &FormatError{code + " : " + err.Error()}
		}
		return err
	}
	if strings.HasPrefix(fe.Msg, "ClientInputError : ") {
		return &FormatError{fe.Msg}
	}
	return &FormatError{code + " : " + fe.Error()}
}
