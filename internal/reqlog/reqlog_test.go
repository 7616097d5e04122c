package reqlog

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
)

func TestRequestIDReachesLogLines(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(Handler{slog.NewTextHandler(&buf, nil)})
	var seen string
	h := Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = ID(r.Context())
		log.InfoContext(r.Context(), "hello", "org", "00D")
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	if !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(seen) {
		t.Fatalf("request id %q", seen)
	}
	if !bytes.Contains(buf.Bytes(), []byte("request_id="+seen)) {
		t.Errorf("log line lacks the request id: %s", buf.String())
	}
	buf.Reset()
	log.Info("outside a request")
	if bytes.Contains(buf.Bytes(), []byte("request_id")) {
		t.Errorf("a line outside a request has a request id: %s", buf.String())
	}
}
