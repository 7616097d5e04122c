package sqlite

import (
	"context"
	"fmt"

	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

var _ store.RefreshUseRecorder = (*DB)(nil)

// RecordRefreshUses writes batched refresh token uses in one transaction.
func (db *DB) RecordRefreshUses(ctx context.Context, uses []store.RefreshUse) error {
	if len(uses) == 0 {
		return nil
	}
	err := db.write(ctx, func(w *wtx) error {
		stmt, err := w.tx.PrepareContext(ctx, `UPDATE refresh_tokens SET last_used_at = max(coalesce(last_used_at, 0), ?),
			use_count = use_count + ? WHERE seq = ?`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, u := range uses {
			seq, ok := seqOf(u.ID, sfid.PrefixOauthToken)
			if !ok {
				continue
			}
			if _, err := stmt.ExecContext(ctx, u.LastUsedAt.UnixMilli(), u.Count, seq); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: record refresh token uses: %w", mapErr(err))
	}
	return nil
}
