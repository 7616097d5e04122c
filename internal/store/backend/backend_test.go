package backend

import (
	"context"
	"strings"
	"testing"
)

func TestSchemeAndRedact(t *testing.T) {
	for _, tc := range []struct{ dsn, scheme, redacted string }{
		{"forcefield.db", "", "forcefield.db"},
		{"/var/lib/ff/ff.db", "", "/var/lib/ff/ff.db"},
		{"postgres://ff:s3cret@db:5432/ff?sslmode=disable", "postgres", "postgres://ff:xxxxx@db:5432/ff?sslmode=disable"},
		{"postgresql://ff:p@ss@db/ff", "postgres", "postgresql://ff:xxxxx@db/ff"},
		{"POSTGRES://ff@db/ff", "postgres", "POSTGRES://ff@db/ff"},
		{"postgres://db/ff?x=a@b", "postgres", "postgres://db/ff?x=a@b"},
		{"mysql://u:p@h/d", "mysql", "mysql://u:xxxxx@h/d"},
		{"postgres://ff@db/ff?sslmode=disable&password=s3cret", "postgres", "postgres://ff@db/ff?sslmode=disable&password=xxxxx"},
		{"postgres://ff:a@db/ff?Password=b", "postgres", "postgres://ff:xxxxx@db/ff?Password=xxxxx"},
	} {
		if got := Scheme(tc.dsn); got != tc.scheme {
			t.Errorf("Scheme(%q) = %q, want %q", tc.dsn, got, tc.scheme)
		}
		if got := Redact(tc.dsn); got != tc.redacted {
			t.Errorf("Redact(%q) = %q, want %q", tc.dsn, got, tc.redacted)
		}
	}
}

func TestOpenUnknownScheme(t *testing.T) {
	_, err := Open(context.Background(), "mysql://u:hunter2@h/d")
	if err == nil || !strings.Contains(err.Error(), `no storage backend for "mysql"`) || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("Open(mysql://…) = %v, want a refusal that does not show the password", err)
	}
}
