package server

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/forcefield/forcefield/internal/bulkcsv"
)

// FuzzBulkIngest drives whole Bulk API 2.0 ingest jobs with arbitrary options and CSV
// through the real server: no request is answered with a 5xx, every job that was
// closed ends (JobComplete or Failed with a message, never stuck), and a completed job
// accounts for every processed record exactly once across its results files, each of
// which reads back as CSV. Seeds run with go test; fuzz with
// go test ./internal/server -run '^$' -fuzz FuzzBulkIngest.
func FuzzBulkIngest(f *testing.F) {
	for _, s := range []struct{ job, csv string }{
		{`{"object":"Account","operation":"insert"}`, "Name,NumberOfEmployees\nA,1\n\"B\"\"\",x\n,3\n"},
		{`{"object":"Invoice__c","operation":"upsert","externalIdFieldName":"Number__c"}`, "Number__c,Status__c,Due__c,Paid__c\nN-1,Draft,2026-01-02,true\nN-1,Paid,bad,1\nN-2,Nope,,\n"},
		{`{"object":"Account","operation":"update"}`, "Id,Name\n001000000000000AAA,x\nnot-an-id,y\n,z\n"},
		{`{"object":"Account","operation":"delete"}`, "Id\n001000000000000AAA\n"},
		{`{"object":"Contact","operation":"insert","columnDelimiter":"PIPE","lineEnding":"CRLF"}`, "LastName|Account.Id\r\nX|001000000000000AAA\r\n"},
		{`{"object":"Account","operation":"insert"}`, "\ufeffName\nA\r\n\"unterminated\n"},
		{`{"object":"Account","operation":"insert"}`, "Name,Name\nA,B\n"},
	} {
		f.Add(s.job, []byte(s.csv))
	}
	s := startData(f)
	f.Fuzz(func(t *testing.T, job string, csv []byte) {
		r := s.bulkCall(t, s.int, http.MethodPost, "ingest", "application/json", job)
		if r.Status >= 500 {
			t.Fatalf("create %q: %d %s", job, r.Status, r.Body)
		}
		if r.Status != http.StatusOK {
			return
		}
		id := r.JSON(t)["id"].(string)
		if r := s.bulkCall(t, s.int, http.MethodPut, "ingest/"+id+"/batches", "text/csv", string(csv)); r.Status != http.StatusCreated {
			t.Fatalf("upload: %d %s", r.Status, r.Body)
		}
		if r := s.bulkCall(t, s.int, http.MethodPatch, "ingest/"+id, "application/json", `{"state":"UploadComplete"}`); r.Status != http.StatusOK {
			t.Fatalf("close: %d %s", r.Status, r.Body)
		}
		info := s.waitJob(t, s.int, "ingest", id)
		switch info["state"] {
		case "Failed":
			if msg, _ := info["errorMessage"].(string); msg == "" {
				t.Fatalf("Failed without errorMessage: %v", info)
			}
		case "JobComplete":
		default:
			t.Fatalf("job did not end: %v", info)
		}
		rows := 0
		for _, res := range []string{"successfulResults", "failedResults", "unprocessedrecords"} {
			r := s.bulkCall(t, s.int, http.MethodGet, "ingest/"+id+"/"+res, "", "")
			if r.Status != http.StatusOK {
				t.Fatalf("%s: %d %s", res, r.Status, r.Body)
			}
			n, err := csvRows(r.Body)
			if err != nil {
				t.Fatalf("%s does not read back: %v\n%q", res, err, r.Body)
			}
			if res != "unprocessedrecords" {
				rows += n
			}
		}
		if info["state"] == "JobComplete" && float64(rows) != info["numberRecordsProcessed"] {
			t.Fatalf("results hold %d records, numberRecordsProcessed %v", rows, info["numberRecordsProcessed"])
		}
		s.bulkCall(t, s.int, http.MethodDelete, "ingest/"+id, "", "")
	})
}

// csvRows counts the records after the header of a results file written with the
// default format (every field quoted, so any delimiter reads as one column set).
func csvRows(body string) (int, error) {
	if body == "" {
		return 0, nil
	}
	// Results use the job's delimiter; try each until one reads cleanly.
	var last error
	for _, d := range []rune{',', '|', ';', '\t', '^', '`'} {
		r := bulkcsv.NewReader(strings.NewReader(body), bulkcsv.Format{Delimiter: d, CRLF: strings.Contains(body, "\r\n")})
		if _, err := r.Header(); err != nil {
			last = err
			continue
		}
		n := 0
		var err error
		for {
			if _, err = r.Read(); err != nil {
				break
			}
			n++
		}
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		last = err
	}
	return 0, last
}
