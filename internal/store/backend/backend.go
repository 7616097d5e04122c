// Package backend names the whole storage contract one Forcefield node runs on — Setup,
// sessions, login history, audit, OAuth grants, records and queries, bulk jobs — and opens
// the backend a --db value names. Backends register themselves, as database/sql drivers
// do: internal/store/sqlite for a file path (the embedded default) and
// internal/store/postgres for a postgres:// URL. Nothing above this package imports a
// backend to choose it; the configuration chooses.
//
// Every backend runs the conformance suites in internal/store/storetest.
package backend

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/forcefield/forcefield/internal/bulk"
	"github.com/forcefield/forcefield/internal/cluster"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/store"
)

// Backend is everything a node stores.
type Backend interface {
	store.Store
	records.Store
	bulk.Store
	store.ListViewUse
	store.RefreshUseRecorder
	store.Faults // faults on demand (issue 14 §1)
	store.Snapshots

	// Cluster is how the nodes on this database coordinate (cluster.Local for SQLite).
	Cluster() cluster.Coordinator

	// Ping reports whether the database answers and its schema is up to date (/readyz).
	Ping(ctx context.Context) error
	// Kind names the backend for logs and metrics: "sqlite" or "postgres".
	Kind() string
}

// Opener opens a backend from the --db value that selected it.
type Opener func(ctx context.Context, dsn string) (Backend, error)

var (
	mu      sync.RWMutex
	openers = map[string]Opener{} // URL scheme → opener; "" opens a file path
)

// Register makes a backend available for the URL scheme ("postgres"), or for plain file
// paths when scheme is "". It panics on a second registration of one scheme.
func Register(scheme string, o Opener) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := openers[scheme]; dup {
		panic("backend: Register called twice for scheme " + scheme)
	}
	openers[scheme] = o
}

// Scheme returns the scheme of a --db value: "postgres" for postgres:// and
// postgresql:// URLs, the part before "://" for other URLs, "" for a file path.
func Scheme(dsn string) string {
	i := strings.Index(dsn, "://")
	if i <= 0 {
		return ""
	}
	s := strings.ToLower(dsn[:i])
	if s == "postgresql" {
		s = "postgres"
	}
	return s
}

// Open opens the backend dsn names: a file path (SQLite) or a postgres:// URL.
func Open(ctx context.Context, dsn string) (Backend, error) {
	scheme := Scheme(dsn)
	mu.RLock()
	o := openers[scheme]
	mu.RUnlock()
	if o == nil {
		return nil, fmt.Errorf("--db %s: no storage backend for %q URLs (have: %s)", Redact(dsn), scheme, known())
	}
	return o(ctx, dsn)
}

func known() string {
	mu.RLock()
	defer mu.RUnlock()
	var ks []string
	for k := range openers {
		if k == "" {
			k = "a file path"
		} else {
			k += "://"
		}
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}

// Redact returns dsn with any password replaced by "xxxxx", for logs and errors: a
// postgres:// URL carries its password in the clear.
func Redact(dsn string) string {
	dsn = redactParam(dsn)
	i := strings.Index(dsn, "://")
	if i < 0 {
		return dsn
	}
	rest := dsn[i+3:]
	at := strings.LastIndex(rest, "@")
	if slash := strings.Index(rest, "/"); slash >= 0 && slash < at {
		at = strings.LastIndex(rest[:slash], "@")
	}
	if at < 0 {
		return dsn
	}
	userinfo := rest[:at]
	if c := strings.Index(userinfo, ":"); c >= 0 {
		userinfo = userinfo[:c] + ":xxxxx"
	}
	return dsn[:i+3] + userinfo + rest[at:]
}

// redactParam hides the value of a password=… URL parameter (libpq and pgx accept one).
func redactParam(dsn string) string {
	q := strings.Index(dsn, "?")
	if q < 0 {
		return dsn
	}
	params := strings.Split(dsn[q+1:], "&")
	for i, p := range params {
		if k, _, ok := strings.Cut(p, "="); ok && strings.EqualFold(k, "password") {
			params[i] = k + "=xxxxx"
		}
	}
	return dsn[:q+1] + strings.Join(params, "&")
}
