package sqlite

// Bulk API jobs, batches and their parts (bulk.Store). Jobs and batches are stored as
// JSON beside the columns that lists select on; every change is a read-modify-write
// inside one write transaction, so concurrent updaters (a handler aborting a job while
// a worker finishes it) see each other's result, never a lost update.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/bulk"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

var _ bulk.Store = (*DB)(nil)

// CreateJob stores a new job, allocating its ID.
func (db *DB) CreateJob(ctx context.Context, j *bulk.Job) error {
	return db.write(ctx, func(w *wtx) error {
		id, err := w.ids.next(ctx, bulk.JobPrefix)
		if err != nil {
			return err
		}
		j.ID = id
		info, err := json.Marshal(j)
		if err != nil {
			return fmt.Errorf("sqlite: create bulk job: %w", err)
		}
		_, err = w.tx.ExecContext(ctx,
			"INSERT INTO bulk_jobs (id, org_id, type, state, created_at, info) VALUES (?, ?, ?, ?, ?, ?)",
			j.ID, j.OrgID, j.Type, j.State, millis(j.CreatedDate), info)
		if err != nil {
			j.ID = ""
			return fmt.Errorf("sqlite: create bulk job: %w", err)
		}
		return nil
	})
}

// canonicalJobID accepts a job id of 15 or 18 characters (clients use both).
func canonicalJobID(id sfid.ID) (sfid.ID, bool) {
	p, err := sfid.Parse(string(id))
	if err != nil {
		return "", false
	}
	return p, true
}

// Job returns one job of org.
func (db *DB) Job(ctx context.Context, orgID, id sfid.ID) (*bulk.Job, error) {
	return getJob(ctx, db.r, orgID, id)
}

func getJob(ctx context.Context, q querier, orgID, id sfid.ID) (*bulk.Job, error) {
	cid, ok := canonicalJobID(id)
	if !ok {
		return nil, fmt.Errorf("sqlite: bulk job %q: %w", id, store.ErrNotFound)
	}
	var info []byte
	err := q.QueryRowContext(ctx, "SELECT info FROM bulk_jobs WHERE id = ? AND org_id = ?", cid, orgID).Scan(&info)
	if err != nil {
		return nil, fmt.Errorf("sqlite: bulk job %s: %w", id, mapErr(err))
	}
	var j bulk.Job
	if err := json.Unmarshal(info, &j); err != nil {
		return nil, fmt.Errorf("sqlite: bulk job %s: %w", id, err)
	}
	return &j, nil
}

// UpdateJob changes a job through fn in one write transaction.
func (db *DB) UpdateJob(ctx context.Context, orgID, id sfid.ID, fn func(*bulk.Job) error) (*bulk.Job, error) {
	var out *bulk.Job
	err := db.write(ctx, func(w *wtx) error {
		j, err := getJob(ctx, w.tx, orgID, id)
		if err != nil {
			return err
		}
		if err := fn(j); err != nil {
			return err
		}
		info, err := json.Marshal(j)
		if err != nil {
			return fmt.Errorf("sqlite: update bulk job: %w", err)
		}
		if _, err := w.tx.ExecContext(ctx, "UPDATE bulk_jobs SET state = ?, info = ? WHERE id = ?", j.State, info, j.ID); err != nil {
			return fmt.Errorf("sqlite: update bulk job %s: %w", j.ID, err)
		}
		out = j
		return nil
	})
	return out, err
}

// Jobs lists jobs of org, oldest first.
func (db *DB) Jobs(ctx context.Context, orgID sfid.ID, f bulk.JobFilter) ([]*bulk.Job, error) {
	q := "SELECT info FROM bulk_jobs WHERE org_id = ?"
	args := []any{orgID}
	if len(f.Types) > 0 {
		q += " AND type IN (" + placeholders(len(f.Types)) + ")"
		for _, t := range f.Types {
			args = append(args, t)
		}
	}
	if f.After != "" {
		q += " AND id > ?"
		args = append(args, f.After)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	q += " ORDER BY id LIMIT ?"
	args = append(args, limit)
	return queryJobs(ctx, db.r, q, args...)
}

func queryJobs(ctx context.Context, q querier, query string, args ...any) ([]*bulk.Job, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: bulk jobs: %w", err)
	}
	defer rows.Close()
	var out []*bulk.Job
	for rows.Next() {
		var info []byte
		if err := rows.Scan(&info); err != nil {
			return nil, fmt.Errorf("sqlite: bulk jobs: %w", err)
		}
		var j bulk.Job
		if err := json.Unmarshal(info, &j); err != nil {
			return nil, fmt.Errorf("sqlite: bulk jobs: %w", err)
		}
		out = append(out, &j)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: bulk jobs: %w", err)
	}
	return out, nil
}

// DeleteJob removes a job, its batches and their parts.
func (db *DB) DeleteJob(ctx context.Context, orgID, id sfid.ID) error {
	cid, ok := canonicalJobID(id)
	if !ok {
		return fmt.Errorf("sqlite: delete bulk job %q: %w", id, store.ErrNotFound)
	}
	return db.write(ctx, func(w *wtx) error {
		if _, err := w.tx.ExecContext(ctx,
			"DELETE FROM bulk_parts WHERE batch_id IN (SELECT b.id FROM bulk_batches b JOIN bulk_jobs j ON j.id = b.job_id WHERE j.id = ? AND j.org_id = ?)",
			cid, orgID); err != nil {
			return fmt.Errorf("sqlite: delete bulk job %s: %w", id, err)
		}
		res, err := w.tx.ExecContext(ctx, "DELETE FROM bulk_jobs WHERE id = ? AND org_id = ?", cid, orgID)
		if err != nil {
			return fmt.Errorf("sqlite: delete bulk job %s: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("sqlite: delete bulk job %s: %w", id, store.ErrNotFound)
		}
		return nil
	})
}

// Pending lists the jobs of every org with work left.
func (db *DB) Pending(ctx context.Context) ([]*bulk.Job, error) {
	return queryJobs(ctx, db.r, `SELECT info FROM bulk_jobs WHERE state IN (?, ?)
		OR id IN (SELECT job_id FROM bulk_batches WHERE state IN (?, ?)) ORDER BY id`,
		bulk.StateUploadComplete, bulk.StateInProgress, bulk.BatchQueued, bulk.BatchInProgress)
}

// removeOrphanParts deletes request parts of uploads that never completed (the process
// died during one). Called at Open, before any upload can be in flight.
func removeOrphanParts(ctx context.Context, w *sql.DB) error {
	_, err := w.ExecContext(ctx, "DELETE FROM bulk_parts WHERE batch_id NOT IN (SELECT id FROM bulk_batches)")
	if err != nil && !strings.Contains(err.Error(), "no such table") {
		return fmt.Errorf("sqlite: removing unfinished uploads: %w", err)
	}
	return nil
}

var errJobGone = errors.New("sqlite: bulk job is gone")

// DeleteJobsBefore removes every org's jobs created before t, with their batches and
// parts.
func (db *DB) DeleteJobsBefore(ctx context.Context, t time.Time) (int, error) {
	var n int64
	err := db.write(ctx, func(w *wtx) error {
		cut := millis(t)
		if _, err := w.tx.ExecContext(ctx, `DELETE FROM bulk_parts WHERE batch_id IN
			(SELECT b.id FROM bulk_batches b JOIN bulk_jobs j ON j.id = b.job_id WHERE j.created_at < ?)`, cut); err != nil {
			return err
		}
		res, err := w.tx.ExecContext(ctx, "DELETE FROM bulk_jobs WHERE created_at < ?", cut)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("sqlite: deleting old bulk jobs: %w", err)
	}
	return int(n), nil
}
