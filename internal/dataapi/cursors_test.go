package dataapi

import (
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/sfid"
)

// A user keeps at most 10 cursors: the 11th releases their least recently used one, and
// never another user's.
func TestCursorsPerUser(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cs := newCursors(func() time.Time { return now })
	org, alice, bob := sfid.ID("00D000000000001AAA"), sfid.ID("005000000000001AAA"), sfid.ID("005000000000002AAA")
	bobKey := cs.open(&cursor{orgID: org, userID: bob})
	var keys []string
	for range maxUserCursors {
		now = now.Add(time.Second)
		keys = append(keys, cs.open(&cursor{orgID: org, userID: alice}))
	}
	now = now.Add(time.Second)
	if _, _, _, ok := cs.get(keys[0]+"-0", org, alice); !ok { // now the most recently used
		t.Fatal("first cursor gone early")
	}
	now = now.Add(time.Second)
	cs.open(&cursor{orgID: org, userID: alice})
	if _, _, _, ok := cs.get(keys[1]+"-0", org, alice); ok {
		t.Error("the least recently used cursor survived the 11th")
	}
	for _, k := range append([]string{keys[0]}, keys[2:]...) {
		if _, _, _, ok := cs.get(k+"-0", org, alice); !ok {
			t.Errorf("cursor %s released", k)
		}
	}
	if _, _, _, ok := cs.get(bobKey+"-0", org, bob); !ok {
		t.Error("another user's cursor was released")
	}
}
