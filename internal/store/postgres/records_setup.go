package postgres

// Setup objects through the records path: views s_user, s_profile, s_permissionset,
// s_organization and s_loginhistory over the Setup tables (migrations/0002_schema.sql),
// one column per field of the catalog's Setup object plus _org (and _seq, see
// setupView), exactly as SQLite's records_setup.go. The field lists come from package
// schema (salesforce-objects.md §10-§14); setupViews maps the field names that have data
// to SQL expressions, every other field is a NULL of the field's column type.
//
// Values follow records_tables.go: datetimes are Unix milliseconds (the Setup tables
// store them so already), booleans BOOLEAN, text COLLATE "C" (so that the views sort and
// compare like the record tables). LoginHistory rows keep only their sequence number; the
// view rebuilds the 0Ya ID with ff_id, a SQL function of migration 0004 that computes
// what Go's newID does (TestFFIDMatchesNewID holds them together).
//
// Views are replaced when their definition changes. PostgreSQL keeps a view's parsed
// form, not its text, so the definition's SHA-256 is kept as the view's comment
// (COMMENT ON VIEW) and compared.

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// instanceName is the Organization.InstanceName every org reports: the pod "5F" of every
// ID this backend allocates, in the form of Salesforce instance names ("CS420", "NA139").
const instanceName = "FF" + pod

// setupView is how one Setup object maps onto its table.
type setupView struct {
	from string            // FROM clause
	org  string            // expression of the owning org's ID (the _org column)
	cols map[string]string // lower-case field name → SQL expression
	// seq, for rows keyed by a sequence number, is its expression: the view's _seq
	// column, so that lookups by ID (Get) use the table's primary key instead of
	// computing every row's ID.
	seq string
}

// setupViews are the Setup objects with a view, by lower-case object name.
var setupViews = map[string]setupView{
	// User (salesforce-objects.md §10). Name = FirstName + LastName, read-only.
	"user": {from: "users", org: "org_id", cols: map[string]string{
		"id":                "id",
		"username":          "username",
		"firstname":         "NULLIF(first_name, '')",
		"lastname":          "last_name",
		"name":              "TRIM(first_name || ' ' || last_name)",
		"email":             "email",
		"isactive":          "active",
		"profileid":         "profile_id",
		"timezonesidkey":    "time_zone",
		"localesidkey":      "locale",
		"languagelocalekey": "language",
		"emailencodingkey":  "'UTF-8'",
		"usertype":          "'Standard'",
		"createddate":       "created_at",
		"lastmodifieddate":  "updated_at",
		"systemmodstamp":    "updated_at",
	}},
	// Profile (§11).
	"profile": {from: "profiles", org: "org_id", cols: map[string]string{
		"id":               "id",
		"name":             "name",
		"usertype":         "'Standard'",
		"createddate":      "created_at",
		"lastmodifieddate": "updated_at",
		"systemmodstamp":   "updated_at",
	}},
	// PermissionSet (§12): the org file's permission sets are custom and not owned by a
	// profile; Name is also the label.
	"permissionset": {from: "permission_sets", org: "org_id", cols: map[string]string{
		"id":               "id",
		"name":             "name",
		"label":            "name",
		"isownedbyprofile": "false",
		"iscustom":         "true",
		"createddate":      "created_at",
		"lastmodifieddate": "updated_at",
		"systemmodstamp":   "updated_at",
	}},
	// Organization (§13): one row per org, Id = the org ID. Forcefield orgs are production
	// orgs (IsSandbox false, no trial expiry, no namespace) of their edition ("" is
	// Enterprise; OrganizationType "Developer Edition", …) on instance FF5F; the locale
	// keys are those of a new org.
	"organization": {from: "orgs", org: "id", cols: map[string]string{
		"id":                  "id",
		"name":                "name",
		"instancename":        "'" + instanceName + "'",
		"issandbox":           "false",
		"isreadonly":          "false",
		"organizationtype":    "(CASE edition WHEN '' THEN 'Enterprise' ELSE edition END) || ' Edition'",
		"namespaceprefix":     "NULL",
		"trialexpirationdate": "NULL",
		"defaultlocalesidkey": "'en_US'",
		"languagelocalekey":   "'en_US'",
		"timezonesidkey":      "'America/Los_Angeles'",
		"createddate":         "created_at",
		"lastmodifieddate":    "updated_at",
		"systemmodstamp":      "updated_at",
	}},
	// LoginHistory (§14): Id rebuilt from seq; empty strings of the table are NULL.
	"loginhistory": {from: "login_history", org: "org_id", seq: "seq", cols: map[string]string{
		"id":            "ff_id('" + sfid.PrefixLoginHistory + "', seq)",
		"userid":        "user_id",
		"logintime":     "time",
		"sourceip":      "NULLIF(source_ip, '')",
		"logintype":     "login_type",
		"loginsubtype":  "NULLIF(login_sub_type, '')",
		"status":        "status",
		"application":   "NULLIF(application, '')",
		"loginurl":      "NULLIF(login_url, '')",
		"apitype":       "NULLIF(api_type, '')",
		"apiversion":    "NULLIF(api_version, '')",
		"browser":       "NULLIF(browser, '')",
		"platform":      "NULLIF(platform, '')",
		"optionsisget":  "false",
		"optionsispost": "false",
	}},
}

// setupSeqPrefix returns the key prefix of obj's IDs when its view has a _seq column.
func setupSeqPrefix(obj *schema.Object) (string, bool) {
	if !obj.Setup {
		return "", false
	}
	v, ok := setupViews[strings.ToLower(obj.Name)]
	return obj.KeyPrefix, ok && v.seq != ""
}

// setupViewSQL returns the CREATE VIEW statement for Setup object obj, or false when
// Forcefield has no table for it.
func setupViewSQL(obj *schema.Object) (string, bool) {
	v, ok := setupViews[strings.ToLower(obj.Name)]
	if !ok {
		return "", false
	}
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE VIEW %s AS SELECT ", quoteIdent(recordTable("", obj)))
	for i := range obj.Fields {
		f := &obj.Fields[i]
		if f.Compound() {
			continue // no column: the parts are the view's
		}
		expr, ok := v.cols[strings.ToLower(f.Name)]
		typ := baseType(columnType(f))
		switch {
		case !ok && strings.EqualFold(f.Name, "IsDeleted"):
			expr = "false" // Setup rows are never in the Recycle Bin
		case !ok:
			expr = "NULL"
		}
		// Every column has its field's type, text in the "C" collation as the record
		// tables have it.
		expr = "CAST(" + expr + " AS " + typ + ")"
		if typ == "text" {
			expr += ` COLLATE "C"`
		}
		fmt.Fprintf(&b, "%s AS %s, ", expr, quoteIdent(f.Name))
	}
	if v.seq != "" {
		fmt.Fprintf(&b, "%s AS _seq, ", v.seq)
	}
	fmt.Fprintf(&b, "%s AS _org FROM %s", v.org, v.from)
	return b.String(), true
}

// syncSetupView (re)creates obj's view when its definition changed. Views are shared by
// every org; the definition comes from the catalog's Setup objects, which are the same
// for every org.
func syncSetupView(ctx context.Context, tx *sql.Tx, obj *schema.Object) error {
	want, ok := setupViewSQL(obj)
	if !ok {
		return nil // no Setup table behind it: the object has no rows
	}
	sum := sha256.Sum256([]byte(want))
	sig := hex.EncodeToString(sum[:])
	name := recordTable("", obj)
	var have sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT obj_description(c.oid, 'pg_class') FROM pg_class c
		WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = $1 AND c.relkind = 'v'`, name).Scan(&have)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("view %s: %w", name, err)
	}
	if have.Valid && have.String == sig {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "DROP VIEW IF EXISTS "+quoteIdent(name)); err != nil {
		return fmt.Errorf("drop view %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, want); err != nil {
		return fmt.Errorf("create view %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, "COMMENT ON VIEW "+quoteIdent(name)+" IS '"+sig+"'"); err != nil {
		return fmt.Errorf("view %s: %w", name, err)
	}
	return nil
}
