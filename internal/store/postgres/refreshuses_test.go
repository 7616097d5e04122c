package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// RecordRefreshUses folds repeated uses of one token in a batch (the counts add up, the
// latest time wins), never moves last_used_at back, and drops uses of tokens that do not
// exist or IDs that are not this backend's refresh token IDs. (storetest.Run's
// RecordRefreshUses covers it through the Setup API once that is on PostgreSQL too.)
func TestRecordRefreshUses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	for seq, last := range map[int64]any{1: nil, 2: t0.Add(time.Hour).UnixMilli()} {
		if _, err := db.sql.ExecContext(ctx, `INSERT INTO refresh_tokens (seq, token_hash, family_seq, org_id, user_id, app_id, created_at, last_used_at, use_count)
			VALUES ($1, $2, $1, 'o', 'u', 'a', $3, $4, 1)`, seq, []byte{byte(seq)}, t0.UnixMilli(), last); err != nil {
			t.Fatal(err)
		}
	}
	tok := func(n uint64) sfid.ID { return newID(sfid.PrefixOauthToken, n) }
	err := db.RecordRefreshUses(ctx, []store.RefreshUse{
		{ID: tok(1), LastUsedAt: t0.Add(2 * time.Minute), Count: 2},
		{ID: tok(2), LastUsedAt: t0.Add(time.Minute), Count: 1}, // before the stored last use
		{ID: tok(1), LastUsedAt: t0.Add(time.Minute), Count: 3}, // same token, earlier
		{ID: tok(9), LastUsedAt: t0, Count: 1},                  // no such token
		{ID: newID("005", 1), LastUsedAt: t0, Count: 1},         // not a refresh token ID
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RecordRefreshUses(ctx, nil); err != nil {
		t.Fatal(err)
	}
	type row struct {
		Seq, Last, Count int64
	}
	var got []row
	rows, err := db.sql.QueryContext(ctx, "SELECT seq, last_used_at, use_count FROM refresh_tokens ORDER BY seq")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.Seq, &r.Last, &r.Count); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	want := []row{{1, t0.Add(2 * time.Minute).UnixMilli(), 6}, {2, t0.Add(time.Hour).UnixMilli(), 2}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("refresh_tokens (-want +got):\n%s", diff)
	}
}
