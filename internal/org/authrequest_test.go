package org

import (
	"testing"
	"time"
)

func TestAuthRequestNeedsLogin(t *testing.T) {
	at := time.Date(2026, 12, 2, 12, 0, 0, 123_456_789, time.UTC)
	req := AuthRequest{Prompt: []string{"login"}, StaleSessionID: "0Ak000000000001AAA", CreatedAt: at}
	for _, tc := range []struct {
		name string
		req  AuthRequest
		s    Session
		want bool
	}{
		{"no prompt=login", AuthRequest{CreatedAt: at}, Session{ID: "0Ak000000000001AAA", CreatedAt: at.Add(-time.Hour)}, false},
		{"the session of authorize time", req, Session{ID: "0Ak000000000001AAA", CreatedAt: at.Add(time.Hour)}, true},
		{"an older session", req, Session{ID: "0Ak000000000002AAA", CreatedAt: at.Add(-time.Second)}, true},
		{"a new login", req, Session{ID: "0Ak000000000003AAA", CreatedAt: at.Add(time.Second)}, false},
		// Stored sessions keep milliseconds: a login in the request's millisecond reads
		// back as .123000000, before .123456789, and must still count as after it.
		{"a login in the same millisecond", req, Session{ID: "0Ak000000000003AAA", CreatedAt: at.Truncate(time.Millisecond)}, false},
	} {
		if got := tc.req.NeedsLogin(tc.s); got != tc.want {
			t.Errorf("%s: NeedsLogin = %v, want %v", tc.name, got, tc.want)
		}
	}
}
