package sqlite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/forcefield/forcefield/internal/bulk"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// AddBatch stores an upload part by part — each part its own short write transaction, so
// a 100 MB upload neither sits in memory nor holds the writer — and then the batch row,
// which is what makes the upload exist. A failed upload removes its parts again.
func (db *DB) AddBatch(ctx context.Context, orgID sfid.ID, b *bulk.Batch, data io.Reader, partSize int, limit int64) error {
	if _, err := db.Job(ctx, orgID, b.JobID); err != nil {
		return err
	}
	var id sfid.ID
	if err := db.write(ctx, func(w *wtx) (err error) {
		id, err = w.ids.next(ctx, bulk.BatchPrefix)
		return err
	}); err != nil {
		return err
	}
	cleanup := func() {
		_ = db.write(context.WithoutCancel(ctx), func(w *wtx) error {
			_, err := w.tx.ExecContext(context.WithoutCancel(ctx), "DELETE FROM bulk_parts WHERE batch_id = ?", id)
			return err
		})
	}
	buf := make([]byte, partSize)
	var total int64
	for seq := 0; ; seq++ {
		n, rerr := fill(data, buf)
		if n > 0 {
			total += int64(n)
			if total > limit {
				cleanup()
				return bulk.ErrTooLarge
			}
			part := buf[:n]
			if err := db.write(ctx, func(w *wtx) error {
				_, err := w.tx.ExecContext(ctx,
					"INSERT INTO bulk_parts (batch_id, kind, seq, first_row, rows, data) VALUES (?, ?, ?, 0, 0, ?)",
					id, bulk.PartRequest, seq, part)
				return err
			}); err != nil {
				cleanup()
				return fmt.Errorf("sqlite: storing upload: %w", err)
			}
		}
		if errors.Is(rerr, io.EOF) {
			break
		}
		if rerr != nil {
			cleanup()
			return fmt.Errorf("%w: %w", bulk.ErrUpload, rerr)
		}
	}
	b.ID, b.RequestBytes = id, total
	want := b.Seq
	err := db.write(ctx, func(w *wtx) error {
		j, err := getJob(ctx, w.tx, orgID, b.JobID)
		if err != nil {
			return err // deleted meanwhile
		}
		if j.State != bulk.StateOpen && j.Type != bulk.TypeV2Query {
			return bulk.ErrNotOpen // closed or aborted while the data came in
		}
		if err := w.tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) + 1 FROM bulk_batches WHERE job_id = ?", b.JobID).Scan(&b.Seq); err != nil {
			return err
		}
		if want > 0 && b.Seq != want {
			return bulk.ErrBatchExists
		}
		info, err := json.Marshal(b)
		if err != nil {
			return err
		}
		_, err = w.tx.ExecContext(ctx, "INSERT INTO bulk_batches (id, job_id, seq, state, info) VALUES (?, ?, ?, ?, ?)",
			b.ID, b.JobID, b.Seq, b.State, info)
		return err
	})
	if err != nil {
		cleanup()
		b.ID, b.Seq = "", want
		return fmt.Errorf("sqlite: add batch: %w", mapErr(err))
	}
	return nil
}

// Batches lists a job's batches in order.
func (db *DB) Batches(ctx context.Context, orgID, jobID sfid.ID) ([]*bulk.Batch, error) {
	cid, ok := canonicalJobID(jobID)
	if !ok {
		return nil, fmt.Errorf("sqlite: bulk job %q: %w", jobID, store.ErrNotFound)
	}
	rows, err := db.r.QueryContext(ctx, `SELECT b.info FROM bulk_batches b JOIN bulk_jobs j ON j.id = b.job_id
		WHERE j.id = ? AND j.org_id = ? ORDER BY b.seq`, cid, orgID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: bulk batches: %w", err)
	}
	defer rows.Close()
	out := []*bulk.Batch{}
	for rows.Next() {
		var info []byte
		if err := rows.Scan(&info); err != nil {
			return nil, fmt.Errorf("sqlite: bulk batches: %w", err)
		}
		var b bulk.Batch
		if err := json.Unmarshal(info, &b); err != nil {
			return nil, fmt.Errorf("sqlite: bulk batches: %w", err)
		}
		out = append(out, &b)
	}
	return out, rows.Err()
}

func getBatch(ctx context.Context, q querier, orgID, id sfid.ID) (*bulk.Batch, error) {
	cid, ok := canonicalJobID(id)
	if !ok {
		return nil, fmt.Errorf("sqlite: bulk batch %q: %w", id, store.ErrNotFound)
	}
	var info []byte
	err := q.QueryRowContext(ctx, `SELECT b.info FROM bulk_batches b JOIN bulk_jobs j ON j.id = b.job_id
		WHERE b.id = ? AND j.org_id = ?`, cid, orgID).Scan(&info)
	if err != nil {
		return nil, fmt.Errorf("sqlite: bulk batch %s: %w", id, mapErr(err))
	}
	var b bulk.Batch
	if err := json.Unmarshal(info, &b); err != nil {
		return nil, fmt.Errorf("sqlite: bulk batch %s: %w", id, err)
	}
	return &b, nil
}

func putBatch(ctx context.Context, w *wtx, b *bulk.Batch) error {
	info, err := json.Marshal(b)
	if err != nil {
		return err
	}
	_, err = w.tx.ExecContext(ctx, "UPDATE bulk_batches SET state = ?, info = ? WHERE id = ?", b.State, info, b.ID)
	return err
}

// UpdateBatch changes a batch through fn in one write transaction.
func (db *DB) UpdateBatch(ctx context.Context, orgID, batchID sfid.ID, fn func(*bulk.Batch) error) (*bulk.Batch, error) {
	var out *bulk.Batch
	err := db.write(ctx, func(w *wtx) error {
		b, err := getBatch(ctx, w.tx, orgID, batchID)
		if err != nil {
			return err
		}
		if err := fn(b); err != nil {
			return err
		}
		if err := putBatch(ctx, w, b); err != nil {
			return fmt.Errorf("sqlite: update bulk batch %s: %w", b.ID, err)
		}
		out = b
		return nil
	})
	return out, err
}

// Apply commits one chunk of an ingest batch: fn's record writes, its outcome part and
// the batch's progress, in one transaction.
func (db *DB) Apply(ctx context.Context, orgID, batchID sfid.ID, fn func(records.Tx) (bulk.Progress, error)) error {
	return db.write(ctx, func(w *wtx) error {
		b, err := getBatch(ctx, w.tx, orgID, batchID)
		if err != nil {
			return err
		}
		p, err := fn(&recordsTx{w: w, org: orgID})
		if err != nil {
			return err
		}
		if p.Outcome.Rows > 0 {
			p.Outcome.FirstRow = b.RecordsProcessed
			if err := insertPart(ctx, w, batchID, bulk.PartOutcome, p.Outcome); err != nil {
				return err
			}
		}
		b.RowsDone += p.Rows
		b.RecordsProcessed += p.Processed
		b.RecordsFailed += p.Failed
		b.ProcessingMillis += p.Millis
		return putBatch(ctx, w, b)
	})
}

func insertPart(ctx context.Context, w *wtx, batchID sfid.ID, kind string, p bulk.Part) error {
	_, err := w.tx.ExecContext(ctx, `INSERT INTO bulk_parts (batch_id, kind, seq, first_row, rows, data)
		VALUES (?, ?, (SELECT COALESCE(MAX(seq), -1) + 1 FROM bulk_parts WHERE batch_id = ? AND kind = ?), ?, ?, ?)`,
		batchID, kind, batchID, kind, p.FirstRow, p.Rows, p.Data)
	if err != nil {
		return fmt.Errorf("sqlite: storing %s part of %s: %w", kind, batchID, err)
	}
	return nil
}

// AppendPart adds a part of kind after the batch's last one.
func (db *DB) AppendPart(ctx context.Context, orgID, batchID sfid.ID, kind string, p bulk.Part) error {
	return db.write(ctx, func(w *wtx) error {
		if _, err := getBatch(ctx, w.tx, orgID, batchID); err != nil {
			return err
		}
		return insertPart(ctx, w, batchID, kind, p)
	})
}

// ClearParts removes a batch's parts of kind.
func (db *DB) ClearParts(ctx context.Context, orgID, batchID sfid.ID, kind string) error {
	return db.write(ctx, func(w *wtx) error {
		if _, err := getBatch(ctx, w.tx, orgID, batchID); err != nil {
			return err
		}
		_, err := w.tx.ExecContext(ctx, "DELETE FROM bulk_parts WHERE batch_id = ? AND kind = ?", batchID, kind)
		return err
	})
}

// Parts calls fn with the parts of kind from the one holding record fromRow on, one
// part read at a time.
func (db *DB) Parts(ctx context.Context, orgID, batchID sfid.ID, kind string, fromRow int64, fn func(bulk.Part) error) error {
	if _, err := getBatch(ctx, db.r, orgID, batchID); err != nil {
		return err
	}
	seq := -1
	if kind != bulk.PartRequest && fromRow > 0 {
		err := db.r.QueryRowContext(ctx, `SELECT seq FROM bulk_parts WHERE batch_id = ? AND kind = ? AND first_row <= ?
			ORDER BY seq DESC LIMIT 1`, batchID, kind, fromRow).Scan(&seq)
		if err != nil {
			if errors.Is(mapErr(err), store.ErrNotFound) {
				return nil
			}
			return fmt.Errorf("sqlite: bulk parts: %w", err)
		}
		seq--
	}
	for {
		var p bulk.Part
		err := db.r.QueryRowContext(ctx, `SELECT seq, first_row, rows, data FROM bulk_parts
			WHERE batch_id = ? AND kind = ? AND seq > ? ORDER BY seq LIMIT 1`, batchID, kind, seq).Scan(&seq, &p.FirstRow, &p.Rows, &p.Data)
		if errors.Is(mapErr(err), store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("sqlite: bulk parts: %w", err)
		}
		if err := fn(p); err != nil {
			return err
		}
	}
}

// fill reads into buf until it is full or r ends, returning r's error as it is (io.EOF
// at the end; io.ErrUnexpectedEOF from a truncated gzip stream stays an error).
func fill(r io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
