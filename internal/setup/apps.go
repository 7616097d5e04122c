package setup

// An app's Settings side (App Manager → New Connected App / New External Client App, View,
// Edit, Delete; the setup reference §2 and §8). Policies (Edit Policies) and the consumer
// credentials' lifecycle after creation belong to other files.

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"slices"
	"strings"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/secret"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// AppInput is the app's settings form: the Basic Information and API (Enable OAuth
// Settings) sections of New Connected App, or the same of New External Client App. Field
// comments name the form's labels.
type AppInput struct {
	// Kind is the app's kind when creating (AppKindConnected or AppKindExternalClient);
	// an update keeps the app's kind.
	Kind org.AppKind
	Name string // Connected App Name / External Client App Name
	// APIName is the API Name; "" derives it from Name, as Salesforce fills it in.
	APIName      string
	ContactEmail string // Contact Email (required)
	Description  string // Description
	OAuthEnabled bool   // Enable OAuth Settings
	CallbackURL  string // Callback URL: one URL per line, at most 2000 characters
	// UseDigitalSignatures keeps or sets the app's certificate for the JWT bearer flow;
	// Certificate is a new PEM certificate ("" keeps the app's on an update). Unticked,
	// the app's certificates are removed.
	UseDigitalSignatures bool
	Certificate          string
	Scopes               []string // Selected OAuth Scopes (scope names)
	PKCERequired         bool     // Require Proof Key for Code Exchange (PKCE) Extension for Supported Authorization Flows
	RequireSecretWeb     bool     // Require Secret for Web Server Flow
	RequireSecretRefresh bool     // Require Secret for Refresh Token Flow
	ClientCredentials    bool     // Enable Client Credentials Flow
	// AcceptedClientCredentialsWarning is the answer to the warning Salesforce shows when
	// Enable Client Credentials Flow is ticked; turning the flow on needs it.
	AcceptedClientCredentialsWarning bool
	// RunAsUserID is the client credentials flow's Run As user (connected apps: offered
	// beside the flow's checkbox; zero: none). An External Client App's Run As is one of
	// its Policies, so its settings never change it.
	RunAsUserID         sfid.ID
	JWTAccessTokens     bool // Issue JSON Web Token (JWT)-based access tokens for named users
	IntrospectAllTokens bool // Introspect All Tokens
}

// Limits of the settings form (Salesforce's field lengths where documented: Callback URL
// 2000 characters, the setup reference §2; the others are Forcefield's).
const (
	maxAppName        = 80
	maxCallbackText   = 2000
	maxAppDescription = 256
	maxContactEmail   = 80
)

// ClientCredentialsWarning is the warning shown beside Enable Client Credentials Flow
// (Salesforce shows it as an alert that must be accepted; the wording is Salesforce's
// security note for the flow, the oauth reference §3.4).
const ClientCredentialsWarning = "With the client credentials flow, any person or app that has access to your consumer key and consumer secret can get an access token, as the Run As user, without logging in. Maintain security by periodically changing your consumer secret."

// OAuthEnabled reports whether an app has Enable OAuth Settings ticked. Forcefield stores
// no separate flag: an app has OAuth settings when it has a callback URL or a scope (an
// app without either can get no useful token), which is how the console shows it.
func OAuthEnabled(a org.ConnectedApp) bool { return len(a.CallbackURLs) > 0 || len(a.Scopes) > 0 }

// CreateApp creates an app of the org from the settings form, with an Active consumer
// key and secret (generated; the secret stored as a hash only). The secret is returned
// here once and can never be read again. App names and their API Names are unique in an
// org (a Conflict otherwise).
func (s *Service) CreateApp(ctx context.Context, actor Actor, orgID sfid.ID, in AppInput) (app org.ConnectedApp, consumerKey, consumerSecret string, err error) {
	switch in.Kind {
	case org.AppKindConnected, org.AppKindExternalClient:
	default:
		return app, "", "", Invalidf("unknown app kind %q", in.Kind)
	}
	consumerKey, consumerSecret = secret.ConsumerKey(), secret.ConsumerSecret()
	err = s.Update(ctx, actor, func(tx *Tx) error {
		if _, err := tx.Org(ctx, orgID); err != nil {
			return notFound(err, "org %s", orgID)
		}
		a := org.ConnectedApp{OrgID: orgID, Kind: in.Kind, PermittedUsers: org.PermittedAllSelfAuthorized}
		if err := s.applySettings(ctx, tx, &a, in, false); err != nil {
			return err
		}
		if err := tx.PutConnectedApp(ctx, &a); err != nil {
			return appConflict(err, a.Name)
		}
		c := org.Credential{AppID: a.ID, ConsumerKey: consumerKey, SecretHash: secret.HashGenerated(consumerSecret), State: org.CredentialActive}
		if err := tx.PutCredential(ctx, &c); err != nil {
			return err
		}
		if err := tx.Audit(orgID, org.AuditSectionConnectedApps, org.AuditCreated, a.ID,
			fmt.Sprintf("Created %s %s", kindName(a.Kind), a.Name)); err != nil {
			return err
		}
		if err := tx.Audit(orgID, org.AuditSectionConnectedApps, org.AuditCreated, c.ID,
			fmt.Sprintf("Created consumer credentials %s for %s %s", c.ID, kindName(a.Kind), a.Name)); err != nil {
			return err
		}
		app = a
		return nil
	})
	if err != nil {
		return org.ConnectedApp{}, "", "", err
	}
	return app, consumerKey, consumerSecret, nil
}

// UpdateAppSettings changes an app of the org from the settings form (Edit). Turning
// OAuth or the client credentials flow off is allowed; it takes effect on the next token
// request (tokens already issued stay valid until they expire or are revoked, as in
// Salesforce).
func (s *Service) UpdateAppSettings(ctx context.Context, actor Actor, orgID, appID sfid.ID, in AppInput) (app org.ConnectedApp, err error) {
	err = s.Update(ctx, actor, func(tx *Tx) error {
		a, err := appOf(ctx, tx, orgID, appID)
		if err != nil {
			return err
		}
		in.Kind = a.Kind
		if err := s.applySettings(ctx, tx, &a, in, true); err != nil {
			return err
		}
		if err := tx.PutConnectedApp(ctx, &a); err != nil {
			return appConflict(err, a.Name)
		}
		app = a
		return tx.Audit(orgID, org.AuditSectionConnectedApps, org.AuditUpdated, a.ID,
			fmt.Sprintf("Changed the settings of %s %s", kindName(a.Kind), a.Name))
	})
	return app, err
}

// DeleteApp deletes an app of the org with its consumer credentials (Salesforce lets an
// admin delete a connected app). After the commit every session and refresh token issued
// to the app ends and the users' approvals of it are removed, so nothing it issued
// outlives it.
func (s *Service) DeleteApp(ctx context.Context, actor Actor, orgID, appID sfid.ID) error {
	err := s.Update(ctx, actor, func(tx *Tx) error {
		a, err := appOf(ctx, tx, orgID, appID)
		if err != nil {
			return err
		}
		if err := tx.DeleteConnectedApp(ctx, a.ID); err != nil {
			return err
		}
		return tx.Audit(orgID, org.AuditSectionConnectedApps, org.AuditDeletedApp, a.ID,
			fmt.Sprintf("Deleted %s %s, its consumer credentials, sessions and refresh tokens", kindName(a.Kind), a.Name))
	})
	if err != nil {
		return err
	}
	return s.endDeletedApp(ctx, appID)
}

// endDeletedApp ends what a deleted app leaves outside Setup: its refresh tokens and
// sessions (endAppSessions, as a block does) and users' approvals of it.
func (s *Service) endDeletedApp(ctx context.Context, appID sfid.ID) error {
	if err := s.endAppSessions(ctx, appID); err != nil {
		return err
	}
	if _, err := s.st.DeleteApprovals(ctx, store.GrantFilter{AppID: appID}); err != nil {
		return fmt.Errorf("removing the approvals of deleted app %s: %w", appID, err)
	}
	return nil
}

// applySettings validates in and writes it into a (old values in a when update).
func (s *Service) applySettings(ctx context.Context, tx *Tx, a *org.ConnectedApp, in AppInput, update bool) error {
	name := strings.TrimSpace(in.Name)
	switch {
	case name == "":
		return FieldInvalidf("name", "Connected App Name: You must enter a value")
	case len(name) > maxAppName:
		return FieldInvalidf("name", "Connected App Name: at most %d characters", maxAppName)
	}
	dev := strings.TrimSpace(in.APIName)
	if dev == "" {
		if dev = org.DeriveDeveloperName(name); dev == "" {
			return FieldInvalidf("apiName", "API Name: You must enter a value (the name has no letter or digit to make one from)")
		}
	} else if msg := org.CheckDeveloperName(dev); msg != "" {
		return FieldInvalidf("apiName", "API Name: %s", msg)
	}
	email := strings.TrimSpace(in.ContactEmail)
	if email == "" {
		return FieldInvalidf("contactEmail", "Contact Email: You must enter a value")
	}
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email || len(email) > maxContactEmail || !strings.Contains(email[strings.LastIndexByte(email, '@')+1:], ".") {
		return FieldInvalidf("contactEmail", "Contact Email: %q is not a valid email address", email)
	}
	if len(in.Description) > maxAppDescription {
		return FieldInvalidf("description", "Description: at most %d characters", maxAppDescription)
	}
	others, err := tx.ConnectedApps(ctx, a.OrgID)
	if err != nil {
		return err
	}
	for _, o := range others {
		if o.ID == a.ID {
			continue
		}
		if strings.EqualFold(o.Name, name) {
			return &Error{Kind: Conflict, Field: "name", Message: fmt.Sprintf("Connected App Name: an app named %q already exists in this org", o.Name)}
		}
		if strings.EqualFold(o.APIName(), dev) {
			return &Error{Kind: Conflict, Field: "apiName", Message: fmt.Sprintf("API Name: %s is already the API Name of app %q", o.APIName(), o.Name)}
		}
	}
	wasCC := a.ClientCredentialsEnabled
	a.Name, a.ContactEmail, a.Description = name, email, strings.TrimSpace(in.Description)
	a.DeveloperName = dev
	if dev == org.DeriveDeveloperName(name) {
		a.DeveloperName = "" // the derived one: stored as "not set", as the org file stores it
	}

	if !in.OAuthEnabled {
		// Without OAuth settings the app keeps none of them (Salesforce removes the app's
		// OAuth configuration when the box is cleared).
		a.CallbackURLs, a.Scopes, a.Certificates = nil, nil, nil
		a.ClientCredentialsEnabled, a.PKCERequired, a.JWTAccessTokens, a.IntrospectAllTokens = false, false, false, false
		a.ConsumerSecretOptional, a.RefreshSecretOptional = false, false
		return nil
	}
	cbs, err := callbackURLs(in.CallbackURL)
	if err != nil {
		return err
	}
	scopes, err := ParseScopeValues(in.Scopes)
	if err != nil {
		return err
	}
	certs := a.Certificates
	switch {
	case !in.UseDigitalSignatures:
		certs = nil
	case strings.TrimSpace(in.Certificate) != "":
		pemText := strings.TrimSpace(in.Certificate) + "\n"
		if _, err := org.RSACertificateKey(pemText); err != nil {
			return FieldInvalidf("certificate", "Use digital signatures: %v", err)
		}
		certs = []string{pemText}
	case len(certs) == 0:
		return FieldInvalidf("certificate", "Use digital signatures: upload a certificate (PEM, -----BEGIN CERTIFICATE-----)")
	}
	if in.ClientCredentials && !wasCC && !in.AcceptedClientCredentialsWarning {
		return FieldInvalidf("acceptClientCredentials", "Enable Client Credentials Flow: accept the warning to enable the flow")
	}
	a.CallbackURLs, a.Scopes, a.Certificates = cbs, scopes, slices.Clone(certs)
	a.PKCERequired, a.JWTAccessTokens, a.IntrospectAllTokens = in.PKCERequired, in.JWTAccessTokens, in.IntrospectAllTokens
	a.ConsumerSecretOptional, a.RefreshSecretOptional = !in.RequireSecretWeb, !in.RequireSecretRefresh
	a.ClientCredentialsEnabled = in.ClientCredentials
	if a.Kind != org.AppKindExternalClient && in.ClientCredentials {
		if err := CheckRunAs(ctx, tx, *a, in.RunAsUserID, "runAs"); err != nil {
			return err
		}
		a.RunAsUserID = in.RunAsUserID
	}
	return nil
}

// callbackURLs splits the Callback URL text (one URL per line) and checks each: absolute,
// without a #fragment, the text at most 2000 characters. At least one is required with
// OAuth settings.
func callbackURLs(text string) ([]string, error) {
	if len(text) > maxCallbackText {
		return nil, FieldInvalidf("callbackUrl", "Callback URL: at most %d characters in all", maxCallbackText)
	}
	var out []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		u, err := url.Parse(line)
		if err != nil || u.Scheme == "" || (u.Host == "" && u.Opaque == "" && u.Path == "") || u.Fragment != "" || strings.ContainsAny(line, " \t") {
			return nil, FieldInvalidf("callbackUrl", "Callback URL: %q is not a valid URL: use an absolute URL without a #fragment, such as https://localhost", line)
		}
		if !slices.Contains(out, line) {
			out = append(out, line)
		}
	}
	if len(out) == 0 {
		return nil, FieldInvalidf("callbackUrl", "Callback URL: You must enter a value (with Enable OAuth Settings)")
	}
	return out, nil
}

// appOf reads an app of the org: an app of another org is not found.
func appOf(ctx context.Context, tx store.SetupReader, orgID, appID sfid.ID) (org.ConnectedApp, error) {
	a, err := tx.ConnectedApp(ctx, appID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && a.OrgID != orgID) {
		return a, NotFoundf("no app %s in this org", appID)
	}
	return a, err
}

// appConflict turns the store's unique name constraint (racing creates) into a Conflict.
func appConflict(err error, name string) error {
	if errors.Is(err, store.ErrConflict) {
		return &Error{Kind: Conflict, Field: "name", Message: fmt.Sprintf("Connected App Name: an app named %q already exists in this org", name)}
	}
	return err
}

// kindName is how the audit trail names an app's kind.
func kindName(k org.AppKind) string {
	if k == org.AppKindExternalClient {
		return "external client app"
	}
	return "connected app"
}
