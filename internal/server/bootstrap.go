package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/forcefield/forcefield/internal/admin"
	"github.com/forcefield/forcefield/internal/orgfile"
	"github.com/forcefield/forcefield/internal/secret"
	"github.com/forcefield/forcefield/internal/seed"
	"github.com/forcefield/forcefield/internal/setup"
	"github.com/forcefield/forcefield/internal/store"
)

// bootstrap prepares the store at start:
//   - with --org-file, the file is applied (idempotent; generated secrets printed once);
//   - otherwise, on an empty database, the demo org is created and its consumer key, secret
//     and a ready-to-paste curl command are printed once, with the login URL and the
//     generated password of its administrator;
//   - the admin token is set from --admin-token, or generated and printed once when the
//     database has none. Later starts print nothing secret.
func (s *Server) bootstrap(ctx context.Context) error {
	out := s.cfg.Out
	if s.cfg.OrgFile != "" {
		data, err := os.ReadFile(s.cfg.OrgFile)
		if err != nil {
			return fmt.Errorf("read org file: %w", err)
		}
		f, err := orgfile.Parse(s.cfg.OrgFile, data)
		if err != nil {
			return err
		}
		res, n, err := s.setup.ApplyOrgFile(ctx, setup.Actor{Name: "org file " + filepath.Base(s.cfg.OrgFile) + " at start"}, f)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "Applied %s: %s", s.cfg.OrgFile, res)
		if n > 0 {
			fmt.Fprintf(out, ", %d seed records", n)
		}
		fmt.Fprintln(out)
		for _, n := range res.SecretNotes { // which of the file and the admin API won a secret
			fmt.Fprintf(out, "Org file %s: %s\n", filepath.Base(s.cfg.OrgFile), n)
		}
		s.printCredentials(out, res.NewCredentials)
	} else {
		orgs, err := s.st.Orgs(ctx)
		if err != nil {
			return err
		}
		if len(orgs) == 0 {
			pw := secret.Password() // the administrator's, printed once below; never logged
			res, _, err := s.setup.ApplyOrgFile(ctx, setup.Actor{Name: "demo org at first start"}, orgfile.DemoWithAdminPassword(pw))
			if err != nil {
				return fmt.Errorf("create demo org: %w", err)
			}
			fmt.Fprintf(out, "Created the demo org (an administrator, an API-only integration user, and the connected app \"Demo Integration\" running as that user).\n")
			s.printCredentials(out, res.NewCredentials)
			fmt.Fprintf(out, "\nLog in with a browser at %s/ — shown once, store it now:\n", s.baseURL)
			fmt.Fprintf(out, "  Username: %s\n  Password: %s\n", orgfile.DemoAdmin, pw)
		}
	}
	if err := s.setup.EnsurePlatformCLI(ctx); err != nil {
		return fmt.Errorf("built-in Salesforce CLI app: %w", err)
	}
	return s.adminToken(ctx, out)
}

func (s *Server) printCredentials(out io.Writer, creds []orgfile.NewCredential) {
	for _, c := range creds {
		fmt.Fprintf(out, "\nConnected app %q of org %q — shown once, store them now:\n", c.App, c.Org)
		fmt.Fprintf(out, "  Consumer Key:    %s\n", c.ConsumerKey)
		if c.ConsumerSecret != "" {
			fmt.Fprintf(out, "  Consumer Secret: %s\n", c.ConsumerSecret)
			fmt.Fprintf(out, "Get a token:\n  curl -s %s/services/oauth2/token -d grant_type=client_credentials -d client_id=%s -d client_secret=%s\n",
				s.baseURL, c.ConsumerKey, c.ConsumerSecret)
		}
	}
}

func (s *Server) adminToken(ctx context.Context, out io.Writer) error {
	if s.cfg.AdminToken != "" {
		return s.st.PutSetting(ctx, admin.SettingAdminTokenHash, admin.HashToken(s.cfg.AdminToken))
	}
	_, err := s.st.Setting(ctx, admin.SettingAdminTokenHash)
	if err == nil {
		return nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	tok := secret.AdminToken()
	if err := s.st.PutSetting(ctx, admin.SettingAdminTokenHash, admin.HashToken(tok)); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nAdmin token for the admin API and CLI verbs — shown once:\n  export FORCEFIELD_ADMIN_TOKEN=%s\n", tok)
	return nil
}

// seed inserts an applied org file's seed records (package seed).
func (s *Server) seed(ctx context.Context, seeds []orgfile.OrgSeeds) (int, error) {
	return seed.Insert(ctx, s.st, s.st, s.dir, seeds, s.cfg.Now())
}
