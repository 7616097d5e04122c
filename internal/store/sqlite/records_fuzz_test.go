package sqlite

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/sfid"
)

// FuzzRecordValues stores arbitrary text, numbers and times and reads them back unchanged
// through Get, and finds the record by its text through Find.
func FuzzRecordValues(f *testing.F) {
	f.Add("Acme", 1.5, int64(42), int64(0))
	f.Add("", 0.0, int64(-1), int64(-62135596800000))
	f.Add("it's \"quoted\"; DROP TABLE x; --", math.Inf(1), int64(math.MaxInt64), int64(253402300799999))
	f.Add("naïve ÅNGSTRÖM \x00 nul", -0.0, int64(math.MinInt64), int64(1))
	f.Add("\xff\xfe invalid utf-8", math.SmallestNonzeroFloat64, int64(7), int64(-1))
	cat := testCatalog(f)
	db, _ := syncedDB(f, cat)
	acc := object(f, cat, "Account")
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, text string, amount float64, n int64, ms int64) {
		created := time.UnixMilli(ms).UTC()
		rec := records.Record{"Name": text, "Code__c": text, "AnnualRevenue": amount,
			"NumberOfEmployees": n, "CreatedDate": created}
		var ids, found []sfid.ID
		err := db.Write(ctx, orgA, func(tx records.Tx) error {
			var err error
			if ids, err = tx.Insert(ctx, acc, []records.Record{rec}); err != nil {
				return err
			}
			found, err = tx.Find(ctx, acc, "Code__c", text)
			return err
		})
		if err != nil {
			t.Fatalf("Write: %v", err)
		}
		got, err := db.Get(ctx, orgA, acc, ids, []string{"Name", "Code__c", "AnnualRevenue", "NumberOfEmployees", "CreatedDate"})
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		want := records.Record{"Name": text, "Code__c": text, "AnnualRevenue": amount,
			"NumberOfEmployees": n, "CreatedDate": created}
		if math.IsNaN(amount) {
			want["AnnualRevenue"] = nil // SQLite stores NaN as NULL
		}
		if len(got) != 1 {
			t.Fatalf("Get = %v, want one record", got)
		}
		if diff := cmp.Diff(want, got[0]); diff != "" {
			t.Errorf("round trip (-want +got):\n%s", diff)
		}
		if !contains(found, ids[0]) {
			t.Errorf("Find(Code__c = %q) = %v, want it to hold %s", text, found, ids[0])
		}
	})
}

func contains(ids []sfid.ID, id sfid.ID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
