package setup

// A connected app's per-app quotas (issue 14 §4; org.AppQuotas; docs/quotas.md). The admin
// API's …/quotas routes and the CLI's set-quotas are adapters over SetAppQuotas; the org
// file sets them with the rest of the app (package orgfile).

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
)

// SetAppQuotas replaces the app's quotas (zero: none), validated (org.AppQuotas.Validate),
// with an audit row naming the old and new values. The token endpoint and the data API
// read the app through the Setup cache, which the change invalidates: the new quotas apply
// to the next request, counted against what the app already used in the windows.
func (s *Service) SetAppQuotas(ctx context.Context, actor Actor, appID sfid.ID, q org.AppQuotas) (app org.ConnectedApp, err error) {
	if err := q.Validate(); err != nil {
		var qe *org.QuotaError
		if errors.As(err, &qe) {
			return app, FieldInvalidf(qe.Field, "%s: %s", qe.Field, qe.Message)
		}
		return app, err
	}
	err = s.Update(ctx, actor, func(tx *Tx) error {
		a, err := appIn(ctx, tx, appID)
		if err != nil {
			return err
		}
		old := a.AppQuotas
		a.AppQuotas = q
		if old == q {
			app = a
			return nil // nothing changed: no write, no audit row
		}
		if err := tx.PutConnectedApp(ctx, &a); err != nil {
			return err
		}
		app = a
		return tx.Audit(a.OrgID, org.AuditSectionConnectedApps, org.AuditUpdated, a.ID,
			fmt.Sprintf("Changed the quotas of %s %s from %s to %s", kindName(a.Kind), a.Name, quotaText(old), quotaText(q)))
	})
	return app, err
}

// quotaText is how the audit trail shows quotas.
func quotaText(q org.AppQuotas) string {
	var parts []string
	for _, f := range []struct {
		n    int
		what string
	}{{q.TokenRequestsPerHour, "token requests per hour"}, {q.TokenRequestsPerDay, "token requests per day"},
		{q.APIRequestsPerDay, "API requests per day"}} {
		if f.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", f.n, f.what))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}
