package postgres

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/forcefield/forcefield/internal/sfid"
)

// IDs of one prefix allocated by racing transactions are distinct and, once all have
// committed, consecutive; a rolled-back transaction gives its numbers back.
func TestIDAllocRace(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	const n = 32
	ids := make([]sfid.ID, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := db.write(ctx, func(w *wtx) error {
				id, err := w.ids.next(ctx, "001")
				ids[i] = id
				return err
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	seen := map[uint64]bool{}
	for _, id := range ids {
		s, ok := seqOf(id, "001")
		if !ok {
			t.Fatalf("%q is not an ID of this backend", id)
		}
		seen[uint64(s)] = true
	}
	for s := uint64(1); s <= n; s++ {
		if !seen[s] {
			t.Errorf("sequence %d not allocated; got %v", s, seen)
		}
	}
	boom := errors.New("boom")
	if err := db.write(ctx, func(w *wtx) error {
		if _, err := w.ids.take(ctx, "001", 5); err != nil {
			return err
		}
		return boom
	}); !errors.Is(err, boom) {
		t.Fatalf("write = %v, want boom", err)
	}
	var next sfid.ID
	if err := db.write(ctx, func(w *wtx) (err error) { next, err = w.ids.next(ctx, "001"); return }); err != nil {
		t.Fatal(err)
	}
	if s, _ := seqOf(next, "001"); s != n+1 {
		t.Errorf("after a rollback the next ID is %d, want %d", s, n+1)
	}
}
