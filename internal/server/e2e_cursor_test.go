package server

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Query cursors (issue 13 §2): a query's pages are one consistent result, held in the
// database — writes between pages neither skip nor repeat a row, the locator survives a
// restart, and many clients paging while others write each see one result.

// seedAccounts creates n Accounts named prefix0000, prefix0001, … through collections
// and returns their IDs in name order.
func seedAccounts(t *testing.T, s *dataServer, prefix string, n int) []string {
	t.Helper()
	var ids []string
	for start := 0; start < n; start += 200 {
		var recs []string
		for i := start; i < min(start+200, n); i++ {
			recs = append(recs, fmt.Sprintf(`{"attributes":{"type":"Account"},"Name":"%s%04d"}`, prefix, i))
		}
		r := s.call(t, s.int, http.MethodPost, "/composite/sobjects", `{"allOrNone":true,"records":[`+strings.Join(recs, ",")+`]}`)
		var res []struct {
			ID      string `json:"id"`
			Success bool   `json:"success"`
		}
		if err := json.Unmarshal([]byte(r.Body), &res); err != nil || r.Status != http.StatusOK {
			t.Fatalf("collection create: %d %.300s", r.Status, r.Body)
		}
		for _, x := range res {
			if !x.Success {
				t.Fatalf("collection create: %.300s", r.Body)
			}
			ids = append(ids, x.ID)
		}
	}
	return ids
}

// fetchPage GETs a query page (path under /services/data/v59.0, or a nextRecordsUrl)
// with Sforce-Query-Options batchSize; it is safe to call from any goroutine.
func fetchPage(baseURL, token, path string, batch int) (queryAnswer, error) {
	if !strings.HasPrefix(path, "/services") {
		path = "/services/data/v59.0" + path
	}
	req, err := http.NewRequest(http.MethodGet, baseURL+path, nil)
	if err != nil {
		return queryAnswer{}, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if batch > 0 {
		req.Header.Set("Sforce-Query-Options", fmt.Sprintf("batchSize=%d", batch))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return queryAnswer{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return queryAnswer{}, err
	}
	if resp.StatusCode != http.StatusOK {
		return queryAnswer{}, fmt.Errorf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	var a queryAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		return queryAnswer{}, fmt.Errorf("GET %s: %v: %.200s", path, err, body)
	}
	return a, nil
}

func mustPage(t *testing.T, s *dataServer, token, path string, batch int) queryAnswer {
	t.Helper()
	a, err := fetchPage(s.URL, token, path, batch)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func queryPath(soql string) string { return "/query?q=" + url.QueryEscape(soql) }

// Between the first and the later pages of a 1,000-row result, another client inserts
// matching rows before and after the page boundary, deletes rows of a later page and
// moves rows across the sort order (one already read to the end, one not yet read to the
// front). Re-running the query from an offset would skip rows and repeat others; the
// cursor returns exactly the 1,000 rows of the first page's result, once each, in its
// order, with totalSize 1000 on every page — deleted rows still come, as they are now
// (IsDeleted true), and the moved rows at their snapshot positions with their new names.
func TestQueryCursorWritesBetweenPages(t *testing.T) {
	s := startData(t)
	ids := seedAccounts(t, s, "K", 1000)
	const soql = "SELECT Id, Name, IsDeleted FROM Account WHERE Name LIKE 'K%' ORDER BY Name"
	first := mustPage(t, s, s.int, queryPath(soql), 200)
	if first.TotalSize != 1000 || first.Done || len(first.Records) != 200 {
		t.Fatalf("first page: total %d done %v records %d", first.TotalSize, first.Done, len(first.Records))
	}

	// Writes between pages (through the REST API, as another integration would).
	seedAccounts(t, s, "K0100x", 30) // sorts inside the first pages
	seedAccounts(t, s, "K9", 30)     // sorts at the end
	for _, i := range []int{600, 601, 602, 950} {
		if r := s.call(t, s.peer, http.MethodDelete, "/sobjects/Account/"+ids[i], ""); r.Status != http.StatusNoContent {
			t.Fatalf("delete: %d %s", r.Status, r.Body)
		}
	}
	for id, name := range map[string]string{ids[50]: "K9999 moved from 50", ids[900]: "K0000 moved from 900"} {
		if r := s.call(t, s.peer, http.MethodPatch, "/sobjects/Account/"+id, `{"Name":"`+name+`"}`); r.Status != http.StatusNoContent {
			t.Fatalf("update: %d %s", r.Status, r.Body)
		}
	}

	got := first.Records
	next := first.NextRecordsURL
	pages := 1
	for next != "" {
		p := mustPage(t, s, s.int, next, 0)
		if p.TotalSize != 1000 {
			t.Errorf("page %d: totalSize %d, want 1000", pages+1, p.TotalSize)
		}
		if (p.NextRecordsURL == "") != p.Done {
			t.Errorf("page %d: done %v with nextRecordsUrl %q", pages+1, p.Done, p.NextRecordsURL)
		}
		got = append(got, p.Records...)
		next = p.NextRecordsURL
		pages++
	}
	if pages != 5 || len(got) != 1000 {
		t.Fatalf("%d pages, %d records; want 5 pages of 1000", pages, len(got))
	}
	for i, rec := range got {
		name := fmt.Sprintf("K%04d", i)
		deleted := i == 600 || i == 601 || i == 602 || i == 950
		if i == 900 { // row 50 was read on page 1, before its update
			name = "K0000 moved from 900"
		}
		if rec["Id"] != ids[i] || rec["Name"] != name || rec["IsDeleted"] != deleted {
			t.Errorf("row %d: %v %v %v, want %s %s %v", i, rec["Id"], rec["Name"], rec["IsDeleted"], ids[i], name, deleted)
		}
	}

	// The last page closed the cursor: its locators are gone.
	wantErrorBody(t, s.call(t, s.int, http.MethodGet, first.NextRecordsURL, ""), 400,
		`[{"message":"invalid query locator","errorCode":"INVALID_QUERY_LOCATOR"}]`)
	// A new query sees the writes: 1000 + 60 inserted - 4 deleted.
	if again := mustPage(t, s, s.int, queryPath(soql), 200); again.TotalSize != 1056 {
		t.Errorf("a new query: totalSize %d, want 1056", again.TotalSize)
	}
}

// A row updated before its page is served comes with its new values at its snapshot
// position, and a parent field and a child subquery are read through the same plan.
func TestQueryCursorPageReadsThroughPlan(t *testing.T) {
	s := startData(t)
	ids := seedAccounts(t, s, "R", 450)
	r := s.call(t, s.int, http.MethodPost, "/sobjects/Contact", `{"LastName":"Child","AccountId":"`+ids[420]+`"}`)
	if r.Status != http.StatusCreated {
		t.Fatalf("contact: %d %s", r.Status, r.Body)
	}
	const soql = "SELECT Name, Owner.Name, (SELECT LastName FROM Contacts) FROM Account WHERE Name LIKE 'R%' ORDER BY Name"
	first := mustPage(t, s, s.int, queryPath(soql), 200)
	if r := s.call(t, s.int, http.MethodPatch, "/sobjects/Account/"+ids[410], `{"Name":"A moved"}`); r.Status != http.StatusNoContent {
		t.Fatalf("update: %d %s", r.Status, r.Body)
	}
	second := mustPage(t, s, s.int, first.NextRecordsURL, 0)
	third := mustPage(t, s, s.int, second.NextRecordsURL, 0)
	if len(second.Records) != 200 || len(third.Records) != 50 || !third.Done {
		t.Fatalf("pages: %d, %d records, done %v", len(second.Records), len(third.Records), third.Done)
	}
	moved, child := third.Records[10], third.Records[20]
	if moved["Name"] != "A moved" {
		t.Errorf("row 410: %v, want the new name at its snapshot position", moved["Name"])
	}
	owner, _ := moved["Owner"].(map[string]any)
	if owner == nil || owner["Name"] != "Ina Integration" {
		t.Errorf("row 410 Owner: %v", moved["Owner"])
	}
	kids, _ := child["Contacts"].(map[string]any)
	if kids == nil || kids["totalSize"] != 1.0 {
		t.Errorf("row 420 Contacts: %v", child["Contacts"])
	}
	if third.Records[0]["Contacts"] != nil {
		t.Errorf("row 400 Contacts: %v, want null", third.Records[0]["Contacts"])
	}
}

// A cursor belongs to the user who opened it: anyone else — another user of the org, a
// user with less access, another org — gets INVALID_QUERY_LOCATOR. An aggregate query's
// pages still run (without a snapshot: its rows have no IDs).
func TestQueryCursorOwnerAndAggregates(t *testing.T) {
	s := startData(t)
	seedAccounts(t, s, "G", 450)
	first := mustPage(t, s, s.int, queryPath("SELECT Name FROM Account WHERE Name LIKE 'G%' ORDER BY Name"), 200)
	for _, tok := range []string{s.peer, s.reader, s.globex} {
		wantErrorBody(t, s.call(t, tok, http.MethodGet, first.NextRecordsURL, ""), 400,
			`[{"message":"invalid query locator","errorCode":"INVALID_QUERY_LOCATOR"}]`)
	}
	agg := mustPage(t, s, s.int, queryPath("SELECT Name, COUNT(Id) n FROM Account WHERE Name LIKE 'G%' GROUP BY Name ORDER BY Name"), 200)
	if agg.TotalSize != 450 || agg.Done || len(agg.Records) != 200 {
		t.Fatalf("aggregate first page: total %d done %v records %d", agg.TotalSize, agg.Done, len(agg.Records))
	}
	var names []any
	for p := agg; ; {
		for _, r := range p.Records {
			names = append(names, r["Name"])
		}
		if p.Done {
			break
		}
		p = mustPage(t, s, s.int, p.NextRecordsURL, 0)
	}
	if len(names) != 450 || names[0] != "G0000" || names[449] != "G0449" {
		t.Errorf("aggregate pages: %d rows, %v … %v", len(names), names[0], names[len(names)-1])
	}
}

// A user keeps 10 cursors: opening an 11th releases their least recently used one (its
// locator answers INVALID_QUERY_LOCATOR), and never another user's.
func TestQueryCursorsPerUser(t *testing.T) {
	s := startData(t)
	seedAccounts(t, s, "U", 201)
	const soql = "SELECT Name FROM Account WHERE Name LIKE 'U%' ORDER BY Name"
	peer := mustPage(t, s, s.peer, queryPath(soql), 200).NextRecordsURL
	var locs []string
	for range 10 {
		s.Clock.Advance(time.Minute)
		locs = append(locs, mustPage(t, s, s.int, queryPath(soql), 200).NextRecordsURL)
	}
	// Serving a page renews a cursor, but its last page closes it: renew cursor 0 by
	// asking for its position 0 again.
	s.Clock.Advance(time.Minute)
	renew := strings.TrimSuffix(locs[0], "-200") + "-0"
	if p := mustPage(t, s, s.int, renew, 0); len(p.Records) != 200 || p.Done {
		t.Fatalf("position 0 again: %d records, done %v", len(p.Records), p.Done)
	}
	s.Clock.Advance(time.Minute)
	mustPage(t, s, s.int, queryPath(soql), 200)
	wantErrorBody(t, s.call(t, s.int, http.MethodGet, locs[1], ""), 400,
		`[{"message":"invalid query locator","errorCode":"INVALID_QUERY_LOCATOR"}]`)
	for _, loc := range append([]string{locs[0]}, locs[2:]...) {
		if p := mustPage(t, s, s.int, loc, 0); len(p.Records) != 1 {
			t.Errorf("%s: %d records", loc, len(p.Records))
		}
	}
	if p := mustPage(t, s, s.peer, peer, 0); len(p.Records) != 1 {
		t.Errorf("the other user's cursor: %d records", len(p.Records))
	}
}

// The cursor is in the database: a locator served by one server process is followed on
// a new process over the same database file, and still expires after 15 idle minutes.
func TestQueryCursorSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	orgFile := filepath.Join(dir, "data.yaml")
	if err := os.WriteFile(orgFile, []byte(dataOrgFile), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := Config{DB: filepath.Join(dir, "ff.db"), OrgFile: orgFile}
	const soql = "SELECT Id, Name FROM Account WHERE Name LIKE 'Y%' ORDER BY Name"
	var ids []string
	var tok, next, expiring string
	t.Run("first server", func(t *testing.T) {
		s := &dataServer{testServer: startWith(t, cfg)}
		s.int = s.token(t, "IntKey0001", "IntSecret0001")
		tok = s.int
		ids = seedAccounts(t, s, "Y", 500)
		first := mustPage(t, s, tok, queryPath(soql), 200)
		next = first.NextRecordsURL
		expiring = mustPage(t, s, tok, queryPath(soql), 200).NextRecordsURL
		// Written after the snapshot: not part of the result.
		seedAccounts(t, s, "Y0000", 5)
	})
	s := &dataServer{testServer: startWith(t, cfg)}
	var got []string
	for next != "" {
		p := mustPage(t, s, tok, next, 0)
		if p.TotalSize != 500 {
			t.Errorf("totalSize %d after restart, want 500", p.TotalSize)
		}
		for _, r := range p.Records {
			got = append(got, r["Id"].(string))
		}
		next = p.NextRecordsURL
	}
	if len(got) != 300 || got[0] != ids[200] || got[299] != ids[499] {
		t.Fatalf("after restart: %d rows", len(got))
	}
	s.Clock.Advance(15*time.Minute + time.Second)
	wantErrorBody(t, s.call(t, tok, http.MethodGet, expiring, ""), 400,
		`[{"message":"invalid query locator","errorCode":"INVALID_QUERY_LOCATOR"}]`)
}

// Several clients page the same query concurrently, each several times, while writers
// insert, update and delete matching Accounts: every run sees each row of its result
// once, as many rows as its first page's totalSize, which every page repeats.
func TestQueryCursorRace(t *testing.T) {
	s := startData(t)
	seedAccounts(t, s, "Z", 800)
	const soql = "SELECT Id, Name FROM Account WHERE Name LIKE 'Z%' ORDER BY Name"
	stop := make(chan struct{})
	var writers, readers sync.WaitGroup
	errs := make(chan error, 100)
	for w := range 2 {
		writers.Add(1)
		go func() {
			defer writers.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				body := fmt.Sprintf(`{"allOrNone":true,"records":[{"attributes":{"type":"Account"},"Name":"Z%04d-w%d-%d"},{"attributes":{"type":"Account"},"Name":"Z%d"}]}`, i*7%800, w, i, i)
				req, _ := http.NewRequest(http.MethodPost, s.URL+"/services/data/v59.0/composite/sobjects", strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+s.peer)
				req.Header.Set("Content-Type", "application/json")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					errs <- err
					return
				}
				var res []struct{ ID string }
				json.NewDecoder(resp.Body).Decode(&res)
				resp.Body.Close()
				if len(res) == 2 {
					// Delete one of the new rows and rename the other across the sort order.
					for _, op := range []struct{ method, id, body string }{
						{http.MethodDelete, res[0].ID, ""},
						{http.MethodPatch, res[1].ID, `{"Name":"Z0000-renamed"}`},
					} {
						req, _ := http.NewRequest(op.method, s.URL+"/services/data/v59.0/sobjects/Account/"+op.id, strings.NewReader(op.body))
						req.Header.Set("Authorization", "Bearer "+s.peer)
						req.Header.Set("Content-Type", "application/json")
						if resp, err := http.DefaultClient.Do(req); err == nil {
							resp.Body.Close()
						}
					}
				}
			}
		}()
	}
	for r := range 4 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			tok := s.int
			if r%2 == 1 {
				tok = s.peer
			}
			for run := range 3 {
				p, err := fetchPage(s.URL, tok, queryPath(soql), 200)
				if err != nil {
					errs <- err
					return
				}
				total := p.TotalSize
				seen := map[string]bool{}
				for {
					if p.TotalSize != total {
						errs <- fmt.Errorf("reader %d run %d: totalSize %d then %d", r, run, total, p.TotalSize)
					}
					for _, rec := range p.Records {
						id := rec["Id"].(string)
						if seen[id] {
							errs <- fmt.Errorf("reader %d run %d: %s repeated", r, run, id)
						}
						seen[id] = true
					}
					if p.Done {
						break
					}
					if p, err = fetchPage(s.URL, tok, p.NextRecordsURL, 0); err != nil {
						errs <- err
						return
					}
				}
				if len(seen) != total {
					errs <- fmt.Errorf("reader %d run %d: %d rows of %d", r, run, len(seen), total)
				}
			}
		}()
	}
	readers.Wait()
	close(stop)
	writers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// A later page is read through the query resolved again as the user stands now: when an
// org file applied between pages takes away read access to a selected field, the next
// page answers INVALID_FIELD rather than the field's values.
func TestQueryCursorRechecksAccess(t *testing.T) {
	s := startData(t)
	seedAccounts(t, s, "F", 450)
	first := mustPage(t, s, s.int, queryPath("SELECT Name, AnnualRevenue FROM Account WHERE Name LIKE 'F%' ORDER BY Name"), 200)
	second := mustPage(t, s, s.int, first.NextRecordsURL, 0)
	if len(second.Records) != 200 {
		t.Fatalf("second page: %d records", len(second.Records))
	}
	revoked := strings.Replace(dataOrgFile, "Account.AnnualRevenue: [Read]", "Account.AnnualRevenue: []", 1)
	if revoked == dataOrgFile {
		t.Fatal("the data org file changed: update this test")
	}
	if r := s.admin(t, http.MethodPost, "/apply?name=data.yaml", revoked); r.Status != http.StatusOK {
		t.Fatalf("apply: %d %s", r.Status, r.Body)
	}
	r := s.call(t, s.int, http.MethodGet, second.NextRecordsURL, "")
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, `"errorCode":"INVALID_FIELD"`) || strings.Contains(r.Body, "F04") {
		t.Errorf("page after the field's read access was revoked: %d %s", r.Status, r.Body)
	}
}
