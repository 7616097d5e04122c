// Package faults is Forcefield's faults on demand (issue 14 §1): what no real org can be
// told — "answer the next three token requests with an error", "fail half of the REST
// calls of this app with UNABLE_TO_LOCK_ROW for ten minutes", "drop the next Bulk API
// connection" — so that an integration's retry, back-off and re-authentication code is
// proven before production proves it.
//
// A Fault is scoped to one org, and within it optionally to one connected app and one
// user; it applies to a route family (token endpoint, REST, Bulk, composite, or all) and
// gives an answer (answer.go renders each in its family's Salesforce shape). It fires on
// the next Count matching requests, on a Fraction of them, or on every one until a time.
//
// Faults live in the store so that every node applies the same ones and a count is exact
// across nodes: a count fault is claimed with one atomic UPDATE … WHERE remaining > 0
// (store.Faults), so "the next 3" is exactly 3 however many requests race on however many
// nodes. Each node keeps the active faults in memory (engine.go) and reloads them when a
// cluster notice says they changed; with no fault at all a request pays one atomic load.
package faults

import (
	"fmt"
	"math"
	"time"

	"github.com/forcefield/forcefield/internal/sfid"
)

// Family is a group of routes a fault applies to.
type Family string

// The route families (issue 14 §1: "token endpoint, REST, Bulk, composite").
const (
	Token     Family = "token"     // POST /services/oauth2/token
	REST      Family = "rest"      // /services/data/… other than the two below
	Bulk      Family = "bulk"      // /services/data/vNN.N/jobs/ingest|query (Bulk 2.0), /services/async (Bulk 1.0)
	Composite Family = "composite" // /services/data/vNN.N/composite…
	All       Family = "all"       // every family the answer applies to
)

var families = []Family{Token, REST, Bulk, Composite, All}

// Answer is what a faulted request gets.
type Answer string

// The answers (the admin API's "answer").
const (
	RequestLimitExceeded Answer = "REQUEST_LIMIT_EXCEEDED"
	ServerUnavailable    Answer = "SERVER_UNAVAILABLE"
	UnableToLockRow      Answer = "UNABLE_TO_LOCK_ROW"
	QueryTimeout         Answer = "QUERY_TIMEOUT"
	InvalidSessionID     Answer = "INVALID_SESSION_ID"
	InvalidGrant         Answer = "invalid_grant"
	Drop                 Answer = "drop"  // close the connection without a response
	Delay                Answer = "delay" // answer normally, after Fault.Delay
)

var answers = []Answer{RequestLimitExceeded, ServerUnavailable, UnableToLockRow, QueryTimeout,
	InvalidSessionID, InvalidGrant, Drop, Delay}

// SourceOrgFile marks the faults an org file declared: applying the file again replaces
// them (and only them).
const SourceOrgFile = "orgfile"

// Fault is one injected fault. Exactly one of Count, Fraction and Until is set.
type Fault struct {
	ID     int64   // assigned by the store
	OrgID  sfid.ID // required
	AppID  sfid.ID // zero: every app of the org
	UserID sfid.ID // zero: every user of the org
	Family Family
	Answer Answer
	// Count > 0: the next Count matching requests; Remaining says how many are left.
	Count, Remaining int
	// Fraction in (0,1]: that share of the matching requests, for as long as the fault exists.
	Fraction float64
	// Until: every matching request until then (the org's time).
	Until time.Time
	// Delay: for Answer Delay, how long to wait before serving the request normally; for
	// the other answers, how long to wait before answering.
	Delay     time.Duration
	Hits      int    // requests the fault answered, counted in the store
	Source    string // "" (admin API, CLI) or SourceOrgFile
	CreatedAt time.Time
}

// MaxDelay bounds Fault.Delay: long enough for any client timeout, short enough that a
// typo does not hold connections for a day.
const MaxDelay = 10 * time.Minute

// Validate checks f as given (before the store assigns an ID): a known family and
// answer that applies to it, an org, exactly one of Count/Fraction/Until, a delay for
// the delay answer.
func (f *Fault) Validate() error {
	if f.OrgID == "" {
		return fmt.Errorf("a fault needs an org")
	}
	if !knownFamily(f.Family) {
		return fmt.Errorf("family %q: want one of token, rest, bulk, composite, all", f.Family)
	}
	if !knownAnswer(f.Answer) {
		return fmt.Errorf("answer %q: want one of REQUEST_LIMIT_EXCEEDED, SERVER_UNAVAILABLE, UNABLE_TO_LOCK_ROW, QUERY_TIMEOUT, INVALID_SESSION_ID, invalid_grant, drop, delay", f.Answer)
	}
	if f.Family != All && !f.Answer.AppliesTo(f.Family) {
		return fmt.Errorf("answer %s does not apply to the %s family (%s)", f.Answer, f.Family, f.Answer.families())
	}
	set := 0
	if f.Count != 0 {
		set++
		if f.Count < 0 {
			return fmt.Errorf("count %d: want a positive number", f.Count)
		}
	}
	if f.Fraction != 0 {
		set++
		if math.IsNaN(f.Fraction) || f.Fraction < 0 || f.Fraction > 1 {
			return fmt.Errorf("fraction %v: want a number in (0, 1]", f.Fraction)
		}
	}
	if !f.Until.IsZero() {
		set++
	}
	if set > 1 {
		return fmt.Errorf("give one of count, fraction and duration, not several")
	}
	if f.Delay < 0 || f.Delay > MaxDelay {
		return fmt.Errorf("delay %s: want between 0 and %s", f.Delay, MaxDelay)
	}
	if f.Answer == Delay && f.Delay == 0 {
		return fmt.Errorf("answer delay needs a delay (e.g. \"2s\")")
	}
	return nil
}

// Normalize applies the default (none of count, fraction, duration given: count 1) and
// sets Remaining from Count. Call it before Validate on a new fault.
func (f *Fault) Normalize() {
	if f.Count == 0 && f.Fraction == 0 && f.Until.IsZero() {
		f.Count = 1
	}
	if f.Count > 0 && f.Remaining == 0 && f.Hits == 0 {
		f.Remaining = f.Count
	}
}

// ParseDuration reads a duration of the admin API and org file: Go's syntax ("90s",
// "2m", "1h30m"); "" is zero; a negative one is an error.
func ParseDuration(what, s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%s %q: want a duration such as \"90s\", \"2m\" or \"1h\"", what, s)
	}
	return d, nil
}

// active reports whether f can still fire at org time now.
func (f *Fault) active(now time.Time) bool {
	switch {
	case f.Count > 0:
		return f.Remaining > 0
	case !f.Until.IsZero():
		return now.Before(f.Until)
	}
	return true
}

func knownFamily(f Family) bool {
	for _, k := range families {
		if f == k {
			return true
		}
	}
	return false
}

func knownAnswer(a Answer) bool {
	for _, k := range answers {
		if a == k {
			return true
		}
	}
	return false
}
