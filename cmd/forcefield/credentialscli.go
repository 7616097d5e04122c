package main

// The staged-rotation and audit trail verbs: clients of the admin API's
// /forcefield/admin/apps/{app}/credentials… and /forcefield/admin/audit-trail routes.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

func credentialsPath(app string) string {
	return "/forcefield/admin/apps/" + url.PathEscape(app) + "/credentials"
}

// appVerb parses the shared flags and exactly n positional arguments.
func appVerb(name, argsUsage string, n int, args []string, stderr io.Writer) (*adminClient, []string, error) {
	fs := newFlags(name, argsUsage, stderr)
	c := adminFlags(fs)
	if err := parse(fs, args); err != nil {
		return nil, nil, err
	}
	if fs.NArg() < 1 || fs.NArg() > n {
		fs.Usage()
		return nil, nil, fmt.Errorf("%s takes %s", name, argsUsage)
	}
	return c, fs.Args(), nil
}

func credentialsCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, a, err := appVerb("credentials", "APP", 1, args, stderr)
	if err != nil {
		return err
	}
	var raw json.RawMessage
	if err := c.do(ctx, http.MethodGet, credentialsPath(a[0]), nil, &raw); err != nil {
		return err
	}
	if c.json {
		return printJSON(stdout, raw)
	}
	return printTable(stdout, "credentials", raw)
}

type credentialOut struct{ ID, ConsumerKey, ConsumerSecret, State, ExpiresAt string }

func stageCredentialsCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, a, err := appVerb("stage-credentials", "APP", 1, args, stderr)
	if err != nil {
		return err
	}
	var raw json.RawMessage
	if err := c.do(ctx, http.MethodPost, credentialsPath(a[0])+"/staged", nil, &raw); err != nil {
		return err
	}
	if c.json {
		return printJSON(stdout, raw)
	}
	var cred credentialOut
	if err := json.Unmarshal(raw, &cred); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Staged new credentials for %q (credential %s, valid until %s unless rotated in) — shown once, store them now:\n"+
		"  Consumer Key:    %s\n  Consumer Secret: %s\n"+
		"Both the current and the staged pair work now. Deploy the new pair, then: forcefield rotate-credentials %q\n",
		a[0], cred.ID, cred.ExpiresAt, cred.ConsumerKey, cred.ConsumerSecret, a[0])
	return nil
}

func rotateCredentialsCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, a, err := appVerb("rotate-credentials", "APP [STAGED_ID]", 2, args, stderr)
	if err != nil {
		return err
	}
	path := credentialsPath(a[0]) + "/staged"
	if len(a) == 2 {
		path += "/" + url.PathEscape(a[1])
	}
	var raw json.RawMessage
	if err := c.do(ctx, http.MethodPatch, path, []byte(`{"command":"rotate"}`), &raw); err != nil {
		return err
	}
	if c.json {
		return printJSON(stdout, raw)
	}
	var cred credentialOut
	if err := json.Unmarshal(raw, &cred); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Rotated: credential %s is now the active pair of %q.\n"+
		"The previous pair keeps working for 30 days; end it now with: forcefield delete-credentials %q <id> (see: forcefield credentials %q)\n",
		cred.ID, a[0], a[0], a[0])
	return nil
}

func deleteCredentialsCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, a, err := appVerb("delete-credentials", "APP CREDENTIAL_ID", 2, args, stderr)
	if err != nil {
		return err
	}
	if len(a) != 2 {
		return errors.New("delete-credentials takes the app and the credential id")
	}
	if err := c.do(ctx, http.MethodDelete, credentialsPath(a[0])+"/"+url.PathEscape(a[1]), nil, nil); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Deleted credential %s of %q: it stopped working now.\n", a[1], a[0])
	return nil
}
