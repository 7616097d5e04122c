package server

import (
	"errors"
	"io"
	"net/http"
	"time"
)

// DefaultBodyIdleTimeout is how long a request body may go without a byte arriving
// before the connection is cut (Config.BodyIdleTimeout). 60 seconds is nginx's
// client_body_timeout, the same rule ("between two successive read operations"): it cuts
// a client that stopped sending — one that sends headers and half a body would otherwise
// hold its connection for ever — while a slow client that keeps sending survives however
// long its upload takes (a 150 MB Bulk upload at 1 MB/s takes 150 s and never waits a
// second for a byte). A whole-request ReadTimeout could not do both: it would have to
// exceed the slowest legitimate upload, and so protect nothing. docs/operations.md.
const DefaultBodyIdleTimeout = 60 * time.Second

// withBodyIdleTimeout moves the connection's read deadline to idle from now before each
// read of a request body, so that the deadline only passes when no byte came for idle; a
// read past it fails (the handler answers, the connection is closed). It must wrap the
// server's own ResponseWriter (outermost), which supports read deadlines.
//
// Requests without a body are left alone: net/http is already reading their connection
// in the background to notice a client that goes away, and a deadline there would cancel
// a long handler. For the same reason the deadline is cleared once the body has been read
// to its end (that is when the background read starts). If the handler leaves part of
// the body unread, the deadline is set once more for the server's own discarding of it.
func withBodyIdleTimeout(next http.Handler, idle time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody || idle <= 0 {
			next.ServeHTTP(w, r)
			return
		}
		rc := http.NewResponseController(w)
		b := &idleBody{ReadCloser: r.Body, rc: rc, idle: idle}
		r.Body = b
		next.ServeHTTP(w, r)
		if !b.done {
			rc.SetReadDeadline(time.Now().Add(idle))
		}
	})
}

// idleBody is a request body whose every read must see a byte within idle.
type idleBody struct {
	io.ReadCloser
	rc   *http.ResponseController
	idle time.Duration
	done bool // read to the end (or failed): the deadline is cleared
}

func (b *idleBody) Read(p []byte) (int, error) {
	if b.done {
		return b.ReadCloser.Read(p)
	}
	if err := b.rc.SetReadDeadline(time.Now().Add(b.idle)); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return 0, err
	}
	n, err := b.ReadCloser.Read(p)
	if err != nil {
		b.done = true
		if errors.Is(err, io.EOF) {
			b.rc.SetReadDeadline(time.Time{})
		}
	}
	return n, err
}
