package postgres

import (
	"context"
	"fmt"
	"sort"

	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

var _ store.RefreshUseRecorder = (*DB)(nil)

// RecordRefreshUses writes batched refresh token uses (refresh_tokens, 0002_schema.sql)
// in one statement: the uses are folded per token first (latest time, summed count) and
// sent as arrays that unnest joins, so a batch of any size is one round trip. Tokens are
// updated in seq order, so that two nodes flushing overlapping batches lock rows in the
// same order rather than deadlock.
// https://www.postgresql.org/docs/15/functions-array.html (unnest)
func (db *DB) RecordRefreshUses(ctx context.Context, uses []store.RefreshUse) error {
	type use struct{ at, n int64 }
	folded := make(map[int64]use, len(uses))
	for _, u := range uses {
		seq, ok := seqOf(u.ID, sfid.PrefixOauthToken)
		if !ok {
			continue
		}
		f := folded[seq]
		f.at = max(f.at, u.LastUsedAt.UnixMilli())
		f.n += int64(u.Count)
		folded[seq] = f
	}
	if len(folded) == 0 {
		return nil
	}
	seqs := make([]int64, 0, len(folded))
	for s := range folded {
		seqs = append(seqs, s)
	}
	sort.Slice(seqs, func(i, j int) bool { return seqs[i] < seqs[j] })
	ats, ns := make([]int64, len(seqs)), make([]int64, len(seqs))
	for i, s := range seqs {
		ats[i], ns[i] = folded[s].at, folded[s].n
	}
	err := db.write(ctx, func(w *wtx) error {
		// Lock in seq order first: UPDATE … FROM does not promise an order.
		if _, err := w.tx.ExecContext(ctx, `SELECT 1 FROM refresh_tokens WHERE seq = ANY($1) ORDER BY seq FOR UPDATE`, seqs); err != nil {
			return err
		}
		_, err := w.tx.ExecContext(ctx, `UPDATE refresh_tokens r SET last_used_at = GREATEST(COALESCE(r.last_used_at, 0), u.at),
			use_count = r.use_count + u.n
			FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS u(seq, at, n) WHERE r.seq = u.seq`, seqs, ats, ns)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: record refresh token uses: %w", mapErr(err))
	}
	return nil
}
