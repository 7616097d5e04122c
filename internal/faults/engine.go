package faults

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/forcefield/forcefield/internal/cluster"
	"github.com/forcefield/forcefield/internal/sfid"
)

// Store is where faults live (store.Faults; both backends implement it).
type Store interface {
	// PutFault inserts f, assigning ID.
	PutFault(ctx context.Context, f *Fault) error
	// Faults lists an org's faults (every org's for a zero orgID), oldest first.
	Faults(ctx context.Context, orgID sfid.ID) ([]Fault, error)
	// ClaimFault takes one of a count fault's remaining requests in one atomic statement
	// and counts the hit: of any number of racing claims (on any number of nodes) exactly
	// Remaining succeed. It returns the requests left after the claim and whether it won.
	ClaimFault(ctx context.Context, id int64) (remaining int, ok bool, err error)
	// HitFault counts one hit of a fraction or duration fault.
	HitFault(ctx context.Context, id int64) error
	// DeleteFault removes one fault and returns it (an error wrapping store.ErrNotFound
	// when there is none).
	DeleteFault(ctx context.Context, id int64) (Fault, error)
	// DeleteFaults removes the faults f selects and returns how many.
	DeleteFaults(ctx context.Context, f Filter) (int, error)
}

// Filter selects faults to delete.
type Filter struct {
	OrgID   sfid.ID // zero: every org
	OrgFile bool    // only those an org file declared (Source == SourceOrgFile)
}

// noticeTopic carries "the faults changed" between the nodes (cluster.Notifier).
const noticeTopic = "faults"

// Config configures an Engine.
type Config struct {
	Store Store
	// Cluster tells the other nodes that faults changed, and this node that theirs did.
	// Nil: this node only.
	Cluster cluster.Notifier
	// Now is an org's time (orgclock.Clock.Org): duration faults end on the org's clock.
	Now    func(sfid.ID) time.Time
	Logger *slog.Logger
	// Rand returns a number in [0,1) for fraction faults (default math/rand/v2).
	Rand func() float64
	// OnHit, when set, is told each request a fault answered (metrics). It must not block.
	OnHit func(family Family, answer Answer)
}

// Engine matches requests against the active faults. A nil *Engine matches nothing.
type Engine struct {
	cfg Config
	// snap is the active faults by org; nil when there are none, so that the request
	// path's cost without faults is one atomic load.
	snap atomic.Pointer[snapshot]
	mu   sync.Mutex // serialises reloads: a later reload always reads a later state
}

type snapshot struct{ byOrg map[sfid.ID][]*live }

// live is a fault in memory. spent is set once this node saw it cannot fire again (its
// count is used up, its time has passed), so that it costs no more store statements.
type live struct {
	Fault
	spent atomic.Bool
}

// New returns an Engine and loads the stored faults.
func New(ctx context.Context, cfg Config) (*Engine, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = func(sfid.ID) time.Time { return time.Now() }
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Float64
	}
	e := &Engine{cfg: cfg}
	if err := e.Reload(ctx); err != nil {
		return nil, err
	}
	if cfg.Cluster != nil {
		cfg.Cluster.Subscribe(noticeTopic, e.onNotice)
	}
	return e, nil
}

// Reload reads the faults from the store again.
func (e *Engine) Reload(ctx context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	fs, err := e.cfg.Store.Faults(ctx, "")
	if err != nil {
		return fmt.Errorf("loading faults: %w", err)
	}
	var s *snapshot
	for _, f := range fs {
		if !f.active(e.cfg.Now(f.OrgID)) {
			continue
		}
		if s == nil {
			s = &snapshot{byOrg: map[sfid.ID][]*live{}}
		}
		s.byOrg[f.OrgID] = append(s.byOrg[f.OrgID], &live{Fault: f})
	}
	e.snap.Store(s)
	return nil
}

// onNotice reloads after another node's change (or a Resync). It runs on the
// coordinator's goroutine, so the reload runs on its own.
func (e *Engine) onNotice(string) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := e.Reload(ctx); err != nil {
			e.cfg.Logger.Error("reloading faults after a change on another node", "err", err)
		}
	}()
}

// changed reloads this node's copy and tells the other nodes.
func (e *Engine) changed(ctx context.Context) error {
	if err := e.Reload(ctx); err != nil {
		return err
	}
	if e.cfg.Cluster != nil {
		pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := e.cfg.Cluster.Publish(pctx, noticeTopic, "changed"); err != nil {
			e.cfg.Logger.Error("announcing changed faults to the other nodes; they notice at their next resync", "err", err)
		}
	}
	return nil
}

// Add validates and stores a new fault (Normalize first) and makes every node apply it.
func (e *Engine) Add(ctx context.Context, f *Fault) error {
	f.Normalize()
	if err := f.Validate(); err != nil {
		return &InvalidError{err}
	}
	if err := e.cfg.Store.PutFault(ctx, f); err != nil {
		return fmt.Errorf("storing fault: %w", err)
	}
	e.cfg.Logger.Info("fault injected", faultAttrs(f)...)
	return e.changed(ctx)
}

// ReplaceOrgFile replaces the faults an org file declared for an org with fs (the
// faults added through the admin API or CLI stay).
func (e *Engine) ReplaceOrgFile(ctx context.Context, orgID sfid.ID, fs []Fault) error {
	for i := range fs {
		fs[i].OrgID, fs[i].Source = orgID, SourceOrgFile
		fs[i].Normalize()
		if err := fs[i].Validate(); err != nil {
			return &InvalidError{fmt.Errorf("faults[%d]: %w", i, err)}
		}
	}
	n, err := e.cfg.Store.DeleteFaults(ctx, Filter{OrgID: orgID, OrgFile: true})
	if err != nil {
		return fmt.Errorf("replacing the org file's faults: %w", err)
	}
	if n == 0 && len(fs) == 0 {
		return nil // nothing changed: no reload, no notice
	}
	for i := range fs {
		if err := e.cfg.Store.PutFault(ctx, &fs[i]); err != nil {
			return fmt.Errorf("storing the org file's faults: %w", err)
		}
		e.cfg.Logger.Info("fault injected", faultAttrs(&fs[i])...)
	}
	return e.changed(ctx)
}

// List returns an org's faults (every org's for a zero orgID), spent ones included,
// with their hits and remaining counts as stored.
func (e *Engine) List(ctx context.Context, orgID sfid.ID) ([]Fault, error) {
	return e.cfg.Store.Faults(ctx, orgID)
}

// Remove deletes one fault.
func (e *Engine) Remove(ctx context.Context, id int64) (Fault, error) {
	f, err := e.cfg.Store.DeleteFault(ctx, id)
	if err != nil {
		return f, err
	}
	e.cfg.Logger.Info("fault cleared", "fault", f.ID, "org", f.OrgID)
	return f, e.changed(ctx)
}

// Clear deletes an org's faults (every org's for a zero orgID) and returns how many.
func (e *Engine) Clear(ctx context.Context, orgID sfid.ID) (int, error) {
	n, err := e.cfg.Store.DeleteFaults(ctx, Filter{OrgID: orgID})
	if err != nil {
		return 0, err
	}
	e.cfg.Logger.Info("faults cleared", "org", orgID, "count", n)
	return n, e.changed(ctx)
}

// InvalidError is a fault the caller described wrongly (a 400 in the admin API).
type InvalidError struct{ Err error }

func (e *InvalidError) Error() string { return e.Err.Error() }
func (e *InvalidError) Unwrap() error { return e.Err }

// IsInvalid reports whether err is an InvalidError.
func IsInvalid(err error) bool {
	var ie *InvalidError
	return errors.As(err, &ie)
}

// Who is the principal of a request: its org, connected app and user.
type Who struct{ Org, App, User sfid.ID }

// Data is the hook of the bearer-authenticated data API (REST, composite, Bulk 2.0 and
// Bulk 1.0), called once the session is known. It returns the error to answer with (an
// *apierror.Error), or nil to serve the request — at once, or after a delay fault's
// wait. A drop fault closes the connection without a response (it panics with
// http.ErrAbortHandler, as net/http documents for aborting a response).
func (e *Engine) Data(r *http.Request, who Who) error {
	if e == nil || e.snap.Load() == nil {
		return nil
	}
	f := e.match(r, DataFamily(r.URL.Path), who, "")
	if f == nil {
		return nil
	}
	if err := e.wait(r, f); err != nil {
		return err
	}
	if a := f.Answer.REST(); a != nil {
		return a
	}
	return nil
}

// Token is the hook of the token endpoint, called once the grant has identified the
// app and user (grant is the request's grant_type). It returns the OAuth error to answer
// with, or nil to go on; drop and delay as for Data.
func (e *Engine) Token(r *http.Request, grant string, who Who) *OAuthError {
	if e == nil || e.snap.Load() == nil {
		return nil
	}
	f := e.match(r, Token, who, grant)
	if f == nil {
		return nil
	}
	if err := e.wait(r, f); err != nil {
		return &OAuthError{http.StatusServiceUnavailable, "temporarily_unavailable", "request cancelled", "Failed: Server Unavailable"}
	}
	return f.Answer.OAuth()
}

// wait sleeps a fault's delay (ending early if the client goes away) and drops the
// connection for a drop fault.
func (e *Engine) wait(r *http.Request, f *live) error {
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return r.Context().Err()
		}
	}
	if f.Answer == Drop {
		panic(http.ErrAbortHandler)
	}
	return nil
}

// match returns the first of the org's faults that applies to the request and fires
// now, its hit counted; nil when none does.
func (e *Engine) match(r *http.Request, fam Family, who Who, grant string) *live {
	s := e.snap.Load()
	if s == nil {
		return nil
	}
	fs := s.byOrg[who.Org]
	if len(fs) == 0 {
		return nil
	}
	ctx := r.Context()
	var now time.Time
	for _, f := range fs {
		if f.spent.Load() || !f.applies(fam, who, grant) {
			continue
		}
		switch {
		case f.Count > 0:
			left, ok, err := e.cfg.Store.ClaimFault(ctx, f.ID)
			if err != nil {
				e.cfg.Logger.ErrorContext(ctx, "claiming a fault", "err", err, "fault", f.ID)
				continue
			}
			if !ok || left == 0 {
				f.spent.Store(true)
			}
			if !ok {
				continue
			}
		case !f.Until.IsZero():
			if now.IsZero() {
				now = e.cfg.Now(who.Org)
			}
			if !now.Before(f.Until) {
				f.spent.Store(true)
				continue
			}
			e.hit(ctx, f)
		default:
			if e.cfg.Rand() >= f.Fraction {
				continue
			}
			e.hit(ctx, f)
		}
		e.cfg.Logger.InfoContext(ctx, "fault hit", "fault", f.ID, "org", f.OrgID, "family", fam,
			"answer", f.Answer, "method", r.Method, "path", r.URL.Path)
		if e.cfg.OnHit != nil {
			e.cfg.OnHit(fam, f.Answer)
		}
		return f
	}
	return nil
}

func (e *Engine) hit(ctx context.Context, f *live) {
	if err := e.cfg.Store.HitFault(ctx, f.ID); err != nil {
		e.cfg.Logger.ErrorContext(ctx, "counting a fault's hit", "err", err, "fault", f.ID)
	}
}

// applies reports whether f is about a request of family fam by who (grant: the token
// request's grant_type).
func (f *live) applies(fam Family, who Who, grant string) bool {
	if f.Family != fam && (f.Family != All || !f.Answer.AppliesTo(fam)) {
		return false
	}
	if (f.AppID != "" && f.AppID != who.App) || (f.UserID != "" && f.UserID != who.User) {
		return false
	}
	// invalid_grant is the answer to a refresh (issue 14 §1): other grants pass.
	return f.Answer != InvalidGrant || grant == "refresh_token"
}

// DataFamily classifies a data API path: /services/async/… (Bulk 1.0) and
// /services/data/vNN.N/jobs/… (Bulk 2.0) are Bulk, /services/data/vNN.N/composite… is
// Composite, the rest is REST.
func DataFamily(path string) Family {
	if strings.HasPrefix(path, "/services/async") {
		return Bulk
	}
	rest, ok := strings.CutPrefix(path, "/services/data/")
	if !ok {
		return REST
	}
	_, rest, _ = strings.Cut(rest, "/") // the version
	switch {
	case strings.HasPrefix(rest, "jobs/") || rest == "jobs":
		return Bulk
	case strings.HasPrefix(rest, "composite"):
		return Composite
	}
	return REST
}

// faultAttrs are a fault's log attributes (never a token: faults hold none).
func faultAttrs(f *Fault) []any {
	a := []any{"fault", f.ID, "org", f.OrgID, "family", f.Family, "answer", f.Answer}
	if f.AppID != "" {
		a = append(a, "app", f.AppID)
	}
	if f.UserID != "" {
		a = append(a, "user", f.UserID)
	}
	switch {
	case f.Count > 0:
		a = append(a, "count", f.Count)
	case f.Fraction > 0:
		a = append(a, "fraction", f.Fraction)
	default:
		a = append(a, "until", f.Until)
	}
	if f.Delay > 0 {
		a = append(a, "delay", f.Delay.String())
	}
	if f.Source != "" {
		a = append(a, "source", f.Source)
	}
	return a
}

// OrgNow is an org's time, the clock duration faults end on.
func (e *Engine) OrgNow(orgID sfid.ID) time.Time { return e.cfg.Now(orgID) }

// Has reports whether this node's copy holds fault id as active (tests, diagnostics).
func (e *Engine) Has(id int64) bool {
	s := e.snap.Load()
	if s == nil {
		return false
	}
	for _, fs := range s.byOrg {
		for _, f := range fs {
			if f.ID == id {
				return !f.spent.Load()
			}
		}
	}
	return false
}
