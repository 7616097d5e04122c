package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/forcefield/forcefield/internal/sfid"
)

// idAlloc hands out sequence numbers inside one write transaction. The first use of a
// prefix reads its high-water mark — from committed, the marks of earlier transactions kept
// in memory, or else from id_sequences; flush writes the new marks back before COMMIT.
// The marks in memory are updated only after a COMMIT succeeds (DB.write), so a rollback
// gives the numbers back. Only the single writer connection writes id_sequences, which is
// what makes the memory copy exact. Cost: one write per prefix per transaction.
type idAlloc struct {
	tx        *sql.Tx
	committed map[string]uint64 // prefix → last number of committed transactions (read-only here)
	last      map[string]uint64 // prefix → last number handed out in this transaction
}

// take reserves n consecutive numbers for prefix and returns the first.
func (a *idAlloc) take(ctx context.Context, prefix string, n int) (uint64, error) {
	if a.last == nil {
		a.last = make(map[string]uint64, 2)
	}
	last, ok := a.last[prefix]
	if !ok {
		last, ok = a.committed[prefix]
	}
	if !ok {
		var v int64
		err := a.tx.QueryRowContext(ctx, "SELECT last FROM id_sequences WHERE prefix = ?", prefix).Scan(&v)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			v = 0
		case err != nil:
			return 0, fmt.Errorf("sqlite: allocate %s id: %w", prefix, err)
		}
		last = uint64(v)
	}
	a.last[prefix] = last + uint64(n)
	return last + 1, nil
}

// next allocates one ID with prefix.
func (a *idAlloc) next(ctx context.Context, prefix string) (sfid.ID, error) {
	n, err := a.take(ctx, prefix, 1)
	if err != nil {
		return "", err
	}
	return newID(prefix, n), nil
}

// flush records the high-water marks of this transaction.
func (a *idAlloc) flush(ctx context.Context) error {
	for prefix, last := range a.last {
		_, err := a.tx.ExecContext(ctx,
			"INSERT INTO id_sequences (prefix, last) VALUES (?, ?) ON CONFLICT (prefix) DO UPDATE SET last = excluded.last",
			prefix, int64(last))
		if err != nil {
			return fmt.Errorf("sqlite: allocate %s ids: %w", prefix, err)
		}
	}
	return nil
}
