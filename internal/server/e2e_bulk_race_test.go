package server

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
)

// One upload per job and one close per job hold when 64 requests race, and the job's
// records are written exactly once (the brief: a limit must hold when 64 requests race).
func TestBulkV2Races(t *testing.T) {
	s := startData(t)
	id := s.ingestJob(t, s.int, `{"object":"Account","operation":"insert"}`)
	const racers = 64
	race := func(method, path, contentType string, body func(i int) string) map[int]int {
		var mu sync.Mutex
		codes := map[int]int{}
		var wg sync.WaitGroup
		for i := range racers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := s.bulkCall(t, s.int, method, path, contentType, body(i))
				mu.Lock()
				codes[r.Status]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		return codes
	}
	codes := race(http.MethodPut, "ingest/"+id+"/batches", "text/csv", func(i int) string {
		return fmt.Sprintf("Name\nRacer %d-a\nRacer %d-b\n", i, i)
	})
	if codes[http.StatusCreated] != 1 || codes[http.StatusConflict] != racers-1 {
		t.Errorf("64 racing uploads: %v, want one 201 and 63 409", codes)
	}
	codes = race(http.MethodPatch, "ingest/"+id, "application/json", func(int) string { return `{"state":"UploadComplete"}` })
	if codes[http.StatusOK] != 1 || codes[http.StatusConflict] != racers-1 {
		t.Errorf("64 racing closes: %v, want one 200 and 63 409", codes)
	}
	info := s.waitJob(t, s.int, "ingest", id)
	if info["state"] != "JobComplete" || info["numberRecordsProcessed"] != 2.0 {
		t.Errorf("job: %v", info)
	}
	if q := s.query(t, s.int, "SELECT Id FROM Account WHERE Name LIKE 'Racer %'"); q.TotalSize != 2 {
		t.Errorf("%d records written, want the 2 of the one upload that landed", q.TotalSize)
	}
}
