// Package sqlite is Forcefield's embedded storage backend: a store.Store over one SQLite
// database file, in pure Go (modernc.org/sqlite, no cgo).
//
// Connections. All writes go through a single writer connection (a *sql.DB limited to one
// open connection, further serialised by a mutex), so writers never contend for SQLite's
// lock and never see SQLITE_BUSY from each other. Reads use a separate pool of query_only
// connections; in WAL mode they run concurrently with the writer and see the last
// committed state.
//
// Durability. The database runs in WAL mode with synchronous=NORMAL: a commit appends to
// the WAL with write(2) before returning, and the WAL is fsynced at checkpoints. A
// committed transaction therefore survives the process being killed (kill -9, panic,
// OOM killer), which is what store promises; only an operating-system crash or power loss
// can lose the last transactions before a checkpoint (never corrupting the file).
// synchronous=FULL would also cover power loss at the cost of an fsync per commit.
//
// Checkpoints (copying the WAL back into the database file, with its fsyncs) run on a
// third connection in a background goroutine, not in the writer's commits: that gave
// RecordLogins 1.5-2x the throughput in BenchmarkRecordLogins. SQLite's own automatic
// checkpoint stays on as a backstop, at a WAL of walBackstopPages.
//
// IDs are allocated per key prefix from the id_sequences table inside the write
// transaction that uses them (see ids.go), so a rollback returns the numbers and a deleted
// row's ID is never reused. Sessions and login history keep only the sequence number
// (their INTEGER PRIMARY KEY) and rebuild the 18-character ID with sfid.New.
//
// Times are stored as integer Unix milliseconds and returned in UTC; the zero time is
// NULL. Values passed to Put* and RecordLogins have their times truncated to milliseconds
// in place, so they equal what a later read returns.
//
// The schema lives in migrations/NNNN_name.sql, applied in order by Open inside one
// transaction and recorded in schema_migrations.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/forcefield/forcefield/internal/cluster"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// pod is the instance part of every ID this backend allocates.
const pod = "5F"

// readConns is the size of the read pool.
const readConns = 4

// readCacheSize is the page cache of each read connection (cache_size: negative is KiB),
// and scanCacheSize what a Scan lowers it to while it runs (see Scan).
const (
	readCacheSize = -32768
	scanCacheSize = -8192
)

// checkpointEvery is how often the background goroutine checkpoints the WAL.
const checkpointEvery = 250 * time.Millisecond

// walBackstopPages is the WAL size (in pages) at which a commit checkpoints by itself,
// should the background checkpoints fall behind.
const walBackstopPages = 16384

var (
	_ store.Store   = (*DB)(nil)
	_ records.Store = (*DB)(nil)
)

// DB is a Forcefield store in one SQLite database file. It is safe for concurrent use.
type DB struct {
	reader // reads through the read pool

	w  *sql.DB       // the single writer connection
	r  *sql.DB       // the read pool
	rc *cachedReader // the read pool through prepared statements (stmtcache.go)
	c  *sql.DB       // the checkpointer's connection

	stop chan struct{} // closed by Close to end the checkpointer
	done chan struct{} // closed when the checkpointer has ended

	wmu    sync.Mutex        // held for every write transaction
	idLast map[string]uint64 // committed ID high-water marks per prefix (guarded by wmu)

	synced recordsSynced // what Sync has made of each org's record tables (records_sync.go)

	snapTrack snapTracker // the records written since each org's last snapshot or restore (guarded by wmu)

	// Statements of the hot paths, prepared once on the writer connection.
	sessionRows  *bulkInsert
	loginRows    *bulkInsert
	touchSession *sql.Stmt

	cluster cluster.Coordinator // cluster.Local: one node

	closeOnce sync.Once
	closeErr  error
}

// Open opens (creating if needed) the database file at path and brings its schema up to
// date.
func Open(ctx context.Context, path string) (*DB, error) {
	// The pools are separate connections, so each would get its own in-memory database.
	if path == "" || path == ":memory:" || strings.ContainsAny(path, "?#") || strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("sqlite: open %q: want the path of a database file", path)
	}
	const common = "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=temp_store(memory)"
	wdsn := path + "?_txlock=immediate&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" +
		"&_pragma=cache_size(-65536)&_pragma=journal_size_limit(67108864)" +
		fmt.Sprintf("&_pragma=wal_autocheckpoint(%d)&", walBackstopPages) + common
	rdsn := path + fmt.Sprintf("?_pragma=cache_size(%d)&_query_only=1&", readCacheSize) + common
	cdsn := path + "?_pragma=synchronous(NORMAL)&_pragma=cache_size(-2048)&" + common

	w, err := sql.Open("sqlite", wdsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := migrate(ctx, w); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if err := removeOrphanParts(ctx, w); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if err := dropClaims(ctx, w); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}

	r, err := sql.Open("sqlite", rdsn)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	r.SetMaxOpenConns(readConns)
	r.SetMaxIdleConns(readConns)
	r.SetConnMaxLifetime(0)
	r.SetConnMaxIdleTime(0)
	if err := r.PingContext(ctx); err != nil {
		r.Close()
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: read pool: %w", path, err)
	}

	c, err := sql.Open("sqlite", cdsn)
	if err != nil {
		r.Close()
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	c.SetMaxOpenConns(1)
	c.SetMaxIdleConns(1)
	c.SetConnMaxLifetime(0)
	c.SetConnMaxIdleTime(0)

	db := &DB{reader: reader{q: r}, w: w, r: r, rc: newCachedReader(r), c: c, stop: make(chan struct{}), done: make(chan struct{}), cluster: cluster.Local()}
	go db.checkpointer()
	for _, p := range []struct {
		dst   **sql.Stmt
		query string
	}{
		{&db.touchSession, touchSessionSQL},
	} {
		if *p.dst, err = w.PrepareContext(ctx, p.query); err != nil {
			db.Close()
			return nil, fmt.Errorf("sqlite: open %s: prepare: %w", path, err)
		}
	}
	if db.sessionRows, err = prepareBulkInsert(ctx, w, "sessions", insertSessionCols); err == nil {
		db.loginRows, err = prepareBulkInsert(ctx, w, "login_history", loginCols)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return db, nil
}

// Close closes both connection pools. Calls after the first return its result.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		close(db.stop)
		<-db.done
		db.wmu.Lock()
		defer db.wmu.Unlock()
		if db.touchSession != nil {
			db.touchSession.Close()
		}
		db.sessionRows.close()
		db.rc.close()
		db.loginRows.close()
		// Let SQLite refresh its planner statistics if it thinks they are stale; cheap.
		_, _ = db.w.Exec("PRAGMA optimize")
		db.closeErr = errors.Join(db.c.Close(), db.r.Close(), db.w.Close())
		if db.closeErr != nil {
			db.closeErr = fmt.Errorf("sqlite: close: %w", db.closeErr)
		}
	})
	return db.closeErr
}

// Checkpoint copies the whole WAL into the database file, fsyncs it and truncates the
// WAL, waiting for writes in progress. Checkpoints also run in the background; call this
// before copying the file or to reclaim the WAL's disk space.
func (db *DB) Checkpoint(ctx context.Context) error {
	db.wmu.Lock()
	defer db.wmu.Unlock()
	var busy, logPages, done int
	if err := db.w.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logPages, &done); err != nil {
		return fmt.Errorf("sqlite: checkpoint: %w", err)
	}
	if busy != 0 {
		return fmt.Errorf("sqlite: checkpoint: readers kept it from completing (%d of %d pages)", done, logPages)
	}
	return nil
}

// checkpointer runs passive checkpoints until Close: they copy what the WAL holds into the
// database file without blocking the writer or the readers. An idle WAL costs nothing.
func (db *DB) checkpointer() {
	defer close(db.done)
	tick := time.NewTicker(checkpointEvery)
	defer tick.Stop()
	for {
		select {
		case <-db.stop:
			return
		case <-tick.C:
			// A failure (say, a full disk) leaves the WAL to grow until the backstop
			// checkpoint in the writer, which reports the error to a caller.
			_, _ = db.c.Exec("PRAGMA wal_checkpoint(PASSIVE)")
		}
	}
}

// wtx is one write transaction on the writer connection.
type wtx struct {
	tx  *sql.Tx
	ids idAlloc
	// touched: the records this transaction wrote, by org and table (snapshots_track.go).
	touched map[sfid.ID]map[string][]sfid.ID
}

// write runs fn in a write transaction and commits it, or rolls it back if fn fails or
// panics. It returns fn's error unchanged.
func (db *DB) write(ctx context.Context, fn func(w *wtx) error) (err error) {
	db.wmu.Lock()
	defer db.wmu.Unlock()
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			_ = tx.Rollback()
		}
	}()
	if db.idLast == nil {
		db.idLast = map[string]uint64{}
	}
	w := &wtx{tx: tx, ids: idAlloc{tx: tx, committed: db.idLast}}
	if err := fn(w); err != nil {
		return err
	}
	if err := w.ids.flush(ctx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	committed = true
	for prefix, last := range w.ids.last {
		db.idLast[prefix] = last
	}
	db.snapTrack.committed(w.touched)
	return nil
}

// Setting returns a setting's value, or store.ErrNotFound.
func (db *DB) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := db.r.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if err != nil {
		return "", fmt.Errorf("sqlite: setting %q: %w", key, mapErr(err))
	}
	return v, nil
}

// PutSetting creates or replaces a setting.
func (db *DB) PutSetting(ctx context.Context, key, value string) error {
	return db.write(ctx, func(w *wtx) error {
		_, err := w.tx.ExecContext(ctx,
			"INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
			key, value)
		if err != nil {
			return fmt.Errorf("sqlite: put setting %q: %w", key, mapErr(err))
		}
		return nil
	})
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
