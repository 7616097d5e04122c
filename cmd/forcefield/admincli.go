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
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"
)

// adminClient talks to a running server's admin API.
type adminClient struct {
	url, token string
	json       bool
	http       *http.Client
}

// adminFlags declares the flags every admin verb shares.
func adminFlags(fs *flag.FlagSet) *adminClient {
	c := &adminClient{http: &http.Client{Timeout: time.Minute}}
	fs.StringVar(&c.url, "url", "http://127.0.0.1:8080", "URL of the running Forcefield server")
	fs.StringVar(&c.token, "admin-token", "", "admin token (printed at the server's first start)")
	fs.BoolVar(&c.json, "json", false, "print the raw JSON response")
	return c
}

// do sends a request and decodes a JSON answer into out (if non-nil).
func (c *adminClient) do(ctx context.Context, method, path string, body []byte, out any) error {
	if c.token == "" {
		return errors.New("no admin token: pass --admin-token or set FORCEFIELD_ADMIN_TOKEN (printed at the server's first start)")
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(c.url, "/")+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("is the server running at %s? %w", c.url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		var apiErr []struct{ Message, ErrorCode string }
		if json.Unmarshal(data, &apiErr) == nil && len(apiErr) > 0 {
			return fmt.Errorf("%s: %s", apiErr[0].ErrorCode, apiErr[0].Message)
		}
		return fmt.Errorf("%s: %s", resp.Status, strings.TrimSpace(string(data)))
	}
	if out == nil || len(data) == 0 {
		return nil
	}
	if raw, ok := out.(*json.RawMessage); ok {
		*raw = data
		return nil
	}
	return json.Unmarshal(data, out)
}

func printJSON(w io.Writer, raw json.RawMessage) error {
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return err
	}
	buf.WriteByte('\n')
	_, err := buf.WriteTo(w)
	return err
}

func applyCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("apply", "FILE", stderr)
	c := adminFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("apply takes one org file")
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	var res struct {
		Summary        string
		NewCredentials []struct{ Org, App, ConsumerKey, ConsumerSecret string }
	}
	var raw json.RawMessage
	if err := c.do(ctx, http.MethodPost, "/forcefield/admin/apply?name="+url.QueryEscape(filepath.Base(fs.Arg(0))), data, &raw); err != nil {
		return err
	}
	if c.json {
		return printJSON(stdout, raw)
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Applied %s: %s\n", fs.Arg(0), res.Summary)
	for _, nc := range res.NewCredentials {
		fmt.Fprintf(stdout, "\nConnected app %q of org %q — shown once, store them now:\n  Consumer Key:    %s\n", nc.App, nc.Org, nc.ConsumerKey)
		if nc.ConsumerSecret != "" {
			fmt.Fprintf(stdout, "  Consumer Secret: %s\n", nc.ConsumerSecret)
		}
	}
	return nil
}

// listCmd prints one of the admin API's lists as a table.
func listCmd(what string) func(context.Context, []string, io.Writer, io.Writer) error {
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		fs := newFlags(what, "", stderr)
		c := adminFlags(fs)
		orgID := fs.String("org", "", "only this org (id)")
		var userID, appID *string
		var limit *int
		if what == "audit-trail" || what == "bulk-jobs" {
			limit = fs.Int("limit", 100, "at most this many rows")
		}
		if what == "sessions" || what == "login-history" || what == "oauth-tokens" || what == "approvals" {
			userID = fs.String("user", "", "only this user (id)")
			appID = fs.String("app", "", "only this connected app (id)")
			limit = fs.Int("limit", 100, "at most this many rows")
		}
		if err := parse(fs, args); err != nil {
			return err
		}
		q := url.Values{}
		for k, v := range map[string]*string{"org": orgID, "user": userID, "app": appID} {
			if v != nil && *v != "" {
				q.Set(k, *v)
			}
		}
		if limit != nil {
			q.Set("limit", fmt.Sprint(*limit))
		}
		var raw json.RawMessage
		if err := c.do(ctx, http.MethodGet, "/forcefield/admin/"+what+"?"+q.Encode(), nil, &raw); err != nil {
			return err
		}
		if c.json {
			return printJSON(stdout, raw)
		}
		return printTable(stdout, what, raw)
	}
}

// columns of each list's table: header and JSON key.
var columns = map[string][][2]string{
	"orgs":          {{"ID", "id"}, {"NAME", "name"}, {"SESSION TIMEOUT (MIN)", "sessionTimeoutMinutes"}, {"EDITION", "edition"}, {"DAILY API REQUESTS", "dailyApiRequests"}, {"CLOCK OFFSET", "clockOffset"}},
	"users":         {{"ID", "id"}, {"USERNAME", "username"}, {"PROFILE", "profile"}, {"ACTIVE", "active"}, {"API ENABLED", "apiEnabled"}, {"API ONLY", "apiOnly"}},
	"apps":          {{"ID", "id"}, {"NAME", "name"}, {"SCOPES", "scopes"}, {"CLIENT CREDENTIALS", "clientCredentialsEnabled"}, {"RUN AS", "runAs"}, {"CONSUMER KEYS", "credentials"}},
	"sessions":      {{"ID", "id"}, {"USER", "userId"}, {"APP", "appId"}, {"SOURCE IP", "sourceIp"}, {"CREATED", "createdAt"}, {"EXPIRES", "expiresAt"}},
	"credentials":   {{"ID", "id"}, {"CONSUMER KEY", "consumerKey"}, {"STATE", "state"}, {"CREATED", "createdAt"}, {"EXPIRES", "expiresAt"}},
	"audit-trail":   {{"DATE", "createdDate"}, {"BY", "createdBy"}, {"SECTION", "section"}, {"ACTION", "action"}, {"DISPLAY", "display"}},
	"bulk-jobs":     {{"ID", "id"}, {"TYPE", "jobType"}, {"OPERATION", "operation"}, {"OBJECT", "object"}, {"STATE", "state"}, {"BATCHES", "batches"}, {"PROCESSED", "recordsProcessed"}, {"FAILED", "recordsFailed"}, {"CREATED", "createdDate"}},
	"login-history": {{"TIME", "loginTime"}, {"USER", "userId"}, {"APPLICATION", "application"}, {"SOURCE IP", "sourceIp"}, {"TYPE", "loginSubType"}, {"STATUS", "status"}},
}

func printTable(w io.Writer, what string, raw json.RawMessage) error {
	var rows []map[string]any
	if err := json.Unmarshal(raw, &rows); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	cols := columns[what]
	for i, col := range cols {
		if i > 0 {
			fmt.Fprint(tw, "\t")
		}
		fmt.Fprint(tw, col[0])
	}
	fmt.Fprintln(tw)
	for _, row := range rows {
		for i, col := range cols {
			if i > 0 {
				fmt.Fprint(tw, "\t")
			}
			fmt.Fprint(tw, cell(row[col[1]]))
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

func cell(v any) string {
	switch x := v.(type) {
	case nil:
		return "-"
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			if m, ok := e.(map[string]any); ok { // a credential: key prefix and state
				key := fmt.Sprint(m["consumerKey"])
				if len(key) > 12 {
					key = key[:12] + "…"
				}
				parts = append(parts, fmt.Sprintf("%s (%v)", key, m["state"]))
				continue
			}
			parts = append(parts, fmt.Sprint(e))
		}
		return strings.Join(parts, ", ")
	case float64:
		return fmt.Sprint(int64(x))
	}
	return fmt.Sprint(v)
}

func rotateCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("rotate-secret", "APP", stderr)
	c := adminFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("rotate-secret takes the app's name or id")
	}
	var raw json.RawMessage
	if err := c.do(ctx, http.MethodPost, "/forcefield/admin/apps/"+url.PathEscape(fs.Arg(0))+"/secrets", nil, &raw); err != nil {
		return err
	}
	if c.json {
		return printJSON(stdout, raw)
	}
	var cred struct{ ID, ConsumerKey, ConsumerSecret string }
	if err := json.Unmarshal(raw, &cred); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "New consumer secret for %q (credential %s) — shown once, store it now:\n  Consumer Key:    %s\n  Consumer Secret: %s\n"+
		"The previous secret keeps working for 30 days; end it sooner with: forcefield delete-secret %q <old credential id> (see: forcefield apps --json)\n",
		fs.Arg(0), cred.ID, cred.ConsumerKey, cred.ConsumerSecret, fs.Arg(0))
	return nil
}

func deleteSecretCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("delete-secret", "APP CREDENTIAL_ID", stderr)
	c := adminFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return errors.New("delete-secret takes the app and the credential id")
	}
	if err := c.do(ctx, http.MethodDelete, "/forcefield/admin/apps/"+url.PathEscape(fs.Arg(0))+"/secrets/"+url.PathEscape(fs.Arg(1)), nil, nil); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Deleted credential %s of %q.\n", fs.Arg(1), fs.Arg(0))
	return nil
}

func revokeSessionCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("revoke-session", "SESSION_ID", stderr)
	c := adminFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("revoke-session takes a session id")
	}
	if err := c.do(ctx, http.MethodDelete, "/forcefield/admin/sessions/"+url.PathEscape(fs.Arg(0)), nil, nil); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Revoked session %s.\n", fs.Arg(0))
	return nil
}

func revokeUserCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("revoke-user-sessions", "USER", stderr)
	c := adminFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("revoke-user-sessions takes a username or user id")
	}
	var res struct{ Revoked int }
	if err := c.do(ctx, http.MethodDelete, "/forcefield/admin/users/"+url.PathEscape(fs.Arg(0))+"/sessions", nil, &res); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Revoked %d session(s) of %s.\n", res.Revoked, fs.Arg(0))
	return nil
}
