// Command bulkload measures Bulk API 2.0 against the REST data API on one server
// (bench/bulk.sh). Every mode prints one line, "RECORDS SECONDS RECORDS_PER_S [RSS…]",
// and fails on any error, any failed record or a wrong record count.
//
// Record i of a load is an Account with six columns: Name = PREFIX + 7 digits,
// NumberOfEmployees = i % 1000, AnnualRevenue = i, Phone, Website and Industry.
//
//	collections  POST /composite/sobjects, 200 records a request (allOrNone), -conns in flight
//	             (as bench/dataload); -ids FILE keeps every -every'th Id (bench/getid.lua)
//	ingest       one Bulk 2.0 insert job: create, PUT the CSV streamed as it is generated,
//	             UploadComplete, poll every -poll until JobComplete; timed from the create
//	query        SOQL -q paged through /query, following nextRecordsUrl (-maxsecs: stop after
//	             the page that ends past that many seconds, for result sets whose paging
//	             takes too long to finish)
//	bulkquery    a Bulk 2.0 query job of -q: create, poll until JobComplete, then every
//	             results page (default maxRecords), following Sforce-Locator to "null";
//	             timed from the create to the last byte of the last page
//
// -pid PID samples the server's VmRSS every 50 ms while timing and adds "rss_start_kb
// rss_max_kb" to the line. -mark FILE (ingest) writes "uploaded" to FILE once the job is
// UploadComplete, and -done FILE writes "done" when it has completed.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

var industries = []string{"Banking", "Technology", "Energy", "Retail", "Apparel"}

var (
	base    = flag.String("url", "http://127.0.0.1:18480", "server base URL")
	token   = flag.String("token", "", "bearer access token")
	version = flag.String("version", "v59.0", "API version")
	prefix  = flag.String("prefix", "B", "Name prefix of the records")
	from    = flag.Int("from", 0, "first record number")
	to      = flag.Int("to", 100000, "record number to stop before")
	conns   = flag.Int("conns", 8, "collections: requests in flight")
	idsFile = flag.String("ids", "", "collections: append a sample of the created Ids to this file")
	every   = flag.Int("every", 10, "collections: keep one Id in every N")
	soql    = flag.String("q", "", "query, bulkquery: the SOQL")
	want    = flag.Int("want", -1, "query, bulkquery: the number of records expected (-1: any)")
	maxSecs = flag.Float64("maxsecs", 0, "query: stop paging after the page that ends past this many seconds (0: page to the end); the line then ends with \"partial\"")
	pid     = flag.Int("pid", 0, "sample this process's VmRSS while timing")
	poll    = flag.Duration("poll", 100*time.Millisecond, "ingest, bulkquery: job poll interval")
	mark    = flag.String("mark", "", "ingest: write 'uploaded' to this file at UploadComplete")
	doneF   = flag.String("done", "", "ingest: write 'done' to this file at JobComplete")
)

// partial is set when query stopped at -maxsecs before the last page.
var partial bool

var client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}, Timeout: 30 * time.Minute}

func main() {
	flag.Parse()
	if flag.NArg() != 1 {
		log.Fatal("usage: bulkload [flags] collections|ingest|query|bulkquery")
	}
	var rss rssSampler
	rss.start(*pid)
	start := time.Now()
	var n int
	var err error
	switch flag.Arg(0) {
	case "collections":
		n, err = collections()
	case "ingest":
		n, err = ingest()
	case "query":
		n, err = restQuery()
	case "bulkquery":
		n, err = bulkQuery()
	default:
		err = fmt.Errorf("unknown mode %q", flag.Arg(0))
	}
	elapsed := time.Since(start)
	rss.stop()
	if err != nil {
		log.Fatal(err)
	}
	if *want >= 0 && n != *want && !partial {
		log.Fatalf("%s: %d records, want %d", flag.Arg(0), n, *want)
	}
	fmt.Printf("%d %.3f %.0f", n, elapsed.Seconds(), float64(n)/elapsed.Seconds())
	if *pid != 0 {
		fmt.Printf(" %d %d", rss.first, rss.max)
	}
	if partial {
		fmt.Print(" partial")
	}
	fmt.Println()
}

func api(path string) string { return *base + "/services/data/" + *version + path }

func do(method, url, ctype string, body io.Reader, want int) (*http.Response, []byte, error) {
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+*token)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, err
	}
	if resp.StatusCode != want {
		return nil, nil, fmt.Errorf("%s %s: HTTP %d: %.500s", method, url, resp.StatusCode, b)
	}
	return resp, b, nil
}

// appendCSV appends record i as a CSV line.
func appendCSV(b []byte, i int) []byte {
	b = fmt.Appendf(b, "%s%07d,%d,%d,+1 555 %07d,https://example.com/%d,%s\n",
		*prefix, i, i%1000, i, i, i, industries[i%len(industries)])
	return b
}

// appendJSON appends record i as a collections member.
func appendJSON(b []byte, i int) []byte {
	return fmt.Appendf(b, `{"attributes":{"type":"Account"},"Name":"%s%07d","NumberOfEmployees":%d,"AnnualRevenue":%d,"Phone":"+1 555 %07d","Website":"https://example.com/%d","Industry":"%s"}`,
		*prefix, i, i%1000, i, i, i, industries[i%len(industries)])
}

const csvHeader = "Name,NumberOfEmployees,AnnualRevenue,Phone,Website,Industry\n"

func collections() (int, error) {
	const batch = 200
	var (
		next    atomic.Int64
		created atomic.Int64
		mu      sync.Mutex
		ids     []string
		failed  atomic.Value
		wg      sync.WaitGroup
	)
	next.Store(int64(*from))
	for range *conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var b []byte
			for failed.Load() == nil {
				lo := int(next.Add(batch)) - batch
				if lo >= *to {
					return
				}
				hi := min(lo+batch, *to)
				b = append(b[:0], `{"allOrNone":true,"records":[`...)
				for i := lo; i < hi; i++ {
					if i > lo {
						b = append(b, ',')
					}
					b = appendJSON(b, i)
				}
				b = append(b, "]}"...)
				_, body, err := do(http.MethodPost, api("/composite/sobjects"), "application/json", bytes.NewReader(b), 200)
				if err != nil {
					failed.Store(err)
					return
				}
				var res []struct {
					ID      string `json:"id"`
					Success bool   `json:"success"`
				}
				if err := json.Unmarshal(body, &res); err != nil || len(res) != hi-lo {
					failed.Store(fmt.Errorf("records %d-%d: bad answer %v: %.300s", lo, hi, err, body))
					return
				}
				for k, r := range res {
					if !r.Success || r.ID == "" {
						failed.Store(fmt.Errorf("record %d failed: %.300s", lo+k, body))
						return
					}
					if *idsFile != "" && (lo+k)%*every == 0 {
						mu.Lock()
						ids = append(ids, r.ID)
						mu.Unlock()
					}
				}
				created.Add(int64(len(res)))
			}
		}()
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		return 0, err
	}
	if *idsFile != "" {
		f, err := os.OpenFile(*idsFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			return 0, err
		}
		w := bufio.NewWriter(f)
		for _, id := range ids {
			w.WriteString(id + "\n")
		}
		if err := w.Flush(); err != nil {
			return 0, err
		}
		f.Close()
	}
	return int(created.Load()), nil
}

type jobInfo struct {
	ID                     string `json:"id"`
	State                  string `json:"state"`
	ErrorMessage           string `json:"errorMessage"`
	NumberRecordsProcessed int64  `json:"numberRecordsProcessed"`
	NumberRecordsFailed    int64  `json:"numberRecordsFailed"`
}

func jobJSON(b []byte) (jobInfo, error) {
	var j jobInfo
	if err := json.Unmarshal(b, &j); err != nil {
		return j, fmt.Errorf("job info: %w: %.300s", err, b)
	}
	return j, nil
}

// csvStream generates the upload as it is sent, 64 KB at a time.
type csvStream struct {
	i   int
	buf []byte
	off int
}

func (s *csvStream) Read(p []byte) (int, error) {
	for s.off == len(s.buf) {
		if s.i >= *to {
			return 0, io.EOF
		}
		s.buf, s.off = s.buf[:0], 0
		if s.i == *from {
			s.buf = append(s.buf, csvHeader...)
		}
		for ; s.i < *to && len(s.buf) < 64<<10; s.i++ {
			s.buf = appendCSV(s.buf, s.i)
		}
	}
	n := copy(p, s.buf[s.off:])
	s.off += n
	return n, nil
}

func waitJob(path string) (jobInfo, error) {
	for {
		_, b, err := do(http.MethodGet, api(path), "", nil, 200)
		if err != nil {
			return jobInfo{}, err
		}
		j, err := jobJSON(b)
		if err != nil {
			return j, err
		}
		switch j.State {
		case "JobComplete":
			return j, nil
		case "Failed", "Aborted":
			return j, fmt.Errorf("job %s: %s %s", j.ID, j.State, j.ErrorMessage)
		}
		time.Sleep(*poll)
	}
}

func ingest() (int, error) {
	_, b, err := do(http.MethodPost, api("/jobs/ingest"), "application/json",
		strings.NewReader(`{"object":"Account","operation":"insert","contentType":"CSV","lineEnding":"LF","columnDelimiter":"COMMA"}`), 200)
	if err != nil {
		return 0, err
	}
	j, err := jobJSON(b)
	if err != nil {
		return 0, err
	}
	if _, _, err := do(http.MethodPut, api("/jobs/ingest/"+j.ID+"/batches"), "text/csv", &csvStream{i: *from}, 201); err != nil {
		return 0, err
	}
	if _, _, err := do(http.MethodPatch, api("/jobs/ingest/"+j.ID), "application/json", strings.NewReader(`{"state":"UploadComplete"}`), 200); err != nil {
		return 0, err
	}
	if *mark != "" {
		os.WriteFile(*mark, []byte("uploaded\n"), 0o644)
	}
	j, err = waitJob("/jobs/ingest/" + j.ID)
	if err != nil {
		return 0, err
	}
	if *doneF != "" {
		os.WriteFile(*doneF, []byte("done\n"), 0o644)
	}
	if j.NumberRecordsFailed != 0 {
		return 0, fmt.Errorf("job %s: %d records failed", j.ID, j.NumberRecordsFailed)
	}
	if j.NumberRecordsProcessed != int64(*to-*from) {
		return 0, fmt.Errorf("job %s: %d records processed, want %d", j.ID, j.NumberRecordsProcessed, *to-*from)
	}
	return int(j.NumberRecordsProcessed), nil
}

func restQuery() (int, error) {
	u := api("/query?q=" + url.QueryEscape(*soql))
	n := 0
	start := time.Now()
	for {
		_, b, err := do(http.MethodGet, u, "", nil, 200)
		if err != nil {
			return 0, err
		}
		var page struct {
			Done           bool              `json:"done"`
			NextRecordsURL string            `json:"nextRecordsUrl"`
			Records        []json.RawMessage `json:"records"`
		}
		if err := json.Unmarshal(b, &page); err != nil {
			return 0, fmt.Errorf("query page: %w", err)
		}
		n += len(page.Records)
		if page.Done {
			return n, nil
		}
		if *maxSecs > 0 && time.Since(start).Seconds() > *maxSecs {
			partial = true
			return n, nil
		}
		u = *base + page.NextRecordsURL
	}
}

func bulkQuery() (int, error) {
	body, _ := json.Marshal(map[string]string{"operation": "query", "query": *soql, "contentType": "CSV", "lineEnding": "LF", "columnDelimiter": "COMMA"})
	_, b, err := do(http.MethodPost, api("/jobs/query"), "application/json", bytes.NewReader(body), 200)
	if err != nil {
		return 0, err
	}
	j, err := jobJSON(b)
	if err != nil {
		return 0, err
	}
	if _, err := waitJob("/jobs/query/" + j.ID); err != nil {
		return 0, err
	}
	n, locator := 0, ""
	for {
		u := api("/jobs/query/" + j.ID + "/results")
		if locator != "" {
			u += "?locator=" + url.QueryEscape(locator)
		}
		resp, b, err := do(http.MethodGet, u, "", nil, 200)
		if err != nil {
			return 0, err
		}
		lines := bytes.Count(b, []byte{'\n'}) - 1 // the header row; values here hold no newlines
		got, err := strconv.Atoi(resp.Header.Get("Sforce-NumberOfRecords"))
		if err != nil || got != lines {
			return 0, fmt.Errorf("results page: Sforce-NumberOfRecords %q, %d lines", resp.Header.Get("Sforce-NumberOfRecords"), lines)
		}
		n += got
		locator = resp.Header.Get("Sforce-Locator")
		if locator == "null" {
			return n, nil
		}
		if locator == "" {
			return 0, errors.New("results page without Sforce-Locator")
		}
	}
}

// rssSampler records a process's VmRSS at the start and its maximum while running.
type rssSampler struct {
	first, max int64
	quit       chan struct{}
	wg         sync.WaitGroup
}

func vmRSS(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

func (s *rssSampler) start(pid int) {
	if pid == 0 {
		return
	}
	s.first = vmRSS(pid)
	s.max = s.first
	s.quit = make(chan struct{})
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-s.quit:
				return
			case <-t.C:
				s.max = max(s.max, vmRSS(pid))
			}
		}
	}()
}

func (s *rssSampler) stop() {
	if s.quit == nil {
		return
	}
	close(s.quit)
	s.wg.Wait()
	s.max = max(s.max, vmRSS(*pid))
}
