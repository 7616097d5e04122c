package sqlite

import (
	"context"
	"strings"
	"testing"

	"github.com/forcefield/forcefield/internal/sfid"
)

// TestLoginHistoryByID checks that a LoginHistory lookup by ID uses login_history's
// primary key through the view's _seq (the values: storetest.RunRecordsSetup).
func TestLoginHistoryByID(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	defer db.Close()
	o, _, _ := seed(t, db)
	if err := db.Sync(ctx, o.ID, testCatalog(t)); err != nil {
		t.Fatal(err)
	}
	plan := queryPlan(t, db, "SELECT Id FROM s_loginhistory WHERE _org = ? AND _seq IN (?)", string(o.ID), 1)
	if !strings.Contains(plan, "PRIMARY KEY") {
		t.Errorf("LoginHistory lookup by ID does not use the primary key:\n%s", plan)
	}
	if _, ok := seqOf(sfid.New("0Ya", pod, 1), "0Ya"); !ok {
		t.Error("seqOf of a LoginHistory ID: not ok")
	}
}
