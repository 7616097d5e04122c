package server

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/bulk"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store/backend"
)

// A job the process died in the middle of goes on at the next start after its last
// committed chunk: the records of that chunk are not written twice, the others are
// written once (issue 9 §1: "resumed or failed, never lost or half applied").
func TestBulkResumeAfterRestart(t *testing.T) {
	s := startData(t)
	orgID, _ := s.ids(t, "int@acme.example")
	id := s.ingestJob(t, s.int, `{"object":"Account","operation":"insert"}`)
	csv := "Name\nResume 1\nResume 2\nResume 3\nResume 4\nResume 5\n"
	if r := s.bulkCall(t, s.int, http.MethodPut, "ingest/"+id+"/batches", "text/csv", csv); r.Status != http.StatusCreated {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	s.stop()

	// What a process that died after committing the first chunk of two records leaves:
	// the job InProgress, the batch InProgress with RowsDone 2 and those two records.
	ctx := context.Background()
	db, err := backend.Open(ctx, testDB(t, s.DB))
	if err != nil {
		t.Fatal(err)
	}
	org := sfid.ID(orgID)
	if _, err := db.UpdateJob(ctx, org, sfid.ID(id), func(j *bulk.Job) error { j.State = bulk.StateInProgress; return nil }); err != nil {
		t.Fatal(err)
	}
	batches, err := db.Batches(ctx, org, sfid.ID(id))
	if err != nil || len(batches) != 1 {
		t.Fatalf("batches: %v %v", batches, err)
	}
	if _, err := db.UpdateBatch(ctx, org, batches[0].ID, func(b *bulk.Batch) error { b.State = bulk.BatchInProgress; return nil }); err != nil {
		t.Fatal(err)
	}
	err = db.Apply(ctx, org, batches[0].ID, func(records.Tx) (bulk.Progress, error) {
		return bulk.Progress{Rows: 2, Processed: 2}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	s2 := &dataServer{testServer: startWith(t, Config{DB: s.DB})}
	s2.int = s2.token(t, "IntKey0001", "IntSecret0001")
	info := s2.waitJob(t, s2.int, "ingest", id)
	if info["state"] != "JobComplete" || info["numberRecordsProcessed"] != 5.0 || info["numberRecordsFailed"] != 0.0 {
		t.Errorf("resumed job: %v", info)
	}
	q := s2.query(t, s2.int, "SELECT Name FROM Account WHERE Name LIKE 'Resume%' ORDER BY Name")
	var names []string
	for _, r := range q.Records {
		names = append(names, r["Name"].(string))
	}
	if len(names) != 3 || names[0] != "Resume 3" || names[2] != "Resume 5" {
		t.Errorf("records after resume = %v, want Resume 3…5 (1 and 2 were the committed chunk)", names)
	}
}

// Jobs and their data are deleted seven days after they were created, as Salesforce
// does; younger ones stay.
func TestBulkRetention(t *testing.T) {
	s := startData(t)
	old, _ := s.runIngest(t, s.int, `{"object":"Account","operation":"insert"}`, "Name\nOld\n")
	s.Clock.Advance(6 * 24 * time.Hour)
	s.int = s.token(t, "IntKey0001", "IntSecret0001") // the session timed out meanwhile
	young := s.ingestJob(t, s.int, `{"object":"Account","operation":"insert"}`)
	s.Clock.Advance(24*time.Hour + time.Minute)
	s.int = s.token(t, "IntKey0001", "IntSecret0001")
	s.Server.bulk.Sweep(context.Background())
	if r := s.bulkCall(t, s.int, http.MethodGet, "ingest/"+old, "", ""); r.Status != http.StatusNotFound {
		t.Errorf("7-day-old job: %d %s", r.Status, r.Body)
	}
	if r := s.bulkCall(t, s.int, http.MethodGet, "ingest/"+young, "", ""); r.Status != http.StatusOK {
		t.Errorf("6-day-old job: %d %s", r.Status, r.Body)
	}
	// The records the old job wrote are of course still there.
	if q := s.query(t, s.int, "SELECT Id FROM Account WHERE Name = 'Old'"); q.TotalSize != 1 {
		t.Errorf("records of the deleted job: %d", q.TotalSize)
	}
}
