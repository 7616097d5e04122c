// Package httpgzip is gzip for HTTP bodies, in one place for every surface: request
// bodies sent with Content-Encoding: gzip are decoded before any handler reads them
// (go-salesforce's WithCompressionHeaders gzips its JSON and CSV bodies), and the large
// answers that Salesforce compresses when asked — Bulk API results — are compressed when
// the request's Accept-Encoding allows it (salesforce-bulk.md §0 items 4–5, §3.4).
package httpgzip

import (
	"compress/gzip"
	"io"
	"net/http"
	"strings"
)

// DecodeRequests decodes request bodies sent with Content-Encoding: gzip, so that
// handlers read plain bytes and their size bounds apply to what they decode. A body that
// is not valid gzip fails when it is read, like a truncated one. Other encodings are
// left to the handlers, which refuse them.
func DecodeRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && strings.EqualFold(strings.TrimSpace(r.Header.Get("Content-Encoding")), "gzip") {
			r.Body = &body{src: r.Body}
			r.Header.Del("Content-Encoding")
			r.Header.Del("Content-Length")
			r.ContentLength = -1
		}
		next.ServeHTTP(w, r)
	})
}

// body decompresses src on first read.
type body struct {
	src io.ReadCloser
	zr  *gzip.Reader
	err error
}

func (b *body) Read(p []byte) (int, error) {
	if b.zr == nil && b.err == nil {
		b.zr, b.err = gzip.NewReader(b.src)
	}
	if b.err != nil {
		return 0, b.err
	}
	return b.zr.Read(p)
}

func (b *body) Close() error { return b.src.Close() }

// Response returns the writer for w's body — gzip, with Content-Encoding and Vary set,
// when r's Accept-Encoding allows it — and the func that ends the body. Call it before
// WriteHeader.
func Response(w http.ResponseWriter, r *http.Request) (io.Writer, func() error) {
	if !Accepts(r.Header.Get("Accept-Encoding")) {
		return w, func() error { return nil }
	}
	w.Header().Set("Content-Encoding", "gzip")
	w.Header().Add("Vary", "Accept-Encoding")
	zw := gzip.NewWriter(w)
	return zw, zw.Close
}

// Accepts reports whether an Accept-Encoding value allows gzip (and does not refuse it
// with q=0).
func Accepts(h string) bool {
	for part := range strings.SplitSeq(h, ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.ReplaceAll(strings.TrimSpace(q), " ", "") != "q=0" {
			return true
		}
	}
	return false
}
