package orgfile

import (
	"errors"
	"fmt"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/secret"
	"github.com/forcefield/forcefield/internal/sfid"
)

// credential gives an app its Active consumer key and secret. An app without one gets a
// new pair: the file's key and secret, or generated ones (returned in Result once). An app
// with one keeps it, except that a key or secret the file names replaces the stored one
// in place; nothing is ever regenerated.
func (a *applier) credential(o org.Org, app org.ConnectedApp, fa *ConnectedApp, p string) error {
	creds, err := a.w.Credentials(a.ctx, app.ID)
	if err != nil {
		return err
	}
	active, found := find(creds, func(c org.Credential) bool { return c.State == org.CredentialActive })
	if !found {
		c := org.Credential{AppID: app.ID, State: org.CredentialActive, ConsumerKey: fa.ConsumerKey}
		gen := NewCredential{Org: o.Name, App: app.Name}
		if c.ConsumerKey == "" {
			c.ConsumerKey = secret.ConsumerKey()
			gen.ConsumerKey = c.ConsumerKey
		}
		if fa.ConsumerSecret != "" {
			c.SecretHash = secret.HashSupplied(fa.ConsumerSecret)
		} else {
			gen.ConsumerSecret = secret.ConsumerSecret()
			c.SecretHash = secret.HashGenerated(gen.ConsumerSecret)
		}
		if ok, err := a.keyFree(c.ConsumerKey, app, "", p); err != nil || !ok {
			return err
		}
		a.res.Credentials.Created++
		if gen.ConsumerKey != "" || gen.ConsumerSecret != "" {
			gen.ConsumerKey = c.ConsumerKey
			a.res.NewCredentials = append(a.res.NewCredentials, gen)
		}
		if err := a.w.PutCredential(a.ctx, &c); err != nil {
			return err
		}
		return a.record(o.ID, org.AuditCreated, org.AuditSectionConnectedApps, c.ID,
			fmt.Sprintf("Created consumer credentials %s for connected app %s", c.ID, app.Name))
	}

	want := active
	if fa.ConsumerKey != "" && fa.ConsumerKey != active.ConsumerKey {
		if ok, err := a.keyFree(fa.ConsumerKey, app, active.ID, p); err != nil || !ok {
			return err
		}
		want.ConsumerKey = fa.ConsumerKey
	}
	if fa.ConsumerSecret != "" {
		ok, err := secret.Verify(active.SecretHash, fa.ConsumerSecret)
		if err != nil && !errors.Is(err, secret.ErrBadHash) {
			return err
		}
		if !ok {
			want.SecretHash = secret.HashSupplied(fa.ConsumerSecret)
		}
	}
	if want == active {
		a.res.Credentials.Unchanged++
		return nil
	}
	a.res.Credentials.Updated++
	if err := a.w.PutCredential(a.ctx, &want); err != nil {
		return err
	}
	what := "consumer secret"
	if want.ConsumerKey != active.ConsumerKey {
		what = "consumer key"
		if want.SecretHash != active.SecretHash {
			what = "consumer key and secret"
		}
	}
	return a.record(o.ID, org.AuditUpdated, org.AuditSectionConnectedApps, want.ID,
		fmt.Sprintf("Changed the %s of active credentials %s of connected app %s (from the org file)", what, want.ID, app.Name))
}

// keyFree reports whether key may become the consumer key of credential self of app,
// recording an error when another credential already carries it.
func (a *applier) keyFree(key string, app org.ConnectedApp, self sfid.ID, p string) (bool, error) {
	taken, err := a.w.CredentialsByKey(a.ctx, key)
	if err != nil {
		return false, err
	}
	for _, c := range taken {
		if c.ID == self {
			continue
		}
		if yielded, err := a.yieldPlatformCLI(c, app); err != nil || yielded {
			if err != nil {
				return false, err
			}
			continue
		}
		owner := "another app"
		if c.AppID == app.ID {
			owner = "a " + c.State + " credential of this app"
		} else if other, err := a.w.ConnectedApp(a.ctx, c.AppID); err == nil {
			owner = fmt.Sprintf("connected app %q", other.Name)
			if o, err := a.w.Org(a.ctx, other.OrgID); err == nil {
				owner += fmt.Sprintf(" of org %q", o.Name)
			}
		}
		a.errs = append(a.errs, a.f.errorf(p+".consumerKey", "consumer key is already used by %s", owner))
		return false, nil
	}
	return true, nil
}
