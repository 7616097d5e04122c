package postgres

// Bulk API jobs, batches and their parts (bulk.Store), as in the SQLite backend: jobs and
// batches are stored as JSON beside the columns that lists select on, and every change is
// a read-modify-write inside one write transaction. PostgreSQL runs transactions of many
// nodes at once (READ COMMITTED), so the read of such a change locks its row (SELECT …
// FOR UPDATE): a handler aborting a job on one node and a worker finishing it on another
// take turns and see each other's result, never a lost update.
// https://www.postgresql.org/docs/15/explicit-locking.html#LOCKING-ROWS

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/forcefield/forcefield/internal/bulk"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

var _ bulk.Store = (*DB)(nil)

// bulkQuerier is what bulk reads run on: the pool or a write transaction.
type bulkQuerier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// CreateJob stores a new job, allocating its ID (750…).
func (db *DB) CreateJob(ctx context.Context, j *bulk.Job) error {
	err := db.write(ctx, func(w *wtx) error {
		id, err := w.ids.next(ctx, bulk.JobPrefix)
		if err != nil {
			return err
		}
		j.ID = id
		info, err := json.Marshal(j)
		if err != nil {
			return err
		}
		_, err = w.tx.ExecContext(ctx,
			"INSERT INTO bulk_jobs (id, org_id, type, state, created_at, info) VALUES ($1, $2, $3, $4, $5, $6)",
			string(j.ID), string(j.OrgID), j.Type, j.State, ms(j.CreatedDate), string(info))
		return err
	})
	if err != nil {
		j.ID = ""
		return fmt.Errorf("postgres: create bulk job: %w", mapErr(err))
	}
	return nil
}

// bulkCanonicalID accepts a job or batch ID of 15 or 18 characters (clients use both).
func bulkCanonicalID(id sfid.ID) (sfid.ID, bool) {
	p, err := sfid.Parse(string(id))
	if err != nil {
		return "", false
	}
	return p, true
}

// Job returns one job of org.
func (db *DB) Job(ctx context.Context, orgID, id sfid.ID) (*bulk.Job, error) {
	return getBulkJob(ctx, db.sql, orgID, id, "")
}

// getBulkJob reads a job of org; lock is "" or " FOR UPDATE" (inside a write transaction).
func getBulkJob(ctx context.Context, q bulkQuerier, orgID, id sfid.ID, lock string) (*bulk.Job, error) {
	cid, ok := bulkCanonicalID(id)
	if !ok {
		return nil, fmt.Errorf("postgres: bulk job %q: %w", id, store.ErrNotFound)
	}
	var info string
	err := q.QueryRowContext(ctx, "SELECT info FROM bulk_jobs WHERE id = $1 AND org_id = $2"+lock, string(cid), string(orgID)).Scan(&info)
	if err != nil {
		return nil, fmt.Errorf("postgres: bulk job %s: %w", id, mapErr(err))
	}
	var j bulk.Job
	if err := json.Unmarshal([]byte(info), &j); err != nil {
		return nil, fmt.Errorf("postgres: bulk job %s: %w", id, err)
	}
	return &j, nil
}

// UpdateJob changes a job through fn in one write transaction, holding the job's row.
func (db *DB) UpdateJob(ctx context.Context, orgID, id sfid.ID, fn func(*bulk.Job) error) (*bulk.Job, error) {
	var out *bulk.Job
	err := db.write(ctx, func(w *wtx) error {
		out = nil
		j, err := getBulkJob(ctx, w.tx, orgID, id, " FOR UPDATE")
		if err != nil {
			return err
		}
		if err := fn(j); err != nil {
			return err
		}
		info, err := json.Marshal(j)
		if err != nil {
			return fmt.Errorf("postgres: update bulk job: %w", err)
		}
		if _, err := w.tx.ExecContext(ctx, "UPDATE bulk_jobs SET state = $1, info = $2 WHERE id = $3",
			j.State, string(info), string(j.ID)); err != nil {
			return fmt.Errorf("postgres: update bulk job %s: %w", j.ID, err)
		}
		out = j
		return nil
	})
	return out, err
}

// Jobs lists jobs of org, oldest first.
func (db *DB) Jobs(ctx context.Context, orgID sfid.ID, f bulk.JobFilter) ([]*bulk.Job, error) {
	q := "SELECT info FROM bulk_jobs WHERE org_id = $1"
	args := []any{string(orgID)}
	if len(f.Types) > 0 {
		args = append(args, f.Types)
		q += fmt.Sprintf(" AND type = ANY($%d)", len(args))
	}
	if f.After != "" {
		args = append(args, string(f.After))
		q += fmt.Sprintf(" AND id > $%d", len(args))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	args = append(args, limit)
	q += fmt.Sprintf(" ORDER BY id LIMIT $%d", len(args))
	return queryBulkJobs(ctx, db.sql, q, args...)
}

func queryBulkJobs(ctx context.Context, q bulkQuerier, query string, args ...any) ([]*bulk.Job, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: bulk jobs: %w", err)
	}
	defer rows.Close()
	var out []*bulk.Job
	for rows.Next() {
		var info string
		if err := rows.Scan(&info); err != nil {
			return nil, fmt.Errorf("postgres: bulk jobs: %w", err)
		}
		var j bulk.Job
		if err := json.Unmarshal([]byte(info), &j); err != nil {
			return nil, fmt.Errorf("postgres: bulk jobs: %w", err)
		}
		out = append(out, &j)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: bulk jobs: %w", err)
	}
	return out, nil
}

// DeleteJob removes a job, its batches (ON DELETE CASCADE) and their parts.
func (db *DB) DeleteJob(ctx context.Context, orgID, id sfid.ID) error {
	cid, ok := bulkCanonicalID(id)
	if !ok {
		return fmt.Errorf("postgres: delete bulk job %q: %w", id, store.ErrNotFound)
	}
	return db.write(ctx, func(w *wtx) error {
		if _, err := w.tx.ExecContext(ctx,
			`DELETE FROM bulk_parts WHERE batch_id IN (SELECT b.id FROM bulk_batches b JOIN bulk_jobs j ON j.id = b.job_id
			WHERE j.id = $1 AND j.org_id = $2)`, string(cid), string(orgID)); err != nil {
			return fmt.Errorf("postgres: delete bulk job %s: %w", id, err)
		}
		res, err := w.tx.ExecContext(ctx, "DELETE FROM bulk_jobs WHERE id = $1 AND org_id = $2", string(cid), string(orgID))
		if err != nil {
			return fmt.Errorf("postgres: delete bulk job %s: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("postgres: delete bulk job %s: %w", id, store.ErrNotFound)
		}
		return nil
	})
}

// Pending lists the jobs of every org with work left.
func (db *DB) Pending(ctx context.Context) ([]*bulk.Job, error) {
	return queryBulkJobs(ctx, db.sql, `SELECT info FROM bulk_jobs WHERE state IN ($1, $2)
		OR id IN (SELECT job_id FROM bulk_batches WHERE state IN ($3, $4)) ORDER BY id`,
		bulk.StateUploadComplete, bulk.StateInProgress, bulk.BatchQueued, bulk.BatchInProgress)
}

// DeleteJobsBefore removes every org's jobs created before t, with their batches and
// parts.
func (db *DB) DeleteJobsBefore(ctx context.Context, t time.Time) (int, error) {
	var n int64
	err := db.write(ctx, func(w *wtx) error {
		cut := ms(t)
		if _, err := w.tx.ExecContext(ctx, `DELETE FROM bulk_parts WHERE batch_id IN
			(SELECT b.id FROM bulk_batches b JOIN bulk_jobs j ON j.id = b.job_id WHERE j.created_at < $1)`, cut); err != nil {
			return err
		}
		res, err := w.tx.ExecContext(ctx, "DELETE FROM bulk_jobs WHERE created_at < $1", cut)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: deleting old bulk jobs: %w", err)
	}
	return int(n), nil
}
