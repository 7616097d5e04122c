package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"text/tabwriter"
)

// The per-app quota verbs (internal/admin/quotas.go; docs/quotas.md): show an app's
// quotas with what it used, and set them.

// quotaRows are the quotas in the order shown: label, quota key, usage key.
var quotaRows = [][3]string{
	{"token requests per hour", "tokenRequestsPerHour", "tokenRequestsLastHour"},
	{"token requests per day", "tokenRequestsPerDay", "tokenRequestsLast24h"},
	{"API requests per day", "apiRequestsPerDay", "apiRequestsLast24h"},
}

// quotasCmd is quotas APP.
func quotasCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("quotas", "APP", stderr)
	c := adminFlags(fs)
	app, args := appFirst(args)
	if err := parse(fs, args); err != nil {
		return err
	}
	if app, ok := oneApp(fs, app); ok {
		return c.quotas(ctx, http.MethodGet, app, nil, stdout)
	}
	fs.Usage()
	return errors.New("quotas takes the app's name or id")
}

// setQuotasCmd is set-quotas APP --token-requests-per-hour N --token-requests-per-day N
// --api-requests-per-day N: the flags given are set (0 removes a quota), the others kept.
func setQuotasCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("set-quotas", "APP", stderr)
	c := adminFlags(fs)
	keys := map[string]string{"token-requests-per-hour": "tokenRequestsPerHour", "token-requests-per-day": "tokenRequestsPerDay",
		"api-requests-per-day": "apiRequestsPerDay"}
	fs.Int("token-requests-per-hour", 0, "tokens the app may be granted in the last 60 minutes (0: no quota)")
	fs.Int("token-requests-per-day", 0, "tokens the app may be granted in the last 24 hours (0: no quota)")
	fs.Int("api-requests-per-day", 0, "API requests the app may make in the last 24 hours (0: no quota)")
	app, args := appFirst(args)
	if err := parse(fs, args); err != nil {
		return err
	}
	body := map[string]int{}
	fs.Visit(func(f *flag.Flag) {
		if key, ok := keys[f.Name]; ok {
			body[key], _ = strconv.Atoi(f.Value.String())
		}
	})
	app, ok := oneApp(fs, app)
	if !ok || len(body) == 0 {
		fs.Usage()
		return errors.New("set-quotas takes the app's name or id and at least one quota flag")
	}
	data, err := json.Marshal(body)
	if err != nil {
		return err
	}
	return c.quotas(ctx, http.MethodPut, app, data, stdout)
}

// appFirst takes APP off the front of args, so that it may come before the flags, as in
// `set-quotas APP --api-requests-per-day 500` (the flag package stops at the first
// argument that is not a flag).
func appFirst(args []string) (app string, rest []string) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return args[0], args[1:]
	}
	return "", args
}

// oneApp is the one APP given, before or after the flags.
func oneApp(fs *flag.FlagSet, first string) (string, bool) {
	switch {
	case first != "" && fs.NArg() == 0:
		return first, true
	case first == "" && fs.NArg() == 1:
		return fs.Arg(0), true
	}
	return "", false
}

// quotas sends one quota request and prints the app's quotas and usage.
func (c *adminClient) quotas(ctx context.Context, method, app string, body []byte, stdout io.Writer) error {
	var raw json.RawMessage
	if err := c.do(ctx, method, "/forcefield/admin/apps/"+url.PathEscape(app)+"/quotas", body, &raw); err != nil {
		return err
	}
	if c.json {
		return printJSON(stdout, raw)
	}
	var v struct {
		App    string         `json:"app"`
		AppID  string         `json:"appId"`
		Quotas map[string]int `json:"quotas"`
		Usage  map[string]int `json:"usage"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Quotas of %s (%s):\n", v.App, v.AppID)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "QUOTA\tLIMIT\tUSED")
	for _, r := range quotaRows {
		limit := "none"
		if n := v.Quotas[r[1]]; n > 0 {
			limit = strconv.Itoa(n)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\n", r[0], limit, v.Usage[r[2]])
	}
	return tw.Flush()
}
