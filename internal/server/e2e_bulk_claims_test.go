package server

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/bulk"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store/backend"
)

// A job whose claim another node holds is left alone; once that claim expires unrenewed
// (the node died), this node's scan takes the job over and runs it (lease.go). The dead
// node is a claim written straight into the store.
func TestBulkClaimTakeover(t *testing.T) {
	s := startData(t)
	orgID, _ := s.ids(t, "int@acme.example")
	id := s.ingestJob(t, s.int, `{"object":"Account","operation":"insert"}`)
	if r := s.bulkCall(t, s.int, http.MethodPut, "ingest/"+id+"/batches", "text/csv", "Name\nTakeover 1\nTakeover 2\n"); r.Status != http.StatusCreated {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}

	ctx := context.Background()
	st, err := backend.Open(ctx, testDB(t, s.DB))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := s.Clock.Now()
	if ok, err := st.ClaimJob(ctx, sfid.ID(orgID), sfid.ID(id), "dead-node", now, now.Add(bulk.DefaultClaimFor)); err != nil || !ok {
		t.Fatalf("the dead node's claim: %v %v", ok, err)
	}

	if r := s.bulkCall(t, s.int, http.MethodPatch, "ingest/"+id, "application/json", `{"state":"UploadComplete"}`); r.Status != http.StatusOK {
		t.Fatalf("UploadComplete: %d %s", r.Status, r.Body)
	}
	time.Sleep(bulk.DefaultScanEvery + time.Second) // a submit and a scan: both must leave it
	if info := s.bulkCall(t, s.int, http.MethodGet, "ingest/"+id, "", "").JSON(t); info["state"] != "UploadComplete" {
		t.Fatalf("a job another node holds was processed: %v", info)
	}

	t0 := time.Now()
	s.Clock.Advance(bulk.DefaultClaimFor) // the claim has now expired
	info := s.waitJob(t, s.int, "ingest", id)
	t.Logf("taken over and done %v after the claim expired", time.Since(t0).Round(time.Millisecond))
	if info["state"] != "JobComplete" || info["numberRecordsProcessed"] != 2.0 {
		t.Fatalf("job after the claim expired: %v", info)
	}
}
