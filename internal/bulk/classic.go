package bulk

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/forcefield/forcefield/internal/bulkcsv"
	"github.com/forcefield/forcefield/internal/sfid"
)

// Decoder reads a Bulk 1.0 batch's request data of one content type (XML, JSON) as
// records. CSV is built in.
type Decoder func(io.Reader) (Source, error)

// AddBatch stores a new Bulk 1.0 batch (POST …/job/{id}/batch) and queues it: ingest
// data in the job's content type, or the SOQL of a query job. The job must be Open.
// Each batch counts against DailyBulkApiBatches.
func (e *Engine) AddBatch(ctx context.Context, a Actor, id sfid.ID, body io.Reader) (*Batch, error) {
	j, err := e.Job(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if j.Type != TypeClassic {
		return nil, ErrJobNotFound()
	}
	if j.State != StateOpen {
		return nil, errorf(CodeInvalidJobState, 400, "Job %s is not open: its state is %s", j.ID, j.State)
	}
	if _, ok := e.cfg.Usage.UseN(LimitBatches, a.OrgID, 1, DailyMax[LimitBatches]); !ok {
		return nil, errorf(CodeExceededQuota, 400, "Daily limit of %d Bulk API batches exceeded", DailyMax[LimitBatches])
	}
	now := e.orgNow(a.OrgID)
	b := &Batch{JobID: j.ID, State: BatchQueued, ContentType: j.ContentType, CreatedDate: now, SystemModstamp: now}
	if j.IsQuery() {
		text, err := io.ReadAll(io.LimitReader(body, 100_001))
		if err != nil {
			return nil, errorf(CodeClientInput, 400, "The batch could not be read: %v", err)
		}
		b.ContentType, b.Query = "SOQL", strings.TrimSpace(string(text))
		body = strings.NewReader("")
	}
	if err := e.addBatch(ctx, a, b, body, MaxBatchV1); err != nil {
		return nil, err
	}
	e.submit(j.OrgID, j.ID)
	return b, nil
}

// runClassic processes a Bulk 1.0 job's queued batches in order. Closing a job does
// not stop its batches; aborting it leaves those not started NotProcessed.
func (e *Engine) runClassic(ctx context.Context, j *Job) error {
	batches, err := e.cfg.Store.Batches(ctx, j.OrgID, j.ID)
	if err != nil {
		return err
	}
	for _, b := range batches {
		if b.State != BatchQueued && b.State != BatchInProgress {
			continue
		}
		cur, err := e.cfg.Store.Job(ctx, j.OrgID, j.ID)
		if err != nil {
			return err
		}
		if cur.State == StateAborted {
			e.endBatch(ctx, j, b, BatchNotProcessed, "Job aborted")
			continue
		}
		switch {
		case j.IsQuery() && j.PKChunking != "" && b.ContentType == "SOQL":
			err = e.pkChunk(ctx, j, b)
		case j.IsQuery():
			err = e.classicQuery(ctx, j, b)
		default:
			err = e.classicIngest(ctx, j, b)
		}
		if ctx.Err() != nil {
			return nil
		}
		var fe *FormatError
		if errors.As(err, &fe) {
			e.endBatch(ctx, j, b, BatchFailed, fe.Message)
			continue
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// classicIngest processes one ingest batch.
func (e *Engine) classicIngest(ctx context.Context, j *Job, b *Batch) error {
	r := e.openParts(ctx, j.OrgID, b.ID, PartRequest, 0)
	defer r.Close()
	var src Source
	var err error
	if dec, ok := e.cfg.Decoders[j.ContentType]; ok {
		src, err = dec(r)
	} else {
		src, err = NewCSVSource(r, bulkcsv.Default)
	}
	if err != nil {
		return err
	}
	err = e.startBatch(ctx, j, b, src)
	if errors.Is(err, errBatchEnded) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := e.ingest(ctx, j, b, src); err != nil {
		return err
	}
	if cur, err := e.cfg.Store.Job(ctx, j.OrgID, j.ID); err == nil && cur.State == StateAborted {
		e.endBatch(ctx, j, b, BatchFailed, "Job aborted")
		return nil
	}
	e.endBatch(ctx, j, b, BatchCompleted, "")
	return nil
}

// classicQuery runs one query batch and gives its result an id (752…).
func (e *Engine) classicQuery(ctx context.Context, j *Job, b *Batch) error {
	enc, ok := e.cfg.Encoders[j.ContentType]
	if !ok {
		enc = CSVRows{Format: bulkcsv.Default}
	}
	if je, ok := enc.(JobRowEncoder); ok {
		enc = je.ForJob(j)
	}
	_, _, err := e.runQuery(ctx, j, b, enc)
	if errors.Is(err, errBatchEnded) {
		return nil
	}
	var be *Error
	if errors.As(err, &be) {
		code := be.V2Code
		if code == "" {
			code = be.Code
		}
		return &FormatError{"InvalidBatch : Failed to process query: " + code + ": " + be.Message}
	}
	if err != nil {
		return err
	}
	n, _ := b.ID.Sequence()
	pod := "00"
	if len(b.ID) >= 5 {
		pod = string(b.ID[3:5])
	}
	rid := sfid.New(ResultPrefix, pod, n)
	_, err = e.cfg.Store.UpdateBatch(ctx, j.OrgID, b.ID, func(cur *Batch) error {
		cur.ResultID, cur.State, cur.SystemModstamp = rid, BatchCompleted, e.orgNow(j.OrgID)
		return nil
	})
	return err
}

// Outcomes calls fn with each record outcome of an ingest batch, in upload order (the
// Bulk 1.0 …/batch/{id}/result).
func (e *Engine) Outcomes(ctx context.Context, j *Job, b *Batch, fn func(*Outcome) error) error {
	r := e.openParts(ctx, j.OrgID, b.ID, PartOutcome, 0)
	defer r.Close()
	return readOutcomes(r, fn)
}

// ResultRows writes a Bulk 1.0 query batch's stored result rows (no header) to w.
func (e *Engine) ResultRows(ctx context.Context, j *Job, b *Batch, w io.Writer) error {
	return e.copyRows(ctx, j, b, 0, b.ResultRows, w)
}

// RequestData writes a batch's uploaded data to w (…/batch/{id}/request).
func (e *Engine) RequestData(ctx context.Context, j *Job, b *Batch, w io.Writer) error {
	if b.ContentType == "SOQL" || b.ContentType == ContentSOQLChunk {
		_, err := io.WriteString(w, b.Query)
		return err
	}
	r := e.openParts(ctx, j.OrgID, b.ID, PartRequest, 0)
	defer r.Close()
	_, err := io.Copy(w, r)
	return err
}
