package forcefieldtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/forcefield/forcefield/internal/orgfile"
	"github.com/forcefield/forcefield/internal/server"
)

// TB is what the handles need of a test: *testing.T, *testing.B and testing.TB satisfy it,
// and [Main] stands for it outside a test.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
}

// Main is the [TB] of code outside a test — TestMain, an Example, a program: a failed
// handle logs its message and exits with status 1 (deferred calls do not run).
var Main TB = mainTB{}

type mainTB struct{}

func (mainTB) Helper() {}
func (mainTB) Fatalf(format string, args ...any) {
	log.Fatalf(format, args...)
}

// Server is a running Forcefield. Its fields are read-only.
type Server struct {
	// URL is the server's base URL, http://127.0.0.1:PORT. It is also LoginURL, the URL a
	// client logs in at (Salesforce's https://login.salesforce.com or My Domain), and
	// InstanceURL, the instance_url of every token it issues.
	URL, LoginURL, InstanceURL string
	// AdminToken authenticates admin API requests (Authorization: Bearer); generated for
	// this server. [Server.Admin] sends it.
	AdminToken string

	org    string // the org the per-org handles act on: an ID, a name, or "" (see Org)
	*state        // shared by the copies Org returns
}

// state is what a Server and its Org views share.
type state struct {
	apps      map[string]Credentials // by "Org/App", and by "App" when the name is unique
	orgs      []orgRef
	client    *http.Client
	transport *http.Transport
	stop      func() error
	closeOnce sync.Once
	closeErr  error
}

type orgRef struct{ ID, Name, MyDomain string }

// Credentials are a connected app's consumer key and secret.
type Credentials struct {
	ConsumerKey    string
	ConsumerSecret string
}

// Option configures Start and New.
type Option func(*options)

type options struct {
	postgres string
	logger   *slog.Logger
}

// Postgres runs the server on a new schema of the PostgreSQL database at url (a
// postgres:// URL), dropped with everything in it when the server stops, instead of a
// SQLite file. Without this option, FORCEFIELD_TEST_DB=postgres in the environment does
// the same with $FORCEFIELD_TEST_POSTGRES (default [DefaultPostgresURL]).
func Postgres(url string) Option { return func(o *options) { o.postgres = url } }

// Logger sends the server's logs (log/slog; one line per fault injected and hit, per
// Setup change…) to l. By default they are discarded.
func Logger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// DefaultPostgresURL is the database FORCEFIELD_TEST_DB=postgres uses when
// $FORCEFIELD_TEST_POSTGRES is unset: the one Forcefield's CI starts.
const DefaultPostgresURL = "postgres://postgres:postgres@127.0.0.1:5432/forcefield_test?sslmode=disable"

// Start runs a Forcefield with the org file orgYAML (docs/org-file.md) applied, on
// 127.0.0.1 on a free port with a SQLite database in t.TempDir(), until the test ends.
// Any failure to start fails the test. Certificate paths in the file are relative to the
// test's working directory (its package directory).
func Start(t testing.TB, orgYAML string, opts ...Option) *Server {
	t.Helper()
	s, err := open(t.TempDir(), false, orgYAML, opts)
	if err != nil {
		t.Fatalf("forcefieldtest: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("forcefieldtest: %v", err)
		}
	})
	return s
}

// New is Start outside a test: the caller stops the server with Close, which also
// removes its temporary directory (or PostgreSQL schema).
func New(orgYAML string, opts ...Option) (*Server, error) {
	dir, err := os.MkdirTemp("", "forcefieldtest-")
	if err != nil {
		return nil, fmt.Errorf("temporary directory: %w", err)
	}
	s, err := open(dir, true, orgYAML, opts)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return s, nil
}

// Close stops the server: in-flight requests finish, then the database is closed and
// removed. It is safe to call more than once.
func (s *Server) Close() error {
	s.closeOnce.Do(func() { s.closeErr = s.stop() })
	return s.closeErr
}

// open runs a server in dir (removed at Close when ownDir).
func open(dir string, ownDir bool, orgYAML string, opts []Option) (_ *Server, err error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.postgres == "" && os.Getenv("FORCEFIELD_TEST_DB") == "postgres" {
		if o.postgres = os.Getenv("FORCEFIELD_TEST_POSTGRES"); o.postgres == "" {
			o.postgres = DefaultPostgresURL
		}
	}
	var cleanups []func() error // run last first by stop
	stop := func() error {
		var errs []error
		for i := len(cleanups) - 1; i >= 0; i-- {
			errs = append(errs, cleanups[i]())
		}
		return errors.Join(errs...)
	}
	defer func() {
		if err != nil {
			stop()
		}
	}()
	if ownDir {
		cleanups = append(cleanups, func() error { return os.RemoveAll(dir) })
	}

	db := filepath.Join(dir, "forcefield.db")
	if o.postgres != "" {
		schemaURL, drop, err := newSchema(o.postgres)
		if err != nil {
			return nil, err
		}
		cleanups = append(cleanups, drop)
		db = schemaURL
	}
	// The server starts with no org (an empty org file: no demo org is created), and the
	// test's file is applied through the admin API, whose answer carries the consumer keys
	// and secrets it generated — shown once, as to an operator.
	empty := filepath.Join(dir, "empty-org.yaml")
	if err := os.WriteFile(empty, []byte("orgs: []\n"), 0o600); err != nil {
		return nil, fmt.Errorf("writing the empty org file: %w", err)
	}
	token := randomHex(32)
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := server.Open(ctx, server.Config{Addr: "127.0.0.1:0", DB: db, OrgFile: empty, AdminToken: token, Logger: o.logger})
	if err != nil {
		cancel()
		return nil, fmt.Errorf("starting Forcefield: %w", err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil // the server is on the loopback interface
	cleanups = append(cleanups, func() error {
		tr.CloseIdleConnections()
		cancel()
		if err := <-done; err != nil {
			return fmt.Errorf("Forcefield stopped with: %w", err)
		}
		return nil
	})

	u := srv.BaseURL()
	s := &Server{URL: u, LoginURL: u, InstanceURL: u, AdminToken: token,
		state: &state{client: &http.Client{Transport: tr}, transport: tr, stop: stop}}
	if err := s.apply(orgYAML); err != nil {
		return nil, err
	}
	return s, nil
}

// apply applies the org file through the admin API and records the apps' credentials.
func (s *Server) apply(orgYAML string) error {
	// A relative name: the server, in this process, resolves certificate paths from the
	// working directory, and its error messages say "org.yaml:LINE".
	const name = "org.yaml"
	status, body, err := s.do(http.MethodPost, "/forcefield/admin/apply?name="+url.QueryEscape(name), []byte(orgYAML))
	if err != nil {
		return fmt.Errorf("applying the org file: %w", err)
	}
	if status != http.StatusOK {
		return fmt.Errorf("applying the org file: HTTP %d: %s", status, body)
	}
	var res struct {
		NewCredentials []struct{ Org, App, ConsumerKey, ConsumerSecret string }
	}
	if err := json.Unmarshal(body, &res); err != nil {
		return fmt.Errorf("the apply answer: %w: %s", err, body)
	}
	// The file's own keys and secrets; then the generated ones.
	f, err := orgfile.Parse(name, []byte(orgYAML))
	if err != nil {
		return fmt.Errorf("reading the org file: %w", err)
	}
	byOrgApp := map[string]Credentials{}
	for _, o := range f.Orgs {
		for _, a := range o.ConnectedApps {
			byOrgApp[o.Name+"/"+a.Name] = Credentials{a.ConsumerKey, a.ConsumerSecret}
		}
		for _, a := range o.ExternalClientApps {
			byOrgApp[o.Name+"/"+a.Name] = Credentials{a.Settings.ConsumerKey, a.Settings.ConsumerSecret}
		}
	}
	for _, c := range res.NewCredentials {
		cred := byOrgApp[c.Org+"/"+c.App]
		cred.ConsumerKey = c.ConsumerKey
		if c.ConsumerSecret != "" {
			cred.ConsumerSecret = c.ConsumerSecret
		}
		byOrgApp[c.Org+"/"+c.App] = cred
	}
	s.apps = map[string]Credentials{}
	count := map[string]int{}
	for k := range byOrgApp {
		_, app, _ := strings.Cut(k, "/")
		count[app]++
	}
	for k, c := range byOrgApp {
		s.apps[k] = c
		if _, app, _ := strings.Cut(k, "/"); count[app] == 1 {
			s.apps[app] = c
		}
	}
	for _, o := range f.Orgs {
		s.orgs = append(s.orgs, orgRef{Name: o.Name, MyDomain: o.MyDomain})
	}
	return s.resolveOrgs()
}

// resolveOrgs reads the orgs' IDs; with one org, it is the one the handles act on.
func (s *Server) resolveOrgs() error {
	status, body, err := s.do(http.MethodGet, "/forcefield/admin/orgs", nil)
	if err != nil || status != http.StatusOK {
		return fmt.Errorf("listing orgs: HTTP %d %v: %s", status, err, body)
	}
	var orgs []struct{ ID, Name string }
	if err := json.Unmarshal(body, &orgs); err != nil {
		return fmt.Errorf("listing orgs: %w", err)
	}
	for i := range s.orgs {
		for _, o := range orgs {
			if o.Name == s.orgs[i].Name {
				s.orgs[i].ID = o.ID
			}
		}
	}
	if len(s.orgs) == 1 {
		s.org = s.orgs[0].ID
	}
	return nil
}

// App returns the consumer key and secret of the connected (or external client) app
// named name in the org file — the file's own, or those the server generated for an app
// declared without them. When two orgs have an app of that name, name it "Org/App".
// An app the file does not declare is a mistake in the test: App panics.
func (s *Server) App(name string) Credentials {
	c, ok := s.apps[name]
	if !ok {
		known := make([]string, 0, len(s.apps))
		for k := range s.apps {
			if strings.Contains(k, "/") {
				known = append(known, k)
			}
		}
		panic(fmt.Sprintf("forcefieldtest: no app %q in the org file (apps: %s)", name, strings.Join(known, ", ")))
	}
	return c
}

// Org returns a view of the server whose per-org handles (faults without an org, clock,
// snapshots, daily limit) act on the org named name: its name, My Domain or ID. A file
// with one org needs no Org.
func (s *Server) Org(name string) *Server {
	c := *s
	c.org = name
	for _, o := range s.orgs {
		if strings.EqualFold(o.Name, name) || (o.MyDomain != "" && strings.EqualFold(o.MyDomain, name)) {
			c.org = o.ID
		}
	}
	return &c
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
