package orgfile

import (
	"errors"

	"github.com/forcefield/forcefield/internal/org"
)

// Quotas are a connected app's per-app quotas (issue 14 §4; org.AppQuotas; docs/quotas.md):
//
//	quotas: {tokenRequestsPerHour: 100, tokenRequestsPerDay: 1000, apiRequestsPerDay: 5000}
//
// An omitted key, or 0, is no quota; applying a file sets the app's quotas to the file's.
type Quotas struct {
	TokenRequestsPerHour int `yaml:"tokenRequestsPerHour"`
	TokenRequestsPerDay  int `yaml:"tokenRequestsPerDay"`
	APIRequestsPerDay    int `yaml:"apiRequestsPerDay"`
}

func (q Quotas) app() org.AppQuotas {
	return org.AppQuotas{TokenRequestsPerHour: q.TokenRequestsPerHour, TokenRequestsPerDay: q.TokenRequestsPerDay,
		APIRequestsPerDay: q.APIRequestsPerDay}
}

// appQuotas checks the app's quotas (org.AppQuotas.Validate).
func (v *validator) appQuotas(a *ConnectedApp, p string) {
	var qe *org.QuotaError
	if err := a.Quotas.app().Validate(); errors.As(err, &qe) {
		v.errorf(p+".quotas."+qe.Field, "%s", qe.Message)
	}
}
