// Command forcefield runs a Salesforce-compatible org for server-to-server integrations —
// the OAuth 2.0 client credentials flow, identity endpoints and the REST API — and drives a
// running one through its admin API.
//
//	forcefield serve [--addr 127.0.0.1:8080] [--db forcefield.db] [--base-url URL] [--org-file FILE]
//	                 [--tls-addr 127.0.0.1:8443 --tls-cert cert.pem --tls-key key.pem]
//	forcefield tls-cert --dir DIR [--host 127.0.0.1,localhost]
//	forcefield apply FILE
//	forcefield orgs | users | apps | sessions | login-history
//	forcefield rotate-secret APP | delete-secret APP CREDENTIAL_ID
//	forcefield credentials APP | stage-credentials APP | rotate-credentials APP [ID] | delete-credentials APP ID
//	forcefield audit-trail [--org ID] [--limit N]
//	forcefield revoke-session SESSION_ID | revoke-user-sessions USER
//	forcefield oauth-tokens | approvals [--user U] [--app A] | revoke-oauth-tokens | revoke-approvals [--app A] USER
//	forcefield mint-refresh-token --app A --user U
//	forcefield token --url URL --client-id KEY [--client-secret S | --jwt-key FILE --username U | --username U --password P]
//	forcefield api [-X METHOD] [-d BODY] PATH   (same credential flags as token)
//	forcefield version
//
// Every flag can also be set with an environment variable FORCEFIELD_<FLAG>, e.g.
// FORCEFIELD_DB or FORCEFIELD_ADMIN_TOKEN; a flag on the command line wins. The --url of
// token and api (the org) reads FORCEFIELD_LOGIN_URL; the admin verbs' --url (the
// Forcefield server) reads FORCEFIELD_URL.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "forcefield:", err)
		}
		os.Exit(2)
	}
}

type command struct {
	name, args, summary string
	run                 func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "", "run the server", serve},
		{"tls-cert", "", "write a self-signed cert.pem and key.pem for serve --tls-addr (local use; --salesforce: a local CA and Salesforce's login hosts)", tlsCertCmd},
		{"login-hosts", "", "print the steps (and their undo) that point login.salesforce.com / test.salesforce.com at this machine", loginHostsCmd},
		{"token", "", "get an access token from an org (client credentials, JWT bearer, password or refresh token)", tokenCmd},
		{"api", "PATH", "send an authenticated REST request to an org and print the JSON", apiCmd},
		{"apply", "FILE", "apply an org file to a running server", applyCmd},
		{"orgs", "", "list orgs", listCmd("orgs")},
		{"users", "", "list users", listCmd("users")},
		{"apps", "", "list connected apps and their consumer keys", listCmd("apps")},
		{"sessions", "", "list live sessions", listCmd("sessions")},
		{"login-history", "", "show login history, newest first", listCmd("login-history")},
		{"bulk-jobs", "", "list Bulk API jobs with their state and counts", listCmd("bulk-jobs")},
		{"rotate-secret", "APP", "give an app a new consumer secret (the old one keeps working 30 days)", rotateCmd},
		{"delete-secret", "APP CREDENTIAL_ID", "delete a rotated consumer secret now", deleteSecretCmd},
		{"credentials", "APP", "list an app's consumer key/secret pairs and their states", credentialsCmd},
		{"stage-credentials", "APP", "stage a new consumer key and secret (both pairs work until rotate)", stageCredentialsCmd},
		{"rotate-credentials", "APP [STAGED_ID]", "make the staged pair active (the old one keeps working 30 days)", rotateCredentialsCmd},
		{"delete-credentials", "APP CREDENTIAL_ID", "delete a staged or rotated pair now", deleteCredentialsCmd},
		{"audit-trail", "", "show the setup audit trail, newest first", listCmd("audit-trail")},
		{"travel", "[DURATION]", "move an org's clock ahead (time travel: 2h advances; --to-offset, --reset; none: print it)", travelCmd},
		{"revoke-session", "SESSION_ID", "end one session", revokeSessionCmd},
		{"revoke-user-sessions", "USER", "end every session of a user (username or id)", revokeUserCmd},
		{"set-password", "USER", "set a user's password (read from standard input or FORCEFIELD_PASSWORD)", setPasswordCmd},
		{"reset-security-token", "USER", "give a user a new security token, shown once", resetTokenCmd},
		{"certificates", "APP", "list an app's JWT bearer certificates", certsCmd},
		{"add-certificate", "APP CERT.pem", "let an app's JWT bearer assertions be signed by a certificate's key", addCertCmd},
		{"remove-certificate", "APP FINGERPRINT", "remove a certificate from an app", removeCertCmd},
		{"oauth-tokens", "", "list refresh tokens (OauthToken) by user and app", listCmd("oauth-tokens")},
		{"approvals", "", "list users' approvals of connected apps", listCmd("approvals")},
		{"revoke-oauth-tokens", "USER", "end a user's refresh tokens (--app: of one app) and their sessions", revokeGrantsCmd("oauth-tokens")},
		{"revoke-approvals", "USER", "remove a user's approvals (--app: of one app) and end their refresh tokens", revokeGrantsCmd("approvals")},
		{"mint-refresh-token", "", "mint a refresh token for --app and --user without a browser (tests, ELT tools)", mintRefreshTokenCmd},
		{"snapshot", "NAME", "snapshot an org's Setup and data (--org, --replace)", snapshotCmd},
		{"restore", "NAME", "put an org back as a snapshot holds it, printing the time taken (--org, --end-sessions)", restoreCmd},
		{"snapshots", "", "list an org's snapshots (--org)", snapshotsCmd},
		{"delete-snapshot", "NAME", "delete one of an org's snapshots (--org)", deleteSnapshotCmd},
		{"fault", "", "inject a fault: the next --count (or a --fraction, or --for a while) of a route family's requests get --answer", faultCmd},
		{"faults", "", "list injected faults with their hits", listCmd("faults")},
		{"clear-faults", "[ID]", "remove one fault, or every fault (--org: of one org)", clearFaultsCmd},
		{"expire-sessions", "", "end sessions now (--session, --user, --app or --org): next call gets INVALID_SESSION_ID", expireSessionsCmd},
		{"exhaust-limit", "", "spend an org's DailyApiRequests now: next API call gets REQUEST_LIMIT_EXCEEDED", exhaustLimitCmd},
		{"quotas", "APP", "show an app's per-app quotas and what it used of them", quotasCmd},
		{"set-quotas", "APP", "set an app's quotas (--token-requests-per-hour, --token-requests-per-day, --api-requests-per-day; 0: none)", setQuotasCmd},
		{"version", "", "print the version", func(_ context.Context, _ []string, stdout, _ io.Writer) error {
			fmt.Fprintln(stdout, "forcefield", version)
			return nil
		}},
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		if len(args) == 0 {
			return errors.New("no command given")
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	usage(stderr)
	return fmt.Errorf("unknown command %q", args[0])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: forcefield COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-40s %s\n", strings.TrimSpace(c.name+" "+c.args), c.summary)
	}
	fmt.Fprintln(w, "\nRun 'forcefield COMMAND -h' for a command's flags. Every flag also reads FORCEFIELD_<FLAG> from the environment.")
}

// newFlags returns a FlagSet whose usage names the command.
func newFlags(name, args string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: forcefield %s [flags] %s\n\nFlags (each also read from FORCEFIELD_<FLAG>):\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

// parse applies environment variables FORCEFIELD_<FLAG> to flags not set on the command
// line, then parses args.
func parse(fs *flag.FlagSet, args []string) error { return parseEnv(fs, args, nil) }

// parseEnv is parse with exceptions to the FORCEFIELD_<FLAG> naming: envNames maps a flag
// to its variable, or to "" for none.
func parseEnv(fs *flag.FlagSet, args []string, envNames map[string]string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] {
			return
		}
		env, named := envNames[f.Name]
		if !named {
			env = "FORCEFIELD_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		}
		if v, ok := os.LookupEnv(env); ok && env != "" {
			if err := fs.Set(f.Name, v); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", env, err))
			}
		}
	})
	return errors.Join(errs...)
}

// parseInterleaved is parse for verbs whose flags may come before or after their
// arguments ("snapshot clean --org Acme", "travel 25h --org Acme"): it returns the
// arguments in order.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	var pos []string
	for fs.NArg() > 0 {
		pos = append(pos, fs.Arg(0))
		if err := fs.Parse(fs.Args()[1:]); err != nil {
			return nil, err
		}
	}
	return pos, nil
}
