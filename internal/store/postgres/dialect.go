package postgres

// What the query compiler (select*.go) does differently from SQLite's, in one place. The
// compiler is a port of internal/store/sqlite/select*.go, line by line where the two
// dialects agree; these are the places where they do not:
//
//   - Placeholders: the builder writes ? as SQLite's does, in text order, and rebind
//     numbers them $1, $2, … once the statement is whole (aliases add join arguments
//     while the WHERE is being compiled, so numbers cannot be known while writing).
//   - Caseless text (SQLite's NOCASE columns): columns are TEXT COLLATE "C" and compared
//     on lower(col) (records_tables.go), whose expression indexes Sync keeps; values are
//     folded in Go by foldASCII, which is what lower() does in the "C" collation, so no
//     lower() runs on a parameter under the database's own locale. ORDER BY uses
//     lower(col), byte order in "C": SQLite's NOCASE order.
//   - LIKE: SQLite's LIKE ignores ASCII case whatever the column; here lower(col) LIKE a
//     folded pattern.
//   - GROUP BY a caseless field groups on lower(col), as NOCASE does; the group's value
//     is min(col), one of the spellings (SQLite returns one of them too).
//   - MIN and MAX of caseless text compare lower(col) (NOCASE) and return the value:
//     (min(ARRAY[lower(col), col]))[2] — arrays compare element by element.
//   - Booleans are BOOLEAN (false, not 0); SUM and AVG are cast to double precision
//     (PostgreSQL sums bigint as numeric); NULLS FIRST is written out for group keys,
//     since PostgreSQL puts nulls last in ascending order (SQLite first).
//   - Long IN lists are one array parameter (= ANY($n)) instead of a JSON array.
//   - LIMIT NULL is "no limit" (SQLite: -1); subqueries in FROM need an alias.

import (
	"strconv"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// rebind numbers the ? placeholders of q as $1, $2, … It skips quoted text ('…' and
// "…"), where the compiler never puts a placeholder but may put a question mark.
func rebind(q string) string {
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	var quote byte
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// arg is a storage-form value (package records) as a parameter compared with field f's
// column (f nil: an aggregate's value): booleans stay booleans, times become Unix
// milliseconds, text of a caseless field is folded as lower(col) folds it.
func arg(f *schema.Field, v any) any {
	switch x := v.(type) {
	case time.Time:
		return x.UnixMilli()
	case sfid.ID:
		v = string(x)
	}
	if s, ok := v.(string); ok && f != nil && caseless(f) {
		return foldASCII(s)
	}
	return v
}

// limitArg is a LIMIT value: nil (no limit) for a negative one.
func limitArg(n int) any {
	if n < 0 {
		return nil
	}
	return n
}
