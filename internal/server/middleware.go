package server

import (
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
