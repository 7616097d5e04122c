package postgres

import (
	"context"
	"strings"

	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/sfid"
)

// What the query cursors (cursors.go) need of the compiler: the statement of a
// snapshot's root IDs, and a page read through the plan by ID.

// snapshotSQL is the statement reading the root IDs of plan's whole result, in its
// order, within its LIMIT and OFFSET ($n placeholders), with its arguments.
func snapshotSQL(orgID sfid.ID, plan *query.Plan) (string, []any, error) {
	b := newSelectBuilder(orgID, plan, "")
	body, args := b.body(true)
	q := "SELECT " + b.root() + `."Id"` + body + " LIMIT ? OFFSET ?"
	args = append(args, limitArg(plan.Limit), plan.Offset)
	if err := checkVariables(args); err != nil {
		return "", nil, err
	}
	return rebind(q), args, nil
}

// cursorPage reads the rows of ids through plan, in the order of ids: the plan as it
// stands restricted to those IDs (its WHERE, ORDER BY, LIMIT and OFFSET were the
// snapshot's business), the root's IsDeleted rule dropped (records.Cursors). Rows of IDs
// that no longer exist or that the plan's owner rule hides are absent.
func (db *DB) cursorPage(ctx context.Context, orgID sfid.ID, plan *query.Plan, ids []string) ([]records.Row, error) {
	pos := make(map[string]int, len(ids))
	for i, id := range ids {
		pos[id] = i
	}
	page := *plan
	page.Where, page.OrderBy, page.Limit, page.Offset = nil, nil, -1, 0
	b := newSelectBuilder(orgID, &page, "")
	b.anyRoot = true
	exprs := b.selectList(page.Columns)
	exprs = append(exprs, b.root()+`."Id"`)
	b.extra = b.root() + `."Id" = ANY(?)`
	b.extraArgs = []any{ids}
	body, args := b.body(false)
	q := "SELECT " + strings.Join(exprs, ", ") + body
	if err := checkVariables(args); err != nil {
		return nil, err
	}
	slots := make([]*records.Row, len(ids))
	err := db.eachRow(ctx, plan, rebind(q), args, page.Columns, 1, b.pos, func(vals []any) error {
		id, _ := vals[len(page.Columns)].(string)
		if i, ok := pos[id]; ok {
			slots[i] = &records.Row{Values: vals[:len(page.Columns)]}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]records.Row, 0, len(ids))
	for _, r := range slots {
		if r != nil {
			out = append(out, *r)
		}
	}
	if len(plan.Subqueries) > 0 && len(out) > 0 {
		if err := db.fillChildren(ctx, orgID, plan, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}
