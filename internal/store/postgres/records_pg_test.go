package postgres

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store/postgres/pgtest"
	"github.com/forcefield/forcefield/internal/store/storetest"
)

// What PostgreSQL's record storage does beyond the conformance suites (storetest.RunRecords
// and friends): its indexes and the plans they give, ff_id, long names, reopening.

var recOrg = sfid.New("00D", pod, 101)

// syncedTest opens a DB and syncs cat for recOrg.
func syncedTest(t *testing.T, cat *schema.Catalog) *DB {
	t.Helper()
	db := openTest(t)
	if err := db.Sync(context.Background(), recOrg, cat); err != nil {
		t.Fatalf("Sync: %v", err)
	}
	return db
}

func mustObject(t testing.TB, cat *schema.Catalog, name string) *schema.Object {
	t.Helper()
	o, ok := cat.Object(name)
	if !ok {
		t.Fatalf("no object %s", name)
	}
	return o
}

// TestFFIDMatchesNewID holds the SQL function ff_id (migration 0004, the LoginHistory
// view's IDs) to Go's newID, over sequence numbers that exercise every digit and the
// checksum, and its NULLs for odd arguments.
func TestFFIDMatchesNewID(t *testing.T) {
	t.Parallel()
	db := openTest(t)
	ctx := context.Background()
	var seqs []int64
	for _, n := range []int64{0, 1, 9, 10, 35, 36, 61, 62, 3843, 3844, 1 << 20, 916_132_831, 1 << 40, 13_537_086_546_263_551} {
		seqs = append(seqs, n)
	}
	for i := int64(1); i < 200; i++ {
		seqs = append(seqs, i*i*i*7919)
	}
	for _, prefix := range []string{"0Ya", "001", "a0B"} {
		rows, err := db.sql.QueryContext(ctx, "SELECT n, ff_id($1, n) FROM unnest($2::bigint[]) n", prefix, seqs)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var n int64
			var got string
			if err := rows.Scan(&n, &got); err != nil {
				t.Fatal(err)
			}
			if want := string(newID(prefix, uint64(n))); got != want {
				t.Errorf("ff_id(%q, %d) = %s, want %s", prefix, n, got, want)
			}
		}
		rows.Close()
	}
	for _, q := range []string{"SELECT ff_id('0Ya', -1)", "SELECT ff_id('0Y', 1)", "SELECT ff_id(NULL, 1)", "SELECT ff_id('0Ya', NULL)"} {
		var got *string
		if err := db.sql.QueryRowContext(ctx, q).Scan(&got); err != nil || got != nil {
			t.Errorf("%s = %v, %v; want NULL", q, got, err)
		}
	}
}

// indexDefs lists the indexes of table as their definitions, table name cut out.
func indexDefs(t *testing.T, db *DB, table string) []string {
	t.Helper()
	rows, err := db.sql.Query("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1 ORDER BY indexname", table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			t.Fatal(err)
		}
		_, using, _ := strings.Cut(def, " USING ")
		out = append(out, strings.TrimPrefix(name, table+"__")+" "+using)
	}
	return out
}

func TestSyncIndexes(t *testing.T) {
	t.Parallel()
	cat := storetest.RecordCatalog(t, schema.Field{Name: "SystemModstamp", Type: schema.TypeDateTime})
	db := syncedTest(t, cat)
	table := recordTable(recOrg, mustObject(t, cat, "Account"))
	want := []string{
		`code__c btree (lower("Code__c"))`,
		`deleted btree ("IsDeleted") WHERE "IsDeleted"`,
		`ext__c__u btree (lower("Ext__c")) WHERE (NOT "IsDeleted")`,
		`name btree (lower("Name"))`,
		`ownerid btree ("OwnerId")`,
		`parentid btree ("ParentId")`,
		`systemmodstamp btree ("SystemModstamp", "Id", "IsDeleted", "OwnerId")`,
		`pkey btree ("Id")`, // r_…_pkey sorts last

	}
	got := indexDefs(t, db, table)
	for i := range got {
		got[i] = strings.Replace(got[i], table+"_pkey", "pkey", 1)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Account indexes (-want +got):\n%s", diff)
	}
	var unique bool
	if err := db.sql.QueryRow("SELECT indisunique FROM pg_index WHERE indexrelid = $1::regclass", indexName(table, "Ext__c", "__u")).Scan(&unique); err != nil || !unique {
		t.Errorf("Ext__c index unique = %t, %v", unique, err)
	}
}

// explain is PostgreSQL's plan of query, as text, with sequential scans discouraged the
// way a big table would (the test tables are empty, where a scan is cheapest).
func explain(t *testing.T, db *DB, query string, args ...any) string {
	t.Helper()
	ctx := context.Background()
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SET enable_seqscan = off"); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, "RESET enable_seqscan")
	rows, err := conn.QueryContext(ctx, "EXPLAIN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan += line + "\n"
	}
	return plan
}

// TestFindUsesIndexes checks that Find's lookups (external ID, unique, reference, name)
// and Get's are index scans, the caseless ones on lower().
func TestFindUsesIndexes(t *testing.T) {
	t.Parallel()
	cat := storetest.RecordCatalog(t)
	db := syncedTest(t, cat)
	acc := mustObject(t, cat, "Account")
	table := recordTable(recOrg, acc)
	for _, field := range []string{"Ext__c", "Code__c", "ParentId", "Name"} {
		f, _ := acc.Field(field)
		q := `SELECT "Id" FROM ` + quoteIdent(table) + " WHERE " + findCond(f, 1) + ` AND NOT "IsDeleted" ORDER BY "Id"`
		suffix := ""
		if f.Unique {
			suffix = "__u"
		}
		if plan := explain(t, db, q, "x"); !strings.Contains(plan, "Index Scan using "+indexName(table, field, suffix)) &&
			!strings.Contains(plan, "Bitmap Index Scan on "+indexName(table, field, suffix)) {
			t.Errorf("Find on %s:\n%s", field, plan)
		}
	}
	q := `SELECT "Id", "Name" FROM ` + quoteIdent(table) + ` WHERE "Id" = ANY($1)`
	if plan := explain(t, db, q, []string{"001"}); !strings.Contains(plan, table+"_pkey") {
		t.Errorf("Get by ID:\n%s", plan)
	}
	// LoginHistory by ID goes through _seq to login_history's primary key.
	lh := mustObject(t, cat, "LoginHistory")
	q = `SELECT "Id" FROM ` + quoteIdent(recordTable(recOrg, lh)) + " WHERE _org = $1 AND _seq = ANY($2)"
	if plan := explain(t, db, q, string(recOrg), []int64{1}); !strings.Contains(plan, "login_history_pkey") {
		t.Errorf("LoginHistory by ID:\n%s", plan)
	}
}

// TestLongNames checks that objects and fields whose table or index names pass
// PostgreSQL's 63-byte limit get names of their own, not truncated shared ones.
func TestLongNames(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("Very_Long_Object_Name", 2)
	field := func(name string) schema.Field {
		return schema.Field{Name: name, Type: schema.TypeString, Custom: true, ExternalID: true, Unique: true}
	}
	fields := func() []schema.Field {
		return []schema.Field{{Name: "Id", Type: schema.TypeID}, {Name: "IsDeleted", Type: schema.TypeBoolean},
			{Name: "Name", Type: schema.TypeString, NameField: true},
			field(strings.Repeat("Key", 12) + "_One__c"), field(strings.Repeat("Key", 12) + "_Two__c")}
	}
	cat, err := schema.NewCatalog([]*schema.Object{
		{Name: long + "_One__c", KeyPrefix: "a01", Custom: true, Fields: fields()},
		{Name: long + "_Two__c", KeyPrefix: "a02", Custom: true, Fields: fields()},
	})
	if err != nil {
		t.Fatal(err)
	}
	url := pgtest.URL(t)
	db := openAt(t, url)
	ctx := context.Background()
	if err := db.Sync(ctx, recOrg, cat); err != nil {
		t.Fatal(err)
	}
	one, two := mustObject(t, cat, long+"_One__c"), mustObject(t, cat, long+"_Two__c")
	if a, b := recordTable(recOrg, one), recordTable(recOrg, two); a == b || len(a) > maxIdent {
		t.Fatalf("tables %q and %q", a, b)
	}
	k1, k2 := strings.Repeat("Key", 12)+"_One__c", strings.Repeat("Key", 12)+"_Two__c"
	for _, obj := range []*schema.Object{one, two} {
		err := db.Write(ctx, recOrg, func(tx records.Tx) error {
			_, err := tx.Insert(ctx, obj, []records.Record{{"Name": obj.Name, k1: "same", k2: "x"}})
			return err
		})
		if err != nil {
			t.Fatalf("Insert into %s: %v", obj.Name, err)
		}
	}
	// Both unique indexes exist and each names its own field.
	err = db.Write(ctx, recOrg, func(tx records.Tx) error {
		_, err := tx.Insert(ctx, one, []records.Record{{"Name": "dup", k1: "other", k2: "X"}})
		return err
	})
	var dup *records.DuplicateError
	if !errors.As(err, &dup) || dup.Field != k2 {
		t.Errorf("duplicate of %s: %v", k2, err)
	}
	// Another node's Sync finds every table and index (nothing created twice).
	if err := openAt(t, url).Sync(ctx, recOrg, cat); err != nil {
		t.Errorf("Sync again: %v", err)
	}
}

// openAt opens the database at url, closed when t ends.
func openAt(t *testing.T, url string) *DB {
	t.Helper()
	db, err := Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestRecordsReopen: records survive closing the store, are readable by a new process
// before it syncs, and the sequence continues.
func TestRecordsReopen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.URL(t)
	cat := storetest.RecordCatalog(t)
	acc := mustObject(t, cat, "Account")
	db := openAt(t, url)
	if err := db.Sync(ctx, recOrg, cat); err != nil {
		t.Fatal(err)
	}
	var ids []sfid.ID
	err := db.Write(ctx, recOrg, func(tx records.Tx) error {
		var err error
		ids, err = tx.Insert(ctx, acc, []records.Record{{"Name": "Durable", "AnnualRevenue": 1.5}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	db = openAt(t, url)
	got, err := db.Get(ctx, recOrg, acc, ids, []string{"Name", "AnnualRevenue"})
	if err != nil || !cmp.Equal(got, []records.Record{{"Name": "Durable", "AnnualRevenue": 1.5}}) {
		t.Errorf("after reopen: %v, %v", got, err)
	}
	if err := db.Sync(ctx, recOrg, cat); err != nil {
		t.Fatalf("Sync after reopen: %v", err)
	}
	err = db.Write(ctx, recOrg, func(tx records.Tx) error {
		more, err := tx.Insert(ctx, acc, []records.Record{{"Name": "Next"}})
		if err == nil && more[0] != newID("001", 2) {
			t.Errorf("id after reopen = %s, want the sequence to continue at 2", more[0])
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSyncNodesAtOnce: nodes (separate DBs on one schema) syncing the same new org at
// once all succeed — without the advisory lock, CREATE TABLE IF NOT EXISTS of two
// transactions races and one fails — and the tables are usable from every node.
func TestSyncNodesAtOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.URL(t)
	nodes := []*DB{openAt(t, url), openAt(t, url), openAt(t, url)}
	errs := make(chan error, len(nodes))
	for _, db := range nodes {
		go func() { errs <- db.Sync(ctx, recOrg, storetest.RecordCatalog(t)) }()
	}
	for range nodes {
		if err := <-errs; err != nil {
			t.Errorf("Sync: %v", err)
		}
	}
	cat := storetest.RecordCatalog(t)
	acc := mustObject(t, cat, "Account")
	var ids []sfid.ID
	err := nodes[0].Write(ctx, recOrg, func(tx records.Tx) error {
		var err error
		ids, err = tx.Insert(ctx, acc, []records.Record{{"Name": "shared"}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, db := range nodes[1:] {
		if got, err := db.Get(ctx, recOrg, acc, ids, []string{"Name"}); err != nil || len(got) != 1 {
			t.Errorf("node %d reads %v, %v", i+1, got, err)
		}
	}
}

// TestSetupViewOfNewerNode: during a rolling upgrade a node whose User has fewer fields
// keeps the view a newer node made (more columns), so the newer node's reads of the
// extra field go on working; a node needing a column the view lacks replaces it.
func TestSetupViewOfNewerNode(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.URL(t)
	older, newer := openAt(t, url), openAt(t, url)
	objs := storetest.RecordSetupObjects()
	objs[0].Fields = append(objs[0].Fields, schema.Field{Name: "Email", Type: schema.TypeEmail})
	newCat, err := schema.NewCatalog(objs)
	if err != nil {
		t.Fatal(err)
	}
	if err := newer.Sync(ctx, recOrg, newCat); err != nil {
		t.Fatal(err)
	}
	if err := older.Sync(ctx, recOrg, storetest.RecordCatalog(t)); err != nil {
		t.Fatal(err)
	}
	user := mustObject(t, newCat, "User")
	if _, err := newer.Get(ctx, recOrg, user, []sfid.ID{newID("005", 1)}, []string{"Email"}); err != nil {
		t.Errorf("newer node's Get of User.Email after the older node's Sync: %v", err)
	}
	// A node needing a column the view lacks replaces it.
	objs = storetest.RecordSetupObjects()
	objs[0].Fields = append(objs[0].Fields, schema.Field{Name: "TimeZoneSidKey", Type: schema.TypePicklist})
	other, err := schema.NewCatalog(objs)
	if err != nil {
		t.Fatal(err)
	}
	if err := older.Sync(ctx, recOrg, other); err != nil {
		t.Fatal(err)
	}
	if _, err := older.Get(ctx, recOrg, mustObject(t, other, "User"), []sfid.ID{newID("005", 1)}, []string{"TimeZoneSidKey"}); err != nil {
		t.Errorf("Get of User.TimeZoneSidKey after its Sync: %v", err)
	}
}
