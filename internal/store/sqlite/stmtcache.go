package sqlite

// Prepared read statements. Parsing and planning a SELECT costs more than running it for
// the data API's common reads: a profile of GET /sobjects/Account/{id} spent ~30% of the
// server's CPU in sqlite3_prepare_v2 (the statement names every column of the table) and
// ~13% stepping it. The record reads (Get) and SOQL queries (Query) of the read pool
// therefore keep their statements prepared, by SQL text: their values are always bound
// parameters, so the texts are as few as the shapes of the queries. database/sql
// prepares a cached *sql.Stmt again on each pool connection that has not seen it, and
// SQLite re-prepares a statement by itself when the schema changed (Sync's ALTER TABLE).

import (
	"context"
	"database/sql"
	"sync"
)

// maxCachedStmts bounds the cache. Past it, new texts run unprepared (as they did before
// the cache) rather than evicting: a *sql.Stmt in use by another goroutine cannot be
// closed under it, and at ~20 kB per statement and connection the bound keeps the cache
// to a few tens of MB.
const maxCachedStmts = 256

// cachedReader is a querier on the read pool that runs queries through statements
// prepared once per SQL text. It is safe for concurrent use.
type cachedReader struct {
	*sql.DB // ExecContext and everything else: uncached

	mu    sync.RWMutex
	stmts map[string]*sql.Stmt
}

func newCachedReader(db *sql.DB) *cachedReader {
	return &cachedReader{DB: db, stmts: map[string]*sql.Stmt{}}
}

// stmt returns the prepared statement of q, preparing it if there is room; nil when q
// is not cached (the cache is full, or q does not prepare: the uncached call then
// reports the error).
func (c *cachedReader) stmt(ctx context.Context, q string) *sql.Stmt {
	c.mu.RLock()
	st, full := c.stmts[q], len(c.stmts) >= maxCachedStmts
	c.mu.RUnlock()
	if st != nil || full {
		return st
	}
	st, err := c.DB.PrepareContext(ctx, q)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.stmts[q]; old != nil { // prepared meanwhile by another goroutine
		st.Close()
		return old
	}
	if len(c.stmts) >= maxCachedStmts {
		st.Close()
		return nil
	}
	c.stmts[q] = st
	return st
}

// QueryContext runs q with args through its prepared statement.
func (c *cachedReader) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := c.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return c.DB.QueryContext(ctx, q, args...)
}

// QueryRowContext runs q with args through its prepared statement.
func (c *cachedReader) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if st := c.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return c.DB.QueryRowContext(ctx, q, args...)
}

// close closes the cached statements; the pool stays open.
func (c *cachedReader) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.stmts {
		st.Close()
		delete(c.stmts, q)
	}
}
