// Package passwordlogin is the one routine that checks a user's password at login, shared
// by the OAuth username-password grant (internal/oauth, password+security token) and the
// browser login page (internal/weblogin, password alone, as in Salesforce's UI): throttling
// of guesses per (username, source address), Salesforce's lockout after too many invalid
// attempts in a row (the org's password policy), and verification that takes the same time
// for every case (unknown user, no password set, short input).
//
// Why the throttle is keyed by username and address together, and sits before the lockout
// counter: a guess refused by the throttle is never checked, so it is never counted toward
// the user's lockout; nobody can drive a user's invalid-login count faster than the
// throttle's rate from one address, and a throttled address never slows the real user down
// at theirs (the throttle key includes the address). The lockout itself is Salesforce's
// per-user rule (the org's "Maximum invalid login attempts", default 10, and "Lockout
// effective period"): invalid attempts from any address count toward it, as in Salesforce,
// and it ends on its own; docs/web-flow.md and docs/operations.md say what remains possible.
package passwordlogin

import (
	"context"
	"log/slog"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/orgclock"
	"github.com/forcefield/forcefield/internal/password"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
	"github.com/forcefield/forcefield/internal/throttle"
)

// Outcome is the result of one password check.
type Outcome int

const (
	// Valid: the password is right and the user is not locked out. The lockout count was
	// reset.
	Valid Outcome = iota
	// Invalid: an unknown user or a wrong password; for a known user the failure was
	// counted toward the lockout.
	Invalid
	// LockedOut: the user is locked out (right password or not).
	LockedOut
	// Throttled: too many failures from this address for this username; nothing was
	// checked or counted.
	Throttled
)

// Checker checks passwords. It is safe for concurrent use.
type Checker struct {
	failures *throttle.Limiter
	lockouts store.Lockouts // nil disables lockout
	now      func() time.Time
	orgNow   func(sfid.ID) time.Time // SetClock; nil: every org is on now
	log      *slog.Logger
}

// New returns a Checker throttling failures with failures and counting invalid logins in
// lockouts (nil: no lockout).
func New(failures *throttle.Limiter, lockouts store.Lockouts, now func() time.Time, log *slog.Logger) *Checker {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.Default()
	}
	return &Checker{failures: failures, lockouts: lockouts, now: now, log: log}
}

// SetClock makes lockouts run out in each user's org's time (time travel). Call it
// before use.
func (c *Checker) SetClock(clock *orgclock.Clock) { c.orgNow = clock.Org }

// Attempt is one login attempt.
type Attempt struct {
	// User is the user the username names; Known is false when it names none (User is
	// then ignored: the check still takes the time of a real one).
	User     org.User
	Known    bool
	Username string // as typed: the throttle key of an unknown user
	Password string
	// WithToken: Password is the password followed by the user's security token (the
	// API's rule); the browser login sends the password alone.
	WithToken bool
	SourceIP  string
	Policy    org.PasswordPolicy
}

// Check verifies a. Its error is a store failure; the outcome is then meaningless.
func (c *Checker) Check(ctx context.Context, a Attempt) (Outcome, error) {
	key := "u:" + a.User.ID.String() + "|" + a.SourceIP
	if !a.Known {
		key = "u?:" + a.Username + "|" + a.SourceIP
	}
	// Reserved before the password is checked, given back only when it is right: racing
	// guesses cannot all pass the check before the first failure counts (package throttle).
	res, allowed, _ := c.failures.Reserve(ctx, key)
	if !allowed {
		return Throttled, nil
	}
	ok := verify(a.User, a.Known, a.Password, a.WithToken)
	if ok {
		res.Release()
	} else {
		res.Fail()
	}
	if !a.Known {
		return Invalid, nil
	}
	var lock org.Lockout
	if c.lockouts != nil {
		var err error
		if lock, err = c.lockouts.Lockout(ctx, a.User.ID); err != nil {
			return Invalid, err
		}
	}
	now := c.now()
	if c.orgNow != nil {
		now = c.orgNow(a.User.OrgID) // a lockout runs out in the user's org's time
	}
	if lock.Locked(now) {
		return LockedOut, nil // even the right password: Salesforce's lockout
	}
	if !ok {
		// Lockout counts invalid logins in a row: each failure adds one, a success
		// (below) resets the count, as in Salesforce.
		if c.lockouts != nil {
			if _, err := c.lockouts.RecordLoginFailure(ctx, a.User.ID, now, a.Policy.MaxAttempts(), a.Policy.LockoutPeriod()); err != nil {
				return Invalid, err
			}
		}
		return Invalid, nil
	}
	if lock.Failures > 0 && c.lockouts != nil {
		if err := c.lockouts.ResetLoginFailures(ctx, a.User.ID); err != nil {
			// The login stands; the count is reset by the next success.
			c.log.ErrorContext(ctx, "resetting invalid logins", "err", err)
		}
	}
	return Valid, nil
}

// verify checks the password (and security token). It always runs two argon2id
// verifications — for unknown users, users without a password or token, and short input
// too — so that timing tells no case apart. A user with no security token set logs in
// with the password alone (see docs/compatibility.md).
func verify(u org.User, known bool, pw string, withToken bool) bool {
	if !known || u.PasswordHash == "" {
		password.VerifyDummy(pw)
		password.VerifyDummy(pw)
		return false
	}
	if !withToken || u.SecurityTokenHash == "" {
		ok, _ := password.Verify(u.PasswordHash, pw)
		password.VerifyDummy(pw)
		return ok
	}
	if len(pw) <= org.SecurityTokenLen {
		password.VerifyDummy(pw)
		password.VerifyDummy(pw)
		return false
	}
	cut := len(pw) - org.SecurityTokenLen
	okPw, _ := password.Verify(u.PasswordHash, pw[:cut])
	okTok, _ := password.Verify(u.SecurityTokenHash, pw[cut:])
	return okPw && okTok
}
