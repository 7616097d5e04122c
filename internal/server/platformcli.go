package server

import (
	"context"
	"fmt"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/secret"
	"github.com/forcefield/forcefield/internal/store"
)

// ensurePlatformCLI creates the built-in "Salesforce CLI" app (org.PlatformCLIApp) in the
// first org when no app on the server holds the consumer key PlatformCLI, so that
// `sf org login web` and `sf org login sfdx-url` work without an org file entry. Its
// secret is random and never shown: the app needs none (ConsumerSecretOptional and
// RefreshSecretOptional), and a client sending a secret is checked against it, so none
// passes. Runs at start, after the org file.
func (s *Server) ensurePlatformCLI(ctx context.Context) error {
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
	now := s.cfg.Now().UTC()
	return s.st.UpdateSetup(ctx, func(tx store.SetupWriter) error {
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
		return tx.AddSetupAudit(ctx, &org.SetupAuditEvent{OrgID: first.ID, CreatedDate: now, CreatedBy: "Forcefield (built-in apps)",
			Action: org.AuditCreated, Section: org.AuditSectionConnectedApps, ObjectID: app.ID,
			Display: fmt.Sprintf("Created the built-in connected app %s (consumer key %s) for the Salesforce CLI", app.Name, org.PlatformCLIKey)})
	})
}
