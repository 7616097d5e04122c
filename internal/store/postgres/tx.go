package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// wtx is one write transaction.
type wtx struct {
	tx  *sql.Tx
	ids idAlloc
}

// writeRetries is how often write runs fn again after PostgreSQL aborted its transaction
// for a deadlock or a serialization failure (nodes racing for the same rows).
const writeRetries = 5

// write runs fn in a transaction and commits it, or rolls it back if fn fails or panics.
// A transaction PostgreSQL aborts for a deadlock or serialization failure is run again
// from the start (fn must only write through w and to values it re-sets). It returns
// fn's error unchanged.
func (db *DB) write(ctx context.Context, fn func(w *wtx) error) error {
	for attempt := 0; ; attempt++ {
		err := db.writeOnce(ctx, fn)
		if attempt < writeRetries && retryable(err) {
			continue
		}
		return err
	}
}

func (db *DB) writeOnce(ctx context.Context, fn func(w *wtx) error) (err error) {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			_ = tx.Rollback()
		}
	}()
	w := &wtx{tx: tx, ids: idAlloc{tx: tx}}
	if err := fn(w); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("postgres: commit: %w", mapErr(err))
	}
	committed = true
	return nil
}

// retryable reports a transaction PostgreSQL aborted so that another could proceed.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}

// mapErr wraps PostgreSQL's errors in the store's sentinels: no rows is ErrNotFound, a
// unique violation ErrConflict, a foreign key violation ErrNotFound (a reference to a
// missing row). Others are returned as they are.
func mapErr(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w", store.ErrNotFound)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505": // unique_violation
			return fmt.Errorf("%w: %s", store.ErrConflict, pe.Message)
		case "23503": // foreign_key_violation
			return fmt.Errorf("%w: %s", store.ErrNotFound, pe.Message)
		}
	}
	return err
}

// idAlloc hands out sequence numbers inside one write transaction, from id_sequences. The
// first use of a prefix in a transaction locks its row (INSERT … ON CONFLICT DO UPDATE …
// RETURNING), so transactions of any node allocating one prefix take turns, numbers are
// consecutive, and a rollback gives them back. Prefixes are taken in the order a
// transaction first uses them; two transactions using two prefixes in opposite orders
// may deadlock, which PostgreSQL detects and write retries.
type idAlloc struct {
	tx   *sql.Tx
	last map[string]uint64 // prefix → last number handed out in this transaction
}

// take reserves n consecutive numbers for prefix and returns the first.
func (a *idAlloc) take(ctx context.Context, prefix string, n int) (uint64, error) {
	if a.last == nil {
		a.last = make(map[string]uint64, 2)
	}
	if last, ok := a.last[prefix]; ok {
		if _, err := a.tx.ExecContext(ctx, "UPDATE id_sequences SET last = last + $2 WHERE prefix = $1", prefix, n); err != nil {
			return 0, fmt.Errorf("postgres: allocate %s ids: %w", prefix, err)
		}
		a.last[prefix] = last + uint64(n)
		return last + 1, nil
	}
	var v int64
	err := a.tx.QueryRowContext(ctx, `INSERT INTO id_sequences (prefix, last) VALUES ($1, $2)
		ON CONFLICT (prefix) DO UPDATE SET last = id_sequences.last + $2 RETURNING last`, prefix, n).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("postgres: allocate %s ids: %w", prefix, err)
	}
	a.last[prefix] = uint64(v)
	return uint64(v) - uint64(n) + 1, nil
}

// next allocates one ID with prefix.
func (a *idAlloc) next(ctx context.Context, prefix string) (sfid.ID, error) {
	n, err := a.take(ctx, prefix, 1)
	if err != nil {
		return "", err
	}
	return newID(prefix, n), nil
}

// newID builds the ID with prefix and sequence number n.
func newID(prefix string, n uint64) sfid.ID { return sfid.New(prefix, pod, n) }

// seqOf returns the sequence number of an ID this backend allocated with prefix, or false
// if id cannot be one.
func seqOf(id sfid.ID, prefix string) (int64, bool) {
	n, ok := id.Sequence()
	if !ok || id.Prefix() != prefix || newID(prefix, n) != id || n > 1<<62 {
		return 0, false
	}
	return int64(n), true
}
