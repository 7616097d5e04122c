package setup

// A connected app's consumer credentials: staged key and secret rotation, shaped after the
// External Client App Connect REST API ("App Oauth Staged Credentials", the oauth
// reference salesforce-oauth.md §7.3), the legacy one-step secret rotation, deleting a
// pair, the sweep of expired pairs and the built-in Salesforce CLI app. The admin API
// (internal/admin/credentials.go) and the console's Manage Consumer Details
// (internal/console/appmanage_consumer.go) are thin adapters over these methods.
//
// States (org.Credential.State) and the ECA staged object's states:
//
//	Active  — the primary pair (ECA: the consumer's current key and secret)
//	Staged  — a staged pair not yet rotated in (ECA: staged object in state "Active")
//	Rotated — the previous primary after a rotation (ECA: staged object in state "Rotated")
//	Expired — shown for a Staged or Rotated pair past ExpiresAt until the sweep deletes it
//
// The staged slot holds at most one pair per app ("Only one staged credential may exist
// per consumer", §7.3): Staged before a rotation, Rotated after. Staged and Rotated pairs
// expire StagedLifetime after they entered the slot. Only a hash of a secret is stored;
// a new secret is returned once, by the method that created it, and is never logged or
// written to the audit trail.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/secret"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// StagedLifetime is how long a staged pair, and a pair replaced by a rotation, keeps
// working unless deleted: "Staged credentials are valid for 30 days" (reference §7.3).
const StagedLifetime = 30 * 24 * time.Hour

// CredentialExpired is the state shown for a pair past its expiry; it is never stored
// (expired pairs are deleted by SweepExpiredCredentials).
const CredentialExpired = "Expired"

// ActorExpiry is the audit trail's actor for credentials deleted because they expired.
var ActorExpiry = Actor{Name: "Forcefield (credential expiry)"}

// ActorBuiltInApps is the audit trail's actor for the built-in apps Forcefield creates.
var ActorBuiltInApps = Actor{Name: "Forcefield (built-in apps)"}

// NewCredential is a pair just created, with its secret in plaintext: the caller shows it
// once and forgets it.
type NewCredential struct {
	org.Credential
	Secret string
}

// CredentialState is c's state as seen at now: Expired once it no longer authenticates.
func CredentialState(c org.Credential, now time.Time) string {
	if !c.Usable(now) {
		return CredentialExpired
	}
	return c.State
}

// StagedSlot returns the app's usable Staged or Rotated pair, if any.
func StagedSlot(creds []org.Credential, now time.Time) (org.Credential, bool) {
	for _, c := range creds {
		if (c.State == org.CredentialStaged || c.State == org.CredentialRotated) && c.Usable(now) {
			return c, true
		}
	}
	return org.Credential{}, false
}

// KeyHint is the start of a consumer key for audit text: enough to tell pairs apart. A
// consumer key is a client identifier, not a secret, but the trail needs no more.
func KeyHint(key string) string {
	if len(key) > 12 {
		return key[:12] + "…"
	}
	return key
}

// appIn reads the app in tx; a missing one is a NotFound error.
func appIn(ctx context.Context, tx store.SetupReader, appID sfid.ID) (org.ConnectedApp, error) {
	app, err := tx.ConnectedApp(ctx, appID)
	if errors.Is(err, store.ErrNotFound) {
		return app, NotFoundf("no connected app with id %s", appID)
	}
	return app, err
}

// StageCredentials creates a new consumer key and secret that authenticate alongside the
// Active pair until rotated in, deleted or expired (StagedLifetime). It refuses while the
// staged slot is taken (a Staged pair, or a Rotated one still valid).
func (s *Service) StageCredentials(ctx context.Context, actor Actor, appID sfid.ID) (NewCredential, error) {
	plain := secret.ConsumerSecret()
	var staged org.Credential
	err := s.Update(ctx, actor, func(tx *Tx) error {
		app, err := appIn(ctx, tx, appID)
		if err != nil {
			return err
		}
		now := tx.OrgNow(app.OrgID)
		creds, err := tx.Credentials(ctx, app.ID)
		if err != nil {
			return err
		}
		if c, ok := StagedSlot(creds, now); ok {
			if c.State == org.CredentialStaged {
				return Invalidf("connected app %q already has staged credentials (%s): rotate or delete them first", app.Name, c.ID)
			}
			return Invalidf("connected app %q still has rotated credentials (%s) valid until %s: delete them first",
				app.Name, c.ID, c.ExpiresAt.Format(time.RFC3339))
		}
		staged = org.Credential{AppID: app.ID, ConsumerKey: secret.ConsumerKey(), SecretHash: secret.HashGenerated(plain),
			State: org.CredentialStaged, CreatedAt: now, ExpiresAt: now.Add(StagedLifetime)}
		if err := tx.PutCredential(ctx, &staged); err != nil {
			return err
		}
		return tx.Audit(app.OrgID, org.AuditSectionConnectedApps, org.AuditStagedCredentials, staged.ID,
			fmt.Sprintf("Staged consumer credentials %s (key %s) for connected app %s, expiring %s",
				staged.ID, KeyHint(staged.ConsumerKey), app.Name, staged.ExpiresAt.Format(time.RFC3339)))
	})
	if err != nil {
		return NewCredential{}, err
	}
	s.log.InfoContext(ctx, "staged consumer credentials", "app", appID, "credential", staged.ID, "actor", actor.Name)
	return NewCredential{Credential: staged, Secret: plain}, nil
}

// RotateCredentials promotes the staged pair: it becomes Active, and the Active pair
// becomes Rotated and keeps working StagedLifetime unless deleted. A non-zero stagedID must
// name the staged pair (the admin API's …/staged/{id}).
func (s *Service) RotateCredentials(ctx context.Context, actor Actor, appID, stagedID sfid.ID) (org.Credential, error) {
	var promoted org.Credential
	err := s.Update(ctx, actor, func(tx *Tx) error {
		app, err := appIn(ctx, tx, appID)
		if err != nil {
			return err
		}
		now := tx.OrgNow(app.OrgID)
		creds, err := tx.Credentials(ctx, app.ID)
		if err != nil {
			return err
		}
		staged, ok := StagedSlot(creds, now)
		if !ok || staged.State != org.CredentialStaged {
			return Invalidf("connected app %q has no staged credentials to rotate: stage credentials first", app.Name)
		}
		if !stagedID.IsZero() && staged.ID != stagedID {
			return NotFoundf("connected app %q has no staged credentials %s", app.Name, stagedID)
		}
		var old []string
		for _, c := range creds {
			if c.State != org.CredentialActive {
				continue
			}
			c.State, c.ExpiresAt = org.CredentialRotated, now.Add(StagedLifetime)
			if err := tx.PutCredential(ctx, &c); err != nil {
				return err
			}
			old = append(old, fmt.Sprintf("%s (key %s)", c.ID, KeyHint(c.ConsumerKey)))
		}
		staged.State, staged.ExpiresAt = org.CredentialActive, time.Time{}
		if err := tx.PutCredential(ctx, &staged); err != nil {
			return err
		}
		promoted = staged
		return tx.Audit(app.OrgID, org.AuditSectionConnectedApps, org.AuditRotatedCredentials, staged.ID,
			fmt.Sprintf("Rotated consumer credentials of connected app %s: %s (key %s) is now active; %s valid until %s",
				app.Name, staged.ID, KeyHint(staged.ConsumerKey), orNone(strings.Join(old, ", ")), now.Add(StagedLifetime).Format(time.RFC3339)))
	})
	if err != nil {
		return org.Credential{}, err
	}
	s.log.InfoContext(ctx, "rotated consumer credentials", "app", appID, "credential", promoted.ID, "actor", actor.Name)
	return promoted, nil
}

func orNone(s string) string {
	if s == "" {
		return "no previous pair"
	}
	return "the previous pair " + s + " is"
}

// DeleteCredential removes a Staged or Rotated pair at once (a leaked secret after a
// rotation, a staged pair not wanted). The app's Active pair cannot be deleted: rotate
// first.
func (s *Service) DeleteCredential(ctx context.Context, actor Actor, appID, credID sfid.ID) error {
	return s.Update(ctx, actor, func(tx *Tx) error {
		app, err := appIn(ctx, tx, appID)
		if err != nil {
			return err
		}
		creds, err := tx.Credentials(ctx, app.ID)
		if err != nil {
			return err
		}
		for _, c := range creds {
			if c.ID != credID {
				continue
			}
			if c.State == org.CredentialActive {
				return Invalidf("credential %s is the app's active pair: rotate first (stage credentials and rotate them in, or rotate the secret)", credID)
			}
			if err := tx.DeleteCredential(ctx, credID); err != nil {
				return err
			}
			return tx.Audit(app.OrgID, org.AuditSectionConnectedApps, org.AuditDeletedCredentials, credID,
				fmt.Sprintf("Deleted %s consumer credentials %s (key %s) of connected app %s",
					CredentialState(c, tx.OrgNow(app.OrgID)), credID, KeyHint(c.ConsumerKey), app.Name))
		}
		return NotFoundf("connected app %q has no credential %s", app.Name, credID)
	})
}

// RotateSecret creates a new consumer secret for the app's primary consumer key: the
// legacy one-step rotation, kept beside the staged model as "stage a new secret for the
// same key and rotate it in at once". It refuses while a pair is staged. The new pair
// becomes Active; the previous Active pair becomes Rotated and keeps working until
// RotatedSecretLifetime passes or it is deleted (the reference §7.3).
func (s *Service) RotateSecret(ctx context.Context, actor Actor, appID sfid.ID) (NewCredential, error) {
	plain := secret.ConsumerSecret()
	var created org.Credential
	err := s.Update(ctx, actor, func(tx *Tx) error {
		app, err := appIn(ctx, tx, appID)
		if err != nil {
			return err
		}
		now := tx.OrgNow(app.OrgID)
		creds, err := tx.Credentials(ctx, app.ID)
		if err != nil {
			return err
		}
		if c, ok := StagedSlot(creds, now); ok && c.State == org.CredentialStaged {
			return Invalidf("connected app %q has staged credentials (%s): rotate or delete them before rotating the secret", app.Name, c.ID)
		}
		key := ""
		for _, c := range creds {
			if c.State != org.CredentialActive {
				continue
			}
			key = c.ConsumerKey
			c.State, c.ExpiresAt = org.CredentialRotated, now.Add(s.RotatedSecretLifetime)
			if err := tx.PutCredential(ctx, &c); err != nil {
				return err
			}
		}
		if key == "" {
			return Invalidf("connected app %q has no active consumer key to rotate", app.Name)
		}
		created = org.Credential{AppID: app.ID, ConsumerKey: key, SecretHash: secret.HashGenerated(plain), State: org.CredentialActive}
		if err := tx.PutCredential(ctx, &created); err != nil {
			return err
		}
		return tx.Audit(app.OrgID, org.AuditSectionConnectedApps, org.AuditRotatedSecret, created.ID,
			fmt.Sprintf("Rotated the consumer secret of connected app %s (key %s): new pair %s; the previous secret is valid until %s",
				app.Name, KeyHint(key), created.ID, now.Add(s.RotatedSecretLifetime).Format(time.RFC3339)))
	})
	if err != nil {
		return NewCredential{}, err
	}
	s.log.InfoContext(ctx, "rotated consumer secret", "app", appID, "credential", created.ID, "actor", actor.Name)
	return NewCredential{Credential: created, Secret: plain}, nil
}

// SweepExpiredCredentials deletes the pairs that have expired — staged pairs never rotated
// in and rotated pairs past their 30 days — with an audit row each by ActorExpiry, in one
// transaction, and returns how many it deleted. Expired pairs already fail authentication
// (org.Credential.Usable is checked on every token request), so the sweep is housekeeping,
// not a security boundary. Unlike Update it invalidates the Setup cache only when it
// deleted something: an idle sweep must not empty the token endpoint's hot-path cache.
//
// Each org's pairs expire in its own time (time travel): one store sweep at the server's
// time takes what has expired everywhere (offsets are never negative, so a pair expired
// at the server's time is expired in every org's), then each travelled org's pairs are
// checked against its time.
func (s *Service) SweepExpiredCredentials(ctx context.Context) (int, error) {
	now := s.now().UTC()
	var n int
	err := s.st.UpdateSetup(ctx, func(w store.SetupWriter) error {
		tx := &Tx{SetupWriter: w, ctx: ctx, actor: ActorExpiry, now: now, offset: s.offset}
		gone, err := tx.DeleteExpiredCredentials(ctx, now)
		if err != nil {
			return err
		}
		travelled, err := s.expiredInTravelledOrgs(tx)
		if err != nil {
			return err
		}
		gone = append(gone, travelled...)
		n = len(gone)
		for _, c := range gone {
			app, err := tx.ConnectedApp(ctx, c.AppID)
			if err != nil {
				return err
			}
			if err := tx.Audit(app.OrgID, org.AuditSectionConnectedApps, org.AuditExpiredCredentials, c.ID,
				fmt.Sprintf("Deleted expired %s consumer credentials %s of connected app %s (expired %s)",
					c.State, c.ID, app.Name, c.ExpiresAt.Format(time.RFC3339))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if n > 0 {
		s.dir.Invalidate()
	}
	return n, nil
}

// expiredInTravelledOrgs deletes the pairs of travelled orgs that have expired in their
// org's time, and returns them. Orgs on real time were swept already.
func (s *Service) expiredInTravelledOrgs(tx *Tx) ([]org.Credential, error) {
	orgs, err := tx.Orgs(tx.ctx)
	if err != nil {
		return nil, err
	}
	var gone []org.Credential
	for _, o := range orgs {
		if o.ClockOffset <= 0 {
			continue
		}
		orgNow := tx.now.Add(o.ClockOffset)
		apps, err := tx.ConnectedApps(tx.ctx, o.ID)
		if err != nil {
			return nil, err
		}
		for _, a := range apps {
			creds, err := tx.Credentials(tx.ctx, a.ID)
			if err != nil {
				return nil, err
			}
			for _, c := range creds {
				if c.State == org.CredentialActive || c.Usable(orgNow) {
					continue
				}
				if err := tx.DeleteCredential(tx.ctx, c.ID); err != nil {
					return nil, err
				}
				gone = append(gone, c)
			}
		}
	}
	return gone, nil
}

// EnsurePlatformCLI creates the built-in "Salesforce CLI" app (org.PlatformCLIApp) in the
// oldest org when no app on the server holds the consumer key PlatformCLI, so that
// `sf org login web` and `sf org login sfdx-url` work without an org file entry. Its
// secret is random and never shown: the app needs none (ConsumerSecretOptional and
// RefreshSecretOptional), and a client sending a secret is checked against it, so none
// passes. The server runs it at start, after the org file.
func (s *Service) EnsurePlatformCLI(ctx context.Context) error {
	taken, err := s.st.CredentialsByKey(ctx, org.PlatformCLIKey)
	if err != nil || len(taken) > 0 {
		return err
	}
	orgs, err := s.st.Orgs(ctx)
	if err != nil || len(orgs) == 0 {
		return err
	}
	first := orgs[0]
	for _, o := range orgs[1:] {
		if o.CreatedAt.Before(first.CreatedAt) {
			first = o
		}
	}
	return s.Update(ctx, ActorBuiltInApps, func(tx *Tx) error {
		apps, err := tx.ConnectedApps(ctx, first.ID)
		if err != nil {
			return err
		}
		app := org.PlatformCLIApp(first.ID)
		for _, a := range apps { // the built-in app left without its key by an org file
			if a.Name == org.PlatformCLIName {
				app.ID, app.CreatedAt = a.ID, a.CreatedAt
			}
		}
		if err := tx.PutConnectedApp(ctx, &app); err != nil {
			return err
		}
		c := org.Credential{AppID: app.ID, ConsumerKey: org.PlatformCLIKey, State: org.CredentialActive,
			SecretHash: secret.HashGenerated(secret.ConsumerSecret())}
		if err := tx.PutCredential(ctx, &c); err != nil {
			return err
		}
		return tx.Audit(first.ID, org.AuditSectionConnectedApps, org.AuditCreated, app.ID,
			fmt.Sprintf("Created the built-in connected app %s (consumer key %s) for the Salesforce CLI", app.Name, org.PlatformCLIKey))
	})
}
