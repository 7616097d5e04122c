package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The snapshot verbs against a running server with the demo org (its only org, so no
// --org): snapshot, a refused duplicate, --replace, a Setup change (a rotated secret)
// that restore undoes while printing its time, the list, and delete.
func TestSnapshotVerbs(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ff.db")
	p := startServe(t, nil, "--addr", "127.0.0.1:0", "--db", db, "--admin-token", "adm")
	env := []string{"FORCEFIELD_ADMIN_TOKEN=adm", "FORCEFIELD_URL=" + p.URL}

	if out := runCLI(t, env, "snapshot", "clean"); !regexp.MustCompile(`^Snapshot "clean" of org 00D\w{15}: \d+ records, [\d.]+ (KB|MB|bytes)\.\n$`).MatchString(out) {
		t.Errorf("snapshot:\n%s", out)
	}
	if out := runCLIFail(t, env, "snapshot", "clean"); !strings.Contains(out, "DUPLICATE_VALUE") {
		t.Errorf("snapshot of a taken name:\n%s", out)
	}
	if out := runCLI(t, env, "snapshot", "clean", "--replace"); !strings.Contains(out, `Snapshot "clean"`) {
		t.Errorf("snapshot --replace:\n%s", out)
	}
	runCLI(t, env, "rotate-secret", "Demo Integration")
	if out := runCLI(t, env, "credentials", "Demo Integration"); strings.Count(out, "\n") != 3 {
		t.Fatalf("credentials after rotate-secret, want 2 pairs:\n%s", out)
	}
	out := runCLI(t, env, "restore", "clean")
	if !regexp.MustCompile(`^Restored snapshot "clean" of org 00D\w{15} in [\d.]+ ms: \d+ records, 0 session\(s\) ended\.\n$`).MatchString(out) {
		t.Errorf("restore:\n%s", out)
	}
	if out := runCLI(t, env, "credentials", "Demo Integration"); strings.Count(out, "\n") != 2 {
		t.Errorf("credentials after restore, want the one pair of the snapshot:\n%s", out)
	}
	if out := runCLI(t, env, "snapshots"); !strings.Contains(out, "NAME") || !strings.Contains(out, "clean") {
		t.Errorf("snapshots:\n%s", out)
	}
	if out := runCLIFail(t, env, "restore", "nope", "--org", "Demo"); !strings.Contains(out, `NOT_FOUND: org 00D`) || !strings.Contains(out, `has no snapshot named "nope"`) {
		t.Errorf("restore of a missing name:\n%s", out)
	}
	if out := runCLI(t, env, "delete-snapshot", "clean"); out != "Deleted snapshot \"clean\".\n" {
		t.Errorf("delete-snapshot:\n%s", out)
	}
	if out := runCLI(t, env, "snapshots", "--json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("snapshots after delete:\n%s", out)
	}
}
