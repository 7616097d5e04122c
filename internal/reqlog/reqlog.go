// Package reqlog gives every request an ID and makes every log line written with the
// request's context carry it: Middleware stores the ID in the context, and Handler (a
// slog.Handler wrapper) adds it as request_id to each record logged with that context.
// Code that knows the org and user adds them itself (org=, user=).
package reqlog

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
)

type ctxKey struct{}

// ID returns the request ID carried by ctx, or "".
func ID(ctx context.Context) string {
	id, _ := ctx.Value(ctxKey{}).(string)
	return id
}

// Middleware assigns each request a random ID.
func Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b [8]byte
		rand.Read(b[:])
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, hex.EncodeToString(b[:]))))
	})
}

// Handler adds request_id to records logged with a request's context.
type Handler struct{ slog.Handler }

// Handle implements slog.Handler.
func (h Handler) Handle(ctx context.Context, r slog.Record) error {
	if id := ID(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

// WithAttrs implements slog.Handler.
func (h Handler) WithAttrs(as []slog.Attr) slog.Handler { return Handler{h.Handler.WithAttrs(as)} }

// WithGroup implements slog.Handler.
func (h Handler) WithGroup(name string) slog.Handler { return Handler{h.Handler.WithGroup(name)} }
