package sqlite

import (
	"context"
	"strings"
	"testing"

	"github.com/forcefield/forcefield/internal/query"
	. "github.com/forcefield/forcefield/internal/query/querytest"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/soql"
	"github.com/forcefield/forcefield/internal/store/storetest"
)

func TestQueryConformance(t *testing.T) {
	storetest.RunQuery(t, func(t *testing.T) records.Store {
		db, _ := openTemp(t)
		t.Cleanup(func() { db.Close() })
		return db
	})
}

func TestQuerySetupConformance(t *testing.T) {
	storetest.RunQuerySetup(t, func(t *testing.T) storetest.RecordStore {
		db, _ := openTemp(t)
		t.Cleanup(func() { db.Close() })
		return db
	})
}

// SQLite's planner answers an equality on an indexed text field (NOCASE, as the column)
// from the index, not by scanning the table.
func TestQueryUsesIndex(t *testing.T) {
	db, _ := openTemp(t)
	defer db.Close()
	cat, _ := storetest.QueryFixture(t, db, storetest.QueryOrg)
	obj, _ := cat.Object("Account")
	table := recordTable(storetest.QueryOrg, obj)
	mustExec(t, db, `CREATE INDEX "`+table+`_name_test" ON `+quoteIdent(table)+` ("Name")`)
	p, err := query.Resolve(&soql.Query{From: N("Account"), Select: []soql.SelectItem{F("Name")}, Where: Cmp("Name", "=", Str("Acme")), Limit: -1, Offset: -1},
		cat, Admin(), query.Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	b := newSelectBuilder(storetest.QueryOrg, p, "")
	exprs := []string{}
	for i := range p.Columns {
		exprs = append(exprs, b.colExpr(&p.Columns[i]))
	}
	body, args := b.body(true)
	rows, err := db.r.QueryContext(context.Background(), "EXPLAIN QUERY PLAN SELECT "+strings.Join(exprs, ", ")+body+" LIMIT -1 OFFSET 0", args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	joined := strings.Join(plan, "\n")
	if !strings.Contains(joined, "USING INDEX") || strings.Contains(joined, "SCAN t0") {
		t.Errorf("query plan does not use the Name index:\n%s", joined)
	}
}
