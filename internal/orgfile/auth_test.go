package orgfile

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/password"
)

// selfSigned returns a PEM certificate for a new RSA key.
func selfSigned(t *testing.T) string {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

const authFile = `orgs:
  - name: Auth
    allowUsernamePasswordFlow: false
    maxLoginAttempts: 3
    lockoutMinutes: 30
    profiles:
      - name: Integration
        loginIpRanges:
          - {start: 10.0.0.0, end: 10.0.0.255}
    users:
      - username: Int@Auth.example
        lastName: Int
        email: int@auth.example
        profile: Integration
        password: correct-horse
        securityToken: ABCDEFGHIJKLMNOPQRSTUVWX
    connectedApps:
      - name: JWT
        certificates: [app.crt]
        approvedUsers: [int@auth.example]
        ipRelaxation: BYPASS
`

func TestAuthKeysApply(t *testing.T) {
	dir := t.TempDir()
	cert := selfSigned(t)
	if err := os.WriteFile(filepath.Join(dir, "app.crt"), []byte(cert), 0o600); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dir, "auth.yaml")
	st := openStore(t)
	ctx := context.Background()
	if _, err := Apply(ctx, st, mustParse(t, name, authFile)); err != nil {
		t.Fatal(err)
	}
	s := dump(t, st)
	o, p, u, a := s.Orgs[0], s.Profiles[0], s.Users[0], s.Apps[0]
	if diff := cmp.Diff(org.PasswordPolicy{DisableUsernamePasswordFlow: true, LockoutAttempts: 3, LockoutMinutes: 30}, o.PasswordPolicy); diff != "" {
		t.Errorf("PasswordPolicy (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]org.IPRange{{Start: "10.0.0.0", End: "10.0.0.255"}}, p.LoginIPRanges); diff != "" {
		t.Errorf("LoginIPRanges (-want +got):\n%s", diff)
	}
	if ok, _ := password.Verify(u.PasswordHash, "correct-horse"); !ok || strings.Contains(u.PasswordHash, "correct-horse") {
		t.Errorf("PasswordHash %q does not verify the file's password", u.PasswordHash)
	}
	if ok, _ := password.Verify(u.SecurityTokenHash, "ABCDEFGHIJKLMNOPQRSTUVWX"); !ok {
		t.Errorf("SecurityTokenHash does not verify the file's token")
	}
	if diff := cmp.Diff([]string{cert}, a.Certificates); diff != "" {
		t.Errorf("Certificates (-want +got):\n%s", diff)
	}
	if len(a.ApprovedUserIDs) != 1 || a.ApprovedUserIDs[0] != u.ID || a.IPRelaxation != org.IPRelaxBypass {
		t.Errorf("ApprovedUserIDs %v, IPRelaxation %q; want [%s], BYPASS", a.ApprovedUserIDs, a.IPRelaxation, u.ID)
	}

	// Applying again keeps the hashes (they are salted: a re-hash would differ).
	res, err := Apply(ctx, st, mustParse(t, name, authFile))
	if err != nil {
		t.Fatal(err)
	}
	if res.Changed() {
		t.Errorf("re-applying changed something: %+v", res)
	}
	// A file without password keeps the stored one.
	noPw := strings.Replace(strings.Replace(authFile, "        password: correct-horse\n", "", 1), "        securityToken: ABCDEFGHIJKLMNOPQRSTUVWX\n", "", 1)
	if _, err := Apply(ctx, st, mustParse(t, name, noPw)); err != nil {
		t.Fatal(err)
	}
	if got := dump(t, st).Users[0].PasswordHash; got != u.PasswordHash {
		t.Errorf("a file without password replaced the stored hash")
	}
}

func TestAuthKeysErrors(t *testing.T) {
	bad := `orgs:
  - name: A
    maxLoginAttempts: -1
    lockoutMinutes: 5000
    profiles:
      - name: P
        loginIpRanges:
          - {start: 10.0.0.9, end: 10.0.0.1}
          - {start: nope, end: 10.0.0.1}
          - {start: 10.0.0.1, end: "::1"}
    users:
      - {username: u@a.example, lastName: U, email: u@a.example, profile: P, password: short, securityToken: tooshort}
    connectedApps:
      - name: App
        certificates: ["-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", missing.crt]
        approvedUsers: [nobody@a.example]
        ipRelaxation: LOOSE
`
	_, err := Parse(filepath.Join(t.TempDir(), "bad.yaml"), []byte(bad))
	if err == nil {
		t.Fatal("Parse accepted a file with bad auth keys")
	}
	for _, want := range []string{
		"orgs[0].maxLoginAttempts: must be 1 to 100",
		"orgs[0].lockoutMinutes: must be 1 to 1440",
		"loginIpRanges[0]: start 10.0.0.9 is after end 10.0.0.1",
		`loginIpRanges[1].start: "nope" is not an IP address`,
		"loginIpRanges[2]: start and end must both be IPv4 or both IPv6",
		"users[0].password: must be 8 to 256 characters",
		"users[0].securityToken: must be 24 letters and digits",
		"certificates[0]: x509:",
		"certificates[1]: certificate file:",
		`approvedUsers[0]: no user "nobody@a.example" in org "A"`,
		`ipRelaxation: "LOOSE" is not an IP relaxation policy`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("errors lack %q; got:\n%v", want, err)
		}
	}
}
