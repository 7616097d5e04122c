package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/forcefield/forcefield/sfauth"
)

// The client verbs, token and api, get and use tokens from any Salesforce org (or a
// Forcefield) through package sfauth. Their --url is the org's login or My Domain URL, so
// its environment variable is FORCEFIELD_LOGIN_URL, not the admin verbs' FORCEFIELD_URL.

// clientEnv names the environment variables of flags that do not follow FORCEFIELD_<FLAG>:
// a different name, or "" for none (--json, -X and -d would be ambiguous or surprising).
var clientEnv = map[string]string{"url": "FORCEFIELD_LOGIN_URL", "json": "", "X": "", "d": ""}

// clientFlags declares the credential flags token and api share.
type clientFlags struct {
	url, clientID, clientSecret, jwtKey, username, password, securityToken, audience, refreshToken string
	basic                                                                                          bool
}

func newClientFlags(fs *flag.FlagSet) *clientFlags {
	c := &clientFlags{}
	fs.StringVar(&c.url, "url", "", "login or My Domain URL of the org, e.g. https://acme.my.salesforce.com, or a Forcefield server (env FORCEFIELD_LOGIN_URL)")
	fs.StringVar(&c.clientID, "client-id", "", "consumer key of the connected app")
	fs.StringVar(&c.clientSecret, "client-secret", "", "consumer secret (client credentials and password flows); prefer the environment variable")
	fs.BoolVar(&c.basic, "basic", false, "send the consumer key and secret in an Authorization: Basic header instead of the body")
	fs.StringVar(&c.jwtKey, "jwt-key", "", "PEM file of the RSA private key: use the JWT bearer flow (with --username)")
	fs.StringVar(&c.username, "username", "", "username for the JWT bearer or password flow")
	fs.StringVar(&c.password, "password", "", "password: use the username-password flow; prefer the environment variable")
	fs.StringVar(&c.securityToken, "security-token", "", "security token appended to the password")
	fs.StringVar(&c.refreshToken, "refresh-token", "", "refresh token: use the refresh token flow (with --client-id, and --client-secret if the app requires it); prefer the environment variable")
	fs.StringVar(&c.audience, "audience", "", "JWT aud (default: test.salesforce.com for sandboxes, login.salesforce.com for other Salesforce hosts, else --url)")
	return c
}

// config turns the flags into an sfauth.Config. A refresh token the server rotates is
// printed on stderr: the one given no longer works, and nothing else would keep the new one.
func (c *clientFlags) config(stderr io.Writer) (*sfauth.Config, error) {
	if c.url == "" {
		return nil, errors.New("no org URL: pass --url or set FORCEFIELD_LOGIN_URL")
	}
	if c.clientID == "" {
		return nil, errors.New("no consumer key: pass --client-id or set FORCEFIELD_CLIENT_ID")
	}
	cfg := &sfauth.Config{URL: c.url, ClientID: c.clientID, ClientSecret: c.clientSecret, Username: c.username,
		Password: c.password, SecurityToken: c.securityToken, Audience: c.audience, RefreshToken: c.refreshToken}
	if c.refreshToken != "" {
		cfg.OnRefreshToken = func(rt string) {
			fmt.Fprintf(stderr, "forcefield: the org rotated the refresh token; the one given no longer works. Store the new one:\n%s\n", rt)
		}
	}
	if c.basic {
		cfg.AuthStyle = sfauth.AuthStyleInHeader
	}
	if c.jwtKey != "" {
		pemBytes, err := os.ReadFile(c.jwtKey)
		if err != nil {
			return nil, fmt.Errorf("--jwt-key: %w", err)
		}
		if cfg.PrivateKey, err = sfauth.ParsePrivateKey(pemBytes); err != nil {
			return nil, fmt.Errorf("--jwt-key %s: %w", c.jwtKey, err)
		}
	}
	return cfg, nil
}

func tokenCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("token", "", stderr)
	c := newClientFlags(fs)
	asJSON := fs.Bool("json", false, "print the whole token response, not just the access token; no environment variable")
	if err := parseEnv(fs, args, clientEnv); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("token takes no arguments, got %q", fs.Args())
	}
	cfg, err := c.config(stderr)
	if err != nil {
		return err
	}
	tok, err := cfg.Token(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(stdout, tok.Raw)
	}
	_, err = fmt.Fprintln(stdout, tok.AccessToken)
	return err
}

func apiCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("api", "PATH", stderr)
	c := newClientFlags(fs)
	method := fs.String("X", "", "HTTP method (default GET, or POST with -d); no environment variable")
	data := fs.String("d", "", "request body (JSON); @FILE reads it from a file, @- from standard input; no environment variable")
	if err := parseEnv(fs, args, clientEnv); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("api takes one path, e.g. /services/data/v59.0/limits")
	}
	cfg, err := c.config(stderr)
	if err != nil {
		return err
	}
	path := fs.Arg(0)
	if !strings.HasPrefix(path, "/") && !strings.Contains(path, "://") {
		path = "/" + path
	}
	var body []byte
	switch {
	case *data == "@-":
		body, err = io.ReadAll(os.Stdin)
	case strings.HasPrefix(*data, "@"):
		body, err = os.ReadFile((*data)[1:])
	default:
		body = []byte(*data)
	}
	if err != nil {
		return fmt.Errorf("-d: %w", err)
	}
	if *method == "" {
		*method = http.MethodGet
		if len(body) > 0 {
			*method = http.MethodPost
		}
	}
	var rd io.Reader
	if len(body) > 0 {
		rd = bytes.NewReader(body) // replayable: retried after a new token
	}
	req, err := http.NewRequestWithContext(ctx, strings.ToUpper(*method), path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := cfg.Client(ctx).Do(req)
	if err != nil {
		return err
	}
	if err := sfauth.CheckResponse(resp); err != nil {
		return err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil || len(out) == 0 {
		return err
	}
	return writeJSON(stdout, out)
}

// writeJSON prints a JSON document, indented when stdout is a terminal and as received
// otherwise (ending in a newline either way).
func writeJSON(w io.Writer, raw []byte) error {
	if isTerminal(w) {
		var buf bytes.Buffer
		if json.Indent(&buf, raw, "", "  ") == nil {
			raw = buf.Bytes()
		}
	}
	if !bytes.HasSuffix(raw, []byte("\n")) {
		raw = append(raw[:len(raw):len(raw)], '\n')
	}
	_, err := w.Write(raw)
	return err
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
