package passwordlogin

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/password"
	"github.com/forcefield/forcefield/internal/store"
	"github.com/forcefield/forcefield/internal/store/sqlite"
	"github.com/forcefield/forcefield/internal/throttle"
)

// The password check on a real SQLite store (its lockout counter), with a settable clock.

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func setup(t *testing.T) (*Checker, *clock, org.User, org.User) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "ff.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	o := org.Org{Name: "Pw"}
	plain := org.User{Username: "plain@pw.example", LastName: "Plain", Active: true, PasswordHash: password.Hash("right one")}
	token := org.User{Username: "token@pw.example", LastName: "Token", Active: true, PasswordHash: password.Hash("right one"),
		SecurityTokenHash: password.Hash("ABCDEFGHIJKLMNOPQRSTUVWX")}
	if err := db.UpdateSetup(ctx, func(w store.SetupWriter) error {
		if err := w.PutOrg(ctx, &o); err != nil {
			return err
		}
		plain.OrgID, token.OrgID = o.ID, o.ID
		if err := w.PutUser(ctx, &plain); err != nil {
			return err
		}
		return w.PutUser(ctx, &token)
	}); err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)}
	return New(throttle.New(10, 6*time.Second, clk.now), db, clk.now, nil), clk, plain, token
}

var policy = org.PasswordPolicy{LockoutAttempts: 3, LockoutMinutes: 15}

func TestCheck(t *testing.T) {
	c, clk, plain, token := setup(t)
	ctx := context.Background()
	check := func(a Attempt) Outcome {
		t.Helper()
		a.Policy = policy
		out, err := c.Check(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		a    Attempt
		want Outcome
	}{
		{"right password", Attempt{User: plain, Known: true, Password: "right one", SourceIP: "10.0.0.1"}, Valid},
		{"unknown user", Attempt{Username: "nobody", Password: "right one", SourceIP: "10.0.0.1"}, Invalid},
		{"token user, UI: password alone", Attempt{User: token, Known: true, Password: "right one", SourceIP: "10.0.0.1"}, Valid},
		{"token user, API: password+token", Attempt{User: token, Known: true, Password: "right oneABCDEFGHIJKLMNOPQRSTUVWX", WithToken: true, SourceIP: "10.0.0.1"}, Valid},
		{"token user, API: password alone", Attempt{User: token, Known: true, Password: "right one", WithToken: true, SourceIP: "10.0.0.1"}, Invalid},
		{"plain user, API: password alone", Attempt{User: plain, Known: true, Password: "right one", WithToken: true, SourceIP: "10.0.0.1"}, Valid},
	} {
		if got := check(tc.a); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	// Lockout: three wrong in a row lock, even the right password is refused until the
	// period ends; a success in between resets the count.
	wrong := Attempt{User: plain, Known: true, Password: "wrong", SourceIP: "10.0.0.2"}
	right := Attempt{User: plain, Known: true, Password: "right one", SourceIP: "10.0.0.2"}
	check(wrong)
	check(wrong)
	if got := check(right); got != Valid {
		t.Fatalf("right after two wrong: %v", got)
	}
	for range 3 {
		if got := check(wrong); got != Invalid {
			t.Fatalf("wrong: %v", got)
		}
	}
	if got := check(right); got != LockedOut {
		t.Fatalf("right while locked: %v, want LockedOut", got)
	}
	clk.advance(15 * time.Minute)
	if got := check(right); got != Valid {
		t.Fatalf("right after the lockout: %v", got)
	}
}

// Throttled guesses are neither checked nor counted, and the throttle is per address.
func TestThrottle(t *testing.T) {
	c, _, plain, _ := setup(t)
	ctx := context.Background()
	lax := org.PasswordPolicy{LockoutAttempts: 100}
	var wg sync.WaitGroup
	var mu sync.Mutex
	counts := map[Outcome]int{}
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := c.Check(ctx, Attempt{User: plain, Known: true, Password: "wrong", SourceIP: "10.0.0.9", Policy: lax})
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			counts[out]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if counts[Invalid] != 10 || counts[Throttled] != 54 {
		t.Fatalf("64 racing wrong passwords from one address: %v, want 10 Invalid and 54 Throttled", counts)
	}
	// Only the 10 checked guesses counted toward the lockout.
	l, err := c.lockouts.Lockout(ctx, plain.ID)
	if err != nil || l.Failures != 10 {
		t.Errorf("lockout count %d (%v), want 10", l.Failures, err)
	}
	// The right password from this address is throttled too; from another it works.
	if out, _ := c.Check(ctx, Attempt{User: plain, Known: true, Password: "right one", SourceIP: "10.0.0.9", Policy: lax}); out != Throttled {
		t.Errorf("right password from the throttled address: %v", out)
	}
	if out, _ := c.Check(ctx, Attempt{User: plain, Known: true, Password: "right one", SourceIP: "10.0.0.10", Policy: lax}); out != Valid {
		t.Errorf("right password from another address: %v", out)
	}
}
