package sqlite

// Setup objects through the records path: views s_user, s_profile, s_permissionset,
// s_organization and s_loginhistory over the Setup tables (migrations/0001_init.sql and
// later), one column per field of the catalog's Setup object plus _org (and _seq, see
// setupView). The field lists
// come from package schema (salesforce-objects.md §10-§14); setupViews maps the field
// names that have data to SQL expressions, every other field is NULL.
//
// Values follow records_tables.go: datetimes are Unix milliseconds (the Setup tables
// store them so already), booleans 0/1, IDs 18 characters. LoginHistory rows keep only
// their sequence number; the view rebuilds the 0Ya ID with ff_id, a deterministic SQL
// function registered below that calls newID, exactly as LoginHistory reads in Go do.

import (
	"database/sql/driver"
	"fmt"
	"strings"

	"modernc.org/sqlite"

	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

func init() {
	// ff_id(prefix, seq) is the 18-character ID newID(prefix, seq): NULL for a NULL or
	// out-of-range argument, never an error (views must not fail on odd rows).
	sqlite.MustRegisterDeterministicScalarFunction("ff_id", 2, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		prefix, ok := args[0].(string)
		if !ok || len(prefix) != 3 {
			return nil, nil
		}
		n, ok := args[1].(int64)
		if !ok || n < 0 {
			return nil, nil
		}
		return string(newID(prefix, uint64(n))), nil
	})
}

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
		"isownedbyprofile": "0",
		"iscustom":         "1",
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
		"issandbox":           "0",
		"isreadonly":          "0",
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
		"optionsisget":  "0",
		"optionsispost": "0",
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
		switch {
		case !ok && strings.EqualFold(f.Name, "IsDeleted"):
			expr = "0" // Setup rows are never in the Recycle Bin
		case !ok:
			expr = "NULL"
		case strings.HasSuffix(columnType(f), "NOCASE"):
			// Text compares ignoring case, as in the record tables.
			expr = "(" + expr + ") COLLATE NOCASE"
		}
		fmt.Fprintf(&b, "%s AS %s, ", expr, quoteIdent(f.Name))
	}
	if v.seq != "" {
		fmt.Fprintf(&b, "%s AS _seq, ", v.seq)
	}
	fmt.Fprintf(&b, "%s AS _org FROM %s", v.org, v.from)
	return b.String(), true
}
