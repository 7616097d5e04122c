package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// The verbs of faults on demand (issue 14 §1, internal/admin/faults.go; docs/testing.md):
// inject a fault, list and clear faults, expire sessions now, exhaust an org's
// DailyApiRequests now.

func init() {
	columns["faults"] = [][2]string{{"ID", "id"}, {"ORG", "org"}, {"APP", "app"}, {"USER", "user"},
		{"FAMILY", "family"}, {"ANSWER", "answer"}, {"COUNT", "count"}, {"REMAINING", "remaining"},
		{"FRACTION", "fraction"}, {"UNTIL", "until"}, {"DELAY", "delay"}, {"HITS", "hits"}}
}

// faultCmd is fault --family F --answer A [--count N | --fraction X | --for D] [--delay D]
// [--org O] [--app A] [--user U].
func faultCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("fault", "", stderr)
	c := adminFlags(fs)
	org := fs.String("org", "", "the org (name, My Domain or id; may be left out with one org)")
	app := fs.String("app", "", "only requests of this connected app (name or id)")
	user := fs.String("user", "", "only requests of this user (username or id)")
	family := fs.String("family", "", "token, rest, bulk, composite or all")
	answer := fs.String("answer", "", "REQUEST_LIMIT_EXCEEDED, SERVER_UNAVAILABLE, UNABLE_TO_LOCK_ROW, QUERY_TIMEOUT, INVALID_SESSION_ID, invalid_grant, drop or delay")
	count := fs.Int("count", 0, "the next N matching requests (the default: 1)")
	fraction := fs.Float64("fraction", 0, "this share of the matching requests, in (0, 1]")
	dur := fs.String("for", "", "every matching request for this long (e.g. 10m)")
	delay := fs.String("delay", "", "wait this long before answering (the delay answer: then serve normally)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *family == "" || *answer == "" || fs.NArg() != 0 {
		fs.Usage()
		return errors.New("fault needs --family and --answer")
	}
	body, _ := json.Marshal(map[string]any{"org": *org, "app": *app, "user": *user, "family": *family,
		"answer": *answer, "count": *count, "fraction": *fraction, "duration": *dur, "delay": *delay})
	var raw json.RawMessage
	if err := c.do(ctx, http.MethodPost, "/forcefield/admin/faults", body, &raw); err != nil {
		return err
	}
	if c.json {
		return printJSON(stdout, raw)
	}
	var v struct{ ID, Family, Answer string }
	if err := json.Unmarshal(raw, &v); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Fault %s injected: %s requests answer %s.\n", v.ID, v.Family, v.Answer)
	return nil
}

// clearFaultsCmd is clear-faults [ID] [--org O].
func clearFaultsCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("clear-faults", "[ID]", stderr)
	c := adminFlags(fs)
	org := fs.String("org", "", "only this org's faults (name, My Domain or id); default: every org's")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch fs.NArg() {
	case 0:
		var res struct{ Deleted int }
		if err := c.do(ctx, http.MethodDelete, "/forcefield/admin/faults?"+url.Values{"org": {*org}}.Encode(), nil, &res); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Cleared %d fault(s).\n", res.Deleted)
	case 1:
		if err := c.do(ctx, http.MethodDelete, "/forcefield/admin/faults/"+url.PathEscape(fs.Arg(0)), nil, nil); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Cleared fault %s.\n", fs.Arg(0))
	default:
		fs.Usage()
		return errors.New("clear-faults takes at most one fault id")
	}
	return nil
}

// expireSessionsCmd is expire-sessions --session ID | --user U | --app A | --org O.
func expireSessionsCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("expire-sessions", "", stderr)
	c := adminFlags(fs)
	sel := map[string]*string{
		"session": fs.String("session", "", "one session (id)"),
		"user":    fs.String("user", "", "every session of a user (username or id)"),
		"app":     fs.String("app", "", "every session of a connected app (name or id)"),
		"org":     fs.String("org", "", "every session of an org (name, My Domain or id)"),
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	body := map[string]string{}
	for k, v := range sel {
		if *v != "" {
			body[k] = *v
		}
	}
	if len(body) != 1 || fs.NArg() != 0 {
		fs.Usage()
		return errors.New("expire-sessions needs exactly one of --session, --user, --app, --org")
	}
	b, _ := json.Marshal(body)
	var res struct{ Expired int }
	if err := c.do(ctx, http.MethodPost, "/forcefield/admin/sessions/expire", b, &res); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Expired %d session(s); their next call gets INVALID_SESSION_ID (refresh tokens still work).\n", res.Expired)
	return nil
}

// exhaustLimitCmd is exhaust-limit [--org O] [--limit DailyApiRequests].
func exhaustLimitCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("exhaust-limit", "", stderr)
	c := adminFlags(fs)
	org := fs.String("org", "", "the org (name, My Domain or id; may be left out with one org)")
	limit := fs.String("limit", "DailyApiRequests", "the limit to spend")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return errors.New("exhaust-limit takes no arguments")
	}
	ref, err := c.orgRef(ctx, *org)
	if err != nil {
		return err
	}
	b, _ := json.Marshal(map[string]string{"limit": *limit})
	var res struct {
		Limit string
		Max   int
	}
	if err := c.do(ctx, http.MethodPost, "/forcefield/admin/orgs/"+url.PathEscape(ref)+"/limits/exhaust", b, &res); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: 0 of %d remaining; the next API call gets REQUEST_LIMIT_EXCEEDED.\n", res.Limit, res.Max)
	return nil
}
