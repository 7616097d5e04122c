package server

import (
	"compress/gzip"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"

	"github.com/forcefield/forcefield/internal/apierror"
)

// withRecovery turns a panic in a handler into a 500 in Salesforce's error shape and a log
// line with the stack, instead of a dropped connection. Panics are bugs: the request's
// input must never be able to cause one, which the fuzz tests check.
func withRecovery(next http.Handler, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.ErrorContext(r.Context(), "panic serving request", "panic", v, "method", r.Method, "path", r.URL.Path, "stack", string(debug.Stack()))
				apierror.Write(w, apierror.New(http.StatusInternalServerError, "UNKNOWN_EXCEPTION", "An unexpected error occurred."))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// withSingleSlashes serves a path with doubled slashes as the path without them, where
// http.ServeMux would answer a 301 redirect. Clients that keep the instance URL with a
// trailing slash (sf stores "http://host:port/") and join paths with "/" send
// //services/data/…; jsforce-node then fails on the relative Location of the redirect
// ("Failed to parse URL"), and a redirected POST would lose its body anyway.
func withSingleSlashes(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "//") {
			r2 := new(http.Request)
			*r2 = *r
			u := *r.URL
			for strings.Contains(u.Path, "//") {
				u.Path = strings.ReplaceAll(u.Path, "//", "/")
			}
			u.RawPath = ""
			r2.URL = &u
			r = r2
		}
		next.ServeHTTP(w, r)
	})
}

// withGzipBodies decodes request bodies sent with Content-Encoding: gzip, on every route,
// so that handlers read plain bytes and their size bounds apply to what they decode
// (go-salesforce's WithCompressionHeaders gzips every JSON and CSV body; salesforce-bulk.md
// §0 item 4). A body that is not valid gzip fails when it is read, like a truncated one.
// Other encodings are left to the handlers, which refuse them.
func withGzipBodies(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && strings.EqualFold(strings.TrimSpace(r.Header.Get("Content-Encoding")), "gzip") {
			r.Body = &gzipBody{src: r.Body}
			r.Header.Del("Content-Encoding")
			r.Header.Del("Content-Length")
			r.ContentLength = -1
		}
		next.ServeHTTP(w, r)
	})
}

// gzipBody decompresses src on first read.
type gzipBody struct {
	src io.ReadCloser
	zr  *gzip.Reader
	err error
}

func (b *gzipBody) Read(p []byte) (int, error) {
	if b.zr == nil && b.err == nil {
		b.zr, b.err = gzip.NewReader(b.src)
	}
	if b.err != nil {
		return 0, b.err
	}
	return b.zr.Read(p)
}

func (b *gzipBody) Close() error { return b.src.Close() }
