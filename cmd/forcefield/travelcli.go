package main

// The time travel verb (issue 14 §2): a client of the admin API's
// /forcefield/admin/orgs/{org}/clock. `forcefield travel 2h` moves an org's clock two
// hours further ahead of real time; --to-offset sets the offset, --reset returns the org
// to real time, and with neither nor a duration the org's clock is printed.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

func travelCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("travel", "[DURATION]", stderr)
	c := adminFlags(fs)
	orgRef := fs.String("org", "", "org name, My Domain or id (default: the only org)")
	to := fs.String("to-offset", "", "set the org's offset ahead of real time to this duration (e.g. 25h)")
	reset := fs.Bool("reset", false, "return the org to real time (offset 0)")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		fs.Usage()
		return errors.New("travel takes at most one DURATION (e.g. 2h, 90m, 25h30m)")
	}
	set := 0
	for _, b := range []bool{len(pos) == 1, *to != "", *reset} {
		if b {
			set++
		}
	}
	if set > 1 {
		return errors.New("travel takes one of DURATION, --to-offset and --reset")
	}
	org, err := c.orgRef(ctx, *orgRef)
	if err != nil {
		return err
	}
	path := "/forcefield/admin/orgs/" + url.PathEscape(org) + "/clock"
	method, body := http.MethodGet, []byte(nil)
	switch {
	case *reset:
		method = http.MethodDelete
	case *to != "":
		method, body = http.MethodPut, clockBody("offset", *to)
	case len(pos) == 1:
		method, body = http.MethodPut, clockBody("advance", pos[0])
	}
	var raw json.RawMessage
	if err := c.do(ctx, method, path, body, &raw); err != nil {
		return err
	}
	if c.json {
		return printJSON(stdout, raw)
	}
	var v struct {
		Org, Offset string
		Now         time.Time
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return err
	}
	if v.Offset == "0s" {
		fmt.Fprintf(stdout, "Org %s is on real time (now %s)\n", v.Org, v.Now.Format(time.RFC3339))
		return nil
	}
	fmt.Fprintf(stdout, "Org %s is %s ahead of real time (now %s in the org)\n", v.Org, v.Offset, v.Now.Format(time.RFC3339))
	return nil
}

func clockBody(field, d string) []byte {
	b, _ := json.Marshal(map[string]string{field: d})
	return b
}

// orgRef returns ref, or the id of the server's only org when ref is empty (the admin
// API's per-org paths need the org named).
func (c *adminClient) orgRef(ctx context.Context, ref string) (string, error) {
	if ref != "" {
		return ref, nil
	}
	var orgs []struct{ ID, Name string }
	if err := c.do(ctx, http.MethodGet, "/forcefield/admin/orgs", nil, &orgs); err != nil {
		return "", err
	}
	if len(orgs) != 1 {
		return "", fmt.Errorf("the server has %d orgs: name one with --org", len(orgs))
	}
	return orgs[0].ID, nil
}
