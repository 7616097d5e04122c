package orgfile

import (
	"fmt"

	"github.com/forcefield/forcefield/internal/org"
)

// A connected app's web server and refresh token flow settings (the webflow reference
// §1.3, §3.3, §4.2, §4.4, §4.5, §8.1). Omitted keys are Salesforce's defaults: a secret is
// required for both flows, PKCE is optional, refresh tokens are valid until revoked and
// not rotated, an id_token is valid for 2 minutes.

// appWebFlow checks the settings' values.
func (v *validator) appWebFlow(a *ConnectedApp, p string) {
	if _, _, err := org.ParseRefreshPolicy(org.RefreshPolicy(a.RefreshTokenPolicy)); err != nil {
		v.errorf(p+".refreshTokenPolicy", "%v", err)
	}
	if n := a.IDTokenValidityMinutes; n != 0 && (n < 1 || n > 720) {
		v.errorf(p+".idTokenValidityMinutes", "%d is out of range: ID Token Validity is 1 to 720 minutes", n)
	}
}

// webFlowSettings copies the file's settings into the app.
func webFlowSettings(app *org.ConnectedApp, fa *ConnectedApp) {
	app.ConsumerSecretOptional, app.RefreshSecretOptional = fa.ConsumerSecretOptional, fa.RefreshSecretOptional
	app.PKCERequired, app.RefreshTokenRotation = fa.PKCERequired, fa.RefreshTokenRotation
	app.RefreshTokenPolicy = org.RefreshPolicy(fa.RefreshTokenPolicy)
	app.IDTokenValidityMinutes = fa.IDTokenValidityMinutes
}

// sameWebFlowSettings reports whether two versions of an app agree on the settings.
func sameWebFlowSettings(a, b org.ConnectedApp) bool {
	return a.ConsumerSecretOptional == b.ConsumerSecretOptional && a.RefreshSecretOptional == b.RefreshSecretOptional &&
		a.PKCERequired == b.PKCERequired && a.RefreshTokenRotation == b.RefreshTokenRotation &&
		a.RefreshTokenPolicy == b.RefreshTokenPolicy && a.IDTokenValidityMinutes == b.IDTokenValidityMinutes
}

// yieldPlatformCLI lets an app of the file take the consumer key PlatformCLI from the
// server's built-in "Salesforce CLI" app (org.PlatformCLIApp): that pair is deleted, with
// an audit row, and reported as yielded. Any other holder of a key keeps it.
func (a *applier) yieldPlatformCLI(c org.Credential, app org.ConnectedApp) (bool, error) {
	if c.ConsumerKey != org.PlatformCLIKey || c.AppID == app.ID {
		return false, nil
	}
	holder, err := a.w.ConnectedApp(a.ctx, c.AppID)
	if err != nil || holder.Name != org.PlatformCLIName || app.Name == org.PlatformCLIName {
		return false, nil
	}
	if err := a.w.DeleteCredential(a.ctx, c.ID); err != nil {
		return false, err
	}
	return true, a.record(holder.OrgID, org.AuditDeletedCredentials, org.AuditSectionConnectedApps, c.ID,
		fmt.Sprintf("Deleted consumer credentials %s of the built-in connected app %s: app %s declares the key", c.ID, holder.Name, app.Name))
}
