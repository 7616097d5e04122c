package query_test

import (
	"strings"
	"testing"

	"github.com/forcefield/forcefield/internal/query"
	. "github.com/forcefield/forcefield/internal/query/querytest"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/soql"
)

// BenchmarkResolveFieldsAll compares parsing and resolving SELECT FIELDS(ALL) FROM
// Account LIMIT 200 with the same query naming every field it expands to (the planner
// alone; docs/performance.md, "FIELDS() and compound fields").
func BenchmarkResolveFieldsAll(b *testing.B) {
	cat, err := schema.NewCatalog(schema.Standard())
	if err != nil {
		b.Fatal(err)
	}
	acct, _ := cat.Object("Account")
	var names []string
	for _, f := range acct.Fields {
		names = append(names, f.Name)
	}
	acc := Admin()
	for _, tc := range []struct{ name, text string }{
		{"named", "SELECT " + strings.Join(names, ", ") + " FROM Account LIMIT 200"},
		{"fields_all", "SELECT FIELDS(ALL) FROM Account LIMIT 200"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				ast, err := soql.Parse(tc.text)
				if err != nil {
					b.Fatal(err)
				}
				p, err := query.Resolve(ast, cat, acc, query.Options{Now: now})
				if err != nil || len(p.Columns) != len(names) {
					b.Fatalf("%v, %d columns", err, len(p.Columns))
				}
			}
		})
	}
}
