package setup

// A connected app's JWT bearer certificates ("Use digital signatures";
// ConnectedAppOauthConfig.certificate, the setup reference §2): the PEM-encoded X.509
// certificates whose RSA keys may sign JWT bearer assertions. The admin API's
// …/certificates routes and the console's Manage page are adapters over these methods.

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
)

// CertificateInfo describes a certificate without repeating its PEM.
type CertificateInfo struct {
	Fingerprint string // SHA-256 of the DER, lower-case hex; "" when the PEM holds no block
	Subject     string // "" when the DER is not a parsable certificate
	NotAfter    time.Time
}

// Certificate describes the first PEM block of pemText.
func Certificate(pemText string) CertificateInfo {
	block, _ := pem.Decode([]byte(pemText))
	if block == nil {
		return CertificateInfo{}
	}
	sum := sha256.Sum256(block.Bytes)
	v := CertificateInfo{Fingerprint: hex.EncodeToString(sum[:])}
	if c, err := x509.ParseCertificate(block.Bytes); err == nil {
		v.Subject, v.NotAfter = c.Subject.String(), c.NotAfter.UTC()
	}
	return v
}

// AddCertificate adds a PEM certificate with an RSA key to the app. The same certificate
// twice is a Conflict; anything but an RSA certificate is Invalid (field "certificate").
func (s *Service) AddCertificate(ctx context.Context, actor Actor, appID sfid.ID, pemText string) (CertificateInfo, error) {
	if _, err := org.RSACertificateKey(pemText); err != nil {
		return CertificateInfo{}, FieldInvalidf("certificate", "%v", err)
	}
	v := Certificate(pemText)
	err := s.Update(ctx, actor, func(tx *Tx) error {
		app, err := appIn(ctx, tx, appID)
		if err != nil {
			return err
		}
		for _, c := range app.Certificates {
			if Certificate(c).Fingerprint == v.Fingerprint {
				return &Error{Kind: Conflict, Field: "certificate", Message: "the app already holds this certificate"}
			}
		}
		app.Certificates = append(app.Certificates, pemText)
		if err := tx.PutConnectedApp(ctx, &app); err != nil {
			return err
		}
		return tx.Audit(app.OrgID, org.AuditSectionConnectedApps, org.AuditAddedCertificate, app.ID,
			fmt.Sprintf("Added certificate %s (%s) to connected app %s", v.Fingerprint, v.Subject, app.Name))
	})
	if err != nil {
		return CertificateInfo{}, err
	}
	return v, nil
}

// RemoveCertificate removes the app's certificate with the fingerprint (hex, any case).
func (s *Service) RemoveCertificate(ctx context.Context, actor Actor, appID sfid.ID, fingerprint string) error {
	fp := strings.ToLower(fingerprint)
	return s.Update(ctx, actor, func(tx *Tx) error {
		app, err := appIn(ctx, tx, appID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(app.Certificates, func(c string) bool { return Certificate(c).Fingerprint == fp })
		if i < 0 {
			return NotFoundf("the app holds no certificate with fingerprint %s", fp)
		}
		app.Certificates = slices.Delete(app.Certificates, i, i+1)
		if err := tx.PutConnectedApp(ctx, &app); err != nil {
			return err
		}
		return tx.Audit(app.OrgID, org.AuditSectionConnectedApps, org.AuditRemovedCertificate, app.ID,
			fmt.Sprintf("Removed certificate %s from connected app %s", fp, app.Name))
	})
}
