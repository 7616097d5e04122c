package sqlite

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"
)

// BenchmarkPurgeLoginHistory measures one purge batch of realistic login-history rows
// (sub-benchmarks by batch size; retention.DefaultBatch is 2,000): how long it holds the
// single writer. It also reports the
// database bytes one login-history row costs (file size after a checkpoint, divided by
// the rows), what retention saves.
func BenchmarkPurgeLoginHistory(b *testing.B) {
	for _, rows := range []int{1000, 2000, 5000} {
		b.Run(fmt.Sprintf("batch=%d", rows), func(b *testing.B) { benchPurge(b, rows) })
	}
}

func benchPurge(b *testing.B, batchRows int) {
	ctx := context.Background()
	db, path := openTemp(b)
	defer db.Close()
	o, u, a := seed(b, db)
	fill := func(rows int) {
		for done := 0; done < rows; done += 1000 {
			_, logins := batch(o, u, a, uint64(done), 1000)
			for _, l := range logins {
				l.Time = time.Now().Add(-400 * 24 * time.Hour)
			}
			if err := db.RecordLogins(ctx, nil, logins); err != nil {
				b.Fatal(err)
			}
		}
	}
	size := func() int64 {
		// The background checkpointer may hold a reader for a moment: try again.
		for try := 0; ; try++ {
			err := db.Checkpoint(ctx)
			if err == nil {
				break
			}
			if try == 10 {
				b.Fatal(err)
			}
			time.Sleep(50 * time.Millisecond)
		}
		st, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		return st.Size()
	}
	empty := size()
	const sample = 100_000
	fill(sample)
	perRow := float64(size()-empty) / sample
	if _, err := db.PurgeLoginHistory(ctx, time.Now(), sample); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		fill(batchRows)
		b.StartTimer()
		n, err := db.PurgeLoginHistory(ctx, time.Now(), batchRows)
		if err != nil || n != batchRows {
			b.Fatalf("purged %d, %v", n, err)
		}
	}
	b.ReportMetric(perRow, "bytes/row")
}
