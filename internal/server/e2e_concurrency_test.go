package server

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// Concurrent writers, readers and queries of two users on one org: every create reads
// back whole at once, each worker's queries count exactly its own acknowledged creates, and
// all of them are there afterwards. .ci/run runs it under the race detector.
func TestConcurrentDataAPI(t *testing.T) {
	s := startData(t)
	const workers, perWorker = 6, 15
	var wg sync.WaitGroup
	ids := make([][]string, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			tok := s.int
			if w%2 == 1 {
				tok = s.peer
			}
			for i := 0; i < perWorker; i++ {
				name := fmt.Sprintf("C%d-%02d", w, i)
				r := s.call(t, tok, http.MethodPost, "/sobjects/Account", `{"Name":"`+name+`","NumberOfEmployees":`+fmt.Sprint(i)+`}`)
				if r.Status != http.StatusCreated {
					t.Errorf("create %s: %d %s", name, r.Status, r.Body)
					return
				}
				id := r.JSON(t)["id"].(string)
				ids[w] = append(ids[w], id)
				got := s.call(t, tok, http.MethodGet, "/sobjects/Account/"+id+"?fields=Name,NumberOfEmployees", "")
				if !strings.Contains(got.Body, `"Name":"`+name+`","NumberOfEmployees":`+fmt.Sprint(i)+`}`) {
					t.Errorf("read back %s: %d %s", name, got.Status, got.Body)
				}
				if i%5 == 0 {
					a := s.query(t, tok, fmt.Sprintf("SELECT Id FROM Account WHERE Name LIKE 'C%d-%%'", w))
					if a.TotalSize != i+1 {
						t.Errorf("worker %d after %d creates: query sees %d", w, i+1, a.TotalSize)
					}
				}
			}
		}(w)
	}
	wg.Wait()
	if n := s.query(t, s.int, "SELECT COUNT() FROM Account WHERE Name LIKE 'C%'").TotalSize; n != workers*perWorker {
		t.Errorf("after the run: %d accounts, want %d", n, workers*perWorker)
	}
}
