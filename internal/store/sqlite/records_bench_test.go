package sqlite

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/sfid"
)

// BenchmarkInsertRecords inserts Accounts of 10 fields (a unique external ID among them)
// in Writes of 200 records; ns/op is per record.
func BenchmarkInsertRecords(b *testing.B) {
	ctx := context.Background()
	cat := testCatalog(b)
	db, _ := syncedDB(b, cat)
	acc := object(b, cat, "Account")
	owner := sfid.New("005", pod, 1)
	created := time.Now().UTC()
	const batch = 200
	recs := make([]records.Record, batch)
	b.ResetTimer()
	for i := 0; i < b.N; i += batch {
		n := min(batch, b.N-i)
		for j := range n {
			recs[j] = records.Record{
				"Name": fmt.Sprintf("Account %d", i+j), "OwnerId": owner, "CreatedDate": created,
				"AnnualRevenue": 1e6, "NumberOfEmployees": int64(i + j), "Active__c": true,
				"Founded__c": "2001-02-03", "Tags__c": "a;b", "Ext__c": fmt.Sprintf("EXT-%d", i+j),
				"Code__c": "C",
			}
		}
		err := db.Write(ctx, orgA, func(tx records.Tx) error {
			_, err := tx.Insert(ctx, acc, recs[:n])
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
