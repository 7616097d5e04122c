package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// bulkRows is the most rows one multi-row INSERT carries. Sessions have 12 columns and
// login rows 15, so a statement binds at most 15×64 = 960 parameters, far below SQLite's
// limit of 32,766.
const bulkRows = 64

// bulkInsert writes rows through multi-row INSERT statements: one statement per chunk
// instead of one per row saves the per-statement round trips through database/sql on the
// token hot path. Chunks are powers of two up to bulkRows (a batch of 37 rows is 32+4+1),
// so seven statements per table cover every batch; they are prepared at Open, because
// the writer pool has a single connection and a statement cannot be prepared on it while
// a transaction holds it.
type bulkInsert struct {
	head  string // "INSERT INTO t (cols) VALUES "
	cols  int
	stmts map[int]*sql.Stmt
}

// prepareBulkInsert prepares the chunk statements for table on conn (outside any
// transaction).
func prepareBulkInsert(ctx context.Context, conn *sql.DB, table, cols string) (*bulkInsert, error) {
	b := &bulkInsert{head: "INSERT INTO " + table + " (" + cols + ") VALUES ", cols: strings.Count(cols, ",") + 1, stmts: map[int]*sql.Stmt{}}
	row := "(" + strings.Repeat("?, ", b.cols-1) + "?)"
	for n := 1; n <= bulkRows; n *= 2 {
		s, err := conn.PrepareContext(ctx, b.head+strings.Repeat(row+", ", n-1)+row)
		if err != nil {
			b.close()
			return nil, fmt.Errorf("prepare %d-row insert into %s: %w", n, table, err)
		}
		b.stmts[n] = s
	}
	return b, nil
}

// exec inserts len(args)/cols rows; args holds every row's values in order.
func (b *bulkInsert) exec(ctx context.Context, tx *sql.Tx, args []any) error {
	rows := len(args) / b.cols
	for start := 0; start < rows; {
		n := bulkRows
		for n > rows-start {
			n /= 2
		}
		if _, err := tx.StmtContext(ctx, b.stmts[n]).ExecContext(ctx, args[start*b.cols:(start+n)*b.cols]...); err != nil {
			return err
		}
		start += n
	}
	return nil
}

func (b *bulkInsert) close() {
	if b == nil {
		return
	}
	for _, s := range b.stmts {
		s.Close()
	}
}
