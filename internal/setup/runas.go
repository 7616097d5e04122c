package setup

import (
	"context"
	"errors"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// CheckRunAs is the rule for an app's client credentials Run As user, wherever it is set
// (the app's settings, Edit Policies, the org file's apps through the console): a user of
// the app's org, active, not frozen; for an External Client App also holding API Only User
// ("This user must have the API Only permission": ExtlClntAppOauthConfigurablePolicies.
// clientCredentialsFlowUser, the setup reference §8). A zero userID is "no Run As user",
// which is allowed (every token request then fails, as in Salesforce). field names the
// input the error is about.
func CheckRunAs(ctx context.Context, tx store.SetupReader, app org.ConnectedApp, userID sfid.ID, field string) error {
	if userID.IsZero() {
		return nil
	}
	u, err := tx.User(ctx, userID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && u.OrgID != app.OrgID) {
		return FieldInvalidf(field, "Run As: no user %s in this org", userID)
	}
	if err != nil {
		return err
	}
	switch {
	case !u.Active:
		return FieldInvalidf(field, "Run As: %s is inactive; choose an active user", u.Username)
	case u.Frozen:
		return FieldInvalidf(field, "Run As: %s is frozen; choose another user or unfreeze them", u.Username)
	}
	if app.Kind == org.AppKindExternalClient {
		p, err := principal(ctx, tx, u)
		if err != nil {
			return err
		}
		if !p.Has(org.PermAPIUserOnly) {
			return FieldInvalidf(field, "Run As: %s must have the API Only User permission (External Client Apps)", u.Username)
		}
	}
	return nil
}

// principal is u with the permissions of its profile and permission sets, read in tx.
func principal(ctx context.Context, tx store.SetupReader, u org.User) (org.Principal, error) {
	p := org.Principal{User: u}
	if !u.ProfileID.IsZero() {
		prof, err := tx.Profile(ctx, u.ProfileID)
		if err != nil {
			return p, err
		}
		p.Profile = prof
	}
	for _, id := range u.PermissionSetIDs {
		ps, err := tx.PermissionSet(ctx, id)
		if err != nil {
			return p, err
		}
		p.PermSets = append(p.PermSets, ps)
	}
	return p, nil
}
