package httpgzip

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestAccepts(t *testing.T) {
	for h, want := range map[string]bool{
		"": false, "gzip": true, "deflate, gzip;q=1.0, *;q=0.5": true, "GZIP": true,
		"gzip;q=0": false, "gzip; q = 0": false, "identity": false, "br": false,
	} {
		if got := Accepts(h); got != want {
			t.Errorf("Accepts(%q) = %v, want %v", h, got, want)
		}
	}
}

// A gzipped request body reaches the handler decoded, without Content-Encoding; a plain
// one untouched; a body that is not gzip fails when read.
func TestDecodeRequests(t *testing.T) {
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write([]byte(`{"object":"Account"}`))
	zw.Close()
	h := DecodeRequests(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, "read: "+err.Error(), 400)
			return
		}
		w.Write([]byte(r.Header.Get("Content-Encoding") + "|" + string(b)))
	}))
	for _, c := range []struct {
		name, enc string
		body      []byte
		want      string
		status    int
	}{
		{"gzip", "gzip", zipped.Bytes(), `|{"object":"Account"}`, 200},
		{"plain", "", []byte("plain"), "|plain", 200},
		{"not gzip", "GZIP", []byte("plain text, not gzip"), "read: gzip: invalid header\n", 400},
	} {
		req := httptest.NewRequest("POST", "/", bytes.NewReader(c.body))
		if c.enc != "" {
			req.Header.Set("Content-Encoding", c.enc)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != c.status || w.Body.String() != c.want {
			t.Errorf("%s: %d %q, want %d %q", c.name, w.Code, w.Body.String(), c.status, c.want)
		}
	}
}

func TestResponse(t *testing.T) {
	for _, accept := range []string{"", "gzip"} {
		req := httptest.NewRequest("GET", "/", nil)
		req.Header.Set("Accept-Encoding", accept)
		w := httptest.NewRecorder()
		body, end := Response(w, req)
		io.WriteString(body, strings.Repeat("row\n", 100))
		if err := end(); err != nil {
			t.Fatal(err)
		}
		got := w.Body.Bytes()
		if accept == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(got))
			if err != nil || w.Header().Get("Content-Encoding") != "gzip" {
				t.Fatalf("gzip answer: %v %v", err, w.Header())
			}
			got, _ = io.ReadAll(zr)
		} else if w.Header().Get("Content-Encoding") != "" {
			t.Errorf("plain answer has Content-Encoding %q", w.Header().Get("Content-Encoding"))
		}
		if string(got) != strings.Repeat("row\n", 100) {
			t.Errorf("Accept-Encoding %q: body %q", accept, got)
		}
	}
}
