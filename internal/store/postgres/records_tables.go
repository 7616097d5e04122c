package postgres

// Record storage conventions, shared by the record writes (records_*.go) and the query
// compiler (select*.go). They follow SQLite's (internal/store/sqlite/records_tables.go)
// so that both backends give the same answers; see package records for the value forms.
//
// Every data object of every org has its own table, r_<org ID (18 characters), lower
// case>_<object name, lower case> (recordTable): orgs never share a table, so no query
// can see another org's rows. PostgreSQL cuts identifiers at 63 bytes (NAMEDATALEN - 1,
// PostgreSQL docs §4.1.1 "Identifiers and Key Words"), so a longer name keeps its first
// 50 bytes and ends in a hash of the whole (shortIdent): two long names never share a
// table or an index.
//
// Setup objects (User, Profile, PermissionSet, Organization, LoginHistory) are views
// s_<object name, lower case> over the Setup tables with one column per field plus _org
// (and _seq for LoginHistory), as in SQLite (records_setup.go).
//
// Columns are named exactly as the fields, quoted (PostgreSQL folds unquoted names to
// lower case; quoted names keep the catalog's spelling, and "Id" and "IsDeleted" are
// always quoted), and typed by field type:
//
//	id, reference                 TEXT COLLATE "C"
//	text types, picklists, date   TEXT COLLATE "C", compared on lower(col) (caseless)
//	boolean                       BOOLEAN
//	int                           BIGINT
//	double, currency, percent     DOUBLE PRECISION
//	datetime                      BIGINT, Unix milliseconds UTC
//
// Why COLLATE "C" on every text column: SQLite orders text by bytes (BINARY) or by bytes
// after folding ASCII case (NOCASE). In the "C" collation PostgreSQL orders by bytes, and
// lower() folds exactly the ASCII letters (PostgreSQL docs §9.4, lower() follows the
// collation's LC_CTYPE; "C" maps only A-Z), so lower(col) is SQLite's NOCASE key: equal
// texts, order and unique indexes agree between the backends, whatever locale the
// database was created with. Expression indexes on lower(col) serve =, IN, LIKE 'x%',
// range and ORDER BY lower(col) of caseless columns (they inherit the column's collation).
//
// Every data table has "Id" TEXT COLLATE "C" PRIMARY KEY and "IsDeleted" BOOLEAN NOT NULL
// DEFAULT false.

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// maxIdent is the longest identifier PostgreSQL keeps whole (NAMEDATALEN - 1).
const maxIdent = 63

// shortIdent is name when it fits in an identifier, else its first 50 bytes, "_" and 12
// hex digits of its SHA-256.
func shortIdent(name string) string {
	if len(name) <= maxIdent {
		return name
	}
	sum := sha256.Sum256([]byte(name))
	return name[:50] + "_" + hex.EncodeToString(sum[:6])
}

// recordTable is the table (or view) holding obj's rows for org.
func recordTable(orgID sfid.ID, obj *schema.Object) string {
	if obj.Setup {
		return shortIdent("s_" + strings.ToLower(obj.Name))
	}
	return shortIdent("r_" + strings.ToLower(orgID.String()) + "_" + strings.ToLower(obj.Name))
}

// indexName is the name of the index Sync keeps on field of table (suffix "" or "__u").
func indexName(table, field, suffix string) string {
	return shortIdent(table + "__" + strings.ToLower(field) + suffix)
}

// quoteIdent quotes a table or column name for SQL.
func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// columnType is the SQL type of a field's column.
func columnType(f *schema.Field) string {
	switch f.Type {
	case schema.TypeID, schema.TypeReference:
		return `TEXT COLLATE "C"`
	case schema.TypeBoolean:
		return "BOOLEAN"
	case schema.TypeInt, schema.TypeDateTime:
		return "BIGINT"
	case schema.TypeDouble, schema.TypeCurrency, schema.TypePercent:
		return "DOUBLE PRECISION"
	default:
		return `TEXT COLLATE "C"`
	}
}

// caseless reports a text field that SOQL compares ignoring case (SQLite's NOCASE
// columns): compared and indexed on lower(col).
func caseless(f *schema.Field) bool {
	switch f.Type {
	case schema.TypeID, schema.TypeReference, schema.TypeBoolean, schema.TypeInt, schema.TypeDateTime,
		schema.TypeDouble, schema.TypeCurrency, schema.TypePercent:
		return false
	}
	return true
}

// colKey is the expression a caseless field is compared and indexed on, the column
// itself for the others.
func colKey(f *schema.Field) string {
	if caseless(f) {
		return "lower(" + quoteIdent(f.Name) + ")"
	}
	return quoteIdent(f.Name)
}

// baseType is a column's type without its collation, as pg_catalog.format_type names it.
func baseType(decl string) string {
	switch {
	case strings.HasPrefix(decl, "TEXT"):
		return "text"
	case decl == "BOOLEAN":
		return "boolean"
	case decl == "BIGINT":
		return "bigint"
	case decl == "DOUBLE PRECISION":
		return "double precision"
	}
	return strings.ToLower(decl)
}

// toSQL converts a storage-form value (package records) to what field f's column holds,
// or an error for a value of another form.
func toSQL(f *schema.Field, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	bad := func() (any, error) {
		return nil, fmt.Errorf("postgres: field %s (%s): value %v of type %T", f.Name, f.Type, v, v)
	}
	switch baseType(columnType(f)) {
	case "boolean":
		if b, ok := v.(bool); ok {
			return b, nil
		}
		return bad()
	case "bigint":
		switch x := v.(type) {
		case time.Time:
			return x.UnixMilli(), nil
		case int64:
			return x, nil
		case int:
			return int64(x), nil
		case int32:
			return int64(x), nil
		case float64:
			if x == math.Trunc(x) && math.Abs(x) < 1<<63 {
				return int64(x), nil
			}
		}
		return bad()
	case "double precision":
		switch x := v.(type) {
		case float64:
			return x, nil
		case float32:
			return float64(x), nil
		case int64:
			return float64(x), nil
		case int:
			return float64(x), nil
		}
		return bad()
	default:
		switch x := v.(type) {
		case string:
			return x, nil
		case sfid.ID:
			return string(x), nil
		}
		return bad()
	}
}

// textKey is the value a unique index on a caseless column compares: text with ASCII
// letters folded (lower() in the "C" collation).
func textKey(v any) any {
	switch x := v.(type) {
	case string:
		return foldASCII(x)
	case sfid.ID:
		return foldASCII(string(x))
	}
	return v
}

func foldASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// fromSQL converts a column value back to the storage form of field f's type.
func fromSQL(f *schema.Field, v any) any {
	if v == nil {
		return nil
	}
	switch f.Type {
	case schema.TypeBoolean:
		switch x := v.(type) {
		case int64:
			return x != 0
		case float64:
			return x != 0
		}
	case schema.TypeDateTime:
		switch x := v.(type) {
		case int64:
			return time.UnixMilli(x).UTC()
		case float64:
			return time.UnixMilli(int64(x)).UTC()
		}
	case schema.TypeInt:
		switch x := v.(type) {
		case float64:
			return int64(x)
		case int32:
			return int64(x)
		}
	case schema.TypeDouble, schema.TypeCurrency, schema.TypePercent:
		switch x := v.(type) {
		case int64:
			return float64(x)
		case float32:
			return float64(x)
		}
	}
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	return v
}
