package main

// The snapshot verbs (issue 14 §3): clients of the admin API's
// /forcefield/admin/orgs/{org}/snapshots routes (internal/admin/snapshots.go).
//
//	forcefield snapshot NAME [--org ORG] [--replace]
//	forcefield restore NAME [--org ORG] [--end-sessions]
//	forcefield snapshots [--org ORG]
//	forcefield delete-snapshot NAME [--org ORG]
//
// --org is an org's name, My Domain or id; it may be left out when the server has one org.

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

func init() {
	columns["snapshots"] = [][2]string{{"NAME", "name"}, {"CREATED", "createdAt"}, {"RECORDS", "records"}, {"BYTES", "bytes"}}
}

// snapshotVerb parses the shared flags (flags may follow the name) and wants nargs names.
func snapshotVerb(fs *flag.FlagSet, args []string, nargs int) ([]string, error) {
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return nil, err
	}
	if len(pos) != nargs {
		fs.Usage()
		if nargs == 0 {
			return nil, fmt.Errorf("%s takes no arguments", fs.Name())
		}
		return nil, fmt.Errorf("%s takes a snapshot name", fs.Name())
	}
	return pos, nil
}

// snapshotsPath is the org's snapshots route; no --org names the server's only org.
func snapshotsPath(ctx context.Context, c *adminClient, org string) (string, error) {
	org, err := c.orgRef(ctx, org)
	if err != nil {
		return "", err
	}
	return "/forcefield/admin/orgs/" + url.PathEscape(org) + "/snapshots", nil
}

func snapshotCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("snapshot", "NAME", stderr)
	c := adminFlags(fs)
	org := fs.String("org", "", "the org (name, My Domain or id); may be left out when there is one")
	replace := fs.Bool("replace", false, "replace a snapshot of the same name")
	pos, err := snapshotVerb(fs, args, 1)
	if err != nil {
		return err
	}
	path, err := snapshotsPath(ctx, c, *org)
	if err != nil {
		return err
	}
	if *replace {
		path += "?replace=true"
	}
	body, _ := json.Marshal(map[string]string{"name": pos[0]})
	var raw json.RawMessage
	if err := c.do(ctx, http.MethodPost, path, body, &raw); err != nil {
		return err
	}
	if c.json {
		return printJSON(stdout, raw)
	}
	var v struct {
		Name, Org string
		Records   int
		Bytes     int64
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Snapshot %q of org %s: %d records, %s.\n", v.Name, v.Org, v.Records, sizeOf(v.Bytes))
	return nil
}

func restoreCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("restore", "NAME", stderr)
	c := adminFlags(fs)
	org := fs.String("org", "", "the org (name, My Domain or id); may be left out when there is one")
	endAll := fs.Bool("end-sessions", false, "end every session of the org (default: only those whose user or app the snapshot lacks)")
	pos, err := snapshotVerb(fs, args, 1)
	if err != nil {
		return err
	}
	path, err := snapshotsPath(ctx, c, *org)
	if err != nil {
		return err
	}
	path += "/" + url.PathEscape(pos[0]) + "/restore"
	if *endAll {
		path += "?endSessions=true"
	}
	var raw json.RawMessage
	if err := c.do(ctx, http.MethodPost, path, nil, &raw); err != nil {
		return err
	}
	if c.json {
		return printJSON(stdout, raw)
	}
	var v struct {
		Name, Org     string
		RestoredInMs  float64
		Records       int
		SessionsEnded int
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Restored snapshot %q of org %s in %.1f ms: %d records, %d session(s) ended.\n",
		v.Name, v.Org, v.RestoredInMs, v.Records, v.SessionsEnded)
	return nil
}

func snapshotsCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("snapshots", "", stderr)
	c := adminFlags(fs)
	org := fs.String("org", "", "the org (name, My Domain or id); may be left out when there is one")
	if _, err := snapshotVerb(fs, args, 0); err != nil {
		return err
	}
	path, err := snapshotsPath(ctx, c, *org)
	if err != nil {
		return err
	}
	var raw json.RawMessage
	if err := c.do(ctx, http.MethodGet, path, nil, &raw); err != nil {
		return err
	}
	if c.json {
		return printJSON(stdout, raw)
	}
	return printTable(stdout, "snapshots", raw)
}

func deleteSnapshotCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("delete-snapshot", "NAME", stderr)
	c := adminFlags(fs)
	org := fs.String("org", "", "the org (name, My Domain or id); may be left out when there is one")
	pos, err := snapshotVerb(fs, args, 1)
	if err != nil {
		return err
	}
	path, err := snapshotsPath(ctx, c, *org)
	if err != nil {
		return err
	}
	if err := c.do(ctx, http.MethodDelete, path+"/"+url.PathEscape(pos[0]), nil, nil); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Deleted snapshot %q.\n", pos[0])
	return nil
}

// sizeOf renders a byte count for people.
func sizeOf(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
