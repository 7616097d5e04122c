package sqlite

// Record storage conventions, shared by the record writes (records_*.go) and the query
// compiler (select*.go). See package records for the value forms.
//
// Every data object of every org has its own table, r_<org ID (18 characters), lower
// case>_<object name, lower case>: orgs never share a table, so no query can see another
// org's rows, and a custom object's columns are exactly its fields. The 18-character form
// of an ID is case-safe, so lower-casing it keeps org tables apart.
//
// Setup objects (User, Profile, PermissionSet, Organization, LoginHistory) are views
// s_<object name, lower case> over the Setup tables, with one column per field plus _org,
// the org the row belongs to: queries on them always filter on _org. s_loginhistory also
// has _seq, the sequence number its Id is built from (login_history's primary key): a
// lookup by Id is fastest as _seq = seqOf(id, "0Ya") (see records_setup.go).
//
// Columns are named exactly as the fields (SQLite column names are case-insensitive, as
// SOQL's are) and typed by field type:
//
//	id, reference                 TEXT (18-character IDs, case-sensitive)
//	text types, picklists, date   TEXT COLLATE NOCASE (SOQL = on text ignores case;
//	                              dates as 2006-01-02 sort as text)
//	boolean                       INTEGER 0/1
//	int                           INTEGER
//	double, currency, percent     REAL
//	datetime                      INTEGER, Unix milliseconds UTC
//
// Every data table has Id TEXT PRIMARY KEY and IsDeleted INTEGER NOT NULL DEFAULT 0.

import (
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// recordTable is the table (or view) holding obj's rows for org.
func recordTable(orgID sfid.ID, obj *schema.Object) string {
	if obj.Setup {
		return "s_" + strings.ToLower(obj.Name)
	}
	return "r_" + strings.ToLower(orgID.String()) + "_" + strings.ToLower(obj.Name)
}

// quoteIdent quotes a table or column name for SQL.
func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// columnType is the SQL column declaration of a field's type.
func columnType(f *schema.Field) string {
	switch f.Type {
	case schema.TypeID, schema.TypeReference:
		return "TEXT"
	case schema.TypeBoolean, schema.TypeInt, schema.TypeDateTime:
		return "INTEGER"
	case schema.TypeDouble, schema.TypeCurrency, schema.TypePercent:
		return "REAL"
	default:
		return "TEXT COLLATE NOCASE"
	}
}

// toSQL converts a storage-form value (package records) to what the column holds.
func toSQL(v any) any {
	switch x := v.(type) {
	case bool:
		if x {
			return int64(1)
		}
		return int64(0)
	case time.Time:
		return x.UnixMilli()
	case sfid.ID:
		return string(x)
	}
	return v
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
		if x, ok := v.(float64); ok {
			return int64(x)
		}
	case schema.TypeDouble, schema.TypeCurrency, schema.TypePercent:
		if x, ok := v.(int64); ok {
			return float64(x)
		}
	}
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	return v
}
