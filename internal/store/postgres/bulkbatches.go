package postgres

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

// AddBatch stores an upload and its batch row in one transaction: the request parts as
// they are read, then — holding the job's row (FOR UPDATE), so that an upload on another
// node and a close or abort of the job wait their turn — the checks that the job is still
// Open and the batch number free, and the batch row. A failed upload, or a node killed
// during one, leaves nothing behind (SQLite, with one writer for the whole database,
// commits each part on its own and sweeps unfinished uploads at start; here the
// transaction is the sweep).
//
// The cost of this choice: the transaction stays open while the client sends (a pool
// connection per upload in flight, and PostgreSQL's vacuum cannot reclaim rows that die
// meanwhile — acceptable for uploads of at most bulk's limits, 150 MB, which loopback and
// LAN clients send in seconds). The batch ID is allocated before, in a transaction of its
// own, so that concurrent uploads do not queue on id_sequences' row for the 751 prefix.
//
// The transaction is not run again after a deadlock or serialization failure (write's
// retry), because the upload cannot be read twice; none is expected, since the only row
// it locks is the job's.
func (db *DB) AddBatch(ctx context.Context, orgID sfid.ID, b *bulk.Batch, data io.Reader, partSize int, limit int64) error {
	if _, err := db.Job(ctx, orgID, b.JobID); err != nil {
		return err
	}
	jobID, _ := bulkCanonicalID(b.JobID)
	var id sfid.ID
	if err := db.write(ctx, func(w *wtx) (err error) {
		id, err = w.ids.next(ctx, bulk.BatchPrefix)
		return err
	}); err != nil {
		return fmt.Errorf("postgres: add batch: %w", err)
	}
	want := b.Seq
	var seq int
	var total int64
	err := db.writeOnce(ctx, func(w *wtx) error {
		buf := make([]byte, partSize)
		for part := 0; ; part++ {
			n, rerr := bulkFill(data, buf)
			if n > 0 {
				total += int64(n)
				if total > limit {
					return bulk.ErrTooLarge
				}
				if _, err := w.tx.ExecContext(ctx,
					"INSERT INTO bulk_parts (batch_id, kind, seq, first_row, rows, data) VALUES ($1, $2, $3, 0, 0, $4)",
					string(id), bulk.PartRequest, part, buf[:n]); err != nil {
					return fmt.Errorf("postgres: storing upload: %w", err)
				}
			}
			if errors.Is(rerr, io.EOF) {
				break
			}
			if rerr != nil {
				return fmt.Errorf("%w: %w", bulk.ErrUpload, rerr)
			}
		}
		j, err := getBulkJob(ctx, w.tx, orgID, jobID, " FOR UPDATE")
		if err != nil {
			return err // deleted meanwhile
		}
		if j.State != bulk.StateOpen && j.Type != bulk.TypeV2Query {
			return bulk.ErrNotOpen // closed or aborted while the data came in
		}
		if err := w.tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) + 1 FROM bulk_batches WHERE job_id = $1",
			string(jobID)).Scan(&seq); err != nil {
			return err
		}
		if want > 0 && seq != want {
			return bulk.ErrBatchExists
		}
		nb := *b
		nb.ID, nb.JobID, nb.Seq, nb.RequestBytes = id, jobID, seq, total
		info, err := json.Marshal(&nb)
		if err != nil {
			return err
		}
		_, err = w.tx.ExecContext(ctx, "INSERT INTO bulk_batches (id, job_id, seq, state, info) VALUES ($1, $2, $3, $4, $5)",
			string(id), string(jobID), seq, b.State, string(info))
		return err
	})
	if err != nil {
		if errors.Is(err, bulk.ErrTooLarge) || errors.Is(err, bulk.ErrUpload) {
			return err
		}
		return fmt.Errorf("postgres: add batch: %w", mapErr(err))
	}
	b.ID, b.JobID, b.Seq, b.RequestBytes = id, jobID, seq, total
	return nil
}

// Batches lists a job's batches in order.
func (db *DB) Batches(ctx context.Context, orgID, jobID sfid.ID) ([]*bulk.Batch, error) {
	cid, ok := bulkCanonicalID(jobID)
	if !ok {
		return nil, fmt.Errorf("postgres: bulk job %q: %w", jobID, store.ErrNotFound)
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT b.info FROM bulk_batches b JOIN bulk_jobs j ON j.id = b.job_id
		WHERE j.id = $1 AND j.org_id = $2 ORDER BY b.seq`, string(cid), string(orgID))
	if err != nil {
		return nil, fmt.Errorf("postgres: bulk batches: %w", err)
	}
	defer rows.Close()
	out := []*bulk.Batch{}
	for rows.Next() {
		var info string
		if err := rows.Scan(&info); err != nil {
			return nil, fmt.Errorf("postgres: bulk batches: %w", err)
		}
		var b bulk.Batch
		if err := json.Unmarshal([]byte(info), &b); err != nil {
			return nil, fmt.Errorf("postgres: bulk batches: %w", err)
		}
		out = append(out, &b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: bulk batches: %w", err)
	}
	return out, nil
}

// getBulkBatch reads a batch of org; lock is "" or " FOR UPDATE OF b" (inside a write
// transaction: the batch's row, not its job's).
func getBulkBatch(ctx context.Context, q bulkQuerier, orgID, id sfid.ID, lock string) (*bulk.Batch, error) {
	cid, ok := bulkCanonicalID(id)
	if !ok {
		return nil, fmt.Errorf("postgres: bulk batch %q: %w", id, store.ErrNotFound)
	}
	var info string
	err := q.QueryRowContext(ctx, `SELECT b.info FROM bulk_batches b JOIN bulk_jobs j ON j.id = b.job_id
		WHERE b.id = $1 AND j.org_id = $2`+lock, string(cid), string(orgID)).Scan(&info)
	if err != nil {
		return nil, fmt.Errorf("postgres: bulk batch %s: %w", id, mapErr(err))
	}
	var b bulk.Batch
	if err := json.Unmarshal([]byte(info), &b); err != nil {
		return nil, fmt.Errorf("postgres: bulk batch %s: %w", id, err)
	}
	return &b, nil
}

const lockBatch = " FOR UPDATE OF b"

func putBulkBatch(ctx context.Context, w *wtx, b *bulk.Batch) error {
	info, err := json.Marshal(b)
	if err != nil {
		return err
	}
	_, err = w.tx.ExecContext(ctx, "UPDATE bulk_batches SET state = $1, info = $2 WHERE id = $3", b.State, string(info), string(b.ID))
	return err
}

// UpdateBatch changes a batch through fn in one write transaction, holding its row.
func (db *DB) UpdateBatch(ctx context.Context, orgID, batchID sfid.ID, fn func(*bulk.Batch) error) (*bulk.Batch, error) {
	var out *bulk.Batch
	err := db.write(ctx, func(w *wtx) error {
		out = nil
		b, err := getBulkBatch(ctx, w.tx, orgID, batchID, lockBatch)
		if err != nil {
			return err
		}
		if err := fn(b); err != nil {
			return err
		}
		if err := putBulkBatch(ctx, w, b); err != nil {
			return fmt.Errorf("postgres: update bulk batch %s: %w", b.ID, err)
		}
		out = b
		return nil
	})
	return out, err
}

// Apply commits one chunk of an ingest batch: fn's record writes, its outcome part and
// the batch's progress, in one transaction, which holds the batch's row from the start
// (two workers cannot apply chunks of one batch at once). fn writes records through the
// records.Tx of the same transaction (newRecordsTx, records_*.go). A deadlock between
// fn's record writes and another transaction's runs the whole chunk again (write's
// retry); fn is called again then, and must start over.
func (db *DB) Apply(ctx context.Context, orgID, batchID sfid.ID, fn func(records.Tx) (bulk.Progress, error)) error {
	return db.write(ctx, func(w *wtx) error {
		b, err := getBulkBatch(ctx, w.tx, orgID, batchID, lockBatch)
		if err != nil {
			return err
		}
		p, err := fn(newRecordsTx(w, orgID))
		if err != nil {
			return err
		}
		if p.Outcome.Rows > 0 {
			p.Outcome.FirstRow = b.RecordsProcessed
			if err := insertBulkPart(ctx, w, b.ID, bulk.PartOutcome, p.Outcome); err != nil {
				return err
			}
		}
		b.RowsDone += p.Rows
		b.RecordsProcessed += p.Processed
		b.RecordsFailed += p.Failed
		b.ProcessingMillis += p.Millis
		return putBulkBatch(ctx, w, b)
	})
}

// insertBulkPart appends a part; the caller holds the batch's row, so the next seq is
// its own.
func insertBulkPart(ctx context.Context, w *wtx, batchID sfid.ID, kind string, p bulk.Part) error {
	_, err := w.tx.ExecContext(ctx, `INSERT INTO bulk_parts (batch_id, kind, seq, first_row, rows, data)
		VALUES ($1, $2, (SELECT COALESCE(MAX(seq), -1) + 1 FROM bulk_parts WHERE batch_id = $1 AND kind = $2), $3, $4, $5)`,
		string(batchID), kind, p.FirstRow, p.Rows, p.Data)
	if err != nil {
		return fmt.Errorf("postgres: storing %s part of %s: %w", kind, batchID, err)
	}
	return nil
}

// AppendPart adds a part of kind after the batch's last one.
func (db *DB) AppendPart(ctx context.Context, orgID, batchID sfid.ID, kind string, p bulk.Part) error {
	return db.write(ctx, func(w *wtx) error {
		b, err := getBulkBatch(ctx, w.tx, orgID, batchID, lockBatch)
		if err != nil {
			return err
		}
		return insertBulkPart(ctx, w, b.ID, kind, p)
	})
}

// ClearParts removes a batch's parts of kind.
func (db *DB) ClearParts(ctx context.Context, orgID, batchID sfid.ID, kind string) error {
	return db.write(ctx, func(w *wtx) error {
		b, err := getBulkBatch(ctx, w.tx, orgID, batchID, lockBatch)
		if err != nil {
			return err
		}
		_, err = w.tx.ExecContext(ctx, "DELETE FROM bulk_parts WHERE batch_id = $1 AND kind = $2", string(b.ID), kind)
		return err
	})
}

// Parts calls fn with the parts of kind from the one holding record fromRow on, reading
// one part at a time (a 150 MB upload never sits in memory, and no connection is held
// while fn runs).
func (db *DB) Parts(ctx context.Context, orgID, batchID sfid.ID, kind string, fromRow int64, fn func(bulk.Part) error) error {
	b, err := getBulkBatch(ctx, db.sql, orgID, batchID, "")
	if err != nil {
		return err
	}
	id := string(b.ID)
	seq := -1
	if kind != bulk.PartRequest && fromRow > 0 {
		err := db.sql.QueryRowContext(ctx, `SELECT seq FROM bulk_parts WHERE batch_id = $1 AND kind = $2 AND first_row <= $3
			ORDER BY seq DESC LIMIT 1`, id, kind, fromRow).Scan(&seq)
		if err != nil {
			if errors.Is(mapErr(err), store.ErrNotFound) {
				return nil
			}
			return fmt.Errorf("postgres: bulk parts: %w", err)
		}
		seq--
	}
	for {
		var p bulk.Part
		err := db.sql.QueryRowContext(ctx, `SELECT seq, first_row, rows, data FROM bulk_parts
			WHERE batch_id = $1 AND kind = $2 AND seq > $3 ORDER BY seq LIMIT 1`, id, kind, seq).Scan(&seq, &p.FirstRow, &p.Rows, &p.Data)
		if errors.Is(mapErr(err), store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("postgres: bulk parts: %w", err)
		}
		if err := fn(p); err != nil {
			return err
		}
	}
}

// bulkFill reads into buf until it is full or r ends, returning r's error as it is (io.EOF
// at the end; io.ErrUnexpectedEOF from a truncated gzip stream stays an error).
func bulkFill(r io.Reader, buf []byte) (int, error) {
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
