package server

import (
	"log/slog"
	"net/http"
	"runtime/debug"

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
