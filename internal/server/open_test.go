package server

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// A database that cannot be opened is an error that names it (without its password),
// not a panic while Open closes what it had opened.
func TestOpenBadDatabase(t *testing.T) {
	tests := []struct{ name, db string }{
		{"SQLite file in a missing directory", filepath.Join(t.TempDir(), "missing", "dir", "ff.db")},
		{"PostgreSQL that does not answer", "postgres://nobody:s3cret@127.0.0.1:1/none?connect_timeout=2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(context.Background(), Config{Addr: "127.0.0.1:0", DB: tt.db})
			if err == nil {
				s.closeAll()
				t.Fatal("Open succeeded")
			}
			if !strings.Contains(err.Error(), "open database") || strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error = %q, want the database named without its password", err)
			}
		})
	}
}
