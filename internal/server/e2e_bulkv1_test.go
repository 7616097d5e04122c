package server

import (
	"encoding/xml"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Bulk API 1.0 end to end over real HTTP (/services/async/XX.X, salesforce-bulk.md §4, §7).

// v1 sends a Bulk API 1.0 request to /services/async/59.0 + path with the token in
// X-SFDC-Session ("" for none) and extra headers as name, value pairs.
func (s *dataServer) v1(t *testing.T, token, method, path, contentType, body string, headers ...string) response {
	t.Helper()
	req := newRequest(t, method, s.URL+"/services/async/59.0"+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("X-SFDC-Session", token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return do(t, req)
}

// xmlField is the text of the first <name> element of an XML body.
func xmlField(t *testing.T, body, name string) string {
	t.Helper()
	m := regexp.MustCompile("<" + name + ">([^<]*)</" + name + ">").FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no <%s> in %s", name, body)
	}
	return m[1]
}

// v1Create creates a job from an XML jobInfo body and returns its id.
func (s *dataServer) v1Create(t *testing.T, token, op, object, contentType string, headers ...string) string {
	t.Helper()
	body := `<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns="http://www.force.com/2009/06/asyncapi/dataload">` +
		`<operation>` + op + `</operation><object>` + object + `</object><contentType>` + contentType + `</contentType></jobInfo>`
	r := s.v1(t, token, http.MethodPost, "/job", "application/xml; charset=utf-8", body, headers...)
	if r.Status != http.StatusCreated {
		t.Fatalf("create job: %d %s", r.Status, r.Body)
	}
	return xmlField(t, r.Body, "id")
}

// v1Wait polls a batch until it is no longer Queued or InProgress and returns its last
// batchInfo body (XML or JSON as the job answers).
func (s *dataServer) v1Wait(t *testing.T, token, jobID, batchID string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		r := s.v1(t, token, http.MethodGet, "/job/"+jobID+"/batch/"+batchID, "", "")
		if r.Status != http.StatusOK {
			t.Fatalf("batch info: %d %s", r.Status, r.Body)
		}
		if !strings.Contains(r.Body, "Queued") && !strings.Contains(r.Body, "InProgress") {
			return r.Body
		}
		if time.Now().After(deadline) {
			t.Fatalf("batch %s still running: %s", batchID, r.Body)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestBulkV1Smoke(t *testing.T) {
	s := startData(t)
	job := s.v1Create(t, s.int, "insert", "Account", "CSV")
	r := s.v1(t, s.int, http.MethodPost, "/job/"+job+"/batch", "text/csv", "Name,Industry\nAcme 1,Technology\n\"Acme, \"\"2\"\"\",\n")
	if r.Status != http.StatusCreated {
		t.Fatalf("add batch: %d %s", r.Status, r.Body)
	}
	bid := xmlField(t, r.Body, "id")
	t.Log(s.v1Wait(t, s.int, job, bid))
	r = s.v1(t, s.int, http.MethodGet, "/job/"+job+"/batch/"+bid+"/result", "", "")
	t.Log(r.Status, r.Header.Get("Content-Type"), r.Body)

	q := s.v1Create(t, s.int, "query", "Account", "CSV")
	r = s.v1(t, s.int, http.MethodPost, "/job/"+q+"/batch", "text/csv", "SELECT Id, Name, CreatedDate FROM Account ORDER BY Name")
	qb := xmlField(t, r.Body, "id")
	t.Log(s.v1Wait(t, s.int, q, qb))
	r = s.v1(t, s.int, http.MethodGet, "/job/"+q+"/batch/"+qb+"/result", "", "")
	t.Log(r.Body)
	var rl struct {
		Result []string `xml:"result"`
	}
	xml.Unmarshal([]byte(r.Body), &rl)
	r = s.v1(t, s.int, http.MethodGet, "/job/"+q+"/batch/"+qb+"/result/"+rl.Result[0], "", "")
	t.Log(r.Status, r.Header.Get("Content-Type"), r.Body)
	r = s.v1(t, s.int, http.MethodGet, "/job/"+q, "", "")
	t.Log(r.Body)
}
