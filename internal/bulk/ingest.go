package bulk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/dml"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// Source yields the records of a batch's request data.
type Source interface {
	// Columns are the CSV header's names; nil for XML and JSON data, whose records name
	// their own fields.
	Columns() []string
	// Next returns the next record and its original values (for results files), or
	// io.EOF. A *FormatError means the data itself is malformed: the job fails.
	Next() (cells []Cell, values []string, err error)
}

// FormatError is request data that cannot be read as its content type says (a bad header
// row, a wrong line ending, a ragged row): the batch or job fails with Message.
type FormatError struct{ Message string }

func (e *FormatError) Error() string { return e.Message }

// runAs is the write environment of a job's creator, checked again at processing time: a
// user who was deactivated or lost API access since creating the job does not write.
func (e *Engine) runAs(ctx context.Context, j *Job) (*dml.Env, *schema.Object, error) {
	p, err := e.cfg.Dir.Principal(ctx, j.CreatedByID)
	if err != nil {
		return nil, nil, err
	}
	if !p.User.Active {
		return nil, nil, &FormatError{"InvalidUser : the job's user is inactive"}
	}
	if p.User.Frozen {
		return nil, nil, &FormatError{"InvalidUser : the job's user is frozen"}
	}
	cat, err := e.cfg.Catalogs.Catalog(ctx, j.OrgID)
	if err != nil {
		return nil, nil, err
	}
	acc := access.New(p)
	env := &dml.Env{OrgID: j.OrgID, UserID: p.User.ID, Cat: cat, Acc: acc, Now: e.orgNow(j.OrgID)}
	obj, ok := cat.Object(j.Object)
	if !ok || obj.Setup || !acc.Object(obj, access.Read) {
		return nil, nil, &FormatError{fmt.Sprintf("InvalidBatch : Unable to find object: %s", j.Object)}
	}
	return env, obj, nil
}

// CheckColumns refuses a CSV header naming a column that is neither a field of obj
// the user can read nor a relationship column (salesforce-bulk.md §2.5: an unknown column
// fails the whole job).
func CheckColumns(env *dml.Env, obj *schema.Object, op string, cols []string) error {
	for _, c := range cols {
		if rel, ext, ok := strings.Cut(c, "."); ok {
			if _, _, _, ok := ParentField(env, obj, rel, ext); ok {
				continue
			}
		} else if f, ok := obj.Field(c); ok && env.Acc.FieldReadable(obj, f) {
			continue
		}
		return &FormatError{"InvalidBatch : Field name not found : " + c}
	}
	if op == OpDelete || op == OpHardDelete {
		if len(cols) != 1 || !strings.EqualFold(cols[0], "Id") {
			return &FormatError{"InvalidBatch : The '" + op + "' batch must contain only 'Id'"}
		}
	}
	return nil
}

// ingest processes a batch's records from src, skipping the b.RowsDone already
// committed, in chunks each committed with its outcomes and progress. It stops early,
// without error, when the job is aborted. A *FormatError ends it after committing the
// records read before the bad one.
//
// Reading and preparing a chunk (readChunks) runs one chunk ahead of writing the
// previous one, so the CSV parsing and validation that need no database overlap with
// the write transaction on a second core.
func (e *Engine) ingest(ctx context.Context, j *Job, b *Batch, src Source) error {
	for skip := b.RowsDone; skip > 0; skip-- {
		if _, _, err := src.Next(); err != nil {
			return fmt.Errorf("bulk: skipping committed records of %s: %w", b.ID, err)
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chunks := make(chan preparedChunk) // unbuffered: at most one chunk waits, one is written
	go e.readChunks(ctx, j, src, chunks)
	defer func() {
		cancel()
		for range chunks { // let readChunks see the cancel and end
		}
	}()
	for c := range chunks {
		if c.err != nil {
			return c.err
		}
		if len(c.recs) > 0 {
			start := time.Now()
			err := e.cfg.Store.Apply(ctx, j.OrgID, b.ID, func(tx records.Tx) (Progress, error) {
				out := newOutcomeWriter()
				var failed int64
				outs, err := e.write(ctx, tx, c.env, j, c.obj, c.recs)
				if err != nil {
					return Progress{}, err
				}
				for i := range outs {
					if !outs[i].Success {
						failed++
					}
					out.add(outs[i])
				}
				return Progress{Rows: int64(len(c.recs)), Processed: int64(len(c.recs)), Failed: failed,
					Millis: c.millis + time.Since(start).Milliseconds(), Outcome: out.part()}, nil
			})
			if err != nil {
				return err
			}
			cur, err := e.cfg.Store.Job(ctx, j.OrgID, j.ID)
			if err != nil || cur.State == StateAborted || cur.State == StateFailed {
				return err
			}
		}
		if errors.Is(c.readErr, io.EOF) {
			return nil
		}
		if c.readErr != nil {
			return c.readErr
		}
	}
	return ctx.Err()
}

// preparedChunk is a chunk read from the source and prepared for writing, with the
// environment it was prepared in; readErr is what ended the reading after it (io.EOF at
// the end), err a failure to prepare it at all.
type preparedChunk struct {
	recs    []chunkRec
	env     *dml.Env
	obj     *schema.Object
	millis  int64
	readErr error
	err     error
}

// readChunks reads src in chunks of ChunkRows, prepares each (prepareOutside for
// inserts) and sends it, until the source ends or fails or ctx is cancelled; it closes
// out when done. Each chunk has its own dml.Env, used by one goroutine at a time.
func (e *Engine) readChunks(ctx context.Context, j *Job, src Source, out chan<- preparedChunk) {
	defer close(out)
	for {
		c := preparedChunk{recs: make([]chunkRec, 0, e.cfg.ChunkRows)}
		start := time.Now()
		for len(c.recs) < e.cfg.ChunkRows {
			cells, values, err := src.Next()
			if err != nil {
				c.readErr = err
				break
			}
			c.recs = append(c.recs, chunkRec{cells: cells, values: values})
		}
		if len(c.recs) > 0 {
			c.env, c.obj, c.err = e.runAs(ctx, j)
			if c.err == nil && j.Operation == OpInsert {
				prepareOutside(ctx, c.env, c.obj, c.recs)
			}
		}
		c.millis = time.Since(start).Milliseconds()
		select {
		case out <- c:
		case <-ctx.Done():
			return
		}
		if c.readErr != nil || c.err != nil {
			return
		}
	}
}

// chunkRec is one record of a chunk. prep is its dml.Prepare result when it could be
// computed before the write transaction (prepareOutside); nil otherwise.
type chunkRec struct {
	cells  []Cell
	values []string
	prep   records.Record
}

// prepareOutside prepares the records of an insert chunk (input and dml.Prepare) before
// the write transaction, so that the single writer's lock — which token issuance and
// every REST write wait for — is held only for the writes. It does so with a records.Tx
// that refuses every call: a record whose preparation did not touch the store (no
// relationship column, no reference to check, no unique value) gets exactly what it would
// get inside the transaction — the same env, the same input, nothing read — and keeps it
// in prep. Any other record, and any whose preparation failed, is prepared again inside
// the transaction as before, so errors are found and reported as before.
func prepareOutside(ctx context.Context, env *dml.Env, obj *schema.Object, chunk []chunkRec) {
	for i := range chunk {
		r := &chunk[i]
		var tx noTx
		in, err := input(ctx, &tx, env, obj, r.cells)
		if err != nil || tx.used {
			continue
		}
		if rec, err := dml.Prepare(ctx, &tx, env, obj, in); err == nil && !tx.used {
			r.prep = rec
		}
	}
}

// noTx is a records.Tx outside any transaction: every call fails and marks it used.
type noTx struct{ used bool }

var errNoTx = errors.New("bulk: no transaction")

func (t *noTx) Insert(context.Context, *schema.Object, []records.Record) ([]sfid.ID, error) {
	t.used = true
	return nil, errNoTx
}

func (t *noTx) Update(context.Context, *schema.Object, sfid.ID, records.Record) error {
	t.used = true
	return errNoTx
}

func (t *noTx) Delete(context.Context, *schema.Object, []sfid.ID, time.Time) error {
	t.used = true
	return errNoTx
}

func (t *noTx) Purge(context.Context, *schema.Object, []sfid.ID, time.Time) error {
	t.used = true
	return errNoTx
}

func (t *noTx) Get(context.Context, *schema.Object, []sfid.ID, []string) ([]records.Record, error) {
	t.used = true
	return nil, errNoTx
}

func (t *noTx) Find(context.Context, *schema.Object, string, any) ([]sfid.ID, error) {
	t.used = true
	return nil, errNoTx
}

// write applies the job's operation to each record, in order, inside tx. Record-level
// refusals become failed outcomes; anything else aborts the chunk.
func (e *Engine) write(ctx context.Context, tx records.Tx, env *dml.Env, j *Job, obj *schema.Object, recs []chunkRec) ([]Outcome, error) {
	outs := make([]Outcome, len(recs))
	if j.Operation == OpInsert {
		if ok, err := e.insertAll(ctx, tx, env, obj, recs, outs); ok || err != nil {
			return outs, err
		}
	}
	for i := range recs {
		o, err := e.writeOne(ctx, tx, env, j, obj, recs[i].cells)
		if err != nil {
			return nil, err
		}
		outs[i] = o
	}
	return outs, nil
}

// insertAll inserts a chunk of valid records with multi-row INSERTs, filling outs, and
// reports whether it did: a record that fails validation, or a unique value repeated
// inside the chunk, sends the caller to the one-at-a-time path, which attributes each
// error to its record (the failed INSERT left no row behind).
func (e *Engine) insertAll(ctx context.Context, tx records.Tx, env *dml.Env, obj *schema.Object, recs []chunkRec, outs []Outcome) (bool, error) {
	prepared := make([]records.Record, 0, len(recs))
	for i := range recs {
		if recs[i].prep != nil {
			prepared = append(prepared, recs[i].prep)
			continue
		}
		in, err := input(ctx, tx, env, obj, recs[i].cells)
		if err == nil {
			var rec records.Record
			if rec, err = dml.Prepare(ctx, tx, env, obj, in); err == nil {
				prepared = append(prepared, rec)
				continue
			}
		}
		if _, ok := recordError(err); ok {
			return false, nil
		}
		return false, err
	}
	ids, err := dml.Insert(ctx, tx, obj, prepared)
	if err != nil {
		if _, ok := recordError(err); ok {
			return false, nil
		}
		return false, err
	}
	for i, id := range ids {
		outs[i] = Outcome{Success: true, ID: string(id), Created: true}
	}
	return true, nil
}

func recordError(err error) (*apierror.Error, bool) {
	var e *apierror.Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// writeOne applies the operation to one record.
func (e *Engine) writeOne(ctx context.Context, tx records.Tx, env *dml.Env, j *Job, obj *schema.Object, cells []Cell) (Outcome, error) {
	o, err := e.writeRecord(ctx, tx, env, j, obj, cells)
	if err != nil {
		if re, ok := recordError(err); ok {
			return failure(re, nil), nil
		}
		return Outcome{}, err
	}
	return o, nil
}

func (e *Engine) writeRecord(ctx context.Context, tx records.Tx, env *dml.Env, j *Job, obj *schema.Object, cells []Cell) (Outcome, error) {
	in, err := input(ctx, tx, env, obj, cells)
	if err != nil {
		return Outcome{}, err
	}
	switch j.Operation {
	case OpInsert:
		id, err := dml.Create(ctx, tx, env, obj, in)
		return Outcome{Success: err == nil, ID: string(id), Created: true}, err
	case OpUpdate, OpDelete, OpHardDelete:
		id, err := recordID(obj, in)
		if err != nil {
			return Outcome{}, err
		}
		switch j.Operation {
		case OpUpdate:
			err = dml.Update(ctx, tx, env, obj, id, in.Without("Id"))
		default:
			if err = dml.Delete(ctx, tx, env, obj, id); err == nil && j.Operation == OpHardDelete {
				err = tx.Purge(ctx, obj, []sfid.ID{id}, env.Now)
			}
		}
		return Outcome{Success: err == nil, ID: string(id)}, err
	case OpUpsert:
		raw, ok := in.Get(j.ExternalIDField)
		value := ""
		if ok {
			var v any
			if json.Unmarshal(raw, &v) == nil && v != nil {
				value = fmt.Sprint(v)
			}
		}
		if !ok && !strings.EqualFold(j.ExternalIDField, "Id") {
			return Outcome{}, &apierror.Error{Status: http.StatusBadRequest, Code: "MISSING_ARGUMENT",
				Message: j.ExternalIDField + " not specified", Fields: []string{}}
		}
		res, err := dml.Upsert(ctx, tx, env, obj, j.ExternalIDField, value, in, false)
		if err == nil && len(res.Matches) > 1 {
			return Outcome{}, &apierror.Error{Status: http.StatusBadRequest, Code: "DUPLICATE_EXTERNAL_ID",
				Message: "Duplicate external id specified: " + value, Fields: []string{j.ExternalIDField}}
		}
		return Outcome{Success: err == nil, ID: string(res.ID), Created: res.Created}, err
	}
	return Outcome{}, fmt.Errorf("bulk: operation %q cannot write records", j.Operation)
}

// recordID is the Id an update or delete addresses.
func recordID(obj *schema.Object, in dml.Input) (sfid.ID, error) {
	raw, ok := in.Get("Id")
	var s string
	if ok {
		_ = json.Unmarshal(raw, &s)
	}
	if s == "" {
		return "", &apierror.Error{Status: http.StatusBadRequest, Code: "MISSING_ARGUMENT",
			Message: "Id not specified in an update call", Fields: []string{}}
	}
	id, err := sfid.Parse(s)
	if err != nil || id.Prefix() != obj.KeyPrefix {
		return "", dml.ErrMalformedID(obj.Label+" ID", "Id", s)
	}
	return id, nil
}
