// Package setup is the one Setup service: every change to Setup objects (orgs, profiles,
// permission sets, users, connected apps and their credentials, sessions a change ends) goes
// through it, whichever surface asked for it — the org file at start, the admin API, the
// CLI verbs (through the admin API) and the web console. It owns what every change needs
// and no surface may repeat: validation, the setup audit trail row in the same
// transaction as the change, ending the sessions and refresh tokens of users a change
// demands it for (deactivation, a new password; issue 4 §5, issue 10 §3) and invalidating
// the Setup cache (package directory).
//
// Surfaces are thin adapters: they parse their wire format, call one method with the
// Actor who asked, and render the result or the *Error. Reads that change nothing may go
// to the store directly.
//
// The service follows dex's storage updaters: a change is a function run inside one
// transaction (Update), and what must happen only once it committed (sessions ending,
// cache invalidation) is collected on the Tx and done after the commit.
package setup

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/forcefield/forcefield/internal/directory"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/orgclock"
	"github.com/forcefield/forcefield/internal/orgfile"
	"github.com/forcefield/forcefield/internal/session"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// Actor is who asked for a change: the audit trail's CreatedBy.
type Actor struct {
	// Name is the audit trail's CreatedBy: a username for the console's logged-in admin,
	// "admin token" for the admin API, "org file NAME at start" for the org file.
	Name string
	// UserID is the console's logged-in admin; zero for the admin token and the org file.
	UserID sfid.ID
}

// ActorAdminToken is the actor of changes made through the admin API and CLI verbs.
var ActorAdminToken = Actor{Name: "admin token"}

// UserActor is the actor of a change a logged-in user made in the console.
func UserActor(u org.User) Actor { return Actor{Name: u.Username, UserID: u.ID} }

// Service changes Setup. Create it with New.
type Service struct {
	st       store.Store
	dir      *directory.Directory
	sessions *session.Manager
	now      func() time.Time
	log      *slog.Logger
	// Seed inserts an applied org file's seed records (package seed); nil inserts none.
	Seed func(ctx context.Context, seeds []orgfile.OrgSeeds) (int, error)
	// Clock tells each org's time (time travel, clock.go): audit rows and credential
	// expiry of an org are in its time. Nil: every org is on the service's clock.
	Clock *orgclock.Clock
	// Faults installs an applied org file's faults on demand (package faults); nil: none.
	Faults func(ctx context.Context, fs []orgfile.OrgFaults) error
	// RotatedSecretLifetime is how long a secret replaced by a one-step rotation keeps
	// working (30 days, as Salesforce's staged credentials; the oauth reference §7.3).
	RotatedSecretLifetime time.Duration
}

// New returns the Setup service over st, keeping dir's cache current and ending sessions
// through sessions.
func New(st store.Store, dir *directory.Directory, sessions *session.Manager, now func() time.Time, log *slog.Logger) *Service {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.Default()
	}
	return &Service{st: st, dir: dir, sessions: sessions, now: now, log: log, RotatedSecretLifetime: 30 * 24 * time.Hour}
}

// Store is the store the service writes: for surfaces' reads.
func (s *Service) Store() store.Store { return s.st }

// Directory is the Setup cache the service keeps current: for surfaces' reads.
func (s *Service) Directory() *directory.Directory { return s.dir }

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.now() }

// offset is org id's clock offset (0 without a Clock).
func (s *Service) offset(id sfid.ID) time.Duration {
	if s.Clock == nil {
		return 0
	}
	return s.Clock.Offset(id)
}

// OrgNow is org id's time: the service's clock plus the org's offset (time travel).
func (s *Service) OrgNow(id sfid.ID) time.Time { return s.now().Add(s.offset(id)) }

// Tx is one change in progress: the store transaction, the actor, and what must happen
// once the change committed.
type Tx struct {
	store.SetupWriter
	ctx      context.Context
	actor    Actor
	now      time.Time
	offset   func(sfid.ID) time.Duration
	endUsers []sfid.ID
}

// Now is the server's time of the change.
func (t *Tx) Now() time.Time { return t.now }

// OrgNow is the time of the change in org id's time (time travel): what its audit rows,
// and the credentials it stages or rotates, carry. It is the org's time before the
// change, so the row of a clock change is stamped with the time it was made from.
func (t *Tx) OrgNow(id sfid.ID) time.Time {
	if t.offset == nil {
		return t.now
	}
	return t.now.Add(t.offset(id))
}

// Actor is who asked for the change.
func (t *Tx) Actor() Actor { return t.actor }

// Audit records one row of the setup audit trail in the change's transaction. display is
// the human-readable line; it must never carry a secret or a hash of one.
func (t *Tx) Audit(orgID sfid.ID, section, action string, object sfid.ID, display string) error {
	return t.AddSetupAudit(t.ctx, &org.SetupAuditEvent{OrgID: orgID, CreatedDate: t.OrgNow(orgID), CreatedBy: t.actor.Name,
		Action: action, Section: section, ObjectID: object, Display: display})
}

// EndSessions ends every session and refresh token of the user once the change commits.
func (t *Tx) EndSessions(userID sfid.ID) { t.endUsers = append(t.endUsers, userID) }

// Update runs fn in one Setup transaction on behalf of actor. When fn returns an error,
// nothing it wrote is kept and Update returns that error. After a commit the Setup cache
// is invalidated and the sessions fn asked to end (Tx.EndSessions) end.
func (s *Service) Update(ctx context.Context, actor Actor, fn func(tx *Tx) error) error {
	var tx *Tx
	err := s.dir.UpdateSetup(ctx, func(w store.SetupWriter) error {
		tx = &Tx{SetupWriter: w, ctx: ctx, actor: actor, now: s.now().UTC(), offset: s.offset}
		return fn(tx)
	})
	if err != nil {
		return err
	}
	return s.endSessions(ctx, tx.endUsers)
}

// endSessions ends every session (the session cache included) and refresh token of users.
func (s *Service) endSessions(ctx context.Context, users []sfid.ID) error {
	for _, id := range users {
		if err := s.sessions.EndUser(ctx, s.st, id); err != nil {
			return fmt.Errorf("ending the sessions of user %s: %w", id, err)
		}
	}
	return nil
}
